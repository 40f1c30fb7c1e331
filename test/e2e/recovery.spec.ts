/**
 * The Recovery screen repairs x64-winre-partition-full through the UI alone: badges and the disk picture
 * show the full partition against the 250 MB line, the repair lists its exact commands, nothing runs until
 * the user ticks and confirms, and afterwards WinRE is on, with room, at the expected version.
 * The machine is reset before and after (through the CLI, same data folder), so the test is repeatable
 * and leaves the scenario intact for the other tests.
 */
import { test, expect } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { e2eHome } from './machines.ts'
import { screenshot } from './screenshot.ts'
import { CLI } from '../cli-script.ts'
import { hangMs } from '../load.ts'

const machine = 'x64-winre-partition-full'

function reset(): void {
  execFileSync(process.execPath, [CLI, 'machines', '--reset', machine], {
    env: { ...process.env, SERVICING_DESK_HOME: e2eHome },
    encoding: 'utf8',
  })
}

test.beforeEach(reset)
test.afterEach(reset)

test(`repairs WinRE on ${machine} from the Recovery screen`, async ({ page }, testInfo) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto('/')
  await page.getByTestId(`check-${machine}`).click()
  await expect(page.getByTestId('fact-build')).not.toHaveText(/reading/)
  await page.getByTestId('nav-recovery').click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'recovery')

  // Before: on, stale, a full partition drawn against the 250 MB line.
  await expect(page.getByTestId('recovery-status')).toHaveAttribute('data-status', 'enabled')
  await expect(page.getByTestId('recovery-version')).toHaveAttribute('data-verdict', 'stale')
  await expect(page.getByTestId('recovery-version')).toContainText('10.0.19041.3636')
  await expect(page.getByTestId('recovery-now-zoom')).toHaveAttribute('data-short', 'yes')
  await expect(page.getByTestId('recovery-finding-partition-too-small')).toBeVisible()
  await expect(page.getByTestId('recovery-finding-stale')).toBeVisible()

  // The repair: warnings, the picture after the resize, and every command before the confirm.
  await expect(page.getByTestId('recovery-warnings')).toContainText('BitLocker')
  await expect(page.getByTestId('recovery-after-zoom')).toHaveAttribute('data-short', 'no')
  const commands = await page.getByTestId('recovery-command').allTextContents()
  expect(commands[0]).toBe('%SystemRoot%\\System32\\ReAgentc.exe /disable')
  expect(commands).toContain(
    '%SystemRoot%\\System32\\diskpart.exe /s C:\\ProgramData\\ServicingDesk\\winre\\resize-recovery.txt',
  )
  expect(commands.some((c) => c.includes('/Add-Package') && /kb5087593/i.test(c))).toBe(true)
  expect(commands.at(-2)).toBe('%SystemRoot%\\System32\\ReAgentc.exe /enable')
  expect(commands.at(-1)).toBe('%SystemRoot%\\System32\\ReAgentc.exe /info')
  const confirm = page.getByTestId('recovery-confirm')
  await expect(confirm).toBeDisabled()
  await screenshot(page, { path: testInfo.outputPath('recovery-before.png'), fullPage: true })

  await page.getByTestId('recovery-acknowledge').check()
  await expect(confirm).toBeEnabled()
  await confirm.click()
  await expect(page.getByTestId('recovery-result')).toHaveAttribute('data-verified', 'yes', { timeout: hangMs(30_000) })
  await expect(page.getByTestId('recovery-result')).toHaveAttribute('data-status', 'completed')

  // After: on, current, room on the recovery partition; nothing left to repair.
  await expect(page.getByTestId('recovery-status')).toHaveAttribute('data-status', 'enabled')
  await expect(page.getByTestId('recovery-version')).toHaveAttribute('data-verdict', 'current')
  await expect(page.getByTestId('recovery-now-zoom')).toHaveAttribute('data-short', 'no')
  await expect(page.getByTestId('recovery-healthy')).toBeVisible()
  await expect(page.getByTestId('recovery-steps')).toHaveCount(0)
  await screenshot(page, { path: testInfo.outputPath('recovery-after.png'), fullPage: true })
  expect(errors).toEqual([])
})
