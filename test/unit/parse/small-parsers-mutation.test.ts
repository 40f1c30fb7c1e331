/**
 * The small parsers line by line (mutation testing): codeFromToken, the robocopy summary (its real
 * captured sample in test/fixtures/robocopy), the integrity level from `whoami /groups`, the code page from
 * `reg query`/`chcp`, and `manage-bde -status`. Hand-made inputs are edge cases in the tools' documented
 * layouts, not captures.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'

type M0 = typeof import('../../../main/parse/error-token.ts')
let codeFromToken: M0['codeFromToken']
type M1 = typeof import('../../../main/parse/robocopy.ts')
let parseRobocopySummary: M1['parseRobocopySummary']
type M2 = typeof import('../../../main/parse/whoami-groups.ts')
let isElevatedLevel: M2['isElevatedLevel'], parseIntegrityLevel: M2['parseIntegrityLevel']
type M3 = typeof import('../../../main/parse/code-page.ts')
let parseChcp: M3['parseChcp'], parseOemCodePageFromReg: M3['parseOemCodePageFromReg']
type M4 = typeof import('../../../main/parse/manage-bde-status.ts')
let parseManageBdeStatus: M4['parseManageBdeStatus']
// A fresh module per test-file run (vi.resetModules): module-level tables and patterns are evaluated again, so
// Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ codeFromToken } = await import('../../../main/parse/error-token.ts'))
  ;({ parseRobocopySummary } = await import('../../../main/parse/robocopy.ts'))
  ;({ isElevatedLevel, parseIntegrityLevel } = await import('../../../main/parse/whoami-groups.ts'))
  ;({ parseChcp, parseOemCodePageFromReg } = await import('../../../main/parse/code-page.ts'))
  ;({ parseManageBdeStatus } = await import('../../../main/parse/manage-bde-status.ts'))
})

describe('codeFromToken', () => {
  it('reads each token form (eight digits without a hex letter are decimal, by design)', () => {
    const cases: Array<[string, boolean, string | null]> = [
      ['0x800f0922', true, '0x800F0922'],
      [' 0X2 ', true, '0x00000002'],
      ['0x123456789', true, null],
      ['0x', true, null],
      ['800f0922', true, '0x800F0922'],
      ['80070002', true, '0x04C5C572'],
      ['8007000', true, '0x007A2D58'],
      ['800f092', true, null],
      ['800f09222', true, null],
      ['14098', true, '0x80073712'],
      ['14098', false, '0x00003712'],
      ['65535', true, '0x8007FFFF'],
      ['65536', true, '0x00010000'],
      ['0', true, '0x00000000'],
      ['1', false, '0x00000001'],
      ['-2146498270', true, '0x800F0922'],
      ['-2147483648', true, '0x80000000'],
      ['-2147483649', true, null],
      ['4294967295', true, '0xFFFFFFFF'],
      ['4294967296', true, null],
      ['12345678901', true, null],
      ['abc', true, null],
      ['', true, null],
      ['0x80070002x', true, null],
      ['+5', true, null],
    ]
    let ran = 0
    for (const [token, win32, code] of cases) {
      expect(codeFromToken(token, win32), `${token}/${win32}`).toBe(code)
      ran++
    }
    expect(ran).toBe(25)
    expect(codeFromToken('5')).toBe('0x80070005')
  })
})

describe('parseRobocopySummary', () => {
  it('reads the real Data Box sample’s Dirs and Files rows (Bytes with units is not a count row)', () => {
    expect(parseRobocopySummary(loadFixture('robocopy/data-box-copy-summary.txt').text)).toEqual({
      dirs: { total: 1, copied: 1, failed: 0 },
      files: { total: 17, copied: 17, failed: 0 },
      errors: [],
    })
  })

  it('reads FAILED from its column, CRLF text, and up to ten ERROR lines', () => {
    const t = [
      '   Dirs :   3   2   0   0   1   0',
      '  Files :\t10\t7\t1\t0\t2\t0',
      '',
      '2024/01/02 10:00:00 ERROR 5 (0x00000005) Copying File C:\\a',
      'ERROR 32 (0x00000020) Copying File C:\\b',
      'not ERROR 2 (0x00000002) here',
      'ERROR 2 (0x0002) short',
      ...Array.from({ length: 12 }, (_, i) => `ERROR 3 (0x00000003) file ${i}`),
    ].join('\r\n')
    const r = parseRobocopySummary(t)
    expect(r.dirs).toEqual({ total: 3, copied: 2, failed: 1 })
    expect(r.files).toEqual({ total: 10, copied: 7, failed: 2 })
    expect(r.errors).toHaveLength(10)
    expect(r.errors.slice(0, 3)).toEqual([
      '2024/01/02 10:00:00 ERROR 5 (0x00000005) Copying File C:\\a',
      'ERROR 32 (0x00000020) Copying File C:\\b',
      'ERROR 3 (0x00000003) file 0',
    ])
  })

  it('a row with five numbers or text after them is not read; odd input gives nulls', () => {
    expect(parseRobocopySummary('Dirs : 1 1 1 0 0').dirs).toBeNull()
    expect(parseRobocopySummary('Dirs : 1 1 1 0 0 0 x').dirs).toBeNull()
    expect(parseRobocopySummary('xDirs : 1 1 1 0 0 0').dirs).toBeNull()
    expect(parseRobocopySummary(undefined as unknown as string)).toEqual({ dirs: null, files: null, errors: [] })
  })
})

describe('parseIntegrityLevel', () => {
  it('names the level from the Mandatory Label SID, at each boundary', () => {
    const cases: Array<[string, string | null]> = [
      ['"Mandatory Label\\High Mandatory Level","Label","S-1-16-12288",""', 'high'],
      ['S-1-16-16384', 'system'],
      ['S-1-16-20480', 'system'],
      ['S-1-16-16383', 'high'],
      ['S-1-16-12287', 'medium'],
      ['S-1-16-8448', 'medium'],
      ['S-1-16-8192', 'medium'],
      ['S-1-16-8191', 'low'],
      ['S-1-16-4096', 'low'],
      ['S-1-16-4095', 'untrusted'],
      ['S-1-16-0', 'untrusted'],
      ['"Everyone","Well-known group","S-1-1-0","Mandatory group"', null],
      ['', null],
    ]
    let ran = 0
    for (const [text, level] of cases) {
      expect(parseIntegrityLevel(text), text).toBe(level)
      ran++
    }
    expect(ran).toBe(13)
    expect(parseIntegrityLevel(5 as unknown as string)).toBeNull()
  })

  it('only high and system are elevated', () => {
    expect([
      isElevatedLevel('system'),
      isElevatedLevel('high'),
      isElevatedLevel('medium'),
      isElevatedLevel('low'),
      isElevatedLevel('untrusted'),
      isElevatedLevel(null),
    ]).toEqual([true, true, false, false, false, false])
  })
})

describe('code page', () => {
  const reg = (v: string, type = 'REG_SZ') =>
    `\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage\r\n    OEMCP    ${type}    ${v}\r\n\r\n`
  it('OEMCP: a plausible code page only', () => {
    const cases: Array<[string, number | null]> = [
      ['850', 850],
      ['437', 437],
      ['65001', 65001],
      ['65535', 65535],
      ['65536', null],
      ['0', null],
      ['abc', null],
      ['8a', null],
    ]
    let ran = 0
    for (const [v, cp] of cases) {
      expect(parseOemCodePageFromReg(reg(v)), v).toBe(cp)
      ran++
    }
    expect(ran).toBe(8)
    expect(parseOemCodePageFromReg(reg('0x352', 'REG_DWORD'))).toBe(850)
    expect(parseOemCodePageFromReg(5 as unknown as string)).toBeNull()
  })

  it('chcp: the last number on the first line with digits', () => {
    expect(parseChcp('\r\nActive code page: 437\r\n')).toBe(437)
    expect(parseChcp('Page de codes active : 850\r\nline 2: 1252')).toBe(850)
    expect(parseChcp('活动代码页: 936')).toBe(936)
    expect(parseChcp('Active code page: 0')).toBeNull()
    expect(parseChcp('Active code page: 65536')).toBeNull()
    expect(parseChcp(null as unknown as string)).toBeNull()
  })
})

describe('parseManageBdeStatus', () => {
  const doc = (protection: string, pct: string, protectors: string[]) =>
    `Volume C: [Windows]\n[OS Volume]\n\n    Size:                 475.83 GB\n    ${pct}\n    ${protection}\n    Key Protectors:\n${protectors.map((p) => `        ${p}\n`).join('')}`

  it('protection on/off in each language, the percentage with a dot or a comma, the TPM protector', () => {
    const cases: Array<[string, string]> = [
      ['Protection Status:    Protection On', 'on'],
      ['Schutzstatus: Der Schutz ist aktiviert', 'on'],
      ['État de la protection : Protection activée', 'on'],
      ['Estado de protección: Protección activada', 'on'],
      ['Protection Status:    Protection Off', 'off'],
      ['Schutzstatus: Der Schutz ist deaktiviert', 'off'],
      ['État de la protection : Protection désactivée', 'off'],
      ['Estado de protección: Protección desactivada', 'off'],
      ['Protection Status:    Unknown', 'unknown'],
    ]
    let ran = 0
    for (const [line, status] of cases) {
      expect(parseManageBdeStatus(doc(line, 'Percentage Encrypted: 100.0%', ['TPM'])).protectionStatus, line).toBe(
        status,
      )
      ran++
    }
    expect(ran).toBe(9)
    const pcts: Array<[string, number | null]> = [
      ['Percentage Encrypted: 42,5%', 42.5],
      ['Prozentsatz verschlüsselt: 7 %', 7],
      ['Pourcentage chiffré : 99,9%', 99.9],
      ['Porcentaje cifrado: 0,0%', 0],
      ['Encrypted: 50%', null],
    ]
    for (const [line, pct] of pcts)
      expect(parseManageBdeStatus(doc('Protection Status: Protection On', line, [])).encryptionPercentage, line).toBe(
        pct,
      )
  })

  it('a TPM protector in the indented block or on the heading line; none found is false; no block is unknown', () => {
    expect(parseManageBdeStatus(doc('Protection On', '', ['Numerical Password', 'TPM And PIN'])).tpmProtector).toBe(
      true,
    )
    expect(parseManageBdeStatus(doc('Protection On', '', ['Numerical Password'])).tpmProtector).toBe(false)
    expect(parseManageBdeStatus('Protection On\n    Key Protectors: TPM\n').tpmProtector).toBe(true)
    expect(parseManageBdeStatus('Protection Off\n    Key Protectors:\n        None Found\n').tpmProtector).toBe(false)
    expect(parseManageBdeStatus('Protection Off\n    Key Protectors: None Found\n').tpmProtector).toBe(false)
    expect(parseManageBdeStatus('Protection Off\n    Key Protectors:\nTPM not indented\n').tpmProtector).toBe(false)
    expect(parseManageBdeStatus('Protection Off\n').tpmProtector).toBeNull()
  })

  it('recognised by a protection line or a percentage; anything else is not', () => {
    expect(parseManageBdeStatus('Percentage Encrypted: 10%').recognised).toBe(true)
    expect(parseManageBdeStatus('Protection Off').recognised).toBe(true)
    expect(parseManageBdeStatus('ERROR: An attempt to access a required resource was denied.')).toEqual({
      protectionStatus: 'unknown',
      encryptionPercentage: null,
      tpmProtector: null,
      recoveryPassword: null,
      recognised: false,
    })
    expect(parseManageBdeStatus(undefined as unknown as string).recognised).toBe(false)
  })
})
