/**
 * The CSV records of an export's text read straight from it, as csv-parse (with the options csvRecordsOf gives it)
 * would hand them over: the same fields and the same line numbers. Only what it can vouch for: records of plain
 * fields (a quote inside one is a character, as csv-parse's relax_quotes reads it) and quoted fields closed by a quote
 * right before a comma, a line break or the end. At the first record that is anything else (a quote never closed, text
 * after a closing quote, a record near the longest one read) it stops, and the caller hands that record and the rest
 * of the file to csv-parse itself, which reads and refuses them as it always did.
 *
 * Why: csv-parse looks at every byte through its general machine (a dozen option checks a byte, each field gathered
 * byte by byte into its own buffer, then decoded); for the well-formed exports the tools write, that was most of the
 * cost of reading them (200,000 devices' alert and status CSVs: ~5 s of CPU, about half of an import's reading).
 * Here a field is found with indexOf and taken as one slice of the text.
 */

/** Longest record read here, in characters: within csv-parse's byte bound (MAX_RECORD_CHARS) even at 3 bytes a character. */
export const SCAN_MAX_CHARS = Math.floor((1024 * 1024) / 3)

export interface ScanResult {
  /** Where the text not yet read starts (a record not yet whole, or the one csv-parse must read). */
  pos: number
  /** The line that record starts on (csv-parse's count: 1 for the first). */
  line: number
  /** The record at `pos` is one this reader does not vouch for: csv-parse reads it and everything after it. */
  stop: boolean
}

const QUOTE = 34
const COMMA = 44
const LF = 10
const CR = 13

/** The number of CR and LF characters in text[from, to) (csv-parse counts each as a line inside a quoted field). */
function breaks(text: string, from: number, to: number): number {
  let n = 0
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++
  for (let i = text.indexOf('\r', from); i >= 0 && i < to; i = text.indexOf('\r', i + 1)) n++
  return n
}

/**
 * Reads whole records of `text` from `pos` on, each handed to `onRecord` with the line it ends on (as csv-parse's
 * info.lines gives it). `end`: the text is all there is (a record may end at its end; a CR at its end ends a line).
 */
export function scanCsv(
  text: string,
  pos: number,
  line: number,
  end: boolean,
  onRecord: (fields: string[], line: number) => void,
): ScanResult {
  const n = text.length
  while (pos < n) {
    const start = pos
    const startLine = line
    let c = text.charCodeAt(pos)
    // An empty line: skipped (skip_empty_lines), counted.
    if (c === CR || c === LF) {
      if (c === CR && text.charCodeAt(pos + 1) === LF) pos++
      else if (c === CR && pos + 1 >= n && !end) return { pos: start, line, stop: false }
      pos++
      line++
      continue
    }
    const fields: string[] = []
    let inner = 0
    let whole = false
    // Ended by a line break (the next record is on the next line), not by the end of the text.
    let broke = false
    for (;;) {
      let value: string
      let at: number
      if (pos < n && text.charCodeAt(pos) === QUOTE) {
        // A quoted field: up to the quote that is not doubled.
        let from = pos + 1
        value = ''
        for (;;) {
          const q = text.indexOf('"', from)
          if (q < 0 || (q + 1 >= n && !end)) {
            if (q < 0 && end) return { pos: start, line: startLine, stop: true } // never closed
            // Not all here yet.
            if (n - start > SCAN_MAX_CHARS) return { pos: start, line: startLine, stop: true }
            return { pos: start, line: startLine, stop: false }
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1)
            from = q + 2
            continue
          }
          value = value.length ? value + text.slice(from, q) : text.slice(from, q)
          inner += breaks(text, pos + 1, q)
          at = q + 1
          break
        }
        c = at < n ? text.charCodeAt(at) : -1
        // Text after the closing quote: csv-parse's own (relaxed) reading of it.
        if (c !== COMMA && c !== CR && c !== LF && c !== -1) return { pos: start, line: startLine, stop: true }
      } else {
        at = pos
        c = -1
        while (at < n) {
          const x = text.charCodeAt(at)
          if (x === COMMA || x === CR || x === LF) {
            c = x
            break
          }
          at++
        }
        if (c === -1 && !end) {
          if (n - start > SCAN_MAX_CHARS) return { pos: start, line: startLine, stop: true }
          return { pos: start, line: startLine, stop: false }
        }
        value = text.slice(pos, at)
      }
      if (at - start > SCAN_MAX_CHARS) return { pos: start, line: startLine, stop: true }
      fields.push(value)
      if (c === COMMA) {
        pos = at + 1
        continue
      }
      if (c === -1) {
        pos = at
        whole = true
        break
      }
      // A line break ends the record: CRLF, LF or CR (a CR at the end of what is here may be a CRLF's first half).
      if (c === CR) {
        if (at + 1 >= n && !end) return { pos: start, line: startLine, stop: false }
        pos = text.charCodeAt(at + 1) === LF ? at + 2 : at + 1
      } else pos = at + 1
      whole = true
      broke = true
      break
    }
    if (!whole) return { pos: start, line: startLine, stop: false }
    const recordLine = startLine + inner
    onRecord(fields, recordLine)
    line = broke ? recordLine + 1 : recordLine
  }
  return { pos, line, stop: false }
}
