/**
 * One truth on the rendered screens (issue 27): on x64-pending-restart, as shipped and after the verified restart,
 * the Overview's tiles, What's wrong, the Fix-it list and Proof show what `diagnose --json` says (the same
 * findings and states; a past finding is history, never a problem, and offers no Fix it). The machine is reset
 * before and after (same data folder as the preview server).
 */
import { test, expect, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { e2eHome, resetMachine } from './machines.ts'

const M = 'x64-pending-restart'

function cli(args: string[]): unknown {
  return JSON.parse(execFileSync(process.execPath, ['main/cli/bin.ts', ...args], { env: { ...process.env, SERVICING_DESK_HOME: e2eHome }, encoding: 'utf8' }))
}
type F = { id: string; state: string; severity: string; repair: string | null }

async function screens(page: Page) {
  const truth = (cli(['diagnose', '--machine', M, '--json']) as { findings: F[] }).findings
  const current = truth.filter((f) => f.state !== 'past')
  const past = truth.filter((f) => f.state === 'past')
  await page.goto('/')
  await page.getByTestId(`check-${M}`).click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
  // Tiles: the restart tile is a problem exactly while a current finding says so, with its headline.
  const restart = current.find((f) => f.id === 'pending-restart')
  const tile = page.getByTestId('tile-restart')
  await expect(tile).toHaveAttribute('data-level', restart ? 'bad' : 'ok', { timeout: 20_000 })
  if (restart) await expect(page.getByTestId('tile-restart-headline')).toHaveText('A restart is pending')
  // What's wrong: the current findings as cards (state, severity, Fix it), the past ones as history.
  await page.goto('/#/diagnosis')
  await page.getByTestId('diagnosis-run').click()
  if (current.length) {
    const cards = page.getByTestId('diagnosis-findings').locator(':scope > li')
    await expect(cards).toHaveCount(current.length, { timeout: 20_000 })
    for (const f of current) {
      const card = page.getByTestId(`finding-${f.id}`)
      await expect(card).toHaveAttribute('data-state', f.state)
      await expect(card).toHaveAttribute('data-severity', f.severity)
      await expect(card).toHaveAttribute('data-repair', f.repair ?? '')
    }
  } else await expect(page.getByTestId('diagnosis-none')).toBeVisible({ timeout: 20_000 })
  for (const f of past) await expect(page.getByTestId('diagnosis-history').locator(`[data-finding="${f.id}"]`)).toBeVisible()
  // Fix it: exactly the repairs the findings offer.
  await page.goto('/#/repair')
  const offered = [...new Set(current.map((f) => f.repair).filter((r): r is string => r !== null))].sort()
  if (offered.length) {
    for (const r of offered) await expect(page.getByTestId(`repair-open-${r}`)).toBeVisible({ timeout: 20_000 })
  } else await expect(page.getByTestId('repair-none')).toBeVisible({ timeout: 20_000 })
  // Proof: verification passes only without a current problem; a past finding is listed as resolved.
  await page.goto('/#/proof')
  await page.getByTestId('proof-verify').click()
  const problems = current.filter((f) => f.severity !== 'info')
  await expect(page.getByTestId('proof-verification')).toHaveAttribute('data-status', problems.length ? 'problems' : 'healthy', { timeout: 20_000 })
  for (const f of past) await expect(page.getByTestId('proof-resolved').locator(`[data-finding="${f.id}"]`)).toBeVisible()
  return { current, past }
}

test('x64-pending-restart: every screen shows the diagnosis, before and after the verified restart', async ({ page }) => {
  test.setTimeout(120_000)
  resetMachine(M)
  try {
    const before = await screens(page)
    expect(before.current.map((f) => f.id)).toContain('pending-restart')
    const run = cli(['repair', 'restart', '--machine', M, '--yes', '--json']) as { verified: boolean }
    expect(run.verified).toBe(true)
    const after = await screens(page)
    expect(after.current.filter((f) => f.severity === 'error' || f.severity === 'critical')).toEqual([])
    expect(after.past.map((f) => f.id)).toContain('pending-restart')
    // Proof lists the restart run.
    await expect(page.getByTestId('proof-fixits').locator('[data-definition="restart"]')).toBeVisible()
  } finally {
    resetMachine(M)
  }
})
