/**
 * Repair run journals: `<dataDir>/repairs/<runId>.json`, rewritten atomically (main/atomic-write.ts)
 * before and after every step, so a kill or a power cut leaves the old or the new journal, never half.
 * The journal carries the plan it runs (intent only): a resume follows it, never a plan made later.
 */
import { mkdirSync, readFileSync, readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomicSync } from '../atomic-write.ts'
import { AppError } from '../errors.ts'
import { attempts, interrupted } from '../install/journal.ts'
import { sealProblem, sealed, unseal } from '../runner/journal-seal.ts'
import type { MachineRef } from '../../preload/model/common.ts'
import {
  REPAIR_JOURNAL_SCHEMA_VERSION, RepairJournalSchema, type RepairJournal, type RepairJournalEntry, type RepairJournalStatus, type RepairPlan, type RepairStepResult,
} from '../../preload/model/repair.ts'

const ID = /^[A-Za-z0-9_-]{1,100}$/

/**
 * The step kinds each repair's definition produces (main/repair/definitions/*): a journal of a repair whose steps
 * name any other kind is refused (a journal named for `restart` that removes a package never runs).
 */
export const KINDS_BY_REPAIR: Readonly<Record<string, readonly string[]>> = {
  'restart': ['schedule-resume', 'restart'],
  'restore-health': ['dism-check-health', 'dism-scan-health', 'dism-restore-health', 'dism-restore-health-media', 'fetch-package', 'expand-msu', 'expand-cab', 'sfc-scannow'],
  'free-esp-space': ['esp-mount', 'esp-move-folder', 'esp-unmount'],
  'reset-wu-components': ['wu-services-stop', 'wu-folder-rename', 'wu-services-start'],
  'remove-package': ['dism-remove-package', 'schedule-resume', 'restart'],
  'secure-boot-update': ['secure-boot-available-updates', 'secure-boot-task-run', 'schedule-resume', 'restart'],
}

/** Why a plan's steps are not what its repair's definition makes (null when they are). */
export function planKindProblem(plan: RepairPlan): string | null {
  const allowed = Object.hasOwn(KINDS_BY_REPAIR, plan.repairId) ? KINDS_BY_REPAIR[plan.repairId]! : []
  const bad = plan.steps.find((s) => !allowed.includes(s.kind))
  return bad ? `its step ${bad.id} is a '${bad.kind}' step, which the repair '${plan.repairId}' never makes (${allowed.join(', ') || 'no steps'})` : null
}

export class RepairJournalStore {
  readonly dir: string
  private readonly dataDir: string
  constructor(dataDir: string) { this.dir = join(dataDir, 'repairs'); this.dataDir = dataDir }

  file(runId: string): string {
    if (!ID.test(runId)) throw new AppError('invalid-input', `Invalid repair run id '${runId}'.`)
    return join(this.dir, `${runId}.json`)
  }

  create(runId: string, plan: RepairPlan, now = new Date()): RepairJournal {
    if (existsSync(this.file(runId))) throw new AppError('failed', `A journal for repair run ${runId} exists already; resume it instead.`)
    const at = now.toISOString()
    const j: RepairJournal = { schemaVersion: REPAIR_JOURNAL_SCHEMA_VERSION, runId, repairId: plan.repairId, machine: plan.machine, plan, status: 'running', entries: [], verification: null, createdAt: at, updatedAt: at }
    this.save(j)
    return j
  }

  load(runId: string): RepairJournal {
    const file = this.file(runId)
    let raw: string
    try { raw = readFileSync(file, 'utf8') } catch (err) { throw new AppError('not-found', `The journal of repair run ${runId} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): ${file}.`) }
    let json: unknown
    try { json = JSON.parse(raw) } catch (err) { throw new AppError('failed', `The journal of repair run ${runId} is damaged (not JSON: ${(err as Error).message}): ${file}.`) }
    const { body, seal } = unseal(json)
    json = body
    const parsed = RepairJournalSchema.safeParse(json)
    if (!parsed.success) throw new AppError('failed', `The journal of repair run ${runId} is damaged (${parsed.error.issues.slice(0, 2).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}): ${file}.`)
    if (parsed.data.runId !== runId) throw new AppError('failed', `The journal ${file} names another run (${parsed.data.runId}).`)
    const j = parsed.data
    if (j.repairId !== j.plan.repairId) throw new AppError('failed', `The journal of repair run ${runId} names the repair ${j.repairId} but holds a plan of ${j.plan.repairId}, so nothing in it runs: ${file}.`)
    const kinds = planKindProblem(j.plan)
    if (kinds) throw new AppError('failed', `The journal of repair run ${runId} holds a plan Servicing Desk did not make: ${kinds}; nothing in it runs: ${file}.`)
    // Bound to the app's key (issue 33 §2): an unsealed or differently sealed journal is history at most, never resumed.
    if (j.status === 'running' || j.status === 'cancelled') {
      const why = sealProblem(this.dataDir, 'repair', runId, body, seal)
      if (why) throw new AppError('failed', `The journal of repair run ${runId} has not ended, and ${why}, so nothing in it runs: ${file}.`)
    }
    return j
  }

  save(j: RepairJournal): void {
    mkdirSync(this.dir, { recursive: true })
    writeFileAtomicSync(this.file(j.runId), JSON.stringify(sealed(this.dataDir, 'repair', j.runId, j), null, 1), { what: `the journal of repair ${j.repairId}` })
  }

  /** Every journal; a damaged one stops the caller (it holds what ran), so it is returned with its reason. */
  all(): { journals: RepairJournal[]; damaged: AppError[] } {
    let names: string[]
    try { names = readdirSync(this.dir).filter((n) => n.endsWith('.json')) } catch { return { journals: [], damaged: [] } }
    const journals: RepairJournal[] = []
    const damaged: AppError[] = []
    for (const n of names.sort()) {
      const id = n.slice(0, -5)
      if (!ID.test(id)) continue
      try { journals.push(this.load(id)) } catch (err) { damaged.push(err as AppError) }
    }
    return { journals, damaged }
  }

  /** The unfinished run of a repair on a machine (running when the process died, or cancelled), newest first. */
  unfinished(machine: MachineRef, repairId: string): RepairJournal | null {
    const key = JSON.stringify(machine)
    return this.all().journals
      .filter((j) => (j.status === 'running' || j.status === 'cancelled') && j.repairId === repairId && JSON.stringify(j.machine) === key)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0] ?? null
  }
}

export function withEntry(j: RepairJournal, entry: RepairJournalEntry, status?: RepairJournalStatus): RepairJournal {
  return { ...j, entries: [...j.entries, entry], status: status ?? j.status, updatedAt: entry.at }
}

/** Each step's last result (a re-run or re-check replaces an earlier one). */
export function stepResults(j: RepairJournal): Map<string, RepairStepResult> {
  const out = new Map<string, RepairStepResult>()
  for (const e of j.entries) if (e.phase === 'finished') out.set(e.stepId, e.result)
  return out
}

export { attempts, interrupted }

/** Steps finished (any outcome but a failure that ended the run) and the total, for "n of m done". */
export function progressOf(j: RepairJournal): { done: number; total: number } {
  const r = stepResults(j)
  return { done: j.plan.steps.filter((s) => r.has(s.id) && !interrupted(j, s.id)).length, total: j.plan.steps.length }
}
