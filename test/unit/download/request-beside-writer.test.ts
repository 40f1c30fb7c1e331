/**
 * A fresh download asks the server while its hashing worker starts (round 6: the start took 26.7 ms,
 * which every file paid before its first byte); a resumed one asks only once its partial is re-hashed. The
 * writer's `open` is gated here (the module is replaced, so this file runs in a process of its own: ISOLATED
 * in vitest.config.ts) so that the order is seen, not guessed from timings: with the request sent only after
 * the writer, the gate below would wait for a request that never comes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { getEventListeners } from 'node:events'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { downloadFile, type FileToDownload } from '../../../main/download/download-file.ts'
import type { DownloadPolicy } from '../../../main/catalog/download-policy.ts'
import { writePartialState } from '../../../main/download/partial-state.ts'
import { tempDir } from '../temp-dirs.ts'
import { failureOf, serveOnLoopback, serveWhole, sha1, sha256 } from './scripted-server.ts'
import { hangMs } from '../../load.ts'

const realSetInterval = globalThis.setInterval
const realClearInterval = globalThis.clearInterval
const hooks = vi.hoisted(() => ({ beforeOpen: null as null | ((prefixBytes: number) => Promise<void>) }))
vi.mock('../../../main/download/hashing-writer.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../main/download/hashing-writer.ts')>()
  return {
    ...real,
    HashingWriter: {
      open: async (...args: Parameters<typeof real.HashingWriter.open>) => {
        await hooks.beforeOpen?.(args[1].prefixBytes)
        return real.HashingWriter.open(...args)
      },
    },
  }
})

const BODY = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251))
let server: Awaited<ReturnType<typeof serveOnLoopback>>
let origin: string
let policy: DownloadPolicy
let handler: (req: IncomingMessage, res: ServerResponse) => void
let requests: { range: string | null }[]
let onRequest: () => void
let dir: string

beforeAll(async () => {
  server = await serveOnLoopback((req, res) => {
    requests.push({ range: req.headers.range ?? null })
    onRequest()
    handler(req, res)
  })
  ;({ origin, policy } = server)
})
afterAll(() => server.close())
beforeEach(async () => {
  requests = []
  onRequest = () => {}
  handler = serveWhole(BODY)
  hooks.beforeOpen = null
  dir = await tempDir('sd-dl-beside-')
})

const file = (): FileToDownload => ({
  url: `${origin}/f/package.msu`,
  fileName: 'package.msu',
  sha1: sha1(BODY),
  sha256: sha256(BODY),
})
const opts = () => ({ dir, policy, backoffMs: 1, attempts: 1, freeBytes: async () => 1e15 })
/** Resolves when the server has a request; rejects after 5 s at idle (the request did not go out; test/load.ts). */
function requestArrives(): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const t = setTimeout(
      () => reject(new Error('no request reached the server while the writer was starting')),
      hangMs(5000),
    )
    onRequest = () => {
      clearTimeout(t)
      resolve()
    }
  })
}

describe('a fresh download', () => {
  it('asks the server before its writer is ready, and ends verified', async () => {
    hooks.beforeOpen = () => requestArrives()
    const got = await downloadFile(file(), opts())
    expect(got).toMatchObject({ sizeBytes: BODY.length, sha1: sha1(BODY), sha256: sha256(BODY), resumedFrom: 0 })
    expect(Buffer.compare(await readFile(got.path), BODY)).toBe(0)
    expect(requests).toEqual([{ range: null }])
  })

  it("whose writer cannot open: fails with the writer's error, ends the request that went out (the server sees it close) and leaves nothing", async () => {
    let closed!: () => void
    const serverSawClose = new Promise<void>((r) => {
      closed = r
    })
    // The server answers nothing: the request stays open until the download ends it.
    handler = (req) => {
      req.socket.once('close', () => closed())
    }
    hooks.beforeOpen = async () => {
      await requestArrives()
      throw Object.assign(new Error('No space left on device'), { code: 'ENOSPC' })
    }
    expect(await failureOf(downloadFile(file(), opts()))).toMatchObject({ code: 'no-space' })
    // The server sees the request closed (an event, not a deadline: a request left open ends at the test's hang timeout).
    await serverSawClose
    expect(await readdir(dir)).toEqual([])
  })
})

describe('a resumed download', () => {
  it('re-hashes its partial before it asks for the rest (its body does not wait in the socket meanwhile)', async () => {
    await writeFile(join(dir, 'package.msu.partial'), BODY.subarray(0, 100_000))
    await writePartialState(join(dir, 'package.msu.partial.json'), {
      version: 1,
      sha1: sha1(BODY),
      url: file().url,
      totalBytes: BODY.length,
      validator: '"v1"',
      updated: '2026-11-24T00:00:00Z',
    })
    const seenAtOpen: number[] = []
    hooks.beforeOpen = async (prefixBytes) => {
      seenAtOpen.push(requests.length, prefixBytes)
    }
    const got = await downloadFile(file(), opts())
    expect(seenAtOpen).toEqual([0, 100_000])
    expect(requests).toEqual([{ range: 'bytes=100000-' }])
    expect(got).toMatchObject({ resumedFrom: 100_000, sha1: sha1(BODY) })
  })
})

describe('what a download leaves behind', () => {
  const enospc = () => Object.assign(new Error('No space left on device'), { code: 'ENOSPC' })
  /** Runs `f` and returns the intervals it set that are still running after it (the download's idle check is one). */
  async function intervalsLeftBy(f: () => Promise<unknown>): Promise<number> {
    const set = new Set<unknown>()
    const setSpy = vi.spyOn(globalThis, 'setInterval').mockImplementation(((fn: () => void, ms?: number) => {
      const h = realSetInterval(fn, ms)
      set.add(h)
      return h
    }) as typeof setInterval)
    const clearSpy = vi.spyOn(globalThis, 'clearInterval').mockImplementation(((
      h?: Parameters<typeof clearInterval>[0],
    ) => {
      set.delete(h)
      realClearInterval(h)
    }) as typeof clearInterval)
    try {
      await f()
    } finally {
      setSpy.mockRestore()
      clearSpy.mockRestore()
    }
    for (const h of set) realClearInterval(h as Parameters<typeof clearInterval>[0])
    return set.size
  }

  it("a resumed download whose writer cannot open fails with the writer's error and asks nothing", async () => {
    await writeFile(join(dir, 'package.msu.partial'), BODY.subarray(0, 100_000))
    await writePartialState(join(dir, 'package.msu.partial.json'), {
      version: 1,
      sha1: sha1(BODY),
      url: file().url,
      totalBytes: BODY.length,
      validator: '"v1"',
      updated: '2026-11-24T00:00:00Z',
    })
    hooks.beforeOpen = async () => {
      throw enospc()
    }
    expect(await failureOf(downloadFile(file(), opts()))).toMatchObject({ code: 'no-space' })
    expect(requests).toEqual([])
  })

  it("no timer and no listener on the caller's signal, after a download and after a writer that cannot open (fresh or resumed)", async () => {
    const caller = new AbortController()
    expect(await intervalsLeftBy(() => downloadFile(file(), { ...opts(), signal: caller.signal }))).toBe(0)
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0)

    hooks.beforeOpen = async () => {
      throw enospc()
    }
    const fresh = new AbortController()
    expect(
      await intervalsLeftBy(async () => {
        expect(
          await failureOf(downloadFile({ ...file(), fileName: 'other.msu' }, { ...opts(), signal: fresh.signal })),
        ).toMatchObject({ code: 'no-space' })
      }),
    ).toBe(0)
    expect(getEventListeners(fresh.signal, 'abort')).toHaveLength(0)
  })
})
