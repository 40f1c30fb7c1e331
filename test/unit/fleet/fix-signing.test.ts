/**
 * Where a code-signing certificate is configured (`fleet fix --sign-cert THUMBPRINT`, or SERVICING_DESK_SIGN_CERT), the
 * fleet's fix files come with Sign-Scripts.ps1 (Set-AuthenticodeSignature with that certificate, SHA-256, each
 * signature checked Valid, the signed bytes put into the Intune body) and the Intune body asks for the signature check
 * (enforceSignatureCheck: true). Without one, nothing changes: no signing script, the check off. Signing itself needs
 * the Windows certificate store; what runs on Linux is the script's presence and shape, and its PowerShell 5.1 syntax
 * (generated-scripts-ps51.test.ts). Red before: --sign-cert did not exist and the body always said false.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeTrainingFleet } from '../../../main/fleet/training/write-fleet.ts'
import { SIGN_CERT_ENV, SigningSettingError, signingThumbprint } from '../../../main/security/script-signing.ts'
import { collectedProfiles, fleetWithServices } from './fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const THUMB = '3B1EFD3A66EA28B16697394703A72CA340A05BD5'

describe('signing the fleet fix files', () => {
  it('with a certificate: Sign-Scripts.ps1 signs every script and the Intune body asks for the signature check; without: neither', {
    timeout: hangMs(300_000),
  }, async () => {
    const dir = await tempDir('sd-fleet-sign-')
    await writeTrainingFleet(join(dir, 'fleet'), await collectedProfiles(), { devices: 22, seed: 3, snapshots: true })
    const { fleet } = await fleetWithServices()
    try {
      await fleet.importPath(join(dir, 'fleet'))
      const signed = await fleet.buildFix('winre-disabled', join(dir, 'signed'), {
        record: false,
        signCert: '3b 1e fd 3a 66 ea 28 b1 66 97 39 47 03 a7 2c a3 40 a0 5b d5',
      })
      expect(signed.files).toContain('Sign-Scripts.ps1')
      const body = JSON.parse(readFileSync(join(dir, 'signed', 'intune-remediation.json'), 'utf8'))
      expect(body.enforceSignatureCheck).toBe(true)
      const sign = readFileSync(join(dir, 'signed', 'Sign-Scripts.ps1'), 'utf8')
      expect(sign).toContain(`$sdThumb = '${THUMB}'`)
      expect(sign).toMatch(/Set-AuthenticodeSignature @sign/)
      expect(sign).toMatch(/HashAlgorithm = 'SHA256'/)
      expect(sign).toMatch(/Get-AuthenticodeSignature -LiteralPath \$path/)
      // Every script of the folder is signed, the signing script itself not.
      expect(/\$sdFiles = @\(([^)]*)\)/.exec(sign)![1]!.split(', ').sort()).toEqual(
        signed.files
          .filter((f) => f.endsWith('.ps1') && f !== 'Sign-Scripts.ps1')
          .map((f) => `'${f}'`)
          .sort(),
      )
      expect(sign).toMatch(/\$body\.enforceSignatureCheck = \$true/)
      expect(signed.notes.join(' ')).toMatch(
        new RegExp(`run Sign-Scripts\\.ps1 in this folder on the Windows PC that holds the certificate ${THUMB}`),
      )

      const plain = await fleet.buildFix('winre-disabled', join(dir, 'plain'), { record: false })
      expect(plain.files).not.toContain('Sign-Scripts.ps1')
      expect(
        JSON.parse(readFileSync(join(dir, 'plain', 'intune-remediation.json'), 'utf8')).enforceSignatureCheck,
      ).toBe(false)

      await expect(
        fleet.buildFix('winre-disabled', join(dir, 'bad'), { record: false, signCert: 'CN=Contoso' }),
      ).rejects.toThrow(/--sign-cert must be a certificate's thumbprint \(40 hex digits/)
    } finally {
      await fleet.close()
    }
  })

  it('reads the thumbprint from the flag, else from SERVICING_DESK_SIGN_CERT', () => {
    expect(signingThumbprint(undefined, {})).toBeNull()
    expect(signingThumbprint(undefined, { [SIGN_CERT_ENV]: THUMB.toLowerCase() })).toBe(THUMB)
    expect(signingThumbprint(THUMB, { [SIGN_CERT_ENV]: 'x' })).toBe(THUMB)
    expect(() => signingThumbprint(undefined, { [SIGN_CERT_ENV]: 'not-a-thumbprint' })).toThrow(SigningSettingError)
  })
})
