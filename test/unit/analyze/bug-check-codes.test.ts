/**
 * A bug check (STOP) code is a fact of the story as written — `STOP: 0x0000000A`, `STOP0x0000000A`, "a blue screen
 * (0x7E)" — never read as a Win32 error or an HRESULT (0x8007000A, 0x8007007E), and a crash the text tells: the failure
 * words beside it still count; and its parameters are no codes at all. Lines written here, never a capture's own.
 */
import { describe, expect, it } from 'vitest'
import { extractTextFacts } from '../../../main/analyze/extract.ts'
import { causeOf } from './corpus-checks.ts'

const codesOf = (text: string) =>
  extractTextFacts(text).codes.map((c) => ({ code: c.code, fact: c.infoOnly, bugCheck: c.bugCheck ?? false }))

describe('a bug check code is a fact as written', () => {
  it.each([
    ['STOP: 0x0000000A (0x00000000, 0x00000002, 0x00000000, 0x804F1A2B)', '0x0000000A'],
    ['STOP0x0000000A,IRQL_NOT_LESS_OR_EQUAL', '0x0000000A'],
    ['After the update a bluescreen with 0x7E appeared on every boot.', '0x7E'],
    ['bug check 0x0000009F after the driver update', '0x0000009F'],
    ['BSOD 0x124 twice since the cumulative update', '0x124'],
    ['更新后开机蓝屏 0x0000007B', '0x0000007B'],
  ])('%s', (text, code) => {
    expect(codesOf(text)).toEqual([{ code, fact: true, bugCheck: true }])
  })

  it('a hex number with no bug check before it keeps its reading', () => {
    expect(codesOf('error 0x2 (ERROR_FILE_NOT_FOUND)')).toEqual([{ code: '0x80070002', fact: false, bugCheck: false }])
    expect(codesOf('the service did not stop 0x80070005')).toEqual([
      { code: '0x80070005', fact: false, bugCheck: false },
    ])
    expect(codesOf('screen resolution 0x10')).toEqual([])
  })
})

describe('the crash it names is a failure, read with the rest of the text', () => {
  it("a blue screen's failure words beside a bug check code still tell the failure", () => {
    expect(
      causeOf('The installation of KB5099991 causes a severe bluescreen issue (0x7E) on our laptops.').id,
    ).not.toBe('none')
  })
  it('a paragraph with a STOP code is a failure whose cause it does not name, not Win32 error 10', () => {
    const text =
      'After installing the monthly update the PC restarted and during the restart a blue screen appeared with STOP 0x0000000A IRQL_NOT_LESS_OR_EQUAL, then it rolled back; I tried twice more with the same result and now I do not know what to do next.'
    expect(causeOf(text).id).toBe('failure-cause-not-named')
  })
  it('a short text is still read as the code it holds', () => {
    expect(causeOf('80073712').id).toBe('component-store-corruption')
    expect(causeOf('I get 80073712 when installing KB5034441').id).toBe('component-store-corruption')
  })
})
