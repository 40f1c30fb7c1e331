/** Runs only the temp-dirs fixture; used by test/unit/temp-dirs.test.ts in a child vitest. */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/temp-dirs/*.fixture.ts'],
    environment: 'node',
    pool: 'forks',
  },
})
