import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliInProcess } from '../cli-in-process.ts'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startLocalCatalog, type LocalCatalog } from '../../../main/catalog/local-catalog/server.ts'
import { tempDir } from '../temp-dirs.ts'

let cat: LocalCatalog
let home: string
const oldHome = process.env.SERVICING_DESK_HOME

const cli = runCliInProcess

beforeAll(async () => {
  cat = await startLocalCatalog()
  home = await tempDir('sd-cli-')
  process.env.SERVICING_DESK_HOME = join(home, 'data')
})
afterAll(async () => {
  // Assigning undefined would store the string "undefined": a data folder named so in the working folder.
  if (oldHome === undefined) delete process.env.SERVICING_DESK_HOME
  else process.env.SERVICING_DESK_HOME = oldHome
  await cat.close()
})

describe('servicing-desk catalog / download / kit', () => {
  it('catalog search prints JSON rows for one architecture', async () => {
    const r = await cli('catalog', 'search', 'KB5086672', '--arch', 'arm64', '--json', '--catalog-url', cat.baseUrl)
    expect(r.code).toBe(0)
    const json = JSON.parse(r.out)
    expect(json.updates).toHaveLength(2)
    expect(json.updates.every((u: { arch: string }) => u.arch === 'arm64')).toBe(true)
  })

  it('uses the in-process local Catalog off Windows and says so on stderr', async () => {
    const r = await cli('catalog', 'search', 'KB5089593')
    expect(r.code).toBe(0)
    expect(r.err).toMatch(/this is not Windows; using the local training Catalog at http:\/\/127\.0\.0\.1:\d+/)
    expect(r.out).toMatch(/KB5089593 +x64 /)
  })

  it('refuses a non-loopback --catalog-url and bad arguments', async () => {
    expect(await cli('catalog', 'search', 'x', '--catalog-url', 'https://evil.example.com')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/must be a loopback address/),
    })
    expect(await cli('catalog', 'search', 'x', '--arch', 'mips')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--arch must be one of/),
    })
    expect(await cli('download', '--kb', 'KB12', '--arch', 'x64')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/not a KB number/),
    })
    expect(
      await cli('kit', 'build', '--kb', 'KB5086672', '--machine', 'no-such-machine', '--out', join(home, 'x')),
    ).toMatchObject({ code: 2 })
  })

  it('catalog chain and download give the checkpoint first; a second download comes from the cache', async () => {
    const chain = await cli(
      'catalog',
      'chain',
      '--kb',
      'KB5086672',
      '--arch',
      'x64',
      '--json',
      '--catalog-url',
      cat.baseUrl,
    )
    expect(JSON.parse(chain.out).files.map((f: { kb: string }) => f.kb)).toEqual(['KB5043080', 'KB5086672'])
    const d1 = await cli(
      'download',
      '--kb',
      'KB5086672',
      '--arch',
      'x64',
      '--json',
      '--catalog-url',
      cat.baseUrl,
      '--out',
      join(home, 'dl'),
    )
    expect(d1.code).toBe(0)
    expect(JSON.parse(d1.out).files.map((f: { fromCache: boolean }) => f.fromCache)).toEqual([false, false])
    expect(await readdir(join(home, 'dl'))).toHaveLength(2)
    const d2 = await cli('download', '--kb', 'KB5086672', '--arch', 'x64', '--json', '--catalog-url', cat.baseUrl)
    expect(JSON.parse(d2.out).files.map((f: { fromCache: boolean }) => f.fromCache)).toEqual([true, true])
  })

  it('kit build for arm64-missing-checkpoint, kit verify passes, one corrupted byte fails it', async () => {
    const dir = join(home, 'kit')
    const b = await cli(
      'kit',
      'build',
      '--kb',
      'KB5086672',
      '--arch',
      'arm64',
      '--machine',
      'arm64-missing-checkpoint',
      '--out',
      dir,
      '--catalog-url',
      cat.baseUrl,
    )
    expect(b.code).toBe(0)
    expect(b.out).toMatch(/1\. checkpoint +windows11\.0-kb5043080-arm64_[0-9a-f]{40}\.msu +verified/)
    expect(b.out).toMatch(/2\. target +windows11\.0-kb5086672-arm64_[0-9a-f]{40}\.msu +verified/)
    expect(await cli('kit', 'verify', dir)).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^OK: 2 file\(s\) verified/),
    })
    const target = (await readdir(dir)).find((n) => n.includes('kb5086672')) as string
    const bytes = await readFile(join(dir, target))
    bytes[bytes.length - 1] ^= 0x80
    await writeFile(join(dir, target), bytes)
    const v = await cli('kit', 'verify', dir)
    expect(v.code).toBe(1)
    expect(v.out).toMatch(/FAILED: 3 problem\(s\)/)
    const imp = await cli('kit', 'import', dir, '--arch', 'x64')
    expect(imp.code).toBe(1)
    expect(imp.out).toMatch(/REJECTED .*it is for arm64; this PC is x64/)
  })
})
