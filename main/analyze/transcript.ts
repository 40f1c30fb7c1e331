/**
 * Splits a console transcript into commands: a line that starts with a prompt (`C:\>`, `C:\Windows\system32>`,
 * `PS C:\Windows\system32>`, `X:\Sources>`, or a Japanese note's full-width `＞command`) begins a command, and the lines up to the next prompt are its
 * output. Returns [] when the text has fewer than two prompts (it is one command's output, read whole).
 * Text before the first prompt is its own segment (command null). Line numbers are 1-based.
 */

export interface TranscriptSegment {
  /** The command typed at the prompt (`reagentc /info`), or null for text before the first prompt. */
  command: string | null
  /** Line of the prompt (or of the segment's first line). */
  line: number
  /** The prompt line and the output after it. */
  text: string
}

const PROMPT = /^\s{0,4}(?:PS\s+)?[A-Za-z]:\\[^<>|"\n]{0,200}>\s*(.*)$/

/**
 * The start of the line holding each of a rising series of positions, every newline searched for once:
 * `lastIndexOf('\n', i)` per position ran back to the line start each time, quadratic on one long line
 * with many `:\` in it (200 KB of `C:\ ` took 2.4 s).
 */
function lineStarts(text: string): (pos: number) => number {
  let start = 0
  let next = text.indexOf('\n')
  return (pos) => {
    while (next !== -1 && next < pos) {
      start = next + 1
      next = text.indexOf('\n', start)
    }
    return start
  }
}

/**
 * Positions of prompt lines, found by searching for `:\` (native indexOf), never by walking every line:
 * 50 MB of newlines costs one search.
 */
function promptLines(text: string): { start: number; end: number; command: string | null }[] {
  const out: { start: number; end: number; command: string | null }[] = []
  let from = 0
  let lastLineStart = -1
  const lineStart = lineStarts(text)
  for (;;) {
    const i = text.indexOf(':\\', from)
    if (i === -1) break
    from = i + 2
    const ls = lineStart(i)
    if (ls === lastLineStart || i - ls > 8) continue
    let le = text.indexOf('\n', i)
    if (le === -1) le = text.length
    const line = text.slice(ls, le).replace(/\r$/, '')
    if (line.length >= 400) continue
    const m = PROMPT.exec(line)
    if (!m) continue
    lastLineStart = ls
    const cmd = m[1]!.trim()
    out.push({ start: ls, end: le, command: cmd === '' ? null : cmd })
  }
  // A Japanese console note marks each command with a full-width '＞' at the line start (`＞systeminfo`).
  from = 0
  const noteLineStart = lineStarts(text)
  // Where the current line's leading blanks end (found once per line, not once per '＞').
  let blanksOf = -1
  let blanksEnd = 0
  for (;;) {
    const i = text.indexOf('＞', from)
    if (i === -1) break
    from = i + 1
    const ls = noteLineStart(i)
    if (ls !== blanksOf) {
      blanksOf = ls
      blanksEnd = ls
      while (blanksEnd < text.length && text.charCodeAt(blanksEnd) !== 10 && /\s/.test(text[blanksEnd]!)) blanksEnd++
    }
    if (i > blanksEnd) continue
    let le = text.indexOf('\n', i)
    if (le === -1) le = text.length
    const cmd = text
      .slice(i + 1, le)
      .replace(/\r$/, '')
      .trim()
    if (cmd === '' || cmd.length > 200) continue
    out.push({ start: ls, end: le, command: cmd })
  }
  return out.sort((a, b) => a.start - b.start)
}

function lineNumberAt(text: string, pos: number, from: { pos: number; line: number }): number {
  let line = from.line
  for (let i = from.pos; i < pos; i++) if (text.charCodeAt(i) === 10) line++
  from.pos = pos
  from.line = line
  return line
}

export function splitTranscript(text: string): TranscriptSegment[] {
  const prompts = promptLines(text)
  if (prompts.length < 2) return []
  const segs: TranscriptSegment[] = []
  const cursor = { pos: 0, line: 1 }
  if (text.slice(0, prompts[0]!.start).trim() !== '')
    segs.push({ command: null, line: 1, text: text.slice(0, prompts[0]!.start) })
  prompts.forEach((p, k) => {
    const end = k + 1 < prompts.length ? prompts[k + 1]!.start : text.length
    const body = text.slice(p.end, end)
    // A bare prompt with no output after it (the transcript's last line) is not a command.
    if (p.command === null && body.trim() === '') return
    segs.push({
      command: p.command,
      line: lineNumberAt(text, p.start, cursor),
      text: text.slice(p.start, end).replace(/\n$/, ''),
    })
  })
  return segs
}
