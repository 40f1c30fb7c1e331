/**
 * The signature check of a package with no independent hash, each guard alone and in process (the
 * trust checks of a package's signature): verifyBySignature refuses a file it cannot read before or after the check, a
 * file whose bytes changed while Windows checked them, and whatever the checker refuses; the Windows checker
 * refuses a Get-AuthenticodeSignature that failed; which checker a machine gets; the training machine's
 * model; and the judge's edges (the O= match at each place in a certificate name, the texts). The real
 * Get-AuthenticodeSignature captures and the `install --kit` runs are in kit-signature.test.ts.
 */
import { describe, expect, it, vi } from 'vitest'
import { randomBytes } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  authenticodeSpec,
  judgeAuthenticode,
  packageSignatureCheckerFor,
  parseAuthenticodeList,
  trainingPackageSignatureChecker,
  unavailablePackageSignatureChecker,
  verifyBySignature,
  windowsPackageSignatureChecker,
  type AuthenticodeReading,
  type PackageSignatureChecker,
} from '../../../main/security/package-signature.ts'
import { hashFile } from '../../../main/download/file-hashes.ts'
import { decodePowerShellScript } from '../../../main/host/powershell.ts'
import { writeTrainingKit } from '../../../main/install/training-kit.ts'
import type { CommandResult, CommandSpec, Host } from '../../../main/host/host.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { tempDirSync } from '../temp-dirs.ts'

const dir = tempDirSync('sd-sig-guard-')
const fileOf = (name: string, bytes: Buffer = randomBytes(64)) => {
  const p = join(dir, name)
  writeFileSync(p, bytes)
  return p
}
const valid: PackageSignatureChecker = {
  by: 'the test',
  check: async () => ({
    ok: true,
    signer: 'Microsoft Windows',
    detail: 'Authenticode Catalog Valid, signed by Microsoft Windows, issued by PCA',
  }),
}

describe('verifyBySignature: hashed, checked, hashed again', () => {
  it('a file that cannot be read is refused before the check (the checker is not asked)', async () => {
    let asked = 0
    const r = await verifyBySignature('gone.msu', join(dir, 'gone.msu'), {
      by: 'x',
      check: async () => {
        asked++
        return valid.check('')
      },
    })
    expect(r).toEqual({ ok: false, reason: 'it cannot be read (ENOENT)' })
    expect(asked).toBe(0)
  })

  it("what the checker refuses stays refused, with the checker's reason", async () => {
    const p = fileOf('a.msu')
    expect(
      await verifyBySignature('a.msu', p, {
        by: 'x',
        check: async () => ({ ok: false, reason: 'Windows reports its signature as NotSigned' }),
      }),
    ).toEqual({ ok: false, reason: 'Windows reports its signature as NotSigned' })
  })

  it('bytes changed while the signature was checked (same size, or one byte more): refused', async () => {
    const p = fileOf('b.msu', Buffer.alloc(64, 1))
    const swap = (bytes: Buffer): PackageSignatureChecker => ({
      by: 'x',
      check: async (path) => {
        writeFileSync(path, bytes)
        return valid.check(path)
      },
    })
    expect(await verifyBySignature('b.msu', p, swap(Buffer.alloc(64, 2)))).toEqual({
      ok: false,
      reason: 'it changed while its signature was being checked',
    })
    writeFileSync(p, Buffer.alloc(64, 1))
    expect(await verifyBySignature('b.msu', p, swap(Buffer.alloc(65, 1)))).toEqual({
      ok: false,
      reason: 'it changed while its signature was being checked',
    })
  })

  it('a file removed during the check: refused as unreadable after the check', async () => {
    const p = fileOf('c.msu')
    expect(
      await verifyBySignature('c.msu', p, {
        by: 'x',
        check: async (path) => {
          rmSync(path)
          return valid.check(path)
        },
      }),
    ).toEqual({ ok: false, reason: 'it cannot be read after its signature was checked (ENOENT)' })
  })

  it('a valid signature: the hashes of the bytes checked, and a note naming the signature and the checker', async () => {
    const p = fileOf('d.msu')
    const h = await hashFile(p)
    expect(await verifyBySignature('d.msu', p, valid)).toEqual({
      ok: true,
      file: {
        sha1: h.sha1,
        sha256: h.sha256,
        bytes: 64,
        note: `d.msu has no independent hash; it is verified by its Microsoft signature instead (Authenticode Catalog Valid, signed by Microsoft Windows, issued by PCA; checked by the test). Its SHA-256 ${h.sha256} was recorded then and is compared again right before it installs.`,
      },
    })
  })
})

describe('the Windows checker and which checker a machine gets', () => {
  const hostAnswering = (r: Partial<CommandResult>, log: CommandSpec[] = []): Host => ({
    info: () => ({ kind: 'this-pc', name: 'PC', title: 'PC', processArch: 'x64', elevated: true }),
    run: async (spec) => {
      log.push(spec)
      return {
        name: spec.name,
        exitCode: 0,
        stdout: '',
        stderr: '',
        ok: true,
        timedOut: false,
        cancelled: false,
        truncated: false,
        durationMs: 1,
        commandLine: spec.file,
        ...r,
      }
    },
    openRead: async () => {
      throw new Error('no')
    },
    listDir: async () => [],
    exists: async () => true,
  })

  it("Get-AuthenticodeSignature failing is a refusal naming its exit code and stderr's first line (at most 200 characters)", async () => {
    const check = (r: Partial<CommandResult>) =>
      windowsPackageSignatureChecker(hostAnswering({ ok: false, exitCode: 1, ...r })).check('C:\\x.msu')
    expect(await check({ stderr: '  Access is denied.\r\nsecond line\r\n' })).toEqual({
      ok: false,
      reason: 'Get-AuthenticodeSignature failed (exit 1: Access is denied.)',
    })
    expect(await check({ stderr: 'first\nsecond' })).toEqual({
      ok: false,
      reason: 'Get-AuthenticodeSignature failed (exit 1: first)',
    })
    expect(await check({ stderr: ' \r\n ' })).toEqual({
      ok: false,
      reason: 'Get-AuthenticodeSignature failed (exit 1)',
    })
    expect(await check({ stderr: 'x'.repeat(300) })).toEqual({
      ok: false,
      reason: `Get-AuthenticodeSignature failed (exit 1: ${'x'.repeat(200)})`,
    })
    // A successful run is judged on its text (here: nothing, so unreadable).
    expect(
      await windowsPackageSignatureChecker(hostAnswering({ stdout: 'Status : NotSigned' })).check('C:\\x.msu'),
    ).toEqual({ ok: false, reason: 'Windows reports its signature as NotSigned' })
  })

  it("a training machine gets its model; Windows gets this PC's Host; without one, or elsewhere, nothing can check", async () => {
    const asked: MachineRef[] = []
    const hostFor = (r: MachineRef) => {
      asked.push(r)
      return hostAnswering({})
    }
    expect(
      packageSignatureCheckerFor({ kind: 'training', name: 'arm64-missing-checkpoint' }, hostFor, 'win32').by,
    ).toBe("the training machine's signature model")
    expect(asked).toEqual([])
    expect(packageSignatureCheckerFor({ kind: 'snapshot', id: 'other-pc' }, hostFor, 'win32').by).toBe(
      'Windows (Get-AuthenticodeSignature)',
    )
    expect(asked).toEqual([{ kind: 'this-pc' }])
    const none = packageSignatureCheckerFor(
      { kind: 'this-pc' } as MachineRef,
      () => {
        throw new Error('no Host')
      },
      'win32',
    )
    expect(none.by).toBe('nothing')
    expect(await none.check('x')).toEqual({
      ok: false,
      reason: 'no Authenticode check is available here (win32; only Windows can verify a Microsoft signature)',
    })
    const linux = packageSignatureCheckerFor({ kind: 'this-pc' } as MachineRef, hostFor, 'linux')
    expect(linux.by).toBe('nothing')
    expect(await linux.check('x')).toEqual({
      ok: false,
      reason: 'no Authenticode check is available here (linux; only Windows can verify a Microsoft signature)',
    })
    expect(asked).toHaveLength(1)
    expect(await unavailablePackageSignatureChecker('darwin').check('x')).toEqual({
      ok: false,
      reason: 'no Authenticode check is available here (darwin; only Windows can verify a Microsoft signature)',
    })
  })

  it("the training model: the training Catalog's own bytes are Microsoft-signed; one byte changed, they are not", async () => {
    const [f] = writeTrainingKit(tempDirSync('sd-sig-kit-'), 'KB5043080', 'arm64')
    expect(f).toBeDefined()
    const model = trainingPackageSignatureChecker()
    expect(await model.check(f!.path)).toEqual({
      ok: true,
      signer: 'Microsoft Windows',
      detail:
        "Authenticode Valid, signed by Microsoft Windows (modelled by the training machine: these are the training Catalog's own bytes)",
    })
    expect(await model.check(fileOf('e.msu'))).toEqual({
      ok: false,
      reason:
        'Windows reports its signature as NotSigned (modelled by the training machine: these bytes are not a file its Catalog publishes)',
    })
  })
})

describe('judgeAuthenticode: each check alone', () => {
  const MS = 'CN=Microsoft Windows, O=Microsoft Corporation, L=Redmond, S=Washington, C=US'
  const CA = 'CN=Microsoft Windows Production PCA 2011, O=Microsoft Corporation, L=Redmond, C=US'
  const r = (over: Partial<AuthenticodeReading> = {}): AuthenticodeReading => ({
    status: 'Valid',
    statusMessage: 'Signature verified.',
    subject: MS,
    issuer: CA,
    signatureType: 'Embedded',
    ...over,
  })

  const names: [string, boolean][] = [
    ['O=Microsoft Corporation', true],
    ['O=Microsoft Corporation, C=US', true],
    ['CN=x,O=Microsoft Corporation', true],
    ['CN=x, O=Microsoft Corporation', true],
    ['CN=x, XO=Microsoft Corporation', false],
    ['CN=x, O=Microsoft Corporation2', false],
    ['CN=x, O=Microsoft Corporation Ltd, C=US', false],
    ['CN=O=Microsoft Corporation Inc', false],
  ]
  it(`${names.length} signer names: O=Microsoft Corporation as a whole component only (subject and issuer alike)`, () => {
    let ran = 0
    for (const [name, ok] of names) {
      expect(judgeAuthenticode(r({ subject: name })).ok, `subject ${name}`).toBe(ok)
      expect(judgeAuthenticode(r({ issuer: name })).ok, `issuer ${name}`).toBe(ok)
      ran++
    }
    expect(ran).toBe(8)
  })

  it(`${names.length} signer names again, as the module is when loaded (the O= pattern is a module constant)`, async () => {
    vi.resetModules()
    const m = await import('../../../main/security/package-signature.ts')
    let ran = 0
    for (const [name, ok] of names) {
      expect(m.judgeAuthenticode(r({ subject: name })).ok, `subject ${name}`).toBe(ok)
      expect(m.judgeAuthenticode(r({ issuer: name })).ok, `issuer ${name}`).toBe(ok)
      ran++
    }
    expect(ran).toBe(8)
    expect(m.judgeAuthenticode(r({ subject: 'CN=x,   O=Microsoft Corporation' })).ok).toBe(true)
    expect(m.judgeAuthenticode(r({ subject: 'CN=x,\tO=Microsoft Corporation' })).ok).toBe(true)
  })

  it('the texts: status and its message, no signer, no issuer, the CN or the whole name, the signature type', () => {
    expect(judgeAuthenticode(r({ status: '', statusMessage: '' }))).toEqual({
      ok: false,
      reason: 'Windows reports its signature as unreadable',
    })
    expect(judgeAuthenticode(r({ status: 'HashMismatch', statusMessage: 'changed' }))).toEqual({
      ok: false,
      reason: 'Windows reports its signature as HashMismatch (changed)',
    })
    expect(judgeAuthenticode(r({ subject: '' }))).toEqual({
      ok: false,
      reason: 'it is signed, but not by Microsoft (no signer)',
    })
    expect(judgeAuthenticode(r({ issuer: '' }))).toEqual({
      ok: false,
      reason: 'its signer certificate was not issued by Microsoft (no issuer)',
    })
    expect(judgeAuthenticode(r({ issuer: 'O=Evil' }))).toEqual({
      ok: false,
      reason: 'its signer certificate was not issued by Microsoft (O=Evil)',
    })
    expect(judgeAuthenticode(r())).toEqual({
      ok: true,
      signer: 'Microsoft Windows',
      detail:
        'Authenticode Embedded Valid, signed by Microsoft Windows, issued by Microsoft Windows Production PCA 2011',
    })
    expect(
      judgeAuthenticode(
        r({ subject: 'O=Microsoft Corporation', issuer: 'O=Microsoft Corporation, C=US', signatureType: '' }),
      ),
    ).toEqual({
      ok: true,
      signer: 'O=Microsoft Corporation',
      detail:
        'Authenticode signature Valid, signed by O=Microsoft Corporation, issued by O=Microsoft Corporation, C=US',
    })
  })
})

describe('parseAuthenticodeList: the form of Format-List text', () => {
  it('a BOM, a field name followed by its value on the same line or wrapped, a certificate with [Subject] and [Issuer] on their own lines or not', () => {
    const text = [
      '\uFEFFStatus        : Valid',
      'StatusMessage : Signature',
      '                verified.',
      'SignerCertificate : [Subject]',
      '                      CN=Microsoft Windows, O=Microsoft',
      '                    Corporation, C=US',
      '',
      '                    [Issuer] CN=PCA, O=Microsoft Corporation',
      '',
      '                    [Serial Number]',
      '                      33000001',
      'SignatureType : Catalog',
      '  Indented : not a field',
    ].join('\r\n')
    expect(parseAuthenticodeList(text)).toEqual({
      status: 'Valid',
      statusMessage: 'Signature verified.',
      subject: 'CN=Microsoft Windows, O=Microsoft Corporation, C=US',
      issuer: 'CN=PCA, O=Microsoft Corporation',
      signatureType: 'Catalog Indented : not a field',
    })
  })

  it('a certificate value after several spaces, internal runs of spaces, a one-space continuation, an unindented line that is not a field', () => {
    const text = [
      'Status : Valid',
      'SignerCertificate :   [Subject]   CN=Microsoft Windows,   O=Microsoft',
      ' Corporation',
      '',
      '  [Issuer]',
      '    CN=PCA,  O=Microsoft Corporation',
      'not a field, not indented',
    ].join('\n')
    expect(parseAuthenticodeList(text)).toMatchObject({
      status: 'Valid',
      subject: 'CN=Microsoft Windows, O=Microsoft Corporation',
      issuer: 'CN=PCA, O=Microsoft Corporation',
    })
  })

  it('the Windows command: PowerShell with a 2-minute timeout and a 256 KiB output cap', () => {
    expect(authenticodeSpec('C:\\x.msu')).toMatchObject({
      name: 'install.authenticode',
      timeoutMs: 120_000,
      maxOutputBytes: 262_144,
    })
    expect(decodePowerShellScript(authenticodeSpec("C:\\it's.msu").args)).toBe(
      "Get-AuthenticodeSignature -LiteralPath 'C:\\it''s.msu' | Format-List Status, StatusMessage, SignerCertificate, SignatureType | Out-String -Width 4096",
    )
  })

  it('a field with no space after the colon, lines with LF only, and no certificate at all', () => {
    expect(parseAuthenticodeList('Status:Valid\nSignatureType   :   Embedded  \n')).toEqual({
      status: 'Valid',
      statusMessage: '',
      subject: '',
      issuer: '',
      signatureType: 'Embedded',
    })
  })
})
