/** The preview bridge answers only this computer, only with its token, and refuses anything else. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { writeFileSync, mkdirSync } from 'node:fs'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { request } from 'node:http'
import { createServices } from '../../../main/services.ts'
import { createHandlers } from '../../../main/handlers.ts'
import { startPreviewServer, isLoopback, type PreviewServer } from '../../../main/preview/preview-server.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'

let server: PreviewServer
const renderer = tempDirSync('sd-r-')
mkdirSync(join(renderer, 'assets'))
writeFileSync(join(renderer, 'index.html'), '<html><head></head><body>app</body></html>')
writeFileSync(join(tempDirSync('sd-secret-'), 'secret.txt'), 'secret')

beforeAll(async () => {
  server = await startPreviewServer({
    handlers: createHandlers(createServices({ dataDir: tempDirSync('sd-pv-'), platform: 'linux' })),
    rendererDir: renderer,
  })
})
afterAll(async () => {
  await server.close()
})

function raw(opts: {
  method?: string
  path: string
  headers?: Record<string, string>
  body?: string
  host?: string
}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: opts.host ?? '127.0.0.1',
        port: server.port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: opts.headers,
        // A new connection each time: the shared agent would reuse the last test's idle connection, and the 61 MB
        // request blocks this process (client and server both) for seconds on a busy machine; the server's 5 s
        // keep-alive timer then fires first, drops that connection with the request in it, and the client reads
        // ECONNRESET instead of the answer (the flaky 413 test). A browser retries such a request; Node does not.
        agent: false,
      },
      (res) => {
        let body = ''
        res.on('data', (c) => {
          body += c
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
      },
    )
    req.on('error', reject)
    if (opts.body !== undefined) req.write(opts.body)
    req.end()
  })
}

const call = (name: string, body: unknown, headers: Record<string, string> = { 'x-sd-token': server.token }) =>
  raw({
    method: 'POST',
    path: `/api/${name}`,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

describe('preview bridge', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
  })

  it('serves the real handlers with the token', async () => {
    const r = await call('listTrainingMachines', {})
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body).value.machines).toHaveLength(trainingProfiles.length)
    expect(trainingProfiles.length).toBeGreaterThanOrEqual(8)
  })

  it('rejects a request without the token or with a wrong one', async () => {
    expect((await call('listTrainingMachines', {}, {})).status).toBe(401)
    expect((await call('listTrainingMachines', {}, { 'x-sd-token': 'x'.repeat(48) })).status).toBe(401)
    expect((await raw({ path: '/api/events' })).status).toBe(401)
  })

  it('refuses a connection from a non-loopback address: the socket is bound to 127.0.0.1', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && !i.internal && i.family === 'IPv4')
    if (external)
      await expect(
        call('listTrainingMachines', {}, { 'x-sd-token': server.token }).then(() =>
          raw({ host: external.address, path: '/' }),
        ),
      ).rejects.toThrow(/ECONNREFUSED/)
    expect(isLoopback('10.0.0.5')).toBe(false)
    expect(isLoopback('192.168.1.2')).toBe(false)
    expect(isLoopback('::ffff:10.0.0.5')).toBe(false)
    expect(isLoopback('127.0.0.1')).toBe(true)
    expect(isLoopback('::1')).toBe(true)
  })

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin', async () => {
    expect((await raw({ path: '/', headers: { host: 'evil.example:80' } })).status).toBe(403)
    expect(
      (await call('listTrainingMachines', {}, { 'x-sd-token': server.token, origin: 'https://evil.example' })).status,
    ).toBe(403)
  })

  it('refuses unknown calls, bad JSON and invalid input with clear errors', async () => {
    expect((await call('deleteEverything', {})).status).toBe(404)
    const bad = await raw({ method: 'POST', path: '/api/scan', headers: { 'x-sd-token': server.token }, body: '{oops' })
    expect(JSON.parse(bad.body).error.code).toBe('invalid-input')
    const invalid = await call('scan', { machine: { kind: 'training', name: '../../etc' } })
    expect(JSON.parse(invalid.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    const unknown = await call('scan', { machine: { kind: 'training', name: 'no-such-pc' } })
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'not-found' } })
  })

  it('refuses an oversized body', async () => {
    const r = await raw({
      method: 'POST',
      path: '/api/analyze',
      headers: { 'x-sd-token': server.token },
      body: 'x'.repeat(61 * 1024 * 1024),
    })
    expect(r.status).toBe(413)
  })

  it('refuses a body declared too large before it is sent, and never waits for the services to do so', async () => {
    // Handlers that never arrive (npm start listens before its services are loaded): the refusal must not wait on them.
    const waiting = await startPreviewServer({ handlers: new Promise<never>(() => {}) })
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({
          host: '127.0.0.1',
          port: waiting.port,
          method: 'POST',
          path: '/api/analyze',
          headers: { 'x-sd-token': waiting.token, 'content-length': String(61 * 1024 * 1024) },
        })
        // Only the headers go out: no byte of the body is ever written, so an answer proves it was not read.
        req.on('response', (res) => {
          resolve(res.statusCode ?? 0)
          req.destroy()
        })
        req.on('error', reject)
        req.flushHeaders()
      })
      expect(status).toBe(413)
    } finally {
      await waiting.close()
    }
  })

  it('does not serve files outside the renderer folder', async () => {
    expect((await raw({ path: '/../../../etc/passwd' })).status).toBe(404)
    expect((await raw({ path: '/%2e%2e/%2e%2e/etc/passwd' })).status).toBe(404)
  })

  it('serves the page with a strict CSP and the token in a meta tag, never inline script', async () => {
    const r = await raw({ path: '/', headers: { 'x-sd-token': server.token } })
    expect(r.headers['content-security-policy']).toMatch(/script-src 'self'/)
    expect(r.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/)
    expect(r.body).toContain(`<meta name="sd-preview-token" content="${server.token}">`)
    expect(r.body).not.toMatch(/<script>/)
  })
})
