/** `npm test`'s CPU figure: its own time and its children's, read from /proc/self/stat. */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { cpuFromStat, cpuLine, cpuTotal, splitLine } from '../../../scripts/cpu-total.ts'
import { runStepPiped } from '../../../scripts/run-step.ts'

describe('the suite CPU total', () => {
  it('adds utime, stime, cutime and cstime (fields 14-17, ticks of 1/100 s), past a command name with spaces', () => {
    // /proc/<pid>/stat of a node process (Linux 6.x), its command name changed to hold a space and a parenthesis.
    const stat =
      '4242 (node (x) y) S 4200 4242 4200 34816 4242 4194304 21043 120 0 0 250 40 3100 460 20 0 11 0 5123 1186668544 21311 18446744073709551615 1 1 0 0 0 0 0 16781312 134235650 0 0 0 17 1 0 0 0 0 0'
    expect(cpuFromStat(stat)).toBeCloseTo((250 + 40 + 3100 + 460) / 100, 6)
    expect(cpuFromStat('1 (x) S 1 2')).toBeNull()
  })

  it.runIf(process.platform === 'linux')('counts a child it waited for', () => {
    const before = cpuTotal()
    // A child that spins for 300 ms of its own CPU (process.cpuUsage, not a clock).
    spawnSync(process.execPath, ['-e', 'const s = process.cpuUsage(); while (process.cpuUsage(s).user < 300000) {}'])
    const after = cpuTotal()
    expect(after.withChildren).toBe(true)
    expect(after.seconds - before.seconds).toBeGreaterThanOrEqual(0.28)
    expect(cpuLine(after)).toMatch(/^CPU \d+ s \(\d+\.\d min, this run and every process it started\)$/)
  })

  it.runIf(process.platform === 'linux')(
    "measures a step's own process tree, grandchildren included, not a step running beside it",
    async () => {
      // Two steps side by side, alike but for a grandchild's 500 ms spin in one of them (process.cpuUsage, not a
      // clock): a figure taken from this process's children as a whole would give both about the same.
      const spin = (us: number) => `const s = process.cpuUsage(); while (process.cpuUsage(s).user < ${us}) {}`
      const step = (us: number) => {
        const grandchild = `require('node:child_process').spawnSync(process.execPath, ['-e', ${JSON.stringify(spin(us))}]); console.log('done'); process.exit(3)`
        let out = ''
        return runStepPiped('spin', process.execPath, ['-e', grandchild], {}, (t) => {
          out += t
        }).then((r) => ({ ...r, out }))
      }
      const [busy, idle] = await Promise.all([step(500_000), step(0)])
      expect(busy.code).toBe(3)
      expect(busy.out).toBe('done\n')
      expect(busy.cpu).not.toBeNull()
      expect(idle.cpu).not.toBeNull()
      expect(busy.cpu as number).toBeGreaterThanOrEqual(0.48)
      expect((busy.cpu as number) - (idle.cpu as number)).toBeGreaterThanOrEqual(0.3)
    },
  )

  it('prints the unit and browser steps apart and the whole run after them', () => {
    const steps = new Map([
      ['build', { ms: 20_000, cpu: 30 }],
      ['unit tests', { ms: 401_400, cpu: 612.4 }],
      ['browser tests', { ms: 559_000, cpu: null }],
    ])
    expect(splitLine(steps, 620_000, 1000)).toBe(
      'unit: wall 401 s, CPU 612 s (10.2 min); browser: wall 559 s, CPU unknown; total: wall 620 s, CPU 1000 s (16.7 min)',
    )
    expect(splitLine(new Map(), 1000, 2)).toBe('total: wall 1 s, CPU 2 s (0.0 min)')
  })
})
