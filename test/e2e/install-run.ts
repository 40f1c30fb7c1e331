/** The Install screen's run, as a person follows it: start, restart each time the run asks, until it says verified. */
import { expect, type Page } from '@playwright/test'
import { hangMs } from '../load.ts'

/** Starts the planned, acknowledged install and follows it to its end (at most five restarts); it must end verified. */
export async function startInstallToVerified(page: Page): Promise<void> {
  await page.getByTestId('install-start').click()
  const restart = page.getByTestId('install-restart-now')
  const verified = page.getByTestId('install-verified')
  for (let i = 0; i < 5; i++) {
    await expect(restart.or(verified)).toBeVisible({ timeout: hangMs(60_000) })
    if (await verified.isVisible()) break
    await restart.click()
  }
  await expect(verified).toHaveAttribute('data-verified', 'yes')
}
