/**
 * The Install wizard through the UI alone, on training machines: the plan with every command, per-step
 * progress bars, the restart screen, a resumed session after a reload (what already happened, from the
 * journal), and verification; and a failure on x64-component-store-corrupt with its diagnosis.
 * Machines are reset and journals removed before and after (same data folder), so the test repeats.
 */
import { test, expect, type Page } from '@playwright/test'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { askCli, closeCliHost, e2eHome } from './machines.ts'
import { screenshot } from './screenshot.ts'
import { hangMs } from '../load.ts'

/** Serious or critical axe-core violations on the page as it is now (the plan, the restart screen, a failure). */
async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze()
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.nodes
          .slice(0, 2)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    )
}

const machines = ['arm64-missing-checkpoint', 'x64-component-store-corrupt']

async function reset(): Promise<void> {
  await askCli(Object.fromEntries(machines.map((m) => [m, ['machines', '--reset', m]])))
  rmSync(join(e2eHome, 'journals'), { recursive: true, force: true })
  rmSync(join(e2eHome, 'plans'), { recursive: true, force: true })
}

test.beforeEach(reset)
test.afterEach(reset)

async function openInstall(page: Page, machine: string): Promise<void> {
  await page.goto('/')
  await page.getByTestId(`check-${machine}`).click()
  await expect(page.getByTestId('fact-build')).not.toHaveText(/reading/)
  await page.getByTestId('nav-install').click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'install')
}

test('installs KB5086672 with its checkpoint on arm64-missing-checkpoint: plan, progress, restart, resume, verify', async ({
  page,
}, testInfo) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await openInstall(page, 'arm64-missing-checkpoint')
  await page.getByTestId('install-kb').fill('KB5086672')
  await page.getByTestId('install-method').selectOption('sequence')
  await page.getByTestId('install-make-plan').click()

  // The plan: checks passed, the checkpoint first, every command visible, nothing run yet.
  await expect(page.getByTestId('install-check-architecture')).toHaveAttribute('data-status', 'pass')
  const commands = await page.getByTestId('install-command').allTextContents()
  expect(commands).toHaveLength(4)
  expect(commands[0]).toMatch(
    /^%SystemRoot%\\System32\\Dism\.exe \/English \/Online \/Add-Package \/PackagePath:.*kb5043080-arm64_[0-9a-f]{40}\.msu \/NoRestart$/,
  )
  expect(commands[1]).toBe('%SystemRoot%\\System32\\shutdown.exe /r /t 0')
  expect(commands[2]).toMatch(/kb5086672-arm64_[0-9a-f]{40}\.msu/)
  await expect(page.getByTestId('install-start')).toBeDisabled()
  await screenshot(page, { path: testInfo.outputPath('install-plan.png'), fullPage: true })
  expect(await seriousViolations(page)).toEqual([])

  // Install: the checkpoint goes in, its bar fills, then the app asks before restarting.
  await page.getByTestId('install-acknowledge').check()
  await page.getByTestId('install-start').click()
  await expect(page.getByTestId('install-restart')).toBeVisible({ timeout: hangMs(30_000) })
  await expect(page.getByTestId('install-step-s1-add-KB5043080')).toHaveAttribute('data-result', 'restart-required')
  await expect(page.getByTestId('install-step-s1-add-KB5043080').getByTestId('install-step-progress')).toHaveAttribute(
    'data-fraction',
    '1',
  )
  await expect(page.getByTestId('install-step-s3-add-KB5086672')).toHaveAttribute('data-result', 'pending')
  await screenshot(page, { path: testInfo.outputPath('install-restart.png'), fullPage: true })

  // The app is closed and opened again: the session resumes from the journal and shows what happened.
  await openInstall(page, 'arm64-missing-checkpoint')
  await expect(page.getByTestId('install-resumed')).toBeVisible()
  await expect(page.getByTestId('install-history')).toContainText('s1-add-KB5043080: done — restart needed')
  await expect(page.getByTestId('install-step-s1-add-KB5043080')).toHaveAttribute('data-result', 'restart-required')
  await expect(page.getByTestId('install-restart')).toBeVisible()
  await screenshot(page, { path: testInfo.outputPath('install-resumed.png'), fullPage: true })
  expect(await seriousViolations(page)).toEqual([])

  // Restart (simulated), the target, the second restart, then verification.
  await page.getByTestId('install-restart-now').click()
  await expect(page.getByTestId('install-step-s3-add-KB5086672')).toHaveAttribute('data-result', 'restart-required', {
    timeout: hangMs(30_000),
  })
  // Its restart has not happened yet: it still says so, while the checkpoint's (done at the first restart) does not.
  await expect(page.getByTestId('install-step-s3-add-KB5086672').getByTestId('install-step-result')).toHaveText(
    'done — restart needed',
  )
  await expect(page.getByTestId('install-step-s1-add-KB5043080').getByTestId('install-step-result')).toHaveText(
    'done — finished at the restart',
  )
  await expect(page.getByTestId('install-restart')).toBeVisible()
  await page.getByTestId('install-restart-now').click()
  await expect(page.getByTestId('install-verified')).toHaveAttribute('data-verified', 'yes', {
    timeout: hangMs(30_000),
  })
  await expect(page.getByTestId('install-verified')).toContainText('26100.8117')
  await expect(page.getByTestId('install-history')).toContainText('Restarted — now 26100.8117')
  // Verified: no step still says "restart needed"; the history keeps what happened then.
  await expect(
    page.getByTestId('install-steps').getByTestId('install-step-result').filter({ hasText: 'restart needed' }),
  ).toHaveCount(0)
  await expect(page.getByTestId('install-step-s3-add-KB5086672').getByTestId('install-step-result')).toHaveText(
    'done — finished at the restart',
  )
  await screenshot(page, { path: testInfo.outputPath('install-verified.png'), fullPage: true })
  expect(errors).toEqual([])
})

test('x64-component-store-corrupt: the failure is caught, the restart after it is skipped, the diagnosis names the corruption', async ({
  page,
}, testInfo) => {
  await openInstall(page, 'x64-component-store-corrupt')
  await page.getByTestId('install-kb').fill('KB5048685')
  await page.getByTestId('install-make-plan').click()
  await page.getByTestId('install-acknowledge').check()
  await page.getByTestId('install-start').click()
  await expect(page.getByTestId('install-failure')).toBeVisible({ timeout: hangMs(30_000) })
  await expect(page.getByTestId('install-failure')).toContainText('0x80073712: The component store has been corrupted.')
  await expect(page.getByTestId('install-diagnosis')).toContainText('ERROR_SXS_COMPONENT_STORE_CORRUPT (0x80073712)')
  await expect(page.getByTestId('install-diagnosis')).toContainText('CBS.log')
  await expect(page.getByTestId('install-step-s2-restart')).toHaveAttribute('data-result', 'skipped')
  await expect(page.getByTestId('install-screen')).toHaveAttribute('data-phase', 'failed')
  await screenshot(page, { path: testInfo.outputPath('install-failed.png'), fullPage: true })
  expect(await seriousViolations(page)).toEqual([])
})

// This file's CLI commands ran in the worker's one CLI process (machines.ts): ended and waited for, so its CPU counts.
test.afterAll(closeCliHost)
