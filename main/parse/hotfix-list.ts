/**
 * Parses hotfix lists: `Get-HotFix` (table, list or JSON), `wmic qfe` (table, `list`/`list full`
 * `Name=value` records), and the hotfix section of `systeminfo` (`[01]: KB5043080`, any language).
 *
 * Get-HotFix reads Win32_QuickFixEngineering, which lists only some updates (not every CBS package),
 * see learn.microsoft.com/powershell/module/microsoft.powershell.management/get-hotfix#notes.
 */
import { consoleLines, lostNewlines } from './console-text.ts'
import { inferDayMonthOrder, readDate, ambiguousDateWarning } from './date-text.ts'
import { jsonDateText } from './dism-packages.ts'

/** The script the hotfix probe runs: Get-HotFix as JSON, InstalledOn as `yyyy-MM-dd` (no culture). */
export const HOTFIX_SCRIPT = [
  '$rows = @(Get-HotFix | Select-Object HotFixID, Description,',
  "  @{n='InstalledOn';e={if ($_.InstalledOn) { $_.InstalledOn.ToString('yyyy-MM-dd') }}})",
  'ConvertTo-Json -InputObject $rows -Compress',
].join('\n')

export interface HotfixEntry {
  kb: string
  description: string | null
  installedOn: string | null
}

export type HotfixFormat =
  | 'get-hotfix-table'
  | 'get-hotfix-list'
  | 'wmic-table'
  | 'wmic-list'
  | 'systeminfo'
  | 'json'
  | 'kb-list'
  | 'none'

export interface HotfixListResult {
  hotfixes: HotfixEntry[]
  format: HotfixFormat
  warnings: string[]
}

// (?!\d), not \b: Format-Table cuts a long HotFixID to 'KB2899189_...', where '_' is a word character.
const KB = /\bKB\d{6,8}(?!\d)/i
const DATE = /\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:AM|PM))?)?/i

interface RawEntry {
  kb: string
  description: string | null
  date: string | null
}

export function parseHotfixList(input: string): HotfixListResult {
  const text = typeof input === 'string' ? input : ''
  const t = text.trim()
  if (t.startsWith('[') || t.startsWith('{')) {
    const j = parseJson(t)
    if (j) return j
  }
  const lines = consoleLines(text)
  let format: HotfixFormat = 'none'
  let raws: RawEntry[] = []
  // Column names stand apart (spaces), so wmic's echo of `wmic qfe get Caption,Description,HotFixID,…` above
  // its table is not taken for the header.
  const headerAt = lines.findIndex(
    (l) => /(?:^|\s)HotFixID(?!\S)/i.test(l) && /(?:^|\s)(?:Description|InstalledOn|Caption|Source)(?!\S)/i.test(l),
  )
  if (!lostNewlines(text) && headerAt >= 0) {
    const dashed = /^[\s-]+$/.test(lines[headerAt + 1] ?? '') && (lines[headerAt + 1] ?? '').includes('-')
    raws = readTable(lines, headerAt, dashed)
    format = dashed ? 'get-hotfix-table' : 'wmic-table'
  } else if (!lostNewlines(text) && lines.some((l) => /^\s*HotFixID\s*[=:]/i.test(l))) {
    raws = readRecords(lines)
    format = lines.some((l) => /^\s*HotFixID\s*=/i.test(l)) ? 'wmic-list' : 'get-hotfix-list'
  } else if (/\[\d{1,3}\]\s*:\s*KB\d+/i.test(text)) {
    raws = [...text.matchAll(/\[\d{1,3}\]\s*:\s*(KB\d{6,8})/gi)].map((m) => ({
      kb: m[1].toUpperCase(),
      description: null,
      date: null,
    }))
    format = 'systeminfo'
  } else {
    // Last resort (flattened pastes, plain lists): every KB number, with a date right after it when present.
    // Whole words only: in a flattened wmic list the next label `HotFixID=` is no description.
    raws = [...text.matchAll(/\b(KB\d{6,8})\b([^K\n]{0,80})/gi)].map((m) => ({
      kb: m[1].toUpperCase(),
      description: /\b(?:Security Update|Update|Hotfix)\b/i.exec(m[2])?.[0] ?? null,
      date: DATE.exec(m[2])?.[0] ?? null,
    }))
    format = raws.length > 0 ? 'kb-list' : 'none'
  }
  return finish(
    raws,
    format,
    format === 'kb-list' && lostNewlines(text)
      ? ['The text lost its line breaks; hotfixes were read by their KB numbers.']
      : [],
  )
}

function finish(raws: RawEntry[], format: HotfixFormat, warnings: string[]): HotfixListResult {
  const order = inferDayMonthOrder(raws.map((r) => r.date ?? ''))
  let ambiguous = 0
  let example = ''
  const seen = new Set<string>()
  const hotfixes: HotfixEntry[] = []
  for (const r of raws) {
    const key = `${r.kb}|${r.date ?? ''}`
    if (seen.has(key)) continue
    seen.add(key)
    const d = readDate(r.date?.replace(/\s+\d{1,2}:\d{2}(:\d{2})?(\s*(AM|PM))?$/i, ''), order)
    if (d.ambiguous) {
      ambiguous++
      example ||= d.value ?? ''
    }
    hotfixes.push({ kb: r.kb, description: r.description, installedOn: d.value })
  }
  if (ambiguous > 0) warnings.push(ambiguousDateWarning(ambiguous, example))
  if (hotfixes.length === 0) warnings.push('No KB numbers were found in the text.')
  return { hotfixes, format, warnings }
}

/** Reads a fixed-width table: column starts come from the dashes line (PowerShell) or the header words (wmic). */
function readTable(lines: string[], headerAt: number, dashed: boolean): RawEntry[] {
  const header = lines[headerAt]
  const starts: Array<{ name: string; at: number }> = []
  if (dashed) {
    const dashes = lines[headerAt + 1]
    for (const m of dashes.matchAll(/-+/g))
      starts.push({ name: header.slice(m.index, m.index + m[0].length).trim(), at: m.index ?? 0 })
  } else {
    for (const m of header.matchAll(/\S+/g)) starts.push({ name: m[0], at: m.index ?? 0 })
  }
  const col = (row: string, name: string): string | null => {
    const i = starts.findIndex((s) => s.name.toLowerCase() === name.toLowerCase())
    if (i < 0) return null
    const end = i + 1 < starts.length ? starts[i + 1].at : row.length
    const v = row.slice(starts[i].at, end).trim()
    return v === '' ? null : v
  }
  const out: RawEntry[] = []
  for (const row of lines.slice(headerAt + (dashed ? 2 : 1))) {
    if (row.trim() === '') continue
    const kbCell = col(row, 'HotFixID') ?? ''
    const kb = KB.exec(kbCell)?.[0] ?? KB.exec(row)?.[0]
    if (!kb) continue
    // wmic sizes columns in bytes, so non-ASCII values (a Cyrillic user name) shift later cells: look
    // for the date anywhere after the KB when its cell has none.
    const cell = col(row, 'InstalledOn')
    const date =
      (cell ? DATE.exec(cell)?.[0] : undefined) ??
      DATE.exec(row.slice(row.toUpperCase().indexOf(kb.toUpperCase())))?.[0] ??
      null
    out.push({ kb: kb.toUpperCase(), description: col(row, 'Description'), date })
  }
  return out
}

/** Reads `Name=value` (wmic list) or `Name : value` (Format-List) records separated by blank lines. */
function readRecords(lines: string[]): RawEntry[] {
  const out: RawEntry[] = []
  let cur: Record<string, string> = {}
  let prev = ''
  const flush = () => {
    prev = ''
    const kb = KB.exec(cur.hotfixid ?? '')?.[0]
    if (kb)
      out.push({
        kb: kb.toUpperCase(),
        description: cur.description || null,
        date: cur.installedon ? (DATE.exec(cur.installedon)?.[0] ?? cur.installedon) : null,
      })
    cur = {}
  }
  for (const line of lines) {
    const m = /^\s*([A-Za-z]+)\s*([=:])\s?(.*)$/.exec(line)
    if (!m) continue
    const key = m[1].toLowerCase()
    // wmic separates fields with blank lines too, and prints properties in alphabetical order, so a
    // `Name=value` record ends when the key order goes back; a Format-List record ends when a key repeats.
    const wmicStyle = m[2] === '='
    if (key in cur || (wmicStyle && prev !== '' && key <= prev)) {
      flush()
      // A paste that starts mid-record leaves fields without a HotFixID; they are dropped by flush().
    }
    cur[key] = m[3].trim()
    prev = key
  }
  flush()
  return out
}

function parseJson(text: string): HotfixListResult | null {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return null
  }
  const rows = (Array.isArray(data) ? data : [data]).filter(
    (x): x is Record<string, unknown> => typeof x === 'object' && x !== null,
  )
  const raws: RawEntry[] = []
  for (const r of rows) {
    const kb = KB.exec(String(r.HotFixID ?? r.HotfixId ?? ''))?.[0]
    if (!kb) continue
    const d = jsonDateText(r.InstalledOn)
    raws.push({
      kb: kb.toUpperCase(),
      description: typeof r.Description === 'string' && r.Description !== '' ? r.Description : null,
      date: d,
    })
  }
  return finish(raws, 'json', [])
}
