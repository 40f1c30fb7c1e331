/**
 * The CPU-time bound must not fail a linear parse because the machine was busy: on a loaded machine one run of a
 * 1–150 ms parse took 1,063 ms of CPU (V8's helper threads, a collection, caches another process emptied). Such
 * noise only ever adds, so the least of a few runs is the measure; a quadratic parse exceeds the bound every time.
 */
import { describe, expect, it } from 'vitest'
import { cpuMs, withinCpu } from './cpu-time.ts'

/** Spends about `ms` of CPU in a busy loop. */
function burn(ms: number): void {
  const start = process.cpuUsage()
  while (true) {
    const used = process.cpuUsage(start)
    if ((used.user + used.system) / 1000 >= ms) return
  }
}

describe('the CPU-time bound', () => {
  it('passes work whose first run alone was slowed (the least of its runs counts)', () => {
    let calls = 0
    const f = () => {
      calls += 1
      if (calls === 1) burn(60)
      return calls
    }
    expect(withinCpu(30, f)).toBeGreaterThan(1)
  })

  it('fails work that is slow every time, naming the bound', () => {
    expect(() => withinCpu(10, () => burn(25))).toThrow(/CPU time \(bound 10 ms\)/)
  })

  it('runs the work once when the first run is within the bound', () => {
    let calls = 0
    withinCpu(1000, () => {
      calls += 1
    })
    expect(calls).toBe(1)
  })

  it('cpuMs with a bound reports the least of up to three runs', () => {
    let calls = 0
    const { ms, result } = cpuMs(() => {
      calls += 1
      if (calls < 3) burn(40)
      return calls
    }, 20)
    expect(result).toBe(3)
    expect(ms).toBeLessThan(20)
  })
})
