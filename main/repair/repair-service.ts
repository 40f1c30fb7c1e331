/**
 * The repair service: what is offered for a PC (`offers`), running one (`run`, resuming an unfinished
 * journal of the same repair on the same machine), and a snapshot's repair as a PowerShell script.
 * A run holds the machine lock (one servicing operation per PC) and its journal's run lock.
 */
import { pcArgFor } from '../host/pc-path.ts'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Host } from '../host/host.ts'
import { AppError } from '../errors.ts'
import type { MachineRef } from '../../preload/model/common.ts'
import type { DiagnoseOutput } from '../../preload/model/diagnosis.ts'
import { isActive } from '../../preload/model/finding-state.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type {
  ManualStep,
  RepairJournal,
  RepairOffer,
  RepairOffers,
  RepairPlan,
  RepairRun,
  RepairStepView,
} from '../../preload/model/repair.ts'
import { REPAIR_DEFINITIONS, repairDefinition } from './definitions/index.ts'
import type { RepairJournalStore } from './journal.ts'
import type { RunnerOptions } from './runner.ts'
import type { LocalContext } from './step-kinds.ts'
import { copyableCommand } from '../host/system-tools.ts'
import type { RepairChoices, RepairDefinition, RepairEnv } from './types.ts'
import { REPAIRS_ELSEWHERE } from './verdict.ts'
import { repairStep } from '../knowledge/remedy-steps.ts'
import { findInstallMedia, type MountedMedium } from './media.ts'

export interface RepairServiceDeps {
  dataDir: string
  scan(ref: MachineRef): Promise<MachineSnapshot>
  hostFor(ref: MachineRef): Host
  diagnose(req: { machine: MachineRef }): Promise<DiagnoseOutput>
  fetchPackage(ref: MachineRef): LocalContext['fetchPackage']
  /** argv that continues a repair after a restart (RunOnce), on this PC only. */
  resumeLauncher?: ((repairId: string) => string[]) | null
  now?: () => Date
}

/** By-hand steps as a person copies them: every program by its full path, old journals' too. */
function shownManual<T extends { commands: string[] }>(manual: readonly T[]): T[] {
  return manual.map((m) => ({ ...m, commands: m.commands.map(copyableCommand) }))
}

/**
 * What a listing of offers reads of the journals, given them loaded: a PC with no repair journal (the folder empty or
 * missing) reads none, so `repairs` there loads neither the journal store with its schemas nor the runner.
 */
type Journals = {
  store: RepairJournalStore
  progressOf: typeof import('./journal.ts').progressOf
  stepResults: typeof import('./journal.ts').stepResults
  interrupted: typeof import('./journal.ts').interrupted
}

export function createRepairService(deps: RepairServiceDeps) {
  const journalDir = join(deps.dataDir, 'repairs')
  let loaded: Journals | undefined
  /** The journal store and its readers, loaded on first use (a run, a script, a listing where a journal exists). */
  async function journalsLoaded(): Promise<Journals> {
    if (loaded) return loaded
    const { RepairJournalStore, progressOf, stepResults, interrupted } = await import('./journal.ts')
    loaded = { store: new RepairJournalStore(deps.dataDir), progressOf, stepResults, interrupted }
    return loaded
  }
  /** The journals when any journal file is there (the store's own filter: a `.json` file), else null: nothing to read. */
  async function journalsIfAny(): Promise<Journals | null> {
    if (loaded) return loaded
    let names: string[]
    try {
      names = readdirSync(journalDir)
    } catch {
      return null
    }
    return names.some((n) => n.endsWith('.json')) ? journalsLoaded() : null
  }
  const now = () => deps.now?.() ?? new Date()

  function envFor(ref: MachineRef, repairId: string): RepairEnv {
    const launcher =
      deps.resumeLauncher !== undefined
        ? deps.resumeLauncher
        : process.platform === 'win32' && !process.versions.electron && process.argv[1]
          ? (id: string) => [process.execPath, process.argv[1]!, 'repair', id, '--machine', 'this-pc', '--yes']
          : null
    return {
      hostKind: ref.kind,
      dataDir: deps.dataDir,
      resumeCommand: ref.kind === 'this-pc' && launcher ? launcher(repairId) : null,
      pcArg: pcArgFor(ref, deps.dataDir),
      stateDir: deps.dataDir,
    }
  }

  /** Each step with its command line (the step kinds, with their parameters' schemas, load when a plan has steps). */
  async function view(plan: RepairPlan, env: RepairEnv): Promise<RepairStepView[]> {
    if (plan.steps.length === 0) return []
    const { commandLineOf } = await import('./step-kinds.ts')
    // A journal written by another copy (e.g. the CLI's resume entry, seen in the app) still shows; it cannot run here.
    return plan.steps.map((s) => {
      try {
        return { ...s, commandLine: commandLineOf(s, env) }
      } catch (err) {
        return { ...s, commandLine: `(not built here: ${(err as Error).message})` }
      }
    })
  }

  /** What a definition needs read from the live machine before it plans (mounted installation media). */
  async function mediaFor(def: RepairDefinition, ref: MachineRef): Promise<MountedMedium[] | null> {
    if (!def.needs?.media || ref.kind === 'snapshot') return null
    return findInstallMedia(deps.hostFor(ref)).catch(() => null)
  }

  function planFor(
    def: RepairDefinition,
    ref: MachineRef,
    snapshot: MachineSnapshot,
    findings: DiagnoseOutput['findings'],
    reason: string,
    choices: RepairChoices = {},
    media: MountedMedium[] | null = null,
  ): RepairPlan {
    const env = envFor(ref, def.id)
    const p = def.plan({ snapshot, findings, ref, env, reason, choices, media })
    return {
      repairId: def.id,
      title: def.title,
      summary: def.summary,
      machine: ref,
      reason,
      steps: p.steps,
      warnings: p.warnings,
      manual: p.manual,
      refused: p.refused,
      createdAt: now().toISOString(),
    }
  }

  /** The machine and its findings that hold now: a past finding (resolved since) is offered nothing. */
  async function look(ref: MachineRef): Promise<{ snapshot: MachineSnapshot; findings: DiagnoseOutput['findings'] }> {
    const d = await deps.diagnose({ machine: ref })
    const snapshot = await deps.scan(ref)
    return { snapshot, findings: d.findings.filter(isActive) }
  }

  /**
   * A definition's offer, only where a finding of the gated diagnosis offers the repair: the advice gate (its step's
   * precondition and the whole PC's, main/knowledge/preconditions.ts) decides for every repair, on every path that
   * offers, plans, runs or writes one (offers, run, a saved script, a fix package).
   */
  function offerOf(
    def: RepairDefinition,
    snapshot: MachineSnapshot,
    findings: DiagnoseOutput['findings'],
    lastVerified: string | null = null,
  ) {
    const o = def.offer({ snapshot, findings, lastVerifiedAt: lastVerified })
    if (!o) return null
    return findings.some((f) => f.repair === def.id || f.remedies.some((r) => r.repair === def.id)) ? o : null
  }

  function unfinishedOf(js: Journals | null, ref: MachineRef, id: string): RepairOffer['unfinished'] {
    if (ref.kind === 'snapshot' || !js) return null
    const j = js.store.unfinished(ref, id)
    if (!j) return null
    const { done, total } = js.progressOf(j)
    const finished = js.stepResults(j)
    const results = j.plan.steps.flatMap((s) => {
      const r = finished.get(s.id)
      return r && !js.interrupted(j, s.id) ? [r] : []
    })
    return {
      runId: j.runId,
      done,
      total,
      message: `A ${j.plan.title.toLowerCase()} run stopped with ${done} of ${total} steps done; running it again finishes it from its journal.`,
      results,
    }
  }

  /** The newest run journal of a repair on a machine, whatever its status. */
  function latestOf(js: Journals | null, ref: MachineRef, id: string): RepairJournal | null {
    if (!js) return null
    const key = JSON.stringify(ref)
    return (
      js.store
        .all()
        .journals.filter((j) => j.repairId === id && JSON.stringify(j.machine) === key)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0] ?? null
    )
  }

  /** When the newest run of a repair on a machine ended verified (null: never, or its newest run did not). */
  function lastVerifiedAt(js: Journals | null, ref: MachineRef, id: string): string | null {
    if (ref.kind === 'snapshot') return null
    const j = latestOf(js, ref, id)
    return j && j.status === 'completed' && j.verification?.verified ? j.verification.checkedAt : null
  }

  /** The last run of a repair on a machine, as `repair --json` prints it (null when it never ran). */
  async function lastRun(ref: MachineRef, id: string): Promise<RepairRun | null> {
    const j = latestOf(await journalsIfAny(), ref, id)
    return j ? runOf(j, false, [], envFor(ref, id)) : null
  }

  /** The repairs the diagnosis offers for this PC, each with its steps and exact commands. */
  async function offers(ref: MachineRef): Promise<RepairOffers> {
    const { snapshot, findings } = await look(ref)
    const js = await journalsIfAny()
    const out: RepairOffer[] = []
    for (const def of REPAIR_DEFINITIONS) {
      const unfinished = unfinishedOf(js, ref, def.id)
      const o = offerOf(def, snapshot, findings, lastVerifiedAt(js, ref, def.id))
      const risk = repairStep(def.id)
      if (!o && !unfinished) continue
      if (unfinished) {
        const j = js!.store.unfinished(ref, def.id)!
        out.push({
          repairId: def.id,
          title: def.title,
          summary: def.summary,
          reason: j.plan.reason,
          refused: null,
          warnings: j.plan.warnings,
          manual: shownManual(j.plan.manual),
          steps: await view(j.plan, envFor(ref, def.id)),
          unfinished,
          ...(risk ? { risk } : {}),
        })
        continue
      }
      // A snapshot's PC runs the repair itself: its steps and commands are those of the script to save.
      if (ref.kind === 'snapshot') {
        const pc = pcPlan(def, ref, snapshot, findings, o!.reason)
        out.push({
          repairId: def.id,
          title: def.title,
          summary: def.summary,
          reason: o!.reason,
          refused: pc.plan.refused,
          warnings: pc.plan.warnings,
          manual: shownManual(pc.plan.manual),
          steps: await view(pc.plan, pc.env),
          unfinished: null,
          ...(risk ? { risk } : {}),
        })
        continue
      }
      const plan = planFor(def, ref, snapshot, findings, o!.reason, {}, await mediaFor(def, ref))
      out.push({
        repairId: def.id,
        title: def.title,
        summary: def.summary,
        reason: o!.reason,
        refused: plan.refused,
        warnings: plan.warnings,
        manual: shownManual(plan.manual),
        steps: await view(plan, envFor(ref, def.id)),
        unfinished: null,
        ...(risk ? { risk } : {}),
      })
    }
    // The repairs findings offer that run elsewhere (WinRE, installs): the app's Fix-it buttons, all of them.
    const elsewhere: NonNullable<RepairOffers['elsewhere']> = []
    for (const f of findings) {
      const how = f.repair ? REPAIRS_ELSEWHERE[f.repair] : undefined
      const kb =
        f.kbs?.[0] ??
        (f.repair === 'install-checkpoint' && snapshot.packages.status === 'known'
          ? snapshot.packages.value.checkpoint.kb
          : null)
      // One entry per repair, and per update for installs (two failed updates are two installs).
      if (!f.repair || !how || elsewhere.some((e) => e.repairId === f.repair && (how !== 'install' || e.kb === kb)))
        continue
      const command = `${how === 'install' ? `servicing-desk install --kb ${kb ?? '<KB>'}` : 'servicing-desk winre repair'}${machineOption(ref)}`
      elsewhere.push({
        repairId: f.repair,
        findingId: f.id,
        title: f.title,
        command,
        ...(how === 'install' ? { kb } : {}),
      })
    }
    return {
      machine: ref,
      machineName: snapshot.origin.name,
      readOnly: ref.kind === 'snapshot',
      offers: out,
      elsewhere,
    }
  }

  async function runOf(
    j: RepairJournal,
    resumed: boolean,
    next: RepairRun['next'],
    env: RepairEnv,
  ): Promise<RepairRun> {
    const results = [...journalResults(j)]
    return {
      runId: j.runId,
      repairId: j.repairId,
      status: j.status,
      resumed,
      verified: j.verification?.verified === true,
      verification: j.verification,
      steps: await view(j.plan, env),
      results,
      manual: j.verification?.verified ? [] : shownManual(j.plan.manual),
      next,
      journal: j,
    }
  }

  /** Runs (or finishes) a repair on a live machine. Refused for a snapshot or a repair not offered here. */
  async function run(
    ref: MachineRef,
    repairId: string,
    opts: RunnerOptions & { onNote?: (line: string) => void; choices?: RepairChoices } = {},
  ): Promise<RepairRun> {
    if (ref.kind === 'snapshot')
      throw new AppError(
        'unsupported',
        'A snapshot from another PC is read-only: save the repair as a script and run it there.',
      )
    const def = repairDefinition(repairId)
    if (!def)
      throw new AppError(
        'not-found',
        `No repair '${repairId}'. Known: ${REPAIR_DEFINITIONS.map((d) => d.id).join(', ')}.`,
      )
    // The runner, the locks and the journal store: loaded by a run, never by a listing of offers.
    const [{ withMachineLock, withRunLock, machineLockName }, { runRepairJournal }, js] = await Promise.all([
      import('../install/run-lock.ts'),
      import('./runner.ts'),
      journalsLoaded(),
    ])
    const journals = js.store
    const lockName = machineLockName(ref)!
    const env = envFor(ref, def.id)
    return withMachineLock(deps.dataDir, lockName, `Repair ${def.id}`, async () => {
      const { damaged } = journals.all()
      if (damaged.length) throw new AppError('failed', `${damaged[0]!.message} Move it away to start a new repair.`)
      let journal = journals.unfinished(ref, def.id)
      if (!journal) {
        const { snapshot, findings } = await look(ref)
        const o = offerOf(def, snapshot, findings, lastVerifiedAt(js, ref, def.id))
        if (!o) {
          // Run again after it ended (e.g. killed right after its last journal write): its verified run is the answer.
          const last = latestOf(js, ref, def.id)
          if (last && last.status === 'completed' && last.verification?.verified) return runOf(last, false, [], env)
          throw new AppError(
            'invalid-input',
            `The repair '${def.id}' is not offered for ${snapshot.origin.name}: the diagnosis finds nothing it would fix. See \`servicing-desk repairs\`.`,
          )
        }
        const plan = planFor(def, ref, snapshot, findings, o.reason, opts.choices, await mediaFor(def, ref))
        if (plan.refused) throw new AppError('forbidden', `The repair cannot run: ${plan.refused}`)
        const stamp = now().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')
        const base = `${stamp}-${snapshot.origin.name}-${def.id}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 90)
        let runId = base
        for (let n = 2; journals.exists(runId); n++) runId = `${base}-${n}`
        journal = journals.create(runId, plan, now())
      }
      const start = journal
      return withRunLock(journals.file(start.runId), { what: `This ${def.title.toLowerCase()} run` }, async () => {
        const host = deps.hostFor(ref)
        const out = await runRepairJournal(
          start,
          {
            host,
            env,
            journals,
            definition: def,
            scan: () => deps.scan(ref),
            fetchPackage: deps.fetchPackage(ref),
          },
          opts,
        )
        let next: RepairRun['next'] = []
        if (out.journal.verification?.verified && def.next)
          next = withMachine(def.next({ snapshot: await deps.scan(ref), journal: out.journal }), ref)
        return runOf(out.journal, out.resumed, next, env)
      })
    })
  }

  /**
   * A repair planned for a snapshot's PC as that PC runs it itself (its own data folder, C:\\ProgramData\\ServicingDesk):
   * the plan a saved script and a fix package are written from.
   */
  async function planForPc(
    ref: MachineRef,
    repairId: string,
  ): Promise<{ plan: RepairPlan; env: RepairEnv; machineName: string }> {
    const def = repairDefinition(repairId)
    if (!def) throw new AppError('not-found', `No repair '${repairId}'.`)
    const { snapshot, findings } = await look(ref)
    const o = offerOf(def, snapshot, findings)
    if (!o) throw new AppError('invalid-input', `The repair '${def.id}' is not offered for ${snapshot.origin.name}.`)
    return pcPlan(def, ref, snapshot, findings, o.reason)
  }

  /** The plan of a repair as the snapshot's PC runs it itself (`this-pc` there, its own data folder). */
  function pcPlan(
    def: RepairDefinition,
    ref: MachineRef,
    snapshot: MachineSnapshot,
    findings: DiagnoseOutput['findings'],
    reason: string,
  ): { plan: RepairPlan; env: RepairEnv; machineName: string } {
    const liveRef: MachineRef = { kind: 'this-pc' }
    const env: RepairEnv = { hostKind: 'this-pc', dataDir: 'C:\\ProgramData\\ServicingDesk', resumeCommand: null }
    const p = def.plan({ snapshot, findings, ref: liveRef, env, reason })
    const plan: RepairPlan = {
      repairId: def.id,
      title: def.title,
      summary: def.summary,
      machine: ref,
      reason,
      steps: p.steps,
      warnings: p.warnings,
      manual: p.manual,
      refused: p.refused,
      createdAt: now().toISOString(),
    }
    return { plan, env, machineName: snapshot.origin.name }
  }

  /** A repair as a PowerShell script to save (a snapshot's PC runs it itself). */
  async function script(ref: MachineRef, repairId: string): Promise<{ fileName: string; content: string }> {
    const { plan, env, machineName } = await planForPc(ref, repairId)
    return {
      fileName: `${machineName}-${plan.repairId}.ps1`.replace(/[^A-Za-z0-9_.-]/g, '-'),
      content: (await import('./script.ts')).repairScript(plan, env, machineName),
    }
  }

  async function journalFor(runId: string): Promise<RepairJournal> {
    return (await journalsLoaded()).store.load(runId)
  }

  return {
    offers,
    run,
    script,
    planForPc,
    journalFor,
    lastRun,
    dataDirOf: () => join(deps.dataDir, 'repairs'),
  }
}

function* journalResults(j: RepairJournal) {
  const last = new Map<string, import('../../preload/model/repair.ts').RepairStepResult>()
  for (const e of j.entries) if (e.phase === 'finished') last.set(e.stepId, e.result)
  for (const s of j.plan.steps) {
    const r = last.get(s.id)
    if (r) yield r
  }
}

export type RepairService = ReturnType<typeof createRepairService>

/**
 * The option that names this machine on the command line: a command printed after a run on a training
 * machine or another PC acts on that one, never on the default machine. Empty for this PC (the default on Windows) and
 * for a snapshot (its PC runs the command itself).
 */
export function machineOption(ref: MachineRef): string {
  switch (ref.kind) {
    case 'training':
      return ref.via === 'winrm' ? ` --computer training:${ref.name}` : ` --machine ${ref.name}`
    case 'remote':
      return ` --computer ${ref.computer}`
    default:
      return ''
  }
}

/** Each `servicing-desk …` command of the steps, with the machine's option when it names none. */
export function withMachine(steps: ManualStep[], ref: MachineRef): ManualStep[] {
  const opt = machineOption(ref)
  if (!opt) return steps
  return steps.map((m) => ({
    ...m,
    commands: m.commands.map((c) =>
      /^servicing-desk /.test(c) && !/\s--(machine|computer|snapshot)\b/.test(c) ? `${c}${opt}` : c,
    ),
  }))
}
