/**
 * parseSysteminfo line by line (mutation testing): the whole result (every OS fact, the hotfix
 * count announced, every warning and the confidence score) of each real capture in test/fixtures/systeminfo
 * and test/fixtures/corpus/os-info, in eight display languages, whole and flattened; the score's parts on
 * short hand-made lines (edge cases, not captures).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { loseNewlines } from './paste-damage.ts'

type M0 = typeof import('../../../main/parse/systeminfo.ts')
let parseSysteminfo: M0['parseSysteminfo']
// A fresh module per test-file run (vi.resetModules): module-level tables and patterns are evaluated again, so
// Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ parseSysteminfo } = await import('../../../main/parse/systeminfo.ts'))
})

const NO_UBR =
  'systeminfo does not print the UBR (the revision after the build); run `reg query "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"` for it.'
const FLAT = 'The text lost its line breaks; fields were read by their values.'
const cut = (announced: number, listed: number) =>
  `systeminfo announced ${announced} hotfixes but the text lists ${listed}; the paste may be cut short.`

type Row = [
  file: string,
  productName: string | null,
  build: number | null,
  arch: string | null,
  computerName: string | null,
  hotfixes: number,
  announced: number | null,
  confidence: number,
]
const rows: Row[] = [
  ['systeminfo/de-win7-sp1-excerpt.txt', 'Microsoft Windows 7 Ultimate N', 7601, 'x64', 'OLI7-PC', 17, 263, 1],
  [
    'systeminfo/en-nl-locale-win10-1803-x86.txt',
    'Microsoft Windows 10 Enterprise',
    17134,
    'x86',
    'DESKTOP-LFQSJM4',
    4,
    4,
    1,
  ],
  ['systeminfo/en-server2022.txt', 'Microsoft Windows Server 2022 Standard', 20348, 'x64', 'WIN-RIBN7SM07BK', 3, 3, 1],
  ['systeminfo/en-win10-1607-sanitized.txt', 'Microsoft Windows 10 Pro', 14393, 'x64', null, 7, 7, 1],
  [
    'systeminfo/en-win10-22h2-no-leading-blank.txt',
    'Microsoft Windows 10 Enterprise',
    19045,
    'x64',
    'DESKTOP-92B51CV',
    1,
    1,
    1,
  ],
  ['systeminfo/en-win11-22h2-home-sl.txt', 'Microsoft Windows 11 Home Single Language', 22621, 'x64', 'test', 1, 1, 1],
  [
    'systeminfo/en-win11-23h2-wazuh-excerpt.txt',
    'Microsoft Windows 11 Enterprise Evaluation',
    22631,
    'x64',
    'DESKTOP-A65TSFK',
    0,
    null,
    1,
  ],
  ['systeminfo/en-win11-23h2.txt', 'Microsoft Windows 11 Enterprise', 22631, 'x64', 'DESKTOP-JNEKK9U', 4, 4, 1],
  ['systeminfo/en-win11-24h2-ltsc.txt', 'Microsoft Windows 11 Enterprise LTSC', 26100, 'x64', 'WINXI24H2LTSC', 3, 3, 1],
  [
    'systeminfo/en-win11-24h2-wazuh-excerpt.txt',
    'Microsoft Windows 11 Pro for Workstations',
    26100,
    'x64',
    'WINDOWS-11-24H2',
    0,
    null,
    0.8,
  ],
  ['systeminfo/es-win10-1809-redacted.txt', 'Microsoft Windows 10 Education', 17763, 'x64', null, 9, 9, 1],
  ['systeminfo/fr-win7-sp1-oem-mojibake.txt', 'Microsoft Windowsÿ7 Entreprise N', 7601, 'x64', null, 17, 73, 1],
  ['systeminfo/it-win10-1803.txt', 'Microsoft Windows 10 Pro', 17134, 'x64', 'PC044', 10, 10, 1],
  [
    'systeminfo/ru-server2012r2.txt',
    'Майкрософт Ознакомительная версия Windows Server 2012 R2 Standard',
    9600,
    'x64',
    null,
    7,
    7,
    1,
  ],
  ['systeminfo/zh-cn-win10-1809.txt', 'Microsoft Windows 10 企业版 LTSC', 17763, 'x64', 'DESKTOP-0CQH3P2', 1, 1, 1],
  [
    'corpus/os-info/en-systeminfo-server2008r2-bounty-datacenter.txt',
    'Microsoft Windows Server 2008 R2 Datacenter',
    7600,
    'x64',
    'BOUNTY',
    0,
    null,
    1,
  ],
  ['corpus/os-info/en-systeminfo-2012r2-ec2-208-hotfixes.txt', null, null, 'x64', null, 208, 208, 0.8],
  [
    'corpus/os-info/en-systeminfo-server2008r2-arctic.txt',
    'Microsoft Windows Server 2008 R2 Standard',
    7600,
    'x64',
    'ARCTIC',
    0,
    null,
    1,
  ],
  [
    'corpus/os-info/en-systeminfo-win7-x86-devel-greek-locale.txt',
    'Microsoft Windows 7 Enterprise',
    7600,
    'x86',
    'DEVEL',
    0,
    null,
    1,
  ],
]

describe('parseSysteminfo on every real capture, whole results', () => {
  it('reads each capture’s facts, hotfixes, announced count, warnings and confidence', () => {
    let ran = 0
    for (const [file, productName, build, arch, computerName, count, announced, confidence] of rows) {
      const r = parseSysteminfo(loadFixture(file).text)
      const edition =
        productName === null ? null : productName.replace(/^.*?Windows[\sÿ]*(?:Server\s+)?\d+(?:\s+R2)?\s+/, '')
      expect(r.os, file).toEqual({ productName, edition, displayVersion: null, build, ubr: null, arch, computerName })
      expect(r.hotfixes, file).toHaveLength(count)
      expect(
        r.hotfixes.every((k) => /^KB\d{6,8}$/.test(k)),
        file,
      ).toBe(true)
      expect(r.hotfixCountAnnounced, file).toBe(announced)
      expect(r.warnings, file).toEqual([
        ...(announced !== null && announced > count ? [cut(announced, count)] : []),
        ...(build !== null ? [NO_UBR] : []),
      ])
      expect(r.confidence, file).toBeCloseTo(confidence, 10)
      ran++
    }
    expect(ran).toBe(19)
  })

  it('reads the same facts from flattened pastes, and says they were flattened', () => {
    let ran = 0
    for (const file of [
      'systeminfo/en-win11-23h2.txt',
      'systeminfo/zh-cn-win10-1809.txt',
      'systeminfo/it-win10-1803.txt',
      'systeminfo/en-server2022.txt',
      'systeminfo/es-win10-1809-redacted.txt',
    ]) {
      const whole = parseSysteminfo(loadFixture(file).text)
      const flat = parseSysteminfo(loseNewlines(loadFixture(file).text))
      expect(flat.os.build, file).toBe(whole.os.build)
      expect(flat.os.arch, file).toBe(whole.os.arch)
      expect(flat.hotfixes, file).toEqual(whole.hotfixes)
      expect(flat.hotfixCountAnnounced, file).toBe(whole.hotfixCountAnnounced)
      expect(flat.os.computerName, file).toBeNull()
      expect(flat.warnings[0], file).toBe(FLAT)
      ran++
    }
    expect(ran).toBe(5)
    expect(parseSysteminfo(loseNewlines(loadFixture('systeminfo/en-win11-23h2.txt').text))).toEqual({
      os: {
        productName: 'Microsoft Windows 11 Enterprise',
        edition: 'Enterprise',
        displayVersion: null,
        build: 22631,
        ubr: null,
        arch: 'x64',
        computerName: null,
      },
      hotfixes: parseSysteminfo(loadFixture('systeminfo/en-win11-23h2.txt').text).hotfixes,
      hotfixCountAnnounced: 4,
      warnings: [FLAT, NO_UBR],
      confidence: 1,
    })
  })
})

describe('parseSysteminfo: the parts of the score and each reading (hand-made edge lines)', () => {
  const p = (lines: string[]) => parseSysteminfo(lines.join('\n'))

  it('name 0.3, version 0.3, system type 0.2, announced count 0.2', () => {
    expect(p(['OS Name: Microsoft Windows 11 Pro']).confidence).toBeCloseTo(0.3, 10)
    expect(p(['OS Version: 10.0.26100 N/A Build 26100']).confidence).toBeCloseTo(0.3, 10)
    expect(p(['System Type: ARM64-based PC']).confidence).toBeCloseTo(0.2, 10)
    expect(p(['Hotfix(s): 2 Hotfix(s) Installed.']).confidence).toBeCloseTo(0.2, 10)
    expect(p(['Note: this is text.', 'Another: line here']).confidence).toBe(0)
  })

  it('the first value of each kind wins; a BIOS version and a path are not the OS', () => {
    const r = p([
      'BIOS Version: 1.22.12345 Vendor',
      'Windows Directory: C:\\Windows 10 stuff',
      'OS Name: Microsoft Windows 11 Pro',
      'Other: Microsoft Windows 10 Home',
      'OS Version: 10.0.26100 N/A Build 26100',
      'Other Version: 10.0.22631',
      'System Type: ARM64-based PC',
      'Processor: x64-based PC',
    ])
    expect(r.os).toMatchObject({ productName: 'Microsoft Windows 11 Pro', edition: 'Pro', build: 26100, arch: 'arm64' })
    expect(r.confidence).toBeCloseTo(0.8, 10)
    expect(p(['OS Version: 10.0.261 N/A']).os.build).toBeNull()
  })

  it('the host name is the first field, only under a host-name label and not a placeholder', () => {
    expect(p(['Host Name: PC-1', 'OS Name: Microsoft Windows 11 Pro']).os.computerName).toBe('PC-1')
    expect(p(['Hostname: PC-1']).os.computerName).toBe('PC-1')
    expect(p(['Computer name: PC-1']).os.computerName).toBe('PC-1')
    expect(p(['OS Name: Microsoft Windows 11 Pro', 'Host Name: PC-1']).os.computerName).toBeNull()
    expect(p(['Owner: PC-1']).os.computerName).toBeNull()
    expect(p(['Host Name: <hostname>']).os.computerName).toBeNull()
  })

  it('system types in each listed language', () => {
    const cases: Array<[string, string]> = [
      ['x64-based PC', 'x64'],
      ['X86-based PC', 'x86'],
      ['ARM64-based PC', 'arm64'],
      ['x64-basierter PC', 'x64'],
      ['PC à base de x64', 'x64'],
      ['PC a base de x86', 'x86'],
      ['PC à base x64', 'x64'],
      ['基于 x64 的电脑', 'x64'],
      ['arm based PC', 'arm'],
    ]
    let ran = 0
    for (const [value, arch] of cases) {
      expect(p([`System Type: ${value}`]).os.arch, value).toBe(arch)
      ran++
    }
    expect(ran).toBe(9)
    expect(p(['System Type: x64']).os.arch).toBeNull()
  })

  it('hotfixes: [nn]: KB lines, upper-cased, each once; the announced count in each listed language', () => {
    expect(
      p([
        'Hotfix(s): 3 Hotfix(s) Installed.',
        '[01]: KB5037589',
        '[02]: kb5037783',
        '[03]: KB5037589',
        '[1000]: KB1234567',
        '[04]: KB12345',
      ]).hotfixes,
    ).toEqual(['KB5037589', 'KB5037783'])
    const counts: Array<[string, number]> = [
      ['3 Hotfix(s) Installed.', 3],
      ['3 Hotfix(e) installiert.', 3],
      ['3 Corrections installées.', 3],
      ['3 Correctif(s) installé(s).', 3],
      ['3 revisión(es) instalada(s).', 3],
      ['3 Aggiornamenti rapidi installati.', 3],
      ['安装了 3 个修补程序。', 3],
      ['Число установленных исправлений - 3.', 3],
      ['12345 Hotfix(s) Installed.', 12345],
    ]
    let ran = 0
    for (const [line, n] of counts) {
      expect(p([`Hotfix(s): ${line}`]).hotfixCountAnnounced, line).toBe(n)
      ran++
    }
    expect(ran).toBe(9)
    expect(p(['Hotfix(s): 2 Hotfix(s) Installed.', '[01]: KB5037589', '[02]: KB5037783']).warnings).toEqual([])
    expect(p(['Hotfix(s): 3 Hotfix(s) Installed.', '[01]: KB5037589']).warnings).toEqual([cut(3, 1)])
  })
})
