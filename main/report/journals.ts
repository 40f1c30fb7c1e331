/**
 * Reads what was done to a machine from the install journals, keeping only runs that changed something and
 * still hold against the machine's current state (a reset archives a training machine's journals; a level
 * verified above today's is stale).
 *
 * Reads what was done to a machine from the install journals (`<dataDir>/journals/<planId>.json`),
 * through the install engine's JournalStore (which validates each against `preload/model/plan.ts`).
 *
 * Tolerant on purpose: a journal written by another app version, cut short by a crash, or not a
 * journal at all is skipped with a note, never fatal to the report.
 */
import { readdir } from 'node:fs/promises'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { JournalStore } from '../install/journal.ts'
import type { MachineRef } from '../../preload/model/common.ts'
import type { ReportAction, ReportStep } from '../../preload/model/report.ts'

type Json = Record<string, unknown>
const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null)
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/** True when a journal's plan was made for this machine (same ref; for a snapshot, the same computer name). */
function forMachine(plan: Json, ref: MachineRef, machineName: string): boolean {
  const m = obj(plan.machine)
  if (!m) return false
  const r = obj(m.ref)
  if (r && r.kind === ref.kind) {
    if (ref.kind === 'training') return r.name === ref.name
    if (ref.kind === 'this-pc') return true
  }
  return ref.kind === 'snapshot' && str(m.name)?.toLowerCase() === machineName.toLowerCase()
}

/** One journal's plan, steps and results as the report shows them, or null when it is not a journal. */
export function actionFromJournal(json: unknown): ReportAction | null {
  const j = obj(json)
  const plan = obj(j?.plan)
  if (!j || !plan || !str(j.planId) || !Array.isArray(plan.steps)) return null
  const results = obj(j.results) ?? {}
  const steps: ReportStep[] = plan.steps.map((raw, i) => {
    const st = obj(raw) ?? {}
    const id = str(st.id) ?? `step-${i + 1}`
    const r = obj(results[id])
    const kind = str(r?.kind) ?? 'not-run'
    return {
      id,
      title: str(st.title) ?? id,
      commandLine: str(obj(st.command)?.commandLine),
      result: kind,
      code: kind === 'failed' ? str(r?.code) : null,
      message: str(r?.message) ?? str(r?.reason),
    }
  })
  const v = obj(j.verification)
  return {
    kind: 'install',
    planId: str(j.planId)!,
    targets: Array.isArray(plan.targets) ? plan.targets.filter((t): t is string => typeof t === 'string') : [],
    status: str(j.status) ?? 'unknown',
    updatedAt: str(j.updatedAt),
    steps,
    verification: v && typeof v.verified === 'boolean' ? { verified: v.verified, detail: str(v.detail) ?? '' } : null,
  }
}

/** Steps that changed the machine: installed, or installed and waiting for the restart. */
const CHANGED = new Set(['ok', 'restart-required'])

/** The machine as it is now, for judging what a journal still proves. */
export interface CurrentLevel { build: number | null; ubr: number | null }

/**
 * Does this journal still say something true about the machine as it is now? It must have changed something
 * (a run of only already-installed / not-applicable / skipped steps is a no-op), and a level it verified must
 * not be above the machine's current one (the machine was reset or reinstalled since: the proof is stale).
 */
export function stillTrue(json: unknown, action: ReportAction, current: CurrentLevel | null): boolean {
  if (!action.steps.some((s) => CHANGED.has(s.result))) return false
  const after = obj(obj(obj(json)?.verification)?.after)
  if (current && current.build !== null && current.ubr !== null && after && typeof after.build === 'number' && typeof after.ubr === 'number') {
    if (after.build > current.build || (after.build === current.build && after.ubr > current.ubr)) return false
  }
  return true
}

/** The first failed step of the machine's journals (oldest first), before any filtering: the original error. */
export interface FirstFailure { code: string; planId: string; cause: string | null }

/**
 * Every readable journal for this machine that still holds (stillTrue), oldest first, plus notes about those
 * that could not be read and the first failure recorded in any of them (even one no longer shown).
 */
export async function readActions(dataDir: string, ref: MachineRef, machineName: string, current: CurrentLevel | null = null): Promise<{ actions: ReportAction[]; notes: string[]; firstFailure: FirstFailure | null }> {
  const store = new JournalStore(dataDir)
  let names: string[]
  try { names = (await readdir(store.dir)).filter((n) => n.endsWith('.json')).sort() } catch { names = [] }
  const all: Array<{ action: ReportAction; json: unknown }> = []
  const notes: string[] = []
  for (const name of names) {
    let journal: unknown
    try { journal = store.load(name.slice(0, -'.json'.length)) } catch (err) {
      notes.push(`The install journal ${name} could not be read: ${(err as Error).message.slice(0, 160)}`)
      continue
    }
    const plan = obj(obj(journal)?.plan)
    if (!plan || !forMachine(plan, ref, machineName)) continue
    const action = actionFromJournal(journal)
    if (action) all.push({ action, json: journal })
  }
  all.sort((a, b) => (a.action.updatedAt ?? '').localeCompare(b.action.updatedAt ?? ''))
  let firstFailure: FirstFailure | null = null
  for (const { action, json } of all) {
    const step = action.steps.find((s) => s.result === 'failed' && s.code)
    if (!step) continue
    const diag = obj(obj(obj(json)?.results)?.[step.id])?.diagnosis
    const cause = Array.isArray(diag) ? str(obj(diag[0])?.title) : null
    firstFailure = { code: step.code!, planId: action.planId, cause }
    break
  }
  all.push(...winreActions(dataDir, ref, notes))
  all.sort((a, b) => (a.action.updatedAt ?? '').localeCompare(b.action.updatedAt ?? ''))
  const actions = all.filter(({ action, json }) => stillTrue(json, action, current)).map(({ action }) => action)
  return { actions, notes, firstFailure }
}

/**
 * The machine's WinRE repair runs (`<dataDir>/winre-repairs/<id>.run.json`) as report actions: each step of
 * the repair with its last recorded result, and the run's verification. Read tolerantly, like the install journals.
 */
export function winreActions(dataDir: string, ref: MachineRef, notes: string[]): Array<{ action: ReportAction; json: unknown }> {
  const dir = join(dataDir, 'winre-repairs')
  let names: string[]
  try { names = readdirSync(dir).filter((n) => n.endsWith('.run.json')).sort() } catch { return [] }
  const out: Array<{ action: ReportAction; json: unknown }> = []
  for (const name of names) {
    let j: Json | null
    try { j = obj(JSON.parse(readFileSync(join(dir, name), 'utf8'))) } catch (err) {
      notes.push(`The WinRE run journal ${name} could not be read: ${(err as Error).message.slice(0, 160)}`)
      continue
    }
    const m = obj(j?.machine)
    if (!j || !m || m.kind !== ref.kind || (ref.kind === 'training' && m.name !== ref.name) || ref.kind === 'snapshot') continue
    const repair = obj(j.repair)
    if (!repair || !Array.isArray(repair.steps)) continue
    const last = new Map<string, Json>()
    for (const e of Array.isArray(j.entries) ? j.entries : []) {
      const entry = obj(e)
      const run = obj(entry?.run)
      if (entry?.phase === 'finished' && run && str(entry.stepId)) last.set(str(entry.stepId)!, run)
    }
    const steps: ReportStep[] = repair.steps.map((raw, i) => {
      const st = obj(raw) ?? {}
      const id = str(st.id) ?? `step-${i + 1}`
      const run = last.get(id)
      const exit = run && typeof run.exitCode === 'number' ? run.exitCode : null
      // A read-only step (reagentc /info, Get-ImageInfo) changes nothing: it counts as checked, not as a change.
      const result = !run ? 'not-run' : run.ok !== true ? 'failed' : st.destructive === false ? 'checked' : 'ok'
      return {
        id, title: str(st.title) ?? id, commandLine: str(obj(st.command)?.commandLine), result,
        code: result === 'failed' && exit !== null ? `0x${(exit >>> 0).toString(16).toUpperCase().padStart(8, '0')}` : null,
        message: null,
      }
    })
    const v = obj(j.verification)
    out.push({
      json: j,
      action: {
        kind: 'winre-repair', planId: str(j.repairId) ?? name.slice(0, -'.run.json'.length), targets: [],
        status: str(j.status) ?? 'unknown', updatedAt: str(j.updatedAt), steps,
        verification: v && typeof v.verified === 'boolean' ? { verified: v.verified, detail: str(v.detail) ?? '' } : null,
      },
    })
  }
  return out
}
