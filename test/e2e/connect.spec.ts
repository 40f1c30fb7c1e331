/**
 * "Connect to a PC": a training machine reached over the training transport from the app; every
 * screen's banner then says "on HD-DESK-114 over WinRM", and the facts are the machine's. Typing a PC name
 * off Windows is not possible (the field says why); a bad name is refused in words.
 */
import { test, expect } from '@playwright/test'
import { hangMs } from '../load.ts'

test('connect to a training machine over WinRM: every screen says "on HD-DESK-114 over WinRM"', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('start-connect').click()
  await expect(page.getByTestId('connect-computer')).toBeDisabled()
  // "Use other credentials" (Windows' own prompt) goes with a PC name: off Windows it is disabled too.
  await expect(page.getByTestId('connect-credential')).toBeDisabled()
  await expect(page.getByLabel('Use other credentials')).not.toBeChecked()
  await page.getByTestId('connect-training').selectOption('x64-component-store-corrupt')
  await page.getByTestId('connect-training-go').click()
  await expect(page.getByTestId('fact-build')).not.toHaveText(/reading/, { timeout: hangMs(30_000) })
  for (const nav of ['nav-overview', 'nav-history', 'nav-diagnosis', 'nav-proof']) {
    await page.getByTestId(nav).click()
    await expect(page.getByTestId('machine-banner')).toContainText('on HD-DESK-114 over WinRM')
  }
})
