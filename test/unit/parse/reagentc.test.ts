import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { loadFixture } from '../../fixtures/load.ts'
import { parseReagentc, parseGlobalrootPath, normalizeBcdId, looksLikeReagentc } from '../../../main/parse/reagentc.ts'
import { parseReagentXml } from '../../../main/parse/reagent-xml.ts'

const fx = (name: string) => loadFixture(`reagentc/${name}`).text

describe('reagentc /info (Windows 10/11 format)', () => {
  it('English, enabled: status, disk/partition from the GLOBALROOT path, BCD id', () => {
    const r = parseReagentc(fx('en-server2025-enabled.txt'))
    expect(r.outcome).toBe('info')
    expect(r.succeeded).toBe(true)
    expect(r.info).toEqual({
      status: 'enabled',
      location: {
        disk: 0,
        partition: 4,
        path: '\\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE',
      },
      bcdId: '8e73986c-289e-11f0-bf53-a4d06eada308',
      version: null,
      format: 'windows-10',
    })
    expect(r.warnings).toEqual([])
  })

  it('English, disabled: no location, all-zero BCD id becomes null', () => {
    const r = parseReagentc(fx('en-server2025-disabled.txt'))
    expect(r.info).toMatchObject({ status: 'disabled', location: null, bcdId: null })
  })

  it('after re-creating partitions WinRE sits on partition 6', () => {
    expect(parseReagentc(fx('en-server2025-enabled-partition6.txt')).info?.location).toMatchObject({
      disk: 0,
      partition: 6,
    })
  })

  it('24H2 reagentc prints "Windows RE Version"', () => {
    const r = parseReagentc(fx('en-24h2-with-version.txt'))
    expect(r.info).toMatchObject({
      status: 'enabled',
      version: '10.0.26100.8235',
      bcdId: '66478abd-e478-11ef-936d-b4e8d5b5fa22',
      location: { disk: 0, partition: 8 },
    })
  })

  it('a redacted BCD id (########-####-…) is null, not a GUID', () => {
    const r = parseReagentc(fx('en-msdocs-redacted.txt'))
    expect(r.info).toMatchObject({ status: 'enabled', bcdId: null, location: { disk: 0, partition: 1 } })
  })

  it('Simplified Chinese, disabled: localised labels, untranslated status word', () => {
    const r = parseReagentc(fx('zh-cn-disabled-enable-image-missing.txt'))
    expect(r.outcome).toBe('info')
    expect(r.succeeded).toBe(true)
    expect(r.info).toMatchObject({ status: 'disabled', location: null, bcdId: 'd0351a75-4283-11ec-8797-04421ad29d45' })
    expect(parseReagentc(fx('zh-cn-disabled-after-boot-repair.txt')).info).toMatchObject({
      status: 'disabled',
      bcdId: '47eabbdd-9fed-11e8-a7e5-de72ec3a542d',
    })
  })

  it('French labels with a space before the colon', () => {
    const r = parseReagentc(fx('fr-enabled-quoted.txt'))
    expect(r).toMatchObject({
      outcome: 'info',
      succeeded: true,
      info: { status: 'enabled', location: { disk: 0, partition: 4 } },
    })
  })

  it('localised status words are understood when the label is localised too', () => {
    const de =
      'Konfiguration der Windows-Wiederherstellungsumgebung (Windows RE)\n\n    Status der Windows RE:     Aktiviert\n    Speicherort der Windows RE: \\\\?\\GLOBALROOT\\device\\harddisk1\\partition3\\Recovery\\WindowsRE\n\nREAGENTC.EXE: Vorgang erfolgreich.'
    expect(parseReagentc(de)).toMatchObject({
      outcome: 'info',
      succeeded: true,
      info: { status: 'enabled', location: { disk: 1, partition: 3 } },
    })
    const es =
      '    Estado de Windows RE:      Deshabilitado\n    Ubicación de Windows RE:\nREAGENTC.EXE: Operación correcta.'
    expect(parseReagentc(es).info?.status).toBe('disabled')
  })

  // Lines as quoted in public scripts' tests and notes (not console captures of ours): German "Windows RE-Status",
  // French "Activé(e)", Japanese "有効", and a disabled WinRE reporting version 0.0.0.0.
  it('quoted German, French and Japanese status lines, and version 0.0.0.0 meaning none', () => {
    const de =
      '    Windows RE-Status:          Aktiviert\r\n    Windows RE-Speicherort:     \\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE\r\n    Bezeichner für Startkonfigurationsdaten (BCD): {7d2c8f1a-3b4c-4d5e-8f90-1a2b3c4d5e6f}\r\n'
    expect(parseReagentc(de).info).toMatchObject({
      status: 'enabled',
      location: { disk: 0, partition: 4 },
      bcdId: '7d2c8f1a-3b4c-4d5e-8f90-1a2b3c4d5e6f',
    })
    expect(parseReagentc('    État de Windows RE : Activé(e)\r\n').info?.status).toBe('enabled')
    expect(parseReagentc('    État de Windows RE : Désactivé(e)\r\n').info?.status).toBe('disabled')
    expect(parseReagentc('    Windows RE の状態:          有効\r\n').info?.status).toBe('enabled')
    expect(
      parseReagentc('    Windows RE-Status:         Disabled\r\n    Windows RE-Version:        0.0.0.0\r\n').info,
    ).toMatchObject({ status: 'disabled', version: null })
  })
})

describe('reagentc /info (Windows 7 / Windows 8 preview format)', () => {
  it('"Windows RE enabled: 1", Recovery Environment path and BCD Id', () => {
    const r = parseReagentc(fx('win8-preview-enabled.txt'))
    expect(r.outcome).toBe('info')
    expect(r.succeeded).toBe(true)
    expect(r.info).toMatchObject({
      format: 'legacy',
      status: 'enabled',
      bcdId: '0ded5bed-3a44-11e1-9efd-fb0fdc966529',
      location: {
        disk: 0,
        partition: 1,
        path: '\\\\?\\GLOBALROOT\\device\\harddisk0\\partition1\\Recovery\\0ded5bed-3a44-11e1-9efd-fb0fdc966529',
      },
    })
  })

  it('"Windows RE enabled: 0" is disabled', () => {
    expect(
      parseReagentc(
        'Extended configuration for the Recovery Environment\n\n    Windows RE enabled:   0\n    BCD Id:               00000000-0000-0000-0000-000000000000\nREAGENTC.EXE: Operation successful',
      ).info,
    ).toMatchObject({ status: 'disabled', bcdId: null, format: 'legacy' })
  })
})

describe('other reagentc answers are recognised as what they are', () => {
  it('"Operation Successful." alone is a success, not an info report', () => {
    expect(parseReagentc(fx('en-disable-success.txt'))).toMatchObject({
      outcome: 'success',
      succeeded: true,
      info: null,
    })
  })
  it('"Windows RE is already disabled" is its own outcome and not a success', () => {
    expect(parseReagentc(fx('en-already-disabled.txt'))).toMatchObject({
      outcome: 'already-disabled',
      succeeded: false,
      message: 'REAGENTC.EXE: Windows RE is already disabled.',
    })
    expect(parseReagentc('REAGENTC.EXE: Windows RE is already enabled.').outcome).toBe('already-enabled')
  })
  it('enable failures: image not found (English and Chinese), BCD update, target not found', () => {
    expect(parseReagentc(fx('en-enable-image-not-found.txt'))).toMatchObject({
      outcome: 'image-not-found',
      succeeded: false,
    })
    expect(parseReagentc(fx('zh-cn-enable-image-not-found.txt'))).toMatchObject({
      outcome: 'image-not-found',
      succeeded: false,
    })
    expect(parseReagentc('REAGENTC.EXE: Unable to update Boot Configuration Data.').outcome).toBe('bcd-update-failed')
    expect(parseReagentc('REAGENTC.EXE: The target Windows installation was not found.').outcome).toBe(
      'target-not-found',
    )
    expect(parseReagentc('REAGENTC.EXE: Something else went wrong.')).toMatchObject({
      outcome: 'failed',
      succeeded: false,
    })
  })
  it('empty text and unrelated text are unknown with a reason', () => {
    expect(parseReagentc('')).toMatchObject({ outcome: 'unknown', info: null, warnings: ['The text is empty.'] })
    expect(parseReagentc('Deployment Image Servicing and Management tool\nVersion: 10.0.19041.1')).toMatchObject({
      outcome: 'unknown',
      warnings: ['This is not reagentc output.'],
    })
    expect(parseReagentc(undefined as unknown as string).outcome).toBe('unknown')
  })
  it('a report cut off before its verdict says so', () => {
    const cut = fx('en-server2025-enabled.txt').split('REAGENTC.EXE')[0]
    const r = parseReagentc(cut)
    expect(r.info?.status).toBe('enabled')
    expect(r.succeeded).toBeNull()
    expect(r.warnings.join(' ')).toMatch(/cut off/)
  })
  it('contradictory status lines leave the status unknown', () => {
    const r = parseReagentc(
      '    Windows RE status:         Enabled\n    Windows RE status:         Disabled\nREAGENTC.EXE: Operation Successful.',
    )
    expect(r.info?.status).toBe('unknown')
    expect(r.warnings.join(' ')).toMatch(/both/)
  })
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        parseReagentc(s)
        parseReagentXml(s)
        looksLikeReagentc(s)
      }),
      { numRuns: 300 },
    )
  })
})

describe('GLOBALROOT paths and BCD ids', () => {
  it('reads disk and partition numbers', () => {
    expect(parseGlobalrootPath('\\\\?\\GLOBALROOT\\device\\harddisk12\\partition5\\Recovery\\WindowsRE')).toEqual({
      disk: 12,
      partition: 5,
      path: '\\\\?\\GLOBALROOT\\device\\harddisk12\\partition5\\Recovery\\WindowsRE',
    })
    expect(parseGlobalrootPath('C:\\Windows\\System32\\Recovery')).toBeNull()
  })
  it('normalises braces and case; zero and redacted ids are null', () => {
    expect(normalizeBcdId('{4A6F0C1E-CB62-11EB-8A5F-9C7BEF31A0D2}')).toBe('4a6f0c1e-cb62-11eb-8a5f-9c7bef31a0d2')
    expect(normalizeBcdId('00000000-0000-0000-0000-000000000000')).toBeNull()
    expect(normalizeBcdId('xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx')).toBeNull()
    expect(normalizeBcdId('{current}')).toBeNull()
    expect(normalizeBcdId(null)).toBeNull()
  })
})

describe('detection', () => {
  it('scores reagentc text high and other text low', () => {
    expect(looksLikeReagentc(fx('en-server2025-enabled.txt'))).toBeGreaterThan(0.8)
    expect(looksLikeReagentc(fx('zh-cn-disabled-after-boot-repair.txt'))).toBeGreaterThan(0.8)
    expect(looksLikeReagentc(fx('en-already-disabled.txt'))).toBeGreaterThanOrEqual(0.6)
    expect(looksLikeReagentc('The operation completed successfully.')).toBe(0)
  })
})

describe('ReAgent.xml', () => {
  it('enabled (Windows 10 1607): BCD id, location path and partition offset, OS build', () => {
    const x = parseReagentXml(loadFixture('reagent-xml/win10-1607-enabled-foxdeploy.xml').text)
    expect(x).toMatchObject({
      schemaVersion: '2.0',
      status: 'enabled',
      installState: 1,
      staged: false,
      winreBcdId: 'f8d1de0b-0ced-11e6-abf9-db7ac698ead8',
      winreLocation: {
        path: '\\Recovery\\WindowsRE',
        diskGuid: '6d5c9aaa-fea9-471e-bfa8-5160d1d8c3fa',
        diskSignature: 0,
        offsetBytes: 1048576,
      },
      imageLocation: { path: null, diskGuid: null, offsetBytes: null },
    })
    expect(x.osBuildVersion).toMatch(/^14388\.0\.amd64fre\.rs1/)
    expect(x.warnings).toEqual([])
  })
  it('zeroed file (what reagentc /disable leaves): disabled, no ids', () => {
    const x = parseReagentXml(loadFixture('reagent-xml/disabled-zeroed.xml').text)
    expect(x).toMatchObject({
      status: 'disabled',
      winreBcdId: null,
      winreLocation: { path: null, offsetBytes: null },
      installState: 0,
      staged: false,
      osBuildVersion: null,
    })
  })
  it('UTF-16 read as bytes, a truncated file, and non-XML are handled with warnings', () => {
    const xml = loadFixture('reagent-xml/disabled-zeroed.xml').text
    const utf16ish = xml.split('').join('\u0000')
    expect(parseReagentXml(utf16ish).status).toBe('disabled')
    expect(parseReagentXml(xml.slice(0, 300)).warnings.join(' ')).toMatch(/truncated/)
    expect(parseReagentXml('hello')).toMatchObject({
      status: 'unknown',
      warnings: ['This is not a ReAgent.xml file (no <WindowsRE> element).'],
    })
    expect(parseReagentXml('').warnings).toEqual(['ReAgent.xml is empty.'])
  })
  it('reads a WinRE version element when newer files carry one', () => {
    const x = parseReagentXml(
      '<WindowsRE version="2.0"><WinreBCD id="{a1b2c3d4-0000-0000-0000-000000000001}"/><WinreLocation path="\\Recovery\\WindowsRE" id="0" offset="1048576" guid="{6d5c9aaa-fea9-471e-bfa8-5160d1d8c3fa}"/><InstallState state="1"/><WinreVersion version="10.0.26100.8455"/></WindowsRE>',
    )
    expect(x).toMatchObject({ status: 'enabled', winreVersion: '10.0.26100.8455' })
  })

  it("'/setreimage' output ('Directory set to: \\\\?\\GLOBALROOT…') is a success, not an info report with an unknown status (real paste)", () => {
    const r = parseReagentc(loadFixture('corpus/reagentc-info/en-setreimage-directory-set-bn-notes.txt').text)
    expect(r).toMatchObject({ outcome: 'success', info: null, succeeded: true })
  })
})
