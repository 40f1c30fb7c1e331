/**
 * Another window (the app, a CLI) starts servicing the PC while "Make this PC current" is between two steps: the next
 * step is not started, in one sentence naming what holds the PC; the plan stops there with its journal closed (no step
 * left open) and resumable, and once the other run ends the plan continues at that step. Never a raw error.
 */
import { describe, expect, it } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { acquireMachineLock, type RunLock } from '../../../main/install/run-lock.ts'
import { formatPcPlanRun } from '../../../main/cli/commands/fix.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const ref = { kind: 'training', name: 'arm64-missing-checkpoint' } as const
const SENTENCE =
  /^Not started: machine arm64-missing-checkpoint is busy with the WinRE repair R \(process \d+, since [^)]+\); one servicing operation runs per PC at a time, so run the plan again when it ends: it continues at this step\.$/

describe('the whole-PC plan when another run takes the PC between two steps', () => {
  it('the next step ends "refused" in one sentence, the journal is closed and resumable, and the rerun continues there', {
    timeout: hangMs(240_000),
  }, async () => {
    const dataDir = tempDirSync('sd-plan-between-')
    const services = createServices({ dataDir })
    let other: RunLock | null = null
    const run = await services.pcPlans.run(ref, {
      onStep: (e) => {
        // The other window starts right after the first step finished, before the plan's next step.
        if (e.phase === 'finished' && e.index === 0)
          other = acquireMachineLock(dataDir, 'training-arm64-missing-checkpoint', 'the WinRE repair R')
      },
    })
    try {
      expect(run.status).toBe('refused')
      expect(run.results.map((r) => [r.stepId, r.outcome])).toEqual([
        ['install-kb5043080', 'done'],
        ['install-kb5129195', 'refused'],
      ])
      expect(run.results[1]!.detail).toMatch(SENTENCE)
      expect(run.verification).toBeNull()
      const j = services.pcPlans.journals.unfinished(ref)
      expect(j?.status).toBe('refused')
      expect(j?.open).toBeNull()
      // The CLI shows the sentence as the step's line, never an error.
      const text = formatPcPlanRun(run)
      expect(text).toMatch(/plan stopped: another run holds the PC/)
      expect(text.split('\n').map((l) => l.trim())).toContainEqual(expect.stringMatching(SENTENCE))
    } finally {
      ;(other as RunLock | null)?.release()
    }
    const again = await services.pcPlans.run(ref)
    expect(again.results.map((r) => [r.stepId, r.outcome])).toEqual([
      ['install-kb5043080', 'done'],
      ['install-kb5129195', 'done'],
      ['find-kb-26100-9974', 'waiting'],
      ['winre', 'done'],
    ])
  })

  it("taken while the step is being prepared (after the plan's own look): the step's refusal is the same sentence, not a raw error", {
    timeout: hangMs(240_000),
  }, async () => {
    const dataDir = tempDirSync('sd-plan-race-')
    const services = createServices({ dataDir })
    let other: RunLock | null = null
    const makePlan = services.install.makePlan
    let calls = 0
    services.install.makePlan = async (args) => {
      const p = await makePlan(args)
      if (++calls === 2) other = acquireMachineLock(dataDir, 'training-arm64-missing-checkpoint', 'the WinRE repair R')
      return p
    }
    try {
      const run = await services.pcPlans.run(ref)
      expect(run.status).toBe('refused')
      expect(run.results.at(-1)).toMatchObject({ stepId: 'install-kb5129195', outcome: 'refused' })
      expect(run.results.at(-1)!.detail).toMatch(SENTENCE)
      expect(services.pcPlans.journals.unfinished(ref)?.open).toBeNull()
    } finally {
      ;(other as RunLock | null)?.release()
    }
  })
})
