/**
 * In the browser: after a Fix-it run the app looks again by itself (the Overview's
 * Restart tile is OK without "Check again") and the end screen offers the next step as a button from the fresh
 * PC ("Install KB5094126" after the Windows Update reset, which opens the Install page with that update); the
 * folder names promised before the run are the ones created; Fix it with no machine leads to choosing one and
 * back; every command box says which shell it runs in; the Install page's introduction fits the PC's branch;
 * the machine card's values are not squeezed into a narrow column at 1024×640.
 */
import { test, expect, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { e2eHome } from './machines.ts'
import { CLI } from '../cli-script.ts'
import { hangMs } from '../load.ts'

function reset(machine: string): void {
  execFileSync(process.execPath, [CLI, 'machines', '--reset', machine], {
    env: { ...process.env, SERVICING_DESK_HOME: e2eHome },
    encoding: 'utf8',
  })
}

async function check(page: Page, machine: string): Promise<void> {
  await page.goto('/')
  await page.getByTestId(`check-${machine}`).click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
  await expect(page.getByTestId('tile-restart')).not.toHaveAttribute('data-level', 'pending')
}

async function runFixIt(page: Page, repair: string): Promise<void> {
  await page.goto(`/#/repair?repair=${repair}`)
  await page.getByTestId('repair-acknowledge').check()
  await page.getByTestId('repair-confirm').click()
  await expect(page.getByTestId('repair-proof')).toHaveAttribute('data-verified', 'yes', { timeout: hangMs(60_000) })
  await expect(page.getByTestId('next-steps')).not.toHaveAttribute('data-state', 'looking', { timeout: hangMs(30_000) })
}

test('after the restart repair every screen shows the new state without Check again', async ({ page }) => {
  test.setTimeout(hangMs(600_000))
  reset('x64-pending-restart')
  try {
    await check(page, 'x64-pending-restart')
    await expect(page.getByTestId('fact-build')).toHaveText('26100.8117')
    await expect(page.getByTestId('tile-restart')).not.toHaveAttribute('data-level', 'ok')
    await runFixIt(page, 'restart')
    await page.getByTestId('next-overview').click()
    await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
    // The scan the app made by itself: the build the restart completed, no package still waiting for it.
    // The Restart tile's verdict follows the fresh diagnosis: the pending restart is past now.
    await expect(page.getByTestId('tile-restart')).toHaveAttribute('data-level', 'ok')
    await expect(page.getByTestId('fact-build')).toHaveText('26100.8655', { timeout: hangMs(30_000) })
    await expect(page.getByTestId('fact-lcu')).toHaveText('26100.8655')
    await expect(page.locator('[data-testid=tile-packages] .tile-detail')).not.toContainText('waiting for a restart')
    // The .NET update that failed with CBS_E_PENDING installs now; its end screen has looked again by itself.
    await page.goto('/#/install?kb=KB5095011')
    await expect(page.getByTestId('install-kb')).toHaveValue('KB5095011')
    await page.getByTestId('install-make-plan').click()
    await page.getByTestId('install-acknowledge').check()
    await page.getByTestId('install-start').click()
    await expect(page.getByTestId('install-restart').or(page.getByTestId('install-verified'))).toBeVisible({
      timeout: hangMs(60_000),
    })
    if (await page.getByTestId('install-restart').isVisible()) await page.getByTestId('install-restart-now').click()
    await expect(page.getByTestId('install-verified')).toHaveAttribute('data-verified', 'yes', {
      timeout: hangMs(60_000),
    })
    await expect(
      page.getByTestId('install-steps').getByTestId('install-step-result').filter({ hasText: 'restart needed' }),
    ).toHaveCount(0)
    await expect(page.getByTestId('next-steps')).toHaveAttribute('data-state', /actions|nothing/, {
      timeout: hangMs(30_000),
    })
  } finally {
    reset('x64-pending-restart')
  }
})

test('the reset creates the folders it promised and offers "Install KB5094126" as a button', async ({ page }) => {
  test.setTimeout(hangMs(600_000))
  reset('x64-wu-components-broken')
  try {
    await check(page, 'x64-wu-components-broken')
    await page.goto('/#/repair?repair=reset-wu-components')
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text a person sees (innerText leaves out hidden and collapsed content; textContent would not)
    const promised = (await page.getByTestId('repair-warnings').innerText()).match(
      /SoftwareDistribution\\DataStore\.sd-\d{8}-\d{6}/,
    )![0]
    await runFixIt(page, 'reset-wu-components')
    await expect(page.getByTestId('repair-proof')).toContainText(promised)
    // The next step is a button, not a command line to copy.
    await expect(page.getByTestId('repair-proof')).not.toContainText('servicing-desk install')
    // The reset it just ran is not offered again: the fresh diagnosis has it as past.
    await expect(page.getByTestId('next-repair-reset-wu-components')).toHaveCount(0)
    await page.getByTestId('next-install-KB5094126').click()
    await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'install')
    await expect(page.getByTestId('install-kb')).toHaveValue('KB5094126')
  } finally {
    reset('x64-wu-components-broken')
  }
})

test('Fix it with no machine chosen leads to choosing one, and comes back', async ({ page }) => {
  await page.goto('/#/repair')
  await page.getByTestId('repair-no-machine').getByTestId('choose-machine-button').click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'start')
  await page.getByTestId('check-x64-healthy').click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'repair')
  await expect(page.getByTestId('repair-no-machine')).toHaveCount(0)
})

test('command boxes name their shell; the Install introduction fits the branch; the machine card is not squeezed', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 640 })
  await check(page, 'x64-component-store-corrupt')
  // 23H2: no checkpoint story.
  await page.goto('/#/install')
  await expect(page.getByTestId('install-intro')).toContainText('Windows 11 23H2')
  await expect(page.getByTestId('install-intro')).not.toContainText('Since Windows 11 24H2')
  // One line per value in the machine card at 1024×640.
  await page.goto('/#/overview')
  const edition = page.getByTestId('fact-edition')
  await expect(edition).toHaveText('Windows 11 Enterprise (Enterprise)')
  const lineHeight = await edition.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight) || 20)
  expect((await edition.boundingBox())!.height).toBeLessThan(lineHeight * 1.5)
  await expect(page.getByTestId('fact-lcu')).toHaveText('22631.4317')
  // Every command shown says where it runs.
  await page.goto('/#/repair?repair=restore-health')
  const boxes = page.locator('.command-block')
  await expect(boxes.first()).toBeVisible()
  const n = await boxes.count()
  for (let i = 0; i < n; i++)
    await expect(boxes.nth(i).getByTestId('command-shell')).toHaveText(/Command Prompt|PowerShell|WinRE/)
})
