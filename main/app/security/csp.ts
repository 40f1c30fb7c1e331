/**
 * The renderer's Content-Security-Policy: our own scripts and styles only, no inline script, no
 * remote content. The same string is in renderer/index.html as a meta tag (for the browser preview)
 * and sent as a header by the app:// protocol (where frame-ancestors also works).
 *
 * Why `connect-src 'self'`: the browser preview's bridge fetches the preview server, which serves the
 * page too (same origin). Why `img-src data:`: charts export as data: URLs.
 */
export const CSP_DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
] as const

/** For the meta tag (frame-ancestors is ignored there). */
export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.join('; ')

/** For the response header. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`

/** Reads the CSP out of an HTML document's meta tag, or null. */
export function cspFromHtml(html: string): string | null {
  const m = html.match(/<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=(?:"([^"]*)"|'([^']*)')/i)
  return m ? (m[1] ?? m[2]) : null
}
