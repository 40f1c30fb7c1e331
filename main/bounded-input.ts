/**
 * Input the CLI reads whole (a file or standard input for `analyze`) is bounded at the boundary:
 * - a file over the limit is refused from its size before a byte is read, and read into one buffer of its
 *   exact size (no chunk list, no second copy); a file that grows while read is refused at limit + 1 byte;
 * - standard input redirected from a file over the limit is refused from its size; piped, it is read into one
 *   buffer of the limit (reserved, touched only as bytes arrive) and refused the moment it passes the limit:
 *   reading stops, nothing more is kept. 400 MB piped in costs the limit, not 400 MB.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { AppError } from './errors.ts'

export class InputTooLarge extends Error {
  /** The input's size when known (a file's), else how many bytes had arrived when it was refused. */
  readonly bytes: number
  constructor(message: string, bytes: number) {
    super(message)
    this.name = 'InputTooLarge'
    this.bytes = bytes
  }
}

/** The most a small file a person hands over (a plan, collector lines, a kit's manifest) may hold: 16 MB. */
export const SMALL_INPUT_MAX = 16 * 1024 * 1024
/** The most a snapshot file (the collector's zip, or `scan --out FILE.json`) may hold: 64 MB. */
export const SNAPSHOT_INPUT_MAX = 64 * 1024 * 1024

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`

/**
 * The whole file, at most `max` bytes; throws InputTooLarge (before reading when its size says so). Read
 * synchronously into one buffer of the file's size: a buffer that lives through awaits is promoted and then
 * outlives the analysis that follows (measured: +50 MB at the peak for a 50 MB file).
 */
export function readFileBounded(path: string, max: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const st = fstatSync(fd)
    // A device (`/dev/zero`, a disk) has no size to check and may never end: it is no file a person hands over.
    if (st.isCharacterDevice() || st.isBlockDevice() || st.isDirectory() || st.isSocket())
      throw new InputTooLarge(
        `${path} is not a file${st.isDirectory() ? ' (it is a folder)' : ' (it is a device)'}; nothing was read.`,
        0,
      )
    const size = st.size
    if (size > max)
      throw new InputTooLarge(`${path} is ${(size / 1024 / 1024).toFixed(1)} MB; at most ${mb(max)} is read.`, size)
    // One byte more than the size: a file that grew since fstat is seen, and refused past the limit.
    let buf = Buffer.allocUnsafe(Math.min(size, max) + 1)
    let n = 0
    for (;;) {
      if (n === buf.length) {
        if (n > max)
          throw new InputTooLarge(`${path} grew past ${mb(max)} while it was read; at most ${mb(max)} is read.`, n)
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, max + 1))
        buf.copy(bigger, 0, 0, n)
        buf = bigger
      }
      const got = readSync(fd, buf, n, buf.length - n, n)
      if (got === 0) break
      n += got
    }
    if (n > max)
      throw new InputTooLarge(`${path} grew past ${mb(max)} while it was read; at most ${mb(max)} is read.`, n)
    return buf.subarray(0, n)
  } finally {
    closeSync(fd)
  }
}

/**
 * A file a person names on the command line or in a dialog (a snapshot, a plan, a collector line, a kit's manifest),
 * bounded: its size is read first and a file over `max` is refused before a byte is read; a device is
 * refused; a file that grows while read is refused at max + 1 byte. `what` names it in the message.
 */
export function readInputFile(path: string, max: number, what: string): Buffer {
  try {
    return readFileBounded(path, max)
  } catch (err) {
    if (err instanceof InputTooLarge) throw new InputTooLarge(`${what} ${err.message}`, err.bytes)
    throw err
  }
}

/**
 * A snapshot-sized file a person opens (a snapshot, a collector file), as readInputFile reads it, with its refusal worded
 * for the app: too large or a device is invalid input, a file that cannot be read is not found, naming its `what`
 * (`snapshot` → "The snapshot file …", "Cannot read the snapshot file '…': ENOENT.").
 */
export function readInputOrRefuse(path: string, what: string): Buffer {
  try {
    return readInputFile(path, SNAPSHOT_INPUT_MAX, `The ${what} file`)
  } catch (err) {
    if (err instanceof InputTooLarge) throw new AppError('invalid-input', err.message)
    throw new AppError(
      'not-found',
      `Cannot read the ${what} file '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`,
    )
  }
}

/** A stream (standard input) read whole, at most `max` bytes; past that it is destroyed and InputTooLarge thrown. */
export async function readStreamBounded(stream: Readable, max: number, what = 'Standard input'): Promise<Buffer> {
  // Reserved, not touched: an untouched page of allocUnsafe costs no memory until a byte is copied into it.
  const buf = Buffer.allocUnsafe(max)
  let n = 0
  for await (const chunk of stream) {
    const c = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    if (n + c.length > max) {
      stream.destroy()
      throw new InputTooLarge(
        `${what} is larger than ${mb(max)}; at most ${mb(max)} is analysed. Paste the part around the failure (or give a CBS.log/DISM.log file to 'diagnose --log', which streams any size).`,
        n + c.length,
      )
    }
    c.copy(buf, n)
    n += c.length
  }
  return buf.subarray(0, n)
}

/**
 * Standard input's bytes, at most `max`: refused from its size when redirected from a file, else the moment it
 * passes the limit (reading stops there). Read synchronously, 64 KB at a time, straight into one buffer of the
 * limit: reserved, not touched (an untouched page of allocUnsafe costs no memory), so 50 MB piped cost 50 MB and
 * are decoded once by the caller, exactly as a file's bytes are. Decoding piece by piece as the bytes arrived
 * kept ~800 64 KB strings beside their joined copy; they outlived the read in the old generation and were still
 * there at the analysis' peak (measured: 50 MB piped peaked at 302-305 MB that way, as a file at 235-238 MB).
 * A non-blocking pipe is read through `fallback`, into the same buffer.
 */
export function readStdinBounded(max: number, fallback: () => Readable, fd = 0): Buffer | Promise<Buffer> {
  const tooLarge = (n: number) =>
    new InputTooLarge(
      `Standard input is ${n > max + 1 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `larger than ${mb(max)}`}; at most ${mb(max)} is analysed. Paste the part around the failure (or give a CBS.log/DISM.log file to 'diagnose --log', which streams any size).`,
      n,
    )
  const st = fstatSync(fd)
  if (st.isFile() && st.size > max) throw tooLarge(st.size)
  // One byte past the limit: input that fills it is larger than the limit.
  const buf = Buffer.allocUnsafe(max + 1)
  let n = 0
  for (;;) {
    let got: number
    try {
      got = readSync(fd, buf, n, Math.min(64 * 1024, buf.length - n), null)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return readRest(fallback(), buf, n, max, tooLarge)
      if (code === 'EOF') break // Windows: a closed pipe
      throw err
    }
    if (got === 0) break
    n += got
    if (n > max) throw tooLarge(max + 1)
  }
  return buf.subarray(0, n)
}

async function readRest(
  stream: Readable,
  buf: Buffer,
  n: number,
  max: number,
  tooLarge: (n: number) => Error,
): Promise<Buffer> {
  for await (const chunk of stream) {
    const c = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    if (n + c.length > max) {
      stream.destroy()
      throw tooLarge(max + 1)
    }
    c.copy(buf, n)
    n += c.length
  }
  return buf.subarray(0, n)
}
