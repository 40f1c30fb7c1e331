/**
 * The app's own origin: the renderer is served from `app://bundle/` (see app-protocol.ts).
 *
 * Why a helper instead of `new URL(x).origin`: WHATWG URL gives the opaque origin "null" for schemes
 * it does not know (app:), in Node; Chromium treats `app` as a standard scheme once it is registered
 * privileged. So origins are compared as `protocol//host` here, and never with startsWith
 * (https://www.electronjs.org/docs/latest/tutorial/security#13-disable-or-limit-navigation warns of
 * `https://example.com.attacker.com`).
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'bundle'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/** `protocol//host` of an absolute URL, lower-cased; null when it does not parse or has no host. */
export function originOf(url: unknown): string | null {
  if (typeof url !== 'string') return null
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return null
  }
  if (u.host === '') return null
  return `${u.protocol}//${u.host}`.toLowerCase()
}

/** True when `url` belongs to the app's own origin. */
export function isAppUrl(url: unknown): boolean {
  return originOf(url) === APP_ORIGIN
}
