/** Certificate errors, client-certificate and login prompts are refused; webviews never attach; every WebContents gets the guards. */
import { describe, expect, it, vi } from 'vitest'
import { rejectCertificateErrors } from '../../../main/app/security/certificates.ts'
import { preventWebviews } from '../../../main/app/security/webview.ts'
import { hardenAllWebContents } from '../../../main/app/security/harden.ts'

/** Any listener the code under test registers (each names its own argument types). */
type Listener = (...args: never[]) => void

function emitter() {
  const listeners = new Map<string, Listener>()
  return {
    listeners,
    on: (name: string, l: Listener) => listeners.set(name, l),
    /** Calls the listener registered for `name` with the test's stand-ins for Electron's arguments. */
    fire: (name: string, ...args: unknown[]) => (listeners.get(name)! as (...a: unknown[]) => void)(...args),
  }
}

describe('rejectCertificateErrors', () => {
  it('passes false for a bad certificate and cancels auth prompts', () => {
    const app = emitter()
    const rejected = vi.fn()
    rejectCertificateErrors(app, rejected)
    const cb = vi.fn()
    const event = { preventDefault: vi.fn() }
    app.fire('certificate-error', event, {}, 'https://self-signed.example/', 'net::ERR_CERT_AUTHORITY_INVALID', {}, cb)
    expect(cb).toHaveBeenCalledWith(false)
    expect(event.preventDefault).not.toHaveBeenCalled() // preventDefault would mean "trust it"
    expect(rejected).toHaveBeenCalledWith('https://self-signed.example/', 'net::ERR_CERT_AUTHORITY_INVALID')
    for (const name of ['select-client-certificate', 'login']) {
      const e = { preventDefault: vi.fn() }
      const c = vi.fn()
      if (name === 'login') app.fire(name, e, {}, {}, {}, c)
      else app.fire(name, e, {}, 'https://x/', [{}], c)
      expect(c).toHaveBeenCalledWith()
    }
  })
})

describe('preventWebviews', () => {
  it('prevents attach and strips the preload', () => {
    const c = emitter()
    preventWebviews(c)
    const prefs: Record<string, unknown> = { preload: 'C:\\evil.js', nodeIntegration: true }
    const e = { preventDefault: vi.fn() }
    c.fire('will-attach-webview', e, prefs, { src: 'https://evil.example' })
    expect(e.preventDefault).toHaveBeenCalledOnce()
    expect(prefs).toEqual({ nodeIntegration: false })
  })
})

describe('hardenAllWebContents', () => {
  it('installs navigation, window-open and webview guards on each new WebContents', () => {
    const app = emitter()
    hardenAllWebContents(app, vi.fn())
    const contents = { ...emitter(), setWindowOpenHandler: vi.fn() }
    app.fire('web-contents-created', {}, contents)
    expect([...contents.listeners.keys()].sort()).toEqual([
      'will-attach-webview',
      'will-frame-navigate',
      'will-navigate',
      'will-redirect',
    ])
    expect(contents.setWindowOpenHandler).toHaveBeenCalledOnce()
  })
})
