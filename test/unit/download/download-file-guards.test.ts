/**
 * downloadFile against a scripted HTTP server on 127.0.0.1: each answer a real server can give —
 * a status, a Content-Range that is not the one asked for, a file that changed size, more bytes than
 * announced, a connection that ends early, a full disk — alone, with what the download then does (refuses,
 * retries, starts over) and what it leaves on disk. The server is a few lines of node:http per test.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  downloadFile,
  type DownloadFileOptions,
  type FileToDownload,
  type FileProgress,
} from '../../../main/download/download-file.ts'
import { MICROSOFT_POLICY, type DownloadPolicy } from '../../../main/catalog/download-policy.ts'
import { writePartialState } from '../../../main/download/partial-state.ts'
import { downloadSet, runBounded, type DownloadSetOptions } from '../../../main/download/download-set.ts'
import { DownloadCache } from '../../../main/download/download-cache.ts'
import type { SignatureChecker } from '../../../main/download/signature.ts'
import type { DownloadProgress } from '../../../preload/model/catalog.ts'
import { tempDir } from '../temp-dirs.ts'
import { failureOf, serveOnLoopback, serveWhole, sha1, sha256 } from './scripted-server.ts'

const BODY = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251))

let server: Awaited<ReturnType<typeof serveOnLoopback>>
let origin: string
let policy: DownloadPolicy
let handler: (req: IncomingMessage, res: ServerResponse) => void
let requests: { range: string | null; ifRange: string | null }[]
let dir: string

beforeAll(async () => {
  server = await serveOnLoopback((req, res) => {
    requests.push({
      range: req.headers.range ?? null,
      ifRange: (req.headers['if-range'] as string | undefined) ?? null,
    })
    handler(req, res)
  })
  ;({ origin, policy } = server)
})
afterAll(() => server.close())
beforeEach(async () => {
  requests = []
  dir = await tempDir('sd-dl-file-guard-')
  handler = whole()
})

/** Serves BODY whole (200), or the asked range (206) with a right Content-Range. */
const whole = (headers?: Record<string, string>) => serveWhole(BODY, headers)
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
/** Leaves a partial of the first `n` bytes with a sidecar, as a killed download does. */
async function partial(n: number, over: { sha1?: string; totalBytes?: number | null; validator?: string | null } = {}) {
  await writeFile(join(dir, 'package.msu.partial'), BODY.subarray(0, n))
  await writePartialState(join(dir, 'package.msu.partial.json'), {
    version: 1,
    sha1: over.sha1 ?? sha1(BODY),
    url: file().url,
    totalBytes: over.totalBytes === undefined ? BODY.length : over.totalBytes,
    validator: over.validator === undefined ? '"v1"' : over.validator,
    updated: '2026-11-23T00:00:00Z',
  })
}

describe('download: before any request', () => {
  it('a URL the policy does not admit: refused, nothing asked', async () => {
    expect(await fail(downloadFile(file(), opts({ policy: MICROSOFT_POLICY })))).toMatchObject({ code: 'refused' })
    expect(requests).toHaveLength(0)
  })
  it('a folder that cannot be made (under a file): not-writable, naming the folder, nothing asked', async () => {
    await writeFile(join(dir, 'a-file'), 'x')
    const e = await fail(downloadFile(file(), opts({ dir: join(dir, 'a-file', 'sub') })))
    expect(e).toMatchObject({
      code: 'not-writable',
      message: `Cannot write to the download folder ${join(dir, 'a-file', 'sub')} (ENOTDIR): choose another folder or free it.`,
    })
    expect(requests).toHaveLength(0)
  })
})

describe('download: what the server answers', () => {
  const statuses: [number, boolean][] = [
    [404, false],
    [403, false],
    [500, true],
    [503, true],
    [408, true],
    [429, true],
    [499, false],
  ]
  let ran = 0
  for (const [status, transient] of statuses) {
    it(`HTTP ${status}: an http error, ${transient ? 'retried' : 'not retried'}`, async () => {
      ran++
      handler = (_req, res) => {
        res.writeHead(status, { 'Content-Length': '0' })
        res.end()
      }
      const e = await fail(downloadFile(file(), opts({ attempts: 2 })))
      expect(e).toMatchObject({ code: 'http', transient, message: `HTTP ${status} for package.msu.` })
      expect(requests).toHaveLength(transient ? 2 : 1)
      expect(await readdir(dir)).toEqual([])
    })
  }
  it('ran every status', () => expect(ran).toBe(statuses.length))

  it('a transient failure is retried until it succeeds; the attempts are counted', async () => {
    let n = 0
    const ok = whole()
    handler = (req, res) => {
      if (++n < 3) {
        res.writeHead(503, { 'Content-Length': '0' })
        res.end()
      } else ok(req, res)
    }
    expect(await downloadFile(file(), opts({ attempts: 3 }))).toMatchObject({ sizeBytes: BODY.length, resumedFrom: 0 })
    expect(requests).toHaveLength(3)
    n = 0
    expect(await fail(downloadFile(file({ fileName: 'other.msu' }), opts({ attempts: 2 })))).toMatchObject({
      code: 'http',
    })
  })

  it('announced larger than the limit: too-large, nothing written', async () => {
    const e = await fail(downloadFile(file(), opts({ maxBytes: BODY.length - 1 })))
    expect(e).toMatchObject({
      code: 'too-large',
      message: `package.msu is announced as ${BODY.length} bytes, over the limit of ${BODY.length - 1}.`,
    })
    expect(await readdir(dir)).toEqual([])
  })
  it('the known size is a limit too', async () => {
    expect(await fail(downloadFile(file({ sizeBytes: 100 }), opts()))).toMatchObject({ code: 'too-large' })
    expect(await downloadFile(file({ sizeBytes: BODY.length }), opts())).toMatchObject({ sizeBytes: BODY.length })
  })
  it('exactly the limit is allowed', async () => {
    expect(await downloadFile(file(), opts({ maxBytes: BODY.length }))).toMatchObject({ sizeBytes: BODY.length })
  })

  it('more bytes than announced (no Content-Length, a limit): refused, the partial removed', async () => {
    handler = (_req, res) => {
      res.writeHead(200, {})
      res.end(Buffer.concat([BODY, Buffer.alloc(10)]))
    }
    const e = await fail(downloadFile(file(), opts({ maxBytes: BODY.length })))
    expect(e).toMatchObject({
      code: 'too-large',
      message: `package.msu: the server sent more than ${BODY.length} bytes; refused.`,
    })
    expect(await readdir(dir)).toEqual([])
  })
  it('without Content-Length and under the limit: downloaded and verified', async () => {
    handler = (_req, res) => {
      res.writeHead(200, {})
      res.end(BODY)
    }
    expect(await downloadFile(file(), opts())).toMatchObject({ sizeBytes: BODY.length, sha1: sha1(BODY) })
  })

  it('the connection ends before the announced length: truncated, transient, the partial kept for a resume', async () => {
    // The connection drops once the client has the 3,000 bytes (not after a fixed delay: on a loaded machine
    // the client may still be writing the sidecar when a timer fires, and the body's buffered bytes go with it).
    let drop = () => {}
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': String(BODY.length), ETag: '"v1"' })
      res.write(BODY.subarray(0, 3000))
      drop = () => res.destroy()
    }
    const e = await fail(
      downloadFile(
        file(),
        opts({
          onBytesReceived: (n) => {
            if (n >= 3000) drop()
          },
        }),
      ),
    )
    expect(e.transient).toBe(true)
    expect(['truncated', 'network']).toContain(e.code)
    expect((await stat(join(dir, 'package.msu.partial'))).size).toBe(3000)
  })
})

describe('download: free space', () => {
  const reserve = 1000
  it('exactly enough free (size + reserve): downloaded', async () => {
    expect(
      await downloadFile(file(), opts({ reserveBytes: reserve, freeBytes: async () => BODY.length + reserve })),
    ).toMatchObject({ sizeBytes: BODY.length })
  })
  it('one byte less: no-space, saying how much is free and needed', async () => {
    const e = await fail(
      downloadFile(file(), opts({ reserveBytes: reserve, freeBytes: async () => BODY.length + reserve - 1 })),
    )
    expect(e).toMatchObject({
      code: 'no-space',
      message: `Not enough free space in ${dir}: ${BODY.length + reserve - 1} bytes free, ${BODY.length + reserve} needed.`,
    })
  })
  it('a resume needs room for the rest only', async () => {
    await partial(3000)
    const r = await downloadFile(
      file(),
      opts({ reserveBytes: reserve, freeBytes: async () => BODY.length - 3000 + reserve }),
    )
    expect(r).toMatchObject({ resumedFrom: 3000, sizeBytes: BODY.length })
  })
  it('the default reserve is 64 MiB', async () => {
    expect(
      await fail(downloadFile(file(), opts({ freeBytes: async () => BODY.length + 64 * 1024 * 1024 - 1 }))),
    ).toMatchObject({ code: 'no-space' })
    expect(await downloadFile(file(), opts({ freeBytes: async () => BODY.length + 64 * 1024 * 1024 }))).toMatchObject({
      sizeBytes: BODY.length,
    })
  })
  it("without a known length, the caller's size is what is needed", async () => {
    handler = (_req, res) => {
      res.writeHead(200, {})
      res.end(BODY)
    }
    expect(
      await fail(
        downloadFile(
          file({ sizeBytes: BODY.length }),
          opts({ reserveBytes: 0, freeBytes: async () => BODY.length - 1 }),
        ),
      ),
    ).toMatchObject({ code: 'no-space' })
  })
})

describe('download: resuming a partial', () => {
  it('asks for the rest with Range and If-Range, and verifies the whole file', async () => {
    await partial(3000)
    const progress: FileProgress['state'][] = []
    const r = await downloadFile(file(), opts({ onProgress: (p) => progress.push(p.state) }))
    expect(r).toMatchObject({ resumedFrom: 3000, sizeBytes: BODY.length, sha1: sha1(BODY), sha256: sha256(BODY) })
    expect(requests).toEqual([{ range: 'bytes=3000-', ifRange: '"v1"' }])
    expect(await readFile(join(dir, 'package.msu'))).toEqual(BODY)
    expect(await readdir(dir)).toEqual(['package.msu'])
    expect(progress[0]).toBe('hashing-partial')
    expect(progress.at(-1)).toBe('verified')
  })
  it('without a validator: Range only', async () => {
    await partial(3000, { validator: null })
    await downloadFile(file(), opts())
    expect(requests).toEqual([{ range: 'bytes=3000-', ifRange: null }])
  })
  it('a partial of another file (other SHA-1) is thrown away and the file fetched whole', async () => {
    await partial(3000, { sha1: 'f'.repeat(40) })
    expect(await downloadFile(file(), opts())).toMatchObject({ resumedFrom: 0 })
    expect(requests).toEqual([{ range: null, ifRange: null }])
  })
  it('a partial longer than the file it says it belongs to is thrown away', async () => {
    await partial(3000, { totalBytes: 2000 })
    expect(await downloadFile(file(), opts())).toMatchObject({ resumedFrom: 0 })
    expect(requests[0]!.range).toBeNull()
  })
  it('a partial exactly as long as the file: the server answers 416 and the bytes on disk are verified', async () => {
    await partial(BODY.length)
    expect(await downloadFile(file(), opts())).toMatchObject({
      resumedFrom: BODY.length,
      sizeBytes: BODY.length,
      sha1: sha1(BODY),
    })
    expect(requests).toEqual([{ range: `bytes=${BODY.length}-`, ifRange: '"v1"' }])
  })
  it('a server that ignores the Range (200): starts over from byte 0', async () => {
    await partial(3000)
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': String(BODY.length), ETag: '"v2"' })
      res.end(BODY)
    }
    expect(await downloadFile(file(), opts())).toMatchObject({ resumedFrom: 0, sizeBytes: BODY.length })
    expect(requests.map((q) => q.range)).toEqual(['bytes=3000-', null])
  })
  it('a 206 for another range: dropped, transient, the next attempt starts over', async () => {
    await partial(3000)
    let n = 0
    const ok = whole()
    handler = (req, res) => {
      if (n++ === 0) {
        res.writeHead(206, {
          'Content-Range': `bytes 0-${BODY.length - 1}/${BODY.length}`,
          'Content-Length': String(BODY.length),
        })
        res.end(BODY)
        return
      }
      ok(req, res)
    }
    const e = await fail(downloadFile(file(), opts()))
    expect(e).toMatchObject({
      code: 'http',
      transient: true,
      message: `The server answered a different range (bytes 0-${BODY.length - 1}/${BODY.length}); starting over.`,
    })
    expect(await readdir(dir)).toEqual([])
    expect(await downloadFile(file(), opts())).toMatchObject({ resumedFrom: 0 })
  })
  it('a 206 without a Content-Range: dropped', async () => {
    await partial(3000)
    handler = (_req, res) => {
      res.writeHead(206, { 'Content-Length': '2000' })
      res.end(BODY.subarray(3000))
    }
    expect(await fail(downloadFile(file(), opts()))).toMatchObject({ code: 'http', transient: true })
    expect(await readdir(dir)).toEqual([])
  })
  it("a 206 whose total differs from the partial's: the file changed, dropped", async () => {
    await partial(3000)
    handler = (_req, res) => {
      res.writeHead(206, { 'Content-Range': `bytes 3000-5999/6000`, 'Content-Length': '3000' })
      res.end(Buffer.alloc(3000))
    }
    expect(await fail(downloadFile(file(), opts()))).toMatchObject({
      code: 'http',
      transient: true,
      message: 'The file on the server changed size since the partial download; starting over.',
    })
    expect(await readdir(dir)).toEqual([])
  })
  it('a 206 with an unknown total (*) is accepted', async () => {
    await partial(3000)
    handler = (_req, res) => {
      res.writeHead(206, { 'Content-Range': `bytes 3000-${BODY.length - 1}/*` })
      res.end(BODY.subarray(3000))
    }
    expect(await downloadFile(file(), opts())).toMatchObject({ resumedFrom: 3000, sizeBytes: BODY.length })
  })
  it('a resumed download whose bytes do not verify: discarded, one fresh download decides', async () => {
    await writeFile(join(dir, 'package.msu.partial'), Buffer.alloc(3000))
    await writePartialState(join(dir, 'package.msu.partial.json'), {
      version: 1,
      sha1: sha1(BODY),
      url: file().url,
      totalBytes: BODY.length,
      validator: '"v1"',
      updated: '2026-11-23T00:00:00Z',
    })
    expect(await downloadFile(file(), opts({ attempts: 1 }))).toMatchObject({ resumedFrom: 0, sha1: sha1(BODY) })
    expect(requests.map((q) => q.range)).toEqual(['bytes=3000-', null])
  })
})

describe('download: the SHA-1 in the file name', () => {
  it('a file whose name carries its SHA-1: verified against it too', async () => {
    const name = `windows11.0-kb5043080-x64_${sha1(BODY)}.msu`
    expect(await downloadFile(file({ fileName: name }), opts())).toMatchObject({ path: join(dir, name) })
  })
  it("bytes whose SHA-1 is neither the Catalog's nor the name's: both named in the refusal", async () => {
    const other = 'a'.repeat(40)
    const name = `windows11.0-kb5043080-x64_${other}.msu`
    const e = await fail(downloadFile(file({ fileName: name, sha1: other, sha256: null }), opts()))
    expect(e).toMatchObject({
      code: 'hash-mismatch',
      message: `${name} failed verification: SHA-1 is ${sha1(BODY)}, the Catalog says ${other}; SHA-1 differs from the one in the file name (${other}). The bytes were discarded.`,
    })
  })
})

describe('download: a cancel', () => {
  it('cancelled before it starts: cancelled, nothing asked, nothing left', async () => {
    const ac = new AbortController()
    ac.abort()
    expect(await fail(downloadFile(file(), opts({ signal: ac.signal })))).toMatchObject({
      code: 'cancelled',
      message: 'The download was cancelled.',
    })
    expect(await readdir(dir)).toEqual([])
  })
  it('cancelled while waiting to retry: cancelled, not retried', async () => {
    const ac = new AbortController()
    handler = (_req, res) => {
      res.writeHead(503, { 'Content-Length': '0' })
      res.end()
      setTimeout(() => ac.abort(), 20)
    }
    expect(await fail(downloadFile(file(), opts({ signal: ac.signal, attempts: 3, backoffMs: 5000 })))).toMatchObject({
      code: 'cancelled',
    })
    expect(requests).toHaveLength(1)
  })
})

describe('download set: signatures, the cache and what it reports', () => {
  const signer = (status: 'valid' | 'invalid' | 'not-checked') =>
    ({
      check: async () =>
        status === 'valid'
          ? { status, signer: 'Microsoft Windows' }
          : { status, reason: status === 'invalid' ? 'not signed by Microsoft' : 'not checked here' },
    }) as SignatureChecker
  const setOpts = (over: Partial<DownloadSetOptions> = {}): DownloadSetOptions => ({
    cache: new DownloadCache(join(dir, 'cache')),
    policy,
    signatures: signer('valid'),
    fileOptions: { backoffMs: 1, attempts: 1, freeBytes: async () => 1e15 },
    ...over,
  })

  it('a file whose signature is invalid: bad-signature naming the file and the reason', async () => {
    const e = await fail(downloadSet([file()], setOpts({ signatures: signer('invalid') })))
    expect(e).toMatchObject({ code: 'bad-signature', message: 'package.msu: not signed by Microsoft' })
  })
  it('a valid signature and one not checked are both accepted, and reported per file', async () => {
    const [v] = await downloadSet([file()], setOpts())
    expect(v).toMatchObject({
      fileName: 'package.msu',
      fromCache: false,
      sizeBytes: BODY.length,
      sha1: sha1(BODY),
      sha256: sha256(BODY),
      signature: { status: 'valid', signer: 'Microsoft Windows' },
    })
    const [w] = await downloadSet(
      [file()],
      setOpts({ cache: new DownloadCache(join(dir, 'cache2')), signatures: signer('not-checked') }),
    )
    expect(w!.signature).toEqual({ status: 'not-checked', reason: 'not checked here' })
  })
  it('a cached file is signature-checked too', async () => {
    const cache = new DownloadCache(join(dir, 'cache'))
    await downloadSet([file()], setOpts({ cache }))
    expect(await fail(downloadSet([file()], setOpts({ cache, signatures: signer('invalid') })))).toMatchObject({
      code: 'bad-signature',
    })
    expect(requests).toHaveLength(1)
  })

  it("reports queued (with the known size), then the file's own states, under the operation id", async () => {
    const seen: DownloadProgress[] = []
    await downloadSet(
      [file({ sizeBytes: BODY.length })],
      setOpts({ operationId: 'op-7', onProgress: (p) => seen.push(p) }),
    )
    expect(seen[0]).toEqual({
      operationId: 'op-7',
      fileName: 'package.msu',
      bytesDone: 0,
      bytesTotal: BODY.length,
      bytesPerSecond: 0,
      etaSeconds: null,
      state: 'queued',
    })
    expect(seen.at(-1)).toMatchObject({ operationId: 'op-7', state: 'verified', bytesDone: BODY.length })
    expect(seen.every((p) => p.operationId === 'op-7')).toBe(true)
  })
  it('without an operation id the reports say "download"; a cache hit reports verifying then cached', async () => {
    const cache = new DownloadCache(join(dir, 'cache'))
    await downloadSet([file()], setOpts({ cache }))
    const seen: DownloadProgress[] = []
    await downloadSet([file()], setOpts({ cache, onProgress: (p) => seen.push(p) }))
    expect(seen.map((p) => [p.operationId, p.state])).toEqual([
      ['download', 'queued'],
      ['download', 'verifying'],
      ['download', 'cached'],
    ])
    expect(seen[2]).toMatchObject({ bytesDone: BODY.length, bytesTotal: BODY.length, etaSeconds: 0 })
  })
  it('a failure is reported as failed with its message, then thrown', async () => {
    handler = (_req, res) => {
      res.writeHead(404, { 'Content-Length': '0' })
      res.end()
    }
    const seen: DownloadProgress[] = []
    expect(await fail(downloadSet([file()], setOpts({ onProgress: (p) => seen.push(p) })))).toMatchObject({
      code: 'http',
    })
    expect(seen.at(-1)).toEqual({
      operationId: 'download',
      fileName: 'package.msu',
      bytesDone: 0,
      bytesTotal: null,
      bytesPerSecond: 0,
      etaSeconds: null,
      state: 'failed',
      error: 'HTTP 404 for package.msu.',
    })
  })
  it('a cached file with another SHA-256 than expected is not used; with the same one, or none expected, it is', async () => {
    const cache = new DownloadCache(join(dir, 'cache'))
    await downloadSet([file()], setOpts({ cache }))
    expect((await downloadSet([file({ sha256: null })], setOpts({ cache })))[0]!.fromCache).toBe(true)
    expect((await downloadSet([file()], setOpts({ cache })))[0]!.fromCache).toBe(true)
    expect(requests).toHaveLength(1)
    expect(await fail(downloadSet([file({ sha256: 'b'.repeat(64) })], setOpts({ cache })))).toMatchObject({
      code: 'hash-mismatch',
    })
    expect(requests).toHaveLength(3) // fetched, failed verification, fetched once more from byte 0
  })
  it('a cached file whose bytes changed (same length) is dropped and fetched again', async () => {
    const cache = new DownloadCache(join(dir, 'cache'))
    const [first] = await downloadSet([file()], setOpts({ cache }))
    await writeFile(first!.path, Buffer.alloc(BODY.length))
    const [again] = await downloadSet([file()], setOpts({ cache }))
    expect(again).toMatchObject({ fromCache: false, sha1: sha1(BODY) })
    expect(await readFile(again!.path)).toEqual(BODY)
  })
})

describe('runBounded', () => {
  it('a limit of 0 still runs the tasks, one at a time; no tasks gives no results', async () => {
    let running = 0
    let most = 0
    const task = (v: number) => async () => {
      running++
      most = Math.max(most, running)
      await new Promise((r) => setTimeout(r, 5))
      running--
      return v
    }
    expect(await runBounded([task(1), task(2), task(3)], 0)).toEqual([1, 2, 3])
    expect(most).toBe(1)
    expect(await runBounded([], 3)).toEqual([])
  })
  it('after a failure no new task starts, and the first failure is thrown', async () => {
    const started: number[] = []
    const tasks = [0, 1, 2, 3].map((i) => async () => {
      started.push(i)
      if (i === 0) throw new Error('first')
      if (i === 1) throw new Error('second')
      return i
    })
    await expect(runBounded(tasks, 1)).rejects.toThrow('first')
    expect(started).toEqual([0])
  })
  it('results keep the order of the tasks whatever order they finish in', async () => {
    const t = (v: number, ms: number) => async () => {
      await new Promise((r) => setTimeout(r, ms))
      return v
    }
    expect(await runBounded([t(1, 30), t(2, 1), t(3, 10)], 3)).toEqual([1, 2, 3])
  })
})

describe("download: the expected digests' form, exactly", () => {
  const h40 = 'c'.repeat(40)
  const h64 = 'd'.repeat(64)
  const bad: [string, Partial<FileToDownload>, string][] = [
    ['a SHA-1 of 41 hex digits', { sha1: `${h40}c` }, 'package.msu: the expected SHA-1 is not 40 hex digits.'],
    [
      'a SHA-1 with a character before it',
      { sha1: `x${h40}` },
      'package.msu: the expected SHA-1 is not 40 hex digits.',
    ],
    ['a SHA-1 with a character after it', { sha1: `${h40}x` }, 'package.msu: the expected SHA-1 is not 40 hex digits.'],
    ['a SHA-256 of 65 hex digits', { sha256: `${h64}d` }, 'package.msu: the expected SHA-256 is not 64 hex digits.'],
    [
      'a SHA-256 with a character before it',
      { sha256: `x${h64}` },
      'package.msu: the expected SHA-256 is not 64 hex digits.',
    ],
    [
      'a SHA-256 with a character after it',
      { sha256: `${h64}x` },
      'package.msu: the expected SHA-256 is not 64 hex digits.',
    ],
  ]
  let ran = 0
  for (const [what, over, message] of bad) {
    it(`refuses ${what}, nothing asked`, async () => {
      ran++
      expect(await fail(downloadFile(file(over), opts()))).toMatchObject({ code: 'bad-input', message })
      expect(requests).toHaveLength(0)
    })
  }
  it('ran every case', () => expect(ran).toBe(6))

  it("a Catalog SHA-1 that is not the name's: both named", async () => {
    const name = `windows11.0-kb5043080-x64_${'a'.repeat(40)}.msu`
    expect(await fail(downloadFile(file({ fileName: name }), opts()))).toMatchObject({
      code: 'hash-mismatch',
      message: `${name}: the Catalog's SHA-1 ${sha1(BODY)} differs from the one in the file name.`,
    })
  })
  it('a long name that is not a plain file name: refused, quoting its first 120 characters', async () => {
    const name = `../${'n'.repeat(200)}.msu`
    expect(await fail(downloadFile(file({ fileName: name }), opts()))).toMatchObject({
      code: 'bad-input',
      message: `Refused file name ${JSON.stringify(name.slice(0, 120))}: not a plain file name.`,
    })
  })
})

describe('download set: a cache entry whose record does not match its bytes', () => {
  const sign = { check: async () => ({ status: 'valid' as const, signer: 'Microsoft Windows' }) }
  const run = (cache: DownloadCache) =>
    downloadSet([file({ sha256: null })], {
      cache,
      policy,
      signatures: sign,
      fileOptions: { backoffMs: 1, attempts: 1, freeBytes: async () => 1e15 },
    })
  it('recorded SHA-1 right, bytes of another file (their own SHA-256 recorded): not used, fetched again', async () => {
    const cache = new DownloadCache(join(dir, 'cache'))
    const other = Buffer.alloc(BODY.length, 7)
    await writeFile(join(dir, 'x'), other)
    await cache.put(join(dir, 'x'), {
      sha1: sha1(BODY),
      sha256: sha256(other),
      sizeBytes: other.length,
      fileName: 'package.msu',
    })
    const [v] = await run(cache)
    expect(v).toMatchObject({ fromCache: false, sha1: sha1(BODY) })
    expect(requests).toHaveLength(1)
  })
  it('the right bytes with a wrong SHA-256 recorded: not used, fetched again', async () => {
    const cache = new DownloadCache(join(dir, 'cache'))
    await writeFile(join(dir, 'x'), BODY)
    await cache.put(join(dir, 'x'), {
      sha1: sha1(BODY),
      sha256: 'b'.repeat(64),
      sizeBytes: BODY.length,
      fileName: 'package.msu',
    })
    const [v] = await run(cache)
    expect(v).toMatchObject({ fromCache: false, sha256: sha256(BODY) })
    expect(requests).toHaveLength(1)
  })
})
