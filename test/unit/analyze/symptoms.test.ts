/** Problems told without a code and DISM runs with several failing packages. */
import { describe, it, expect } from 'vitest'
import { analyzeText } from '../../../main/analyze/analyze.ts'

const errors = (t: string) =>
  analyzeText(t)
    .findings.filter((f) => f.severity === 'error')
    .map((f) => f.title)

describe('symptoms without codes', () => {
  it("Setup's system reserved partition message is a failure with its cause", () => {
    expect(errors("Setup stopped: We couldn't update the system reserved partition").join(' ')).toMatch(
      /system reserved partition/,
    )
  })

  it('Secure Boot: event 1801 with UEFICA2023Status InProgress is the certificate update not applied; NotStarted alone is not', () => {
    expect(errors('TPM-WMI event 1801 after every reboot\nUEFICA2023Status         : InProgress').join(' ')).toMatch(
      /Secure Boot certificate update is not applied/,
    )
    expect(errors('UEFISecureBootEnabled    : 1\nUEFICA2023Status         : NotStarted')).toEqual([])
  })

  it('an update that fails to install, told without a code', () => {
    expect(errors('The February update KB5051987 fails to install on two laptops.').join(' ')).toMatch(/no code/)
    expect(errors('KB5051987 fails to install with 0x800f081f')).not.toContain(
      'An update fails to install; the text gives no code',
    )
  })
})

describe('DISM: each failing package of a run is a failure', () => {
  it('names every distinct failure code, not only the first', () => {
    const t =
      'Processing 1 of 2 - Adding package Package_for_RollupFix~31bf3856ad364e35~amd64~~19041.1.1.1\nError: 0x800f081f\nProcessing 2 of 2 - Package_for_KB5000001: The specified image is no longer serviceable.\nError: 0x800f0830\n\nDISM failed. No operation was performed.'
    const e = errors(t).join(' ')
    expect(e).toContain('0x800F081F')
    expect(e).toContain('0x800F0830')
  })
})
