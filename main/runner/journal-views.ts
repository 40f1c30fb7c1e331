/**
 * The one journal (preload/model/run-journal.ts) and the per-kind shapes the definitions, the IPC contract and the
 * screens still use (an install's Journal, a WinreJournal, a RepairJournal). These are also the three formats
 * written before the one journal existed, so the same functions convert an old file on read.
 *
 * Both directions are lossless for every journal the app writes (test/unit/runner/journal-store.test.ts): a view
 * saved and read back is the same view.
 */
import { createHash } from 'node:crypto'
import { canonicalJsonOfText } from './canonical-json.ts'
import { JOURNAL_SCHEMA_VERSION, type Journal, type JournalEntry, type StepResult } from '../../preload/model/plan.ts'
import { WINRE_JOURNAL_SCHEMA_VERSION, type WinreJournal, type WinreJournalEntry } from '../../preload/model/winre.ts'
import {
  REPAIR_JOURNAL_SCHEMA_VERSION,
  type RepairJournal,
  type RepairJournalEntry,
} from '../../preload/model/repair.ts'
import type { MachineRef } from '../../preload/model/common.ts'
import { RUN_JOURNAL_SCHEMA, RUN_JOURNAL_SCHEMA_VERSION, type RunJournalOf } from '../../preload/model/run-journal.ts'

/** The last plan's JSON text and its digest: a run's journal is written and read tens of times with the one plan. */
let lastDigest: { text: string; digest: string } | null = null

/** SHA-256 (hex) of a plan's canonical JSON, as written (what a read recomputes). */
export function digestOf(plan: unknown): string {
  // Keyed on the whole text as written: a plan changed in any field is digested afresh.
  const text = JSON.stringify(plan)
  if (lastDigest !== null && lastDigest.text === text) return lastDigest.digest
  const digest = createHash('sha256').update(canonicalJsonOfText(text)).digest('hex')
  lastDigest = { text, digest }
  return digest
}

/** A WinRE or Fix-it run always names its machine (an install plan made for a snapshot is the only run without one). */
function machineOf(machine: MachineRef | null, fallback: MachineRef | null): MachineRef {
  const m = machine ?? fallback
  if (!m) throw new Error('A repair journal names no machine.')
  return m
}

const head = { schema: RUN_JOURNAL_SCHEMA, schemaVersion: RUN_JOURNAL_SCHEMA_VERSION } as const

// ---- install ----------------------------------------------------------------------------------------------

export function installToRun(j: Journal): RunJournalOf<'install'> {
  return {
    ...head,
    kind: 'install',
    id: j.planId,
    machine: j.plan.machine.ref,
    createdAt: j.plan.createdAt,
    updatedAt: j.updatedAt,
    planDigest: j.planDigest,
    plan: j.plan,
    status: j.status,
    entries: j.entries,
    verification: j.verification,
  }
}

export function installFromRun(r: RunJournalOf<'install'>): Journal {
  const results: Record<string, StepResult> = {}
  const entries: JournalEntry[] = []
  for (const e of r.entries) {
    if (e.phase === 'ended') continue
    if (e.phase === 'finished') results[e.stepId] = e.result
    entries.push(e)
  }
  return {
    schemaVersion: JOURNAL_SCHEMA_VERSION,
    planId: r.id,
    planDigest: r.planDigest,
    plan: r.plan,
    status: r.status,
    entries,
    results,
    verification: r.verification,
    updatedAt: r.updatedAt,
  }
}

// ---- WinRE repair -----------------------------------------------------------------------------------------

export function winreToRun(j: WinreJournal): RunJournalOf<'winre-repair'> {
  return {
    ...head,
    kind: 'winre-repair',
    id: j.repairId,
    machine: j.machine,
    createdAt: j.createdAt,
    updatedAt: j.updatedAt,
    planDigest: digestOf(j.repair),
    plan: j.repair,
    status: j.status,
    verification: j.verification,
    entries: j.entries.map((e) =>
      e.phase === 'finished'
        ? {
            phase: 'finished',
            at: e.at,
            stepId: e.stepId,
            result: e.run,
            exitCode: e.run.exitCode,
            durationMs: Math.max(0, e.run.durationMs),
            rechecked: e.run.rechecked,
          }
        : e,
    ),
  }
}

export function winreFromRun(r: RunJournalOf<'winre-repair'>): WinreJournal {
  const entries: WinreJournalEntry[] = []
  for (const e of r.entries) {
    if (e.phase === 'finished') entries.push({ phase: 'finished', at: e.at, stepId: e.stepId, run: e.result })
    else if (e.phase === 'started' || e.phase === 'resumed' || e.phase === 'ended') entries.push(e)
  }
  return {
    schemaVersion: WINRE_JOURNAL_SCHEMA_VERSION,
    repairId: r.id,
    machine: machineOf(r.machine, r.plan.machine.ref),
    repair: r.plan,
    status: r.status,
    entries,
    verification: r.verification,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }
}

// ---- Fix-it repair ----------------------------------------------------------------------------------------

export function repairToRun(j: RepairJournal): RunJournalOf<'repair'> {
  return {
    ...head,
    kind: 'repair',
    id: j.runId,
    machine: j.machine,
    createdAt: j.createdAt,
    updatedAt: j.updatedAt,
    planDigest: digestOf(j.plan),
    plan: j.plan,
    status: j.status,
    verification: j.verification,
    entries: j.entries.map((e) => {
      if (e.phase === 'finished') {
        const exit = e.result.exitCode
        return {
          phase: 'finished',
          at: e.at,
          stepId: e.stepId,
          result: e.result,
          exitCode: exit === null ? null : Math.trunc(exit),
          durationMs: Math.max(0, e.result.durationMs),
          rechecked: e.result.outcome === 'rechecked',
        }
      }
      if (e.phase === 'started') return { ...e, attempt: Math.max(1, e.attempt) }
      return e
    }),
  }
}

export function repairFromRun(r: RunJournalOf<'repair'>): RepairJournal {
  const entries: RepairJournalEntry[] = []
  for (const e of r.entries) {
    if (e.phase === 'finished') entries.push({ phase: 'finished', at: e.at, stepId: e.stepId, result: e.result })
    else if (e.phase === 'started' || e.phase === 'resumed' || e.phase === 'ended')
      entries.push(e as RepairJournalEntry)
  }
  return {
    schemaVersion: REPAIR_JOURNAL_SCHEMA_VERSION,
    runId: r.id,
    repairId: r.plan.repairId,
    machine: r.machine ?? r.plan.machine,
    plan: r.plan,
    status: r.status,
    entries,
    verification: r.verification,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }
}
