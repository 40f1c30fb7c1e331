/**
 * Blocks every navigation away from the app's origin: will-navigate, will-redirect and will-frame-navigate.
 *
 * Why: a renderer that navigates to a page on the internet would run that page with our preload's API,
 * which reaches an elevated main process (Electron security checklist item 13,
 * https://www.electronjs.org/docs/latest/tutorial/security#13-disable-or-limit-navigation).
 */
import { isAppUrl } from '../origin.ts'

/** The part of WebContents this module uses (a fake in tests). */
export interface NavigationEventSource {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate',
    listener: (event: { preventDefault(): void; url?: string }, url?: string) => void,
  ): unknown
}

export const NAVIGATION_EVENTS = ['will-navigate', 'will-redirect', 'will-frame-navigate'] as const

/** Decides one navigation: allowed only inside the app's origin. */
export function isNavigationAllowed(url: unknown): boolean {
  return isAppUrl(url)
}

export function installNavigationGuard(
  contents: NavigationEventSource,
  onBlocked: (url: string) => void = () => {},
): void {
  for (const name of NAVIGATION_EVENTS) {
    contents.on(name, (event, legacyUrl) => {
      // Electron ≥ 25 puts the URL on the event; older signatures pass it second.
      const url = typeof event.url === 'string' ? event.url : legacyUrl
      if (!isNavigationAllowed(url)) {
        event.preventDefault()
        onBlocked(String(url))
      }
    })
  }
}
