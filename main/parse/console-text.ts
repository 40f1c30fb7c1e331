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

/**
 * Drops trailing spaces, tabs and no-break spaces. A loop, not /[ \t\u00a0]+$/: that regex rescans a long
 * run of blanks from every position when text follows it (found by fuzzing: 20,000 tabs took 1.8 s).
 */
function trimEnd(l: string): string {
  let end = l.length
  for (
    let c = l.charCodeAt(end - 1);
    end > 0 && (c === 0x20 || c === 0x09 || c === 0xa0);
    c = l.charCodeAt(--end - 1)
  ) {
    /* back over blanks */
  }
  return end === l.length ? l : l.slice(0, end)
}

/** True when the last character is whitespace (not /\s$/, which scans the whole, growing, line). */
const endsInSpace = (l: string) => l.length > 0 && /\s/.test(l.charAt(l.length - 1))

const WRAP_WIDTHS = [80, 100, 120, 132, 160, 200, 240]

/**
 * The console width the text was hard-wrapped at, or null: the longest line is exactly a usual console
 * width (80, 120, 200 …). `rectangular` is set when nearly every line has that width — a rectangular
 * console selection padded with spaces — where only lines cut mid-text (not ending in a space) are wraps.
 */
export function detectWrapWidth(rawLines: readonly string[]): { width: number; rectangular: boolean } | null {
  let longest = 0
  let nonBlank = 0
  for (const l of rawLines) {
    if (l.length > longest) longest = l.length
    if (l.trim() !== '') nonBlank++
  }
  if (!WRAP_WIDTHS.includes(longest)) return null
  let atWidth = 0
  let cutMidText = 0
  for (const l of rawLines) {
    if (l.length !== longest) continue
    atWidth++
    if (!endsInSpace(l)) cutMidText++
  }
  const rectangular = nonBlank >= 3 && atWidth / nonBlank >= 0.8
  if (rectangular && cutMidText === 0) return null
  return { width: longest, rectangular }
}

/**
 * Joins lines that the console cut at its width. `isRecordStart` says when the next line begins a
 * new field (then it is not a continuation even if the previous line is full).
 */
export function unwrapConsoleLines(text: string, isRecordStart: (line: string) => boolean = () => false): string[] {
  let t = text
  if (t.charCodeAt(0) === 0xfeff) t = t.slice(1)
  const raw = t.split(/\r\n|\r|\n/)
  const wrap = detectWrapWidth(raw)
  if (wrap === null) return raw.map(trimEnd)
  const { width, rectangular } = wrap
  // The space test looks at the last line added, not the joined text: reading a character of a long joined
  // string flattens it each time (quadratic; found by fuzzing: 5,800 wrapped lines took 0.9 s).
  const isCut = (l: string, last: string) =>
    l.length > 0 && l.length % width === 0 && !(rectangular && endsInSpace(last))
  const out: string[] = []
  let carry: string | null = null
  for (const line of raw) {
    if (carry !== null && line.trim() !== '' && !isRecordStart(line)) {
      carry += line
    } else {
      if (carry !== null) out.push(carry)
      carry = line
    }
    if (!isCut(carry, line)) {
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
