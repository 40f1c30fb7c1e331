/**
 * The executor's guards on the paths a plain run does not take, each alone and in process: a plan
 * that is not the builder's never runs (even when its journal was created); a resume entry with no resume
 * command is refused; a step that failed earlier is not retried; a step the process died in is re-checked
 * against the machine before anything runs again; a restart that Windows already did is not repeated; on a
 * real PC the run stops once the restart is issued; the journal entries say what happened (rechecked or not,
 * the restart's prerequisite, the build after it); the package check's messages name the file and the reason.
 * executePlan is called directly on the training machine arm64-missing-checkpoint with the real planner's plan.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { executePlan, checkPackages } from '../../../main/install/executor.ts'
import { scheduleResumeStep } from '../../../main/install/step-commands.ts'
import type { Host } from '../../../main/host/host.ts'
import type { Journal, Plan, PlanPackage } from '../../../preload/model/plan.ts'
import { executorSetup } from './planned-machine.ts'
import { tempDirSync } from '../temp-dirs.ts'

const setup = executorSetup

/** Thrown by a checkpoint hook: the process "dies" at that boundary. */
class Crash extends Error {}
const crashAt = (point: string) => (p: string) => {
  if (p === point) throw new Crash(p)
}
const started = (j: Journal, id: string) => j.entries.filter((e) => e.phase === 'started' && e.stepId === id)

describe('executor: what is refused before anything runs', () => {
  it("a plan whose stored command is not the builder's: refused although its journal exists; nothing runs, the journal is untouched", async () => {
    const { plan, journals, host, machine, commands } = await setup()
    const tampered = structuredClone(plan)
    tampered.steps[0]!.command = { ...tampered.steps[0]!.command, file: 'cmd.exe' }
    const j = journals.create(tampered)
    const before = machine()
    await expect(executePlan(j, { host, journals, commands })).rejects.toThrow(
      /^This plan is refused: it is not what Servicing Desk builds, so nothing in it runs\. Step s1-add-KB5043080 says it runs/,
    )
    expect(machine()).toEqual(before)
    expect(JSON.parse(readFileSync(journals.file(plan.id), 'utf8'))).toMatchObject({ status: 'pending', entries: [] })
  })

  it('a resume entry when the caller gives no resume command: refused as "no resume command", not run with a guessed one', async () => {
    const { plan, journals, host, machine, commands } = await setup()
    const withResume: Plan = {
      ...plan,
      steps: [
        plan.steps[0]!,
        scheduleResumeStep(9, ['C:\\sd.exe', 'install', '--plan', plan.id], [plan.steps[0]!.id]),
        ...plan.steps.slice(1),
      ],
    }
    const before = machine()
    await expect(executePlan(journals.create(withResume), { host, journals, commands })).rejects.toThrow(
      /registers a resume entry, but this copy of Servicing Desk has no resume command: make a new plan here\./,
    )
    expect(machine()).toEqual(before)
  })
})

describe('executor: a journal that is resumed', () => {
  it('a step that failed earlier is not run again: the journal ends failed with a note naming the step and its code', async () => {
    const { plan, journals, host, commands } = await setup()
    rmPackage(plan.packages[0]!)
    const failed = await executePlan(journals.create(plan), { host, journals, commands })
    expect(failed.status).toBe('failed')
    const again = await executePlan({ ...failed, status: 'running' }, { host, journals, commands })
    expect(again.status).toBe('failed')
    expect(again.entries.slice(failed.entries.length)).toEqual([
      { phase: 'resumed', at: expect.any(String), note: `Resumed with 0 of ${plan.steps.length} steps done.` },
      {
        phase: 'resumed',
        at: expect.any(String),
        note: `Step ${plan.steps[0]!.id} failed earlier (0x80070002); nothing after it runs.`,
      },
    ])
    expect(started(again, plan.steps[0]!.id)).toHaveLength(0)
    expect(journals.load(plan.id).status).toBe('failed')
  })

  it('died after DISM added the checkpoint, before its end was written: re-checked (pending = restart-required), not run again', async () => {
    const { plan, journals, host, machine, commands } = await setup()
    const s1 = plan.steps[0]!.id
    await expect(
      executePlan(journals.create(plan), { host, journals, commands, checkpointHook: crashAt(`command:${s1}`) }),
    ).rejects.toThrow(Crash)
    const dism = machine()
    const j = await executePlan(journals.load(plan.id), { host, journals, commands, confirmRestart: async () => true })
    expect(j.entries.find((e) => e.phase === 'resumed')).toMatchObject({
      note: `Resumed with 0 of ${plan.steps.length} steps done; ${s1} was interrupted and is re-checked first.`,
    })
    expect(j.entries.find((e) => e.phase === 'finished' && e.stepId === s1)).toEqual({
      phase: 'finished',
      stepId: s1,
      at: expect.any(String),
      result: { kind: 'restart-required' },
      exitCode: null,
      durationMs: 0,
      rechecked: true,
    })
    expect(started(j, s1)).toHaveLength(1)
    expect(dism.restarts).toBe(0)
    expect(j.status).toBe('completed')
    expect(j.verification?.verified).toBe(true)
  })

  it('died after writing "started", before DISM ran: re-checked (absent), so the step runs again as attempt 2', async () => {
    const { plan, journals, host, machine, commands } = await setup()
    const s1 = plan.steps[0]!.id
    const before = machine()
    await expect(
      executePlan(journals.create(plan), {
        host,
        journals,
        commands,
        checkpointHook: crashAt(`journal:started:${s1}`),
      }),
    ).rejects.toThrow(Crash)
    expect(machine().os).toEqual(before.os)
    expect(journals.load(plan.id).status).toBe('running')
    const statuses: string[] = []
    const j = await executePlan(journals.load(plan.id), {
      host,
      journals,
      commands,
      confirmRestart: async () => true,
      onJournal: (e, jj) => statuses.push(`${e.phase}:${jj.status}`),
    })
    expect(statuses[0]).toBe('resumed:running')
    expect(started(j, s1).map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2])
    expect(j.entries.find((e) => e.phase === 'finished' && e.stepId === s1)).toMatchObject({
      result: { kind: 'restart-required' },
      rechecked: false,
      exitCode: 3010,
    })
    expect(j.status).toBe('completed')
  })

  it('died during the restart, after the PC restarted: re-checked (the checkpoint is installed), the restart is not repeated', async () => {
    const { plan, journals, host, machine, commands } = await setup()
    const restart = plan.steps[1]!
    expect(restart.kind).toBe('restart')
    await expect(
      executePlan(journals.create(plan), {
        host,
        journals,
        commands,
        confirmRestart: async () => true,
        checkpointHook: crashAt(`command:${restart.id}`),
      }),
    ).rejects.toThrow(Crash)
    expect(machine().restarts).toBe(1)
    const j = await executePlan(journals.load(plan.id), { host, journals, commands, confirmRestart: async () => true })
    expect(j.entries.find((e) => e.phase === 'finished' && e.stepId === restart.id)).toEqual({
      phase: 'finished',
      stepId: restart.id,
      at: expect.any(String),
      result: { kind: 'ok' },
      exitCode: null,
      durationMs: 0,
      rechecked: true,
    })
    expect(j.status).toBe('completed')
    expect(machine().restarts).toBe(2)
  })

  it('a restart that Windows already did (the person restarted): not-applicable, not asked, the PC not restarted again', async () => {
    const { plan, journals, host, machine, commands } = await setup()
    const restart = plan.steps[1]!
    const waiting = await executePlan(journals.create(plan), {
      host,
      journals,
      commands,
      confirmRestart: async () => false,
    })
    expect(waiting.status).toBe('awaiting-restart')
    await host.run({
      name: restart.command.name,
      file: restart.command.file,
      args: restart.command.args,
      timeoutMs: restart.command.timeoutMs,
    })
    expect(machine().restarts).toBe(1)
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
    expect(j.entries.find((e) => e.phase === 'finished' && e.stepId === restart.id)).toEqual({
      phase: 'finished',
      stepId: restart.id,
      at: expect.any(String),
      result: { kind: 'not-applicable' },
      exitCode: null,
      durationMs: 0,
      rechecked: true,
    })
    expect(asked).toEqual([plan.steps[3]!.id])
    expect(machine().restarts).toBe(2)
    expect(j.status).toBe('completed')
  })
})

describe('executor: the restart', () => {
  it('on a training machine: asked, requested after its prerequisite, then the build it reached is written', async () => {
    const { plan, journals, host, commands } = await setup()
    const points: string[] = []
    const j = await executePlan(journals.create(plan), {
      host,
      journals,
      commands,
      confirmRestart: async () => true,
      checkpointHook: (p) => points.push(p),
    })
    const [s1, s2] = plan.steps
    const i = j.entries.findIndex((e) => e.phase === 'restart-requested')
    expect(j.entries.slice(i, i + 4)).toEqual([
      { phase: 'restart-requested', at: expect.any(String), afterStepId: s1!.id },
      { phase: 'started', stepId: s2!.id, at: expect.any(String), attempt: 1 },
      {
        phase: 'finished',
        stepId: s2!.id,
        at: expect.any(String),
        result: { kind: 'ok' },
        exitCode: 0,
        durationMs: expect.any(Number),
        rechecked: false,
      },
      { phase: 'restarted', at: expect.any(String), build: 26100, ubr: 1742 },
    ])
    // Every boundary is a hook point, in order, and the mid-step point comes once per DISM step that reports progress.
    expect(points.slice(0, 5)).toEqual([
      `journal:started:${s1!.id}`,
      `mid:${s1!.id}`,
      `command:${s1!.id}`,
      `journal:finished:${s1!.id}`,
      'journal:restart-requested',
    ])
    expect(points.filter((p) => p === `mid:${s1!.id}`)).toHaveLength(1)
    expect(points.at(-1)).toBe('journal:verified')
  })

  it('on a real PC the run stops once the restart is issued: running, nothing after it, no "restarted" entry (the app resumes after sign-in)', async () => {
    const { plan, journals, host, commands } = await setup()
    const thisPc = new Proxy(host, {
      get: (t, p) => (p === 'info' ? () => ({ ...t.info(), kind: 'this-pc' }) : Reflect.get(t, p)),
    }) as Host
    const j = await executePlan(journals.create(plan), {
      host: thisPc,
      journals,
      commands,
      confirmRestart: async () => true,
    })
    expect(j.status).toBe('running')
    expect(j.entries.at(-1)).toMatchObject({ phase: 'finished', stepId: plan.steps[1]!.id, result: { kind: 'ok' } })
    expect(j.entries.some((e) => e.phase === 'restarted')).toBe(false)
    expect(Object.keys(j.results)).toEqual([plan.steps[0]!.id, plan.steps[1]!.id])
    expect(journals.load(plan.id).status).toBe('running')
  })
})

describe('executor: the journal entries of a refused package and of the steps after it', () => {
  it('the failed check and each skipped step are written as not re-checked, no exit code, no duration', async () => {
    const { plan, journals, host, commands } = await setup()
    rmPackage(plan.packages[0]!)
    const j = await executePlan(journals.create(plan), { host, journals, commands })
    const [first, ...later] = plan.steps
    expect(j.entries[0]).toMatchObject({
      phase: 'finished',
      stepId: first!.id,
      exitCode: null,
      durationMs: 0,
      rechecked: false,
      result: { kind: 'failed', code: '0x80070002' },
    })
    for (const s of later) {
      expect(
        j.entries.find((e) => e.phase === 'finished' && e.stepId === s.id),
        s.id,
      ).toEqual({
        phase: 'finished',
        stepId: s.id,
        at: expect.any(String),
        result: { kind: 'skipped', reason: `${first!.id} failed; nothing after it runs.` },
        exitCode: null,
        durationMs: 0,
        rechecked: false,
      })
    }
  })
})

function rmPackage(p: PlanPackage) {
  rmSync(p.path)
}

describe('checkPackages: what each refusal says', () => {
  const dir = tempDirSync('sd-exec-msg-')
  const file = join(dir, 'windows11.0-kb5043080-arm64.msu')
  writeFileSync(file, 'package bytes')
  writeFileSync(join(dir, 'other.msu'), 'x')
  const pkg = (over: Partial<PlanPackage> = {}): PlanPackage => ({
    kb: 'KB5043080',
    fileName: 'windows11.0-kb5043080-arm64.msu',
    arch: 'arm64',
    sha1: null,
    sha256: null,
    path: file,
    role: 'checkpoint',
    build: 26100,
    ubr: 1742,
    sizeBytes: null,
    ...over,
  })
  const step = { id: 's1-add-KB5043080' }

  it('no package, no hash, a different file, an unreadable file: code, message and evidence', async () => {
    const { hashFile } = await import('../../../main/download/file-hashes.ts')
    const h = await hashFile(file)
    expect(await checkPackages([], step)).toEqual({
      kind: 'failed',
      code: '0x8007000D',
      message: 'Step s1-add-KB5043080 names no package to verify. Nothing was installed.',
      evidence: [],
    })
    expect(await checkPackages([pkg()], step)).toEqual({
      kind: 'failed',
      code: '0x8007000D',
      message:
        'windows11.0-kb5043080-arm64.msu has no SHA-1 or SHA-256 to check it against; import it as a kit or download it from the Catalog. Nothing was installed.',
      evidence: [{ source: file, excerpt: 'expected SHA-1 (none)' }],
    })
    expect(await checkPackages([pkg({ sha1: 'a'.repeat(40), sha256: h.sha256, sizeBytes: 13 })], step)).toEqual({
      kind: 'failed',
      code: '0x80070017',
      message: `windows11.0-kb5043080-arm64.msu is not the file that was verified: its SHA-1 is ${h.sha1}, the plan says ${'a'.repeat(40)}. Nothing was installed.`,
      evidence: [{ source: file, excerpt: `expected SHA-1 ${'a'.repeat(40)}, SHA-256 ${h.sha256}, 13 bytes` }],
    })
    expect(await checkPackages([pkg({ sha256: 'c'.repeat(64) })], step)).toMatchObject({
      message: `windows11.0-kb5043080-arm64.msu is not the file that was verified: its SHA-1 is ${h.sha1}. Nothing was installed.`,
    })
    const gone = join(dir, 'gone.msu')
    expect(await checkPackages([pkg({ path: gone, sha1: h.sha1 })], step)).toMatchObject({
      code: '0x80070002',
      message: `windows11.0-kb5043080-arm64.msu cannot be read at ${gone} (ENOENT). Nothing was installed.`,
    })
    expect(await checkPackages([pkg({ path: dir, sha1: h.sha1 })], step)).toMatchObject({ code: '0x8007001E' })
  })

  it("the folder check is off unless asked for (another .msu beside the file is then not the step's business)", async () => {
    const { hashFile } = await import('../../../main/download/file-hashes.ts')
    const ok = pkg({ sha1: (await hashFile(file)).sha1 })
    expect(await checkPackages([ok], step)).toBeNull()
    expect(await checkPackages([ok], step, undefined, true)).toMatchObject({
      code: '0x8007000D',
      message: `The folder ${dir} also holds other.msu, which DISM would install without a verified hash. Nothing was installed.`,
    })
  })

  it('cancelled while hashing: cancelled, not failed', async () => {
    const ac = new AbortController()
    ac.abort()
    expect(await checkPackages([pkg({ sha1: 'a'.repeat(40) })], step, ac.signal)).toEqual({ kind: 'cancelled' })
  })
})

describe('executor: a step that ends cancelled, a level that cannot be read, the defaults', () => {
  it('a step whose command ends cancelled stops the run there: the restart after it is not run', async () => {
    const { plan, journals, host, machine, commands } = await setup()
    const cancelling = new Proxy(host, {
      get: (t, p) =>
        p === 'run'
          ? async (spec: { name: string }, o?: unknown) =>
              spec.name === 'install.dism-add-package'
                ? { ...(await t.run(spec as never, o as never)), cancelled: true }
                : t.run(spec as never, o as never)
          : Reflect.get(t, p),
    }) as Host
    const j = await executePlan(journals.create(plan), {
      host: cancelling,
      journals,
      commands,
      confirmRestart: async () => true,
    })
    expect(j.status).toBe('cancelled')
    expect(j.results).toEqual({ [plan.steps[0]!.id]: { kind: 'cancelled' } })
    expect(j.entries.at(-1)).toEqual({ phase: 'cancelled', at: expect.any(String) })
    expect(machine().restarts).toBe(0)
  })

  it('the level after a restart cannot be read: the "restarted" entry says so (null build and UBR), the run goes on', async () => {
    const { plan, journals, host, commands } = await setup()
    let restarted = false
    let failedOnce = false
    const flaky = new Proxy(host, {
      get: (t, p) =>
        p === 'run'
          ? async (spec: { name: string }, o?: unknown) => {
              if (spec.name === 'install.restart') restarted = true
              else if (restarted && !failedOnce && /get-packages/.test(spec.name)) {
                failedOnce = true
                throw new Error('DISM is not reachable')
              }
              return t.run(spec as never, o as never)
            }
          : Reflect.get(t, p),
    }) as Host
    const j = await executePlan(journals.create(plan), {
      host: flaky,
      journals,
      commands,
      confirmRestart: async () => true,
    })
    expect(failedOnce).toBe(true)
    expect(j.entries.filter((e) => e.phase === 'restarted')[0]).toEqual({
      phase: 'restarted',
      at: expect.any(String),
      build: null,
      ubr: null,
    })
    expect(j.status).toBe('completed')
  })

  it("without the service's context the plan of a training machine is refused (its commands name the PC's paths)", async () => {
    const { plan, journals, host } = await setup()
    await expect(executePlan(journals.create(plan), { host, journals })).rejects.toThrow(
      /^This plan is refused: it is not what Servicing Desk builds/,
    )
  })

  it('without a confirmRestart the restart is taken as confirmed; the status is "running" from the first entry', async () => {
    const { plan, journals, host, machine, commands } = await setup()
    const statuses: string[] = []
    const j = await executePlan(journals.create(plan), {
      host,
      journals,
      commands,
      onJournal: (_, jj) => statuses.push(jj.status),
    })
    expect(j.status).toBe('completed')
    expect(machine().restarts).toBe(2)
    expect(statuses[0]).toBe('running')
    expect(statuses.at(-1)).toBe('completed')
  })
})
