import { describe, it, expect } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { parseLastBoot, dmtfToIso } from '../../../main/parse/last-boot.ts'
import { withinCpu } from '../cpu-time.ts'

describe('parseLastBoot', () => {
  it('reads LastBootUpTime from a captured ConvertTo-Json of Win32_OperatingSystem, with its UTC offset', () => {
    const f = loadFixture('last-boot/win32-os-json.txt')
    // 2024-05-30 19:53:26.5 at UTC+600 minutes = 09:53:26.5 UTC.
    expect(parseLastBoot(f.text)).toEqual({
      ok: true,
      at: '2024-05-30T09:53:26.500Z',
      raw: '20240530195326.500000+600',
    })
  })
  it('reads wmic /value text and negative offsets', () => {
    expect(parseLastBoot('\r\n\r\nLastBootUpTime=20171019094424.510250+000\r\n\r\n')).toMatchObject({
      ok: true,
      at: '2017-10-19T09:44:24.510Z',
    })
    expect(dmtfToIso('20231027100000.123456-060')).toBe('2023-10-27T11:00:00.123Z')
  })
  it('says what is wrong with odd input, never throws', () => {
    expect(parseLastBoot('')).toMatchObject({ ok: false })
    expect(parseLastBoot('{"LastBootUpTime": 5}')).toMatchObject({ ok: false })
    expect(parseLastBoot('{"OS": {"LastBootUpTime": "yesterday"}}')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('yesterday'),
    })
    expect(parseLastBoot('{oops')).toMatchObject({ ok: false })
    expect(parseLastBoot('LastBootUpTime=20241399000000.000000+000')).toMatchObject({ ok: false })
  })
  it('reads past 200,000 characters of blank lines in linear time (a `^\\s*` pattern was quadratic on them)', () => {
    expect(
      withinCpu(2000, () => parseLastBoot(`x\n${' \n'.repeat(100_000)}LastBootUpTime=20171019094424.510250+000\r\n`)),
    ).toMatchObject({ ok: true, at: '2017-10-19T09:44:24.510Z' })
    // Not blank at both ends, so trimming leaves the blank lines in.
    expect(withinCpu(2000, () => parseLastBoot(`x\n${' \n'.repeat(100_000)}y`))).toMatchObject({ ok: false })
  })
})
