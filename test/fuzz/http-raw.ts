/**
 * Raw HTTP/1.1 over a TCP socket, so a fuzz case can send what a well-behaved client library refuses
 * to (bad paths, odd methods, duplicate or missing Host, garbage bytes) and read exactly what came back.
 */
import { connect } from 'node:net'

export interface RawResponse {
  /** null when the server closed the connection without a status line. */
  status: number | null
  headers: Record<string, string>
  body: Buffer
  /** True when we stopped reading an event stream after its first bytes. */
  streamed: boolean
}

function dechunk(b: Buffer): Buffer {
  const parts: Buffer[] = []
  let at = 0
  while (at < b.length) {
    const nl = b.indexOf('\r\n', at)
    if (nl < 0) break
    const size = parseInt(b.subarray(at, nl).toString('latin1'), 16)
    if (!Number.isFinite(size) || size === 0) break
    parts.push(b.subarray(nl + 2, nl + 2 + size))
    at = nl + 2 + size + 2
  }
  return Buffer.concat(parts)
}

export function parseRawResponse(raw: Buffer, streamed: boolean): RawResponse {
  const end = raw.indexOf('\r\n\r\n')
  if (end < 0) return { status: null, headers: {}, body: raw, streamed }
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n')
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')
  const headers: Record<string, string> = {}
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':')
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim()
  }
  let body = raw.subarray(end + 4)
  if (!streamed && /chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body)
  return { status: m ? Number(m[1]) : null, headers, body, streamed }
}

/**
 * Sends `request` bytes and collects the answer until the server closes (requests carry
 * `Connection: close`) or `timeoutMs`. The socket is not half-closed at once: Node's server aborts a
 * pending response when the client half-closes, which no real browser does. An incomplete request
 * (garbage) is half-closed after `halfCloseAfterMs`, so the server sees the end of it.
 */
export function rawRequest(
  port: number,
  request: Buffer,
  timeoutMs: number,
  halfCloseAfterMs = 1000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect({ host: '127.0.0.1', port })
    let done = false
    const finish = (streamed: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve(parseRawResponse(Buffer.concat(chunks), streamed))
    }
    const timer = setTimeout(() => {
      if (done) return
      done = true
      socket.destroy()
      reject(
        new Error(
          `no complete answer within ${timeoutMs} ms (got ${Buffer.concat(chunks).subarray(0, 200).toString('latin1')})`,
        ),
      )
    }, timeoutMs)
    socket.on('data', (c: Buffer) => {
      chunks.push(c)
      const all = Buffer.concat(chunks)
      // An event stream stays open by design: its headers and first comment are the answer.
      if (/content-type: text\/event-stream/i.test(all.toString('latin1')) && all.includes(': connected')) finish(true)
    })
    socket.on('end', () => finish(false))
    socket.on('close', () => finish(false))
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // The server may reset after answering a malformed request; what arrived is the answer.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') finish(false)
      else if (!done) {
        done = true
        clearTimeout(timer)
        reject(err)
      }
    })
    const halfClose = setTimeout(() => {
      if (!done) socket.end()
    }, halfCloseAfterMs)
    socket.on('close', () => clearTimeout(halfClose))
    socket.write(request)
  })
}
