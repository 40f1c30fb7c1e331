/**
 * The fuzz targets of `npm run fuzz`, with 100 cases each under `npm test` and 200 under `npm run test:full`
 * (SD_TEST_FULL=1), so CI catches a regression (a throw, a broken property, a hang) in seconds. Fixed seed by default so CI is repeatable; `FUZZ_SEED=n` and
 * `FUZZ_RUNS=n` explore. Failing inputs are saved to .cache/fuzz-failures/ like the long run's.
 *
 * The per-case budget here is 5 s, not the long run's 1 s: it is there to catch hangs and catastrophic
 * backtracking on a busy CI machine, not to time anything (timings are for `npm run bench`).
 */
import { describe, it, expect } from 'vitest'
import { fuzzTargets } from '../../fuzz/targets.ts'
import { runTarget } from '../../fuzz/harness.ts'
import { FULL } from '../../sample.ts'
import { hangMs } from '../../load.ts'

const RUNS = Number(process.env.FUZZ_RUNS ?? (FULL ? 200 : 100))
const SEED = Number(process.env.FUZZ_SEED ?? 20261121)

describe('fuzz targets (short run)', () => {
  for (const t of fuzzTargets) {
    it(`${t.name}: ${t.property}`, { timeout: hangMs(600_000) }, async () => {
      const r = await runTarget(t, { runs: RUNS, seed: SEED, budgetMs: 5000, maxFailures: 1 })
      expect(
        r.messages,
        `replay: npm run fuzz -- --target ${t.name} --seed ${SEED} --replay <case>; inputs in ${r.failureFiles.join(', ')}`,
      ).toEqual([])
      expect(r.runs).toBe(RUNS)
    })
  }
})
