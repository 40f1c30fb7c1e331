/**
 * Cancels every request the renderer's session would send to the network or the file system.
 *
 * Why, with a CSP already in place: defence in depth for "no remote content". The renderer needs only
 * app:// (and data:/blob:, which never reach the network). Downloads and Catalog requests run in Node
 * (main/download, main/catalog), not in this session, so they are not affected.
 */
export interface RequestFilterSession {
  webRequest: {
    onBeforeRequest(
      listener: ((details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void) | null,
    ): void
  }
}

const ALLOWED_SCHEMES = new Set(['app:', 'data:', 'blob:', 'devtools:'])

/** Pure decision: may the renderer's session load this URL? */
export function isRequestAllowed(url: string): boolean {
  try {
    return ALLOWED_SCHEMES.has(new URL(url).protocol)
  } catch {
    return false
  }
}

export function blockRemoteRequests(session: RequestFilterSession, onBlocked: (url: string) => void = () => {}): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isRequestAllowed(details.url)
    if (!allowed) onBlocked(details.url)
    callback({ cancel: !allowed })
  })
}
