import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'
import SlowFirstSequencer from './test/unit/slow-first-sequencer.ts'
import { FULL, sampleSeed } from './test/sample.ts'
import { IDLE_HANG_MS } from './test/load.ts'
import { unitWorkers } from './test/unit-workers.ts'

// The seed of every sampled walk (test/sample.ts): npm test's, or one chosen here (the workers inherit it) and printed.
if (!FULL && !process.env.SD_SAMPLE_SEED)
  process.stdout.write(
    `sampled walks: SD_SAMPLE_SEED=${sampleSeed()} (rerun a red sample with it; SD_TEST_FULL=1 runs every item)\n`,
  )

/** Every unit test file. */
export const UNIT_TESTS = ['test/unit/**/*.test.{ts,tsx}']
/**
 * The files that replace modules (`vi.mock`): each keeps a process of its own, so no mock reaches another file.
 * So do the jsdom files that set `window.servicingDesk`: the renderer keeps the first API it sees
 * (renderer/src/bridge/api.ts), so a file that shared a process with another talked to the other's back end
 * (no progress events, another data folder) — it failed only when the scheduler happened to put two of them
 * in one worker, which a loaded machine does (`2867 passed, 1 failed` at load ~8).
 */
const ISOLATED = [
  ...['preload', 'open-external', 'window-policy', 'main-wiring'].map((f) => `test/unit/app/${f}.test.ts`),
  'test/unit/app/resume-screens.test.tsx',
  'test/unit/kit/updates-screen.test.tsx',
  'test/unit/renderer/screens.test.tsx',
  'test/unit/winre/recovery-ui.test.tsx',
  'test/unit/install/run-lock-created-whole.test.ts',
  'test/unit/install/run-lock-faults.test.ts',
  'test/unit/download/request-beside-writer.test.ts',
]

/** Settings every unit test run shares (the mutation runs' config, vitest.mutation.config.ts, starts from these). */
export const unitTestOptions: {
  environment: string
  testTimeout: number
  hookTimeout: number
  pool: 'forks'
  maxWorkers: number
  setupFiles: string[]
} = {
  // Vitest's node environment; at a test process's end its warm PowerShell workers are ended and reaped (they
  // outlive a file: the next file of the process uses them).
  environment: './test/unit/pwsh-environment.ts',
  // Hang detectors, not bounds: a test is never failed for being slow on a busy machine (at load 15 two CLI
  // tests of a few seconds hit the 30 s they had). A test that bounds its own work measures its CPU time (test/unit/cpu-time.ts).
  // These are the idle figures: each file's are stretched by the load as it starts (test/unit/setup-hang.ts; at load
  // 23-33 on 2 cores a 60 s file takes 10 minutes and more).
  testTimeout: IDLE_HANG_MS,
  hookTimeout: IDLE_HANG_MS,
  pool: 'forks',
  // Many files wait on child processes (the CLI, crash-resume runs) and servers rather than compute, so one
  // worker per core (vitest's default leaves one core idle: a single worker on a 2-core machine);
  // SD_UNIT_WORKERS=<n> sets another count for one run (test/unit-workers.ts).
  maxWorkers: unitWorkers(process.env.SD_UNIT_WORKERS, availableParallelism()),
  // Each file's temp folders are removed after it, also when files share a process (test/unit/temp-dirs.ts).
  setupFiles: [
    'test/unit/setup-hang.ts',
    'test/unit/setup-temp-dirs.ts',
    'test/unit/setup-cpu-log.ts',
    'test/unit/setup-env-restored.ts',
  ],
}

// `include` is set per project, not here: a project that extends this config would add its own to this one.
export default defineConfig({
  test: {
    ...unitTestOptions,
    sequence: { sequencer: SlowFirstSequencer },
    // Vitest runs one project's files after another's, by name: 'unit' (four short files) first, then 'unit-shared'.
    projects: [
      { extends: true, test: { name: 'unit', include: ISOLATED } },
      // A fresh process per file costs CPU and time (start, environment, the module graph: ~0.6 s a file on a busy
      // 2-core machine, 120 files) — for most files more than their tests. These files share their workers'
      // processes: temp folders are still removed per file (setupFiles), and a module-level cache must check
      // that what it cached still exists (test/unit/install/planned-machine.ts). Measured: the 87 files of
      // parse, analyze, diagnose and knowledge, 52 core-s with a process per file, 36 shared; the whole
      // `npm test` on an idle machine, 348 s (570 core-s) with only those 87 shared, 311 s (486 core-s) now.
      { extends: true, test: { name: 'unit-shared', include: UNIT_TESTS, exclude: ISOLATED, isolate: false } },
    ],
  },
})
