/**
 * Every file the CLI writes for a person (`scan --out`, `report --out`, `plan --script`, `repairs --script`,
 * `download --out`) is written atomically (main/atomic-write.ts): a temp file in the same folder, fsync'd,
 * then renamed over the name. So a crash or a full disk leaves the previous file or none, never half a
 * script; and a link planted at that name is replaced, never followed (a plain write through a link to
 * another file rewrote that file).
 */
import { constants } from 'node:fs'
import { copyFile, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { copyFailure, writeFileAtomic, WriteFailure } from '../atomic-write.ts'
import { CliError } from './cli-error.ts'

/** Writes a CLI output file atomically; a failure is one plain sentence (exit 1). */
export async function writeCliFile(path: string, data: string | Uint8Array, what: string): Promise<void> {
  try {
    await writeFileAtomic(path, data, { what })
  } catch (err) {
    if (err instanceof WriteFailure) throw new CliError(err.message, 1)
    throw err
  }
}

/** Copies a file to `dest` atomically (copy to a temp name beside it, then rename over `dest`). */
export async function copyCliFile(src: string, dest: string, what: string): Promise<void> {
  const tmp = join(dirname(dest), `.${basename(dest)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await copyFile(src, tmp, constants.COPYFILE_EXCL)
    await rename(tmp, dest)
  } catch (err) {
    await unlink(tmp).catch(() => {})
    const f = copyFailure(dest, err, what)
    if (f instanceof WriteFailure) throw new CliError(f.message, 1)
    throw f
  }
}
