/** An error the CLI reports plainly on stderr with a non-zero exit code (no stack trace). */
export class CliError extends Error {
  readonly exitCode: number
  constructor(message: string, exitCode = 2) {
    super(message)
    this.name = 'CliError'
    this.exitCode = exitCode
  }
}
