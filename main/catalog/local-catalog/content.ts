/**
 * Deterministic package bytes for the local Catalog: an AES-128-CTR keystream keyed by a seed.
 *
 * Any byte range can be produced without the bytes before it (CTR counter = offset / 16), so the server
 * answers Range requests and generates a 1 GB bench file on the fly without storing it.
 */
import { createCipheriv, createHash } from 'node:crypto'

const ZEROS = Buffer.alloc(1024 * 1024)

function keyFor(seed: string): Buffer {
  return createHash('sha256').update(`servicing-desk local catalog:${seed}`).digest().subarray(0, 16)
}

function ivFor(block: bigint): Buffer {
  const iv = Buffer.alloc(16)
  iv.writeBigUInt64BE(block & 0xffffffffffffffffn, 8)
  return iv
}

/** Yields the bytes [start, end) of the content named by `seed`, in chunks of at most `chunk` bytes (≤ 1 MiB). */
export function* contentChunks(seed: string, start: number, end: number, chunk = 64 * 1024): Generator<Buffer> {
  const CHUNK = Math.min(chunk, ZEROS.length)
  if (end <= start) return
  const cipher = createCipheriv('aes-128-ctr', keyFor(seed), ivFor(BigInt(Math.floor(start / 16))))
  let skip = start % 16
  let pos = start
  while (pos < end) {
    const want = Math.min(CHUNK, end - pos + skip)
    let out = cipher.update(ZEROS.subarray(0, want))
    if (skip) {
      out = out.subarray(skip)
      skip = 0
    }
    pos += out.length
    yield out
  }
}

/** The whole content as one buffer (small files only). */
export function contentBytes(seed: string, size: number): Buffer {
  return Buffer.concat([...contentChunks(seed, 0, size)])
}

/** SHA-1 and SHA-256 of the content, streamed. */
export function contentHashes(seed: string, size: number): { sha1: string; sha256: string } {
  const h1 = createHash('sha1')
  const h256 = createHash('sha256')
  for (const c of contentChunks(seed, 0, size)) {
    h1.update(c)
    h256.update(c)
  }
  return { sha1: h1.digest('hex'), sha256: h256.digest('hex') }
}
