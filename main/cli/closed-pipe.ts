/**
 * A reader that stops reading ends the command quietly: `servicing-desk knowledge | head -1`, or
 * `… | Select-Object -First 1` in PowerShell, closes the pipe after what it wanted; the next write fails with EPIPE.
 * Unhandled, that error is thrown from the stream with its stack on stderr and exit code 1. Here the process ends
 * at once with exit code 0, as a program killed by SIGPIPE would end (Node ignores SIGPIPE, so it never is): the
 * reader has what it asked for. A run that was changing a machine stops as it would if it were killed there — every
 * run is journalled to resume from any such point. A closed stderr is ignored (nowhere to say anything).
 * The same rule for the program's own writes to the descriptors (std-write.ts) and for Node's streams, which are
 * given it when they are first made: making them is left to whoever writes to them (costly, std-write.ts).
 */

/** Standard output's reader has gone: the command ends here, successfully. */
export function closedStdout(): void {
  process.exit(0)
}

/** Standard error's reader has gone: nothing more can be said there. */
export function closedStderr(): void {}

const closed = (err: NodeJS.ErrnoException) => err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED'

export function quietOnClosedPipe(): void {
  whenMade('stdout', (s) =>
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (closed(err)) closedStdout()
      else throw err
    }),
  )
  whenMade('stderr', (s) =>
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (closed(err)) closedStderr()
      else throw err
    }),
  )
}

/** Runs `f` on process[name] when it is first read (Node makes the stream then), or at once where that cannot be seen. */
function whenMade(name: 'stdout' | 'stderr', f: (s: NodeJS.WriteStream) => void): void {
  const own = Object.getOwnPropertyDescriptor(process, name)
  const get = own?.get
  if (!own || !get || !own.configurable) {
    f(process[name])
    return
  }
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: own.enumerable,
    get() {
      const stream = get.call(process) as NodeJS.WriteStream
      Object.defineProperty(process, name, own)
      f(stream)
      return stream
    },
  })
}
