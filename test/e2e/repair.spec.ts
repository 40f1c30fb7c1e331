/**
 * Every "Fix it" that main/repair runs, clicked through the UI on its training machine: the finding's
 * button opens the Fix-it screen with the exact commands, nothing runs until the user ticks and confirms,
 * each step gets its progress bar and outcome, and the proof says verified. A snapshot gets a script to
 * save instead of a button. Machines are reset before and after (same data folder), so the scenarios stay.
 */
import { test, expect, type Page } from '@playwright/test'
import { cliOut, closeCliHost, writeSnapshot } from './machines.ts'
import { hangMs } from '../load.ts'

const CASES = [
  {
    machine: 'x64-component-store-corrupt',
    finding: 'component-store-corruption',
    repair: 'restore-health',
    steps: 8,
    first: '%SystemRoot%\\System32\\Dism.exe /English /Online /Cleanup-Image /ScanHealth',
  },
  {
    machine: 'x64-pending-restart',
    finding: 'pending-restart',
    repair: 'restart',
    steps: 1,
    first: '%SystemRoot%\\System32\\shutdown.exe /r /t 0',
  },
  // Helper G's repair through the same runner and screen.
  {
    machine: 'x64-efi-partition-full',
    finding: 'esp-full',
    repair: 'free-esp-space',
    steps: 3,
    first: '%SystemRoot%\\System32\\mountvol.exe S: /s',
  },
  // The folders are renamed (kept), the proof names them.
  {
    machine: 'x64-wu-components-broken',
    finding: 'wu-components',
    repair: 'reset-wu-components',
    steps: 5,
    first:
      "& \"$env:SystemRoot\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -NoProfile -Command { $action = 'Stop'; $names = 'bits','wuauserv','cryptsvc','msiserver';",
  },
  // The LCU is removed by its package name; the PC restarts onto the earlier build.
  {
    machine: 'x64-lcu-uninstall-blocked',
    finding: 'lcu-uninstall-blocked',
    repair: 'remove-package',
    steps: 2,
    first:
      '%SystemRoot%\\System32\\Dism.exe /English /Online /Remove-Package /PackageName:Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.10 /NoRestart',
  },
  // A mounted ISO of this exact build is the source before any download (the other-build ISO is named and not used).
  {
    machine: 'x64-store-corrupt-iso',
    finding: 'component-store-corruption',
    repair: 'restore-health',
    steps: 9,
    first: '%SystemRoot%\\System32\\Dism.exe /English /Online /Cleanup-Image /ScanHealth',
  },
] as const

async function reset(machine: string): Promise<void> {
  await cliOut(['machines', '--reset', machine])
}

async function openFinding(page: Page, machine: string, finding: string, repair: string) {
  await page.goto('/')
  await page.getByTestId(`check-${machine}`).click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
  await page.goto('/#/diagnosis')
  await page.getByTestId('diagnosis-run').click()
  const button = page.getByTestId(`finding-${finding}`).getByTestId(`repair-${repair}`)
  await expect(button).toBeEnabled()
  await button.click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'repair')
}

for (const c of CASES) {
  test(`Fix it on ${c.machine} runs ${c.repair} to a verified proof`, async ({ page }) => {
    test.setTimeout(hangMs(600_000))
    await reset(c.machine)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    try {
      await openFinding(page, c.machine, c.finding, c.repair)
      await expect(page.getByTestId('repair-screen')).toHaveAttribute('data-repair', c.repair)
      const steps = page.getByTestId('repair-steps').locator(':scope > li')
      await expect(steps).toHaveCount(c.steps)
      await expect(steps.first()).toContainText(c.first)
      // The chosen source is a step of its own; the medium of another build is named, with both builds.
      if (c.machine === 'x64-store-corrupt-iso') {
        await expect(page.getByTestId('repair-step-s3-restore-media')).toContainText(
          '/Source:wim:E:\\sources\\install.wim:2 /LimitAccess',
        )
        await expect(page.getByTestId('repair-warnings')).toContainText(
          'D:\\sources\\install.esd holds Windows 22621.2861; this PC runs 22631.4317',
        )
      }
      const confirm = page.getByTestId('repair-confirm')
      await expect(confirm).toBeDisabled()
      await page.getByTestId('repair-acknowledge').check()
      await confirm.click()
      const proof = page.getByTestId('repair-proof')
      await expect(proof).toHaveAttribute('data-verified', 'yes', { timeout: hangMs(90_000) })
      await expect(proof).toHaveAttribute('data-status', 'completed')
      // Every step shows its outcome; none failed.
      const states = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))
      expect(states).toHaveLength(c.steps)
      expect(states.every((s) => s === 'done' || s === 'skipped' || s === 'not-fixed' || s === 'rechecked')).toBe(true)
      if (c.machine === 'x64-store-corrupt-iso') {
        await expect(page.getByTestId('repair-step-s3-restore-media')).toHaveAttribute('data-state', 'done')
        await expect(page.getByTestId('repair-step-s4-fetch-source')).toHaveAttribute('data-state', 'skipped')
      }
      if (c.repair === 'restore-health') {
        await expect(page.getByTestId('repair-step-s2-restore-wu')).toHaveAttribute('data-state', 'not-fixed')
        await expect(page.getByTestId('repair-step-output-s2-restore-wu')).toContainText(
          'The source files could not be found.',
        )
        // The update to retry is a button on the end screen, not a command line.
        await expect(page.getByTestId('next-install-KB5046633')).toHaveText('Install KB5046633')
        // The diagnosis now names the update to install again (its `kbs`), and its Fix it opens Install with it.
        await page.goto('/#/diagnosis')
        await page.getByTestId('diagnosis-run').click()
        const again = page.getByTestId('finding-component-store-repaired')
        await again.getByTestId('repair-install-update').click()
        await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'install')
        await expect(page.getByTestId('install-kb')).toHaveValue('KB5046633')
      }
      if (c.repair === 'remove-package') await expect(proof).toContainText('the PC runs build 26100.8117')
      if (c.repair === 'reset-wu-components') {
        await expect(proof).toContainText(
          /kept as %SystemRoot%\\SoftwareDistribution\\DataStore\.sd-\d{8}-\d{6}, %SystemRoot%\\SoftwareDistribution\\Download\.sd-\d{8}-\d{6} and %SystemRoot%\\System32\\catroot2\.sd-\d{8}-\d{6}/,
        )
        await expect(page.getByTestId('next-install-KB5094126')).toHaveText('Install KB5094126')
      }
      expect(errors).toEqual([])
    } finally {
      await reset(c.machine)
    }
  })
}

test('a snapshot offers the repair as a PowerShell script, not a button', async ({ page }, testInfo) => {
  const file = testInfo.outputPath('corrupt.snapshot.json')
  writeSnapshot('x64-component-store-corrupt', file)
  await page.goto('/')
  await page.getByTestId('snapshot-file').setInputFiles(file)
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
  await page.goto('/#/diagnosis')
  await page.getByTestId('diagnosis-run').click()
  await page.getByTestId('finding-component-store-corruption').getByTestId('repair-restore-health').click()
  await expect(page.getByTestId('repair-readonly')).toBeVisible()
  await expect(page.getByTestId('repair-confirm')).toHaveCount(0)
  await page.getByTestId('repair-save-script').click()
  await expect(page.getByTestId('repair-readonly')).toContainText(
    "& (Join-Path $env:SystemRoot 'System32\\Dism.exe') '/English' '/Online' '/Cleanup-Image' '/ScanHealth'",
  )
})

// This file's CLI commands ran in the worker's one CLI process (machines.ts): ended and waited for, so its CPU counts.
test.afterAll(closeCliHost)
