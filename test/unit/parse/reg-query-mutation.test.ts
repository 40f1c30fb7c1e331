/**
 * parseRegQuery / regValue (main/parse/reg-query.ts) on exact results for each rule of `reg query` text:
 * key lines (long and short hive names), value lines (two or more leading spaces, four-space columns, a
 * name with spaces, no data, (Default)), DWORD/QWORD/MULTI_SZ decoding and their limits, ERROR lines, line
 * endings, sub-key listings. The inputs are hand-made edge cases in reg's layout (the real captures are read
 * in reg-query.test.ts). 53.7% at its first mutation run.
 */
import { describe, expect, it } from 'vitest'
import { parseRegQuery, regValue } from '../../../main/parse/reg-query.ts'

const S4 = '    '
const v = (name: string, type: string, data?: string) =>
  `${S4}${name}${S4}${type}${data === undefined ? '' : `${S4}${data}`}`

describe('reg query text, rule by rule', () => {
  it('a key with every kind of value, then its sub-keys', () => {
    const text = [
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
      v('CurrentBuild', 'REG_SZ', '26100'),
      v('UBR', 'REG_DWORD', '0x1a0d'),
      v('Big', 'REG_QWORD', '0xffffffffffffffff'),
      v('InstallTime', 'REG_QWORD', '0x1db1c0d2a4f6c00'),
      v('Small', 'REG_QWORD', '0x20'),
      v('(Default)', 'REG_SZ', 'dflt'),
      v('Display Name', 'REG_SZ', 'x  y'),
      v('Multi', 'REG_MULTI_SZ', 'a\\0b\\0'),
      v('Empty', 'REG_SZ'),
      v('Path', 'REG_EXPAND_SZ', '%SystemRoot%\\x'),
      v('Bin', 'REG_BINARY', '0A0B'),
      v('Bad', 'REG_DWORD', '0xZZ'),
      v('Dec', 'REG_DWORD', '12'),
      v('Spaced', 'REG_DWORD', ' 0x10'),
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Accessibility',
      'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\AeDebug',
      '',
    ].join('\r\n')
    expect(parseRegQuery(text)).toEqual({
      keys: [
        {
          path: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
          values: [
            { name: 'CurrentBuild', type: 'REG_SZ', data: '26100' },
            { name: 'UBR', type: 'REG_DWORD', data: 6669 },
            { name: 'Big', type: 'REG_QWORD', data: '0xffffffffffffffff' },
            { name: 'InstallTime', type: 'REG_QWORD', data: '0x1db1c0d2a4f6c00' },
            { name: 'Small', type: 'REG_QWORD', data: 32 },
            { name: '', type: 'REG_SZ', data: 'dflt' },
            { name: 'Display Name', type: 'REG_SZ', data: 'x  y' },
            { name: 'Multi', type: 'REG_MULTI_SZ', data: ['a', 'b'] },
            { name: 'Empty', type: 'REG_SZ', data: '' },
            { name: 'Path', type: 'REG_EXPAND_SZ', data: '%SystemRoot%\\x' },
            { name: 'Bin', type: 'REG_BINARY', data: '0A0B' },
            { name: 'Bad', type: 'REG_DWORD', data: '0xZZ' },
            { name: 'Dec', type: 'REG_DWORD', data: '12' },
            { name: 'Spaced', type: 'REG_DWORD', data: 16 },
          ],
        },
      ],
      subkeys: [
        'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Accessibility',
        'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\AeDebug',
      ],
      error: null,
    })
  })

  it('small rules, each alone', () => {
    const cases: [string, ReturnType<typeof parseRegQuery>][] = [
      [
        'ERROR: The system was unable to find the specified registry key or value.',
        { keys: [], subkeys: [], error: 'ERROR: The system was unable to find the specified registry key or value.' },
      ],
      ['  error: lower case', { keys: [], subkeys: [], error: 'error: lower case' }],
      [
        v('A', 'REG_SZ', '1'),
        { keys: [{ path: '', values: [{ name: 'A', type: 'REG_SZ', data: '1' }] }], subkeys: [], error: null },
      ],
      [` A${S4}REG_SZ${S4}1`, { keys: [], subkeys: [], error: null }],
      [
        `  A${S4}REG_SZ${S4}1`,
        { keys: [{ path: '', values: [{ name: 'A', type: 'REG_SZ', data: '1' }] }], subkeys: [], error: null },
      ],
      [`${S4}A   REG_SZ${S4}1`, { keys: [], subkeys: [], error: null }],
      [`${S4}A${S4}REG_sz${S4}1`, { keys: [], subkeys: [], error: null }],
      ['HKLM', { keys: [{ path: 'HKLM', values: [] }], subkeys: [], error: null }],
      [
        `HKEY_CURRENT_USER\\X\r${v('B', 'REG_MULTI_SZ', '')}`,
        {
          keys: [{ path: 'HKEY_CURRENT_USER\\X', values: [{ name: 'B', type: 'REG_MULTI_SZ', data: [] }] }],
          subkeys: [],
          error: null,
        },
      ],
      [
        `HKCU\\X\n${v('B', 'REG_MULTI_SZ', 'a\\0\\0b')}`,
        {
          keys: [{ path: 'HKCU\\X', values: [{ name: 'B', type: 'REG_MULTI_SZ', data: ['a', '', 'b'] }] }],
          subkeys: [],
          error: null,
        },
      ],
      [
        `HKU\\X\n${v('B', 'REG_MULTI_SZ', 'a')}`,
        {
          keys: [{ path: 'HKU\\X', values: [{ name: 'B', type: 'REG_MULTI_SZ', data: ['a'] }] }],
          subkeys: [],
          error: null,
        },
      ],
      ['HKLMX\\Y\nHKXX\\Y\nSOFTWARE\\Y', { keys: [], subkeys: [], error: null }],
      [
        `HKCR\\A\n\n${v('C', 'REG_SZ', 'd')}`,
        {
          keys: [
            { path: 'HKCR\\A', values: [] },
            { path: '', values: [{ name: 'C', type: 'REG_SZ', data: 'd' }] },
          ],
          subkeys: [],
          error: null,
        },
      ],
      [
        `HKCC\\A\n${v('C', 'REG_SZ', 'd')}\nHKCC\\A\\B\n${v('E', 'REG_SZ', 'f')}`,
        {
          keys: [
            { path: 'HKCC\\A', values: [{ name: 'C', type: 'REG_SZ', data: 'd' }] },
            { path: 'HKCC\\A\\B', values: [{ name: 'E', type: 'REG_SZ', data: 'f' }] },
          ],
          subkeys: [],
          error: null,
        },
      ],
      ['', { keys: [], subkeys: [], error: null }],
    ]
    for (const [t, want] of cases) expect(parseRegQuery(t), JSON.stringify(t)).toEqual(want)
    expect(cases).toHaveLength(15)
    expect(parseRegQuery(undefined as unknown as string)).toEqual({ keys: [], subkeys: [], error: null })
  })

  it('regValue: the first value of that name across keys, any case; undefined when none', () => {
    const r = parseRegQuery(
      [
        'HKLM\\A',
        v('UBR', 'REG_DWORD', '0x10'),
        '',
        'HKLM\\B',
        v('ubr', 'REG_DWORD', '0x20'),
        v('Name', 'REG_SZ', 'n'),
      ].join('\n'),
    )
    expect(regValue(r, 'ubr')).toBe(16)
    expect(regValue(r, 'NAME')).toBe('n')
    expect(regValue(r, 'missing')).toBeUndefined()
  })
})
