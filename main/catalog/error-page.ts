/**
 * Recognises the Catalog's error answers: the error page (`errorPageDisplayedError` with a code in
 * brackets), a redirect to `Error.aspx?id=<signed int>`, and ASP.NET's "Object moved" body.
 *
 * 8DDD0010 means "cannot proceed, send the request again later" (retry with backoff); 8DDD0024 means the
 * update was not found or was removed (Poushec CatalogParser.cs; MSCatalogLTS Invoke-CatalogRequest.ps1).
 * Error.aspx ids are the code as a signed 32-bit integer (-1914896368 = 0x8DDD0010; wazuh/wazuh#13254).
 * Pure and total.
 */
export type CatalogErrorKind = 'retry' | 'not-found' | 'object-moved' | 'error'

export interface CatalogErrorInfo {
  kind: CatalogErrorKind
  /** `0x8DDD0010` style, or null when the page carries no code. */
  code: string | null
  message: string
}

const RETRY_CODES = new Set(['0x8DDD0010'])
const NOT_FOUND_CODES = new Set(['0x8DDD0024'])

function classify(code: string | null, message: string): CatalogErrorInfo {
  if (code && NOT_FOUND_CODES.has(code)) return { kind: 'not-found', code, message }
  if (code && RETRY_CODES.has(code)) return { kind: 'retry', code, message }
  // Unknown Catalog errors are reported as transient: the site's documented failure mode is
  // intermittent error pages under load (catalog-protocol.md §9).
  return { kind: 'retry', code, message }
}

/** The error a URL that the Catalog redirected to stands for (`/Error.aspx?id=-1914896368`). */
export function errorFromUrl(url: string): CatalogErrorInfo | null {
  const m = /\/Error\.aspx\?(?:[^#]*&)?id=(-?\d+)/i.exec(url)
  if (!m) return null
  const n = Number(m[1])
  if (!Number.isSafeInteger(n)) return classify(null, `The Catalog redirected to its error page (${url}).`)
  const code = `0x${(n >>> 0).toString(16).toUpperCase().padStart(8, '0')}`
  return classify(code, `The Catalog redirected to its error page with code ${code}.`)
}

export function detectCatalogError(html: string): CatalogErrorInfo | null {
  if (/<title>\s*Object moved\s*<\/title>|<h2>\s*Object moved to/i.test(html)) {
    return {
      kind: 'object-moved',
      code: null,
      message: 'The Catalog answered "Object moved" (a redirect instead of the page).',
    }
  }
  const idx = html.search(/id\s*=\s*["']?errorPageDisplayedError/i)
  if (idx === -1) return null
  const tail = html.slice(idx, idx + 2000).replace(/<[^>]*>/g, ' ')
  const code = /\[?\b(?:0x)?([0-9A-F]{8})\b\]?/i.exec(tail.slice(tail.indexOf('>') + 1))
  const norm = code ? `0x${code[1].toUpperCase()}` : null
  const text = tail
    .replace(/^[^>]*>/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300)
  return classify(norm, `The Catalog returned its error page${norm ? ` (${norm})` : ''}: ${text}`)
}
