/**
 * The fact extractor finds runs with a few native regular-expression scans instead of walking
 * every character. These cases sit on the edges of that scan: a candidate that reaches back over a space
 * into a run already read (`KB 5034441` after a package run, `Error code 5`), non-ASCII error words right
 * before a number, GUID parts, repeated runs (read once, counted each time), blank-line runs between
 * matches (line numbers) and a role looked up only where the line hints at it. The expected values are
 * what the character-by-character extractor gave on the same texts (checked before it was replaced).
 */
import { describe, it, expect } from 'vitest'
import { extractTextFacts, MAX_ITEMS } from '../../../main/analyze/extract.ts'
import { forEachMatchingLine } from '../../../main/parse/lines.ts'
import { analyzeText, LARGE_TEXT } from '../../../main/analyze/analyze.ts'

type Row = [string, string[][], string[][], (string | null)[][], number, number]
// text, codes [code, line, count], kbs [kb, line, count], builds [version, line, count, role], packages, lines
const rows: Row[] = [
  ['pkg~x KB 5034441 here', [], [['KB5034441', '1', '1']], [], 0, 1],
  [
    'Error code 5\nSystem error 1392.',
    [
      ['0x80070005', '1', '1'],
      ['0x80070570', '2', '1'],
    ],
    [],
    [],
    0,
    2,
  ],
  [
    'ошибка5 エラー：2 错误 3',
    [
      ['0x80070005', '1', '1'],
      ['0x80070002', '1', '1'],
      ['0x80070003', '1', '1'],
    ],
    [],
    [],
    0,
    1,
  ],
  ['{8e73986c-289e-4a1b} c0000005 x8e73986c', [['0xC0000005', '1', '1']], [], [], 0, 1],
  ['Foo_for_KB5034441~31bf3856ad364e35~amd64~~19041.3996.1.5, then KB5034441', [], [['KB5034441', '1', '2']], [], 1, 1],
  ['E_FAIL then CBS_E_INVALID_PACKAGE, S_OK', [['0x800F0805', '1', '1']], [], [], 0, 1],
  ['\n\n\n\nline5 0x800f0922\n\n\nline9 -2146498270 and 2148469026', [['0x800F0922', '5', '3']], [], [], 0, 8],
  ['Image Version: 10.0.22631.3880 and 10.0.22631.3880 again', [], [], [['10.0.22631.3880', '1', '2', 'image']], 0, 1],
]

describe('fact extractor scan edges', () => {
  it(`runs ${rows.length} cases`, () => {
    expect(rows.length).toBe(8)
  })
  it.each(rows.map((r, i) => ({ i, r })))('case $i', ({ r }) => {
    const [text, codes, kbs, builds, packages, lines] = r
    const x = extractTextFacts(text)
    expect(x.codes.map((c) => [c.code, String(c.line), String(c.count)])).toEqual(codes)
    expect(x.kbs.map((k) => [k.kb, String(k.line), String(k.count)])).toEqual(kbs)
    expect(x.builds.map((b) => [b.version, String(b.line), String(b.count), b.role])).toEqual(builds)
    expect(x.packages.length).toBe(packages)
    expect(x.lines).toBe(lines)
  })

  it('a repeated package run is read once and its KB counted each time, with the first line kept', () => {
    const line = 'Info CBS Plan: Package: Package_for_KB5043080~31bf3856ad364e35~amd64~~26100.1150.1.5, state'
    const x = extractTextFacts(Array.from({ length: 1000 }, () => line).join('\n\n'))
    expect(x.packages.map((p) => p.identity)).toEqual(['Package_for_KB5043080~31bf3856ad364e35~amd64~~26100.1150.1.5'])
    expect(x.kbs).toEqual([expect.objectContaining({ kb: 'KB5043080', line: 1, count: 1000 })])
    expect(x.lines).toBe(1999)
  })

  it('a code on a line after long blank runs gets its line number', () => {
    const x = extractTextFacts(`${'\n'.repeat(100_000)}Error: 0x800f0922\n${'\n'.repeat(5)}x 0x800f0922`)
    expect(x.codes[0]).toMatchObject({ code: '0x800F0922', line: 100_001, lastLine: 100_007, count: 2 })
  })

  it('forEachMatchingLine numbers lines across blank runs and CRLF', () => {
    const got: string[] = []
    forEachMatchingLine('a\n\n\nError 1\r\nb\n\n\n\nError 2\nError 3', /Error/, (l, n) => got.push(`${n}:${l}`))
    expect(got).toEqual(['4:Error 1', '9:Error 2', '10:Error 3'])
  })

  it('a large paste whose line breaks were lost: no false "no errors", its codes are findings', () => {
    const line =
      '2024-05-01 10:00:00, Info                  CBS    Exec: Processing complete, session(Corrective): 31012345_1234567890 [HRESULT = 0x00000000 - S_OK]'
    const parts: string[] = []
    for (let n = 0; n < LARGE_TEXT + 1000; n += line.length + 1) parts.push(line)
    parts.splice(
      parts.length >> 1,
      0,
      '2024-05-01 10:00:01, Error                 CBS    Failed to install [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]',
    )
    const r = analyzeText(parts.join(' '))
    expect(r.findings.map((f) => f.title)).toEqual([expect.stringMatching(/0x800F0922/)])
    expect(r.findings[0]!.severity).toBe('error')
    expect(r.warnings.join(' ')).toMatch(/looks like CBS\.log .* line breaks lost/)
    expect(r.warnings.join(' ')).not.toMatch(/No errors found/)
  })
})

describe('distinct items are bounded, not lost in a real machine list', () => {
  it(`a systeminfo-sized list of ${MAX_ITEMS} distinct KBs keeps every one; the next is counted as capped and the output says so`, () => {
    const kbs = Array.from({ length: MAX_ITEMS }, (_, i) => `KB${4000000 + i}`)
    const all = extractTextFacts(kbs.map((k, i) => `[${String(i + 1).padStart(2, '0')}]: ${k}`).join('\n'))
    expect(all.kbs).toHaveLength(MAX_ITEMS)
    expect(all.capped).toBe(false)
    const over = extractTextFacts([...kbs, 'KB5999999'].join('\n'))
    expect(over.kbs).toHaveLength(MAX_ITEMS)
    expect(over.capped).toBe(true)
    expect(analyzeText([...kbs, 'KB5999999'].join('\n')).warnings.join(' ')).toContain(
      `only the first ${MAX_ITEMS} of each are listed`,
    )
  })
})
