import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalCatalog, type LocalCatalog, type GeneratedFile } from '../../../main/catalog/local-catalog/server.ts'
import { downloadFile, type FileToDownload } from '../../../main/download/download-file.ts'
import { manualClock } from './manual-clock.ts'
import { DownloadError } from '../../../main/download/download-errors.ts'
import { contentBytes } from '../../../main/catalog/local-catalog/content.ts'
import { MICROSOFT_POLICY } from '../../../main/catalog/download-policy.ts'

let cat: LocalCatalog
let dir: string
let big: GeneratedFile
const asFile = (g: GeneratedFile): FileToDownload => ({
  url: g.url,
  fileName: g.fileName,
  sha1: g.sha1,
  sha256: g.sha256,
})
const served = () => [...cat.stats.fileBytesServed.values()].reduce((a, b) => a + b, 0)
const opts = (extra = {}) => ({ dir, policy: cat.policy, backoffMs: 1, ...extra })

beforeAll(async () => {
  cat = await startLocalCatalog()
  big = cat.generatedFile(3 * 1024 * 1024 + 12345, 'crash-test')
})
afterAll(async () => {
  await cat.close()
})
beforeEach(async () => {
  cat.setFault(null)
  cat.resetStats()
  dir = await mkdtemp(join(tmpdir(), 'sd-dl-'))
  return () => rm(dir, { recursive: true, force: true })
})

/** A small deterministic PRNG so the 20 kill points are random but reproducible. */
function lcg(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

describe('resumable download over real HTTP', () => {
  it('killed at 20 random points and restarted each time, ends byte-identical and verified, no byte fetched twice beyond the last partial block', async () => {
    // What the server writes into a socket the client has just killed depends on how late the client's abort comes
    // (its event loop shares two cores with everything else): at load 28 it passed any bound on bytes in flight. So
    // nothing here is bounded by time: the client's own count is exact (every byte received kept, none twice), and
    // each restart's Range is checked against the partial file the kill left on disk. The server is throttled only so
    // that the kills land inside the transfer.
    cat.setFault({ kind: 'slow', bytesPerSecond: 1024 * 1024 })
    const rnd = lcg(20261121)
    const points = Array.from({ length: 20 }, () => Math.floor(rnd() * big.size)).sort((a, b) => a - b)
    const BLOCK = 64 * 1024
    let kills = 0
    let received = 0
    /** The partial file's size after each kill: what the next request must resume from. */
    const partials: number[] = []
    for (const point of points) {
      const ac = new AbortController()
      let last = 0
      const err = await downloadFile(
        asFile(big),
        opts({
          signal: ac.signal,
          attempts: 1,
          onBytesWritten: (n: number) => {
            received += n - last
            last = n
          },
          onBytesReceived: (n: number) => {
            if (n >= point) ac.abort()
          },
          onProgress: (p: { state: string; bytesDone: number }) => {
            if (p.state === 'hashing-partial') last = p.bytesDone
          },
        }),
      ).then(
        () => null,
        (e: unknown) => e,
      )
      if (err) {
        expect((err as Error).message).toBe('The download was cancelled.')
        kills++
      }
      const names = await readdir(dir)
      expect(names.some((n) => n.endsWith('.partial'))).toBe(err !== null)
      // Everything received before the kill is on disk, so the restart asks for the byte after it.
      if (err) {
        const size = (await stat(join(dir, `${big.fileName}.partial`))).size
        expect(size).toBeGreaterThanOrEqual(point)
        partials.push(size)
      }
    }
    expect(kills).toBeGreaterThanOrEqual(18)
    let last = 0
    const done = await downloadFile(
      asFile(big),
      opts({
        onProgress: (p: { state: string; bytesDone: number }) => {
          if (p.state === 'hashing-partial') last = p.bytesDone
        },
        onBytesWritten: (n: number) => {
          received += n - last
          last = n
        },
      }),
    )
    expect(done.sha1).toBe(big.sha1)
    expect(done.sha256).toBe(big.sha256)
    const bytes = await readFile(done.path)
    expect(bytes.equals(contentBytes('crash-test', big.size))).toBe(true)
    // Client side: every byte received was kept; none was received twice.
    expect(received).toBe(big.size)
    expect(served() - big.size).toBeGreaterThanOrEqual(0)
    // Every restart asked for the partial's end, less at most its last block (re-read after a kill mid-block): no
    // byte the client kept is asked for again beyond that block.
    const ranges = cat.stats.requests.filter((r) => r.range).map((r) => Number(/bytes=(\d+)-/.exec(r.range ?? '')?.[1]))
    expect(ranges.length).toBe(kills)
    ranges.forEach((start, i) => {
      expect(start, `restart ${i + 1}`).toBeLessThanOrEqual(partials[i]!)
      expect(start, `restart ${i + 1}`).toBeGreaterThanOrEqual(partials[i]! - BLOCK)
    })
    expect(await readdir(dir)).toEqual([big.fileName])
  })

  it('resumes by itself after the connection breaks mid-stream', async () => {
    cat.setFault({ kind: 'break-after', bytes: 1_000_000 })
    const done = await downloadFile(asFile(big), opts({ attempts: 10 }))
    expect(done.sha1).toBe(big.sha1)
    // Bytes the server wrote into a socket it then destroyed never arrive; at most a block per break.
    const breaks = Math.ceil(big.size / 1_000_000) - 1
    expect(served() - big.size).toBeLessThanOrEqual(breaks * 64 * 1024)
    expect(cat.stats.requests.filter((r) => r.range !== null).length).toBe(breaks)
  })

  it('reports a truncated download as transient and keeps the partial for later', async () => {
    cat.setFault({ kind: 'break-after', bytes: 500_000 })
    await expect(downloadFile(asFile(big), opts({ attempts: 1 }))).rejects.toMatchObject({ transient: true })
    // What reached the disk before the cut (bytes in a destroyed socket's buffers are lost).
    const kept = (await stat(join(dir, `${big.fileName}.partial`))).size
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThanOrEqual(500_000)
    cat.setFault(null)
    const done = await downloadFile(asFile(big), opts())
    expect(done.resumedFrom).toBe(kept)
  })

  it('starts over when the partial belongs to another file', async () => {
    await writeFile(join(dir, `${big.fileName}.partial`), Buffer.alloc(1000, 1))
    await writeFile(
      join(dir, `${big.fileName}.partial.json`),
      JSON.stringify({
        version: 1,
        sha1: 'f'.repeat(40),
        url: big.url,
        totalBytes: big.size,
        validator: null,
        updated: '',
      }),
    )
    const done = await downloadFile(asFile(big), opts())
    expect(done.resumedFrom).toBe(0)
    expect(done.sha1).toBe(big.sha1)
  })

  it('reports bytes, rate and ETA while downloading', async () => {
    // ~3 s at 1 MB/s: progress is emitted at most every 200 ms of arriving data, and the first emit has no rate yet;
    // at 4 MB/s (0.75 s) a worker starved by a loaded machine received the file in bursts and its only emit with a
    // rate was the last one, 0 s left (seen once in a fresh-clone CI run).
    cat.setFault({ kind: 'slow', bytesPerSecond: 1024 * 1024 })
    const events: Array<{ state: string; bytesPerSecond: number; etaSeconds: number | null }> = []
    await downloadFile(
      asFile(big),
      opts({ onProgress: (p: { state: string; bytesPerSecond: number; etaSeconds: number | null }) => events.push(p) }),
    )
    const mid = events.filter((e) => e.state === 'downloading' && e.bytesPerSecond > 0)
    expect(mid.length).toBeGreaterThan(0)
    expect(mid.some((e) => e.etaSeconds !== null && e.etaSeconds > 0)).toBe(true)
    expect(events.at(-1)?.state).toBe('verified')
  })
})

describe("the local Catalog's request list", () => {
  it('lists a request when it arrives, with its status once its headers are sent, not when its answer ends', async () => {
    // A slow answer whose client is done before the server is (here: the client stops at the headers). Listed only at its
    // end, a request of one test landed in the next test's list after resetStats (seen once in a fresh-clone CI run:
    // "refuses … before any request" found one request).
    cat.setFault({ kind: 'slow', bytesPerSecond: 16 * 1024 })
    const ac = new AbortController()
    const res = await fetch(big.url, { signal: ac.signal })
    expect(cat.stats.requests.map((r) => [r.path, r.status])).toEqual([[new URL(big.url).pathname, 200]])
    ac.abort()
    await res.body?.cancel().catch(() => {})
  })
})

describe('hostile and broken answers', () => {
  const small = () => cat.updates.find((u) => u.kb === 'KB5043080' && u.arch === 'x64')?.files[0]
  const fileOf = () => {
    const f = small()!
    return { url: `${cat.baseUrl}${f.path}`, fileName: f.fileName, sha1: f.sha1, sha256: f.sha256 }
  }

  it('refuses a foreign host, plain http, and the local server under the production policy, before any request', async () => {
    const f = fileOf()
    await expect(downloadFile({ ...f, url: 'https://evil.example.com/x.msu' }, opts())).rejects.toThrow(
      /not a Microsoft download host/,
    )
    await expect(downloadFile({ ...f, url: 'http://download.windowsupdate.com/x.msu' }, opts())).rejects.toThrow(
      /only over HTTPS/,
    )
    await expect(downloadFile(f, opts({ policy: MICROSOFT_POLICY }))).rejects.toThrow(/Refused http:\/\/127\.0\.0\.1/)
    expect(cat.stats.requests).toHaveLength(0)
  })

  it('refuses a redirect to another host or another loopback port', async () => {
    cat.setFault({ kind: 'foreign-redirect' })
    await expect(downloadFile(fileOf(), opts())).rejects.toMatchObject({
      code: 'refused',
      message: expect.stringMatching(/evil\.example\.com/),
    })
    cat.setFault({ kind: 'loopback-redirect', port: 1 })
    await expect(downloadFile(fileOf(), opts())).rejects.toMatchObject({ code: 'refused' })
  })

  it('refuses an oversized response and keeps nothing of it', async () => {
    cat.setFault({ kind: 'oversized-file', extraBytes: 5_000_000 })
    const f = fileOf()
    await expect(downloadFile({ ...f, sizeBytes: small()!.size }, opts())).rejects.toMatchObject({ code: 'too-large' })
    expect(await readdir(dir)).toEqual([])
  })

  it('never marks wrong bytes as verified (one fresh retry, then a clear error)', async () => {
    cat.setFault({ kind: 'wrong-bytes' })
    const err = await downloadFile(fileOf(), opts()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DownloadError)
    expect(err).toMatchObject({
      code: 'hash-mismatch',
      message: expect.stringMatching(/failed verification: SHA-1 is/),
    })
    expect(await readdir(dir)).toEqual([])
    expect(served()).toBe(2 * small()!.size)
  })

  it('checks SHA-256 too, and the name against the digest', async () => {
    const f = fileOf()
    await expect(downloadFile({ ...f, sha256: '0'.repeat(64) }, opts())).rejects.toThrow(/SHA-256 is/)
    await expect(downloadFile({ ...f, sha1: '0'.repeat(40) }, opts())).rejects.toThrow(
      /differs from the one in the file name/,
    )
  })

  it('refuses file names that are paths', async () => {
    await expect(downloadFile({ ...fileOf(), fileName: '../../etc/passwd' }, opts())).rejects.toMatchObject({
      code: 'bad-input',
    })
  })

  it('checks free space first', async () => {
    await expect(downloadFile(fileOf(), opts({ freeBytes: async () => 1000 }))).rejects.toMatchObject({
      code: 'no-space',
    })
    expect(await readdir(dir)).toEqual([])
  })
})

describe('a durable download (what kits get)', () => {
  it('is flushed and fsynced, and ends the same verified file', async () => {
    const done = await downloadFile(asFile(big), opts({ durable: true }))
    expect(done.sha1).toBe(big.sha1)
    expect((await readFile(done.path)).equals(contentBytes('crash-test', big.size))).toBe(true)
  })
})

describe('a file already downloaded', () => {
  it('is verified from disk and not fetched again; a damaged one is fetched again', async () => {
    const first = await downloadFile(asFile(big), opts())
    cat.resetStats()
    const again = await downloadFile(asFile(big), opts())
    expect(again.path).toBe(first.path)
    expect(cat.stats.requests).toHaveLength(0)
    await writeFile(first.path, 'damaged')
    const fixed = await downloadFile(asFile(big), opts())
    expect(fixed.sha1).toBe(big.sha1)
    expect(served()).toBe(big.size)
  })
})

describe('resume validators', () => {
  it('starts over from byte 0 when the server says the partial is stale (If-Range no longer matches)', async () => {
    cat.setFault({ kind: 'break-after', bytes: 400_000 })
    await expect(downloadFile(asFile(big), opts({ attempts: 1 }))).rejects.toMatchObject({ transient: true })
    const statePath = join(dir, `${big.fileName}.partial.json`)
    const state = JSON.parse(await readFile(statePath, 'utf8'))
    await writeFile(statePath, JSON.stringify({ ...state, validator: '"stale"' }))
    cat.setFault(null)
    cat.resetStats()
    const done = await downloadFile(asFile(big), opts())
    expect(done.sha1).toBe(big.sha1)
    expect(done.resumedFrom).toBe(0)
    expect(cat.stats.requests.map((r) => r.status)).toEqual([200, 200])
  })
})

describe('a server that stalls', () => {
  it('is given up after the idle timeout, as a transient error that keeps the partial', async () => {
    // 64 KB, then silence with the connection open: only the idle timeout ends it. On a clock the test moves once the
    // first bytes came (on the wall clock, at a load of 17 a 300 ms timeout fired before them and nothing was kept).
    cat.setFault({ kind: 'stall-after', bytes: 64 * 1024 })
    const clock = manualClock()
    const running = downloadFile(asFile(big), opts({ attempts: 1, timeoutMs: 2000, idleClock: clock }))
    const failed = expect(running).rejects.toMatchObject({
      code: 'network',
      transient: true,
      message: expect.stringMatching(/No data for 2 s/),
    })
    await clock.readings(2)
    clock.advance(2001)
    await failed
    expect((await stat(join(dir, `${big.fileName}.partial`))).size).toBeGreaterThan(0)
  })
})
