/**
 * Pieces the downloadFile tests share (download-file-guards, -mutation, -survivors): the digests of a body, the
 * answer a correct server gives (the whole body, or the range asked for), and the error a download ended with.
 * Each test file keeps its own node:http server (`serveOnLoopback`), because each records different parts of the requests.
 */
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loopbackPolicyForLocalCatalog, type DownloadPolicy } from '../../../main/catalog/download-policy.ts'
import { oneRequestPerConnection } from '../one-request-per-connection.ts'

export const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex')
export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** Serves `body` whole (200), or the asked range (206) with a right Content-Range; a range past the end is 416. */
export function serveWhole(body: Buffer, headers: Record<string, string> = { ETag: '"v1"' }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
    if (m) {
      const from = Number(m[1])
      if (from >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` })
        res.end()
        return
      }
      res.writeHead(206, {
        ...headers,
        'Content-Length': String(body.length - from),
        'Content-Range': `bytes ${from}-${body.length - 1}/${body.length}`,
      })
      res.end(body.subarray(from))
      return
    }
    res.writeHead(200, { ...headers, 'Content-Length': String(body.length) })
    res.end(body)
  }
}

export type DownloadFailure = { code: string; message: string; transient: boolean; name: string }

/** The error `p` rejects with; a `p` that resolves fails the test. */
export const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure')
    },
    (e: unknown) => e as DownloadFailure,
  )

/**
 * A node:http server on 127.0.0.1 that hands every request to `handle`, with its origin and the download policy
 * that admits it. `close` ends every connection still open (a body a test left hanging, a kept-alive socket) first.
 */
export async function serveOnLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ origin: string; policy: DownloadPolicy; close: () => Promise<void> }> {
  const server = oneRequestPerConnection(createServer(handle))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    policy: loopbackPolicyForLocalCatalog(origin),
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((r) => server.close(() => r()))
    },
  }
}
