/** The foundation's vertical slice in a real browser: choose a training machine, see its build and architecture. */
import { test, expect } from '@playwright/test'
import { screenshot } from './screenshot.ts'

test('shows the build and native architecture of a training machine, and warns that the app runs emulated', async ({
  page,
}, testInfo) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Which PC do you want to check?' })).toBeVisible()
  await page.getByTestId('check-arm64-missing-checkpoint').click()
  await expect(page.getByTestId('fact-build')).toHaveText('26100.1150')
  await expect(page.getByTestId('fact-native-arch')).toHaveText('arm64')
  await expect(page.getByTestId('fact-process-arch')).toHaveText('x64')
  await expect(page.getByTestId('emulated-warning')).toBeVisible()
  await expect(page.getByTestId('machine-banner')).toContainText('Training machine')
  await screenshot(page, { path: testInfo.outputPath('overview-arm64-missing-checkpoint.png'), fullPage: true })
})

test('the page runs with no Node and no raw IPC in the renderer', async ({ page }) => {
  await page.goto('/')
  const globals = await page.evaluate(() => ({
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
    ipc: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
  }))
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipc: 'undefined' })
})
