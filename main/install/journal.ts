/**
 * The installation journal: `<dataDir>/journals/<planId>.json`, in the one journal format of every run
 * (preload/model/run-journal.ts), kept by the one store (main/runner/journal.ts): rewritten atomically before and
 * after every step, sealed, refused with the reason when it cannot be trusted. This file gives the store what is
 * an install's own — where its journals live, what they are called, and the check that its plan is the command
 * builder's (step-commands.ts: nothing a journal file says is ever run) — and hands the executor and the screens
 * the install's view of a journal (`Journal`, preload/model/plan.ts), converted both ways by
 * main/runner/journal-views.ts. A journal of the format before (version 2) is read and converted; a version 1
 * journal (which stored commands) is moved to `<data>/journals/archived/` with a note, never run.
 */
import {
  PlanSchema,
  JournalSchema,
  JOURNAL_SCHEMA_VERSION,
  type Journal,
  type JournalEntry,
  type JournalStatus,
  type Plan,
  type StepResult,
} from '../../preload/model/plan.ts'
import { RunJournalStore, isUnfinished, type JournalKindSpec } from '../runner/journal.ts'
import { installFromRun, installToRun } from '../runner/journal-views.ts'
import { planDigest } from './plan-digest.ts'
import { planCommandProblems } from './step-commands.ts'
import { pcPathFor } from '../host/pc-path.ts'
import type { MachineRef } from '../../preload/model/common.ts'

export class JournalError extends Error {}

/** A run that ended, whose journal does not carry this copy's seal: a record this copy cannot vouch for. */
export class UnvouchedJournalError extends JournalError {}

/** What the one store needs to know about install journals. */
export function installJournalSpec(dataDir: string): JournalKindSpec<'install'> {
  return {
    kind: 'install',
    folder: 'journals',
    suffix: '.json',
    idPattern: /^[A-Za-z0-9_-]{1,80}$/,
    idNoun: 'plan',
    label: (id) => `journal of plan ${id}`,
    what: (id) => `the installation journal of plan ${id}`,
    error: (failure, message) =>
      failure === 'unvouched' ? new UnvouchedJournalError(message) : new JournalError(message),
    check: (j) => {
      if (j.plan.id !== j.id) return `names another plan (${j.plan.id})`
      const problems = planCommandProblems(j.plan, { pcPath: pcPathFor(j.plan.machine.ref, dataDir) })
      return problems.length ? `holds a plan Servicing Desk did not build (${problems[0]})` : null
    },
    legacy: { version: JOURNAL_SCHEMA_VERSION, schema: JournalSchema, toRun: (old: Journal) => installToRun(old) },
    sealAdvice: "Check the PC's update history, then move the file out of the journals folder and make a new plan.",
  }
}

export class JournalStore {
  readonly dir: string
  private readonly store: RunJournalStore<'install'>
  constructor(dataDir: string) {
    this.store = new RunJournalStore(dataDir, installJournalSpec(dataDir))
    this.dir = this.store.dir
  }

  file(planId: string): string {
    return this.store.file(planId)
  }

  exists(planId: string): boolean {
    return this.store.exists(planId)
  }

  /** A new journal for a plan (refuses to overwrite one that exists: that one holds history). */
  create(plan: Plan, now = new Date()): Journal {
    const canonical = PlanSchema.parse(plan)
    const journal: Journal = {
      schemaVersion: JOURNAL_SCHEMA_VERSION,
      planId: plan.id,
      planDigest: planDigest(canonical),
      plan: canonical,
      status: 'pending',
      entries: [],
      results: {},
      verification: null,
      updatedAt: now.toISOString(),
    }
    this.store.create(installToRun(journal))
    return journal
  }

  load(planId: string): Journal {
    return installFromRun(this.store.load(planId))
  }

  save(journal: Journal): void {
    this.store.save(installToRun(journal))
  }

  /** Every readable journal, newest first (a damaged one is reported when it is opened by id). */
  all(): Journal[] {
    return this.store
      .list()
      .journals.map(installFromRun)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
  }

  /** The journals on disk that cannot be read (not JSON, not a journal, a bad name), each with the reason. */
  damaged(): JournalError[] {
    return this.store.list().damaged as JournalError[]
  }

  /** The same, each with the machine its file names (null: it names none, so it could be any PC's). */
  damagedOf(): Array<{ error: JournalError; id: string; machine: MachineRef | null }> {
    return this.store.list().damagedOf as Array<{ error: JournalError; id: string; machine: MachineRef | null }>
  }

  /** Journals that did not reach an end (running, awaiting a restart, cancelled), newest first. */
  unfinished(): Journal[] {
    return this.all().filter(isUnfinished)
  }
}

/** Adds an entry (and its result), sets the status, and returns the new journal (the old one is untouched). */
export function withEntry(journal: Journal, entry: JournalEntry, status?: JournalStatus): Journal {
  const results: Record<string, StepResult> = { ...journal.results }
  if (entry.phase === 'finished') results[entry.stepId] = entry.result
  return {
    ...journal,
    entries: [...journal.entries, entry],
    results,
    status: status ?? journal.status,
    updatedAt: entry.at,
  }
}

/** Any journal whose entries mark steps `started` and `finished`: an install's, and a WinRE run's (run-journal.ts). */
export interface StepEntries {
  entries: ReadonlyArray<{ phase: string; stepId?: string }>
}

/** True when the step's last journal entry is `started`: the process died while it ran (or before its end was written). */
export function interrupted(journal: StepEntries, stepId: string): boolean {
  for (let i = journal.entries.length - 1; i >= 0; i--) {
    const e = journal.entries[i]
    if ((e.phase === 'started' || e.phase === 'finished') && e.stepId === stepId) return e.phase === 'started'
  }
  return false
}

export function attempts(journal: StepEntries, stepId: string): number {
  return journal.entries.filter((e) => e.phase === 'started' && e.stepId === stepId).length
}
