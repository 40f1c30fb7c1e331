/**
 * Repair run journals: `<dataDir>/repairs/<runId>.json`, in the one journal format of every run
 * (preload/model/run-journal.ts), kept by the one store (main/runner/journal.ts): rewritten atomically before and
 * after every step, sealed, refused with the reason when it cannot be trusted. The journal carries the plan it runs
 * (intent only): a resume follows it, never a plan made later. This file gives the store what is a Fix-it repair's
 * own (where, what it is called, and that its steps are kinds its repair's definition makes) and the runner its
 * view (`RepairJournal`). A journal of the format before (version 1) is read and converted, its seal checked as before.
 */
import { AppError } from '../errors.ts'
import { KINDS_BY_REPAIR } from './definitions/index.ts'
import { stepResults } from './step-results.ts'
import { attempts, interrupted } from '../install/journal.ts'
import { RunJournalStore, type JournalKindSpec } from '../runner/journal.ts'
import { repairFromRun, repairToRun } from '../runner/journal-views.ts'
import type { MachineRef } from '../../preload/model/common.ts'
import {
  REPAIR_JOURNAL_SCHEMA_VERSION,
  RepairJournalSchema,
  type RepairJournal,
  type RepairJournalEntry,
  type RepairJournalStatus,
  type RepairPlan,
} from '../../preload/model/repair.ts'

/** Why a plan's steps are not what its repair's definition makes (null when they are). */
export function planKindProblem(plan: RepairPlan): string | null {
  const allowed = Object.hasOwn(KINDS_BY_REPAIR, plan.repairId) ? KINDS_BY_REPAIR[plan.repairId]! : []
  const bad = plan.steps.find((s) => !allowed.includes(s.kind))
  return bad
    ? `its step ${bad.id} is a '${bad.kind}' step, which the repair '${plan.repairId}' never makes (${allowed.join(', ') || 'no steps'})`
    : null
}

/** What the one store needs to know about Fix-it repair journals. */
export function repairJournalSpec(): JournalKindSpec<'repair'> {
  return {
    kind: 'repair',
    folder: 'repairs',
    suffix: '.json',
    idPattern: /^[A-Za-z0-9_-]{1,100}$/,
    idNoun: 'repair run',
    label: (id) => `journal of repair run ${id}`,
    what: (id) => `the journal of repair run ${id}`,
    error: (failure, message) =>
      new AppError(failure === 'missing' ? 'not-found' : failure === 'invalid' ? 'invalid-input' : 'failed', message),
    check: (j) => {
      const kinds = planKindProblem(j.plan)
      return kinds ? `holds a plan Servicing Desk did not make: ${kinds}` : null
    },
    legacy: {
      version: REPAIR_JOURNAL_SCHEMA_VERSION,
      schema: RepairJournalSchema,
      toRun: (old: RepairJournal) => repairToRun(old),
      check: (old: RepairJournal) =>
        old.repairId !== old.plan.repairId
          ? `names the repair ${old.repairId} but holds a plan of ${old.plan.repairId}`
          : null,
    },
  }
}

export class RepairJournalStore {
  readonly dir: string
  private readonly store: RunJournalStore<'repair'>
  constructor(dataDir: string) {
    this.store = new RunJournalStore(dataDir, repairJournalSpec())
    this.dir = this.store.dir
  }

  file(runId: string): string {
    return this.store.file(runId)
  }

  create(runId: string, plan: RepairPlan, now = new Date()): RepairJournal {
    const at = now.toISOString()
    const j: RepairJournal = {
      schemaVersion: REPAIR_JOURNAL_SCHEMA_VERSION,
      runId,
      repairId: plan.repairId,
      machine: plan.machine,
      plan,
      status: 'running',
      entries: [],
      verification: null,
      createdAt: at,
      updatedAt: at,
    }
    this.store.create(repairToRun(j))
    return j
  }

  load(runId: string): RepairJournal {
    return repairFromRun(this.store.load(runId))
  }

  save(j: RepairJournal): void {
    this.store.save(repairToRun(j))
  }

  exists(runId: string): boolean {
    return this.store.exists(runId)
  }

  /**
   * Every journal this copy sealed; a damaged one stops the caller (it holds what ran), so it is returned with its
   * reason. A run that ended without this copy's seal is neither: it counts for nothing and stops nothing.
   */
  all(): { journals: RepairJournal[]; damaged: AppError[] } {
    const { journals, damaged } = this.store.list()
    return { journals: journals.map(repairFromRun), damaged: damaged as AppError[] }
  }

  /** The unfinished run of a repair on a machine (running when the process died, or cancelled), newest first. */
  unfinished(machine: MachineRef, repairId: string): RepairJournal | null {
    const j = this.store.unfinished(machine).find((r) => r.plan.repairId === repairId)
    return j ? repairFromRun(j) : null
  }
}

export function withEntry(j: RepairJournal, entry: RepairJournalEntry, status?: RepairJournalStatus): RepairJournal {
  return { ...j, entries: [...j.entries, entry], status: status ?? j.status, updatedAt: entry.at }
}

export { stepResults }

export { attempts, interrupted }

/** Steps finished (any outcome but a failure that ended the run) and the total, for "n of m done". */
export function progressOf(j: RepairJournal): { done: number; total: number } {
  const r = stepResults(j)
  return { done: j.plan.steps.filter((s) => r.has(s.id) && !interrupted(j, s.id)).length, total: j.plan.steps.length }
}
