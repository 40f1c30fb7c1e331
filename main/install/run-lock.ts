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
 * - Refused with `RunLockBusyError` (code 'forbidden') whose message names the holder: what it is doing,
 *   its process (and computer) and since when. A stale lock (a dead process) is taken over quietly.
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
 *   pid and the lock file, so the person can check and delete it.
 *
 * Taking over: the stale file is re-read just before it is unlinked (so a lock that another process has
 * just taken over is not removed), then created again with 'wx' once; losing that race means another
 * process now holds a fresh lock, which is then judged like any other (refused).
 *
 * Mutation score (Stryker, `npm run mutate -- main/install/run-lock.ts`, tests: run-lock-guards, run-lock-faults,
 * run-lock, run-lock-created-whole, machine-lock and winre/run-lock): 87.6% (226 killed, 25 survived, 7 not reached,
 * 2026-11-23; not reached: the unlink race after the re-read; survivors: close calls, equivalent guards, wording).
 */
import { openSync, writeSync, closeSync, readFileSync, unlinkSync, mkdirSync, linkSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { hostname as osHostname } from 'node:os'
import { dirname, join } from 'node:path'
import { AppError } from '../errors.ts'
import { copyFailure } from '../atomic-write.ts'
import type { MachineRef } from '../../preload/model/common.ts'

export interface RunLockOwner {
  pid: number
  hostname: string
  startedAt: string
  /** What the holder is doing ("Plan …", "WinRE repair …"); in machine locks. */
  what?: string
}

export interface RunLock {
  readonly file: string
  readonly owner: RunLockOwner
  /** Set when a stale lock (a dead process, or a damaged file) was taken over: a plain sentence for a log. */
  readonly tookOver: string | null
  /** Deletes the lock (only if it is still this one); safe to call twice. */
  release(): void
}

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
export function readRunLock(file: string): RunLockOwner | null {
  let raw: string
  try { raw = readFileSync(file, 'utf8') } catch { return null }
  return parseOwner(raw)
}

function parseOwner(raw: string): RunLockOwner | null {
  let json: unknown
  try { json = JSON.parse(raw) } catch { return null }
  if (!json || typeof json !== 'object') return null
  const o = json as Record<string, unknown>
  if (!Number.isInteger(o.pid) || (o.pid as number) <= 0 || typeof o.hostname !== 'string' || typeof o.startedAt !== 'string') return null
  const owner: RunLockOwner = { pid: o.pid as number, hostname: o.hostname, startedAt: o.startedAt }
  if (typeof o.what === 'string') owner.what = o.what.slice(0, 200)
  return owner
}

/** Is the lock's process running? A pid of another computer cannot be checked: it counts as running. */
export function isHolderAlive(owner: RunLockOwner): boolean {
  if (owner.hostname !== osHostname()) return true
  try { process.kill(owner.pid, 0); return true } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The live holder of a journal's lock, or null (no lock, or a stale one). */
export function liveRunLockHolder(journalFile: string): RunLockOwner | null {
  const owner = readRunLock(lockFileFor(journalFile))
  return owner && isHolderAlive(owner) ? owner : null
}

/**
 * Creates the lock WHOLE: the owner is written to a temp file of our own first, then hard-linked to the
 * lock's name (link fails with EEXIST when the lock exists, atomically, like 'wx'). So no other process
 * ever sees the lock empty or half written — an empty lock read as "damaged" by a racing process was
 * deleted and taken by a second holder. True when created, false when it exists already.
 * A file system without hard links (EPERM/ENOTSUP/ENOSYS, e.g. FAT) falls back to open 'wx' + write.
 */
function createExclusive(file: string, text: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  const fd = openSync(tmp, 'wx')
  try {
    try { writeSync(fd, text) } finally { closeSync(fd) }
    try { linkSync(tmp, file) } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EEXIST') return false
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') return createExclusiveOpen(file, text)
      throw err
    }
    return true
  } finally {
    try { unlinkSync(tmp) } catch { /* gone already */ }
  }
}

/** Without hard links: open with 'wx' then write (the short empty window the link avoids). */
function createExclusiveOpen(file: string, text: string): boolean {
  let fd: number
  try { fd = openSync(file, 'wx') } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
  try { writeSync(fd, text) } finally { closeSync(fd) }
  return true
}

function busy(file: string, holder: RunLockOwner, what: string, machine: string | null): RunLockBusyError {
  const where = holder.hostname === osHostname() ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.hostname}`
  if (machine !== null) {
    return new RunLockBusyError(
      `${what} was not started: ${machine === 'this-pc' ? 'this PC' : `machine ${machine}`} is busy with ${holder.what ?? 'another servicing operation'} (${where}, since ${holder.startedAt}). One servicing operation runs per PC at a time: wait for it to end, or stop it. (If that process is gone, delete ${file}.)`,
      holder, file,
    )
  }
  return new RunLockBusyError(
    `${what} is already running in ${where} since ${holder.startedAt}; wait for it or stop it. (If that process is gone, delete ${file}.)`,
    holder, file,
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
  const owner: RunLockOwner = { pid: process.pid, hostname: osHostname(), startedAt: (now?.() ?? new Date()).toISOString() }
  if (machine !== null) owner.what = what
  const text = JSON.stringify(owner)
  try { mkdirSync(dirname(file), { recursive: true }) } catch (err) { throw copyFailure(file, err, 'the lock file') }
  let tookOver: string | null = null
  for (let attempt = 0; ; attempt++) {
    let created: boolean
    try { created = createExclusive(file, text) } catch (err) { throw copyFailure(file, err, 'the lock file') }
    if (created) break
    let raw: string | null
    try { raw = readFileSync(file, 'utf8') } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && attempt === 0) continue // released just now
      raw = null
    }
    const holder = raw === null ? null : parseOwner(raw)
    if (holder && isHolderAlive(holder)) throw busy(file, holder, what, machine)
    if (attempt > 0) {
      // Still stale after one take-over: something keeps writing it, or it cannot be removed.
      throw new AppError('failed', `${what} could not be locked: ${file} ${holder ? `names process ${holder.pid}, which is not running,` : 'is damaged'} and could not be replaced. Delete it and try again.`)
    }
    tookOver = holder
      ? `A stale lock of process ${holder.pid} (since ${holder.startedAt}, no longer running) was taken over.`
      : 'A damaged lock file (left by a crash) was taken over.'
    // Re-read right before removing: a lock another process has just taken over is not removed.
    let again: string | null = null
    try { again = readFileSync(file, 'utf8') } catch { again = null }
    if (again !== null && again === raw) {
      try { unlinkSync(file) } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err }
    }
  }
  let released = false
  return {
    file, owner, tookOver,
    release() {
      if (released) return
      released = true
      // Only our own lock is removed (a person may have deleted it and another run taken it since).
      let raw: string | null = null
      try { raw = readFileSync(file, 'utf8') } catch { return }
      if (raw !== text) return
      try { unlinkSync(file) } catch { /* gone already */ }
    },
  }
}

/** Runs `fn` holding the lock of a journal file; the lock is released however `fn` ends. */
export async function withRunLock<T>(journalFile: string, opts: RunLockOptions, fn: (lock: RunLock) => Promise<T>): Promise<T> {
  const lock = acquireRunLock(journalFile, opts)
  try { return await fn(lock) } finally { lock.release() }
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
  if (!/^[a-z0-9-]{1,80}$/.test(machineName)) throw new AppError('invalid-input', `Invalid machine lock name '${machineName}'.`)
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
export async function withMachineLock<T>(dataDir: string, machineName: string, what: string, fn: (lock: RunLock) => Promise<T>): Promise<T> {
  const lock = acquireMachineLock(dataDir, machineName, what)
  try { return await fn(lock) } finally { lock.release() }
}
