/**
 * The WinRE run journal: `<dataDir>/winre-repairs/<id>.run.json`, next to the saved repair `<id>.json`, in the one
 * journal format of every run (preload/model/run-journal.ts), kept by the one store (main/runner/journal.ts):
 * rewritten atomically before and after every step, sealed, refused with the reason when it cannot be trusted. It
 * carries the repair it runs: a resume follows the journal, never a plan made later on a machine the run had
 * already changed. This file gives the store what is WinRE's own (where, what it is called, and that its steps
 * are the step builder's) and the runner its view (`WinreJournal`). A journal of the format before (version 2)
 * is read and converted, its seal checked as before.
 */
import { pcPathFor } from '../host/pc-path.ts'
import { attempts, interrupted as interruptedStep } from '../install/journal.ts'
import { winreRepairProblems } from './step-builder.ts'
import { RunJournalStore, type JournalKindSpec } from '../runner/journal.ts'
import { winreFromRun, winreToRun } from '../runner/journal-views.ts'
import type { MachineRef } from '../../preload/model/common.ts'
import {
  WINRE_JOURNAL_SCHEMA_VERSION,
  WinreJournalSchema,
  type WinreInterrupted,
  type WinreJournal,
  type WinreJournalEntry,
  type WinreJournalStatus,
  type WinreRepair,
  type WinreStepRun,
} from '../../preload/model/winre.ts'

export class WinreJournalError extends Error {
  readonly file: string
  constructor(file: string, message: string) {
    super(message)
    this.name = 'WinreJournalError'
    this.file = file
  }
}

/** What the one store needs to know about WinRE run journals. */
export function winreJournalSpec(dataDir: string): JournalKindSpec<'winre-repair'> {
  return {
    kind: 'winre-repair',
    folder: 'winre-repairs',
    suffix: '.run.json',
    idPattern: /^[A-Za-z0-9_-]{1,80}$/,
    idNoun: 'repair',
    label: (id) => `run journal of WinRE repair ${id}`,
    what: (id) => `the run journal of WinRE repair ${id}`,
    error: (_failure, message, file) => new WinreJournalError(file, message),
    check: (j) => {
      if (j.plan.id !== j.id) return `names another repair (${j.plan.id})`
      // Only the builder's commands run: a journal whose steps say anything else is refused, never resumed.
      const problems = winreRepairProblems(j.plan, pcPathFor(j.plan.machine.ref, dataDir))
      return problems.length ? `holds a repair Servicing Desk did not build (${problems[0]})` : null
    },
    legacy: {
      version: WINRE_JOURNAL_SCHEMA_VERSION,
      schema: WinreJournalSchema,
      toRun: (old: WinreJournal) => winreToRun(old),
    },
    sealAdvice: "Look at the PC's recovery partition (reagentc /info), then move the file away.",
  }
}

export class WinreJournalStore {
  readonly dir: string
  private readonly store: RunJournalStore<'winre-repair'>
  constructor(dataDir: string) {
    this.store = new RunJournalStore(dataDir, winreJournalSpec(dataDir))
    this.dir = this.store.dir
  }

  file(repairId: string): string {
    return this.store.file(repairId)
  }

  exists(repairId: string): boolean {
    return this.store.exists(repairId)
  }

  /** A new journal (refuses to overwrite one that exists: that one holds what already ran). */
  create(repair: WinreRepair, machine: MachineRef, now = new Date()): WinreJournal {
    const at = now.toISOString()
    const journal: WinreJournal = {
      schemaVersion: WINRE_JOURNAL_SCHEMA_VERSION,
      repairId: repair.id,
      machine,
      repair,
      status: 'running',
      entries: [],
      verification: null,
      createdAt: at,
      updatedAt: at,
    }
    this.store.create(winreToRun(journal))
    return journal
  }

  /** The journal, validated; a missing, unreadable, non-JSON or damaged one is a WinreJournalError saying which and why. */
  load(repairId: string): WinreJournal {
    return winreFromRun(this.store.load(repairId))
  }

  save(journal: WinreJournal): void {
    this.store.save(winreToRun(journal))
  }

  /** Every journal on disk: the readable ones, and the damaged ones with the reason. */
  all(): { journals: WinreJournal[]; damaged: WinreJournalError[] } {
    const { journals, damaged } = this.store.list()
    return { journals: journals.map(winreFromRun), damaged: damaged as WinreJournalError[] }
  }

  /** The run on this machine that did not reach an end (running when the process died, or cancelled), newest first. */
  unfinishedFor(machine: MachineRef): WinreJournal | null {
    const j = this.store.unfinished(machine)[0]
    return j ? winreFromRun(j) : null
  }
}

export const isUnfinished = (j: WinreJournal) => j.status === 'running' || j.status === 'cancelled'

/** Adds an entry and (optionally) sets the status; returns the new journal. */
export function withEntry(journal: WinreJournal, entry: WinreJournalEntry, status?: WinreJournalStatus): WinreJournal {
  return { ...journal, entries: [...journal.entries, entry], status: status ?? journal.status, updatedAt: entry.at }
}

/** Each step's last recorded result (a re-run or re-check after a crash replaces the earlier one). */
export function stepResults(journal: WinreJournal): Map<string, WinreStepRun> {
  const out = new Map<string, WinreStepRun>()
  for (const e of journal.entries) if (e.phase === 'finished') out.set(e.stepId, e.run)
  return out
}

/** The same step bookkeeping as an install journal's. */
export { attempts, interruptedStep }

/** Where an unfinished run stopped, said plainly (what the report shows and the resume starts from). */
export function describeInterruption(journal: WinreJournal): WinreInterrupted | null {
  if (!isUnfinished(journal)) return null
  const steps = journal.repair.steps
  const results = stepResults(journal)
  const done = steps.filter((s) => results.get(s.id)?.ok === true && !interruptedStep(journal, s.id)).length
  const open = steps.findIndex((s) => interruptedStep(journal, s.id))
  const nextIndex = open >= 0 ? open : steps.findIndex((s) => !(results.get(s.id)?.ok === true))
  const index = nextIndex >= 0 ? nextIndex : steps.length - 1
  const step = steps[index]
  const duringStep = open >= 0
  const how = journal.status === 'cancelled' ? 'was cancelled' : 'was interrupted'
  const what = duringStep
    ? `while running "${step.title}"`
    : nextIndex >= 0
      ? `before "${step.title}"`
      : 'before its verification'
  const ranOk = (op: string) => steps.some((s) => s.op === op && results.get(s.id)?.ok === true)
  const left = ranOk('reagentc-disable') && !ranOk('reagentc-enable') ? ' WinRE stays off until it finishes.' : ''
  return {
    repairId: journal.repairId,
    status: journal.status === 'cancelled' ? 'cancelled' : 'running',
    stepNumber: index + 1,
    stepId: step.id,
    stepTitle: step.title,
    duringStep,
    done,
    total: steps.length,
    updatedAt: journal.updatedAt,
    message: `A WinRE repair ${how} at step ${index + 1} of ${steps.length} (${what}; ${done} done); run it again to finish.${left}`,
  }
}
