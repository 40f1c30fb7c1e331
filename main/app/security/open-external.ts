/**
 * The only way the app opens a URL outside itself: https, no credentials, and an allowlisted origin.
 *
 * Why: shell.openExternal hands the URL to the OS, where `file:`, `ms-settings:`, `search-ms:` or a
 * UNC path can start programs (security checklist item 15,
 * https://www.electronjs.org/docs/latest/tutorial/security#15-do-not-use-shellopenexternal-with-untrusted-content).
 * `shell.openExternal` is called nowhere else (test/unit/app/open-external.test.ts checks the sources).
 */
import { shell } from 'electron'

/** Origins the app links to, each for a reason. */
export const EXTERNAL_ORIGINS: ReadonlyMap<string, string> = new Map([
  ['https://support.microsoft.com', 'KB articles for each update'],
  ['https://learn.microsoft.com', 'DISM, WinRE and error-code documentation'],
  ['https://www.catalog.update.microsoft.com', 'Microsoft Update Catalog pages for a package'],
])

/** Pure decision: the normalised URL to open, or null when it must not be opened. */
export function checkExternalUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > 2048) return null
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return null
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '') return null
  return EXTERNAL_ORIGINS.has(u.origin) ? u.href : null
}

/** Opens an allowlisted https URL in the user's browser; returns false (and opens nothing) otherwise. */
export async function openExternalSafely(url: unknown): Promise<boolean> {
  const href = checkExternalUrl(url)
  if (href === null) return false
  await shell.openExternal(href, { activate: true })
  return true
}
