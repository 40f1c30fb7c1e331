/**
 * The installation journal: `<dataDir>/journals/<planId>.json`, rewritten atomically (main/atomic-write.ts:
 * temp file, every byte checked, fsync, rename, folder fsync) before and after every step, so a crash, a
 * restart or a full disk leaves either the old or the new journal on disk, never half of one. A journal
 * that cannot be read is reported (`damaged()`), never skipped silently.
 *
 * A journal belongs to its plan (issue 14 §3): it records the SHA-256 of the plan's canonical JSON
 * (`planDigest`), checked on every load; its plan must be the command builder's (step-commands.ts), or the
 * journal is refused as damaged: nothing a journal file says is ever run. A version 1 journal (which
 * stored commands) is reported as unsupported, never run.
 */
import { mkdirSync, readFileSync, readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { copyFailure, writeFileAtomicSync } from '../atomic-write.ts'
import { planDigest } from './plan-digest.ts'
import { sealProblem, sealed, unseal } from '../runner/journal-seal.ts'
import { planCommandProblems } from './step-commands.ts'
import { pcPathFor } from '../host/pc-path.ts'
import {
  JOURNAL_SCHEMA_VERSION, JournalSchema, PlanSchema, type Journal, type JournalEntry, type JournalStatus, type Plan, type StepResult,
} from '../../preload/model/plan.ts'

export class JournalError extends Error {}

export class JournalStore {
  readonly dir: string
  private readonly dataDir: string
  constructor(dataDir: string) {
    this.dataDir = dataDir
    this.dir = join(dataDir, 'journals')
  }

  file(planId: string): string {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(planId)) throw new JournalError(`Invalid plan id '${planId}'.`)
    return join(this.dir, `${planId}.json`)
  }

  exists(planId: string): boolean {
    return existsSync(this.file(planId))
  }

  /** A new journal for a plan (refuses to overwrite one that exists: that one holds history). */
  create(plan: Plan, now = new Date()): Journal {
    if (this.exists(plan.id)) throw new JournalError(`A journal for plan ${plan.id} exists already; resume it instead.`)
    const canonical = PlanSchema.parse(plan)
    const journal: Journal = {
      schemaVersion: JOURNAL_SCHEMA_VERSION, planId: plan.id, planDigest: planDigest(canonical), plan: canonical, status: 'pending', entries: [], results: {}, verification: null, updatedAt: now.toISOString(),
    }
    this.save(journal)
    return journal
  }

  load(planId: string): Journal {
    const file = this.file(planId)
    let raw: string
    try { raw = readFileSync(file, 'utf8') } catch { throw new JournalError(`No journal for plan ${planId}.`) }
    let json: unknown
    try { json = JSON.parse(raw) } catch (err) { throw new JournalError(`The journal of plan ${planId} (${file}) is damaged: it is not JSON (${(err as Error).message}).`) }
    const { body, seal } = unseal(json)
    json = body
    const version = json && typeof json === 'object' ? (json as { schemaVersion?: unknown }).schemaVersion : undefined
    if (typeof version === 'number' && version !== JOURNAL_SCHEMA_VERSION) {
      throw new JournalError(`The journal of plan ${planId} (${file}) is from ${version < JOURNAL_SCHEMA_VERSION ? 'an earlier' : 'a later'} version of Servicing Desk (format ${version}) and is not supported, so nothing in it runs.`)
    }
    const parsed = JournalSchema.safeParse(json)
    if (!parsed.success) throw new JournalError(`The journal of plan ${planId} (${file}) is damaged: ${parsed.error.issues.slice(0, 2).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`)
    const j = parsed.data
    if (j.planId !== planId || j.plan.id !== planId) throw new JournalError(`The journal ${file} names another plan (${j.planId === planId ? j.plan.id : j.planId}), so it is not run.`)
    if (planDigest(j.plan) !== j.planDigest) throw new JournalError(`The journal of plan ${planId} (${file}) holds a plan that is not the one it was made for (its digest differs), so it is not run.`)
    const problems = planCommandProblems(j.plan, { pcPath: pcPathFor(j.plan.machine.ref, this.dataDir) })
    if (problems.length) throw new JournalError(`The journal of plan ${planId} (${file}) holds a plan Servicing Desk did not build, so it is not run: ${problems[0]}`)
    // Bound to the app's key (issue 33 §2): an unsealed or differently sealed journal is history at most, never resumed.
    if (j.status !== 'completed' && j.status !== 'failed') {
      const why = sealProblem(this.dataDir, 'install', planId, body, seal)
      if (why) throw new JournalError(`The journal of plan ${planId} (${file}) has not ended, and ${why}, so nothing in it runs. Check the PC's update history, then move the file out of ${this.dir} and make a new plan.`)
    }
    return j
  }

  save(journal: Journal): void {
    try { mkdirSync(this.dir, { recursive: true }) } catch (err) { throw copyFailure(this.file(journal.planId), err, `the installation journal of plan ${journal.planId}`) }
    writeFileAtomicSync(this.file(journal.planId), JSON.stringify(sealed(this.dataDir, 'install', journal.planId, journal), null, 1), { what: `the installation journal of plan ${journal.planId}` })
  }

  /** Every readable journal, newest first (a damaged one is reported when it is opened by id). */
  all(): Journal[] {
    let names: string[]
    try { names = readdirSync(this.dir).filter((n) => n.endsWith('.json')) } catch { return [] }
    const out: Journal[] = []
    for (const n of names) { try { out.push(this.load(n.slice(0, -5))) } catch { /* skipped */ } }
    return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
  }

  /** The journals on disk that cannot be read (not JSON, not a journal, a bad name), each with the reason. */
  damaged(): JournalError[] {
    let names: string[]
    try { names = readdirSync(this.dir).filter((n) => n.endsWith('.json')) } catch { return [] }
    const out: JournalError[] = []
    for (const n of names) {
      try { this.load(n.slice(0, -5)) } catch (err) { out.push(err instanceof JournalError ? err : new JournalError(`${join(this.dir, n)} cannot be read: ${(err as Error).message}.`)) }
    }
    return out
  }

  /** Journals that did not reach an end (running, awaiting a restart, cancelled), newest first. */
  unfinished(): Journal[] {
    return this.all().filter((j) => j.status === 'running' || j.status === 'awaiting-restart' || j.status === 'pending' || j.status === 'cancelled')
  }
}

/** Adds an entry (and its result), sets the status, and returns the new journal (the old one is untouched). */
export function withEntry(journal: Journal, entry: JournalEntry, status?: JournalStatus): Journal {
  const results: Record<string, StepResult> = { ...journal.results }
  if (entry.phase === 'finished') results[entry.stepId] = entry.result
  return { ...journal, entries: [...journal.entries, entry], results, status: status ?? journal.status, updatedAt: entry.at }
}

/** Any journal whose entries mark steps `started` and `finished`: an install's, and a WinRE run's (run-journal.ts). */
export interface StepEntries { entries: ReadonlyArray<{ phase: string; stepId?: string }> }

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
