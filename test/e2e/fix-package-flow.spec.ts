/**
 * From the app alone: the collector saved → the file it wrote opened → the fix package built (folder and
 * zip, what it does in plain words) → rehearsed on a model of that PC → the proof says resolved. Through the UI only;
 * the collector's run on the PC is stood in for by `scan --out FILE.zip` of the training machine (the same zip format).
 */
import { test, expect } from '@playwright/test'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { e2eHome, writeSnapshot } from './machines.ts'
import { seriousViolations } from './axe.ts'
import { screenshot } from './screenshot.ts'
import { CLI } from '../cli-script.ts'
import { hangMs } from '../load.ts'

test.afterEach(() => {
  // The flows that walk every training machine must not meet the rehearsal's model.
  rmSync(join(e2eHome, 'training', 'imported', 'import-hd-desk-114.json'), { force: true })
  rmSync(join(e2eHome, 'training', 'import-hd-desk-114.json'), { force: true })
})

test('collector saved → snapshot opened → fix package built → rehearsed → proof shows resolved', async ({
  page,
}, testInfo) => {
  test.setTimeout(hangMs(600_000))
  await page.goto('/')
  await page.getByTestId('start-fix-package').click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'fix-package')

  // 1. The collector: the preview has no save dialog, so the page downloads it; the command to run it is shown.
  const download = page.waitForEvent('download')
  await page.getByTestId('flow-save-collector').click()
  const file = await download
  expect(file.suggestedFilename()).toBe('Collect-ServicingFacts.ps1')
  // The very script the CLI's `collector --out` writes.
  const cliCopy = testInfo.outputPath('cli-collector.ps1')
  execFileSync(process.execPath, [CLI, 'collector', '--out', cliCopy], {
    env: { ...process.env, SERVICING_DESK_HOME: e2eHome },
    stdio: 'ignore',
  })
  expect(readFileSync(await file.path()).equals(readFileSync(cliCopy))).toBe(true)
  await expect(page.getByTestId('flow-collector-saved')).toHaveText(
    'Downloaded Collect-ServicingFacts.ps1. Copy it to that PC.',
  )
  await expect(page.getByTestId('flow-collector-command')).toContainText(
    'powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\Collect-ServicingFacts.ps1',
  )
  // Nothing to build or rehearse before a file is open.
  await expect(page.getByTestId('flow-build-package')).toBeDisabled()
  await expect(page.getByTestId('flow-rehearse-package')).toBeDisabled()

  // 2. The file the PC sent back.
  const before = testInfo.outputPath('hd-desk-114.zip')
  writeSnapshot('x64-component-store-corrupt', before)
  await page.getByTestId('flow-open-file').setInputFiles(before)
  await expect(page.getByTestId('flow-opened')).toContainText('HD-DESK-114')
  await expect(page.getByTestId('machine-banner')).toContainText(/Snapshot from another PC — HD-DESK-114/)

  // 3. The fix package: a folder and its zip, and what the script does, in order, in plain words.
  await page.getByTestId('flow-build-package').click()
  const pkg = page.getByTestId('flow-package')
  await expect(pkg).toBeVisible({ timeout: hangMs(60_000) })
  await expect(pkg).toContainText(/Written to .*fix-[^ ]+ and .*fix-[^ ]+\.zip\./)
  await expect(
    pkg.getByRole('heading', { level: 3, name: 'What Fix-HD-DESK-114.ps1 does on HD-DESK-114, in this order' }),
  ).toBeVisible()
  // The build step says how the person at the PC runs the package.
  await expect(pkg.getByRole('heading', { level: 3, name: 'How the person at HD-DESK-114 runs it' })).toBeVisible()
  const does = pkg.getByTestId('flow-package-does').locator('li')
  // The whole-PC plan: the store, the newest update of 23H2 (not the failed KB5046633: it includes it), WinRE.
  await expect(does.first()).toContainText(/^Repair: .*component store/i)
  await expect(does.nth(1)).toContainText(/^Install the update KB5129242/)
  await expect(does.nth(-2)).toContainText(/^Repair the Windows Recovery Environment/)
  await expect(does.last()).toContainText(/the "after" file/)

  // 4. The rehearsal, on a model of that PC: every step ends verified.
  await page.getByTestId('flow-rehearse-package').click()
  await expect(page.getByTestId('flow-rehearse').getByRole('progressbar')).toBeVisible()
  const rehearsal = page.getByTestId('flow-rehearsal')
  await expect(rehearsal).toBeVisible({ timeout: hangMs(120_000) })
  const steps = rehearsal.getByTestId('flow-rehearsal-step')
  await expect(steps).toHaveCount((await does.count()) - 1)
  for (const s of await steps.all()) await expect(s).toHaveAttribute('data-outcome', 'verified')
  await expect(steps.nth(1)).toContainText("Install KB5129242 from the package's kit")

  // 5. The proof: the damaged store among what was resolved, the build at the newest update of the branch, nothing
  // left and nothing new: resolved.
  const proof = page.getByTestId('flow-proof')
  await expect(proof).toHaveAttribute('data-verdict', 'fixed')
  await expect(page.getByTestId('flow-proof-verdict')).toHaveText('Resolved: every problem found before is gone.')
  await expect(page.getByTestId('flow-proof-resolved')).toContainText(/component store/i)
  await expect(page.getByTestId('flow-proof-build-after')).toHaveText('22631.7584')
  await expect(page.locator('.error, [role="alert"]')).toHaveCount(0)
  expect(await seriousViolations(page)).toEqual([])
  await screenshot(page, { path: testInfo.outputPath('fix-package-flow.png'), fullPage: true })

  // The first file offered again as the after file is refused: it would prove nothing.
  await page.getByTestId('flow-after-file').setInputFiles(before)
  await expect(page.getByTestId('flow-error')).toContainText('That is the first file again')
})
