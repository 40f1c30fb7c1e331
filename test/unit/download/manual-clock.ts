/**
 * A clock for the download's idle timeout that only the test moves: no wall time decides when a download is idle, so
 * a busy machine (a response that takes seconds to arrive) cannot make the check fire early or late.
 */
import type { IdleClock } from '../../../main/download/download-file.ts'

export interface ManualClock extends IdleClock {
  /** The periods the checks were started with. */
  readonly periods: number[]
  /** Resolves once `now()` has been read `n` times in all (the download reads it at its start and at each chunk). */
  readings(n: number): Promise<void>
  /** Resolves once a check is running. */
  started(): Promise<void>
  /** Moves the time on and runs every running check once. */
  advance(ms: number): void
}

export function manualClock(): ManualClock {
  let t = 0
  let reads = 0
  const checks = new Set<() => void>()
  const waiting: { n: number; resolve: () => void }[] = []
  const startedWaiters: (() => void)[] = []
  const periods: number[] = []
  return {
    periods,
    now() {
      reads++
      for (const w of waiting.filter((x) => reads >= x.n)) {
        waiting.splice(waiting.indexOf(w), 1)
        w.resolve()
      }
      return t
    },
    every(ms, check) {
      periods.push(ms)
      checks.add(check)
      for (const r of startedWaiters.splice(0)) r()
      return () => {
        checks.delete(check)
      }
    },
    readings: (n) => (reads >= n ? Promise.resolve() : new Promise((resolve) => waiting.push({ n, resolve }))),
    started: () => (checks.size ? Promise.resolve() : new Promise((resolve) => startedWaiters.push(resolve))),
    advance(ms) {
      t += ms
      for (const c of [...checks]) c()
    },
  }
}
