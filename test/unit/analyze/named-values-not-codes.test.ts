/**
 * A 0x value its line names as something else (a DIF request code, flags, an address, a handle) and SetupAPI's
 * ERROR_DI_DO_DEFAULT are facts, never failures; a code told as a failure stays one. Lines written for this test.
 */
import { describe, expect, it } from 'vitest'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { firstFailure } from '../../../main/diagnose/text-verdict.ts'

const failureCodes = (text: string) =>
  ((analyzeText(text).facts.extracted as { codes: { code: string; infoOnly: boolean }[] } | undefined)?.codes ?? [])
    .filter((c) => !c.infoOnly)
    .map((c) => c.code)

describe('values a line names, and a class installer asking for the default action', () => {
  it('are facts: no failure code, no failure', () => {
    for (const text of [
      'vendor.dll:  ExampleClassInstaller: Unrecognized DIF request 0xa1b2c3d4\nvendor.dll:  ExampleClassInstaller: leaving',
      'dispci.dll:  DisplayClassInstaller: Returning 0xe000020e for DIF 0x7 and device PCI\\VEN_1234&DEV_5678',
      'Driver package staged. Flags: 0x80000400, handle 0xFFFF8A0C12345678, address 0x8A0C1234',
    ]) {
      expect(failureCodes(text), text).toEqual([])
      expect(firstFailure(diagnose({ text }).findings), text).toBeNull()
    }
  })

  it('a code the line tells as a failure stays one, beside such a value', () => {
    const text =
      'Installing KB5034441 failed with error 0x80070643 (request 0x00000012 handled, flags 0x80000001)\nThe update was not installed.'
    expect(failureCodes(text)).toEqual(['0x80070643'])
    expect(firstFailure(diagnose({ text }).findings)).not.toBeNull()
    expect(failureCodes('Device installation failed: 0xE0000203 for DIF 0x5')).toEqual(['0xE0000203'])
  })
})
