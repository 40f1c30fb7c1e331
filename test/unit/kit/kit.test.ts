import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendFile, readFile, readdir, rm, symlink, writeFile, copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { startLocalCatalog, type LocalCatalog } from '../../../main/catalog/local-catalog/server.ts'
import { createPackagesService, kitMachineOf, type PackagesService } from '../../../main/kit/packages-service.ts'
import { unavailableSignatureChecker } from '../../../main/download/signature.ts'
import { verifyKit } from '../../../main/kit/kit-verify.ts'
import { importKitFolder } from '../../../main/kit/kit-import.ts'
import { createServices } from '../../../main/services.ts'
import type { KitManifest } from '../../../preload/model/kit.ts'
import { tempDir } from '../temp-dirs.ts'

let cat: LocalCatalog
let home: string
let pkgs: PackagesService
let services: ReturnType<typeof createServices>
let kitDir: string
let manifest: KitManifest

beforeAll(async () => {
  cat = await startLocalCatalog()
  home = await tempDir('sd-kit-')
  services = createServices({ dataDir: join(home, 'data'), platform: 'linux' })
  pkgs = createPackagesService({
    dataDir: join(home, 'data'),
    toolVersion: '0.1.0-test',
    defaultCatalog: { url: cat.baseUrl },
    signatures: () => unavailableSignatureChecker('Not checked on this OS (linux)'),
    clientOptions: { backoffMs: 1 },
  })
  const snapshot = await services.scan({ kind: 'training', name: 'arm64-missing-checkpoint' })
  kitDir = join(home, 'kit')
  manifest = (await pkgs.exportKit({ kb: 'KB5086672', arch: 'arm64', outDir: kitDir, machine: kitMachineOf(snapshot) }))
    .manifest
})
afterAll(async () => {
  await pkgs.close()
  await cat.close()
})

async function copyKit(name: string): Promise<string> {
  const dir = join(home, name)
  await mkdir(dir, { recursive: true })
  for (const n of await readdir(kitDir)) await copyFile(join(kitDir, n), join(dir, n))
  return dir
}

describe('kit build for arm64-missing-checkpoint (KB5086672, arm64)', () => {
  it('puts the checkpoint first and the target second, both verified, with manifest, plan and script', async () => {
    expect(manifest.files.map((f) => [f.order, f.role, f.kb, f.arch])).toEqual([
      [1, 'checkpoint', 'KB5043080', 'arm64'],
      [2, 'target', 'KB5086672', 'arm64'],
    ])
    expect(manifest.target).toMatchObject({
      kb: 'KB5086672',
      arch: 'arm64',
      machine: 'arm64-missing-checkpoint',
      build: 26100,
    })
    expect(manifest.tool).toEqual({ name: 'servicing-desk', version: '0.1.0-test' })
    expect((await readdir(kitDir)).sort()).toEqual(
      [
        'Collect-ServicingFacts.ps1',
        'Install-Kit.ps1',
        'PLAN.md',
        'manifest.json',
        ...manifest.files.map((f) => f.fileName),
      ].sort(),
    )
    const script = await readFile(join(kitDir, 'Install-Kit.ps1'), 'utf8')
    expect(script).toContain("$ExpectedArch = 'ARM64'")
    expect(script).toContain('Get-FileHash -LiteralPath $p -Algorithm SHA256')
    expect(script).toContain(manifest.files[1].sha256.toUpperCase())
    expect(script).toContain(`$Target = '${manifest.files[1].fileName}'`)
    expect(script).toContain('/Add-Package')
    expect(script).toMatch(/\$ExpectedBuilds = @\(26100, 26200, 26300\)/) // 24H2, 25H2 and 26H2 take the same packages (shared servicing branch)
    expect(script).toContain('\r\n')
    const plan = await readFile(join(kitDir, 'PLAN.md'), 'utf8')
    expect(plan).toMatch(/1\. `windows11\.0-kb5043080-arm64_[0-9a-f]{40}\.msu` — checkpoint KB5043080/)
  })

  it('kit verify passes on the kit as built', async () => {
    const r = await verifyKit(kitDir)
    expect(r.problems).toEqual([])
    expect(r).toMatchObject({ ok: true, checkedFiles: 2 })
  })

  it('refuses an arm64 kit for an x64 machine, with the reason', async () => {
    const x64 = kitMachineOf(await services.scan({ kind: 'training', name: 'x64-healthy' }))
    await expect(
      pkgs.exportKit({ kb: 'KB5086672', arch: 'arm64', outDir: join(home, 'wrong'), machine: x64 }),
    ).rejects.toThrow(/x64-healthy is x64; a arm64 kit would not install there/)
  })
})

describe('kit verify finds every problem', () => {
  it('fails when one byte is corrupted', async () => {
    const dir = await copyKit('corrupt')
    const f = join(dir, manifest.files[0].fileName)
    const bytes = await readFile(f)
    bytes[1234] ^= 0x01
    await writeFile(f, bytes)
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(r.problems.map((p) => p.problem).join('\n')).toMatch(/SHA-1 is [0-9a-f]{40}, the manifest says/)
    expect(r.problems.every((p) => p.fileName === manifest.files[0].fileName)).toBe(true)
  })

  it('refuses a manifest path that points outside the kit', async () => {
    const dir = await copyKit('escape')
    const m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'))
    m.files[0].fileName = `../escape/${m.files[0].fileName}`
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(m))
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(r.problems[0].problem).toMatch(/Refused: the manifest is invalid \(files\.0\.fileName/)
  })

  it('refuses a package that is a link, a missing file, a stray package and a truncated file', async () => {
    const dir = await copyKit('links')
    const first = manifest.files[0].fileName
    await rm(join(dir, first))
    await symlink(join(kitDir, first), join(dir, first))
    await writeFile(join(dir, 'windows11.0-kb5048667-arm64_0000000000000000000000000000000000000000.msu'), 'x')
    await appendFile(join(dir, manifest.files[1].fileName), Buffer.from([0]))
    const r = await verifyKit(dir)
    const text = r.problems.map((p) => `${p.fileName}: ${p.problem}`).join('\n')
    expect(text).toMatch(/not a regular file in the kit/)
    expect(text).toMatch(/a package not in the manifest/)
    expect(text).toMatch(/size is \d+, the manifest says/)
    await rm(join(dir, manifest.files[1].fileName))
    expect((await verifyKit(dir)).problems.map((p) => p.problem)).toContain('missing')
  })

  it('reports a missing folder or manifest plainly', async () => {
    expect((await verifyKit(join(home, 'nope'))).problems[0].problem).toMatch(/No such folder/)
    const empty = join(home, 'empty')
    await mkdir(empty)
    expect((await verifyKit(empty)).problems[0].problem).toMatch(/Missing or not JSON/)
  })
})

describe('importing a kit or a folder of MSUs', () => {
  it('tells KB, arch, hash and order for each file of a kit', async () => {
    const r = await importKitFolder(kitDir, 'arm64')
    expect(r.fromManifest).toBe(true)
    expect(r.targetKb).toBe('KB5086672')
    expect(r.files.map((f) => [f.kb, f.arch, f.hash, f.order, f.role, f.accepted])).toEqual([
      ['KB5043080', 'arm64', 'good', 1, 'checkpoint', true],
      ['KB5086672', 'arm64', 'good', 2, 'target', true],
    ])
  })

  it('rejects files for another architecture with the reason', async () => {
    const r = await importKitFolder(kitDir, 'x64')
    expect(r.files.every((f) => !f.accepted && f.reason === 'it is for arm64; this PC is x64')).toBe(true)
    expect(r.problems.join(' ')).toMatch(/not in this folder/)
  })

  it('reads a plain folder of MSUs by their names, and flags a damaged one', async () => {
    const dir = join(home, 'plain')
    await mkdir(dir)
    for (const f of manifest.files) await copyFile(join(kitDir, f.fileName), join(dir, f.fileName))
    const x64 = cat.updates.find((u) => u.kb === 'KB5043080' && u.arch === 'x64')!.files[0]
    await writeFile(join(dir, x64.fileName), 'not the real bytes')
    const r = await importKitFolder(dir, 'arm64', 'KB5086672')
    expect(r.fromManifest).toBe(false)
    const byName = Object.fromEntries(r.files.map((f) => [f.fileName, f]))
    expect(byName[manifest.files[0].fileName]).toMatchObject({ hash: 'good', order: 1, accepted: true })
    expect(byName[manifest.files[1].fileName]).toMatchObject({ hash: 'good', order: 2, accepted: true })
    expect(byName[x64.fileName]).toMatchObject({
      hash: 'bad',
      accepted: false,
      order: null,
      reason: expect.stringMatching(/does not match the one in its name/),
    })
  })
})

describe('a Catalog that lies about the hash', () => {
  it('downloads nothing into the cache and says the file failed verification', async () => {
    cat.setFault({ kind: 'wrong-hash' })
    try {
      await expect(pkgs.download('KB5089593', 'x64')).rejects.toThrow(
        /failed verification: SHA-1 is [0-9a-f]{40}, the Catalog says/,
      )
    } finally {
      cat.setFault(null)
    }
    const files = await readdir(join(home, 'data', 'downloads', 'files')).catch(() => [] as string[])
    const ok = cat.updates.find((u) => u.kb === 'KB5089593' && u.arch === 'x64')!.files[0].sha1
    expect(files.every((n) => n !== ok && !n.startsWith('0'))).toBe(true)
    expect(await readdir(join(home, 'data', 'downloads', 'partial'))).toEqual([])
  })
})

describe('a kit is on the device before it is called written', () => {
  it('syncToDevice fsyncs every named file and the folder, and fails plainly on a missing one', async () => {
    const { syncToDevice } = await import('../../../main/kit/kit-build.ts')
    const dir = await tempDir('sd-kit-sync-')
    await writeFile(join(dir, 'a.msu'), 'x')
    await writeFile(join(dir, 'manifest.json'), '{}')
    await expect(syncToDevice(dir, ['a.msu', 'manifest.json'])).resolves.toBeUndefined()
    await expect(syncToDevice(dir, ['a.msu', 'gone.msu'])).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
