/**
 * SHA-1 and SHA-256 of a stream of chunks, updated as bytes arrive.
 *
 * Node's Hash objects cannot be saved, so a resumed download re-hashes the bytes already in the
 * partial file first (one sequential read; far cheaper than downloading them again).
 */
import { createHash, type Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'

export class FileHashes {
  private readonly sha1 = createHash('sha1')
  private readonly sha256 = createHash('sha256')
  bytes = 0

  update(chunk: Uint8Array): void {
    this.sha1.update(chunk)
    this.sha256.update(chunk)
    this.bytes += chunk.byteLength
  }

  digest(): { sha1: string; sha256: string; bytes: number } {
    return { sha1: this.sha1.digest('hex'), sha256: this.sha256.digest('hex'), bytes: this.bytes }
  }
}

/** Hashes the first `length` bytes of a file into `hashes`. */
export async function hashFilePrefix(path: string, length: number, hashes: FileHashes, signal?: AbortSignal): Promise<void> {
  if (length === 0) return
  const stream = createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1024 * 1024, signal })
  for await (const chunk of stream) hashes.update(chunk as Buffer)
  if (hashes.bytes !== length) throw new Error(`Could read only ${hashes.bytes} of ${length} bytes of ${path}.`)
}

/** SHA-1 and SHA-256 of a whole file. */
export async function hashFile(path: string, signal?: AbortSignal): Promise<{ sha1: string; sha256: string; bytes: number }> {
  const h = new FileHashes()
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, signal })
  for await (const chunk of stream) h.update(chunk as Buffer)
  return h.digest()
}

export type { Hash }
