/**
 * Temp folders for unit tests that are removed when the test file's tests are done.
 *
 * `tempDirSync('sd-kit-')` / `await tempDir('sd-kit-')` make a fresh folder under `os.tmpdir()` (like
 * `mkdtemp`) and remember it; one `afterAll` hook, registered on the file's root suite when this module is
 * first imported, removes every folder made in that file. Removal waits for the end of the file, not of the
 * test, because several files make a folder in one test (or in a helper at load time) and inspect it in the
 * next. Hooks run in reverse order of registration, so this one, registered at import, runs after the file's
 * own `afterAll`s (servers closed, mounts unmounted). Files that share a worker's modules (`isolate: false`, most
 * of our files: vitest.config.ts) import this module once per worker, so test/unit/setup-temp-dirs.ts, a setup
 * file run for every test file, registers the same hook for each file.
 *
 * Folders a test made read-only are made writable again before they are removed, and a folder that still
 * cannot be removed fails the file (a leak should be seen, not left in /tmp).
 */
import { afterAll } from 'vitest'
import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const made = new Set<string>()

/** A fresh folder `<tmpdir>/<prefix>XXXXXX`, removed after the file's tests. */
export function tempDirSync(prefix: string, base = tmpdir()): string {
  const dir = mkdtempSync(join(base, prefix))
  made.add(dir)
  return dir
}

/** The same as `tempDirSync`, asynchronously. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  made.add(dir)
  return dir
}

/** Gives the owner read/write/search on every folder below `dir` (not following symlinks), so it can be emptied. */
function makeWritable(dir: string): void {
  try {
    chmodSync(dir, 0o700)
  } catch {
    /* gone or not ours: rm reports it */
  }
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) {
    const p = join(dir, name)
    try {
      if (lstatSync(p).isDirectory()) makeWritable(p)
    } catch {
      /* raced away */
    }
  }
}

/** Removes `dir` and all below it, read-only folders included; true when it is gone. */
export function removeTree(dir: string): boolean {
  const rm = () => rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 })
  try {
    rm()
    return true
  } catch {
    /* a read-only folder below, most likely */
  }
  makeWritable(dir)
  try {
    rm()
    return true
  } catch {
    return false
  }
}

/** Removes every folder made so far by this module; throws naming those that could not be removed. */
export function removeTempDirs(): void {
  const left: string[] = []
  for (const dir of made) {
    if (removeTree(dir)) made.delete(dir)
    else left.push(dir)
  }
  if (left.length) throw new Error(`could not remove temp folders: ${left.join(', ')}`)
}

afterAll(removeTempDirs)
