/** A restart after an install that changed nothing (not applicable, already installed) is not run. */
import { describe, it, expect } from 'vitest'
import { freshServices } from './helpers.ts'

describe('the restart after an install that changed nothing', () => {
  it('is settled without restarting the PC when the package was not applicable (Windows 10 22H2, KB5129236)', async () => {
    const { services } = freshServices()
    const ref = { kind: 'training', name: 'x64-winre-partition-full' } as const
    const plan = await services.install.makePlan({ ref, kbs: ['KB5129236'] })
    const journal = await services.install.install(plan, {})
    const kinds = plan.steps.map((s) => [s.kind, journal.results[s.id]?.kind])
    expect(kinds).toEqual([
      ['add-package', 'not-applicable'],
      ['restart', 'not-applicable'],
    ])
    expect(services.trainingStore.load(ref.name).restarts).toBe(0)
    expect(journal.entries.some((e) => e.phase === 'restarted')).toBe(false)
  })
})
