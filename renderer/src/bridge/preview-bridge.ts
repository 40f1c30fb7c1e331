/**
 * The API over the preview bridge (loopback HTTP): the same calls as the preload exposes in Electron.
 * The per-run token comes from the `sd-preview-token` meta tag the preview server adds to the page.
 */
import {
  callNames,
  eventNames,
  type CallName,
  type CallResult,
  type DeskApi,
  type EventName,
  type EventPayload,
} from '../../../preload/contract.ts'

export function createPreviewBridge(token: string, base = ''): DeskApi {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>()
  let source: EventSource | null = null
  const ensureEvents = () => {
    if (source || typeof EventSource === 'undefined') return
    source = new EventSource(`${base}/api/events?token=${encodeURIComponent(token)}`)
    for (const name of eventNames) {
      source.addEventListener(name, (e) => {
        let payload: unknown
        try {
          payload = JSON.parse((e as MessageEvent).data)
        } catch {
          return
        }
        for (const l of listeners.get(name) ?? []) l(payload)
      })
    }
  }
  const call = async (name: CallName, input: unknown): Promise<CallResult<unknown>> => {
    try {
      const res = await fetch(`${base}/api/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sd-token': token },
        body: JSON.stringify(input ?? {}),
      })
      return (await res.json()) as CallResult<unknown>
    } catch (err) {
      return {
        ok: false,
        error: { code: 'failed', message: `The app's back end did not answer: ${(err as Error).message}` },
      }
    }
  }
  const api: Record<string, unknown> = {}
  for (const name of callNames) api[name] = (input: unknown) => call(name, input)
  api.on = <K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void) => {
    ensureEvents()
    const set = listeners.get(event) ?? new Set()
    set.add(listener as (p: unknown) => void)
    listeners.set(event, set)
    return () => {
      set.delete(listener as (p: unknown) => void)
    }
  }
  return Object.freeze(api) as unknown as DeskApi
}
