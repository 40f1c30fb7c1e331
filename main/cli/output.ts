/** Output helpers: `--json` prints only JSON on stdout; text goes to stdout; notes go to stderr. */
import { runnableHere, runnableInJson, selfCommand } from './self-command.ts'

export interface Output {
  json(value: unknown): void
  text(line?: string): void
  note(line: string): void
}

/**
 * Every `servicing-desk <command>` printed is written as it runs here (self-command.ts): the name itself only when it
 * is on PATH. `self` is fixed per output (tests pass one).
 */
export function createOutput(stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr, self: string = selfCommand()): Output {
  return {
    json: (value) => { stdout.write(JSON.stringify(runnableInJson(value, self), null, 2) + '\n') },
    text: (line = '') => { stdout.write(runnableHere(line, self) + '\n') },
    note: (line) => { stderr.write(runnableHere(line, self) + '\n') },
  }
}
