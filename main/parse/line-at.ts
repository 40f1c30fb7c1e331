/**
 * A position's line, for the text's story (analyze/text-story.ts) and the diagnosis's rules alike: a module of its own
 * below both, so a rule that quotes a line (hardware-block.ts) loads neither the story nor, with it, analyze's start
 * (which `diagnose --code` never loads: fast-start.test.ts).
 */

/** The line number and the trimmed line (up to `max` characters) holding `pos`. */
export function lineAt(text: string, pos: number, max = 200): { line: number; text: string } {
  let line = 1
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) line++
  const s = text.lastIndexOf('\n', pos - 1) + 1
  const e = text.indexOf('\n', pos)
  return {
    line,
    text: text
      .slice(s, e === -1 ? text.length : e)
      .trim()
      .slice(0, max),
  }
}
