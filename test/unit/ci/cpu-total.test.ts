/** `npm test`'s CPU figure: its own time and its children's, read from /proc/self/stat. */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { cpuFromStat, cpuLine, cpuTotal } from '../../../scripts/cpu-total.ts'

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
})
