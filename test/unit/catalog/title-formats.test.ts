/**
 * Catalog titles in both formats: the old form "… Version 24H2 for x64-based Systems (KB…)"
 * (every title of the real 2022 search captures) and the 2026 form with the OS build after the KB,
 * "… Version 24H2 … (KB5086672) (26100.8117)" (March/April 2026) and "…, version 24H2 … (KB5094126) (26100.8655)"
 * (from May 2026), as a real search against 24H2 returned them. The local Catalog titles its 2026 cumulative
 * updates the same way, and their builds agree with the knowledge.
 */
import { describe, it, expect } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { parseSearchPage } from '../../../main/catalog/search-page.ts'
import { buildFromTitle, kbFromTitle, versionFromTitle } from '../../../main/parse/title-build.ts'
import { archFromTitle } from '../../../main/catalog/arch-tokens.ts'
import { buildDataSet } from '../../../main/catalog/local-catalog/data-set.ts'
import { searchPage } from '../../../main/catalog/local-catalog/pages.ts'
import { knownUpdate } from '../../../main/knowledge/servicing-chains.ts'
import { targetFact } from '../../../main/knowledge/catalog-target.ts'

describe('old-format titles (real search captures, 2022): no build, KB and version still read', () => {
  it('every row of both captured search pages', () => {
    let n = 0
    for (const f of ['catalog/search-results-more-pages.html', 'catalog/search-results-last-page.html']) {
      const page = parseSearchPage(loadFixture(f).text)
      expect(page.rows.length, f).toBeGreaterThan(0)
      for (const r of page.rows) {
        expect(buildFromTitle(r.title), r.title).toBeNull()
        expect(kbFromTitle(r.title), r.title).toBe(r.kb)
        n++
      }
    }
    expect(n).toBeGreaterThanOrEqual(25)
  })
})

describe('2026-format titles (real search against 24H2)', () => {
  const rows = [
    ...loadFixture('catalog/titles-24h2-2026-wimforge.txt').text.matchAll(
      /T = '([^']+)';\s+D = '(\d{4}-\d{2}-\d{2})'/g,
    ),
  ].map((m) => ({ title: m[1], date: m[2] }))
  it(`reads build, KB, version and architecture from all ${rows.length} titles, in both spellings of "version"`, () => {
    expect(rows).toHaveLength(7)
    let ran = 0
    for (const { title } of rows) {
      const kb = kbFromTitle(title)!
      const build = buildFromTitle(title)
      expect(build?.build, title).toBe(26100)
      expect(versionFromTitle(title), title).toBe('24H2')
      expect(archFromTitle(title).arch, title).toBe('x64')
      // The title's build is the knowledge's build for that KB (all seven are known).
      expect(knownUpdate(kb)?.ubr, title).toBe(build?.ubr)
      ran++
    }
    expect(ran).toBe(7)
    expect(rows.filter((r) => /, version 24H2/.test(r.title)).map((r) => r.date)).toEqual([
      '2026-07-14',
      '2026-07-18',
      '2026-06-09',
      '2026-05-12',
    ])
    expect(rows.filter((r) => / Version 24H2/.test(r.title)).map((r) => r.date)).toEqual([
      '2026-04-14',
      '2026-03-31',
      '2026-03-21',
    ])
  })
  it('a KB the knowledge does not have gets its target build from such a title (and says so)', () => {
    const t = rows[0].title.replace('KB5101650', 'KB5999001').replace('26100.8875', '26100.9999')
    expect(targetFact('KB5999001', { title: t })).toMatchObject({ from: 'catalog-title', build: 26100, ubr: 9999 })
  })
})

describe('the local Catalog titles its 2026 cumulative updates in the 2026 format', () => {
  const data = buildDataSet().filter((u) => !u.title.startsWith('Filler'))
  it('each 2026 cumulative update ends with its build, which is the knowledge’s; the 2024 ones and Safe OS updates carry none', () => {
    let checked = 0
    for (const u of data) {
      const cu = / Cumulative Update for /.test(u.title) && !/Preview|\.NET/.test(u.title)
      const b = buildFromTitle(u.title)
      if (cu && u.title.startsWith('2026-')) {
        const k = knownUpdate(u.kb)!
        expect(b, u.title).not.toBeNull()
        expect(b!.ubr, u.title).toBe(k.ubr)
        expect([26100, 26200, 22631, 19045], u.title).toContain(b!.build)
        checked++
      } else {
        expect(b, u.title).toBeNull()
      }
    }
    expect(checked).toBe(13) // KB5086672 and KB5129195 24H2 and 25H2 (x64, arm64), KB5094126 (x64, arm64), KB5129242 23H2 (x64, arm64), KB5129236 Windows 10 (x64)
  })
  it('a search page of the local Catalog carries the build through the real page structure', () => {
    const matches = data.filter((u) => u.kb === 'KB5094126')
    const page = parseSearchPage(searchPage('KB5094126', matches, 1))
    expect(page.rows.map((r) => [r.kb, r.arch, buildFromTitle(r.title)])).toEqual(
      expect.arrayContaining([
        ['KB5094126', 'x64', { build: 26100, ubr: 8655 }],
        ['KB5094126', 'arm64', { build: 26100, ubr: 8655 }],
      ]),
    )
  })
})
