/**
 * The lock file is created whole (temp file + hard link): at no moment does another process find the lock
 * empty or half written. Before, it was opened with 'wx' and then written, so a racing process read an
 * empty file, judged it "damaged", deleted it and took the lock too (two holders in 24-way races).
 *
 * The race is made deterministic: node:fs is wrapped so that every write the lock code makes first looks
 * at the lock's path, as a racing process could at that instant. (This file replaces a module, so it runs
 * in a process of its own: vitest.config.ts ISOLATED.)
 */
import { describe, it, expect, vi } from 'vitest'
import { join } from 'node:path'

const seen: Array<string | null> = []
let watch: string | null = null

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const look = () => {
    if (watch === null) return
    let text: string | null
    try {
      text = fs.readFileSync(watch, 'utf8')
    } catch {
      text = null
    }
    seen.push(text)
  }
  const writeSync = ((...a: Parameters<typeof fs.writeSync>) => {
    look()
    return (fs.writeSync as (...x: unknown[]) => number)(...a)
  }) as typeof fs.writeSync
  const closeSync = ((fd: number) => {
    look()
    fs.closeSync(fd)
  }) as typeof fs.closeSync
  return { ...fs, default: { ...fs, writeSync, closeSync }, writeSync, closeSync }
})

const { acquireMachineLock, readRunLock } = await import('../../../main/install/run-lock.ts')
const { tempDirSync } = await import('../temp-dirs.ts')

describe('the machine lock is created whole', () => {
  it('while it is being written, the lock file is either absent or complete — never empty (a racer never sees it damaged)', () => {
    const dir = tempDirSync('sd-lock-whole-')
    watch = join(dir, 'machine-this-pc.lock')
    seen.length = 0
    const lock = acquireMachineLock(dir, 'this-pc', 'Install')
    watch = null
    expect(seen.length).toBeGreaterThan(0) // the wrapper did look while writing
    for (const text of seen)
      expect(text === null || JSON.parse(text).pid === process.pid, `seen: ${JSON.stringify(text)}`).toBe(true)
    expect(readRunLock(lock.file)?.pid).toBe(process.pid)
    // Only the lock is left (the temp file is gone), and the lock is released as before.
    lock.release()
    expect(readRunLock(lock.file)).toBeNull()
  })

  it('a second taker still finds it held (the link refuses an existing lock like wx did)', () => {
    const dir = tempDirSync('sd-lock-whole-')
    const lock = acquireMachineLock(dir, 'this-pc', 'Install')
    expect(() => acquireMachineLock(dir, 'this-pc', 'Repair')).toThrow(/busy with Install/)
    lock.release()
  })
})
