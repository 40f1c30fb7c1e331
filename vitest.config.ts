import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'
import SlowFirstSequencer from './test/unit/slow-first-sequencer.ts'

/** Every unit test file. */
export const UNIT_TESTS = ['test/unit/**/*.test.{ts,tsx}']
/** The folders whose tests call pure code (parsers, analysers, diagnosis rules, knowledge look-ups) on in-memory input. */
const PURE = ['parse', 'analyze', 'diagnose', 'knowledge'].map((d) => `test/unit/${d}/**/*.test.{ts,tsx}`)

/** Settings every unit test run shares (the mutation runs' config, vitest.mutation.config.ts, starts from these). */
export const unitTestOptions: { environment: 'node'; testTimeout: number; hookTimeout: number; pool: 'forks'; maxWorkers: number } = {
  environment: 'node',
  testTimeout: 30_000,
  hookTimeout: 30_000,
  pool: 'forks',
  // Many files wait on child processes (the CLI, crash-resume runs) and servers rather than compute, so one
  // worker per core (vitest's default leaves one core idle: a single worker on a 2-core machine).
  maxWorkers: Math.max(2, availableParallelism() - 1),
}

// `include` is set per project, not here: a project that extends this config would add its own to this one.
export default defineConfig({
  test: {
    ...unitTestOptions,
    sequence: { sequencer: SlowFirstSequencer },
    // Vitest runs one project's files after another's, by name: 'unit' (the long files) first, then 'unit-pure'
    // (many short files) fills the end of the run.
    projects: [
      // A fresh process per file costs CPU (start, module graph) — for most of these files more than their tests.
      // The pure folders' files share their workers' processes: measured on these 87 files (1480 tests), 52 core-s
      // with a process per file, 36 shared (load ~8); on test/unit/parse alone 20.6 → 7.6 core-s.
      { extends: true, test: { name: 'unit-pure', include: PURE, isolate: false } },
      // Everything else (training machines, temp folders, child processes, servers, module mocks) keeps a fresh
      // process per file, so no state leaks from one file to the next.
      { extends: true, test: { name: 'unit', include: UNIT_TESTS, exclude: PURE } },
    ],
  },
})
