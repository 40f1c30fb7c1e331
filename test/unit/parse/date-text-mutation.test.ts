/**
 * readDate / inferDayMonthOrder (main/parse/date-text.ts: the dates DISM, Get-HotFix and systeminfo print in
 * the display culture) on a table of exact readings at every boundary: which order wins, month/day/year/hour
 * limits, AM/PM and 上午/下午, ISO with offsets, /Date(ms)/, placeholders and anchors. The module is loaded
 * fresh for this file, so its module-level patterns are the ones under test (57% at its first
 * mutation run). Every table asserts how many cases it ran.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'

type Mod = typeof import('../../../main/parse/date-text.ts')
let m: Mod
beforeAll(async () => {
  vi.resetModules()
  m = await import('../../../main/parse/date-text.ts')
})

const iso = (value: string) => ({ value, iso: true, ambiguous: false })
const kept = (value: string) => ({ value, iso: false, ambiguous: false })
const none = { value: null, iso: false, ambiguous: false }

const READ: [string | null | undefined, 'dmy' | 'mdy' | null, object][] = [
  [null, null, none],
  [undefined, null, none],
  ['', null, none],
  ['   ', null, none],
  ['N/A', null, none],
  ['n/a', null, none],
  ['-', null, none],
  ['null', null, none],
  ['N/A x', null, kept('N/A x')],
  ['x N/A', null, kept('x N/A')],
  ['/Date(1718000000000)/', null, iso('2024-06-10T06:13:20.000Z')],
  ['/Date(-1000)/', null, iso('1969-12-31T23:59:59.000Z')],
  ['/Date(1718000000000+0200)/', null, iso('2024-06-10T06:13:20.000Z')],
  ['/Date(1718000000000-0500)/', null, iso('2024-06-10T06:13:20.000Z')],
  ['/Date(99999999999999999999)/', null, kept('/Date(99999999999999999999)/')],
  ['x/Date(1)/', null, kept('x/Date(1)/')],
  ['/Date(1)/x', null, kept('/Date(1)/x')],
  ['/Date(1+02)/', null, kept('/Date(1+02)/')],
  ['/Date(1+ab12)/', null, kept('/Date(1+ab12)/')],
  [' 2024-09-10 ', null, iso('2024-09-10')],
  ['2024/9/10', null, iso('2024-09-10')],
  ['2024.09.10', null, iso('2024-09-10')],
  ['2024-9-1', null, iso('2024-09-01')],
  ['x2024-09-10', null, kept('x2024-09-10')],
  ['2024-09-10x', null, kept('2024-09-10x')],
  ['2024x09-10', null, kept('2024x09-10')],
  ['2024-09x10', null, kept('2024-09x10')],
  ['202-09-10', null, kept('202-09-10')],
  ['2024-09-10 04:11', null, iso('2024-09-10T04:11:00')],
  ['2024-09-10 14:11', null, iso('2024-09-10T14:11:00')],
  ['2024-09-10T04:11:05', null, iso('2024-09-10T04:11:05')],
  ['2024-09-10T04:11:05.123', null, iso('2024-09-10T04:11:05')],
  ['2024-09-10, 4:11:05 PM', null, iso('2024-09-10T16:11:05')],
  ['2024-09-10 12:30 AM', null, iso('2024-09-10T00:30:00')],
  ['2024-09-10 12:30 PM', null, iso('2024-09-10T12:30:00')],
  ['2024-09-10 11:00 PM', null, iso('2024-09-10T23:00:00')],
  ['2024-09-10 1:00 AM', null, iso('2024-09-10T01:00:00')],
  ['2024-09-10 4:1', null, kept('2024-09-10 4:1')],
  ['2024-09-10 x4:11', null, kept('2024-09-10 x4:11')],
  ['2024-09-10T04:11:05Z', null, iso('2024-09-10T04:11:05.000Z')],
  ['2024-09-10 04:11:05+02:00', null, iso('2024-09-10T02:11:05.000Z')],
  ['2024-09-10T04:11:05-05:00', null, iso('2024-09-10T09:11:05.000Z')],
  ['2024-13-01', null, kept('2024-13-01')],
  ['2024-00-10', null, kept('2024-00-10')],
  ['2024-12-31', null, iso('2024-12-31')],
  ['2024-01-32', null, kept('2024-01-32')],
  ['2024-01-00', null, kept('2024-01-00')],
  ['2024-01-31', null, iso('2024-01-31')],
  ['2024-01-01', null, iso('2024-01-01')],
  ['1899-12-31', null, kept('1899-12-31')],
  ['1900-01-01', null, iso('1900-01-01')],
  ['2200-12-31', null, iso('2200-12-31')],
  ['2201-01-01', null, kept('2201-01-01')],
  ['2024-01-01 23:59:59', null, iso('2024-01-01T23:59:59')],
  ['2024-01-01 24:00', null, kept('2024-01-01 24:00')],
  ['2024-01-01 23:60', null, kept('2024-01-01 23:60')],
  ['2024-01-01 23:59:60', null, kept('2024-01-01 23:59:60')],
  ['9/10/2024', null, { value: '9/10/2024', iso: false, ambiguous: true }],
  ['9/10/2024  \t4:11', null, { value: '9/10/2024 4:11', iso: false, ambiguous: true }],
  ['9/10/2024', 'mdy', iso('2024-09-10')],
  ['9/10/2024', 'dmy', iso('2024-10-09')],
  ['13/10/2024', null, iso('2024-10-13')],
  ['10/13/2024', null, iso('2024-10-13')],
  ['12/13/2024', null, iso('2024-12-13')],
  ['13/12/2024', null, iso('2024-12-13')],
  ['11/12/2024', null, { value: '11/12/2024', iso: false, ambiguous: true }],
  ['12/11/2024', null, { value: '12/11/2024', iso: false, ambiguous: true }],
  ['13/13/2024', null, kept('13/13/2024')],
  ['10.09.2024', null, iso('2024-09-10')],
  ['10.09.2024', 'mdy', iso('2024-09-10')],
  ['10.09.2024 04:11', null, iso('2024-09-10T04:11:00')],
  ['5/5/2024', null, iso('2024-05-05')],
  ['1-2-2024', 'dmy', iso('2024-02-01')],
  ['9/10/2024, 4:11 AM', 'mdy', iso('2024-09-10T04:11:00')],
  ['9/10/2024 4:11', 'mdy', iso('2024-09-10T04:11:00')],
  ['9/10/2024,4:11', 'mdy', iso('2024-09-10T04:11:00')],
  ['9/10/2024 - 4:11 PM', 'mdy', iso('2024-09-10T16:11:00')],
  ['9/10/2024 4:11:07 pm', 'mdy', iso('2024-09-10T16:11:07')],
  ['9/10/2024 12:11 am', 'mdy', iso('2024-09-10T00:11:00')],
  ['13/09/2024 4:11 下午', null, iso('2024-09-13T16:11:00')],
  ['13/09/2024 12:11 上午', null, iso('2024-09-13T00:11:00')],
  ['13/09/2024 12:11 下午', null, iso('2024-09-13T12:11:00')],
  ['13/09/2024 4:11 上午', null, iso('2024-09-13T04:11:00')],
  ['13/09/2024 14:11', null, iso('2024-09-13T14:11:00')],
  ['13/09/24', null, kept('13/09/24')],
  ['x13/09/2024', null, kept('x13/09/2024')],
  ['13/09/2024x', null, kept('13/09/2024x')],
  ['13x09/2024', null, kept('13x09/2024')],
  ['13/09x2024', null, kept('13/09x2024')],
  ['ab/09/2024', null, kept('ab/09/2024')],
  ['13/ab/2024', null, kept('13/ab/2024')],
  ['13/09/abcd', null, kept('13/09/abcd')],
  ['113/09/2024', null, kept('113/09/2024')],
  ['13/109/2024', null, kept('13/109/2024')],
]

const ORDER: [string[], 'dmy' | 'mdy' | null][] = [
  [['13/10/2024'], 'dmy'],
  [['10/13/2024'], 'mdy'],
  [['10.09.2024'], 'dmy'],
  [['5/5/2024'], null],
  [['13/10/2024', '10/13/2024'], null],
  [[], null],
  [['  13/10/2024  '], 'dmy'],
  [['12/12/2024'], null],
  [['12/5/2024'], null],
  [['5/12/2024'], null],
  [['13/12/2024'], 'dmy'],
  [['12/13/2024'], 'mdy'],
  [['x'], null],
  [['13/10/2024', '9/10/2024'], 'dmy'],
  [['x13/10/2024'], null],
  [['13/10/2024 4:11 PM'], 'dmy'],
]

describe('date-text at its boundaries (fresh module load)', () => {
  it(`readDate: ${READ.length} exact readings`, () => {
    let n = 0
    for (const [raw, order, want] of READ) {
      expect(m.readDate(raw, order), JSON.stringify([raw, order])).toEqual(want)
      n++
    }
    expect(n).toBe(94)
  })

  it(`inferDayMonthOrder: ${ORDER.length} sample sets`, () => {
    let n = 0
    for (const [samples, want] of ORDER) {
      expect(m.inferDayMonthOrder(samples), JSON.stringify(samples)).toBe(want)
      n++
    }
    expect(n).toBe(16)
  })

  it('the warning for dates kept raw, whole', () => {
    expect(m.ambiguousDateWarning(2, '9/10/2024')).toBe(
      "2 date(s) such as '9/10/2024' could be day/month or month/day and nothing else in the text tells which; they are kept as written.",
    )
  })
})
