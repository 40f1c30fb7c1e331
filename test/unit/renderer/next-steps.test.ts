/**
 * A run's end screen offers the next step as buttons taken from the fresh diagnosis:
 * "Install KB…" for an update a finding or the repair names, "Fix it: …" for another repair; a finding marked
 * past or a note is not a next step.
 */
import { describe, it, expect } from 'vitest'
import { nextActions } from '../../../renderer/src/components/next-steps.tsx'
import type { Finding } from '../../../preload/model/diagnosis.ts'

const finding = (over: Partial<Finding>): Finding => ({
  id: 'x',
  title: 'Something',
  technical: 't',
  severity: 'error',
  confidence: 0.8,
  causes: [],
  remedies: [],
  evidence: [],
  repair: null,
  codes: [],
  ...over,
})

describe('nextActions', () => {
  it("puts the update the repair names first, then the fresh findings' repairs, each once", () => {
    const a = nextActions(
      [
        finding({ id: 'failed-update', repair: 'install-update', kbs: ['KB5094126'] }),
        finding({ id: 'store', title: 'The component store is damaged', repair: 'restore-health' }),
        finding({ id: 'winre', title: 'WinRE is off', repair: 'winre-enable' }),
      ],
      ['KB5094126'],
    )
    expect(a.map((x) => x.label)).toEqual([
      'Install KB5094126',
      'Fix it: The component store is damaged',
      'Fix it: WinRE is off',
    ])
  })
  it('leaves out notes, findings without a repair, past findings and repairs no screen runs', () => {
    const a = nextActions(
      [
        finding({ id: 'note', severity: 'info', repair: 'restart' }),
        finding({ id: 'plain', repair: null }),
        { ...finding({ id: 'old', repair: 'restart' }), state: 'past' } as Finding,
        finding({ id: 'update-no-kb', repair: 'install-update' }),
      ],
      [],
    )
    expect(a.map((x) => x.key)).toEqual(['repair-install-update'])
  })
  it('is empty when the PC has nothing left to fix', () => {
    expect(nextActions([], [])).toEqual([])
  })
})
