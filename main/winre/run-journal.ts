/**
 * The WinRE run journal: `<dataDir>/winre-repairs/<id>.run.json`, next to the saved repair `<id>.json`.
 * Rewritten atomically (main/atomic-write.ts: temp file, bytes checked, fsync, rename) before and after every step, so a crash
 * leaves either the old or the new journal on disk, never half of one. It carries the repair it runs:
 * a resume follows the journal, never a plan made later on a machine the run had already changed.
 */
import { pcPathFor } from '../host/pc-path.ts'
import { mkdirSync, readFileSync, readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { copyFailure, writeFileAtomicSync } from '../atomic-write.ts'
import { attempts, interrupted as interruptedStep } from '../install/journal.ts'
import { winreRepairProblems } from './step-builder.ts'
import { sealProblem, sealed, unseal } from '../runner/journal-seal.ts'
import type { MachineRef } from '../../preload/model/common.ts'
import {
  WINRE_JOURNAL_SCHEMA_VERSION, WinreJournalSchema, type WinreInterrupted, type WinreJournal, type WinreJournalEntry, type WinreJournalStatus,
  type WinreRepair, type WinreStepRun,
} from '../../preload/model/winre.ts'

export class WinreJournalError extends Error {
  readonly file: string
  constructor(file: string, message: string) {
    super(message)
    this.name = 'WinreJournalError'
    this.file = file
  }
}

const ID = /^[A-Za-z0-9_-]{1,80}$/
const SUFFIX = '.run.json'

export class WinreJournalStore {
  readonly dir: string
  private readonly dataDir: string
  constructor(dataDir: string) {
    this.dataDir = dataDir
    this.dir = join(dataDir, 'winre-repairs')
  }

  file(repairId: string): string {
    if (!ID.test(repairId)) throw new WinreJournalError(repairId, `Invalid repair id '${repairId}'.`)
    return join(this.dir, `${repairId}${SUFFIX}`)
  }

  exists(repairId: string): boolean {
    return existsSync(this.file(repairId))
  }

  /** A new journal (refuses to overwrite one that exists: that one holds what already ran). */
  create(repair: WinreRepair, machine: MachineRef, now = new Date()): WinreJournal {
    if (this.exists(repair.id)) throw new WinreJournalError(this.file(repair.id), `A run journal for repair ${repair.id} exists already; resume it instead.`)
    const at = now.toISOString()
    const journal: WinreJournal = {
      schemaVersion: WINRE_JOURNAL_SCHEMA_VERSION, repairId: repair.id, machine, repair, status: 'running', entries: [], verification: null, createdAt: at, updatedAt: at,
    }
    this.save(journal)
    return journal
  }

  /** The journal, validated; a missing, unreadable, non-JSON or damaged one is a WinreJournalError saying which and why. */
  load(repairId: string): WinreJournal {
    const file = this.file(repairId)
    let raw: string
    try { raw = readFileSync(file, 'utf8') } catch (err) { throw new WinreJournalError(file, `The run journal of WinRE repair ${repairId} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): ${file}.`) }
    let json: unknown
    try { json = JSON.parse(raw) } catch (err) { throw new WinreJournalError(file, `The run journal of WinRE repair ${repairId} is damaged (not JSON: ${(err as Error).message}): ${file}.`) }
    const { body, seal } = unseal(json)
    json = body
    const version = json && typeof json === 'object' ? (json as { schemaVersion?: unknown }).schemaVersion : undefined
    if (typeof version === 'number' && version !== WINRE_JOURNAL_SCHEMA_VERSION) {
      throw new WinreJournalError(file, `The run journal of WinRE repair ${repairId} is from ${version < WINRE_JOURNAL_SCHEMA_VERSION ? 'an earlier' : 'a later'} version of Servicing Desk (format ${version}) and is not supported, so nothing in it runs: ${file}.`)
    }
    const parsed = WinreJournalSchema.safeParse(json)
    if (!parsed.success) {
      throw new WinreJournalError(file, `The run journal of WinRE repair ${repairId} is damaged (${parsed.error.issues.slice(0, 2).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}): ${file}.`)
    }
    if (parsed.data.repairId !== repairId || parsed.data.repair.id !== repairId) throw new WinreJournalError(file, `The run journal ${file} names another repair (${parsed.data.repairId}).`)
    // Only the builder's commands run: a journal whose steps say anything else is refused, never resumed.
    const problems = winreRepairProblems(parsed.data.repair, pcPathFor(parsed.data.repair.machine.ref, this.dataDir))
    if (problems.length) throw new WinreJournalError(file, `The run journal of WinRE repair ${repairId} holds a repair Servicing Desk did not build, so nothing in it runs (${problems[0]}): ${file}.`)
    // Bound to the app's key (issue 33 §2): an unsealed or differently sealed journal is history at most, never resumed.
    if (isUnfinished(parsed.data)) {
      const why = sealProblem(this.dataDir, 'winre-repair', repairId, body, seal)
      if (why) throw new WinreJournalError(file, `The run journal of WinRE repair ${repairId} has not ended, and ${why}, so nothing in it runs. Look at the PC's recovery partition (reagentc /info), then move the file away: ${file}.`)
    }
    return parsed.data
  }

  save(journal: WinreJournal): void {
    try { mkdirSync(this.dir, { recursive: true }) } catch (err) { throw copyFailure(this.file(journal.repairId), err, `the run journal of WinRE repair ${journal.repairId}`) }
    writeFileAtomicSync(this.file(journal.repairId), JSON.stringify(sealed(this.dataDir, 'winre-repair', journal.repairId, journal), null, 1), { what: `the run journal of WinRE repair ${journal.repairId}` })
  }

  /** Every journal on disk: the readable ones, and the damaged ones with the reason. */
  all(): { journals: WinreJournal[]; damaged: WinreJournalError[] } {
    let names: string[]
    try { names = readdirSync(this.dir).filter((n) => n.endsWith(SUFFIX)) } catch { return { journals: [], damaged: [] } }
    const journals: WinreJournal[] = []
    const damaged: WinreJournalError[] = []
    for (const n of names.sort()) {
      const id = n.slice(0, -SUFFIX.length)
      if (!ID.test(id)) continue
      try { journals.push(this.load(id)) } catch (err) { damaged.push(err as WinreJournalError) }
    }
    return { journals, damaged }
  }

  /** The run on this machine that did not reach an end (running when the process died, or cancelled), newest first. */
  unfinishedFor(machine: MachineRef): WinreJournal | null {
    const key = JSON.stringify(machine)
    return this.all().journals
      .filter((j) => isUnfinished(j) && JSON.stringify(j.machine) === key)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0] ?? null
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
  const what = duringStep ? `while running "${step.title}"` : nextIndex >= 0 ? `before "${step.title}"` : 'before its verification'
  const ranOk = (op: string) => steps.some((s) => s.op === op && results.get(s.id)?.ok === true)
  const left = ranOk('reagentc-disable') && !ranOk('reagentc-enable') ? ' WinRE stays off until it finishes.' : ''
  return {
    repairId: journal.repairId, status: journal.status === 'cancelled' ? 'cancelled' : 'running', stepNumber: index + 1, stepId: step.id, stepTitle: step.title,
    duringStep, done, total: steps.length, updatedAt: journal.updatedAt,
    message: `A WinRE repair ${how} at step ${index + 1} of ${steps.length} (${what}; ${done} done); run it again to finish.${left}`,
  }
}
