/**
 * `npm start` on a fresh clone: the preview listens while the interface is still building, answers the page with one
 * that says so and reloads itself, and serves the app at the same address (token or one-time code still good) once
 * the build is in place.
 */
import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { startPreviewServer } from '../../../main/preview/preview-server.ts'

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; csp: string }> {
  return new Promise((ok, fail) => {
    const req = request(url, { headers }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (d: string) => {
        body += d
      })
      res.on('end', () =>
        ok({ status: res.statusCode ?? 0, body, csp: String(res.headers['content-security-policy'] ?? '') }),
      )
    })
    req.on('error', fail)
    req.end()
  })
}

describe('the preview while the interface builds', () => {
  it('answers the page with "building" (no script, a refresh) and the app once built, the same address still opening it', async () => {
    const dir = tempDirSync('sd-building-')
    let building = true
    const server = await startPreviewServer({ handlers: {} as never, rendererDir: dir, building: () => building })
    try {
      const code = server.oneTimeCode(60_000)
      for (const url of [`${server.url}?token=${server.token}`, `${server.url}?code=${code}`, server.url]) {
        const r = await get(url)
        expect(r.status, url).toBe(200)
        expect(r.body).toContain('Building the interface')
        expect(r.body).toContain('<meta http-equiv="refresh" content="1">')
        expect(r.body).not.toContain('<script')
        expect(r.body).not.toContain(server.token)
        expect(r.csp).toContain("script-src 'self'")
      }
      // The API stays behind the token while it builds.
      expect((await get(`${server.url}api/listTrainingMachines`)).status).toBe(401)
      writeFileSync(join(dir, 'index.html'), '<html><head></head><body>the app</body></html>')
      building = false
      const token = await get(`${server.url}?token=${server.token}`)
      expect(token.status).toBe(200)
      expect(token.body).toContain('the app')
      expect(token.body).toContain(`<meta name="sd-preview-token" content="${server.token}">`)
      // The code the browser was opened with was not used up by the building page: its reload opens the app.
      const opened = await get(`${server.url}?code=${code}`)
      expect(opened.status).toBe(200)
      expect(opened.body).toContain('the app')
    } finally {
      await server.close()
    }
  })

  it('without a build under way, serves the built interface as before', async () => {
    const dir = tempDirSync('sd-built-')
    writeFileSync(join(dir, 'index.html'), '<html><head></head><body>the app</body></html>')
    const server = await startPreviewServer({ handlers: {} as never, rendererDir: dir })
    try {
      const r = await get(`${server.url}?token=${server.token}`)
      expect(r.body).toContain('the app')
    } finally {
      await server.close()
    }
  })
})
