/**
 * normalizeErrorCode, one rule per case and the whole result compared (code, extend, raw, liftedFromWin32),
 * so a rule that is deleted or loosened changes at least one case (the property test noticed
 * "8-digit decimal is not hex" only by luck, and the liftedFromWin32 flag and number input were untested).
 * Each table asserts how many cases it ran.
 */
import { describe, expect, it } from 'vitest'
import {
  formatCode,
  hresultFromWin32,
  normalizeErrorCode,
  type CodeContext,
  type NormalizedCode,
} from '../../../main/knowledge/error-normalize.ts'

const hr = (code: string, raw: number): NormalizedCode => ({ code, extend: null, raw, liftedFromWin32: false })
const lifted = (code: string, raw: number): NormalizedCode => ({ code, extend: null, raw, liftedFromWin32: true })

const names: Record<string, string> = {
  CBS_E_INSTALLERS_FAILED: '0x800F0922',
  ERROR_FILE_NOT_FOUND: '0x80070002',
  CBS_E_PENDING: '0x800F0806',
}
const lookup = (n: string) => names[n] ?? null

type Case = [input: unknown, context: CodeContext, expected: NormalizedCode | null, why: string]
const cases: Case[] = [
  // plain hex
  ['0x800F0922', 'auto', hr('0x800F0922', 0x800f0922), '0x + 8 hex'],
  ['0x800f0922', 'auto', hr('0x800F0922', 0x800f0922), 'lower case is upper-cased'],
  ['  0x800f0922\n', 'auto', hr('0x800F0922', 0x800f0922), 'surrounding white space'],
  ['0X800F0922', 'auto', hr('0x800F0922', 0x800f0922), 'upper-case X'],
  // bare 8-digit hex vs decimal
  ['800f0922', 'auto', hr('0x800F0922', 0x800f0922), 'bare 8 hex with a letter'],
  ['80070643', 'auto', hr('0x80070643', 0x80070643), 'bare 8 digits starting with 8 are hex'],
  ['C1900101', 'auto', hr('0xC1900101', 0xc1900101), 'bare 8 hex starting with C'],
  ['c0000005', 'auto', hr('0xC0000005', 0xc0000005), 'lower-case c start'],
  ['12345678', 'hresult', hr('0x00BC614E', 12345678), '8 decimal digits without a letter or 8/C start are decimal'],
  ['20000000', 'hresult', hr('0x01312D00', 20000000), 'a leading 2 is decimal too'],
  ['00000014', 'hresult', hr('0x0000000E', 14), '8 digits starting with 0 are decimal'],
  // decimal, signed and unsigned
  ['-2146498270', 'auto', hr('0x800F0922', 0x800f0922), 'signed 32-bit decimal'],
  ['2148469026', 'auto', hr('0x800F0922', 0x800f0922), 'unsigned 32-bit decimal'],
  ['+740', 'auto', lifted('0x800702E4', 740), 'a plus sign'],
  ['4294967295', 'hresult', hr('0xFFFFFFFF', 0xffffffff), 'the largest unsigned value'],
  ['4294967296', 'hresult', null, 'one above 32 bits'],
  ['-2147483648', 'hresult', hr('0x80000000', 0x80000000), 'the smallest signed value'],
  ['-2147483649', 'hresult', null, 'one below 32 bits'],
  ['0', 'auto', hr('0x00000000', 0), 'zero is not lifted'],
  // Win32 lifting and its bounds
  ['740', 'auto', lifted('0x800702E4', 740), 'a small number is a Win32 error'],
  ['740', 'win32', lifted('0x800702E4', 740), 'win32 context lifts'],
  ['740', 'hresult', hr('0x000002E4', 740), 'hresult context does not lift'],
  ['0x3', 'auto', lifted('0x80070003', 3), 'short hex is Win32'],
  ['65535', 'auto', lifted('0x8007FFFF', 65535), '0xFFFF is still Win32'],
  ['65536', 'auto', hr('0x00010000', 65536), '0x10000 is not'],
  ['0x00000014', 'hresult', hr('0x00000014', 0x14), 'event-style code as an HRESULT'],
  ['Error: 14098', 'win32', lifted('0x80073712', 14098), 'DISM "Error: 14098"'],
  // setup pairs
  [
    '0xC1900208 - 0x4000C',
    'auto',
    { code: '0xC1900208', extend: '0x4000C', raw: 0xc1900208, liftedFromWin32: false },
    'setup pair',
  ],
  [
    'C1900101-0x0004000D',
    'auto',
    { code: '0xC1900101', extend: '0x4000D', raw: 0xc1900101, liftedFromWin32: false },
    'pair: leading zeros of the extend code dropped, no spaces',
  ],
  [
    '0xC1900101 - 0x0',
    'auto',
    { code: '0xC1900101', extend: '0x0', raw: 0xc1900101, liftedFromWin32: false },
    'pair: a zero extend code keeps one digit',
  ],
  // wrappers
  [
    '[HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]',
    'auto',
    hr('0x800F0922', 0x800f0922),
    'CBS wrapper with the name',
  ],
  ['hr:0x800f081f', 'auto', hr('0x800F081F', 0x800f081f), 'DISM hr:'],
  ['(hr=0x800f081f)', 'auto', hr('0x800F081F', 0x800f081f), 'DISM (hr=…)'],
  ['exit code: 0x80070005', 'auto', hr('0x80070005', 0x80070005), 'exit code:'],
  ['Status = 0x80070005', 'auto', hr('0x80070005', 0x80070005), 'status ='],
  ['errorlevel 5', 'auto', lifted('0x80070005', 5), 'errorlevel'],
  ['error code 5', 'auto', lifted('0x80070005', 5), 'error code'],
  ['code=0x80070005', 'auto', hr('0x80070005', 0x80070005), 'code='],
  // wrapped across lines
  ['0x80\n0f0922', 'auto', hr('0x800F0922', 0x800f0922), 'a code wrapped across lines'],
  ['0x800f 0922', 'auto', hr('0x800F0922', 0x800f0922), 'a code split by a space'],
  ['0x80 0f 09 22', 'auto', hr('0x800F0922', 0x800f0922), 'split in several places'],
  ['0x800f0 9220', 'auto', hr('0x000800F0', 0x800f0), 'too long when joined: the first code-like token is taken'],
  // symbolic names
  ['CBS_E_INSTALLERS_FAILED', 'auto', hr('0x800F0922', 0x800f0922), 'a symbolic name'],
  ['cbs_e_pending', 'auto', hr('0x800F0806', 0x800f0806), 'a symbolic name in lower case'],
  ['HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)', 'auto', hr('0x80070002', 0x80070002), 'HRESULT_FROM_WIN32(name)'],
  ['NOT_A_KNOWN_NAME', 'auto', null, 'an unknown name'],
  // longer text
  [
    'Installation failure: Windows failed to install the following update with error 0x800F0922.',
    'auto',
    hr('0x800F0922', 0x800f0922),
    'first 0x token in a sentence',
  ],
  ['Package failed 800f0922 at 12:00', 'auto', hr('0x800F0922', 0x800f0922), 'bare 8 hex in a sentence'],
  [
    'build 20260101 then 0x80070005',
    'auto',
    hr('0x80070005', 0x80070005),
    'an 8-digit decimal in a sentence is skipped',
  ],
  [
    'run 80070643 failed',
    'auto',
    hr('0x80070643', 0x80070643),
    'an 8-digit token starting with 8 in a sentence is hex',
  ],
  ['the update failed with CBS_E_PENDING today', 'auto', hr('0x800F0806', 0x800f0806), 'a name inside a sentence'],
  [
    '0x800f0922z is not a code, 0x80070005 is',
    'auto',
    hr('0x80070005', 0x80070005),
    'a hex token glued to a letter is not a code',
  ],
  // nothing
  ['', 'auto', null, 'empty'],
  ['   ', 'auto', null, 'blank'],
  ['hello world', 'auto', null, 'plain words'],
  [undefined, 'auto', null, 'undefined'],
  [null, 'auto', null, 'null'],
  [{}, 'auto', null, 'an object'],
  // numbers
  [740, 'auto', lifted('0x800702E4', 740), 'a number is read like its decimal text'],
  [0x800f0922, 'auto', hr('0x800F0922', 0x800f0922), 'a large number'],
  [-2146498270, 'auto', hr('0x800F0922', 0x800f0922), 'a negative number'],
  [1.5, 'auto', null, 'a fraction'],
  [2 ** 32, 'auto', null, 'beyond 32 bits'],
  [NaN, 'auto', null, 'NaN'],
]

describe('normalizeErrorCode: one rule per case, the whole result', () => {
  let ran = 0
  for (const [input, context, expected, why] of cases) {
    it(`${why}: ${JSON.stringify(input) ?? String(input)} (${context})`, () => {
      ran++
      expect(normalizeErrorCode(input, context, lookup)).toEqual(expected)
    })
  }
  it('ran every case', () => expect(ran).toBe(cases.length))
  it('has the cases it was written with', () => expect(cases.length).toBe(64))
})

describe('normalizeErrorCode: the name lookup is only used when given', () => {
  it('a symbolic name without a lookup is not a code', () => {
    expect(normalizeErrorCode('CBS_E_INSTALLERS_FAILED')).toBeNull()
  })
  it('a name in a sentence without a lookup is not a code', () => {
    expect(normalizeErrorCode('failed with CBS_E_PENDING')).toBeNull()
  })
  it('the name found is read as an HRESULT even when the caller asked for win32', () => {
    const small = (n: string) => (n === 'SMALL_CODE' ? '0x00000014' : null)
    expect(normalizeErrorCode('SMALL_CODE', 'win32', small)).toEqual(hr('0x00000014', 0x14))
    expect(normalizeErrorCode('it was SMALL_CODE', 'win32', small)).toEqual(hr('0x00000014', 0x14))
  })
  it('the lookup gets the name upper-cased, without the HRESULT_FROM_WIN32 wrapper', () => {
    const seen: string[] = []
    normalizeErrorCode('hresult_from_win32( error_file_not_found )', 'auto', (n) => {
      seen.push(n)
      return null
    })
    expect(seen[0]).toBe('ERROR_FILE_NOT_FOUND')
  })
  it("a token in a long text is read in the caller's context", () => {
    expect(normalizeErrorCode('failed: 0x5 then', 'hresult')).toEqual(hr('0x00000005', 5))
    expect(normalizeErrorCode('failed: 0x5 then', 'win32')).toEqual(lifted('0x80070005', 5))
  })
  it('only the first 10,000 characters are read', () => {
    expect(normalizeErrorCode(`${'x '.repeat(5000)}0x80070005`)).toBeNull()
    expect(normalizeErrorCode(`${'x '.repeat(4990)}0x80070005`)).toEqual(hr('0x80070005', 0x80070005))
  })
})

describe('normalizeErrorCode: each wrapper is stripped exactly (a small code has no fallback)', () => {
  // A Win32-size number is not found by the "first code-like token" fallback, so only the wrapper rule reads it.
  const cases: [string, NormalizedCode | null][] = [
    ['[HRESULT = 5]', lifted('0x80070005', 5)],
    ['[HRESULT=5]', lifted('0x80070005', 5)],
    ['[ HRESULT  =  5 ]', lifted('0x80070005', 5)],
    ['HRESULT = 5', lifted('0x80070005', 5)],
    ['hr:5', lifted('0x80070005', 5)],
    ['(hr=5)', lifted('0x80070005', 5)],
    ['( hr = 5 )', lifted('0x80070005', 5)],
    ['hr :  5', lifted('0x80070005', 5)],
    ['[HRESULT = 5])', lifted('0x80070005', 5)],
    ['740 - ERROR_ELEVATION_REQUIRED', lifted('0x800702E4', 740)],
    ['0x5 - ERROR_ACCESS_DENIED', lifted('0x80070005', 5)],
    ['5 -ABC_D', lifted('0x80070005', 5)],
    ['5- ABC_D', lifted('0x80070005', 5)],
    ['800f0922zz', null],
    ['740', lifted('0x800702E4', 740)],
  ]
  let ran = 0
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} (default context)`, () => {
      ran++
      expect(normalizeErrorCode(input)).toEqual(expected)
    })
  }
  it('ran every case', () => expect(ran).toBe(15))
})

describe('normalizeErrorCode: the fallbacks in longer text', () => {
  it('an 8-digit decimal containing an 8 is still decimal (only a leading 8 or C makes it hex)', () => {
    expect(normalizeErrorCode('build 12345678 then 0x80070005')).toEqual(hr('0x80070005', 0x80070005))
  })
  it('a name the lookup does not know is passed over for a later one', () => {
    expect(normalizeErrorCode('NOT_KNOWN then CBS_E_PENDING', 'auto', lookup)).toEqual(hr('0x800F0806', 0x800f0806))
  })
  it('a name after the first 10,000 characters is not read', () => {
    expect(normalizeErrorCode(`${'x '.repeat(5000)}CBS_E_PENDING`, 'auto', lookup)).toBeNull()
  })
  it('a symbolic form the lookup does not know still yields an 8-hex code inside it', () => {
    expect(normalizeErrorCode('HRESULT_FROM_WIN32(DEADBEEF)', 'auto', lookup)).toEqual(hr('0xDEADBEEF', 0xdeadbeef))
  })
  it('HRESULT_FROM_WIN32( name ) with spaces, in lower case, reaches the lookup', () => {
    expect(normalizeErrorCode('hresult_from_win32(  error_file_not_found )', 'auto', lookup)).toEqual(
      hr('0x80070002', 0x80070002),
    )
  })
})

describe('hresultFromWin32 and formatCode', () => {
  it('lifts a positive Win32 code into facility 7 with the failure bit', () => {
    expect(hresultFromWin32(5)).toBe(0x80070005)
    expect(hresultFromWin32(0x12345)).toBe(0x80072345)
  })
  it('leaves zero and negative values as they are (unsigned)', () => {
    expect(hresultFromWin32(0)).toBe(0)
    expect(hresultFromWin32(-2146498270)).toBe(0x800f0922)
  })
  it('formats as 0x and 8 upper-case hex digits, padding and wrapping negatives', () => {
    expect(formatCode(0x14)).toBe('0x00000014')
    expect(formatCode(0xabcdef12)).toBe('0xABCDEF12')
    expect(formatCode(-1)).toBe('0xFFFFFFFF')
  })
})
