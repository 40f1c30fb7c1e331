/** Navigation guard: only the app's own origin, compared by origin (never by prefix). */
import { describe, expect, it, vi } from 'vitest'
import {
  installNavigationGuard,
  isNavigationAllowed,
  NAVIGATION_EVENTS,
} from '../../../main/app/security/navigation.ts'
import { originOf } from '../../../main/app/origin.ts'

function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void; url?: string }, url?: string) => void>()
  return {
    listeners,
    on: (name: string, l: (event: { preventDefault(): void; url?: string }, url?: string) => void) =>
      listeners.set(name, l),
  }
}

describe('navigation guard', () => {
  it('listens to will-navigate, will-redirect and will-frame-navigate', () => {
    const c = fakeContents()
    installNavigationGuard(c)
    expect([...c.listeners.keys()]).toEqual([...NAVIGATION_EVENTS])
  })

  it.each([
    'https://evil.example/',
    'app://bundle.attacker.com/index.html',
    'app://bundlex/index.html',
    'http://app://bundle',
    'file:///C:/Windows/System32/calc.exe',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'https://learn.microsoft.com/',
    'not a url',
    '',
  ])('blocks %s on every event', (url) => {
    for (const name of NAVIGATION_EVENTS) {
      const c = fakeContents()
      const blocked = vi.fn()
      installNavigationGuard(c, blocked)
      const event = { preventDefault: vi.fn(), url }
      c.listeners.get(name)!(event)
      expect(event.preventDefault).toHaveBeenCalledOnce()
      expect(blocked).toHaveBeenCalledWith(url)
    }
  })

  it('allows the app origin, with the URL on the event or as the legacy second argument', () => {
    const c = fakeContents()
    installNavigationGuard(c)
    const e1 = { preventDefault: vi.fn(), url: 'app://bundle/index.html#/overview' }
    c.listeners.get('will-navigate')!(e1)
    const e2 = { preventDefault: vi.fn() }
    c.listeners.get('will-redirect')!(e2, 'APP://BUNDLE/index.html')
    expect(e1.preventDefault).not.toHaveBeenCalled()
    expect(e2.preventDefault).not.toHaveBeenCalled()
  })

  it('compares origins, not prefixes', () => {
    expect(isNavigationAllowed('app://bundle@evil.example/')).toBe(false)
    expect(originOf('app://bundle:8080/x')).toBe('app://bundle:8080')
    expect(isNavigationAllowed('app://bundle:8080/x')).toBe(false)
    expect(originOf(42)).toBeNull()
  })
})
