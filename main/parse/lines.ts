/**
 * Line iteration without splitting the whole text: `split('\n')` on 50 MB of newlines allocates 50 million
 * strings (3 GB and a crash, measured). Handles `\n`, `\r\n` and a lone `\r`. Pure, never throws.
 */
export function forEachLine(text: string, fn: (line: string, lineNo: number) => void): number {
  if (typeof text !== 'string') return 0
  const len = text.length
  const hasCr = text.indexOf('\r') !== -1
  let start = 0
  let n = 0
  for (;;) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = len
    let next = end + 1
    if (hasCr) {
      const cr = text.indexOf('\r', start)
      if (cr !== -1 && cr < end) {
        end = cr
        next = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1
      }
    }
    n++
    fn(end > start ? text.slice(start, end) : '', n)
    if (next > len) break
    start = next
    if (start === len) break
  }
  return n
}

/**
 * Calls `fn` only for lines that match `filter` (a global regex searched over the whole text, natively),
 * and for the `fullLines` lines after a passed line that matches `fullAfter` — the in-memory twin of the
 * streamed log scan, for large pasted logs. Line numbers are counted between matches.
 */
const NOT_NEWLINE = /[^\n]/g

export function forEachMatchingLine(
  text: string,
  filter: RegExp,
  fn: (line: string, lineNo: number) => void,
  fullAfter?: RegExp,
  fullLines = 0,
): void {
  if (typeof text !== 'string') return
  const re = new RegExp(filter.source, filter.flags.includes('g') ? filter.flags : `${filter.flags}g`)
  // Newlines are counted with indexOf up to the next one known (never one character at a time, never
  // searching past it twice); a run of blank lines is skipped by one native search.
  let nextNl = text.indexOf('\n')
  const countTo = (pos: number): void => {
    while (nextNl !== -1 && nextNl < pos) {
      lineNo++
      if (text.charCodeAt(nextNl + 1) === 10) {
        NOT_NEWLINE.lastIndex = nextNl + 1
        const k = Math.min(NOT_NEWLINE.exec(text)?.index ?? text.length, pos)
        lineNo += k - nextNl - 1
        nextNl = text.indexOf('\n', k)
      } else nextNl = text.indexOf('\n', nextNl + 1)
    }
  }
  let counted = 0
  let lineNo = 1
  let pos = 0
  let fullUntil = 0
  while (pos < text.length) {
    let ls: number
    if (lineNo < fullUntil) {
      ls = pos
    } else {
      re.lastIndex = pos
      const m = re.exec(text)
      if (!m) break
      ls = text.lastIndexOf('\n', m.index) + 1
    }
    if (counted < ls) countTo(ls)
    counted = ls
    let le = text.indexOf('\n', ls)
    if (le === -1) le = text.length
    const line = text.charCodeAt(le - 1) === 13 ? text.slice(ls, le - 1) : text.slice(ls, le)
    fn(line, lineNo)
    if (fullAfter && fullLines > 0 && fullAfter.test(line)) fullUntil = lineNo + fullLines + 1
    pos = le + 1
    counted = pos
    lineNo++
    if (nextNl !== -1 && nextNl < pos) nextNl = text.indexOf('\n', pos)
  }
}
