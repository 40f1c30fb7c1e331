/**
 * parseComputerInfo line by line (mutation testing). Whole results on the two real captures in
 * test/fixtures/computerinfo; each property's fallback order, JSON handling and placeholder rule on short
 * hand-made inputs (edge cases, not captures: Get-ComputerInfo's property names are its documented ones).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { loseNewlines } from './paste-damage.ts'

type M0 = typeof import('../../../main/parse/computer-info.ts')
let parseComputerInfo: M0['parseComputerInfo']
// A fresh module per test-file run (vi.resetModules): module-level tables and patterns are evaluated again, so
// Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ parseComputerInfo } = await import('../../../main/parse/computer-info.ts'))
})

const UBR_WARNING = 'Get-ComputerInfo does not show the UBR; the registry value CurrentVersion\\UBR has it.'
const ltsc = loadFixture('computerinfo/en-ltsc2019-winutil.txt').text
const elided = loadFixture('computerinfo/en-windowsubr-elided.txt').text
const os = (lines: string[]) => parseComputerInfo(lines.join('\n')).os

describe('parseComputerInfo on the real captures, whole results', () => {
  it('LTSC 2019: build and arch from WindowsBuildLabEx, the edition ID, four known properties, the UBR warning', () => {
    const want = {
      os: {
        productName: 'Windows 10 Enterprise N LTSC 2019',
        edition: 'EnterpriseSN',
        displayVersion: null,
        build: 17763,
        ubr: null,
        arch: 'x64',
        computerName: null,
      },
      recognised: 4,
      buildNamed: false,
      warnings: [UBR_WARNING],
    }
    expect(parseComputerInfo(ltsc)).toEqual(want)
    expect(parseComputerInfo(loseNewlines(ltsc))).toEqual(want)
  })

  it('the elided sample: WindowsUBR read, no build so no warning', () => {
    expect(parseComputerInfo(elided)).toEqual({
      os: {
        productName: 'Windows 10 Enterprise',
        edition: 'Enterprise',
        displayVersion: null,
        build: null,
        ubr: 577,
        arch: null,
        computerName: null,
      },
      recognised: 4,
      buildNamed: false,
      warnings: [],
    })
  })
})

describe('parseComputerInfo: each property (hand-made edge inputs)', () => {
  it('product name: OsName before WindowsProductName; edition: WindowsEditionId before the name', () => {
    expect(os(['WindowsProductName : Windows 10 Pro', 'OsName : Microsoft Windows 11 Pro'])).toMatchObject({
      productName: 'Microsoft Windows 11 Pro',
      edition: 'Pro',
    })
    expect(os(['OsName : Microsoft Windows 11 Pro', 'WindowsEditionId : Professional'])).toMatchObject({
      edition: 'Professional',
    })
    expect(os(['WindowsProductName : Windows 10 Enterprise'])).toMatchObject({
      productName: 'Windows 10 Enterprise',
      edition: 'Enterprise',
    })
  })

  it('build: OsBuildNumber, else OsVersion, else WindowsBuildLabEx; only digits', () => {
    const cases: Array<[string[], number | null]> = [
      [['OsBuildNumber : 26100', 'OsVersion : 10.0.22631', 'WindowsBuildLabEx : 17763.1.amd64fre'], 26100],
      [['OsVersion : 10.0.22631', 'WindowsBuildLabEx : 17763.1.amd64fre'], 22631],
      [['WindowsBuildLabEx : 17763.1.amd64fre.rs5_release'], 17763],
      [['OsBuildNumber : 26100a'], null],
      [['OsVersion : 10.0'], null],
      [['OsVersion : v10.0.22631'], null],
      [['WindowsBuildLabEx : 177.1.amd64fre'], null],
      [['WindowsBuildLabEx : 177631.1'], null],
      [['WindowsBuildLabEx : x17763.1'], null],
    ]
    let ran = 0
    for (const [lines, build] of cases) {
      expect(os(lines).build, lines.join(' | ')).toBe(build)
      ran++
    }
    expect(ran).toBe(9)
  })

  it('UBR only as digits; display version as written', () => {
    expect(os(['WindowsUBR : 4351', 'OSDisplayVersion : 24H2'])).toMatchObject({ ubr: 4351, displayVersion: '24H2' })
    expect(os(['WindowsUBR : 4351x']).ubr).toBeNull()
    expect(os(['WindowsUBR : x4351']).ubr).toBeNull()
  })

  it('architecture: CsSystemType, else the build lab’s <arch>fre', () => {
    expect(os(['CsSystemType : ARM64-based PC', 'WindowsBuildLabEx : 26100.1.amd64fre.ge_release'])).toMatchObject({
      arch: 'arm64',
    })
    expect(os(['WindowsBuildLabEx : 26100.1.arm64fre.ge_release'])).toMatchObject({ arch: 'arm64' })
    expect(os(['WindowsBuildLabEx : 26100.1.x86fre.ge_release'])).toMatchObject({ arch: 'x86' })
    expect(os(['CsSystemType : Unknown'])).toMatchObject({ arch: null })
    expect(os(['WindowsBuildLabEx : 26100.1.ge_release'])).toMatchObject({ arch: null })
  })

  it('computer name: CsName, else CsDNSHostName; a placeholder is no name', () => {
    expect(os(['CsDNSHostName : host-b', 'CsName : HOST-A']).computerName).toBe('HOST-A')
    expect(os(['CsDNSHostName : host-b']).computerName).toBe('host-b')
    expect(os(['CsName : <ComputerName>', 'CsDNSHostName : host-b']).computerName).toBe('host-b')
    expect(os(['CsName : ####']).computerName).toBeNull()
  })

  it('the first of two lines with one property wins, any case', () => {
    expect(
      os(['OsName : Microsoft Windows 11 Pro', 'osname : Microsoft Windows 10 Home', 'Other : x']).productName,
    ).toBe('Microsoft Windows 11 Pro')
  })

  it('counts the known properties, and warns about the UBR only when the build is known without it', () => {
    expect(parseComputerInfo('OsBuildNumber : 26100\nWindowsUBR : 4351\nCsName : PC\nFoo : bar').recognised).toBe(3)
    expect(parseComputerInfo('OsBuildNumber : 26100\nWindowsUBR : 4351').warnings).toEqual([])
    expect(parseComputerInfo('OsBuildNumber : 26100').warnings).toEqual([UBR_WARNING])
    expect(parseComputerInfo('')).toEqual({
      os: {
        productName: null,
        edition: null,
        displayVersion: null,
        build: null,
        ubr: null,
        arch: null,
        computerName: null,
      },
      recognised: 0,
      buildNamed: false,
      warnings: [],
    })
    expect(parseComputerInfo(undefined as unknown as string).recognised).toBe(0)
  })

  it('reads ConvertTo-Json output: scalars kept (numbers as text), objects and nulls left out', () => {
    const r = parseComputerInfo(
      ` ${JSON.stringify({ OsName: 'Microsoft Windows 11 Pro', OsBuildNumber: 26100, WindowsUBR: 4351, OSDisplayVersion: '24H2', CsSystemType: 'ARM64-based PC', CsName: null, CsDNSHostName: 'pc-7', OsHotFixes: [{ HotFixID: 'KB1' }] })} `,
    )
    expect(r).toEqual({
      os: {
        productName: 'Microsoft Windows 11 Pro',
        edition: 'Pro',
        displayVersion: '24H2',
        build: 26100,
        ubr: 4351,
        arch: 'arm64',
        computerName: 'pc-7',
      },
      recognised: 6,
      buildNamed: true,
      warnings: [],
    })
  })

  it('text that starts with { but is not JSON is read as text', () => {
    expect(
      parseComputerInfo('{ broken\nOsName : Microsoft Windows 11 Pro\nOsBuildNumber : 26100\nWindowsUBR : 1').os,
    ).toMatchObject({ productName: 'Microsoft Windows 11 Pro', build: 26100, ubr: 1 })
  })

  it('a flattened paste of few lines is read by the known property names, each value up to the next label', () => {
    const r = parseComputerInfo('OsName : Microsoft Windows 11 Pro OsBuildNumber : 26100 CsSystemType : x64-based PC')
    expect(r.os).toMatchObject({ productName: 'Microsoft Windows 11 Pro', build: 26100, arch: 'x64', edition: 'Pro' })
    expect(r.recognised).toBe(3)
  })
})
