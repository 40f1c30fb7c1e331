/**
 * The one API the renderer uses: the preload's `window.servicingDesk` in Electron, or the preview
 * bridge in a plain browser. Components never call it directly; store actions do.
 */
import type { DeskApi } from '../../../preload/contract.ts'
import { createPreviewBridge } from './preview-bridge.ts'

declare global {
  interface Window {
    servicingDesk?: DeskApi
  }
}

let cached: DeskApi | null = null
const TOKEN_KEY = 'sd-preview-token'

/**
 * The preview's token: from the page the printed address (or the one-time code) opened, kept in this tab's
 * sessionStorage — this origin's alone, port included, where a cookie would go to every port of 127.0.0.1 — so a reload
 * keeps working; the token or code is taken out of the address bar. Null outside the preview or without it.
 */
export function previewToken(): string | null {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="sd-preview-token"]')?.content ?? null
  let token = meta
  try {
    if (meta) sessionStorage.setItem(TOKEN_KEY, meta)
    else token = sessionStorage.getItem(TOKEN_KEY)
  } catch {
    /* storage refused (a private mode): this page load only */
  }
  const url = new URL(location.href)
  if (url.searchParams.has('token') || url.searchParams.has('code')) {
    url.searchParams.delete('token')
    url.searchParams.delete('code')
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`)
  }
  return token
}

export function getApi(): DeskApi {
  if (cached) return cached
  if (window.servicingDesk) {
    cached = window.servicingDesk
    return cached
  }
  const token = previewToken()
  if (!token) throw new Error('No back end: this page runs neither in the app nor in its preview.')
  cached = createPreviewBridge(token)
  return cached
}

/** Unwraps a call result: the value, or an Error carrying the plain message. */
export async function unwrap<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const r = await p
  if (r.ok) return r.value
  throw Object.assign(new Error(r.error.message), { code: r.error.code })
}
