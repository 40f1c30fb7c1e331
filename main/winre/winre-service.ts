/**
 * The WinRE service: report (health + the repair the user would confirm) and run (the confirmed repair,
 * then a re-scan that proves WinRE is enabled, on a partition with room, at the expected version).
 *
 * A repair runs only by the id the user saw, and only if re-planning on the machine as it is now gives
 * the very same commands; otherwise the user is asked to look again.
 *
 * Every run keeps a journal (run-journal.ts, `<id>.run.json`). A run that did not reach its end (the
 * process was killed, the PC lost power, or it was cancelled between steps) is resumed, not re-planned:
 * the report then shows that repair and where it stopped, and running its id again continues it from the
 * journal (repair-runner.ts decides per step what an interrupted step needs). The "same commands as
 * re-planning now" check applies only to a run that has not started: after a crash between
 * `reagentc /disable` and `/enable`, re-planning on the changed machine gives other commands, and the
 * journal, not a new plan, knows what is left. A fresh plan is offered again once the journal is finished
 * (completed or failed) or abandoned (`abandon`). While a run journal is damaged, no new repair starts.
 */
import { pcPathFor } from '../host/pc-path.ts'
import { mkdirSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { copyFailure, writeFileAtomicSync } from '../atomic-write.ts'
import type { Host } from '../host/host.ts'
import { AppError, type AppErrorCode } from '../errors.ts'
import type { MachineArch, MachineRef } from '../../preload/model/common.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import {
  WinreRepairSchema,
  WINRE_REQUIRED_FREE_BYTES,
  type WinreInterrupted,
  type WinreJournal,
  type WinreReport,
  type WinreRepair,
  type WinreRun,
} from '../../preload/model/winre.ts'
import { parseWinreVersion } from '../knowledge/winre-targets.ts'
import { humanizeCitations } from '../knowledge/citations.ts'
import { assessWinre } from '../diagnose/winre-health.ts'
import { planWinreRepair, type SafeOsPackage } from './repair-plan.ts'
import { runWinreRepair, type RunOptions } from './repair-runner.ts'
import { winreRepairProblems } from './step-builder.ts'
import { writeTrainingKit } from '../install/training-kit.ts'
import { WORK_DIR } from '../machine/winre-commands.ts'
import {
  acquireMachineLock,
  acquireRunLock,
  liveRunLockHolder,
  machineLockName,
  RunLockBusyError,
  type RunLock,
} from '../install/run-lock.ts'
import {
  type WinreJournalError,
  WinreJournalStore,
  describeInterruption,
  isUnfinished,
  withEntry,
} from './run-journal.ts'

export interface WinreServiceDeps {
  dataDir: string
  scan(ref: MachineRef): Promise<MachineSnapshot>
  hostFor(ref: MachineRef): Host
  /** Finds the Safe OS update file for a KB and architecture (a kit, the download cache, the local Catalog). */
  safeOsPackage?: (kb: string, arch: MachineArch, ref: MachineRef) => SafeOsPackage | null
  now?: () => Date
}

/** A WinRE error meant for the person (an AppError, so every front end shows its code and message). */
export class WinreServiceError extends AppError {
  constructor(code: AppErrorCode, message: string) {
    super(code, message)
    this.name = 'WinreServiceError'
  }
}

/** `<machine>-winre-`: a repair id's start (the name cut so the whole id stays within 80 characters). */
function idPrefix(machineName: string): string {
  return `${machineName.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 52)}-winre-`
}
const REPAIR_ID = /^(.+)-winre-[0-9a-f]{10}(?:-\d+)?$/

export function createWinreService(deps: WinreServiceDeps) {
  const dir = join(deps.dataDir, 'winre-repairs')
  const journals = new WinreJournalStore(deps.dataDir)
  const now = () => deps.now?.() ?? new Date()
  /** Repairs running in this process now (one of them is never given up under its own feet). */
  const active = new Set<string>()

  function packageFor(ref: MachineRef, snapshot: MachineSnapshot, kb: string | null): SafeOsPackage | null {
    if (!kb) return null
    const arch = snapshot.os.status === 'known' ? snapshot.os.value.nativeArch : null
    if (!arch) return null
    const found = deps.safeOsPackage?.(kb, arch, ref) ?? null
    if (found) return found
    // A snapshot of another PC: its repair runs there, as the fix package, which carries the Safe OS file and copies
    // it to this Windows path first (fix-package-service.ts). The plan shows that path, never this computer's folder.
    if (ref.kind === 'snapshot')
      return {
        kb,
        fileName: `${kb}-${arch}.cab`,
        path: `${WORK_DIR}\\${kb}-${arch}.cab`,
        source: 'download-cache',
      }
    if (ref.kind !== 'training') return null
    // A training machine gets the local Catalog's own file, with the Catalog's hashes: the runner re-hashes
    // it right before the step that adds it (safe-os-verify.ts), as on a real PC. No file, no Safe OS step.
    const f = writeTrainingKit(join(deps.dataDir, 'kits', 'winre', `${kb}-${arch}`), kb, arch).find((p) => p.kb === kb)
    return f
      ? {
          kb,
          fileName: f.fileName,
          path: f.path,
          source: 'local-catalog',
          sha1: f.sha1 ?? null,
          sha256: f.sha256 ?? null,
          sizeBytes: f.sizeBytes ?? null,
        }
      : null
  }

  /**
   * The repair for the machine as scanned. Its id is the machine's name and a hash of what the repair does
   * (its commands, the expected version, the machine), so looking again at an unchanged machine gives the same
   * id and nothing needs to be saved to run it later: `repair(id)` re-plans and runs only when the ids agree.
   * An id whose run journal exists (that repair already ran) is taken: the next one gets `-2`, `-3`, …
   */
  function plan(ref: MachineRef, snapshot: MachineSnapshot): { health: WinreReport['health']; repair: WinreRepair } {
    const health = assessWinre(snapshot)
    const t = now()
    let elevated: boolean | null = null
    if (ref.kind !== 'snapshot') {
      try {
        elevated = deps.hostFor(ref).info().elevated
      } catch {
        elevated = null
      }
    }
    const args = {
      createdAt: t.toISOString(),
      ref,
      health,
      snapshot,
      elevated,
      safeOsPackage: health.expected.verdict === 'stale' ? packageFor(ref, snapshot, health.expected.kb) : null,
    }
    const planned = planWinreRepair({ ...args, id: 'draft', pcPath: pcPathFor(ref, deps.dataDir) })
    // Human text names its sources, never our keys ([S21] → the source's title).
    const draft: WinreRepair = {
      ...planned,
      steps: planned.steps.map((x) => ({ ...x, explanation: humanizeCitations(x.explanation) })),
      warnings: planned.warnings.map(humanizeCitations),
      notes: planned.notes.map(humanizeCitations),
      manual: planned.manual.map((m) => ({ ...m, detail: humanizeCitations(m.detail) })),
    }
    const base = `${idPrefix(snapshot.origin.name)}${createHash('sha1')
      .update(
        JSON.stringify([ref, draft.expected, draft.refused, draft.steps.map((x) => [x.command.file, x.command.args])]),
      )
      .digest('hex')
      .slice(0, 10)}`
    let id = base
    for (let n = 2; journals.exists(id); n++) id = `${base}-${n}`
    return { health, repair: { ...draft, id } }
  }

  function save(repair: WinreRepair): void {
    try {
      mkdirSync(dir, { recursive: true })
    } catch (err) {
      throw copyFailure(join(dir, `${repair.id}.json`), err, `WinRE repair ${repair.id}`)
    }
    writeFileAtomicSync(join(dir, `${repair.id}.json`), JSON.stringify(repair, null, 1), {
      what: `WinRE repair ${repair.id}`,
    })
  }

  function load(id: string): WinreRepair {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw new WinreServiceError('invalid-input', `Invalid repair id '${id}'.`)
    const f = join(dir, `${id}.json`)
    if (!existsSync(f))
      throw new WinreServiceError(
        'not-found',
        `No WinRE repair with id '${id}'. Look at the machine again (servicing-desk winre).`,
      )
    let json: unknown
    try {
      json = JSON.parse(readFileSync(f, 'utf8'))
    } catch {
      throw new WinreServiceError('invalid-input', `The saved repair ${id} is damaged (not JSON).`)
    }
    const parsed = WinreRepairSchema.safeParse(json)
    if (!parsed.success)
      throw new WinreServiceError(
        'invalid-input',
        `The saved repair ${id} is damaged or from another version of Servicing Desk.`,
      )
    const problems = winreRepairProblems(parsed.data, pcPathFor(parsed.data.machine.ref, deps.dataDir))
    if (problems.length)
      throw new WinreServiceError(
        'invalid-input',
        `The saved repair ${id} is not what Servicing Desk builds, so nothing in it runs: ${problems[0]}`,
      )
    return parsed.data
  }

  const damagedMessage = (damaged: WinreJournalError[]) =>
    `${damaged[0].message} It may record an interrupted repair (WinRE could be off), so no new WinRE repair starts until it is looked at: ` +
    'check WinRE with `reagentc /info`, then move the file away to plan afresh.'

  /** The report for a scanned machine: an unfinished run's repair (to finish it), or a new plan (saved, so the confirmed one is the one that runs). */
  function reportFor(ref: MachineRef, snapshot: MachineSnapshot): WinreReport {
    if (ref.kind === 'snapshot') return { ...plan(ref, snapshot), interrupted: null }
    const { journals: all, damaged } = journals.all()
    const open = newestUnfinished(all, ref)
    if (open) return { health: assessWinre(snapshot), repair: open.repair, interrupted: describeInterruption(open) }
    // Read-only: nothing is written (the repair is planned again, to the same id, when it is run).
    const r = plan(ref, snapshot)
    const repair: WinreRepair = damaged.length ? { ...r.repair, steps: [], refused: damagedMessage(damaged) } : r.repair
    return { health: r.health, repair, interrupted: null }
  }

  function newestUnfinished(all: WinreJournal[], ref: MachineRef): WinreJournal | null {
    const key = JSON.stringify(ref)
    return (
      all
        .filter((j) => isUnfinished(j) && JSON.stringify(j.machine) === key)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0] ?? null
    )
  }

  /** Health and the repair for a machine; when a run was interrupted, that run's repair and where it stopped. */
  async function report(ref: MachineRef): Promise<WinreReport> {
    return reportFor(ref, await deps.scan(ref))
  }

  /** Proves the result: enabled, on a partition (not C:) with 250 MB free, at (or above) the expected version. */
  function verify(repair: WinreRepair, snapshot: MachineSnapshot): NonNullable<WinreRun['verification']> {
    const f = snapshot.winre.status === 'known' ? snapshot.winre.value : null
    const rp = f?.recoveryPartition ?? null
    const after = {
      status: f?.status ?? 'unknown',
      version: f?.version ?? null,
      freeBytes: rp?.freeBytes ?? null,
      partition: rp?.partition ?? null,
    }
    const problems: string[] = []
    if (!f)
      problems.push(
        `WinRE could not be read after the repair (${snapshot.winre.status === 'unknown' ? snapshot.winre.error : ''})`,
      )
    else {
      if (f.status !== 'enabled') problems.push(`WinRE is ${f.status}`)
      if (!rp || rp.position === 'same') problems.push('WinRE is not on a recovery partition')
      else if (rp.freeBytes === null || rp.freeBytes < WINRE_REQUIRED_FREE_BYTES)
        problems.push(
          `the recovery partition has ${rp.freeBytes === null ? 'unknown' : `${Math.round(rp.freeBytes / 1048576)} MB`} free (needs 250 MB)`,
        )
      const want = parseWinreVersion(repair.expected.version)
      const have = parseWinreVersion(f.version)
      if (want && (!have || have[2] !== want[2] || have[3] < want[3]))
        problems.push(`WinRE is at ${f.version ?? 'an unknown version'}, expected ${repair.expected.version}`)
    }
    const verified = problems.length === 0
    const detail = verified
      ? `WinRE is enabled on disk ${rp!.disk} partition ${rp!.partition} with ${Math.round((rp!.freeBytes ?? 0) / 1048576)} MB free, at ${f!.version ?? 'its version'}.`
      : `Not verified: ${problems.join('; ')}.`
    return { verified, detail, after }
  }

  /**
   * Runs the repair the user confirmed, or finishes it when its run was interrupted, then re-scans and verifies.
   * A new run must match a re-plan of the machine as it is now; a resumed one follows its journal.
   */
  async function repair(
    ref: MachineRef,
    repairId: string,
    opts: RunOptions = {},
  ): Promise<WinreRun & { report: WinreReport }> {
    if (ref.kind === 'snapshot')
      throw new WinreServiceError('unsupported', 'A snapshot from another PC is read-only: run the repair on that PC.')
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(repairId))
      throw new WinreServiceError('invalid-input', `Invalid repair id '${repairId}'.`)
    // One process per repair (run-lock.ts): taken before the journal is read or created, released however
    // the run ends; a stale lock (a killed run) is taken over quietly.
    // One servicing operation per PC (run-lock.ts, machine lock) first, then the repair's own lock.
    const machineName = machineLockName(ref)
    let machineLock: RunLock | null = null
    let lock: RunLock | null = null
    try {
      lock = acquireRunLock(journals.file(repairId), { what: `WinRE repair ${repairId}`, now })
      if (machineName) machineLock = acquireMachineLock(deps.dataDir, machineName, `the WinRE repair ${repairId}`, now)
    } catch (err) {
      lock?.release()
      if (err instanceof RunLockBusyError) throw new WinreServiceError('forbidden', err.message)
      throw err
    }
    try {
      return await repairLocked(ref, repairId, opts)
    } finally {
      machineLock?.release()
      lock.release()
    }
  }

  async function repairLocked(
    ref: MachineRef,
    repairId: string,
    opts: RunOptions,
  ): Promise<WinreRun & { report: WinreReport }> {
    let journal: WinreJournal
    if (journals.exists(repairId)) {
      try {
        journal = journals.load(repairId)
      } catch (err) {
        throw new WinreServiceError(
          'failed',
          `${(err as Error).message} Nothing was run: check WinRE with \`reagentc /info\`, then move the file away and look at the machine again.`,
        )
      }
      if (JSON.stringify(journal.machine) !== JSON.stringify(ref))
        throw new WinreServiceError('invalid-input', `Repair ${repairId} was made for another machine.`)
      if (!isUnfinished(journal))
        throw new WinreServiceError(
          'invalid-input',
          `Repair ${repairId} already ran to its end (${journal.status}); look at the machine again for a new repair.`,
        )
    } else {
      const { journals: all, damaged } = journals.all()
      if (damaged.length) throw new WinreServiceError('failed', damagedMessage(damaged))
      const open = newestUnfinished(all, ref)
      if (open)
        throw new WinreServiceError(
          'invalid-input',
          `${describeInterruption(open)!.message} Repair ${open.repairId} must be finished first (or abandoned: servicing-desk winre repair --abandon).`,
        )
      const named = REPAIR_ID.exec(repairId)
      if (!named)
        throw new WinreServiceError(
          'not-found',
          `No WinRE repair with id '${repairId}'. Look at the machine again (servicing-desk winre).`,
        )
      const snapshot = await deps.scan(ref)
      if (!repairId.startsWith(idPrefix(snapshot.origin.name)))
        throw new WinreServiceError('invalid-input', `Repair ${repairId} was made for another machine.`)
      // The id is a hash of the commands: the same id now means the very commands the person confirmed.
      const fresh = plan(ref, snapshot).repair
      if (fresh.id !== repairId)
        throw new WinreServiceError(
          'invalid-input',
          'The machine changed since this repair was shown; look at it again and confirm the new commands.',
        )
      if (fresh.refused) throw new WinreServiceError('invalid-input', `This repair cannot run: ${fresh.refused}`)
      if (fresh.steps.length === 0)
        throw new WinreServiceError('invalid-input', 'This repair has no steps: there is nothing to run.')
      save(fresh)
      journal = journals.create(fresh, ref, now())
      opts.checkpointHook?.('journal:created')
    }
    active.add(repairId)
    let out: Awaited<ReturnType<typeof runWinreRepair>>
    try {
      out = await runWinreRepair(
        journal,
        { host: deps.hostFor(ref), journals, scan: () => deps.scan(ref), verify, pcPath: pcPathFor(ref, deps.dataDir) },
        { ...opts, now: opts.now ?? deps.now },
      )
    } finally {
      active.delete(repairId)
    }
    const snapshot = out.snapshot ?? (await deps.scan(ref))
    return { ...out.run, report: reportFor(ref, snapshot) }
  }

  /**
   * Gives up an unfinished run (the person finished it by hand, or it cannot be finished): the next report
   * plans anew. Nothing on the machine changes. Without `repairId` (the CLI) it is the newest unfinished run on
   * the machine; with one (the Recovery screen), exactly that run, and only while it is interrupted: a repair
   * that does not exist, never ran, already ended, belongs to another machine or is running now is refused.
   */
  function abandon(ref: MachineRef, repairId?: string): WinreInterrupted {
    if (ref.kind === 'snapshot') throw new WinreServiceError('unsupported', 'A snapshot from another PC is read-only.')
    let open: WinreJournal | null
    if (repairId === undefined) {
      open = newestUnfinished(journals.all().journals, ref)
      if (!open) throw new WinreServiceError('not-found', 'No interrupted WinRE repair on this machine.')
    } else {
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(repairId))
        throw new WinreServiceError('invalid-input', `Invalid repair id '${repairId}'.`)
      if (!journals.exists(repairId)) {
        if (!REPAIR_ID.test(repairId))
          throw new WinreServiceError('not-found', `No WinRE repair with id '${repairId}'. Look at the machine again.`)
        throw new WinreServiceError(
          'invalid-input',
          `Repair ${repairId} was never run, so it is not interrupted: there is nothing to give up.`,
        )
      }
      try {
        open = journals.load(repairId)
      } catch (err) {
        throw new WinreServiceError(
          'failed',
          `${(err as Error).message} It was not given up: check WinRE with \`reagentc /info\`, then move the file away and look at the machine again.`,
        )
      }
      if (JSON.stringify(open.machine) !== JSON.stringify(ref))
        throw new WinreServiceError('invalid-input', `Repair ${repairId} was made for another machine.`)
      if (!isUnfinished(open)) {
        throw new WinreServiceError(
          'invalid-input',
          open.status === 'abandoned'
            ? `Repair ${repairId} was given up already; look at the machine again for a new repair.`
            : `Repair ${repairId} is not interrupted: it ran to its end (${open.status}). Look at the machine again for a new repair.`,
        )
      }
    }
    const holder = liveRunLockHolder(journals.file(open.repairId))
    if (active.has(open.repairId) || holder)
      throw new WinreServiceError(
        'invalid-input',
        `Repair ${open.repairId} is running now${holder && holder.pid !== process.pid ? ` (process ${holder.pid})` : ''}; it can be given up only after it stops.`,
      )
    const where = describeInterruption(open)!
    journals.save(
      withEntry(
        open,
        {
          phase: 'ended',
          at: now().toISOString(),
          status: 'abandoned',
          note: 'Abandoned: the next report plans a new repair from a fresh scan.',
        },
        'abandoned',
      ),
    )
    return where
  }

  return { report, repair, abandon, load, verify, journals }
}

export type WinreService = ReturnType<typeof createWinreService>
