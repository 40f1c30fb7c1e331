/**
 * Accessibility: axe-core on every screen (the nav lists them all, so new screens are checked too),
 * before and after a machine is chosen, in light and dark. No serious or critical violation.
 */
import { test, expect, type Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }))
}

async function screenIds(page: Page): Promise<string[]> {
  const ids = await page.locator('[data-testid^="nav-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice(4)))
  expect(ids.length).toBeGreaterThan(3)
  return ids
}

// axe on every screen of a machine takes about 16 s on an idle machine and 50 s or more on a loaded one.
test.describe.configure({ timeout: 180_000 })

for (const scheme of ['light', 'dark'] as const) {
  test(`no serious or critical violation on any screen without a machine (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme })
    await page.goto('/')
    for (const id of await screenIds(page)) {
      await page.goto(`/#/${id}`)
      await expect(page.locator('main#main')).toHaveAttribute('data-screen', id)
      expect({ id, violations: await seriousViolations(page) }).toEqual({ id, violations: [] })
    }
  })

  for (const machine of ['arm64-missing-checkpoint', 'x64-winre-partition-full']) {
    test(`no serious or critical violation on any screen of ${machine} (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme })
      await page.goto('/')
      await page.getByTestId(`check-${machine}`).click()
      await expect(page.getByTestId('fact-build')).not.toHaveText(/reading/)
      for (const id of await screenIds(page)) {
        await page.getByTestId(`nav-${id}`).click()
        await expect(page.locator('main#main')).toHaveAttribute('data-screen', id)
        await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 })
        if (id === 'proof') {
          await page.getByTestId('proof-verify').click()
          await expect(page.getByTestId('proof-result')).toBeVisible()
        }
        if (id === 'paste') {
          await page.getByTestId('paste-text').fill('OS Name: Microsoft Windows 11 Pro\nOS Version: 10.0.26100 N/A Build 26100')
          await page.getByTestId('paste-analyse').click()
          await expect(page.getByTestId('paste-result')).toBeVisible()
        }
        expect({ id, violations: await seriousViolations(page) }).toEqual({ id, violations: [] })
      }
    })
  }
}

test('the whole flow works from the keyboard alone', async ({ page }) => {
  await page.goto('/')
  // Tab to the first training machine's Check button and press Enter.
  const target = page.getByTestId('check-arm64-missing-checkpoint')
  for (let i = 0; i < 40 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab')
  await expect(target).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
  await expect(page.locator('main#main')).toBeFocused()
  const next = page.getByTestId('flow-next')
  for (let i = 0; i < 200 && !(await next.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab')
  await expect(next).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'history')
})

test('the exported HTML report has no serious or critical violation either', async ({ page }, testInfo) => {
  await page.goto('/')
  await page.getByTestId('check-x64-winre-partition-full').click()
  await page.getByTestId('nav-proof').click()
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-html').click()])
  const file = testInfo.outputPath('report.html')
  await download.saveAs(file)
  await page.goto(`file://${file}`)
  await expect(page.getByRole('heading', { name: 'Servicing Desk report' })).toBeVisible()
  expect(await seriousViolations(page)).toEqual([])
})
