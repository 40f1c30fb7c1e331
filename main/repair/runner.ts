/**
 * Runs (or resumes) a repair journal's steps through the Host, writing the journal before and after
 * every step. Rules:
 * - A finished step never runs again. A step the journal shows as started without an end (killed, power
 *   lost, the PC restarted under it) is re-checked on the machine first by its kind's `recheck`:
 *   done → recorded as re-checked; rerun → runs again; stop → the run ends failed with the reason.
 * - `gate: 'while-broken'` (a ladder's rung) runs only while the last assessment does not say healthy;
 *   otherwise it is recorded as skipped with the reason. The assessment comes from the outputs of steps
 *   whose kind can read it (DISM CheckHealth/ScanHealth/RestoreHealth) and is kept in each result, so a
 *   resume computes it from the journal.
 * - A failed step ends the run, except a `mayFail` rung (recorded `not-fixed`; the next rung tries).
 * - On a real PC a restart step ends this process's part: Windows restarts, the RunOnce entry starts the
 *   app after sign-in, and the journal continues (the restart is re-checked, then verified).
 * - After the last step: a fresh scan, and the definition's verification.
 * Cancelling takes effect between steps; a command is never stopped halfway.
 */
import type { Host } from '../host/host.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type {
  RepairJournal,
  RepairJournalEntry,
  RepairJournalStatus,
  RepairStepIntent,
  RepairStepResult,
} from '../../preload/model/repair.ts'
import type { RepairDefinition, RepairEnv } from './types.ts'
import { attempts, interrupted, stepResults, withEntry, type RepairJournalStore } from './journal.ts'
import { lastAssessment } from './step-results.ts'
import { commandLineOf, commandOf, kindOf, paramsOf, type LocalContext } from './step-kinds.ts'
import { runSteps, type EngineStep, type RunJournal } from '../runner/engine.ts'
import { ruleFor } from '../runner/resume-rules.ts'

export interface RunnerDeps {
  host: Host
  env: RepairEnv
  journals: RepairJournalStore
  definition: RepairDefinition
  scan: () => Promise<MachineSnapshot>
  fetchPackage: LocalContext['fetchPackage']
}

export interface RunnerOptions {
  signal?: AbortSignal
  onStep?: (s: {
    stepId: string
    phase: 'started' | 'finished'
    index: number
    total: number
    result?: RepairStepResult
  }) => void
  onLine?: (stepId: string, line: string) => void
  /** Test hook, called at every boundary (each journal write, each command's end). */
  checkpointHook?: (point: string) => void
  now?: () => Date
}

export interface RunnerOutcome {
  journal: RepairJournal
  resumed: boolean
  /** True when a real PC is restarting now: the journal continues after sign-in. */
  restarting: boolean
}

const tail = (text: string, n = 12) =>
  text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .join('\n')

export { lastAssessment }

export async function runRepairJournal(
  start: RepairJournal,
  deps: RunnerDeps,
  opts: RunnerOptions = {},
): Promise<RunnerOutcome> {
  const now = () => (opts.now?.() ?? new Date()).toISOString()
  const hook = opts.checkpointHook ?? (() => {})
  let journal = start
  const resumed = journal.entries.length > 0
  const steps = journal.plan.steps
  if (journal.plan.refused) throw new Error(`This repair cannot run: ${journal.plan.refused}`)
  if (journal.status === 'completed' || journal.status === 'failed') return { journal, resumed, restarting: false }

  const write = (entry: RepairJournalEntry, status?: RepairJournalStatus) => {
    journal = withEntry(journal, entry, status)
    deps.journals.save(journal)
    hook(`journal:${entry.phase}${'stepId' in entry ? `:${entry.stepId}` : ''}`)
  }
  const end = async (status: 'completed' | 'failed' | 'cancelled', note: string): Promise<RunnerOutcome> => {
    write({ phase: 'ended', at: now(), status, note }, status)
    return { journal, resumed, restarting: false }
  }
  const indexOf = new Map(steps.map((s, i) => [s.id, i]))

  // The journal as the engine writes it (the repair journal's format: started / finished / resumed / ended).
  const port: RunJournal<RepairStepResult> = {
    resultOf: (id) => stepResults(journal).get(id),
    interrupted: (id) => interrupted(journal, id),
    verdict: (r) => (r.outcome === 'failed' ? 'failed' : r.outcome === 'not-fixed' ? 'not-fixed' : 'ok'),
    resumed: (note) => write({ phase: 'resumed', at: now(), note }, 'running'),
    rerunning: (s, note) => write({ phase: 'resumed', at: now(), note: `"${s.title}" was interrupted; ${note}` }),
    started: (s) => {
      write({ phase: 'started', at: now(), stepId: s.id, attempt: attempts(journal, s.id) + 1 })
      opts.onStep?.({ stepId: s.id, phase: 'started', index: indexOf.get(s.id)!, total: steps.length })
    },
    finished: (s, result) => {
      write({ phase: 'finished', at: now(), stepId: s.id, result })
      opts.onStep?.({ stepId: s.id, phase: 'finished', index: indexOf.get(s.id)!, total: steps.length, result })
    },
  }

  const engineSteps = steps.map((s): EngineStep<RepairStepResult> => {
    const commandLine = () => commandLineOf(s, deps.env)
    const kind = () => kindOf(s.kind)
    return {
      id: s.id,
      title: s.title,
      restart: s.kind === 'restart',
      gate: () =>
        s.gate === 'while-broken' && lastAssessment(journal) === 'healthy'
          ? {
              stepId: s.id,
              commandLine: commandLine(),
              exitCode: null,
              outcome: 'skipped',
              ok: true,
              assessment: null,
              durationMs: 0,
              output: 'Not needed: the check before it says the component store is healthy.',
            }
          : null,
      recheck: async () => {
        const r = await recheckRepairStep(s, { host: deps.host, env: deps.env, scan: deps.scan })
        if (r.kind === 'rerun') return { kind: 'rerun', note: r.note }
        return {
          kind: r.kind,
          note: r.note,
          result: {
            stepId: s.id,
            commandLine: commandLine(),
            exitCode: null,
            outcome: r.kind === 'done' ? 'rechecked' : 'failed',
            ok: r.kind === 'done',
            assessment: null,
            durationMs: 0,
            output: r.note,
          },
        }
      },
      execute: async ({ run }) => {
        const k = kind()
        const params = paramsOf(s)
        const line = commandLine()
        let ok: boolean, exitCode: number | null, output: string, durationMs: number
        const spec = commandOf(s, deps.env)
        if (spec) {
          // No signal: a DISM or expand stopped halfway is worse than waiting for it (cancel acts between steps).
          const r = await run(spec, { onLine: (l) => opts.onLine?.(s.id, l) })
          ok = r.ok
          exitCode = r.exitCode
          output = `${r.stdout}\n${r.stderr}`
          durationMs = r.durationMs
          if (r.timedOut) output += '\n(timed out)'
        } else {
          const t0 = Date.now()
          try {
            const r = await k.runLocal!(params, { env: deps.env, fetchPackage: deps.fetchPackage })
            ok = r.ok
            output = r.output
          } catch (err) {
            ok = false
            output = (err as Error).message
          }
          exitCode = null
          durationMs = Date.now() - t0
        }
        hook(`command:${s.id}`)
        const assessment = k.assess?.(output, exitCode) ?? null
        const outcome = ok ? 'done' : s.mayFail ? 'not-fixed' : 'failed'
        return { stepId: s.id, commandLine: line, exitCode, outcome, ok, assessment, durationMs, output: tail(output) }
      },
    }
  })

  const done = (r: Map<string, RepairStepResult>) =>
    steps.filter((s) => r.has(s.id) && !interrupted(journal, s.id)).length
  const out = await runSteps({
    host: deps.host,
    steps: engineSteps,
    journal: port,
    resumed,
    signal: opts.signal,
    cancelBeforeGate: true,
    restartIsReal: deps.env.hostKind === 'this-pc',
    resumeNote: () => {
      const open = steps.find((s) => interrupted(journal, s.id))
      return `Resumed with ${done(stepResults(journal))} of ${steps.length} steps done${open ? `; "${open.title}" was interrupted and is re-checked on the machine first` : ''}.`
    },
    verify: async () => {
      const snapshot = await deps.scan()
      const v = deps.definition.verify({ snapshot, journal, env: deps.env })
      journal = { ...journal, verification: { ...v, checkedAt: now() } }
    },
  })
  switch (out.kind) {
    case 'completed':
      return end('completed', journal.verification?.detail ?? '')
    case 'restarting':
      return { journal, resumed, restarting: true }
    case 'cancelled':
      return end('cancelled', `Cancelled before "${out.step.title}"; run the repair again to finish it.`)
    case 'failed-earlier':
      return end('failed', `"${out.step.title}" failed earlier; nothing after it runs.`)
    case 'paused':
      return end('cancelled', out.note)
    case 'failed': {
      if (out.how === 'rechecked') return end('failed', out.result.output)
      const exitCode = out.result.exitCode
      return end(
        'failed',
        `"${out.step.title}" failed${exitCode !== null ? ` (exit ${exitCode}, 0x${(exitCode >>> 0).toString(16).padStart(8, '0')})` : ''}; nothing after it runs.`,
      )
    }
  }
}

/** The Fix-it repairs' part of the resume rule book: each step kind's own re-check (step-kinds.ts), or run again. */
async function recheckRepairStep(
  s: RepairStepIntent,
  ctx: Parameters<NonNullable<ReturnType<typeof kindOf>['recheck']>>[1],
): Promise<{ kind: 'done' | 'rerun' | 'stop'; note: string }> {
  const kind = kindOf(s.kind)
  const question = ruleFor('repair', s.kind)
  const r = kind.recheck ? await kind.recheck(paramsOf(s), ctx) : { kind: 'rerun' as const, note: 'it runs again.' }
  // The rule book decides: a step it says runs again is never recorded done from a kind's own answer.
  return question === 'runs-again' && r.kind !== 'rerun' ? { kind: 'rerun', note: `it runs again (${r.note})` } : r
}
