/**
 * The whole-PC guard of a script whose steps are several registry kinds (a fleet remediation): the union of what the
 * kinds touch, and a kind the registry does not know is refused rather than given no guard (deny by default).
 */
import { describe, it, expect } from 'vitest'
import { guardLinesForKinds, wholePcGuardLines } from '../../../main/repair/whole-pc-guard.ts'

describe('guardLinesForKinds', () => {
  it("gives the servicing guard for the fleet installer fix's kinds (remove-package, task-cache)", () => {
    const lines = guardLinesForKinds(['remove-package', 'task-cache'])
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.join('\n')).toMatch(/RebootInProgress|pending\.xml|TrustedInstaller/)
  })

  it('is the union of its kinds: never fewer lines than one kind alone', () => {
    const one = guardLinesForKinds(['task-cache'])
    const both = guardLinesForKinds(['remove-package', 'task-cache'])
    for (const l of one) expect(both).toContain(l)
  })

  it('refuses a kind the registry does not know (no silent empty guard)', () => {
    expect(() => guardLinesForKinds(['task-cache', 'no-such-kind'])).toThrow(/no-such-kind.*not in the registry/)
  })

  it('keeps the per-repair guard as it was', () => {
    expect(wholePcGuardLines('winre-resize').some((l) => /KeyProtectorTypes/.test(l))).toBe(true)
  })
})
