/**
 * A snapshot's Fix it page: for a collector file (read-only) the page lists each offered repair's steps
 * and their exact commands as the script to run on that PC (the same steps `repairs --snapshot F --script DIR`
 * writes), offers saving that script, and shows no red error. Through the UI only, from the Start screen's file.
 */
import { test, expect } from '@playwright/test'
import { writeSnapshot } from './machines.ts'
import { seriousViolations } from './axe.ts'
import { screenshot } from './screenshot.ts'

test("a snapshot's Fix it page shows each offered repair's steps and commands as the script for that PC, with no red error", async ({
  page,
}, testInfo) => {
  const file = testInfo.outputPath('hd-desk-114.zip')
  writeSnapshot('x64-component-store-corrupt', file)
  await page.goto('/')
  await page.getByTestId('snapshot-file').setInputFiles(file)
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
  await page
    .getByRole('link', { name: /Fix it/ })
    .first()
    .click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'repair')
  await page.getByTestId('repair-open-restore-health').click()
  await expect(page.getByTestId('repair-screen')).toHaveAttribute('data-repair', 'restore-health')
  await expect(page.getByTestId('repair-readonly')).toBeVisible()
  await expect(page.getByRole('heading', { level: 2 }).first()).toContainText(
    /What the script runs on HD-DESK-114, in this order/,
  )
  // Every step with its exact command, as that PC runs it: the scan first, then the repair from Windows Update.
  const steps = page.getByTestId('repair-steps').locator(':scope > li')
  expect(await steps.count()).toBeGreaterThanOrEqual(2)
  await expect(page.getByTestId('repair-step-s1-scan-health')).toContainText(
    /dism\.exe.*\/Online \/Cleanup-Image \/ScanHealth/i,
  )
  await expect(page.getByTestId('repair-step-s2-restore-wu')).toContainText(/\/RestoreHealth/)
  // No red error and no refusal: nothing is wrong, the page only cannot run here.
  await expect(page.locator('.error, [role="alert"]')).toHaveCount(0)
  // The same script is offered to save, and it holds the commands shown.
  await page.getByTestId('repair-save-script').click()
  await expect(page.getByTestId('repair-readonly')).toContainText(/\/ScanHealth/)
  await expect(page.locator('.error, [role="alert"]')).toHaveCount(0)
  expect(await seriousViolations(page)).toEqual([])
  await screenshot(page, { path: testInfo.outputPath('snapshot-fix-it.png'), fullPage: true })
})
