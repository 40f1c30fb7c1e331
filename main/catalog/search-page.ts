/**
 * Parses a Search.aspx page: result rows, the ASP.NET hidden fields for the next postback, the counts,
 * and whether a next page exists. Pure and total: odd input yields problems, never a throw.
 *
 * Structure: catalog-protocol.md §3–4 (table `ctl00_catalogBody_updateMatches`, rows `<GUID>_R<n>`,
 * cells `<GUID>_C<k>_R<n>`; next page is `ctl00_catalogBody_nextPageLinkText`, the last page shows
 * `ctl00_catalogBody_nextPage` instead). Cells are read by id so extra columns do not shift them.
 */
import { loadHtml } from './html.ts'
import type { CatalogUpdate } from '../../preload/model/catalog.ts'
import { archFromTitle } from './arch-tokens.ts'
import { detectCatalogError, type CatalogErrorInfo } from './error-page.ts'

export interface SearchPage {
  rows: CatalogUpdate[]
  /** The five ASP.NET fields a postback must send back. */
  hidden: Record<string, string>
  hasNextPage: boolean
  page: number | null
  pageCount: number | null
  totalCount: number | null
  /** The site says only the first 1000 matches are returned. */
  cappedAt1000: boolean
  noResults: boolean
  /** The page is neither results nor "no results" (an error page, an empty table, a broken page). */
  error: CatalogErrorInfo | null
  problems: string[]
}

const HIDDEN = ['__EVENTTARGET', '__EVENTARGUMENT', '__VIEWSTATE', '__VIEWSTATEGENERATOR', '__EVENTVALIDATION']
const ROW_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_R(\d+)$/i

/** `9/10/2019` → `2019-09-10`; null when not an en-US date. */
export function parseUsDate(text: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim())
  if (!m) return null
  const [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

export function kbFromText(text: string): string | null {
  const m = /\bKB(\d{6,8})\b/i.exec(text)
  return m ? `KB${m[1]}` : null
}

const clean = (s: string) => s.replace(/\s+/g, ' ').trim()

export function parseSearchPage(html: string): SearchPage {
  const problems: string[] = []
  const $ = loadHtml(html)
  const hidden: Record<string, string> = {}
  for (const name of HIDDEN) {
    const v = $(`input[name="${name}"]`).attr('value')
    if (v !== undefined) hidden[name] = v
  }
  const duration = clean($('#ctl00_catalogBody_searchDuration').text())
  const counts = /of\s+(\d+)\s*\(page\s+(\d+)\s+of\s+(\d+)\)/i.exec(duration)
  const rows: CatalogUpdate[] = []
  $('#ctl00_catalogBody_updateMatches tr').each((_, tr) => {
    const m = ROW_ID.exec($(tr).attr('id') ?? '')
    if (!m) return
    const guid = m[1].toLowerCase()
    const n = m[2]
    const cell = (k: number) => $(tr).find(`td[id="${m[1]}_C${k}_R${n}"]`)
    const title = clean(cell(1).find('a').first().text() || cell(1).text())
    if (!title) {
      problems.push(`row ${guid} has no title`)
      return
    }
    const sizeCell = cell(6)
    const original = clean(sizeCell.find(`span[id$="_originalSize"]`).text())
    const version = clean(cell(5).text())
    rows.push({
      updateId: guid,
      title,
      products: clean(cell(2).text())
        .split(/,(?=\S)/)
        .map(clean)
        .filter(Boolean),
      classification: clean(cell(3).text()),
      lastUpdated: parseUsDate(clean(cell(4).text())),
      version: version && version !== 'n/a' ? version : null,
      sizeText: clean(sizeCell.find(`span[id$="_size"]`).text()),
      sizeBytes: /^\d+$/.test(original) ? Number(original) : null,
      kb: kbFromText(title),
      arch: archFromTitle(title).arch,
    })
  })
  const noResults = $('#ctl00_catalogBody_noResultText').length > 0
  const hasTable = $('#ctl00_catalogBody_updateMatches').length > 0
  let error = detectCatalogError(html)
  if (!error && !noResults && rows.length === 0) {
    error = {
      kind: 'retry',
      code: null,
      message: hasTable
        ? 'The Catalog returned an empty results table.'
        : 'The page is not a Catalog search page (no results table).',
    }
  }
  return {
    rows,
    hidden,
    hasNextPage: $('#ctl00_catalogBody_nextPageLinkText').length > 0,
    page: counts ? Number(counts[2]) : null,
    pageCount: counts ? Number(counts[3]) : null,
    totalCount: counts ? Number(counts[1]) : null,
    cappedAt1000: $('#ctl00_catalogBody_textMoreResults').length > 0,
    noResults,
    error,
    problems,
  }
}
