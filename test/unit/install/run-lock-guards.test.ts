/**
 * The run lock and the machine lock (main/install/run-lock.ts), each guard alone and word for word: what a lock
 * file must hold to name an owner, whose process counts as running, the busy error, taking over a stale or damaged
 * lock, releasing only our own lock, and the machine lock's names. In process, no services.
 */
import { describe, expect, it } from 'vitest'
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import {
  RunLockBusyError,
  acquireMachineLock,
  acquireRunLock,
  isHolderAlive,
  liveMachineLockHolder,
  liveRunLockHolder,
  lockFileFor,
  machineLockFile,
  machineLockName,
  readRunLock,
  withMachineLock,
  withRunLock,
} from '../../../main/install/run-lock.ts'

const HOST = hostname()
/** A pid no process has (above Linux's largest pid_max). */
const GONE = 4_194_305
const dir = () => tempDirSync('sd-lock-guards-')
const at = '2026-11-23T10:00:00.000Z'

describe('what a lock file must hold', () => {
  it('a pid (a positive whole number), a hostname and a start time; what it locks, cut at 200 characters', () => {
    const d = dir()
    const f = join(d, 'x.lock')
    expect(readRunLock(f)).toBeNull()
    const cases: Array<[string, unknown]> = [
      ['not json', null],
      ['null', null],
      ['7', null],
      ['"s"', null],
      [JSON.stringify({ pid: 0, hostname: HOST, startedAt: at }), null],
      [JSON.stringify({ pid: -3, hostname: HOST, startedAt: at }), null],
      [JSON.stringify({ pid: 1.5, hostname: HOST, startedAt: at }), null],
      [JSON.stringify({ pid: '9', hostname: HOST, startedAt: at }), null],
      [JSON.stringify({ pid: 9, startedAt: at }), null],
      [JSON.stringify({ pid: 9, hostname: HOST }), null],
      [JSON.stringify({ pid: 9, hostname: HOST, startedAt: at }), { pid: 9, hostname: HOST, startedAt: at }],
      [JSON.stringify({ pid: 9, hostname: HOST, startedAt: at, what: 5 }), { pid: 9, hostname: HOST, startedAt: at }],
      [
        JSON.stringify({ pid: 9, hostname: HOST, startedAt: at, what: 'w'.repeat(300) }),
        { pid: 9, hostname: HOST, startedAt: at, what: 'w'.repeat(200) },
      ],
    ]
    for (const [text, owner] of cases) {
      writeFileSync(f, text)
      expect(readRunLock(f), text).toEqual(owner)
    }
  })

  it("whose process counts as running: ours yes, a gone one no, another computer's always", () => {
    expect(isHolderAlive({ pid: process.pid, hostname: HOST, startedAt: at })).toBe(true)
    expect(isHolderAlive({ pid: GONE, hostname: HOST, startedAt: at })).toBe(false)
    expect(isHolderAlive({ pid: GONE, hostname: `${HOST}-other`, startedAt: at })).toBe(true)
  })

  it("the live holder of a journal's lock and of a machine's: none, a stale one (null), a live one", () => {
    const d = dir()
    const journal = join(d, 'p.json')
    expect(lockFileFor(journal)).toBe(`${journal}.lock`)
    expect(liveRunLockHolder(journal)).toBeNull()
    expect(liveMachineLockHolder(d, 'this-pc')).toBeNull()
    writeFileSync(`${journal}.lock`, JSON.stringify({ pid: GONE, hostname: HOST, startedAt: at }))
    writeFileSync(machineLockFile(d, 'this-pc'), JSON.stringify({ pid: GONE, hostname: HOST, startedAt: at }))
    expect(liveRunLockHolder(journal)).toBeNull()
    expect(liveMachineLockHolder(d, 'this-pc')).toBeNull()
    const me = { pid: process.pid, hostname: HOST, startedAt: at }
    writeFileSync(`${journal}.lock`, JSON.stringify(me))
    writeFileSync(machineLockFile(d, 'this-pc'), JSON.stringify(me))
    expect(liveRunLockHolder(journal)).toEqual(me)
    expect(liveMachineLockHolder(d, 'this-pc')).toEqual(me)
  })
})

describe('taking and releasing a lock', () => {
  it('the lock holds its owner, whole; a second taker is refused with the holder named; release removes it, twice is fine', () => {
    const d = dir()
    const journal = join(d, 'p.json')
    const lock = acquireRunLock(journal, { what: 'This plan', now: () => new Date(at) })
    expect(lock.file).toBe(`${journal}.lock`)
    expect(lock.owner).toEqual({ pid: process.pid, hostname: HOST, startedAt: at })
    expect(lock.tookOver).toBeNull()
    expect(readFileSync(lock.file, 'utf8')).toBe(JSON.stringify(lock.owner))
    expect(readdirSync(d)).toEqual(['p.json.lock'])
    let err: unknown = null
    try {
      acquireRunLock(journal, { what: 'That plan' })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(RunLockBusyError)
    const busy = err as RunLockBusyError
    expect([busy.name, busy.code, busy.file, busy.holder, busy.details]).toEqual([
      'RunLockBusyError',
      'forbidden',
      lock.file,
      lock.owner,
      { holder: lock.owner, lockFile: lock.file },
    ])
    expect(busy.message).toBe(
      `That plan is already running in process ${process.pid} since ${at}; wait for it or stop it.`,
    )
    lock.release()
    expect(readdirSync(d)).toEqual([])
    lock.release()
    const again = acquireRunLock(journal)
    // A released lock does not remove the one taken after it.
    lock.release()
    expect(readRunLock(again.file)).toEqual(again.owner)
    again.release()
  })

  it('a stale lock (its process gone) and a damaged one are taken over, each said; nothing else is left in the folder', () => {
    const d = dir()
    const journal = join(d, 'p.json')
    writeFileSync(lockFileFor(journal), JSON.stringify({ pid: GONE, hostname: HOST, startedAt: at }))
    const a = acquireRunLock(journal)
    expect(a.tookOver).toBe(`A stale lock of process ${GONE} (since ${at}, no longer running) was taken over.`)
    expect(readRunLock(a.file)).toEqual(a.owner)
    a.release()
    writeFileSync(lockFileFor(journal), '')
    const b = acquireRunLock(journal)
    expect(b.tookOver).toBe('A damaged lock file (left by a crash) was taken over.')
    expect(readdirSync(d)).toEqual(['p.json.lock'])
    b.release()
  })

  it('a lock another person deleted and another run took is not removed by our release', () => {
    const d = dir()
    const journal = join(d, 'p.json')
    const lock = acquireRunLock(journal)
    const theirs = JSON.stringify({ pid: GONE + 1, hostname: `${HOST}-other`, startedAt: at })
    writeFileSync(lock.file, theirs)
    lock.release()
    expect(readFileSync(lock.file, 'utf8')).toBe(theirs)
  })

  it('a lock folder that cannot be made is one sentence naming the lock file', () => {
    const d = dir()
    writeFileSync(join(d, 'sub'), 'a file where the folder should be')
    expect(() => acquireRunLock(join(d, 'sub', 'p.json'))).toThrow(/the lock file/)
  })

  it('withRunLock and withMachineLock release however the work ends', async () => {
    const d = dir()
    const journal = join(d, 'p.json')
    await expect(
      withRunLock(journal, {}, async (l) => {
        expect(readRunLock(l.file)).toEqual(l.owner)
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(readRunLock(lockFileFor(journal))).toBeNull()
    await expect(
      withMachineLock(d, 'this-pc', 'An install', async (l) => {
        expect(readRunLock(l.file)?.what).toBe('An install')
        return 7
      }),
    ).resolves.toBe(7)
    expect(readRunLock(machineLockFile(d, 'this-pc'))).toBeNull()
    await expect(
      withMachineLock(d, 'this-pc', 'An install', async () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(readRunLock(machineLockFile(d, 'this-pc'))).toBeNull()
  })
})

describe('the machine lock', () => {
  it('names: this PC, a training machine, a remote PC (any case), none for a snapshot', () => {
    expect(machineLockName({ kind: 'this-pc' })).toBe('this-pc')
    expect(machineLockName({ kind: 'training', name: 'x64-ok' })).toBe('training-x64-ok')
    expect(machineLockName({ kind: 'remote', computer: 'FrontDesk-03' })).toBe('remote-frontdesk-03')
    expect(machineLockName({ kind: 'snapshot', id: 'abc' })).toBeNull()
  })

  it('its file: <data>/machine-<name>.lock for a name of a-z, 0-9 and - up to 80; anything else is refused', () => {
    const d = dir()
    expect(machineLockFile(d, 'training-x64-ok')).toBe(join(d, 'machine-training-x64-ok.lock'))
    expect(machineLockFile(d, 'a'.repeat(80))).toBe(join(d, `machine-${'a'.repeat(80)}.lock`))
    for (const bad of ['', 'A', 'a/b', '../x', 'a'.repeat(81), 'x\n', '\nx', 'a b']) {
      expect(() => machineLockFile(d, bad), JSON.stringify(bad)).toThrow(`Invalid machine lock name '${bad}'.`)
    }
  })

  it('busy: the machine and what holds it are named', () => {
    const d = dir()
    mkdirSync(d, { recursive: true })
    const held = acquireMachineLock(d, 'this-pc', 'A WinRE repair', () => new Date(at))
    expect(() => acquireMachineLock(d, 'this-pc', 'An install')).toThrow(
      `An install was not started: this PC is busy with A WinRE repair (process ${process.pid}, since ${at}); one servicing operation runs per PC at a time, so wait for it to end or stop it.`,
    )
    held.release()
    const other = acquireMachineLock(d, 'training-x64-ok', 'A repair', () => new Date(at))
    writeFileSync(other.file, JSON.stringify({ pid: 12, hostname: `${HOST}-other`, startedAt: at }))
    expect(() => acquireMachineLock(d, 'training-x64-ok', 'An install')).toThrow(
      `An install was not started: machine training-x64-ok is busy with another servicing operation (process 12 on ${HOST}-other, since ${at}); one servicing operation runs per PC at a time, so wait for it to end or stop it.`,
    )
  })
})
