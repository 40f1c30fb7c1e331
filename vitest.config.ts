import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Many files wait on child processes (the CLI, crash-resume runs) and servers rather than compute, so one
    // worker per core (vitest's default leaves one core idle: a single worker on a 2-core machine).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
})
