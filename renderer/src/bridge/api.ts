/**
 * The one API the renderer uses: the preload's `window.servicingDesk` in Electron, or the preview
 * bridge in a plain browser. Components never call it directly; store actions do.
 */
import type { DeskApi } from '../../../preload/contract.ts'
import { createPreviewBridge } from './preview-bridge.ts'

declare global {
  interface Window { servicingDesk?: DeskApi }
}

let cached: DeskApi | null = null

export function getApi(): DeskApi {
  if (cached) return cached
  if (window.servicingDesk) { cached = window.servicingDesk; return cached }
  const token = document.querySelector<HTMLMetaElement>('meta[name="sd-preview-token"]')?.content
  if (!token) throw new Error('No back end: this page runs neither in the app nor in its preview.')
  cached = createPreviewBridge(token)
  return cached
}

/** Unwraps a call result: the value, or an Error carrying the plain message. */
export async function unwrap<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p
  if (r.ok) return r.value
  throw Object.assign(new Error(r.error.message), { code: r.error.code })
}
