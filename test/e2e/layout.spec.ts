/**
 * Layout on every screen of every training machine at 1280×800 and 1024×640, light and dark: a photograph of
 * each (JPEG artifacts under test-results/: the whole page in light, the window in dark, see checkAll), and
 * the test fails when the page scrolls sideways, when an element that clips (overflow hidden/clip, or
 * text-overflow) has content wider than itself, when a card or tile has content wider than its box, or when
 * a card or tile is squeezed narrower than 180 px. Status tags must carry their meaning in text and colour:
 * every `.tag[data-tone]` has a non-empty text, and an "ok" tone never sits on a warning or a problem. Every
 * command shown (`pre.command`) has a Copy button, no `<placeholder>` and no Linux path (a training machine's
 * commands are the Windows commands a technician would run). The Install screen is shown with a plan made
 * for its default update, the Updates screen after a search, What's wrong after a diagnosis and Proof after
 * a verification, so their results are checked too.
 *
 * `npm run test:full` checks every screen of every machine. `npm test` checks a sample drawn by the seed
 * (test/sample.ts): each screen on one machine drawn for it, and on each machine one more of its screens, so every
 * screen and every machine is checked (walkedScreens).
 */
import { test, expect, type Page } from '@playwright/test'
import { trainingMachines } from './machines.ts'
import { screenshot } from './screenshot.ts'
import { FULL, randomStream, sampleNote } from '../sample.ts'
import { hangMs } from '../load.ts'

const sizes = [
  { width: 1280, height: 800 },
  { width: 1024, height: 640 },
] as const
const schemes = ['light', 'dark'] as const
const machines = trainingMachines()

/**
 * What is wrong with the layout of the page as shown now (empty when nothing is), and whether the page is
 * taller than the window. Runs in the page.
 */
function layoutProblems(): { problems: string[]; taller: boolean } {
  const out: string[] = []
  const name = (el: Element): string => {
    const id = el.getAttribute('data-testid')
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : ''
    const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60)
    return `${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''}${cls} "${text}"`
  }
  const doc = document.documentElement
  if (doc.scrollWidth > doc.clientWidth + 1)
    out.push(`the page scrolls sideways: ${doc.scrollWidth} px wide in a ${doc.clientWidth} px window`)
  for (const el of document.querySelectorAll('body *')) {
    if (!(el instanceof HTMLElement) || el.closest('.visually-hidden, [hidden], details:not([open]) > :not(summary)'))
      continue
    if (el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue // not shown
    const st = getComputedStyle(el)
    const clips = st.overflowX === 'hidden' || st.overflowX === 'clip' || st.textOverflow === 'ellipsis'
    if (clips && el.scrollWidth > el.clientWidth + 1)
      out.push(`clipped: ${name(el)} shows ${el.clientWidth} of ${el.scrollWidth} px`)
    if (el.matches('.card, .tile, .machine-item')) {
      if (el.scrollWidth > el.clientWidth + 1)
        out.push(`content wider than its box: ${name(el)} (${el.scrollWidth} px in ${el.clientWidth} px)`)
      if (el.getBoundingClientRect().width < 180)
        out.push(`squeezed: ${name(el)} is ${Math.round(el.getBoundingClientRect().width)} px wide`)
    }
    if (el.matches('pre.command')) {
      if (!el.closest('.command-block')?.querySelector('button.copy'))
        out.push(`a command without a Copy button: ${name(el)}`)
      const text = el.textContent ?? ''
      // Every command shown is complete: a remedy's pattern with a value to fill in is shown apart (.fill-in),
      // never as a command to copy; a training machine's commands name files by the modelled PC's Windows path.
      if (/<[a-z][^<>]*>/i.test(text)) out.push(`a command with a placeholder: ${name(el)}`)
      if (/(^|[\s:"'=])\/(tmp|home|root|var|usr|work)\//.test(text))
        out.push(`a command with a Linux path: ${name(el)}`)
    }
    if (el.matches('.tag')) {
      if (!(el.textContent ?? '').trim()) out.push(`a tag with no text: ${name(el)}`)
      const tone = el.getAttribute('data-tone')
      const owner = el.closest('[data-status], [data-severity]')
      const status = owner?.getAttribute('data-status') ?? owner?.getAttribute('data-severity')
      if (tone === 'ok' && status && /warn|fail|bad|problem|error/.test(status))
        out.push(`tagged ok on a ${status}: ${name(owner!)}`)
    }
  }
  return { problems: out, taller: doc.scrollHeight > window.innerHeight }
}

async function settle(page: Page): Promise<void> {
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: hangMs(30_000) })
}

type Scheme = (typeof schemes)[number]
type Size = (typeof sizes)[number]

/**
 * The four views of a screen in an order that changes the window size once per screen: the sizes alternate
 * from one screen to the next (the first screen ends at 1024×640, the next starts there), and within a size
 * the scheme is kept from the view before. Every size and scheme is still shown and checked on every screen.
 */
function views(start: { size: Size; scheme: Scheme }): { size: Size; scheme: Scheme }[] {
  const [a, b] = start.size === sizes[0] ? [sizes[0], sizes[1]] : [sizes[1], sizes[0]]
  const [x, y] = start.scheme === schemes[0] ? [schemes[0], schemes[1]] : [schemes[1], schemes[0]]
  return [
    { size: a, scheme: x },
    { size: a, scheme: y },
    { size: b, scheme: y },
    { size: b, scheme: x },
  ]
}

/**
 * Checks and photographs the page as shown now at each size and colour scheme; returns the problems found.
 * `shown` is the size and scheme the page has now, and is updated. The check reads the layout in the page
 * (computed styles and widths force it), so no frame needs waiting for.
 * The photographs (JPEG: a PNG costs half as much again to encode) show every screen at both sizes whole in
 * light, and the window's view in dark. Dark mode changes colours only (a11y.spec.ts checks that its rules
 * set nothing but colour custom properties, and the layout check above runs in dark too), and a whole-page
 * photograph costs twice a window's (the browser lays the page out again at its full height and back), so
 * it is taken only where it shows more than the window: in light, of a page taller than the window.
 */
async function checkAll(
  page: Page,
  label: string,
  outputPath: (name: string) => string,
  shown: { size: Size; scheme: Scheme },
): Promise<string[]> {
  const problems: string[] = []
  for (const { size, scheme } of views(shown)) {
    if (size !== shown.size) await page.setViewportSize(size)
    if (scheme !== shown.scheme) await page.emulateMedia({ colorScheme: scheme })
    shown.size = size
    shown.scheme = scheme
    const where = `${label} at ${size.width}×${size.height} ${scheme}`
    const found = await page.evaluate(layoutProblems)
    for (const p of found.problems) problems.push(`${where}: ${p}`)
    const fullPage = scheme === 'light' && found.taller
    await screenshot(page, {
      path: outputPath(`${label}-${size.width}x${size.height}-${scheme}.jpeg`),
      fullPage,
      type: 'jpeg',
      quality: 70,
    })
  }
  return problems
}

/** Opens the page at the first size in light, and returns what it shows for checkAll. */
async function openAt(page: Page): Promise<{ size: Size; scheme: Scheme }> {
  await page.setViewportSize(sizes[0])
  await page.emulateMedia({ colorScheme: schemes[0] })
  return { size: sizes[0], scheme: schemes[0] }
}

test('the start screen fits at both sizes, light and dark', async ({ page }, testInfo) => {
  const shown = await openAt(page)
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Which PC do you want to check?' })).toBeVisible()
  await expect(page.locator('.machine-item')).toHaveCount(machines.length)
  expect(await checkAll(page, 'start', (n) => testInfo.outputPath(n), shown)).toEqual([])
})

/**
 * The screens checked on machine `m` out of the screens its navigation shows: all under test:full; else the screens
 * drawn for this machine (each screen id draws one machine by the seed, from its name alone, so every test draws
 * alike) and one more drawn among its own.
 */
function walkedScreens(m: string, screens: readonly string[]): string[] {
  if (FULL) return [...screens]
  const names = machines.map((x) => x.name)
  const mine = new Set(
    screens.filter((id) => names[Math.floor(randomStream(`layout screen ${id}`)() * names.length)] === m),
  )
  mine.add(screens[Math.floor(randomStream(`layout machine ${m}`)() * screens.length)]!)
  return screens.filter((id) => mine.has(id))
}

for (const m of machines) {
  test(`every screen${FULL ? '' : ' in the sample'} of ${m.name} fits at 1280×800 and 1024×640, light and dark`, async ({
    page,
  }, testInfo) => {
    test.setTimeout(hangMs(600_000))
    const shown = await openAt(page)
    await page.goto('/')
    await page.getByTestId(`check-${m.name}`).click()
    await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
    await expect(page.getByTestId('fact-build')).not.toHaveText(/reading/)
    const ids = await page
      .locator('nav.app-nav a[data-testid^="nav-"]')
      .evaluateAll((as) => as.map((a) => (a.getAttribute('data-testid') ?? '').slice(4)))
    const screens = ids.filter((id) => id !== 'start')
    expect(screens.length).toBeGreaterThanOrEqual(7)
    const walked = walkedScreens(m.name, screens)
    testInfo.annotations.push({ type: 'screens checked', description: `${walked.join(', ')} (${sampleNote()})` })
    const problems: string[] = []
    for (const id of walked) {
      await page.getByTestId(`nav-${id}`).click()
      await expect(page.locator('main#main')).toHaveAttribute('data-screen', id)
      await settle(page)
      // Screens that compute on request show their result: the diagnosis's findings and remedies, Proof's checks.
      if (id === 'diagnosis' && (await page.getByTestId('diagnosis-run').isVisible())) {
        await page.getByTestId('diagnosis-run').click()
        await expect(page.getByTestId('diagnosis-findings').or(page.getByTestId('diagnosis-none'))).toBeVisible({
          timeout: hangMs(30_000),
        })
      }
      if (id === 'install' && (await page.getByTestId('install-make-plan').isEnabled())) {
        await page.getByTestId('install-make-plan').click()
        await expect(page.getByTestId('install-checks').or(page.getByTestId('install-error')).first()).toBeVisible({
          timeout: hangMs(30_000),
        })
      }
      if (id === 'updates' && (await page.getByTestId('updates-search-button').isEnabled())) {
        await page.getByTestId('updates-search-button').click()
      }
      if (id === 'proof' && (await page.getByTestId('proof-verify').isVisible())) {
        await page.getByTestId('proof-verify').click()
        await expect(page.getByTestId('proof-result')).toBeVisible({ timeout: hangMs(30_000) })
      }
      await settle(page)
      problems.push(...(await checkAll(page, `${m.name}-${id}`, (n) => testInfo.outputPath(n), shown)))
    }
    expect(problems).toEqual([])
  })
}

test('a Copy button puts its command on the clipboard, and says so to a screen reader; without the clipboard API the fallback copies', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.goto('/')
  await page.getByTestId('check-arm64-missing-checkpoint').click()
  await expect(page.getByTestId('fact-build')).not.toHaveText(/reading/)
  await page.getByTestId('nav-install').click()
  await page.getByTestId('install-make-plan').click()
  const first = page.getByTestId('install-steps').locator('.command-block').first()
  await expect(first).toBeVisible({ timeout: hangMs(30_000) })
  const command = (await first.locator('pre.command').textContent()) ?? ''
  expect(command).toMatch(/dism|wusa|Add-WindowsPackage/i)
  const button = first.getByTestId('copy-command')
  await expect(button).toHaveAttribute('aria-label', /^Copy: /)
  await button.click()
  await expect(button).toHaveText('Copied')
  await expect(first.getByRole('status')).toHaveText('The command is on the clipboard.')
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command)
  // The fallback (a hidden text area and the browser's copy command) when navigator.clipboard is missing.
  await page.evaluate(() => navigator.clipboard.writeText(''))
  await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }))
  const second = page.getByTestId('install-steps').locator('.command-block').nth(1)
  const secondCommand = (await second.locator('pre.command').textContent()) ?? ''
  await second.getByTestId('copy-command').click()
  await expect(second.getByTestId('copy-command')).toHaveText('Copied')
  await page.evaluate(() => {
    delete (navigator as unknown as { clipboard?: unknown }).clipboard
  })
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secondCommand)
})
