/**
 * Code page lookup for decoding console tools' output.
 * Samples synthesised from the documented reg.exe output format (key line, then `    NAME    TYPE    DATA`,
 * https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/reg-query) and chcp's message.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseChcp, parseOemCodePageFromReg } from '../../../main/parse/code-page.ts'

const OEMCP =
  '\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage\r\n    OEMCP    REG_SZ    850\r\n\r\n'

describe('code page', () => {
  it('reads OEMCP from reg query', () => {
    expect(parseOemCodePageFromReg(OEMCP)).toBe(850)
    expect(
      parseOemCodePageFromReg('ERROR: The system was unable to find the specified registry key or value.\r\n'),
    ).toBeNull()
    expect(parseOemCodePageFromReg(OEMCP.replace('850', 'abc'))).toBeNull()
  })

  it('reads chcp in several languages', () => {
    expect(parseChcp('Active code page: 437\r\n')).toBe(437)
    expect(parseChcp('Aktive Codepage: 850.\r\n')).toBe(850)
    expect(parseChcp('Page de codes active : 850\r\n')).toBe(850)
    expect(parseChcp('no digits')).toBeNull()
    expect(parseChcp('Active code page: 99999999')).toBeNull()
  })

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string(), (t) => {
        parseChcp(t)
        parseOemCodePageFromReg(t)
      }),
      { numRuns: 2000 },
    )
  })
})
