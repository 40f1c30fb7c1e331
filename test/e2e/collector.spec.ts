/**
 * The collector's file in the app, through the UI only: a training machine's collected zip (`scan --out FILE.zip`,
 * the very format the collector script writes) opens as a read-only PC, and the diagnosis reads the logs inside
 * it (the damaged-store finding cites a line of the zip's CBS.log). A damaged zip is one plain sentence.
 */
import { test, expect } from '@playwright/test'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { e2eHome, writeSnapshot } from './machines.ts'

test('a collector zip opens as the PC it came from, diagnosed from its own CBS.log', async ({ page }, testInfo) => {
  const file = testInfo.outputPath('hd-desk-114.zip')
  writeSnapshot('x64-component-store-corrupt', file)
  await page.goto('/')
  await page.getByTestId('snapshot-file').setInputFiles(file)
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
  await expect(page.getByTestId('machine-banner')).toContainText(/Snapshot from another PC — HD-DESK-114/)
  await page.goto('/#/diagnosis')
  await page.getByTestId('diagnosis-run').click()
  const ev = page.getByTestId('evidence-component-store-corruption')
  await ev.locator('summary').click()
  await expect(ev).toContainText(
    /C:\\Windows\\Logs\\CBS\\CBS\.log:?\s*line \d+: [\s\S]*(Hydration failed|Payload Corrupt|manifest missing)/,
  )
})

test('a damaged collector zip is refused with one plain sentence', async ({ page }, testInfo) => {
  const file = testInfo.outputPath('cut.zip')
  writeSnapshot('x64-component-store-corrupt', file)
  const bytes = readFileSync(file)
  await page.goto('/')
  await page
    .getByTestId('snapshot-file')
    .setInputFiles({ name: 'cut.zip', mimeType: 'application/zip', buffer: bytes.subarray(0, bytes.length >> 1) })
  await expect(page.getByRole('alert')).toContainText(/This collector file cannot be opened: .*truncated/)
  await expect(page.getByTestId('machine-banner')).toHaveText('No machine chosen yet')
})

test('a collector zip becomes a training machine to rehearse on (Rehearse on a model of that PC)', async ({
  page,
}, testInfo) => {
  const file = testInfo.outputPath('rehearse.zip')
  writeSnapshot('x64-component-store-corrupt', file)
  try {
    await page.goto('/')
    await page.getByTestId('rehearse-file').setInputFiles(file)
    await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
    await expect(page.getByTestId('machine-banner')).toContainText(/HD-DESK-114 \(imported /)
    await page.goto('/')
    await expect(page.getByTestId('check-import-hd-desk-114')).toBeVisible()
  } finally {
    // The flows that walk every training machine must not meet this one.
    rmSync(join(e2eHome, 'training', 'imported', 'import-hd-desk-114.json'), { force: true })
    rmSync(join(e2eHome, 'training', 'import-hd-desk-114.json'), { force: true })
  }
})
