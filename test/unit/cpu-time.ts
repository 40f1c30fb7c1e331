/**
 * The CPU time a piece of code takes, for the tests that tell linear from quadratic time (the suite
 * must pass at load 8). Wall time on a loaded machine includes the time spent waiting for a core: a linear
 * parse of 25–45 ms took 734 ms of wall time at load ~9.5 and failed its 500 ms bound. The CPU time this
 * process spends (user + system, all its threads: `process.cpuUsage`) does not grow with the queue for the
 * cores. Vitest's 'forks' pool runs one test at a time in each of its processes (files that share a process
 * run one after another), so the process's CPU time over `f` is f's, plus V8's own helper threads.
 */
import { expect } from 'vitest'

/** Runs `f` and returns its result with the CPU milliseconds the process spent meanwhile. */
export function cpuMs<T>(f: () => T): { result: T; ms: number } {
  const start = process.cpuUsage()
  const result = f()
  const used = process.cpuUsage(start)
  return { result, ms: (used.user + used.system) / 1000 }
}

/** Runs `f`, fails the test when it took `boundMs` of CPU or more, and returns its result. */
export function withinCpu<T>(boundMs: number, f: () => T): T {
  const { result, ms } = cpuMs(f)
  expect(ms, `CPU time (bound ${boundMs} ms)`).toBeLessThan(boundMs)
  return result
}
