/**
 * Microsoft's "Resolution procedures" page (S29) documents 0xC1900101 with seven extend codes, each with its cause and
 * mitigation (a SafeOS boot failure from drivers or non-Microsoft disk encryption, a driver that stops responding to
 * setup.exe during sysprep, a display driver in FIRST_BOOT's data migration, …), and says of the code alone that it is
 * "a generic rollback code" that "usually indicates that an incompatible driver is present". A setup result told with
 * one of those pairs gets Microsoft's cause for it; a pair the page does not list gets the code's general cause and the
 * phase, never only "Setup failed in the … phase".
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { decodeExtendCode } from '../../../main/knowledge/setup-extend.ts'

const causeOf = (text: string) => {
  const f = diagnose({ text }).findings.find((x) => x.id === 'feature-update-failed')
  if (!f) throw new Error(`no feature-update finding for ${text}`)
  return f.causes.join(' ')
}

describe('0xC1900101 pairs from Microsoft\'s "Resolution procedures"', () => {
  it.each([
    ['0x20004', /out-of-date drivers/],
    ['0x2000C', /outdated driver or disk corruption/],
    ['0x20017', /SafeOS boot failure, typically caused by drivers or non-Microsoft disk encryption software/],
    ['0x30018', /device driver has stopped responding to setup\.exe/],
    ['0x3000D', /display driver/],
    ['0x4000D', /driver configuration issue/],
    ['0x40017', /faulty driver.*antivirus filter drivers or encryption drivers/],
  ])('0xC1900101 - %s has its documented cause', (extend, cause) => {
    expect(decodeExtendCode(extend, '0xC1900101')?.pair?.cause).toMatch(cause)
    expect(causeOf(`0xC1900101 - ${extend}`)).toMatch(cause)
  })

  it("a pair the page does not list: the code's general cause (an incompatible driver), with the phase", () => {
    const c = causeOf('We couldn’t install Windows 11. 0xC1900101 - 0x40021')
    expect(c).toMatch(/generic rollback code/)
    expect(c).toMatch(/incompatible driver/)
    expect(c).toMatch(/SECOND_BOOT/)
    // Another result code keeps its own reading: no driver claim for 0x80004005 - 0x4000D.
    expect(causeOf('0x80004005 - 0x4000D')).not.toMatch(/incompatible driver/)
  })
})
