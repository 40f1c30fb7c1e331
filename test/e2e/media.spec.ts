/**
 * The Media screen in real Chromium through the preview bridge: a training medium's layers as
 * one picture (install.wim indexes each with its winre.wim, boot.wim 1 and 2, setup.exe) with stale marks in
 * words, FAT32's file limit on the 4.2 GB stick, a stale mount as a warning with its clean-up command, and the
 * plan in the documented order with every command copyable. Checked for layout at 1024×640, and with axe in
 * light and dark (a11y.spec.ts sees the screen before a medium is chosen).
 */
import { test, expect, type Page } from '@playwright/test'
import { COLOUR_RULES, seriousViolations } from './axe.ts'
import { screenshot } from './screenshot.ts'
import { hangMs } from '../load.ts'

/** Layout problems at the current size: sideways scrolling, boxes whose content is wider than they are, a command without Copy. */
function layoutProblems(): string[] {
  const out: string[] = []
  const doc = document.documentElement
  if (doc.scrollWidth > doc.clientWidth + 1)
    out.push(`the page scrolls sideways: ${doc.scrollWidth} in ${doc.clientWidth}`)
  for (const el of document.querySelectorAll<HTMLElement>(
    '[data-testid="media-screen"] .card, .media-picture, .wim-file, .layer-box',
  )) {
    if (el.scrollWidth > el.clientWidth + 1)
      out.push(
        `content wider than its box: ${el.className} ${el.getAttribute('data-testid') ?? ''} (${el.scrollWidth} in ${el.clientWidth})`,
      )
    if (el.getBoundingClientRect().width < 150)
      out.push(`squeezed: ${el.className} ${el.getAttribute('data-testid') ?? ''}`)
  }
  for (const pre of document.querySelectorAll('[data-testid="media-screen"] pre.command')) {
    if (!pre.closest('.command-block')?.querySelector('button.copy'))
      out.push(`a command without Copy: ${pre.textContent}`)
  }
  return out
}

/** Opens a medium as shipped: one an earlier run of this file changed (and did not put back) is put back first. */
async function open(page: Page, medium: string): Promise<void> {
  await page.goto('/#/media')
  await page.getByTestId('media-medium').selectOption(medium)
  await expect(page.getByTestId('media-plan').or(page.getByTestId('media-error'))).toBeVisible({
    timeout: hangMs(30_000),
  })
  if (await page.getByTestId('media-reset').isVisible()) await page.getByTestId('media-reset').click()
  await expect(page.getByTestId('media-reset')).toHaveCount(0)
  await expect(page.getByTestId('media-plan')).toBeVisible({ timeout: hangMs(30_000) })
}

test('the FAT32 stick: every layer in the picture with its build and a stale mark in words, the 4 GiB limit, the plan with a split', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1024, height: 640 })
  await open(page, 'usb-fat32-x64')
  const picture = page.getByTestId('media-picture')
  for (const id of ['layer-install-1', 'layer-install-2', 'layer-boot-1', 'layer-boot-2']) {
    await expect(picture.getByTestId(id)).toHaveAttribute('data-staleness', 'stale')
    await expect(picture.getByTestId(id).getByTestId('layer-mark').first()).toHaveText('Stale')
    await expect(picture.getByTestId(id).getByTestId('layer-version').first()).toHaveText('10.0.26100.1742')
  }
  // The winre.wim of each index sits inside that index's box.
  for (const n of [1, 2])
    await expect(picture.getByTestId(`layer-install-${n}`).getByTestId(`layer-winre-${n}`)).toHaveAttribute(
      'data-staleness',
      'stale',
    )
  await expect(picture.getByTestId('layer-setup').getByTestId('layer-mark')).toHaveText('Not judged')
  await expect(page.getByTestId('media-fat32')).toContainText('4,200,000,000 bytes')
  await expect(page.getByTestId('media-fat32')).toContainText('4,294,967,295 bytes')
  await expect(page.getByTestId('media-fat32-plan')).toContainText('install.swm pieces of at most 3800 MB')
  // The plan, every step the run takes: the copy in, then in the documented order WinRE, boot.wim 1 and 2,
  // install.wim 1 and 2, the month's Setup Dynamic Update over the medium's setup files, the split, and the
  // write-back.
  const groups = await page
    .locator('[data-testid^="media-group-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))
  expect(groups).toEqual([
    'media-group-copy',
    'media-group-winre',
    'media-group-boot-1',
    'media-group-boot-2',
    'media-group-install-1',
    'media-group-install-2',
    'media-group-setup',
    'media-group-split',
    'media-group-write-back',
  ])
  const commands = page.getByTestId('media-command')
  const n = await commands.count()
  expect(n).toBe(await page.locator('[data-testid^="media-step-"]').count())
  await expect(commands.first()).toHaveText(
    /^%SystemRoot%\\System32\\Robocopy\.exe \S+ C:\\ProgramData\\ServicingDesk\\work\\media \/MIR \/R:0$/,
  )
  // Then each package copied into the work folder's packages (DISM reads them only there), then WinRE.
  // (the Safe OS and cumulative updates, and the month's Setup Dynamic Update)
  for (const i of [1, 2, 3])
    await expect(commands.nth(i)).toHaveText(
      /^%SystemRoot%\\System32\\Robocopy\.exe \S+ C:\\ProgramData\\ServicingDesk\\work\\packages\\x64\\KB\d+ \*kb\d+\* \/R:0$/,
    )
  await expect(commands.nth(4)).toContainText(/\\System32\\Dism\.exe \/English \/Mount-Image .*\/ReadOnly$/)
  await expect(page.getByTestId('media-group-split').getByTestId('media-command').last()).toHaveText(
    /\/Split-Image .*\/FileSize:3800$/,
  )
  await expect(commands.last()).toHaveText(
    /^%SystemRoot%\\System32\\Robocopy\.exe C:\\ProgramData\\ServicingDesk\\work\\media \S+ \/MIR \/R:0$/,
  )
  expect(await page.evaluate(layoutProblems)).toEqual([])
  await screenshot(page, { path: testInfo.outputPath('media-fat32-1024x640.png'), fullPage: true })
  expect(await seriousViolations(page)).toEqual([])
  await page.emulateMedia({ colorScheme: 'dark' })
  expect(await seriousViolations(page, COLOUR_RULES)).toEqual([])
  await screenshot(page, { path: testInfo.outputPath('media-fat32-1024x640-dark.png') })
})

test("the stick with a stale mount: a warning with the clean-up command, which is the plan's first step; the space counts what the clean-up gives back; the update cleans it only after its own yes", async ({
  page,
}, testInfo) => {
  await open(page, 'usb-stale-mount')
  const warning = page.getByTestId('media-stale-mount')
  await expect(warning).toContainText('C:\\ServicingDesk\\work\\mount\\install-1')
  await expect(warning.locator('pre.command')).toHaveText(
    '%SystemRoot%\\System32\\Dism.exe /English /Cleanup-Mountpoints',
  )
  await expect(page.getByTestId('media-step-1')).toHaveAttribute('data-kind', 'cleanup-mountpoints')
  // What the stale mount holds counts as free space: the clean-up gives it back.
  await expect(page.getByTestId('media-space')).toHaveAttribute('data-enough', 'true')
  await page.setViewportSize({ width: 1024, height: 640 })
  expect(await page.evaluate(layoutProblems)).toEqual([])
  await screenshot(page, { path: testInfo.outputPath('media-stale-mount.png'), fullPage: true })
  // The update waits for its own yes to the clean-up, then runs from it to verified; the warning is gone after.
  await page.getByTestId('media-kb').fill('KB5086672')
  await page.getByTestId('media-plan-button').click()
  await expect(page.getByTestId('media-plan-title')).toContainText('to KB5086672')
  await page.getByTestId('media-acknowledge').check()
  await expect(page.getByTestId('media-update')).toBeDisabled()
  await page.getByTestId('media-clean-mount').check()
  await page.getByTestId('media-update').click()
  // Every image at its target; setup.exe not judged (no Setup Dynamic Update named): never "Verified" over it.
  await expect(page.getByTestId('media-result')).toHaveAttribute('data-status', 'setup-not-judged', {
    timeout: hangMs(45_000),
  })
  await expect(page.getByTestId('media-progress-prepare')).toHaveAttribute('data-state', 'done')
  await expect(page.getByTestId('media-stale-mount')).toHaveCount(0)
  await page.getByTestId('media-reset').click()
  await expect(page.getByTestId('media-stale-mount')).toBeVisible()
})

test('the ARM64 stick opened by its link: the checkpoint before the cumulative update, ARM64 packages only; another KB plans again', async ({
  page,
}) => {
  await page.goto('/#/media?medium=usb-arm64-24h2')
  await expect(page.getByTestId('media-plan')).toBeVisible({ timeout: hangMs(30_000) })
  const boot1 = await page.getByTestId('media-group-boot-1').getByTestId('media-command').allTextContents()
  const adds = boot1.filter((c) => c.includes('/Add-Package'))
  // The default target: the newest released cumulative update (KB5129195), never the optional preview KB5124010.
  expect(adds.map((c) => /\\(KB\d+)$/.exec(c)?.[1])).toEqual(['KB5043080', 'KB5129195'])
  const all = await page.getByTestId('media-command').allTextContents()
  expect(all.filter((c) => c.includes('/PackagePath:')).every((c) => c.includes('\\packages\\arm64\\'))).toBe(true)
  await page.getByTestId('media-kb').fill('KB5086672')
  await page.getByTestId('media-plan-button').click()
  await expect(page.getByTestId('media-plan-title')).toContainText('to KB5086672 (arm64)')
  await page.getByTestId('media-kb').fill('KB12')
  await page.getByTestId('media-plan-button').click()
  await expect(page.getByTestId('media-error')).toContainText('is not a KB number')
})

test('the FAT32 stick updated from the screen: a progress bar per image to done, verified, each layer before → after, .swm parts; then back to its start', async ({
  page,
}, testInfo) => {
  await open(page, 'usb-fat32-x64')
  // A named target other than the default (the newest released update): the one the seeds name.
  await page.getByTestId('media-kb').fill('KB5086672')
  await page.getByTestId('media-plan-button').click()
  await expect(page.getByTestId('media-plan-title')).toContainText('to KB5086672 (x64)')
  await expect(page.getByTestId('media-update')).toBeDisabled()
  await page.getByTestId('media-acknowledge').check()
  await page.getByTestId('media-update').click()
  const result = page.getByTestId('media-result')
  await expect(result.or(page.getByTestId('media-error'))).toBeVisible({ timeout: hangMs(45_000) })
  await expect(page.getByTestId('media-error')).toHaveCount(0)
  await expect(result).toHaveAttribute('data-verified', 'false')
  await expect(result).toHaveAttribute('data-status', 'setup-not-judged')
  await expect(page.getByTestId('media-verified')).toHaveText(
    'Every image is at its target; the setup files are not judged (no Setup Dynamic Update named), so not verified as a whole',
  )
  // Every image's bar went to its end, in the run's order: the copy in, WinRE, boot.wim, install.wim, the split, the write-back.
  const rows = page.locator('[data-testid^="media-progress-"][data-state]')
  expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual([
    'media-progress-copy',
    'media-progress-winre',
    'media-progress-boot-1',
    'media-progress-boot-2',
    'media-progress-install-1',
    'media-progress-install-2',
    'media-progress-split',
    'media-progress-write-back',
  ])
  for (const state of await rows.evaluateAll((els) =>
    els.map((e) => `${e.getAttribute('data-state')} ${e.getAttribute('data-done')}/${e.getAttribute('data-total')}`),
  )) {
    const [s, frac] = state.split(' ')
    const [done, total] = frac.split('/')
    expect(s).toBe('done')
    expect(done).toBe(total)
  }
  await expect(page.getByTestId('media-proof-install-1')).toHaveAttribute('data-at-target', 'yes')
  await expect(page.getByTestId('media-proof-winre-2')).toHaveAttribute('data-at-target', 'yes')
  await expect(page.getByTestId('media-proof-install-1')).toContainText('10.0.26100.1742')
  await expect(page.getByTestId('media-swm')).toContainText('.swm parts')
  await expect(page.getByTestId('media-update')).toBeDisabled()
  await expect(page.getByTestId('media-spent')).toBeVisible()
  // The picture is the medium read again: install.wim's indexes and their WinRE are current now.
  await expect(page.getByTestId('layer-install-1')).toHaveAttribute('data-staleness', 'current')
  await expect(page.getByTestId('layer-winre-1')).toHaveAttribute('data-staleness', 'current')
  await expect(page.getByTestId('media-file-install')).toContainText('sources\\install.swm (split)')
  await expect(page.getByTestId('media-fat32')).toContainText(
    'install.wim is split into install.swm parts of 3.98 GB, 0.82 GB',
  )
  await page.setViewportSize({ width: 1024, height: 640 })
  expect(await page.evaluate(layoutProblems)).toEqual([])
  await screenshot(page, { path: testInfo.outputPath('media-updated.png'), fullPage: true })
  expect(await seriousViolations(page)).toEqual([])
  await page.emulateMedia({ colorScheme: 'dark' })
  expect(await seriousViolations(page, COLOUR_RULES)).toEqual([])
  await page.getByTestId('media-run').screenshot({ path: testInfo.outputPath('media-updated-run-dark.png') })
  await page.emulateMedia({ colorScheme: 'light' })
  // Back to its start, so the next run of this file finds the stick as shipped.
  await page.getByTestId('media-reset').click()
  await expect(page.getByTestId('layer-install-1')).toHaveAttribute('data-staleness', 'stale')
  await expect(page.getByTestId('media-reset')).toHaveCount(0)
})

test("a real ISO folder chosen in the folder dialog: every image from its files, setup.exe's version, what needs Windows; no update offered", async ({
  page,
}) => {
  // The preview's folder chooser offers the newest folder in <data>/preview-folders (no dialog in a browser).
  const { cpSync, mkdirSync, utimesSync } = await import('node:fs')
  const { join } = await import('node:path')
  const { e2eHome } = await import('./machines.ts')
  const dest = join(e2eHome, 'preview-folders', `media-iso-${Date.now()}`)
  mkdirSync(join(e2eHome, 'preview-folders'), { recursive: true })
  cpSync('test/fixtures/media-tree/iso-x64', dest, { recursive: true })
  const later = new Date(Date.now() + 60_000)
  utimesSync(dest, later, later)
  await page.setViewportSize({ width: 1024, height: 640 })
  await page.goto('/#/media')
  await page.getByTestId('media-choose-folder').click()
  await expect(page.getByTestId('media-folder')).toContainText('media-iso-')
  await expect(page.getByTestId('media-plan')).toBeVisible({ timeout: hangMs(30_000) })
  const picture = page.getByTestId('media-picture')
  for (const n of [1, 2])
    await expect(picture.getByTestId(`layer-install-${n}`).getByTestId('layer-version').first()).toHaveText(
      '10.0.26100.1742',
    )
  await expect(picture.getByTestId('layer-setup').getByTestId('layer-version')).toHaveText('10.0.26100.1150')
  await expect(page.getByTestId('media-needs-windows')).toContainText(
    'reading the winre.wim inside each install.wim index',
  )
  await expect(page.getByTestId('media-run')).toHaveCount(0)
  expect(await page.evaluate(layoutProblems)).toEqual([])
})
