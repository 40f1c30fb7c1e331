/**
 * A reader that stops reading ends the command quietly (issue 54): `servicing-desk knowledge | head -1`, or
 * `… | Select-Object -First 1` in PowerShell, closes the pipe after what it wanted; the next write fails with EPIPE.
 * Unhandled, that error is thrown from the stream with its stack on stderr and exit code 1. Here the process ends
 * at once with exit code 0, as a program killed by SIGPIPE would end (Node ignores SIGPIPE, so it never is): the
 * reader has what it asked for. A run that was changing a machine stops as it would if it were killed there — every
 * run is journalled to resume from any such point. A closed stderr is ignored (nowhere to say anything).
 */
export function quietOnClosedPipe(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr, exit: (code: number) => void = (code) => process.exit(code)): void {
  stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') { exit(0); return }
    throw err
  })
  stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return
    throw err
  })
}
