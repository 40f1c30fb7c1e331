/**
 * Giving up an interrupted WinRE repair from the Recovery screen: the CLI runs the repair of
 * arm64-winre-disabled and is killed mid-run (same data folder as the preview); the screen says where it
 * stopped and offers "Give up this repair" next to "Finish"; the confirmation says what it means (axe-clean
 * while open); confirming gives it up and the screen shows a fresh plan. Clean-up gives up whatever run is
 * still open and resets the machine, so the other tests see it as they expect.
 */
import { test, expect, type Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'
import { execFileSync } from 'node:child_process'
import { e2eHome, resetMachine } from './machines.ts'
import { CLI } from '../cli-script.ts'
import { hangMs } from '../load.ts'

const machine = 'arm64-winre-disabled'

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): { ok: boolean; stdout: string } {
  try {
    const stdout = execFileSync(process.execPath, [CLI, ...args], {
      env: { ...process.env, SERVICING_DESK_HOME: e2eHome, ...extraEnv },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    return { ok: true, stdout }
  } catch (err) {
    return { ok: false, stdout: String((err as { stdout?: string }).stdout ?? '') }
  }
}

function cleanUp(): void {
  cli(['winre', 'repair', '--machine', machine, '--abandon']) // fails (harmlessly) when nothing is open
  resetMachine(machine)
}

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze()
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }))
}

test.beforeEach(cleanUp)
test.afterEach(cleanUp)

test(`gives up an interrupted WinRE repair of ${machine} from the Recovery screen and shows a fresh plan`, async ({
  page,
}) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  // Killed after its first step, as in test/unit/winre/crash-resume.test.ts.
  const killed = cli(['winre', 'repair', '--machine', machine, '--yes', '--json'], { SERVICING_DESK_TEST_KILL_AT: '3' })
  expect(killed.ok).toBe(false)
  const interrupted = JSON.parse(cli(['winre', '--machine', machine, '--json']).stdout) as {
    repair: { id: string }
    interrupted: { repairId: string } | null
  }
  expect(interrupted.interrupted?.repairId).toBe(interrupted.repair.id)

  await page.goto('/')
  await page.getByTestId(`check-${machine}`).click()
  await expect(page.getByTestId('fact-build')).not.toHaveText(/reading/)
  await page.getByTestId('nav-recovery').click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'recovery')
  await expect(page.getByTestId('recovery-interrupted')).toContainText('A repair did not finish')
  await expect(page.getByTestId('recovery-confirm')).toHaveText(/^Finish the repair/)

  const giveUp = page.getByRole('button', { name: 'Give up this repair' })
  await expect(giveUp).toBeEnabled()
  await giveUp.click()
  const dialog = page.getByRole('dialog', { name: 'Give up this repair?' })
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('nothing is undone')
  await expect(dialog).toContainText('WinRE may stay off until a new repair runs.')
  await expect(page.getByRole('button', { name: 'Keep the repair' })).toBeFocused()
  expect(await seriousViolations(page)).toEqual([])

  await page.getByRole('button', { name: 'Give it up and look again' }).click()
  await expect(page.getByTestId('recovery-confirm')).toHaveText(/^Run these \d+ commands$/, { timeout: hangMs(30_000) })
  await expect(page.getByTestId('recovery-interrupted')).toHaveCount(0)
  await expect(page.getByRole('dialog')).toHaveCount(0)
  await expect(page.getByTestId('recovery-error')).toHaveCount(0)
  const fresh = JSON.parse(cli(['winre', '--machine', machine, '--json']).stdout) as {
    repair: { id: string }
    interrupted: unknown
  }
  expect(fresh.interrupted).toBeNull()
  expect(fresh.repair.id).not.toBe(interrupted.repair.id)
  expect(errors).toEqual([])
})
