/** The WinRE view says whether WinRE still boots after the PCA 2011 revocation, from the boot manager's signer. */
import { describe, it, expect } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { assessWinre } from '../../../main/diagnose/winre-health.ts'
import { tempDirSync } from '../temp-dirs.ts'

describe('WinRE boot after the PCA 2011 revocation', () => {
  const services = createServices({ dataDir: tempDirSync('sd-winre-boot-'), platform: 'linux' })

  it('warns on the 2011-signed machine, says it keeps booting on the 2023-signed one, says nothing where the boot chain is not modelled, and errors once revoked (4 cases)', async () => {
    const old = await services.scan({ kind: 'training', name: 'x64-secureboot-2011' })
    const f2011 = assessWinre(old).findings.find((f) => f.id === 'boot-after-revocation')!
    expect(f2011).toMatchObject({
      severity: 'warning',
      title: 'WinRE will stop booting once the 2011 boot certificate is revoked',
    })
    expect(f2011.detail).toContain('https://support.microsoft.com/en-us/topic/kb5037167')

    const updated = await services.scan({ kind: 'training', name: 'x64-efi-partition-full' })
    expect(assessWinre(updated).findings.find((f) => f.id === 'boot-after-revocation')).toMatchObject({
      severity: 'info',
      title: 'WinRE keeps booting after the PCA 2011 revocation',
    })

    const healthy = await services.scan({ kind: 'training', name: 'x64-healthy' })
    expect(assessWinre(healthy).findings.some((f) => f.id === 'boot-after-revocation')).toBe(false)

    const revoked = structuredClone(old)
    if (revoked.bootChain?.status === 'known') revoked.bootChain.value.pca2011Revoked = true
    const h = assessWinre(revoked)
    expect(h.findings.find((f) => f.id === 'boot-after-revocation')!.severity).toBe('error')
    expect(h.healthy).toBe(false)
  })
})
