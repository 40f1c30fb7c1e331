/**
 * MACHINE LOCK (one servicing operation per PC at a time) — the API other services use:
 *
 *   import { withMachineLock, machineLockName } from '../install/run-lock.ts'
 *   await withMachineLock(dataDir, machineLockName(ref), 'Repair restore-health', async (lock) => { … })
 *
 * - `machineLockName(ref)`: 'this-pc' for this PC, `training-<name>` for a training machine (each training
 *   machine is its own "PC"); snapshots never run anything and get no lock.
 * - The lock is `<dataDir>/machine-<name>.lock`, created atomically ('wx'), holding
 *   `{ pid, hostname, startedAt, what }`. Install (every plan), WinRE repairs and the repairs runner take it
 *   before their journal lock, so two plans, or an install and a WinRE repair, never run DISM at once.
 * - Refused with `RunLockBusyError` (code 'forbidden') whose message, one sentence, names the holder: what it
 *   is doing, its process (and computer) and since when. A stale lock (a dead process) is taken over quietly.
 * - A data folder that cannot be written (read-only drive, no permission, missing) throws `WriteFailure`
 *   with one plain sentence, never raw `EROFS`/`ENOENT` text.
 * - The lock is re-entrant inside one process for the same name only through `fn`: do not take it twice.
 *
 * One run at a time per journal: `<journal file>.lock`, created atomically (open with 'wx') before the
 * first step runs (or before a resume) and deleted when the run ends in any way. Used by the install
 * service (one per plan journal) and the WinRE service (one per run journal), so the Electron app and a
 * CLI, or two CLIs, never run DISM / diskpart for the same plan at once.
 *
 * The file holds `{ pid, hostname, startedAt }`:
 * - pid + hostname, because a pid means something only on the machine that issued it: the data folder can
 *   be shared (a network home), and a pid from another computer cannot be checked here, so such a lock is
 *   honoured (refused) and the message names the computer.
 * - A lock is stale when its process is gone (`process.kill(pid, 0)` → ESRCH) on this host, or when the
 *   file is not a readable lock (a crash while writing it). A run that was SIGKILLed or lost power leaves
 *   exactly that, and the crash-resume rule is "run it again and it continues": so a stale lock is taken
 *   over quietly (the caller may note it in its journal or log), never reported as an error. EPERM means
 *   the process exists but belongs to someone else: it is alive.
 * - A pid reused by an unrelated process after a crash makes the lock look held; the message names the
 *   pid (one sentence, no path of the data folder); the lock file is in the error's details, for a log.
 *
 * Taking over, and creating the file whole, are main/lock-file.ts (shared with the download cache's entry locks).
 *
 * Mutation score (Stryker, `npm run mutate -- main/install/run-lock.ts`, tests: run-lock-guards, run-lock-faults,
 * run-lock, run-lock-created-whole, machine-lock and winre/run-lock): 87.6% (226 killed, 25 survived, 7 not reached,
 * 2026-11-23; not reached: the unlink race after the re-read; survivors: close calls, equivalent guards, wording).
 */
import { hostname as osHostname } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../errors.ts'
import { isLockHolderAlive, readLockOwner, tryLockFile, type HeldLock, type LockOwner } from '../lock-file.ts'
import type { MachineRef } from '../../preload/model/common.ts'

export type RunLockOwner = LockOwner

export type RunLock = HeldLock

/** Another live process holds the lock: nothing was run. */
export class RunLockBusyError extends AppError {
  readonly holder: RunLockOwner
  readonly file: string
  constructor(message: string, holder: RunLockOwner, file: string) {
    super('forbidden', message, { holder, lockFile: file })
    this.name = 'RunLockBusyError'
    this.holder = holder
    this.file = file
  }
}

export interface RunLockOptions {
  /** What is locked, for the message: "This plan", "This WinRE repair". */
  what?: string
  now?: () => Date
}

/** The lock file of a journal file. */
export function lockFileFor(journalFile: string): string {
  return `${journalFile}.lock`
}

/** The lock's owner, or null when the file is missing or not a readable lock. */
export const readRunLock = readLockOwner

/** Is the lock's process running? A pid of another computer cannot be checked: it counts as running. */
export const isHolderAlive = isLockHolderAlive

/** The live holder of a journal's lock, or null (no lock, or a stale one). */
export function liveRunLockHolder(journalFile: string): RunLockOwner | null {
  const owner = readRunLock(lockFileFor(journalFile))
  return owner && isHolderAlive(owner) ? owner : null
}

function busy(file: string, holder: RunLockOwner, what: string, machine: string | null): RunLockBusyError {
  // One sentence, without the lock file's path (it is in the error's details, for a log): a person is told who is
  // at it and what to do; a dead holder's lock never reaches here, it is taken over.
  const where =
    holder.hostname === osHostname() ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.hostname}`
  if (machine !== null) {
    return new RunLockBusyError(
      `${what} was not started: ${machine === 'this-pc' ? 'this PC' : `machine ${machine}`} is busy with ${holder.what ?? 'another servicing operation'} (${where}, since ${holder.startedAt}); one servicing operation runs per PC at a time, so wait for it to end or stop it.`,
      holder,
      file,
    )
  }
  return new RunLockBusyError(
    `${what} is already running in ${where} since ${holder.startedAt}; wait for it or stop it.`,
    holder,
    file,
  )
}

/**
 * Takes the lock of a journal file, or throws RunLockBusyError when a live process holds it. A stale
 * lock is taken over (see the top of this file). Release it in a `finally`.
 */
export function acquireRunLock(journalFile: string, opts: RunLockOptions = {}): RunLock {
  return acquireLockFile(lockFileFor(journalFile), opts.what ?? 'This plan', null, opts.now)
}

function acquireLockFile(file: string, what: string, machine: string | null, now?: () => Date): RunLock {
  const got = tryLockFile(file, what, { recordWhat: machine !== null, now })
  if ('holder' in got) throw busy(file, got.holder, what, machine)
  return got.lock
}

/** Runs `fn` holding the lock of a journal file; the lock is released however `fn` ends. */
export async function withRunLock<T>(
  journalFile: string,
  opts: RunLockOptions,
  fn: (lock: RunLock) => Promise<T>,
): Promise<T> {
  const lock = acquireRunLock(journalFile, opts)
  try {
    return await fn(lock)
  } finally {
    lock.release()
  }
}

/** The machine-lock name of a machine: 'this-pc', `training-<name>`; null for a snapshot (it runs nothing). */
export function machineLockName(ref: MachineRef): string | null {
  if (ref.kind === 'this-pc') return 'this-pc'
  if (ref.kind === 'training') return `training-${ref.name}`
  // A PC over PowerShell remoting: one run at a time on it from this computer.
  if (ref.kind === 'remote') return `remote-${ref.computer.toLowerCase()}`
  return null
}

/** The machine lock file: `<dataDir>/machine-<name>.lock`. */
export function machineLockFile(dataDir: string, machineName: string): string {
  if (!/^[a-z0-9-]{1,80}$/.test(machineName))
    throw new AppError('invalid-input', `Invalid machine lock name '${machineName}'.`)
  return join(dataDir, `machine-${machineName}.lock`)
}

/**
 * Takes the machine-wide lock (see the top of this file): throws RunLockBusyError naming the holder when
 * another live process runs a servicing operation on the same machine, WriteFailure (one sentence) when the
 * data folder cannot be written. Release it in a `finally`.
 */
export function acquireMachineLock(dataDir: string, machineName: string, what: string, now?: () => Date): RunLock {
  return acquireLockFile(machineLockFile(dataDir, machineName), what, machineName, now)
}

/** The live holder of a machine's lock, or null. */
export function liveMachineLockHolder(dataDir: string, machineName: string): RunLockOwner | null {
  const owner = readRunLock(machineLockFile(dataDir, machineName))
  return owner && isHolderAlive(owner) ? owner : null
}

/** Runs `fn` holding the machine lock; released however `fn` ends. */
export async function withMachineLock<T>(
  dataDir: string,
  machineName: string,
  what: string,
  fn: (lock: RunLock) => Promise<T>,
): Promise<T> {
  const lock = acquireMachineLock(dataDir, machineName, what)
  try {
    return await fn(lock)
  } finally {
    lock.release()
  }
}
