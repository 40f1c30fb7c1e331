/** Permission requests and checks are denied except the documented allowlist, for the app's own origin only. */
import { describe, expect, it, vi } from 'vitest'
import {
  ALLOWED_PERMISSIONS,
  installPermissionPolicy,
  isPermissionAllowed,
} from '../../../main/app/security/permissions.ts'

type RequestHandler = (wc: unknown, p: string, cb: (g: boolean) => void, d: { requestingUrl?: string }) => void
type CheckHandler = (wc: unknown, p: string, origin: string, d: { requestingUrl?: string }) => boolean
interface FakeSession {
  request?: RequestHandler
  check?: CheckHandler
  device?: (d: unknown) => boolean
  setPermissionRequestHandler(h: RequestHandler | null): void
  setPermissionCheckHandler(h: CheckHandler | null): void
  setDevicePermissionHandler(h: ((d: unknown) => boolean) | null): void
}

function fakeSession(): FakeSession {
  const s: FakeSession = {
    setPermissionRequestHandler(h) {
      s.request = h ?? undefined
    },
    setPermissionCheckHandler(h) {
      s.check = h ?? undefined
    },
    setDevicePermissionHandler(h) {
      s.device = h ?? undefined
    },
  }
  return s
}

const DENIED = [
  'media',
  'geolocation',
  'notifications',
  'openExternal',
  'midi',
  'midiSysex',
  'pointerLock',
  'fullscreen',
  'clipboard-read',
  'display-capture',
  'hid',
  'serial',
  'usb',
  'storage-access',
  'unknown-future-permission',
]

describe('permission policy', () => {
  it.each(DENIED)('denies the request and the check for %s', (permission) => {
    const s = fakeSession()
    installPermissionPolicy(s)
    const cb = vi.fn()
    s.request!({}, permission, cb, { requestingUrl: 'app://bundle/index.html' })
    expect(cb).toHaveBeenCalledWith(false)
    expect(s.check!({}, permission, 'app://bundle', { requestingUrl: 'app://bundle/index.html' })).toBe(false)
  })

  it('allows the clipboard write for the app origin only', () => {
    const s = fakeSession()
    installPermissionPolicy(s)
    const ok = vi.fn()
    s.request!({}, 'clipboard-sanitized-write', ok, { requestingUrl: 'app://bundle/index.html' })
    expect(ok).toHaveBeenCalledWith(true)
    const evil = vi.fn()
    s.request!({}, 'clipboard-sanitized-write', evil, { requestingUrl: 'https://evil.example/' })
    expect(evil).toHaveBeenCalledWith(false)
    expect(s.check!({}, 'clipboard-sanitized-write', 'https://evil.example', {})).toBe(false)
    expect(s.check!({}, 'clipboard-sanitized-write', 'app://bundle', {})).toBe(true)
  })

  it('denies device access and every entry of the allowlist has a reason', () => {
    const s = fakeSession()
    installPermissionPolicy(s)
    expect(s.device!({ deviceType: 'usb' })).toBe(false)
    for (const reason of Object.values(ALLOWED_PERMISSIONS)) expect(reason.length).toBeGreaterThan(5)
    expect(isPermissionAllowed('toString', 'app://bundle/')).toBe(false)
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined)).toBe(false)
  })
})
