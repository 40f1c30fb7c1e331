/**
 * The guided flow on every training machine, touching only the UI: the first screen → Check → each
 * step's screens by "Next" → Proof → the report (HTML and JSON downloads, the ticket summary). A
 * screenshot of every screen is saved as an artifact. The report must name the cause the diagnosis
 * ranked first. Every machine under `npm run test:full`; under `npm test` a sample drawn by the seed (test/sample.ts)
 * holding both processor architectures, the healthy machine and at least four in all (every machine's screens are
 * still walked by every-surface.spec.ts, layout.spec.ts and a11y.spec.ts).
 */
import { test, expect, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { firstCause, resetMachine, trainingMachines, writeSnapshot } from './machines.ts'
import { screenshot } from './screenshot.ts'
import { startInstallToVerified } from './install-run.ts'
import { FULL, sample, sampleNote } from '../sample.ts'
import { hangMs } from '../load.ts'

const machines = trainingMachines()
const walked = sample('flow machines', machines, {
  kindsOf: (m) => [m.name.split('-')[0]!, m.name === 'x64-healthy' ? 'healthy' : 'a problem'],
  atLeast: 4,
})

async function screenId(page: Page): Promise<string> {
  return (await page.locator('main#main').getAttribute('data-screen')) ?? ''
}

for (const m of walked) {
  test(`walks the flow to the report on ${m.name}`, async ({ page, context }, testInfo) => {
    if (!FULL)
      testInfo.annotations.push({
        type: 'machines walked',
        description: `${walked.map((x) => x.name).join(', ')} of ${machines.length} (${sampleNote()})`,
      })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    let shot = 0
    const snap = async (name: string) => {
      await screenshot(page, {
        path: testInfo.outputPath(`${m.name}-${String(++shot).padStart(2, '0')}-${name}.png`),
        fullPage: true,
      })
    }

    await page.goto('/')
    await expect(page.getByRole('heading', { name: 'Which PC do you want to check?' })).toBeVisible()
    await snap('start')
    await page.getByTestId(`check-${m.name}`).click()
    await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
    await expect(page.getByTestId('machine-banner')).toContainText(`Training machine — ${m.title}`)

    // Walk the guided flow by "Next" until the Proof screen, a screenshot of each screen on the way.
    const seen: string[] = []
    /** The first finding the Diagnosis screen shows ('' for none), when the flow has that screen. */
    let shownFirst: string | null = null
    for (let i = 0; i < 16; i++) {
      const id = await screenId(page)
      seen.push(id)
      if (id === 'overview') await expect(page.getByTestId('fact-build')).not.toHaveText(/reading/)
      await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: hangMs(30_000) })
      if (id === 'diagnosis') {
        await page.getByTestId('diagnosis-run').click()
        await expect(page.getByTestId('diagnosis-findings').or(page.getByTestId('diagnosis-none'))).toBeVisible({
          timeout: hangMs(30_000),
        })
        const first = page.getByTestId('diagnosis-findings').locator('[data-testid^="finding-"]').first()
        shownFirst = (await first.count())
          ? ((await first.getAttribute('data-testid')) ?? '').slice('finding-'.length)
          : ''
      }
      await expect(page.getByTestId('machine-banner')).toContainText(m.title)
      await snap(id)
      if (id === 'proof') break
      await page.getByTestId('flow-next').click()
      await expect.poll(() => screenId(page)).not.toBe(id)
    }
    expect(seen[0]).toBe('overview')
    expect(seen).toContain('history')
    expect(seen.at(-1)).toBe('proof')

    await page.getByTestId('proof-verify').click()
    await expect(page.getByTestId('proof-result')).toBeVisible({ timeout: hangMs(30_000) })
    const cause = firstCause(m.name)
    if (cause) await expect(page.getByTestId('proof-top-cause')).toContainText(cause.title)
    else await expect(page.getByTestId('proof-top-cause')).toHaveText('No problem found.')
    await expect(page.getByTestId('proof-top-cause')).toHaveAttribute('data-cause-id', cause?.id ?? '')
    // The report names the cause the Diagnosis screen ranked first (when the flow has that screen).
    if (seen.includes('diagnosis')) expect(shownFirst).toBe(cause?.id ?? '')
    else
      testInfo.annotations.push({
        type: 'todo',
        description: 'no Diagnosis screen in the flow: the first cause is checked against the diagnose CLI only',
      })
    await snap('proof-report')

    // The HTML report downloads as one self-contained file naming the same first cause.
    const [html] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-html').click()])
    expect(html.suggestedFilename()).toMatch(/^servicing-report-.+\.html$/)
    const htmlPath = testInfo.outputPath(`${m.name}-report.html`)
    await html.saveAs(htmlPath)
    const content = readFileSync(htmlPath, 'utf8')
    expect(content).not.toMatch(/<script|<link |src=/i)
    if (cause)
      expect(content).toContain(
        cause.title
          .replace(/&/g, '&amp;')
          .replace(/'/g, '&#39;')
          .replace(/"/g, '&quot;')
          .replace(/</g, '&lt;')
          .replace(/>/g, '&gt;'),
      )

    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()])
    const jsonPath = testInfo.outputPath(`${m.name}-report.json`)
    await json.saveAs(jsonPath)
    expect(JSON.parse(readFileSync(jsonPath, 'utf8')).topCause?.id ?? null).toBe(cause?.id ?? null)

    await page.getByTestId('copy-summary').click()
    await expect(page.getByTestId('proof-notice')).toHaveText('Summary copied to the clipboard.')
    const clip = await page.evaluate(() => navigator.clipboard.readText())
    expect(clip).toContain(`Training machine — ${m.title}`)
    if (cause) expect(clip).toContain(cause.title)
    expect(errors).toEqual([])
  })
}

test('every screen is reachable directly, and the banner says which machine', async ({ page }) => {
  await page.goto('/#/proof')
  await expect(page.getByRole('heading', { name: 'Proof and report' })).toBeVisible()
  await expect(page.getByTestId('machine-banner')).toHaveText('No machine chosen yet')
  await page.goto('/#/history')
  await expect(page.getByRole('heading', { name: /Update history/ })).toBeVisible()
  await page.goto('/#/paste')
  await expect(page.getByRole('heading', { name: 'Analyse pasted text' })).toBeVisible()
})

test('a failure in the update history links to its diagnosis', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('check-arm64-missing-checkpoint').click()
  await page.getByTestId('nav-history').click()
  await expect(page.getByTestId('history-timeline')).toBeVisible()
  await expect(page.getByTestId('history-table').locator('tr[data-result="failed"]').first()).toContainText(
    '0x800F0922',
  )
  const link = page.getByTestId('diagnose-0x800F0922').first()
  if (await link.count()) {
    await link.click()
    await expect(page).toHaveURL(/#\/diagnosis\?code=0x800F0922/)
    await expect(page.getByTestId('diagnosis-code')).toHaveValue('0x800F0922')
    await expect(page.getByTestId('diagnosis-findings').or(page.getByTestId('diagnosis-none'))).toBeVisible({
      timeout: hangMs(30_000),
    })
  } else {
    test.info().annotations.push({
      type: 'todo',
      description: 'no Diagnosis screen registered yet: failures show the code without a link',
    })
  }
})

test('the Overview draws the update chain, the disk layout and filters the package list', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('check-arm64-missing-checkpoint').click()
  await expect(page.getByTestId('update-chain')).toBeVisible()
  await expect(page.getByTestId('update-chain').locator('[data-kb="KB5043080"]')).toHaveAttribute(
    'data-state',
    'missing',
  )
  await expect(page.getByTestId('tile-packages')).toHaveAttribute('data-level', 'bad')
  await expect(page.getByTestId('recovery-zoom')).toBeVisible()
  const count = page.getByTestId('package-count')
  await expect(count).toContainText(/^\d+ of \d+ packages$/)
  await page.getByTestId('filter-text').fill('RollupFix')
  await expect(count).toHaveText(/^1 of \d+ packages$/)
  await page.getByTestId('filter-text').fill('no-such-package')
  await expect(page.getByText('No package matches the filter.')).toBeVisible()
})

test('Paste: a UTF-16 file dropped in is analysed; unknown text gets a helpful warning', async ({ page }) => {
  await page.goto('/#/paste')
  const text =
    'Host Name:                 FIELD-PC\r\nOS Name:                   Microsoft Windows 11 Pro\r\nOS Version:                10.0.26100 N/A Build 26100\r\nSystem Type:               ARM64-based PC\r\n'
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
  await page.getByTestId('paste-file').setInputFiles({ name: 'systeminfo.txt', mimeType: 'text/plain', buffer: utf16 })
  await expect(page.getByTestId('paste-kind')).toHaveAttribute('data-kind', 'os-info')
  await expect(page.getByTestId('paste-result')).toContainText('26100')
  await page.getByTestId('paste-text').fill('hello, this is not command output')
  await page.getByTestId('paste-analyse').click()
  await expect(page.getByTestId('paste-kind')).toHaveAttribute('data-kind', 'unknown')
  await expect(page.getByTestId('paste-warnings')).toBeVisible()
})

test('nothing on the Overview moves when the scan ends (fixed-height slots)', async ({ page }) => {
  // Hold the scan's answer until the page has been measured while the scan runs (released by the test, not after a
  // fixed time: on a busy machine the checks below can take longer than any such time, and the scan would end first).
  let holding = false
  const held: Array<() => void> = []
  await page.route('**/api/scan', async (route) => {
    if (holding) await new Promise<void>((r) => held.push(r))
    await route.continue()
  })
  const release = () => {
    holding = false
    for (const r of held.splice(0)) r()
  }
  const tops = () =>
    page.evaluate(() =>
      ['#health-title', '#chain-title', '#disk-title', '.package-section h2'].map((sel) =>
        Math.round(document.querySelector(sel)?.getBoundingClientRect().top ?? -1),
      ),
    )
  for (const machine of ['arm64-missing-checkpoint', 'x64-healthy']) {
    await page.goto('/')
    holding = true
    await page.getByTestId(`check-${machine}`).click()
    await expect(page.getByRole('progressbar')).toHaveCount(1)
    // The Overview's slots are drawn while the scan runs; measure only once they are (on a busy machine the
    // progress bar can appear a frame before them: every top read -1).
    for (const sel of ['#health-title', '#chain-title', '#disk-title', '.package-section h2'])
      await expect(page.locator(sel)).toBeAttached()
    const during = await tops()
    expect(during.every((t) => t >= 0)).toBe(true)
    release()
    await expect(page.getByRole('progressbar')).toHaveCount(0)
    await expect(page.getByTestId('update-chain').or(page.getByText('no checkpoint chain'))).toBeVisible()
    expect({ machine, tops: await tops() }).toEqual({ machine, tops: during })
  }
})

test('a snapshot from another PC: opened on the first screen, walked to the report, read-only', async ({
  page,
}, testInfo) => {
  const file = testInfo.outputPath('field-arm-07.snapshot.json')
  writeSnapshot('arm64-missing-checkpoint', file)
  await page.goto('/')
  await page.getByTestId('snapshot-file').setInputFiles(file)
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
  await expect(page.getByTestId('machine-banner')).toContainText(/Snapshot from another PC — FIELD-ARM-07, taken /)
  await expect(page.getByTestId('machine-banner')).toContainText('read-only')
  await expect(page.getByRole('button', { name: 'Check again' })).toHaveCount(0)
  await screenshot(page, { path: testInfo.outputPath('snapshot-overview.png'), fullPage: true })
  await page.goto('/#/proof')
  await page.getByTestId('proof-verify').click()
  const cause = firstCause(file, '--snapshot')
  await expect(page.getByTestId('proof-top-cause')).toHaveAttribute('data-cause-id', cause?.id ?? '')
  await expect(page.getByTestId('proof-summary')).toHaveValue(/Snapshot from another PC — FIELD-ARM-07/)
  await screenshot(page, { path: testInfo.outputPath('snapshot-proof.png'), fullPage: true })
})

test('a file that is not a snapshot is refused with a plain message', async ({ page }) => {
  await page.goto('/')
  await page
    .getByTestId('snapshot-file')
    .setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') })
  await expect(page.getByRole('alert')).toContainText('not a snapshot file')
  await expect(page.getByTestId('machine-banner')).toHaveText('No machine chosen yet')
})

test('the whole repair through the UI: missing checkpoint → plan → install → proof with what was done', async ({
  page,
}, testInfo) => {
  test.skip(!(await page.goto('/').then(() => page.getByTestId('nav-install').count())), 'no Install screen registered')
  const machine = 'arm64-missing-checkpoint'
  try {
    await page.getByTestId(`check-${machine}`).click()
    await expect(page.getByTestId('update-chain').locator('[data-kb="KB5043080"]')).toHaveAttribute(
      'data-state',
      'missing',
    )
    // Next, Next, … to the Install screen (Fix).
    for (let i = 0; i < 10 && (await screenId(page)) !== 'install'; i++) {
      const id = await screenId(page)
      await page.getByTestId('flow-next').click()
      await expect.poll(() => screenId(page)).not.toBe(id)
    }
    await page.getByTestId('install-kb').fill('KB5086672')
    await page.getByTestId('install-make-plan').click()
    await page.getByTestId('install-acknowledge').check()
    await screenshot(page, { path: testInfo.outputPath('repair-1-plan.png'), fullPage: true })
    await startInstallToVerified(page)
    await screenshot(page, { path: testInfo.outputPath('repair-2-installed.png'), fullPage: true })
    await page.getByTestId('nav-proof').click()
    await page.getByTestId('proof-verify').click()
    await expect(page.getByTestId('proof-actions')).toContainText('Install KB5086672 — completed')
    await expect(page.getByTestId('proof-summary')).toHaveValue(/Done: install KB5086672 — completed; verified: yes/)
    await screenshot(page, { path: testInfo.outputPath('repair-3-proof.png'), fullPage: true })
    await page.getByTestId('nav-overview').click()
    await page.getByRole('button', { name: 'Check again' }).click()
    await expect(page.getByTestId('update-chain').locator('[data-kb="KB5043080"]')).toHaveAttribute(
      'data-state',
      'installed',
    )
    await expect(page.getByTestId('tile-packages')).toHaveAttribute('data-level', 'ok')
  } finally {
    resetMachine(machine)
  }
})
