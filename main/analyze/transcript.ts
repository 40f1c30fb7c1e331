/**
 * Splits a console transcript into commands: a line that starts with a prompt (`C:\>`, `C:\Windows\system32>`,
 * `PS C:\Windows\system32>`, `X:\Sources>`) begins a command, and the lines up to the next prompt are its
 * output. Returns [] when the text has fewer than two prompts (it is one command's output, read whole).
 * Text before the first prompt is its own segment (command null). Line numbers are 1-based.
 */
import { forEachLine } from '../parse/lines.ts'

export interface TranscriptSegment {
  /** The command typed at the prompt (`reagentc /info`), or null for text before the first prompt. */
  command: string | null
  /** Line of the prompt (or of the segment's first line). */
  line: number
  /** The prompt line and the output after it. */
  text: string
}

const PROMPT = /^\s{0,4}(?:PS\s+)?[A-Za-z]:\\[^<>|"\n]{0,200}>\s*(.*)$/

export function splitTranscript(text: string): TranscriptSegment[] {
  const segs: { command: string | null; line: number; lines: string[] }[] = []
  let prompts = 0
  let cur: { command: string | null; line: number; lines: string[] } = { command: null, line: 1, lines: [] }
  forEachLine(text, (l, n) => {
    const m = l.length < 400 ? PROMPT.exec(l) : null
    if (m) {
      prompts++
      if (cur.lines.some((x) => x.trim() !== '')) segs.push(cur)
      const cmd = m[1]!.trim()
      cur = { command: cmd === '' ? null : cmd, line: n, lines: [l] }
      return
    }
    cur.lines.push(l)
  })
  if (cur.lines.some((x) => x.trim() !== '')) segs.push(cur)
  if (prompts < 2) return []
  // A bare prompt with no output after it (the transcript's last line) is not a command.
  return segs
    .filter((s) => s.command !== null || s.lines.some((x) => x.trim() !== '' && !PROMPT.test(x)))
    .map((s) => ({ command: s.command, line: s.line, text: s.lines.join('\n') }))
}
