/**
 * A tiny hash router: `#/overview`, `#/diagnosis?code=0x800F0922`. Every screen is reachable directly,
 * for experts; a screen reads its parameters with `useRouteParam`.
 */
import { useSyncExternalStore } from 'react'

const hash = () => (typeof location === 'undefined' ? '' : location.hash.replace(/^#\/?/, ''))

/** The screen id part of a hash (`diagnosis?code=1` → `diagnosis`); `start` when empty. */
export function screenOf(h: string): string {
  return h.split('?')[0] || 'start'
}

/** One parameter of a hash's query part, or null. */
export function paramOf(h: string, name: string): string | null {
  const q = h.includes('?') ? h.slice(h.indexOf('?') + 1) : ''
  return new URLSearchParams(q).get(name)
}

export function navigate(screen: string, params?: Record<string, string>): void {
  const q = params && Object.keys(params).length > 0 ? `?${new URLSearchParams(params).toString()}` : ''
  location.hash = `#/${screen}${q}`
}

/** The link target of a screen, for `<a href>`. */
export function hrefOf(screen: string, params?: Record<string, string>): string {
  const q = params && Object.keys(params).length > 0 ? `?${new URLSearchParams(params).toString()}` : ''
  return `#/${screen}${q}`
}

const subscribe = (cb: () => void) => {
  window.addEventListener('hashchange', cb)
  return () => window.removeEventListener('hashchange', cb)
}

export function useRoute(): string {
  return useSyncExternalStore(
    subscribe,
    () => screenOf(hash()),
    () => 'start',
  )
}

export function useRouteParam(name: string): string | null {
  return useSyncExternalStore(
    subscribe,
    () => paramOf(hash(), name),
    () => null,
  )
}
