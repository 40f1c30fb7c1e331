/**
 * The local Catalog: a real HTTP server on 127.0.0.1 (random port) that answers Search.aspx,
 * ScopedViewInline.aspx and DownloadDialog.aspx in the real site's structure and serves package files
 * (Range requests included) whose names carry their true SHA-1.
 *
 * It is the Catalog for tests (with fault modes) and for training mode, so the app works offline. It
 * speaks plain http on loopback; downloads from it are allowed only through the policy it hands out
 * (`policy`, made by loopbackPolicyForLocalCatalog), never through the production allowlist.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createHash } from 'node:crypto'
import { loopbackPolicyForLocalCatalog, type DownloadPolicy } from '../download-policy.ts'
import { contentChunks } from './content.ts'
import { buildDataSet, fillerRows, type LocalFile, type LocalUpdate } from './data-set.ts'
import { detailsPage, downloadDialogPage, errorPage, OBJECT_MOVED, searchPage, type DialogFileOut } from './pages.ts'
import type { LocalCatalogFault } from './faults.ts'

export type { LocalCatalogFault } from './faults.ts'

export interface GeneratedFile {
  url: string
  fileName: string
  size: number
  sha1: string
  sha256: string
}

export interface LocalCatalogStats {
  /** Body bytes written for file responses, per URL path. */
  fileBytesServed: Map<string, number>
  /**
   * Every request in the order it arrived, listed when it arrives: a request still being answered when the client is
   * done with it (a slow file's last write) belongs to the test that made it, not to the next one after resetStats.
   * `status` is the status its answer was sent with (its headers), 0 before any was sent or when the connection was cut
   * without one.
   */
  requests: Array<{
    readonly method: string
    readonly path: string
    readonly range: string | null
    readonly status: number
  }>
}

export interface LocalCatalog {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string
  /** The download policy that admits this server's origin (test/training only). */
  policy: DownloadPolicy
  updates: readonly LocalUpdate[]
  stats: LocalCatalogStats
  setFault(fault: LocalCatalogFault | null): void
  /** Registers an on-the-fly file of `size` bytes (not stored); hashes it once. */
  generatedFile(size: number, seed?: string): GeneratedFile
  resetStats(): void
  close(): Promise<void>
}

let dataSetCache: LocalUpdate[] | null = null

/** `chunk`: the server's write size (64 KiB for package files; 1 MiB for generated bench files). */
interface Servable {
  path: string
  seed: string
  size: number
  fileName: string
  chunk?: number
}

export async function startLocalCatalog(
  options: { fault?: LocalCatalogFault | null; generatedChunkBytes?: number } = {},
): Promise<LocalCatalog> {
  dataSetCache ??= buildDataSet()
  const updates = dataSetCache
  const filler = fillerRows()
  const searchable = [...updates, ...filler]
  const files = new Map<string, Servable>()
  for (const u of updates) for (const f of u.files) files.set(f.path, f)
  let fault: LocalCatalogFault | null = options.fault ?? null
  let pageFaultsLeft = 0
  const stats: LocalCatalogStats = { fileBytesServed: new Map(), requests: [] }
  const sockets = new Set<Socket>()
  let baseUrl = ''

  const setFault = (f: LocalCatalogFault | null) => {
    fault = f
    pageFaultsLeft = f && 'count' in f ? f.count : 0
  }
  setFault(fault)

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    let text = body
    if (fault?.kind === 'oversized-page' && status === 200) text = `${body}<!-- ${'x'.repeat(fault.bytes)} -->`
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
      ...headers,
    })
    res.end(text)
  }

  /** Page-level faults that answer instead of the page; true when one answered. */
  const pageFault = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!fault || pageFaultsLeft <= 0) return false
    if (fault.kind === 'error-then-ok') {
      pageFaultsLeft--
      send(res, 200, errorPage(fault.code ?? '8DDD0010'))
      return true
    }
    if (fault.kind === 'error-redirect-then-ok') {
      pageFaultsLeft--
      res.writeHead(302, { Location: '/Error.aspx?id=-1914896368', 'Content-Length': '0' })
      res.end()
      return true
    }
    if (fault.kind === 'empty-table-then-ok' && req.url?.startsWith('/Search.aspx')) {
      pageFaultsLeft--
      send(
        res,
        200,
        '<html><body><table id="ctl00_catalogBody_updateMatches"><tr id="headerRow"><td>Title</td></tr></table></body></html>',
      )
      return true
    }
    return false
  }

  const matchQuery = (q: string): LocalUpdate[] => {
    const terms = q.replace(/["+]/g, ' ').toLowerCase().split(/\s+/).filter(Boolean)
    return searchable.filter((u) => terms.every((t) => u.title.toLowerCase().includes(t)))
  }

  const dialogFiles = (u: LocalUpdate): DialogFileOut[] =>
    u.files.map((f) => {
      let sha1 = f.sha1
      let fileName = f.fileName
      let url = `${baseUrl}${f.path}`
      if (fault?.kind === 'wrong-hash') {
        sha1 = createHash('sha1').update(`wrong:${f.sha1}`).digest('hex')
        // The URL still serves the real bytes: only the claim (digest and name) lies.
        fileName = f.fileName.replace(f.sha1, sha1)
      }
      if (fault?.kind === 'foreign-link') url = `https://evil.example.com${f.path}`
      if (fault?.kind === 'plain-http-link') url = `http://mirror.example.net${f.path}`
      const sha256 = fault?.kind === 'wrong-sha256' ? createHash('sha256').update('wrong').digest('hex') : f.sha256
      return { url, fileName, sha1, sha256 }
    })

  const readBody = (req: IncomingMessage, limit = 64 * 1024): Promise<string> =>
    new Promise((resolve, reject) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (c: string) => {
        body += c
        if (body.length > limit) {
          reject(new Error('body too large'))
          req.destroy()
        }
      })
      req.on('end', () => resolve(body))
      req.on('error', reject)
    })

  const serveFile = async (req: IncomingMessage, res: ServerResponse, file: Servable) => {
    if (fault?.kind === 'foreign-redirect') {
      res.writeHead(302, { Location: `https://evil.example.com${file.path}`, 'Content-Length': '0' })
      res.end()
      return 302
    }
    if (fault?.kind === 'loopback-redirect') {
      res.writeHead(302, { Location: `http://127.0.0.1:${fault.port}${file.path}`, 'Content-Length': '0' })
      res.end()
      return 302
    }
    const etag = `"${createHash('sha1').update(file.fileName).digest('hex').slice(0, 16)}"`
    // If-Range (RFC 9110 §13.1.5): a validator that no longer matches means "send the whole file".
    const ifRange = req.headers['if-range']
    const range = ifRange && ifRange !== etag ? null : (req.headers.range ?? null)
    let start = 0
    let end = file.size
    let status = 200
    if (range) {
      const m = /^bytes=(\d+)-(\d*)$/.exec(range)
      if (!m || Number(m[1]) >= file.size) {
        res.writeHead(416, { 'Content-Range': `bytes */${file.size}`, 'Content-Length': '0' })
        res.end()
        return 416
      }
      start = Number(m[1])
      end = m[2] ? Math.min(file.size, Number(m[2]) + 1) : file.size
      status = 206
    }
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      ETag: etag,
    }
    if (fault?.kind === 'oversized-file') {
      end = file.size + fault.extraBytes
    } else {
      headers['Content-Length'] = String(end - start)
    }
    if (status === 206) headers['Content-Range'] = `bytes ${start}-${Math.min(end, file.size) - 1}/${file.size}`
    res.writeHead(status, headers)
    if (req.method === 'HEAD') {
      res.end()
      return status
    }
    const flipAt = fault?.kind === 'wrong-bytes' ? Math.floor(file.size / 2) : -1
    const breakAfter = fault?.kind === 'break-after' || fault?.kind === 'stall-after' ? fault.bytes : Infinity
    const rate = fault?.kind === 'slow' ? fault.bytesPerSecond : 0
    let sent = 0
    let pos = start
    const began = Date.now()
    const count = (n: number) => stats.fileBytesServed.set(file.path, (stats.fileBytesServed.get(file.path) ?? 0) + n)
    for (const raw of contentChunks(file.seed, start, end, file.chunk)) {
      if (res.destroyed) return status
      let chunk = raw
      if (flipAt >= pos && flipAt < pos + chunk.length) {
        chunk = Buffer.from(chunk)
        chunk[flipAt - pos] ^= 0xff
      }
      if (sent + chunk.length > breakAfter) {
        const part = chunk.subarray(0, breakAfter - sent)
        if (part.length) {
          res.write(part)
          count(part.length)
        }
        // A stall: silent until the client gives up and closes (its idle timeout is what the fault exercises).
        if (fault?.kind === 'stall-after') {
          if (!res.destroyed) await new Promise<void>((r) => res.once('close', () => r()))
          return status
        }
        await new Promise((r) => setTimeout(r, 5))
        res.destroy()
        return status
      }
      const ok = res.write(chunk)
      count(chunk.length)
      sent += chunk.length
      pos += chunk.length
      if (!ok)
        await new Promise<void>((r) => {
          const go = () => {
            res.off('drain', go)
            res.off('close', go)
            r()
          }
          res.once('drain', go)
          res.once('close', go)
        })
      if (rate) {
        const due = began + (sent / rate) * 1000
        const wait = due - Date.now()
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      }
    }
    res.end()
    return status
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname
    const file = files.get(path) ?? generated.get(path)
    if (file && (req.method === 'GET' || req.method === 'HEAD')) return serveFile(req, res, file)
    if (/^\/Search\.aspx$/i.test(path)) {
      if (req.method === 'POST' && fault?.kind === 'object-moved-postback') {
        send(res, 302, OBJECT_MOVED, { Location: '/Error.aspx?id=-1914896368' })
        return 302
      }
      if (pageFault(req, res)) return 200
      const q = url.searchParams.get('q') ?? ''
      let page = Number(url.searchParams.get('p') ?? '1') || 1
      if (req.method === 'POST') {
        const form = new URLSearchParams(await readBody(req))
        const state = /page=(\d+)/.exec(Buffer.from(form.get('__VIEWSTATE') ?? '', 'base64').toString())
        page =
          (state ? Number(state[1]) : 1) + (form.get('__EVENTTARGET') === 'ctl00$catalogBody$nextPageLinkText' ? 1 : 0)
      }
      send(res, 200, searchPage(q, matchQuery(q), page))
      return 200
    }
    if (/^\/ScopedViewInline\.aspx$/i.test(path)) {
      if (pageFault(req, res)) return 200
      const id = (url.searchParams.get('updateid') ?? '').toLowerCase()
      const u = searchable.find((x) => x.updateId === id)
      const wrongArch = fault?.kind === 'details-wrong-arch' ? (u?.arch === 'arm64' ? 'AMD64' : 'ARM64') : undefined
      send(res, 200, u ? detailsPage(u, updates, wrongArch) : errorPage('8DDD0024'))
      return 200
    }
    if (/^\/DownloadDialog\.aspx$/i.test(path) && req.method === 'POST') {
      if (pageFault(req, res)) return 200
      const form = new URLSearchParams(await readBody(req))
      let ids: string[] = []
      try {
        const parsed = JSON.parse(form.get('updateIDs') ?? '[]') as Array<{ updateID?: string; uidInfo?: string }>
        ids = parsed.map((p) => (p.updateID ?? p.uidInfo ?? '').toLowerCase())
      } catch {
        ids = []
      }
      const u = updates.find((x) => x.updateId === ids[0])
      send(res, 200, u ? downloadDialogPage(u, dialogFiles(u)) : errorPage('8DDD0024'))
      return 200
    }
    if (/^\/Error\.aspx$/i.test(path)) {
      send(res, 200, errorPage('8DDD0010'))
      return 200
    }
    send(res, 404, '<html><body>Not found</body></html>')
    return 404
  }

  const generated = new Map<string, Servable>()
  const server = createServer((req, res) => {
    let answered: number | null = null
    stats.requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      range: req.headers.range ?? null,
      get status() {
        return answered ?? (res.headersSent ? res.statusCode : 0)
      },
    })
    handle(req, res).then(
      (status) => {
        answered = status
      },
      () => {
        if (!res.headersSent) {
          res.writeHead(500)
          res.end()
        } else res.destroy()
      },
    )
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  // The listener alone does not keep a process alive (a CLI run or a test ends when its work ends).
  server.unref()
  const port = (server.address() as AddressInfo).port
  baseUrl = `http://127.0.0.1:${port}`

  return {
    baseUrl,
    policy: loopbackPolicyForLocalCatalog(baseUrl),
    updates,
    stats,
    setFault,
    resetStats: () => {
      stats.fileBytesServed.clear()
      stats.requests.length = 0
    },
    generatedFile(size: number, seed = `generated-${size}`) {
      const h1 = createHash('sha1')
      const h256 = createHash('sha256')
      for (const c of contentChunks(seed, 0, size, 1024 * 1024)) {
        h1.update(c)
        h256.update(c)
      }
      const sha1 = h1.digest('hex')
      const fileName = `generated-kb5999999-x64_${sha1}.msu`
      const path = `/generated/${fileName}`
      generated.set(path, { path, seed, size, fileName, chunk: options.generatedChunkBytes })
      return { url: `${baseUrl}${path}`, fileName, size, sha1, sha256: h256.digest('hex') }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

export type { LocalFile, LocalUpdate }
