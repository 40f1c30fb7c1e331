/**
 * An HRESULT printed as a signed 32-bit decimal after a literal `0x` (a log format that writes `0x` and then the value
 * with `%d`): `0x-2146498270` has a sign, so it cannot be hexadecimal; its only reading is the signed decimal, the same
 * value as `-2146498270` (0x800F0922). A sign with fewer digits, a positive decimal after `0x`, or a value outside the
 * 32-bit range is not read.
 */
import { describe, it, expect } from 'vitest'
import { extractTextFacts } from '../../../main/analyze/extract.ts'

const codesOf = (text: string) => extractTextFacts(text).codes.map((c) => c.code)

describe('a signed decimal HRESULT written after 0x', () => {
  it.each([
    ['Step failed with 0x-2146498270: package not applicable', '0x800F0922'],
    ['Error 0x-2147024891, access denied.', '0x80070005'],
    ['(0x-2147418113)', '0x8000FFFF'],
  ])('%s', (text, code) => {
    expect(codesOf(text)).toEqual([code])
  })

  it.each([
    ['offset 0x-214'],
    ['value 0x-3147024891 is out of range'],
    ['value 0x-2999999999 is below the 32-bit range'],
    ['id0x-2147024891'],
  ])('not a code: %s', (text) => {
    expect(codesOf(text)).toEqual([])
  })
})
