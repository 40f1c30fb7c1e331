import { describe, it, expect } from 'vitest'
import { parsePackageIdentity, normalizePackageArch, compareVersions } from '../../../main/parse/package-identity.ts'

describe('parsePackageIdentity', () => {
  it('reads the 24H2 checkpoint LCU identity (servicing-facts §3)', () => {
    expect(parsePackageIdentity('Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10')).toEqual({
      identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10',
      name: 'Package_for_RollupFix',
      publicKeyToken: '31bf3856ad364e35',
      arch: 'x64',
      rawArch: 'amd64',
      language: '',
      version: '26100.1742.1.10',
      kb: null,
      role: 'lcu',
    })
  })

  it('reads the KB from Package_for_KB names and tells SSU, KB and feature packages apart', () => {
    expect(parsePackageIdentity('Package_for_KB5043080~31bf3856ad364e35~arm64~~26100.1742.1.10')).toMatchObject({
      kb: 'KB5043080',
      arch: 'arm64',
      role: 'kb',
    })
    expect(
      parsePackageIdentity('Package_for_ServicingStack_1742~31bf3856ad364e35~amd64~~26100.1742.1.1'),
    ).toMatchObject({ role: 'ssu', kb: null })
    expect(
      parsePackageIdentity('Microsoft-Windows-Notepad-System-FoD-Package~31bf3856ad364e35~wow64~en-US~10.0.26100.1'),
    ).toMatchObject({ role: 'feature', arch: 'wow64', language: 'en-US' })
  })

  it('normalises every DISM architecture word', () => {
    expect(
      ['amd64', 'x86', 'arm64', 'arm', 'wow64', 'arm64.x86', 'arm64.arm', 'msil', '', 'ia64'].map(normalizePackageArch),
    ).toEqual(['x64', 'x86', 'arm64', 'arm', 'wow64', 'wow64', 'wow64', 'neutral', 'neutral', null])
  })

  it('returns null for what is not an identity (truncated, missing token, placeholder)', () => {
    for (const bad of [
      '',
      'Package_for_RollupFix',
      'Package_for_RollupFix~31bf3856ad364e35~amd64~~',
      'Package_for_KB####~<token>~amd64~~10.0',
      'a~b~c~d~e',
    ]) {
      expect(parsePackageIdentity(bad)).toBeNull()
    }
  })

  it('compares versions numerically, not as text', () => {
    expect(compareVersions('26100.8655.1.7', '26100.1742.1.10')).toBeGreaterThan(0)
    expect(compareVersions('10.0.9', '10.0.10')).toBeLessThan(0)
    expect(compareVersions('1.2', '1.2.0')).toBe(0)
  })
})
