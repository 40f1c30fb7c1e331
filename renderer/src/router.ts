/** A tiny hash router: `#/overview`. Every screen is reachable directly, for experts. */
import { useSyncExternalStore } from 'react'

const read = () => (typeof location === 'undefined' ? 'start' : location.hash.replace(/^#\/?/, '') || 'start')

export function navigate(screen: string): void {
  location.hash = `#/${screen}`
}

export function useRoute(): string {
  return useSyncExternalStore(
    (cb) => { window.addEventListener('hashchange', cb); return () => window.removeEventListener('hashchange', cb) },
    read,
    () => 'start',
  )
}
