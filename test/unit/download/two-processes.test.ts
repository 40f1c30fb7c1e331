/**
 * Two Servicing Desk processes (the app and the CLI, or two app windows' processes) fetching the same update into one
 * data folder share one download: the first fetches, the second says it waits for the first (with the first's
 * progress, read from its partial file) and then uses the verified copy. Real child processes against the local
 * Catalog on 127.0.0.1; before, the second raced the first over the same `.partial` file and one of them ended with
 * a raw `ENOENT: no such file or directory, rename '<data folder>/downloads/partial/….partial' -> …`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalCatalog, type LocalCatalog, type GeneratedFile } from '../../../main/catalog/local-catalog/server.ts'
import type { DownloadProgress, VerifiedFile } from '../../../preload/model/catalog.ts'
import { tryLockFile } from '../../../main/lock-file.ts'
import { downloadSet } from '../../../main/download/download-set.ts'
import { DownloadCache } from '../../../main/download/download-cache.ts'
import { unavailableSignatureChecker } from '../../../main/download/signature.ts'
import { hangMs } from '../../load.ts'

const MiB = 1024 * 1024
let cat: LocalCatalog
let root: string
let big: GeneratedFile

interface ChildResult {
  code: number | null
  progress: DownloadProgress[]
  result: VerifiedFile[] | null
  error: { message: string } | null
  stderr: string
}

beforeAll(async () => {
  cat = await startLocalCatalog()
})
afterAll(async () => {
  await cat.close()
})
beforeEach(async () => {
  cat.setFault(null)
  cat.resetStats()
  root = await mkdtemp(join(tmpdir(), 'sd-two-processes-'))
  return () => rm(root, { recursive: true, force: true })
})

const served = () => [...cat.stats.fileBytesServed.values()].reduce((a, b) => a + b, 0)

/** Starts a child that fetches `big` into the cache at `root`; `onLine` sees each progress report as it comes. */
function child(onProgress?: (p: DownloadProgress) => void): { pid: number; done: Promise<ChildResult> } {
  const file = { url: big.url, fileName: big.fileName, sha1: big.sha1, sha256: big.sha256, sizeBytes: big.size }
  const p = spawn(
    process.execPath,
    ['test/unit/download/share-child.ts', JSON.stringify({ files: [file], root, origin: cat.baseUrl })],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const out: ChildResult = { code: null, progress: [], result: null, error: null, stderr: '' }
  let buf = ''
  p.stdout.on('data', (d: Buffer) => {
    buf += d.toString('utf8')
    const lines = buf.split('\n')
    buf = lines.pop() ?? ''
    for (const l of lines) {
      const o = JSON.parse(l) as { progress?: DownloadProgress; result?: VerifiedFile[]; error?: { message: string } }
      if (o.progress) {
        out.progress.push(o.progress)
        onProgress?.(o.progress)
      }
      if (o.result) out.result = o.result
      if (o.error) out.error = o.error
    }
  })
  p.stderr.on('data', (d: Buffer) => {
    out.stderr += d.toString('utf8')
  })
  const done = new Promise<ChildResult>((resolve, reject) => {
    const t = setTimeout(() => p.kill('SIGKILL'), hangMs(90_000))
    p.on('error', reject)
    p.on('close', (code) => {
      clearTimeout(t)
      out.code = code
      resolve(out)
    })
  })
  return { pid: p.pid!, done }
}

describe('two processes fetching the same file into one data folder', () => {
  it("share one download: the one that starts second waits, saying so with the first's progress, then uses the verified copy", {
    timeout: hangMs(120_000),
  }, async () => {
    big = cat.generatedFile(12 * MiB + 777, 'two-processes')
    // Slow enough that both are at it at once: two windows asked for the same update at the same moment.
    cat.setFault({ kind: 'slow', bytesPerSecond: 4 * MiB })
    const one = child()
    const two = child()
    const results = await Promise.all([one.done, two.done])
    for (const r of results) expect(r.error, r.stderr).toBeNull()
    expect(results.map((r) => r.code)).toEqual([0, 0])
    // One download: the bytes were served once, and both name the same verified file in the cache.
    expect(served()).toBe(big.size)
    const fetcher = results.findIndex((r) => r.result?.[0].fromCache === false)
    expect(fetcher).toBeGreaterThanOrEqual(0)
    const [a, b] = [results[fetcher], results[1 - fetcher]]
    expect(a.result![0]).toMatchObject({ sha1: big.sha1, sha256: big.sha256 })
    expect(b.result![0]).toMatchObject({
      sha1: big.sha1,
      sha256: big.sha256,
      fromCache: true,
      path: a.result![0].path,
    })
    // The other said it waits, for whom, with progress read from the first's partial file.
    const waiting = b.progress.filter((p) => p.state === 'waiting')
    expect(waiting.length).toBeGreaterThan(0)
    expect(waiting[0].detail).toBe(
      `Another Servicing Desk (process ${[one, two][fetcher].pid}) is downloading this file: waiting for it, then using its verified copy.`,
    )
    expect(waiting.some((p) => p.bytesDone > 0 && p.bytesTotal === big.size)).toBe(true)
    // Nothing is left behind: no partial, no lock.
    expect(await readdir(join(root, 'partial'))).toEqual([])
  })

  it('take over the lock of a download whose process died', { timeout: hangMs(60_000) }, async () => {
    big = cat.generatedFile(3 * MiB + 5, 'two-processes-dead')
    // A lock left by a process that is gone, and the 1 MiB it had received.
    const dead = spawn(process.execPath, ['-e', '0'])
    const deadPid = await new Promise<number>((ok) => dead.on('close', () => ok(dead.pid!)))
    await mkdir(join(root, 'partial'), { recursive: true })
    await writeFile(
      join(root, 'partial', `${big.fileName}.lock`),
      JSON.stringify({ pid: deadPid, hostname: hostname(), startedAt: '2026-11-27T06:00:00.000Z' }),
    )
    const r = await child().done
    expect(r.error, r.stderr).toBeNull()
    expect(r.result![0]).toMatchObject({ sha1: big.sha1, fromCache: false })
    expect(r.progress.some((p) => p.state === 'waiting')).toBe(false)
    expect(await readdir(join(root, 'partial'))).toEqual([])
    expect((await stat(r.result![0].path)).size).toBe(big.size)
    expect(await readFile(r.result![0].path).then((b) => b.length)).toBe(big.size)
  })

  it("a wait for another process can be cancelled: it ends at once as cancelled, the other one's lock untouched", async () => {
    big = cat.generatedFile(64 * 1024, 'two-processes-cancel')
    const cache = new DownloadCache(root)
    const held = tryLockFile(cache.lockFileOf(big.fileName), 'test')
    if (!('lock' in held)) throw new Error('the lock should be free')
    const ctl = new AbortController()
    const states: string[] = []
    const run = downloadSet(
      [{ url: big.url, fileName: big.fileName, sha1: big.sha1, sha256: big.sha256, sizeBytes: big.size }],
      {
        cache,
        policy: cat.policy,
        signatures: unavailableSignatureChecker('test'),
        signal: ctl.signal,
        waitPollMs: 20,
        onProgress: (p) => {
          states.push(p.state)
          if (states.filter((x) => x === 'waiting').length === 30) ctl.abort()
        },
      },
    )
    await expect(run).rejects.toMatchObject({ code: 'cancelled' })
    expect(served()).toBe(0)
    expect(JSON.parse(await readFile(held.lock.file, 'utf8')).pid).toBe(process.pid)
    held.lock.release()
  })
})
