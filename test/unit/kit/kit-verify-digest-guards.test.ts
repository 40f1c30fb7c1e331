/**
 * `kit verify`'s newer guards, each alone (mutation floor): the kit's digest (computed from the bytes
 * in the folder, compared with the one recorded in the seal and with the one the technician carries), the
 * collector script in the seal, and the Microsoft signature of each package. Same small synthetic kit as
 * kit-verify-guards.test.ts (a few bytes per package: verify checks names, hashes, order and seals, not
 * contents); every expected digest is computed here with kitDigest from the test's own hashes.
 */
import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { realpath, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { verifyKit } from '../../../main/kit/kit-verify.ts'
import { kitDigest, type KitDigestInput } from '../../../main/kit/kit-seal.ts'
import type { PackageSignatureChecker } from '../../../main/security/package-signature.ts'
import type { KitFile, KitManifest } from '../../../preload/model/kit.ts'
import { tempDir } from '../temp-dirs.ts'

const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex')
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')

const SCRIPT = '# Install-Kit.ps1 (test)\r\n'
const PLAN = '# PLAN (test)\n'
const COLLECTOR = '# Collect-ServicingFacts.ps1 (test)\r\n'
const ZERO1 = '0'.repeat(40)
const ZERO256 = '0'.repeat(64)

/** A sealed x64 kit: checkpoint KB5043080 (order 1) then target KB5086672 (order 2); the collector when asked. */
async function makeKit(
  opts: { collector?: 'sealed' | 'present-unsealed'; edit?: (m: KitManifest) => void } = {},
): Promise<{ dir: string; manifest: KitManifest }> {
  const dir = await tempDir('sd-kit-digest-')
  const files: KitFile[] = []
  for (const [order, kb, role] of [
    [1, 'KB5043080', 'checkpoint'],
    [2, 'KB5086672', 'target'],
  ] as const) {
    const bytes = Buffer.from(`package ${kb} ${order}`)
    const fileName = `windows11.0-${kb.toLowerCase()}-x64_${sha1(bytes)}.msu`
    await writeFile(join(dir, fileName), bytes)
    files.push({
      order,
      fileName,
      role,
      kb,
      arch: 'x64',
      sha1: sha1(bytes),
      sha256: sha256(bytes),
      sizeBytes: bytes.length,
      reason: role,
    })
  }
  await writeFile(join(dir, 'Install-Kit.ps1'), SCRIPT)
  await writeFile(join(dir, 'PLAN.md'), PLAN)
  if (opts.collector) await writeFile(join(dir, 'Collect-ServicingFacts.ps1'), COLLECTOR)
  const manifest: KitManifest = {
    schemaVersion: 1,
    tool: { name: 'servicing-desk', version: '0.1.0' },
    created: '2026-11-24T08:00:00Z',
    target: { kb: 'KB5086672', arch: 'x64', build: 26100, ubr: 1150, machine: null, title: 'KB5086672' },
    files,
    notes: [],
    seal: {
      installScriptSha256: sha256(SCRIPT),
      planSha256: sha256(PLAN),
      ...(opts.collector === 'sealed' ? { collectorSha256: sha256(COLLECTOR) } : {}),
    },
  }
  opts.edit?.(manifest)
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest))
  return { dir, manifest }
}

/** The digest of the kit as the test wrote it, with `change` applied to the input first. */
function expectedDigest(m: KitManifest, change: (k: KitDigestInput) => void = () => {}): string {
  const k: KitDigestInput = {
    target: m.target,
    files: m.files.map((f) => ({ ...f })),
    installScriptSha256: sha256(SCRIPT),
    planSha256: sha256(PLAN),
  }
  change(k)
  return kitDigest(k)
}

const problemsOf = (r: Awaited<ReturnType<typeof verifyKit>>) => r.problems.map((p) => [p.fileName, p.problem])

/** Another valid digest than `d` (the last character changed within the alphabet). */
const otherDigest = (d: string) => `${d.slice(0, -1)}${d.endsWith('0') ? '1' : '0'}`

describe('kit verify: the digest is computed from the bytes in the folder', () => {
  it('a sound kit: its digest is the digest of its files, hashes, sizes and both scripts', async () => {
    const { dir, manifest } = await makeKit()
    const r = await verifyKit(dir)
    expect(r).toMatchObject({ ok: true, problems: [], checkedFiles: 2 })
    expect(r.digest).toBe(expectedDigest(manifest))
    expect(r.digest).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/)
  })

  it("the digest takes the real bytes, not the manifest's numbers: a wrong size in the manifest gives the digest of the real size", async () => {
    const { dir, manifest } = await makeKit({
      edit: (m) => {
        m.files[0].sizeBytes += 5
      },
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(r.digest).toBe(
      expectedDigest(manifest, (k) => {
        ;(k.files[0] as { sizeBytes: number }).sizeBytes -= 5
      }),
    )
    expect(r.digest).not.toBe(expectedDigest(manifest))
  })

  it('the digest takes the real hashes: wrong SHA-1 and SHA-256 in the manifest give the digest of the real ones', async () => {
    const { dir, manifest } = await makeKit({
      edit: (m) => {
        m.files[1].sha1 = 'a'.repeat(40)
        m.files[1].sha256 = 'b'.repeat(64)
      },
    })
    const bytes = Buffer.from('package KB5086672 2')
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(r.digest).toBe(
      expectedDigest(manifest, (k) => {
        Object.assign(k.files[1], { sha1: sha1(bytes), sha256: sha256(bytes) })
      }),
    )
  })

  it('a missing package counts as zeros (no hashes, size 0) in the digest', async () => {
    const { dir, manifest } = await makeKit()
    await rm(join(dir, manifest.files[1].fileName))
    const r = await verifyKit(dir)
    expect(problemsOf(r)).toEqual([[manifest.files[1].fileName, 'missing']])
    expect(r.digest).toBe(
      expectedDigest(manifest, (k) => {
        Object.assign(k.files[1], { sha1: ZERO1, sha256: ZERO256, sizeBytes: 0 })
      }),
    )
  })

  for (const [name, field] of [
    ['Install-Kit.ps1', 'installScriptSha256'],
    ['PLAN.md', 'planSha256'],
  ] as const) {
    it(`a missing ${name} counts as zeros in the digest; a changed one as its new SHA-256`, async () => {
      const gone = await makeKit()
      await rm(join(gone.dir, name))
      const r = await verifyKit(gone.dir)
      expect(problemsOf(r)).toEqual([[name, 'missing: the kit is incomplete; export it again']])
      expect(r.digest).toBe(
        expectedDigest(gone.manifest, (k) => {
          k[field] = ZERO256
        }),
      )

      const changed = await makeKit()
      const text = `${name === 'PLAN.md' ? PLAN : SCRIPT}changed\n`
      await writeFile(join(changed.dir, name), text)
      const c = await verifyKit(changed.dir)
      expect(c.ok).toBe(false)
      expect(c.digest).toBe(
        expectedDigest(changed.manifest, (k) => {
          k[field] = sha256(text)
        }),
      )
    })
  }

  it('a kit without a seal still gets its digest (the scripts as they are in the folder)', async () => {
    const { dir, manifest } = await makeKit({
      edit: (m) => {
        delete m.seal
      },
    })
    const r = await verifyKit(dir)
    expect(problemsOf(r)).toEqual([['manifest.json', expect.stringMatching(/^no seal: /)]])
    // Nothing was read for the seal: both scripts count as zeros.
    expect(r.digest).toBe(
      expectedDigest(manifest, (k) => {
        k.installScriptSha256 = ZERO256
        k.planSha256 = ZERO256
      }),
    )
  })
})

describe('kit verify: the collector script in the seal', () => {
  it('a kit with its collector sealed passes, and the collector is part of its digest', async () => {
    const { dir, manifest } = await makeKit({ collector: 'sealed' })
    const r = await verifyKit(dir)
    expect(r).toMatchObject({ ok: true, problems: [], checkedFiles: 2 })
    expect(r.digest).toBe(
      expectedDigest(manifest, (k) => {
        k.collectorSha256 = sha256(COLLECTOR)
      }),
    )
    expect(r.digest).not.toBe(expectedDigest(manifest))
  })

  it('a collector in the folder that the seal does not name is not checked and not in the digest (a kit from before it shipped)', async () => {
    const { dir, manifest } = await makeKit({ collector: 'present-unsealed' })
    const r = await verifyKit(dir)
    expect(r).toMatchObject({ ok: true, problems: [] })
    expect(r.digest).toBe(expectedDigest(manifest))
  })

  it('a changed collector fails on Collect-ServicingFacts.ps1, naming both SHA-256', async () => {
    const { dir } = await makeKit({ collector: 'sealed' })
    await writeFile(join(dir, 'Collect-ServicingFacts.ps1'), `${COLLECTOR}Remove-Item C:\\ -Recurse\r\n`)
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([
      [
        'Collect-ServicingFacts.ps1',
        `changed since the kit was made: SHA-256 is ${sha256(`${COLLECTOR}Remove-Item C:\\ -Recurse\r\n`)}, the manifest says ${sha256(COLLECTOR)}. Do not run it; export the kit again.`,
      ],
    ])
  })

  it('a missing sealed collector fails as missing, and counts as zeros in the digest', async () => {
    const { dir, manifest } = await makeKit({ collector: 'sealed' })
    await rm(join(dir, 'Collect-ServicingFacts.ps1'))
    const r = await verifyKit(dir)
    expect(problemsOf(r)).toEqual([['Collect-ServicingFacts.ps1', 'missing: the kit is incomplete; export it again']])
    expect(r.digest).toBe(
      expectedDigest(manifest, (k) => {
        k.collectorSha256 = ZERO256
      }),
    )
  })
})

describe('kit verify: the digest recorded in the seal', () => {
  it('the right recorded digest passes', async () => {
    const first = await makeKit()
    const d = expectedDigest(first.manifest)
    const { dir } = await makeKit({
      edit: (m) => {
        m.seal!.kitDigest = d
      },
    })
    expect(await verifyKit(dir)).toMatchObject({ ok: true, problems: [], digest: d })
  })

  it('another recorded digest fails on manifest.json, naming both', async () => {
    const first = await makeKit()
    const d = expectedDigest(first.manifest)
    const recorded = otherDigest(d)
    const { dir } = await makeKit({
      edit: (m) => {
        m.seal!.kitDigest = recorded
      },
    })
    const r = await verifyKit(dir)
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([
      [
        'manifest.json',
        `the kit's digest is ${d}, not the ${recorded} recorded when it was made: its files, their list or its scripts changed. Do not install it; export the kit again.`,
      ],
    ])
  })

  it('when a file already failed, the recorded digest is not compared too (the changed file says it)', async () => {
    const first = await makeKit()
    const recorded = otherDigest(expectedDigest(first.manifest))
    const { dir } = await makeKit({
      edit: (m) => {
        m.seal!.kitDigest = recorded
      },
    })
    await writeFile(join(dir, 'PLAN.md'), `${PLAN}x`)
    const r = await verifyKit(dir)
    expect(r.problems.map((p) => p.fileName)).toEqual(['PLAN.md'])
  })
})

describe('kit verify: the digest the technician carries (--digest)', () => {
  it('the exported digest, as typed in any case with or without dashes, passes', async () => {
    const { dir, manifest } = await makeKit()
    const d = expectedDigest(manifest)
    for (const typed of [d, d.toLowerCase(), d.replace(/-/g, ''), ` ${d.toLowerCase().replace(/-/g, ' ')} `]) {
      expect(await verifyKit(dir, { expectDigest: typed }), typed).toMatchObject({ ok: true, problems: [], digest: d })
    }
  })

  it('another digest fails, naming the computed one and the one given', async () => {
    const { dir, manifest } = await makeKit()
    const d = expectedDigest(manifest)
    const given = otherDigest(d)
    const r = await verifyKit(dir, { expectDigest: given.toLowerCase() })
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([
      [
        null,
        `the kit's digest is ${d}, not the ${given} shown when it was exported: an MSU, its manifest line or a script was replaced. Do not install it; export the kit again.`,
      ],
    ])
  })

  it('text that is not a digest fails, quoted', async () => {
    const { dir } = await makeKit()
    const r = await verifyKit(dir, { expectDigest: 'ABCD-1234' })
    expect(r.ok).toBe(false)
    expect(problemsOf(r)).toEqual([
      [null, '"ABCD-1234" is not a kit digest (20 letters and digits, e.g. 7KQ2-M9TD-0A1B-C2D3-E4F5).'],
    ])
  })

  it('an empty digest is not a digest either (it is not "no digest")', async () => {
    const { dir } = await makeKit()
    const r = await verifyKit(dir, { expectDigest: '' })
    expect(problemsOf(r)).toEqual([
      [null, '"" is not a kit digest (20 letters and digits, e.g. 7KQ2-M9TD-0A1B-C2D3-E4F5).'],
    ])
  })

  it('null or no digest: nothing is compared, the kit passes', async () => {
    const { dir, manifest } = await makeKit()
    expect(await verifyKit(dir, { expectDigest: null })).toMatchObject({
      ok: true,
      problems: [],
      digest: expectedDigest(manifest),
    })
    expect(await verifyKit(dir, { expectDigest: undefined })).toMatchObject({ ok: true, problems: [] })
    expect(await verifyKit(dir, {})).toMatchObject({ ok: true, problems: [] })
  })
})

/** A signature checker that records what it was asked and refuses the files whose name matches `refuse`. */
function checker(refuse: RegExp | null): PackageSignatureChecker & { asked: string[] } {
  const asked: string[] = []
  return {
    by: 'the test',
    asked,
    async check(path) {
      asked.push(path)
      return refuse?.test(path)
        ? { ok: false, reason: 'Windows reports its signature as NotSigned (test)' }
        : { ok: true, signer: 'Microsoft Windows', detail: 'Authenticode Valid (test)' }
    },
  }
}

describe('kit verify: the Microsoft signature of each package, where it can be checked', () => {
  it('every package is checked by its real path, and only the packages (not the scripts); all signed: ok', async () => {
    const { dir, manifest } = await makeKit({ collector: 'sealed' })
    const c = checker(null)
    const r = await verifyKit(dir, { signatures: c })
    expect(r).toMatchObject({ ok: true, problems: [], checkedFiles: 2 })
    const root = await realpath(dir)
    expect(c.asked).toEqual(manifest.files.map((f) => join(root, f.fileName)))
  })

  it("a package without a valid signature fails with the checker's reason, the other passes", async () => {
    const { dir, manifest } = await makeKit()
    const r = await verifyKit(dir, { signatures: checker(/kb5043080/) })
    expect(r).toMatchObject({ ok: false, checkedFiles: 2 })
    expect(problemsOf(r)).toEqual([
      [
        manifest.files[0].fileName,
        'no valid Microsoft signature (Windows reports its signature as NotSigned (test)): the file was replaced or damaged. Do not install it; export the kit again.',
      ],
    ])
  })

  it('null signatures: nothing is asked and the kit passes', async () => {
    const { dir } = await makeKit()
    expect(await verifyKit(dir, { signatures: null })).toMatchObject({ ok: true, problems: [] })
  })
})
