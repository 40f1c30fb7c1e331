/**
 * A download killed for real: a child process is SIGKILLed (no clean-up, no flush) at 20 random points
 * (`npm run test:full`; `npm test`: 6 points drawn by the run's seed, test/sample.ts) and started again each time.
 * It must end byte-identical and verified; each restart must ask for the byte after what is on disk; and what a
 * crash loses of what the process had received is bounded by what the writer holds in memory (at most 4 MiB in
 * flight plus one 1 MiB batch and the last chunk). The child reports the bytes it had received at the kill, so
 * that bound is ours alone: what sat in the kernel's socket buffers (up to tcp_rmem's maximum, 32 MiB on some
 * machines, and more behind a loaded CPU) is also fetched twice, but no code of ours decides how much.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalCatalog, type LocalCatalog, type GeneratedFile } from '../../../main/catalog/local-catalog/server.ts'
import { contentBytes } from '../../../main/catalog/local-catalog/content.ts'
import { FULL, randomStream, sampleNote } from '../../sample.ts'
import { hangMs } from '../../load.ts'

const MiB = 1024 * 1024
let cat: LocalCatalog
let dir: string
let big: GeneratedFile
let reportDir: string

beforeAll(async () => {
  cat = await startLocalCatalog()
  big = cat.generatedFile(24 * MiB + 4321, 'hard-crash')
  dir = await mkdtemp(join(tmpdir(), 'sd-hard-crash-'))
  reportDir = await mkdtemp(join(tmpdir(), 'sd-hard-crash-report-'))
})
afterAll(async () => {
  await cat.close()
  await rm(dir, { recursive: true, force: true })
  await rm(reportDir, { recursive: true, force: true })
})

function child(killAt: number | null, report = join(reportDir, 'received-at-kill')) {
  const file = { url: big.url, fileName: big.fileName, sha1: big.sha1, sha256: big.sha256 }
  // spawnSync would block this process's event loop, and with it the local Catalog serving the child.
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      {
        const p = spawn(
          process.execPath,
          ['test/unit/download/kill-child.ts', JSON.stringify({ file, dir, origin: cat.baseUrl, killAt, report })],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        )
        let stdout = ''
        let stderr = ''
        p.stdout.on('data', (d) => {
          stdout += d
        })
        p.stderr.on('data', (d) => {
          stderr += d
        })
        const t = setTimeout(() => p.kill('SIGKILL'), hangMs(60_000))
        p.on('error', reject)
        p.on('close', (code, signal) => {
          clearTimeout(t)
          resolve({ code, signal, stdout, stderr })
        })
      }
    },
  )
}

/** Reproducible random points. */
function lcg(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

describe('a download whose process is killed (SIGKILL) and started again', () => {
  // Each crash is a child process started (~1.5 s of CPU); npm test kills at fewer points, drawn by the seed.
  const CRASHES = FULL ? 20 : 6
  it(`ends byte-identical and verified after ${CRASHES} hard crashes; each restart resumes from the bytes on disk`, {
    timeout: hangMs(600_000),
  }, async () => {
    // Throttled so that a crash leaves little in flight in the kernel's socket buffers.
    cat.setFault({ kind: 'slow', bytesPerSecond: 48 * MiB })
    const rnd = FULL ? lcg(20261121) : randomStream('hard-crash points')
    const points = Array.from({ length: CRASHES }, () => Math.floor(rnd() * big.size)).sort((a, b) => a - b)
    if (!FULL) console.log(`hard-crash: killed at bytes ${points.join(', ')} (${sampleNote()})`)
    const partial = join(dir, `${big.fileName}.partial`)
    const onDiskAtStart: number[] = []
    let kills = 0
    // Bytes the child had received but not kept on disk, per crash.
    const lost: number[] = []
    for (const point of points) {
      onDiskAtStart.push(
        await stat(partial).then(
          (s) => s.size,
          () => 0,
        ),
      )
      const report = join(reportDir, `received-at-kill-${kills}`)
      const r = await child(point, report)
      if (r.signal === 'SIGKILL') {
        kills++
        const received = Number(await readFile(report, 'utf8'))
        const kept = await stat(partial).then(
          (s) => s.size,
          () => 0,
        )
        // The kill comes at the first chunk that reaches the point (a chunk is at most 1 MiB here).
        expect(received).toBeGreaterThanOrEqual(point)
        expect(received).toBeLessThanOrEqual(point + MiB)
        // Never more than was received; never less than received minus what the writer may hold in memory:
        // ≤ 4 MiB handed over, < 1 MiB batch, plus the last chunk.
        expect(kept).toBeLessThanOrEqual(received)
        expect(received - kept, `received ${received}, kept ${kept}`).toBeLessThanOrEqual(6 * MiB)
        lost.push(received - kept)
      } else {
        // The point fell inside bytes already on disk: the run had nothing left to receive up to it.
        expect(r.code, r.stderr).toBe(0)
        break
      }
    }
    // Nearly every point falls in bytes not yet on disk (two close together: the second may not).
    expect(kills, `kills at ${points.join(', ')}`).toBeGreaterThanOrEqual(Math.ceil(CRASHES * 0.75))
    cat.setFault(null)
    onDiskAtStart.push(
      await stat(partial).then(
        (s) => s.size,
        () => 0,
      ),
    )
    const done = await child(null)
    expect(done.code, done.stderr).toBe(0)
    const got = JSON.parse(done.stdout) as { path: string; sha1: string; sha256: string }
    expect(got.sha1).toBe(big.sha1)
    expect(got.sha256).toBe(big.sha256)
    expect((await readFile(got.path)).equals(contentBytes('hard-crash', big.size))).toBe(true)
    expect(await readdir(dir)).toEqual([big.fileName])

    // Each restart asked for exactly the byte after the partial it found.
    const starts = cat.stats.requests
      .filter((q) => q.path.includes(big.fileName))
      .map((q) => (q.range ? Number(/bytes=(\d+)-/.exec(q.range)?.[1]) : 0))
    expect(starts).toEqual(onDiskAtStart.slice(0, starts.length))
    // What was fetched twice is what each crash lost from memory plus what the kernel held for the dead
    // socket; the server sent at least everything the child received, so the latter is never negative.
    const served = [...cat.stats.fileBytesServed.values()].reduce((a, b) => a + b, 0)
    const lostInMemory = lost.reduce((a, b) => a + b, 0)
    if (process.env.SD_VERBOSE)
      console.log(
        `hard crashes: ${kills}, fetched twice ${served - big.size} bytes: lost from memory ${lostInMemory}, in the socket buffers ${served - big.size - lostInMemory}`,
      )
    expect(served - big.size).toBeGreaterThanOrEqual(lostInMemory)
  })
})
