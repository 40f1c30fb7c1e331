/**
 * classifyExitCode (main/knowledge/error-exit-codes.ts: whether a DISM/wusa step succeeded, needs a restart or
 * failed) and the error-code look-ups (main/knowledge/error-codes.ts) on exact results: every success code
 * and its outcome and detail, negative and unsigned forms, the 32-bit limits, wusa's 87, Win32 numbers as
 * HRESULTs; entries by any spelling of a code, names and aliases, standard remedies as copies. Modules loaded
 * fresh so their module-level tables are the ones under test. 41.1% and 42.9% at their first runs.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'

type Exit = typeof import('../../../main/knowledge/error-exit-codes.ts')
type Codes = typeof import('../../../main/knowledge/error-codes.ts')
let x: Exit
let c: Codes
beforeAll(async () => {
  vi.resetModules()
  x = await import('../../../main/knowledge/error-exit-codes.ts')
  c = await import('../../../main/knowledge/error-codes.ts')
})

describe('classifyExitCode: each exit code a step can end with', () => {
  it('success codes: outcome, successish, code and detail, whole', () => {
    const cases: [number, string, boolean, string, string][] = [
      [0, 'success', true, '0x00000000', 'Succeeded.'],
      [
        3010,
        'restart-required',
        true,
        '0x00000BC2',
        'Succeeded; a restart is needed to finish (ERROR_SUCCESS_REBOOT_REQUIRED).',
      ],
      [
        3011,
        'restart-required',
        true,
        '0x00000BC3',
        'Succeeded; a service restart is needed (ERROR_SUCCESS_RESTART_REQUIRED).',
      ],
      [
        1641,
        'restart-initiated',
        true,
        '0x00000669',
        'Succeeded; the installer started a restart (ERROR_SUCCESS_REBOOT_INITIATED).',
      ],
      [
        2359302,
        'already-installed',
        true,
        '0x00240006',
        'Already installed (WU_S_ALREADY_INSTALLED) — also returned while the package is only Install Pending, waiting for a restart (KB: error 2359302).',
      ],
      [2359301, 'restart-required', true, '0x00240005', 'Succeeded; a restart is needed (WU_S_REBOOT_REQUIRED).'],
      [
        2359303,
        'not-installed',
        true,
        '0x00240007',
        'The update to remove is not installed (WU_S_ALREADY_UNINSTALLED).',
      ],
      [
        0x80240017,
        'not-applicable',
        false,
        '0x80240017',
        'No applicable update (WU_E_NOT_APPLICABLE): wrong OS/architecture, superseded, or a checkpoint already passed.',
      ],
      [
        -2145124329,
        'not-applicable',
        false,
        '0x80240017',
        'No applicable update (WU_E_NOT_APPLICABLE): wrong OS/architecture, superseded, or a checkpoint already passed.',
      ],
      [
        0x800f081e,
        'not-applicable',
        false,
        '0x800F081E',
        'The package is not applicable to the image (CBS_E_NOT_APPLICABLE).',
      ],
    ]
    for (const [n, outcome, successish, code, detail] of cases)
      expect(x.classifyExitCode('dism.exe', n), String(n)).toEqual({ outcome, successish, code, detail })
    expect(cases).toHaveLength(10)
  })

  it('failures: HRESULTs as they are, small numbers as Win32 HRESULTs, wusa 87, and the 32-bit limits', () => {
    const f = (tool: string, n: number) => x.classifyExitCode(tool, n)
    expect(f('dism.exe', 2148469026)).toEqual({
      outcome: 'failed',
      successish: false,
      code: '0x800F0922',
      detail: 'Failed with exit code 2148469026 (0x800F0922).',
    })
    expect(f('dism.exe', -2146498270)).toEqual({
      outcome: 'failed',
      successish: false,
      code: '0x800F0922',
      detail: 'Failed with exit code 2148469026 (0x800F0922).',
    })
    expect(f('dism.exe', 5)).toEqual({
      outcome: 'failed',
      successish: false,
      code: '0x80070005',
      detail: 'Failed with exit code 5 (0x00000005).',
    })
    expect(f('dism.exe', 0xffff)).toEqual({
      outcome: 'failed',
      successish: false,
      code: '0x8007FFFF',
      detail: 'Failed with exit code 65535 (0x0000FFFF).',
    })
    expect(f('dism.exe', 0x10000)).toEqual({
      outcome: 'failed',
      successish: false,
      code: '0x00010000',
      detail: 'Failed with exit code 65536 (0x00010000).',
    })
    expect(f('dism.exe', 87)).toEqual({
      outcome: 'failed',
      successish: false,
      code: '0x80070057',
      detail: 'Failed with exit code 87 (0x00000057).',
    })
    expect(f('WUSA.exe', 87)).toEqual({
      outcome: 'failed',
      successish: false,
      code: '0x00000057',
      detail: 'wusa reports 87 for most /uninstall errors; pass the .msu path for a precise code.',
    })
    expect(f('wusa.exe', 88).detail).toBe('Failed with exit code 88 (0x00000058).')
    expect(f('dism.exe', 0xffffffff)).toEqual({
      outcome: 'failed',
      successish: false,
      code: '0xFFFFFFFF',
      detail: 'Failed with exit code 4294967295 (0xFFFFFFFF).',
    })
    expect(f('dism.exe', -0x80000000)).toEqual({
      outcome: 'failed',
      successish: false,
      code: '0x80000000',
      detail: 'Failed with exit code 2147483648 (0x80000000).',
    })
    for (const bad of [0x100000000, -0x80000001, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(f('dism.exe', bad), String(bad)).toEqual({
        outcome: 'failed',
        successish: false,
        code: 'invalid',
        detail: `Not a 32-bit exit code: ${String(bad)}`,
      })
  })
})

describe('error-code look-ups', () => {
  it('an entry by any spelling of its code; null for an unknown one', () => {
    const e = c.errorCodeEntry('0x800F0922')
    expect(e?.code).toBe('0x800F0922')
    expect(c.errorCodeEntry('0X800F0922')).toBe(e)
    expect(c.errorCodeEntry('0x800f0922')).toBe(e)
    expect(c.errorCodeEntry('0x12345678')).toBeNull()
    expect(c.errorCodeEntry('x0x800F0922')).toBeNull()
  })

  it("names: every entry's name leads to its code, any case; the three aliases; unknown is null", () => {
    let n = 0
    for (const e of c.allErrorCodes()) {
      if (!e.name) continue
      expect(c.codeForName(e.name.toLowerCase()), e.name).toBe(c.errorCodeEntry(e.code)!.code)
      expect(c.nameOfCode(e.code)).toBe(e.name)
      n++
    }
    expect(n).toBeGreaterThan(20)
    expect(c.codeForName('WU_E_PT_HTTP_STATUS_SERVICE_UNAVAILABLE')).toBe('0x80244022')
    expect(c.codeForName('error_access_denied')).toBe('0x80070005')
    expect(c.codeForName('E_ACCESSDENIED')).toBe('0x80070005')
    expect(c.codeForName('NO_SUCH_NAME')).toBeNull()
    expect(c.nameOfCode(null)).toBeNull()
    expect(c.nameOfCode(undefined)).toBeNull()
    expect(c.nameOfCode('')).toBeNull()
    expect(c.nameOfCode('0x12345678')).toBeNull()
  })

  it('standard remedies: each one by id as a copy (changing it changes nothing stored); unknown is null', () => {
    const all = c.allStandardRemedies()
    expect(all.length).toBeGreaterThanOrEqual(10)
    for (const r of all) {
      const got = c.standardRemedy(r.id)!
      expect(got).toEqual(r)
      got.commands.push('changed')
      got.sources.push('changed')
      expect(c.standardRemedy(r.id)).toEqual(r)
    }
    expect(c.standardRemedy('R99')).toBeNull()
    expect(typeof c.errorCodesAsOf()).toBe('string')
    expect(c.errorCodesAsOf()).toMatch(/^\d{4}-\d{2}-\d{2}/)
    expect(Object.keys(c.errorCodeSources()).length).toBeGreaterThan(5)
  })
})
