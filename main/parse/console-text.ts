/**
 * Repairs console text people paste: CRLF, a BOM, trailing spaces, and hard wraps at the console
 * width (conhost wraps at 80 or 120 columns, Windows Terminal at the window width, often 200), which
 * split package identities and error codes across lines.
 */

/** Splits into lines without `\r` and without trailing spaces. */
export function consoleLines(text: string): string[] {
  let t = text
  if (t.charCodeAt(0) === 0xfeff) t = t.slice(1)
  return t.split(/\r\n|\r|\n/).map(trimEnd)
}

/** Drops trailing spaces, tabs and no-break spaces (cheap check first: most lines have none). */
function trimEnd(l: string): string {
  const c = l.charCodeAt(l.length - 1)
  return c === 0x20 || c === 0x09 || c === 0xa0 ? l.replace(/[ \t\u00a0]+$/, '') : l
}

const WRAP_WIDTHS = [80, 100, 120, 132, 160, 200, 240]

/**
 * The console width the text was hard-wrapped at, or null. A wrapped text has several lines of
 * exactly the width (before trailing spaces were cut) and none longer.
 */
export function detectWrapWidth(rawLines: readonly string[]): number | null {
  let longest = 0
  const counts = new Map<number, number>()
  for (const l of rawLines) {
    longest = Math.max(longest, l.length)
    // A padded line (rectangular console copy) ends in a space; a cut line ends mid-text.
    if (l.length >= WRAP_WIDTHS[0] && !/\s$/.test(l)) counts.set(l.length, (counts.get(l.length) ?? 0) + 1)
  }
  for (const w of WRAP_WIDTHS) {
    if (longest === w && (counts.get(w) ?? 0) >= 1) return w
  }
  return null
}

/**
 * Joins lines that the console cut at its width. `isRecordStart` says when the next line begins a
 * new field (then it is not a continuation even if the previous line is full).
 */
export function unwrapConsoleLines(text: string, isRecordStart: (line: string) => boolean = () => false): string[] {
  let t = text
  if (t.charCodeAt(0) === 0xfeff) t = t.slice(1)
  const raw = t.split(/\r\n|\r|\n/)
  const width = detectWrapWidth(raw)
  if (width === null) return raw.map(trimEnd)
  const out: string[] = []
  let carry: string | null = null
  for (const line of raw) {
    if (carry !== null && line.trim() !== '' && !isRecordStart(line)) {
      carry += line
    } else {
      if (carry !== null) out.push(carry)
      carry = line
    }
    if (carry.length % width !== 0 || carry.length === 0 || /\s$/.test(carry)) {
      out.push(carry)
      carry = null
    }
  }
  if (carry !== null) out.push(carry)
  return out.map(trimEnd)
}

/** True when a long text lost its line breaks (a chat or a web form flattened it). */
export function lostNewlines(text: string): boolean {
  const lines = text.split('\n')
  const longest = lines.reduce((n, l) => Math.max(n, l.length), 0)
  return longest > 300 && lines.filter((l) => l.trim() !== '').length <= 3
}

/** A short excerpt for evidence: the first `max` characters, trimmed. */
export function excerpt(text: string, max = 400): string {
  const t = text.trim()
  return t.length <= max ? t : `${t.slice(0, max)}…`
}
