/**
 * The preview's page carries the API token only for a request that already has it (any local user
 * could GET / and read the token from the meta tag, then drive the API). The printed address carries the
 * token once; it is answered with the page holding it and NO cookie (a browser sends 127.0.0.1's cookies
 * to every port, so any program on another loopback port got the session cookie and could replay it here). The page
 * keeps the token in sessionStorage, which is its origin's alone, port included (test/e2e/preview-port.spec.ts).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { request } from 'node:http'
import { createServices } from '../../../main/services.ts'
import { createHandlers } from '../../../main/handlers.ts'
import { startPreviewServer, type PreviewServer } from '../../../main/preview/preview-server.ts'
import { tempDirSync } from '../temp-dirs.ts'

let server: PreviewServer
const renderer = tempDirSync('sd-r-')
writeFileSync(join(renderer, 'index.html'), '<html><head></head><body>app</body></html>')
writeFileSync(join(renderer, 'app.js'), 'console.log(1)')

beforeAll(async () => {
  server = await startPreviewServer({
    handlers: createHandlers(createServices({ dataDir: tempDirSync('sd-pv-'), platform: 'linux' })),
    rendererDir: renderer,
  })
})
afterAll(async () => {
  await server.close()
})

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method: 'GET', path, headers }, (res) => {
      let body = ''
      res.on('data', (c) => {
        body += c
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('the preview page and its token', () => {
  it('an unauthenticated page never holds the token (/, /index.html, a wrong token, a wrong cookie, the token as cookie)', async () => {
    const tries = [
      get('/'),
      get('/index.html'),
      get(`/?token=${'a'.repeat(48)}`),
      get('/?token='),
      get('/', { cookie: `sd-session=${'0'.repeat(48)}` }),
      get('/', { cookie: `sd-session=${server.token}` }),
      get('/', { 'x-sd-token': 'f'.repeat(48) }),
    ]
    let ran = 0
    for (const r of await Promise.all(tries)) {
      expect(r.status).toBe(401)
      expect(r.body).not.toContain(server.token)
      expect(r.headers['set-cookie']).toBeUndefined()
      ran++
    }
    expect(ran).toBe(7)
  })

  it('the printed address opens the page with the token and sets no cookie: nothing a browser would hand another port of 127.0.0.1', async () => {
    const first = await get(`/?token=${server.token}`)
    expect(first.status).toBe(200)
    expect(first.headers['set-cookie']).toBeUndefined()
    expect(first.headers['cache-control']).toBe('no-store')
    expect(first.body).toContain(`<meta name="sd-preview-token" content="${server.token}">`)
    // A cookie (the old session's name, any value a browser could carry over from another port) opens nothing.
    for (const cookie of [
      `sd-session=${'a'.repeat(48)}`,
      `sd-session=${server.token}`,
      `sd-preview-token=${server.token}`,
    ]) {
      const page = await get('/', { cookie })
      expect(page.status).toBe(401)
      expect(page.body).not.toContain(server.token)
    }
  })

  it('a request with the token header gets the page; scripts hold no secret and load for anyone', async () => {
    expect((await get('/', { 'x-sd-token': server.token })).body).toContain(server.token)
    const js = await get('/app.js')
    expect([js.status, js.body]).toEqual([200, 'console.log(1)'])
  })
})
