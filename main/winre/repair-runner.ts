/**
 * Runs a WinRE repair's steps through the Host, in order, stopping at the first failure (nothing after a
 * failed step runs: a resize half-done must not be followed by an enable), with a run journal
 * (run-journal.ts) written before and after every step, so a crash or a kill resumes where it stopped.
 *
 * Why not the install executor: its Plan needs at least one KB target and verifies by installed packages,
 * its step kinds have no reagentc/diskpart steps, and its re-check after a crash asks "is the package
 * installed?", which says nothing about a partition resize. A WinRE repair is verified by a re-scan of
 * WinRE instead (winre-service.ts), and an interrupted step is re-checked against WinRE's status, the
 * disk layout and the mount folder (below). The steps are the install plan's step format, and the journal
 * follows the install journal's rules (atomic rewrite, before and after every step, never re-running a
 * finished step).
 *
 * Resume rule for a step the journal shows as started with no recorded end (the process died while it
 * ran, or after it ran but before its end was written), decided per command, because only some commands
 * can simply run again:
 * - `reagentc /disable` and `/enable`: idempotent in effect, but reagentc answers "already disabled" with
 *   a failure code, so the machine is asked first: WinRE already in the wanted state → the step is recorded
 *   as done (re-checked); otherwise it runs again.
 * - `diskpart /s` (shrink Windows, delete and re-create the recovery partition) is NOT repeatable: a second
 *   run would shrink Windows again and delete the partition the first run created. The disk is scanned and
 *   compared with the layout the repair was planned on and the layout it predicts: as planned-after → done,
 *   never run again; as before → it did not start, run it; anything else (diskpart stopped partway), or
 *   partitions that cannot be read → the run stops as failed, nothing more runs, and the person finishes
 *   by hand (KB5028997) and looks again.
 * - DISM `/Mount-Image`: done when the mount folder is not empty; `/Unmount-Image`: done when it is empty;
 *   otherwise they run again (a second mount of a mounted folder would fail).
 * - Everything else runs again: `reagentc /info` and `DISM /Get-ImageInfo` only read; writing the diskpart
 *   script overwrites the same file; the mount folder is created with -Force; DISM answers an update that
 *   is already in the image with "already installed"; /Cleanup-Image /ResetBase on a clean image does nothing.
 *
 * What runs is the command builder's (step-builder.ts), derived from each step's op when it runs, never the
 * `command` a journal file stores; a journal whose repair is not the builder's is refused before anything runs.
 *
 * Cancelling takes effect between steps: a command is never stopped halfway (a diskpart or reagentc cut
 * in the middle is exactly the state this journal exists to avoid). A cancelled run is resumable.
 */
import type { PcPath } from '../host/pc-path.ts'
import type { Host } from '../host/host.ts'
import type { StepCommand } from '../../preload/model/plan.ts'
import type { Disk, MachineSnapshot } from '../../preload/model/snapshot.ts'
import type {
  WinreJournal,
  WinreJournalEntry,
  WinreJournalStatus,
  WinreRepair,
  WinreRepairStep,
  WinreRun,
  WinreStepRun,
} from '../../preload/model/winre.ts'
import { attempts, interruptedStep, stepResults, withEntry, type WinreJournalStore } from './run-journal.ts'
import { RESIZE_MB, buildWinreStep, winreRepairProblems } from './step-builder.ts'
import { verifySafeOsPackage } from './safe-os-verify.ts'
import { runSteps, type EngineStep, type RunJournal } from '../runner/engine.ts'
import { ruleFor } from '../runner/resume-rules.ts'

const MB = 1024 * 1024

export interface RunOptions {
  signal?: AbortSignal
  onStep?: (stepId: string, phase: 'started' | 'finished', run?: WinreStepRun) => void
  /** Test hook, called at every boundary: after each journal write and after each command returns. */
  checkpointHook?: (point: string) => void
  now?: () => Date
}

export interface RunDeps {
  host: Host
  journals: WinreJournalStore
  /** A fresh scan of the machine (for re-checks and the final verification). */
  scan: () => Promise<MachineSnapshot>
  verify: (repair: WinreRepair, snapshot: MachineSnapshot) => NonNullable<WinreRun['verification']>
  /** How the machine names this computer's package file (host/pc-path.ts). */
  pcPath?: PcPath
}

export interface RunOutcome {
  journal: WinreJournal
  run: WinreRun
  /** The scan taken for the verification (null when the run did not get that far). */
  snapshot: MachineSnapshot | null
}

type Recheck = { kind: 'done' | 'stop'; note: string } | { kind: 'rerun'; note: string }

/** Runs (or resumes) a journal's repair to its end, a failure, or a cancellation. */
export async function runWinreRepair(start: WinreJournal, deps: RunDeps, opts: RunOptions = {}): Promise<RunOutcome> {
  const repair = start.repair
  if (repair.refused) throw new Error(`This repair cannot run: ${repair.refused}`)
  const problems = winreRepairProblems(repair, deps.pcPath)
  if (problems.length)
    throw new Error(
      `This repair is not what Servicing Desk builds, so nothing in it runs: ${problems.slice(0, 2).join(' ')}`,
    )
  const now = () => (opts.now?.() ?? new Date()).toISOString()
  const hook = opts.checkpointHook ?? (() => {})
  let journal = start
  const resumed =
    journal.entries.some((e) => e.phase === 'started' || e.phase === 'finished') || journal.status === 'cancelled'
  let snapshot: MachineSnapshot | null = null

  const write = (entry: WinreJournalEntry, status?: WinreJournalStatus) => {
    journal = withEntry(journal, entry, status)
    deps.journals.save(journal)
    hook(
      `journal:${entry.phase}${'stepId' in entry ? `:${entry.stepId}` : entry.phase === 'ended' ? `:${entry.status}` : ''}`,
    )
  }
  const outcome = (): RunOutcome => {
    const results = stepResults(journal)
    const status = journal.status === 'completed' ? 'completed' : journal.status === 'failed' ? 'failed' : 'cancelled'
    return {
      journal,
      snapshot,
      run: {
        repairId: repair.id,
        status,
        results: repair.steps.flatMap((s) => results.get(s.id) ?? []),
        runner: 'host-sequence',
        resumed,
        verification: journal.verification,
      },
    }
  }
  const finish = (status: WinreJournalStatus, note: string) => {
    write({ phase: 'ended', at: now(), status, note }, status)
    return outcome()
  }

  if (journal.status !== 'running' && journal.status !== 'cancelled') return outcome()

  // The journal as the engine writes it (the WinRE run journal's format: started / finished / resumed / ended).
  const port: RunJournal<WinreStepRun> = {
    resultOf: (id) => stepResults(journal).get(id),
    interrupted: (id) => interruptedStep(journal, id),
    verdict: (r) => (r.ok ? 'ok' : 'failed'),
    resumed: (note) => write({ phase: 'resumed', at: now(), note }, 'running'),
    rerunning: (s, note) => write({ phase: 'resumed', at: now(), note: `${s.id} was interrupted; ${note}` }),
    started: (s) => {
      write({ phase: 'started', at: now(), stepId: s.id, attempt: attempts(journal, s.id) + 1 })
      opts.onStep?.(s.id, 'started')
    },
    finished: (s, run) => {
      write({ phase: 'finished', at: now(), stepId: s.id, run })
      opts.onStep?.(s.id, 'finished', run)
    },
  }
  const steps = repair.steps.map((step): EngineStep<WinreStepRun> => {
    const built = buildWinreStep(repair, step, deps.pcPath)
    const settled = (ok: boolean, output: string, rechecked: boolean): WinreStepRun => ({
      stepId: step.id,
      commandLine: built.command.commandLine,
      exitCode: null,
      ok,
      durationMs: 0,
      output,
      rechecked,
    })
    let verifiedNote: string | null = null
    return {
      id: step.id,
      title: step.title,
      recheck: async () => {
        const r = await recheck(step, built.command, journal.repair, deps)
        return r.kind === 'rerun' ? r : { kind: r.kind, note: r.note, result: settled(r.kind === 'done', r.note, true) }
      },
      // The Safe OS package is hashed right before DISM adds it (safe-os-verify.ts): bytes swapped since the
      // download, or a file with no independent hash, end the run here and DISM never sees them.
      preflight:
        step.op === 'dism-add-package'
          ? async () => {
              const check = await verifySafeOsPackage(repair.safeOsPackage)
              if (!check.ok) return settled(false, check.detail, false)
              verifiedNote = check.detail
              return null
            }
          : // The resize's partition numbers are the live disk's: Windows is the OS partition and the
            // recovery partition is a recovery partition, as on the layout the repair was planned on; else nothing runs.
            step.op === 'write-diskpart-script' || step.op === 'diskpart'
            ? async () => {
                const problem = resizeLayoutProblem(repair, await deps.scan().catch(() => null))
                return problem ? settled(false, `${problem}; diskpart is not run.`, false) : null
              }
            : undefined,
      execute: async ({ run }) => {
        // No signal: a reagentc or diskpart stopped halfway is worse than waiting for it (cancel acts between steps).
        const r = await run({
          name: built.command.name,
          file: built.command.file,
          args: built.command.args,
          timeoutMs: built.command.timeoutMs,
          successExitCodes: built.successExitCodes,
          outputEncoding: 'console',
        })
        hook(`command:${step.id}`)
        timedOut.set(step.id, r.timedOut)
        const out = `${r.stdout}\n${r.stderr}`
          .split(/\r\n|\r|\n/)
          .map((l) => l.trimEnd())
          .filter((l) => l.trim() !== '')
        return {
          stepId: step.id,
          commandLine: built.command.commandLine,
          exitCode: r.exitCode,
          ok: r.ok,
          durationMs: r.durationMs,
          output: [...(verifiedNote ? [verifiedNote] : []), ...out.slice(-8)].join('\n'),
          rechecked: false,
        }
      },
    }
  })
  const timedOut = new Map<string, boolean>()

  // Before anything runs (reagentc /disable first of all): a resize whose partition numbers are not the live disk's
  // ends the run here, so WinRE is not left disabled by a repair that could never finish.
  const diskpart = repair.steps.find((st) => st.op === 'diskpart')
  if (diskpart && !stepResults(journal).has(diskpart.id) && !interruptedStep(journal, diskpart.id)) {
    const problem = resizeLayoutProblem(repair, await deps.scan().catch(() => null))
    if (problem) return finish('failed', `${problem}; nothing runs (diskpart would change the wrong partition).`)
  }

  const end = await runSteps({
    host: deps.host,
    steps,
    journal: port,
    resumed,
    signal: opts.signal,
    restartIsReal: false,
    resumeNote: () => resumeNote(journal),
    verify: async () => {
      snapshot = await deps.scan()
      journal = { ...journal, verification: deps.verify(repair, snapshot) }
    },
  })
  switch (end.kind) {
    case 'completed':
      return finish('completed', journal.verification!.detail)
    case 'failed-earlier':
      return finish(
        'failed',
        `Step ${end.step.id} failed earlier (exit ${end.result.exitCode}); nothing after it runs.`,
      )
    case 'cancelled':
    case 'paused':
    case 'restarting':
      return finish('cancelled', `Cancelled before ${end.step.id}; run the repair again to finish it.`)
    case 'failed':
      if (end.how === 'rechecked') return finish('failed', end.result.output)
      if (end.how === 'refused') return finish('failed', `${end.result.output} Nothing after it runs.`)
      return finish(
        'failed',
        `${end.step.id} failed (exit ${end.result.exitCode}${timedOut.get(end.step.id) ? ', timed out' : ''}); nothing after it runs.`,
      )
  }
}

function resumeNote(journal: WinreJournal): string {
  const results = stepResults(journal)
  const done = journal.repair.steps.filter(
    (s) => results.get(s.id)?.ok === true && !interruptedStep(journal, s.id),
  ).length
  const open = journal.repair.steps.find((s) => interruptedStep(journal, s.id))
  return `Resumed with ${done} of ${journal.repair.steps.length} steps done${open ? `; ${open.id} was interrupted and is re-checked first` : ''}.`
}

/** Decides an interrupted step from the machine as it is now (the rule is in the comment at the top). */
async function recheck(
  step: WinreRepairStep,
  command: StepCommand,
  repair: WinreRepair,
  deps: RunDeps,
): Promise<Recheck> {
  switch (ruleFor('winre-repair', step.op)) {
    case 'winre-state': {
      const want = step.op === 'reagentc-enable' ? 'enabled' : 'disabled'
      const snap = await deps.scan().catch(() => null)
      const status = snap?.winre.status === 'known' ? snap.winre.value.status : 'unknown'
      return status === want
        ? {
            kind: 'done',
            note: `Re-checked after a crash: WinRE is ${want}, so the interrupted ${command.commandLine} had taken effect; not run again.`,
          }
        : { kind: 'rerun', note: `WinRE is ${status}, so ${command.commandLine} runs again.` }
    }
    case 'disk-layout': {
      const snap = await deps.scan().catch(() => null)
      const disks = snap?.storage.status === 'known' ? snap.storage.value.disks : null
      const effect = diskpartEffect(repair, disks)
      if (effect.state === 'after')
        return {
          kind: 'done',
          note: `Re-checked after a crash: the disk is as the resize leaves it (${effect.detail}); diskpart is not run again.`,
        }
      if (effect.state === 'before')
        return { kind: 'rerun', note: `the disk is as it was before the resize (${effect.detail}), so diskpart runs.` }
      return {
        kind: 'stop',
        note:
          `diskpart was interrupted and the disk is ${effect.state === 'unknown' ? `not readable now (${effect.detail})` : `neither as it was nor as the resize leaves it (${effect.detail}): diskpart stopped partway`}. ` +
          'Running the script again could shrink Windows a second time or delete the wrong partition, so nothing more runs. ' +
          'Finish the resize by hand (KB5028997: create the recovery partition in the free space, format it, then reagentc /enable), then look at the machine again.',
      }
    }
    case 'mount-folder': {
      const dir = /^\/MountDir:(.+)$/i
        .exec(command.args.find((a) => /^\/MountDir:/i.test(a)) ?? '')?.[1]
        ?.replace(/^"|"$/g, '')
      if (!dir) return { kind: 'rerun', note: 'it runs again.' }
      const entries = await deps.host.listDir(dir).catch(() => [] as string[])
      const mounted = entries.length > 0
      if (step.op === 'dism-mount-image' && mounted)
        return {
          kind: 'done',
          note: `Re-checked after a crash: ${dir} holds the mounted image, so the mount had taken effect; not run again.`,
        }
      if (step.op === 'dism-unmount-image' && !mounted)
        return {
          kind: 'done',
          note: `Re-checked after a crash: ${dir} is empty, so the unmount had taken effect; not run again.`,
        }
      return { kind: 'rerun', note: `${dir} is ${mounted ? 'still mounted' : 'empty'}, so it runs again.` }
    }
    default:
      return { kind: 'rerun', note: 'it is safe to run again (it only reads, or writes the same result again).' }
  }
}

/**
 * Why the resize's numbers do not fit the disk as it is now (null when they do): the disk, the Windows partition
 * (role os) and the recovery partition (role recovery) it names must exist with those roles, and be the partitions
 * the repair was planned on (layoutBefore). A journal naming the OS partition as the recovery one never reaches diskpart.
 */
export function resizeLayoutProblem(repair: WinreRepair, snapshot: MachineSnapshot | null): string | null {
  const resize = repair.steps.find((s) => s.op === 'write-diskpart-script')?.resize ?? null
  if (!resize) return 'the repair names no resize'
  const planned = repair.layoutBefore
  if (!planned || planned.number !== resize.disk)
    return `the resize names disk ${resize.disk}, which is not the disk the repair was planned on`
  const role = (d: Disk, n: number) => d.partitions.find((p) => p.partitionNumber === n)?.role ?? null
  if (role(planned, resize.osPartition) !== 'os' || role(planned, resize.recoveryPartition) !== 'recovery') {
    return `the resize names partition ${resize.osPartition} as Windows and ${resize.recoveryPartition} as recovery, which is not the layout the repair was planned on`
  }
  const disks = snapshot?.storage.status === 'known' ? snapshot.storage.value.disks : null
  if (!disks) return "the partitions cannot be read now, so the resize's partition numbers cannot be checked"
  const live = disks.find((d) => d.number === resize.disk)
  if (!live) return `disk ${resize.disk} is not on the machine now`
  const os = role(live, resize.osPartition)
  const rec = role(live, resize.recoveryPartition)
  if (os !== 'os')
    return `partition ${resize.osPartition} of disk ${resize.disk} is ${os ? `a ${os} partition` : 'missing'} now, not Windows`
  if (rec !== 'recovery')
    return `partition ${resize.recoveryPartition} of disk ${resize.disk} is ${rec ? `a ${rec} partition` : 'missing'} now, not the recovery partition`
  return null
}

/** Where the disk stands against the resize: as planned on (`before`), as predicted after (`after`), or neither. */
export function diskpartEffect(
  repair: WinreRepair,
  disks: Disk[] | null,
): { state: 'before' | 'after' | 'neither' | 'unknown'; detail: string } {
  const before = repair.layoutBefore
  const after = repair.layoutAfter
  if (!before || !after) return { state: 'unknown', detail: 'the repair has no planned layout' }
  if (!disks) return { state: 'unknown', detail: 'the partitions could not be read' }
  const size = (d: Disk, n: number) => d.partitions.find((p) => p.partitionNumber === n)?.sizeBytes
  const os = before.partitions.find((p) => (size(after, p.partitionNumber) ?? p.sizeBytes) < p.sizeBytes)
  const rec = before.partitions.find((p) => (size(after, p.partitionNumber) ?? p.sizeBytes) > p.sizeBytes)
  const recAfter = rec && after.partitions.find((p) => p.partitionNumber === rec.partitionNumber)
  if (!os || !rec || !recAfter) return { state: 'unknown', detail: 'the planned layout names no resize' }
  const disk = disks.find((d) => d.number === before.number)
  if (!disk) return { state: 'unknown', detail: `disk ${before.number} was not found` }
  const near = (a: number, b: number, tol = MB) => Math.abs(a - b) <= tol
  const osNow = disk.partitions.find((p) => p.partitionNumber === os.partitionNumber)
  if (!osNow) return { state: 'neither', detail: `Windows partition ${os.partitionNumber} is missing` }
  const mb = (n: number) => `${Math.round(n / MB)} MB`
  const recs = disk.partitions.filter(
    (p) => p.role === 'recovery' && p.offsetBytes >= osNow.offsetBytes + osNow.sizeBytes,
  )
  const recDesc = recs.length
    ? recs
        .map(
          (p) =>
            `recovery partition ${p.partitionNumber} ${mb(p.sizeBytes)}${p.freeBytes === null ? ' unformatted' : ''}`,
        )
        .join(', ')
    : 'no recovery partition after it'
  const detail = `Windows partition ${osNow.partitionNumber} is ${mb(osNow.sizeBytes)}, planned on ${mb(os.sizeBytes)}; ${recDesc}`
  if (
    near(osNow.sizeBytes, os.sizeBytes) &&
    recs.some(
      (p) =>
        p.partitionNumber === rec.partitionNumber &&
        near(p.offsetBytes, rec.offsetBytes) &&
        near(p.sizeBytes, rec.sizeBytes),
    )
  ) {
    return { state: 'before', detail }
  }
  // Shrunk by the resize (not more), and a formatted recovery partition of the predicted size in the freed space.
  const shrunkOnce = near(osNow.sizeBytes, os.sizeBytes - RESIZE_MB * MB)
  const slack = 16 * MB
  if (
    shrunkOnce &&
    recs.some(
      (p) =>
        near(p.offsetBytes, recAfter.offsetBytes, slack) &&
        p.sizeBytes >= recAfter.sizeBytes - slack &&
        p.freeBytes !== null,
    )
  ) {
    return { state: 'after', detail }
  }
  return { state: 'neither', detail }
}
