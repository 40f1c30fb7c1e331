/**
 * Hang detectors that grow with the machine's load. A test's own bounds are on time it owns (fake timers, an injected
 * clock, events, CPU seconds: test/unit/cpu-time.ts); what is left on the wall clock is a hang detector — the test
 * timeout, a child process killed if it never ends, a browser wait — and a correct test must never trip one because
 * the machine is busy. On 2 cores at load 30 a process gets about a fifteenth of a core, so a test of 60 s at idle
 * takes 10-15 minutes: a fixed 300 s would fail it.
 *
 * So every such bound is written as its idle figure and scaled here by how many runnable processes share each core
 * now (the load average of the last minute or five minutes, the larger, over the cores; never below 1, at most
 * MAX_SLOWDOWN). A real hang still ends in bounded time: at idle at the idle figure, on the busiest machine at
 * MAX_SLOWDOWN times it. SD_TEST_SLOWDOWN=<n> sets the factor (1: the idle figures whatever the load).
 */
import { availableParallelism, loadavg } from 'node:os'

/** The most a bound is stretched: 300 s becomes at most 75 minutes. */
export const MAX_SLOWDOWN = 15

/** How many times slower than at idle this machine runs now (1 to MAX_SLOWDOWN). */
export function slowdown(): number {
  return slowdownOf(process.env.SD_TEST_SLOWDOWN, loadavg(), availableParallelism())
}

/** slowdown() from its inputs: SD_TEST_SLOWDOWN's value, the load averages (1, 5, 15 minutes) and the cores. */
export function slowdownOf(set: string | undefined, load: number[], cores: number): number {
  if (set !== undefined && set !== '') {
    const n = Number(set)
    if (!Number.isFinite(n) || n < 1 || n > 1000)
      throw new Error(`SD_TEST_SLOWDOWN must be a number from 1 to 1000, not '${set}'`)
    return n
  }
  const [one = 0, five = 0] = load
  return Math.min(MAX_SLOWDOWN, Math.max(1, Math.max(one, five) / cores))
}

/** A hang detector of `idleMs` at idle, stretched by the machine's load now (see above). */
export function hangMs(idleMs: number): number {
  return Math.round(idleMs * slowdown())
}

/**
 * The unit tests' hang detector at idle (vitest.config.ts's test and hook timeouts, stretched per file by
 * test/unit/setup-hang.ts): not a bound on any test's work, only when a test that never ends is called hung.
 */
export const IDLE_HANG_MS = 300_000
