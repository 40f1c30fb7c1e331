/**
 * Hardware and support blocks, from Microsoft's documentation of each (Windows 11's requirements and processor
 * instructions; KB4012982 for Windows 7/8.1 on a newer processor; "Upgrade error codes" 0xC1900200/0xC1900202), on
 * texts of our own: named as a compatibility block with its documented options, never "a failure, cause not named" nor
 * "No servicing problem found".
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

const top = (t: string) => diagnose({ text: t }).findings.find((f) => f.severity !== 'info' && f.state !== 'past')

describe('hardware and support blocks', () => {
  it("a processor without POPCNT/SSE4.2 blocking 24H2 is the processor's instructions, with no bypass offered", () => {
    for (const t of [
      "Tried the 24H2 upgrade on my old Core 2 Quad: setup failed and said this PC's processor doesn't support a critical feature (POPCNT).",
      'The 24H2 installation has failed. My Phenom II does not support SSE4.2, is that why?',
    ]) {
      expect([t, causeOf(t).id]).toEqual([t, 'setup-blocked:processor-instructions'])
    }
    const f = top('Upgrade to 24H2 failed: the CPU lacks POPCNT.')!
    expect(f.remedies.map((r) => r.id)).toEqual(['stay-or-replace'])
    expect(f.remedies[0]!.sources).toEqual(['S-W11-REQ'])
  })
  it('news that 24H2 needs POPCNT, with no failure told, is no block', () => {
    expect(causeOf('Windows 11 24H2 uses the POPCNT instruction, which every processor since 2008 has.').id).toBe(
      'none',
    )
  })
  it("Windows 11's requirements message, Setup's hard block and its result codes are the requirements block", () => {
    for (const t of [
      "Windows Update says: This PC doesn't currently meet Windows 11 system requirements.",
      'Windows Update meldet: Dieser PC erfüllt derzeit nicht die Systemanforderungen für Windows 11.',
      'Windows Update indique : Ce PC ne répond pas actuellement à la configuration système requise pour Windows 11.',
      'この PC は現在、Windows 11 のシステム要件を満たしていません',
      '<CompatData><Hardware><HardwareItem HardwareType="Setup_TPM"><CompatibilityInfo BlockingType="Hard" Title="TPM 2.0"/></HardwareItem></Hardware></CompatData>',
      'The in-place upgrade task sequence failed with 0xC1900200.',
    ]) {
      expect([t, causeOf(t).id]).toEqual([t, 'setup-blocked:hardware-requirements'])
    }
    const f = top(
      '<HardwareItem HardwareType="Setup_SecureBoot"><CompatibilityInfo BlockingType="Hard"/></HardwareItem>',
    )!
    expect(f.technical).toMatch(/Setup_SecureBoot/)
    expect(f.remedies.map((r) => r.id)).toEqual(['check-requirements', 'firmware', 'stay-or-replace'])
  })
  it("Windows Update's Unsupported hardware on Windows 7/8.1 is the processor generation, told without a code", () => {
    for (const t of [
      'New Kaby Lake PCs with Windows 7 Pro: checking for updates only shows the Unsupported hardware message.',
      'Windows 8.1: "Your PC uses a processor that isn\'t supported on this version of Windows" when I scan for updates.',
    ]) {
      expect([t, causeOf(t).id]).toEqual([t, 'setup-blocked:processor-generation'])
    }
    expect(top('Unsupported hardware on Windows 7')!.remedies[0]!.sources).toEqual(['S-KB4012982'])
  })
})
