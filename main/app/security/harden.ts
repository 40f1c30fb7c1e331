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

/** The part of Electron's `app` used here; loosely typed because App's `on` has dozens of overloads. */
export interface WebContentsCreatedSource {
  on(event: 'web-contents-created', listener: (event: any, contents: any) => void): unknown
}

export function hardenAllWebContents(
  app: WebContentsCreatedSource,
  openExternal: (url: string) => unknown,
  log: (msg: string) => void = () => {},
): void {
  app.on('web-contents-created', (_event, contents: GuardedContents) => {
    installNavigationGuard(contents, (url) => log(`blocked navigation to ${url}`))
    denyNewWindows(contents, openExternal)
    preventWebviews(contents)
  })
}
