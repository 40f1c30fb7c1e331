/**
 * parseSetupDiag and looksLikeSetupDiag line by line (mutation testing): the whole result (every
 * match with its lines, the rules without a match, the counts, the upgrade's start and end, the form) of each
 * real SetupDiag capture in test/fixtures (console text, text log, /Format:xml, /Format:json), whole, CRLF and
 * flattened; then each reader's parts on short inputs made from those real lines (one field changed, a
 * closing tag or quote lost, spaces added or removed, the text cut off). Those are test inputs, not captures.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { loseNewlines, toCrlf } from './paste-damage.ts'
import { withinCpu } from '../cpu-time.ts'
import type { SetupDiagFacts, SetupDiagMatch } from '../../../main/parse/setupdiag.ts'

type M0 = typeof import('../../../main/parse/setupdiag.ts')
let parseSetupDiag: M0['parseSetupDiag']
let looksLikeSetupDiag: M0['looksLikeSetupDiag']
// A fresh module per test-file run (vi.resetModules): module-level patterns are evaluated again, so Stryker's
// static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ parseSetupDiag, looksLikeSetupDiag } = await import('../../../main/parse/setupdiag.ts'))
})

const match = (m: Partial<SetupDiagMatch> & { rule: string; line: number }): SetupDiagMatch => ({
  ruleId: null,
  errorCode: null,
  extendCode: null,
  lastPhase: null,
  lastOperation: null,
  message: null,
  advice: null,
  lines: [],
  ...m,
})
const facts = (f: Partial<SetupDiagFacts>): SetupDiagFacts => ({
  version: null,
  matches: [],
  noMatchRules: [],
  matchingIssues: null,
  upgradeStart: null,
  upgradeEnd: null,
  form: 'text',
  ...f,
})

const GUID = 'A4028172-1B09-48F8-AD3B-86CDD7D55852'
const SP_LINE =
  '2019-06-06 21:47:11, Error                 SP     Error converting install time 5/2/2019 to structure[gle=0x00000057]'
const FATAL = [
  'Error: SetupDiag reports Fatal Error.',
  'Last Setup Phase = Downlevel',
  'Last Setup Operation: Gather data, scope: EVERYTHING',
  'Error: 0x00000057',
]
const XML_LINES = [
  SP_LINE,
  ...FATAL,
  `LogEntry: ${SP_LINE}`,
  `LogEntry: ${SP_LINE}`,
  'Refer to "https://docs.microsoft.com/windows/desktop/Debug/system-error-codes" for error information.',
]
const SP_JSON = [
  '2019-06-06 21:47:11, Error                 SP     Error converting install time 5/2/2019 to structure[',
  'gle=0x00000057',
  ']',
]
const JSON_LINES = [
  ...SP_JSON,
  ...FATAL,
  `LogEntry: ${SP_JSON[0]}`,
  ...SP_JSON.slice(1),
  `LogEntry: ${SP_JSON[0]}`,
  ...SP_JSON.slice(1),
  'Refer to "https://docs.microsoft.com/en-us/windows/desktop/Debug/system-error-codes" for error information.',
]
const FATAL_MATCH = {
  rule: 'FindSPFatalError',
  ruleId: GUID,
  errorCode: '0x00000057',
  lastPhase: 'Downlevel',
  lastOperation: 'Gather data, scope: EVERYTHING',
  message: 'SetupDiag reports Fatal Error.',
}
const DISM_MATCH = {
  rule: 'DISMImageSessionFailure',
  errorCode: '0x800706BA',
  lastPhase: 'Safe OS',
  lastOperation: 'Apply Optional Component status',
  message: 'Failed to get the IDismImage instance from the image session',
  advice: 'Recommend you re-download the update source files, reboot and try the update again.',
  lines: [
    'Error: SetupDiag reports DISM provider failure.',
    'Last Phase: Safe OS',
    'Last Operation: Apply Optional Component status',
    'Message = Failed to get the IDismImage instance from the image session',
    'Function: CDISMManager::CloseImageSession',
    'Error: 0x800706ba',
    'Recommend you re-download the update source files, reboot and try the update again.',
  ],
}
const OC_ADVICE =
  'Recommend you check the "Windows Modules Installer" service (Trusted Installer) is started on the system and set to automatic start, reboot and try the update again.  Optionally, you can check the status of optional components on the system (search for Windows Features), uninstall any unneeded optional components, reboot and try the update again.'
const OC_SYSINFO = [
  'System Information:',
  'Machine Name = Offline',
  'Manufacturer = MSI',
  'Model = MS-7998',
  'HostOSArchitecture = x64',
  'FirmwareType = PCAT',
  'BiosReleaseDate = 20160727000000.000000+000',
  'BiosVendor = BIOS Date: 07/27/16 10:01:46 Ver: V1.70',
  'BiosVersion = 1.70',
  'HostOSVersion = 10.0.15063',
  'HostOSBuildString = 15063.0.amd64fre.rs2_release.170317-1834',
  'TargetOSBuildString = 10.0.16299.15 (rs3_release.170928-1534)',
  'HostOSLanguageId = 2057',
  'HostOSEdition = Core',
  'RegisteredAV = Windows Defender,',
  'FilterDrivers = WdFilter,wcifs,WIMMount,luafv,Wof,FileInfo,',
  'UpgradeStartTime = 3/21/2018 9:47:16 PM',
  'UpgradeEndTime = 3/21/2018 10:02:40 PM',
  'UpgradeElapsedTime = 00:15:24',
  'ReportId = dd4db176-4e3f-4451-aef6-22cf46de8bde',
]
const OC_MSG =
  'SetupDiag reports Optional Component installation failed to open OC Package. Package Name: Foundation, Error: 0x8007001F'
const ROLLBACK_OP =
  'Add [6] package C:\\$WINDOWS.~BT\\DUImageSandbox\\Microsoft-Windows-FailoverCluster-Management-Tools-FOD-Package~31bf3856ad364e35~amd64~~.cab to C:\\$WINDOWS.~BT\\NewOS'
const ROLLBACK_LINES = [
  `0x800736cc-0x20003 Error: SetupDiag reports rollback failure found.Last Phase = Safe OSLast Operation = ${ROLLBACK_OP}Error = 0x800736CC-0x20003`,
  'LogEntry: 2025-01-18 13:58:29, Error                 CBS    Failed to process single phase execution. [HRESULT = 0x800736cc - ERROR_SXS_FILE_HASH_MISMATCH]',
  'Refer to "https://docs.microsoft.com/en-us/windows/desktop/Debug/system-error-codes" for error information.',
]
const ROLLBACK_MATCH = {
  rule: 'unknown',
  errorCode: '0x800736CC',
  extendCode: '0x20003',
  lastPhase: 'Safe OS',
  lastOperation: ROLLBACK_OP,
  message: 'SetupDiag reports rollback failure found.',
  lines: ROLLBACK_LINES,
}
const NO_MATCH_DISK = [
  'VHDHardblock',
  'PortableWorkspaceHardblock',
  'AuditModeHardblock',
  'SafeModeHardblock',
  'InsufficientSystemPartitionDiskSpaceHardblock',
  'HardblockApplication',
  'HardblockDeviceOrDriver',
  'HardblockMismatchedLanguage',
  'HardblockFlightSigning',
]

const captures: [file: string, expected: SetupDiagFacts, score: number][] = [
  [
    'setupdiag/findspfatalerror-results.xml',
    facts({
      version: '1.6.0.0',
      form: 'xml',
      upgradeStart: '2019-06-06T21:19:10',
      upgradeEnd: '2019-06-06T22:21:49',
      matches: [match({ ...FATAL_MATCH, lines: XML_LINES, line: 4 })],
    }),
    0.97,
  ],
  [
    'corpus/setupdiag/en-xml-findspfatalerror-v15-doc.xml',
    facts({
      version: '1.5.0.0',
      form: 'xml',
      upgradeStart: '2019-06-06T21:19:10',
      upgradeEnd: '2019-06-06T22:21:49',
      matches: [match({ ...FATAL_MATCH, lines: XML_LINES, line: 4 })],
    }),
    0.97,
  ],
  [
    'setupdiag/findspfatalerror-results.json',
    facts({
      version: '1.6.0.0',
      form: 'json',
      upgradeStart: '2019-06-06T21:19:10-07:00',
      upgradeEnd: '2019-06-06T22:21:49-07:00',
      matches: [match({ ...FATAL_MATCH, lines: JSON_LINES, line: 3 })],
    }),
    0.97,
  ],
  [
    'corpus/setupdiag/en-json-findspfatalerror-v15-doc.json',
    facts({
      version: '1.5.0.0',
      form: 'json',
      upgradeStart: '2019-06-06T21:19:10-07:00',
      upgradeEnd: '2019-06-06T22:21:49-07:00',
      matches: [match({ ...FATAL_MATCH, lines: JSON_LINES, line: 3 })],
    }),
    0.97,
  ],
  [
    'setupdiag/offline-dism-provider.txt',
    facts({
      version: '1.6.0.0',
      matchingIssues: 1,
      noMatchRules: ['CompatScanOnly'],
      matches: [match({ ...DISM_MATCH, line: 17 })],
    }),
    0.95,
  ],
  [
    'corpus/setupdiag/en-dism-provider-failure-v170.txt',
    facts({
      version: '1.7.0.0',
      matchingIssues: 1,
      noMatchRules: ['CompatScanOnly'],
      matches: [match({ ...DISM_MATCH, line: 15 })],
    }),
    0.95,
  ],
  [
    'corpus/setupdiag/en-disk-space-block-downlevel.txt',
    facts({
      matchingIssues: 1,
      noMatchRules: NO_MATCH_DISK,
      matches: [
        match({
          rule: 'DiskSpaceBlockInDownLevel',
          ruleId: '6080AFAC-892E-4903-94EA-7A17E69E549E',
          line: 40,
          lines: [
            'Warning: Found Disk Space Hard Block.',
            'Warning: You must free up at least 6603 MB of space on the System Drive, and try again.',
          ],
        }),
      ],
    }),
    0.95,
  ],
  [
    'corpus/setupdiag/en-text-optional-component-0x8007001f-v15-doc.txt',
    facts({
      matches: [
        match({
          rule: 'OptionalComponentOpenPackageFailed',
          ruleId: '22952520-EC89-4FBD-94E0-B67DF88347F6',
          errorCode: '0x8007001F',
          extendCode: '0x50015',
          message: OC_MSG,
          advice: OC_ADVICE,
          line: 1,
          lines: [
            ...OC_SYSINFO,
            `Error: ${OC_MSG}`,
            OC_ADVICE,
            'Error: SetupDiag reports down-level failure, Operation: Finalize, Error: 0x8007001F - 0x50015',
            'Refer to https://docs.microsoft.com/windows/deployment/upgrade/upgrade-error-codes for error information.',
          ],
        }),
      ],
    }),
    0.95,
  ],
  [
    'corpus/setupdiag/en-xml-24h2-rollback-0x800736cc-excerpt.xml',
    facts({ form: 'xml', matches: [match({ ...ROLLBACK_MATCH, line: 3 })] }),
    0.97,
  ],
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
    for (const [file, , score] of captures) {
      expect(looksLikeSetupDiag(loadFixture(file).text), file).toBe(score)
      ran++
    }
    expect(ran).toBe(9)
  })

  it('reads the XML and JSON results flattened to one line the same (one element per line again)', () => {
    const flat: [string, SetupDiagFacts][] = [
      [
        'setupdiag/findspfatalerror-results.xml',
        facts({
          version: '1.6.0.0',
          form: 'xml',
          upgradeStart: '2019-06-06T21:19:10',
          upgradeEnd: '2019-06-06T22:21:49',
          matches: [match({ ...FATAL_MATCH, lines: XML_LINES, line: 1 })],
        }),
      ],
      [
        'setupdiag/findspfatalerror-results.json',
        facts({
          version: '1.6.0.0',
          form: 'json',
          upgradeStart: '2019-06-06T21:19:10-07:00',
          upgradeEnd: '2019-06-06T22:21:49-07:00',
          matches: [
            match({
              ...FATAL_MATCH,
              line: 1,
              lines: JSON_LINES.filter((l) => l !== 'gle=0x00000057' && l !== ']').map((l) =>
                l.replace(/structure\[$/, 'structure[ gle=0x00000057 ]'),
              ),
            }),
          ],
        }),
      ],
      [
        'corpus/setupdiag/en-xml-24h2-rollback-0x800736cc-excerpt.xml',
        facts({ form: 'xml', matches: [match({ ...ROLLBACK_MATCH, line: 1 })] }),
      ],
    ]
    let ran = 0
    for (const [file, expected] of flat) {
      expect(parseSetupDiag(loseNewlines(loadFixture(file).text)), file).toEqual(expected)
      ran++
    }
    expect(ran).toBe(3)
  })

  it('a run of 200,000 blanks costs one pass, not n squared (fuzz case analyze/each-analyzer seed 20261121, case 161, took 66 s)', () => {
    const xml = loseNewlines(loadFixture('setupdiag/findspfatalerror-results.xml').text)
    const blanks = '\t'.repeat(200_000)
    const wide = xml.replace('</FailureData>', `${blanks}</FailureData>`).replace(/ Error: 0x/, `${blanks}Error: 0x`)
    expect(wide).not.toBe(xml)
    // Bounded by the CPU time of the parse (the quadratic pattern took 66 s), not by the wall clock of a busy machine.
    expect(withinCpu(2_000, () => parseSetupDiag(wide))).toEqual(parseSetupDiag(xml))
  })

  it('is total: not a string, empty text, unrelated text', () => {
    expect(parseSetupDiag(undefined as never)).toEqual(facts({}))
    expect(parseSetupDiag(42 as never)).toEqual(facts({}))
    expect(parseSetupDiag('')).toEqual(facts({}))
    expect(parseSetupDiag('Searching for setup logs...\nGathering baseline information from setup logs...')).toEqual(
      facts({}),
    )
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
    expect(
      read(
        'SetupDiag: processing rule: FirstRule.',
        'Error: 0x80070005',
        'SetupDiag: processing rule:SecondRule',
        'Error: 87',
        `Matching Profile found:ThirdRule-${G1}`,
        'Error: -2147024891',
        `Matching Profile found:  Fourth  -  ${G1.toLowerCase()}`,
        'Warning: blocked.',
        'SetupDiag found 12 matching issues.',
        'SetupDiag results were logged to: c:\\setupdiag\\results.log',
      ),
    ).toEqual(
      facts({
        matchingIssues: 12,
        matches: [
          match({ rule: 'FirstRule', line: 1, errorCode: '0x80070005', lines: ['Error: 0x80070005'] }),
          match({ rule: 'SecondRule', line: 3, errorCode: '0x00000057', lines: ['Error: 87'] }),
          match({ rule: 'ThirdRule', ruleId: G1, line: 5, errorCode: '0x80070005', lines: ['Error: -2147024891'] }),
          match({ rule: 'Fourth', ruleId: G1.toLowerCase(), line: 7, lines: ['Warning: blocked.'] }),
        ],
      }),
    )
  })

  it('a header or a field only counts at the start of its line; elsewhere it is text of the match', () => {
    const lines = [
      'See also: SetupDiag: processing rule: Other.',
      `Log: Matching Profile found: Other - ${G1}`,
      'Log: SetupDiag found 2 matching issues.',
      'Log: SetupDiag v1.7.0.0',
      'Log: the rule ...No match.',
      'Warning: SetupDiag reports a block.',
      'Log: Last Phase: Safe OS',
      'Log: Last Setup Phase = Safe OS',
      'Log: Last Operation: Apply',
      'Log: Last Setup Operation = Apply',
      'Log: Message = text',
      'The update will retry later.',
      'Get the newest SetupDiag version',
      '...No match (the rule was skipped)',
      '..Checked 3 logs',
      '<unknown> device blocked the upgrade',
    ]
    expect(read('SetupDiag: processing rule: R.', ...lines)).toEqual(
      facts({ matches: [match({ rule: 'R', line: 1, lines })] }),
    )
  })

  it('a rule with nothing under it is not a match; "No match" with two or more dots, with or without its dot, ends it', () => {
    expect(
      read(
        'SetupDiag: processing rule: A.',
        '...',
        'SetupDiag: processing rule: B.',
        '..No match',
        'SetupDiag: processing rule: C.',
        '....No match.',
        'SetupDiag: processing rule: D.',
        '',
        '.',
        'SetupDiag found 0 matching issues.',
      ),
    ).toEqual(facts({ noMatchRules: ['B', 'C'], matchingIssues: 0 }))
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
    expect(textMatch('Error: 0x80070005', 'Operation: Finalize, Error: 0x8007001F - 0x50015')).toMatchObject({
      errorCode: '0x80070005',
      extendCode: null,
    })
    expect(textMatch('Error: 0x80070005', 'Rollback: 0xC1900101 - 0x40017')).toMatchObject({
      errorCode: '0x80070005',
      extendCode: '0x40017',
    })
    expect(textMatch('Error: 0x57 - 0x1', 'Rollback: 0xC1900101 - 0x40017')).toMatchObject({
      errorCode: '0x00000057',
      extendCode: '0x1',
    })
    expect(textMatch('Error: 0x57', 'Error: 0x80070005 - 0x2')).toMatchObject({
      errorCode: '0x00000057',
      extendCode: null,
    })
    expect(textMatch('Error: 0x8007001F', 'Operation: Finalize, Error: 0x8007001F - 0x50015')).toMatchObject({
      errorCode: '0x8007001F',
      extendCode: '0x50015',
    })
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
    [
      'SetupDiag reports down-level failure, Error: 0x8007001F',
      'message',
      'SetupDiag reports down-level failure, Error: 0x8007001F',
    ],
    ['setupdiag REPORTS a block', 'message', 'setupdiag REPORTS a block'],
  ]
  it(`reads ${rows.length} field lines`, () => {
    let ran = 0
    for (const [line, field, value] of rows) {
      const m = textMatch(line)
      expect(m[field], line).toBe(value)
      for (const other of ['lastPhase', 'lastOperation', 'message', 'advice'] as const)
        if (other !== field) expect(m[other], `${line} ${other}`).toBeNull()
      ran++
    }
    expect(ran).toBe(17)
  })

  it('the last phase and operation are the last printed; the message the first; the advice the last advice line', () => {
    expect(
      textMatch(
        'Last Phase: Downlevel',
        'Last Phase: Safe OS',
        'Last Operation: A',
        'Last Operation: B',
        'Message = first',
        'Message = second',
        'Error: SetupDiag reports one.',
        'Resolution: free up space.',
        'The update will retry later, please wait.',
        'Try the update again.',
        'Nothing to add.',
      ),
    ).toMatchObject({ lastPhase: 'Safe OS', lastOperation: 'B', message: 'second', advice: 'Try the update again.' })
    expect(
      textMatch(
        'Error: SetupDiag reports one.',
        'Error: SetupDiag reports two.',
        'please reboot.',
        'REMEDIATION: none',
      ),
    ).toMatchObject({ message: 'SetupDiag reports one.', advice: 'REMEDIATION: none' })
  })
})

describe('the XML results: elements and their text', () => {
  it('a GUID or remediation before any ProfileName belongs to no match; the match starts at its ProfileName line', () => {
    expect(read('<ProfileName>R</ProfileName>', '<FailureData>Error: 0x80070005</FailureData>')).toEqual(
      facts({
        form: 'xml',
        matches: [match({ rule: 'R', line: 1, errorCode: '0x80070005', lines: ['Error: 0x80070005'] })],
      }),
    )
    expect(
      read(
        '<SetupDiag>',
        `<ProfileGuid>${GUID}</ProfileGuid>`,
        '<Remediation>Reboot.</Remediation>',
        '<ProfileName>R</ProfileName>',
        '<FailureData>Error: 0x80070005</FailureData>',
        '</SetupDiag>',
      ),
    ).toEqual(
      facts({
        form: 'xml',
        matches: [match({ rule: 'R', line: 4, errorCode: '0x80070005', lines: ['Error: 0x80070005'] })],
      }),
    )
  })

  it('spaces inside the elements are not part of the values; the first Version, start and end count', () => {
    expect(
      read(
        '<Version> 1.6.0.0 </Version>',
        '<Version>9.9</Version>',
        '<ProfileName> R </ProfileName>',
        `<ProfileGuid> ${GUID} </ProfileGuid>`,
        `<ProfileGuid>${G1}</ProfileGuid>`,
        '<UpgradeStartTime> 2019-06-06T21:19:10 </UpgradeStartTime>',
        '<UpgradeStartTime>2020-01-01T00:00:00</UpgradeStartTime>',
        '<UpgradeEndTime>2019-06-06T22:21:49</UpgradeEndTime>',
        '<UpgradeEndTime>2020-01-01T00:00:00</UpgradeEndTime>',
        '<FailureData>  Error: 0x00000057  </FailureData>',
        '<LogErrorLine>  LogEntry: one  </LogErrorLine>',
      ),
    ).toEqual(
      facts({
        form: 'xml',
        version: '1.6.0.0',
        upgradeStart: '2019-06-06T21:19:10',
        upgradeEnd: '2019-06-06T22:21:49',
        matches: [
          match({
            rule: 'R',
            ruleId: GUID,
            line: 3,
            errorCode: '0x00000057',
            lines: ['Error: 0x00000057', 'LogEntry: one'],
          }),
        ],
      }),
    )
  })

  it('empty and other elements, closing tags and text glued after a closing tag are not lines of the match', () => {
    expect(
      read(
        '<ProfileName>R</ProfileName>',
        '<FailureData>Error: 0x80070005</FailureData><SetupPhaseInfo>Downlevel</SetupPhaseInfo>',
        '<LogErrorLine />',
        '<FailureData />',
        '<FailureData>',
        'Last Setup Phase = Downlevel',
        '</FailureData>',
        '<DeviceDriverInfo>oem12.inf</DeviceDriverInfo>',
        '<Model />',
        '</SystemInfo>',
        '<FailureData></FailureData>',
        '</SetupDiag>',
      ),
    ).toEqual(
      facts({
        form: 'xml',
        matches: [
          match({
            rule: 'R',
            line: 1,
            errorCode: '0x80070005',
            lastPhase: 'Downlevel',
            lines: ['Error: 0x80070005', 'Last Setup Phase = Downlevel'],
          }),
        ],
      }),
    )
  })

  // [FailureDetails text, errorCode, extendCode, lastOperation, lastPhase]
  const details: [string, string | null, string | null, string | null, string | null][] = [
    [
      'Err = 0x00000057, LastOperation = Gather data, scope: EVERYTHING, LastPhase = Downlevel',
      '0x00000057',
      null,
      'Gather data, scope: EVERYTHING',
      'Downlevel',
    ],
    [
      'Error=0x800736CC-0x20003,LastPhase=Safe OS,LastOperation=Add package',
      '0x800736CC',
      '0x20003',
      'Add package',
      'Safe OS',
    ],
    [
      'Err = 0x80070002 - 0x4000d , LastOperation = Copy files , LastPhase = Safe OS',
      '0x80070002',
      '0x4000D',
      'Copy files',
      'Safe OS',
    ],
    ['Err  =  0x1F  -  0xA, LastPhase  =  Finalize', '0x0000001F', '0xA', null, 'Finalize'],
    ['Err=0x57,LastOperation=Copy,LastPhase=Safe OS', '0x00000057', null, 'Copy', 'Safe OS'],
    ['Err = 0x57, LastPhase = Safe OS , LastOperation = Copy', '0x00000057', null, 'Copy', 'Safe OS'],
    ['Reason = unknown', null, null, null, null],
  ]
  it(`reads ${details.length} FailureDetails forms (a match with a code and no other line is kept)`, () => {
    let ran = 0
    for (const [d, errorCode, extendCode, lastOperation, lastPhase] of details) {
      const r = read(
        '<ProfileName>R</ProfileName>',
        '<FailureData>LogEntry: one</FailureData>',
        `<FailureDetails>${d}</FailureDetails>`,
      )
      expect(r.matches, d).toEqual([
        match({ rule: 'R', line: 1, errorCode, extendCode, lastOperation, lastPhase, lines: ['LogEntry: one'] }),
      ])
      ran++
    }
    expect(ran).toBe(7)
    // Without any FailureData line, and cut before its closing tag.
    expect(read('<ProfileName>R</ProfileName>', '<FailureDetails>Err = 0x00000057, LastPhase = Downlevel')).toEqual(
      facts({ form: 'xml', matches: [match({ rule: 'R', line: 1, errorCode: '0x00000057', lastPhase: 'Downlevel' })] }),
    )
    // Without a ProfileName: an unknown rule, at the FailureDetails line.
    expect(
      read('<FailureData>LogEntry: one</FailureData>', '<FailureDetails>Err = 0x00000057</FailureDetails>'),
    ).toEqual(facts({ form: 'xml', matches: [match({ rule: 'unknown', line: 2, errorCode: '0x00000057' })] }))
    // Nothing read: no match.
    expect(read('<ProfileName>R</ProfileName>', '<FailureDetails>Reason = unknown</FailureDetails>')).toEqual(
      facts({ form: 'xml' }),
    )
  })

  it('what FailureData says first wins over FailureDetails', () => {
    expect(
      read(
        '<ProfileName>R</ProfileName>',
        '<FailureData>Error: 0x80070005</FailureData>',
        '<FailureData>Last Setup Phase = Downlevel</FailureData>',
        '<FailureData>Last Setup Operation: Copy</FailureData>',
        '<FailureDetails>Err = 0x00000057 - 0x2, LastOperation = Other, LastPhase = Safe OS</FailureDetails>',
      ).matches,
    ).toEqual([
      match({
        rule: 'R',
        line: 1,
        errorCode: '0x80070005',
        lastPhase: 'Downlevel',
        lastOperation: 'Copy',
        lines: ['Error: 0x80070005', 'Last Setup Phase = Downlevel', 'Last Setup Operation: Copy'],
      }),
    ])
  })

  it('Remediation: trimmed, the first one, none when empty or before the ProfileName; cut before its closing tag', () => {
    const adv = (...rem: string[]) =>
      read('<ProfileName>R</ProfileName>', '<FailureData>LogEntry: one</FailureData>', ...rem).matches[0]!.advice
    expect(adv('<Remediation> Reboot and try again. </Remediation>', '<Remediation>Second.</Remediation>')).toBe(
      'Reboot and try again.',
    )
    expect(adv('<Remediation>   </Remediation>')).toBeNull()
    expect(adv('<Remediation></Remediation>')).toBeNull()
    expect(adv('<Remediation>Reboot and try')).toBe('Reboot and try')
  })

  // FailureData lines that start with the code pair: [line after the ProfileName, the match without rule/line/lines]
  const pairs: [string, Partial<SetupDiagMatch>][] = [
    [
      '<FailureData> 0x800736cc-0x20003  Error:  SetupDiag reports rollback failure found.Last Phase = Safe OS</FailureData>',
      {
        errorCode: '0x800736CC',
        extendCode: '0x20003',
        lastPhase: 'Safe OS',
        message: 'SetupDiag reports rollback failure found.',
      },
    ],
    [
      '<FailureData>0x80070002-0x4000d SetupDiag reports rollback failure found. Last Operation = Copy</FailureData>',
      {
        errorCode: '0x80070002',
        extendCode: '0x4000D',
        lastOperation: 'Copy',
        message: 'SetupDiag reports rollback failure found.',
      },
    ],
    [
      '<FailureData>0x80070002-0x4000D Error: SetupDiag reports a failure. Last Phase = Safe OS Last Operation = Copy Error = 0x80070002</FailureData>',
      { errorCode: '0x80070002', extendCode: '0x4000D', lastPhase: 'Safe OS', lastOperation: 'Copy' },
    ],
    ['<FailureData>0x80070002-0x4000D Error:</FailureData>', { errorCode: '0x80070002', extendCode: '0x4000D' }],
  ]
  it(`reads ${pairs.length} FailureData code pairs; the first code wins`, () => {
    let ran = 0
    for (const [line, m] of pairs) {
      const text = line.replace(/^<FailureData>\s*|<\/FailureData>$/g, '').trim()
      expect(
        read(
          '<ProfileName>R</ProfileName>',
          line,
          '<FailureData>0x80070005-0x1 Error: SetupDiag reports other found.</FailureData>',
        ).matches,
        line,
      ).toEqual([
        match({ rule: 'R', line: 1, ...m, lines: [text, '0x80070005-0x1 Error: SetupDiag reports other found.'] }),
      ])
      ran++
    }
    expect(ran).toBe(4)
    // Cut before the closing tag: the code pair is still read.
    expect(read('<FailureData>0x800736cc-0x20003 Error: SetupDiag reports rollback failure found.').matches).toEqual([
      match({
        rule: 'unknown',
        line: 1,
        errorCode: '0x800736CC',
        extendCode: '0x20003',
        message: 'SetupDiag reports rollback failure found.',
        lines: ['0x800736cc-0x20003 Error: SetupDiag reports rollback failure found.'],
      }),
    ])
  })

  it('two profiles: two matches, each at its own ProfileName line of the text (XML and JSON)', () => {
    expect(
      read(
        '<SetupDiag>',
        '  <ProfileName>A</ProfileName>',
        '  <FailureData>Error: 0x80070005</FailureData>',
        '  <ProfileName>B</ProfileName>',
        '  <FailureData>Error: 0x80070002</FailureData>',
        '</SetupDiag>',
      ).matches,
    ).toEqual([
      match({ rule: 'A', line: 2, errorCode: '0x80070005', lines: ['Error: 0x80070005'] }),
      match({ rule: 'B', line: 4, errorCode: '0x80070002', lines: ['Error: 0x80070002'] }),
    ])
    expect(
      read(
        '[',
        '{"ProfileName":"A","FailureData":["Error: 0x80070005"]},',
        '{"ProfileName" : "B","FailureData":["Error: 0x80070002"]}',
        ']',
      ).matches,
    ).toEqual([
      match({ rule: 'A', line: 2, errorCode: '0x80070005', lines: ['Error: 0x80070005'] }),
      match({ rule: 'B', line: 3, errorCode: '0x80070002', lines: ['Error: 0x80070002'] }),
    ])
  })
})

describe('the JSON results: keys, strings and dates', () => {
  it('reads keys with spaces around the colon, arrays, and every escape SetupDiag writes', () => {
    const t =
      '{ "Version" : "1.7.0.0", "ProfileName" : "R", "ProfileGuid" : "' +
      GUID +
      '", "FailureData" : [ "Error: 0x80070005", ' +
      '"Line\\ttab\\rcr\\nnl \\u0041 \\/ \\"q\\" \\\\ \\x" , "Last Setup Phase = Safe OS" ], "Remediation" : [ "Reboot and try again." ] }'
    expect(parseSetupDiag(t)).toEqual(
      facts({
        form: 'json',
        version: '1.7.0.0',
        matches: [
          match({
            rule: 'R',
            ruleId: GUID,
            line: 1,
            errorCode: '0x80070005',
            lastPhase: 'Safe OS',
            advice: 'Reboot and try again.',
            lines: ['Error: 0x80070005', 'Line\ttab', 'cr', 'nl A / "q" \\ x', 'Last Setup Phase = Safe OS'],
          }),
        ],
      }),
    )
    expect(looksLikeSetupDiag(t)).toBe(0.97)
  })

  it('a ProfileName alone is not SetupDiag JSON', () => {
    for (const t of ['{"ProfileName":"R"}', '{"ProfileName" : "R", "Other":"x"}']) {
      expect(parseSetupDiag(t), t).toEqual(facts({}))
      expect(looksLikeSetupDiag(t), t).toBe(0)
    }
  })

  it('a string cut off at the end of the text ends it (also right after a backslash)', () => {
    const head = `{"ProfileName":"R","ProfileGuid":"${GUID}","FailureData":["Error: 0x80070005\\u000aLast Setup Phase = Safe OS`
    expect(parseSetupDiag(head).matches).toEqual([
      match({
        rule: 'R',
        ruleId: GUID,
        line: 1,
        errorCode: '0x80070005',
        lastPhase: 'Safe OS',
        lines: ['Error: 0x80070005', 'Last Setup Phase = Safe OS'],
      }),
    ])
    expect(parseSetupDiag(`{"ProfileName":"R","FailureData":["Error: 0x80070005\\`).matches).toEqual([
      match({ rule: 'R', line: 1, errorCode: '0x80070005', lines: ['Error: 0x80070005'] }),
    ])
    expect(parseSetupDiag(`{"ProfileName":"R","FailureData":["Error: 0x80070005\\u00`).matches).toEqual([
      match({ rule: 'R', line: 1, lines: ['Error: 0x80070005u00'] }),
    ])
  })

  it('a string missing its closing quote swallows the key after it; the rest is still read as results', () => {
    expect(parseSetupDiag(`{"Model":"X "ProfileName":"R","Version":"1.7.0.0","ProfileGuid":"${GUID}"}`)).toEqual(
      facts({ form: 'json', version: '1.7.0.0' }),
    )
  })

  it('text in angle brackets inside a string stays text; only a line that is a closing tag is dropped', () => {
    const t =
      '{"ProfileName":"R","FailureData":["Error: 0x80070005\\u000aDriver <oem12.inf> blocked\\u000aSee <b>policy</b>\\u000a</i> closed early\\u000a</i>","Other"]}'
    expect(parseSetupDiag(t).matches).toEqual([
      match({
        rule: 'R',
        line: 1,
        errorCode: '0x80070005',
        lines: ['Error: 0x80070005', 'Driver <oem12.inf> blocked', 'See <b>policy</b>', '</i> closed early', 'Other'],
      }),
    ])
  })

  // /Date(ms±hhmm)/ as SetupDiag writes it: [value, what is read]
  const dates: [string, string][] = [
    ['\\/Date(1559881150000-0700)\\/', '2019-06-06T21:19:10-07:00'],
    ['\\/Date(1559881150000+0530)\\/', '2019-06-07T09:49:10+05:30'],
    ['\\/Date(1559881150000+0000)\\/', '2019-06-07T04:19:10+00:00'],
    ['\\/Date(-2208988800000+0000)\\/', '1900-01-01T00:00:00+00:00'],
    ['\\/Date(-2208988800001+0000)\\/', '/Date(-2208988800001+0000)/'],
    ['\\/Date(-62135568000000-0800)\\/', '/Date(-62135568000000-0800)/'],
    ['\\/Date(99999999999999999-0000)\\/', '/Date(99999999999999999-0000)/'],
    ['x\\/Date(1559881150000-0700)\\/', 'x/Date(1559881150000-0700)/'],
    ['\\/Date(1559881150000-0700)\\/x', '/Date(1559881150000-0700)/x'],
    ['2019-06-06T21:19:10', '2019-06-06T21:19:10'],
  ]
  it(`reads ${dates.length} upgrade start and end values`, () => {
    let ran = 0
    for (const [value, read] of dates) {
      const r = parseSetupDiag(
        `{"ProfileName":"R","ProfileGuid":"${GUID}","UpgradeStartTime":"${value}","UpgradeEndTime":"${value}"}`,
      )
      expect([r.upgradeStart, r.upgradeEnd], value).toEqual([read, read])
      ran++
    }
    expect(ran).toBe(10)
  })
})

describe('looksLikeSetupDiag on short inputs', () => {
  const rows: [string, number][] = [
    ['SetupDiag v1.7.0.0\nCopyright (c) Microsoft Corporation. All rights reserved.', 0.95],
    ['SetupDiag version 2', 0],
    ['SetupDiag: processing rule: CompatScanOnly.', 0.95],
    [`Matching Profile found: R - ${G1}`, 0.95],
    ['  <FailureData> 0x800736cc-0x20003 Error: SetupDiag reports rollback failure found.</FailureData>', 0.97],
    ['<FailureData>0x800736cc 0x20003</FailureData>', 0],
    ['<ProfileName>R</ProfileName>', 0.97],
    ['<ProfileName></ProfileName>', 0],
    [`{ "ProfileName" : "R", "ProfileGuid" : "${GUID}" }`, 0.97],
    ['{"ProfileName":"R","SetupDiagVersion":"1.7.0.0"}', 0.97],
    ['{"ProfileName":"","FailureData":[]}', 0],
    ['{"FailureData":[],"FailureDetails":"Err = 0x57"}', 0],
    ['Searching for setup logs...', 0],
  ]
  it(`scores ${rows.length} inputs`, () => {
    let ran = 0
    for (const [t, score] of rows) {
      expect(looksLikeSetupDiag(t), t).toBe(score)
      ran++
    }
    expect(ran).toBe(13)
  })
})
