/**
 * Crash safety, proven with real processes: the CLI is killed (SIGKILL, no clean-up) at every executor
 * boundary — after each journal write, after each command, and in the middle of each DISM step — then
 * started again. Every case must reach the same machine state as an uninterrupted run.
 */
import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'

const MACHINE = 'arm64-missing-checkpoint'

function cli(home: string, args: string[], killAt?: number) {
  const env: NodeJS.ProcessEnv = { ...process.env, SERVICING_DESK_HOME: home }
  if (killAt) env.SERVICING_DESK_TEST_KILL_AT = String(killAt)
  else delete env.SERVICING_DESK_TEST_KILL_AT
  const r = spawnSync(process.execPath, ['main/cli/bin.ts', ...args], { encoding: 'utf8', env, timeout: 60_000 })
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }
}

/** What must be identical: the PC's level, its packages and their states, restarts, history, and the image. */
function machineState(home: string) {
  const s = JSON.parse(readFileSync(join(home, 'training', `${MACHINE}.json`), 'utf8'))
  return {
    build: s.os.currentBuild, ubr: s.os.ubr, restarts: s.restarts,
    packages: s.packages.map((p: { identity: string; state: string }) => `${p.identity} ${p.state}`).sort(),
    history: s.history.map((h: { title: string; resultCode: number }) => `${h.title} ${h.resultCode}`),
    pending: s.pendingOnRestart.length,
    wim: s.files['C:\\Media\\install.wim'] ? JSON.parse(s.files['C:\\Media\\install.wim']).ubr : null,
    mounted: Object.keys(s.files).filter((f) => f.startsWith('C:\\Mount')).length,
  }
}

const cases: Array<[string, string[]]> = [
  ['folder', ['--method', 'folder']],
  ['sequence', ['--method', 'sequence']],
  ['image', ['--method', 'sequence', '--image', 'C:\\Mount', '--wim', 'C:\\Media\\install.wim']],
]

describe('install survives being killed at every boundary', () => {
  for (const [name, extra] of cases) {
    it(`${name}: every kill point + rerun = the uninterrupted result`, () => {
      const args = ['install', '--kb', 'KB5086672', '--machine', MACHINE, '--yes', '--json', ...extra]
      const baseHome = tempDirSync(`sd-crash-${name}-`)
      const base = cli(baseHome, args)
      expect(base.code, base.stderr).toBe(0)
      expect(JSON.parse(base.stdout).verified).toBe(true)
      const want = machineState(baseHome)
      expect(want.ubr).toBe(name === 'image' ? 1150 : 8117)

      const points: string[] = []
      for (let n = 1; n < 60; n++) {
        const home = tempDirSync(`sd-crash-${name}-${n}-`)
        const killed = cli(home, args, n)
        if (killed.signal !== 'SIGKILL') {
          // n is past the last boundary: the run completed untouched.
          expect(killed.code, killed.stderr).toBe(0)
          break
        }
        points.push(/killed at boundary \d+ \((.*)\)/.exec(killed.stderr)?.[1] ?? '?')
        const again = cli(home, args)
        expect(again.code, `after kill ${n} (${points.at(-1)}): ${again.stderr}`).toBe(0)
        const out = JSON.parse(again.stdout)
        expect(out.verified, `after kill ${n}`).toBe(true)
        expect(machineState(home), `after kill ${n} (${points.at(-1)})`).toEqual(want)
        // A finished step is never started again (an interrupted one may be, after its re-check).
        const finished = new Set<string>()
        for (const e of out.journal.entries as Array<{ phase: string; stepId?: string }>) {
          if (e.phase === 'started') expect(finished.has(e.stepId!), `${e.stepId} started again after it finished (kill ${n})`).toBe(false)
          if (e.phase === 'finished') finished.add(e.stepId!)
        }
      }
      // Journal writes, command ends and mid-step points were all hit.
      expect(points.some((p) => p.startsWith('mid:'))).toBe(true)
      expect(points.some((p) => p.startsWith('command:'))).toBe(true)
      expect(points.some((p) => p.startsWith('journal:started'))).toBe(true)
      expect(points.some((p) => p.startsWith('journal:finished'))).toBe(true)
    }, 600_000)
  }
})
