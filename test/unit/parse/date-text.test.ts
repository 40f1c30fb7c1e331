import { describe, it, expect } from 'vitest'
import { readDate, inferDayMonthOrder } from '../../../main/parse/date-text.ts'

describe('readDate', () => {
  it('reads unambiguous dates in every display culture into ISO 8601', () => {
    expect(readDate('9/25/2024 10:01 AM').value).toBe('2024-09-25T10:01:00')
    expect(readDate('25/09/2024 22:01').value).toBe('2024-09-25T22:01:00')
    expect(readDate('10.09.2024 04:11').value).toBe('2024-09-10T04:11:00') // de-DE: dots are day first
    expect(readDate('2019/1/24, 9:46:29').value).toBe('2019-01-24T09:46:29') // zh-CN
    expect(readDate('12/19/2023, 12:14:06 AM').value).toBe('2023-12-19T00:14:06')
    expect(readDate('12/9/2023, 7:14:06 AM').ambiguous).toBe(true)
    expect(readDate('2024-09-10T04:11:00Z').value).toBe('2024-09-10T04:11:00.000Z')
    expect(readDate('/Date(1726200000000)/').value).toBe('2024-09-13T04:00:00.000Z')
  })

  it('keeps an ambiguous slash date raw unless the same text tells the order', () => {
    expect(readDate('06/09/2024 04:11')).toEqual({ value: '06/09/2024 04:11', iso: false, ambiguous: true })
    expect(readDate('06/09/2024 04:11', 'dmy').value).toBe('2024-09-06T04:11:00')
    expect(readDate('06/09/2024 04:11', 'mdy').value).toBe('2024-06-09T04:11:00')
    expect(readDate('5/5/2024').value).toBe('2024-05-05')
  })

  it('infers the order from other dates of the same text, and refuses when they disagree', () => {
    expect(inferDayMonthOrder(['06/09/2024', '25/09/2024'])).toBe('dmy')
    expect(inferDayMonthOrder(['06/09/2024', '9/25/2024'])).toBe('mdy')
    expect(inferDayMonthOrder(['25/09/2024', '9/25/2024'])).toBeNull()
    expect(inferDayMonthOrder(['01.02.2024'])).toBe('dmy')
  })

  it('returns null for empty, N/A and placeholders, and keeps nonsense as written', () => {
    expect(readDate('').value).toBeNull()
    expect(readDate('N/A').value).toBeNull()
    expect(readDate(null).value).toBeNull()
    expect(readDate('##/##/####')).toEqual({ value: '##/##/####', iso: false, ambiguous: false })
    expect(readDate('13/13/2024').iso).toBe(false)
    expect(readDate('2/30/2024 25:00').iso).toBe(false)
  })
})
