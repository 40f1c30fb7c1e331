/**
 * The Catalog lookup by month and branch: the local Catalog (127.0.0.1, real Search.aspx structure, rows under the
 * real 2026 Catalog titles of test/fixtures/catalog/titles-24h2-2026-wimforge.txt and setup-dus.json's captures)
 * answers the title searches; KB and build come from the title; the captured 2022 result pages of the real site
 * hold no such row, so nothing is taken from them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalCatalog, type LocalCatalog } from '../../../main/catalog/local-catalog/server.ts'
import { CatalogClient } from '../../../main/catalog/catalog-client.ts'
import { parseSearchPage } from '../../../main/catalog/search-page.ts'
import {
  catalogBranches,
  catalogQuery,
  findInCatalog,
  findNewestInCatalog,
  pickCatalogRow,
  previousMonth,
} from '../../../main/catalog/month-lookup.ts'
import { allBranches } from '../../../main/knowledge/servicing-chains.ts'
import { loadFixture } from '../../fixtures/load.ts'
import type { CatalogUpdate } from '../../../preload/model/catalog.ts'

let cat: LocalCatalog
const client = () => new CatalogClient({ baseUrl: cat.baseUrl, policy: cat.policy, backoffMs: 1 })
beforeAll(async () => {
  cat = await startLocalCatalog()
})
afterAll(async () => {
  await cat.close()
})

const row = (title: string, over: Partial<CatalogUpdate> = {}): CatalogUpdate => ({
  updateId: '00000000-0000-0000-0000-000000000001',
  title,
  products: ['Windows 11'],
  classification: 'Security Updates',
  lastUpdated: null,
  version: null,
  sizeText: '',
  sizeBytes: null,
  kb: null,
  arch: /arm64/i.test(title) ? 'arm64' : 'x64',
  ...over,
})

describe('Catalog lookup by month and branch (local Catalog over HTTP)', () => {
  it('2026-06, Windows 11 24H2, x64: KB5094126 → 26100.8655 from its title, the search said', async () => {
    const f = await findInCatalog(client(), 'win11-24h2', 'x64', 'lcu', '2026-06')
    expect(f).toMatchObject({
      kb: 'KB5094126',
      build: '26100.8655',
      month: '2026-06',
      released: '2026-06-09',
      query: '2026-06 Cumulative Update Windows 11 24H2 x64',
    })
    expect(f!.says).toBe(
      'KB5094126 → 26100.8655: the cumulative update of 2026-06 for win11-24h2 (x64), from its Microsoft Update Catalog title "2026-06 Cumulative Update for Windows 11, version 24H2 for x64-based Systems (KB5094126) (26100.8655)" (search "2026-06 Cumulative Update Windows 11 24H2 x64").',
    )
  })

  it('the newest cumulative update from November back: none for 2026-11 or 2026-10, KB5129195 (26100.9457) in 2026-09', async () => {
    const { fact, tried } = await findNewestInCatalog(client(), 'win11-24h2', 'x64', 'lcu', '2026-11', '2026-06')
    expect(tried).toEqual(['2026-11', '2026-10', '2026-09'])
    expect(fact).toMatchObject({ kb: 'KB5129195', build: '26100.9457' })
  })

  it('Safe OS and Setup Dynamic Updates: the newest per branch and architecture; a title naming two versions serves both', async () => {
    expect(
      (await findNewestInCatalog(client(), 'win11-24h2', 'x64', 'setup-du', '2026-11', '2026-01')).fact,
    ).toMatchObject({ kb: 'KB5127216', month: '2026-09', build: null })
    expect(
      (await findNewestInCatalog(client(), 'win11-24h2', 'arm64', 'setup-du', '2026-11', '2026-01')).fact,
    ).toMatchObject({ kb: 'KB5102558', month: '2026-06' })
    expect(
      (await findNewestInCatalog(client(), 'win11-25h2', 'x64', 'safe-os', '2026-11', '2026-01')).fact,
    ).toMatchObject({ kb: 'KB5089593', month: '2026-05' })
    expect(
      (await findNewestInCatalog(client(), 'win11-23h2', 'x64', 'safe-os', '2026-11', '2026-01')).fact,
    ).toMatchObject({ kb: 'KB5087594' })
    const none = await findNewestInCatalog(client(), 'server-2025', 'x64', 'safe-os', '2026-11', '2026-09')
    expect(none).toEqual({ fact: null, tried: ['2026-11', '2026-10', '2026-09'] })
  })
})

describe('picking the row (pure)', () => {
  it('several rows of the month: the highest build (the out-of-band after the monthly one); another version, kind or architecture never', () => {
    const rows = [
      row('2026-07 Cumulative Update for Windows 11, version 24H2 for x64-based Systems (KB5101650) (26100.8875)', {
        lastUpdated: '2026-07-14',
      }),
      row('2026-07 Cumulative Update for Windows 11, version 24H2 for x64-based Systems (KB5121767) (26100.8894)', {
        lastUpdated: '2026-07-18',
      }),
      row('2026-07 Cumulative Update for Windows 11, version 24H2 for arm64-based Systems (KB5121767) (26100.8894)'),
      row('2026-07 Cumulative Update for Windows 11, version 23H2 for x64-based Systems (KB5099414)'),
      row(
        '2026-07 Cumulative Update for .NET Framework 3.5 and 4.8.1 for Windows 11, version 24H2 for x64 (KB5099999)',
      ),
      row('2026-07 Setup Dynamic Update for Windows 11, version 24H2 for x64-based Systems (KB5099998)'),
    ]
    expect(pickCatalogRow(rows, 'win11-24h2', 'x64', 'lcu', '2026-07')).toMatchObject({
      kb: 'KB5121767',
      build: '26100.8894',
    })
    expect(pickCatalogRow(rows, 'win11-23h2', 'x64', 'lcu', '2026-07')).toMatchObject({ kb: 'KB5099414', build: null })
    expect(pickCatalogRow(rows, 'win11-24h2', 'x64', 'setup-du', '2026-07')).toMatchObject({ kb: 'KB5099998' })
    expect(pickCatalogRow(rows, 'win11-24h2', 'x64', 'lcu', '2026-06')).toBeNull()
    expect(pickCatalogRow(rows, 'server-2025', 'x64', 'lcu', '2026-07')).toBeNull()
    expect(
      pickCatalogRow(
        [
          row(
            '2026-07 Cumulative Update for Microsoft server operating system version 24H2 for x64-based Systems (KB5099536) (26100.33158)',
          ),
        ],
        'server-2025',
        'x64',
        'lcu',
        '2026-07',
      ),
    ).toMatchObject({ kb: 'KB5099536', build: '26100.33158' })
  })

  it("the real site's captured result pages (2022, other products) hold no row of a branch's month", () => {
    for (const f of ['catalog/search-results-more-pages.html', 'catalog/search-results-last-page.html']) {
      const rows = parseSearchPage(loadFixture(f).text).rows
      expect(rows.length).toBeGreaterThan(0)
      for (const b of catalogBranches()) expect(pickCatalogRow(rows, b, 'x64', 'lcu', '2022-09')).toBeNull()
    }
  })

  it('queries and months: every serviced branch has a title form; a bad month is an error', () => {
    for (const b of allBranches())
      if (b.id !== 'win11-21h2') expect(() => catalogQuery(b.id, 'x64', 'lcu', '2026-11'), b.id).not.toThrow()
    expect(catalogQuery('server-2022', 'x64', 'safe-os', '2026-11')).toBe(
      '2026-11 Safe OS Dynamic Update Microsoft server operating system 21H2 x64',
    )
    expect(() => catalogQuery('win11-24h2', 'x64', 'lcu', '2026-13')).toThrow(/not a month/)
    expect(() => catalogQuery('nope', 'x64', 'lcu', '2026-11')).toThrow(/No Catalog title form/)
    expect(previousMonth('2026-01')).toBe('2025-12')
  })
})
