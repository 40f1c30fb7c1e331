/**
 * The Diagnosis screen, through the UI only: a typed code, a dropped log file, a chosen training machine,
 * expandable evidence, and a repair button per finding the app can repair.
 */
import { test, expect } from '@playwright/test'
import { readFileSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import { firstCause } from './machines.ts'
import { screenshot } from './screenshot.ts'

test('a typed code alone is explained and diagnosed', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto('/#/diagnosis')
  await expect(page.getByRole('heading', { name: 'What’s wrong?' })).toBeVisible()
  await page.getByTestId('diagnosis-code').fill('-2146498270')
  await page.getByTestId('diagnosis-run').click()
  await expect(page.getByTestId('diagnosis-explanation')).toContainText('CBS_E_INSTALLERS_FAILED')
  await expect(page.getByTestId('finding-installer-failed')).toBeVisible()
  expect(errors).toEqual([])
})

test('a dropped CBS.log names the corrupted scheduled task, with its evidence lines', async ({ page }) => {
  await page.goto('/#/diagnosis')
  const text = readFileSync('test/fixtures/cbs-log/0x800f0922-scheduled-task.log', 'utf8')
    .split('\n')
    .slice(1)
    .join('\n')
  await page
    .getByTestId('diagnosis-file')
    .setInputFiles({ name: 'CBS.log', mimeType: 'text/plain', buffer: Buffer.from(text) })
  await expect(page.getByText('Loaded CBS.log')).toBeVisible()
  await page.getByTestId('diagnosis-run').click()
  const top = page.getByTestId('diagnosis-findings').locator('> li').first()
  await expect(top).toContainText('SecureBootEncodeUEFI')
  const ev = page.getByTestId('evidence-installer-failed')
  await expect(ev.locator('pre').first()).toBeHidden()
  await ev.locator('summary').click()
  await expect(ev).toContainText('Failed execution of queue item Installer: Task Scheduler')
})

test('a training machine: the first finding matches the engine, with a repair button', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('check-arm64-missing-checkpoint').click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
  await page.goto('/#/diagnosis')
  await expect(page.getByTestId('diagnosis-scope')).toContainText('chosen machine')
  await page.getByTestId('diagnosis-run').click()
  const expected = firstCause('arm64-missing-checkpoint')!
  const top = page.getByTestId('diagnosis-findings').locator('> li').first()
  await expect(top).toHaveAttribute('data-testid', `finding-${expected.id}`)
  await expect(top).toContainText(expected.title)
  await expect(top.getByTestId('repair-install-checkpoint')).toBeVisible()
  // With findings and an open evidence list on screen: no serious or critical accessibility violation.
  await top.getByTestId(`evidence-${expected.id}`).locator('summary').click()
  await screenshot(page, { path: test.info().outputPath('diagnosis-arm64.png'), fullPage: true })
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze()
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])
})

test('x64-healthy: no false alarm; the one finding is the newer update it lacks, offered', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('check-x64-healthy').click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
  await page.goto('/#/diagnosis')
  await page.getByTestId('diagnosis-run').click()
  const cards = page.getByTestId('diagnosis-findings').locator(':scope > li')
  await expect(cards).toHaveCount(1)
  await expect(cards.first()).toHaveAttribute('data-testid', 'finding-newer-update-available')
  await expect(cards.first()).toHaveAttribute('data-repair', 'install-update')
  await expect(page.getByTestId('diagnosis-none')).toHaveCount(0)
})

test('a history link opens the diagnosis with the code filled in', async ({ page }) => {
  await page.goto('/#/diagnosis?code=0x80070643')
  await expect(page.getByTestId('diagnosis-code')).toHaveValue('0x80070643')
  await expect(page.getByTestId('diagnosis-explanation')).toContainText('ERROR_INSTALL_FAILURE')
})

test('a WinRE repair button opens the Recovery screen when it exists', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('check-x64-winre-partition-full').click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
  await page.goto('/#/diagnosis')
  await page.getByTestId('diagnosis-run').click()
  const button = page.getByTestId('finding-winre-partition-too-small').getByTestId('repair-winre-resize')
  await expect(button).toBeVisible()
  if (await button.isEnabled()) {
    await button.click()
    await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'recovery')
  }
})
