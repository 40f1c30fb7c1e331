/**
 * Serves the built renderer from `app://bundle/…` instead of file://.
 *
 * Why not loadFile: a file:// page shares its origin with every local file and needs the
 * GrantFileProtocolExtraPrivileges fuse left on; a privileged custom scheme gives the page one origin
 * of its own that CSP 'self', the IPC sender check and the navigation guard can all name
 * (security checklist item 18, https://www.electronjs.org/docs/latest/tutorial/security#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols).
 * Every path is resolved inside the renderer folder; anything else is a 404.
 */
import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, join, normalize, relative, sep } from 'node:path'
import { APP_HOST } from './origin.ts'
import { CONTENT_SECURITY_POLICY_HEADER } from './security/csp.ts'

/**
 * `corsEnabled`: the renderer is ES modules (`<script type="module">`), which Chromium fetches in CORS mode;
 * on a custom scheme that is allowed only with this privilege (measured on Electron 42: module imports from a
 * privileged scheme fail without it, whatever else is set — freelensapp/freelens#2400). It does not open the
 * app to other origins: the handler sends no Access-Control-Allow-Origin, so a cross-origin read still fails.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  stream: false,
  corsEnabled: true,
  bypassCSP: false,
} as const

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/** Maps an app:// URL to a file inside `root`, or null for anything outside it or malformed. Pure. */
export function resolveAppPath(root: string, url: string): string | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return null
  }
  if (u.protocol !== 'app:' || u.host !== APP_HOST) return null
  let path: string
  try {
    path = decodeURIComponent(u.pathname)
  } catch {
    return null
  }
  if (path.includes('\0') || path.includes('\\') || /(^|\/)\.\.(\/|$)/.test(path)) return null
  if (path === '/' || path === '') path = '/index.html'
  const full = normalize(join(root, path))
  const rel = relative(root, full)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null
  return full
}

/** A protocol.handle handler for the renderer folder. */
export function createAppProtocolHandler(
  root: string,
  read: (path: string) => Promise<Buffer> = readFile,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } })
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response('Method not allowed', { status: 405 })
    const path = resolveAppPath(root, request.url)
    if (!path) return notFound()
    const type = MIME[extname(path).toLowerCase()]
    if (!type) return notFound()
    let body: Buffer
    try {
      body = await read(path)
    } catch {
      return notFound()
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': type,
        'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      },
    })
  }
}
