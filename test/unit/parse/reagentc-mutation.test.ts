/**
 * parseReagentc, one behaviour per test (a failure verdict inside an /info report, full-width
 * colons and the BCD-failure condition were noticed by no test). Inputs are the captured reports in
 * test/fixtures/reagentc with one line changed or added where a test needs a variant; the variant is
 * built here, visibly, and the fixtures stay verbatim. Assertions are on the structured result (outcome,
 * succeeded, info fields, warnings), not on how the parser is written.
 */
import { describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { looksLikeReagentc, normalizeBcdId, parseGlobalrootPath, parseReagentc } from '../../../main/parse/reagentc.ts'

const fx = (name: string) => loadFixture(`reagentc/${name}`).text
const enabled = () => fx('en-24h2-with-version.txt')
/** The enabled report with its closing REAGENTC.EXE line replaced. */
const withVerdict = (line: string) => enabled().replace(/REAGENTC\.EXE: Operation Successful\./, line)

describe('reagentc /info: the verdict line decides the outcome', () => {
  it('a report that ends "Operation Successful." is info and succeeded', () => {
    expect(parseReagentc(enabled())).toMatchObject({
      outcome: 'info',
      succeeded: true,
      message: 'REAGENTC.EXE: Operation Successful.',
      warnings: [],
    })
  })

  it('a report that ends with "image was not found" is that failure, with the report still read', () => {
    const r = parseReagentc(withVerdict('REAGENTC.EXE: The Windows RE image was not found.'))
    expect(r).toMatchObject({
      outcome: 'image-not-found',
      succeeded: false,
      message: 'REAGENTC.EXE: The Windows RE image was not found.',
    })
    expect(r.info).toMatchObject({ status: 'enabled', location: { disk: 0, partition: 8 } })
  })

  it('a report that ends with an unrecognised REAGENTC line is failed, not info', () => {
    expect(parseReagentc(withVerdict('REAGENTC.EXE: Something else happened.'))).toMatchObject({
      outcome: 'failed',
      succeeded: false,
    })
  })

  it('the last REAGENTC line is the verdict when there are two', () => {
    const r = parseReagentc(`REAGENTC.EXE: The Windows RE image was not found.\n${enabled()}`)
    expect(r).toMatchObject({ outcome: 'info', succeeded: true, message: 'REAGENTC.EXE: Operation Successful.' })
  })

  it('a report without its closing line is info, succeeded unknown, with a warning', () => {
    const r = parseReagentc(enabled().replace(/REAGENTC\.EXE: Operation Successful\./, ''))
    expect(r).toMatchObject({ outcome: 'info', succeeded: null, message: null })
    expect(r.warnings).toEqual(['The closing "REAGENTC.EXE: …" line is missing; the text may be cut off.'])
  })
})

describe('reagentc one-line answers: each outcome', () => {
  const cases: [string, string, boolean | null][] = [
    ['REAGENTC.EXE: Operation Successful.', 'success', true],
    ['REAGENTC.EXE: Windows RE is already disabled.', 'already-disabled', false],
    ['REAGENTC.EXE: Windows RE is already enabled.', 'already-enabled', false],
    ['REAGENTC.EXE: The Windows RE image was not found.', 'image-not-found', false],
    ['REAGENTC.EXE: 未找到 Windows RE 映像。', 'image-not-found', false],
    ['REAGENTC.EXE: Unable to update Boot Configuration Data.', 'bcd-update-failed', false],
    ['REAGENTC.EXE: Boot Configuration Data could not be read, the operation failed.', 'bcd-update-failed', false],
    ['REAGENTC.EXE: Boot Configuration Data updated.', 'failed', false],
    ['REAGENTC.EXE: The target Windows installation was not found.', 'target-not-found', false],
    ['REAGENTC.EXE: Access is denied.', 'failed', false],
    ['REAGENTC.EXE：Operation Successful.', 'success', true],
    ['REAGENTC: Operation Successful.', 'success', true],
  ]
  let ran = 0
  for (const [line, outcome, succeeded] of cases) {
    it(`${JSON.stringify(line)} is ${outcome}`, () => {
      ran++
      expect(parseReagentc(`${line}\r\n`)).toEqual({ outcome, info: null, message: line, succeeded, warnings: [] })
    })
  }
  it('ran every case', () => expect(ran).toBe(12))

  it('a bare "Operation successful" last line (no REAGENTC prefix) is a success', () => {
    expect(parseReagentc('some output\nOperation successful\n')).toEqual({
      outcome: 'success',
      info: null,
      message: 'Operation successful',
      succeeded: true,
      warnings: [],
    })
  })

  it('unrelated text is unknown with a reason, empty text says it is empty', () => {
    expect(parseReagentc('hello\nworld')).toEqual({
      outcome: 'unknown',
      info: null,
      message: null,
      succeeded: null,
      warnings: ['This is not reagentc output.'],
    })
    expect(parseReagentc('  \n ')).toEqual({
      outcome: 'unknown',
      info: null,
      message: null,
      succeeded: null,
      warnings: ['The text is empty.'],
    })
    expect(parseReagentc(undefined as unknown as string)).toMatchObject({
      outcome: 'unknown',
      warnings: ['The text is empty.'],
    })
  })
})

describe('reagentc /info: fields', () => {
  it('a full-width colon separates label and value', () => {
    const r = parseReagentc(
      'Windows RE 状态：           Enabled\nWindows RE 位置：\n引导配置数据(BCD)标识符：  d0351a75-4283-11ec-8797-04421ad29d45\nREAGENTC.EXE: 操作成功。\n',
    )
    expect(r.outcome).toBe('info')
    expect(r.info).toMatchObject({ status: 'enabled', bcdId: 'd0351a75-4283-11ec-8797-04421ad29d45' })
  })

  it('the first colon splits, whichever of ASCII and full-width comes first', () => {
    const loc = 'Windows RE location: \\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE\n'
    for (const line of ['Windows RE status：x: Disabled', 'Windows RE status: x：Disabled']) {
      expect(parseReagentc(`${loc}${line}\nREAGENTC.EXE: Operation Successful.\n`).info?.status).toBe('unknown')
    }
    expect(parseReagentc(`${loc}Windows RE status: Disabled\nREAGENTC.EXE: Operation Successful.\n`).info?.status).toBe(
      'disabled',
    )
  })

  it('a byte-order mark before the report is ignored', () => {
    expect(parseReagentc(`\uFEFF${enabled()}`).info).toMatchObject({ status: 'enabled', version: '10.0.26100.8235' })
  })

  it('CR-only line ends are lines', () => {
    expect(parseReagentc(enabled().replace(/\r?\n/g, '\r')).info).toMatchObject({
      status: 'enabled',
      version: '10.0.26100.8235',
      location: { partition: 8 },
    })
  })

  it('"Activé(e)." with its French ending and full stop is enabled', () => {
    const r = parseReagentc('État de Windows RE :       Activé(e).\nREAGENTC.EXE : opération réussie.\n')
    expect(r.info?.status).toBe('enabled')
  })

  it('status words on lines not labelled "status" count when no line is', () => {
    const r = parseReagentc('Windows RE:   Disabled\nREAGENTC.EXE: Operation Successful.\n')
    expect(r.info?.status).toBe('disabled')
  })

  it('the labelled status wins over another status word elsewhere', () => {
    const r = parseReagentc(
      'Windows RE status:   Disabled\nWindows RE other:   Enabled\nREAGENTC.EXE: Operation Successful.\n',
    )
    expect(r.info?.status).toBe('disabled')
    expect(r.warnings).toEqual([])
  })

  it('enabled without a GLOBALROOT location warns', () => {
    const r = parseReagentc('Windows RE status:   Enabled\nREAGENTC.EXE: Operation Successful.\n')
    expect(r.info).toMatchObject({ status: 'enabled', location: null })
    expect(r.warnings).toEqual(['WinRE is enabled but no \\\\?\\GLOBALROOT location was found.'])
  })

  it('a report whose status is not recognised warns and stays unknown', () => {
    const r = parseReagentc(
      'Windows RE status:   Frobnicated\nWindows RE location:  \\\\?\\GLOBALROOT\\device\\harddisk1\\partition3\\Recovery\\WindowsRE\nREAGENTC.EXE: Operation Successful.\n',
    )
    expect(r.info).toMatchObject({ status: 'unknown', location: { disk: 1, partition: 3 } })
    expect(r.warnings).toEqual(['No status line was recognised (is this a display language we do not know yet?).'])
  })

  it('a "(Windows RE)" heading with a BCD line is an info report even without status or location', () => {
    const r = parseReagentc(
      'Windows Recovery Environment (Windows RE) and system reset configuration\nBoot Configuration Data (BCD) identifier: 66478abd-e478-11ef-936d-b4e8d5b5fa22\nREAGENTC.EXE: Operation Successful.\n',
    )
    expect(r.outcome).toBe('info')
    expect(r.info?.bcdId).toBe('66478abd-e478-11ef-936d-b4e8d5b5fa22')
  })

  it('without a BCD label, the first value that is a whole GUID is the BCD id', () => {
    const r = parseReagentc(
      'Windows RE status: Enabled\nWindows RE location: \\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE\nKennung: {8E73986C-289E-11F0-BF53-A4D06EADA308}\nREAGENTC.EXE: Operation Successful.\n',
    )
    expect(r.info?.bcdId).toBe('8e73986c-289e-11f0-bf53-a4d06eada308')
  })

  it('a version only under a "Windows RE" label without the word version is read', () => {
    const r = parseReagentc(
      'Windows RE status: Enabled\nWindows RE location: \\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE\nWindows RE Ausgabe: 10.0.26100.1\nREAGENTC.EXE: Operation Successful.\n',
    )
    expect(r.info?.version).toBe('10.0.26100.1')
  })

  it('version 0.0.0.0 is no version', () => {
    expect(parseReagentc(enabled().replace('10.0.26100.8235', '0.0.0.0')).info?.version).toBeNull()
  })

  it('a version that is not a dotted quad is not a version', () => {
    expect(parseReagentc(enabled().replace('10.0.26100.8235', '10.0.26100')).info?.version).toBeNull()
  })
})

describe('reagentc legacy format (Windows 7 / 8 preview)', () => {
  it('"Windows RE enabled: 1" is enabled, legacy format, path and BCD id read', () => {
    expect(parseReagentc(fx('win8-preview-enabled.txt'))).toMatchObject({
      outcome: 'info',
      succeeded: true,
      info: {
        status: 'enabled',
        format: 'legacy',
        version: null,
        bcdId: '0ded5bed-3a44-11e1-9efd-fb0fdc966529',
        location: { disk: 0, partition: 1 },
      },
    })
  })
  it('"Windows RE enabled: 0" is disabled', () => {
    expect(parseReagentc(fx('win8-preview-enabled.txt').replace(/enabled:\s+1/, 'enabled:   0')).info?.status).toBe(
      'disabled',
    )
  })
  it('any other value is unknown', () => {
    expect(parseReagentc(fx('win8-preview-enabled.txt').replace(/enabled:\s+1/, 'enabled:   yes')).info?.status).toBe(
      'unknown',
    )
  })
  it('the heading alone makes it legacy', () => {
    const r = parseReagentc('Extended configuration for the Recovery Environment\nREAGENTC.EXE: Operation successful\n')
    expect(r.info).toEqual({ status: 'unknown', location: null, bcdId: null, version: null, format: 'legacy' })
  })
})

describe('GLOBALROOT paths, BCD ids and detection', () => {
  it('a GLOBALROOT path gives numbers and the path as printed', () => {
    expect(parseGlobalrootPath('at \\\\?\\GLOBALROOT\\device\\harddisk12\\partition3\\Recovery\\WindowsRE  ')).toEqual({
      disk: 12,
      partition: 3,
      path: '\\\\?\\GLOBALROOT\\device\\harddisk12\\partition3\\Recovery\\WindowsRE',
    })
    expect(parseGlobalrootPath('C:\\Recovery\\WindowsRE')).toBeNull()
    expect(parseGlobalrootPath(42 as unknown as string)).toBeNull()
    expect(parseGlobalrootPath(`\\\\?\\GLOBALROOT\\device\\harddisk${'9'.repeat(20)}\\partition1`)).toBeNull()
  })
  it('BCD ids: braces and case normalised, all-zero and non-strings null', () => {
    expect(normalizeBcdId('{8E73986C-289E-11F0-BF53-A4D06EADA308}')).toBe('8e73986c-289e-11f0-bf53-a4d06eada308')
    expect(normalizeBcdId('00000000-0000-0000-0000-000000000000')).toBeNull()
    expect(normalizeBcdId('{current}')).toBeNull()
    expect(normalizeBcdId(null)).toBeNull()
  })
  it('detection: the verdict line, the labels, the path and the legacy heading each add to the score', () => {
    expect(looksLikeReagentc('')).toBe(0)
    expect(looksLikeReagentc(42 as unknown as string)).toBe(0)
    expect(looksLikeReagentc('REAGENTC.EXE: Operation Successful.')).toBeCloseTo(0.6)
    expect(looksLikeReagentc('Windows RE status: Enabled')).toBeCloseTo(0.3)
    expect(looksLikeReagentc('\\\\?\\GLOBALROOT\\device\\harddisk0\\partition4')).toBeCloseTo(0.2)
    expect(looksLikeReagentc('Extended configuration for the Recovery Environment')).toBeCloseTo(0.4)
    expect(looksLikeReagentc(enabled())).toBe(1)
  })
})

const LOC = 'Windows RE location: \\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE\n'
const OK = 'REAGENTC.EXE: Operation Successful.\n'
/** An /info report from these lines, with a location and the closing line. */
const report = (...lines: string[]) => parseReagentc(`${LOC}${lines.join('\n')}\n${OK}`)

describe('reagentc /info: a note a person added after a value', () => {
  const cases: [
    string,
    ReturnType<typeof parseReagentc>['info'] extends infer I ? (I extends { status: infer S } ? S : never) : never,
  ][] = [
    ['Enabled  // WinRE is on', 'enabled'],
    ['Enabled   # note', 'enabled'],
    ['Disabled // off since March', 'disabled'],
    ['Enabled # one space before a hash is not a note', 'unknown'],
    ['Enabled //no space after the slashes', 'unknown'],
    ['Enabled  #no space after the hash', 'unknown'],
  ]
  let ran = 0
  for (const [value, status] of cases) {
    it(`"Windows RE status: ${value}" is ${status}`, () => {
      ran++
      expect(report(`Windows RE status: ${value}`).info?.status).toBe(status)
    })
  }
  it('ran every case', () => expect(ran).toBe(cases.length))

  it('the note is also cut from a GLOBALROOT path', () => {
    expect(
      parseGlobalrootPath('\\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE  // moved here'),
    ).toEqual({ disk: 0, partition: 4, path: '\\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE' })
  })
})

describe('reagentc /info: what is a field', () => {
  it('a line that starts with a colon (ASCII or full-width) is no field', () => {
    expect(parseReagentc(':Windows RE status：Enabled\nREAGENTC.EXE: Operation Successful.\n').outcome).toBe('success')
    expect(parseReagentc('：Windows RE status: Enabled\nREAGENTC.EXE: Operation Successful.\n').outcome).toBe('success')
  })
  it('a line with only spaces before its colon is no field', () => {
    expect(report('State: Enabled', '   : Disabled').info).toMatchObject({ status: 'enabled' })
  })
  it('a line without a colon is no field: a bare GUID line is not the BCD id', () => {
    expect(report('Windows RE status: Enabled', '{8E73986C-289E-11F0-BF53-A4D06EADA308}').info?.bcdId).toBeNull()
  })
})

describe('reagentc /info: the BCD id', () => {
  it('a BCD line with an empty value is passed over for a value that is a whole GUID', () => {
    expect(
      report(
        'Windows RE status: Enabled',
        'Boot Configuration Data (BCD) identifier:',
        'Kennung: 8e73986c-289e-11f0-bf53-a4d06eada308',
      ).info?.bcdId,
    ).toBe('8e73986c-289e-11f0-bf53-a4d06eada308')
  })
  it('the BCD line wins over an earlier line whose value is a GUID', () => {
    expect(
      report(
        'Windows RE status: Enabled',
        'Other id: {11111111-2222-3333-4444-555555555555}',
        'BCD identifier: 66478abd-e478-11ef-936d-b4e8d5b5fa22',
      ).info?.bcdId,
    ).toBe('66478abd-e478-11ef-936d-b4e8d5b5fa22')
  })
  const values: [string, string | null][] = [
    ['8e73986c-289e-11f0-bf53-a4d06eada308', '8e73986c-289e-11f0-bf53-a4d06eada308'],
    ['{8e73986c-289e-11f0-bf53-a4d06eada308}', '8e73986c-289e-11f0-bf53-a4d06eada308'],
    ['8e73986c-289e-11f0-bf53-a4d06eada308 (current)', null],
    ['id 8e73986c-289e-11f0-bf53-a4d06eada308', null],
  ]
  let ran = 0
  for (const [value, id] of values) {
    it(`an unlabelled value ${JSON.stringify(value)} gives ${id}`, () => {
      ran++
      expect(report('Windows RE status: Enabled', `Kennung: ${value}`).info?.bcdId).toBe(id)
    })
  }
  it('ran every value', () => expect(ran).toBe(values.length))
  it('an id ending in zeros is an id; only all-zero is none; a non-string that prints as a GUID is none', () => {
    expect(normalizeBcdId('8e73986c-289e-11f0-bf53-000000000000')).toBe('8e73986c-289e-11f0-bf53-000000000000')
    const printsAsGuid = { toString: () => '8e73986c-289e-11f0-bf53-a4d06eada308' }
    expect(normalizeBcdId(printsAsGuid as unknown as string)).toBeNull()
    expect(
      parseGlobalrootPath({ toString: () => '\\\\?\\GLOBALROOT\\device\\harddisk0\\partition4' } as unknown as string),
    ).toBeNull()
  })
})

describe('reagentc /info: the version', () => {
  it('a version line whose label has "version" but not "Windows RE" is read', () => {
    expect(report('Windows RE status: Enabled', 'Recovery image version: 10.0.26100.8235').info?.version).toBe(
      '10.0.26100.8235',
    )
  })
  const versions: [string, string | null][] = [
    ['00.00.00.00', null],
    ['10.0.0.0', '10.0.0.0'],
    ['0.0.0.01', '0.0.0.01'],
  ]
  let ran = 0
  for (const [v, want] of versions) {
    it(`Windows RE Version ${v} → ${want}`, () => {
      ran++
      expect(parseReagentc(enabled().replace('10.0.26100.8235', v)).info?.version).toBe(want)
    })
  }
  it('ran every version', () => expect(ran).toBe(versions.length))
})

describe('reagentc: what makes text an /info report', () => {
  it('a status word under a label that is not about Windows RE is not a report', () => {
    expect(parseReagentc('Firewall status: Enabled\nREAGENTC.EXE: Operation Successful.\n')).toMatchObject({
      outcome: 'success',
      info: null,
    })
  })
  it('"WindowsRE" written as one word is about Windows RE', () => {
    expect(parseReagentc('WindowsRE status: Enabled\nREAGENTC.EXE: Operation Successful.\n')).toMatchObject({
      outcome: 'info',
      info: { status: 'enabled' },
    })
  })
  it('a BCD line without the "(Windows RE)" heading is not a report', () => {
    expect(
      parseReagentc(
        'Boot Configuration Data (BCD) identifier: 66478abd-e478-11ef-936d-b4e8d5b5fa22\nREAGENTC.EXE: Operation Successful.\n',
      ),
    ).toMatchObject({ outcome: 'success', info: null })
  })
  it('"Windows RE enabled: 1" without the legacy heading is the legacy format, and its path may be on any line', () => {
    const r = parseReagentc(
      'Windows RE enabled:   1\nWinRE.WIM directory: \\\\?\\GLOBALROOT\\device\\harddisk0\\partition2\\Recovery\nREAGENTC.EXE: Operation successful\n',
    )
    expect(r.info).toMatchObject({ status: 'enabled', format: 'legacy', location: { disk: 0, partition: 2 } })
  })
})

describe('reagentc: the verdict line', () => {
  it('an indented verdict line is the verdict, trimmed', () => {
    expect(parseReagentc('   REAGENTC.EXE: Windows RE is already disabled.\n')).toMatchObject({
      outcome: 'already-disabled',
      message: 'REAGENTC.EXE: Windows RE is already disabled.',
    })
  })
  it('a line that mentions REAGENTC.EXE: further in, or has no colon, is not the verdict', () => {
    expect(parseReagentc('Run REAGENTC.EXE: /info again\n')).toMatchObject({ outcome: 'unknown', message: null })
    expect(parseReagentc('REAGENTC.EXE failed\n')).toMatchObject({ outcome: 'unknown', message: null })
  })
  it('a last line with leading spaces that says the operation succeeded is the message, trimmed', () => {
    expect(parseReagentc('output\n    Operation successful\n')).toMatchObject({
      outcome: 'success',
      message: 'Operation successful',
    })
  })
  const answers: [string, string][] = [
    ['Windows RE ist bereits deaktiviert.', 'already-disabled'],
    ['Windows RE est déjà désactivé.', 'already-disabled'],
    ['Windows RE ya está deshabilitado.', 'already-disabled'],
    ['Windows RE is already  disabled.', 'already-disabled'],
    ['Windows RE ist bereits  deaktiviert.', 'already-disabled'],
    ['Windows RE est déjà  désactivé.', 'already-disabled'],
    ['Windows RE ya  está  deshabilitado.', 'already-disabled'],
    ['Windows RE ist bereits aktiviert.', 'already-enabled'],
    ['Windows RE est déjà activé.', 'already-enabled'],
    ['Windows RE ya está habilitado.', 'already-enabled'],
    ['Windows RE is already  enabled.', 'already-enabled'],
    ['Windows RE ist bereits  aktiviert.', 'already-enabled'],
    ['Windows RE est déjà  activé.', 'already-enabled'],
    ['Windows RE ya  está  habilitado.', 'already-enabled'],
  ]
  let ran = 0
  for (const [body, outcome] of answers) {
    it(`"${body}" is ${outcome}`, () => {
      ran++
      expect(parseReagentc(`REAGENTC.EXE: ${body}\n`)).toMatchObject({ outcome, succeeded: false })
    })
  }
  it('ran every answer', () => expect(ran).toBe(answers.length))
})

describe('reagentc detection, at the edges', () => {
  it('only the first 20,000 characters are read', () => {
    expect(looksLikeReagentc(`${'x'.repeat(20_000)}REAGENTC.EXE: Operation Successful.`)).toBe(0)
  })
  it('REAGENTC without .EXE, and a space before the colon, are the verdict line; the program name alone is not', () => {
    expect(looksLikeReagentc('REAGENTC: Operation Successful.')).toBeCloseTo(0.6)
    expect(looksLikeReagentc('REAGENTC.EXE : opération réussie.')).toBeCloseTo(0.6)
    expect(looksLikeReagentc('reagentc.exe /info')).toBe(0)
  })
  it('a Chinese label with a space after "Windows RE" counts', () => {
    expect(looksLikeReagentc('Windows RE 状态')).toBeCloseTo(0.3)
  })
  it('a non-string is 0, without throwing', () => {
    expect(looksLikeReagentc({ slice: undefined } as unknown as string)).toBe(0)
  })
})

describe('reagentc: spacing and prefixes people and consoles vary', () => {
  it('"REAGENTC:" without .EXE carries a failure verdict too', () => {
    expect(parseReagentc('REAGENTC: Windows RE is already disabled.\n')).toMatchObject({
      outcome: 'already-disabled',
      message: 'REAGENTC: Windows RE is already disabled.',
    })
  })
  it('"Windows RE  enabled: 1" with two spaces is the legacy format, enabled', () => {
    expect(parseReagentc('Windows RE  enabled:   1\nREAGENTC.EXE: Operation successful\n').info).toMatchObject({
      status: 'enabled',
      format: 'legacy',
    })
  })
  it('a "Windows RE" line without a status word (and no path or heading) is not a report', () => {
    expect(parseReagentc('Windows RE version: 10.0.26100.1\nREAGENTC.EXE: Operation Successful.\n')).toMatchObject({
      outcome: 'success',
      info: null,
    })
  })
  it('detection: "Windows RE" and its label may be two spaces apart', () => {
    expect(looksLikeReagentc('Windows RE  status')).toBeCloseTo(0.3)
    expect(looksLikeReagentc('Windows RE  状态')).toBeCloseTo(0.3)
  })
})

describe('reagentc: the module-level patterns, read from a freshly loaded module', () => {
  it('GUID, GLOBALROOT, version and status-word patterns as the module is now', async () => {
    // Module-level patterns are built once per load: load the parser again so the test reads them as they are now.
    vi.resetModules()
    const fresh = await import('../../../main/parse/reagentc.ts')
    expect(fresh.normalizeBcdId('{8E73986C-289E-11F0-BF53-A4D06EADA308}')).toBe('8e73986c-289e-11f0-bf53-a4d06eada308')
    expect(
      fresh.parseGlobalrootPath('\\\\?\\GLOBALROOT\\device\\harddisk12\\partition34\\Recovery\\WindowsRE'),
    ).toEqual({
      disk: 12,
      partition: 34,
      path: '\\\\?\\GLOBALROOT\\device\\harddisk12\\partition34\\Recovery\\WindowsRE',
    })
    expect(fresh.parseGlobalrootPath('\\\\?\\GLOBALROOT\\device\\harddisk0\\partition4')).toEqual({
      disk: 0,
      partition: 4,
      path: '\\\\?\\GLOBALROOT\\device\\harddisk0\\partition4',
    })
    const info = (extra: string) => fresh.parseReagentc(`${LOC}${extra}\n${OK}`).info
    expect(info('Windows RE status: Enabled\nWindows RE Version: 10.0.26100.8235')).toMatchObject({
      status: 'enabled',
      version: '10.0.26100.8235',
    })
    expect(info('Windows RE status: Disabled\nWindows RE Version: x10.0.26100.8235')).toMatchObject({
      status: 'disabled',
      version: null,
    })
    expect(info('Windows RE status: Enabled\nWindows RE Version: 10.0.26100.8235x')?.version).toBeNull()
    let ran = 0
    for (const word of ['not enabled', 'enabled now', 'not disabled', 'disabled now']) {
      ran++
      expect(info(`Windows RE status: ${word}`)?.status).toBe('unknown')
    }
    expect(ran).toBe(4)
  })
})
