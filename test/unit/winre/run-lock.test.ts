/**
 * One process per WinRE repair: the run lock (`<id>.run.json.lock`, main/install/run-lock.ts) refuses a
 * second run while a live process holds it (nothing runs: no reagentc, no diskpart), takes over a stale one
 * (a dead pid, a damaged file), and is gone however the run ended. The "other process" is a real one.
 */
import { describe, it, expect, beforeEach } from 'vitest'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { scanMachine } from '../../../main/machine/scan.ts'
import { createWinreService, WinreServiceError } from '../../../main/winre/winre-service.ts'
import { lockFileFor } from '../../../main/install/run-lock.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { deadPid, liveProcess } from '../processes.ts'

const ref: MachineRef = { kind: 'training', name: 'arm64-winre-disabled' }
let dataDir: string
let store: TrainingStore
beforeEach(() => {
  dataDir = tempDirSync('sd-winre-lock-')
  store = new TrainingStore(dataDir)
})

function service() {
  const name = (r: MachineRef) => (r as { name: string }).name
  return createWinreService({
    dataDir,
    hostFor: (r) => new TrainingHost(name(r), store),
    scan: (r) => scanMachine(new TrainingHost(name(r), store)),
  })
}

function writeLock(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, content)
}

const machine = () => JSON.stringify(store.load(ref.kind === 'training' ? ref.name : ''))

async function prepared() {
  const svc = service()
  const { repair } = await svc.report(ref)
  expect(repair.steps.length).toBeGreaterThan(0)
  const journalFile = svc.journals.file(repair.id)
  return { svc, repair, journalFile, lockFile: lockFileFor(journalFile) }
}

describe('WinRE repair takes the run lock', () => {
  it('a live lock held by another process: refused with the message, nothing ran, no run journal, the lock left alone', async () => {
    const { svc, repair, journalFile, lockFile } = await prepared()
    const pid = await liveProcess()
    const content = JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-11-21T10:00:00.000Z' })
    writeLock(lockFile, content)
    const before = machine()
    let err: unknown
    try {
      await svc.repair(ref, repair.id)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(WinreServiceError)
    expect(err).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining(
        `WinRE repair ${repair.id} is already running in process ${pid} since 2026-11-21T10:00:00.000Z; wait for it or stop it.`,
      ),
    })
    expect(machine()).toBe(before)
    expect(existsSync(journalFile)).toBe(false)
    expect(readFileSync(lockFile, 'utf8')).toBe(content)
  })

  it('an interrupted run held by a live process is neither resumed nor given up', async () => {
    const { svc, repair, lockFile } = await prepared()
    const controller = new AbortController()
    // Cancelled after its first step: an unfinished run.
    const first = await svc.repair(ref, repair.id, {
      signal: controller.signal,
      onStep: (_id, phase) => {
        if (phase === 'finished') controller.abort()
      },
    })
    expect(first.status).toBe('cancelled')
    expect(existsSync(lockFile)).toBe(false)
    const pid = await liveProcess()
    writeLock(lockFile, JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-11-21T10:00:00.000Z' }))
    const before = machine()
    await expect(svc.repair(ref, repair.id)).rejects.toThrow(`already running in process ${pid}`)
    expect(() => svc.abandon(ref, repair.id)).toThrow(
      new RegExp(`Repair ${repair.id} is running now \\(process ${pid}\\)`),
    )
    expect(() => svc.abandon(ref)).toThrow(/is running now/)
    expect(machine()).toBe(before)
    expect(svc.journals.load(repair.id).status).toBe('cancelled')
  })

  it('a stale lock (its process has exited) is taken over: the repair completes, verified, and the lock is gone', async () => {
    const { svc, repair, lockFile } = await prepared()
    writeLock(lockFile, JSON.stringify({ pid: deadPid(), hostname: hostname(), startedAt: '2026-11-21T10:00:00.000Z' }))
    const run = await svc.repair(ref, repair.id)
    expect(run.status).toBe('completed')
    expect(run.verification?.verified).toBe(true)
    expect(existsSync(lockFile)).toBe(false)
  })

  it('a damaged lock file is taken over: the repair completes and the lock is gone', async () => {
    const { svc, repair, lockFile } = await prepared()
    writeLock(lockFile, 'not a lock')
    const run = await svc.repair(ref, repair.id)
    expect(run.status).toBe('completed')
    expect(existsSync(lockFile)).toBe(false)
  })

  it('the lock is held while steps run and gone after cancelled, completed and failed runs, and after a refusal or an exception', async () => {
    const { svc, repair, lockFile, journalFile } = await prepared()
    const controller = new AbortController()
    controller.abort()
    // A repair id that does not exist: refused, and no lock is left behind.
    await expect(svc.repair(ref, 'nope')).rejects.toThrow(/No WinRE repair/)
    expect(existsSync(lockFileFor(svc.journals.file('nope')))).toBe(false)
    const cancelled = await svc.repair(ref, repair.id, { signal: controller.signal })
    expect(cancelled.status).toBe('cancelled')
    expect(existsSync(lockFile)).toBe(false)
    const held: boolean[] = []
    const done = await svc.repair(ref, repair.id, { onStep: () => held.push(existsSync(lockFile)) })
    expect(done.status).toBe('completed')
    expect(held.length).toBeGreaterThan(2)
    expect(held.every(Boolean)).toBe(true)
    expect(existsSync(lockFile)).toBe(false)
    // Ran to its end: a second run is refused, and leaves no lock.
    await expect(svc.repair(ref, repair.id)).rejects.toThrow(/already ran to its end/)
    expect(existsSync(lockFile)).toBe(false)
    // A damaged run journal: an exception inside the lock.
    writeFileSync(journalFile, '{ damaged')
    await expect(svc.repair(ref, repair.id)).rejects.toThrow(/damaged/)
    expect(existsSync(lockFile)).toBe(false)
  })

  it('a failed run leaves no lock', async () => {
    const { svc, repair, lockFile } = await prepared()
    await new TrainingHost('arm64-winre-disabled', store).run({
      name: 'winre.dism-mount-image',
      file: 'dism.exe',
      args: [
        '/Mount-Image',
        '/ImageFile:C:\\Windows\\System32\\Recovery\\Winre.wim',
        '/Index:1',
        '/MountDir:C:\\elsewhere',
      ],
      timeoutMs: 1000,
    })
    const run = await svc.repair(ref, repair.id)
    expect(run.status).toBe('failed')
    expect(existsSync(lockFile)).toBe(false)
  })

  it('two runs of the same repair at once in one process: one runs, the other is refused', async () => {
    const { svc, repair, lockFile } = await prepared()
    const [a, b] = await Promise.allSettled([svc.repair(ref, repair.id), svc.repair(ref, repair.id)])
    expect(a).toMatchObject({ status: 'fulfilled', value: { status: 'completed' } })
    expect(b).toMatchObject({
      status: 'rejected',
      reason: { code: 'forbidden', message: expect.stringContaining(`is already running in process ${process.pid}`) },
    })
    expect(existsSync(lockFile)).toBe(false)
    expect(svc.journals.load(repair.id).entries.filter((e) => e.phase === 'started')).toHaveLength(repair.steps.length)
  })
})
