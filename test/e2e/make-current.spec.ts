/**
 * "Make this PC current" walked as a technician would, on every training machine: open the app, choose the PC, run
 * the plan the Overview offers first, and read the proof. Counts every click from opening the app to "proven" and
 * fails above 8. On the way it fails on the words that mean two things: "No update left to install" passing on a PC
 * behind the newest known update, a plan that offers an install again after it ended "nothing to do", a "Why" that is
 * not a plain sentence.
 */
import { test, expect, type Locator, type Page } from '@playwright/test'
import { cliOut, closeCliHost, trainingMachines } from './machines.ts'
import { hangMs } from '../load.ts'

/**
 * The training machines walked: every one, under `npm test` too. A walk (reset, open, plan, run through its restarts,
 * proof) takes 12-25 s a machine here (measured on each of the 11 at load 11-14 on 2 cores: the plan's run is 3-8 s of
 * it, the page's own waits under 1 s), so the whole walk is about 3 minutes.
 */
const MACHINES = trainingMachines()
  .map((m) => m.name)
  .filter((n) => !n.startsWith('imported-'))
const MAX_CLICKS = 8

async function reset(machine: string): Promise<void> {
  await cliOut(['machines', '--reset', machine])
}

/** A plain sentence: a capital first, a full stop last, no placeholder. */
function plainSentence(text: string): boolean {
  return /^[A-Z0-9"].{15,}[.)]$/s.test(text.trim()) && !/technical details|see the technical/i.test(text)
}

async function proofChecks(page: Page, clicks: { n: number }, click: (l: Locator) => Promise<void>) {
  await click(page.getByTestId('nav-proof'))
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'proof')
  await click(page.getByTestId('proof-verify'))
  await expect(page.locator('[data-testid="proof-verification"] ~ ul.checks li').first()).toBeVisible()
  const verification = page.getByTestId('proof-verification')
  await expect(verification).toBeVisible()
  return { clicks: clicks.n, status: await verification.getAttribute('data-status') }
}

for (const machine of MACHINES) {
  test(`${machine}: from opening the app to proven in at most ${MAX_CLICKS} clicks`, async ({ page }) => {
    test.setTimeout(hangMs(300_000))
    await reset(machine)
    const clicks = { n: 0 }
    const click = async (l: Locator) => {
      clicks.n++
      await l.click()
    }
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto('/')
    await click(page.getByTestId(`check-${machine}`))
    await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
    const card = page.getByTestId('pc-plan')
    await expect(card.getByTestId('pc-plan-summary')).toBeVisible()
    // Every step says why in a plain sentence.
    for (const why of await card
      .getByTestId('pc-plan-steps')
      .locator(':scope > li > p.small')
      .filter({ hasText: /^Why: / })
      .allTextContents()) {
      expect(plainSentence(why.replace(/^Why: /, '')), `"Why" is not a plain sentence: ${why}`).toBe(true)
    }
    const steps = await card
      .getByTestId('pc-plan-steps')
      .locator(':scope > li')
      .evaluateAll((els) => els.map((e) => ({ kind: e.getAttribute('data-kind'), text: e.textContent ?? '' })))
    const run = card.getByTestId('pc-plan-run')
    if (await run.count()) {
      await click(run)
      const verdict = card.getByTestId('pc-plan-verdict')
      await expect(verdict).toBeVisible({ timeout: hangMs(240_000) })
      await expect(verdict, `the plan's run on ${machine}`).toHaveAttribute('data-verified', 'true')
    } else {
      expect(
        steps.every((s) => s.kind === 'wait'),
        'a plan with nothing to run has only waits',
      ).toBe(true)
    }
    // After the run: no install is offered again, and a step that needs a person is named, never dropped.
    await expect(card.getByTestId('pc-plan-run')).toHaveCount(0)
    const { status } = await proofChecks(page, clicks, click)
    expect(clicks.n, `clicks from opening the app to proven on ${machine}`).toBeLessThanOrEqual(MAX_CLICKS)
    // "No update left to install" passes only when the PC is at the newest known update (a wait names why it is not).
    const offered = page.locator('[data-testid="proof-verification"] ~ ul.checks li', {
      hasText: 'No update left to install',
    })
    // Also behind: a newer build a CVE record states without its KB (the wait to find its KB in the Catalog).
    const behind = steps.some(
      (s) => s.kind === 'wait' && /needs an ESU licence|did not apply|Find the KB of/.test(s.text),
    )
    await expect(offered).toHaveAttribute('data-ok', behind ? 'false' : 'true')
    // A PC left at a wait (an ESU licence, a build whose KB is not known) never says "all checks pass"; every other PC does.
    if (behind) expect(status, `Proof's verdict on ${machine}`).not.toBe('healthy')
    else expect(status, `Proof's verdict on ${machine}`).toBe('healthy')
    expect(errors).toEqual([])
  })
}

test('a PC behind the newest known update never says "No update left to install" before its plan runs', async ({
  page,
}) => {
  test.setTimeout(hangMs(300_000))
  const check = page.locator('[data-testid="proof-verification"] ~ ul.checks li', {
    hasText: 'No update left to install',
  })
  // Behind with the newest update offered (x64-healthy), and behind with none offered: Windows 10 22H2's newest needs
  // an ESU licence (x64-winre-partition-full), so nothing is offered, and the PC is still not at the newest update.
  for (const machine of ['x64-healthy', 'x64-winre-partition-full']) {
    await reset(machine)
    await page.goto('/')
    await page.getByTestId(`check-${machine}`).click()
    await expect(page.getByTestId('pc-plan-summary')).toBeVisible()
    await page.getByTestId('nav-proof').click()
    await page.getByTestId('proof-verify').click()
    await expect(check, `${machine}: "No update left to install"`).toHaveAttribute('data-ok', 'false')
    // Behind (or waiting for a licence) but no problem of its own: "Update available", not "Problems remain".
    if (machine === 'x64-healthy') {
      await expect(page.getByTestId('proof-verification')).toHaveAttribute('data-status', 'update-available')
      await expect(page.getByTestId('proof-verification')).toContainText('Update available')
      // No "Most likely cause resolved" where there was none.
      await expect(
        page.locator('[data-testid="proof-verification"] ~ ul.checks li', { hasText: 'Most likely cause resolved' }),
      ).toHaveCount(0)
    }
  }
})

// This file's CLI commands ran in the worker's one CLI process (machines.ts): ended and waited for, so its CPU counts.
test.afterAll(closeCliHost)
