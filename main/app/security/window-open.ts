/**
 * Denies every new window. Allowlisted help links open in the user's browser through openExternalSafely.
 *
 * Why: a second BrowserWindow would not get our hardening by construction, and `window.open` of a
 * remote page is the classic escape (security checklist item 14). Links to Microsoft's documentation
 * still work, outside the app.
 */
export interface WindowOpenTarget {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void
}

export function denyNewWindows(contents: WindowOpenTarget, openExternal: (url: string) => unknown): void {
  contents.setWindowOpenHandler(({ url }) => {
    void openExternal(url)
    return { action: 'deny' }
  })
}
