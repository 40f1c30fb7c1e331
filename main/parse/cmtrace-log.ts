/**
 * Logs in the CMTrace layout: the Configuration Manager client's logs (WUAHandler.log,
 * UpdatesDeployment.log, UpdatesHandler.log, ScanAgent.log, …) and the Intune Management Extension's
 * (IntuneManagementExtension.log, AgentExecutor.log, AppWorkload.log). Each entry is
 * `<![LOG[message]LOG]!><time="HH:MM:SS.fff+bias" date="M-D-YYYY" component="…" context="…" type="N" thread="N" file="…">`,
 * where `type` is the severity CMTrace colours: 1 information, 2 warning, 3 error. The older layout
 * `message  $$<component><date time><thread=N (0x…)>` carries no severity (read as information). A message may
 * span lines until its `]LOG]!>`. Pure, linear, never throws.
 */
import { forEachLine } from './lines.ts'

export interface CmtraceEntry {
  line: number
  component: string
  /** 1 information, 2 warning, 3 error (0: not written). */
  type: number
  date: string
  time: string
  message: string
}

export interface CmtraceLog {
  entries: number
  components: Record<string, number>
  /** Warnings and errors (type 2 and 3), at most 200. */
  notable: CmtraceEntry[]
  /** The last entry of each component (its state where the text ends), at most 50. */
  lastOf: CmtraceEntry[]
  /** Every `0x…` code an entry wrote, with the entry's type (at most 500): the type, not the code, decides. */
  codes: { code: string; line: number; type: number }[]
}

const ATTRS = /\]LOG\]!>\s*<time="([^"]*)"\s+date="([^"]*)"\s+component="([^"]*)"[^>]*?\btype="(\d)"/
const LEGACY = /^(.*?)\s*\$\$<([^>]{1,60})><([^>]{1,40})><thread=/

export function cmtraceScore(text: string): number {
  if (typeof text !== 'string') return 0
  const head = text.length > 100_000 ? text.slice(0, 100_000) : text
  let n = 0
  let i = head.indexOf('<![LOG[')
  while (i !== -1 && n < 5) {
    n++
    i = head.indexOf('<![LOG[', i + 7)
  }
  if (n >= 2 && /\]LOG\]!><time="/.test(head)) return 0.95
  if (n === 1 && /\]LOG\]!><time="/.test(head)) return 0.7
  let legacy = 0
  forEachLine(head, (l) => {
    if (legacy < 3 && l.length < 2000 && LEGACY.test(l)) legacy++
  })
  return legacy >= 2 ? 0.8 : 0
}

export function parseCmtraceLog(input: string): CmtraceLog {
  const out: CmtraceLog = { entries: 0, components: {}, notable: [], lastOf: [], codes: [] }
  if (typeof input !== 'string') return out
  const last = new Map<string, CmtraceEntry>()
  let open: { line: number; parts: string[] } | null = null
  const add = (e: CmtraceEntry) => {
    out.entries++
    out.components[e.component] = (out.components[e.component] ?? 0) + 1
    if (e.type >= 2 && out.notable.length < 200) out.notable.push(e)
    for (const m of e.message.matchAll(/\b0x[0-9A-Fa-f]{8}\b/g))
      if (out.codes.length < 500)
        out.codes.push({ code: `0x${m[0].slice(2).toUpperCase()}`, line: e.line, type: e.type })
    last.delete(e.component)
    last.set(e.component, e)
  }
  forEachLine(input, (raw, n) => {
    const start = raw.indexOf('<![LOG[')
    if (open === null && start === -1) {
      const m = raw.length < 4000 ? LEGACY.exec(raw) : null
      if (m) add({ line: n, component: m[2]!.trim(), type: 0, date: '', time: m[3]!.trim(), message: m[1]!.trim() })
      return
    }
    const body = open === null ? raw.slice(start + 7) : raw
    if (open === null) open = { line: n, parts: [] }
    const close = body.indexOf(']LOG]!>')
    if (close === -1) {
      if (open.parts.length < 50) open.parts.push(body)
      return
    }
    open.parts.push(body.slice(0, close))
    const attrs = ATTRS.exec(body.slice(close, close + 600))
    const message = open.parts.join('\n').slice(0, 4000)
    add({
      line: open.line,
      component: attrs ? attrs[3]! : '',
      type: attrs ? Number(attrs[4]) : 0,
      date: attrs ? attrs[2]! : '',
      time: attrs ? attrs[1]! : '',
      message,
    })
    open = null
  })
  out.lastOf = [...last.values()].slice(-50)
  return out
}
