/**
 * Downloads several files in parallel (bounded), through the cache, each verified and signature-checked.
 *
 * A file whose SHA-1 is in the cache is never downloaded again. Per-file progress goes to `onProgress`. Two
 * processes fetching the same file into one cache share one download: the second waits (state `waiting`, with the
 * first's progress read from its partial file) and then uses the copy the first verified.
 */
import type { DownloadProgress, VerifiedFile } from '../../preload/model/catalog.ts'
import type { DownloadPolicy } from '../catalog/download-policy.ts'
import type { DownloadCache } from './download-cache.ts'
import { downloadFile, sleep, type FileToDownload, type DownloadFileOptions } from './download-file.ts'
import { hashFile } from './file-hashes.ts'
import { DownloadError } from './download-errors.ts'
import type { SignatureChecker } from './signature.ts'
import { readPartialState } from './partial-state.ts'
import { ProgressMeter } from './progress-meter.ts'
import { isLockHolderAlive, readLockOwner, tryLockFile, type LockOwner } from '../lock-file.ts'
import { isPlainFileName } from '../catalog/file-name.ts'
import { stat } from 'node:fs/promises'
import { hostname } from 'node:os'

export interface DownloadSetOptions {
  cache: DownloadCache
  policy: DownloadPolicy
  signatures: SignatureChecker
  operationId?: string
  concurrency?: number
  signal?: AbortSignal
  onProgress?: (p: DownloadProgress) => void
  fileOptions?: Partial<Omit<DownloadFileOptions, 'dir' | 'policy' | 'signal' | 'onProgress'>>
  /** How often a process waiting for another's download of the same file looks again (default 250 ms). */
  waitPollMs?: number
}

/** Runs `tasks` with at most `limit` at once; the first failure stops new tasks and is rethrown. */
export async function runBounded<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length)
  let next = 0
  let failed: unknown = null
  const worker = async () => {
    while (failed === null && next < tasks.length) {
      const i = next++
      try {
        results[i] = await tasks[i]()
      } catch (err) {
        failed ??= err
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker))
  if (failed !== null) throw failed
  return results
}

export async function downloadSet(files: FileToDownload[], opts: DownloadSetOptions): Promise<VerifiedFile[]> {
  const op = opts.operationId ?? 'download'
  const report = (p: Omit<DownloadProgress, 'operationId'>) => opts.onProgress?.({ operationId: op, ...p })
  for (const f of files)
    report({
      fileName: f.fileName,
      bytesDone: 0,
      bytesTotal: f.sizeBytes ?? null,
      bytesPerSecond: 0,
      etaSeconds: null,
      state: 'queued',
    })
  /** The cached copy of `f` when its bytes still verify; a damaged one is reported as such (evicted under the lock). */
  const fromCache = async (f: FileToDownload): Promise<VerifiedFile | 'damaged' | null> => {
    const cached = await opts.cache.get(f.sha1)
    if (!cached || (f.sha256 !== null && cached.sha256 !== f.sha256)) return null
    // Every use re-reads the bytes: a cached file damaged since (a disk error, a power cut before the
    // kernel wrote it, an edit) is dropped and fetched again instead of going into a kit or an install.
    report({
      fileName: f.fileName,
      bytesDone: 0,
      bytesTotal: cached.sizeBytes,
      bytesPerSecond: 0,
      etaSeconds: null,
      state: 'verifying',
    })
    const h = await hashFile(cached.path, opts.signal)
    if (h.sha1 !== cached.sha1 || h.sha256 !== cached.sha256 || h.bytes !== cached.sizeBytes) return 'damaged'
    report({
      fileName: f.fileName,
      bytesDone: cached.sizeBytes,
      bytesTotal: cached.sizeBytes,
      bytesPerSecond: 0,
      etaSeconds: 0,
      state: 'cached',
    })
    return {
      fileName: f.fileName,
      path: cached.path,
      sizeBytes: cached.sizeBytes,
      sha1: cached.sha1,
      sha256: cached.sha256,
      fromCache: true,
      signature: await opts.signatures.check(cached.path),
    }
  }
  const fetch = async (f: FileToDownload): Promise<VerifiedFile> => {
    const got = await downloadFile(f, {
      ...opts.fileOptions,
      dir: opts.cache.partialDir,
      policy: opts.policy,
      signal: opts.signal,
      onProgress: (p) =>
        report({
          fileName: p.fileName,
          bytesDone: p.bytesDone,
          bytesTotal: p.bytesTotal,
          bytesPerSecond: p.bytesPerSecond,
          etaSeconds: p.etaSeconds,
          state: p.state,
        }),
    })
    const entry = await opts.cache.put(got.path, {
      sha1: got.sha1,
      sha256: got.sha256,
      sizeBytes: got.sizeBytes,
      fileName: f.fileName,
    })
    return {
      fileName: f.fileName,
      path: entry.path,
      sizeBytes: got.sizeBytes,
      sha1: got.sha1,
      sha256: got.sha256,
      fromCache: false,
      signature: await opts.signatures.check(entry.path),
    }
  }
  const tasks = files.map((f) => async (): Promise<VerifiedFile> => {
    try {
      // A name the download refuses gets its refusal from downloadFile, before any lock file is named after it.
      if (!isPlainFileName(f.fileName)) return await fetch(f)
      for (;;) {
        const cached = await fromCache(f)
        if (cached !== null && cached !== 'damaged') return cached
        // One process fetches a file at a time (the app and the CLI, two windows, share the data folder): the lock
        // is taken over from a process that died; while another live one holds it, this one waits and then uses
        // the copy it verified (or, when that one failed or was stopped, fetches it itself, resuming its partial).
        const held = tryLockFile(opts.cache.lockFileOf(f.fileName), `The download of ${f.fileName}`)
        if ('holder' in held) {
          await waitWhileHeld(f, held.holder)
          continue
        }
        try {
          const again = await fromCache(f)
          if (again !== null && again !== 'damaged') return again
          if (again === 'damaged' || cached === 'damaged') await opts.cache.evict(f.sha1)
          return await fetch(f)
        } finally {
          held.lock.release()
        }
      }
    } catch (err) {
      report({
        fileName: f.fileName,
        bytesDone: 0,
        bytesTotal: null,
        bytesPerSecond: 0,
        etaSeconds: null,
        state: 'failed',
        error: (err as Error).message,
      })
      throw err
    }
  })

  /** Waits until the holder of `f`'s lock lets go (or dies), reporting its progress from its partial file. */
  async function waitWhileHeld(f: FileToDownload, holder: LockOwner): Promise<void> {
    const detail = `Another Servicing Desk (${holder.hostname === hostname() ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.hostname}`}) is downloading this file: waiting for it, then using its verified copy.`
    const lockFile = opts.cache.lockFileOf(f.fileName)
    const partial = opts.cache.partialFileOf(f.fileName)
    const total = f.sizeBytes ?? (await readPartialState(`${partial}.json`))?.totalBytes ?? null
    const meter = new ProgressMeter()
    let last = -1
    for (;;) {
      // The partial is renamed away when the holder has verified it: a drop to 0 then is no progress to show.
      const done = await stat(partial).then(
        (s) => s.size,
        () => 0,
      )
      const { bytesPerSecond, etaSeconds } = meter.sample(done, total)
      if (last < 0 || done >= last)
        report({
          fileName: f.fileName,
          bytesDone: done,
          bytesTotal: total,
          bytesPerSecond,
          etaSeconds,
          state: 'waiting',
          detail,
        })
      last = Math.max(last, done)
      const now = readLockOwner(lockFile)
      if (
        !now ||
        now.pid !== holder.pid ||
        now.hostname !== holder.hostname ||
        now.startedAt !== holder.startedAt ||
        !isLockHolderAlive(now)
      )
        return
      await sleep(opts.waitPollMs ?? 250, opts.signal)
    }
  }

  const out = await runBounded(tasks, opts.concurrency ?? 3)
  const bad = out.find((v) => v.signature.status === 'invalid')
  if (bad && bad.signature.status === 'invalid')
    throw new DownloadError('bad-signature', `${bad.fileName}: ${bad.signature.reason}`)
  return out
}
