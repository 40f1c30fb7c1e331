/**
 * CBS ends every execution with `Exec: Processing complete.  Session: …, Package: … [HRESULT = …]`: the line Microsoft's
 * Windows Update troubleshooting quotes to tell how an install ended. Logged at Info and without the word "failed", it
 * still says the install failed when its HRESULT is a failure (0x800F0922, CBS_E_INSTALLERS_FAILED), so a CBS.log whose
 * only failing line is that one is read as a failure with that code, never as nothing wrong; with S_OK it is no error.
 */
import { describe, expect, it } from 'vitest'
import { analyzeCbsLogText } from '../../../main/parse/cbs-log.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

const log = (hr: string) =>
  [
    '2025-03-12 09:14:02, Info                  CBS    Exec: Installing Package: Package_for_RollupFix~31bf3856ad364e35~amd64~~22621.4890.1.7, Update: KB5052094',
    `2025-03-12 09:31:40, Info                  CBS    Exec: Processing complete.  Session: 31164238_1021937611, Package: Package_for_RollupFix~31bf3856ad364e35~amd64~~22621.4890.1.7 [HRESULT = ${hr}]`,
    `2025-03-12 09:31:41, Info                  CBS    Session: 31164238_1021937611 finalized. Reboot required: no [HRESULT = ${hr}]`,
  ].join('\n')

describe('Exec: Processing complete with a failure HRESULT', () => {
  it('is an error line with its code; with S_OK it is none', () => {
    const bad = analyzeCbsLogText(log('0x800f0922 - CBS_E_INSTALLERS_FAILED'))
    expect(bad.errors.map((e) => e.code)).toContain('0x800F0922')
    expect(bad.errors[0]!.text).toMatch(/Processing complete/)
    const good = analyzeCbsLogText(log('0x00000000 - S_OK'))
    expect(good.errors).toEqual([])
  })

  it('diagnose reads the failure and its code from that line alone', () => {
    const d = diagnose({ text: log('0x800f0922 - CBS_E_INSTALLERS_FAILED') })
    expect(d.findings.flatMap((f) => f.codes ?? [])).toContain('0x800F0922')
  })
})
