/**
 * The one way the app replaces a file it owns (journals, plans, WinRE runs, training state, kit files,
 * saved reports): write a temporary file in the same folder, check that every byte reached it (a short
 * write on a full disk is retried, then refused), fsync it, rename it over the old one, fsync the folder.
 * The old file is either fully there or fully replaced — never a truncated mix.
 *
 * On failure the temporary file is removed, the previous file stays as it was, and the error is an
 * `AppError` whose message is one plain sentence: what could not be saved, why, and what to free or change
 * (the CLI prints it; IPC returns it as `{code: 'failed', message}`).
 *
 * Why not write-file-atomic: its sync path wrote with one `writeSync` and renamed what it got, so a full
 * disk left a short, invalid journal in place. `fs` is a seam for tests that inject failures.
 */
import * as nodeFs from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { AppError } from './errors.ts'

export type SyncFs = Pick<
  typeof nodeFs,
  'openSync' | 'writeSync' | 'fsyncSync' | 'fstatSync' | 'closeSync' | 'renameSync' | 'unlinkSync'
>

export interface AtomicWriteOptions {
  /** What the file is, for the message: "the installation journal". */
  what?: string
  /** File mode of a new file (default 0o644 before the umask). */
  mode?: number
  fs?: SyncFs
  /** For tests of the Windows rename retry. */
  platform?: NodeJS.Platform
}

/**
 * On Windows a rename over a file that an antivirus scanner or the indexer has open for a moment fails
 * with EPERM/EACCES/EBUSY; it is retried for up to about a second before it counts as a failure.
 */
const RENAME_RETRIES = 10
const RENAME_WAIT_MS = 100
const transientOnWindows = (err: unknown) =>
  ['EPERM', 'EACCES', 'EBUSY'].includes((err as NodeJS.ErrnoException)?.code ?? '')
const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

/** A failed save, said plainly; `errno` is the system code (ENOSPC, EROFS, EACCES …). */
export class WriteFailure extends AppError {
  readonly errno: string
  readonly path: string
  constructor(path: string, errno: string, sentence: string) {
    super('failed', sentence, { errno, path })
    this.name = 'WriteFailure'
    this.errno = errno
    this.path = path
  }
}

/** The plain sentence for a failed save of `path`. */
export function writeFailureSentence(
  path: string,
  errno: string,
  what = 'the file',
  kept = 'the previous version is unchanged',
): string {
  const dir = dirname(path)
  switch (errno) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `Could not save ${what} (${path}): the disk is full — free some space on that drive and try again; ${kept}.`
    case 'EROFS':
      return `Could not save ${what} (${path}): the drive is read-only — make ${dir} writable or use another drive; ${kept}.`
    case 'EACCES':
    case 'EPERM':
      return `Could not save ${what} (${path}): this account may not write to ${dir} — run as administrator or give it write access; ${kept}.`
    case 'ENOENT':
    case 'ENOTDIR':
      return `Could not save ${what} (${path}): the folder ${dir} does not exist or is not a folder; ${kept}.`
    default:
      return `Could not save ${what} (${path}): ${errno}; ${kept}.`
  }
}

/** A failed copy or folder creation (not through this helper), said the same way: `ENOSPC: …` becomes a sentence. */
export function copyFailure(path: string, err: unknown, what: string): WriteFailure | unknown {
  const errno = (err as NodeJS.ErrnoException)?.code
  if (!errno || !/^E[A-Z]+$/.test(errno)) return err
  return new WriteFailure(path, errno, writeFailureSentence(path, errno, what, 'nothing else was changed'))
}

function failure(path: string, err: unknown, what?: string): WriteFailure {
  if (err instanceof WriteFailure) return err
  const errno = (err as NodeJS.ErrnoException)?.code ?? 'EIO'
  return new WriteFailure(path, errno, writeFailureSentence(path, errno, what))
}

/**
 * The temporary file's name: the process id (no two running writers share it) and 8 random hex digits (a file left
 * by a dead process of the same id is not reused: 'wx' would refuse it). Math.random, not node:crypto's: a name
 * unique enough, not a secret (the data folder is this user's alone, and 'wx' never follows what is there); loading
 * node:crypto costs ~11 ms of a CLI start (36 modules) that only saves a small file.
 */
const tempName = (path: string) =>
  join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${Math.floor(Math.random() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0')}.tmp`,
  )

/** An error with an errno code, for a write that made no progress (a full disk that returns 0). */
const noProgress = () => Object.assign(new Error('no bytes written'), { code: 'ENOSPC' })

/** Replaces `path` with `data`, atomically and durably (see above). Throws `WriteFailure`. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const fs = options.fs ?? nodeFs
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  const tmp = tempName(path)
  let fd: number | null = null
  try {
    fd = fs.openSync(tmp, 'wx', options.mode ?? 0o644)
    let done = 0
    while (done < bytes.length) {
      const n = fs.writeSync(fd, bytes, done, bytes.length - done)
      if (!(n > 0)) throw noProgress()
      done += n
    }
    fs.fsyncSync(fd)
    const size = fs.fstatSync(fd).size
    if (size !== bytes.length) throw Object.assign(new Error(`wrote ${size} of ${bytes.length} bytes`), { code: 'EIO' })
    fs.closeSync(fd)
    fd = null
    for (let attempt = 1; ; attempt++) {
      try {
        fs.renameSync(tmp, path)
        break
      } catch (err) {
        if ((options.platform ?? process.platform) !== 'win32' || !transientOnWindows(err) || attempt >= RENAME_RETRIES)
          throw err
        sleepSync(RENAME_WAIT_MS)
      }
    }
  } catch (err) {
    if (fd !== null)
      try {
        fs.closeSync(fd)
      } catch {
        /* already failing */
      }
    try {
      fs.unlinkSync(tmp)
    } catch {
      /* never created, or already renamed */
    }
    throw failure(path, err, options.what)
  }
  syncFolderSync(dirname(path), fs)
}

/** The async twin, for kit files and saved reports (large files, the main process's event loop stays free). */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: Omit<AtomicWriteOptions, 'fs'> = {},
): Promise<void> {
  const fsp = nodeFs.promises
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  const tmp = tempName(path)
  let fh: nodeFs.promises.FileHandle | null = null
  try {
    fh = await fsp.open(tmp, 'wx', options.mode ?? 0o644)
    let done = 0
    while (done < bytes.length) {
      const { bytesWritten } = await fh.write(bytes, done, bytes.length - done)
      if (!(bytesWritten > 0)) throw noProgress()
      done += bytesWritten
    }
    await fh.sync()
    const size = (await fh.stat()).size
    if (size !== bytes.length) throw Object.assign(new Error(`wrote ${size} of ${bytes.length} bytes`), { code: 'EIO' })
    await fh.close()
    fh = null
    for (let attempt = 1; ; attempt++) {
      try {
        await fsp.rename(tmp, path)
        break
      } catch (err) {
        if (process.platform !== 'win32' || !transientOnWindows(err) || attempt >= RENAME_RETRIES) throw err
        await new Promise((ok) => setTimeout(ok, RENAME_WAIT_MS))
      }
    }
  } catch (err) {
    if (fh !== null) await fh.close().catch(() => {})
    await fsp.unlink(tmp).catch(() => {})
    throw failure(path, err, options.what)
  }
  syncFolderSync(dirname(path), nodeFs)
}

/** fsync the folder so the rename itself is on disk (Windows cannot open a folder for that; NTFS journals it). */
function syncFolderSync(dir: string, fs: Pick<SyncFs, 'openSync' | 'fsyncSync' | 'closeSync'>): void {
  if (process.platform === 'win32') return
  let fd: number | null = null
  try {
    fd = fs.openSync(dir, 'r')
    fs.fsyncSync(fd)
  } catch {
    /* some file systems refuse fsync on a folder; the rename is done */
  } finally {
    if (fd !== null)
      try {
        fs.closeSync(fd)
      } catch {
        /* nothing to do */
      }
  }
}
