/**
 * scripts/failed-tests.ts: the failed tests `npm test` names right above its closing line (CI shows only the end of
 * the log). The reports are the real ones: vitest and Playwright are run here on a few tiny tests made to fail.
 */
import { describe, it, expect } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { namedFailures } from '../../../scripts/failed-tests.ts'

const bin = (name: string) => resolve('node_modules', '.bin', name)
// The tiny runs' own temp files (Playwright's transform cache) go to their folder, which is removed with it.
const runQuiet = (file: string, args: string[], cwd: string) => {
  try {
    execFileSync(file, args, {
      cwd,
      stdio: 'ignore',
      env: { ...process.env, CI: '', NODE_PATH: resolve('node_modules'), TMPDIR: cwd, TMP: cwd, TEMP: cwd },
    })
  } catch {
    /* they are made to fail */
  }
}

describe('the failed tests named above the closing line', () => {
  it("names a failed vitest test with its assertion, and a file that could not load, from vitest's own report", () => {
    const dir = tempDirSync('sd-failed-vitest-')
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
    writeFileSync(
      join(dir, 'a.test.ts'),
      "import { test, expect, describe } from 'vitest'\ndescribe('sums', () => {\n  test('adds', () => { expect(1 + 1).toBe(3) })\n  test('fine', () => { expect(1).toBe(1) })\n})\n",
    )
    writeFileSync(
      join(dir, 'b.test.ts'),
      "import { test } from 'vitest'\nimport './missing-module.ts'\ntest('x', () => {})\n",
    )
    runQuiet(bin('vitest'), ['run', '--root', dir, '--reporter=json', `--outputFile.json=${join(dir, 'v.json')}`], dir)
    const named = namedFailures(JSON.parse(readFileSync(join(dir, 'v.json'), 'utf8')), null, dir)
    expect(named).toEqual([
      'failed: a.test.ts > sums adds: AssertionError: expected 2 to be 3 // Object.is equality',
      expect.stringMatching(/^failed: b\.test\.ts: .*Cannot find module '\.\/missing-module\.ts'/),
    ])
  })

  it('names a failed browser test with its expectation and a flaky one, and leaves the passing ones out', () => {
    const dir = tempDirSync('sd-failed-pw-')
    writeFileSync(
      join(dir, 't.spec.ts'),
      [
        "import { test, expect } from '@playwright/test'",
        "test('passes on the second try', async ({}, info) => { expect(info.retry).toBe(1) })",
        "test('always fails', async () => { expect('a', 'the word').toBe('b') })",
        "test('passes', async () => {})",
        '',
      ].join('\n'),
    )
    writeFileSync(
      join(dir, 'playwright.config.ts'),
      "import { defineConfig } from '@playwright/test'\nexport default defineConfig({ testDir: '.', retries: 1, outputDir: 'out', reporter: [['json', { outputFile: 'pw.json' }]], projects: [{ name: 'chromium' }] })\n",
    )
    runQuiet(bin('playwright'), ['test', '-c', join(dir, 'playwright.config.ts')], dir)
    const named = namedFailures(null, JSON.parse(readFileSync(join(dir, 'pw.json'), 'utf8')), dir)
    expect(named).toEqual([
      'flaky (passed when run again): test/e2e/t.spec.ts:2 > passes on the second try [chromium]: Error: expect(received).toBe(expected) // Object.is equality / Expected: 1 / Received: 0',
      'failed: test/e2e/t.spec.ts:3 > always fails [chromium]: Error: the word / expect(received).toBe(expected) // Object.is equality / Expected: "b"',
    ])
  })

  it('names nothing for reports with nothing failed, and nothing for no report', () => {
    expect(
      namedFailures(
        {
          testResults: [
            { name: '/x/a.test.ts', status: 'passed', assertionResults: [{ fullName: 'a', status: 'passed' }] },
          ],
        },
        { suites: [] },
        '/x',
      ),
    ).toEqual([])
    expect(namedFailures(null, null, '/x')).toEqual([])
  })
})
