/**
 * SHA-1 and SHA-256 of a stream of chunks, updated as bytes arrive, and of whole files (a file already
 * in the cache or a kit is re-verified from disk). Downloads hash on a worker thread: hashing-writer.ts.
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

/** SHA-1 and SHA-256 of a whole file. */
export async function hashFile(
  path: string,
  signal?: AbortSignal,
): Promise<{ sha1: string; sha256: string; bytes: number }> {
  const h = new FileHashes()
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, signal })
  for await (const chunk of stream) h.update(chunk as Buffer)
  return h.digest()
}

export type { Hash }
