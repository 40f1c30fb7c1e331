/**
 * The Catalog search for a build the knowledge holds without its KB (24H2's 26100.9974 of 2026-11-10, from Microsoft's
 * CVE record): the November month is searched first and the row's title gives the KB; the fact says it is the build
 * the knowledge names without its KB. Tested on a result page BUILT from a real capture (its first line says so): no
 * real November 2026 Catalog page was found, and its KB is a placeholder.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseSearchPage } from '../../../main/catalog/search-page.ts'
import { catalogBeyondKnowledge } from '../../../main/catalog/catalog-beyond.ts'
import type { CatalogSearcher } from '../../../main/catalog/month-lookup.ts'
import type { CatalogSearchResult } from '../../../preload/model/catalog.ts'

const built = readFileSync(
  join(import.meta.dirname, '../../fixtures/catalog/built-search-2026-11-24h2-x64.html'),
  'utf8',
)

/** A searcher that answers the November cumulative-update search with the built page, and every other with nothing. */
function searcher(asked: string[]): CatalogSearcher {
  return {
    async search(query: string): Promise<CatalogSearchResult> {
      asked.push(query)
      const page = parseSearchPage(built)
      const updates = query.startsWith('2026-11 Cumulative Update') ? page.rows : []
      return { query, updates, totalCount: updates.length, truncated: false } as unknown as CatalogSearchResult
    },
  }
}

describe('the Catalog search for a build known without its KB', () => {
  it('the built page is labelled as built, and parses to the November row', () => {
    expect(built.split('\n')[0]).toMatch(/^# built: NOT a real Catalog page/)
    expect(parseSearchPage(built).rows.map((u) => u.title)).toContain(
      '2026-11 Cumulative Update for Windows 11, version 24H2 for x64-based Systems (KB5999911) (26100.9974)',
    )
  })

  it('24H2 x64 on 2026-11-27: the knowledge names 26100.9974 without its KB; the Catalog title names the KB', async () => {
    const asked: string[] = []
    const r = await catalogBeyondKnowledge(searcher(asked), 'win11-24h2', 'x64', new Date('2026-11-27T12:00:00Z'))
    expect(r.knowledge).toMatchObject({ kb: null, build: '26100.9974', released: '2026-11-10' })
    expect(r.reason).toBe(
      'The knowledge names the newest build (26100.9974, released 2026-11-10, source CVE-2026-122162) without its KB: the Catalog is asked for it.',
    )
    const lcu = r.results.find((x) => x.kind === 'lcu')!
    expect(lcu.tried).toEqual(['2026-11'])
    expect(lcu.fact).toMatchObject({ kb: 'KB5999911', build: '26100.9974', month: '2026-11' })
    expect(lcu.says).toMatch(/It is the build the knowledge names without its KB: the Catalog names the KB\.$/)
    expect(asked[0]).toBe('2026-11 Cumulative Update Windows 11 24H2 x64')
  })

  it('when the Catalog lists nothing for November, the search goes back to the newest month with a KB (2026-09)', async () => {
    const none: CatalogSearcher = {
      async search(query: string) {
        return { query, updates: [], totalCount: 0, truncated: false } as unknown as CatalogSearchResult
      },
    }
    const r = await catalogBeyondKnowledge(none, 'win11-24h2', 'x64', new Date('2026-11-27T12:00:00Z'))
    expect(r.results.find((x) => x.kind === 'lcu')!.tried).toEqual(['2026-11', '2026-10', '2026-09'])
  })
})
