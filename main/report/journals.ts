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
import { copyableCommand } from '../host/system-tools.ts'
import { JournalStore, UnvouchedJournalError } from '../install/journal.ts'
import type { MachineRef } from '../../preload/model/common.ts'
import type { ReportAction, ReportStep } from '../../preload/model/report.ts'
import {
  RUN_RECORD_SCHEMA_VERSION,
  RunRecordsSchema,
  type RunLevel,
  type RunOutcome,
  type RunRecord,
  type RunRecordStep,
  type RunRecords,
  type RunUndo,
} from '../../preload/model/run-record.ts'
import { pcPathFor } from '../host/pc-path.ts'
import { winreAddressWords } from '../../preload/model/run-record.ts'
import { sealProblem, unseal, type SealedKind } from '../runner/journal-seal.ts'
import { UNVOUCHED, archivedJournals } from '../runner/journal.ts'
import { installFromRun, repairFromRun, winreFromRun } from '../runner/journal-views.ts'
import { RUN_JOURNAL_SCHEMA, RunJournalSchema } from '../../preload/model/run-journal.ts'
import {
  ESP_FOREIGN_FOLDER,
  PACKAGE_IDENTITY,
  WU_FOLDER,
  WU_STAMP,
  espMovedDir,
  wuFolderPath,
  wuRenamedName,
} from '../repair/step-kinds.ts'

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
    if (ref.kind === 'remote') return str(r.computer)?.toLowerCase() === ref.computer.toLowerCase()
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
export interface CurrentLevel {
  build: number | null
  ubr: number | null
}

/**
 * Does this journal still say something true about the machine as it is now? It must have changed something
 * (a run of only already-installed / not-applicable / skipped steps is a no-op), and a level it verified must
 * not be above the machine's current one (the machine was reset or reinstalled since: the proof is stale).
 */
export function stillTrue(json: unknown, action: ReportAction, current: CurrentLevel | null): boolean {
  if (!action.steps.some((s) => CHANGED.has(s.result))) return false
  const after = obj(obj(obj(json)?.verification)?.after)
  if (
    current &&
    current.build !== null &&
    current.ubr !== null &&
    after &&
    typeof after.build === 'number' &&
    typeof after.ubr === 'number'
  ) {
    if (after.build > current.build || (after.build === current.build && after.ubr > current.ubr)) return false
  }
  return true
}

/** The first failed step of the machine's journals (oldest first), before any filtering: the original error. */
export interface FirstFailure {
  code: string
  planId: string
  cause: string | null
}

/**
 * Every readable journal for this machine that still holds (stillTrue), oldest first, plus notes about those
 * that could not be read and the first failure recorded in any of them (even one no longer shown).
 */
export async function readActions(
  dataDir: string,
  ref: MachineRef,
  machineName: string,
  current: CurrentLevel | null = null,
): Promise<{ actions: ReportAction[]; notes: string[]; firstFailure: FirstFailure | null }> {
  const store = new JournalStore(dataDir)
  let names: string[]
  try {
    names = (await readdir(store.dir)).filter((n) => n.endsWith('.json')).sort()
  } catch {
    names = []
  }
  const all: Array<{ action: ReportAction; json: unknown }> = []
  const notes: string[] = []
  for (const name of names) {
    let journal: unknown
    try {
      journal = store.load(name.slice(0, -'.json'.length))
    } catch (err) {
      // A run that ended without this copy's seal proves nothing: readRunRecords says so once.
      if (err instanceof UnvouchedJournalError) continue
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
export function winreActions(
  dataDir: string,
  ref: MachineRef,
  notes: string[],
): Array<{ action: ReportAction; json: unknown }> {
  const dir = join(dataDir, 'winre-repairs')
  let names: string[]
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.run.json'))
      .sort()
  } catch {
    return []
  }
  const out: Array<{ action: ReportAction; json: unknown }> = []
  for (const name of names) {
    let j: Json | null
    let raw: unknown
    try {
      raw = JSON.parse(readFileSync(join(dir, name), 'utf8'))
      j = obj(viewOf(raw))
    } catch (err) {
      notes.push(`The WinRE run journal ${name} could not be read: ${(err as Error).message.slice(0, 160)}`)
      continue
    }
    if (!j || !sameRef(obj(j.machine), ref)) continue
    // Only a run this copy sealed says what was done; readRunRecords shows the others as such.
    if (sealedOf(dataDir, 'winre-repair', name.slice(0, -'.run.json'.length), raw) !== true) continue
    // The steps as the one reader reads them (winreRecord), without the RunRecord-only fields.
    const record = winreRecord(j, name, name.slice(0, -'.run.json'.length))
    if (!record) continue
    const steps: ReportStep[] = record.steps.map(({ id, title, commandLine, result, code, message }) => ({
      id,
      title,
      commandLine,
      result,
      code,
      message,
    }))
    const v = obj(j.verification)
    out.push({
      json: j,
      action: {
        kind: 'winre-repair',
        planId: str(j.repairId) ?? name.slice(0, -'.run.json'.length),
        targets: [],
        status: str(j.status) ?? 'unknown',
        updatedAt: str(j.updatedAt),
        steps,
        verification:
          v && typeof v.verified === 'boolean' ? { verified: v.verified, detail: str(v.detail) ?? '' } : null,
      },
    })
  }
  return out
}

// ---- One reader for every run: installs, WinRE repairs and Fix-it repairs as RunRecords ----------

const hex = (exit: number) => `0x${(exit >>> 0).toString(16).toUpperCase().padStart(8, '0')}`

/** The journal's status word as an outcome: an unfinished `running` run is `interrupted` (running it again finishes it). */
export function outcomeOf(status: string): RunOutcome {
  switch (status) {
    case 'completed':
    case 'failed':
    case 'cancelled':
    case 'awaiting-restart':
    case 'pending':
    case 'abandoned':
      return status
    default:
      return 'interrupted'
  }
}

/** True when a `machine` ref recorded in a WinRE or Fix-it journal is the machine asked about (never a snapshot: it runs nothing). */
function sameRef(m: Json | null, ref: MachineRef): boolean {
  if (!m || ref.kind === 'snapshot' || m.kind !== ref.kind) return false
  if (ref.kind === 'training') return m.name === ref.name
  // Another PC over remoting: its journals are that computer's only (names compare as Windows does: any case).
  if (ref.kind === 'remote') return str(m.computer)?.toLowerCase() === ref.computer.toLowerCase()
  return true
}

const level = (v: unknown): RunLevel | null => {
  const o = obj(v)
  if (!o) return null
  const n = (x: unknown) => (typeof x === 'number' && Number.isInteger(x) ? x : null)
  return { build: n(o.build), ubr: n(o.ubr) }
}

function entriesOf(j: Json): Json[] {
  return (Array.isArray(j.entries) ? j.entries : []).map(obj).filter((e): e is Json => e !== null)
}

/** First and last times of a journal: its createdAt (or first entry), and the `ended` entry (or the last write) once it ended. */
function timesOf(j: Json, outcome: RunOutcome): { startedAt: string | null; endedAt: string | null } {
  const entries = entriesOf(j)
  const startedAt = str(j.createdAt) ?? str(entries[0]?.at) ?? null
  const ended = ['completed', 'failed', 'cancelled', 'abandoned'].includes(outcome)
  const endEntry = [...entries]
    .reverse()
    .find((e) => e.phase === 'ended' || e.phase === 'verified' || e.phase === 'cancelled')
  return { startedAt, endedAt: ended ? (str(endEntry?.at) ?? str(j.updatedAt)) : null }
}

const resumedOf = (j: Json) => entriesOf(j).some((e) => e.phase === 'resumed')

/** Steps interrupted at their start (a `started` entry with no `finished` after it), by id. */
function rechecksOf(j: Json): Set<string> {
  const out = new Set<string>()
  for (const e of entriesOf(j)) {
    if (e.phase !== 'finished' || !str(e.stepId)) continue
    const r = obj(e.result) ?? obj(e.run)
    if (e.rechecked === true || r?.rechecked === true || r?.outcome === 'rechecked') out.add(str(e.stepId)!)
    else out.delete(str(e.stepId)!)
  }
  return out
}

/** An install journal as a RunRecord (the action read above, plus the run's times, levels and what changed). */
export function installRecord(json: unknown, file: string): RunRecord | null {
  const j = obj(json)
  const action = actionFromJournal(json)
  if (!j || !action) return null
  const plan = obj(j.plan) ?? {}
  const rechecked = rechecksOf(j)
  const planSteps = (plan.steps as unknown[]).map((s) => obj(s) ?? {})
  const steps: RunRecordStep[] = action.steps.map((s, i) => ({
    ...s,
    rechecked: rechecked.has(s.id),
    destructive: planSteps[i]?.destructive !== false,
  }))
  const outcome = outcomeOf(action.status)
  const v = obj(j.verification)
  const changed = action.steps.flatMap((s, i) => {
    if (!CHANGED.has(s.result)) return []
    const kbs = Array.isArray(planSteps[i]?.kbs)
      ? (planSteps[i].kbs as unknown[]).filter((k): k is string => typeof k === 'string')
      : []
    return [
      `${s.title}${kbs.length ? ` (${kbs.join(', ')})` : ''}: ${s.result === 'restart-required' ? 'installed, completed by a restart' : 'installed'}`,
    ]
  })
  return {
    kind: 'install',
    id: action.planId,
    definition: 'install',
    title: `Install ${action.targets.join(', ') || 'updates'}`,
    targets: action.targets,
    ...timesOf(j, outcome),
    updatedAt: action.updatedAt,
    status: action.status,
    outcome,
    resumed: resumedOf(j),
    verified: action.verification?.verified ?? null,
    verificationDetail: action.verification?.detail ?? null,
    before: level(v?.before) ?? level(plan.machine),
    after: level(v?.after),
    changed,
    steps,
    undo: [],
    journal: file,
    sealed: null,
  }
}

/** A WinRE run journal as a RunRecord. */
export function winreRecord(json: unknown, file: string, fallbackId: string): RunRecord | null {
  const j = obj(json)
  const repair = obj(j?.repair)
  if (!j || !repair || !Array.isArray(repair.steps)) return null
  const last = new Map<string, Json>()
  for (const e of entriesOf(j)) {
    const run = obj(e.run)
    if (e.phase === 'finished' && run && str(e.stepId)) last.set(str(e.stepId)!, run)
  }
  const steps: RunRecordStep[] = repair.steps.map((raw, i) => {
    const st = obj(raw) ?? {}
    const id = str(st.id) ?? `step-${i + 1}`
    const run = last.get(id)
    const exit = run && typeof run.exitCode === 'number' ? run.exitCode : null
    const result = !run ? 'not-run' : run.ok !== true ? 'failed' : st.destructive === false ? 'checked' : 'ok'
    return {
      id,
      title: str(st.title) ?? id,
      commandLine: str(obj(st.command)?.commandLine),
      result,
      code: result === 'failed' && exit !== null ? hex(exit) : null,
      message: null,
      rechecked: run?.rechecked === true,
      destructive: st.destructive !== false,
    }
  })
  const status = str(j.status) ?? 'unknown'
  const outcome = outcomeOf(status)
  const v = obj(j.verification)
  const after = obj(v?.after)
  return {
    kind: 'winre-repair',
    id: str(j.repairId) ?? fallbackId,
    definition: 'winre',
    title: `Repair WinRE${
      Array.isArray(repair.addresses) && repair.addresses.length
        ? `: ${repair.addresses
            .map((a) => winreAddressWords(String(a)))
            .filter((a, i, all) => all.indexOf(a) === i)
            .join(', ')}`
        : ''
    }`,
    targets: [],
    ...timesOf(j, outcome),
    updatedAt: str(j.updatedAt),
    status,
    outcome,
    resumed: resumedOf(j),
    verified: v && typeof v.verified === 'boolean' ? v.verified : null,
    verificationDetail: str(v?.detail),
    before: null,
    after: null,
    changed: [
      ...steps.filter((s) => s.result === 'ok').map((s) => s.title),
      ...(after && str(after.status)
        ? [`WinRE is ${str(after.status)}${str(after.version) ? ` (version ${str(after.version)})` : ''}`]
        : []),
    ],
    steps,
    undo: [],
    journal: file,
    sealed: null,
  }
}

/** What a Fix-it step renamed, moved or removed, and how to put it back (display only). */
function undoOf(st: Json, done: boolean, dataDir: string, ref: MachineRef): RunUndo | null {
  const p = obj(st.params) ?? {}
  const onPc = pcPathFor(ref, dataDir) ?? ((x: string) => x)
  if (st.kind === 'wu-folder-rename' && typeof p.folder === 'string' && typeof p.stamp === 'string') {
    const parsedFolder = WU_FOLDER.safeParse(p.folder)
    const parsedStamp = WU_STAMP.safeParse(p.stamp)
    if (!parsedFolder.success || !parsedStamp.success) return null
    const from = wuFolderPath(parsedFolder.data)
    const kept = wuRenamedName(parsedFolder.data, parsedStamp.data)
    const to = `${from.slice(0, from.lastIndexOf('\\'))}\\${kept}`
    return {
      what: 'renamed-folder',
      from,
      to,
      done,
      how: `The old folder was kept as ${kept}. To put it back: stop the update services, move the new ${parsedFolder.data} aside, rename ${kept} back, start the services.`,
      commands: [
        'net stop wuauserv',
        'net stop bits',
        'net stop cryptsvc',
        `ren "${from}" ${parsedFolder.data}.new`,
        `ren "${to}" ${parsedFolder.data}`,
        'net start cryptsvc',
        'net start bits',
        'net start wuauserv',
      ].map(copyableCommand),
    }
  }
  if (st.kind === 'esp-move-folder' && typeof p.folder === 'string') {
    const folder = ESP_FOREIGN_FOLDER.safeParse(p.folder)
    const letter = typeof p.letter === 'string' && /^[D-Z]$/.test(p.letter) ? p.letter : 'S'
    if (!folder.success) return null
    const kept = onPc(espMovedDir({ hostKind: ref.kind, dataDir, resumeCommand: null }, folder.data))
    return {
      what: 'moved-folder',
      from: `\\EFI\\${folder.data} (EFI system partition)`,
      to: kept,
      done,
      how: `The folder was moved off the EFI system partition, not deleted. To put it back: mount the partition, move the folder back, remove the drive letter.`,
      commands: [
        `mountvol ${letter}: /s`,
        `robocopy "${kept}" "${letter}:\\EFI\\${folder.data}" /E /MOVE`,
        `mountvol ${letter}: /d`,
      ].map(copyableCommand),
    }
  }
  if (st.kind === 'dism-remove-package' && typeof p.identity === 'string') {
    const id = PACKAGE_IDENTITY.safeParse(p.identity)
    if (!id.success) return null
    const kb = /KB\d{6,8}/i.exec(id.data)?.[0]?.toUpperCase() ?? null
    return {
      what: 'removed-package',
      from: id.data,
      to: null,
      done,
      how: `The package ${id.data} was removed. To put it back, install ${kb ? `${kb} ` : 'the same update '}again (from Windows Update or the Microsoft Update Catalog).`,
      commands: [
        'dism.exe /Online /Get-Packages /Format:Table',
        `dism.exe /Online /Add-Package /PackagePath:<the ${kb ?? 'update'} .msu or .cab>`,
      ].map(copyableCommand),
    }
  }
  return null
}

/** A Fix-it repair journal as a RunRecord. */
export function repairRecord(json: unknown, file: string, dataDir: string, ref: MachineRef): RunRecord | null {
  const j = obj(json)
  const plan = obj(j?.plan)
  if (!j || !plan || !Array.isArray(plan.steps)) return null
  const last = new Map<string, Json>()
  for (const e of entriesOf(j)) {
    const r = obj(e.result)
    if (e.phase === 'finished' && r && str(e.stepId)) last.set(str(e.stepId)!, r)
  }
  const undo: RunUndo[] = []
  const changed: string[] = []
  const steps: RunRecordStep[] = plan.steps.map((raw, i) => {
    const st = obj(raw) ?? {}
    const id = str(st.id) ?? `step-${i + 1}`
    const r = last.get(id)
    const result = str(r?.outcome) ?? 'not-run'
    const took = result === 'done' || result === 'rechecked'
    const exit = r && typeof r.exitCode === 'number' ? r.exitCode : null
    if (took && st.destructive !== false) changed.push(str(st.title) ?? id)
    const u = undoOf(st, took, dataDir, ref)
    if (u) undo.push(u)
    return {
      id,
      title: str(st.title) ?? id,
      commandLine: str(r?.commandLine),
      result,
      code: (result === 'failed' || result === 'not-fixed') && exit !== null ? hex(exit) : null,
      message:
        result === 'failed' || result === 'not-fixed' || result === 'rechecked' || result === 'skipped'
          ? (str(r?.output)?.split(/\r?\n/).filter(Boolean).slice(-1)[0] ?? null)
          : null,
      rechecked: result === 'rechecked',
      destructive: st.destructive !== false,
    }
  })
  const status = str(j.status) ?? 'unknown'
  const outcome = outcomeOf(status)
  const v = obj(j.verification)
  return {
    kind: 'repair',
    id: str(j.runId) ?? file,
    definition: str(j.repairId) ?? str(plan.repairId) ?? 'repair',
    title: str(plan.title) ?? str(j.repairId) ?? 'Repair',
    targets: [],
    ...timesOf(j, outcome),
    updatedAt: str(j.updatedAt),
    status,
    outcome,
    resumed: resumedOf(j),
    verified: v && typeof v.verified === 'boolean' ? v.verified : null,
    verificationDetail: str(v?.detail),
    before: null,
    after: null,
    changed,
    steps,
    undo,
    journal: file,
    sealed: null,
  }
}

/**
 * A journal file as its kind's view (the shape the record builders read): a journal in the one format
 * (preload/model/run-journal.ts) is converted; one in a format written before it is already that shape. A file in the
 * one format that does not parse is returned as it is (the builders then call it unreadable, with a note).
 */
export function viewOf(json: unknown): unknown {
  if (obj(json)?.schema !== RUN_JOURNAL_SCHEMA) return json
  const { body } = unseal(json)
  const parsed = RunJournalSchema.safeParse(body)
  if (!parsed.success) return json
  const j = parsed.data
  // A medium's run (main/media/update.ts) is no PC's run: it has its own report, so it is returned as it is.
  return j.kind === 'install'
    ? installFromRun(j)
    : j.kind === 'winre-repair'
      ? winreFromRun(j)
      : j.kind === 'repair'
        ? repairFromRun(j)
        : json
}

/**
 * The note on a run whose journal this copy did not seal: it is shown, and nothing it says counts — no
 * finding becomes history, no check passes and no repair stops being offered because of it.
 */
export function unvouchedNote(r: Pick<RunRecord, 'kind' | 'journal' | 'sealed'>): string {
  const why =
    r.sealed === false
      ? "it does not carry this copy's seal: an earlier version's, edited, or not the app's"
      : "this copy's journal key cannot be read to check its seal"
  return `The ${r.kind === 'install' ? 'install' : r.kind === 'repair' ? 'repair' : 'WinRE run'} journal ${r.journal} is ${UNVOUCHED} (${why}): it is shown, never resumed, and nothing it says counts.`
}

/** Only the runs this copy sealed count: the others are shown as records it cannot vouch for. */
export function vouched(r: Pick<RunRecord, 'sealed'>): boolean {
  return r.sealed === true
}

/** Whether a journal file carries this copy's seal over what it holds (null: the key cannot be read). */
function sealedOf(dataDir: string, kind: SealedKind, id: string, json: unknown): boolean | null {
  const { body, seal } = unseal(json)
  try {
    return sealProblem(dataDir, kind, id, body, seal) === null
  } catch {
    return null
  }
}

function readJsonFiles(
  dir: string,
  suffix: string,
  what: string,
  notes: string[],
): Array<{ name: string; json: unknown }> {
  let names: string[]
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith(suffix))
      .sort()
  } catch {
    return []
  }
  const out: Array<{ name: string; json: unknown }> = []
  for (const name of names) {
    try {
      out.push({ name, json: JSON.parse(readFileSync(join(dir, name), 'utf8')) })
    } catch (err) {
      notes.push(`The ${what} ${name} could not be read: ${(err as Error).message.slice(0, 160)}`)
    }
  }
  return out
}

/**
 * Every run on this machine, from every journal folder, oldest first: installs (`journals/<planId>.json`),
 * WinRE repairs (`winre-repairs/<id>.run.json`) and Fix-it repairs (`repairs/<runId>.json`). A journal that is not
 * JSON, or not a journal of its kind, is a note (never dropped without a word). Nothing here is trusted to run:
 * it is read for people.
 */
export function readRunRecords(dataDir: string, ref: MachineRef, machineName: string): RunRecords {
  const notes: string[] = []
  const runs: RunRecord[] = []
  for (const { name, json: raw } of readJsonFiles(join(dataDir, 'journals'), '.json', 'install journal', notes)) {
    const json = viewOf(raw)
    const plan = obj(obj(json)?.plan)
    if (plan && !forMachine(plan, ref, machineName)) continue
    const r = installRecord(json, `journals/${name}`)
    if (r) runs.push({ ...r, sealed: sealedOf(dataDir, 'install', name.slice(0, -'.json'.length), raw) })
    else notes.push(`The install journal ${name} is not an install journal this version reads; it is left as it is.`)
  }
  for (const { name, json: raw } of readJsonFiles(
    join(dataDir, 'winre-repairs'),
    '.run.json',
    'WinRE run journal',
    notes,
  )) {
    const json = viewOf(raw)
    const j = obj(json)
    if (j && obj(j.machine) && !sameRef(obj(j.machine), ref)) continue
    const r = winreRecord(json, `winre-repairs/${name}`, name.slice(0, -'.run.json'.length))
    if (r) runs.push({ ...r, sealed: sealedOf(dataDir, 'winre-repair', name.slice(0, -'.run.json'.length), raw) })
    else notes.push(`The WinRE run journal ${name} is not a run journal this version reads; it is left as it is.`)
  }
  for (const { name, json: raw } of readJsonFiles(join(dataDir, 'repairs'), '.json', 'repair journal', notes)) {
    const json = viewOf(raw)
    const j = obj(json)
    if (j && obj(j.machine) && !sameRef(obj(j.machine), ref)) continue
    const r = repairRecord(json, `repairs/${name}`, dataDir, ref)
    if (r) runs.push({ ...r, sealed: sealedOf(dataDir, 'repair', name.slice(0, -'.json'.length), raw) })
    else notes.push(`The repair journal ${name} is not a repair journal this version reads; it is left as it is.`)
  }
  runs.sort((a, b) => (a.startedAt ?? a.updatedAt ?? '').localeCompare(b.startedAt ?? b.updatedAt ?? ''))
  // Journals of an older format this version could not read were moved aside (main/runner/journal.ts): each is said.
  for (const a of archivedJournals(dataDir))
    notes.push(
      `The ${a.kind === 'install' ? 'install' : a.kind === 'repair' ? 'repair' : 'WinRE run'} journal ${a.from} was moved to ${a.to} (${a.at}): ${a.note}`,
    )
  for (const r of runs) if (r.sealed !== true) notes.push(unvouchedNote(r))
  return RunRecordsSchema.parse({ schemaVersion: RUN_RECORD_SCHEMA_VERSION, runs, notes })
}
