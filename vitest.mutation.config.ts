/**
 * Vitest configuration for mutation testing (`npm run mutate`, stryker.config.mjs): the unit tests minus
 * those that only exercise the CLI in a child process (listed in mutation.config.json). A child process
 * runs the code without Stryker's active mutant, so those tests can never kill one; they only slow the
 * initial run.
 */
import { readFileSync } from 'node:fs'
import { configDefaults, defineConfig } from 'vitest/config'
import { UNIT_TESTS, unitTestOptions } from './vitest.config.ts'

const { excludeTests } = JSON.parse(readFileSync(new URL('./mutation.config.json', import.meta.url), 'utf8')) as {
  excludeTests: string[]
}

// One flat project (not vitest.config.ts's two): every file in its own process, as Stryker's per-test coverage expects.
export default defineConfig({
  // Instrumented code on a shared machine runs slower than the plain suite: the initial run gets more time.
  test: {
    ...unitTestOptions,
    include: UNIT_TESTS,
    exclude: [...configDefaults.exclude, ...excludeTests],
    testTimeout: 90_000,
  },
})
