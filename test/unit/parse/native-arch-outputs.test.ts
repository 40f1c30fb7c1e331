/**
 * Parsers for the outputs native-arch and the code-page lookup read.
 * Samples synthesised from the documented reg.exe output format (key line, then `    NAME    TYPE    DATA`,
 * https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/reg-query) and chcp's message.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseRegQueryValue, regNumber } from '../../../main/parse/reg-query-value.ts'
import { parseChcp, parseOemCodePageFromReg } from '../../../main/parse/code-page.ts'
import { parseIsWow64Process2, parseWin32ProcessorArchitecture } from '../../../main/parse/is-wow64-process2.ts'

const OEMCP = '\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage\r\n    OEMCP    REG_SZ    850\r\n\r\n'

describe('parseRegQueryValue', () => {
  it('reads name, type and data; names with spaces; case-insensitive', () => {
    expect(parseRegQueryValue(OEMCP, 'oemcp')).toEqual({ name: 'OEMCP', type: 'REG_SZ', data: '850' })
    const t = 'HKEY_LOCAL_MACHINE\\X\r\n    Reboot Pending Key    REG_DWORD    0x1\r\n    Empty    REG_SZ    \r\n'
    expect(parseRegQueryValue(t, 'Reboot Pending Key')).toEqual({ name: 'Reboot Pending Key', type: 'REG_DWORD', data: '0x1' })
    expect(regNumber(parseRegQueryValue(t, 'Reboot Pending Key'))).toBe(1)
    expect(parseRegQueryValue(t, 'Empty')).toEqual({ name: 'Empty', type: 'REG_SZ', data: '' })
  })

  it('returns null for errors and garbage', () => {
    expect(parseRegQueryValue('ERROR: The system was unable to find the specified registry key or value.\r\n', 'OEMCP')).toBeNull()
    expect(parseRegQueryValue('', 'x')).toBeNull()
    expect(parseRegQueryValue(undefined as unknown as string, 'x')).toBeNull()
    expect(regNumber(null)).toBeNull()
    expect(regNumber({ name: 'a', type: 'REG_SZ', data: 'abc' })).toBeNull()
  })

  it('never throws on any text', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (t, n) => { parseRegQueryValue(t, n); parseChcp(t); parseIsWow64Process2(t); parseWin32ProcessorArchitecture(t) }), { numRuns: 2000 })
  })
})

describe('code page', () => {
  it('reads OEMCP from reg and chcp in several languages', () => {
    expect(parseOemCodePageFromReg(OEMCP)).toBe(850)
    expect(parseChcp('Active code page: 437\r\n')).toBe(437)
    expect(parseChcp('Aktive Codepage: 850.\r\n')).toBe(850)
    expect(parseChcp('Page de codes active : 850\r\n')).toBe(850)
    expect(parseChcp('no digits')).toBeNull()
    expect(parseChcp('Active code page: 99999999')).toBeNull()
  })
})

describe('IsWow64Process2 JSON and Win32_Processor', () => {
  it('reads the helper JSON, tolerating noise around it', () => {
    expect(parseIsWow64Process2('{"processMachine":0,"nativeMachine":43620}')).toEqual({ processMachine: 0, nativeMachine: 0xaa64 })
    expect(parseIsWow64Process2('\ufeff{"processMachine":332,"nativeMachine":34404}\r\n')).toEqual({ processMachine: 0x14c, nativeMachine: 0x8664 })
  })

  it('refuses malformed or out-of-range values', () => {
    expect(parseIsWow64Process2('{"processMachine":"0","nativeMachine":43620}')).toBeNull()
    expect(parseIsWow64Process2('{"processMachine":0,"nativeMachine":-1}')).toBeNull()
    expect(parseIsWow64Process2('{"processMachine":0,"nativeMachine":99999}')).toBeNull()
    expect(parseIsWow64Process2('{not json}')).toBeNull()
    expect(parseIsWow64Process2('null')).toBeNull()
  })

  it('reads Win32_Processor.Architecture as JSON or a bare number', () => {
    expect(parseWin32ProcessorArchitecture('{"Architecture":12}')).toBe(12)
    expect(parseWin32ProcessorArchitecture('9\r\n')).toBe(9)
    expect(parseWin32ProcessorArchitecture('')).toBeNull()
  })
})
