/**
 * analyzeSetupLog / createSetupLogScanner / looksLikeSetupLog (main/parse/setup-log.ts: Panther setupact.log
 * and setuperr.log) on exact results (mutation testing). The real fixture whole; Microsoft's own
 * setuperr.log and setupact.log samples (windows-itpro-docs, windows/deployment/upgrade/log-files.md: the
 * page says it shortened each line's `2023-10-05 15:27:08` to `27:08`; here the full stamp is put back, as
 * the page describes it) and the SetupDiag sample's quoted setuperr line; then each rule on small edge inputs
 * derived from those lines (one field changed, a line removed, spacing, CRLF, truncation, caps). Edge inputs
 * are test inputs, not captures.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'

type M = typeof import('../../../main/parse/setup-log.ts')
let analyzeSetupLog: M['analyzeSetupLog']
let createSetupLogScanner: M['createSetupLogScanner']
let looksLikeSetupLog: M['looksLikeSetupLog']
// Loaded fresh for this file, so the module-level line pattern is the one under test.
beforeAll(async () => {
  vi.resetModules()
  ;({ analyzeSetupLog, createSetupLogScanner, looksLikeSetupLog } = await import('../../../main/parse/setup-log.ts'))
})

const err = (line: number, level: string, code: string | null, text: string, time: string | null = null) => ({
  code,
  name: null,
  line,
  text,
  level,
  time,
})

// windows-itpro-docs windows/deployment/upgrade/log-files.md, "setuperr.log content" (stamps restored, see above).
const D = '2023-10-05 15:'
const SETUPERR = [
  `${D}27:08, Error           SP     Error READ, 0x00000570 while gathering/applying object: File, C:\\ProgramData\\Microsoft\\Crypto\\RSA\\S-1-5-18 [CN]. Will return 0[gle=0x00000570]`,
  `${D}27:08, Error           MIG    Error 1392 while gathering object C:\\ProgramData\\Microsoft\\Crypto\\RSA\\S-1-5-18 [CN]. Shell application requested abort![gle=0x00000570]`,
  `${D}27:08, Error                  Gather failed. Last error: 0x00000000`,
  `${D}27:08, Error           SP     SPDoFrameworkGather: Gather operation failed. Error: 0x0000002C`,
  `${D}27:09, Error           SP     CMigrateFramework: Gather framework failed. Status: 44`,
  `${D}27:09, Error           SP     Operation failed: Migrate framework (Full). Error: 0x8007042B[gle=0x000000b7]`,
  `${D}27:09, Error           SP     Operation execution failed: 13. hr = 0x8007042B[gle=0x000000b7]`,
  `${D}27:09, Error           SP     CSetupPlatformPrivate::Execute: Execution of operations queue failed, abandoning. Error: 0x8007042B[gle=0x000000b7]`,
]
// The same page, "setupact.log content" (first lines; stamps restored).
const SETUPACT = [
  `${D}27:00, Info                   Gather started at 10/5/2023 23:27:00`,
  `${D}27:00, Info [0x080489] MIG    Setting system object filter context (System)`,
  `${D}27:00, Info [0x0803e5] MIG    Not unmapping HKCU\\Software\\Classes; it is not mapped`,
  `${D}27:00, Info            SP     ExecuteProgress: Elapsed events:1 of 4, Percent: 12`,
  SETUPERR[0]!,
  SETUPERR[1]!,
  `${D}27:08, Info                   Gather ended at 10/5/2023 23:27:08 with result 44`,
]
// The SetupDiag documentation's XML sample quotes this setuperr.log line (test/fixtures/setupdiag/findspfatalerror-results.xml).
const GLE_ONLY =
  '2019-06-06 21:47:11, Error                 SP     Error converting install time 5/2/2019 to structure[gle=0x00000057]'

describe('setup-log: real samples whole', () => {
  it('the WimMount fixture (no date stamps): a Warning with Failed is a warning, the Error is the first error, the primary code not the gle one', () => {
    const a = analyzeSetupLog(loadFixture('setup-log/setupact-wimmount.log').text)
    const w1 = err(1, 'Warning', '0x80070002', 'Warning SP Failed to get WimMount ImagePath, 0x80070002')
    const e2 = err(
      2,
      'Error',
      '0xC1420121',
      'Error SP CMountWIM::DoExecute: Failed to mount WIM file C:\\$WINDOWS.~BT\\Sources\\SafeOS\\winre.wim. Error 0xC1420121[gle=0xc1420121]',
    )
    expect(a).toEqual({ errors: [e2], firstError: e2, warnings: [w1], resultPairs: [], abort: null })
  })

  it("Microsoft's setuperr.log sample: eight errors, each line's own code, the abort marker", () => {
    const a = analyzeSetupLog(SETUPERR.join('\r\n'))
    const codes = ['0x00000570', null, '0x00000000', '0x0000002C', null, '0x8007042B', '0x8007042B', '0x8007042B']
    const times = ['27:08', '27:08', '27:08', '27:08', '27:09', '27:09', '27:09', '27:09']
    expect(a.errors).toEqual(SETUPERR.map((t, i) => err(i + 1, 'Error', codes[i]!, t, `${D + times[i]}`)))
    expect(a.errors.map((e) => e.time)).toEqual(times.map((t) => `2023-10-05 15:${t}`))
    expect(a.firstError).toBe(a.errors[0])
    expect(a.abort).toEqual({ line: 2, text: SETUPERR[1] })
    expect(a.resultPairs).toEqual([])
  })

  it("Microsoft's setupact.log sample: Info lines are not errors; line numbers count every line", () => {
    const a = analyzeSetupLog(SETUPACT.join('\n'))
    expect(a.errors).toEqual([
      err(5, 'Error', '0x00000570', SETUPERR[0]!, '2023-10-05 15:27:08'),
      err(6, 'Error', null, SETUPERR[1]!, '2023-10-05 15:27:08'),
    ])
    expect(a.firstError).toEqual(a.errors[0])
    expect(a.abort).toEqual({ line: 6, text: SETUPERR[1] })
  })

  it('the page as printed (stamps shortened to mm:ss) is not read as levelled lines, but its abort marker is still found', () => {
    const shortened = SETUPERR.map((l) => l.slice(D.length))
    const a = analyzeSetupLog(shortened.join('\n'))
    expect(a).toEqual({ errors: [], firstError: null, resultPairs: [], abort: { line: 2, text: shortened[1] } })
  })

  it("SetupDiag's quoted line: the only code is the gle suffix, so the error has no code", () => {
    const a = analyzeSetupLog(GLE_ONLY)
    const e = err(1, 'Error', null, GLE_ONLY, '2019-06-06 21:47:11')
    expect(a).toEqual({ errors: [e], firstError: e, resultPairs: [], abort: null })
  })
})

describe('setup-log: the line pattern', () => {
  const line = (t: string) => analyzeSetupLog(t).errors
  it('date stamp forms, levels, ids, components and spacing', () => {
    let ran = 0
    const cases: [input: string, level: string | null, time: string | null, code: string | null][] = [
      [
        '2020-06-13 20:01:00, Error                 MOUPG  CDlpTask::Cancel(984): Result = 0xC1800108',
        'Error',
        '2020-06-13 20:01:00',
        '0xC1800108',
      ],
      [
        '2020-06-13 20:01:00,Error MOUPG CDlpTask::Cancel(984): Result = 0xC1800108',
        'Error',
        '2020-06-13 20:01:00',
        '0xC1800108',
      ],
      [
        '2020-06-13 20:01:00, Fatal Error MOUPG CDlpTask::Cancel(984): Result = 0xC1800108',
        'Fatal Error',
        '2020-06-13 20:01:00',
        '0xC1800108',
      ],
      ['2020-06-13 20:01:00, Warning               MOUPG  CDlpTask::Cancel(984): Failed 0xC1800108', null, null, null],
      [
        '2020-06-13 20:01:00, Warning               MOUPG  CDlpTask::Cancel(984): Result = 0xC1800108',
        null,
        null,
        null,
      ],
      ['2020-06-13 20:01:00, Info                  MOUPG  CDlpTask::Cancel(984): Failed 0xC1800108', null, null, null],
      ['Error X Failed: 0x80070005', 'Error', null, '0x80070005'],
      ['Error [0x0803e5] MIG Failed: 0x80070005', 'Error', null, '0x80070005'],
      ['Error [0x0803e5]  result 0x5 Failed', 'Error', null, null],
      ['Error [] result 0x5', 'Error', null, null],
      ['   2020-06-13 20:01:00, Error MOUPG Failed: hr 0x5   ', 'Error', '2020-06-13 20:01:00', '0x00000005'],
      ['20-06-13 20:01:00, Error MOUPG Failed: 0x5', null, null, null],
      ['2020-6-13 20:01:00, Error MOUPG Failed: 0x5', null, null, null],
      ['2020-06-3 20:01:00, Error MOUPG Failed: 0x5', null, null, null],
      ['2020-06-13 2:01:00, Error MOUPG Failed: 0x5', null, null, null],
      ['2020-06-13 20:1:00, Error MOUPG Failed: 0x5', null, null, null],
      ['2020-06-13 20:01:0, Error MOUPG Failed: 0x5', null, null, null],
      ['12: 2020-06-13 20:01:00, Error MOUPG Failed: 0x5', null, null, null],
      ['Error MOUPG Failed: 0x5\u2028more', null, null, null],
      ['Error MOUPG', null, null, null],
      ['ErrorMOUPG Failed: 0x5', null, null, null],
    ]
    for (const [input, level, time, code] of cases) {
      ran++
      const got = line(input)
      if (level === null) expect(got, input).toEqual([])
      else expect(got, input).toEqual([err(1, level, code, input.trim(), time)])
    }
    expect(ran).toBe(21)
  })

  it('a line longer than 4000 characters is cut at 4000 before it is read', () => {
    const long = `Error SP Failed: 0x80070005 ${'x'.repeat(5000)}`
    expect(line(long)).toEqual([err(1, 'Error', '0x80070005', long.slice(0, 4000))])
  })

  it('line numbers: LF, CRLF and lone CR all count, blank lines too', () => {
    const t = 'Info SP a\r\n\rError SP Failed: 0x5\n\nError SP Failed: 0x6'
    expect(analyzeSetupLog(t).errors.map((e) => e.line)).toEqual([3, 5])
  })
})

describe('setup-log: the code of an error line', () => {
  it('keyword codes (any length), comma codes, then any 8-digit code; gle suffixes removed first', () => {
    let ran = 0
    const cases: [msg: string, code: string | null][] = [
      ['Failed with Error: 0x57', '0x00000057'],
      ['Failed with error 0x57', '0x00000057'],
      ['Failed: hr = 0x57', '0x00000057'],
      ['Failed: hr=0x57', '0x00000057'],
      ['Failed: HRESULT 0x57', '0x00000057'],
      ['Failed: result:0x57', '0x00000057'],
      ['Failed: Result = 0x57', null],
      ['Failed: error ? 0x57', null],
      ['Failed: error 0x5 after 0x80070002', '0x00000005'],
      ['Failed to open 0x00000001 image, 0x80070002', '0x80070002'],
      ['Failed to open 0x00000001 image,0x80070002', '0x80070002'],
      ['Failed to open 0x00000001 image,  0x80070002', '0x80070002'],
      ['Failed to open 0x00000001 image, 0x8007000', '0x00000001'],
      ['Failed to open image, 0x8007000', null],
      ['Failed: callback returned 0x800704D3', '0x800704D3'],
      ['Failed: callback returned 0x800704D31', null],
      ['Failed [gle=0x00000570]', null],
      ['Failed: result[gle=0x00000001]0x5', '0x00000005'],
      ['Failed: 0x80070002[gle=0x00000570] then 0x80070005', '0x80070002'],
      ['Failed: [gle=0x0000057g] 0x80070002', '0x80070002'],
    ]
    for (const [msg, code] of cases) {
      ran++
      expect(analyzeSetupLog(`Error SP ${msg}`).errors[0]?.code, msg).toBe(code)
    }
    expect(ran).toBe(20)
  })

  it('a gle code is removed only as a whole [gle=0x…] token', () => {
    expect(analyzeSetupLog('Error SP Failed [gle=0x0000057G]').errors[0]!.code).toBeNull()
    expect(analyzeSetupLog('Error SP Failed [gle=0xZZ] 0x80070002').errors[0]!.code).toBe('0x80070002')
  })
})

describe('setup-log: result pairs, abort, first error, caps', () => {
  it('setup result pairs with and without spaces, upper-cased extend codes, from any line', () => {
    const a = analyzeSetupLog(
      [
        '2019-06-12 14:44:20, Error MOUPG Setup failed: 0xC1900101 - 0x4000D',
        'Info MOUPG SetupHost: 0xc1900208-0x4000c',
        'Info MOUPG SetupHost: 0xC1900101  -  0x20017',
        'Info MOUPG SetupHost: 0x80070002 - 0x4000D',
        '27:08, Info X 0xC1900101 - 0x2000D',
      ].join('\n'),
    )
    expect(a.resultPairs).toEqual([
      { code: '0xC1900101', extend: '0x4000D', line: 1 },
      { code: '0xC1900208', extend: '0x4000C', line: 2 },
      { code: '0xC1900101', extend: '0x20017', line: 3 },
      { code: '0xC1900101', extend: '0x2000D', line: 5 },
    ])
  })

  it('at most 50 result pairs, 200 errors', () => {
    const pairs = analyzeSetupLog(
      Array.from({ length: 52 }, (_, i) => `Info MOUPG 0xC1900101 - 0x${(i + 1).toString(16)}`).join('\n'),
    ).resultPairs
    expect(pairs).toHaveLength(50)
    expect(pairs[49]).toEqual({ code: '0xC1900101', extend: '0x32', line: 50 })
    const errs = analyzeSetupLog(
      Array.from({ length: 202 }, (_, i) => `Error SP Failed: hr 0x${i + 1}`).join('\n'),
    ).errors
    expect(errs).toHaveLength(200)
    expect(errs[199]!.line).toBe(200)
  })

  it("the first abort marker wins; both of Microsoft's phrases count; any line (even unlevelled) carries one", () => {
    expect(
      analyzeSetupLog(
        'Info SP Abandoning apply due to error for object oem47.inf\nError MIG x. Shell application requested abort!',
      ).abort,
    ).toEqual({ line: 1, text: 'Info SP Abandoning apply due to error for object oem47.inf' })
    expect(analyzeSetupLog('Info SP fine\n  junk Shell application requested abort  ').abort).toEqual({
      line: 2,
      text: 'junk Shell application requested abort',
    })
    expect(analyzeSetupLog('Info SP Abandoning apply\nInfo SP requested abort').abort).toBeNull()
  })

  it('first error: the first coded one, else the first one, else null', () => {
    expect(analyzeSetupLog('Error SP Failed\nError SP Failed: hr 0x5\nError SP Failed: hr 0x6').firstError).toEqual(
      err(2, 'Error', '0x00000005', 'Error SP Failed: hr 0x5'),
    )
    expect(analyzeSetupLog('Error SP Failed one\nError SP Failed two').firstError).toEqual(
      err(1, 'Error', null, 'Error SP Failed one'),
    )
    expect(analyzeSetupLog('Info SP fine').firstError).toBeNull()
    expect(analyzeSetupLog('').firstError).toBeNull()
    expect(analyzeSetupLog(undefined as unknown as string)).toEqual({
      errors: [],
      firstError: null,
      resultPairs: [],
      abort: null,
    })
  })

  it('the scanner gives the same result line by line', () => {
    const s = createSetupLogScanner()
    for (const [i, l] of SETUPACT.entries()) s.line(l, i + 1)
    expect(s.finish()).toEqual(analyzeSetupLog(SETUPACT.join('\n')))
  })
})

describe('looksLikeSetupLog', () => {
  it('0.8 for a Panther line of a known component, else 0', () => {
    let ran = 0
    const cases: [string, number][] = [
      [SETUPERR[0]!, 0.8],
      [SETUPACT[1]!, 0.8],
      ['2020-06-13 20:01:00, Error                 MOUPG  CDlpTask::Cancel(984): Result = 0xC1800108', 0.8],
      ['x\nWarning PANTHR y', 0.8],
      ['Info [0x090008]  PANTHR x', 0.8],
      ['Info [0x] PANTHR x', 0],
      ['Info [0xZZ] PANTHR x', 0],
      ['Info    CONX x', 0.8],
      ['InfoCONX x', 0],
      ['Info SPX x', 0],
      ['Info MOUPGx', 0],
      ['Info XYZ x', 0],
      ['', 0],
    ]
    for (const [t, v] of cases) {
      ran++
      expect(looksLikeSetupLog(t), t).toBe(v)
    }
    expect(ran).toBe(13)
  })
  it("0.96, above CBS.log's 0.95, when CBS lines are there but Setup's or Sysprep's are three or more and over twice as many", () => {
    const sysprep = [
      '2024-03-02 10:00:00, Info                  SYSPRP Beginning of a new sysprep run',
      '2024-03-02 10:00:01, Info                  CBS    Loaded Servicing Stack v10.0.19041.1 with Core',
      '2024-03-02 10:00:02, Error                 SYSPRP Failed to remove apps for the current user: 0x80073cf2.',
      '2024-03-02 10:00:03, Error      [0x0f00d8] SYSPRP WinMain:Hit failure while pre-validate sysprep generalize internal providers; hr = 0x80073cf2',
    ]
    expect(looksLikeSetupLog(sysprep.join('\n'))).toBe(0.96)
    // As many CBS lines as Setup's: the paste is CBS.log's as much as Setup's, and CBS.log keeps it.
    const mixed = [...sysprep, ...sysprep.slice(1, 2), sysprep[1]!.replace('CBS   ', 'CSI   ')]
    expect(looksLikeSetupLog(mixed.join('\n'))).toBe(0.8)
    expect(looksLikeSetupLog(sysprep.slice(0, 2).join('\n'))).toBe(0.8)
    // No CBS line to compete with: a reader that quotes Setup's lines (SetupDiag's output) keeps the text.
    expect(looksLikeSetupLog([sysprep[0], sysprep[2], sysprep[3], sysprep[2]].join('\n'))).toBe(0.8)
  })
})
