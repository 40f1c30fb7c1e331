/**
 * How many test processes the unit run keeps busy at once (vitest.config.ts `maxWorkers`). One per core by default,
 * never fewer than two: many files wait on child processes (the CLI, crash-resume runs) and servers rather than
 * compute, and vitest's own default (cores - 1) leaves one of two cores idle. SD_UNIT_WORKERS=<n> sets it for one run,
 * so a run with more workers than cores (a waiting file's core taken by another file) can be measured against the
 * default on the same tree without editing the config.
 */

/** The unit run's worker count from SD_UNIT_WORKERS's value and the machine's cores. Pure. */
export function unitWorkers(set: string | undefined, cores: number): number {
  if (set !== undefined && set !== '') {
    const n = Number(set)
    if (!Number.isInteger(n) || n < 1 || n > 64)
      throw new Error(`SD_UNIT_WORKERS must be a whole number from 1 to 64, not '${set}'`)
    return n
  }
  return Math.max(2, cores - 1)
}
