/**
 * A lock held by a process across processes: a file created whole and atomically, holding
 * `{ pid, hostname, startedAt, what? }`. The machine and run locks (main/install/run-lock.ts) and the download
 * cache's entry locks (main/download/entry-lock.ts) are this file with their own names and messages.
 *
 * - pid + hostname, because a pid means something only on the machine that issued it: the data folder can be
 *   shared (a network home), and a pid from another computer cannot be checked here, so such a lock counts as held.
 * - A lock is stale when its process is gone (`process.kill(pid, 0)` → ESRCH) on this host, or when the file is
 *   not a readable lock (a crash while writing it). A stale lock is taken over quietly (`tookOver` says so).
 *   EPERM means the process exists but belongs to someone else: it is alive.
 * - Taking over: the stale file is re-read just before it is unlinked (so a lock that another process has just
 *   taken over is not removed), then created again once; losing that race means another process now holds a
 *   fresh lock, which is then judged like any other.
 */
import { openSync, writeSync, closeSync, readFileSync, unlinkSync, mkdirSync, linkSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { hostname as osHostname } from 'node:os'
import { dirname } from 'node:path'
import { AppError } from './errors.ts'
import { copyFailure } from './atomic-write.ts'

export interface LockOwner {
  pid: number
  hostname: string
  startedAt: string
  /** What the holder is doing ("Plan …", "Downloading …"). */
  what?: string
}

export interface HeldLock {
  readonly file: string
  readonly owner: LockOwner
  /** Set when a stale lock (a dead process, or a damaged file) was taken over: a plain sentence for a log. */
  readonly tookOver: string | null
  /** Deletes the lock (only if it is still this one); safe to call twice. */
  release(): void
}

/** The lock's owner, or null when the file is missing or not a readable lock. */
export function readLockOwner(file: string): LockOwner | null {
  let raw: string
  try {
    raw = readFileSync(file, 'utf8')
  } catch {
    return null
  }
  return parseLockOwner(raw)
}

export function parseLockOwner(raw: string): LockOwner | null {
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    return null
  }
  if (!json || typeof json !== 'object') return null
  const o = json as Record<string, unknown>
  if (
    !Number.isInteger(o.pid) ||
    (o.pid as number) <= 0 ||
    typeof o.hostname !== 'string' ||
    typeof o.startedAt !== 'string'
  )
    return null
  const owner: LockOwner = { pid: o.pid as number, hostname: o.hostname, startedAt: o.startedAt }
  if (typeof o.what === 'string') owner.what = o.what.slice(0, 200)
  return owner
}

/** Is the lock's process running? A pid of another computer cannot be checked: it counts as running. */
export function isLockHolderAlive(owner: LockOwner): boolean {
  if (owner.hostname !== osHostname()) return true
  try {
    process.kill(owner.pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
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
    try {
      writeSync(fd, text)
    } finally {
      closeSync(fd)
    }
    try {
      linkSync(tmp, file)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EEXIST') return false
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP')
        return createExclusiveOpen(file, text)
      throw err
    }
    return true
  } finally {
    try {
      unlinkSync(tmp)
    } catch {
      /* gone already */
    }
  }
}

/** Without hard links: open with 'wx' then write (the short empty window the link avoids). */
function createExclusiveOpen(file: string, text: string): boolean {
  let fd: number
  try {
    fd = openSync(file, 'wx')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
  try {
    writeSync(fd, text)
  } finally {
    closeSync(fd)
  }
  return true
}

/**
 * Takes the lock `file` for this process, or returns its live holder. A stale lock is taken over. A folder that
 * cannot be written throws WriteFailure (one sentence); a stale lock that cannot be replaced, AppError naming `what`.
 */
export function tryLockFile(
  file: string,
  what: string,
  opts: { recordWhat?: boolean; now?: () => Date } = {},
): { lock: HeldLock } | { holder: LockOwner } {
  const owner: LockOwner = {
    pid: process.pid,
    hostname: osHostname(),
    startedAt: (opts.now?.() ?? new Date()).toISOString(),
  }
  if (opts.recordWhat) owner.what = what
  const text = JSON.stringify(owner)
  try {
    mkdirSync(dirname(file), { recursive: true })
  } catch (err) {
    throw copyFailure(file, err, 'the lock file')
  }
  let tookOver: string | null = null
  for (let attempt = 0; ; attempt++) {
    let created: boolean
    try {
      created = createExclusive(file, text)
    } catch (err) {
      throw copyFailure(file, err, 'the lock file')
    }
    if (created) break
    let raw: string | null
    try {
      raw = readFileSync(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && attempt === 0) continue // released just now
      raw = null
    }
    const holder = raw === null ? null : parseLockOwner(raw)
    if (holder && isLockHolderAlive(holder)) return { holder }
    if (attempt > 0) {
      // Still stale after one take-over: something keeps writing it, or it cannot be removed.
      throw new AppError(
        'failed',
        `${what} could not be locked: ${file} ${holder ? `names process ${holder.pid}, which is not running,` : 'is damaged'} and could not be replaced. Delete it and try again.`,
      )
    }
    tookOver = holder
      ? `A stale lock of process ${holder.pid} (since ${holder.startedAt}, no longer running) was taken over.`
      : 'A damaged lock file (left by a crash) was taken over.'
    // Re-read right before removing: a lock another process has just taken over is not removed.
    let again: string | null = null
    try {
      again = readFileSync(file, 'utf8')
    } catch {
      again = null
    }
    if (again !== null && again === raw) {
      try {
        unlinkSync(file)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      }
    }
  }
  let released = false
  return {
    lock: {
      file,
      owner,
      tookOver,
      release() {
        if (released) return
        released = true
        // Only our own lock is removed (a person may have deleted it and another process taken it since).
        let raw: string | null = null
        try {
          raw = readFileSync(file, 'utf8')
        } catch {
          return
        }
        if (raw !== text) return
        try {
          unlinkSync(file)
        } catch {
          /* gone already */
        }
      },
    },
  }
}
