/**
 * The one engine that runs changes to a PC: any list of steps, against a Host, with a journal written
 * before and after every step. Installs (main/install/executor.ts), WinRE repairs (main/winre/repair-runner.ts)
 * and Fix-it repairs (main/repair/runner.ts) are definitions: each turns its plan into EngineSteps and gives the
 * engine its journal (a RunJournal port). The rules live here, once:
 *
 * - A finished step never runs again. A step whose last journal entry is `started` (the process died while it
 *   ran, or before its end was written) is re-checked on the machine first, by its kind's rule in the resume rule
 *   book (main/runner/resume-rules.ts): done → recorded as re-checked, not run again; rerun → runs again; stop → the run
 *   ends failed with the reason (e.g. a diskpart cut halfway: nothing more runs).
 * - A step that failed earlier ends the run again (nothing after a failure runs); a cancelled one runs again.
 * - Gates: a step may settle itself without running (a `while-broken` rung when the store is healthy, a step whose
 *   prerequisite did not succeed); a `mayFail` rung's failure is `not-fixed` and the next rung tries.
 * - Cancelling takes effect between steps; a command is never stopped halfway (a DISM, diskpart or reagentc cut in
 *   the middle is the state a journal exists to avoid).
 * - Just before a step runs, its preflight (a package re-hashed) may refuse it: nothing runs.
 * - A restart step on a real PC ends this process's part after the command: Windows restarts, the RunOnce entry the
 *   plan wrote starts the app after sign-in, and the journal continues (the restart is re-checked first).
 * - After the last step, the caller's verification runs.
 *
 * The engine never reads a journal file itself and never builds a command: the definition builds every command
 * from the step's intent when it runs (nothing a journal says is run as written).
 */
import type { Host } from '../host/host.ts'

/** What a result means to the engine. */
export type Verdict = 'ok' | 'not-fixed' | 'failed' | 'cancelled'

/** The answer of the resume rule book for an interrupted step. */
export type RecheckAnswer<R> = { kind: 'rerun'; note: string } | { kind: 'done' | 'stop'; result: R; note: string }

/** Before a step runs: settle it without running (a result), or pause the run (e.g. a restart not confirmed). */
export type Prepared<R> = { kind: 'settle'; result: R } | { kind: 'pause'; note: string } | null

export interface EngineStep<R> {
  id: string
  title: string
  /** A gate: a result that settles the step without running it (a rung not needed, a prerequisite that failed); null runs it. */
  gate?: () => R | null
  /** From the resume rule book: how this step is re-checked on the machine when it was interrupted. */
  recheck: () => Promise<RecheckAnswer<R>>
  /** Right before the step: a question for the machine or the person (is a restart needed? confirmed?). */
  prepare?: () => Promise<Prepared<R>>
  /** Right before the command: a failed result refuses the step (a package whose hash differs); nothing runs. */
  preflight?: () => Promise<R | null>
  /**
   * Runs the step and returns its result. The definition builds the command from the intent now and hands it to
   * `run`, the engine's one door to the Host for changes (nothing else in the app runs a command that changes a PC).
   */
  execute: (ctx: { run: Host['run'] }) => Promise<R>
  /** A restart: on a real PC this process stops after it succeeded; RunOnce continues the journal. */
  restart?: boolean
  /** After a successful step (e.g. a training machine's restart records the level it came back at). */
  after?: (result: R) => Promise<void>
}

/** The definition's journal, as the engine writes it: each call is one atomic write of the journal file. */
export interface RunJournal<R> {
  /** The step's last recorded result (undefined: none yet). */
  resultOf(stepId: string): R | undefined
  /** True when the step's last entry is `started`: it was interrupted. */
  interrupted(stepId: string): boolean
  verdict(result: R): Verdict
  /** Written once when a run that had started before continues. */
  resumed(note: string): void
  /** An interrupted step that runs again: why. */
  rerunning(step: EngineStep<R>, note: string): void
  started(step: EngineStep<R>): void
  /** `how`: ran (the command's result), rechecked (the rule book's), settled (a gate's), refused (a preflight's). */
  finished(step: EngineStep<R>, result: R, how: 'ran' | 'rechecked' | 'settled' | 'refused'): void
}

/** How a run ended (the definition writes its own end entry and status from it). */
export type EngineEnd<R> =
  | { kind: 'completed' }
  | { kind: 'failed-earlier'; step: EngineStep<R>; result: R }
  | { kind: 'failed'; step: EngineStep<R>; result: R; how: 'ran' | 'rechecked' | 'refused' }
  | { kind: 'cancelled'; step: EngineStep<R>; during: boolean }
  | { kind: 'paused'; step: EngineStep<R>; note: string }
  | { kind: 'restarting'; step: EngineStep<R> }

export interface EngineRun<R> {
  /** The machine the steps change. */
  host: Host
  steps: ReadonlyArray<EngineStep<R>>
  journal: RunJournal<R>
  /** True when the run continues an earlier one (the definition says how it tells). */
  resumed: boolean
  /** A plain line for the `resumed` entry. */
  resumeNote?: () => string
  signal?: AbortSignal
  /** True when the PC restarts for real under a restart step (this PC), false for a training machine. */
  restartIsReal: boolean
  /** The caller's verification after the last step. */
  verify?: () => Promise<void>
  /** Whether a step settled by a gate still stops at a cancel first (a ladder's rung: yes; an install's prerequisite: no). */
  cancelBeforeGate?: boolean
}

/** Runs (or resumes) the steps to their end, a failure, a cancellation, a pause, or a real restart. */
export async function runSteps<R>(run: EngineRun<R>): Promise<EngineEnd<R>> {
  const { journal } = run
  if (run.resumed) journal.resumed(run.resumeNote?.() ?? 'Resumed.')
  for (const step of run.steps) {
    const open = journal.interrupted(step.id)
    const previous = journal.resultOf(step.id)
    if (previous !== undefined && !open) {
      const v = journal.verdict(previous)
      if (v === 'failed') return { kind: 'failed-earlier', step, result: previous }
      if (v !== 'cancelled') continue
    }
    if (run.cancelBeforeGate && run.signal?.aborted) return { kind: 'cancelled', step, during: false }
    const settled = step.gate?.() ?? null
    if (settled !== null) {
      journal.finished(step, settled, 'settled')
      continue
    }
    if (run.signal?.aborted) return { kind: 'cancelled', step, during: false }

    if (open) {
      const r = await step.recheck()
      if (r.kind !== 'rerun') {
        journal.finished(step, r.result, 'rechecked')
        if (r.kind === 'stop' || journal.verdict(r.result) === 'failed')
          return { kind: 'failed', step, result: r.result, how: 'rechecked' }
        continue
      }
      journal.rerunning(step, r.note)
    }

    const prepared = step.prepare ? await step.prepare() : null
    if (prepared?.kind === 'settle') {
      journal.finished(step, prepared.result, 'rechecked')
      continue
    }
    if (prepared?.kind === 'pause') return { kind: 'paused', step, note: prepared.note }

    const refused = step.preflight ? await step.preflight() : null
    if (refused !== null) {
      journal.finished(step, refused, 'refused')
      if (journal.verdict(refused) === 'cancelled') return { kind: 'cancelled', step, during: true }
      return { kind: 'failed', step, result: refused, how: 'refused' }
    }

    journal.started(step)
    const result = await step.execute({ run: (spec, opts) => run.host.run(spec, opts) })
    journal.finished(step, result, 'ran')
    const v = journal.verdict(result)
    if (v === 'cancelled') return { kind: 'cancelled', step, during: true }
    if (v === 'failed') return { kind: 'failed', step, result, how: 'ran' }
    if (v === 'ok' && step.restart && run.restartIsReal) return { kind: 'restarting', step }
    if (v === 'ok') await step.after?.(result)
  }
  await run.verify?.()
  return { kind: 'completed' }
}
