/**
 * Download verification, one hash guard per test: the expected digests' form, the Catalog's
 * SHA-1 against the file name's, SHA-1 and SHA-256 of the bytes each alone, a file already on disk reused
 * only when its hashes match, one fresh retry after a mismatch, and the cache re-read on every use. Small
 * generated files from the local Catalog over real HTTP on 127.0.0.1.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startLocalCatalog, type GeneratedFile, type LocalCatalog } from '../../../main/catalog/local-catalog/server.ts'
import { downloadFile, type FileToDownload } from '../../../main/download/download-file.ts'
import { downloadSet } from '../../../main/download/download-set.ts'
import { DownloadCache } from '../../../main/download/download-cache.ts'
import { unavailableSignatureChecker } from '../../../main/download/signature.ts'
import { tempDir } from '../temp-dirs.ts'

let cat: LocalCatalog
let g: GeneratedFile
let dir: string
const served = () => [...cat.stats.fileBytesServed.values()].reduce((a, b) => a + b, 0)
const opts = () => ({ dir, policy: cat.policy, backoffMs: 1, attempts: 1 })
/** The generated file under a plain name without a SHA-1, so only the Catalog digests are compared. */
const plain = (over: Partial<FileToDownload> = {}): FileToDownload => ({
  url: g.url,
  fileName: 'package.msu',
  sha1: g.sha1,
  sha256: g.sha256,
  ...over,
})
const other40 = 'a'.repeat(40)
const other64 = 'b'.repeat(64)

beforeAll(async () => {
  cat = await startLocalCatalog()
  g = cat.generatedFile(20_000, 'guards')
})
afterAll(async () => {
  await cat.close()
})
beforeEach(async () => {
  cat.setFault(null)
  cat.resetStats()
  dir = await tempDir('sd-dl-guard-')
})

describe('download: the expected digests are checked before any request', () => {
  const bad: [string, Partial<FileToDownload>, string][] = [
    ['a SHA-1 of 39 hex digits', { sha1: 'a'.repeat(39) }, 'bad-input'],
    ['an upper-case SHA-1', { sha1: 'A'.repeat(40) }, 'bad-input'],
    ['a SHA-256 of 63 hex digits', { sha256: 'b'.repeat(63) }, 'bad-input'],
    ['an upper-case SHA-256', { sha256: 'B'.repeat(64) }, 'bad-input'],
    [
      'a Catalog SHA-1 that differs from the one in the file name',
      { fileName: `windows11.0-kb5043080-x64_${other40}.msu` },
      'hash-mismatch',
    ],
  ]
  let ran = 0
  for (const [what, over, code] of bad) {
    it(`refuses ${what} (${code}), nothing fetched`, async () => {
      ran++
      await expect(downloadFile(plain(over), opts())).rejects.toMatchObject({ code })
      expect(cat.stats.requests).toHaveLength(0)
    })
  }
  it('ran every case', () => expect(ran).toBe(bad.length))

  it('a SHA-256 of null is allowed (the Catalog did not give one): verified by SHA-1', async () => {
    const r = await downloadFile(plain({ sha256: null }), opts())
    expect(r).toMatchObject({ sha1: g.sha1, sha256: g.sha256, sizeBytes: 20_000 })
  })
})

describe('download: the bytes are verified after the last one', () => {
  it('the right SHA-1 and SHA-256: verified, the file in place, no partial left', async () => {
    const r = await downloadFile(plain(), opts())
    expect(r).toMatchObject({ path: join(dir, 'package.msu'), sha1: g.sha1, sha256: g.sha256, resumedFrom: 0 })
    expect(await readdir(dir)).toEqual(['package.msu'])
  })

  it("a SHA-1 that is not the bytes' (SHA-256 right): hash-mismatch, nothing kept", async () => {
    const err = await downloadFile(plain({ sha1: other40 }), opts()).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'hash-mismatch',
      message: expect.stringMatching(
        new RegExp(
          `failed verification: SHA-1 is ${g.sha1}, the Catalog says ${other40}\\. The bytes were discarded\\.$`,
        ),
      ),
    })
    expect(await readdir(dir)).toEqual([])
  })

  it("a SHA-256 that is not the bytes' (SHA-1 right): hash-mismatch, nothing kept", async () => {
    const err = await downloadFile(plain({ sha256: other64 }), opts()).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'hash-mismatch',
      message: expect.stringMatching(
        new RegExp(
          `failed verification: SHA-256 is ${g.sha256}, the Catalog says ${other64}\\. The bytes were discarded\\.$`,
        ),
      ),
    })
    expect(await readdir(dir)).toEqual([])
  })

  it('a mismatch is retried once from byte 0, then given up', async () => {
    await downloadFile(plain({ sha256: other64 }), { ...opts(), attempts: 5 }).catch(() => null)
    expect(served()).toBe(2 * g.size)
  })
})

describe('download: a file already in the folder', () => {
  it('with the right hashes is used as it is, nothing fetched', async () => {
    await downloadFile(plain(), opts())
    cat.resetStats()
    const r = await downloadFile(plain(), opts())
    expect(r).toMatchObject({ resumedFrom: g.size, sha1: g.sha1 })
    expect(cat.stats.requests).toHaveLength(0)
  })

  it('with the right SHA-1 and no SHA-256 expected is used as it is', async () => {
    await downloadFile(plain(), opts())
    cat.resetStats()
    await downloadFile(plain({ sha256: null }), opts())
    expect(cat.stats.requests).toHaveLength(0)
  })

  it('whose SHA-256 is not the expected one is fetched again (and then fails verification)', async () => {
    await downloadFile(plain(), opts())
    cat.resetStats()
    await expect(downloadFile(plain({ sha256: other64 }), opts())).rejects.toMatchObject({ code: 'hash-mismatch' })
    expect(cat.stats.requests.length).toBeGreaterThan(0)
  })

  it('with other bytes is fetched again and replaced', async () => {
    await writeFile(join(dir, 'package.msu'), 'other bytes')
    const r = await downloadFile(plain(), opts())
    expect(r).toMatchObject({ sha1: g.sha1, resumedFrom: 0 })
    expect(served()).toBe(g.size)
  })
})

describe('download set: the cache is re-read on every use', () => {
  const setup = async () => {
    const cache = new DownloadCache(join(dir, 'cache'))
    const run = (f: FileToDownload) =>
      downloadSet([f], {
        cache,
        policy: cat.policy,
        signatures: unavailableSignatureChecker('not checked in tests'),
        fileOptions: { backoffMs: 1, attempts: 1 },
      })
    return { cache, run }
  }

  it('a verified cached file is used without a request', async () => {
    const { run } = await setup()
    await run(plain())
    cat.resetStats()
    const [v] = await run(plain())
    expect(v).toMatchObject({ fromCache: true, sha1: g.sha1, sha256: g.sha256 })
    expect(cat.stats.requests).toHaveLength(0)
  })

  it('a cached file damaged since is dropped and fetched again', async () => {
    const { run } = await setup()
    const [first] = await run(plain())
    await writeFile(first!.path, Buffer.alloc(g.size))
    cat.resetStats()
    const [v] = await run(plain())
    expect(v).toMatchObject({ fromCache: false, sha1: g.sha1 })
    expect(served()).toBe(g.size)
  })

  it('a cached file with the same SHA-1 but another expected SHA-256 is not used', async () => {
    const { run } = await setup()
    await run(plain())
    cat.resetStats()
    await expect(run(plain({ sha256: other64 }))).rejects.toMatchObject({ code: 'hash-mismatch' })
    expect(cat.stats.requests.length).toBeGreaterThan(0)
  })

  it('a cached file with no SHA-256 expected is used', async () => {
    const { run } = await setup()
    await run(plain())
    cat.resetStats()
    const [v] = await run(plain({ sha256: null }))
    expect(v).toMatchObject({ fromCache: true })
  })
})
