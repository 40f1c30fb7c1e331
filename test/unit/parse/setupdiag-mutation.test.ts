/**
 * parseSetupDiag and looksLikeSetupDiag line by line (issue 20: mutation testing): the whole result (every
 * match with its lines, the rules without a match, the counts, the upgrade's start and end, the form) of each
 * real SetupDiag capture in test/fixtures (console text, text log, /Format:xml, /Format:json), whole, CRLF and
 * flattened; then each reader's parts on short inputs made from those real lines (one field changed, a
 * closing tag or quote lost, spaces added or removed, the text cut off). Those are test inputs, not captures.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { loseNewlines, toCrlf } from './paste-damage.ts'
import type { SetupDiagFacts, SetupDiagMatch } from '../../../main/parse/setupdiag.ts'

type M0 = typeof import('../../../main/parse/setupdiag.ts')
let parseSetupDiag: M0['parseSetupDiag']
let looksLikeSetupDiag: M0['looksLikeSetupDiag']
// A fresh module per test-file run (vi.resetModules): module-level patterns are evaluated again, so Stryker's
// static mutants in them are active too (issue 20).
beforeAll(async () => {
  vi.resetModules()
  ;({ parseSetupDiag, looksLikeSetupDiag } = await import('../../../main/parse/setupdiag.ts'))
})

const match = (m: Partial<SetupDiagMatch> & { rule: string; line: number }): SetupDiagMatch => ({
  ruleId: null, errorCode: null, extendCode: null, lastPhase: null, lastOperation: null, message: null, advice: null, lines: [], ...m,
})
const facts = (f: Partial<SetupDiagFacts>): SetupDiagFacts => ({
  version: null, matches: [], noMatchRules: [], matchingIssues: null, upgradeStart: null, upgradeEnd: null, form: 'text', ...f,
})

const GUID = 'A4028172-1B09-48F8-AD3B-86CDD7D55852'
const SP_LINE = '2019-06-06 21:47:11, Error                 SP     Error converting install time 5/2/2019 to structure[gle=0x00000057]'
const FATAL = ['Error: SetupDiag reports Fatal Error.', 'Last Setup Phase = Downlevel', 'Last Setup Operation: Gather data, scope: EVERYTHING', 'Error: 0x00000057']
const XML_LINES = [SP_LINE, ...FATAL, `LogEntry: ${SP_LINE}`, `LogEntry: ${SP_LINE}`, 'Refer to "https://docs.microsoft.com/windows/desktop/Debug/system-error-codes" for error information.']
const SP_JSON = ['2019-06-06 21:47:11, Error                 SP     Error converting install time 5/2/2019 to structure[', 'gle=0x00000057', ']']
const JSON_LINES = [...SP_JSON, ...FATAL, `LogEntry: ${SP_JSON[0]}`, ...SP_JSON.slice(1), `LogEntry: ${SP_JSON[0]}`, ...SP_JSON.slice(1),
  'Refer to "https://docs.microsoft.com/en-us/windows/desktop/Debug/system-error-codes" for error information.']
const FATAL_MATCH = { rule: 'FindSPFatalError', ruleId: GUID, errorCode: '0x00000057', lastPhase: 'Downlevel', lastOperation: 'Gather data, scope: EVERYTHING', message: 'SetupDiag reports Fatal Error.' }
const DISM_MATCH = {
  rule: 'DISMImageSessionFailure', errorCode: '0x800706BA', lastPhase: 'Safe OS', lastOperation: 'Apply Optional Component status',
  message: 'Failed to get the IDismImage instance from the image session',
  advice: 'Recommend you re-download the update source files, reboot and try the update again.',
  lines: ['Error: SetupDiag reports DISM provider failure.', 'Last Phase: Safe OS', 'Last Operation: Apply Optional Component status',
    'Message = Failed to get the IDismImage instance from the image session', 'Function: CDISMManager::CloseImageSession', 'Error: 0x800706ba',
    'Recommend you re-download the update source files, reboot and try the update again.'],
}
const OC_ADVICE = 'Recommend you check the "Windows Modules Installer" service (Trusted Installer) is started on the system and set to automatic start, reboot and try the update again.  Optionally, you can check the status of optional components on the system (search for Windows Features), uninstall any unneeded optional components, reboot and try the update again.'
const OC_SYSINFO = ['System Information:', 'Machine Name = Offline', 'Manufacturer = MSI', 'Model = MS-7998', 'HostOSArchitecture = x64', 'FirmwareType = PCAT',
  'BiosReleaseDate = 20160727000000.000000+000', 'BiosVendor = BIOS Date: 07/27/16 10:01:46 Ver: V1.70', 'BiosVersion = 1.70', 'HostOSVersion = 10.0.15063',
  'HostOSBuildString = 15063.0.amd64fre.rs2_release.170317-1834', 'TargetOSBuildString = 10.0.16299.15 (rs3_release.170928-1534)', 'HostOSLanguageId = 2057',
  'HostOSEdition = Core', 'RegisteredAV = Windows Defender,', 'FilterDrivers = WdFilter,wcifs,WIMMount,luafv,Wof,FileInfo,',
  'UpgradeStartTime = 3/21/2018 9:47:16 PM', 'UpgradeEndTime = 3/21/2018 10:02:40 PM', 'UpgradeElapsedTime = 00:15:24', 'ReportId = dd4db176-4e3f-4451-aef6-22cf46de8bde']
const OC_MSG = 'SetupDiag reports Optional Component installation failed to open OC Package. Package Name: Foundation, Error: 0x8007001F'
const ROLLBACK_OP = 'Add [6] package C:\\$WINDOWS.~BT\\DUImageSandbox\\Microsoft-Windows-FailoverCluster-Management-Tools-FOD-Package~31bf3856ad364e35~amd64~~.cab to C:\\$WINDOWS.~BT\\NewOS'
const ROLLBACK_LINES = [`0x800736cc-0x20003 Error: SetupDiag reports rollback failure found.Last Phase = Safe OSLast Operation = ${ROLLBACK_OP}Error = 0x800736CC-0x20003`,
  'LogEntry: 2025-01-18 13:58:29, Error                 CBS    Failed to process single phase execution. [HRESULT = 0x800736cc - ERROR_SXS_FILE_HASH_MISMATCH]',
  'Refer to "https://docs.microsoft.com/en-us/windows/desktop/Debug/system-error-codes" for error information.']
const ROLLBACK_MATCH = { rule: 'unknown', errorCode: '0x800736CC', extendCode: '0x20003', lastPhase: 'Safe OS', lastOperation: ROLLBACK_OP, message: 'SetupDiag reports rollback failure found.', lines: ROLLBACK_LINES }
const NO_MATCH_DISK = ['VHDHardblock', 'PortableWorkspaceHardblock', 'AuditModeHardblock', 'SafeModeHardblock', 'InsufficientSystemPartitionDiskSpaceHardblock',
  'HardblockApplication', 'HardblockDeviceOrDriver', 'HardblockMismatchedLanguage', 'HardblockFlightSigning']

const captures: [file: string, expected: SetupDiagFacts, score: number][] = [
  ['setupdiag/findspfatalerror-results.xml', facts({ version: '1.6.0.0', form: 'xml', upgradeStart: '2019-06-06T21:19:10', upgradeEnd: '2019-06-06T22:21:49',
    matches: [match({ ...FATAL_MATCH, lines: XML_LINES, line: 4 })] }), 0.97],
  ['corpus/setupdiag/en-xml-findspfatalerror-v15-doc.xml', facts({ version: '1.5.0.0', form: 'xml', upgradeStart: '2019-06-06T21:19:10', upgradeEnd: '2019-06-06T22:21:49',
    matches: [match({ ...FATAL_MATCH, lines: XML_LINES, line: 4 })] }), 0.97],
  ['setupdiag/findspfatalerror-results.json', facts({ version: '1.6.0.0', form: 'json', upgradeStart: '2019-06-06T21:19:10-07:00', upgradeEnd: '2019-06-06T22:21:49-07:00',
    matches: [match({ ...FATAL_MATCH, lines: JSON_LINES, line: 3 })] }), 0.97],
  ['corpus/setupdiag/en-json-findspfatalerror-v15-doc.json', facts({ version: '1.5.0.0', form: 'json', upgradeStart: '2019-06-06T21:19:10-07:00', upgradeEnd: '2019-06-06T22:21:49-07:00',
    matches: [match({ ...FATAL_MATCH, lines: JSON_LINES, line: 3 })] }), 0.97],
  ['setupdiag/offline-dism-provider.txt', facts({ version: '1.6.0.0', matchingIssues: 1, noMatchRules: ['CompatScanOnly'], matches: [match({ ...DISM_MATCH, line: 17 })] }), 0.95],
  ['corpus/setupdiag/en-dism-provider-failure-v170.txt', facts({ version: '1.7.0.0', matchingIssues: 1, noMatchRules: ['CompatScanOnly'], matches: [match({ ...DISM_MATCH, line: 15 })] }), 0.95],
  ['corpus/setupdiag/en-disk-space-block-downlevel.txt', facts({ matchingIssues: 1, noMatchRules: NO_MATCH_DISK, matches: [match({
    rule: 'DiskSpaceBlockInDownLevel', ruleId: '6080AFAC-892E-4903-94EA-7A17E69E549E', line: 40,
    lines: ['Warning: Found Disk Space Hard Block.', 'Warning: You must free up at least 6603 MB of space on the System Drive, and try again.'] })] }), 0.95],
  ['corpus/setupdiag/en-text-optional-component-0x8007001f-v15-doc.txt', facts({ matches: [match({
    rule: 'OptionalComponentOpenPackageFailed', ruleId: '22952520-EC89-4FBD-94E0-B67DF88347F6', errorCode: '0x8007001F', extendCode: '0x50015', message: OC_MSG, advice: OC_ADVICE, line: 1,
    lines: [...OC_SYSINFO, `Error: ${OC_MSG}`, OC_ADVICE, 'Error: SetupDiag reports down-level failure, Operation: Finalize, Error: 0x8007001F - 0x50015',
      'Refer to https://docs.microsoft.com/windows/deployment/upgrade/upgrade-error-codes for error information.'] })] }), 0.95],
  ['corpus/setupdiag/en-xml-24h2-rollback-0x800736cc-excerpt.xml', facts({ form: 'xml', matches: [match({ ...ROLLBACK_MATCH, line: 7 })] }), 0.97],
]

describe('parseSetupDiag on every real capture, whole results', () => {
  it('reads each capture exactly, and the same from CRLF text', () => {
    let ran = 0
    for (const [file, expected] of captures) {
      const text = loadFixture(file).text
      expect(parseSetupDiag(text), file).toEqual(expected)
      expect(parseSetupDiag(toCrlf(text)), `${file} crlf`).toEqual(expected)
      ran++
    }
    expect(ran).toBe(9)
  })

  it('looksLikeSetupDiag scores each capture', () => {
    let ran = 0
    for (const [file, , score] of captures) { expect(looksLikeSetupDiag(loadFixture(file).text), file).toBe(score); ran++ }
    expect(ran).toBe(9)
  })

  it('reads the XML and JSON results flattened to one line the same (one element per line again)', () => {
    const flat: [string, SetupDiagFacts][] = [
      ['setupdiag/findspfatalerror-results.xml', facts({ version: '1.6.0.0', form: 'xml', upgradeStart: '2019-06-06T21:19:10', upgradeEnd: '2019-06-06T22:21:49',
        matches: [match({ ...FATAL_MATCH, lines: XML_LINES, line: 1 })] })],
      ['setupdiag/findspfatalerror-results.json', facts({ version: '1.6.0.0', form: 'json', upgradeStart: '2019-06-06T21:19:10-07:00', upgradeEnd: '2019-06-06T22:21:49-07:00',
        matches: [match({ ...FATAL_MATCH, line: 1, lines: JSON_LINES.filter((l) => l !== 'gle=0x00000057' && l !== ']').map((l) => l.replace(/structure\[$/, 'structure[ gle=0x00000057 ]')) })] })],
      ['corpus/setupdiag/en-xml-24h2-rollback-0x800736cc-excerpt.xml', facts({ form: 'xml', matches: [match({ ...ROLLBACK_MATCH, line: 5 })] })],
    ]
    let ran = 0
    for (const [file, expected] of flat) { expect(parseSetupDiag(loseNewlines(loadFixture(file).text)), file).toEqual(expected); ran++ }
    expect(ran).toBe(3)
  })

  it('is total: not a string, empty text, unrelated text', () => {
    expect(parseSetupDiag(undefined as never)).toEqual(facts({}))
    expect(parseSetupDiag(42 as never)).toEqual(facts({}))
    expect(parseSetupDiag('')).toEqual(facts({}))
    expect(parseSetupDiag('Searching for setup logs...\nGathering baseline information from setup logs...')).toEqual(facts({}))
  })
})

const G1 = '6080AFAC-892E-4903-94EA-7A17E69E549E'
const read = (...lines: string[]) => parseSetupDiag(lines.join('\n'))
/** The one match of a console text with one rule header and these lines. */
const textMatch = (...lines: string[]) => {
  const r = read('SetupDiag: processing rule: R.', ...lines)
  expect(r.matches).toHaveLength(1)
  return r.matches[0]!
}

describe('the console text: headers, counts and what ends a rule', () => {
  it('a header ends the match before it; the dot after the rule and the space after the colon are optional', () => {
    expect(read('SetupDiag: processing rule: FirstRule.', 'Error: 0x80070005', 'SetupDiag: processing rule:SecondRule', 'Error: 87',
      `Matching Profile found:ThirdRule-${G1}`, 'Error: -2147024891', `Matching Profile found:  Fourth  -  ${G1.toLowerCase()}`, 'Warning: blocked.',
      'SetupDiag found 12 matching issues.', 'SetupDiag results were logged to: c:\\setupdiag\\results.log')).toEqual(facts({
      matchingIssues: 12,
      matches: [
        match({ rule: 'FirstRule', line: 1, errorCode: '0x80070005', lines: ['Error: 0x80070005'] }),
        match({ rule: 'SecondRule', line: 3, errorCode: '0x00000057', lines: ['Error: 87'] }),
        match({ rule: 'ThirdRule', ruleId: G1, line: 5, errorCode: '0x80070005', lines: ['Error: -2147024891'] }),
        match({ rule: 'Fourth', ruleId: G1.toLowerCase(), line: 7, lines: ['Warning: blocked.'] }),
      ],
    }))
  })

  it('a header or a field only counts at the start of its line; elsewhere it is text of the match', () => {
    const lines = ['See also: SetupDiag: processing rule: Other.', `Log: Matching Profile found: Other - ${G1}`, 'Log: SetupDiag found 2 matching issues.',
      'Log: SetupDiag v1.7.0.0', 'Log: the rule ...No match.', 'Warning: SetupDiag reports a block.', 'Log: Last Phase: Safe OS', 'Log: Last Setup Phase = Safe OS',
      'Log: Last Operation: Apply', 'Log: Last Setup Operation = Apply', 'Log: Message = text', 'The update will retry later.', 'Get the newest SetupDiag version',
      '...No match (the rule was skipped)', '..Checked 3 logs', '<unknown> device blocked the upgrade']
    expect(read('SetupDiag: processing rule: R.', ...lines)).toEqual(facts({ matches: [match({ rule: 'R', line: 1, lines })] }))
  })

  it('a rule with nothing under it is not a match; "No match" with two or more dots, with or without its dot, ends it', () => {
    expect(read('SetupDiag: processing rule: A.', '...', 'SetupDiag: processing rule: B.', '..No match', 'SetupDiag: processing rule: C.', '....No match.',
      'SetupDiag: processing rule: D.', '', '.', 'SetupDiag found 0 matching issues.')).toEqual(facts({ noMatchRules: ['B', 'C'], matchingIssues: 0 }))
  })

  it('reads the version from the banner, the last one printed', () => {
    expect(read('SetupDiag v1.6.0.0', 'SetupDiag v1.7.0.0').version).toBe('1.7.0.0')
  })

  it('an XML fragment without ProfileName, FailureData or FailureDetails is not read as results', () => {
    const t = '<Version>1.7.0.0</Version>\n<UpgradeStartTime>2019-06-06T21:19:10</UpgradeStartTime>'
    expect(parseSetupDiag(t)).toEqual(facts({}))
    expect(looksLikeSetupDiag(t)).toBe(0)
  })
})

describe('codes in the text', () => {
  // [line, errorCode, extendCode]: each read under one rule header.
  const rows: [string, string | null, string | null][] = [
    ['Error: 0x800706ba', '0x800706BA', null],
    ['Error: 0x57', '0x00000057', null],
    ['Error: 87', '0x00000057', null],
    ['Error: -2147024891', '0x80070005', null],
    ['Error:0x57', '0x00000057', null],
    ['Error:  0x57', '0x00000057', null],
    ['Error: 0x57 - 0x4000d', '0x00000057', '0x4000D'],
    ['Error: 0x57-0x4000D', '0x00000057', '0x4000D'],
    ['Error: 0x57  -  0x4000D', '0x00000057', '0x4000D'],
    ['Error: 0x57 - 0x4000DEAD1', '0x00000057', '0x4000DEAD1'],
    // A number that starts a sentence, or a code glued to more text, is not a code.
    ['Error: 2 files were not copied', null, null],
    ['Error: 0x80070002:ERROR_FILE_NOT_FOUND', null, null],
    ['Package Name: Foundation, Error: 0x8007001F', '0x8007001F', null],
    ['Operation: Finalize, Error:0x8007001F', '0x8007001F', null],
    ['Operation: Finalize, Error: 0x8007001F-0x4000d', '0x8007001F', '0x4000D'],
    ['Operation: Finalize, Error: 0x8007001F  -  0x4000d', '0x8007001F', '0x4000D'],
    ['Operation: Finalize, Error: 0x8007001F - see the log', null, null],
    ['Operation: Finalize, Error: 0x8007001 - 0x4000D', null, null],
    ['Installation failed 0xC1900101 - 0x40017 in the SECOND_BOOT phase', '0xC1900101', '0x40017'],
    ['Installation failed 0xc1900101-0x4000d during SAFE_OS', '0xC1900101', '0x4000D'],
    ['Installation failed 0xc1900101  -  0x4000d during SAFE_OS', '0xC1900101', '0x4000D'],
    ['Installation failed 0x80070002 - 0x4000D during SAFE_OS', null, null],
    ['Installation failed 0xC190010 - 0x4000D during SAFE_OS', null, null],
  ]
  it(`reads ${rows.length} kinds of Error lines`, () => {
    let ran = 0
    for (const [line, errorCode, extendCode] of rows) {
      expect(textMatch(line), line).toEqual(match({ rule: 'R', line: 1, errorCode, extendCode, lines: [line] }))
      ran++
    }
    expect(ran).toBe(23)
  })

  it('the first code wins; an extend code joins only its own code', () => {
    expect(textMatch('Error: 0x80070005', 'Operation: Finalize, Error: 0x8007001F - 0x50015')).toMatchObject({ errorCode: '0x80070005', extendCode: null })
    expect(textMatch('Error: 0x80070005', 'Rollback: 0xC1900101 - 0x40017')).toMatchObject({ errorCode: '0x80070005', extendCode: '0x40017' })
    expect(textMatch('Error: 0x57 - 0x1', 'Rollback: 0xC1900101 - 0x40017')).toMatchObject({ errorCode: '0x00000057', extendCode: '0x1' })
    expect(textMatch('Error: 0x57', 'Error: 0x80070005 - 0x2')).toMatchObject({ errorCode: '0x00000057', extendCode: null })
    expect(textMatch('Error: 0x8007001F', 'Operation: Finalize, Error: 0x8007001F - 0x50015')).toMatchObject({ errorCode: '0x8007001F', extendCode: '0x50015' })
  })
})

describe('phase, operation, message and advice in the text', () => {
  // [line, field, value]
  const rows: [string, 'lastPhase' | 'lastOperation' | 'message', string][] = [
    ['Last Phase:Safe OS', 'lastPhase', 'Safe OS'],
    ['Last Phase:  Safe OS', 'lastPhase', 'Safe OS'],
    ['Last Setup Phase:Downlevel', 'lastPhase', 'Downlevel'],
    ['Last Setup Phase =  Downlevel', 'lastPhase', 'Downlevel'],
    ['Last Setup Phase=Downlevel', 'lastPhase', 'Downlevel'],
    ['Last Operation:Apply', 'lastOperation', 'Apply'],
    ['Last Operation:  Apply', 'lastOperation', 'Apply'],
    ['Last Setup Operation = Gather data', 'lastOperation', 'Gather data'],
    ['Last Setup Operation:  Gather data', 'lastOperation', 'Gather data'],
    ['Last Setup Operation=Gather data', 'lastOperation', 'Gather data'],
    ['Message= Failed to get the image session', 'message', 'Failed to get the image session'],
    ['Message =Failed to get the image session', 'message', 'Failed to get the image session'],
    ['Message  =  Failed', 'message', 'Failed'],
    ['Error:SetupDiag reports DISM provider failure.', 'message', 'SetupDiag reports DISM provider failure.'],
    ['Error:  SetupDiag reports DISM provider failure.', 'message', 'SetupDiag reports DISM provider failure.'],
    ['SetupDiag reports down-level failure, Error: 0x8007001F', 'message', 'SetupDiag reports down-level failure, Error: 0x8007001F'],
    ['setupdiag REPORTS a block', 'message', 'setupdiag REPORTS a block'],
  ]
  it(`reads ${rows.length} field lines`, () => {
    let ran = 0
    for (const [line, field, value] of rows) {
      const m = textMatch(line)
      expect(m[field], line).toBe(value)
      for (const other of ['lastPhase', 'lastOperation', 'message', 'advice'] as const) if (other !== field) expect(m[other], `${line} ${other}`).toBeNull()
      ran++
    }
    expect(ran).toBe(17)
  })

  it('the last phase and operation are the last printed; the message the first; the advice the last advice line', () => {
    expect(textMatch('Last Phase: Downlevel', 'Last Phase: Safe OS', 'Last Operation: A', 'Last Operation: B', 'Message = first', 'Message = second',
      'Error: SetupDiag reports one.', 'Resolution: free up space.', 'The update will retry later, please wait.', 'Try the update again.', 'Nothing to add.'))
      .toMatchObject({ lastPhase: 'Safe OS', lastOperation: 'B', message: 'second', advice: 'Try the update again.' })
    expect(textMatch('Error: SetupDiag reports one.', 'Error: SetupDiag reports two.', 'please reboot.', 'REMEDIATION: none')).toMatchObject({ message: 'SetupDiag reports one.', advice: 'REMEDIATION: none' })
  })
})
