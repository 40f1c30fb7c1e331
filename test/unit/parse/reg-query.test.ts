import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { parseRegQuery, regValue } from '../../../main/parse/reg-query.ts'
import { loadFixture } from '../../fixtures/load.ts'

describe('parseRegQuery', () => {
  it('reads the values of a captured CurrentVersion query, empty strings included', () => {
    const r = parseRegQuery(loadFixture('reg-query/currentversion-win10-22h2-regsz.txt').text)
    expect(r.error).toBeNull()
    expect(r.keys).toHaveLength(1)
    expect(r.keys[0].path).toBe('HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion')
    expect(regValue(r, 'CurrentBuild')).toBe('19045')
    expect(regValue(r, 'DisplayVersion')).toBe('22H2')
    expect(regValue(r, 'WinREVersion')).toBe('10.0.19041.3920')
    expect(regValue(r, 'EditionSubstring')).toBe('')
  })

  it('decodes REG_DWORD hex, REG_MULTI_SZ and lists sub-keys apart from values, with CRLF line ends', () => {
    const text = [
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
      '    UBR    REG_DWORD    0x47e',
      '    Multi    REG_MULTI_SZ    a\\0b\\0c',
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon',
      '',
    ].join('\r\n')
    const r = parseRegQuery(text)
    expect(regValue(r, 'ubr')).toBe(1150)
    expect(regValue(r, 'Multi')).toEqual(['a', 'b', 'c'])
    expect(r.subkeys).toEqual(['HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon'])
  })

  it("reports reg's own error line instead of values", () => {
    const r = parseRegQuery('ERROR: The system was unable to find the specified registry key or value.\r\n')
    expect(r.keys).toEqual([])
    expect(r.error).toMatch(/unable to find/)
  })

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (s) => {
        parseRegQuery(s)
      }),
      { numRuns: 500 },
    )
  })
})
