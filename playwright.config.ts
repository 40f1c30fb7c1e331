import { defineConfig } from '@playwright/test'
import { chromiumArgs, chromiumExecutable } from './test/e2e/chromium-path.ts'
import { FULL, sampleSeed } from './test/sample.ts'
import { hangMs } from './test/load.ts'

// The seed of every sampled walk (test/sample.ts): npm test's, or one chosen here, once (workers inherit it), and printed.
if (!FULL && !process.env.SD_SAMPLE_SEED)
  process.stdout.write(
    `sampled walks: SD_SAMPLE_SEED=${sampleSeed()} (rerun a red sample with it; SD_TEST_FULL=1 runs every item)\n`,
  )

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
process.env.PREVIEW_PORT_LAYOUT ??= String(await freePort())
process.env.PREVIEW_PORT_SURFACES ??= String(await freePort())
const port = Number(process.env.PREVIEW_PORT)
const layoutPort = Number(process.env.PREVIEW_PORT_LAYOUT)
const surfacesPort = Number(process.env.PREVIEW_PORT_SURFACES)
const home = process.env.E2E_HOME ?? '.cache/e2e-home'
// The preview serves its page (with the API token) only to a request that has the token: the tests'
// browser sends it as a header; the servers are started with it. Chosen once, workers inherit it.
process.env.SD_PREVIEW_TOKEN ??= (await import('node:crypto')).randomBytes(24).toString('hex')
const previewToken = process.env.SD_PREVIEW_TOKEN

/**
 * Under `npm test` the servers load the services' sources through the cache of type-stripped sources the unit tests'
 * and the CLI's children use (scripts/ts-strip-cache.mjs; test/e2e/machines.ts cliEnv): measured 2.25 -> 1.2 CPU-s a
 * server start, three a run.
 */
const stripCache: Record<string, string> =
  process.env.SD_TS_CACHE_IMPORT && process.env.SD_TS_CACHE
    ? {
        NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${process.env.SD_TS_CACHE_IMPORT}`]
          .filter(Boolean)
          .join(' '),
      }
    : {}

/**
 * Three projects, each with its own preview server and its own data folder, on two workers: the read-only files
 * (layout photographs of every screen of every training machine, axe on every screen) on whichever worker is free,
 * the flows, which change the training machines (install, repair, reset) one file after another on one worker, and
 * the two longest flows (SURFACES) likewise. None sees another's machine state.
 */
const server = (p: number, dataDir: string) => ({
  command: `node main/preview/bin.ts --port ${p}`,
  url: `http://127.0.0.1:${p}/`,
  reuseExistingServer: false,
  timeout: hangMs(30_000),
  env: { SERVICING_DESK_HOME: dataDir, SD_PREVIEW_TOKEN: previewToken, ...stripCache },
})

/**
 * The files that only look (every screen photographed for layout, axe on every screen): they change no training
 * machine, so they share the second server and balance the flows' time (the flows run one file at a time; these spread
 * over both workers once a worker is free).
 */
const READ_ONLY = /(layout|a11y)\.spec\.ts$/
/**
 * The two longest flows, on a third server and data folder of their own (test/e2e/machines.ts projectHome): every
 * surface of every state (its CLI asks the same folder) and the 50,000-device fleet. With all flows on one server one
 * after another they were 590 s of a 627 s browser run (fresh-clone CI, idle machine) while the read-only files took
 * 120 s; three projects keep both workers busy to the end.
 */
const SURFACES = /(every-surface|fleet)\.spec\.ts$/

export default defineConfig({
  testDir: 'test/e2e',
  // Hang detectors, not bounds: a test is not failed for a busy machine. A spec that needs more sets its own. Idle
  // figures stretched by the machine's load (test/load.ts: each worker reads this file as it starts), as are the specs' own.
  timeout: hangMs(300_000),
  expect: { timeout: hangMs(30_000) },
  // Under CI (its 2 cores also run the unit tests meanwhile) a failed browser test is run once more. One that then
  // passes is not hidden: npm test names it as flaky, with its first error, right above its closing line
  // (scripts/failed-tests.ts), and counts it as passed; one that fails twice fails. Locally nothing is run again.
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  outputDir: 'test-results',
  reporter: process.env.CI
    ? [['list'], ['json', { outputFile: '.ci-out/playwright.json' }]]
    : [['list'], ['json', { outputFile: '.ci-out/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    extraHTTPHeaders: { 'x-sd-token': previewToken },
    launchOptions: { executablePath: await chromiumExecutable(), args: chromiumArgs },
  },
  projects: [
    {
      name: 'chromium',
      workers: 1,
      testIgnore: [READ_ONLY, SURFACES],
      use: { browserName: 'chromium', baseURL: `http://127.0.0.1:${port}` },
    },
    {
      name: 'surfaces',
      workers: 1,
      testMatch: SURFACES,
      use: { browserName: 'chromium', baseURL: `http://127.0.0.1:${surfacesPort}` },
    },
    {
      // Its tests spread over both workers (fullyParallel): they start when the first worker is free, and the second
      // joins when the other project ends (with one worker the last ~200 s of a traced 1,861 s run ran on one worker:
      // docs/running-and-testing.md). They only look, and have no hook or state shared between tests.
      name: 'layout',
      workers: 2,
      fullyParallel: true,
      testMatch: READ_ONLY,
      use: { browserName: 'chromium', baseURL: `http://127.0.0.1:${layoutPort}` },
    },
  ],
  webServer: [server(port, home), server(surfacesPort, `${home}-surfaces`), server(layoutPort, `${home}-layout`)],
})
