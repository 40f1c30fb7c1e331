/** The Electron smoke test on real Windows (SD_APP_EXE = the packaged app). */
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: '.',
  testMatch: 'smoke.spec.ts',
  timeout: 300_000,
  workers: 1,
  outputDir: '../../test-results/windows',
  reporter: [['list']],
})
