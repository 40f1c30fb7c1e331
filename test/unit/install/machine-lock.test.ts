/**
 * One servicing operation per PC: the machine lock (`<data>/machine-<name>.lock`,
 * main/install/run-lock.ts) is taken by every install and every WinRE repair; a second operation on the same
 * machine (another plan, or a WinRE repair while an install runs) is refused with the holder named, and
 * nothing runs. Each training machine is its own PC. A data folder that cannot be written gives one sentence.
 */
import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { freshServices, arm64 } from './helpers.ts'
import { InstallServiceError } from '../../../main/install/install-service.ts'
import {
  acquireMachineLock,
  liveMachineLockHolder,
  machineLockFile,
  machineLockName,
  readRunLock,
  RunLockBusyError,
  withMachineLock,
} from '../../../main/install/run-lock.ts'
import { WriteFailure } from '../../../main/atomic-write.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { deadPid, liveProcess } from '../processes.ts'
import { CLI } from '../../cli-script.ts'
import { hangMs } from '../../load.ts'

describe('machine lock module', () => {
  it('names: this-pc, training-<name>; a snapshot has none; a bad name is refused', () => {
    expect(machineLockName({ kind: 'this-pc' })).toBe('this-pc')
    expect(machineLockName({ kind: 'training', name: 'x64-ok' })).toBe('training-x64-ok')
    expect(machineLockName({ kind: 'snapshot', id: 'abc' })).toBeNull()
    expect(machineLockFile('/d', 'this-pc')).toBe(join('/d', 'machine-this-pc.lock'))
    expect(() => machineLockFile('/d', '../x')).toThrow(/Invalid machine lock name/)
  })

  it('holds {pid, hostname, startedAt, what}; a second taker is refused with the holder named; other machines are independent', async () => {
    const dir = tempDirSync('sd-mlock-')
    const lock = acquireMachineLock(
      dir,
      'this-pc',
      'the installation of plan P1',
      () => new Date('2026-01-02T03:04:05Z'),
    )
    expect(readRunLock(machineLockFile(dir, 'this-pc'))).toEqual({
      pid: process.pid,
      hostname: hostname(),
      startedAt: '2026-01-02T03:04:05.000Z',
      what: 'the installation of plan P1',
    })
    expect(liveMachineLockHolder(dir, 'this-pc')?.pid).toBe(process.pid)
    let err: unknown
    try {
      acquireMachineLock(dir, 'this-pc', 'The WinRE repair R1')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(RunLockBusyError)
    expect((err as Error).message).toBe(
      `The WinRE repair R1 was not started: this PC is busy with the installation of plan P1 (process ${process.pid}, since 2026-01-02T03:04:05.000Z); one servicing operation runs per PC at a time, so wait for it to end or stop it.`,
    )
    // One sentence, and no path of the data folder (the lock file is in the error's details, for a log).
    expect((err as Error).message).not.toContain(dir)
    // Another training machine is another PC.
    await withMachineLock(dir, 'training-a', 'x', async () => {
      expect(() => acquireMachineLock(dir, 'training-a', 'y')).toThrow(/machine training-a is busy with x/)
    })
    expect(existsSync(machineLockFile(dir, 'training-a'))).toBe(false)
    lock.release()
    expect(existsSync(machineLockFile(dir, 'this-pc'))).toBe(false)
  })

  it('a stale machine lock (dead process) is taken over', () => {
    const dir = tempDirSync('sd-mlock-')
    writeFileSync(
      machineLockFile(dir, 'this-pc'),
      JSON.stringify({ pid: deadPid(), hostname: hostname(), startedAt: 't', what: 'old' }),
    )
    const lock = acquireMachineLock(dir, 'this-pc', 'new')
    expect(lock.tookOver).toMatch(/stale lock of process/)
    lock.release()
  })

  it('a data folder that cannot be written: one plain sentence (WriteFailure), not raw ENOTDIR text', () => {
    const parent = tempDirSync('sd-mlock-')
    const notADir = join(parent, 'data')
    writeFileSync(notADir, 'a file where the data folder should be')
    let err: unknown
    try {
      acquireMachineLock(join(notADir, 'sub'), 'this-pc', 'x')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(WriteFailure)
    expect((err as Error).message).toMatch(
      /^Could not save the lock file \(.*machine-this-pc\.lock\): the folder .* does not exist or is not a folder; nothing else was changed\.$/,
    )
    expect((err as Error).message).not.toMatch(/ENOTDIR:/)
  })
})

describe('install and WinRE repair take the machine lock', () => {
  async function held(dir: string, name: string, what: string) {
    const pid = await liveProcess()
    const content = JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-11-21T10:00:00.000Z', what })
    mkdirSync(dir, { recursive: true })
    writeFileSync(machineLockFile(dir, name), content)
    return { pid, content }
  }

  it('an install while another operation holds the machine: refused naming the holder, nothing ran, no journal', async () => {
    const { dir, services } = freshServices()
    const plan = await services.install.makePlan({ ref: arm64, kbs: ['KB5086672'] })
    const { pid, content } = await held(dir, `training-${arm64.name}`, 'the WinRE repair r-1')
    const before = JSON.stringify(services.trainingStore.load(arm64.name))
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
        `machine training-${arm64.name} is busy with the WinRE repair r-1 (process ${pid}, since 2026-11-21T10:00:00.000Z)`,
      ),
    })
    expect(JSON.stringify(services.trainingStore.load(arm64.name))).toBe(before)
    expect(existsSync(services.install.journals.file(plan.id))).toBe(false)
    expect(existsSync(`${services.install.journals.file(plan.id)}.lock`)).toBe(false)
    expect(readFileSync(machineLockFile(dir, `training-${arm64.name}`), 'utf8')).toBe(content)
  })

  it('a WinRE repair while an install holds the machine: refused naming the holder, nothing ran', async () => {
    const { dir, services } = freshServices()
    const ref = { kind: 'training', name: 'arm64-winre-disabled' } as const
    const { repair } = await services.winre.report(ref)
    expect(repair.steps.length).toBeGreaterThan(0)
    const { pid } = await held(dir, `training-${ref.name}`, 'the installation of plan P-9')
    const before = JSON.stringify(services.trainingStore.load(ref.name))
    await expect(services.winre.repair(ref, repair.id)).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining(`is busy with the installation of plan P-9 (process ${pid}`),
    })
    expect(JSON.stringify(services.trainingStore.load(ref.name))).toBe(before)
    expect(existsSync(services.winre.journals.file(repair.id))).toBe(false)
  })

  it('two different plans of one machine at once in one process: one runs, the other is refused; the lock is gone after', async () => {
    const { dir, services } = freshServices()
    const a = await services.install.makePlan({ ref: arm64, kbs: ['KB5086672'], method: 'folder' })
    const b = await services.install.makePlan({ ref: arm64, kbs: ['KB5086672'], method: 'sequence' })
    expect(a.id).not.toBe(b.id)
    const [ra, rb] = await Promise.allSettled([services.install.install(a, {}), services.install.install(b, {})])
    expect(ra).toMatchObject({ status: 'fulfilled' })
    expect(rb).toMatchObject({
      status: 'rejected',
      reason: { code: 'refused', message: expect.stringContaining(`is busy with the installation of plan ${a.id}`) },
    })
    expect(existsSync(machineLockFile(dir, `training-${arm64.name}`))).toBe(false)
  })

  it('the CLI: install --plan refused while the machine is busy, with the holder in the message', async () => {
    const { dir, services } = freshServices()
    const plan = await services.install.makePlan({ ref: arm64, kbs: ['KB5086672'] })
    const planFile = join(dir, 'plan.json')
    writeFileSync(planFile, JSON.stringify(plan))
    const { pid } = await held(dir, `training-${arm64.name}`, 'the WinRE repair r-2')
    const env: NodeJS.ProcessEnv = { ...process.env, SERVICING_DESK_HOME: dir }
    delete env.SERVICING_DESK_TEST_KILL_AT
    const r = spawnSync(process.execPath, [CLI, 'install', '--plan', planFile, '--yes'], {
      encoding: 'utf8',
      env,
      timeout: hangMs(300_000),
    })
    expect(r.status, r.stderr).not.toBe(0)
    expect(r.stderr).toContain(`is busy with the WinRE repair r-2 (process ${pid}`)
    expect(services.install.journals.all()).toEqual([])
  })
})

describe('a data folder that cannot be written: one plain sentence in the CLI', () => {
  it('plan, install and winre repair with the data folder under a file (3 commands): exit non-zero, "Could not save …", no raw ENOTDIR text', {
    timeout: hangMs(600_000),
  }, () => {
    const parent = tempDirSync('sd-mlock-')
    writeFileSync(join(parent, 'file'), 'not a folder')
    const env: NodeJS.ProcessEnv = { ...process.env, SERVICING_DESK_HOME: join(parent, 'file', 'data') }
    delete env.SERVICING_DESK_TEST_KILL_AT
    const commands = [
      ['plan', '--kb', 'KB5086672', '--machine', arm64.name],
      ['install', '--kb', 'KB5086672', '--machine', arm64.name, '--yes'],
      ['winre', 'repair', '--machine', 'arm64-winre-disabled', '--yes'],
    ]
    let ran = 0
    for (const args of commands) {
      const r = spawnSync(process.execPath, [CLI, ...args], {
        encoding: 'utf8',
        env,
        input: '',
        timeout: hangMs(300_000),
      })
      expect(r.status, args.join(' ')).not.toBe(0)
      const last = r.stderr.trim().split('\n').pop() ?? ''
      expect(last, args.join(' ')).toMatch(
        /^servicing-desk: Could not save .* does not exist or is not a folder; nothing else was changed\.$/,
      )
      expect(r.stderr, args.join(' ')).not.toMatch(/ENOTDIR:|EROFS:|ENOENT:|\n\s+at /)
      ran++
    }
    expect(ran).toBe(3)
  })
})
