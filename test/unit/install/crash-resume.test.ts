/**
 * Crash safety: an installation interrupted at every executor boundary — after each journal write, after
 * each command, and in the middle of each DISM step — then run again must reach the same machine state as an
 * uninterrupted run, and never start a finished step again.
 * - Every boundary, in one process: the checkpoint hook throws at boundary n (nothing after it runs, as after
 *   a kill), then a fresh install service over the same data folder does what the CLI's rerun does (resume the
 *   unfinished journal of the same targets, method and scope).
 * - Three boundaries with a real process: the CLI is killed (SIGKILL, no clean-up, its run locks left behind;
 *   main/cli/kill-hook.ts) at the first boundary (folder), the first mid-step point (sequence) and the last
 *   boundary (image), then the same command is run again. The kill is at the boundary the in-process sweep
 *   numbers the same way (its name is checked), so both sweeps cut the run at the same places.
 */
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { runCli } from '../cli-child.ts'
import { createServices } from '../../../main/services.ts'
import { planTargets, type PlanTargetOptions } from '../../../main/cli/commands/plan.ts'
import type { Journal } from '../../../preload/model/plan.ts'
import { FULL, boundarySample, sampleNote } from '../../sample.ts'
import { hangMs } from '../../load.ts'

const MACHINE = 'arm64-missing-checkpoint'
const KB = 'KB5086672'

/** What must be identical: the PC's level, its packages and their states, restarts, history, and the image. */
function machineState(home: string) {
  const s = JSON.parse(readFileSync(join(home, 'training', `${MACHINE}.json`), 'utf8'))
  return {
    build: s.os.currentBuild,
    ubr: s.os.ubr,
    restarts: s.restarts,
    packages: s.packages.map((p: { identity: string; state: string }) => `${p.identity} ${p.state}`).sort(),
    history: s.history.map((h: { title: string; resultCode: number }) => `${h.title} ${h.resultCode}`),
    pending: s.pendingOnRestart.length,
    wim: s.files['C:\\Media\\install.wim'] ? JSON.parse(s.files['C:\\Media\\install.wim']).ubr : null,
    mounted: Object.keys(s.files).filter((f) => f.startsWith('C:\\Mount')).length,
  }
}

class Crash extends Error {}

/**
 * `install --kb KB --machine MACHINE --yes --json <extra>` in this process, as main/cli/commands/install.ts
 * does it: the unfinished journal of the same targets, method and scope is resumed, else a new plan is made;
 * then it runs (restarts confirmed, as with --yes).
 */
async function installInProcess(
  home: string,
  opts: PlanTargetOptions,
  checkpointHook?: (point: string) => void,
): Promise<{ journal: Journal; verified: boolean }> {
  const svc = createServices({ dataDir: home }).install
  const t = planTargets({ ...opts, kb: [KB] })
  const ref = { kind: 'training', name: MACHINE } as const
  const plan =
    svc.unfinishedFor(ref, t.kbs, t.method, t.scope)?.plan ??
    (await svc.makePlan({ ref, kbs: t.kbs, method: t.method, scope: t.scope, arch: t.arch, kitDir: null }))
  const journal = await svc.install(plan, { checkpointHook })
  return { journal, verified: journal.verification?.verified === true }
}

/** A finished step is never started again (an interrupted one may be, after its re-check). */
function expectNoFinishedStepRestarted(journal: Journal, what: string) {
  const finished = new Set<string>()
  for (const e of journal.entries as Array<{ phase: string; stepId?: string }>) {
    if (e.phase === 'started')
      expect(finished.has(e.stepId!), `${e.stepId} started again after it finished (${what})`).toBe(false)
    if (e.phase === 'finished') finished.add(e.stepId!)
  }
}

const cases: Array<{ name: string; opts: PlanTargetOptions; argv: string[]; realKill: 'first' | 'mid' | 'last' }> = [
  { name: 'folder', opts: { method: 'folder' }, argv: ['--method', 'folder'], realKill: 'first' },
  { name: 'sequence', opts: { method: 'sequence' }, argv: ['--method', 'sequence'], realKill: 'mid' },
  {
    name: 'image',
    opts: { method: 'sequence', image: 'C:\\Mount', wim: 'C:\\Media\\install.wim' },
    argv: ['--method', 'sequence', '--image', 'C:\\Mount', '--wim', 'C:\\Media\\install.wim'],
    realKill: 'last',
  },
]

describe('install survives being interrupted at every boundary', () => {
  for (const { name, opts, argv, realKill } of cases) {
    it(`${name}: ${FULL ? 'every boundary' : 'a seeded sample of boundaries, each kind'} (in process) + rerun = the uninterrupted result; the real CLI killed at its ${realKill} boundary too`, {
      timeout: hangMs(300_000),
    }, async () => {
      // The uninterrupted run, counting its boundaries.
      const baseHome = tempDirSync(`sd-crash-${name}-`)
      const points: string[] = []
      const base = await installInProcess(baseHome, opts, (p) => {
        points.push(p)
      })
      expect(base.verified).toBe(true)
      const want = machineState(baseHome)
      expect(want.ubr).toBe(name === 'image' ? 1150 : 8117)
      // Journal writes, command ends and mid-step points are all boundaries.
      expect(points.some((p) => p.startsWith('mid:'))).toBe(true)
      expect(points.some((p) => p.startsWith('command:'))).toBe(true)
      expect(points.some((p) => p.startsWith('journal:started'))).toBe(true)
      expect(points.some((p) => p.startsWith('journal:finished'))).toBe(true)

      // npm test: a sample drawn by the seed (each kind of boundary, the first and the last); test:full: every one.
      const kills = boundarySample(`install crash-resume ${name}`, points)
      if (FULL) expect(kills).toHaveLength(points.length)
      let swept = 0
      for (const n of kills) {
        const home = tempDirSync(`sd-crash-${name}-${n}-`)
        let seen = 0
        await expect(
          installInProcess(home, opts, (p) => {
            if (++seen === n) throw new Crash(`crash at ${n} (${p})`)
          }),
          `crash ${n}`,
        ).rejects.toBeInstanceOf(Crash)
        const again = await installInProcess(home, opts)
        expect(again.verified, `after crash ${n} (${points[n - 1]}; ${sampleNote()})`).toBe(true)
        expect(machineState(home), `after crash ${n} (${points[n - 1]})`).toEqual(want)
        expectNoFinishedStepRestarted(again.journal, `crash ${n}`)
        swept++
      }
      expect(swept).toBe(kills.length)

      // The real process: SIGKILL at one boundary, then the same command again.
      const args = ['install', '--kb', KB, '--machine', MACHINE, '--yes', '--json', ...argv]
      const n =
        realKill === 'first'
          ? 1
          : realKill === 'last'
            ? points.length
            : points.findIndex((p) => p.startsWith('mid:')) + 1
      const home = tempDirSync(`sd-crash-${name}-real-${n}-`)
      const killed = await runCli(home, args, { killAt: n })
      expect(killed.signal, killed.stderr).toBe('SIGKILL')
      expect(/killed at boundary \d+ \((.*)\)/.exec(killed.stderr)?.[1]).toBe(points[n - 1])
      const again = await runCli(home, args)
      expect(again.code, `after kill ${n} (${points[n - 1]}): ${again.stderr}`).toBe(0)
      const out = JSON.parse(again.stdout)
      expect(out.verified, `after kill ${n}`).toBe(true)
      expect(machineState(home), `after kill ${n} (${points[n - 1]})`).toEqual(want)
      expectNoFinishedStepRestarted(out.journal, `kill ${n}`)
    })
  }
})
