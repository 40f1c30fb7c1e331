/**
 * One truth on every surface (issue 44, done when 1): every training machine as shipped, and after each run it
 * offers, shows the same verdict on the Overview's tiles, What's wrong, Fix it, Proof and the HTML report as
 * `diagnose --json`, `repairs --json` and `winre --json` say — levels, findings, states, offers and "all checks
 * pass" — and every screen says it in plain words (test/e2e/plain-words.ts). Most runs are made with the CLI (the same
 * services, quicker); on arm64-missing-checkpoint the checkpoint install and the WinRE update run from the Fix it
 * page to verified, and on x64-wu-components-broken "Install KB5094126" runs from there after the reset.
 * Every machine is reset before and after (same data folder as the preview server).
 *
 * The CLI is asked once per state (its questions in one process: QUESTIONS, askCli), and what it says is checked at
 * every state (it agrees with itself; a fixed finding moves to history). The screens are walked at every state under
 * `npm run test:full`; under `npm test` at a sample of the states drawn by the seed (test/sample.ts) that holds every
 * machine, its state as shipped or after a run, runs from the command line and from Fix it, and each machine's last
 * state (walkedStates).
 */
import { test, expect, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { askCli, cliEnv, resetMachine, trainingMachines } from './machines.ts'
import { sampleIndexes, sampleNote } from '../sample.ts'
import { areaOfFinding } from '../../preload/model/health.ts'
import { wordProblems } from './plain-words.ts'
import { screenshot } from './screenshot.ts'
import { startInstallToVerified } from './install-run.ts'
import { CLI } from '../cli-script.ts'
import { levelWords, severityWords } from '../../preload/model/status-words.ts'
import { checkerPowerShell, checkScripts, findingLines } from '../pwsh/ps51-check.ts'
import { groupCommands, shownLines } from '../../renderer/src/components/command-shell.ts'

type F = { id: string; title: string; state: string; severity: string; repair: string | null; kbs?: string[] }
type Offers = { offers: { repairId: string; unfinished: unknown }[]; elsewhere?: { repairId: string; kb?: string | null }[] }

function cli(args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { env: cliEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] })
}

/** The WinRE facts `winre --json` names, as the diagnosis' finding ids. */
const WINRE_FACT: Record<string, string> = { disabled: 'winre-disabled', 'image-missing': 'winre-disabled', 'partition-too-small': 'winre-partition-too-small', stale: 'winre-stale', 'boot-after-revocation': 'boot-manager-2011' }
const AREAS = ['packages', 'restart', 'space', 'services', 'winre', 'boot', 'failures'] as const
const LEVEL: Record<string, number> = { info: 0, warning: 1, error: 2, critical: 2 }
const offerKey = (repairId: string, kb?: string | null) => `${repairId}|${kb ?? ''}`

/**
 * The questions the CLI is asked about machine `m` in each state, in this order, in one process. `diagnose` first: it
 * remembers the verdict the others then read (main/timeline/verdict-memory.ts). A new question goes here; its answer
 * (stdout) is read in truthOf.
 */
const QUESTIONS = (m: string, dir: string) => ({
  diagnose: ['diagnose', '--machine', m, '--json'],
  repairs: ['repairs', '--machine', m, '--json'],
  winre: ['winre', '--machine', m, '--json'],
  reportJson: ['report', '--machine', m, '--out', join(dir, 'r.json')],
  reportHtml: ['report', '--machine', m, '--out', join(dir, 'r.html')],
})

/** What the CLI says about the machine now: the truth every screen must show. */
async function truthOf(m: string, dir: string) {
  const said = await askCli(QUESTIONS(m, dir))
  const diagnosed = JSON.parse(said.diagnose) as { findings: F[]; notes: string[] }
  const findings = diagnosed.findings
  const offers = JSON.parse(said.repairs) as Offers
  const winre = JSON.parse(said.winre) as { health: { findings: { id: string; severity: string }[] } }
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { verification: { status: string } }
  const html = readFileSync(join(dir, 'r.html'), 'utf8')
  return {
    findings, current: findings.filter((f) => f.state !== 'past'), past: findings.filter((f) => f.state === 'past'),
    offers: [...offers.offers.filter((o) => !o.unfinished).map((o) => offerKey(o.repairId)), ...(offers.elsewhere ?? []).map((e) => offerKey(e.repairId, e.kb))].sort(),
    winre: winre.health.findings.filter((w) => w.severity !== 'info' && WINRE_FACT[w.id]).map((w) => WINRE_FACT[w.id]!).sort(),
    status: report.verification.status, html, notes: diagnosed.notes,
  }
}

async function plainWords(page: Page, where: string, ids: string[]) {
  const text = await page.locator('main#main').innerText()
  expect(wordProblems(text, ids), `${where}: words on the screen`).toEqual([])
  return text
}

/**
 * The contradictions of issue 53 §5 on one screen's text: a claim of "all checks pass", "no problem found", "up to
 * date" or "fixed" beside a current problem or an offered install.
 */
function claims(text: string, where: string, t: { current: F[] }) {
  const offered = t.current.filter((f) => f.repair === 'install-update' || f.repair === 'install-checkpoint')
  const problems = t.current.filter((f) => f.severity !== 'info')
  if (!offered.length && !problems.length) return
  const said = text.split('\n').filter((l) => /\ball checks pass\b|^\s*no (current |servicing )?problem found\b|\bis up to date\b|^\s*fixed\b/i.test(l))
  expect(said, `${where}: a claim beside ${problems[0]?.title ?? offered[0]!.title}`).toEqual([])
}

/** Every command box on the screen shown now (shell and text), for the walk's one PowerShell parse (BOXES). */
async function collectBoxes(page: Page, where: string) {
  const boxes = await page.locator('main#main .command-block').evaluateAll((els) => els.map((e) => ({ shell: e.getAttribute('data-shell') ?? '', text: (e.querySelector('pre') as HTMLElement | null)?.innerText ?? '' })))
  for (const b of boxes) BOXES.push({ ...b, where })
}

/** The command boxes the walk saw (test.afterAll parses them, one PowerShell process for all). */
const BOXES: { shell: string; text: string; where: string }[] = []

/** The machine `m` chosen on the start page: its Overview shown. */
async function openMachine(page: Page, m: string) {
  await page.goto('/')
  await page.getByTestId(`check-${m}`).click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'overview')
}

/** Every surface against the CLI, for machine `m` at moment `when`; `walk`: false checks the CLI's answers only. */
async function agree(page: Page, m: string, when: string, dir: string, walk: boolean, shot?: string) {
  const t = await truthOf(m, dir)
  const where = `${m} ${when}`
  const ids = t.findings.map((f) => f.id)
  // The CLI agrees with itself: repairs lists exactly the current findings' repairs; winre names the WinRE findings.
  const repairsOfFindings = [...new Set(t.current.filter((f) => f.repair).map((f) => f.repair!))].sort()
  expect([...new Set(t.offers.map((o) => o.split('|')[0]!))].sort(), `${where}: repairs --json vs the findings' repairs`).toEqual(repairsOfFindings)
  expect(t.winre, `${where}: winre --json vs the diagnosis`).toEqual([...new Set(t.current.filter((f) => f.severity !== 'info' && Object.values(WINRE_FACT).includes(f.id)).map((f) => f.id))].sort())
  const problems = t.current.filter((f) => f.severity !== 'info')
  if (t.status === 'healthy') expect(problems.map((f) => f.id), `${where}: "all checks pass" while a problem holds`).toEqual([])
  if (problems.length) expect(t.status, `${where}: verification`).not.toBe('healthy')
  // The CLI and the report never claim "no problem" / "all checks pass" beside a current problem or an offered install.
  claims(t.notes.join('\n'), `${where}: diagnose's notes`, t)
  claims(t.html.replace(/<[^>]+>/g, '\n'), `${where}: the HTML report`, t)
  // The report's command boxes (remedies, undo; not the evidence it quotes), split by the screens' rule into one shell
  // per box; this app's CLI lines are the CLI's own (the report is also the CLI's), the rest must run as shown.
  for (const m of t.html.matchAll(/(?<!<\/span>)<pre>([\s\S]*?)<\/pre>/g)) {
    const lines = shownLines(m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#96;/g, '`').replace(/&amp;/g, '&').split('\n'))
    for (const g of groupCommands(lines)) BOXES.push({ shell: g.shell, text: g.lines.join('\n'), where: `${where}: the HTML report` })
  }
  if (!walk) return t

  // Overview: each tile's level is the highest current finding of its area.
  await openMachine(page, m)
  for (const area of AREAS) {
    const mine = t.current.filter((f) => areaOfFinding(f.id) === area && LEVEL[f.severity]! > 0)
    const worst = mine.reduce((l, f) => Math.max(l, LEVEL[f.severity]!), 0)
    const tile = page.getByTestId(`tile-${area}`)
    // The latest-update tile is never OK while an install is offered (issue 53, preload/model/health.ts offeredInstalls),
    // nor while the last install failed with its cause in another tile: attention then, never more.
    const offered = area === 'failures' && t.current.some((f) => f.repair === 'install-update' || f.repair === 'install-checkpoint')
    if (worst) await expect(tile, `${where}: the ${area} tile`).toHaveAttribute('data-level', worst === 2 ? 'bad' : 'warn', { timeout: 30_000 })
    else if (offered) await expect(tile, `${where}: the ${area} tile while an install is offered`).toHaveAttribute('data-level', 'warn', { timeout: 30_000 })
    else await expect(tile, `${where}: the ${area} tile`).toHaveAttribute('data-level', area === 'failures' ? /^(ok|unknown|warn)$/ : /^(ok|unknown)$/, { timeout: 30_000 })
    // One name per level (preload/model/status-words.ts): the tile says its level's word.
    const level = (await tile.getAttribute('data-level')) as keyof typeof levelWords
    await expect(page.getByTestId(`tile-${area}-headline`), `${where}: the ${area} tile's level word`).toHaveText(new RegExp(`^${levelWords[level]}: `))
  }
  claims(await plainWords(page, `${where}: Overview`, ids), `${where}: Overview`, t)
  if (shot) await screenshot(page, { path: `${shot}-overview.png` })

  // What's wrong: the verdict at once (no press), the current findings as cards, the past ones as history.
  await page.goto('/#/diagnosis')
  if (t.current.length) {
    await expect(page.getByTestId('diagnosis-findings').locator(':scope > li'), `${where}: What's wrong`).toHaveCount(t.current.length, { timeout: 30_000 })
    const cards = await page.getByTestId('diagnosis-findings').locator(':scope > li').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-testid')} ${e.getAttribute('data-state')} ${e.getAttribute('data-severity')} ${e.getAttribute('data-repair')}`))
    expect(cards, `${where}: What's wrong's cards`).toEqual(t.current.map((f) => `finding-${f.id} ${f.state} ${f.severity} ${f.repair ?? ''}`))
    // One name per severity: each card's tag is the glossary's word for its severity.
    const tags = await page.getByTestId('diagnosis-findings').locator(':scope > li > h3 > .tag').allInnerTexts()
    expect(tags, `${where}: What's wrong's severity words`).toEqual(t.current.map((f) => severityWords[f.severity as keyof typeof severityWords]))
  } else await expect(page.getByTestId('diagnosis-none'), `${where}: What's wrong`).toBeVisible({ timeout: 30_000 })
  const history = page.getByTestId('diagnosis-history').locator('[data-finding]')
  await expect(history, `${where}: What's wrong's history`).toHaveCount(t.past.length)
  if (t.past.length) expect((await history.evaluateAll((els) => els.map((e) => e.getAttribute('data-finding')))).sort()).toEqual(t.past.map((f) => f.id).sort())
  claims(await plainWords(page, `${where}: What's wrong`, ids), `${where}: What's wrong`, t)
  await collectBoxes(page, `${where}: What's wrong`)

  // Fix it: every offer — Fix-it repairs, installs, the WinRE repair — on one page.
  await page.goto('/#/repair')
  if (t.offers.length) {
    const items = page.getByTestId('repair-list').locator(':scope > li')
    await expect(items, `${where}: Fix it`).toHaveCount(t.offers.length, { timeout: 30_000 })
    expect((await items.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-offer')}|${e.getAttribute('data-kb') ?? ''}`))).sort(), `${where}: Fix it's offers`).toEqual(t.offers)
  } else await expect(page.getByTestId('repair-none'), `${where}: Fix it`).toBeVisible({ timeout: 30_000 })
  claims(await plainWords(page, `${where}: Fix it`, ids), `${where}: Fix it`, t)
  await collectBoxes(page, `${where}: Fix it`)
  if (shot) await screenshot(page, { path: `${shot}-fix-it.png` })

  // Proof: the same verification as the report, the past findings as resolved.
  await page.goto('/#/proof')
  await page.getByTestId('proof-verify').click()
  await expect(page.getByTestId('proof-verification'), `${where}: Proof`).toHaveAttribute('data-status', t.status, { timeout: 30_000 })
  if (t.past.length) expect((await page.getByTestId('proof-resolved').locator('[data-finding]').evaluateAll((els) => els.map((e) => e.getAttribute('data-finding')))).sort(), `${where}: Proof's history`).toEqual(t.past.map((f) => f.id).sort())
  else await expect(page.getByTestId('proof-resolved')).toHaveCount(0)
  claims(await plainWords(page, `${where}: Proof`, ids), `${where}: Proof`, t)
  await collectBoxes(page, `${where}: Proof`)

  // The HTML report: the same verdict, the same findings now and in history.
  expect(t.html.includes('all checks pass'), `${where}: the HTML report's "all checks pass"`).toBe(t.status === 'healthy')
  expect((t.html.match(/<div class="finding" data-state="(?:current|unknown)">/g) ?? []).length, `${where}: the HTML report's findings`).toBe(t.current.length)
  expect((t.html.match(/<li data-state="past">/g) ?? []).length, `${where}: the HTML report's history`).toBe(t.past.length)
  return t
}

/** Runs an install from the Fix it page's offer to verified, restarting when the run asks. */
async function installFromFixIt(page: Page, kb: string) {
  await page.goto('/#/repair')
  await page.getByTestId('repair-list').locator(`li[data-kb="${kb}"] button`).click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'install')
  await expect(page.getByTestId('install-kb')).toHaveValue(kb)
  await page.getByTestId('install-make-plan').click()
  await page.getByTestId('install-acknowledge').check()
  await startInstallToVerified(page)
}

/** Runs the WinRE repair from the Fix it page's offer to verified. */
async function winreFromFixIt(page: Page) {
  await page.goto('/#/repair')
  // One WinRE repair does what each WinRE offer asks (turn it on, make room, update it): the first opens it.
  await page.getByTestId('repair-list').locator('li[data-offer^="winre-"] button').first().click()
  await expect(page.locator('main#main')).toHaveAttribute('data-screen', 'recovery')
  await page.getByTestId('recovery-acknowledge').check()
  await page.getByTestId('recovery-confirm').click()
  await expect(page.getByTestId('recovery-result')).toHaveAttribute('data-verified', 'yes', { timeout: 60_000 })
}

/** The runs each machine offers, in a technician's order: CLI runs (args) or runs from the Fix it page. */
type Run = { what: string; cli?: string[]; ui?: (page: Page) => Promise<void> }
const RUNS: Record<string, Run[]> = {
  'arm64-missing-checkpoint': [
    { what: 'the checkpoint install from Fix it', ui: (p) => installFromFixIt(p, 'KB5043080') },
    { what: 'the WinRE update from Fix it', ui: winreFromFixIt },
    { what: 'install KB5086672 from Fix it', ui: (p) => installFromFixIt(p, 'KB5086672') },
  ],
  'x64-component-store-corrupt': [{ what: 'restore-health', cli: ['repair', 'restore-health'] }, { what: 'install KB5048685', cli: ['install', '--kb', 'KB5048685'] }, { what: 'WinRE repair', cli: ['winre', 'repair'] }],
  'x64-winre-partition-full': [{ what: 'WinRE repair', cli: ['winre', 'repair'] }],
  'arm64-winre-disabled': [{ what: 'the WinRE repair from Fix it', ui: winreFromFixIt }],
  'x64-pending-restart': [{ what: 'restart', cli: ['repair', 'restart'] }, { what: 'install KB5095011', cli: ['install', '--kb', 'KB5095011'] }],
  'x64-healthy': [{ what: 'install KB5129195 (the newest update)', cli: ['install', '--kb', 'KB5129195'] }],
  'x64-efi-partition-full': [{ what: 'free-esp-space', cli: ['repair', 'free-esp-space'] }, { what: 'install KB5094126', cli: ['install', '--kb', 'KB5094126'] }],
  'x64-secureboot-2011': [{ what: 'secure-boot-update', cli: ['repair', 'secure-boot-update'] }],
  'x64-wu-components-broken': [
    { what: 'reset-wu-components', cli: ['repair', 'reset-wu-components'] },
    { what: 'install KB5094126 from Fix it', ui: (p) => installFromFixIt(p, 'KB5094126') },
  ],
  'x64-lcu-uninstall-blocked': [{ what: 'remove-package', cli: ['repair', 'remove-package'] }],
  'x64-store-corrupt-iso': [{ what: 'restore-health', cli: ['repair', 'restore-health'] }],
}

const MACHINES = trainingMachines()

/**
 * The states whose screens are walked, by machine (index 0: as shipped; i: after its i-th run): every state under
 * test:full; else a sample drawn by the seed holding every machine, both moments (as shipped, after a run), both ways
 * a run is made (the command line, Fix it) and each kind of last state (a machine's walk ends on it).
 */
const walkedStates: Map<string, Set<number>> = (() => {
  const states = MACHINES.flatMap((m) => [0, ...(RUNS[m.name] ?? []).map((_, i) => i + 1)].map((i) => {
    const run = i === 0 ? null : RUNS[m.name]![i - 1]!
    const kinds = [`machine ${m.name}`, i === 0 ? 'as shipped' : run!.cli ? 'after a run from the command line' : 'after a run from Fix it']
    if (i > 0 && i === RUNS[m.name]!.length) kinds.push('after its last run')
    return { m: m.name, i, kinds }
  }))
  const kept = sampleIndexes('every-surface states', states, { kindsOf: (x) => x.kinds }).map((k) => states[k]!)
  return new Map(MACHINES.map((m) => [m.name, new Set(kept.filter((x) => x.m === m.name).map((x) => x.i))]))
})()

test.describe('every surface shows the one verdict', () => {
  // Every command box the walk saw runs as shown (issue 53 §4): a PowerShell box parses with real PowerShell and keeps
  // to 5.1 (test/pwsh/ps51-check.ps1: one process for all boxes); no box holds a placeholder left to fill or a
  // command of this app's CLI (no CLI verbs in the app).
  test.afterAll(() => {
    const seen = new Map<string, { shell: string; text: string; where: string }>()
    for (const b of BOXES) if (!seen.has(`${b.shell}\n${b.text}`)) seen.set(`${b.shell}\n${b.text}`, b)
    const boxes = [...seen.values()]
    const wrong = boxes.filter((b) => /<[A-Za-z][^<>]*>|servicing-desk |npm run /.test(b.text)).map((b) => `${b.where}: ${b.text}`)
    expect(wrong, 'boxes with a placeholder or a CLI command').toEqual([])
    const ps = checkerPowerShell()
    const power = boxes.filter((b) => b.shell === 'powershell')
    if (ps && power.length) expect(findingLines(checkScripts(ps, power.map((b, i) => ({ name: `${b.where} #${i}`, text: b.text, file: false })))), 'PowerShell boxes').toEqual([])
  })
  for (const m of MACHINES) {
    test(m.name, async ({ page }, testInfo) => {
      // Each state asks the CLI once and walks four screens: 20 s to a minute a state, measured at a load of 11-18 on 2 cores.
      test.setTimeout(900_000)
      const walked = walkedStates.get(m.name)!
      testInfo.annotations.push({ type: 'states walked', description: `${[...walked].join(', ')} (${sampleNote()})` })
      const dir = mkdtempSync(join(tmpdir(), 'sd-every-surface-'))
      resetMachine(m.name)
      try {
        let t = await agree(page, m.name, 'as shipped', dir, walked.has(0), testInfo.outputPath(m.name))
        if (walked.has(0)) await screenshot(page, { path: testInfo.outputPath(`${m.name}-shipped-proof.png`), fullPage: true })
        // The default machine: Fix it offers the checkpoint install and the WinRE update (both run from there below).
        if (m.name === 'arm64-missing-checkpoint') expect(t.offers).toEqual(['install-checkpoint|KB5043080', 'winre-update|'])
        const runs = RUNS[m.name]
        expect(runs, `${m.name}: the walk lists its runs`).toBeDefined()
        for (const [i, run] of runs!.entries()) {
          if (run.cli) {
            const out = JSON.parse(cli([...run.cli, '--machine', m.name, '--yes', '--json'])) as { verified?: boolean; verification?: { verified?: boolean } }
            expect(out.verified ?? out.verification?.verified, `${m.name}: ${run.what} verified`).toBe(true)
          } else {
            // The page is on this machine whether or not the state before was walked.
            await openMachine(page, m.name)
            await run.ui!(page)
          }
          const before = t
          t = await agree(page, m.name, `after ${run.what}`, dir, walked.has(i + 1))
          // "Done" means installed: the failed update is the next step on every surface (checked above) until it verifies.
          if (m.name === 'x64-wu-components-broken' && run.what === 'reset-wu-components') expect(t.offers).toEqual(['install-update|KB5094126'])
          if (m.name === 'x64-pending-restart' && run.what === 'restart') expect(t.offers).toEqual(['install-update|KB5095011'])
          // A finding a run fixed moves to history; it never just vanishes.
          for (const f of before.current) {
            if (!t.findings.some((x) => x.id === f.id && (x.kbs ?? []).join() === (f.kbs ?? []).join())) expect.soft(null, `${m.name} after ${run.what}: "${f.title}" vanished instead of moving to history`).toBe(f.id)
          }
          if (i === runs!.length - 1 && walked.has(i + 1)) await screenshot(page, { path: testInfo.outputPath(`${m.name}-last-proof.png`), fullPage: true })
        }
        // The done-when walks: after the reset, "Install KB5094126" is offered everywhere until it verifies.
        // …and then the newer cumulative update it still lacks is the one offer left (issue 53 §1).
        if (m.name === 'x64-wu-components-broken') expect(t.current.filter((f) => f.severity !== 'info').map((f) => `${f.id} ${f.kbs?.join()}`)).toEqual(['newer-update-available KB5129195'])
      } finally {
        resetMachine(m.name)
        rmSync(dir, { recursive: true, force: true })
      }
    })
  }
})
