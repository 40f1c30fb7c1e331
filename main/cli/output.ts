/**
 * Output helpers: `--json` prints only JSON on stdout; text goes to stdout; notes go to stderr. Every line has its
 * control characters escaped (terminal-text.ts, issue 42 §5): outside text is shown, never obeyed by the terminal.
 */
import { escapeControls, escapeJsonControls } from './terminal-text.ts'

export interface Output {
  json(value: unknown): void
  text(line?: string): void
  note(line: string): void
}

export function createOutput(stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Output {
  return {
    json: (value) => { stdout.write(escapeJsonControls(JSON.stringify(value, null, 2)) + '\n') },
    text: (line = '') => { stdout.write(escapeControls(line) + '\n') },
    note: (line) => { stderr.write(escapeControls(line) + '\n') },
  }
}
