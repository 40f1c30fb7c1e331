/**
 * The executor's step runner and re-checks, each alone and in process: what a failed step's result
 * says (the line after DISM's "Error:", a timeout, stderr, the exit code; the CBS.log lines written while it
 * ran; the Diagnosis findings with the exit code as their source), what each exit meaning writes, the progress
 * reported, the re-check of a step the process died in (installed, a level that cannot be read, a mounted or
 * unmounted image, a step that is always run again) and whether a restart is still needed. The training
 * machine's Host is wrapped so that the install command answers as a test says (output shaped like DISM's,
 * written here for the executor's own text handling — not a fixture of a real PC) and CBS.log reads as a test
 * says; everything else is the machine's own. executePlan is called directly with the real planner's plan.
 */
import { describe, expect, it } from 'vitest'
import { Readable } from 'node:stream'
import { CBS_LOG, executePlan, type StepProgress } from '../../../main/install/executor.ts'
import {
  addPackageStep,
  mountStep,
  restartStep,
  scheduleResumeStep,
  unmountStep,
} from '../../../main/install/step-commands.ts'
import {
  renderCommandLine,
  type CommandResult,
  type CommandSpec,
  type Host,
  type RunOptions,
} from '../../../main/host/host.ts'
import type { Journal, Plan, PlanScope } from '../../../preload/model/plan.ts'
import { executorSetup } from './planned-machine.ts'

type Answer = Partial<CommandResult> & { lines?: string[] }
interface Script {
  /** What every add-package command answers instead of the machine. */
  add?: Answer
  /** CBS.log's content at each read, in order (an Error: the read fails); the last one repeats. */
  cbs?: (string | Buffer[] | Error)[]
  /** Commands (by name) that throw while `failing()` says so. */
  failing?: RegExp
}

function scripted(host: Host, s: Script) {
  const calls = { cbs: 0, runs: [] as string[], failOn: true }
  const wrapped = new Proxy(host, {
    get: (t, p) => {
      if (p === 'run') {
        return async (spec: CommandSpec, o?: RunOptions): Promise<CommandResult> => {
          calls.runs.push(spec.name)
          if (calls.failOn && s.failing?.test(spec.name)) throw new Error(`${spec.name} is not reachable`)
          if (spec.name === 'install.dism-add-package' && s.add) {
            for (const l of s.add.lines ?? []) o?.onLine?.(l)
            const exitCode = s.add.exitCode ?? 0
            return {
              name: spec.name,
              exitCode,
              stdout: '',
              stderr: '',
              ok: exitCode === 0,
              timedOut: false,
              cancelled: false,
              truncated: false,
              durationMs: 7,
              commandLine: renderCommandLine(spec.file, spec.args),
              ...s.add,
            }
          }
          return t.run(spec, o)
        }
      }
      if (p === 'openRead') {
        return async (path: string) => {
          if (path !== CBS_LOG || !s.cbs) return t.openRead(path)
          const next = s.cbs[Math.min(calls.cbs++, s.cbs.length - 1)]!
          if (next instanceof Error) throw next
          return Readable.from(typeof next === 'string' ? [next] : next)
        }
      }
      return Reflect.get(t, p)
    },
  }) as Host
  return { host: wrapped, calls }
}

const setup = executorSetup
const DISM_ERROR = 2148469026 // 0x800F0922
const started = (j: Journal, id: string) => j.entries.filter((e) => e.phase === 'started' && e.stepId === id)

/** Runs the plan with the add-package command scripted; the first restart is declined, so the run stops there. */
async function firstStep(s: Script) {
  const base = await setup()
  const { host, calls } = scripted(base.host, s)
  const progress: StepProgress[] = []
  const points: string[] = []
  let snapshots = 0
  const j = await executePlan(base.journals.create(base.plan), {
    host,
    journals: base.journals,
    commands: base.commands,
    confirmRestart: async () => false,
    onProgress: (p) => progress.push(p),
    checkpointHook: (p) => points.push(p),
    snapshot: async () => {
      snapshots++
      throw new Error('no snapshot in this test')
    },
  })
  const step = base.plan.steps[0]!
  return { ...base, j, step, result: j.results[step.id], calls, progress, points, snapshots: () => snapshots }
}

describe('executor: what a failed install step says', () => {
  const out = (...lines: string[]) => lines.join('\r\n')

  it('the message is the first line after "Error:" that is not the DISM-log line; evidence: the command and the last six output lines', async () => {
    const stdout = out(
      'Deployment Image Servicing and Management tool',
      'Version: 10.0.26100.1',
      '',
      'Image Version: 10.0.26100.1150',
      '',
      'Processing 1 of 1 - Adding package',
      'Error: 0x800f0922',
      '',
      'The DISM log file can be found at C:\\Windows\\Logs\\DISM\\dism.log',
      '  The package could not be added.  ',
      '',
    )
    const { j, step, result, calls } = await firstStep({
      add: { exitCode: DISM_ERROR, stdout, stderr: 'not this' },
      cbs: ['same\r\n'],
    })
    expect(j.status).toBe('failed')
    expect(result).toMatchObject({ kind: 'failed', code: '0x800F0922', message: 'The package could not be added.' })
    expect(result?.kind === 'failed' && result.evidence).toEqual([
      {
        source: step.command.commandLine,
        excerpt: [
          'Version: 10.0.26100.1',
          'Image Version: 10.0.26100.1150',
          'Processing 1 of 1 - Adding package',
          'Error: 0x800f0922',
          'The DISM log file can be found at C:\\Windows\\Logs\\DISM\\dism.log',
          'The package could not be added.',
        ].join('\n'),
      },
    ])
    // CBS.log is read before the step and again after it failed (nothing new in it here: no CBS evidence).
    expect(calls.cbs).toBe(2)
    expect(j.entries.find((e) => e.phase === 'finished' && e.stepId === step.id)).toEqual({
      phase: 'finished',
      stepId: step.id,
      at: expect.any(String),
      result,
      exitCode: DISM_ERROR,
      durationMs: 7,
      rechecked: false,
    })
  })

  it('only the DISM-log line after "Error:": the message is stderr\'s first text; without stderr, the exit code', async () => {
    const stdout = out('Error: 0x800f0922', '', 'The DISM log file can be found at C:\\Windows\\Logs\\DISM\\dism.log')
    const a = await firstStep({ add: { exitCode: DISM_ERROR, stdout, stderr: '  Access is denied.\r\n' } })
    expect(a.result).toMatchObject({ kind: 'failed', message: 'Access is denied.' })
    const first = await firstStep({
      add: { exitCode: DISM_ERROR, stdout: out('Error: 0x800f0922', '', 'The message on the first line after it.') },
    })
    expect(first.result).toMatchObject({ kind: 'failed', message: 'The message on the first line after it.' })
    const inside = await firstStep({
      add: {
        exitCode: DISM_ERROR,
        stdout: out('Warning: see Error: below', 'Error: 0x800f0922', '', 'The real message.'),
      },
    })
    expect(inside.result).toMatchObject({ kind: 'failed', message: 'The real message.' })
    const b = await firstStep({ add: { exitCode: DISM_ERROR, stdout: out('no error line here'), stderr: '   ' } })
    expect(b.result).toMatchObject({ kind: 'failed', code: '0x800F0922', message: 'Exit code 0x800F0922.' })
  })

  it('a command that timed out says how long it was given, whatever it printed', async () => {
    const { result, step } = await firstStep({
      add: { exitCode: DISM_ERROR, timedOut: true, stdout: out('Error: 0x800f0922', '', 'Not this.') },
    })
    expect(result).toMatchObject({
      kind: 'failed',
      message: `The command did not finish within ${step.command.timeoutMs / 60000} minutes and was stopped.`,
    })
    expect(step.command.timeoutMs / 60000).toBeGreaterThan(1)
  })

  it('CBS.log: only the lines written during the step, and of those only Error/HRESULT/corrupt lines, at most 12', async () => {
    const before = 'old Error line\r\nold line\r\n'
    const fresh = [
      'Info  CBS  fine',
      'Error  CBS  Failed to add package',
      'Info  CBS  HRESULT = 0x800f0922',
      'Info  CSI  store corrupt',
      'Info  CSI  Corrupt payload',
      '   ',
      'Info  CBS  still fine',
    ]
    const { result, step } = await firstStep({
      add: { exitCode: DISM_ERROR, stdout: '' },
      cbs: [before, `${before + fresh.join('\r\n')}\n`],
    })
    expect(result?.kind === 'failed' && result.evidence[1]).toEqual({
      source: `${CBS_LOG} (lines written during ${step.id})`,
      excerpt: fresh.slice(1, 5).join('\n'),
    })
    const many = Array.from({ length: 14 }, (_, i) => `Error line ${i + 1}`)
    const m = await firstStep({ add: { exitCode: DISM_ERROR, stdout: '' }, cbs: [before, before + many.join('\n')] })
    expect(m.result?.kind === 'failed' && m.result.evidence[1]?.excerpt.split('\n')).toEqual(many.slice(0, 12))
  })

  it('CBS.log that was replaced during the step (it does not start with the old text) counts whole; one that cannot be read gives no CBS evidence', async () => {
    const { result } = await firstStep({
      add: { exitCode: DISM_ERROR, stdout: '' },
      cbs: [
        'a much longer old text that was there before\n',
        [Buffer.from('new Error one\n'), Buffer.from('new line\n')],
      ],
    })
    expect(result?.kind === 'failed' && result.evidence[1]?.excerpt).toBe('new Error one')
    const gone = await firstStep({ add: { exitCode: DISM_ERROR, stdout: '' }, cbs: [new Error('ENOENT')] })
    expect(gone.result?.kind === 'failed' && gone.result.evidence).toHaveLength(1)
    expect(gone.calls.cbs).toBe(2)
  })

  it('the snapshot for the Diagnosis rules is asked for once when an online step fails (a failing one is no snapshot), never when it succeeds', async () => {
    const f = await firstStep({ add: { exitCode: DISM_ERROR, stdout: '' } })
    expect(f.snapshots()).toBe(1)
    expect(f.result?.kind).toBe('failed')
    const ok = await firstStep({ add: { exitCode: 3010, stdout: '' } })
    expect(ok.snapshots()).toBe(0)
  })

  it('the Diagnosis findings name the exit code as their source, never "the code you entered"; at most 3, no info', async () => {
    const { result, step } = await firstStep({ add: { exitCode: DISM_ERROR, stdout: '' }, cbs: [''] })
    if (result?.kind !== 'failed') throw new Error('expected a failed result')
    const findings = result.diagnosis ?? []
    expect(findings.length).toBeGreaterThan(0)
    expect(findings.length).toBeLessThanOrEqual(3)
    expect(findings.every((f) => f.severity !== 'info')).toBe(true)
    const sources = findings.flatMap((f) => f.evidence.map((e) => e.source))
    expect(sources).toContain(`exit code of ${step.command.commandLine}`)
    expect(sources).not.toContain('the code you entered')
  })
})

describe('executor: what each exit code of an install step writes, and the progress', () => {
  const cases: [number, string][] = [
    [0, 'ok'],
    [3010, 'restart-required'],
    [0x800f081e, 'not-applicable'],
    [0x00240006, 'already-installed'],
  ]

  it("0, 3010, not applicable, already installed: the step's result, its exit code and duration, progress ends at 1", async () => {
    let ran = 0
    for (const [exitCode, kind] of cases) {
      const { result, j, step, progress, snapshots } = await firstStep({ add: { exitCode, stdout: '' } })
      expect(result, kind).toEqual({ kind })
      expect(j.entries.find((e) => e.phase === 'finished' && e.stepId === step.id)).toEqual({
        phase: 'finished',
        stepId: step.id,
        at: expect.any(String),
        result: { kind },
        exitCode,
        durationMs: 7,
        rechecked: false,
      })
      expect(progress.filter((p) => p.stepId === step.id).at(-1)).toEqual({
        planId: j.planId,
        stepId: step.id,
        fraction: 1,
        label: step.title,
      })
      expect(snapshots()).toBe(0)
      ran++
    }
    expect(ran).toBe(cases.length)
  })

  it("progress: 0 at the start, DISM's bar never going back, the mid-step point once at exactly one half, 1 at the end", async () => {
    const lines = [
      'Processing 1 of 1 - Adding package',
      'not progress',
      '[====      40.0%     ]',
      '[=====     50.0%     ]',
      '[===       30.0%     ]',
      '[========  80.0%     ]',
    ]
    const { progress, points, step, j } = await firstStep({ add: { exitCode: 3010, stdout: '', lines } })
    const mine = progress.filter((p) => p.stepId === step.id)
    expect(mine.map((p) => p.fraction)).toEqual([0, 0, 0.4, 0.5, 0.5, 0.8, 1])
    expect(mine.every((p) => p.planId === j.planId && p.label === step.title)).toBe(true)
    expect(points.slice(0, 4)).toEqual([
      `journal:started:${step.id}`,
      `mid:${step.id}`,
      `command:${step.id}`,
      `journal:finished:${step.id}`,
    ])
    const half = await firstStep({ add: { exitCode: 3010, stdout: '', lines: ['[=====     50.0%     ]'] } })
    expect(half.points).toContain(`mid:${step.id}`)
    const below = await firstStep({ add: { exitCode: 3010, stdout: '', lines: ['[====      49.9%     ]'] } })
    expect(below.points).not.toContain(`mid:${step.id}`)
  })

  it('a step whose command ends cancelled: its progress does not end at 1', async () => {
    const { progress, step, j } = await firstStep({
      add: { exitCode: 0, stdout: '', cancelled: true, lines: ['[====      40.0%     ]'] },
    })
    expect(j.status).toBe('cancelled')
    expect(progress.filter((p) => p.stepId === step.id).map((p) => p.fraction)).toEqual([0, 0.4])
  })

  it("a failed step's progress does not end at 1", async () => {
    const { progress, step } = await firstStep({
      add: { exitCode: DISM_ERROR, stdout: '', lines: ['[====      40.0%     ]'] },
    })
    expect(progress.filter((p) => p.stepId === step.id).map((p) => p.fraction)).toEqual([0, 0.4])
  })
})

/** Thrown by a checkpoint hook: the process "dies" at that boundary. */
class Crash extends Error {}
const crashAt = (point: string) => (p: string) => {
  if (p === point) throw new Crash(p)
}

describe('executor: a step the process died in is re-checked against the machine', () => {
  it('the checkpoint is installed by now (the PC restarted meanwhile): already-installed, not run again; the restart is not needed', async () => {
    const { plan, journals, host, machine, commands } = await setup()
    const [s1, s2] = plan.steps
    await expect(
      executePlan(journals.create(plan), { host, journals, commands, checkpointHook: crashAt(`command:${s1!.id}`) }),
    ).rejects.toThrow(Crash)
    await host.run({
      name: s2!.command.name,
      file: s2!.command.file,
      args: s2!.command.args,
      timeoutMs: s2!.command.timeoutMs,
    })
    expect(machine().restarts).toBe(1)
    const j = await executePlan(journals.load(plan.id), { host, journals, commands, confirmRestart: async () => true })
    expect(j.entries.find((e) => e.phase === 'finished' && e.stepId === s1!.id)).toEqual({
      phase: 'finished',
      stepId: s1!.id,
      at: expect.any(String),
      result: { kind: 'already-installed' },
      exitCode: null,
      durationMs: 0,
      rechecked: true,
    })
    expect(j.results[s2!.id]).toEqual({ kind: 'not-applicable' })
    expect(started(j, s1!.id)).toHaveLength(1)
    expect(j.status).toBe('completed')
  })

  it('the level cannot be read at the re-check: the step is run again (attempt 2), not guessed done', async () => {
    const { plan, journals, host, commands } = await setup()
    const s1 = plan.steps[0]!
    await expect(
      executePlan(journals.create(plan), {
        host,
        journals,
        commands,
        checkpointHook: crashAt(`journal:started:${s1.id}`),
      }),
    ).rejects.toThrow(Crash)
    const { host: flaky, calls } = scripted(host, { failing: /get-packages/ })
    const j = await executePlan(journals.load(plan.id), {
      host: flaky,
      journals,
      commands,
      confirmRestart: async () => false,
      onJournal: (e) => {
        if (e.phase === 'started') calls.failOn = false
      },
    })
    expect(started(j, s1.id).map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2])
    expect(j.results[s1.id]).toEqual({ kind: 'restart-required' })
  })

  it('the level cannot be read before a restart: the restart is taken as needed and runs', async () => {
    const { plan, journals, host, machine, commands } = await setup()
    const { host: flaky, calls } = scripted(host, { failing: /get-packages/ })
    const j = await executePlan(journals.create(plan), {
      host: flaky,
      journals,
      commands,
      confirmRestart: async () => true,
      onJournal: (e) => {
        if (e.phase === 'restart-requested') calls.failOn = false
      },
    })
    expect(j.results[plan.steps[1]!.id]).toEqual({ kind: 'ok' })
    expect(machine().restarts).toBeGreaterThanOrEqual(1)
    expect(calls.runs.filter((n) => /get-packages/.test(n)).length).toBeGreaterThan(0)
  })
})

/** The training machine models no registry writes: reg.exe (the RunOnce entry) answers success here. */
const registryAnswered = (host: Host) =>
  new Proxy(host, {
    get: (t, p) =>
      p === 'run'
        ? async (spec: CommandSpec, o?: RunOptions) =>
            spec.file === 'reg.exe'
              ? {
                  name: spec.name,
                  exitCode: 0,
                  stdout: 'The operation completed successfully.',
                  stderr: '',
                  ok: true,
                  timedOut: false,
                  cancelled: false,
                  truncated: false,
                  durationMs: 3,
                  commandLine: renderCommandLine(spec.file, spec.args),
                }
              : t.run(spec, o)
        : Reflect.get(t, p),
  }) as Host

describe('executor: whether a restart is needed', () => {
  it('a restart with no step before it is needed (and runs)', async () => {
    const { plan, journals, host, machine, commands } = await setup()
    const alone: Plan = { ...plan, id: `${plan.id.slice(0, 60)}-r0`, packages: [], steps: [restartStep(1, [], [])] }
    const j = await executePlan(journals.create(alone), { host, journals, commands })
    expect(j.results['s1-restart']).toEqual({ kind: 'ok' })
    expect(machine().restarts).toBe(1)
  })

  it('a restart after a step that installs no KB (the resume entry) is needed, whatever is installed', async () => {
    const { plan, journals, host: machineHost, machine, commands } = await setup()
    const host = registryAnswered(machineHost)
    const resume = ['C:\\sd.exe', 'install', '--plan', 'x']
    const s1 = scheduleResumeStep(1, resume, [])
    const p: Plan = {
      ...plan,
      id: `${plan.id.slice(0, 60)}-r1`,
      packages: [],
      steps: [s1, restartStep(2, [s1.id], [])],
    }
    const j = await executePlan(journals.create(p), {
      host,
      journals,
      commands: { ...commands, resumeCommand: resume },
    })
    expect(j.results[s1.id]).toEqual({ kind: 'ok' })
    expect(j.results['s2-restart']).toEqual({ kind: 'ok' })
    expect(machine().restarts).toBe(1)
  })

  it('a resume step the process died in is always run again (attempt 2)', async () => {
    const { plan, journals, host: machineHost, commands } = await setup()
    const host = registryAnswered(machineHost)
    const resume = ['C:\\sd.exe', 'install', '--plan', 'x']
    const s1 = scheduleResumeStep(1, resume, [])
    const p: Plan = { ...plan, id: `${plan.id.slice(0, 60)}-r2`, packages: [], steps: [s1] }
    const ctx = { ...commands, resumeCommand: resume }
    await expect(
      executePlan(journals.create(p), { host, journals, commands: ctx, checkpointHook: crashAt(`command:${s1.id}`) }),
    ).rejects.toThrow(Crash)
    const j = await executePlan(journals.load(p.id), { host, journals, commands: ctx })
    expect(started(j, s1.id).map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2])
    expect(j.entries.find((e) => e.phase === 'resumed')).toMatchObject({
      note: `Resumed with 0 of 1 steps done; ${s1.id} was interrupted and is re-checked first.`,
    })
  })
})

describe('executor: an offline image whose mount or unmount was interrupted', () => {
  const wim = { path: 'C:\\Media\\install.wim', index: 1 }
  const mountDir = 'C:\\Mount'
  const image: PlanScope = { kind: 'image', dir: mountDir, wim }
  async function imagePlan() {
    const base = await setup()
    const pkg = base.plan.packages[0]!
    const m = mountStep(1, wim.path, wim.index, mountDir, [])
    const a = addPackageStep(2, image, pkg, [pkg], 'sequence', [m.id], base.commands)
    const u = unmountStep(3, mountDir, [a.id], wim)
    const plan: Plan = {
      ...base.plan,
      id: `${base.plan.id.slice(0, 60)}-im`,
      scope: image,
      packages: [pkg],
      steps: [m, a, u],
    }
    return { ...base, plan, m, a, u }
  }

  it('died after the mount: the image is mounted, so the mount is ok without running again', async () => {
    const { plan, journals, host, commands, m } = await imagePlan()
    await expect(
      executePlan(journals.create(plan), { host, journals, commands, checkpointHook: crashAt(`command:${m.id}`) }),
    ).rejects.toThrow(Crash)
    const j = await executePlan(journals.load(plan.id), { host, journals, commands })
    expect(j.entries.find((e) => e.phase === 'finished' && e.stepId === m.id)).toMatchObject({
      result: { kind: 'ok' },
      rechecked: true,
    })
    expect(started(j, m.id)).toHaveLength(1)
    expect(j.status).toBe('completed')
  })

  it('died before the mount ran: not mounted, so it runs again', async () => {
    const { plan, journals, host, commands, m } = await imagePlan()
    await expect(
      executePlan(journals.create(plan), {
        host,
        journals,
        commands,
        checkpointHook: crashAt(`journal:started:${m.id}`),
      }),
    ).rejects.toThrow(Crash)
    const j = await executePlan(journals.load(plan.id), { host, journals, commands })
    expect(started(j, m.id)).toHaveLength(2)
    expect(j.status).toBe('completed')
  })

  it('died after the unmount: no image mounted any more, so the unmount is ok; died before it: it runs again', async () => {
    const done = await imagePlan()
    await expect(
      executePlan(done.journals.create(done.plan), {
        host: done.host,
        journals: done.journals,
        commands: done.commands,
        checkpointHook: crashAt(`command:${done.u.id}`),
      }),
    ).rejects.toThrow(Crash)
    const j = await executePlan(done.journals.load(done.plan.id), {
      host: done.host,
      journals: done.journals,
      commands: done.commands,
    })
    expect(j.entries.find((e) => e.phase === 'finished' && e.stepId === done.u.id)).toMatchObject({
      result: { kind: 'ok' },
      rechecked: true,
    })
    expect(started(j, done.u.id)).toHaveLength(1)
    const early = await imagePlan()
    await expect(
      executePlan(early.journals.create(early.plan), {
        host: early.host,
        journals: early.journals,
        commands: early.commands,
        checkpointHook: crashAt(`journal:started:${early.u.id}`),
      }),
    ).rejects.toThrow(Crash)
    const k = await executePlan(early.journals.load(early.plan.id), {
      host: early.host,
      journals: early.journals,
      commands: early.commands,
    })
    expect(started(k, early.u.id)).toHaveLength(2)
    expect(k.status).toBe('completed')
  })

  it("an install step in an image does not read this PC's CBS.log, and a failure there asks for no snapshot", async () => {
    const { plan, journals, host, commands, a } = await imagePlan()
    const { host: s, calls } = scripted(host, { add: { exitCode: DISM_ERROR, stdout: '' }, cbs: ['x Error\n'] })
    let snapshots = 0
    const j = await executePlan(journals.create(plan), {
      host: s,
      journals,
      commands,
      snapshot: async () => {
        snapshots++
        throw new Error('none')
      },
    })
    expect(j.results[a.id]).toMatchObject({ kind: 'failed', code: '0x800F0922' })
    expect(calls.cbs).toBe(0)
    expect(snapshots).toBe(0)
  })
})
