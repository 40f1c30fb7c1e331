/**
 * parseHotfixList line by line (mutation testing). Every hotfix of each real capture in
 * test/fixtures/hotfix, test/fixtures/corpus/hotfix-list and one systeminfo capture is asserted (KB,
 * description, date, format, warnings); the branches the captures do not reach (JSON rows, Format-List
 * order, table columns, date tails) are asserted on short hand-made inputs (edge cases, not captures).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { loseNewlines } from './paste-damage.ts'

type M0 = typeof import('../../../main/parse/hotfix-list.ts')
let parseHotfixList: M0['parseHotfixList'], HOTFIX_SCRIPT: M0['HOTFIX_SCRIPT']
// A fresh module per test-file run (vi.resetModules): the module-level KB and DATE patterns and the probe
// script are evaluated again, so Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ parseHotfixList, HOTFIX_SCRIPT } = await import('../../../main/parse/hotfix-list.ts'))
})

/** One hotfix as `KB description date` (null printed as null), so a whole list reads as one array. */
const rows = (text: string) => parseHotfixList(text).hotfixes.map((h) => `${h.kb} ${h.description} ${h.installedOn}`)
const NO_KB = 'No KB numbers were found in the text.'
const FLAT = 'The text lost its line breaks; hotfixes were read by their KB numbers.'

/** The 18 KBs of the pwnwiki `wmic qfe get hotfixid` listing, which the column-elided corpus capture holds too; no description or date. */
const WMIC_HOTFIXID_KBS = [
  'KB2849697 null null',
  'KB2849696 null null',
  'KB2841134 null null',
  'KB2670838 null null',
  'KB2830477 null null',
  'KB2592687 null null',
  'KB2819745 null null',
  'KB2479943 null null',
  'KB2491683 null null',
  'KB2506212 null null',
  'KB2506928 null null',
  'KB2509553 null null',
  'KB2511455 null null',
  'KB2532531 null null',
  'KB2533552 null null',
  'KB2533623 null null',
  'KB2534111 null null',
  'KB2545698 null null',
]
type Capture = [file: string, format: string, warnings: string[], hotfixes: string[]]
const captures: Capture[] = [
  [
    'hotfix/wmic-qfe-table-ru-server2012r2.txt',
    'wmic-table',
    [],
    [
      'KB2919355 Update 2014-03-18',
      'KB2919442 Update 2014-03-18',
      'KB2937220 Update 2014-03-18',
      'KB2938772 Update 2014-03-18',
      'KB2939471 Update 2014-03-18',
      'KB2949621 Hotfix 2014-03-18',
      'KB2999226 Update 2020-04-17',
    ],
  ],
  [
    'corpus/hotfix-list/en-wmic-qfe-2012r2-hfs.txt',
    'wmic-table',
    [],
    [
      'KB2894856 Security Update 2014-10-15',
      'KB2896496 Update 2014-06-20',
      'KB2919355 Update 2014-03-18',
      'KB2919442 Update 2014-03-18',
      'KB2934520 Update 2015-01-13',
      'KB2938066 Update 2014-07-10',
      'KB2938772 Update 2014-03-18',
      'KB2949621 Hotfix 2014-03-18',
      'KB2954879 Update 2014-05-17',
      'KB2955164 Update 2014-05-17',
      'KB2959626 Hotfix 2014-07-10',
      'KB2965500 Update 2014-05-17',
      'KB2967917 Update 2014-07-10',
      'KB2969339 Update 2014-06-20',
      'KB2971203 Update 2014-07-10',
      'KB2973448 Update 2014-06-20',
      'KB2975061 Update 2014-07-10',
      'KB2975719 Update 2014-10-15',
      'KB2977765 Security Update 2014-10-15',
      'KB2978041 Security Update 2014-10-15',
      'KB2978126 Security Update 2014-11-18',
    ],
  ],
  [
    'corpus/hotfix-list/en-get-hotfix-ec2-2016-truncated-columns.txt',
    'get-hotfix-table',
    [],
    [
      'KB3176936 Update 2016-10-18',
      'KB3186568 Update 2017-06-15',
      'KB3192137 Update 2016-09-12',
      'KB3199209 Update 2016-10-18',
      'KB3199986 Update 2016-11-15',
      'KB4013418 Update 2017-03-16',
      'KB4023834 Update 2017-06-15',
    ],
  ],
  [
    'corpus/hotfix-list/es-quickfixengineering-day-first-dates-a.txt',
    'get-hotfix-table',
    [],
    [
      'KB4534132 Update 2020-02-08',
      'KB4515383 Security Update 2019-09-27',
      'KB4516115 Security Update 2019-09-29',
      'KB4521863 Security Update 2019-10-13',
      'KB4524244 Security Update 2020-02-14',
      'KB4524569 Security Update 2019-11-15',
      'KB4528759 Security Update 2020-02-04',
    ],
  ],
  [
    'corpus/hotfix-list/es-quickfixengineering-day-first-dates-b.txt',
    'get-hotfix-table',
    [],
    [
      'KB4534131 Update 2020-02-22',
      'KB4465065 Update 2019-06-21',
      'KB4470788 Security Update 2019-03-30',
      'KB4480056 Update 2019-03-30',
      'KB4486153 Update 2019-08-25',
      'KB4486161 Update 2019-10-01',
      'KB4493510 Security Update 2019-04-10',
    ],
  ],
  [
    'corpus/hotfix-list/en-get-hotfix-k8s-node-2018.txt',
    'get-hotfix-table',
    [],
    ['KB4087256 Update 2018-03-22', 'KB4089848 Update 2018-04-04'],
  ],
  [
    'corpus/hotfix-list/en-get-hotfix-2014-truncated-hotfixid.txt',
    'get-hotfix-table',
    [],
    [
      'KB2899189 Update 2014-05-14',
      'KB2919355 Update 2014-03-18',
      'KB2919442 Update 2014-03-18',
      'KB2920189 Security Update 2014-05-14',
      'KB2926765 Security Update 2014-05-15',
      'KB2931366 Security Update 2014-05-14',
    ],
  ],
  [
    'hotfix/wmic-qfe-list-brief-wufuc92.txt',
    'wmic-list',
    [],
    [
      'KB2972100 null 2017-04-11',
      'KB2972211 null 2017-04-11',
      'KB2972280 null 2017-04-11',
      'KB2973112 null 2017-04-11',
      'KB2973201 null 2017-04-11',
      'KB2973351 null 2017-07-03',
      'KB2977292 null 2017-04-11',
      'KB2978120 null 2017-04-11',
      'KB2978742 null 2017-04-11',
      'KB2979570 null 2017-04-11',
      'KB2984972 null 2017-04-11',
      'KB2984976 null 2017-04-11',
      'KB2985461 null 2017-04-11',
      'KB2991963 null 2017-04-11',
      'KB2992611 null 2017-04-11',
      'KB2999226 null 2017-06-30',
      'KB3000483 null 2017-07-03',
      'KB3003743 null 2017-04-11',
      'KB3004361 null 2017-07-03',
      'KB3004375 null 2017-04-11',
      'KB3005607 null 2017-04-11',
      'KB3006121 null 2017-04-11',
      'KB3006137 null 2017-04-11',
      'KB3006625 null 2017-04-11',
      'KB3010788 null 2017-04-11',
      'KB3011780 null 2017-04-11',
      'KB3013531 null 2017-04-11',
      'KB3014406 null 2017-04-11',
      'KB3019215 null 2017-04-11',
      'KB3019978 null 2017-04-11',
      'KB3020338 null 2017-04-11',
      'KB3020369 null 2017-04-11',
    ],
  ],
  [
    'hotfix/wmic-qfe-list-brief-wufuc107.txt',
    'wmic-list',
    [],
    [
      'KB2849697 null 2017-01-22',
      'KB2849696 null 2017-01-22',
      'KB2841134 null 2017-01-22',
      'KB2670838 null 2017-01-22',
      'KB971033 null 2017-01-22',
      'KB2506143 null 2017-03-03',
      'KB2479943 null 2017-01-22',
      'KB2491683 null 2017-01-22',
      'KB2506014 null 2017-01-22',
      'KB2506212 null 2017-01-22',
      'KB2509553 null 2017-01-22',
      'KB2532531 null 2017-01-22',
      'KB2533552 null 2017-01-22',
      'KB2533623 null 2017-01-22',
      'KB2534111 null 2017-01-22',
      'KB2552343 null 2017-01-22',
      'KB2560656 null 2017-01-22',
      'KB2564958 null 2017-01-22',
      'KB2579686 null 2017-01-22',
      'KB2585542 null 2017-01-22',
      'KB2604115 null 2017-01-22',
      'KB2620704 null 2017-01-22',
      'KB2621440 null 2017-01-22',
      'KB2631813 null 2017-01-22',
      'KB2653956 null 2017-01-22',
      'KB2654428 null 2017-01-22',
      'KB2656356 null 2017-01-22',
      'KB2667402 null 2017-01-22',
      'KB2676562 null 2017-01-22',
      'KB2685811 null 2017-01-22',
      'KB2685939 null 2017-01-22',
    ],
  ],
  [
    'hotfix/wmic-qfe-list-midrecord-wufuc82.txt',
    'wmic-list',
    [],
    [
      'KB3019978 null 2015-01-15',
      'KB3020369 null 2015-06-02',
      'KB3021674 null 2015-01-15',
      'KB3021952 null 2015-02-17',
      'KB3022777 null 2015-01-15',
      'KB3023215 null 2015-06-05',
      'KB3023266 null 2015-01-15',
      'KB3023562 null 2015-02-17',
      'KB3023607 null 2015-02-17',
      'KB3025390 null 2014-12-18',
      'KB3029944 null 2015-02-17',
      'KB3030377 null 2015-05-03',
      'KB3031432 null 2015-02-17',
      'KB3032323 null 2015-05-03',
      'KB3032655 null 2015-06-02',
      'KB3033889 null 2015-05-03',
      'KB3033890 null 2015-07-21',
      'KB3033929 null 2015-05-03',
      'KB3034196 null 2015-02-17',
      'KB3034344 null 2015-05-03',
      'KB3035126 null 2015-04-29',
      'KB3035132 null 2015-05-03',
      'KB3037574 null 2015-05-03',
      'KB3038314 null 2015-05-03',
      'KB3039066 null 2015-05-03',
      'KB3042058 null 2016-03-07',
      'KB3042553 null 2015-05-03',
      'KB3045171 null 2015-06-05',
      'KB3045685 null 2015-05-03',
      'KB3045999 null 2015-05-03',
      'KB3046002 null 2015-06-02',
      'KB3046017 null 2015-09-10',
    ],
  ],
  ['hotfix/wmic-qfe-get-hotfixid-pwnwiki.txt', 'kb-list', [], WMIC_HOTFIXID_KBS],
  ['corpus/hotfix-list/en-wmic-qfe-get-hotfixid-column-elided.txt', 'kb-list', [], WMIC_HOTFIXID_KBS],
  ['hotfix/get-hotfix-truncated-nuclei.txt', 'get-hotfix-table', ['No KB numbers were found in the text.'], []],
  ['systeminfo/zh-cn-win10-1809.txt', 'systeminfo', [], ['KB4464455 null null']],
]

describe('parseHotfixList on the real captures: every hotfix', () => {
  it('reads each capture to its format, warnings and whole hotfix list', () => {
    let ran = 0
    for (const [file, format, warnings, hotfixes] of captures) {
      const r = parseHotfixList(loadFixture(file).text)
      expect({ file, format: r.format, warnings: r.warnings, hotfixes: rows(loadFixture(file).text) }).toEqual({
        file,
        format,
        warnings,
        hotfixes,
      })
      ran++
    }
    expect(ran).toBe(14)
  })

  it("takes the table's header, not wmic's echo of the command that names the same columns (bug: every Description was lost)", () => {
    const text = loadFixture('corpus/hotfix-list/en-wmic-qfe-2012r2-hfs.txt').text
    expect(text.split('\n')[1]).toBe('wmic qfe get Caption,Description,HotfixID,InstalledOn')
    expect(parseHotfixList(text).hotfixes[0]).toEqual({
      kb: 'KB2894856',
      description: 'Security Update',
      installedOn: '2014-10-15',
    })
  })

  it('a Get-HotFix table pasted twice reads each hotfix once', () => {
    const text = loadFixture('corpus/hotfix-list/en-get-hotfix-k8s-node-2018.txt').text
    expect(rows(text + text)).toEqual(['KB4087256 Update 2018-03-22', 'KB4089848 Update 2018-04-04'])
  })

  it('a systeminfo paste that lost its line breaks: still the systeminfo section, and no flattened-list warning', () => {
    const r = parseHotfixList(loseNewlines(loadFixture('systeminfo/zh-cn-win10-1809.txt').text))
    expect(r).toEqual({
      hotfixes: [{ kb: 'KB4464455', description: null, installedOn: null }],
      format: 'systeminfo',
      warnings: [],
    })
  })

  it('a wmic list that lost its line breaks: read by KB numbers, with a warning; the next label `HotFixID=` is no description (bug: it read as "HotFix")', () => {
    const r = parseHotfixList(loseNewlines(loadFixture('hotfix/wmic-qfe-list-brief-wufuc107.txt').text))
    expect(r.format).toBe('kb-list')
    expect(r.warnings).toEqual([FLAT])
    expect(r.hotfixes.slice(0, 2)).toEqual([
      { kb: 'KB2849697', description: null, installedOn: '2017-01-22' },
      { kb: 'KB2849696', description: null, installedOn: '2017-01-22' },
    ])
  })
})

describe('HOTFIX_SCRIPT', () => {
  it('is Get-HotFix as compressed JSON, InstalledOn as yyyy-MM-dd', () => {
    expect(HOTFIX_SCRIPT).toBe(
      [
        '$rows = @(Get-HotFix | Select-Object HotFixID, Description,',
        "  @{n='InstalledOn';e={if ($_.InstalledOn) { $_.InstalledOn.ToString('yyyy-MM-dd') }}})",
        'ConvertTo-Json -InputObject $rows -Compress',
      ].join('\n'),
    )
  })
})

describe('parseHotfixList: JSON (hand-made rows)', () => {
  it('reads rows with either HotFixID spelling, skips rows without a KB and non-objects, keeps descriptions only when text', () => {
    const text = JSON.stringify([
      null,
      'KB5040000',
      7,
      { HotFixID: 'File 1', Description: 'Update' },
      { HotFixID: 'KB5043080', Description: '', InstalledOn: null },
      { HotfixId: 'kb5044284', Description: 'Security Update', InstalledOn: '2024-10-08' },
      { HotFixID: 'KB5043937', Description: 5, InstalledOn: { value: '/Date(1727222400000)/' } },
    ])
    expect(parseHotfixList(`\n  ${text}\n`)).toEqual({
      hotfixes: [
        { kb: 'KB5043080', description: null, installedOn: null },
        { kb: 'KB5044284', description: 'Security Update', installedOn: '2024-10-08' },
        { kb: 'KB5043937', description: null, installedOn: '2024-09-25T00:00:00.000Z' },
      ],
      format: 'json',
      warnings: [],
    })
  })

  it('reads the time after a date only when it is a time, and drops it', () => {
    const cases: Array<[installedOn: string, want: string]> = [
      ['9/25/2024 4:11 AM', '2024-09-25'],
      ['9/25/2024 12:00 AM', '2024-09-25'],
      ['9/25/2024 12:00:00AM', '2024-09-25'],
      ['25.09.2024 13:45:00', '2024-09-25'],
      ['9/25/2024 12:00:00 AM UTC', '9/25/2024 12:00:00 AM UTC'],
    ]
    let ran = 0
    for (const [installedOn, want] of cases) {
      expect([
        installedOn,
        parseHotfixList(JSON.stringify([{ HotFixID: 'KB5043937', InstalledOn: installedOn }])).hotfixes[0].installedOn,
      ]).toEqual([installedOn, want])
      ran++
    }
    expect(ran).toBe(5)
  })

  it('JSON that is not a list of objects, or text that only starts like JSON, is read as text', () => {
    expect(parseHotfixList('"KB5043080"')).toEqual({
      hotfixes: [{ kb: 'KB5043080', description: null, installedOn: null }],
      format: 'kb-list',
      warnings: [],
    })
    expect(parseHotfixList('[01]: KB5043080\n[02]: KB5044284')).toEqual({
      hotfixes: [
        { kb: 'KB5043080', description: null, installedOn: null },
        { kb: 'KB5044284', description: null, installedOn: null },
      ],
      format: 'systeminfo',
      warnings: [],
    })
    expect(parseHotfixList('[]')).toEqual({ hotfixes: [], format: 'json', warnings: [NO_KB] })
  })
})

describe('parseHotfixList: text that is no list', () => {
  it('no text, or text without a KB number: format none and a warning', () => {
    let ran = 0
    for (const input of [
      null,
      undefined,
      42,
      '',
      'Get-HotFix : Cannot find the requested hotfix',
      'KB1234567890',
    ] as unknown[]) {
      expect(parseHotfixList(input as string)).toEqual({ hotfixes: [], format: 'none', warnings: [NO_KB] })
      ran++
    }
    expect(ran).toBe(6)
  })

  it('a plain list: every KB, with the description word and the date after it; nothing else is a date', () => {
    const text = [
      'KB5043080 Update 9/25/2024',
      'KB5044284 Security Update 2024-10-08T04:11:00',
      'KB5043937',
      'KB5043938 Hotfix 9/26/2024 a:00',
      'KB5043939 9/27/2024 12:ab',
      'KB5043940 9/28/2024 12:00:ab',
      '- HotFixID: KB5043941',
    ].join('\n')
    expect(parseHotfixList(text)).toEqual({
      hotfixes: [
        { kb: 'KB5043080', description: 'Update', installedOn: '2024-09-25' },
        { kb: 'KB5044284', description: 'Security Update', installedOn: '2024-10-08' },
        { kb: 'KB5043937', description: null, installedOn: null },
        { kb: 'KB5043938', description: 'Hotfix', installedOn: '2024-09-26' },
        { kb: 'KB5043939', description: null, installedOn: '2024-09-27' },
        { kb: 'KB5043940', description: null, installedOn: '2024-09-28' },
        { kb: 'KB5043941', description: null, installedOn: null },
      ],
      format: 'kb-list',
      warnings: [],
    })
  })

  it('systeminfo lines with and without blanks around the colon', () => {
    let ran = 0
    for (const line of ['[01]: KB5043080', '[01] : KB5043080', '[01]:KB5043080', '  [01]:   KB5043080']) {
      expect([line, parseHotfixList(`Hotfix(s): 1 Hotfix(s) Installed.\n${line}`)]).toEqual([
        line,
        { hotfixes: [{ kb: 'KB5043080', description: null, installedOn: null }], format: 'systeminfo', warnings: [] },
      ])
      ran++
    }
    expect(ran).toBe(4)
  })
})

describe('parseHotfixList: records (wmic list, Format-List; hand-made)', () => {
  it("a Format-List record in the probe's order (HotFixID, Description, InstalledOn) is one record", () => {
    const text = [
      '',
      'HotFixID    : KB5043080',
      'Description : Update',
      'InstalledOn : 9/25/2024 12:00:00 AM',
      '',
      'HotFixID    : KB5044284',
      'Description :  Security Update',
      'InstalledOn : 10/8/2024 12:00:00 AM',
      '',
    ].join('\n')
    expect(parseHotfixList(text)).toEqual({
      hotfixes: [
        { kb: 'KB5043080', description: 'Update', installedOn: '2024-09-25' },
        { kb: 'KB5044284', description: 'Security Update', installedOn: '2024-10-08' },
      ],
      format: 'get-hotfix-list',
      warnings: [],
    })
  })

  it('an indented Format-List (a code block in a post) and an indented wmic list keep their formats', () => {
    const fl = [
      '    Source      : DESKTOP-AB',
      '    Description : Update',
      '    HotFixID    : KB5043080',
      '    InstalledBy : NT AUTHORITY\\SYSTEM',
      '    InstalledOn : 9/25/2024 12:00:00 AM',
    ].join('\n')
    expect(parseHotfixList(fl)).toEqual({
      hotfixes: [{ kb: 'KB5043080', description: 'Update', installedOn: '2024-09-25' }],
      format: 'get-hotfix-list',
      warnings: [],
    })
    const wmic = ['  Description=Update', '', '  HotFixID=KB5043080', '', '  InstalledOn=9/25/2024', ''].join('\n')
    expect(parseHotfixList(wmic)).toEqual({
      hotfixes: [{ kb: 'KB5043080', description: 'Update', installedOn: '2024-09-25' }],
      format: 'wmic-list',
      warnings: [],
    })
    expect(parseHotfixList('HotFixID = KB5043080').format).toBe('wmic-list')
  })

  it('a wmic InstalledOn that is not a date (the hex FILETIME some machines return) is kept as written', () => {
    const text = [
      'HotFixID=KB2849697',
      '',
      'InstalledOn=01cd8ba4f6ff0a55',
      '',
      'HotFixID=KB2849696',
      '',
      'InstalledOn=',
      '',
    ].join('\n')
    expect(parseHotfixList(text).hotfixes).toEqual([
      { kb: 'KB2849697', description: null, installedOn: '01cd8ba4f6ff0a55' },
      { kb: 'KB2849696', description: null, installedOn: null },
    ])
  })
})

describe('parseHotfixList: tables (hand-made, in the layouts of the captures)', () => {
  const GH = [
    'Source        Description      HotFixID      InstalledBy          InstalledOn',
    '------        -----------      --------      -----------          -----------',
  ]

  it('a prompt that names KBs above the table is not a row; a blank date stays null, a host address is no date', () => {
    const text = [
      'PS C:\\> Get-HotFix -Id KB5043080,KB5044284 -ComputerName 10.0.0.5',
      '',
      ...GH,
      '10.0.0.5      Update           KB5043080     NT AUTHORITY\\SYSTEM  9/25/2024 12:00:00 AM',
      '10.0.0.5      Security Update  KB5044284',
      '10.0.0.5                       KB5044285     NT AUTHORITY\\SYSTEM  10/9/2024 12:00:00 AM',
      '',
    ].join('\n')
    expect(parseHotfixList(text)).toEqual({
      hotfixes: [
        { kb: 'KB5043080', description: 'Update', installedOn: '2024-09-25' },
        { kb: 'KB5044284', description: 'Security Update', installedOn: null },
        { kb: 'KB5044285', description: null, installedOn: '2024-10-09' },
      ],
      format: 'get-hotfix-table',
      warnings: [],
    })
  })

  it('the same KB with two dates is two rows; the same KB and date twice is one', () => {
    const text = [
      ...GH,
      'DESKTOP-AB    Update           KB5043080     NT AUTHORITY\\SYSTEM  9/25/2024 12:00:00 AM',
      'DESKTOP-AB    Update           KB5043080     NT AUTHORITY\\SYSTEM  9/26/2024 12:00:00 AM',
      'DESKTOP-AB    Update           KB5043080     NT AUTHORITY\\SYSTEM  9/26/2024 12:00:00 AM',
    ].join('\n')
    expect(rows(text)).toEqual(['KB5043080 Update 2024-09-25', 'KB5043080 Update 2024-09-26'])
  })

  it('ambiguous dates: kept as written, and the warning names the count and the first one', () => {
    const text = [
      ...GH,
      'DESKTOP-AB    Update           KB5043080     NT AUTHORITY\\SYSTEM  9/10/2024 12:00:00 AM',
      'DESKTOP-AB    Update           KB5044284     NT AUTHORITY\\SYSTEM  10/8/2024 12:00:00 AM',
    ].join('\n')
    expect(parseHotfixList(text)).toEqual({
      hotfixes: [
        { kb: 'KB5043080', description: 'Update', installedOn: '9/10/2024' },
        { kb: 'KB5044284', description: 'Update', installedOn: '10/8/2024' },
      ],
      format: 'get-hotfix-table',
      warnings: [
        "2 date(s) such as '9/10/2024' could be day/month or month/day and nothing else in the text tells which; they are kept as written.",
      ],
    })
  })

  it("a tool's prefix before the header: the columns come from the dashes line (the names under them are cut, so no description), not the header words", () => {
    // The nuclei capture's header and dashes, with a whole row (the capture is cut inside its first KB).
    const [header, dashes] = loadFixture('hotfix/get-hotfix-truncated-nuclei.txt').text.split('\n')
    const text = [
      header,
      dashes,
      'MEOW          Update           KB5044284     NT AUTHORITY\\SYSTEM  10/15/2024 12:00:00 AM',
    ].join('\n')
    expect(parseHotfixList(text)).toEqual({
      hotfixes: [{ kb: 'KB5044284', description: null, installedOn: '2024-10-15' }],
      format: 'get-hotfix-table',
      warnings: [],
    })
  })

  it('dashes wider than the column names (a hand-aligned table)', () => {
    const text = [
      'Description      HotFixID    InstalledOn',
      '---------------- ----------- -----------',
      'Security Update  KB5044284   10/15/2024',
    ].join('\n')
    expect(parseHotfixList(text)).toEqual({
      hotfixes: [{ kb: 'KB5044284', description: 'Security Update', installedOn: '2024-10-15' }],
      format: 'get-hotfix-table',
      warnings: [],
    })
  })

  it('wmic tables whose header starts with HotFixID or Caption (`wmic qfe get HotFixID,InstalledOn`, `… get Caption,HotFixID`)', () => {
    expect(parseHotfixList('HotFixID   InstalledOn\nKB2894856  10/15/2014\nKB2896496  6/20/2014')).toEqual({
      hotfixes: [
        { kb: 'KB2894856', description: null, installedOn: '2014-10-15' },
        { kb: 'KB2896496', description: null, installedOn: '2014-06-20' },
      ],
      format: 'wmic-table',
      warnings: [],
    })
    expect(
      parseHotfixList(
        'Caption                                     HotFixID\nhttp://support.microsoft.com/?kbid=2919355  KB2919355',
      ),
    ).toEqual({
      hotfixes: [{ kb: 'KB2919355', description: null, installedOn: null }],
      format: 'wmic-table',
      warnings: [],
    })
  })

  it('wmic tables: Description as the first column, an empty Caption, a hyphenated host, a KB in FixComments, an InstallDate, a hex InstalledOn', () => {
    const first = [
      'Description      HotFixID   InstalledOn',
      'Security Update  KB2894856  10/15/2014',
      '                 KB2896496  6/20/2014',
    ].join('\n')
    expect(rows(first)).toEqual(['KB2894856 Security Update 2014-10-15', 'KB2896496 null 2014-06-20'])
    const wide = [
      'Caption                                     CSName    Description  FixComments         HotFixID   InstallDate  InstalledBy  InstalledOn',
      '                                            WIN-DC01  Update                           KB2919355               SYSTEM       3/18/2014',
      'http://support.microsoft.com/?kbid=2919442  WIN-DC01  Update       Replaces KB2919355  KB2919442  3/1/2014     SYSTEM       3/18/2014',
      'http://support.microsoft.com/?kbid=2937220  WIN-DC01  Update                           KB2937220               SYSTEM       01cd8ba4f6ff0a55',
    ].join('\n')
    expect(parseHotfixList(wide)).toEqual({
      hotfixes: [
        { kb: 'KB2919355', description: 'Update', installedOn: '2014-03-18' },
        { kb: 'KB2919442', description: 'Update', installedOn: '2014-03-18' },
        { kb: 'KB2937220', description: 'Update', installedOn: null },
      ],
      format: 'wmic-table',
      warnings: [],
    })
  })
})
