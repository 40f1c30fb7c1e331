/**
 * "Make this PC current": the plan for the whole PC (compose.ts) from what the diagnosis offers now, its run through
 * the one engine (runner.ts), and its verification as a whole: the build at the newest known update, WinRE at its
 * target, no finding left that a step was meant to fix, and no install left to offer. The app, the CLI (`fix`) and
 * the fix package call this one service.
 */
import type { Host } from '../host/host.ts'
import { AppError } from '../errors.ts'
import type { MachineRef } from '../../preload/model/common.ts'
import { isActive, type DiagnoseOutput } from '../../preload/model/diagnosis.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { RepairOffers, RepairRun } from '../../preload/model/repair.ts'
import type { WinreReport, WinreRepairOutput } from '../../preload/model/winre.ts'
import type { Journal, Plan } from '../../preload/model/plan.ts'
import type { PcPlan, PcPlanRun, PcPlanStep, PcPlanStepRun } from '../../preload/model/pc-plan.ts'
import { catalogNeedOf, composePcPlan, type ChangedNothing } from './compose.ts'
import type { CatalogAnswer } from './find-kb-step.ts'
import { catalogQuery, findInCatalog, type CatalogSearcher } from '../catalog/month-lookup.ts'
import { PcPlanJournalStore, newJournal, runPcPlan, type RunPlanOptions, type StepWork } from './runner.ts'
import { hostname } from 'node:os'
import { acquireRunLock, liveMachineLockHolder, machineLockName, RunLockBusyError } from '../install/run-lock.ts'

export interface PcPlanDeps {
  dataDir: string
  scan(ref: MachineRef): Promise<MachineSnapshot>
  diagnose(req: { machine: MachineRef }): Promise<DiagnoseOutput>
  hostFor(ref: MachineRef): Host
  repairs: { offers(ref: MachineRef): Promise<RepairOffers>; run(ref: MachineRef, id: string): Promise<RepairRun> }
  winre: {
    report(ref: MachineRef): Promise<WinreReport>
    repair(ref: MachineRef, id: string): Promise<WinreRepairOutput>
  }
  install: {
    makePlan(args: { ref: MachineRef; kbs: string[] }): Promise<Plan>
    install(plan: Plan, opts: { signal?: AbortSignal }): Promise<Journal>
    journals: { all(): Journal[] }
    /** Why a damaged install journal of this machine holds its installs up (one sentence), or null. */
    damagedRefusal?(ref: MachineRef): string | null
  }
  /**
   * The Microsoft Update Catalog the plan searches for a build known without its KB, on a PC with internet; or why it
   * is not searched for this machine (one sentence: a training machine has no internet). Absent: never searched.
   */
  catalogFor?: (ref: MachineRef) => CatalogSearcher | string
  now?: () => Date
}

const sameRef = (a: MachineRef | null | undefined, b: MachineRef) => JSON.stringify(a) === JSON.stringify(b)

export function createPcPlans(deps: PcPlanDeps) {
  const store = new PcPlanJournalStore(deps.dataDir)
  const now = () => deps.now?.() ?? new Date()

  /** Installs on this machine that ended without changing anything (Windows said not applicable / already there). */
  function changedNothing(ref: MachineRef): ChangedNothing[] {
    if (ref.kind === 'snapshot') return []
    const out: ChangedNothing[] = []
    for (const j of deps.install.journals.all()) {
      if (!sameRef(j.plan.machine.ref, ref) || j.plan.scope.kind !== 'online') continue
      for (const s of j.plan.steps) {
        const r = j.results[s.id]
        if (!r || (r.kind !== 'not-applicable' && r.kind !== 'already-installed') || s.kind === 'restart') continue
        for (const kb of s.kbs)
          if (j.plan.targets.includes(kb))
            out.push({ kb, kind: r.kind, at: j.updatedAt, ubr: j.verification?.before.ubr ?? null })
      }
    }
    return out
  }

  async function plan(ref: MachineRef, opts: { previews?: boolean } = {}): Promise<PcPlan> {
    const d = await deps.diagnose({ machine: ref })
    const snapshot = await deps.scan(ref)
    const offers = await deps.repairs.offers(ref)
    const winre = await deps.winre.report(ref).catch(() => null)
    const catalog = await searchCatalog(ref, snapshot, opts.previews)
    return composePcPlan({
      catalog,
      ref,
      snapshot,
      findings: d.findings.filter(isActive),
      offers,
      winre,
      changedNothing: changedNothing(ref),
      previews: opts.previews,
      now: now(),
    })
  }

  /**
   * The plan's own read-only Catalog search for a build known without its KB: the row found by the update's title, or
   * the search's own words for why there is none (no row, an error, no internet here). Null: nothing to search for.
   */
  async function searchCatalog(
    ref: MachineRef,
    snapshot: MachineSnapshot,
    previews?: boolean,
  ): Promise<CatalogAnswer | null> {
    const need = catalogNeedOf(snapshot, now(), previews)
    if (!need || !deps.catalogFor) return null
    const searcher = deps.catalogFor(ref)
    if (typeof searcher === 'string') return { none: searcher }
    try {
      const fact = await findInCatalog(searcher, need.branchId, need.arch, 'lcu', need.month)
      return fact
        ? { found: fact }
        : {
            none: `The plan searched the Microsoft Update Catalog for "${catalogQuery(need.branchId, need.arch, 'lcu', need.month)}": it lists no cumulative update of ${need.month} for this PC's Windows (${need.arch}) yet.`,
          }
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err)
      return { none: `The plan could not search the Microsoft Update Catalog: ${why.replace(/\.?$/, '.')}` }
    }
  }

  /** What holds this PC's machine lock now, as a sentence names it (`the WinRE repair R (process 12, since …)`), or null. */
  function busyWith(ref: MachineRef): string | null {
    const machine = machineLockName(ref)
    const holder = machine ? liveMachineLockHolder(deps.dataDir, machine) : null
    if (!holder) return null
    const where =
      holder.hostname === hostname() ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.hostname}`
    return `${holder.what ?? 'another servicing operation'} (${where}, since ${holder.startedAt})`
  }

  /**
   * The one sentence of a plan that finds its PC busy, before any step or between two: `lead` names what was not
   * started and the PC, `busy` who holds it; between steps a new run continues at the step that was refused.
   */
  function busySentence(lead: string, busy: string, continuesAtStep: boolean): string {
    return `${lead} is busy with ${busy}; one servicing operation runs per PC at a time, so run the plan again when it ends${continuesAtStep ? ': it continues at this step' : ''}.`
  }

  /**
   * Another window (the app, a CLI) took the PC between two steps: the step is not started, in one sentence naming
   * who holds the PC, and the plan stops there with its journal closed; run again, it continues at this step.
   */
  function refusedBusy(step: PcPlanStep, ref: MachineRef, busy: string): PcPlanStepRun {
    const pc =
      ref.kind === 'training' ? `machine ${ref.name}` : ref.kind === 'remote' ? `the PC ${ref.computer}` : 'this PC'
    return {
      stepId: step.id,
      outcome: 'refused',
      detail: busySentence(`Not started: ${pc}`, busy, true),
      runId: null,
    }
  }

  function work(ref: MachineRef): StepWork {
    const steps = workOf(ref)
    return {
      precheck: (step) => steps.precheck(step),
      async execute(step, signal) {
        if (step.kind === 'wait') return steps.execute(step, signal)
        const before = busyWith(ref)
        if (before) return refusedBusy(step, ref, before)
        try {
          return await steps.execute(step, signal)
        } catch (err) {
          // The other run took the PC after the look above, before the step's own service took it: that service's
          // refusal (an install's, a repair's, WinRE's) becomes the step's sentence, never a raw error.
          const now = busyWith(ref)
          if (now && !signal?.aborted) return refusedBusy(step, ref, now)
          throw err
        }
      },
    }
  }

  function workOf(ref: MachineRef): StepWork {
    const result = (
      step: PcPlanStep,
      outcome: PcPlanStepRun['outcome'],
      detail: string,
      runId: string | null = null,
    ): PcPlanStepRun => ({ stepId: step.id, outcome, detail, runId })
    return {
      async precheck(step) {
        switch (step.kind) {
          case 'wait':
            return null
          case 'restart':
          case 'repair': {
            const offers = await deps.repairs.offers(ref)
            const o = offers.offers.find((x) => x.repairId === step.repairId)
            if (!o) return result(step, 'not-needed', 'The diagnosis no longer offers it: what it was for is resolved.')
            if (o.refused) return result(step, 'waiting', `It cannot run now: ${o.refused}`)
            return null
          }
          case 'install': {
            const s = await deps.scan(ref)
            const os = s.os.status === 'known' ? s.os.value : null
            const want = Number(step.bringsTo?.split('.')[1])
            if (os?.ubr != null && Number.isFinite(want) && os.ubr >= want)
              return result(
                step,
                'not-needed',
                `The PC is at ${os.build}.${os.ubr} already, at or above ${step.bringsTo}.`,
              )
            const pkgs = s.packages.status === 'known' ? s.packages.value.packages : []
            if (!step.bringsTo && pkgs.some((p) => p.kb === step.kb && p.state === 'installed'))
              return result(step, 'not-needed', `${step.kb} is installed already.`)
            return null
          }
          case 'winre': {
            const r = await deps.winre.report(ref)
            if (!r.repair.steps.length) return result(step, 'not-needed', 'WinRE needs no repair any more.')
            if (r.repair.refused) return result(step, 'waiting', `It cannot run now: ${r.repair.refused}`)
            return null
          }
        }
      },
      async execute(step, signal) {
        switch (step.kind) {
          case 'wait':
            return result(step, 'waiting', step.why)
          case 'restart':
          case 'repair': {
            const run = await deps.repairs.run(ref, step.repairId!)
            if (run.status === 'completed' && run.verified)
              return result(step, 'done', run.verification?.detail ?? 'Done and verified.', run.runId)
            if (run.status === 'running')
              return result(
                step,
                'done',
                'The PC restarts; the repair continues from its journal after sign-in.',
                run.runId,
              )
            return result(
              step,
              run.status === 'cancelled' ? 'cancelled' : 'failed',
              run.verification?.detail ?? `The repair ended ${run.status}.`,
              run.runId,
            )
          }
          case 'install': {
            // A package that cannot be fetched (the Catalog lists no file, the download fails) ends this step in one
            // sentence; the run stops there with its journal closed, never with a raw error.
            let p: Plan
            try {
              p = await deps.install.makePlan({ ref, kbs: [step.kb!] })
            } catch (err) {
              if (!(err instanceof Error) || signal?.aborted) throw err
              return result(step, 'failed', `${step.kb} could not be prepared: ${err.message}`)
            }
            if (p.refused) return result(step, 'waiting', `The installer refused it: ${p.refused}`, p.id)
            const j = await deps.install.install(p, { signal })
            const adds = p.steps.filter((s) => s.kind !== 'restart').map((s) => j.results[s.id])
            if (adds.length && adds.every((r) => r?.kind === 'not-applicable' || r?.kind === 'already-installed')) {
              const na = adds.some((r) => r?.kind === 'not-applicable')
              return result(
                step,
                'nothing-to-do',
                na
                  ? `Windows answered that ${step.kb} does not apply to this PC (not applicable); nothing changed and the PC was not restarted.`
                  : `${step.kb} is already installed.`,
                p.id,
              )
            }
            if (j.status === 'cancelled') return result(step, 'cancelled', 'Cancelled between steps.', p.id)
            if (j.status === 'completed' && j.verification?.verified)
              return result(step, 'done', j.verification.detail, p.id)
            if (j.status === 'awaiting-restart')
              return result(
                step,
                'done',
                'Installed; Windows finishes it during the restart, then the plan continues.',
                p.id,
              )
            return result(step, 'failed', j.verification?.detail ?? `The installation ended ${j.status}.`, p.id)
          }
          case 'winre': {
            const r = await deps.winre.report(ref)
            const run = await deps.winre.repair(ref, r.repair.id)
            if (run.status === 'completed' && run.verification?.verified)
              return result(step, 'done', run.verification.detail, r.repair.id)
            return result(
              step,
              run.status === 'cancelled' ? 'cancelled' : 'failed',
              run.verification?.detail ?? `The WinRE repair ended ${run.status}.`,
              r.repair.id,
            )
          }
        }
      },
    }
  }

  /** The whole PC after the run: each check that the plan set out to make true. */
  async function verify(
    before: PcPlan,
    results: PcPlanStepRun[],
    ref: MachineRef,
  ): Promise<{ verification: NonNullable<PcPlanRun['verification']>; after: PcPlan }> {
    const after = await plan(ref)
    const d = await deps.diagnose({ machine: ref })
    const active = new Set(d.findings.filter(isActive).map((f) => f.id))
    const outcome = (id: string) => results.find((r) => r.stepId === id)?.outcome
    const checks: NonNullable<PcPlanRun['verification']>['checks'] = []
    const installs = before.steps.filter((s) => s.kind === 'install' && outcome(s.id) !== 'waiting')
    const newest = installs.filter((s) => s.bringsTo).at(-1)
    if (newest?.bringsTo) {
      checks.push({
        name: 'Build',
        ok: after.current !== null && compareBuild(after.current, newest.bringsTo) >= 0,
        detail: `The PC is at ${after.current ?? 'an unknown build'}; the plan's target was ${newest.bringsTo} (${newest.kb}).`,
      })
    }
    if (before.steps.some((s) => s.kind === 'winre' && outcome(s.id) !== 'waiting')) {
      const ok = !after.steps.some((s) => s.kind === 'winre')
      checks.push({
        name: 'WinRE',
        ok,
        detail: ok
          ? `WinRE is at its target${after.winre.current ? ` (${after.winre.current})` : ''}.`
          : `WinRE still needs its repair (${after.winre.current ?? 'version unknown'}, target ${after.winre.target ?? 'unknown'}).`,
      })
    }
    const meant = before.steps.filter((s) => s.kind !== 'wait' && outcome(s.id) !== 'waiting').flatMap((s) => s.fixes)
    const left = [...new Set(meant.filter((id) => active.has(id)))]
    checks.push({
      name: 'Findings',
      ok: left.length === 0,
      detail: left.length ? `Still found: ${left.join(', ')}.` : 'No finding is left that a step was meant to fix.',
    })
    const offered = after.steps.filter((s) => s.kind === 'install')
    checks.push({
      name: 'Installs',
      ok: offered.length === 0,
      detail: offered.length
        ? `Still offered: ${offered.map((s) => s.kb).join(', ')}.`
        : 'No install is left to offer.',
    })
    const verified = checks.every((c) => c.ok)
    const waits = after.steps.filter((s) => s.kind === 'wait')
    const detail = verified
      ? waits.length
        ? `Verified; ${waits.length === 1 ? 'one step needs' : `${waits.length} steps need`} a person: ${waits.map((w) => w.title).join('; ')}.`
        : `Verified: ${after.summary}`
      : `Not verified: ${checks
          .filter((c) => !c.ok)
          .map((c) => c.detail)
          .join(' ')}`
    return { verification: { verified, checks, detail }, after }
  }

  /** Makes the plan (or takes up the unfinished one) and runs it to its end, then verifies the whole PC. */
  async function run(
    ref: MachineRef,
    opts: RunPlanOptions & { previews?: boolean; plan?: PcPlan } = {},
  ): Promise<PcPlanRun> {
    if (ref.kind === 'snapshot')
      throw new AppError(
        'unsupported',
        "A snapshot from another PC is read-only: its plan runs there, as the fix package's script.",
      )
    const lock = (() => {
      try {
        return acquireRunLock(store.file(ref), { what: "This PC's plan" })
      } catch (err) {
        if (err instanceof RunLockBusyError) throw new AppError('forbidden', err.message)
        throw err
      }
    })()
    // Another window (the app, a CLI) servicing this PC now: refused before any step, in one sentence, so the plan's
    // journal is not left open at a step whose install the other run's machine lock refused.
    const busy = busyWith(ref)
    if (busy) {
      lock.release()
      throw new AppError('forbidden', busySentence("This PC's plan was not started: the PC", busy, false))
    }
    // A damaged install journal of this PC (it may record an interrupted install) holds up its installs: the plan is
    // refused before any step, in that journal's own sentence, rather than stopping at its first install.
    const damaged = deps.install.damagedRefusal?.(ref) ?? null
    if (damaged) {
      lock.release()
      // The journal's sentence continues this one: its first word is not a sentence's start here.
      throw new AppError('forbidden', `This PC's plan was not started: ${damaged.replace(/^The /, 'the ')}`)
    }
    try {
      const open = store.unfinished(ref)
      const start = open ?? newJournal(opts.plan ?? (await plan(ref, { previews: opts.previews })), now())
      if (!open) store.save(ref, start)
      const j = await runPcPlan(start, { ref, store, work: work(ref), host: deps.hostFor(ref), now }, opts)
      const results = j.plan.steps.map((s) => j.results[s.id]).filter((r): r is PcPlanStepRun => r !== undefined)
      if (j.status !== 'completed' && j.status !== 'waiting')
        return {
          plan: j.plan,
          status: j.status === 'running' ? 'failed' : j.status,
          results,
          verification: null,
          after: null,
        }
      const { verification, after } = await verify(j.plan, results, ref)
      const waiting = after.steps.some((s) => s.kind === 'wait') || results.some((r) => r.outcome === 'waiting')
      return { plan: j.plan, status: waiting ? 'waiting' : 'completed', results, verification, after }
    } finally {
      lock.release()
    }
  }

  return { plan, run, journals: store }
}

function compareBuild(a: string, b: string): number {
  const [ab, au] = a.split('.').map(Number)
  const [bb, bu] = b.split('.').map(Number)
  return ab! - bb! || au! - bu!
}
