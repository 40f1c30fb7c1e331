import { describe, it, expect } from 'vitest'
import { createReadStream, writeFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import {
  scanLogLines,
  CBS_MARKERS,
  CBS_FULL_AFTER,
  DISM_MARKERS,
  type LineScanOptions,
} from '../../../main/diagnose/log-stream.ts'
import { scanLogFile, type FileScanTuning } from '../../../main/diagnose/log-scan-file.ts'
import { createCbsScanner } from '../../../main/parse/cbs-log.ts'
import { loadFixture } from '../../fixtures/load.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { seeded } from '../../../main/fleet/training/fleet-generator.ts'

const dir = tempDirSync('sd-scanfile-')
let fileNo = 0
function file(bytes: Buffer): string {
  const p = join(dir, `log-${fileNo++}.log`)
  writeFileSync(p, bytes)
  return p
}

type Seen = { lines: [number, string][]; stats: unknown }
async function oneThread(path: string, options: LineScanOptions): Promise<Seen> {
  const lines: [number, string][] = []
  const stats = await scanLogLines(
    createReadStream(path, { highWaterMark: 256 * 1024 }),
    (l, n) => {
      lines.push([n, l])
    },
    options,
  )
  return { lines, stats }
}
/** By default the workers alone (this thread would read a small test file whole before they start). */
async function parallel(path: string, options: LineScanOptions, tuning: FileScanTuning): Promise<Seen> {
  const lines: [number, string][] = []
  const stats = await scanLogFile(
    path,
    (l, n) => {
      lines.push([n, l])
    },
    options,
    { minBytes: 0, workers: 2, mainThread: false, ...tuning },
  )
  return { lines, stats }
}

const fixtureLines = [
  ...readdirSync(join(import.meta.dirname, '../../fixtures/cbs-log')).map((f) => loadFixture(`cbs-log/${f}`).text),
  loadFixture('dism-log/0x80070002-analyze-store.log').text,
]
  .join('\n')
  .split(/\r?\n/)

/** Lines drawn from the captured CBS/DISM fixtures, with RestoreHealth starts, multi-byte text, empty lines and mixed CRLF/LF. */
function randomLog(seed: number, lines: number): Buffer {
  const r = seeded(seed) // a deterministic PRNG (mulberry32), so a failure names its seed
  const extra = [
    'Checking System Update Readiness.',
    'Zoë Ünïcødé Error 日本語 ✓',
    '',
    'x',
    'Info CBS    Plan: routine line',
  ]
  const out: string[] = []
  for (let i = 0; i < lines; i++) {
    const l = r() < 0.15 ? extra[Math.floor(r() * extra.length)]! : fixtureLines[Math.floor(r() * fixtureLines.length)]!
    out.push(l + (r() < 0.7 ? '\r\n' : '\n'))
  }
  if (r() < 0.5) out.push('last line without a newline Error')
  return Buffer.from(out.join(''), 'utf8')
}

const CBS: LineScanOptions = { filter: CBS_MARKERS, fullAfter: CBS_FULL_AFTER, fullLines: 3 }

describe('scanLogFile (worker threads) gives the one-thread result', () => {
  it('on random logs from the fixtures, at block sizes that cut inside CRLF pairs and UTF-8 sequences', async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const bytes = randomLog(seed, 300 + seed * 40)
      const path = file(bytes)
      const options = seed % 3 === 0 ? { filter: DISM_MARKERS } : seed % 3 === 1 ? CBS : { ...CBS, prefilter: null }
      const want = await oneThread(path, options)
      expect(want.lines.length).toBeGreaterThan(10)
      for (const blockBytes of [300 + ((seed * 37) % 200), 3000 + seed * 131]) {
        expect(
          await parallel(path, options, { blockBytes, workers: 1 + (seed % 2), mainThread: seed % 4 < 2 }),
          `seed ${seed}, blocks of ${blockBytes}`,
        ).toEqual(want)
      }
    }
  })

  it('with this thread from the front and the workers from the back (a block both read is handed on once)', async () => {
    for (let seed = 30; seed < 32; seed++) {
      const path = file(randomLog(seed, 3000))
      const want = await oneThread(path, CBS)
      for (const blockBytes of [2000, 9000]) {
        expect(
          await parallel(path, CBS, { blockBytes, workers: 1 + (seed % 2), mainThread: true, mainAfterWorkers: true }),
          `seed ${seed}, blocks of ${blockBytes}`,
        ).toEqual(want)
      }
    }
  })

  it('with blocks larger than one read (several reads per block, the last one short)', async () => {
    const path = file(randomLog(21, 16_000))
    const want = await oneThread(path, CBS)
    expect(await parallel(path, CBS, { blockBytes: 700_001 })).toEqual(want)
  })

  it('runs full mode on into the next block (RestoreHealth summary across a block end)', async () => {
    const text = `${['a', 'b', 'c Checking System Update Readiness.', 'd', 'e', 'f', 'g', 'h Error', 'i'].join('\r\n')}\r\n`
    const path = file(Buffer.from(text))
    const want = await oneThread(path, CBS)
    expect(want.lines.map(([n]) => n)).toEqual([3, 4, 5, 6, 8])
    for (const blockBytes of [3, 5, 8, 13, 20])
      expect(await parallel(path, CBS, { blockBytes, mainThread: blockBytes % 2 === 0 })).toEqual(want)
  })

  it('the CBS scanner reads the same analysis from the fixtures either way', async () => {
    const text = readdirSync(join(import.meta.dirname, '../../fixtures/cbs-log'))
      .map((f) => loadFixture(`cbs-log/${f}`).text)
      .join('\r\n')
    const path = file(Buffer.from(text))
    const opts = { filter: CBS_MARKERS, fullAfter: CBS_FULL_AFTER, fullLines: 200 }
    const a = createCbsScanner()
    await scanLogLines(createReadStream(path), (l, n) => a.line(l, n), opts)
    const b = createCbsScanner()
    await scanLogFile(path, (l, n) => b.line(l, n), opts, { minBytes: 0, blockBytes: 500 })
    expect(b.finish()).toEqual(a.finish())
  })

  it('with a UTF-8 BOM, a UTF-16 log, maxBytes, an empty file', async () => {
    const body = randomLog(99, 200)
    const bom = file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]))
    expect(await parallel(bom, CBS, { blockBytes: 301 })).toEqual(await oneThread(bom, CBS))
    const u16 = file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body.toString('utf8'), 'utf16le')]))
    expect(await parallel(u16, CBS, { blockBytes: 301 })).toEqual(await oneThread(u16, CBS))
    const plain = file(body)
    for (const maxBytes of [0, 1, 777, body.length - 1, body.length]) {
      const want = await oneThread(plain, { ...CBS, maxBytes })
      expect(await parallel(plain, { ...CBS, maxBytes }, { blockBytes: 97 }), `maxBytes ${maxBytes}`).toEqual(want)
    }
    const empty = file(Buffer.alloc(0))
    expect(await parallel(empty, CBS, { blockBytes: 10 })).toEqual(await oneThread(empty, CBS))
  })

  it('with lines longer than 1 MB (cut where the reads split them): read again on one thread, nothing passed twice', async () => {
    // The first is cut or not depending on where the reads split it (its newline falls in the last 64 KB read past 1 MB).
    const long = `Error ${'x'.repeat(1_100_000)}`
    const longer = `Error ${'y'.repeat(1_200_000)}`
    const text = `a Error\n${'b\n'.repeat(1000)}c Failed\n${long}\nd Error\n${'e\n'.repeat(1000)}${longer}\nlast Error\n`
    const path = file(Buffer.from(text))
    const want = await oneThread(path, { filter: /Error|Failed/ })
    expect(want.lines.map(([n, l]) => [n, l.length])).toEqual([
      [1, 7],
      [1002, 8],
      [1003, 1_100_006],
      [1004, 7],
      [2005, 4096],
      [2006, 10],
    ])
    expect(await parallel(path, { filter: /Error|Failed/ }, { blockBytes: 4000 })).toEqual(want)
  })
})

describe('scanLogFile errors', () => {
  it('a worker that dies: a clear error naming the block, and the lines passed on before it are the first ones', async () => {
    const path = file(randomLog(7, 400))
    const dying = new URL('data:text/javascript,process.exit(3)')
    const got: number[] = []
    await expect(
      scanLogFile(
        path,
        (_l, n) => {
          got.push(n)
        },
        CBS,
        { minBytes: 0, blockBytes: 1000, workers: 2, mainThread: false, workerUrl: dying },
      ),
    ).rejects.toThrow(/log scan of .* stopped: a worker exited \(code 3\).*Lines 1–0 were passed on/)
    expect(got).toEqual([])
  })

  it('a block a worker could not read: a clear error with its message', async () => {
    const path = file(randomLog(9, 400))
    const src =
      "import { parentPort } from 'node:worker_threads'; parentPort.postMessage({ ready: true }); " +
      "parentPort.on('message', (m) => parentPort.postMessage({ block: m.block, start: 0, end: 0, lines: 0, nos: [], texts: [], longLine: false, error: 'EIO: i/o error, read' }))"
    const failing = new URL(`data:text/javascript,${encodeURIComponent(src)}`)
    await expect(
      scanLogFile(path, () => {}, CBS, {
        minBytes: 0,
        blockBytes: 1000,
        workers: 2,
        mainThread: false,
        workerUrl: failing,
      }),
    ).rejects.toThrow(
      /log scan of .* failed in block [12] of \d+ \(bytes from \d+\): EIO: i\/o error, read\. Lines 1–0 were passed on/,
    )
  })

  it('an abort stops the scan: the lines passed on are the first ones, nothing after', async () => {
    const path = file(randomLog(10, 3000))
    const all = await oneThread(path, CBS)
    const ac = new AbortController()
    const got: [number, string][] = []
    const st = await scanLogFile(
      path,
      (l, n) => {
        got.push([n, l])
        if (got.length === 5) ac.abort()
      },
      { ...CBS, signal: ac.signal },
      { minBytes: 0, blockBytes: 500, workers: 1 },
    )
    expect(got.length).toBeGreaterThanOrEqual(5)
    expect(got.length).toBeLessThan(all.lines.length)
    expect(got).toEqual(all.lines.slice(0, got.length))
    expect(st.lines).toBeLessThan((all.stats as { lines: number }).lines)
  })

  it('a callback that throws rejects the scan with its error', async () => {
    const path = file(randomLog(8, 400))
    await expect(
      scanLogFile(
        path,
        () => {
          throw new Error('scanner broke')
        },
        CBS,
        { minBytes: 0, blockBytes: 1000, workers: 2 },
      ),
    ).rejects.toThrow('scanner broke')
  })
})
