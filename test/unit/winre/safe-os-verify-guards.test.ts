/**
 * verifySafeOsPackage's checks each alone, in process (the trust checks): no package,
 * no independent hash, an unreadable file, and each comparison (SHA-1 from the Catalog or from the file
 * name, SHA-256, size, upper-case digests) on a real file hashed by the real hashFile. The end-to-end
 * refusals through the WinRE runner are in test/unit/security/winre-safe-os-rehash.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { verifySafeOsPackage } from '../../../main/winre/safe-os-verify.ts'
import { hashFile } from '../../../main/download/file-hashes.ts'
import type { SafeOsPackage } from '../../../main/winre/repair-plan.ts'
import { tempDirSync } from '../temp-dirs.ts'

const dir = tempDirSync('sd-safeos-guard-')
const bytes = Buffer.from('safe os dynamic update bytes')
const plainName = 'windows11.0-kb5062688-arm64.cab'
const plainPath = join(dir, plainName)
writeFileSync(plainPath, bytes)
const real = await hashFile(plainPath)
// A Catalog file name carries the file's SHA-1 after the last underscore.
const namedName = `windows11.0-kb5062688-arm64_${real.sha1}.cab`
const namedPath = join(dir, namedName)
writeFileSync(namedPath, bytes)
const wrongSha1 = 'b3b5e0d0e4c3c9a0e0d0a4c64f9c2c7bb0a3d3d4'
const wrongNamed = `windows11.0-kb5062688-arm64_${wrongSha1}.cab`
writeFileSync(join(dir, wrongNamed), bytes)

const pkg = (over: Partial<SafeOsPackage> = {}): SafeOsPackage => ({
  kb: 'KB5062688',
  fileName: plainName,
  path: plainPath,
  source: 'local-catalog',
  sha1: real.sha1,
  sha256: real.sha256,
  sizeBytes: bytes.length,
  ...over,
})

describe('verifySafeOsPackage: what is refused', () => {
  it('no package: refused, nothing hashed', async () => {
    let hashed = 0
    const r = await verifySafeOsPackage(null, async (p) => {
      hashed++
      return hashFile(p)
    })
    expect(r).toEqual({
      ok: false,
      detail: 'The repair names no Safe OS package, so there is nothing verified to add.',
    })
    expect(hashed).toBe(0)
  })

  it('no SHA-1, no SHA-256 and no SHA-1 in its name: refused without hashing', async () => {
    let hashed = 0
    const r = await verifySafeOsPackage(pkg({ sha1: null, sha256: undefined }), async (p) => {
      hashed++
      return hashFile(p)
    })
    expect(r).toEqual({
      ok: false,
      detail: `${plainName} has no SHA-1 or SHA-256 from the Catalog to check it against, so it is not added to WinRE; download the Safe OS update from the Catalog and look at the machine again.`,
    })
    expect(hashed).toBe(0)
  })

  it('a file that cannot be read: refused with its error code (or message)', async () => {
    const gone = join(dir, 'gone.cab')
    expect(await verifySafeOsPackage(pkg({ path: gone }))).toEqual({
      ok: false,
      detail: `${plainName} cannot be read at ${gone} (ENOENT), so it is not added to WinRE.`,
    })
    expect(
      await verifySafeOsPackage(pkg(), async () => {
        throw new Error('disk gone')
      }),
    ).toEqual({
      ok: false,
      detail: `${plainName} cannot be read at ${plainPath} (disk gone), so it is not added to WinRE.`,
    })
  })

  const differs: { name: string; p: SafeOsPackage; detail: string }[] = [
    {
      name: 'the Catalog SHA-1 differs (SHA-256 right)',
      p: pkg({ sha1: wrongSha1 }),
      detail: `SHA-1 now ${real.sha1}, expected ${wrongSha1}; ${bytes.length} bytes, expected ${bytes.length}`,
    },
    {
      name: 'the SHA-256 differs (SHA-1 right)',
      p: pkg({ sha256: 'c'.repeat(64) }),
      detail: `SHA-1 now ${real.sha1}, expected ${real.sha1}; ${bytes.length} bytes, expected ${bytes.length}`,
    },
    {
      name: 'the size differs (hashes right)',
      p: pkg({ sizeBytes: bytes.length + 1 }),
      detail: `SHA-1 now ${real.sha1}, expected ${real.sha1}; ${bytes.length} bytes, expected ${bytes.length + 1}`,
    },
    {
      name: 'a size of 0 differs too',
      p: pkg({ sizeBytes: 0 }),
      detail: `SHA-1 now ${real.sha1}, expected ${real.sha1}; ${bytes.length} bytes, expected 0`,
    },
    {
      name: 'only a SHA-1, and it differs',
      p: pkg({ sha1: wrongSha1, sha256: null, sizeBytes: null }),
      detail: `SHA-1 now ${real.sha1}, expected ${wrongSha1}; ${bytes.length} bytes`,
    },
    {
      name: 'only a SHA-256, and it differs',
      p: pkg({ sha1: null, sha256: 'c'.repeat(64), sizeBytes: undefined }),
      detail: `SHA-1 now ${real.sha1}; ${bytes.length} bytes`,
    },
    {
      name: 'no Catalog SHA-1; the one in the name differs',
      p: pkg({ fileName: wrongNamed, path: join(dir, wrongNamed), sha1: null, sha256: null, sizeBytes: null }),
      detail: `SHA-1 now ${real.sha1}, expected ${wrongSha1}; ${bytes.length} bytes`,
    },
  ]
  it(`${differs.length} files that are not the verified one: refused, saying what differs`, async () => {
    let ran = 0
    for (const c of differs) {
      expect(await verifySafeOsPackage(c.p), c.name).toEqual({
        ok: false,
        detail: `${c.p.fileName} is not the file that was verified (${c.detail}), so it is not added to WinRE.`,
      })
      ran++
    }
    expect(ran).toBe(7)
  })
})

describe('verifySafeOsPackage: what passes', () => {
  it('SHA-1, SHA-256 and size all match: ok, naming the Catalog and both hashes', async () => {
    expect(await verifySafeOsPackage(pkg())).toEqual({
      ok: true,
      detail: `Re-hashed right before the step: ${plainName} SHA-1 ${real.sha1}, SHA-256 ${real.sha256} match the Catalog.`,
    })
  })

  it('upper-case digests from the Catalog are compared without case', async () => {
    expect(
      await verifySafeOsPackage(pkg({ sha1: real.sha1.toUpperCase(), sha256: real.sha256.toUpperCase() })),
    ).toMatchObject({ ok: true })
  })

  it('only a SHA-1 (no size): ok, no SHA-256 named; only a SHA-256: ok', async () => {
    expect(await verifySafeOsPackage(pkg({ sha256: null, sizeBytes: null }))).toEqual({
      ok: true,
      detail: `Re-hashed right before the step: ${plainName} SHA-1 ${real.sha1} match the Catalog.`,
    })
    expect(await verifySafeOsPackage(pkg({ sha1: null, sizeBytes: undefined }))).toEqual({
      ok: true,
      detail: `Re-hashed right before the step: ${plainName} SHA-1 ${real.sha1}, SHA-256 ${real.sha256} match the Catalog.`,
    })
  })

  it('no Catalog hash, the SHA-1 in its name matches: ok, and it says the name was the check', async () => {
    expect(
      await verifySafeOsPackage(
        pkg({ fileName: namedName, path: namedPath, sha1: null, sha256: null, sizeBytes: null }),
      ),
    ).toEqual({
      ok: true,
      detail: `Re-hashed right before the step: ${namedName} SHA-1 ${real.sha1} match the SHA-1 in its name.`,
    })
    expect(
      await verifySafeOsPackage(pkg({ fileName: namedName, path: namedPath, sha1: undefined, sha256: null })),
    ).toMatchObject({ ok: true, detail: expect.stringMatching(/the SHA-1 in its name\.$/) })
  })

  it('a Catalog SHA-1 beats the one in the name: a wrong name with the right Catalog SHA-1 passes, naming the Catalog', async () => {
    expect(await verifySafeOsPackage(pkg({ fileName: wrongNamed, path: join(dir, wrongNamed) }))).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/match the Catalog\.$/),
    })
  })
})
