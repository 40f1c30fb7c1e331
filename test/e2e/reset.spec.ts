/**
 * "Start over" from the app: a training machine that was changed (KB5086672 installed through the CLI, sharing
 * the preview's data folder) goes back to its starting build after a confirmation, and Proof then shows
 * nothing done before the reset. The question takes the focus, Escape or "Keep it as it is" changes nothing.
 */
import { test, expect } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { e2eHome, resetMachine } from './machines.ts'
import { CLI } from '../cli-script.ts'
import { hangMs } from '../load.ts'

const name = 'arm64-missing-checkpoint'

test.afterAll(() => resetMachine(name))

test('a changed training machine starts over from the app after a confirmation; Proof shows nothing from before', async ({
  page,
}) => {
  test.setTimeout(hangMs(300_000)) // the CLI install that changes the machine first takes ~15 s, much longer on a busy machine
  resetMachine(name)
  execFileSync(process.execPath, [CLI, 'install', '--kb', 'KB5086672', '--machine', name, '--yes', '--json'], {
    env: { ...process.env, SERVICING_DESK_HOME: e2eHome },
    stdio: 'ignore',
  })

  await page.goto('/')
  await page.getByTestId(`check-${name}`).click()
  await expect(page.getByTestId('fact-build')).not.toHaveText(/reading/)
  await expect(page.getByTestId('fact-build')).not.toHaveText('26100.1150')
  await page.getByTestId('nav-proof').click()
  await page.getByTestId('proof-verify').click()
  await expect(page.getByTestId('proof-actions')).toContainText('KB5086672')

  await page.getByTestId('nav-start').click()
  // Asked first; the focus is on the safe answer; Escape keeps the machine.
  await page.getByTestId(`reset-${name}`).click()
  await expect(page.getByTestId(`reset-confirm-${name}`)).toBeVisible()
  await expect(page.getByTestId(`reset-keep-${name}`)).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId(`reset-confirm-${name}`)).toHaveCount(0)
  await page.getByTestId(`reset-${name}`).click()
  await page.getByTestId(`reset-confirm-yes-${name}`).click()
  await expect(page.getByTestId('reset-notice')).toContainText('is back at its starting state')
  await expect(page.getByTestId(`reset-confirm-${name}`)).toHaveCount(0)

  await page.getByTestId('nav-overview').click()
  await expect(page.getByTestId('fact-build')).toHaveText('26100.1150', { timeout: hangMs(30_000) })
  await page.getByTestId('nav-proof').click()
  await expect(page.getByTestId('proof-actions')).toHaveCount(0)
  await page.getByTestId('proof-verify').click()
  await expect(page.getByTestId('proof-result')).toBeVisible({ timeout: hangMs(30_000) })
  await expect(page.getByTestId('proof-nothing-done')).toBeVisible()
  await expect(page.getByTestId('proof-result')).not.toContainText('Verified: yes')
})
