/**
 * The read-only tests against a real Windows PC (run by .github/workflows/windows.yml). Elsewhere every
 * suite skips with a note; the files are still type-checked by `tsc` with the rest of test/.
 */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/windows/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
  },
})
