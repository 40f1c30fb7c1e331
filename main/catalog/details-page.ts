/**
 * Parses ScopedViewInline.aspx?updateid=<GUID>: description, architecture, KBs, and supersedence.
 *
 * Fields are labelled spans (`ScopedViewHandler_label…_Separator`) followed by text in the same div, or
 * spans with fixed ids (catalog-protocol.md §5, from kbupdate, Poushec and jborean93). Supersedence:
 * `supersededbyInfo` holds one div per newer update with a link carrying its GUID; `supersedesInfo`
 * one div per older update, title only; either holds just `n/a` when empty (kbupdate#38). Matched by
 * id, not by the literal opening tag (kbupdate#131). Pure and total.
 */
import { loadHtml } from './html.ts'
import type { CatalogDetails } from '../../preload/model/catalog.ts'
import { archesFromDetailsText } from './arch-tokens.ts'
import { kbFromText } from './search-page.ts'
import { detectCatalogError, type CatalogErrorInfo } from './error-page.ts'

const clean = (s: string) => s.replace(/\s+/g, ' ').trim()
const orNull = (s: string) => (s === '' || /^n\/a$/i.test(s) ? null : s)

export function parseDetailsPage(
  html: string,
  updateId: string,
): { details: CatalogDetails | null; error: CatalogErrorInfo | null } {
  const error = detectCatalogError(html)
  if (error) return { details: null, error }
  const $ = loadHtml(html)
  const afterLabel = (label: string): string => {
    const sep = $(`#ScopedViewHandler_label${label}_Separator`)
    if (sep.length === 0) return ''
    const parent = sep.parent().clone()
    parent.find(`#ScopedViewHandler_label${label}_Separator`).remove()
    return clean(parent.text())
  }
  const title = clean($('#ScopedViewHandler_titleText').text())
  if (!title && $('#ScopedViewHandler_desc').length === 0) {
    return {
      details: null,
      error: {
        kind: 'retry',
        code: null,
        message: 'The details page has no title or description (not a ScopedViewInline page).',
      },
    }
  }
  const archText = afterLabel('Architecture')
  const kbText = afterLabel('KBArticle')
  const kbs = [...new Set((kbText.match(/\d{6,8}/g) ?? []).map((n) => `KB${n}`))]
  const entries = (id: string, withLinks: boolean) => {
    const out: CatalogDetails['supersedes'] = []
    $(`#${id} > div`).each((_, div) => {
      const text = clean($(div).text())
      if (!text || /^n\/a$/i.test(text)) return
      const href = withLinks ? ($(div).find('a').attr('href') ?? '') : ''
      const g = /updateid=([0-9a-f-]{36})/i.exec(href)
      out.push({ updateId: g ? g[1].toLowerCase() : null, title: text, kb: kbFromText(text) })
    })
    return out
  }
  return {
    error: null,
    details: {
      updateId,
      title: orNull(title),
      description: orNull(clean($('#ScopedViewHandler_desc').text())),
      architectureText: orNull(archText),
      architectures: archesFromDetailsText(archText),
      classification: orNull(afterLabel('Classification')),
      products: (orNull(afterLabel('SupportedProducts')) ?? '')
        .split(/,(?=\S)/)
        .map(clean)
        .filter(Boolean),
      kbs,
      rebootBehavior: orNull(clean($('#ScopedViewHandler_rebootBehavior').text())),
      supersededBy: entries('supersededbyInfo', true),
      supersedes: entries('supersedesInfo', false),
    },
  }
}
