/**
 * The run lock (main/install/run-lock.ts) when the file system does not play along, by injected faults: a file
 * system without hard links (FAT: EPERM, ENOTSUP, ENOSYS, EOPNOTSUPP) takes the lock by open 'wx'; a lock released
 * between our try and our read is tried once more; a stale or damaged lock that cannot be removed is a plain error,
 * never a second holder; a lock folder that cannot be written is refused.
 */
import { describe, expect, it, vi, afterEach } from 'vitest'
import * as realFs from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'

const faults = vi.hoisted(() => ({
  link: null as string | null,
  keepLock: false,
  enoentOnce: false,
  openTmp: null as string | null,
}))
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const fail = (code: string) => Object.assign(new Error(`${code}: injected`), { code })
  return {
    ...fs,
    linkSync: (a: string, b: string) => {
      if (faults.link) throw fail(faults.link)
      return fs.linkSync(a, b)
    },
    unlinkSync: (p: string) => {
      if (faults.keepLock && String(p).endsWith('.lock')) return
      return fs.unlinkSync(p)
    },
    readFileSync: (...args: Parameters<typeof fs.readFileSync>) => {
      // The holder releases its lock just before we read it.
      if (faults.enoentOnce && String(args[0]).endsWith('.lock')) {
        faults.enoentOnce = false
        fs.unlinkSync(String(args[0]))
        throw fail('ENOENT')
      }
      return fs.readFileSync(...args)
    },
    openSync: (...args: Parameters<typeof fs.openSync>) => {
      if (faults.openTmp && String(args[0]).endsWith('.tmp')) throw fail(faults.openTmp)
      return fs.openSync(...args)
    },
  }
})
const { acquireRunLock, lockFileFor, readRunLock, RunLockBusyError } = await import('../../../main/install/run-lock.ts')

const HOST = hostname()
const GONE = 4_194_305
const at = '2026-11-23T10:00:00.000Z'
afterEach(() => {
  faults.link = null
  faults.keepLock = false
  faults.enoentOnce = false
  faults.openTmp = null
})

describe('the run lock on a file system that does not play along', () => {
  for (const code of ['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP']) {
    it(`no hard links (${code}): the lock is taken by open 'wx', whole; a second taker is refused; no temp file is left`, () => {
      faults.link = code
      const d = tempDirSync('sd-lock-faults-')
      const journal = join(d, 'p.json')
      const lock = acquireRunLock(journal, { now: () => new Date(at) })
      expect(realFs.readFileSync(lock.file, 'utf8')).toBe(
        JSON.stringify({ pid: process.pid, hostname: HOST, startedAt: at }),
      )
      expect(() => acquireRunLock(journal)).toThrow(RunLockBusyError)
      expect(realFs.readdirSync(d)).toEqual(['p.json.lock'])
      lock.release()
      expect(realFs.readdirSync(d)).toEqual([])
    })
  }

  it('a link that fails otherwise is an error, and nothing is locked', () => {
    faults.link = 'EIO'
    const d = tempDirSync('sd-lock-faults-')
    expect(() => acquireRunLock(join(d, 'p.json'))).toThrow(/EIO/)
    expect(realFs.readdirSync(d)).toEqual([])
  })

  it('a temp file that cannot be made names the lock file', () => {
    faults.openTmp = 'EACCES'
    const d = tempDirSync('sd-lock-faults-')
    expect(() => acquireRunLock(join(d, 'p.json'))).toThrow(/lock file/)
  })

  it('a lock released between our try and our read is tried again, and taken', () => {
    const d = tempDirSync('sd-lock-faults-')
    const journal = join(d, 'p.json')
    realFs.writeFileSync(lockFileFor(journal), JSON.stringify({ pid: process.pid, hostname: HOST, startedAt: at }))
    faults.enoentOnce = true
    const lock = acquireRunLock(journal)
    expect(lock.tookOver).toBeNull()
    expect(readRunLock(lock.file)).toEqual(lock.owner)
  })

  it('a stale or damaged lock that cannot be removed is a plain error: never a second holder', () => {
    const d = tempDirSync('sd-lock-faults-')
    const journal = join(d, 'p.json')
    const file = lockFileFor(journal)
    faults.keepLock = true
    realFs.writeFileSync(file, JSON.stringify({ pid: GONE, hostname: HOST, startedAt: at }))
    expect(() => acquireRunLock(journal, { what: 'This plan' })).toThrow(
      `This plan could not be locked: ${file} names process ${GONE}, which is not running, and could not be replaced. Delete it and try again.`,
    )
    realFs.writeFileSync(file, 'damaged')
    expect(() => acquireRunLock(journal, { what: 'This WinRE repair' })).toThrow(
      `This WinRE repair could not be locked: ${file} is damaged and could not be replaced. Delete it and try again.`,
    )
    expect(realFs.readFileSync(file, 'utf8')).toBe('damaged')
  })
})
