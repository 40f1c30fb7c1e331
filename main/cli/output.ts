/** Output helpers: `--json` prints only JSON on stdout; text goes to stdout; notes go to stderr. */
export interface Output {
  json(value: unknown): void
  text(line?: string): void
  note(line: string): void
}

export function createOutput(stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Output {
  return {
    json: (value) => { stdout.write(JSON.stringify(value, null, 2) + '\n') },
    text: (line = '') => { stdout.write(line + '\n') },
    note: (line) => { stderr.write(line + '\n') },
  }
}
