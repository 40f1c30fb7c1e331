/** The app:// protocol: serves files inside the renderer folder only, with the CSP header; 404 otherwise. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler, resolveAppPath } from '../../../main/app/app-protocol.ts'
import { CONTENT_SECURITY_POLICY_HEADER } from '../../../main/app/security/csp.ts'

let base: string
let root: string
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'sd-proto-'))
  root = join(base, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>')
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(base, 'secret.txt'), 'outside')
  writeFileSync(join(root, 'notes.md'), 'unknown type')
})
afterAll(() => rmSync(base, { recursive: true, force: true }))

describe('resolveAppPath', () => {
  it('maps the app origin into the folder', () => {
    expect(resolveAppPath(root, 'app://bundle/')).toBe(join(root, 'index.html'))
    expect(resolveAppPath(root, 'app://bundle/assets/app.js?v=1#x')).toBe(join(root, 'assets', 'app.js'))
  })

  it.each([
    'app://bundle/../secret.txt',
    'app://bundle/%2e%2e/secret.txt',
    'app://bundle/..%2Fsecret.txt',
    'app://bundle/assets/..%2F..%2Fsecret.txt',
    'app://bundle/..%5Csecret.txt',
    'app://bundle/%00index.html',
    'app://bundle/%E0%A4%A',
    'app://other/index.html',
    'https://bundle/index.html',
    'app://bundle.evil/index.html',
    'garbage',
  ])('never leaves the folder for %s', (url) => {
    // URL parsing already folds plain `..` segments (app://bundle/../x is app://bundle/x); the rest must be refused.
    const p = resolveAppPath(root, url)
    if (p !== null) expect(p.startsWith(`${root}/`) || p.startsWith(`${root}\\`)).toBe(true)
    if (/%2F|%5C|%00|%E0|other|https|evil|garbage/i.test(url)) expect(p).toBeNull()
  })
})

describe('createAppProtocolHandler', () => {
  it('serves index.html with the CSP header and nosniff', async () => {
    const h = createAppProtocolHandler(root)
    const r = await h(new Request('app://bundle/index.html'))
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER)
    expect(r.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await r.text()).toContain('<title>x</title>')
  })

  it('is CORS-enabled for its own module scripts but grants no other origin a read', async () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true, corsEnabled: true, bypassCSP: false })
    const h = createAppProtocolHandler(root)
    const r = await h(new Request('app://bundle/index.html', { headers: { Origin: 'https://evil.example.com' } }))
    expect(r.headers.get('access-control-allow-origin')).toBeNull()
    expect(r.headers.get('access-control-allow-credentials')).toBeNull()
  })

  it('answers 404 for traversal, missing files and unknown types, 405 for POST', async () => {
    const h = createAppProtocolHandler(root)
    expect((await h(new Request('app://bundle/..%2Fsecret.txt'))).status).toBe(404)
    expect((await h(new Request('app://bundle/missing.js'))).status).toBe(404)
    expect((await h(new Request('app://bundle/notes.md'))).status).toBe(404)
    expect((await h(new Request('app://bundle/index.html', { method: 'POST', body: 'x' }))).status).toBe(405)
  })
})
