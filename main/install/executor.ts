/**
 * The executor: runs a plan's steps through the Host, one at a time, writing the journal before and after
 * each, so a crash or a restart resumes where it stopped and never repeats a finished step blindly.
 *
 * A step the journal shows as started but not finished is re-checked against the machine's real state
 * (is its package installed or pending now?) before anything runs again. A step whose prerequisite did
 * not succeed never runs. Cancelling takes effect between steps (DISM is not stopped halfway: servicing-
 * facts §2 — an interrupted CBS transaction is what corrupts images).
 *
 * What runs is never what the plan file says: each step's command and exit codes come from the command
 * builder (step-commands.ts) at the moment the step runs, from the step's intent; a plan whose stored
 * commands differ from the builder's is refused before anything runs. Every package a step installs
 * (derived from its intent, never from a list the file can empty) is hashed right before the step.
 */
import type { FileChunks, Host } from '../host/host.ts'
import type { Finding } from '../../preload/model/diagnosis.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import {
  assertNever,
  stepSucceeded,
  type Journal,
  type JournalEntry,
  type JournalStatus,
  type PlanPackage,
  type PlanStep,
  type StepResult,
} from '../../preload/model/plan.ts'
import { type JournalStore, attempts, interrupted, withEntry } from './journal.ts'
import { readServicingLevel, kbState, type ServicingLevel } from './servicing-level.ts'
import { DismProgress, exitMeaning } from './step-outcome.ts'
import { diagnoseCore } from '../diagnose/diagnose-core.ts'
import { emptyLogs } from '../diagnose/rule.ts'
import { analyzeCbsLogText } from '../parse/cbs-log.ts'
import { parseDismOutput } from '../parse/dism-output.ts'
import { verifyInstallation } from './verify.ts'
import { hashFile } from '../download/file-hashes.ts'
import { readdir, realpath } from 'node:fs/promises'
import { basename, dirname, sep } from 'node:path'
import { verifyKit } from '../kit/kit-verify.ts'
import { assertBuilderPlan, buildStep, type BuiltStep, type CommandContext } from './step-commands.ts'
import { runSteps, type EngineStep, type RunJournal } from '../runner/engine.ts'
import { ruleFor } from '../runner/resume-rules.ts'

export const CBS_LOG = 'C:\\Windows\\Logs\\CBS\\CBS.log'

export interface StepProgress {
  planId: string
  stepId: string
  /** 0..1, or null when the step gives no progress. */
  fraction: number | null
  label: string
}

export interface ExecuteOptions {
  host: Host
  journals: JournalStore
  /** Asked before every restart; false leaves the journal `awaiting-restart` (resume later). Default: yes. */
  confirmRestart?: (step: PlanStep) => Promise<boolean>
  onProgress?: (p: StepProgress) => void
  onJournal?: (entry: JournalEntry, journal: Journal) => void
  signal?: AbortSignal
  now?: () => Date
  /** A fresh snapshot of the machine, for the Diagnosis rules when a step fails (online scope only). */
  snapshot?: () => Promise<MachineSnapshot>
  /** Test hook, called at every boundary (after each journal write, after each command, mid-step). */
  checkpointHook?: (point: string) => void
  /** What the command builder needs besides the plan (the app's own resume command on a real PC). */
  commands?: CommandContext
  /**
   * The app's data folder: a package must be inside it (its downloads, the kits it holds) or in a kit folder that
   * verifies whole right now. Given by the install service; absent only in tests of the executor alone.
   */
  dataDir?: string
}

/** Runs (or resumes) a journal's plan to its end, a failure, a cancellation, or a declined restart. */
export async function executePlan(start: Journal, opts: ExecuteOptions): Promise<Journal> {
  const now = () => (opts.now?.() ?? new Date()).toISOString()
  const hook = opts.checkpointHook ?? (() => {})
  let journal = start
  const plan = journal.plan
  if (plan.refused) throw new Error(`This plan was refused: ${plan.refused}`)
  if (journal.status === 'completed' || journal.status === 'failed') return journal
  const ctx: CommandContext = { resumeCommand: opts.commands?.resumeCommand ?? null, pcPath: opts.commands?.pcPath }
  // Nothing runs from a plan that is not the builder's (a file that names another program, other exit codes…).
  assertBuilderPlan(plan, ctx)

  const write = (entry: JournalEntry, status?: JournalStatus) => {
    journal = withEntry(journal, entry, status)
    opts.journals.save(journal)
    opts.onJournal?.(entry, journal)
    hook(`journal:${entry.phase}${'stepId' in entry ? `:${entry.stepId}` : ''}`)
  }

  const resumed = journal.entries.length > 0
  if (!resumed) {
    journal = { ...journal, status: 'running' }
    opts.journals.save(journal)
  }

  // The journal as the engine writes it (the install journal's format; a result carries its exit code and duration).
  const finishedEntry = (stepId: string, r: Ran, rechecked: boolean): JournalEntry => ({
    phase: 'finished',
    stepId,
    at: now(),
    result: r.result,
    exitCode: r.exitCode,
    durationMs: r.durationMs,
    rechecked,
  })
  const port: RunJournal<Ran> = {
    resultOf: (id) => {
      const r = journal.results[id]
      return r ? { result: r, exitCode: null, durationMs: 0 } : undefined
    },
    interrupted: (id) => interrupted(journal, id),
    // A cancelled or skipped step is decided again (its prerequisites may have succeeded since).
    verdict: (r) =>
      r.result.kind === 'failed'
        ? 'failed'
        : r.result.kind === 'cancelled' || r.result.kind === 'skipped'
          ? 'cancelled'
          : 'ok',
    resumed: (note) => write({ phase: 'resumed', at: now(), note }, 'running'),
    rerunning: () => {},
    started: (s) => {
      write({ phase: 'started', stepId: s.id, at: now(), attempt: attempts(journal, s.id) + 1 })
      opts.onProgress?.({ planId: plan.id, stepId: s.id, fraction: 0, label: s.title })
    },
    finished: (s, r, how) => write(finishedEntry(s.id, r, how === 'rechecked')),
  }
  const settled = (result: StepResult): Ran => ({ result, exitCode: null, durationMs: 0 })
  const steps = plan.steps.map((step): EngineStep<Ran> => {
    let built: BuiltStep | null = null
    let cbsBefore: string | null = null
    return {
      id: step.id,
      title: step.title,
      restart: step.kind === 'restart',
      gate: () => {
        const blocker = step.dependsOn.find((d) => {
          const r = journal.results[d]
          return !r || !stepSucceeded(r)
        })
        if (!blocker) return null
        const r = journal.results[blocker]
        return settled({
          kind: 'skipped',
          reason: r ? `Its prerequisite ${blocker} ended ${r.kind}.` : `Its prerequisite ${blocker} did not run.`,
        })
      },
      // Re-check before acting when the process died during this step (the install part of the rule book).
      recheck: async () => {
        const r = await recheckStep(opts.host, journal, step)
        return r
          ? { kind: 'done', note: `Re-checked: ${r.kind}.`, result: settled(r) }
          : { kind: 'rerun', note: 'it runs again.' }
      },
      // A restart that may be done already, and the person's yes before it.
      prepare:
        step.kind === 'restart'
          ? async () => {
              // A restart after installs that changed nothing (not applicable, already there) would restart the PC for nothing.
              if (changedNothing(journal, step) || !(await restartNeeded(opts.host, journal, step)))
                return { kind: 'settle', result: settled({ kind: 'not-applicable' }) }
              const yes = opts.confirmRestart ? await opts.confirmRestart(step) : true
              if (!yes) return { kind: 'pause', note: 'The restart was not confirmed.' }
              write({ phase: 'restart-requested', at: now(), afterStepId: step.dependsOn[0] ?? null })
              return null
            }
          : undefined,
      // Nothing is installed without a verified hash: the files are hashed again right before the step that
      // installs them (a file can change on disk, or a plan file can name another one, after it was verified).
      preflight: async () => {
        built = buildStep(plan, step, ctx)
        const placed = opts.dataDir !== undefined ? await packagePlaceProblem(built.packages, opts.dataDir) : null
        if (placed) return settled(placed)
        const bad =
          built.packages.length || step.kind === 'add-package'
            ? await checkPackages(
                built.packages,
                step,
                opts.signal,
                plan.method === 'folder' && step.kind === 'add-package',
              )
            : null
        if (bad) return settled(bad)
        cbsBefore =
          step.kind === 'add-package' && plan.scope.kind === 'online' ? await readAll(opts.host, CBS_LOG) : null
        return null
      },
      execute: ({ run }) => runStep(run, opts, journal, step, built!, cbsBefore, hook),
      after: async () => {
        if (step.kind !== 'restart') return
        const level = await readServicingLevel(opts.host, plan.scope).catch(() => null)
        write({ phase: 'restarted', at: now(), build: level?.build ?? null, ubr: level?.ubr ?? null })
      },
    }
  })

  const end = await runSteps({
    host: opts.host,
    steps,
    journal: port,
    resumed,
    signal: opts.signal,
    resumeNote: () => resumeNote(journal),
    // A real PC goes down after its restart step: the RunOnce entry (or the person) starts the app again to resume.
    restartIsReal: opts.host.info().kind === 'this-pc',
    verify: async () => {
      const verification = await verifyInstallation(opts.host, journal)
      journal = { ...journal, verification }
      write({ phase: 'verified', at: now(), verified: verification.verified, detail: verification.detail }, 'completed')
    },
  })
  switch (end.kind) {
    case 'completed':
    case 'restarting':
      return journal
    case 'paused':
      write(
        {
          phase: 'restart-requested',
          at: now(),
          afterStepId: plan.steps.find((s) => s.id === end.step.id)?.dependsOn[0] ?? null,
        },
        'awaiting-restart',
      )
      return journal
    case 'failed-earlier': {
      const r = end.result.result
      write(
        {
          phase: 'resumed',
          at: now(),
          note: `Step ${end.step.id} failed earlier (${r.kind === 'failed' ? r.code : r.kind}); nothing after it runs.`,
        },
        'failed',
      )
      return journal
    }
    case 'cancelled':
      if (!end.during) write(finishedEntry(end.step.id, settled({ kind: 'cancelled' }), false))
      write({ phase: 'cancelled', at: now() }, 'cancelled')
      return journal
    case 'failed': {
      // Nothing after a failure runs (S42: a sequence that went on after a failed checkpoint left media unbootable).
      for (const s of plan.steps.slice(plan.steps.findIndex((x) => x.id === end.step.id) + 1)) {
        write(
          finishedEntry(
            s.id,
            settled({ kind: 'skipped', reason: `${end.step.id} failed; nothing after it runs.` }),
            false,
          ),
        )
      }
      journal = { ...journal, status: 'failed' }
      opts.journals.save(journal)
      return journal
    }
  }
}

/** A step's result as the install journal records it: what it means, the command's exit code and its duration. */
interface Ran {
  result: StepResult
  exitCode: number | null
  durationMs: number
}

/**
 * Where a package may come from: inside the app's data folder (what it downloaded and verified, the
 * kits it holds), judged on the real path (no link followed out); or a kit folder that `kit verify` passes now (its
 * manifest, every file's size and hashes, its seal) and whose manifest lists this file with the plan's hashes. A plan
 * or journal that names any other file (with hashes written next to it) fails here: nothing is installed.
 */
export async function packagePlaceProblem(packages: PlanPackage[], dataDir: string): Promise<StepResult | null> {
  let root: string
  try {
    root = await realpath(dataDir)
  } catch {
    root = dataDir
  }
  for (const p of packages) {
    let real: string | null
    try {
      real = await realpath(p.path)
    } catch {
      real = null
    }
    if (real === null) continue // missing: checkPackages says so (ERROR_FILE_NOT_FOUND)
    if (real.startsWith(root + sep)) continue
    const kit = await verifyKit(dirname(real))
    const listed = kit.manifest?.files.find((f) => f.fileName === basename(real!))
    if (kit.ok && listed && (!p.sha1 || listed.sha1 === p.sha1) && (!p.sha256 || listed.sha256 === p.sha256)) continue
    const why = !kit.ok
      ? `its folder is not a kit that verifies (${kit.problems[0]?.problem ?? 'no manifest'})`
      : "the kit's manifest does not list it with the plan's hashes"
    return {
      kind: 'failed',
      code: '0x80070005',
      message: `${p.fileName} is at ${p.path}, outside Servicing Desk's data folder, and ${why}; only packages the app downloaded or a verified kit holds are installed. Nothing was installed.`,
      evidence: [
        { source: p.path, excerpt: `expected SHA-1 ${p.sha1 ?? '(none)'}${p.sha256 ? `, SHA-256 ${p.sha256}` : ''}` },
      ],
    }
  }
  return null
}

/**
 * Hashes every package a step installs (the builder's list, from the step's intent) and compares with the
 * plan's SHA-1/SHA-256 and size: null when all match, else a failed result that says which file and why
 * (ERROR_FILE_NOT_FOUND for a missing file, ERROR_CRC for different bytes, ERROR_INVALID_DATA for a package
 * the plan gives no hash for, or a step that names no package). With the folder method DISM also installs
 * every other package in the target's folder, so a folder holding a package the step does not name is refused.
 */
export async function checkPackages(
  packages: PlanPackage[],
  step: Pick<PlanStep, 'id'>,
  signal?: AbortSignal,
  folder = false,
): Promise<StepResult | null> {
  const fail = (code: string, message: string, p: PlanPackage | null): StepResult => ({
    kind: 'failed',
    code,
    message: `${message} Nothing was installed.`,
    evidence: p
      ? [
          {
            source: p.path,
            excerpt: `expected SHA-1 ${p.sha1 ?? '(none)'}${p.sha256 ? `, SHA-256 ${p.sha256}` : ''}${p.sizeBytes !== null ? `, ${p.sizeBytes} bytes` : ''}`,
          },
        ]
      : [],
  })
  if (!packages.length) return fail('0x8007000D', `Step ${step.id} names no package to verify.`, null)
  if (folder) {
    const target = packages[packages.length - 1]
    const dir = target.path.slice(0, Math.max(target.path.lastIndexOf('\\'), target.path.lastIndexOf('/')))
    let names: string[] | null = null
    try {
      names = await readdir(dir)
    } catch {
      names = null
    }
    const extra = (names ?? []).filter(
      (n) => /\.(msu|cab)$/i.test(n) && !packages.some((p) => p.fileName.toLowerCase() === n.toLowerCase()),
    )
    if (extra.length)
      return fail(
        '0x8007000D',
        `The folder ${dir} also holds ${extra.join(', ')}, which DISM would install without a verified hash.`,
        target,
      )
  }
  for (const p of packages) {
    if (!p.sha1 && !p.sha256)
      return fail(
        '0x8007000D',
        `${p.fileName} has no SHA-1 or SHA-256 to check it against; import it as a kit or download it from the Catalog.`,
        p,
      )
    let got: { sha1: string; sha256: string; bytes: number }
    try {
      got = await hashFile(p.path, signal)
    } catch (err) {
      if (signal?.aborted) return { kind: 'cancelled' }
      const code = (err as NodeJS.ErrnoException).code
      return fail(
        code === 'ENOENT' ? '0x80070002' : '0x8007001E',
        `${p.fileName} cannot be read at ${p.path} (${code ?? (err as Error).message}).`,
        p,
      )
    }
    if (
      (p.sha1 && got.sha1 !== p.sha1) ||
      (p.sha256 && got.sha256 !== p.sha256) ||
      (p.sizeBytes !== null && got.bytes !== p.sizeBytes)
    ) {
      return fail(
        '0x80070017',
        `${p.fileName} is not the file that was verified: its SHA-1 is ${got.sha1}${p.sha1 ? `, the plan says ${p.sha1}` : ''}.`,
        p,
      )
    }
  }
  return null
}

async function runStep(
  run: Host['run'],
  opts: ExecuteOptions,
  journal: Journal,
  step: PlanStep,
  built: BuiltStep,
  cbsBefore: string | null,
  hook: (p: string) => void,
): Promise<Ran> {
  const planId = journal.planId
  const progress = new DismProgress()
  let lastFraction = 0
  let midHooked = false
  const result = await run(
    {
      name: built.command.name,
      file: built.command.file,
      args: built.command.args,
      timeoutMs: built.command.timeoutMs,
      successExitCodes: built.successExitCodes,
      outputEncoding: 'console',
    },
    {
      onLine: (line) => {
        const f = progress.line(line)
        if (f === null) return
        lastFraction = Math.max(lastFraction, f)
        opts.onProgress?.({ planId, stepId: step.id, fraction: lastFraction, label: step.title })
        if (!midHooked && f >= 0.5) {
          midHooked = true
          hook(`mid:${step.id}`)
        }
      },
    },
  )
  hook(`command:${step.id}`)
  let outcome: StepResult
  if (result.cancelled) outcome = { kind: 'cancelled' }
  else {
    const meaning = exitMeaning(
      { kind: step.kind, successExitCodes: built.successExitCodes, restartExitCodes: built.restartExitCodes },
      result.exitCode,
    )
    switch (meaning.kind) {
      case 'ok':
      case 'restart-required':
      case 'not-applicable':
      case 'already-installed':
        outcome = { kind: meaning.kind }
        break
      case 'failed': {
        const cbsAfter = cbsBefore !== null ? await readAll(opts.host, CBS_LOG) : null
        const newCbs =
          cbsAfter === null
            ? ''
            : cbsAfter.startsWith(cbsBefore ?? '')
              ? cbsAfter.slice((cbsBefore ?? '').length)
              : cbsAfter
        const snapshot =
          journal.plan.scope.kind === 'online' && opts.snapshot ? await opts.snapshot().catch(() => null) : null
        outcome = failedResult(
          step,
          built,
          meaning.code,
          result.stdout,
          result.stderr,
          newCbs,
          result.timedOut,
          snapshot,
        )
        break
      }
      default:
        outcome = assertNever(meaning)
    }
  }
  if (outcome.kind !== 'failed' && outcome.kind !== 'cancelled')
    opts.onProgress?.({ planId, stepId: step.id, fraction: 1, label: step.title })
  return { result: outcome, exitCode: result.exitCode, durationMs: result.durationMs }
}

/** A failed step's result: the code, DISM's message, the CBS.log lines written while it ran, and the Diagnosis rules' findings. */
function failedResult(
  step: PlanStep,
  built: BuiltStep,
  code: string,
  stdout: string,
  stderr: string,
  newCbs: string,
  timedOut: boolean,
  snapshot: MachineSnapshot | null,
): StepResult {
  const out = stdout
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter(Boolean)
  const errLine = out.findIndex((l) => /^Error:/.test(l))
  const message = timedOut
    ? `The command did not finish within ${built.command.timeoutMs / 60000} minutes and was stopped.`
    : ((errLine >= 0 ? out.slice(errLine + 1).find((l) => !/^The DISM log file/.test(l)) : null) ??
      (stderr.trim() || `Exit code ${code}.`))
  const cbsLines = newCbs.split(/\r\n|\n/).filter((l) => l.trim())
  const evidence = [
    { source: built.command.commandLine, excerpt: out.slice(-6).join('\n') },
    ...(cbsLines.length
      ? [
          {
            source: `${CBS_LOG} (lines written during ${step.id})`,
            excerpt: cbsLines
              .filter((l) => /Error|HRESULT|orrupt/.test(l))
              .slice(0, 12)
              .join('\n'),
          },
        ]
      : []),
  ]
  let findings: Finding[] = []
  try {
    const logs = emptyLogs()
    if (cbsLines.length)
      logs.cbs = [{ source: `${CBS_LOG} (lines written during ${step.id})`, analysis: analyzeCbsLogText(newCbs) }]
    logs.dismOutput = [{ source: `output of ${built.command.commandLine}`, facts: parseDismOutput(stdout) }]
    // The code comes from the step's exit code, not from a person: say so in the evidence.
    const source = `exit code of ${built.command.commandLine}`
    findings = diagnoseCore({ snapshot, logs, code }, null)
      .findings.filter((f) => f.severity !== 'info')
      .slice(0, 3)
      .map((f) => ({
        ...f,
        evidence: f.evidence.map((e) => (e.source === 'the code you entered' ? { ...e, source } : e)),
      }))
  } catch {
    findings = []
  }
  return { kind: 'failed', code, message, diagnosis: findings, evidence }
}

async function readAll(host: Host, path: string): Promise<string> {
  let stream: FileChunks
  try {
    stream = await host.openRead(path)
  } catch {
    return ''
  }
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)))
  return Buffer.concat(chunks).toString('utf8')
}

/** The steps this restart follows all ended without changing the PC (not applicable, or already installed). */
function changedNothing(journal: Journal, step: PlanStep): boolean {
  if (!step.dependsOn.length) return false
  return step.dependsOn.every((d) => {
    const r = journal.results[d]
    return r !== undefined && (r.kind === 'not-applicable' || r.kind === 'already-installed')
  })
}

/** The step before a restart installed these KBs: are any still waiting for the restart? */
async function restartNeeded(host: Host, journal: Journal, step: PlanStep): Promise<boolean> {
  const before = journal.plan.steps.find((s) => s.id === step.dependsOn[0])
  if (!before || before.kbs.length === 0) return true
  const level = await readServicingLevel(host, journal.plan.scope).catch(() => null)
  if (!level) return true
  return before.kbs.some((kb) => kbState(level, kb) !== 'installed')
}

/**
 * Decides an interrupted step from the machine's state: installed → already-installed; pending →
 * restart-required; a restart whose packages are all installed → ok; otherwise null (run it again —
 * DISM rolls back an interrupted add, so a second run is safe).
 */
async function recheckStep(host: Host, journal: Journal, step: PlanStep): Promise<StepResult | null> {
  const scope = journal.plan.scope
  let level: ServicingLevel | null = null
  try {
    level = await readServicingLevel(host, scope)
  } catch {
    return null
  }
  const question = ruleFor('install', step.kind)
  switch (question) {
    case 'package-state': {
      const states = step.kbs.map((kb) => kbState(level, kb))
      if (states.every((s) => s === 'installed')) return { kind: 'already-installed' }
      if (states.every((s) => s !== 'absent')) return { kind: 'restart-required' }
      return null
    }
    case 'restart-done':
      return (await restartNeeded(host, journal, step)) ? null : { kind: 'ok' }
    // The image is serviceable while mounted: a mount that took effect, or an unmount that did not.
    case 'mount-folder':
      return step.kind === 'mount-image'
        ? level.available
          ? { kind: 'ok' }
          : null
        : level.available
          ? null
          : { kind: 'ok' }
    case 'runs-again':
      return null
    case 'winre-state':
    case 'disk-layout':
    case 'esp-mounted':
    case 'index-committed':
    case 'export-present':
    case 'swm-present':
      throw new Error(`An install step is never re-checked by ${question}.`)
    default:
      return assertNever(question)
  }
}

function resumeNote(journal: Journal): string {
  const done = journal.plan.steps.filter((s) => {
    const r = journal.results[s.id]
    return r && stepSucceeded(r)
  }).length
  const open = journal.plan.steps.find((s) => interrupted(journal, s.id))
  return `Resumed with ${done} of ${journal.plan.steps.length} steps done${open ? `; ${open.id} was interrupted and is re-checked first` : ''}.`
}
