/**
 * Output helpers: `--json` prints only JSON on stdout; text goes to stdout; notes go to stderr. Every line has its
 * control characters escaped (terminal-text.ts): outside text is shown, never obeyed by the terminal.
 */
import { runnableHere, selfCommand } from './self-command.ts'
import { escapeControls, escapeJsonControls } from './terminal-text.ts'
import { writeJsonText } from './json-text.ts'
import { standardError, standardOutput, type TextSink } from './std-write.ts'

export interface Output {
  json(value: unknown): void
  text(line?: string): void
  note(line: string): void
}

/**
 * Every `servicing-desk <command>` printed as text is written as it runs here (self-command.ts): the name itself only
 * when it is on PATH. `--json` is data for programs: it keeps the command's own name. `self` is fixed per output, and
 * found when a line first names a command, not at every start: looking through PATH's folders cost
 * `knowledge` 178.9 M instructions under npm's PATH of 17 folders against 168.9 M under a shell's 12; now 166 M under both.
 */
export function createOutput(
  stdout: TextSink = standardOutput,
  stderr: TextSink = standardError,
  self?: string,
): Output {
  // runnableHere changes only `servicing-desk <command>`: a line without the name is its own answer.
  const here = (line: string) => {
    if (!line.includes('servicing-desk ')) return line
    self ??= selfCommand()
    return runnableHere(line, self)
  }
  return {
    // In pieces (json-text.ts): the same text as JSON.stringify(value, null, 2), never one string of all of it.
    json: (value) => {
      writeJsonText(value, (piece) => {
        stdout.write(escapeJsonControls(piece))
      })
      stdout.write('\n')
    },
    text: (line = '') => {
      stdout.write(`${escapeControls(here(line))}\n`)
    },
    note: (line) => {
      stderr.write(`${escapeControls(here(line))}\n`)
    },
  }
}
