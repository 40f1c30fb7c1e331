/**
 * A repair survives being killed at every boundary (each journal write, each command's end):
 * - restart, at every boundary in one process (as below), and through the real CLI with SIGKILL
 *   (main/cli/kill-hook.ts) at the first, the second (the restart command's end) and the last boundary;
 * - restore-health, in one process (the boundary hook throws, so nothing after it runs, and a new service
 *   resumes from the journal on disk), at every boundary of its 8-step ladder.
 * Every case ends in the same state as an uninterrupted run: verified, the same step outcomes, the store
 * repaired once (one "Detect and Repair" block in CBS.log), the machine restarted once.
 */
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { createServices } from '../../../main/services.ts'
import type { RepairRun } from '../../../preload/model/repair.ts'
import { runCli } from '../cli-child.ts'
import { FULL, boundarySample, sampleNote } from '../../sample.ts'
import { hangMs } from '../../load.ts'

const cli = (home: string, args: string[], killAt?: number) => runCli(home, args, { killAt })
const state = (home: string, m: string) => JSON.parse(readFileSync(join(home, 'training', `${m}.json`), 'utf8'))

class Crash extends Error {}

describe('repair restart interrupted at every boundary (in one process, and the real CLI killed at the first, a middle and the last)', () => {
  it('each interruption + rerun ends verified with one restart', { timeout: hangMs(600_000) }, async () => {
    const m = 'x64-pending-restart'
    const ref = { kind: 'training' as const, name: m }
    const base = tempDirSync('sd-rcrash-base-')
    const counted: string[] = []
    const want = await createServices({ dataDir: base, platform: 'linux' }).repairs.run(ref, 'restart', {
      checkpointHook: (p) => {
        counted.push(p)
      },
    })
    expect(want.verified).toBe(true)
    // Boundaries: started, command, finished, ended (4 journal writes/command ends) — every one is interrupted once.
    const boundaries = want.journal.entries.length + want.results.filter((r) => r.exitCode !== null).length
    expect(boundaries).toBe(4)
    expect(counted).toHaveLength(boundaries)
    const expectAsUninterrupted = (home: string, r: RepairRun, what: string) => {
      expect(r.verified, what).toBe(true)
      expect(state(home, m).restarts, what).toBe(1)
      expect(state(home, m).reboot, what).toEqual(state(base, m).reboot)
      expect(state(home, m).packages, what).toEqual(state(base, m).packages)
    }
    let swept = 0
    for (let n = 1; n <= boundaries; n++) {
      const home = tempDirSync(`sd-rcrash-${n}-`)
      let seen = 0
      await expect(
        createServices({ dataDir: home, platform: 'linux' }).repairs.run(ref, 'restart', {
          checkpointHook: (p) => {
            if (++seen === n) throw new Crash(`crash at ${n} (${p})`)
          },
        }),
      ).rejects.toBeInstanceOf(Crash)
      expectAsUninterrupted(
        home,
        await createServices({ dataDir: home, platform: 'linux' }).repairs.run(ref, 'restart'),
        `crash ${n} (${counted[n - 1]})`,
      )
      swept++
    }
    expect(swept).toBe(4)
    // The real process (SIGKILL, no clean-up; main/cli/kill-hook.ts): the same boundaries, numbered the same way.
    const args = ['repair', 'restart', '--machine', m, '--yes', '--json']
    let killed = 0
    for (const n of [1, 2, boundaries]) {
      const home = tempDirSync(`sd-rcrash-real-${n}-`)
      const first = await cli(home, args, n)
      expect(first.signal, `kill at ${n}: ${first.stderr}`).toBe('SIGKILL')
      expect(/killed at boundary \d+ \((.*)\)/.exec(first.stderr)?.[1]).toBe(counted[n - 1])
      killed++
      const again = await cli(home, args)
      expect(again.code, `rerun after kill ${n}: ${again.stderr}`).toBe(0)
      expectAsUninterrupted(home, JSON.parse(again.stdout) as RepairRun, `kill ${n}`)
    }
    expect(killed).toBe(3)
  })
})

describe(`repair restore-health interrupted at ${FULL ? 'every boundary' : 'a seeded sample of its boundaries'} (in one process)`, () => {
  it('each interruption + resume ends as the uninterrupted run: verified, store repaired once', {
    timeout: hangMs(300_000),
  }, async () => {
    const m = 'x64-component-store-corrupt'
    const ref = { kind: 'training' as const, name: m }
    const baseHome = tempDirSync('sd-rhcrash-base-')
    const named: string[] = []
    const base = await createServices({ dataDir: baseHome, platform: 'linux' }).repairs.run(ref, 'restore-health', {
      checkpointHook: (p) => {
        named.push(p)
      },
    })
    const points = named.length
    expect(base.verified).toBe(true)
    const outcomes = (r: RepairRun) =>
      r.results.map((x) => `${x.stepId}:${x.outcome === 'rechecked' ? 'done' : x.outcome}`)
    const repairBlocks = (home: string) =>
      (state(home, m).files['C:\\Windows\\Logs\\CBS\\CBS.log'] as string).split('Operation: Detect and Repair').length -
      1
    expect(repairBlocks(baseHome)).toBe(1)
    expect(points).toBeGreaterThan(20)
    // Every boundary under test:full; under npm test a sample drawn by the seed (each kind, the first and the last).
    const kills = boundarySample('repair crash-resume restore-health', named)
    if (FULL) expect(kills).toHaveLength(points)
    let cases = 0
    for (const n of kills) {
      const home = tempDirSync(`sd-rhcrash-${n}-`)
      let seen = 0
      await expect(
        createServices({ dataDir: home, platform: 'linux' }).repairs.run(ref, 'restore-health', {
          checkpointHook: (p) => {
            if (++seen === n) throw new Crash(`crash at ${n} (${p})`)
          },
        }),
      ).rejects.toBeInstanceOf(Crash)
      const r = await createServices({ dataDir: home, platform: 'linux' }).repairs.run(ref, 'restore-health')
      expect(r.verified, `crash ${n} (${named[n - 1]}; ${sampleNote()})`).toBe(true)
      // Interrupted after its last write (the end): nothing to resume, its verified run is returned as it was.
      expect(r.resumed, `crash ${n}`).toBe(n < points)
      expect(outcomes(r), `crash ${n}`).toEqual(outcomes(base))
      expect(repairBlocks(home), `crash ${n}`).toBe(1)
      expect(state(home, m).componentStore).toEqual(state(baseHome, m).componentStore)
      cases++
    }
    expect(cases).toBe(kills.length)
  })
})
