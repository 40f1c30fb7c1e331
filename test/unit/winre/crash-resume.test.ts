/**
 * WinRE repairs survive a crash: interrupted at every boundary of the run — its journal's creation, after each
 * journal write and after each command returns — then started again, every case must end in the same machine
 * state as an uninterrupted run, with the partition resize applied exactly once. Every boundary is swept in
 * one process (the checkpoint hook throws; a fresh service over the same data folder reruns, as the CLI does);
 * the real CLI is killed (SIGKILL, no clean-up; main/cli/kill-hook.ts) at the first boundary, at the resize
 * command and at the last boundary, and at other points in the tests below. Also: a damaged run journal is a clear error, a finished
 * or abandoned journal does not block a new repair, and a diskpart stopped partway is not run again.
 */
import { winreFromRun } from '../../../main/runner/journal-views.ts'
import { describe, it, expect, beforeEach } from 'vitest'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { scanMachine } from '../../../main/machine/scan.ts'
import { createWinreService } from '../../../main/winre/winre-service.ts'
import { createServices } from '../../../main/services.ts'
import { trainingProfile } from '../../../main/training/profiles/index.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import type { WinreJournal } from '../../../preload/model/winre.ts'
import { runCli, runCliInProcess } from '../cli-child.ts'
import { FULL, boundarySample, sampleNote } from '../../sample.ts'
import { hangMs } from '../../load.ts'

const MB = 1024 * 1024
const newHome = (tag: string): string => tempDirSync(`sd-winre-crash-${tag}-`)

const cli = (home: string, args: string[], killAt?: number) => runCli(home, args, { killAt })
/** The same CLI program in this process (test/unit/cli-child.ts): for the calls that kill nothing. */
const cliHere = (home: string, args: string[]) => runCliInProcess(home, args)

const trainingState = (home: string, machine: string) =>
  JSON.parse(readFileSync(join(home, 'training', `${machine}.json`), 'utf8'))

/** What must be identical: WinRE (enabled, where, version, image), every partition, C:'s size and free space, the files on the PC. */
function machineState(home: string, machine: string) {
  const s = trainingState(home, machine)
  return {
    winre: s.winre,
    systemDrive: s.systemDrive,
    partitions: s.disks.flatMap((d: { number: number; partitions: Array<Record<string, unknown>> }) =>
      d.partitions.map((p) => ({ disk: d.number, ...p })),
    ),
    files: s.files,
    restarts: s.restarts,
  }
}

const runJournals = (home: string): WinreJournal[] => {
  const dir = join(home, 'winre-repairs')
  // The files are in the one journal format (preload/model/run-journal.ts); read as the runner's view of them.
  return readdirSync(dir)
    .filter((n) => n.endsWith('.run.json'))
    .map((n) => winreFromRun(JSON.parse(readFileSync(join(dir, n), 'utf8'))))
}

const ARGS = (machine: string) => ['winre', 'repair', '--machine', machine, '--yes', '--json']

class Crash extends Error {}
/** A value as it reads after a JSON round trip (what the app's IPC and files carry). */
const json = <T>(x: T): T => JSON.parse(JSON.stringify(x))

/**
 * `winre repair --machine M --yes --json` in this process, as main/cli/commands/winre.ts does it: the report
 * (which names the interrupted repair, or plans a new one from a scan), "nothing to run" when WinRE is healthy,
 * else the repair (resumed from its journal when there is one).
 */
async function repairInProcess(home: string, machine: string, checkpointHook?: (point: string) => void) {
  const svc = createServices({ dataDir: home }).winre
  const ref: MachineRef = { kind: 'training', name: machine }
  const report = await svc.report(ref)
  if (report.repair.refused) throw new Error(`The repair cannot run: ${report.repair.refused}`)
  if (report.repair.steps.length === 0)
    return {
      repairId: report.repair.id,
      status: 'completed',
      results: [],
      runner: 'host-sequence',
      resumed: false,
      verification: null,
      report,
    }
  return svc.repair(ref, report.repair.id, { checkpointHook })
}

/**
 * Where the real CLI is killed (SIGKILL) in the every-boundary test, besides the in-process sweep: the first
 * boundary, a command in the middle (the partition resize), and the last (after the run was recorded complete).
 */
const REAL_KILLS: Record<string, string[]> = {
  'x64-winre-partition-full': ['command:s3-diskpart', 'journal:ended:completed'],
  'arm64-winre-disabled': ['journal:created'],
}

describe('a WinRE repair survives being interrupted at every boundary', () => {
  for (const machine of ['x64-winre-partition-full', 'arm64-winre-disabled']) {
    it(`${machine}: ${FULL ? 'every boundary' : "a seeded sample of boundaries, each kind and the resize's"} (in process) + rerun = the uninterrupted result, the resize applied once; the real CLI killed at ${REAL_KILLS[machine].join(' and ')} too`, {
      timeout: hangMs(300_000),
    }, async () => {
      const profile = trainingProfile(machine)!
      const osBefore = profile.disks[0].partitions.find((p) => p.driveLetter === 'C')!.sizeBytes
      // The uninterrupted run, counting its boundaries.
      const baseHome = newHome('base')
      const counted: string[] = []
      const baseRun = json(
        await repairInProcess(baseHome, machine, (p) => {
          counted.push(p)
        }),
      )
      expect(baseRun).toMatchObject({
        status: 'completed',
        resumed: false,
        verification: { verified: true, after: { status: 'enabled' } },
      })
      const want = machineState(baseHome, machine)
      expect(want.winre.enabled).toBe(true)
      const resizes = machine === 'x64-winre-partition-full' ? 1 : 0
      const osAfter = want.partitions.find((p: { driveLetter: string | null }) => p.driveLetter === 'C').sizeBytes
      expect(osAfter).toBe(osBefore - resizes * 250 * MB)
      // Boundaries: the journal's creation, every journal entry, and every command's end.
      const [journal] = runJournals(baseHome)
      const steps = journal.repair.steps.length
      const boundaries = 1 + journal.entries.length + steps
      expect(boundaries).toBe(1 + (2 * steps + 1) + steps)
      expect(counted).toHaveLength(boundaries)

      /** What every rerun after an interruption at boundary n (named `point`) must show. */
      const expectFinishedAsUninterrupted = (
        n: number,
        point: string,
        home: string,
        out: Awaited<ReturnType<typeof repairInProcess>>,
        how: string,
      ) => {
        const what = `after ${how} ${n} (${point})`
        expect(machineState(home, machine), what).toEqual(want)
        const [j] = runJournals(home)
        expect(j.status, what).toBe('completed')
        expect(j.verification?.verified, what).toBe(true)
        if (point === 'journal:ended:completed') {
          // Interrupted after the run was recorded complete: the rerun finds a healthy WinRE and nothing to do.
          expect(out.results, what).toEqual([])
        } else {
          expect(out, what).toMatchObject({
            status: 'completed',
            resumed: point !== 'journal:created',
            verification: { verified: true },
          })
          expect(
            out.results.map((r: { stepId: string }) => r.stepId),
            what,
          ).toEqual(j.repair.steps.map((s) => s.id))
        }
        // A finished step is never started again; an interrupted one is re-checked and runs again only if it had no effect.
        const finished = new Set<string>()
        for (const e of j.entries) {
          if (e.phase === 'started')
            expect(finished.has(e.stepId), `${e.stepId} started again after it finished (${what})`).toBe(false)
          if (e.phase === 'finished') finished.add(e.stepId)
        }
        // diskpart ran with effect exactly once: Windows was shrunk once, never twice.
        const os = machineState(home, machine).partitions.find(
          (p: { driveLetter: string | null }) => p.driveLetter === 'C',
        )
        expect(os.sizeBytes, what).toBe(osBefore - resizes * 250 * MB)
        if (point === 'command:s3-diskpart') {
          const dp = j.entries.filter((e) => e.phase === 'finished' && e.stepId === 's3-diskpart')
          expect(dp, what).toHaveLength(1)
          expect(dp[0], what).toMatchObject({ run: { ok: true, rechecked: true } })
          expect(
            j.entries.filter((e) => e.phase === 'started' && e.stepId === 's3-diskpart'),
            what,
          ).toHaveLength(1)
        }
      }

      // In one process: the hook throws at boundary n; a fresh service over the same folder reruns. Every boundary
      // under test:full; under npm test a sample drawn by the seed (each kind, the first and the last) and always the
      // resize's own boundaries (diskpart started, diskpart's end).
      const kills = [
        ...new Set([
          ...boundarySample(`winre crash-resume ${machine}`, counted),
          ...['journal:started:s3-diskpart', 'command:s3-diskpart']
            .map((p) => counted.indexOf(p) + 1)
            .filter((n) => n > 0),
        ]),
      ].sort((a, b) => a - b)
      if (FULL) expect(kills).toHaveLength(boundaries)
      for (const n of kills) {
        const home = newHome(`${machine}-${n}`)
        let seen = 0
        let point = '?'
        await expect(
          repairInProcess(home, machine, (p) => {
            if (++seen === n) {
              point = p
              throw new Crash(`crash at ${n} (${p})`)
            }
          }),
          `crash ${n}`,
        ).rejects.toBeInstanceOf(Crash)
        expect(point, `crash ${n} (${sampleNote()})`).toBe(counted[n - 1])
        expectFinishedAsUninterrupted(n, point, home, json(await repairInProcess(home, machine)), 'crash')
      }
      const points = counted
      expect(points[0]).toBe('journal:created')
      expect(points).toContain('journal:ended:completed')
      for (const kind of ['journal:started:', 'command:', 'journal:finished:'])
        expect(points.filter((p) => p.startsWith(kind))).toHaveLength(steps)
      if (resizes)
        expect(points).toEqual(
          expect.arrayContaining([
            'journal:started:s3-diskpart',
            'command:s3-diskpart',
            'command:s1-reagentc-disable',
            'command:s10-reagentc-enable',
          ]),
        )

      // The real process: SIGKILL at the chosen boundaries (numbered as the sweep numbers them), then the same command again.
      let real = 0
      for (const name of REAL_KILLS[machine]) {
        const n = points.indexOf(name) + 1
        expect(n, name).toBeGreaterThan(0)
        const home = newHome(`${machine}-real-${n}`)
        const killed = await cli(home, ARGS(machine), n)
        expect(killed.signal, `kill ${n}: ${killed.stderr}`).toBe('SIGKILL')
        expect(/killed at boundary \d+ \((.*)\)/.exec(killed.stderr)?.[1]).toBe(name)
        const again = await cli(home, ARGS(machine))
        expect(again.code, `after kill ${n} (${name}): ${again.stderr}`).toBe(0)
        expectFinishedAsUninterrupted(n, name, home, JSON.parse(again.stdout), 'kill')
        real++
      }
      expect(real).toBe(REAL_KILLS[machine].length)
    })
  }

  it('between the kill and the rerun, `winre` says where the repair stopped (text and --json), and WinRE is off', async () => {
    const machine = 'x64-winre-partition-full'
    const home = newHome('report')
    const killed = await cli(home, ARGS(machine), 9)
    expect(killed.stderr).toContain('(command:s3-diskpart)')
    const json = await cliHere(home, ['winre', '--machine', machine, '--json'])
    expect(json.code).toBe(0)
    const report = JSON.parse(json.stdout)
    expect(report.health.winre.status).toBe('disabled')
    expect(report.interrupted).toMatchObject({
      stepNumber: 3,
      stepId: 's3-diskpart',
      duringStep: true,
      done: 2,
      total: 11,
      status: 'running',
    })
    expect(report.interrupted.message).toMatch(
      /interrupted at step 3 of 11 \(while running "Resize: Windows −250 MB.*run it again to finish/,
    )
    expect(report.repair.id).toBe(runJournals(home)[0].repairId)
    const text = await cliHere(home, ['winre', '--machine', machine])
    expect(text.stdout).toMatch(
      /! A WinRE repair was interrupted at step 3 of 11 .*WinRE stays off until it finishes\./,
    )
    expect(text.stdout).toMatch(/11 steps, 2 done; running it again finishes it from step 3/)
  })
})

describe('run journals that are damaged, finished or abandoned', () => {
  it('a damaged run journal is a clear error: nothing runs, nothing new is planned, the machine is untouched', {
    timeout: hangMs(600_000),
  }, async () => {
    const machine = 'x64-winre-partition-full'
    // The first damage is rerun as a separate process, the second in this process.
    let n = 0
    for (const damage of [
      '{"schemaVersion": 1, "repairId": "x", "status": "exploded"',
      '{"schemaVersion":2,"status":"sideways"}',
    ]) {
      const home = newHome('damaged')
      const killed = await cli(home, ARGS(machine), 5)
      expect(killed.signal).toBe('SIGKILL')
      const [j] = runJournals(home)
      const file = join(home, 'winre-repairs', `${j.repairId}.run.json`)
      writeFileSync(file, damage)
      const before = machineState(home, machine)
      const again = n++ === 0 ? await cli(home, ARGS(machine)) : await cliHere(home, ARGS(machine))
      expect(again.code).not.toBe(0)
      expect(again.signal).toBeNull()
      expect(again.stderr).toMatch(new RegExp(`The run journal of WinRE repair ${j.repairId} \\(.*\\) is damaged: `))
      expect(again.stderr).toContain(file)
      expect(again.stderr).not.toMatch(/\n\s+at /) // no stack trace
      expect(machineState(home, machine)).toEqual(before)
      // The report still shows the machine, and says why no repair is offered.
      const report = await cliHere(home, ['winre', '--machine', machine, '--json'])
      expect(report.code).toBe(0)
      const r = JSON.parse(report.stdout)
      expect(r.repair.steps).toEqual([])
      expect(r.repair.refused).toMatch(/is damaged.*reagentc \/info/)
    }
  })

  it('a finished journal does not block a new repair; an abandoned one gives way to a fresh plan', {
    timeout: hangMs(600_000),
  }, async () => {
    const machine = 'arm64-winre-disabled'
    const home = newHome('finished')
    // The CLI in this process, except the kill (a separate process, SIGKILL).
    const first = await cliHere(home, ARGS(machine))
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'completed', verification: { verified: true } })
    expect((await cliHere(home, ['machines', '--reset', machine])).code).toBe(0)
    const second = await cliHere(home, ARGS(machine))
    expect(second.code, second.stderr).toBe(0)
    const run2 = JSON.parse(second.stdout)
    expect(run2).toMatchObject({ status: 'completed', resumed: false, verification: { verified: true } })
    // The reset archived the first run's journal (machines --reset): only the second is live.
    const journals = runJournals(home)
    expect(journals.map((j) => j.status)).toEqual(['completed'])
    expect(readdirSync(join(home, 'archive')).length).toBe(1)

    // Killed after its first step (the mount folder was made), then abandoned: the next report plans afresh from a scan.
    expect((await cliHere(home, ['machines', '--reset', machine])).code).toBe(0)
    expect((await cli(home, ARGS(machine), 3)).signal).toBe('SIGKILL')
    const interrupted = JSON.parse((await cliHere(home, ['winre', '--machine', machine, '--json'])).stdout)
    expect(interrupted.interrupted).not.toBeNull()
    const gone = await cliHere(home, ['winre', 'repair', '--machine', machine, '--abandon'])
    expect(gone.code, gone.stderr).toBe(0)
    expect(gone.stdout).toMatch(new RegExp(`Abandoned repair ${interrupted.repair.id}`))
    const fresh = JSON.parse((await cliHere(home, ['winre', '--machine', machine, '--json'])).stdout)
    expect(fresh.interrupted).toBeNull()
    expect(fresh.repair.id).not.toBe(interrupted.repair.id)
    const third = await cliHere(home, ARGS(machine))
    expect(third.code, third.stderr).toBe(0)
    expect(JSON.parse(third.stdout)).toMatchObject({ status: 'completed', verification: { verified: true } })
    expect(
      runJournals(home)
        .map((j) => j.status)
        .sort(),
    ).toEqual(['abandoned', 'completed'])
    const noMore = await cliHere(home, ['winre', 'repair', '--machine', machine, '--abandon'])
    expect(noMore.code).toBe(2)
    expect(noMore.stderr).toMatch(/No interrupted WinRE repair on this machine/)
  })
})

describe('the service: resume, cancel, and a resize stopped partway', () => {
  let dataDir: string
  let store: TrainingStore
  beforeEach(() => {
    dataDir = newHome('svc')
    store = new TrainingStore(dataDir)
  })
  let clock = Date.parse('2026-05-20T10:00:00Z')
  const service = () =>
    createWinreService({
      dataDir,
      hostFor: (ref: MachineRef) => new TrainingHost((ref as { name: string }).name, store),
      scan: (ref: MachineRef) => scanMachine(new TrainingHost((ref as { name: string }).name, store)),
      now: () => {
        clock += 1000
        return new Date(clock)
      },
    })
  const crashAt = (point: string) => (p: string) => {
    if (p === point) throw new Error(`crash at ${p}`)
  }

  it('a cancelled run is resumable: the report says so, a different repair is refused, running it again finishes it', async () => {
    const svc = service()
    const ref: MachineRef = { kind: 'training', name: 'arm64-winre-disabled' }
    const { repair } = await svc.report(ref)
    const ac = new AbortController()
    const run = await svc.repair(ref, repair.id, {
      signal: ac.signal,
      onStep: (id, phase) => {
        if (id === 's2-dism-mount-image' && phase === 'finished') ac.abort()
      },
    })
    expect(run.status).toBe('cancelled')
    expect(run.results.map((r) => r.stepId)).toEqual(['s1-create-work-dir', 's2-dism-mount-image'])
    expect(run.report.interrupted).toMatchObject({ status: 'cancelled', stepNumber: 3, duringStep: false, done: 2 })
    expect(run.report.interrupted!.message).toMatch(/was cancelled at step 3 of 8 \(before "Add KB\d+/)
    expect(run.report.repair.id).toBe(repair.id)
    // Another repair for the same machine cannot start while this one is unfinished.
    const other = { ...repair, id: 'another-winre' }
    writeFileSync(join(dataDir, 'winre-repairs', 'another-winre.json'), JSON.stringify(other))
    await expect(svc.repair(ref, 'another-winre')).rejects.toThrow(
      /was cancelled at step 3 of 8.*must be finished first/,
    )
    const done = await svc.repair(ref, repair.id)
    expect(done).toMatchObject({ status: 'completed', resumed: true, verification: { verified: true } })
    expect(done.report.interrupted).toBeNull()
    await expect(svc.repair(ref, repair.id)).rejects.toThrow(/already ran to its end \(completed\)/)
  })

  it('a crash after reagentc /disable: the resume follows the journal although a re-plan now differs', async () => {
    const svc = service()
    const ref: MachineRef = { kind: 'training', name: 'x64-winre-partition-full' }
    const { repair } = await svc.report(ref)
    await expect(
      svc.repair(ref, repair.id, { checkpointHook: crashAt('command:s1-reagentc-disable') }),
    ).rejects.toThrow(/crash at/)
    expect(store.load('x64-winre-partition-full').winre.enabled).toBe(false)
    const report = await svc.report(ref)
    expect(report.repair.id).toBe(repair.id)
    expect(report.interrupted).toMatchObject({ stepNumber: 1, duringStep: true, done: 0 })
    const run = await svc.repair(ref, repair.id)
    expect(run).toMatchObject({ status: 'completed', resumed: true, verification: { verified: true } })
    expect(run.results[0]).toMatchObject({ stepId: 's1-reagentc-disable', ok: true, rechecked: true, exitCode: null })
    expect(run.results[0].output).toMatch(/WinRE is disabled.*not run again/)
  })

  it('diskpart stopped partway (Windows shrunk, recovery partition gone): nothing more runs, the person is told to finish by hand', async () => {
    const svc = service()
    const name = 'x64-winre-partition-full'
    const ref: MachineRef = { kind: 'training', name }
    const { repair } = await svc.report(ref)
    await expect(
      svc.repair(ref, repair.id, { checkpointHook: crashAt('journal:started:s3-diskpart') }),
    ).rejects.toThrow(/crash at/)
    // What a power cut after `shrink` and `delete partition override` leaves behind.
    const s = store.load(name)
    const disk = s.disks[0]
    disk.partitions.find((p) => p.driveLetter === 'C')!.sizeBytes -= 250 * MB
    disk.partitions = disk.partitions.filter((p) => p.number !== 4)
    store.save(s)
    const before = JSON.stringify(store.load(name))
    const run = await svc.repair(ref, repair.id)
    expect(run.status).toBe('failed')
    expect(run.verification).toBeNull()
    expect(run.results.at(-1)).toMatchObject({ stepId: 's3-diskpart', ok: false, rechecked: true })
    expect(run.results.at(-1)!.output).toMatch(
      /neither as it was nor as the resize leaves it.*no recovery partition after it.*nothing more runs.*by hand/,
    )
    expect(JSON.stringify(store.load(name))).toBe(before)
    const journal = svc.journals.load(repair.id)
    expect(journal.status).toBe('failed')
    expect(journal.entries.filter((e) => e.phase === 'started' && e.stepId === 's3-diskpart')).toHaveLength(1)
    // The failed journal is finished: the next report plans from a fresh scan again.
    expect((await svc.report(ref)).interrupted).toBeNull()
  })

  it('a run journal that is not JSON, or names another repair, is refused with its path', async () => {
    const svc = service()
    const ref: MachineRef = { kind: 'training', name: 'arm64-winre-disabled' }
    const { repair } = await svc.report(ref)
    await expect(svc.repair(ref, repair.id, { checkpointHook: crashAt('journal:created') })).rejects.toThrow(/crash at/)
    const file = svc.journals.file(repair.id)
    const good = readFileSync(file, 'utf8')
    writeFileSync(file, good.slice(0, good.length / 2))
    await expect(svc.repair(ref, repair.id)).rejects.toThrow(/is damaged: it is not JSON.*Nothing was run/)
    writeFileSync(file, good.replace(`"id": "${repair.id}"`, '"id": "someone-else"'))
    await expect(svc.repair(ref, repair.id)).rejects.toThrow(/names another repair/)
    writeFileSync(file, good)
    expect(existsSync(file)).toBe(true)
    expect(await svc.repair(ref, repair.id)).toMatchObject({ status: 'completed', verification: { verified: true } })
  })
})
