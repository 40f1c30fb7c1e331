/**
 * Runs a whole-PC plan through the one engine (main/runner/engine.ts). Each step of the plan is a definition the
 * app already has (a Fix-it repair, an install plan, the WinRE repair): the step hands its work to that service,
 * which runs it through the same engine with its own sealed journal (and resumes it there after a crash or a
 * restart). This file's journal records the plan and where it stands, before and after every step, so a killed
 * run continues at the step it was in: the step's own journal says what of it is done.
 *
 * Right before each step its precondition is asked again of the PC (the diagnosis still offers the repair; the PC is
 * still below the update's build; WinRE still needs its repair): a step whose work is already done settles as not
 * needed rather than running.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomicSync } from '../atomic-write.ts'
import { runSteps, type EngineStep, type RunJournal } from '../runner/engine.ts'
import type { MachineRef } from '../../preload/model/common.ts'
import {
  PcPlanSchema,
  PcPlanStepRunSchema,
  type PcPlan,
  type PcPlanStep,
  type PcPlanStepRun,
} from '../../preload/model/pc-plan.ts'
import { z } from 'zod'

export const PcPlanJournalSchema = z
  .object({
    schemaVersion: z.literal(1),
    plan: PcPlanSchema,
    status: z.enum(['running', 'completed', 'waiting', 'failed', 'cancelled', 'restarting', 'refused']),
    /** The step that started and has not finished (a kill or a restart left it open). */
    open: z.string().nullable(),
    results: z.record(z.string(), PcPlanStepRunSchema),
    updatedAt: z.string(),
  })
  .strict()
export type PcPlanJournal = z.infer<typeof PcPlanJournalSchema>

/** What one step does, given by the service (each calls an existing definition's service). */
export interface StepWork {
  /** Asked right before the step: null runs it; a result settles it (its work is done, or not needed now). */
  precheck(step: PcPlanStep): Promise<PcPlanStepRun | null>
  execute(step: PcPlanStep, signal?: AbortSignal): Promise<PcPlanStepRun>
}

function machineKey(ref: MachineRef): string {
  const name =
    ref.kind === 'training'
      ? `training-${ref.name}`
      : ref.kind === 'remote'
        ? `remote-${ref.computer}`
        : ref.kind === 'snapshot'
          ? `snapshot-${ref.id}`
          : 'this-pc'
  return name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80)
}

export class PcPlanJournalStore {
  readonly dir: string
  constructor(dataDir: string) {
    this.dir = join(dataDir, 'pc-plans')
  }
  file(ref: MachineRef): string {
    return join(this.dir, `${machineKey(ref)}.json`)
  }
  /** The machine's last plan run, or null (none, or a file that is not one: it is moved aside, never run). */
  load(ref: MachineRef): PcPlanJournal | null {
    const f = this.file(ref)
    if (!existsSync(f)) return null
    try {
      return PcPlanJournalSchema.parse(JSON.parse(readFileSync(f, 'utf8')))
    } catch {
      return null
    }
  }
  save(ref: MachineRef, j: PcPlanJournal): void {
    mkdirSync(this.dir, { recursive: true })
    writeFileAtomicSync(this.file(ref), JSON.stringify(j, null, 2))
  }
  /**
   * An unfinished run of this machine's plan (running: killed; restarting: the PC went down under it; refused: another
   * run held the PC at a step).
   */
  unfinished(ref: MachineRef): PcPlanJournal | null {
    const j = this.load(ref)
    return j && ['running', 'restarting', 'cancelled', 'refused'].includes(j.status) ? j : null
  }
}

const FAILED = new Set(['failed'])

export interface RunPlanOptions {
  signal?: AbortSignal
  onStep?: (e: {
    step: PcPlanStep
    phase: 'started' | 'finished'
    result?: PcPlanStepRun
    index: number
    total: number
  }) => void
  /** Tests: called after each journal write with the step id (a kill hook stops the process there). */
  checkpointHook?: (stepId: string, phase: 'started' | 'finished') => void
}

/** Runs (or resumes) the plan in `journal` to its end, a failure, a cancellation or a real restart. */
export async function runPcPlan(
  start: PcPlanJournal,
  deps: {
    ref: MachineRef
    store: PcPlanJournalStore
    work: StepWork
    host: Parameters<typeof runSteps>[0]['host']
    now: () => Date
  },
  opts: RunPlanOptions = {},
): Promise<PcPlanJournal> {
  let journal = start
  const resumed = Object.keys(start.results).length > 0 || start.open !== null
  const write = (patch: Partial<PcPlanJournal>) => {
    journal = { ...journal, ...patch, updatedAt: deps.now().toISOString() }
    deps.store.save(deps.ref, journal)
  }
  const total = journal.plan.steps.length
  const port: RunJournal<PcPlanStepRun> = {
    resultOf: (id) => journal.results[id],
    interrupted: (id) => journal.open === id,
    // A step refused because another run held the PC stops the run as a cancel does, and runs again on the rerun.
    verdict: (r) =>
      FAILED.has(r.outcome) ? 'failed' : r.outcome === 'cancelled' || r.outcome === 'refused' ? 'cancelled' : 'ok',
    resumed: () => write({ status: 'running' }),
    rerunning: () => {},
    started: (s) => {
      write({ open: s.id, status: 'running' })
      opts.checkpointHook?.(s.id, 'started')
    },
    finished: (s, r) => {
      write({ open: null, results: { ...journal.results, [s.id]: r } })
      opts.checkpointHook?.(s.id, 'finished')
      const i = journal.plan.steps.findIndex((x) => x.id === s.id)
      opts.onStep?.({ step: journal.plan.steps[i]!, phase: 'finished', result: r, index: i, total })
    },
  }
  const steps = journal.plan.steps.map(
    (step, index): EngineStep<PcPlanStepRun> => ({
      id: step.id,
      title: step.title,
      // A wait is a person's: recorded as waiting, and the plan goes on with what it can do.
      gate: () =>
        step.kind === 'wait' ? { stepId: step.id, outcome: 'waiting', detail: step.why, runId: null } : null,
      // The step's own definition resumes its own journal: running it again continues where it stopped.
      recheck: async () => ({ kind: 'rerun', note: 'its own journal says what of it is done' }),
      prepare: async () => {
        const settled = await deps.work.precheck(step)
        return settled ? { kind: 'settle', result: settled } : null
      },
      execute: async () => {
        opts.onStep?.({ step, phase: 'started', index, total })
        return deps.work.execute(step, opts.signal)
      },
    }),
  )
  const end = await runSteps({
    host: deps.host,
    steps,
    journal: port,
    resumed,
    signal: opts.signal,
    restartIsReal: false,
    cancelBeforeGate: false,
  })
  switch (end.kind) {
    case 'completed':
      write({ status: Object.values(journal.results).some((r) => r.outcome === 'waiting') ? 'waiting' : 'completed' })
      break
    case 'failed':
    case 'failed-earlier':
      write({ status: 'failed' })
      break
    case 'cancelled':
      write({ status: journal.results[end.step.id]?.outcome === 'refused' ? 'refused' : 'cancelled' })
      break
    case 'paused':
    case 'restarting':
      write({ status: 'restarting' })
      break
  }
  return journal
}

export function newJournal(plan: PcPlan, now: Date): PcPlanJournal {
  return { schemaVersion: 1, plan, status: 'running', open: null, results: {}, updatedAt: now.toISOString() }
}
