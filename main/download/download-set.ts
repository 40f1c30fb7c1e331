/**
 * Downloads several files in parallel (bounded), through the cache, each verified and signature-checked.
 *
 * A file whose SHA-1 is in the cache is never downloaded again. Per-file progress goes to `onProgress`.
 */
import type { DownloadProgress, VerifiedFile } from '../../preload/model/catalog.ts'
import type { DownloadPolicy } from '../catalog/download-policy.ts'
import type { DownloadCache } from './download-cache.ts'
import { downloadFile, type FileToDownload, type DownloadFileOptions } from './download-file.ts'
import { hashFile } from './file-hashes.ts'
import { DownloadError } from './download-errors.ts'
import type { SignatureChecker } from './signature.ts'

export interface DownloadSetOptions {
  cache: DownloadCache
  policy: DownloadPolicy
  signatures: SignatureChecker
  operationId?: string
  concurrency?: number
  signal?: AbortSignal
  onProgress?: (p: DownloadProgress) => void
  fileOptions?: Partial<Omit<DownloadFileOptions, 'dir' | 'policy' | 'signal' | 'onProgress'>>
}

/** Runs `tasks` with at most `limit` at once; the first failure stops new tasks and is rethrown. */
export async function runBounded<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length)
  let next = 0
  let failed: unknown = null
  const worker = async () => {
    while (failed === null && next < tasks.length) {
      const i = next++
      try { results[i] = await tasks[i]() } catch (err) { failed ??= err }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker))
  if (failed !== null) throw failed
  return results
}

export async function downloadSet(files: FileToDownload[], opts: DownloadSetOptions): Promise<VerifiedFile[]> {
  const op = opts.operationId ?? 'download'
  const report = (p: Omit<DownloadProgress, 'operationId'>) => opts.onProgress?.({ operationId: op, ...p })
  for (const f of files) report({ fileName: f.fileName, bytesDone: 0, bytesTotal: f.sizeBytes ?? null, bytesPerSecond: 0, etaSeconds: null, state: 'queued' })
  const tasks = files.map((f) => async (): Promise<VerifiedFile> => {
    try {
      const cached = await opts.cache.get(f.sha1)
      if (cached && (f.sha256 === null || cached.sha256 === f.sha256)) {
        // Every use re-reads the bytes: a cached file damaged since (a disk error, a power cut before the
        // kernel wrote it, an edit) is dropped and fetched again instead of going into a kit or an install.
        report({ fileName: f.fileName, bytesDone: 0, bytesTotal: cached.sizeBytes, bytesPerSecond: 0, etaSeconds: null, state: 'verifying' })
        const h = await hashFile(cached.path, opts.signal)
        if (h.sha1 === cached.sha1 && h.sha256 === cached.sha256 && h.bytes === cached.sizeBytes) {
          report({ fileName: f.fileName, bytesDone: cached.sizeBytes, bytesTotal: cached.sizeBytes, bytesPerSecond: 0, etaSeconds: 0, state: 'cached' })
          return { fileName: f.fileName, path: cached.path, sizeBytes: cached.sizeBytes, sha1: cached.sha1, sha256: cached.sha256, fromCache: true, signature: await opts.signatures.check(cached.path) }
        }
        await opts.cache.evict(f.sha1)
      }
      const got = await downloadFile(f, {
        ...opts.fileOptions, dir: opts.cache.partialDir, policy: opts.policy, signal: opts.signal,
        onProgress: (p) => report({ fileName: p.fileName, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, bytesPerSecond: p.bytesPerSecond, etaSeconds: p.etaSeconds, state: p.state }),
      })
      const entry = await opts.cache.put(got.path, { sha1: got.sha1, sha256: got.sha256, sizeBytes: got.sizeBytes, fileName: f.fileName })
      return { fileName: f.fileName, path: entry.path, sizeBytes: got.sizeBytes, sha1: got.sha1, sha256: got.sha256, fromCache: false, signature: await opts.signatures.check(entry.path) }
    } catch (err) {
      report({ fileName: f.fileName, bytesDone: 0, bytesTotal: null, bytesPerSecond: 0, etaSeconds: null, state: 'failed', error: (err as Error).message })
      throw err
    }
  })
  const out = await runBounded(tasks, opts.concurrency ?? 3)
  const bad = out.find((v) => v.signature.status === 'invalid')
  if (bad && bad.signature.status === 'invalid') throw new DownloadError('bad-signature', `${bad.fileName}: ${bad.signature.reason}`)
  return out
}
