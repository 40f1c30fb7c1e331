/**
 * Output helpers: `--json` prints only JSON on stdout; text goes to stdout; notes go to stderr. Every line has its
 * control characters escaped (terminal-text.ts, issue 42 §5): outside text is shown, never obeyed by the terminal.
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
 * when it is on PATH. `--json` is data for programs: it keeps the command's own name. `self` is fixed per output.
 */
export function createOutput(stdout: TextSink = standardOutput, stderr: TextSink = standardError, self: string = selfCommand()): Output {
  return {
    // In pieces (json-text.ts): the same text as JSON.stringify(value, null, 2), never one string of all of it.
    json: (value) => {
      writeJsonText(value, (piece) => { stdout.write(escapeJsonControls(piece)) })
      stdout.write('\n')
    },
    text: (line = '') => { stdout.write(escapeControls(runnableHere(line, self)) + '\n') },
    note: (line) => { stderr.write(escapeControls(runnableHere(line, self)) + '\n') },
  }
}
