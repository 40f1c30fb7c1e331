/**
 * `fix --yes` on every training machine ends in one run verified at the newest known update of its branch (or at a
 * named wait that needs a person, with its reason), with WinRE current and no install left to offer; a run killed
 * between steps continues from its journal without running a finished step again.
 */
import { describe, it, expect } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { tempDirSync } from '../temp-dirs.ts'

describe('fix --yes on every training machine', () => {
  const services = createServices({ dataDir: tempDirSync('sd-fix-every-') })
  for (const p of trainingProfiles) {
    it(`${p.name}: one run ends verified (or at a named wait), WinRE current, no install offered`, async () => {
      const ref = { kind: 'training', name: p.name } as const
      const run = await services.pcPlans.run(ref)
      expect(['completed', 'waiting']).toContain(run.status)
      expect(run.verification?.verified, run.verification?.detail).toBe(true)
      expect(run.results.filter((r) => r.outcome === 'failed')).toEqual([])
      const after = run.after!
      expect(after.steps.filter((s) => s.kind !== 'wait')).toEqual([])
      for (const w of after.steps) {
        expect(w.why.length).toBeGreaterThan(20)
        expect(w.instructions?.length).toBeGreaterThan(0)
      }
      if (run.status === 'completed') {
        expect(after.upToDate).toBe(true)
        expect(after.current).toBe(after.newest?.build)
      }
      const winre = await services.winre.report(ref)
      expect(winre.health.expected.verdict).not.toBe('stale')
      const offers = await services.repairs.offers(ref)
      expect(
        (offers.elsewhere ?? []).filter((e) => e.repairId === 'install-update' || e.repairId === 'install-checkpoint'),
      ).toEqual([])
    }, 120_000)
  }
})

describe('a plan run killed between steps', () => {
  it('continues from its journal: the finished step is not run again', async () => {
    const services = createServices({ dataDir: tempDirSync('sd-fix-kill-') })
    const ref = { kind: 'training', name: 'arm64-missing-checkpoint' } as const
    let n = 0
    await expect(
      services.pcPlans.run(ref, {
        checkpointHook: (_id, phase) => {
          if (phase === 'finished' && ++n === 1) throw new Error('killed')
        },
      }),
    ).rejects.toThrow('killed')
    const open = services.pcPlans.journals.unfinished(ref)!
    expect(Object.keys(open.results)).toEqual(['install-kb5043080'])
    const restartsBefore = services.trainingStore.load(ref.name).restarts
    const run = await services.pcPlans.run(ref)
    // It ends at the wait for November's build, whose KB a person finds in the Catalog.
    expect(run.status).toBe('waiting')
    expect(run.verification?.verified).toBe(true)
    expect(run.results.map((r) => r.stepId)).toEqual([
      'install-kb5043080',
      'install-kb5129195',
      'find-kb-26100-9974',
      'winre',
    ])
    // Only the newest update's restart: the checkpoint's install and restart were not run again.
    expect(services.trainingStore.load(ref.name).restarts).toBe(restartsBefore + 1)
  }, 120_000)
})
