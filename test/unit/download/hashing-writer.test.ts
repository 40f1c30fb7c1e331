import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHash, randomBytes } from 'node:crypto'
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { constants } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HashingWriter } from '../../../main/download/hashing-writer.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sd-hw-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const digests = (b: Buffer) => ({
  sha1: createHash('sha1').update(b).digest('hex'),
  sha256: createHash('sha256').update(b).digest('hex'),
})

/** Splits `data` into chunks of awkward sizes (1 byte to a bit over a batch). */
function* chunks(data: Buffer, batch: number): Generator<Buffer> {
  const sizes = [1, 7, batch - 1, batch, batch + 1, 3 * batch + 5, 4096]
  let at = 0
  for (let i = 0; at < data.length; i++) {
    const n = Math.min(sizes[i % sizes.length], data.length - at)
    yield data.subarray(at, at + n)
    at += n
  }
}

describe('HashingWriter (worker thread hashes and writes)', () => {
  it('writes exactly the bytes pushed, in order, and digests them, across batch boundaries', async () => {
    const data = randomBytes(300_001)
    const path = join(dir, 'a.partial')
    const seen: number[] = []
    const w = await HashingWriter.open(path, {
      prefixBytes: 0,
      batchBytes: 4096,
      maxInFlightBytes: 16 * 1024,
      onWritten: (n) => seen.push(n),
    })
    for (const c of chunks(data, 4096)) await w.push(c)
    const got = await w.finish({ sync: true })
    expect(got).toMatchObject({ ...digests(data), bytes: data.length })
    expect((await readFile(path)).equals(data)).toBe(true)
    expect(w.written).toBe(data.length)
    // Reported lengths only grow and end at the file's length.
    expect(seen.every((n, i) => i === 0 || n > seen[i - 1])).toBe(true)
    expect(seen.at(-1)).toBe(data.length)
  })

  it('copies each chunk: the caller may reuse its buffer at once', async () => {
    const path = join(dir, 'reuse.partial')
    const w = await HashingWriter.open(path, { prefixBytes: 0, batchBytes: 1024 })
    const scratch = Buffer.alloc(700)
    const expected: Buffer[] = []
    for (let i = 0; i < 50; i++) {
      scratch.fill(i)
      expected.push(Buffer.from(scratch))
      await w.push(scratch)
    }
    const all = Buffer.concat(expected)
    expect((await w.finish({ sync: false })).sha1).toBe(digests(all).sha1)
    expect((await readFile(path)).equals(all)).toBe(true)
  })

  it('resumes: re-hashes the partial already on disk and appends after it', async () => {
    const data = randomBytes(200_000)
    const path = join(dir, 'b.partial')
    await writeFile(path, data.subarray(0, 123_457))
    const w = await HashingWriter.open(path, { prefixBytes: 123_457, batchBytes: 8192 })
    expect(w.written).toBe(123_457)
    for (const c of chunks(data.subarray(123_457), 8192)) await w.push(c)
    expect(await w.finish({ sync: false })).toMatchObject({ ...digests(data), bytes: data.length })
    expect((await readFile(path)).equals(data)).toBe(true)
  })

  it('a partial shorter than claimed is an error, not a wrong digest', async () => {
    const path = join(dir, 'short.partial')
    await writeFile(path, Buffer.alloc(1000))
    await expect(HashingWriter.open(path, { prefixBytes: 5000 })).rejects.toThrow(/Could read only 1000 of 5000 bytes/)
  })

  it('close() writes everything pushed (nothing received is lost on a cancel) and gives no digest', async () => {
    const data = randomBytes(50_000)
    const path = join(dir, 'c.partial')
    const w = await HashingWriter.open(path, { prefixBytes: 0, batchBytes: 65536 })
    void w.push(data) // less than one batch: still only in memory
    expect(w.written).toBe(0)
    await w.close()
    expect((await readFile(path)).equals(data)).toBe(true)
    expect(w.written).toBe(data.length)
    await w.close() // twice is harmless
  })

  it('holds the sender back when the disk is behind (bounded memory)', async () => {
    const path = join(dir, 'd.partial')
    const w = await HashingWriter.open(path, { prefixBytes: 0, batchBytes: 1024, maxInFlightBytes: 4096 })
    let waited = 0
    const block = Buffer.alloc(1024, 1)
    for (let i = 0; i < 200; i++) {
      const p = w.push(block)
      if (p) {
        waited++
        await p
      }
      expect(w.pushed - w.written).toBeLessThanOrEqual(4096 + 2 * 1024)
    }
    await w.finish({ sync: false })
    expect(waited).toBeGreaterThan(0)
    expect((await stat(path)).size).toBe(200 * 1024)
  })

  it('a folder that cannot be written is a clear error with its code', async () => {
    await expect(HashingWriter.open(join(dir, 'missing', 'e.partial'), { prefixBytes: 0 })).rejects.toMatchObject({
      code: 'ENOENT',
    })
    if (process.getuid?.() !== 0) {
      const ro = join(dir, 'ro')
      await writeFile(ro, '')
      await chmod(ro, 0o444)
      await expect(HashingWriter.open(ro, { prefixBytes: 0 })).rejects.toMatchObject({ code: 'EACCES' })
    }
  })

  it('a cancel during the re-hash of a large partial ends it at once', async () => {
    const path = join(dir, 'big.partial')
    await writeFile(path, Buffer.alloc(64 * 1024 * 1024))
    const ac = new AbortController()
    const opening = HashingWriter.open(path, { prefixBytes: 64 * 1024 * 1024 }, ac.signal)
    ac.abort(new Error('cancelled by the user'))
    await expect(opening).rejects.toThrow('cancelled by the user')
  })
})

describe('HashingWriter on a partial longer than its prefix', () => {
  it('cuts it to the prefix before appending (what follows the prefix is exactly what was pushed)', async () => {
    const path = join(dir, 'long.partial')
    await writeFile(path, Buffer.alloc(5000, 7))
    const w = await HashingWriter.open(path, { prefixBytes: 3000 })
    await w.push(Buffer.alloc(10, 9))
    const got = await w.finish({ sync: false })
    const expected = Buffer.concat([Buffer.alloc(3000, 7), Buffer.alloc(10, 9)])
    expect((await readFile(path)).equals(expected)).toBe(true)
    expect(got.sha1).toBe(digests(expected).sha1)
  })
})

describe('HashingWriter when its worker dies', () => {
  it('reports it on the next push and close() does not hang', async () => {
    const path = join(dir, 'dies.partial')
    const w = await HashingWriter.open(path, { prefixBytes: 0, batchBytes: 1024 })
    await w.push(Buffer.alloc(4096, 1))
    // terminate() resolves in its own 'exit' listener, which runs after the writer's (added when it opened): the
    // writer knows its worker is gone by then, without waiting any time.
    await (w as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate()
    expect(() => w.push(Buffer.alloc(10))).toThrow(/hashing worker stopped/)
    await expect(w.close()).rejects.toThrow(/hashing worker stopped/)
    await expect(w.finish({ sync: false })).rejects.toThrow(/hashing worker stopped/)
  })
})

describe('HashingWriter flushing as it goes', () => {
  it('flushes in the background every N bytes and still ends with the exact bytes and digests', async () => {
    const data = randomBytes(256 * 1024 + 3)
    const path = join(dir, 'flush.partial')
    const w = await HashingWriter.open(path, { prefixBytes: 0, batchBytes: 8192, flushEveryBytes: 16 * 1024 })
    for (const c of chunks(data, 8192)) await w.push(c)
    expect(await w.finish({ sync: true })).toMatchObject({ ...digests(data), bytes: data.length })
    expect((await readFile(path)).equals(data)).toBe(true)
  })
})

describe('HashingWriter past the page cache (O_DIRECT, Linux)', () => {
  const oDirect = (constants as { O_DIRECT?: number }).O_DIRECT
  // Every test below checks the bytes on disk, so a write at the wrong place or of the wrong memory shows.
  it('writes whole blocks directly and the rest through the page cache: the file is exactly the bytes pushed', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 777)
    const path = join(dir, 'direct.partial')
    const w = await HashingWriter.open(path, { prefixBytes: 0, batchBytes: 256 * 1024, maxInFlightBytes: 512 * 1024 })
    for (const c of chunks(data, 256 * 1024)) {
      const p = w.push(c)
      if (p) await p
    }
    const got = await w.finish({ sync: true })
    expect(got).toMatchObject({ ...digests(data), bytes: data.length })
    expect((await readFile(path)).equals(data)).toBe(true)
    if (process.platform === 'linux' && oDirect && w.direct) {
      // All but the last 777 bytes are whole blocks at whole-block positions.
      expect(got.directBytes).toBe(data.length - 777)
    } else {
      expect(got.directBytes).toBe(0)
    }
    if (process.platform === 'linux') expect(w.direct).toBe(true)
  })

  it('resumes an odd-length partial: the first batch ends on a block boundary, so the rest still goes direct', async () => {
    const data = randomBytes(2 * 1024 * 1024 + 12_345)
    const prefix = 123_457 // not a multiple of 4096
    const path = join(dir, 'odd.partial')
    await writeFile(path, data.subarray(0, prefix))
    const w = await HashingWriter.open(path, { prefixBytes: prefix, batchBytes: 64 * 1024 })
    for (const c of chunks(data.subarray(prefix), 64 * 1024)) {
      const p = w.push(c)
      if (p) await p
    }
    const got = await w.finish({ sync: false })
    expect(got).toMatchObject({ ...digests(data), bytes: data.length })
    expect((await readFile(path)).equals(data)).toBe(true)
    if (w.direct) {
      // The first batch (from the prefix to the next 64 KiB-long, block-ending boundary) goes through the
      // page cache; every later batch starts on a block, so all but the last bytes go direct.
      const firstBatchEnd = prefix - (prefix % 4096) + 64 * 1024
      expect(got.directBytes).toBe(Math.floor((data.length - firstBatchEnd) / 4096) * 4096)
    }
    if (process.platform === 'linux') expect(w.direct).toBe(true)
  })

  it('direct: false writes everything through the page cache', async () => {
    const data = randomBytes(1024 * 1024)
    const path = join(dir, 'buffered.partial')
    const w = await HashingWriter.open(path, { prefixBytes: 0, batchBytes: 64 * 1024, direct: false })
    await w.push(data)
    const got = await w.finish({ sync: false })
    expect(w.direct).toBe(false)
    expect(got.directBytes).toBe(0)
    expect((await readFile(path)).equals(data)).toBe(true)
  })

  it('a chunk larger than every slot together is kept whole (held back, written in order) and the sender waits', async () => {
    const data = randomBytes(100 * 1024 + 5)
    const path = join(dir, 'spill.partial')
    const w = await HashingWriter.open(path, { prefixBytes: 0, batchBytes: 4096, maxInFlightBytes: 8192 })
    const wait = w.push(data)
    expect(wait).toBeInstanceOf(Promise)
    await wait
    // After the wait, everything pushed is handed over and no more than the bound is still in memory.
    expect(w.pushed - w.written).toBeLessThanOrEqual(8192 + 4096)
    await w.push(Buffer.from('tail'))
    const all = Buffer.concat([data, Buffer.from('tail')])
    expect(await w.finish({ sync: false })).toMatchObject({ ...digests(all), bytes: all.length })
    expect((await readFile(path)).equals(all)).toBe(true)
  })

  it('close() writes what is still held back when every slot was busy', async () => {
    const data = randomBytes(64 * 1024 + 3)
    const path = join(dir, 'spill-close.partial')
    const w = await HashingWriter.open(path, { prefixBytes: 0, batchBytes: 4096, maxInFlightBytes: 4096 })
    void w.push(data)
    await w.close()
    expect((await readFile(path)).equals(data)).toBe(true)
    expect(w.written).toBe(data.length)
  })
})
