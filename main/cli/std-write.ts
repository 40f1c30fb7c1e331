/**
 * Where the CLI's standard output and error go. In the `servicing-desk` program (bin.ts calls writeToDescriptors) on
 * POSIX: straight to file descriptors 1 and 2 with fs.writeSync, never through process.stdout / process.stderr, whose
 * making costs a start ~45 M instructions (measured under valgrind: a third of all of `node -e 0`, loading Node's
 * net, stream and tty modules). Nothing is lost by it there: Node's own writes to a file, a pipe or a terminal are
 * synchronous on Linux too, and every write here is whole before the next (a reader that reads slowly blocks it).
 * A reader that closed the pipe ends the command as closed-pipe.ts says (exit 0, or a closed stderr ignored). A
 * descriptor left non-blocking by another program (EAGAIN) hands the rest, and every later write, to Node's stream,
 * which waits for the reader. On Windows the streams stay: the console takes UTF-16, which process.stdout converts to.
 * Elsewhere (the tests that run the program in their own process, the app) the streams are used, as before.
 */
import { closedStderr, closedStdout } from './closed-pipe.ts'

/** What createOutput and commander write to: the part of a writable stream they use. */
export interface TextSink {
  write(text: string): unknown
}

let direct = false

/** Called once by the program (bin.ts): on POSIX, standard output and error are written to their descriptors. */
export function writeToDescriptors(): void {
  direct = process.platform !== 'win32'
}

function descriptorSink(fd: 1 | 2, stream: () => NodeJS.WriteStream, closed: () => void): TextSink {
  let fs: typeof import('node:fs') | undefined
  let viaStream = false
  let gone = false
  return {
    write(text: string) {
      if (!direct || viaStream) return stream().write(text)
      if (gone) return true
      fs ??= process.getBuiltinModule('node:fs')
      const bytes = Buffer.from(text, 'utf8')
      let at = 0
      while (at < bytes.length) {
        try {
          at += fs.writeSync(fd, bytes, at, bytes.length - at)
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code
          if (code === 'EAGAIN') {
            viaStream = true
            return stream().write(bytes.subarray(at))
          }
          if (code === 'EPIPE') {
            gone = true
            closed()
            return true
          }
          throw err
        }
      }
      return true
    },
  }
}

/** Standard output: the descriptor in the program on POSIX, else process.stdout (read only when written to). */
export const standardOutput: TextSink = descriptorSink(1, () => process.stdout, closedStdout)
/** Standard error, likewise. */
export const standardError: TextSink = descriptorSink(2, () => process.stderr, closedStderr)
