/**
 * One process per plan: the run lock (`<journal>.lock`) refuses a second run while a live process holds it,
 * takes over a stale one (a dead pid, a damaged file), and is gone however the run ended. The "other
 * process" is a real one (a spawned node that idles), and a dead pid is one of a process that has exited.
 */
import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname, join } from 'node:path'
import { freshServices, arm64 } from './helpers.ts'
import { InstallServiceError } from '../../../main/install/install-service.ts'
import {
  acquireRunLock,
  lockFileFor,
  readRunLock,
  RunLockBusyError,
  withRunLock,
} from '../../../main/install/run-lock.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { deadPid, liveProcess } from '../processes.ts'
import { CLI } from '../../cli-script.ts'
import { hangMs } from '../../load.ts'

function writeLock(journalFile: string, content: string): string {
  const file = lockFileFor(journalFile)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, content)
  return file
}

describe('run lock module', () => {
  it('is created with {pid, hostname, startedAt}, refuses a second taker in the same process, and is removed on release', () => {
    const journal = join(tempDirSync('sd-lock-'), 'journals', 'p.json')
    const lock = acquireRunLock(journal, { what: 'This plan', now: () => new Date('2026-01-02T03:04:05Z') })
    expect(readRunLock(lockFileFor(journal))).toEqual({
      pid: process.pid,
      hostname: hostname(),
      startedAt: '2026-01-02T03:04:05.000Z',
    })
    expect(lock.tookOver).toBeNull()
    let err: unknown
    try {
      acquireRunLock(journal)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(RunLockBusyError)
    expect(err).toMatchObject({
      code: 'forbidden',
      message: `This plan is already running in process ${process.pid} since 2026-01-02T03:04:05.000Z; wait for it or stop it.`,
    })
    lock.release()
    expect(existsSync(lockFileFor(journal))).toBe(false)
    lock.release() // twice is harmless
    acquireRunLock(journal).release()
  })

  it('a lock of another computer is honoured (its pid cannot be checked here) and named in the message', () => {
    const journal = join(tempDirSync('sd-lock-'), 'p.json')
    writeLock(
      journal,
      JSON.stringify({ pid: deadPid(), hostname: `${hostname()}-elsewhere`, startedAt: '2026-01-01T00:00:00.000Z' }),
    )
    expect(() => acquireRunLock(journal)).toThrow(
      new RegExp(`on ${hostname()}-elsewhere since 2026-01-01T00:00:00.000Z; wait for it or stop it`),
    )
  })

  it('takes over a lock of a dead process, and damaged lock files of every kind', () => {
    const journal = join(tempDirSync('sd-lock-'), 'p.json')
    const damaged = [
      '',
      '{',
      'null',
      '[]',
      '"x"',
      '{"pid":"12","hostname":"h","startedAt":"t"}',
      '{"pid":0,"hostname":"h","startedAt":"t"}',
      '{"pid":-5,"hostname":"h","startedAt":"t"}',
      '{"pid":1.5,"hostname":"h","startedAt":"t"}',
      '{"pid":12,"startedAt":"t"}',
      '\u0000\u0001garbage',
    ]
    for (const content of damaged) {
      writeLock(journal, content)
      const lock = acquireRunLock(journal)
      expect(lock.tookOver, JSON.stringify(content)).toMatch(/damaged lock file/)
      expect(readRunLock(lockFileFor(journal))?.pid).toBe(process.pid)
      lock.release()
    }
    const pid = deadPid()
    writeLock(journal, JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }))
    const lock = acquireRunLock(journal)
    expect(lock.tookOver).toBe(
      `A stale lock of process ${pid} (since 2026-01-01T00:00:00.000Z, no longer running) was taken over.`,
    )
    lock.release()
    expect(existsSync(lockFileFor(journal))).toBe(false)
  })

  it('release leaves a lock that is no longer its own (deleted by hand and taken by another run)', async () => {
    const journal = join(tempDirSync('sd-lock-'), 'p.json')
    const lock = acquireRunLock(journal)
    const other = JSON.stringify({ pid: await liveProcess(), hostname: hostname(), startedAt: 'x' })
    writeFileSync(lockFileFor(journal), other)
    lock.release()
    expect(readFileSync(lockFileFor(journal), 'utf8')).toBe(other)
  })

  it('withRunLock releases after an exception', async () => {
    const journal = join(tempDirSync('sd-lock-'), 'p.json')
    await expect(
      withRunLock(journal, {}, async () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(existsSync(lockFileFor(journal))).toBe(false)
  })
})

describe('install takes the plan lock', () => {
  async function setup(ref: { kind: 'training'; name: string } = arm64, method: 'folder' | 'sequence' = 'folder') {
    const { dir, services } = freshServices()
    const plan = await services.install.makePlan({
      ref,
      kbs: [ref.name === arm64.name ? 'KB5086672' : 'KB5048685'],
      method,
    })
    const journalFile = services.install.journals.file(plan.id)
    return {
      dir,
      services,
      plan,
      journalFile,
      lockFile: lockFileFor(journalFile),
      machine: () => JSON.stringify(services.trainingStore.load(ref.name)),
    }
  }

  it('a live lock held by another process: refused with the message, nothing ran, the lock is left alone', async () => {
    const { services, plan, journalFile, lockFile, machine } = await setup()
    const pid = await liveProcess()
    const content = JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-11-21T10:00:00.000Z' })
    writeLock(journalFile, content)
    const before = machine()
    let err: unknown
    try {
      await services.install.install(plan, {})
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(InstallServiceError)
    expect(err).toMatchObject({
      code: 'refused',
      message: expect.stringContaining(
        `Plan ${plan.id} is already running in process ${pid} since 2026-11-21T10:00:00.000Z; wait for it or stop it.`,
      ),
    })
    expect(machine()).toBe(before)
    expect(existsSync(journalFile)).toBe(false)
    expect(readFileSync(lockFile, 'utf8')).toBe(content)
  })

  it('the CLI (install --plan FILE) is refused the same way and changes nothing', async () => {
    const { dir, services, plan, journalFile, machine } = await setup()
    const planFile = join(dir, 'plan.json')
    writeFileSync(planFile, JSON.stringify(plan))
    const pid = await liveProcess()
    writeLock(journalFile, JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-11-21T10:00:00.000Z' }))
    const before = machine()
    const env: NodeJS.ProcessEnv = { ...process.env, SERVICING_DESK_HOME: dir }
    delete env.SERVICING_DESK_TEST_KILL_AT
    const r = spawnSync(process.execPath, [CLI, 'install', '--plan', planFile, '--yes', '--json'], {
      encoding: 'utf8',
      env,
      timeout: hangMs(300_000),
    })
    expect(r.status, r.stderr).not.toBe(0)
    expect(r.stderr).toContain(
      `is already running in process ${pid} since 2026-11-21T10:00:00.000Z; wait for it or stop it.`,
    )
    expect(machine()).toBe(before)
    expect(existsSync(journalFile)).toBe(false)
    expect(services.install.journals.all()).toEqual([])
  })

  it('a stale lock (its process has exited) is taken over: the run completes and the lock is gone', async () => {
    const { services, plan, journalFile, lockFile } = await setup()
    writeLock(
      journalFile,
      JSON.stringify({ pid: deadPid(), hostname: hostname(), startedAt: '2026-11-21T10:00:00.000Z' }),
    )
    const j = await services.install.install(plan, {})
    expect(j.status).toBe('completed')
    expect(j.verification?.verified).toBe(true)
    expect(existsSync(lockFile)).toBe(false)
  })

  it('a damaged lock file is taken over: the run completes and the lock is gone', async () => {
    const { services, plan, journalFile, lockFile } = await setup()
    writeLock(journalFile, '{"pid": 12')
    const j = await services.install.install(plan, {})
    expect(j.status).toBe('completed')
    expect(existsSync(lockFile)).toBe(false)
  })

  it('the lock is held while steps run and gone after completed, awaiting-restart, cancelled and failed runs, and after an exception', async () => {
    const { services, plan, lockFile } = await setup(arm64, 'sequence')
    const seen: boolean[] = []
    const waiting = await services.install.install(plan, {
      confirmRestart: async () => false,
      onJournal: () => seen.push(existsSync(lockFile)),
    })
    expect(waiting.status).toBe('awaiting-restart')
    expect(seen.length).toBeGreaterThan(1)
    expect(seen.every(Boolean)).toBe(true)
    expect(existsSync(lockFile)).toBe(false)
    const controller = new AbortController()
    controller.abort()
    const cancelled = await services.install.install(plan, { signal: controller.signal })
    expect(cancelled.status).toBe('cancelled')
    expect(existsSync(lockFile)).toBe(false)
    const done = await services.install.install(plan, {})
    expect(done.status).toBe('completed')
    expect(existsSync(lockFile)).toBe(false)

    const bad = await setup({ kind: 'training', name: 'x64-component-store-corrupt' }, 'sequence')
    const failed = await bad.services.install.install(bad.plan, {})
    expect(failed.status).toBe('failed')
    expect(existsSync(bad.lockFile)).toBe(false)

    // An exception (a damaged journal) ends the run too: the lock goes with it.
    const broken = await setup()
    mkdirSync(dirname(broken.journalFile), { recursive: true })
    writeFileSync(broken.journalFile, '{ not json')
    await expect(broken.services.install.install(broken.plan, {})).rejects.toThrow(/not JSON/)
    expect(existsSync(broken.lockFile)).toBe(false)
  })

  it('two runs of the same plan at once in one process: one runs, the other is refused', async () => {
    const { services, plan, lockFile, machine } = await setup()
    const [a, b] = await Promise.allSettled([services.install.install(plan, {}), services.install.install(plan, {})])
    expect(a).toMatchObject({ status: 'fulfilled', value: { status: 'completed' } })
    expect(b).toMatchObject({
      status: 'rejected',
      reason: { code: 'refused', message: expect.stringContaining(`is already running in process ${process.pid}`) },
    })
    expect(existsSync(lockFile)).toBe(false)
    // Installed once: one restart on the machine.
    expect(JSON.parse(machine()).restarts).toBe(1)
  })
})
