/**
 * A kit is sealed whole: one digest over its file list, every file's hashes and size and its two
 * scripts, shown at export. The attack: replace the target MSU and rewrite EVERYTHING in the folder to match
 * (its manifest line, file name, PLAN.md, Install-Kit.ps1, the manifest's seal and even its recorded digest,
 * all with the app's own renderers) — the folder is then self-consistent and `kit verify` alone passes. Caught:
 * - by the digest the technician carries from the export: `kit verify --digest`, `plan/install --kit --kit-digest`;
 * - on a machine that checks Microsoft signatures (Windows; modelled by the training machines), the replaced
 *   MSU is left out of the plan even without the digest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliInProcess } from '../cli-in-process.ts'
import { cp, readFile, rename, writeFile } from 'node:fs/promises'
import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { startLocalCatalog, type LocalCatalog } from '../../../main/catalog/local-catalog/server.ts'
import { KitManifestSchema, type KitManifest } from '../../../preload/model/kit.ts'
import { renderInstallScript } from '../../../main/kit/install-script.ts'
import { renderPlan } from '../../../main/kit/kit-plan.ts'
import { buildsSharingBase } from '../../../main/kit/kit-build.ts'
import { powerShellFileText } from '../../../main/host/powershell-text.ts'
import { kitDigest, normalizeKitDigest } from '../../../main/kit/kit-seal.ts'
import { tempDir } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

let cat: LocalCatalog
let home: string
let kit: string
let exported: string
const oldHome = process.env.SERVICING_DESK_HOME
const M = 'arm64-missing-checkpoint'

const cli = runCliInProcess
const sha = (alg: string, b: Uint8Array) => createHash(alg).update(b).digest('hex')

beforeAll(async () => {
  cat = await startLocalCatalog()
  home = await tempDir('sd-digest-')
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
    M,
    '--out',
    kit,
    '--catalog-url',
    cat.baseUrl,
  )
  expect(b.code, b.err).toBe(0)
  exported = /Kit digest: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}) — write it down/.exec(b.out)?.[1] ?? ''
  expect(exported).not.toBe('')
}, hangMs(600_000))
afterAll(async () => {
  // Assigning undefined would store the string "undefined": a data folder named so in the working folder.
  if (oldHome === undefined) delete process.env.SERVICING_DESK_HOME
  else process.env.SERVICING_DESK_HOME = oldHome
  await cat.close()
})

/** The attack: the target MSU replaced, and every file of the folder rewritten to match it. */
async function tamperedKit(): Promise<{ dir: string; replaced: string }> {
  const dir = join(home, `tampered-${randomBytes(3).toString('hex')}`)
  await cp(kit, dir, { recursive: true })
  const m: KitManifest = KitManifestSchema.parse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')))
  const t = m.files.find((f) => f.role === 'target')!
  const bytes = randomBytes(64 * 1024)
  const replaced = 'windows11.0-kb5086672-arm64.msu' // no SHA-1 in the name: nothing to contradict the new bytes
  await writeFile(join(dir, t.fileName), bytes)
  await rename(join(dir, t.fileName), join(dir, replaced))
  const files = m.files.map((f) =>
    f === t
      ? { ...f, fileName: replaced, sha1: sha('sha1', bytes), sha256: sha('sha256', bytes), sizeBytes: bytes.length }
      : f,
  )
  const bare: KitManifest = { ...m, files, seal: undefined }
  const plan = Buffer.from(renderPlan(bare), 'utf8')
  const script = Buffer.from(
    powerShellFileText(renderInstallScript(bare, buildsSharingBase(bare.target.build))),
    'utf8',
  )
  const seal = { installScriptSha256: sha('sha256', script), planSha256: sha('sha256', plan) }
  const forged = { ...bare, seal: { ...seal, kitDigest: kitDigest({ target: bare.target, files, ...seal }) } }
  await writeFile(join(dir, 'PLAN.md'), plan)
  await writeFile(join(dir, 'Install-Kit.ps1'), script)
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(forged, null, 2)}\n`)
  return { dir, replaced }
}

describe('the kit digest', () => {
  it('is shown at export, recorded, and given back by kit verify on the kit as built (any case, dashes optional)', async () => {
    const m = KitManifestSchema.parse(JSON.parse(await readFile(join(kit, 'manifest.json'), 'utf8')))
    expect(m.seal?.kitDigest).toBe(exported)
    const v = await cli('kit', 'verify', kit, '--digest', exported.toLowerCase().replace(/-/g, ''))
    expect(v.code, v.out).toBe(0)
    expect(v.out).toContain(`Kit digest: ${exported} — the one shown at export.`)
    expect(normalizeKitDigest('abcd efgh-ijkl-mnop-qrsu')).toBeNull() // U is not in the alphabet
    expect(normalizeKitDigest('abcd-efgh')).toBeNull()
    expect(normalizeKitDigest(exported.replace(/0/g, 'O'))).toBe(exported)
  })

  it('the self-consistent forgery passes kit verify alone — and fails it with the exported digest', async () => {
    const { dir } = await tamperedKit()
    const alone = await cli('kit', 'verify', dir)
    expect(alone.code, alone.out).toBe(0) // the folder cannot prove itself: this is why the digest is carried
    expect(alone.out).not.toContain(exported)
    const v = await cli('kit', 'verify', dir, '--digest', exported)
    expect(v.code).toBe(1)
    expect(v.out).toMatch(
      new RegExp(
        `the kit's digest is [0-9A-Z-]{24}, not the ${exported} shown when it was exported: an MSU, its manifest line or a script was replaced`,
      ),
    )
  })

  it('plan --kit --kit-digest refuses the forgery (nothing planned); the kit as built plans with its digest noted', async () => {
    const { dir } = await tamperedKit()
    const bad = await cli('plan', '--kit', dir, '--kb', 'KB5086672', '--kit-digest', exported, '--machine', M, '--json')
    expect(bad.code).not.toBe(0)
    expect(bad.err).toMatch(/was changed since it was exported: its digest is .*, not the .* you were given/)
    const good = await cli(
      'plan',
      '--kit',
      kit,
      '--kb',
      'KB5086672',
      '--kit-digest',
      exported,
      '--machine',
      M,
      '--json',
    )
    expect(good.code, good.err).toBe(0)
    expect(JSON.stringify(JSON.parse(good.out).notes)).toContain(`Kit digest ${exported}: the one shown at export.`)
  })

  it('without the digest, a machine that checks Microsoft signatures leaves the replaced MSU out of the plan', async () => {
    const { dir, replaced } = await tamperedKit()
    const r = await cli('plan', '--kit', dir, '--kb', 'KB5086672', '--machine', M, '--json')
    const text = r.out + r.err
    expect(text).not.toMatch(new RegExp(`"fileName": "${replaced.replace(/\./g, '\\.')}"`))
    expect(text).toMatch(
      new RegExp(
        `Left out ${replaced.replace(/\./g, '\\.')}: its hash matches the kit's manifest, but it has no valid Microsoft signature`,
      ),
    )
  })
})
