/**
 * Installs every per-WebContents guard on each WebContents the app ever creates.
 *
 * Why on `web-contents-created`: it covers the main window and anything created later (devtools,
 * a webview that slipped through), so no window can be born without the guards.
 */
import { installNavigationGuard, type NavigationEventSource } from './navigation.ts'
import { denyNewWindows, type WindowOpenTarget } from './window-open.ts'
import { preventWebviews, type WebviewEventSource } from './webview.ts'

export type GuardedContents = NavigationEventSource & WindowOpenTarget & WebviewEventSource

/**
 * The part of Electron's `app` used here: the one event. Its WebContents arrives as `unknown` because Electron's
 * overloaded `on` methods do not fit the narrow interfaces the guards take; it is read as GuardedContents below.
 */
export interface WebContentsCreatedSource {
  on(event: 'web-contents-created', listener: (event: unknown, contents: unknown) => void): unknown
}

export function hardenAllWebContents(
  app: WebContentsCreatedSource,
  openExternal: (url: string) => unknown,
  log: (msg: string) => void = () => {},
): void {
  app.on('web-contents-created', (_event, created) => {
    // Electron's WebContents: on('will-navigate' | 'will-redirect' | 'will-frame-navigate' | 'will-attach-webview')
    // and setWindowOpenHandler, as the three guards use them.
    const contents = created as GuardedContents
    installNavigationGuard(contents, (url) => log(`blocked navigation to ${url}`))
    denyNewWindows(contents, openExternal)
    preventWebviews(contents)
  })
}
