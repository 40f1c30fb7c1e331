// @ts-check
/**
 * Stryker configuration for `npm run mutate` (scripts/mutate.ts runs Stryker once per module with
 * MUTATE_FILE set; without it, `npx stryker run` mutates every critical module of mutation.config.json at
 * once). In-process unit tests only (vitest.mutation.config.ts); one worker, because the development
 * machines are shared; per-test coverage, so each mutant runs only the tests that reach it; incremental,
 * so a rerun reuses the result of every mutant whose code and tests did not change.
 */
import { readFileSync } from 'node:fs'

const critical = JSON.parse(readFileSync(new URL('./mutation.config.json', import.meta.url), 'utf8'))
// MUTATE_FILE: one file, or one file with line ranges (`main/x.ts:10-80,120-140`: only the mutants in those lines).
const one = process.env.MUTATE_FILE
const [oneFile, ranges] = one ? one.split(':') : []
const listed = critical.modules.find((m) => m.file === oneFile)
// MUTATE_TESTS (comma-separated test files) replaces the module's list: the narrowest set for a line range.
const testFiles = process.env.MUTATE_TESTS ? process.env.MUTATE_TESTS.split(',') : listed?.tests
const slug = one ? one.replace(/\.[cm]?[jt]sx?(?=:|$)/, '').replace(/[^A-Za-z0-9]+/g, '-') : 'all'

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: one
    ? ranges
      ? ranges.split(',').map((r) => `${oneFile}:${r}`)
      : [oneFile]
    : critical.modules.map((m) => m.file),
  ...(testFiles ? { testFiles } : {}),
  coverageAnalysis: 'perTest',
  concurrency: 1,
  incremental: true,
  incrementalFile: `.cache/mutation/${slug}.incremental.json`,
  timeoutMS: 20000,
  disableTypeChecks: false,
  // One temp folder per module, so two runs of different modules at once do not clean up each other's sandbox.
  tempDirName: `.cache/stryker-tmp/${slug}`,
  cleanTempDir: true,
  ignorePatterns: [
    '.cache',
    '.ci-out',
    'out',
    'release',
    'release-smoke',
    'reports',
    'test-results',
    'playwright-report',
    'tools',
    'docs',
    'test/e2e',
    'test/windows',
    'test/bench',
  ],
  reporters: ['json', 'progress'],
  jsonReporter: { fileName: `.cache/mutation/${slug}.report.json` },
  thresholds: { high: 85, low: 75, break: null },
  logLevel: 'warn',
  fileLogLevel: 'off',
}
