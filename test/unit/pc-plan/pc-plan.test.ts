/** One plan for the whole PC: its steps, in order, on the training machines; an install that cannot take is a wait. */
import { describe, it, expect } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { composePcPlan } from '../../../main/pc-plan/compose.ts'
import { PcPlanSchema } from '../../../preload/model/pc-plan.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { planInput } from './plan-input.ts'

const training = (name: string): MachineRef => ({ kind: 'training', name })

function fresh() {
  return createServices({ dataDir: tempDirSync('sd-pc-plan-') })
}

describe('the plan for the whole PC', () => {
  it('ARM64 24H2 missing its checkpoint: the checkpoint, the newest update of the branch (not the failed one), then WinRE; two restarts', async () => {
    const plan = PcPlanSchema.parse(await fresh().pcPlans.plan(training('arm64-missing-checkpoint')))
    expect(plan.steps.map((s) => [s.kind, s.kb ?? s.id])).toEqual([
      ['install', 'KB5043080'],
      ['install', 'KB5129195'],
      // November's build (26100.9974, from a CVE record) has no KB in the knowledge: a person finds it in the Catalog.
      ['wait', 'find-kb-26100-9974'],
      ['winre', 'winre'],
    ])
    expect(plan.restarts).toBe(2)
    expect(plan.newest).toMatchObject({ kb: 'KB5129195', build: '26100.9457', preview: false })
    expect(plan.upToDate).toBe(false)
    for (const s of plan.steps) expect(s.why).toMatch(/^[A-Z].*[.)]$/)
  })

  it('a pending restart comes first, then the newest update, then the failed .NET update again (not part of the cumulative one)', async () => {
    const plan = await fresh().pcPlans.plan(training('x64-pending-restart'))
    expect(plan.steps.map((s) => [s.kind, s.kb ?? s.id])).toEqual([
      ['restart', 'restart'],
      ['install', 'KB5129195'],
      ['wait', 'find-kb-26100-9974'],
      ['install', 'KB5095011'],
    ])
  })

  it('a repair that blocks servicing runs before the update (corrupt store: RestoreHealth, the update, WinRE)', async () => {
    const plan = await fresh().pcPlans.plan(training('x64-component-store-corrupt'))
    expect(plan.steps.map((s) => s.repairId ?? s.kb ?? s.id)).toEqual([
      'restore-health',
      'KB5129242',
      'find-kb-22631-7711',
      'winre',
    ])
  })

  it('Windows 10 22H2: KB5129236 needs an ESU licence, so it is a wait with instructions, never an install', async () => {
    const plan = await fresh().pcPlans.plan(training('x64-winre-partition-full'))
    expect(plan.steps.some((s) => s.kind === 'install')).toBe(false)
    const wait = plan.steps.find((s) => s.kind === 'wait')!
    expect(wait).toMatchObject({ id: 'wait-esu', kb: 'KB5129236' })
    expect(wait.title).toMatch(/ESU licence/)
    expect(wait.instructions!.join(' ')).toMatch(/slmgr\.vbs \/dlv/)
    // November's build 19045.7846 (a CVE record; an ESU update) has no KB in the knowledge: a second wait.
    expect(plan.steps.map((s) => s.id)).toEqual(['wait-esu', 'find-kb-19045-7846', 'winre'])
  })

  it('an update that ended "not applicable" on this PC is not offered again: a wait that says why and what instead', async () => {
    const services = fresh()
    const ref = training('x64-healthy')
    const input = await planInput(services, ref)
    expect(composePcPlan(input).steps.map((s) => s.kb ?? s.id)).toEqual(['KB5129195', 'find-kb-26100-9974'])
    const again = composePcPlan({
      ...input,
      changedNothing: [{ kb: 'KB5129195', kind: 'not-applicable', at: '2026-11-20T10:00:00Z', ubr: 8655 }],
    })
    expect(again.steps.map((s) => [s.kind, s.id])).toEqual([
      ['wait', 'wait-not-applicable'],
      ['wait', 'find-kb-26100-9974'],
    ])
    expect(again.steps[0]!.why).toMatch(/not applicable.*not offered again/)
    // Tried at another level (the PC has moved since): offered again.
    expect(
      composePcPlan({
        ...input,
        changedNothing: [{ kb: 'KB5129195', kind: 'not-applicable', at: '2026-11-20T10:00:00Z', ubr: 1150 }],
      }).steps[0]!.kind,
    ).toBe('install')
  })

  it('a removal asked for on purpose is not part of the plan, and the plan says so', async () => {
    const plan = await fresh().pcPlans.plan(training('x64-lcu-uninstall-blocked'))
    expect(plan.steps.some((s) => s.repairId === 'remove-package')).toBe(false)
    expect(plan.notes.join(' ')).toMatch(/choice of its own/)
    expect(plan.leftOut.map((l) => l.repairId)).toEqual(['remove-package'])
    expect(plan.notes).toContain(plan.leftOut[0]!.why)
  })

  it('a PC at the newest update with a KB and WinRE current: only the wait to find the KB of the newer build is left', async () => {
    const services = fresh()
    const ref = training('x64-healthy')
    await services.pcPlans.run(ref)
    const plan = await services.pcPlans.plan(ref)
    // 26100.9457 is the newest update with a KB; Microsoft's CVE record states 26100.9974 (2026-11-10) without one.
    expect(plan.current).toBe('26100.9457')
    expect(plan.steps.map((s) => [s.kind, s.id])).toEqual([['wait', 'find-kb-26100-9974']])
    expect(plan.upToDate).toBe(false)
  })
})
