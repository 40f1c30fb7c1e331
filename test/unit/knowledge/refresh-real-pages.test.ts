/**
 * `knowledge refresh` on real captures of Microsoft's pages:
 * - the table of contents support.microsoft.com serves for its Windows 11 update-history pages, captured live
 *   (test/fixtures/update-history/ms-windows11-servicing-toc-2026-07.json);
 * - the rows of learn.microsoft.com's release-health tables as the page renders them
 *   (ms-release-health-*.txt, read by a public scraper).
 * No verbatim HTML copy of the update-history page itself exists in the sources the search tool holds (searched
 * 2026-11-23 for "supLeftNavLink", "Windows 11, version 24H2 update history", "windows11-release-information"):
 * these two are the most real captures there are.
 */
import { describe, it, expect, afterAll } from 'vitest'
import { mkdtempSync, rmSync, mkdirSync, copyFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { parseUpdateHistory } from '../../../main/knowledge/update-history.ts'
import { overlayFromPages, pagesFromDir, writeOverlay, loadKnowledgeOverlay } from '../../../main/knowledge/overlay.ts'
import { knownUpdate, applyOverlayUpdates, branchForBuild } from '../../../main/knowledge/servicing-chains.ts'
import { targetFact } from '../../../main/knowledge/catalog-target.ts'
import { CLI } from '../../cli-script.ts'

const FIXTURES = join(import.meta.dirname, '../../fixtures/update-history')
const TOC = 'ms-windows11-servicing-toc-2026-07.json'
const SRV2022 = 'ms-release-health-server2022-rows-2025.txt'
const W25H2 = 'ms-release-health-win11-25h2-rows-2025-10.txt'
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8')

afterAll(() => applyOverlayUpdates([]))

describe('the update-history TOC support.microsoft.com serves (real capture)', () => {
  const releases = parseUpdateHistory(read(TOC))
  it('reads every heading of the capture: 12 of 26H1 and 26 of the 24H2/25H2 branch, one per KB', () => {
    expect(releases).toHaveLength(38)
    expect(releases.filter((r) => r.builds.every((b) => b.build === 28000))).toHaveLength(12)
    expect(new Set(releases.map((r) => r.kb)).size).toBe(38)
  })
  it('kinds, dates and builds as the headings give them (out-of-band, preview, monthly; one build or two)', () => {
    const get = (kb: string) => releases.find((r) => r.kb === kb)
    expect(get('KB5085516')).toMatchObject({
      released: '2026-03-21',
      kind: 'out-of-band',
      builds: [
        { build: 26200, ubr: 8039 },
        { build: 26100, ubr: 8039 },
      ],
    })
    expect(get('KB5101684')).toMatchObject({ released: '2026-07-28', kind: 'preview' })
    expect(get('KB5086672')).toMatchObject({
      released: '2026-03-31',
      kind: 'out-of-band',
      builds: [
        { build: 26200, ubr: 8117 },
        { build: 26100, ubr: 8117 },
      ],
    })
    expect(get('KB5074109')).toMatchObject({ released: '2026-01-13', kind: 'monthly' })
    // "September 29, 2025—KB5065789 (OS Build 26100.6725) Preview": Microsoft's heading names one build.
    expect(get('KB5065789')).toMatchObject({ builds: [{ build: 26100, ubr: 6725 }], kind: 'preview' })
    expect(get('KB5101681')).toMatchObject({
      released: '2026-07-28',
      builds: [{ build: 28000, ubr: 2608 }],
      kind: 'preview',
    })
    expect(get('KB5086672')?.heading).toBe('March 31, 2026—KB5086672 (OS Builds 26200.8117 and 26100.8117) Out-of-band')
  })
  it('agrees with the shipped knowledge on every KB both have (no contradiction to hide)', () => {
    let compared = 0
    for (const r of releases) {
      const shipped = knownUpdate(r.kb)
      if (!shipped || shipped.provenance?.origin === 'overlay') continue
      expect(shipped.released, r.kb).toBe(r.released)
      expect(
        r.builds.map((b) => b.ubr),
        r.kb,
      ).toContain(shipped.ubr)
      compared++
    }
    expect(compared).toBeGreaterThanOrEqual(15)
  })
})

describe('release-health table rows (real rendering of learn.microsoft.com)', () => {
  it('Server 2022: 12 rows, 8 monthly and 4 out-of-band, each on the Server 2022 branch', () => {
    const r = parseUpdateHistory(read(SRV2022))
    expect(r).toHaveLength(12)
    expect(r.filter((x) => x.kind === 'monthly')).toHaveLength(8)
    expect(r.filter((x) => x.kind === 'out-of-band').map((x) => x.kb)).toEqual([
      'KB5061906',
      'KB5059092',
      'KB5058920',
      'KB5052819',
    ])
    expect(r[0]).toMatchObject({ kb: 'KB5063880', released: '2025-08-12', builds: [{ build: 20348, ubr: 4052 }] })
    for (const x of r) expect(branchForBuild(x.builds[0].build, { ubr: x.builds[0].ubr })?.id).toBe('server-2022')
  })
  it('25H2: the row without a KB (the release itself) is skipped, the October update read', () => {
    expect(parseUpdateHistory(read(W25H2))).toEqual([
      {
        kb: 'KB5066835',
        released: '2025-10-14',
        builds: [{ build: 26200, ubr: 6899 }],
        kind: 'monthly',
        heading: '2025-10 B 2025-10-14 26200.6899 KB5066835',
      },
    ])
  })
  it('the same rows inside an HTML table (tags between the cells) read alike; hostile rows give nothing', () => {
    const html =
      '<tr><td>General Availability Channel</td>\n<td>2025-10 B</td>\n<td>2025-10-14</td>\n<td>26200.6899</td>\n<td><a href="https://support.microsoft.com/help/5066835">KB5066835</a></td></tr>'
    expect(parseUpdateHistory(html)).toMatchObject([
      { kb: 'KB5066835', released: '2025-10-14', builds: [{ build: 26200, ubr: 6899 }] },
    ])
    const hostile = [
      '2025-13 B 2025-13-40 26200.6899 KB5066835',
      '2025-10 X 2025-10-14 26200.6899 KB5066835',
      '2025-10 B 2025-10-14 26200 KB5066835',
      `${'2025-10 B '.repeat(20000)}`,
    ]
    let ran = 0
    for (const h of hostile) {
      expect(parseUpdateHistory(h), h.slice(0, 40)).toEqual([])
      ran++
    }
    expect(ran).toBe(4)
  })
  it('Microsoft\'s own typos in headings are tolerated ("(OS Builds OS …", "KB5055627(OS Build")', () => {
    // Both verbatim from the same TOC capture (later in the file than the fixture's excerpt: its 24H2 and 22H2 lists).
    const toc =
      '{"toc_title":"June 10, 2025\\u2014KB5060999 (OS Builds OS 22621.5472 and 22631.5472)"},{"toc_title":"April 25, 2025\\u2014KB5055627(OS Build 26100.3915) Preview"}'
    expect(parseUpdateHistory(toc)).toMatchObject([
      {
        kb: 'KB5060999',
        released: '2025-06-10',
        builds: [
          { build: 22621, ubr: 5472 },
          { build: 22631, ubr: 5472 },
        ],
        kind: 'monthly',
      },
      { kb: 'KB5055627', released: '2025-04-25', builds: [{ build: 26100, ubr: 3915 }], kind: 'preview' },
    ])
  })
  it("support.microsoft.com's left-navigation dash (&#x2014;) is read like the others", () => {
    // The form public scrapers quote from the page's left navigation (find_string 'class="supLeftNavLink" data-bi-slot').
    const a =
      '<a class="supLeftNavLink" data-bi-slot="11" href="/en-us/help/5028185">July 11, 2023&#x2014;KB5028185 (OS Build 22621.1992)</a>'
    expect(parseUpdateHistory(a)).toMatchObject([
      { kb: 'KB5028185', released: '2023-07-11', builds: [{ build: 22621, ubr: 1992 }], kind: 'monthly' },
    ])
  })
})

describe('refresh --from the real captures: an overlay the app then uses', () => {
  const home = mkdtempSync(join(tmpdir(), 'sd-refresh-real-'))
  afterAll(() => rmSync(home, { recursive: true, force: true }))

  it('in process: new KBs land in the overlay with the page they were read from; shipped KBs are left alone', () => {
    const dir = join(home, 'pages')
    mkdirSync(dir)
    for (const f of [TOC, SRV2022, W25H2]) copyFileSync(join(FIXTURES, f), join(dir, f))
    const pages = pagesFromDir(dir)
    expect(pages.map((p) => p.from)).toEqual([
      expect.stringMatching(/^https:\/\/github\.com\/Alitai12\/Windows-Updatelist\/blob\/50a88c3e/),
      expect.stringMatching(/^https:\/\/github\.com\/Alitai12\/Windows-Updatelist\/blob\/e3aa85d4/),
      expect.stringMatching(/^https:\/\/github\.com\/Avnsx\/win11_release_guard\/blob\/b82c5fba/),
    ])
    const { overlay, added, skipped } = overlayFromPages(pages, new Date('2026-11-23T02:00:00Z'))
    expect(added).toEqual(expect.arrayContaining(['KB5063880', 'KB5066835']))
    // January 2026 (KB5074109 and its out-of-band fixes) is shipped now (UH-2026-08): the refresh leaves it alone.
    for (const kb of ['KB5078127', 'KB5077744', 'KB5074109', 'KB5079489'])
      expect(skipped.find((s) => s.kb === kb)?.reason, kb).toBe('already in the shipped knowledge')
    expect(skipped.find((s) => s.kb === 'KB5086672')?.reason).toBe('already in the shipped knowledge')
    expect(skipped.find((s) => s.kb === 'KB5124010')).toBeUndefined() // not on these pages
    expect(overlay.reads.map((r) => r.releases)).toEqual([12, 1, 38])
    const oct = overlay.updates.find((u) => u.kb === 'KB5066835')!
    expect(oct).toMatchObject({
      ubr: 6899,
      released: '2025-10-14',
      branchIds: ['win11-25h2', 'win11-24h2'],
      prerequisites: ['KB5043080'],
      verified: false,
    })
    expect(oct.provenance.readFrom).toMatch(/win11_release_guard/)
    writeOverlay(home, overlay)
    expect(loadKnowledgeOverlay(home)).toMatchObject({ state: 'loaded', updates: added.length })
    expect(knownUpdate('KB5066835')?.provenance?.origin).toBe('overlay')
    expect(targetFact('KB5066835')).toMatchObject({ from: 'overlay', build: 26100, ubr: 6899 })
    expect(knownUpdate('KB5078127')?.provenance?.origin).toBe('shipped')
    expect(knownUpdate('KB5063880')).toMatchObject({ branchIds: ['server-2022'], ubr: 4052, baseBuild: 20348 })
    applyOverlayUpdates([])
  })

  it('through the CLI: knowledge refresh --from, then knowledge --json lists the entries read, with their provenance', () => {
    const root = join(import.meta.dirname, '../../..')
    const cliHome = join(home, 'cli')
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, [CLI, ...args], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, SERVICING_DESK_HOME: cliHome },
      })
    const refreshed = JSON.parse(cli('knowledge', 'refresh', '--from', join(home, 'pages'), '--json'))
    expect(refreshed.added).toContain('KB5066835')
    expect(refreshed.alreadyKnown).toBeGreaterThanOrEqual(15)
    const after = JSON.parse(cli('knowledge', '--json', '--today', '2026-11-23'))
    expect(after.overlay).toMatchObject({ state: 'loaded', updates: refreshed.added.length })
    const u = after.updates.find((x: { kb: string }) => x.kb === 'KB5066835')
    expect(u).toMatchObject({
      released: '2025-10-14',
      ubr: 6899,
      provenance: { origin: 'overlay', readFrom: expect.stringMatching(/win11_release_guard/) },
    })
    expect(after.updates.find((x: { kb: string }) => x.kb === 'KB5086672').provenance.origin).toBe('shipped')
  })
})
