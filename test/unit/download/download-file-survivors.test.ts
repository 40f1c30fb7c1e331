/**
 * downloadFile: the cases the first whole-file mutation run left alive: the policy is checked before
 * the folder is made, the real free-space probe refuses, a file already there is compared by both digests (an
 * empty file that is the file; a wrong file when only the SHA-1 is expected), a resume the server answers with
 * an error keeps its partial and sidecar, a cancel during a failing probe is a cancel, a steady slow body is not
 * an idle one, and progress is reported at most every 200 ms. One scripted HTTP server on 127.0.0.1.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DownloadFileOptions, FileToDownload, FileProgress } from '../../../main/download/download-file.ts'
import { checkDownloadUrl, MICROSOFT_POLICY, type DownloadPolicy } from '../../../main/catalog/download-policy.ts'
import { writePartialState } from '../../../main/download/partial-state.ts'
import { tempDir } from '../temp-dirs.ts'
import { failureOf, serveOnLoopback, sha1, sha256 } from './scripted-server.ts'
import { manualClock } from './manual-clock.ts'

type M0 = typeof import('../../../main/download/download-file.ts')
let downloadFile: M0['downloadFile']
const BODY = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 11) % 251))
const EMPTY = Buffer.alloc(0)

let server: Awaited<ReturnType<typeof serveOnLoopback>>
let origin: string
let policy: DownloadPolicy
let handler: (req: IncomingMessage, res: ServerResponse) => void
let requests: IncomingMessage['headers'][]
let dir: string

beforeAll(async () => {
  vi.resetModules()
  ;({ downloadFile } = await import('../../../main/download/download-file.ts'))
  server = await serveOnLoopback((req, res) => {
    requests.push(req.headers)
    handler(req, res)
  })
  ;({ origin, policy } = server)
})
afterAll(() => server.close())
beforeEach(async () => {
  requests = []
  dir = await tempDir('sd-dl-file-surv-')
  handler = (_req, res) => {
    res.writeHead(200, { ETag: '"v1"', 'Content-Length': String(BODY.length) })
    res.end(BODY)
  }
})

const file = (over: Partial<FileToDownload> = {}): FileToDownload => ({
  url: `${origin}/f/package.msu`,
  fileName: 'package.msu',
  sha1: sha1(BODY),
  sha256: sha256(BODY),
  ...over,
})
const opts = (over: Partial<DownloadFileOptions> = {}): DownloadFileOptions => ({
  dir,
  policy,
  backoffMs: 1,
  attempts: 1,
  freeBytes: async () => 1e15,
  ...over,
})
const fail = failureOf

describe('refusals before any byte', () => {
  it('a URL the policy refuses is refused before the folder is made (a folder that cannot be made is not the answer)', async () => {
    await writeFile(join(dir, 'a-file'), 'x')
    const e = await fail(downloadFile(file(), opts({ policy: MICROSOFT_POLICY, dir: join(dir, 'a-file', 'sub') })))
    const check = checkDownloadUrl(file().url, MICROSOFT_POLICY)
    expect(check.ok).toBe(false)
    expect(e).toMatchObject({ code: 'refused', message: check.ok ? '' : check.reason, transient: false })
    expect(requests).toHaveLength(0)
  })
  it('the real free-space probe (no injected one) refuses when the reserve cannot fit', async () => {
    const e = await fail(downloadFile(file(), { dir, policy, attempts: 1, reserveBytes: 1e18 }))
    expect(e.code).toBe('no-space')
    expect(e.message).toMatch(
      new RegExp(
        `^Not enough free space in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ bytes free, \\d+ needed\\.$`,
      ),
    )
    expect(await readdir(dir)).toEqual([])
  })
})

describe('a file already there', () => {
  it('an empty file that is the (empty) file: verified, nothing asked', async () => {
    await writeFile(join(dir, 'empty.msu'), EMPTY)
    expect(
      await downloadFile(file({ fileName: 'empty.msu', sha1: sha1(EMPTY), sha256: sha256(EMPTY) }), opts()),
    ).toEqual({ path: join(dir, 'empty.msu'), sizeBytes: 0, sha1: sha1(EMPTY), sha256: sha256(EMPTY), resumedFrom: 0 })
    expect(requests).toHaveLength(0)
  })
  it('other bytes when only the SHA-1 is expected: not taken, fetched', async () => {
    await writeFile(join(dir, 'package.msu'), Buffer.alloc(BODY.length, 1))
    expect(await downloadFile(file({ sha256: null }), opts())).toMatchObject({ resumedFrom: 0, sha1: sha1(BODY) })
    expect(requests).toHaveLength(1)
    expect(await readFile(join(dir, 'package.msu'))).toEqual(BODY)
  })
})

describe('a resume the server answers with an error', () => {
  it('HTTP 503 on a resume: an http error, the partial and its sidecar kept for the next attempt', async () => {
    await writeFile(join(dir, 'package.msu.partial'), BODY.subarray(0, 3000))
    await writePartialState(join(dir, 'package.msu.partial.json'), {
      version: 1,
      sha1: sha1(BODY),
      url: file().url,
      totalBytes: BODY.length,
      validator: '"v1"',
      updated: '2026-11-23T00:00:00Z',
    })
    handler = (_req, res) => {
      res.writeHead(503, { 'Content-Length': '0' })
      res.end()
    }
    expect(await fail(downloadFile(file(), opts()))).toMatchObject({
      code: 'http',
      message: 'HTTP 503 for package.msu.',
      transient: true,
    })
    expect(requests.map((r) => r.range)).toEqual(['bytes=3000-'])
    expect((await stat(join(dir, 'package.msu.partial'))).size).toBe(3000)
    expect(JSON.parse(await readFile(join(dir, 'package.msu.partial.json'), 'utf8'))).toMatchObject({
      totalBytes: BODY.length,
      validator: '"v1"',
    })
  })
})

describe('a cancel, the idle timer and the progress rate', () => {
  it('cancelled while the free-space probe fails: cancelled, not a network error', async () => {
    const ac = new AbortController()
    const e = await fail(
      downloadFile(
        file(),
        opts({
          signal: ac.signal,
          attempts: 3,
          freeBytes: async () => {
            ac.abort()
            throw new Error('probe failed')
          },
        }),
      ),
    )
    expect(e).toMatchObject({ code: 'cancelled', message: 'The download was cancelled.', transient: false })
    expect(requests).toHaveLength(1)
  })
  it('a body that arrives slowly but steadily (a chunk every 250 ms for 1.25 s, the idle limit 1 s) is not idle', async () => {
    // The idle check runs on a clock only this test moves: each chunk goes 250 ms (of that clock) after the download
    // read the one before, so a busy machine that delays a chunk's delivery cannot make the check see a gap.
    const clock = manualClock()
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': String(BODY.length) })
      void (async () => {
        for (let i = 0; i < 5; i++) {
          // The clock is read at the download's start, by the check at each advance and at each chunk: the next chunk
          // goes once the download has read the i before it.
          await clock.readings(1 + 2 * i)
          clock.advance(250)
          res.write(BODY.subarray(i * 1000, (i + 1) * 1000))
        }
        res.end()
      })()
    }
    expect(await downloadFile(file(), opts({ timeoutMs: 1000, idleClock: clock }))).toMatchObject({
      sizeBytes: BODY.length,
      resumedFrom: 0,
    })
    expect(clock.periods).toEqual([1000])
  })
  it('many chunks arriving together are reported as downloading at most once per 200 ms', async () => {
    const BIG = Buffer.alloc(1024 * 1024, 5)
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': String(BIG.length) })
      res.end(BIG)
    }
    const received: number[] = []
    const seen: FileProgress[] = []
    await downloadFile(
      file({ fileName: 'big.msu', sha1: sha1(BIG), sha256: sha256(BIG) }),
      opts({ onBytesReceived: (n) => received.push(n), onProgress: (p) => seen.push(p) }),
    )
    const downloading = seen.filter((p) => p.state === 'downloading')
    expect(received.length).toBeGreaterThanOrEqual(4)
    expect(received.at(-1)).toBe(BIG.length)
    expect(downloading.length).toBeGreaterThanOrEqual(1)
    expect(downloading.length).toBeLessThan(received.length)
  })
})
