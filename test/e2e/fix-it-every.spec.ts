/**
 * Every "Fix it" on every training machine leads to the screen that runs that repair —
 * main/repair's Fix-it screen for its ids, Recovery for WinRE, Install (with the update the finding names) for
 * an update — never another page, and no button is shown that cannot work (a disabled Fix it would be one).
 * Clicking only opens the screen: nothing runs until the person confirms there, so the machines stay as they are.
 */
import { test, expect } from '@playwright/test'
import { trainingMachines } from './machines.ts'
import { hangMs } from '../load.ts'

const machines = trainingMachines()
const RUNNER = [
  'restart',
  'restore-health',
  'free-esp-space',
  'reset-wu-components',
  'remove-package',
  'secure-boot-update',
]

test('every Fix it on every training machine opens the screen that runs it', async ({ page }) => {
  test.setTimeout(hangMs(600_000))
  let clicked = 0
  const kinds = new Set<string>()
  for (const m of machines) {
    await page.goto('/')
    await page.getByTestId(`check-${m.name}`).click()
    await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
    await page.goto('/#/diagnosis')
    await page.getByTestId('diagnosis-run').click()
    await expect(page.getByTestId('diagnosis-findings').or(page.getByTestId('diagnosis-none'))).toBeVisible({
      timeout: hangMs(30_000),
    })
    const buttons = page.locator('[data-testid^="finding-"] button.repair')
    await expect(
      page.locator('[data-testid^="finding-"] button.repair[disabled]'),
      `${m.name}: a Fix it that cannot work`,
    ).toHaveCount(0)
    const ids = await buttons.evaluateAll((els) =>
      els.map((e) => (e.getAttribute('data-testid') ?? '').replace(/^repair-/, '')),
    )
    for (const [i, id] of ids.entries()) {
      if (i > 0) {
        await page.goto('/#/diagnosis')
        await page.getByTestId('diagnosis-run').click()
        await expect(page.getByTestId('diagnosis-findings')).toBeVisible({ timeout: hangMs(30_000) })
      }
      const finding = page
        .locator('[data-testid^="finding-"]')
        .filter({ has: page.getByTestId(`repair-${id}`) })
        .first()
      const named = [
        ...new Set((await finding.locator('h3, .technical').allTextContents()).join(' ').match(/\bKB\d{6,8}\b/g) ?? []),
      ]
      await finding.getByTestId(`repair-${id}`).click()
      const screen = RUNNER.includes(id) ? 'repair' : id.startsWith('winre-') ? 'recovery' : 'install'
      await expect(page.locator('main#main'), `${m.name}: Fix it ${id}`).toHaveAttribute('data-screen', screen)
      if (screen === 'repair') await expect(page.getByTestId('repair-screen')).toHaveAttribute('data-repair', id)
      if (id === 'install-update' && named.length === 1)
        await expect(page.getByTestId('install-kb')).toHaveValue(named[0]!)
      clicked++
      kinds.add(id)
    }
  }
  console.log(
    `Fix it: ${clicked} buttons (${[...kinds].join(', ')}) on ${machines.length} machines opened the screen that runs them`,
  )
  // The training machines offer at least the runner's repairs, WinRE and the checkpoint install.
  expect(clicked).toBeGreaterThanOrEqual(8)
})
