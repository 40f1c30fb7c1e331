import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { normalizeErrorCode, hresultFromWin32 } from '../../../main/knowledge/error-normalize.ts'
import { explain, normalizeCode } from '../../../main/knowledge/error-explain.ts'
import { allErrorCodes, allStandardRemedies, codeForName } from '../../../main/knowledge/error-codes.ts'
import { classifyExitCode } from '../../../main/knowledge/error-exit-codes.ts'
import { ExplainResultSchema } from '../../../preload/model/diagnosis.ts'

// The reference's code tables (sections 1.2 and 1.3), kept in the repository so any clone runs this check.
const facts = readFileSync(join(import.meta.dirname, '../../fixtures/servicing-facts/error-code-sections.md'), 'utf8')
const section12 = facts.slice(facts.indexOf('### 1.2'), facts.indexOf('### 1.3'))
const section13 = facts.slice(facts.indexOf('### 1.3'), facts.indexOf('### 1.4'))

describe('normalizeErrorCode', () => {
  it.each([
    ['0x800F0922', '0x800F0922'],
    ['0x800f0922', '0x800F0922'],
    ['0X8007000D', '0x8007000D'],
    ['800f0922', '0x800F0922'],
    ['0x80\n0f0922', '0x800F0922'],
    ['0x80\r\n0f0922', '0x800F0922'],
    ['-2146498270', '0x800F0922'],
    ['2148469026', '0x800F0922'],
    ['740', '0x800702E4'],
    ['0x3', '0x80070003'],
    ['0x00000014', '0x80070014'],
    ['[HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]', '0x800F0922'],
    ['hr:0x800f081e', '0x800F081E'],
    ['Error: 14098', '0x80073712'],
    ['2359302', '0x00240006'],
    ['-2145124322', '0x8024001E'],
  ])('%j → %s', (input, want) => {
    expect(normalizeCode(input)?.code).toBe(want)
  })

  it('keeps an event-style value as written in an HRESULT context', () => {
    expect(normalizeErrorCode('0x00000014', 'hresult')?.code).toBe('0x00000014')
    expect(normalizeErrorCode('2', 'hresult')?.code).toBe('0x00000002')
    expect(normalizeErrorCode('2', 'win32')?.code).toBe('0x80070002')
  })

  it('splits a setup result pair into code and extend code', () => {
    const r = normalizeErrorCode('0xC1900208 - 0x4000C')
    expect(r).toMatchObject({ code: '0xC1900208', extend: '0x4000C' })
    expect(normalizeErrorCode('0xC1900101 - 0x20017')?.extend).toBe('0x20017')
  })

  it('reads symbolic names through the knowledge', () => {
    expect(normalizeCode('CBS_E_INSTALLERS_FAILED')?.code).toBe('0x800F0922')
    expect(normalizeCode('HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)')?.code).toBe('0x80070002')
  })

  it('takes the first code from a longer line', () => {
    expect(
      normalizeCode(
        'Installation Failure: Windows failed to install the following update with error 0x80070002: Security Update',
      )?.code,
    ).toBe('0x80070002')
  })

  it('every signed/unsigned decimal in facts §1.3 maps to its hex', () => {
    const rows = [...section13.matchAll(/^\| (0x[0-9A-F]{8}) \| (-?\d+) \| (\d+) \|/gm)]
    expect(rows.length).toBeGreaterThan(40)
    for (const [, hex, signed, unsigned] of rows) {
      expect(normalizeErrorCode(signed)?.code).toBe(hex)
      expect(normalizeErrorCode(unsigned)?.code).toBe(hex)
    }
  })

  it('rejects text that is not a code, and out-of-range numbers', () => {
    for (const bad of [
      '',
      '   ',
      'hello',
      '0x',
      '0x123456789',
      '99999999999',
      '-2147483649',
      '12.5',
      'update failed',
    ]) {
      expect(normalizeErrorCode(bad)).toBeNull()
    }
    expect(normalizeErrorCode(undefined)).toBeNull()
    expect(normalizeErrorCode({})).toBeNull()
  })

  it('HRESULT_FROM_WIN32 matches the header macro', () => {
    expect(hresultFromWin32(2)).toBe(0x80070002)
    expect(hresultFromWin32(0)).toBe(0)
  })

  it('never throws and always returns 0x + 8 upper hex (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'grapheme' }),
          fc.integer(),
          fc.double(),
          fc.constantFrom('0x', '-', '0x80\n', 'hr:', '[HRESULT = '),
        ),
        (v) => {
          const r = normalizeCode(v as string)
          if (r) expect(r.code).toMatch(/^0x[0-9A-F]{8}$/)
        },
      ),
      { numRuns: 3000 },
    )
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0xffffffff }), (n) => {
        const r = normalizeErrorCode(String(n), 'hresult')
        // Eight digits starting with 8 are read as bare hex (`80070643` as people type it); as decimals they
        // would be 0x04C4B400-0x055D4A7F, not an HRESULT anyone reports. Found by this property (80000000).
        const expected = /^8\d{7}$/.test(String(n)) ? parseInt(String(n), 16) : n >>> 0
        expect(r?.code).toBe(`0x${expected.toString(16).toUpperCase().padStart(8, '0')}`)
      }),
    )
    expect(normalizeErrorCode('80000000', 'hresult')?.code).toBe('0x80000000')
    expect(normalizeErrorCode('80070643', 'hresult')?.code).toBe('0x80070643')
  })
})

describe('error knowledge', () => {
  it('holds every code of facts §1.2 plus the exit codes of §2, at least 80', () => {
    const codes = new Set(allErrorCodes().map((e) => e.code))
    expect(codes.size).toBeGreaterThanOrEqual(80)
    for (const [, hex] of section12.matchAll(/^\| (0x[0-9A-F]{8}) \|/gm)) expect(codes.has(hex!)).toBe(true)
    for (const c of ['0x80070BC2', '0x80070669', '0x800702E4', '0x00240006', '0x00240007', '0x80242004'])
      expect(codes.has(c)).toBe(true)
  })

  it('has R0..R12 as structured remedies with commands', () => {
    const ids = allStandardRemedies().map((r) => r.id)
    expect(ids).toEqual(['R0', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R10', 'R11', 'R12'])
    for (const r of allStandardRemedies()) expect(r.commands.length).toBeGreaterThan(0)
    expect(allStandardRemedies().find((r) => r.id === 'R10')?.verified).toBe(false)
  })

  it('marks community-only names as unverified', () => {
    expect(allErrorCodes().find((e) => e.code === '0x800F0838')?.verified).toBe(false)
    expect(allErrorCodes().find((e) => e.code === '0x800F0922')?.verified).toBe(true)
    expect(codeForName('cbs_e_pending')).toBe('0x800F0806')
  })
})

describe('explain', () => {
  it('answers for every code in facts §1.2', () => {
    for (const [, hex] of section12.matchAll(/^\| (0x[0-9A-F]{8}) \|/gm)) {
      const r = explain(hex!)
      expect(r.ok).toBe(true)
      if (r.ok) {
        expect(ExplainResultSchema.parse(r.value).known).toBe(true)
        expect(r.value.code).toBe(hex)
        expect(r.value.sources.length).toBeGreaterThan(0)
      }
    }
  })

  it('explains 0x800F0922 as installers failed with ordered remedies', () => {
    const r = explain('800f0922')
    expect(r.ok && r.value).toMatchObject({
      code: '0x800F0922',
      name: 'CBS_E_INSTALLERS_FAILED',
      component: 'CBS',
      known: true,
    })
    if (r.ok) {
      expect(r.value.remedies.map((x) => x.id)).toEqual(['R0', 'R8', 'R4', 'R6'])
      expect(r.value.decoded).toMatchObject({ severity: 'error', facility: 15 })
    }
  })

  it('explains Win32 input via HRESULT_FROM_WIN32', () => {
    const r = explain('740')
    expect(r.ok && r.value.name).toBe('ERROR_ELEVATION_REQUIRED')
    const d = explain('14098')
    expect(d.ok && d.value.name).toBe('ERROR_SXS_COMPONENT_STORE_CORRUPT')
  })

  it('decodes an unknown code and calls it unknown', () => {
    const r = explain('0x80071234')
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.value.known).toBe(false)
      expect(r.value.name).toBeNull()
      expect(r.value.decoded).toMatchObject({
        severity: 'error',
        facility: 7,
        facilityName: 'FACILITY_WIN32',
        win32: 0x1234,
      })
      expect(r.value.meaning).toMatch(/Not in Servicing Desk's knowledge/)
    }
  })

  it('decodes the facility with its 11 bits (bits 27-28 are the X and N flags, not facility)', () => {
    const r = explain('0xDEADBEEF')
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.value.decoded).toMatchObject({ severity: 'error', facility: 1709, customer: false })
      expect(r.value.meaning).toMatch(/facility 1709/)
    }
    const n = explain('0xD8070005') // N and X bits set over FACILITY_WIN32
    expect(n.ok && n.value.decoded).toMatchObject({ facility: 7, win32: 5 })
  })

  it('keeps the extend code of a setup pair', () => {
    const r = explain('0xC1900208 - 0x4000C')
    expect(r.ok && r.value).toMatchObject({
      code: '0xC1900208',
      extend: '0x4000C',
      name: 'MOSETUP_E_COMPAT_INSTALLREQ_BLOCK',
    })
  })

  it('refuses non-codes with a clear error', () => {
    const r = explain('my update failed')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatch(/does not look like an error code/)
  })
})

describe('classifyExitCode', () => {
  it('treats 0, 3010, 1641, 2359302 as success-ish', () => {
    expect(classifyExitCode('dism', 0).outcome).toBe('success')
    expect(classifyExitCode('dism', 3010)).toMatchObject({ outcome: 'restart-required', successish: true })
    expect(classifyExitCode('wusa', 1641)).toMatchObject({ outcome: 'restart-initiated', successish: true })
    expect(classifyExitCode('wusa', 2359302)).toMatchObject({ outcome: 'already-installed', successish: true })
  })
  it('classifies failures with their HRESULT, signed or unsigned', () => {
    expect(classifyExitCode('dism', 2148469026)).toMatchObject({ outcome: 'failed', code: '0x800F0922' })
    expect(classifyExitCode('dism', -2146498270)).toMatchObject({ outcome: 'failed', code: '0x800F0922' })
    expect(classifyExitCode('dism', -2146498530).outcome).toBe('not-applicable')
    expect(classifyExitCode('dism', 740).code).toBe('0x800702E4')
    expect(classifyExitCode('dism', 1.5).outcome).toBe('failed')
  })
})
