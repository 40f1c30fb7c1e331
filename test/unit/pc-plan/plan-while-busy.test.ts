/**
 * Two windows at once: while another run (the app, a CLI) holds the PC's machine lock, "Make this PC current" is
 * refused before any step, in one sentence naming what holds the PC, and leaves no plan journal open; once the other
 * run ends, the plan runs.
 */
import { describe, expect, it } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { acquireMachineLock } from '../../../main/install/run-lock.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

describe('the whole-PC plan while another run holds the PC', () => {
  it('is refused in one sentence before any step, and runs once the other run ends', {
    timeout: hangMs(120_000),
  }, async () => {
    const dataDir = tempDirSync('sd-plan-busy-')
    const services = createServices({ dataDir })
    const ref = { kind: 'training', name: 'x64-healthy' } as const
    const other = acquireMachineLock(dataDir, 'training-x64-healthy', 'the installation of plan P')
    try {
      const err = await services.pcPlans.run(ref).then(
        () => null,
        (e: Error & { code?: string }) => e,
      )
      expect(err?.code).toBe('forbidden')
      expect(err?.message).toMatch(
        /^This PC's plan was not started: the PC is busy with the installation of plan P \(process \d+, since [^)]+\); one servicing operation runs per PC at a time, so run the plan again when it ends\.$/,
      )
      expect(services.pcPlans.journals.unfinished(ref)).toBeNull()
      expect(services.trainingStore.load(ref.name).restarts).toBe(0)
    } finally {
      other.release()
    }
    const r = await services.pcPlans.run(ref)
    expect(r.results.map((x) => [x.stepId, x.outcome])).toEqual([
      ['install-kb5129195', 'done'],
      ['find-kb-26100-9974', 'waiting'],
    ])
  })
})
