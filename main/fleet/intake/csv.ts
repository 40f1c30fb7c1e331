/**
 * CSV as RFC 4180 writes it (the Intune export and the Log Analytics portal's "Export to CSV"): fields split by
 * commas, quoted fields may hold commas, quotes ("" inside) and line breaks; CRLF or LF; a UTF-8 BOM first.
 * Pure and total: an unclosed quote ends the field at the end of the text, and its row is marked damaged.
 */
export interface CsvRow {
  fields: string[]
  line: number
  damaged: boolean
}

export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = []
  eachCsvRow(text, (fields, line, damaged) => {
    rows.push({ fields, line, damaged })
  })
  return rows
}

/**
 * Each row as it is read, without keeping them all: a 200,000-row export read row by row leaves each row's fields
 * to die young instead of holding millions of strings at once (the reader of update alerts spent most of its
 * time in garbage collection when it held them).
 */
export function eachCsvRow(text: string, onRow: (fields: string[], line: number, damaged: boolean) => void): void {
  if (typeof text !== 'string') return
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 1
  const n = text.length
  while (i < n) {
    const start = line
    const fields: string[] = []
    let damaged = false
    for (;;) {
      let value = ''
      if (text[i] === '"') {
        i++
        let closed = false
        while (i < n) {
          const q = text.indexOf('"', i)
          if (q < 0) {
            value += text.slice(i)
            i = n
            break
          }
          value += text.slice(i, q)
          if (text[q + 1] === '"') {
            value += '"'
            i = q + 2
            continue
          }
          i = q + 1
          closed = true
          break
        }
        for (const ch of value) if (ch === '\n') line++
        if (!closed) damaged = true
        // Text after the closing quote up to the separator belongs to the field (lenient).
        const sep = nextSep(text, i)
        if (sep > i) {
          value += text.slice(i, sep)
          damaged = true
          i = sep
        }
      } else {
        const sep = nextSep(text, i)
        value = text.slice(i, sep)
        i = sep
      }
      fields.push(value)
      if (text[i] === ',') {
        i++
        continue
      }
      if (text[i] === '\r' && text[i + 1] === '\n') i += 2
      else if (text[i] === '\n' || text[i] === '\r') i++
      line++
      break
    }
    if (!(fields.length === 1 && fields[0] === '')) onRow(fields, start, damaged)
  }
}

function nextSep(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j)
    if (c === 44 || c === 10 || c === 13) return j
  }
  return text.length
}

function quote(v: string): string {
  return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

export function csvText(rows: readonly (readonly string[])[]): string {
  return `${rows.map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`
}

/** Rows as records by the header's column names (the first row). */
export function csvRecords(text: string): {
  header: string[]
  records: { values: Map<string, string>; line: number; damaged: boolean; width: number }[]
} {
  const rows = parseCsv(text)
  const header = (rows[0]?.fields ?? []).map((h) => h.trim())
  return {
    header,
    records: rows.slice(1).map((r) => ({
      values: new Map(header.map((h, k) => [h, r.fields[k] ?? ''])),
      line: r.line,
      damaged: r.damaged,
      width: r.fields.length,
    })),
  }
}
