/**
 * Each guard of `kit verify`, alone: a small synthetic kit on disk that passes, and for every
 * test exactly one thing wrong with it. Each test asserts `ok: false` and the one problem it expects (file
 * and kind), so a guard whose removal or inversion goes unnoticed by the scenario tests is noticed here.
 * The packages are a few bytes, not real MSUs: kit verify checks names, hashes, order and seal, not contents.
 */
import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { verifyKit } from '../../../main/kit/kit-verify.ts'
import type { KitFile, KitManifest } from '../../../preload/model/kit.ts'
import { tempDir } from '../temp-dirs.ts'

const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex')
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')

interface Pkg {
  kb: string
  role: 'checkpoint' | 'target'
  order: number
  arch?: 'x64' | 'arm64'
  bytes?: string
  name?: (sha: string) => string
}

const SCRIPT = '# Install-Kit.ps1 (test)\r\n'
const PLAN = '# PLAN (test)\n'

/** A kit folder for an x64 PC: by default checkpoint KB5043080 (order 1) then target KB5086672 (order 2), sealed. */
async function makeKit(
  opts: { pkgs?: Pkg[]; edit?: (m: KitManifest) => void } = {},
): Promise<{ dir: string; manifest: KitManifest }> {
  const dir = await tempDir('sd-kit-guard-')
  const pkgs = opts.pkgs ?? [
    { kb: 'KB5043080', role: 'checkpoint', order: 1 },
    { kb: 'KB5086672', role: 'target', order: 2 },
  ]
  const files: KitFile[] = []
  for (const p of pkgs) {
    const bytes = Buffer.from(p.bytes ?? `package ${p.kb} ${p.order}`)
    const arch = p.arch ?? 'x64'
    const fileName = p.name ? p.name(sha1(bytes)) : `windows11.0-${p.kb.toLowerCase()}-${arch}_${sha1(bytes)}.msu`
    await writeFile(join(dir, fileName), bytes)
    files.push({
      order: p.order,
      fileName,
      role: p.role,
      kb: p.kb,
      arch,
      sha1: sha1(bytes),
      sha256: sha256(bytes),
      sizeBytes: bytes.length,
      reason: p.role,
    })
  }
  await writeFile(join(dir, 'Install-Kit.ps1'), SCRIPT)
  await writeFile(join(dir, 'PLAN.md'), PLAN)
  const manifest: KitManifest = {
    schemaVersion: 1,
    tool: { name: 'servicing-desk', version: '0.1.0' },
    created: '2026-11-22T08:00:00Z',
    target: { kb: 'KB5086672', arch: 'x64', build: 26100, ubr: 1150, machine: null, title: 'KB5086672' },
    files,
    notes: [],
    seal: { installScriptSha256: sha256(SCRIPT), planSha256: sha256(PLAN) },
  }
  opts.edit?.(manifest)
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest))
  return { dir, manifest }
}

/** The problems of a kit as [fileName, problem] pairs. */
const problemsOf = (r: Awaited<ReturnType<typeof verifyKit>>) => r.problems.map((p) => [p.fileName, p.problem])

describe('kit verify: the kit every guard test starts from', () => {
  it('a sealed kit with checkpoint then target passes: ok, no problem, both packages hashed', async () => {
    const { dir, manifest } = await makeKit()
    const r = await verifyKit(dir)
    expect(r.problems).toEqual([])
    expect(r).toMatchObject({ ok: true, checkedFiles: 2, dir })
    expect(r.manifest).toEqual(manifest)
  })

  it('the order is checked after sorting: files listed target first still pass', async () => {
    const { dir } = await makeKit({
      pkgs: [
        { kb: 'KB5086672', role: 'target', order: 2 },
        { kb: 'KB5043080', role: 'checkpoint', order: 1 },
      ],
    })
    expect(await verifyKit(dir)).toMatchObject({ ok: true, problems: [] })
  })

  it('orders 1..11 pass (numbers sorted as numbers, not as text)', async () => {
    const pkgs: Pkg[] = Array.from({ length: 10 }, (_, i) => ({
      kb: `KB50430${String(10 + i)}`,
      role: 'checkpoint' as const,
      order: i + 1,
    }))
    pkgs.push({ kb: 'KB5086672', role: 'target', order: 11 })
    const { dir } = await makeKit({ pkgs: pkgs.reverse() })
    expect(await verifyKit(dir)).toMatchObject({ ok: true, problems: [], checkedFiles: 11 })
  })

  it('a file that is not a package (readme.txt) is not a stray package', async () => {
    const { dir } = await makeKit()
    await writeFile(join(dir, 'readme.txt'), 'hello')
    await writeFile(join(dir, 'notes.msu.txt'), 'hello')
    expect(await verifyKit(dir)).toMatchObject({ ok: true, problems: [] })
  })

  it('a package without KB in the manifest (kb null) is not compared with its name', async () => {
    const { dir } = await makeKit({
      edit: (m) => {
        m.files[0].kb = null
      },
    })
    expect(await verifyKit(dir)).toMatchObject({ ok: true, problems: [] })
  })

  it('a package name without SHA-1 or architecture is only checked against the manifest', async () => {
    const { dir } = await makeKit({
      pkgs: [{ kb: 'KB5086672', role: 'target', order: 1, name: () => 'windows11.0-kb5086672.msu' }],
    })
    expect(await verifyKit(dir)).toMatchObject({ ok: true, problems: [], checkedFiles: 1 })
  })
})

describe('kit verify: refusals before any file is read', () => {
  it('a missing folder: ok false, no manifest, nothing checked', async () => {
    const r = await verifyKit(join(await tempDir('sd-kit-guard-'), 'nope'))
    expect(r).toMatchObject({ ok: false, manifest: null, checkedFiles: 0 })
    expect(r.problems).toHaveLength(1)
    expect(r.problems[0]).toMatchObject({ fileName: null, problem: expect.stringMatching(/^No such folder: /) })
  })

  it('a manifest that is not JSON: ok false, the problem is on manifest.json', async () => {
    const { dir } = await makeKit()
    await writeFile(join(dir, 'manifest.json'), '{ not json')
    const r = await verifyKit(dir)
    expect(r).toMatchObject({ ok: false, manifest: null, checkedFiles: 0 })
    expect(r.problems).toEqual([
      { fileName: 'manifest.json', problem: expect.stringMatching(/^Missing or not JSON: /) },
    ])
  })

  it('a manifest that fails the schema: ok false, refused with the first issues named', async () => {
    const { dir } = await makeKit({
      edit: (m) => {
        ;(m as { schemaVersion: number }).schemaVersion = 2
      },
    })
    const r = await verifyKit(dir)
    expect(r).toMatchObject({ ok: false, manifest: null, checkedFiles: 0 })
    expect(r.problems).toEqual([
      {
        fileName: 'manifest.json',
        problem: expect.stringMatching(
          /^Refused: the manifest is invalid \(schemaVersion: .+\)\. File names must be plain names inside the kit\.$/,
        ),
      },
    ])
  })
})

describe('kit verify: the schema refusal names at most five issues, with their paths', () => {
  it('six invalid fields: five named as path: message, separated by "; "', async () => {
    const { dir } = await makeKit({
      edit: (m) => {
        const f = m.files[0] as unknown as Record<string, unknown>
        f.sha1 = 'x'
        f.sha256 = 'y'
        f.sizeBytes = -1
        f.order = 0
        f.role = 'nope'
        f.arch = 'mips'
      },
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    const inner = /^Refused: the manifest is invalid \((.*)\)\. File names/.exec(r.problems[0]!.problem)![1]!
    const parts = inner.split('; ')
    expect(parts).toHaveLength(5)
    for (const p of parts) expect(p).toMatch(/^files\.0\.[a-zA-Z0-9]+: \S/)
  })
})

describe('kit verify: each package guard alone', () => {
  it('a missing package: ok false, "missing", not counted as checked', async () => {
    const { dir, manifest } = await makeKit()
    await rm(join(dir, manifest.files[0].fileName))
    const r = await verifyKit(dir)
    expect(r).toMatchObject({ ok: false, checkedFiles: 1 })
    expect(problemsOf(r)).toEqual([[manifest.files[0].fileName, 'missing']])
  })

  it('a package that is a link to a file with the right bytes is refused', async () => {
    const { dir, manifest } = await makeKit()
    const f = join(dir, manifest.files[0].fileName)
    const bytes = await readFile(f)
    const elsewhere = join(await tempDir('sd-kit-guard-out-'), 'real.msu')
    await writeFile(elsewhere, bytes)
    await rm(f)
    await symlink(elsewhere, f)
    const r = await verifyKit(dir)
    expect(r).toMatchObject({ ok: false, checkedFiles: 1 })
    expect(problemsOf(r)).toEqual([
      [manifest.files[0].fileName, 'refused: not a regular file in the kit (a link or a folder)'],
    ])
  })

  it('a package that is a folder is refused', async () => {
    const { dir, manifest } = await makeKit()
    const f = join(dir, manifest.files[1].fileName)
    await rm(f)
    await mkdir(f)
    const r = await verifyKit(dir)
    expect(r).toMatchObject({ ok: false, checkedFiles: 1 })
    expect(problemsOf(r)).toEqual([
      [manifest.files[1].fileName, 'refused: not a regular file in the kit (a link or a folder)'],
    ])
  })

  it('a size that differs from the manifest (hashes right) fails on the size alone', async () => {
    const { dir, manifest } = await makeKit({
      edit: (m) => {
        m.files[1].sizeBytes += 1
      },
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    const size = manifest.files[1].sizeBytes
    expect(problemsOf(r)).toEqual([[manifest.files[1].fileName, `size is ${size - 1}, the manifest says ${size}`]])
  })

  it('a SHA-1 that differs from the manifest (name and SHA-256 right) fails', async () => {
    const wrong = 'a'.repeat(40)
    const { dir, manifest } = await makeKit({
      edit: (m) => {
        m.files[1].sha1 = wrong
      },
    })
    const r = await verifyKit(dir)
    expect(r).toMatchObject({ ok: false, checkedFiles: 2 })
    expect(problemsOf(r)).toEqual([
      [
        manifest.files[1].fileName,
        expect.stringMatching(new RegExp(`^SHA-1 is [0-9a-f]{40}, the manifest says ${wrong}$`)),
      ],
    ])
  })

  it('a SHA-256 that differs from the manifest (SHA-1 right) fails', async () => {
    const wrong = 'b'.repeat(64)
    const { dir, manifest } = await makeKit({
      edit: (m) => {
        m.files[0].sha256 = wrong
      },
    })
    const r = await verifyKit(dir)
    expect(r).toMatchObject({ ok: false, checkedFiles: 2 })
    expect(problemsOf(r)).toEqual([
      [
        manifest.files[0].fileName,
        expect.stringMatching(new RegExp(`^SHA-256 is [0-9a-f]{64}, the manifest says ${wrong}$`)),
      ],
    ])
  })

  it("a file name whose SHA-1 is not the file's fails (manifest hashes right)", async () => {
    const other = 'c'.repeat(40)
    const { dir, manifest } = await makeKit({
      pkgs: [{ kb: 'KB5086672', role: 'target', order: 1, name: () => `windows11.0-kb5086672-x64_${other}.msu` }],
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([
      [manifest.files[0].fileName, `the SHA-1 in the file name (${other}) is not the file's`],
    ])
  })

  it('a package named for arm64 in an x64 kit fails on the architecture', async () => {
    const { dir, manifest } = await makeKit({
      pkgs: [
        { kb: 'KB5043080', role: 'checkpoint', order: 1, arch: 'arm64' },
        { kb: 'KB5086672', role: 'target', order: 2 },
      ],
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([[manifest.files[0].fileName, 'the name says arm64; the kit is for x64']])
  })

  it('a package named for another KB than its manifest entry fails', async () => {
    const { dir, manifest } = await makeKit({
      edit: (m) => {
        m.files[0].kb = 'KB5044284'
      },
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([
      [manifest.files[0].fileName, 'the name says KB5043080; the manifest says KB5044284'],
    ])
  })
})

describe('kit verify: order, target and stray packages', () => {
  it('orders with a gap (1, 3) fail', async () => {
    const { dir } = await makeKit({
      edit: (m) => {
        m.files[1].order = 3
      },
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([[null, 'the order is not 1..2: 1, 3']])
  })

  it('orders starting at 2 fail', async () => {
    const { dir } = await makeKit({
      edit: (m) => {
        m.files[0].order = 2
        m.files[1].order = 3
      },
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([[null, 'the order is not 1..2: 2, 3']])
  })

  it('two targets fail', async () => {
    const { dir } = await makeKit({
      edit: (m) => {
        m.files[0].role = 'target'
        m.files[0].kb = 'KB5043080'
        m.target.kb = 'KB5086672'
      },
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([[null, 'expected one target, found 2']])
  })

  it('no target fails', async () => {
    const { dir } = await makeKit({
      edit: (m) => {
        m.files[1].role = 'checkpoint'
      },
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([[null, 'expected one target, found 0']])
  })

  it('a checkpoint after the target fails', async () => {
    const { dir } = await makeKit({
      pkgs: [
        { kb: 'KB5086672', role: 'target', order: 1 },
        { kb: 'KB5043080', role: 'checkpoint', order: 2 },
      ],
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([[null, 'a checkpoint comes after the target']])
  })

  it('a checkpoint with the target\'s own order fails on the order alone (it is not also "after the target")', async () => {
    const { dir } = await makeKit({
      pkgs: [
        { kb: 'KB5043080', role: 'checkpoint', order: 1 },
        { kb: 'KB5086672', role: 'target', order: 1 },
      ],
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([[null, 'the order is not 1..2: 1, 1']])
  })

  it('a file of another role after the target is allowed (only checkpoints must come first)', async () => {
    const { dir } = await makeKit({
      pkgs: [
        { kb: 'KB5043080', role: 'checkpoint', order: 1 },
        { kb: 'KB5086672', role: 'target', order: 2 },
        { kb: 'KB5044284', role: 'other' as 'target', order: 3 },
      ],
    })
    expect(await verifyKit(dir)).toMatchObject({ ok: true, problems: [] })
  })

  it("a target file for another KB than the kit's target fails", async () => {
    const { dir, manifest } = await makeKit({
      edit: (m) => {
        m.target.kb = 'KB5044284'
      },
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([
      [manifest.files[1].fileName, 'the target file is KB5086672, the kit says KB5044284'],
    ])
  })

  for (const stray of [
    'windows11.0-kb5099999-x64_0000000000000000000000000000000000000000.msu',
    'extra.cab',
    'EXTRA.MSU',
  ]) {
    it(`a package in the folder but not in the manifest fails: ${stray}`, async () => {
      const { dir } = await makeKit()
      await writeFile(join(dir, stray), 'stray')
      const r = await verifyKit(dir)
      expect(r.ok).toBe(false)
      expect(problemsOf(r)).toEqual([[stray, 'a package not in the manifest (DISM would take it for a checkpoint)']])
    })
  }
})

describe('kit verify: the seal over Install-Kit.ps1 and PLAN.md', () => {
  it('no seal fails on manifest.json', async () => {
    const { dir } = await makeKit({
      edit: (m) => {
        delete m.seal
      },
    })
    const r = await verifyKit(dir)
    expect(r).toMatchObject({ ok: false, checkedFiles: 2 })
    expect(problemsOf(r)).toEqual([['manifest.json', expect.stringMatching(/^no seal: /)]])
  })

  for (const name of ['Install-Kit.ps1', 'PLAN.md']) {
    it(`${name} missing fails`, async () => {
      const { dir } = await makeKit()
      await rm(join(dir, name))
      const r = await verifyKit(dir)
      expect(r.ok).toBe(false)
      expect(problemsOf(r)).toEqual([[name, 'missing: the kit is incomplete; export it again']])
    })

    it(`${name} changed by one byte fails`, async () => {
      const { dir } = await makeKit()
      await writeFile(join(dir, name), `${await readFile(join(dir, name), 'utf8')} `)
      const r = await verifyKit(dir)
      expect(r.ok).toBe(false)
      expect(problemsOf(r)).toEqual([
        [
          name,
          expect.stringMatching(
            /^changed since the kit was made: SHA-256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}\. Do not run it; export the kit again\.$/,
          ),
        ],
      ])
    })

    it(`${name} as a link to the sealed bytes is refused`, async () => {
      const { dir } = await makeKit()
      const elsewhere = join(await tempDir('sd-kit-guard-out-'), name)
      await writeFile(elsewhere, await readFile(join(dir, name)))
      await rm(join(dir, name))
      await symlink(elsewhere, join(dir, name))
      const r = await verifyKit(dir)
      expect(r.ok).toBe(false)
      expect(problemsOf(r)).toEqual([[name, 'refused: not a regular file in the kit (a link or a folder)']])
    })
  }

  it('Install-Kit.ps1 as a folder is refused', async () => {
    const { dir } = await makeKit()
    await rm(join(dir, 'Install-Kit.ps1'))
    await mkdir(join(dir, 'Install-Kit.ps1'))
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([['Install-Kit.ps1', 'refused: not a regular file in the kit (a link or a folder)']])
  })

  it('the script sealed as the plan (seal values swapped) fails on both', async () => {
    const { dir } = await makeKit({
      edit: (m) => {
        m.seal = { installScriptSha256: m.seal!.planSha256, planSha256: m.seal!.installScriptSha256 }
      },
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(r.problems.map((p) => p.fileName)).toEqual(['Install-Kit.ps1', 'PLAN.md'])
  })
})
