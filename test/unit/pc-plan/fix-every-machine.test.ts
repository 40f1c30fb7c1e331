/**
 * `fix --yes` on every training machine ends in one run verified at the newest known update of its branch (or at a
 * named wait that needs a person, with its reason), with WinRE current and no install left to offer; a run killed
 * between steps continues from its journal without running a finished step again.
 */
import { describe, it, expect } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { verificationOf } from '../../../main/report/verification.ts'
import { offeredInstalls } from '../../../preload/model/health.ts'
import { BEHIND_BUILD_ID, isActive } from '../../../preload/model/finding-state.ts'
import { hangMs } from '../../load.ts'

/** The machines whose newest update needs a person first, and the wait that says so. */
const WAITS: Record<string, { id: string; why: RegExp }> = {
  'x64-winre-partition-full': { id: 'wait-esu', why: /Extended Security Update[\s\S]*ESU licence|enrolled in ESU/ },
}

describe('fix --yes on every training machine', () => {
  const services = createServices({ dataDir: tempDirSync('sd-fix-every-') })
  for (const p of trainingProfiles) {
    it(`${p.name}: one run ends verified (or at a named wait), WinRE current, no install offered`, {
      timeout: hangMs(120_000),
    }, async () => {
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
      // At the newest known update of its branch, or at the named wait that holds it back (with its reason).
      const wait = WAITS[p.name]
      if (wait) {
        expect(run.status).toBe('waiting')
        const w = after.steps.find((s) => s.id === wait.id)
        expect(w, JSON.stringify(after.steps.map((s) => s.id))).toBeDefined()
        expect(w!.why).toMatch(wait.why)
        expect(w!.kb).toBe(after.newest?.kb)
        expect(run.verification!.detail).toContain(w!.title)
      } else {
        // At the newest update whose KB the knowledge names; where Microsoft's records name a newer build without its
        // KB, the plan ends at the wait that says how to find that KB in the Catalog (a person's step), never silently.
        const findKb = after.steps.find((s) => s.id.startsWith('find-kb-'))
        expect(run.status).toBe(findKb ? 'waiting' : 'completed')
        if (findKb) expect(findKb.title).toMatch(/Microsoft Update Catalog/)
        expect(after.current).toBe(after.newest?.build)
      }
      // WinRE current: at its target, nothing of WinRE left to repair.
      const winre = await services.winre.report(ref)
      expect(winre.health.expected.verdict).not.toBe('stale')
      expect(winre.repair.steps).toEqual([])
      // No install left to offer, on any surface: the plan, Fix it, the diagnosis.
      const offers = await services.repairs.offers(ref)
      expect(
        (offers.elsewhere ?? []).filter((e) => e.repairId === 'install-update' || e.repairId === 'install-checkpoint'),
      ).toEqual([])
      const findings = (await services.diagnose({ machine: ref })).findings
      expect(offeredInstalls(findings).map((f) => f.title)).toEqual([])
      // The verdict words: behind only for a wait is "update available" naming that wait, never "Problems remain".
      const v = verificationOf(await services.scan(ref), findings)
      const findKb = after.steps.some((s) => s.id.startsWith('find-kb-'))
      if (wait) {
        expect(v.status, JSON.stringify(v.checks.filter((c) => c.ok === false))).toBe('update-available')
        expect(v.checks.find((c) => c.id === 'offered-installs')?.detail).toMatch(/needs an ESU licence/)
      } else if (findKb) {
        expect(v.status, JSON.stringify(v.checks.filter((c) => c.ok === false))).toBe('update-available')
        expect(v.checks.find((c) => c.id === 'offered-installs')?.detail).toMatch(/A newer build is out/)
      } else expect(v.status, JSON.stringify(v.checks.filter((c) => c.ok === false))).toBe('healthy')
      // No finding holds now but the wait's own.
      expect(
        findings
          .filter((f) => isActive(f) && f.severity !== 'info')
          .filter((f) => !wait || !/ESU|security updates may have ended/.test(f.title))
          .filter((f) => f.id !== BEHIND_BUILD_ID)
          .map((f) => f.id),
      ).toEqual([])
    })
  }
})

describe('a plan run killed between steps', () => {
  it('continues from its journal: the finished step is not run again', { timeout: hangMs(120_000) }, async () => {
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
  })
})
