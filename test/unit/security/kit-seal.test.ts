/**
 * Kits are sealed: manifest.json records the SHA-256 of Install-Kit.ps1 and PLAN.md as
 * written, and `kit verify` (the CLI, exit 1) fails when either is changed, replaced, missing, a link, or
 * when the manifest has no seal. A kit built through the real CLI against the local Catalog.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cp, readFile, rm, symlink, writeFile, appendFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { PassThrough } from 'node:stream'
import { join } from 'node:path'
import { runCli } from '../../../main/cli/run-cli.ts'
import { createOutput } from '../../../main/cli/output.ts'
import { startLocalCatalog, type LocalCatalog } from '../../../main/catalog/local-catalog/server.ts'
import { KitManifestSchema } from '../../../preload/model/kit.ts'
import { tempDir } from '../temp-dirs.ts'

let cat: LocalCatalog
let home: string
let kit: string
const oldHome = process.env.SERVICING_DESK_HOME

async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  const out = new PassThrough()
  let o = ''
  out.on('data', (c) => {
    o += c
  })
  process.exitCode = undefined
  const code = await runCli(argv, createOutput(out, new PassThrough()))
  process.exitCode = undefined
  return { code, out: o }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  cat = await startLocalCatalog()
  home = await tempDir('sd-seal-')
  process.env.SERVICING_DESK_HOME = join(home, 'data')
  kit = join(home, 'kit')
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
    kit,
    '--catalog-url',
    cat.baseUrl,
  )
  expect(b.code).toBe(0)
})
afterAll(async () => {
  // Assigning undefined would store the string "undefined": a data folder named so in the working folder.
  if (oldHome === undefined) delete process.env.SERVICING_DESK_HOME
  else process.env.SERVICING_DESK_HOME = oldHome
  await cat.close()
})

/** A fresh copy of the built kit to damage. */
async function copyOfKit(name: string): Promise<string> {
  const dir = join(home, name)
  await cp(kit, dir, { recursive: true })
  return dir
}

describe('the kit seal', () => {
  it('records the SHA-256 of the Install-Kit.ps1 and PLAN.md bytes written, and verify passes on the kit as built', async () => {
    const m = KitManifestSchema.parse(JSON.parse(await readFile(join(kit, 'manifest.json'), 'utf8')))
    expect(m.seal).toEqual({
      installScriptSha256: sha256(await readFile(join(kit, 'Install-Kit.ps1'))),
      planSha256: sha256(await readFile(join(kit, 'PLAN.md'))),
      collectorSha256: sha256(await readFile(join(kit, 'Collect-ServicingFacts.ps1'))),
      kitDigest: expect.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/),
    })
    expect((await readFile(join(kit, 'Install-Kit.ps1'))).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    expect(await cli('kit', 'verify', kit)).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^OK: 2 file\(s\) verified .*Install-Kit\.ps1 and PLAN\.md as sealed/),
    })
  })

  it.each([
    [
      'Install-Kit.ps1 with one line added',
      'Install-Kit.ps1',
      (p: string) => appendFile(p, '\r\nInvoke-Evil\r\n'),
      /Install-Kit\.ps1: changed since the kit was made/,
    ],
    [
      'Install-Kit.ps1 replaced',
      'Install-Kit.ps1',
      (p: string) => writeFile(p, 'Invoke-Evil\r\n'),
      /Install-Kit\.ps1: changed since the kit was made/,
    ],
    ['Install-Kit.ps1 missing', 'Install-Kit.ps1', (p: string) => rm(p), /Install-Kit\.ps1: missing/],
    [
      'Install-Kit.ps1 a link to another script',
      'Install-Kit.ps1',
      async (p: string) => {
        await writeFile(join(home, 'evil.ps1'), 'Invoke-Evil')
        await rm(p)
        await symlink(join(home, 'evil.ps1'), p)
      },
      /Install-Kit\.ps1: refused: not a regular file/,
    ],
    [
      'PLAN.md with one word changed',
      'PLAN.md',
      async (p: string) => writeFile(p, (await readFile(p, 'utf8')).replace('checkpoint', 'checkp0int')),
      /PLAN\.md: changed since the kit was made/,
    ],
    ['PLAN.md missing', 'PLAN.md', (p: string) => rm(p), /PLAN\.md: missing/],
  ] as const)('kit verify fails (exit 1) with %s', async (name, file, damage, message) => {
    const dir = await copyOfKit(name.replace(/\W+/g, '-'))
    await damage(join(dir, file))
    const r = await cli('kit', 'verify', dir)
    expect(r.code).toBe(1)
    expect(r.out).toMatch(message)
  })

  it('a manifest without a seal fails, and so does one whose seal was edited to match nothing', async () => {
    const bare = await copyOfKit('no-seal')
    const m = JSON.parse(await readFile(join(bare, 'manifest.json'), 'utf8'))
    delete m.seal
    await writeFile(join(bare, 'manifest.json'), JSON.stringify(m))
    expect(await cli('kit', 'verify', bare)).toMatchObject({
      code: 1,
      out: expect.stringMatching(/manifest\.json: no seal/),
    })
    const edited = await copyOfKit('edited-seal')
    const m2 = JSON.parse(await readFile(join(edited, 'manifest.json'), 'utf8'))
    m2.seal.planSha256 = '0'.repeat(64)
    await writeFile(join(edited, 'manifest.json'), JSON.stringify(m2))
    expect(await cli('kit', 'verify', edited)).toMatchObject({
      code: 1,
      out: expect.stringMatching(/PLAN\.md: changed since the kit was made/),
    })
  })

  it('PLAN.md promises only what works: the commands it names exist in the CLI', async () => {
    const plan = await readFile(join(kit, 'PLAN.md'), 'utf8')
    expect(plan).not.toMatch(/With the app: import this folder/)
    expect(plan).toContain(
      '`kit verify DIR` re-checks every hash and the order, and that this file and Install-Kit.ps1 are the ones the kit was made with',
    )
    expect(plan).toContain('`install --kit DIR`')
  })
})
