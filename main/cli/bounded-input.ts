/**
 * Input the CLI reads whole (a file or standard input for `analyze`) is bounded at the boundary (issue 33):
 * - a file over the limit is refused from its size before a byte is read, and read into one buffer of its
 *   exact size (no chunk list, no second copy); a file that grows while read is refused at limit + 1 byte;
 * - standard input redirected from a file over the limit is refused from its size; piped, it is decoded to
 *   text as it arrives (never held whole as bytes beside the text) and refused the moment it passes the
 *   limit: reading stops, nothing more is kept. 400 MB piped in costs the limit, not 400 MB.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import type { Readable } from 'node:stream'

export class InputTooLarge extends Error {
  /** The input's size when known (a file's), else how many bytes had arrived when it was refused. */
  readonly bytes: number
  constructor(message: string, bytes: number) {
    super(message)
    this.name = 'InputTooLarge'
    this.bytes = bytes
  }
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`

/**
 * The whole file, at most `max` bytes; throws InputTooLarge (before reading when its size says so). Read
 * synchronously into one buffer of the file's size: a buffer that lives through awaits is promoted and then
 * outlives the analysis that follows (measured: +50 MB at the peak for a 50 MB file).
 */
export function readFileBounded(path: string, max: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const size = fstatSync(fd).size
    if (size > max) throw new InputTooLarge(`${path} is ${(size / 1024 / 1024).toFixed(1)} MB; at most ${mb(max)} is read.`, size)
    // One byte more than the size: a file that grew since fstat is seen, and refused past the limit.
    let buf = Buffer.allocUnsafe(Math.min(size, max) + 1)
    let n = 0
    for (;;) {
      if (n === buf.length) {
        if (n > max) throw new InputTooLarge(`${path} grew past ${mb(max)} while it was read; at most ${mb(max)} is read.`, n)
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, max + 1))
        buf.copy(bigger, 0, 0, n)
        buf = bigger
      }
      const got = readSync(fd, buf, n, buf.length - n, n)
      if (got === 0) break
      n += got
    }
    if (n > max) throw new InputTooLarge(`${path} grew past ${mb(max)} while it was read; at most ${mb(max)} is read.`, n)
    return buf.subarray(0, n)
  } finally {
    closeSync(fd)
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
      throw new InputTooLarge(`${what} is larger than ${mb(max)}; at most ${mb(max)} is analysed. Paste the part around the failure (or give a CBS.log/DISM.log file to 'diagnose --log', which streams any size).`, n + c.length)
    }
    c.copy(buf, n)
    n += c.length
  }
  return buf.subarray(0, n)
}

/**
 * Bytes → text as they arrive, never holding the bytes: the encoding is chosen from the first 512 bytes by the
 * same rules as main/analyze/normalize-text.ts (a UTF-16LE/BE or UTF-8 byte-order mark, else UTF-16LE when many
 * odd bytes are zero, else UTF-8), then each chunk is decoded in stream mode. Refuses past `max` bytes.
 */
class BoundedTextDecoder {
  private n = 0
  private head: Buffer[] = []
  private headBytes = 0
  private decoder: TextDecoder | null = null
  private readonly parts: string[] = []
  private readonly max: number
  private readonly tooLarge: (n: number) => Error
  constructor(max: number, tooLarge: (n: number) => Error) { this.max = max; this.tooLarge = tooLarge }

  push(bytes: Uint8Array): void {
    this.n += bytes.length
    if (this.n > this.max) throw this.tooLarge(this.n)
    if (this.decoder) { this.parts.push(this.decoder.decode(bytes, { stream: true })); return }
    this.head.push(Buffer.from(bytes))
    this.headBytes += bytes.length
    if (this.headBytes >= 512) this.start()
  }

  end(): string {
    if (!this.decoder) this.start()
    this.parts.push(this.decoder!.decode())
    return this.parts.join('')
  }

  private start(): void {
    const b = Buffer.concat(this.head, this.headBytes)
    this.head = []
    let skip = 0
    let enc = 'utf-8'
    if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) { enc = 'utf-16le'; skip = 2 } else if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) { enc = 'utf-16be'; skip = 2 } else if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) { skip = 3 } else if (b.length >= 4) {
      let zeros = 0
      const n = Math.min(b.length, 512)
      for (let i = 1; i < n; i += 2) if (b[i] === 0) zeros++
      if (zeros > n / 4) enc = 'utf-16le'
    }
    this.decoder = new TextDecoder(enc)
    this.parts.push(this.decoder.decode(b.subarray(skip), { stream: true }))
  }
}

/**
 * Standard input as text, at most `max` bytes: refused from its size when redirected from a file, else the
 * moment it passes the limit. Decoded chunk by chunk as it is read (64 KB at a time, one reused buffer), so
 * the bytes are never held whole beside the text (measured: 50 MB piped peaked at 327-381 MB when read as
 * bytes first, 246-259 MB in-process decoded as it arrives). A non-blocking pipe is read through `fallback`.
 */
export function readStdinTextBounded(max: number, fallback: () => Readable, fd = 0): string | Promise<string> {
  const tooLarge = (n: number) => new InputTooLarge(`Standard input is ${n > max + 1 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `larger than ${mb(max)}`}; at most ${mb(max)} is analysed. Paste the part around the failure (or give a CBS.log/DISM.log file to 'diagnose --log', which streams any size).`, n)
  const st = fstatSync(fd)
  if (st.isFile() && st.size > max) throw tooLarge(st.size)
  const text = new BoundedTextDecoder(max, (n) => tooLarge(Math.min(n, max + 1)))
  const buf = Buffer.allocUnsafe(64 * 1024)
  for (;;) {
    let got: number
    try { got = readSync(fd, buf, 0, buf.length, null) } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
        return (async () => {
          const stream = fallback()
          try { for await (const c of stream) text.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer)) } catch (e) { stream.destroy(); throw e }
          return text.end()
        })()
      }
      if (code === 'EOF') break // Windows: a closed pipe
      throw err
    }
    if (got === 0) break
    text.push(buf.subarray(0, got))
  }
  return text.end()
}
