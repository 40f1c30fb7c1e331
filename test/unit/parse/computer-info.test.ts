import { describe, it, expect } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { parseComputerInfo } from '../../../main/parse/computer-info.ts'
import { loseNewlines } from './paste-damage.ts'

describe('parseComputerInfo on captured Get-ComputerInfo output', () => {
  it('reads build and architecture from WindowsBuildLabEx and the edition ID', () => {
    const r = parseComputerInfo(loadFixture('computerinfo/en-ltsc2019-winutil.txt').text)
    expect(r.os).toMatchObject({
      build: 17763,
      arch: 'x64',
      edition: 'EnterpriseSN',
      productName: 'Windows 10 Enterprise N LTSC 2019',
      ubr: null,
    })
    expect(r.recognised).toBeGreaterThanOrEqual(3)
  })

  it('reads WindowsUBR where it exists and leaves the build unknown when the text elides it', () => {
    const r = parseComputerInfo(loadFixture('computerinfo/en-windowsubr-elided.txt').text)
    expect(r.os).toMatchObject({ ubr: 577, build: null, edition: 'Enterprise' })
  })

  it('reads a flattened paste and JSON', () => {
    const flat = parseComputerInfo(loseNewlines(loadFixture('computerinfo/en-ltsc2019-winutil.txt').text))
    expect(flat.os).toMatchObject({ build: 17763, edition: 'EnterpriseSN' })
    const json = parseComputerInfo(
      JSON.stringify({
        OsName: 'Microsoft Windows 11 Pro',
        OsBuildNumber: '26100',
        OSDisplayVersion: '24H2',
        CsSystemType: 'ARM64-based PC',
        WindowsEditionId: 'Professional',
      }),
    )
    expect(json.os).toMatchObject({ build: 26100, displayVersion: '24H2', arch: 'arm64', edition: 'Professional' })
  })
})
