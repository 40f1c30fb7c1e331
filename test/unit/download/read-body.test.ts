/**
 * readBody (download-file.ts): the receive loop's stream reading, in flowing mode with backpressure. Each
 * case is one thing the `for await` loop it replaced did by construction: every byte in order, the body
 * paused while the disk is behind (and not read ahead without bound), a late promise at the end still
 * awaited, an error from either side ending it with the body destroyed, a body closed without an end.
 */
import { describe, expect, it } from 'vitest'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { request } from 'undici'
import { readBody } from '../../../main/download/download-file.ts'

const later = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

describe('readBody', () => {
  it('hands over every chunk in order, and pauses the body while a returned promise is pending', async () => {
    const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(1000, i))
    const body = Readable.from(chunks, { objectMode: false })
    const got: Buffer[] = []
    let pendingSince = -1
    const pausedWhilePending: boolean[] = []
    await readBody(body, (c) => {
      // No chunk arrives while the previous promise is pending.
      expect(pendingSince).toBe(-1)
      got.push(c)
      if (got.length % 5 !== 0) return undefined
      pendingSince = got.length
      return later(5).then(() => {
        pausedWhilePending.push(body.isPaused())
        pendingSince = -1
      })
    })
    expect(Buffer.concat(got).equals(Buffer.concat(chunks))).toBe(true)
    expect(pausedWhilePending.length).toBe(8)
    expect(pausedWhilePending.every(Boolean)).toBe(true)
  })

  it('waits for the promise returned with the last chunk before it resolves', async () => {
    let settled = false
    await readBody(Readable.from([Buffer.from('last')]), () =>
      later(30).then(() => {
        settled = true
      }),
    )
    expect(settled).toBe(true)
  })

  it('rejects with what onChunk throws, and destroys the body', async () => {
    const body = Readable.from([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')])
    const seen: string[] = []
    await expect(
      readBody(body, (c) => {
        seen.push(c.toString())
        if (seen.length === 2) throw new Error('too many bytes')
        return undefined
      }),
    ).rejects.toThrow('too many bytes')
    expect(seen).toEqual(['a', 'b'])
    expect(body.destroyed).toBe(true)
  })

  it('rejects with a rejected promise from onChunk (a failed write), and destroys the body', async () => {
    const body = Readable.from([Buffer.from('a'), Buffer.from('b')])
    await expect(
      readBody(body, () => Promise.reject(Object.assign(new Error('disk full'), { code: 'ENOSPC' }))),
    ).rejects.toMatchObject({ code: 'ENOSPC' })
    expect(body.destroyed).toBe(true)
  })

  it("rejects with the body's own error", async () => {
    const body = new Readable({ read() {} })
    const p = readBody(body, () => undefined)
    body.push(Buffer.from('x'))
    body.destroy(new Error('connection reset'))
    await expect(p).rejects.toThrow('connection reset')
  })

  it('rejects when the body is destroyed without an error before its end (never leaves the caller waiting)', async () => {
    const body = new Readable({ read() {} })
    const p = readBody(body, () => undefined)
    body.push(Buffer.from('x'))
    setTimeout(() => body.destroy(), 5)
    await expect(p).rejects.toThrow(/closed before the whole body arrived/)
  })

  it('reads a real undici body from 127.0.0.1 with backpressure: the server is held back while the disk is slow', async () => {
    const total = 64 * 1024 * 1024
    let sent = 0
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(total) })
      const piece = Buffer.alloc(64 * 1024, 7)
      const pump = () => {
        while (sent < total) {
          sent += piece.length
          if (!res.write(piece)) {
            res.once('drain', pump)
            return
          }
        }
        res.end()
      }
      pump()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const { port } = server.address() as AddressInfo
      const res = await request(`http://127.0.0.1:${port}/`)
      let received = 0
      let pending = false
      let arrivedWhilePending = 0
      let sentWhenFast = -1
      await readBody(res.body, (c) => {
        if (pending) arrivedWhilePending++
        received += c.length
        // The first 2 MiB go to a "disk" that takes 10 ms a chunk (~0.3 s): without backpressure the server
        // would have sent all 64 MiB by then (loopback moves that in well under 0.1 s).
        if (received < 2 * 1024 * 1024) {
          pending = true
          return later(10).then(() => {
            pending = false
          })
        }
        if (sentWhenFast < 0) sentWhenFast = sent
        return undefined
      })
      expect(received).toBe(total)
      expect(arrivedWhilePending).toBe(0)
      // Held back: what the server got out is the 2 MiB plus what the socket buffers hold, not the file.
      expect(sentWhenFast).toBeLessThan(total / 2)
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})
