/**
 * The executor's refusals that a plain run never takes, each alone and in process: a plan whose
 * step depends on a later one is refused before anything runs (so the executor's own "prerequisite did not
 * succeed" skip is a second line no builder plan reaches: docs/mutation.md); a journal step recorded as
 * skipped is run again, not taken as failed; a cancel that arrives between steps stops the
 * run before the next one (a restart is not issued); with the folder method, a package the plan does not
 * name, put beside the target after planning, refuses the step (DISM would install it unhashed); the journal
 * is on disk as "running" before anything is hashed or run; an interrupted step whose packages are only
 * partly there (one pending, one absent) is run again, not taken as waiting for a restart; an interrupted
 * restart that is still needed is run, not taken as done. executePlan is called directly on the training
 * machine arm64-missing-checkpoint with the real planner's plan (planned-machine.ts: one scan per file).
 */
import { describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { executePlan } from '../../../main/install/executor.ts'
import { JournalStore, withEntry } from '../../../main/install/journal.ts'
import { buildStep } from '../../../main/install/step-commands.ts'
import type { Journal, Plan } from '../../../preload/model/plan.ts'
import { executorSetup } from './planned-machine.ts'

/** Thrown by a checkpoint hook: the process "dies" at that boundary. */
class Crash extends Error {}
const crashAt = (point: string) => (p: string) => {
  if (p === point) throw new Crash(p)
}
const started = (j: Journal, id: string) => j.entries.filter((e) => e.phase === 'started' && e.stepId === id)
const finished = (j: Journal, id: string) => j.entries.filter((e) => e.phase === 'finished' && e.stepId === id)

/** The real plan with its first step made to depend on the last one (which could not have run when the first is reached). */
function backwards(plan: Plan): Plan {
  const p = structuredClone(plan)
  p.id = `${plan.id.slice(0, 60)}-bw`
  p.steps[0]!.dependsOn = [p.steps.at(-1)!.id]
  return p
}

describe('executor: a step whose prerequisite did not succeed never runs', () => {
  it('a plan whose step depends on a later step (so its prerequisite could not have run) is refused before anything runs', async () => {
    const { plan, journals, host, machine, commands } = await executorSetup()
    expect(plan.steps.map((s) => s.kind)).toEqual(['add-package', 'restart', 'add-package', 'restart'])
    const p = backwards(plan)
    const before = machine()
    await expect(
      executePlan(journals.create(p), { host, journals, commands, confirmRestart: async () => true }),
    ).rejects.toThrow(
      `This plan is refused: it is not what Servicing Desk builds, so nothing in it runs. Step ${p.steps[0]!.id} depends on "${p.steps.at(-1)!.id}", which is not an earlier step.`,
    )
    expect(machine()).toEqual(before)
    expect(JSON.parse(readFileSync(journals.file(p.id), 'utf8'))).toMatchObject({ status: 'pending', entries: [] })
  })

  it('a journal that records a step as skipped with no failure before it: the step is looked at again and run, not taken as failed', async () => {
    const { plan, journals, host, commands } = await executorSetup()
    const s1 = plan.steps[0]!
    const skipped = withEntry(
      journals.create(plan),
      {
        phase: 'finished',
        stepId: s1.id,
        at: new Date().toISOString(),
        result: { kind: 'skipped', reason: 'written by hand' },
        exitCode: null,
        durationMs: 0,
        rechecked: false,
      },
      'running',
    )
    journals.save(skipped)
    const j = await executePlan(journals.load(plan.id), { host, journals, commands, confirmRestart: async () => false })
    expect(j.entries.slice(1, 3)).toEqual([
      { phase: 'resumed', at: expect.any(String), note: `Resumed with 0 of ${plan.steps.length} steps done.` },
      { phase: 'started', stepId: s1.id, at: expect.any(String), attempt: 1 },
    ])
    expect(j.results[s1.id]).toEqual({ kind: 'restart-required' })
    expect(j.status).toBe('awaiting-restart')
  })
})

describe('executor: a cancel between steps', () => {
  it('cancelled once the first step finished: the restart after it is not issued; it is written cancelled and the run stops', async () => {
    const { plan, journals, host, machine, commands } = await executorSetup()
    const [s1, s2] = plan.steps
    expect(s2!.kind).toBe('restart')
    const ac = new AbortController()
    const asked: string[] = []
    const j = await executePlan(journals.create(plan), {
      host,
      journals,
      commands,
      signal: ac.signal,
      confirmRestart: async (s) => {
        asked.push(s.id)
        return true
      },
      onJournal: (e) => {
        if (e.phase === 'finished' && e.stepId === s1!.id) ac.abort()
      },
    })
    expect(j.results[s1!.id]).toEqual({ kind: 'restart-required' })
    const i = j.entries.findIndex((e) => e.phase === 'finished' && e.stepId === s1!.id)
    expect(j.entries.slice(i + 1)).toEqual([
      {
        phase: 'finished',
        stepId: s2!.id,
        at: expect.any(String),
        result: { kind: 'cancelled' },
        exitCode: null,
        durationMs: 0,
        rechecked: false,
      },
      { phase: 'cancelled', at: expect.any(String) },
    ])
    expect(j.status).toBe('cancelled')
    expect(asked).toEqual([])
    expect(machine().restarts).toBe(0)
    expect(journals.load(plan.id).status).toBe('cancelled')
  })
})

describe("executor: the folder method's own check", () => {
  it('a package the plan does not name, put beside the target after planning, refuses the step: nothing installed', async () => {
    const { plan, journals, host, machine, commands } = await executorSetup('folder')
    expect(plan.method).toBe('folder')
    const s1 = plan.steps[0]!
    expect(s1.kind).toBe('add-package')
    const target = plan.packages.find((p) => p.fileName === s1.packages.at(-1))!
    const dir = dirname(target.path)
    writeFileSync(join(dir, 'windows11.0-kb5099999-arm64.msu'), 'not a package the plan names')
    const before = machine()
    const j = await executePlan(journals.create(plan), { host, journals, commands, confirmRestart: async () => true })
    expect(j.status).toBe('failed')
    expect(j.results[s1.id]).toMatchObject({
      kind: 'failed',
      code: '0x8007000D',
      message: `The folder ${dir} also holds windows11.0-kb5099999-arm64.msu, which DISM would install without a verified hash. Nothing was installed.`,
    })
    expect(started(j, s1.id)).toEqual([])
    expect(machine().os).toEqual(before.os)
  })

  it("the same folder without that file runs (the check is the folder's contents, not the method alone)", async () => {
    const { plan, journals, host, commands } = await executorSetup('folder')
    const j = await executePlan(journals.create(plan), { host, journals, commands, confirmRestart: async () => false })
    expect(j.results[plan.steps[0]!.id]?.kind).toBe('restart-required')
    expect(started(j, plan.steps[0]!.id)).toHaveLength(1)
  })
})

describe('executor: the journal is on disk as running before anything else', () => {
  it('the first save is the journal marked running with no entry yet (before the package is hashed or CBS.log read)', async () => {
    const { plan, journals: base, host, commands } = await executorSetup()
    class Recording extends JournalStore {
      saves: Journal[] = []
      override save(j: Journal) {
        this.saves.push(structuredClone(j))
        super.save(j)
      }
    }
    const journals = new Recording(dirname(base.dir))
    const created = journals.create(plan)
    journals.saves.length = 0
    await executePlan(created, { host, journals, commands, confirmRestart: async () => false })
    expect(journals.saves[0]).toMatchObject({ status: 'running', entries: [] })
    expect(journals.saves[1]).toMatchObject({
      status: 'running',
      entries: [{ phase: 'started', stepId: plan.steps[0]!.id }],
    })
  })
})

describe('executor: the re-check of an interrupted step', () => {
  it('a folder step whose checkpoint is pending but whose target is absent is run again (attempt 2), not taken as waiting for a restart', async () => {
    const { plan, journals, host, commands } = await executorSetup('folder')
    const s1 = plan.steps[0]!
    expect(s1.kbs).toEqual(['KB5043080', 'KB5086672'])
    // The checkpoint alone is added (the machine's DISM says it is pending), as if the process died between the two.
    const cp = plan.packages.find((p) => p.kb === 'KB5043080')!
    const alone = buildStep(
      { scope: plan.scope, packages: [cp] },
      { id: 'cp', kind: 'add-package', packages: [cp.fileName] },
      commands,
    ).command
    expect(
      (await host.run({ name: alone.name, file: alone.file, args: alone.args, timeoutMs: alone.timeoutMs })).exitCode,
    ).toBe(3010)
    const j0 = journals.create(plan)
    const dying = withEntry(
      j0,
      { phase: 'started', stepId: s1.id, at: new Date().toISOString(), attempt: 1 },
      'running',
    )
    journals.save(dying)
    const j = await executePlan(journals.load(plan.id), { host, journals, commands, confirmRestart: async () => false })
    expect(started(j, s1.id).map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2])
    expect(finished(j, s1.id)).toEqual([
      {
        phase: 'finished',
        stepId: s1.id,
        at: expect.any(String),
        result: expect.anything(),
        exitCode: expect.any(Number),
        durationMs: expect.any(Number),
        rechecked: false,
      },
    ])
  })

  it('died after the restart step started, before the PC restarted: still needed, so it is asked and run (not taken as done)', async () => {
    const { plan, journals, host, machine, commands } = await executorSetup()
    const s2 = plan.steps[1]!
    expect(s2.kind).toBe('restart')
    await expect(
      executePlan(journals.create(plan), {
        host,
        journals,
        commands,
        confirmRestart: async () => true,
        checkpointHook: crashAt(`journal:started:${s2.id}`),
      }),
    ).rejects.toThrow(Crash)
    expect(machine().restarts).toBe(0)
    const asked: string[] = []
    const j = await executePlan(journals.load(plan.id), {
      host,
      journals,
      commands,
      confirmRestart: async (s) => {
        asked.push(s.id)
        return true
      },
    })
    expect(asked[0]).toBe(s2.id)
    expect(started(j, s2.id)).toHaveLength(2)
    expect(finished(j, s2.id)).toEqual([
      {
        phase: 'finished',
        stepId: s2.id,
        at: expect.any(String),
        result: { kind: 'ok' },
        exitCode: 0,
        durationMs: expect.any(Number),
        rechecked: false,
      },
    ])
    expect(machine().restarts).toBe(2)
    expect(j.status).toBe('completed')
  })
})
