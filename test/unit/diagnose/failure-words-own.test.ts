/**
 * A person's own failure told in words Windows' tools and people use for it ("cannot be installed", "sysprep failed",
 * "sfc /scannow failed", "unable to repair it", "I can't update") is at least "a failure, cause not named", never
 * "No servicing problem found". Sentences of our own.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

const noProblem = (text: string) => diagnose({ text }).notes.some((n) => /No servicing problem found/.test(n))
const first = (text: string) => diagnose({ text }).findings.find((f) => f.severity !== 'info')?.id ?? null

describe("a person's failure in words", () => {
  it.each([
    'There is a new cumulative update for my laptop, but it cannot be installed anymore.',
    'I cant update Windows 10 to the newest build, it just sits there.',
    'After removing the app for my account, sysprep failed again on the reference machine.',
    'Running sfc /scannow failed on my PC this morning.',
    'SFC keeps saying the system is damaged and it is unable to repair it.',
    'The upgrade assistant now tells me my PC is not eligible for the new version.',
  ])('%s', (text) => {
    expect(noProblem(text)).toBe(false)
    expect(first(text)).toMatch(/^failure-cause-not-named/)
  })
  it('an explainer of the same words reports no failure of its own', () => {
    expect(
      first(
        'How to fix it when an update cannot be installed: this guide explains the steps to follow. If SFC is unable to repair it, run DISM.',
      ),
    ).toBeNull()
  })
})
