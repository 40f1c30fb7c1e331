/**
 * Setup result/extend pairs decoded from Microsoft's extend-code table (upgrade-error-codes.md, S28) for any result
 * code, every written form kept, and a zero-padded 8-digit code read as hex.
 */
import { describe, it, expect } from 'vitest'
import { explain } from '../../../main/knowledge/error-explain.ts'
import { decodeExtendCode } from '../../../main/knowledge/setup-extend.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import type { TextFacts } from '../../../main/analyze/extract.ts'

const ok = (s: string) => {
  const r = explain(s)
  if (!r.ok) throw new Error(r.error)
  return r.value
}

describe('Setup extend codes', () => {
  it('0xC1900101 - 0x4000D names phase and operation', () => {
    const x = ok('0xC1900101 - 0x4000D')
    expect(x.extend).toBe('0x4000D')
    expect(x.extendMeaning).toMatchObject({
      phase: { digit: 4, name: 'SP_EXECUTION_OOBE_BOOT', label: 'SECOND_BOOT' },
      operation: { hex: '0x0D', name: 'SP_EXECUTION_OP_MIGRATE_DATA' },
    })
    expect(x.sources.map((s) => s.key)).toContain('S28')
  })

  it('keeps the extend code in every written form', () => {
    for (const [text, code, extend] of [
      ['C1900101 - 4000D', '0xC1900101', '0x4000D'],
      ['Error = 0xC1900101-0x4001E', '0xC1900101', '0x4001E'],
      ['0xC1900101-0x20017', '0xC1900101', '0x20017'],
    ] as const) {
      const x = ok(text)
      expect([x.code, x.extend]).toEqual([code, extend])
      expect(x.extendMeaning?.phase.digit).toBe(parseInt(extend.slice(2), 16) >> 16)
    }
    expect(ok('Error = 0xC1900101-0x4001E').extendMeaning?.operation.name).toBe('SP_EXECUTION_OP_PRE_OOBE')
  })

  it('a pair Microsoft describes is read as the pair: 0x80070002 - 0x20009 is multiple system partitions, not "file not found"', () => {
    const x = ok('0x80070002 - 0x20009')
    expect(x.meaning).toMatch(/multiple devices \(system partitions\)/)
    expect(x.extendMeaning?.pair?.mitigation).toMatch(/unused system partition/)
    expect(x.sources.map((s) => s.key)).toEqual(expect.arrayContaining(['S28', 'S29']))
  })

  it('an operation outside the 1607 table is said to be so', () => {
    expect(decodeExtendCode('0x40021')?.text).toMatch(/operation 0x21 \(not in Microsoft's operation table/)
  })

  it('bare 00240005 is hex (WU_S_REBOOT_REQUIRED), not decimal', () => {
    expect(ok('00240005').code).toBe('0x00240005')
  })

  it('analysed text: a glued pair gives its result code', () => {
    const x = analyzeText(
      'We couldn’t install Windows 11\n0xC1900101-0x20017\nThe installation failed in the SAFE_OS phase with an error during BOOT operation',
    ).facts.extracted as TextFacts
    expect(x.codes.map((c) => c.code)).toContain('0xC1900101')
  })
})
