/**
 * Each guard of `buildKit`, alone: the architecture check, the package hash and signature checks,
 * the folder that already holds other packages, the checkpoint left out when the PC has it, and the seal.
 * Small synthetic packages (a few bytes in a temp folder) stand for verified downloads: buildKit copies,
 * orders, records and seals them; it never reads their contents.
 */
import { describe, expect, it, vi } from 'vitest'
import { createHash } from 'node:crypto'
import { lstat, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildKit, buildsSharingBase, KitError, type KitMachine } from '../../../main/kit/kit-build.ts'
import { verifyKit } from '../../../main/kit/kit-verify.ts'
import type { ChainFile, UpdateChain, VerifiedFile } from '../../../preload/model/catalog.ts'
import type { MachineArch } from '../../../preload/model/common.ts'
import { tempDir } from '../temp-dirs.ts'

const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex')
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')

interface Made {
  chain: UpdateChain
  files: VerifiedFile[]
  src: string
}

/** A chain for `arch`: checkpoint KB5043080 then target KB5086672 (and optional extra files), each downloaded into a temp folder. */
async function made(arch: MachineArch = 'x64', extra: { kb: string; role: ChainFile['role'] }[] = []): Promise<Made> {
  const src = await tempDir('sd-kit-src-')
  const specs = [
    { kb: 'KB5043080', role: 'checkpoint' as const },
    { kb: 'KB5086672', role: 'target' as const },
    ...extra,
  ]
  const chainFiles: ChainFile[] = []
  const files: VerifiedFile[] = []
  for (const [i, s] of specs.entries()) {
    const bytes = Buffer.from(`package ${s.kb} ${arch}`)
    const fileName = `windows11.0-${s.kb.toLowerCase()}-${arch}_${sha1(bytes)}.msu`
    await writeFile(join(src, fileName), bytes)
    chainFiles.push({
      updateId: `00000000-0000-0000-0000-00000000000${i}`,
      url: `https://catalog.s.download.windowsupdate.com/${fileName}`,
      fileName,
      sha1: sha1(bytes),
      sha256: sha256(bytes),
      nameSha1: sha1(bytes),
      kb: s.kb,
      arch,
      role: s.role,
      order: i + 1,
      reason: `${s.role} ${s.kb}`,
    })
    files.push({
      fileName,
      path: join(src, fileName),
      sizeBytes: bytes.length,
      sha1: sha1(bytes),
      sha256: sha256(bytes),
      fromCache: true,
      signature: { status: 'valid', signer: 'Microsoft Windows' },
    })
  }
  const chain = {
    targetKb: 'KB5086672',
    arch,
    update: { title: '2026-11 Cumulative Update (KB5086672)' },
    files: chainFiles,
    notes: ['a chain note'],
  } as unknown as UpdateChain
  return { chain, files, src }
}
const machine = (over: Partial<KitMachine> = {}): KitMachine => ({
  name: 'PC-1',
  nativeArch: 'x64',
  build: 26100,
  ubr: 1150,
  checkpointPresent: false,
  ...over,
})
const build = async (m: Made, over: { machine?: KitMachine | null; outDir?: string; files?: VerifiedFile[] } = {}) => {
  const outDir = over.outDir ?? join(await tempDir('sd-kit-out-'), 'kit')
  return buildKit({
    chain: m.chain,
    files: over.files ?? m.files,
    outDir,
    machine: over.machine === undefined ? machine() : over.machine,
    toolVersion: '1.2.3',
    now: new Date('2026-11-23T01:00:00Z'),
  })
}
const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(KitError)
  return (e as Error).message
}

describe('kit build: the architecture check', () => {
  const cases: [MachineArch | null, MachineArch, 'built' | 'refused'][] = [
    ['x64', 'x64', 'built'],
    ['arm64', 'arm64', 'built'],
    [null, 'x64', 'built'],
    [null, 'arm64', 'built'],
    ['arm64', 'x64', 'refused'],
    ['x64', 'arm64', 'refused'],
  ]
  let ran = 0
  for (const [pc, kit, want] of cases) {
    it(`a ${kit} kit for a PC that is ${pc ?? 'of unknown architecture'}: ${want}`, async () => {
      ran++
      const m = await made(kit)
      const r = build(m, { machine: machine({ nativeArch: pc }) })
      if (want === 'built') expect((await r).manifest.files.every((f) => f.arch === kit)).toBe(true)
      else
        expect(await refusal(r)).toBe(
          `PC-1 is ${pc}; a ${kit} kit would not install there. Build the kit with --arch ${pc}.`,
        )
    })
  }
  it('ran every case', () => expect(ran).toBe(cases.length))

  it('refused before anything is written', async () => {
    const out = join(await tempDir('sd-kit-out-'), 'kit')
    await refusal(build(await made('x64'), { machine: machine({ nativeArch: 'arm64' }), outDir: out }))
    await expect(lstat(out)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('without a machine: built, target build/ubr/machine null', async () => {
    const { manifest } = await build(await made('arm64'), { machine: null })
    expect(manifest.target).toEqual({
      kb: 'KB5086672',
      arch: 'arm64',
      build: null,
      ubr: null,
      machine: null,
      title: '2026-11 Cumulative Update (KB5086672)',
    })
  })
})

describe('kit build: only verified packages go in', () => {
  it('a package that was not downloaded: refused', async () => {
    const m = await made()
    const msg = await refusal(build(m, { files: [m.files[1]!] }))
    expect(msg).toBe(`${m.files[0]!.fileName} was not downloaded and verified; cannot put it in a kit.`)
  })

  it("a download whose SHA-1 is not the chain's: refused", async () => {
    const m = await made()
    const files = [m.files[0]!, { ...m.files[1]!, sha1: 'c'.repeat(40) }]
    expect(await refusal(build(m, { files }))).toBe(
      `${m.files[1]!.fileName} was not downloaded and verified; cannot put it in a kit.`,
    )
  })

  it('a package whose signature is invalid: refused with the reason', async () => {
    const m = await made()
    const files = [
      m.files[0]!,
      { ...m.files[1]!, signature: { status: 'invalid' as const, reason: 'signed by someone else' } },
    ]
    expect(await refusal(build(m, { files }))).toBe(`${m.files[1]!.fileName}: signed by someone else`)
  })

  it('a package whose signature was not checked: built, with one note saying why and what checks it', async () => {
    const m = await made()
    const files = m.files.map((f) => ({
      ...f,
      signature: { status: 'not-checked' as const, reason: 'Not checked on this OS (linux).' },
    }))
    const { manifest } = await build(m, { files })
    expect(manifest.notes.filter((n) => n.startsWith('Signatures:'))).toEqual([
      'Signatures: Not checked on this OS (linux). Install-Kit.ps1 checks the hashes; Windows checks the signature when DISM adds the package.',
    ])
  })

  it('valid signatures: no signature note', async () => {
    const { manifest } = await build(await made())
    expect(manifest.notes.some((n) => n.startsWith('Signatures:'))).toBe(false)
  })
})

describe('kit build: what the folder holds', () => {
  it('a folder that already holds another package (any case of .msu/.cab): refused, and the package is named', async () => {
    let ran = 0
    for (const other of ['old.msu', 'OLD.CAB', 'x.Cab']) {
      ran++
      const out = await tempDir('sd-kit-out-')
      await writeFile(join(out, other), 'x')
      expect(await refusal(build(await made(), { outDir: out }))).toBe(
        `${out} already holds other packages (${other}); DISM would take them for checkpoints. Use an empty folder.`,
      )
    }
    expect(ran).toBe(3)
  })

  it("a folder holding the kit's own packages (a rebuild) and other kinds of file: built, the packages replaced by copies", async () => {
    const m = await made()
    const out = await tempDir('sd-kit-out-')
    await writeFile(join(out, m.files[1]!.fileName), 'stale bytes')
    await writeFile(join(out, 'notes.txt'), 'x')
    const { manifest } = await build(m, { outDir: out })
    expect(await readFile(join(out, m.files[1]!.fileName), 'utf8')).toBe('package KB5086672 x64')
    expect((await lstat(join(out, m.files[1]!.fileName))).nlink).toBe(1)
    expect((await readdir(out)).sort()).toEqual(
      [
        'Collect-ServicingFacts.ps1',
        'Install-Kit.ps1',
        'PLAN.md',
        'manifest.json',
        'notes.txt',
        ...manifest.files.map((f) => f.fileName),
      ].sort(),
    )
  })

  it('a file of the chain that is neither checkpoint nor target is left out, with a note', async () => {
    const m = await made('x64', [{ kb: 'KB5099999', role: 'other' }])
    const { manifest } = await build(m, { files: m.files.slice(0, 2) })
    expect(manifest.files.map((f) => f.kb)).toEqual(['KB5043080', 'KB5086672'])
    expect(manifest.notes).toContain(
      `${m.chain.files[2]!.fileName} is in the download dialog but not in the checkpoint chain; left out of the kit.`,
    )
  })
})

describe('kit build: the checkpoint a PC already has', () => {
  it('checkpoint present: only the target, order 1, and a note naming the checkpoint left out', async () => {
    const m = await made()
    const { manifest, dir } = await build(m, { machine: machine({ checkpointPresent: true }), files: [m.files[1]!] })
    expect(manifest.files.map((f) => [f.order, f.role, f.kb])).toEqual([[1, 'target', 'KB5086672']])
    expect(manifest.notes).toContain(
      'PC-1 already has its checkpoint (UBR 1150); KB5043080 left out, as Microsoft says a device on the latest checkpoint needs only the target.',
    )
    expect((await readdir(dir)).filter((n) => n.endsWith('.msu'))).toEqual([m.files[1]!.fileName])
  })

  for (const present of [false, null]) {
    it(`checkpoint present ${present}: checkpoint then target, no such note`, async () => {
      const { manifest } = await build(await made(), { machine: machine({ checkpointPresent: present }) })
      expect(manifest.files.map((f) => [f.order, f.role, f.kb])).toEqual([
        [1, 'checkpoint', 'KB5043080'],
        [2, 'target', 'KB5086672'],
      ])
      expect(manifest.notes.some((n) => n.includes('already has its checkpoint'))).toBe(false)
    })
  }

  it('checkpoint present but the chain has none: no note', async () => {
    const m = await made()
    const chain = { ...m.chain, files: [m.chain.files[1]!] }
    const { manifest } = await build({ ...m, chain }, { machine: machine({ checkpointPresent: true }) })
    expect(manifest.notes.some((n) => n.includes('already has its checkpoint'))).toBe(false)
  })
})

describe('kit build: the manifest and its seal', () => {
  it("records each package with its verified hashes, size, order and the chain's architecture", async () => {
    const m = await made('arm64')
    const { manifest } = await build(m, { machine: machine({ nativeArch: 'arm64', name: 'PC\u0007-2' }) })
    expect(manifest.files).toEqual(
      m.files.map((f, i) => ({
        order: i + 1,
        fileName: f.fileName,
        role: i === 0 ? 'checkpoint' : 'target',
        kb: i === 0 ? 'KB5043080' : 'KB5086672',
        arch: 'arm64',
        sha1: f.sha1,
        sha256: f.sha256,
        sizeBytes: f.sizeBytes,
        reason: m.chain.files[i]!.reason,
      })),
    )
    expect(manifest).toMatchObject({
      schemaVersion: 1,
      tool: { name: 'servicing-desk', version: '1.2.3' },
      created: '2026-11-23T01:00:00.000Z',
    })
    expect(manifest.target).toMatchObject({ kb: 'KB5086672', arch: 'arm64', build: 26100, ubr: 1150 })
    expect(manifest.target.machine).not.toMatch(/[\u0000-\u001f]/)
    expect(manifest.notes[0]).toBe('a chain note')
  })

  it('the seal is the SHA-256 of PLAN.md and Install-Kit.ps1 as written, and manifest.json on disk is the sealed manifest', async () => {
    const { dir, manifest } = await build(await made())
    expect(manifest.seal).toEqual({
      installScriptSha256: sha256(await readFile(join(dir, 'Install-Kit.ps1'))),
      planSha256: sha256(await readFile(join(dir, 'PLAN.md'))),
      collectorSha256: sha256(await readFile(join(dir, 'Collect-ServicingFacts.ps1'))),
      kitDigest: expect.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/),
    })
    expect(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest)
    expect((await readFile(join(dir, 'Install-Kit.ps1'), 'utf8')).startsWith('\uFEFF')).toBe(true)
    expect(await verifyKit(dir)).toMatchObject({ ok: true, checkedFiles: 2, problems: [] })
  })

  it('the script names the builds that take the same packages', async () => {
    const { dir } = await build(await made())
    expect(await readFile(join(dir, 'Install-Kit.ps1'), 'utf8')).toMatch(/\$ExpectedBuilds = @\(26100, 26200, 26300\)/)
  })
})

describe('kit build: builds that share a servicing base', () => {
  it('no build: none; a build no branch knows: itself; 22631: the 22621 branch too', () => {
    expect(buildsSharingBase(null)).toEqual([])
    expect(buildsSharingBase(12345)).toEqual([12345])
    expect(buildsSharingBase(22631)).toEqual([22621, 22631])
    expect(buildsSharingBase(26200)).toEqual([26100, 26200, 26300])
  })
})

describe('kit build: errors, notes and copies at the edges', () => {
  it('a refusal is a KitError by name', async () => {
    const e = await build(await made('x64'), { machine: machine({ nativeArch: 'arm64' }) }).then(
      () => null,
      (err: unknown) => err as Error,
    )
    expect(e?.name).toBe('KitError')
  })

  it('a chain with only checkpoint and target adds no "left out" note', async () => {
    const { manifest } = await build(await made())
    expect(manifest.notes.filter((n) => n.includes('left out of the kit'))).toEqual([])
  })

  it('two checkpoints the PC has: both named in the note', async () => {
    const m = await made('x64', [{ kb: 'KB5043081', role: 'checkpoint' }])
    const chain = { ...m.chain, files: [m.chain.files[0]!, m.chain.files[2]!, m.chain.files[1]!] }
    const { manifest } = await build(
      { ...m, chain },
      { machine: machine({ checkpointPresent: true }), files: [m.files[1]!] },
    )
    expect(manifest.notes).toContain(
      'PC-1 already has its checkpoint (UBR 1150); KB5043080, KB5043081 left out, as Microsoft says a device on the latest checkpoint needs only the target.',
    )
  })

  it('two other packages in the folder: both named; a name that only contains ".msu" is not a package', async () => {
    const out = await tempDir('sd-kit-out-')
    await writeFile(join(out, 'a.msu'), 'x')
    await writeFile(join(out, 'b.cab'), 'x')
    const names = (await readdir(out)).sort()
    expect(await refusal(build(await made(), { outDir: out }))).toBe(
      `${out} already holds other packages (${names.join(', ')}); DISM would take them for checkpoints. Use an empty folder.`,
    )
    const ok = await tempDir('sd-kit-out-')
    await writeFile(join(ok, 'notes.msu.txt'), 'x')
    expect((await build(await made(), { outDir: ok })).manifest.files).toHaveLength(2)
  })

  it('the boot-media notes name the machine, and its Secure Boot state when inspected', async () => {
    const { manifest } = await build(await made())
    expect(manifest.notes).toContain(
      'Secure Boot certificates of PC-1: not inspected, so whether a USB stick or WinRE signed under the 2011 certificate still boots there is unknown.',
    )
    const off = await build(await made(), {
      machine: machine({ bootCerts: { secureBoot: 'off', windowsUefiCa2023InDb: null, pca2011Revoked: null } }),
    })
    expect(off.manifest.notes).toContain(
      'PC-1: Secure Boot is off, so its firmware does not check boot media signatures.',
    )
    const none = await build(await made(), { machine: null })
    expect(none.manifest.notes).toContain(
      'Secure Boot certificates of the target PC: not inspected, so whether a USB stick or WinRE signed under the 2011 certificate still boots there is unknown.',
    )
  })

  it('a kit folder that cannot be made: a write failure naming it, nothing written', async () => {
    const base = await tempDir('sd-kit-out-')
    await writeFile(join(base, 'a-file'), 'x')
    const e = await build(await made(), { outDir: join(base, 'a-file', 'kit') }).then(
      () => null,
      (err: unknown) => err as Error,
    )
    expect(e).toBeInstanceOf(Error)
    expect(e?.message).toContain(join(base, 'a-file', 'kit'))
    expect(e?.message).toMatch(/the kit folder/)
  })

  it('a package whose verified file is gone: a copy failure naming it, and no half-copied file left', async () => {
    const m = await made()
    const out = await tempDir('sd-kit-out-')
    const files = [m.files[0]!, { ...m.files[1]!, path: join(m.src, 'gone.msu') }]
    const e = await build(m, { outDir: out, files }).then(
      () => null,
      (err: unknown) => err as Error,
    )
    expect(e).toBeInstanceOf(Error)
    expect(e?.message).toContain(`${m.files[1]!.fileName} in the kit`)
    expect((await readdir(out)).sort()).toEqual([m.files[0]!.fileName])
  })
})

describe('kit build: module constants, read from a freshly loaded module', () => {
  it("the seal's hash function, as the module is now", async () => {
    // Module-level helpers are created once per load: load kit-build again so the test reads them as they are now.
    vi.resetModules()
    const fresh = await import('../../../main/kit/kit-build.ts')
    const m = await made()
    const outDir = join(await tempDir('sd-kit-out-'), 'kit')
    const { manifest } = await fresh.buildKit({
      chain: m.chain,
      files: m.files,
      outDir,
      machine: machine(),
      toolVersion: '1.2.3',
      now: new Date('2026-11-23T01:00:00Z'),
    })
    expect(manifest.seal).toEqual({
      installScriptSha256: sha256(await readFile(join(outDir, 'Install-Kit.ps1'))),
      planSha256: sha256(await readFile(join(outDir, 'PLAN.md'))),
      collectorSha256: sha256(await readFile(join(outDir, 'Collect-ServicingFacts.ps1'))),
      kitDigest: expect.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/),
    })
  })
})
