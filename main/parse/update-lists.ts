/**
 * Update lists people copy, read from their layouts:
 *
 * - **PSWindowsUpdate** (the PowerShell Gallery module): `Get-WUHistory`'s table `ComputerName Operationname Result
 *   Date Title` (Result: Succeeded, Failed, InProgress, SucceededWithErrors, Aborted — the OperationResultCode
 *   names; newest first), and `Get-WindowsUpdate`/`Install-WindowsUpdate`'s `X ComputerName Result KB Size Title`
 *   (X the step: 1 Accepted, 2 Downloaded, 3 Installed or Failed).
 * - **Settings › Windows Update › Update history**, copied as text: each update's title, then its status line —
 *   `Successfully installed on <date>`, `Failed to install on <date> - 0x…`, `Last failed install attempt on <date>
 *   - 0x…` (newest first).
 *
 * Each update's story ends with its newest state (the history's first row; the install run's last step). Pure, total.
 */
import { forEachLine } from './lines.ts'

export type ListState =
  | 'succeeded'
  | 'failed'
  | 'in-progress'
  | 'succeeded-with-errors'
  | 'aborted'
  | 'accepted'
  | 'downloaded'
  | 'installed'

export interface ListedUpdate {
  line: number
  title: string
  kb: string | null
  state: ListState
  date: string | null
  code: string | null
}

export interface UpdateList {
  form: 'wu-history' | 'wu-install' | 'settings-history' | null
  rows: ListedUpdate[]
  /** Each update's newest state (by KB, else title), in first-seen order. */
  latest: ListedUpdate[]
}

const HISTORY_ROW =
  /^\s*(\S{1,63})\s+(Installation|Uninstallation|Other)\s+(Succeeded|Failed|InProgress|SucceededWithErrors|Aborted|NotStarted)\s+(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:\s+\d{1,2}:\d{2}(?::\d{1,2})?(?:\.{3}|…)?)?(?:\s*[AP]M)?)\s+(\S.*?)\s*$/i
const INSTALL_ROW =
  /^\s*([1-4])\s+(\S{1,63})\s+(Accepted|Downloaded|Installed|Failed|Rejected|NotAccepted)\s+(KB\d{6,7})?\s*(\d+(?:[.,]\d+)?\s?[KMG]B)?\s*(\S.*?)?\s*$/i
const SETTINGS_STATUS =
  /^\s*(Successfully installed on|Failed to install on|Last failed install attempt on|Installed on)\s+(\S+)(?:\s*[-–]\s*(0x[0-9A-Fa-f]{8}))?\s*$/i
const KB = /\bKB\s?(\d{6,7})\b/i

const STATE: Record<string, ListState> = {
  succeeded: 'succeeded',
  failed: 'failed',
  inprogress: 'in-progress',
  succeededwitherrors: 'succeeded-with-errors',
  aborted: 'aborted',
  notstarted: 'in-progress',
  accepted: 'accepted',
  downloaded: 'downloaded',
  installed: 'installed',
  rejected: 'aborted',
  notaccepted: 'aborted',
}

export function parseUpdateLists(input: string): UpdateList {
  const out: UpdateList = { form: null, rows: [], latest: [] }
  if (typeof input !== 'string') return out
  const text = input.length > 4_000_000 ? input.slice(0, 4_000_000) : input
  let history = 0
  let install = 0
  let settings = 0
  let prevTitle: { text: string; line: number } | null = null
  forEachLine(text, (raw, n) => {
    if (out.rows.length >= 2000) return
    const line = raw.length > 1000 ? raw.slice(0, 1000) : raw
    let m = HISTORY_ROW.exec(line)
    if (m) {
      history++
      out.rows.push({
        line: n,
        title: m[5]!,
        kb: kbOf(m[5]!),
        state: STATE[m[3]!.toLowerCase()]!,
        date: m[4]!,
        code: null,
      })
      return
    }
    m = INSTALL_ROW.exec(line)
    if (m) {
      install++
      const title = m[6] ?? ''
      out.rows.push({
        line: n,
        title,
        kb: m[4] ? m[4].toUpperCase() : kbOf(title),
        state: STATE[m[3]!.toLowerCase()]!,
        date: null,
        code: null,
      })
      return
    }
    m = SETTINGS_STATUS.exec(line)
    if (m && prevTitle) {
      settings++
      const st = m[1]!.toLowerCase()
      out.rows.push({
        line: n,
        title: prevTitle.text,
        kb: kbOf(prevTitle.text),
        state: st.startsWith('success') || st.startsWith('installed') ? 'succeeded' : 'failed',
        date: m[2]!,
        code: m[3] ? `0x${m[3].slice(2).toUpperCase()}` : null,
      })
      prevTitle = null
      return
    }
    prevTitle = /\S/.test(line) ? { text: line.trim(), line: n } : prevTitle
  })
  out.form =
    history + install + settings === 0
      ? null
      : history >= install && history >= settings
        ? 'wu-history'
        : install >= settings
          ? 'wu-install'
          : 'settings-history'
  // Newest state: history lists (PSWindowsUpdate's and Settings') are newest first; an install run's output is in order.
  const byKey = new Map<string, ListedUpdate>()
  const rows = out.form === 'wu-install' ? [...out.rows].reverse() : out.rows
  for (const r of rows) {
    const key = r.kb ?? r.title.toLowerCase()
    if (!byKey.has(key)) byKey.set(key, r)
  }
  out.latest = [...byKey.values()].sort((a, b) => a.line - b.line)
  return out
}

export function updateListScore(text: string): number {
  const r = parseUpdateLists(typeof text === 'string' ? text.slice(0, 100_000) : '')
  if (r.rows.length >= 2) return 0.85
  return r.rows.length === 1 ? 0.5 : 0
}

function kbOf(t: string): string | null {
  const m = KB.exec(t)
  return m ? `KB${m[1]}` : null
}
