/**
 * Opens the preview in the person's browser without its key on anyone's command line: `xdg-open URL`
 * put the preview token in the argv of xdg-open and the browser, which every local user reads from /proc and could
 * then drive the API with. Instead the browser is handed a file in a private folder (0700, the file 0600: readable by
 * this user only) whose one line sends it to `/?code=…`, a one-time code that expires in a minute
 * (preview-server.ts). The command line names only that file. The file is removed once the code has expired.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface OpenBrowserDeps {
  /** Starts the opener (xdg-open, open, explorer.exe) with argv; errors are ignored (the address is printed anyway). */
  spawn: (file: string, args: string[]) => void
  opener: string
  /** Where the private folder is made (the system's temp folder). */
  tempRoot?: string
  ttlMs?: number
}

/** The page the browser opens: a redirect to the one-time address, and nothing else (no script, no key). */
export function redirectPage(url: string): string {
  const safe = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${safe}"><title>Servicing Desk preview</title></head><body><p><a href="${safe}">Open the Servicing Desk preview</a></p></body></html>\n`
}

/** Opens `baseUrl` (the preview's `http://127.0.0.1:port/`) with a one-time code; returns the file the browser got. */
export function openBrowser(baseUrl: string, oneTimeCode: (ttlMs: number) => string, deps: OpenBrowserDeps): string {
  const ttlMs = deps.ttlMs ?? 60_000
  const dir = mkdtempSync(join(deps.tempRoot ?? tmpdir(), 'sd-preview-'))
  const file = join(dir, 'open.html')
  writeFileSync(file, redirectPage(`${baseUrl}?code=${oneTimeCode(ttlMs)}`), { mode: 0o600, flag: 'wx' })
  // Gone once the code can no longer be used (and at the latest when this process ends: the OS cleans its temp folder).
  setTimeout(() => {
    try {
      rmSync(dir, { recursive: true, force: true })
    } catch {
      /* already gone */
    }
  }, ttlMs + 5_000).unref()
  deps.spawn(deps.opener, [file])
  return file
}
