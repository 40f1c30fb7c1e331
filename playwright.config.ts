import { defineConfig } from '@playwright/test'
import { chromiumArgs, chromiumExecutable } from './test/e2e/chromium-path.ts'

/** A free loopback port, chosen once: workers inherit it through the environment. */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net')
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 47310))
    })
  })
}

process.env.PREVIEW_PORT ??= String(await freePort())
const port = Number(process.env.PREVIEW_PORT)

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
