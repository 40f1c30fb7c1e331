/**
 * Setup file of every unit test file (vitest.config.ts `setupFiles`): after a file's tests, the warm PowerShell
 * processes its emulated PCs ran scripts in (test/pwsh/worker-pool.ts) are ended and reaped, so their CPU is counted
 * where a run's own process was counted (the suite's CPU total, SD_CPU_LOG's per-file figures), and no PowerShell
 * outlives the file. The next file's first run starts a new one.
 */
import { afterAll } from 'vitest'
import { closeWorkers } from '../pwsh/worker-pool.ts'

afterAll(async () => {
  await closeWorkers()
})
