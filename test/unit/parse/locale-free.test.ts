/**
 * localeOrder and enUsNumber (main/parse/locale-free.ts) give localeCompare's and toLocaleString('en-US')'s answers
 * without ICU where a plain look gives the same, and a training machine's diagnosis (a remembered verdict read and
 * written again, as `diagnose --machine` and `repairs` do) calls neither locale function: their first call loads
 * ICU's locale data, more CPU than the rest of the scan.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { enUsNumber, localeOrder } from '../../../main/parse/locale-free.ts'
import { createMachineServices } from '../../../main/machine-services.ts'
import { tempDirSync } from '../temp-dirs.ts'

const sign = (n: number) => Math.sign(n)

describe('localeOrder', () => {
  it('orders as localeCompare does: ISO times, empty ones, letters, case, punctuation and text past ASCII', () => {
    const keys = [
      '',
      '2024-11-13T03:22:40.000Z',
      '2024-11-13T03:22:40Z',
      '2024-11-12T21:10:05.000Z',
      '2024-11-13T03:22:40.0000000+01:00',
      '2024-11-13T03:22:40.0000000-01:00',
      '2024-11-13',
      '2024-11-13 03:22',
      '2024-1-13',
      '2025',
      'boot',
      'app-run',
      'update-attempt',
      'servicing-session',
      'servicing session',
      'Boot',
      'a1',
      'A2',
      'b0',
      'B0',
      'a',
      'a-b',
      'ab',
      'a.b',
      'a:1',
      'a1:',
      'e\u0301',
      'é',
      'é1',
      'e1',
      'x\u00001',
      'x1',
      'x',
      'ä',
      'z',
      'KB5044285',
      'KB999',
      'KB1000000',
    ]
    for (const a of keys)
      for (const b of keys) expect(sign(localeOrder(a, b)), `${a} vs ${b}`).toBe(sign(a.localeCompare(b)))
  })

  it('orders random times of one shape as localeCompare does, without calling it', () => {
    const spy = vi.spyOn(String.prototype, 'localeCompare')
    const times = Array.from({ length: 300 }, (_, i) =>
      new Date(Date.UTC(2020, 0, 1) + ((i * 7919 * 86_400_013) % (6 * 365 * 86_400_000))).toISOString(),
    )
    const ours = times.map((a) => times.map((b) => sign(localeOrder(a, b))))
    expect(spy).not.toHaveBeenCalled()
    spy.mockRestore()
    expect(ours).toEqual(times.map((a) => times.map((b) => sign(a.localeCompare(b)))))
  })
})

describe('enUsNumber', () => {
  it("gives toLocaleString('en-US')'s text", () => {
    const xs = [
      0,
      -0,
      1,
      -1,
      12,
      999,
      1000,
      -1000,
      12_345,
      123_456,
      1_234_567,
      549_453_824,
      2_197_815_296,
      10 ** 15,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      2 ** 60,
      1.5,
      1234.5678,
      -0.25,
      Number.NaN,
      Infinity,
      -Infinity,
    ]
    for (const x of xs) expect(enUsNumber(x), String(x)).toBe(x.toLocaleString('en-US'))
  })
})

describe("a training machine's diagnosis", () => {
  afterEach(() => vi.restoreAllMocks())

  it('calls no locale function: not on its first diagnosis, not with a remembered verdict, not for its repairs', async () => {
    const services = createMachineServices({ dataDir: tempDirSync('sd-locale-free-'), platform: 'linux' })
    const machine = { kind: 'training', name: 'x64-component-store-corrupt' } as const
    const compare = vi.spyOn(String.prototype, 'localeCompare')
    const number = vi.spyOn(Number.prototype, 'toLocaleString')
    const first = await services.diagnose({ machine })
    const again = await services.diagnose({ machine })
    expect(first.findings.length).toBeGreaterThan(0)
    expect(again.findings.map((f) => f.id)).toEqual(first.findings.map((f) => f.id))
    const repairs = await services.loadRepairs()
    await repairs.offers(machine)
    expect(compare).not.toHaveBeenCalled()
    expect(number).not.toHaveBeenCalled()
  })
})
