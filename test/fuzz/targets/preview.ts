/**
 * The preview bridge (main/preview/preview-server.ts) started on 127.0.0.1 with the real handlers and a
 * renderer folder that has a secret file beside it. Requests are raw HTTP: any method, path (traversal,
 * encodings, prototype names), Host, Origin, token, body; and plain garbage bytes.
 * Properties: an answer (or a clean close for garbage) within the budget; JSON answers are well-formed
 * `{ok, …}`; no 500; an API request without the exact token, with a foreign Host or a foreign Origin is
 * never served; a file outside the renderer folder is never served; the server keeps answering.
 */
import fc from 'fast-check'
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { callNames } from '../../../preload/contract.ts'
import { createServices } from '../../../main/services.ts'
import { createHandlers } from '../../../main/handlers.ts'
import { startPreviewServer } from '../../../main/preview/preview-server.ts'
import { rawRequest, type RawResponse } from '../http-raw.ts'
import { jsonMutant } from '../json-mutate.ts'
import { weirdPiece } from '../mutate.ts'
import { validInputs, confineFolders } from './contract.ts'
import { target, violated, type FuzzTarget } from '../target.ts'

type Req =
  | {
      mode: 'http'
      method: string
      path: string
      pathToken: 'none' | 'right' | 'wrong'
      host: 'right' | 'localhost' | 'wrong' | 'none' | 'other-port' | 'double'
      origin: 'none' | 'own' | 'evil' | 'null'
      token: 'none' | 'right' | 'wrong-same-length' | 'wrong' | 'right-padded' | 'right-upper' | 'twice'
      body: string | null
    }
  | { mode: 'garbage'; bytes: Uint8Array }

const TRAVERSAL = [
  '/../secret.txt',
  '/%2e%2e/secret.txt',
  '/..%2fsecret.txt',
  '/%2e%2e%2fsecret.txt',
  '/assets/../../secret.txt',
  '/assets/%2e%2e/%2e%2e/secret.txt',
  '/..\\secret.txt',
  '/%5c..%5csecret.txt',
  '//secret.txt',
  '/./../secret.txt',
  '/%252e%252e/secret.txt',
  '/..%00/secret.txt',
  '/%c0%ae%c0%ae/secret.txt',
  'http://127.0.0.1/../secret.txt',
  '*',
  '/%',
  '/%E0%A4%A',
  '/index.html%00.js',
  '/assets/',
  '/assets',
  '/index.html/',
  '/api',
  '/api/',
  '/api/../index.html',
]

export const previewTargets: FuzzTarget<unknown>[] = [
  target(
    'preview/bridge',
    'preview bridge: token, Host, Origin and path checks hold; JSON errors well-formed; never a crash or hang',
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'sd-fuzz-preview-'))
      const renderer = join(root, 'renderer')
      mkdirSync(join(renderer, 'assets'), { recursive: true })
      writeFileSync(join(renderer, 'index.html'), '<html><head></head><body>app</body></html>')
      writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)')
      const secret = `SECRET-${randomBytes(8).toString('hex')}`
      writeFileSync(join(root, 'secret.txt'), secret)
      const services = createServices({ dataDir: join(root, 'data'), platform: 'linux' })
      const server = await startPreviewServer({ handlers: createHandlers(services), rendererDir: renderer })
      const snap = await services.scan({ kind: 'training', name: 'x64-healthy' })
      const sandbox = join(root, 'sandbox')
      const bases = Object.values(await validInputs(JSON.stringify(snap))).flat()
      const { port, token } = server

      const pathArb = fc.oneof(
        {
          weight: 4,
          arbitrary: fc
            .constantFrom(...callNames, 'events', '__proto__', 'constructor', 'toString', '', 'x')
            .map((n) => `/api/${n}`),
        },
        { weight: 2, arbitrary: fc.constantFrom('/', '/index.html', '/assets/app.js', '/nope.html', ...TRAVERSAL) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.constantFrom('/', '/api/', '/assets/'), weirdPiece)
            .map(([a, b]) => a + encodeURIComponent(b.replace(/[\ud800-\udfff]/g, 'x'))),
        },
        {
          weight: 1,
          arbitrary: fc.string({ maxLength: 60 }).map((s) => `/${s.replace(/[\u0000-\u0020\u007f-\uffff]/g, '_')}`),
        },
      )
      const bodyArb = fc.oneof(
        fc.constant(null),
        jsonMutant(bases).map((v) => JSON.stringify(confineFolders(v, sandbox)) ?? ''),
        fc.constantFrom(...bases).map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 200 }),
        fc.constantFrom(
          '{',
          'null',
          '[]',
          '"x"',
          '1e999',
          '{"__proto__":{"polluted":1}}',
          '{"constructor":{"prototype":{"x":1}}}',
          'x'.repeat(1_000_000),
        ),
      )
      const reqArb: fc.Arbitrary<Req> = fc.oneof(
        {
          weight: 12,
          arbitrary: fc.record({
            mode: fc.constant('http' as const),
            method: fc.constantFrom(
              'GET',
              'POST',
              'POST',
              'HEAD',
              'PUT',
              'DELETE',
              'OPTIONS',
              'PATCH',
              'TRACE',
              'CONNECT',
              'M-SEARCH',
              'get',
            ),
            path: pathArb,
            pathToken: fc.constantFrom('none' as const, 'right' as const, 'wrong' as const),
            host: fc.constantFrom(
              'right' as const,
              'right' as const,
              'localhost' as const,
              'wrong' as const,
              'none' as const,
              'other-port' as const,
              'double' as const,
            ),
            origin: fc.constantFrom('none' as const, 'none' as const, 'own' as const, 'evil' as const, 'null' as const),
            token: fc.constantFrom(
              'none' as const,
              'right' as const,
              'right' as const,
              'wrong-same-length' as const,
              'wrong' as const,
              'right-padded' as const,
              'right-upper' as const,
              'twice' as const,
            ),
            body: bodyArb,
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            mode: fc.constant('garbage' as const),
            bytes: fc.oneof(
              fc.uint8Array({ maxLength: 2000 }),
              fc
                .string({ maxLength: 300 })
                .map((s) => new Uint8Array(Buffer.from(`GET ${s} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`))),
            ),
          }),
        },
      )

      const wrongToken = token.replace(/./, (c) => (c === 'a' ? 'b' : 'a'))
      const build = (r: Extract<Req, { mode: 'http' }>): Buffer => {
        let path = r.path
        if (r.pathToken !== 'none')
          path += `${path.includes('?') ? '&' : '?'}token=${r.pathToken === 'right' ? token : wrongToken}`
        const h: string[] = [`${r.method} ${path} HTTP/1.1`]
        const hostValue = {
          right: `127.0.0.1:${port}`,
          localhost: `localhost:${port}`,
          wrong: 'evil.example',
          'other-port': `127.0.0.1:${port + 1}`,
          double: `127.0.0.1:${port}`,
        }
        if (r.host !== 'none') h.push(`Host: ${hostValue[r.host]}`)
        if (r.host === 'double') h.push('Host: evil.example')
        if (r.origin !== 'none')
          h.push(`Origin: ${{ own: `http://127.0.0.1:${port}`, evil: 'https://evil.example', null: 'null' }[r.origin]}`)
        const tokenValue = {
          right: token,
          'wrong-same-length': wrongToken,
          wrong: 'x',
          'right-padded': ` ${token}x`,
          'right-upper': token.toUpperCase(),
          twice: token,
          none: '',
        }[r.token]
        if (r.token !== 'none') h.push(`X-SD-Token: ${tokenValue}`)
        if (r.token === 'twice') h.push(`X-SD-Token: ${wrongToken}`)
        const body = r.body === null ? Buffer.alloc(0) : Buffer.from(r.body, 'utf8')
        if (r.body !== null) h.push('Content-Type: application/json', `Content-Length: ${body.length}`)
        h.push('Connection: close')
        return Buffer.concat([Buffer.from(`${h.join('\r\n')}\r\n\r\n`, 'latin1'), body])
      }

      const alive = async () => {
        const r = await rawRequest(
          port,
          Buffer.from(
            `POST /api/listTrainingMachines HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-SD-Token: ${token}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
          ),
          5000,
        )
        if (r.status !== 200 || JSON.parse(r.body.toString('utf8')).ok !== true)
          violated(`the bridge stopped answering a valid request (status ${r.status})`)
      }

      const checkJson = (res: RawResponse, what: string) => {
        let v: { ok?: unknown; error?: { code?: unknown; message?: unknown } }
        try {
          v = JSON.parse(res.body.toString('utf8'))
        } catch {
          violated(`${what}: JSON content-type but the body is not JSON: ${res.body.subarray(0, 120).toString('utf8')}`)
        }
        if (typeof v.ok !== 'boolean') violated(`${what}: JSON answer without an ok flag`)
        if (
          v.ok === false &&
          (typeof v.error?.code !== 'string' || typeof v.error?.message !== 'string' || !v.error.message)
        )
          violated(`${what}: error without code/message`)
      }

      return {
        arbitrary: reqArb,
        run: async (r) => {
          if (r.mode === 'garbage') {
            const res = await rawRequest(port, Buffer.from(r.bytes), 5000, 100)
            if (res.body.includes(secret)) violated('garbage request got the secret file')
            if (res.status === 500) violated('garbage request caused a 500')
            await alive()
            return
          }
          const what = `${r.method} ${r.path.slice(0, 80)} (host=${r.host}, origin=${r.origin}, token=${r.token}, pathToken=${r.pathToken})`
          const res = await rawRequest(port, build(r), 5000)
          if (res.body.includes(secret)) violated(`${what}: served a file outside the renderer folder`)
          if (res.status === null) {
            // Node closes a CONNECT (tunnel) request when no 'connect' listener exists: nothing runs, no answer.
            if (r.method !== 'CONNECT') violated(`${what}: connection closed without an answer`)
            await alive()
            return
          }
          if (res.status >= 500)
            violated(`${what}: status ${res.status}: ${res.body.subarray(0, 200).toString('utf8')}`)
          const ok2xx = res.status >= 200 && res.status < 300
          const isApi = (() => {
            try {
              return new URL(r.path, `http://127.0.0.1:${port}`).pathname.startsWith('/api/')
            } catch {
              return false
            }
          })()
          if (ok2xx && !(r.host === 'right' || r.host === 'localhost'))
            violated(`${what}: served with a foreign/missing Host header`)
          if (ok2xx && (r.origin === 'evil' || r.origin === 'null')) violated(`${what}: served to a foreign Origin`)
          if (ok2xx && isApi) {
            const authorised =
              new URL(r.path, `http://127.0.0.1:${port}`).pathname === '/api/events'
                ? r.pathToken === 'right'
                : r.token === 'right'
            if (!authorised) violated(`${what}: API served without the exact token`)
          }
          if (ok2xx && !isApi && r.method !== 'HEAD' && !res.headers['content-security-policy'])
            violated(`${what}: page served without a CSP header`)
          const type = res.headers['content-type'] ?? ''
          if (type.startsWith('application/json') && r.method !== 'HEAD') checkJson(res, what)
        },
        close: async () => {
          await server.close()
          rmSync(root, { recursive: true, force: true })
        },
      }
    },
  ),
]
