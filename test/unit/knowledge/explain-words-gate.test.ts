/**
 * Advice in words carries the same gate as the steps: explain's "What to do" text never advises a remedy whose step the
 * gate withholds (a code alone is no evidence), nor a destructive command it names in passing (DISM
 * /RevertPendingActions in 0x80070BC9's text). With the evidence that allows a step, the words advise it again.
 */
import { describe, it, expect } from 'vitest'
import { explain } from '../../../main/knowledge/error-explain.ts'
import { standardRemedy } from '../../../main/knowledge/error-codes.ts'
import { NO_EVIDENCE, type AdviceFacts } from '../../../main/knowledge/remedy-steps.ts'
import { gateAdviceWords } from '../../../main/knowledge/advice-words.ts'
import type { PcState } from '../../../main/knowledge/preconditions.ts'
import data from '../../../main/knowledge/data/error-codes.json' with { type: 'json' }

const entries = (data as { codes: { code: string; remedyText: string }[] }).codes

/** The clauses of a text that advise a remedy's title without saying it is not advised. */
function advised(text: string | null, title: string): string[] {
  return (text ?? '').split(/(?<=[;.!?])\s+/).filter((c) => c.includes(`“${title}”`) && !/not advised here/i.test(c))
}

describe("explain's remedy text passes the gate", () => {
  it('no code alone gets a withheld remedy advised in words', () => {
    let checked = 0
    for (const entry of entries) {
      const e = explain(entry.code)
      if (!e.ok) continue
      for (const r of e.value.remedies) {
        if (!r.withheld?.length) continue
        const title = standardRemedy(r.id)?.title
        if (!title) continue
        checked++
        expect(advised(e.value.remedyText, title), `${entry.code}: ${e.value.remedyText}`).toEqual([])
      }
    }
    expect(checked).toBeGreaterThan(10)
  })

  it('0x80070BC9 alone: neither the revert (RevertPendingActions) nor the pending.xml clean-up is advised; the restart is', () => {
    const e = explain('0x80070BC9')
    if (!e.ok) throw new Error(e.error)
    expect(e.value.remedyText).toMatch(/“Restart once”/)
    const clauses = (e.value.remedyText ?? '').split(/(?<=[;.!?])\s+/)
    expect(clauses.filter((c) => /RevertPendingActions/i.test(c) && !/not advised here/i.test(c))).toEqual([])
    expect(advised(e.value.remedyText, standardRemedy('R8')!.title)).toEqual([])
  })

  it('with evidence that allows it (failed again after a restart, nothing pending, a PC read), the clean-up is advised again', () => {
    const pc: PcState = {
      seen: true,
      servicingInProgress: false,
      servicingEvidence: [],
      pendingGoodUpdate: false,
      pendingGood: [],
      bitlocker: 'recovery-password',
      foreignLoader: false,
      foreignLoaders: [],
      espMovable: [],
      recoveryPosition: 'after',
      recoveryAdjacent: true,
    }
    const facts: AdviceFacts = {
      ...NO_EVIDENCE,
      failed: new Set(['0x80070BC9']),
      failedAgain: new Set(['0x80070BC9']),
      pendingXml: true,
      pendingPackages: true,
      pc,
    }
    const e = explain('0x80070BC9', facts)
    if (!e.ok) throw new Error(e.error)
    expect(e.value.remedies.flatMap((r) => r.withheld ?? [])).toEqual([])
    expect(e.value.remedyText).not.toMatch(/not advised here/i)
    expect(e.value.remedyText).toMatch(/RevertPendingActions/)
    expect(advised(e.value.remedyText, standardRemedy('R8')!.title).length).toBeGreaterThan(0)
  })

  it("analyze's hints: a sentence naming a destructive command by its command line is gated too", () => {
    expect(gateAdviceWords('Run DISM /Image:C:\\ /Cleanup-Image /RevertPendingActions from WinRE.')).toMatch(
      /^Not advised here/,
    )
    expect(gateAdviceWords('Restart the PC.')).toBe('Restart the PC.')
  })
})
