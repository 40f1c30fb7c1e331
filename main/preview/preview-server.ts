/**
 * The preview bridge: serves the built renderer and the real contract handlers over loopback HTTP, so
 * the app runs in a plain browser (tests, and `npm start` where Electron cannot run).
 *
 * Security: listens on 127.0.0.1 only, on a random port; every API request needs the per-run token
 * (`x-sd-token` header; `?token=` for the event stream, which EventSource cannot give headers);
 * requests from a non-loopback address, with a foreign Host header (DNS rebinding) or a foreign Origin
 * are refused. The token reaches the page in a `<meta>` tag (no inline script, so the strict CSP holds) —
 * but only a page asked for by someone who has it (the page handed its token to any local user):
 * the address the preview prints carries it once (`/?token=…`), answered with the page holding it and no cookie (issue
 * 50: a browser sends 127.0.0.1's cookies to every port, so a session cookie was a key any program on another loopback
 * port could collect and replay); the page keeps the token in sessionStorage, which only this origin — scheme, host
 * and port — reads, and takes it out of the address bar. A request with the `x-sd-token` header (tests) is served too.
 * Anyone else gets the page without the token (401), which says how to open the preview. Scripts, styles and images hold no secret and are served to every loopback request.
 *
 * Opening a browser (`--open`): the token never goes on another program's command line (any local user
 * reads those from /proc). The preview makes a one-time code instead (`oneTimeCode`: good once, for a minute), and the
 * browser is given a private file that leads to `/?code=…` (main/preview/open-browser.ts); the code opens the page like
 * the token, and is dead the moment it is used or expires.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { callNames, eventNames, type CallName, type EventName } from '../../preload/contract.ts'
import type { Handlers, HandlerContext } from '../handlers.ts'

export const PREVIEW_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
const MAX_BODY = 60 * 1024 * 1024

const mime: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

export interface PreviewServer {
  url: string
  port: number
  token: string
  /** A code good for one page load within `ttlMs` (default a minute): it opens a browser session, never the API. */
  oneTimeCode(ttlMs?: number): string
  close(): Promise<void>
}

export interface PreviewOptions {
  /**
   * The contract's handlers, or their promise (npm start: the server listens before the services are loaded, and a
   * call waits for them). The handlers' module itself loads with the first call, so listening costs little.
   */
  handlers: Handlers | Promise<Handlers>
  /** Folder of the built renderer (out/renderer); omit to serve the API only. */
  rendererDir?: string
  port?: number
  token?: string
  /** The clock one-time codes expire by (tests). */
  now?: () => number
  /**
   * True while the interface is still being built (`npm start` on a fresh clone): a page request is answered with a
   * short page that says so and loads the address again every second, so the first screen comes before the build
   * ends and turns into the app once it is in place. The token or one-time code in the address is neither checked nor
   * used up by it (that page holds nothing), so the reload that opens the app still carries it.
   */
  building?: () => boolean
}

/** The page served while the interface builds: no script (the CSP allows none inline), a refresh every second. */
export const BUILDING_PAGE = [
  '<!doctype html>',
  '<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="1">',
  '<title>Servicing Desk: building the interface</title></head>',
  '<body><h1>Servicing Desk</h1>',
  '<p>Building the interface for the first time from these sources (it is reused afterwards while they are unchanged).</p>',
  '<p>This page opens the app by itself when the build is in place; the terminal that started it shows the progress.</p>',
  '</body></html>',
  '',
].join('\n')

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false
  return (
    address === '127.0.0.1' ||
    address === '::1' ||
    address === '::ffff:127.0.0.1' ||
    /^127\./.test(address) ||
    /^::ffff:127\./.test(address)
  )
}

export async function startPreviewServer(options: PreviewOptions): Promise<PreviewServer> {
  const token = options.token ?? randomBytes(24).toString('hex')
  const tokenBuf = Buffer.from(token)
  const listeners = new Set<(event: EventName, payload: unknown) => void>()
  const root = options.rendererDir ? resolve(options.rendererDir) : null
  let origin = ''

  const tokenOk = (given: string | null | undefined) => {
    if (!given) return false
    const b = Buffer.from(given)
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf)
  }
  /** One-time codes by their SHA-256 (a lookup by the code itself would compare it in variable time), with their end. */
  const codes = new Map<string, number>()
  const now = options.now ?? Date.now
  const codeKey = (code: string) => createHash('sha256').update(code).digest('hex')
  /** True once for a code made here and not yet expired; it is gone after this call, good or not. */
  const takeCode = (given: string | null) => {
    if (!given || !/^[0-9a-f]{32}$/.test(given)) return false
    const key = codeKey(given)
    const until = codes.get(key)
    codes.delete(key)
    for (const [k, end] of codes) if (end <= now()) codes.delete(k)
    return until !== undefined && now() < until
  }

  const ctx: HandlerContext = {
    emit: (event, payload) => {
      for (const l of listeners) l(event, payload)
    },
  }

  const server: Server = createServer(async (req, res) => {
    try {
      if (!isLoopback(req.socket.remoteAddress))
        return deny(res, 403, 'The preview answers only this computer (127.0.0.1).')
      const host = req.headers.host ?? ''
      if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return deny(res, 403, 'Unexpected Host header.')
      // Node keeps the first of several Host headers; RFC 9112 §3.2 says to refuse them (found by fuzzing).
      if ((req.headersDistinct.host?.length ?? 0) !== 1) return deny(res, 400, 'More than one Host header.')
      if (
        req.headers.origin &&
        req.headers.origin !== origin &&
        req.headers.origin !== origin.replace('127.0.0.1', 'localhost')
      )
        return deny(res, 403, 'Cross-origin requests are refused.')
      let url: URL
      // A path like `/\` is not a URL relative to the origin: a 400, not a 500 (found by fuzzing).
      try {
        url = new URL(req.url ?? '/', origin)
      } catch {
        return deny(res, 400, 'Bad request path.')
      }
      if (url.pathname.startsWith('/api/')) return await handleApi(req, res, url)
      if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed.')
      if (options.building?.() && (url.pathname === '/' || url.pathname === '/index.html')) {
        res.writeHead(200, {
          'content-type': mime['.html']!,
          'content-security-policy': PREVIEW_CSP,
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'cache-control': 'no-store',
        })
        return res.end(BUILDING_PAGE)
      }
      if (url.searchParams.has('token') || url.searchParams.has('code')) {
        // The printed address (its token) or the opened browser (its one-time code): answered with the page and the
        // token in it, and nothing else — no cookie. A browser sends 127.0.0.1's cookies to every port of 127.0.0.1
        // (cookies have no port), so any program listening on another port would have received a session cookie and
        // could replay it here. The page keeps the token in sessionStorage, which is this origin's alone (scheme, host
        // AND port), and takes the token or code out of the address bar (renderer/src/bridge/api.ts).
        if (
          url.searchParams.has('code')
            ? !takeCode(url.searchParams.get('code'))
            : !tokenOk(url.searchParams.get('token'))
        ) {
          return deny(
            res,
            401,
            url.searchParams.has('code')
              ? 'This one-time code was used already or has expired: open the address the preview printed.'
              : 'Missing or wrong preview token.',
          )
        }
        return await serveStatic(res, '/', true)
      }
      const authenticated = tokenOk(req.headers['x-sd-token'] as string | undefined)
      return await serveStatic(res, url.pathname, authenticated)
    } catch (err) {
      if (!res.headersSent) deny(res, 500, (err as Error).message)
      else res.end()
    }
  })

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL) {
    const name = url.pathname.slice('/api/'.length)
    if (name === 'events') {
      if (!tokenOk(url.searchParams.get('token'))) return deny(res, 401, 'Missing or wrong preview token.')
      // EventSource uses GET; a HEAD (no body ever flushes the headers) got no answer at all (found by fuzzing).
      if (req.method !== 'GET') return deny(res, 405, 'The event stream is a GET request.')
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      res.write(': connected\n\n')
      const listener = (event: EventName, payload: unknown) => {
        res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`)
      }
      listeners.add(listener)
      req.on('close', () => listeners.delete(listener))
      return
    }
    if (!tokenOk(req.headers['x-sd-token'] as string | undefined))
      return deny(res, 401, 'Missing or wrong preview token.')
    if (req.method !== 'POST') return deny(res, 405, 'API calls are POST requests.')
    if (!(callNames as string[]).includes(name)) return deny(res, 404, `Unknown call '${name}'.`)
    // Refused before the handlers (or the services they wait for) are looked at: a body declared too large is answered
    // at once and not read; one that runs past the limit is dropped from there on (nothing kept) and answered at its
    // end, since answering mid-upload makes Node close the connection and the client may see a reset, not the 413.
    if (Number(req.headers['content-length']) > MAX_BODY) return tooLarge(req, res)
    const body = await readBody(req)
    if (body === null) return tooLarge(req, res)
    let input: unknown
    try {
      input = body.length ? JSON.parse(body.toString('utf8')) : {}
    } catch {
      return sendJson(res, 200, {
        ok: false,
        error: { code: 'invalid-input', message: 'The request body is not JSON.' },
      })
    }
    const [{ invokeCall }, handlers] = await Promise.all([import('../handlers.ts'), options.handlers])
    const result = await invokeCall(handlers, name as CallName, input, ctx)
    sendJson(res, 200, result)
  }

  async function serveStatic(res: ServerResponse, pathname: string, authenticated: boolean) {
    if (!root) return deny(res, 404, 'No renderer is served.')
    let rel: string
    try {
      rel = decodeURIComponent(pathname)
    } catch {
      return deny(res, 400, 'Bad path.')
    }
    if (rel === '/' || rel === '') rel = '/index.html'
    const file = normalize(join(root, rel))
    if (!file.startsWith(root + sep)) return deny(res, 404, 'Not found.')
    let data: Buffer
    try {
      data = await readFile(file)
    } catch {
      return deny(res, 404, 'Not found.')
    }
    const type = mime[extname(file)] ?? 'application/octet-stream'
    let status = 200
    if (file.endsWith('index.html')) {
      if (authenticated)
        data = Buffer.from(
          data.toString('utf8').replace('</head>', `<meta name="sd-preview-token" content="${token}"></head>`),
        )
      else {
        // The page without the token: a tab that opened the printed address keeps it (sessionStorage) and runs; any
        // other says how to open the preview (renderer/src/main.tsx).
        status = 401
      }
    }
    res.writeHead(status, {
      'content-type': type,
      'content-security-policy': PREVIEW_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    })
    res.end(data)
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(options.port ?? 0, '127.0.0.1', () => ok())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/`,
    port,
    token,
    oneTimeCode: (ttlMs = 60_000) => {
      const code = randomBytes(16).toString('hex')
      codes.set(codeKey(code), now() + ttlMs)
      return code
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections()
        server.close(() => ok())
      }),
  }
}

function deny(res: ServerResponse, status: number, message: string) {
  sendJson(res, status, {
    ok: false,
    error: {
      code: status === 401 || status === 403 ? 'forbidden' : status === 404 ? 'not-found' : 'invalid-input',
      message,
    },
  })
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
  const body = JSON.stringify(value)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  })
  res.end(body)
}

/** 413, while the rest of the body is read and dropped (the client still gets the answer; nothing is kept). */
function tooLarge(req: IncomingMessage, res: ServerResponse) {
  req.resume()
  deny(res, 413, `Request larger than ${MAX_BODY} bytes.`)
}

/** The body, or null when it passes MAX_BODY (what follows the limit is read and dropped, never kept). */
function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (c: Buffer) => {
      if (over) return
      size += c.length
      if (size > MAX_BODY) {
        over = true
        chunks.length = 0
        return
      }
      chunks.push(c)
    })
    req.on('end', () => ok(over ? null : Buffer.concat(chunks)))
    req.on('error', fail)
  })
}

export { eventNames }
