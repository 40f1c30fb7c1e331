/**
 * Prevents every <webview> from attaching.
 *
 * Why: webviewTag is off in our webPreferences; this is the second lock should it ever be turned on,
 * since a webview can carry its own preload and Node settings (security checklist item 12).
 */
export interface WebviewEventSource {
  on(
    event: 'will-attach-webview',
    listener: (
      event: { preventDefault(): void },
      webPreferences: Record<string, unknown>,
      params: Record<string, unknown>,
    ) => void,
  ): unknown
}

export function preventWebviews(contents: WebviewEventSource): void {
  contents.on('will-attach-webview', (event, webPreferences) => {
    // Strip what a webview could have asked for, then refuse it anyway.
    delete webPreferences.preload
    webPreferences.nodeIntegration = false
    event.preventDefault()
  })
}
