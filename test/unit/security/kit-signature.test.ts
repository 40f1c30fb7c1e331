/**
 * A package file with no independent hash is refused unless Windows reports a valid Microsoft
 * Authenticode signature for it, which then counts as its verification and is recorded. The reader of
 * Get-AuthenticodeSignature output on real captures (test/fixtures/authenticode) and hostile text; the
 * Windows checker's argv through a scripted Host; and `install --kit` end to end on a training machine,
 * whose model says the training Catalog's own bytes are Microsoft-signed and any other bytes are not.
 */
import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadFixture } from '../../fixtures/load.ts'
import {
  judgeAuthenticode,
  parseAuthenticodeList,
  verifyBySignature,
  windowsPackageSignatureChecker,
} from '../../../main/security/package-signature.ts'
import { decodePowerShellScript } from '../../../main/host/powershell.ts'
import type { CommandSpec, Host } from '../../../main/host/host.ts'
import { writeTrainingKit } from '../../../main/install/training-kit.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { CLI } from '../../cli-script.ts'
import { hangMs } from '../../load.ts'

const capture = (name: string) => loadFixture(`authenticode/${name}`).text

describe('Get-AuthenticodeSignature | Format-List, read and judged', () => {
  it('a Microsoft catalog signature (Pester.bat): Valid, signed by Microsoft Windows, issued by Microsoft', () => {
    const r = parseAuthenticodeList(capture('microsoft-valid-catalog.txt'))
    expect(r).toEqual({
      status: 'Valid',
      statusMessage: 'Signature verified.',
      signatureType: 'Catalog',
      subject: 'CN=Microsoft Windows, O=Microsoft Corporation, L=Redmond, S=Washington, C=US',
      issuer: 'CN=Microsoft Windows Production PCA 2011, O=Microsoft Corporation, L=Redmond, S=Washington, C=US',
    })
    expect(judgeAuthenticode(r)).toEqual({
      ok: true,
      signer: 'Microsoft Windows',
      detail:
        'Authenticode Catalog Valid, signed by Microsoft Windows, issued by Microsoft Windows Production PCA 2011',
    })
  })

  it("an unsigned file: NotSigned, with Windows' message joined across its wrapped lines", () => {
    const v = judgeAuthenticode(parseAuthenticodeList(capture('not-signed-msi.txt')))
    expect(v).toMatchObject({ ok: false })
    expect(!v.ok && v.reason).toMatch(
      /^Windows reports its signature as NotSigned \(The file D:\\Project\\HexHawk\\.* is not digitally signed\. You cannot run this script/,
    )
  })

  it("Valid, but a third party signed it through Microsoft's signing service: not Microsoft's signature", () => {
    const v = judgeAuthenticode(parseAuthenticodeList(capture('third-party-valid-microsoft-issued.txt')))
    expect(v).toEqual({
      ok: false,
      reason: 'it is signed, but not by Microsoft (CN=Bret Mckinney, O=Bret Mckinney, L=West Valley City, S=ut, C=US)',
    })
  })

  const hostile: { name: string; text: string; says: RegExp }[] = [
    { name: 'empty', text: '', says: /as unreadable/ },
    { name: 'garbage', text: '\u0000\u0001 not powershell at all', says: /as unreadable/ },
    {
      name: 'HashMismatch',
      text: 'Status                 : HashMismatch\r\nStatusMessage          : The contents of file x might have been changed',
      says: /as HashMismatch \(The contents/,
    },
    {
      name: 'valid in lower case',
      text: 'Status : valid\nSignerCertificate : [Subject] CN=Microsoft Windows, O=Microsoft Corporation',
      says: /as valid/,
    },
    {
      name: 'Microsoft in the CN only',
      text: 'Status : Valid\nSignerCertificate : [Subject] CN=Microsoft Corporation, O=Evil Ltd\n [Issuer] CN=x, O=Microsoft Corporation',
      says: /not by Microsoft/,
    },
    {
      name: 'O=Microsoft Corporation Ltd (look-alike)',
      text: 'Status : Valid\nSignerCertificate : [Subject] CN=x, O=Microsoft Corporation Ltd\n [Issuer] CN=y, O=Microsoft Corporation',
      says: /not by Microsoft/,
    },
    {
      name: 'self-issued Microsoft subject',
      text: 'Status : Valid\nSignerCertificate : [Subject] CN=Microsoft Windows, O=Microsoft Corporation\n [Issuer] CN=Microsoft Windows, O=Evil CA',
      says: /not issued by Microsoft/,
    },
    {
      name: 'no certificate',
      text: 'Status : Valid\nStatusMessage : Signature verified.',
      says: /not by Microsoft \(no signer\)/,
    },
    {
      name: 'Status field twice, the last one wins (NotSigned)',
      text: 'Status : Valid\nStatus : NotSigned',
      says: /as NotSigned/,
    },
    {
      name: 'a German status message (the Status value is an enum name, never translated)',
      text: 'Status                 : NotSigned\nStatusMessage          : Die Datei ist nicht digital signiert.',
      says: /as NotSigned \(Die Datei/,
    },
  ]
  it(`${hostile.length} hostile or odd outputs: never Valid-Microsoft`, () => {
    let ran = 0
    for (const h of hostile) {
      const v = judgeAuthenticode(parseAuthenticodeList(h.text))
      expect(v.ok, h.name).toBe(false)
      expect(!v.ok && v.reason, h.name).toMatch(h.says)
      ran++
    }
    expect(ran).toBe(10)
    expect(judgeAuthenticode(parseAuthenticodeList(undefined as unknown as string)).ok).toBe(false)
  })
})

describe('the Windows checker goes through the Host with one argv', () => {
  it('PowerShell -EncodedCommand with the path as a literal; the answer read from its Format-List text; the bytes hashed before and after', async () => {
    const log: CommandSpec[] = []
    const host: Host = {
      info: () => ({ kind: 'this-pc', name: 'PC', title: 'PC', processArch: 'x64', elevated: true }),
      run: async (spec) => {
        log.push(spec)
        return {
          name: spec.name,
          exitCode: 0,
          stdout: capture('microsoft-valid-catalog.txt'),
          stderr: '',
          ok: true,
          timedOut: false,
          cancelled: false,
          truncated: false,
          durationMs: 1,
          commandLine: spec.file,
        }
      },
      openRead: async () => {
        throw new Error('no')
      },
      listDir: async () => [],
      exists: async () => true,
    }
    const dir = tempDirSync('sd-sig-')
    const file = join(dir, "it's & ours.msu")
    writeFileSync(file, randomBytes(1000))
    const r = await verifyBySignature("it's & ours.msu", file, windowsPackageSignatureChecker(host))
    expect(r.ok).toBe(true)
    expect(r.ok && r.file.note).toMatch(
      /it's & ours\.msu has no independent hash; it is verified by its Microsoft signature instead \(Authenticode Catalog Valid, signed by Microsoft Windows, issued by Microsoft Windows Production PCA 2011; checked by Windows \(Get-AuthenticodeSignature\)\)\. Its SHA-256 [0-9a-f]{64} was recorded then/,
    )
    expect(log).toHaveLength(1)
    expect(log[0]).toMatchObject({ name: 'install.authenticode', file: 'powershell.exe' })
    expect(decodePowerShellScript(log[0].args)).toBe(
      `Get-AuthenticodeSignature -LiteralPath '${file.replace(/'/g, "''")}' | Format-List Status, StatusMessage, SignerCertificate, SignatureType | Out-String -Width 4096`,
    )
  })
})

function cli(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SERVICING_DESK_HOME: home },
    input: '',
    timeout: hangMs(180_000),
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('install --kit: a file with no independent hash, on a training machine', () => {
  it("the training Catalog's own bytes under a name without SHA-1: verified by the (modelled) Microsoft signature, recorded in the plan and journal, installed", {
    timeout: hangMs(300_000),
  }, () => {
    const h = tempDirSync('sd-sec-sig-')
    const kit = join(h, 'kit')
    const files = writeTrainingKit(kit, 'KB5086672', 'arm64')
    const target = files.find((f) => f.kb === 'KB5086672')!
    renameSync(target.path, join(kit, 'windows11.0-kb5086672-arm64.msu')) // no SHA-1 in its name, no manifest
    const r = cli(
      h,
      'install',
      '--kit',
      kit,
      '--kb',
      'KB5086672',
      '--machine',
      'arm64-missing-checkpoint',
      '--yes',
      '--json',
    )
    expect(r.code, r.stderr).toBe(0)
    const journals = readdirSync(join(h, 'journals')).filter((n) => n.endsWith('.json'))
    expect(journals).toHaveLength(1)
    const journal = JSON.parse(readFileSync(join(h, 'journals', journals[0]), 'utf8'))
    const pkg = journal.plan.packages.find((p: { kb: string }) => p.kb === 'KB5086672')
    expect(pkg).toMatchObject({
      fileName: 'windows11.0-kb5086672-arm64.msu',
      sha256: target.sha256,
      sha1: target.sha1,
    })
    expect(journal.plan.notes.join('\n')).toMatch(
      /windows11\.0-kb5086672-arm64\.msu has no independent hash; it is verified by its Microsoft signature instead \(Authenticode Valid, signed by Microsoft Windows \(modelled by the training machine/,
    )
    expect(journal.status).toBe('completed')
  })

  const refused: { name: string; bytes: () => Buffer; says: RegExp }[] = [
    {
      name: 'random bytes',
      bytes: () => randomBytes(4096),
      says: /NotSigned \(modelled by the training machine: these bytes are not a file its Catalog publishes\)/,
    },
    {
      name: 'the training Catalog file with one byte changed',
      bytes: () => {
        const [f] = writeTrainingKit(tempDirSync('sd-sig-src-'), 'KB5086672', 'arm64').filter(
          (x) => x.kb === 'KB5086672',
        )
        const b = readFileSync(f.path)
        b[100] ^= 1
        return b
      },
      says: /NotSigned/,
    },
    { name: 'an empty file', bytes: () => Buffer.alloc(0), says: /NotSigned/ },
  ]
  it(`${refused.length} files with neither hash nor signature: exit non-zero, the reason stated, no journal`, {
    timeout: hangMs(300_000),
  }, () => {
    let ran = 0
    for (const c of refused) {
      const h = tempDirSync('sd-sec-sig-')
      const kit = join(h, 'kit')
      mkdirSync(kit)
      writeFileSync(join(kit, 'windows11.0-kb5086672-arm64.msu'), c.bytes())
      const r = cli(
        h,
        'install',
        '--kit',
        kit,
        '--kb',
        'KB5086672',
        '--machine',
        'arm64-missing-checkpoint',
        '--yes',
        '--json',
      )
      expect(r.code, c.name).not.toBe(0)
      expect(r.stderr, c.name).toMatch(/can be verified, so nothing is installed/)
      expect(r.stderr, c.name).toMatch(/no independent hash .* and no valid Microsoft signature/)
      expect(r.stderr, c.name).toMatch(c.says)
      expect(existsSync(join(h, 'journals')) ? readdirSync(join(h, 'journals')) : [], c.name).toEqual([])
      ran++
    }
    expect(ran).toBe(3)
  })
})
