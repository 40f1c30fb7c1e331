/**
 * Reads PowerShell Format-Table text (and any console table drawn the same way): a header line of column
 * names, a line of dash groups under them, then rows until a blank line. Each column spans from the start
 * of its dash group to the start of the next, so padded, empty and truncated (`…`, `...`) cells read by
 * position, whatever the columns are called or in which order they come. Pure and total.
 */
export interface FormatTable {
  headers: string[]
  rows: Record<string, string>[]
  /** 1-based line of the header. */
  line: number
}

const DASHES = /^\s*-{2,}(?:\s+-{2,})*\s*$/

export function readFormatTables(text: string, maxTables = 20): FormatTable[] {
  const lines = text.split('\n', 100_000)
  const out: FormatTable[] = []
  for (let i = 1; i < lines.length && out.length < maxTables; i++) {
    const dash = lines[i]!.replace(/\r$/, '')
    if (!DASHES.test(dash)) continue
    const header = lines[i - 1]!.replace(/\r$/, '')
    if (header.trim() === '') continue
    const starts: number[] = []
    for (const m of dash.matchAll(/-{2,}/g)) starts.push(m.index)
    const cell = (l: string, c: number) =>
      l.slice(c === 0 ? 0 : starts[c]!, c + 1 < starts.length ? starts[c + 1]! : undefined).trim()
    const headers = starts.map((_, c) => cell(header, c))
    if (headers.some((h) => h === '')) continue
    const rows: Record<string, string>[] = []
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j]!.replace(/\r$/, '')
      if (l.trim() === '' || DASHES.test(l)) break
      const row: Record<string, string> = {}
      starts.forEach((_, c) => {
        row[headers[c]!] = cell(l, c)
      })
      rows.push(row)
    }
    out.push({ headers, rows, line: i })
  }
  return out
}
