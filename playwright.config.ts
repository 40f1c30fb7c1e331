import { defineConfig } from '@playwright/test'
import { chromiumArgs, chromiumExecutable } from './test/e2e/chromium-path.ts'

const port = Number(process.env.PREVIEW_PORT ?? 47310)

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  workers: 1,
  outputDir: 'test-results',
  reporter: process.env.CI ? [['list'], ['json', { outputFile: '.ci-out/playwright.json' }]] : [['list'], ['json', { outputFile: '.ci-out/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: { executablePath: await chromiumExecutable(), args: chromiumArgs },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: `node main/preview/bin.ts --port ${port}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 30_000,
    env: { SERVICING_DESK_HOME: process.env.E2E_HOME ?? '.cache/e2e-home' },
  },
})
