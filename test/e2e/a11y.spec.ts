/**
 * Accessibility: axe-core on every screen (the nav lists them all, so new screens are checked too),
 * before and after a machine is chosen, in light and dark. No serious or critical violation. With a machine chosen,
 * `npm test` checks each screen on one of the two machines drawn by the seed (test/sample.ts; every screen, both
 * machines); `npm run test:full` every screen on both.
 *
 * Each screen is opened once and checked in both schemes: every rule of AXE_TAGS in light, then in dark the
 * rules that judge colours (COLOUR_RULES: color-contrast, link-in-text-block). The other rules judge the
 * markup, names, roles, focus and layout, and the app's dark mode changes none of them: it is one
 * `@media (prefers-color-scheme: dark)` block in renderer/src/styles.css that redefines colour custom
 * properties and nothing else, and no script asks for the scheme. This is checked, not assumed: the first
 * test fails if any rule under a colour-scheme condition sets anything but a colour custom property, and
 * every sweep fails if a script asks matchMedia for the scheme or if a screen's markup differs between light
 * and dark. If dark mode ever changes more than colours, those fail and every rule must run in dark again.
 */
import { test, expect, type Page } from '@playwright/test'
import { COLOUR_RULES, seriousViolations } from './axe.ts'
import { FULL, randomStream, sampleNote } from '../sample.ts'
import { hangMs } from '../load.ts'

async function screenIds(page: Page): Promise<string[]> {
  const ids = await page
    .locator('[data-testid^="nav-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice(4)))
  expect(ids.length).toBeGreaterThan(3)
  return ids
}

/** Records, before the app's scripts run, every matchMedia query that names the colour scheme. */
async function watchSchemeQueries(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { schemeQueries: string[] }
    w.schemeQueries = []
    const matchMedia = window.matchMedia.bind(window)
    window.matchMedia = (query: string) => {
      if (/prefers-color-scheme/i.test(query)) w.schemeQueries.push(query)
      return matchMedia(query)
    }
  })
}

async function schemeQueries(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { schemeQueries: string[] }).schemeQueries)
}

/** axe on the screen as shown now: every rule in light, the colour rules in dark; the markup is the same in both. */
async function checkScreen(page: Page, id: string): Promise<void> {
  const markup = () => page.evaluate(() => document.documentElement.outerHTML)
  // A screen that loads its data after it shows (the Fleet screen asks the store for its groups) settles first: the
  // markup read twice a moment apart is the same, so the light/dark comparison below compares schemes, not loading.
  await expect
    .poll(
      async () => {
        const a = await markup()
        await page.waitForTimeout(300)
        return a === (await markup())
      },
      { timeout: hangMs(60_000) },
    )
    .toBe(true)
  await page.emulateMedia({ colorScheme: 'light' })
  const light = await seriousViolations(page)
  const lightMarkup = await markup()
  await page.emulateMedia({ colorScheme: 'dark' })
  const dark = await seriousViolations(page, COLOUR_RULES)
  expect({ id, light, dark }).toEqual({ id, light: [], dark: [] })
  expect(await markup(), `the markup of ${id} is the same in light and dark`).toBe(lightMarkup)
}

// axe on every screen of a machine in both schemes: about 20 s on an idle machine, a minute or more on a loaded one.
test.describe.configure({ timeout: hangMs(180_000) })

test('dark mode changes colours only: every rule under a colour-scheme condition sets colour custom properties', async ({
  page,
}) => {
  await page.goto('/')
  await expect(page.locator('main#main')).toBeVisible()
  const found = await page.evaluate(() => {
    const problems: string[] = []
    let declarations = 0
    const names = (text: string | null | undefined) => /prefers-color-scheme/i.test(text ?? '')
    const onlyColours = (rules: CSSRuleList, where: string) => {
      for (const rule of Array.from(rules)) {
        if (!(rule instanceof CSSStyleRule) || rule.cssRules.length > 0) {
          problems.push(`${where}: not a plain style rule: ${rule.cssText.slice(0, 100)}`)
          continue
        }
        for (const property of Array.from(rule.style)) {
          const value = rule.style.getPropertyValue(property).trim()
          declarations++
          if (!property.startsWith('--') || !CSS.supports('color', value))
            problems.push(`${where} ${rule.selectorText} sets ${property}: ${value}`)
        }
      }
    }
    const walk = (rules: CSSRuleList) => {
      for (const rule of Array.from(rules)) {
        if (rule instanceof CSSConditionRule && names(rule.conditionText))
          onlyColours(rule.cssRules, `@${rule instanceof CSSMediaRule ? 'media' : 'supports'} ${rule.conditionText}`)
        else if (rule instanceof CSSImportRule && names(rule.media.mediaText))
          problems.push(`a style sheet imported for one scheme: ${rule.cssText}`)
        else if ('cssRules' in rule) walk((rule as CSSGroupingRule).cssRules)
      }
    }
    for (const sheet of Array.from(document.styleSheets)) {
      if (names(sheet.media.mediaText))
        problems.push(`a style sheet for one scheme: ${sheet.href ?? 'inline'} (${sheet.media.mediaText})`)
      walk(sheet.cssRules)
    }
    for (const el of Array.from(document.querySelectorAll('[media]')))
      if (names(el.getAttribute('media'))) problems.push(`an element for one scheme: ${el.outerHTML.slice(0, 100)}`)
    return { problems, declarations }
  })
  expect(found.problems).toEqual([])
  // The dark scheme exists (so there is something to check in dark at all).
  expect(found.declarations).toBeGreaterThan(5)
})

test('no serious or critical violation on any screen without a machine (light: every rule; dark: the colour rules)', async ({
  page,
}) => {
  await watchSchemeQueries(page)
  await page.goto('/')
  const ids = await screenIds(page)
  for (const id of ids) {
    await page.goto(`/#/${id}`)
    await expect(page.locator('main#main')).toHaveAttribute('data-screen', id)
    await checkScreen(page, id)
  }
  expect(await schemeQueries(page)).toEqual([])
})

const MACHINES = ['arm64-missing-checkpoint', 'x64-winre-partition-full']

/**
 * The screens checked with `machine` chosen: every one under test:full; in npm test each screen on one of the two
 * machines, drawn by the seed from the screen's id alone (so both tests draw alike and every screen is checked with a
 * machine chosen), and one more drawn among this machine's screens.
 */
function checkedScreens(machine: string, screens: readonly string[]): string[] {
  if (FULL) return [...screens]
  const mine = new Set(
    screens.filter((id) => MACHINES[Math.floor(randomStream(`a11y screen ${id}`)() * MACHINES.length)] === machine),
  )
  mine.add(screens[Math.floor(randomStream(`a11y machine ${machine}`)() * screens.length)]!)
  return screens.filter((id) => mine.has(id))
}

for (const machine of MACHINES) {
  test(`no serious or critical violation on ${FULL ? 'any screen' : 'a seeded sample of the screens'} of ${machine} (light: every rule; dark: the colour rules)`, async ({
    page,
  }, testInfo) => {
    await watchSchemeQueries(page)
    await page.goto('/')
    await page.getByTestId(`check-${machine}`).click()
    await expect(page.getByTestId('fact-build')).not.toHaveText(/reading/)
    const checked = checkedScreens(machine, await screenIds(page))
    testInfo.annotations.push({ type: 'screens checked', description: `${checked.join(', ')} (${sampleNote()})` })
    for (const id of checked) {
      await page.getByTestId(`nav-${id}`).click()
      await expect(page.locator('main#main')).toHaveAttribute('data-screen', id)
      await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: hangMs(30_000) })
      if (id === 'proof') {
        await page.getByTestId('proof-verify').click()
        await expect(page.getByTestId('proof-result')).toBeVisible()
      }
      if (id === 'paste') {
        await page
          .getByTestId('paste-text')
          .fill('OS Name: Microsoft Windows 11 Pro\nOS Version: 10.0.26100 N/A Build 26100')
        await page.getByTestId('paste-analyse').click()
        await expect(page.getByTestId('paste-result')).toBeVisible()
      }
      await checkScreen(page, id)
    }
    expect(await schemeQueries(page)).toEqual([])
  })
}

test('the whole flow works from the keyboard alone', async ({ page }) => {
  await page.goto('/')
  // Tab to the first training machine's Check button and press Enter.
  const target = page.getByTestId('check-arm64-missing-checkpoint')
  for (let i = 0; i < 40 && !(await target.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab')
  await expect(target).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
  await expect(page.locator('main#main')).toBeFocused()
  const next = page.getByTestId('flow-next')
  for (let i = 0; i < 200 && !(await next.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab')
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
