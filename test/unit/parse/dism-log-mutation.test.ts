/**
 * The DISM.log scanner line by line (mutation testing): counts, codes, first/last error and
 * command lines of the real captures in test/fixtures/dism-log and the openable-source ones of corpus/dism-log (values
 * read from the captures), then the code forms, levels, caps and the timeline on short hand-made lines in
 * DISM.log's documented layout (edge cases, not captures).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import type { DismLogAnalysis } from '../../../main/parse/dism-log.ts'

type M0 = typeof import('../../../main/parse/dism-log.ts')
let analyzeDismLogText: M0['analyzeDismLogText'], createDismLogScanner: M0['createDismLogScanner']
// A fresh module per test-file run (vi.resetModules): module-level tables and patterns are evaluated again, so
// Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ analyzeDismLogText, createDismLogScanner } = await import('../../../main/parse/dism-log.ts'))
})

type Row = [
  file: string,
  lines: number,
  errors: number,
  codes: Record<string, number>,
  first: [number, string | null, string, string | null] | null,
  last: [number, string | null] | null,
  commands: number[],
  timeline: number,
]
const rows: Row[] = [
  [
    'dism-log/0x80070002-analyze-store.log',
    4,
    3,
    { '0x80070002': 3 },
    [2, '0x80070002', 'Error', '2023-02-01 02:25:08'],
    [4, '0x80070002'],
    [],
    1,
  ],
  ['corpus/dism-log/en-22621-restorehealth-interrupted-then-scanhealth.log', 28, 0, {}, null, null, [28], 1],
  [
    'corpus/dism-log/en-22631-add-provisioned-appx-0x80070003.log',
    67,
    6,
    { '0x80070003': 3 },
    [59, '0x80070003', 'Error', '2026-01-02 04:27:54'],
    [61, '0x80070003'],
    [15],
    2,
  ],
  ['corpus/dism-log/en-22631-dismapi-session-dxgiadaptercache.log', 19, 0, {}, null, null, [], 0],
  [
    'corpus/dism-log/en-timestampless-netfx3-0x800f0906.log',
    5,
    4,
    { '0x800F0906': 4 },
    [1, '0x800F0906', 'Error', null],
    [5, '0x800F0906'],
    [],
    1,
  ],
  ['corpus/dism-log/en-win7-enable-feature-lpr-port-monitor-installed.log', 12, 0, {}, null, null, [], 0],
  ['corpus/dism-log/en-win7-help-session-healthy.log', 35, 0, {}, null, null, [5], 1],
  ['corpus/dism-log/en-win7-online-help-peprovider-warning.log', 29, 0, {}, null, null, [4], 1],
  ['corpus/dism-log/ru-1903-cleanmgr-dismapi-wimgapi-russian-lines.log', 23, 0, {}, null, null, [], 0],
  [
    'corpus/dism-log/ru-1903-cleanmgr-wimgapi-russian-then-setupcln-errors.log',
    56,
    1,
    {},
    [56, null, 'Error', '2020-05-11 22:15:21'],
    [56, null],
    [],
    0,
  ],
]

describe('analyzeDismLogText on every real capture', () => {
  it('reads the counts, codes, first and last error and the command lines of each', () => {
    let ran = 0
    for (const [file, lines, errors, codes, first, last, commands, timeline] of rows) {
      const a = analyzeDismLogText(loadFixture(file).text)
      expect([a.linesSeen, a.errorCount, a.errors.length, a.timeline.length], file).toEqual([
        lines,
        errors,
        errors,
        timeline,
      ])
      expect(a.codeCounts, file).toEqual(codes)
      expect(
        a.firstError && [a.firstError.line, a.firstError.code, a.firstError.level, a.firstError.time],
        file,
      ).toEqual(first)
      expect(a.lastError && [a.lastError.line, a.lastError.code], file).toEqual(last)
      expect(
        a.commands.map((c) => c.line),
        file,
      ).toEqual(commands)
      expect(a.notApplicable, file).toEqual([])
      ran++
    }
    expect(ran).toBe(10)
  })

  it('the first error goes on the timeline with its message, after the command line that started the run', () => {
    const a = analyzeDismLogText(loadFixture('corpus/dism-log/en-22631-add-provisioned-appx-0x80070003.log').text)
    expect(a.timeline[0]!.what).toMatch(/^DISM ran: /)
    expect(a.timeline[0]!.line).toBe(15)
    expect(a.timeline[1]).toMatchObject({
      line: 59,
      time: '2026-01-02 04:27:54',
      what: expect.stringMatching(/^First DISM error 0x80070003: /),
    })
    expect(a.timeline[1]!.what.length).toBeLessThanOrEqual('First DISM error 0x80070003: '.length + 140)
  })
})

describe('the DISM.log scanner on hand-made lines in its layout', () => {
  const scan = (lines: string[], max?: number): DismLogAnalysis => {
    const s = max === undefined ? createDismLogScanner() : createDismLogScanner(max)
    for (const [i, l] of lines.entries()) s.line(l, i + 1)
    return s.finish()
  }
  const L = (level: string, msg: string) => `2024-05-01 10:00:00, ${level.padEnd(21)} DISM   ${msg}`

  it('reads the code in each form DISM prints', () => {
    const cases: Array<[string, string | null]> = [
      ['DISM Provider Store: PID=1 Failed to load - CDISMProviderStore::Final_OnConnect(hr:0x80070002)', '0x80070002'],
      ['Failed HRESULT=0x800F0922 x', '0x800F0922'],
      ['Failed hr = 0x80070005', '0x80070005'],
      ['Failed hr=0x80070005', '0x80070005'],
      ['Error: 0x800f081f failed', '0x800F081F'],
      ['Error 0x800f0906 failed', '0x800F0906'],
      ['failed with code 0x80070002', null],
    ]
    let ran = 0
    for (const [msg, code] of cases) {
      const a = scan([L('Error', msg)])
      expect(a.errors[0]!.code, msg).toBe(code)
      ran++
    }
    expect(ran).toBe(7)
  })

  it('Error lines are errors; Info and untimed lines only with a failing code and "fail"; Warning lines never', () => {
    const a = scan([
      L('Info', 'Operation failed (hr:0x80070002)'),
      L('Info', 'Operation done (hr:0x80070002)'),
      L('Info', 'Operation failed (hr:0x00000001)'),
      L('Warning', 'PEProvider.dll not loaded, failed (hr:0x8007007e)'),
      L('Error', 'Something broke'),
      'Untimed line that FAILED (hr:0x800f0906)',
    ])
    expect(a.errors.map((e) => [e.line, e.code, e.level, e.time])).toEqual([
      [1, '0x80070002', 'Info', '2024-05-01 10:00:00'],
      [5, null, 'Error', '2024-05-01 10:00:00'],
      [6, '0x800F0906', 'Error', null],
    ])
    expect(a.codeCounts).toEqual({ '0x80070002': 1, '0x800F0906': 1 })
    expect(a.firstError!.line).toBe(1)
    expect(a.lastError!.line).toBe(6)
  })

  it('with only uncoded errors, the first of them is the first error', () => {
    const a = scan([L('Error', 'first'), L('Error', 'second')])
    expect(a.firstError!.line).toBe(1)
    expect(a.lastError!.line).toBe(2)
    expect(a.timeline).toEqual([])
  })

  it('keeps the first maxErrors errors and counts all', () => {
    const a = scan(
      [L('Error', 'a (hr:0x80070002)'), L('Error', 'b (hr:0x80070002)'), L('Error', 'c (hr:0x80070002)')],
      2,
    )
    expect([a.errorCount, a.errors.map((e) => e.line), a.codeCounts['0x80070002']]).toEqual([3, [1, 2], 3])
    expect(scan(Array.from({ length: 201 }, () => L('Error', 'x'))).errors).toHaveLength(200)
  })

  it('records command lines (the latest 20) and their timeline entries, cut at 140 characters', () => {
    const lines = Array.from({ length: 22 }, (_, i) =>
      L('Info', `DISM.EXE: Executing command line: dism.exe /Online /Cleanup-Image /Run${i}`),
    )
    const a = scan([...lines, L('Info', `Command Line: ${'y'.repeat(200)}`)])
    expect(a.commands).toHaveLength(20)
    expect(a.commands[0]).toEqual({ line: 4, text: 'dism.exe /Online /Cleanup-Image /Run3' })
    expect(a.commands[19]).toEqual({ line: 23, text: 'y'.repeat(200) })
    expect(a.timeline).toHaveLength(23)
    expect(a.timeline[22]!.what).toBe(`DISM ran: ${'y'.repeat(140)}`)
    const many = scan(Array.from({ length: 45 }, (_, i) => L('Info', `Command Line: run ${i}`)))
    expect(many.timeline).toHaveLength(40)
    expect(many.timeline[0]!.what).toBe('DISM ran: run 0')
    expect(many.timeline[1]!.what).toBe('DISM ran: run 6')
  })

  it('"not applicable" lines, with the package or file they name, at most 50', () => {
    const a = scan([
      L('Info', 'Package Package_for_KB5000001~31bf3856ad364e35~amd64~~1.0.0.0 is Not Applicable to this image'),
      L('Info', 'windows10.0-kb5000002-x64.msu is not applicable'),
      L('Info', 'The update is not applicable'),
    ])
    expect(a.notApplicable.map((n) => [n.line, n.package])).toEqual([
      [1, 'Package_for_KB5000001~31bf3856ad364e35~amd64~~1.0.0.0'],
      [2, 'windows10.0-kb5000002-x64.msu'],
      [3, null],
    ])
    expect(a.notApplicable[2]!.text).toBe(L('Info', 'The update is not applicable').trim())
    expect(scan(Array.from({ length: 55 }, () => 'x not applicable')).notApplicable).toHaveLength(50)
  })

  it('the first error’s timeline entry drops a leading "DISM " from the message', () => {
    expect(scan([L('Error', 'DISM   DISM Provider Store: failed (hr:0x80070002)')]).timeline[0]!.what).toBe(
      'First DISM error 0x80070002: DISM Provider Store: failed (hr:0x80070002)',
    )
  })

  it('a long line is read up to 4000 characters; linesSeen is the highest line number', () => {
    const s = createDismLogScanner()
    s.line(L('Error', `${'z'.repeat(5000)} (hr:0x80070002)`), 9)
    s.line('x', 2)
    const a = s.finish()
    expect(a.linesSeen).toBe(9)
    expect(a.errors[0]!.code).toBeNull()
    expect(a.errors[0]!.text).toHaveLength(4000)
  })
})
