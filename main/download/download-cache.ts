/**
 * A content-addressed cache of verified files (by SHA-1), so the same file is never downloaded twice.
 *
 * Layout: `<root>/files/<sha1>/<original file name>` (the name is kept: DISM folder installs and later
 * verification need it, catalog-protocol.md §7) and `<root>/files/<sha1>/verified.json` written last,
 * after the hashes matched. Downloads in progress live in `<root>/partial/`: `<name>.partial`, its sidecar, and
 * `<name>.lock` (main/lock-file.ts) held by the one process fetching it, so two processes using one data folder (the
 * app and the CLI, two windows) share one download instead of racing over one partial file.
 */
import { constants, copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { isPlainFileName } from '../catalog/file-name.ts'

const EntrySchema = z.object({
  sha1: z.string().regex(/^[0-9a-f]{40}$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int().nonnegative(),
  fileName: z.string(),
  verifiedAt: z.string(),
})
export type CacheEntry = z.infer<typeof EntrySchema> & { path: string }

export class DownloadCache {
  readonly root: string

  constructor(root: string) {
    this.root = root
  }

  get partialDir(): string {
    return join(this.root, 'partial')
  }

  /** The lock of the download of `fileName` (a plain file name, checked by the download). */
  lockFileOf(fileName: string): string {
    return join(this.partialDir, `${fileName}.lock`)
  }

  /** The partial file of the download of `fileName`, while it is being fetched. */
  partialFileOf(fileName: string): string {
    return join(this.partialDir, `${fileName}.partial`)
  }

  private dirOf(sha1: string): string {
    if (!/^[0-9a-f]{40}$/.test(sha1)) throw new Error(`Not a SHA-1: ${sha1}`)
    return join(this.root, 'files', sha1)
  }

  /** The verified entry for a SHA-1, or null. The size on disk must still match. */
  async get(sha1: string): Promise<CacheEntry | null> {
    const dir = this.dirOf(sha1)
    try {
      const entry = EntrySchema.parse(JSON.parse(await readFile(join(dir, 'verified.json'), 'utf8')))
      if (entry.sha1 !== sha1 || !isPlainFileName(entry.fileName)) return null
      const path = join(dir, entry.fileName)
      const s = await stat(path)
      if (s.size !== entry.sizeBytes) return null
      return { ...entry, path }
    } catch {
      return null
    }
  }

  /** Moves a verified file into the cache (the caller has checked its hashes). */
  async put(
    path: string,
    v: { sha1: string; sha256: string; sizeBytes: number; fileName: string },
  ): Promise<CacheEntry> {
    const dir = this.dirOf(v.sha1)
    await mkdir(dir, { recursive: true })
    const dest = join(dir, v.fileName)
    await rename(path, dest)
    const entry = {
      sha1: v.sha1,
      sha256: v.sha256,
      sizeBytes: v.sizeBytes,
      fileName: v.fileName,
      verifiedAt: new Date().toISOString(),
    }
    await writeFile(join(dir, 'verified.json.tmp'), JSON.stringify(entry))
    await rename(join(dir, 'verified.json.tmp'), join(dir, 'verified.json'))
    return { ...entry, path: dest }
  }

  /** Drops an entry (e.g. a later check found it damaged). */
  async evict(sha1: string): Promise<void> {
    await rm(this.dirOf(sha1), { recursive: true, force: true })
  }

  /** Puts a copy of a cached file at `dest` (a reflink where the file system can; never a hard link, so editing the copy cannot damage the cache). */
  async copyTo(entry: CacheEntry, dest: string): Promise<void> {
    await rm(dest, { force: true })
    await copyFile(entry.path, dest, constants.COPYFILE_FICLONE)
  }
}
