/**
 * `npm start --open` put the preview key on xdg-open's command line, where any local user reads it from
 * /proc and drives the API. The preview is started here as `npm start` starts it (main/preview/bin.ts --open) with a
 * stand-in xdg-open first on PATH that records its argv: the key is not in it; what it gets is a private file (0600)
 * leading to a one-time code, good once and for a minute.
 */
import { describe, it, expect, afterEach } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { startPreviewServer } from '../../../main/preview/preview-server.ts'
import { redirectPage } from '../../../main/preview/open-browser.ts'
import { hangMs } from '../../load.ts'

const ROOT = join(import.meta.dirname, '../../..')

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((ok, fail) => {
    const req = request(url, { headers }, (res) => {
      res.resume()
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers }))
    })
    req.on('error', fail)
    req.end()
  })
}

async function waitFor(file: string, ms = 30_000): Promise<void> {
  const until = Date.now() + hangMs(ms)
  while (!existsSync(file) || statSync(file).size === 0) {
    if (Date.now() > until) throw new Error(`${file} never appeared`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

let child: ChildProcess | null = null
afterEach(() => {
  child?.kill()
  child = null
})

describe('opening the browser', () => {
  it.runIf(process.platform === 'linux')(
    'npm start --open: the preview key is on no command line; the browser gets a private file with a one-time code',
    async () => {
      const dir = tempDirSync('sd-open-')
      const renderer = join(dir, 'renderer')
      mkdirSync(renderer)
      writeFileSync(
        join(renderer, 'index.html'),
        '<!doctype html><html><head><title>t</title></head><body></body></html>',
      )
      const bin = join(dir, 'bin')
      mkdirSync(bin)
      const argvFile = join(dir, 'argv.txt')
      writeFileSync(
        join(bin, 'xdg-open'),
        `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}.tmp' && mv '${argvFile}.tmp' '${argvFile}'\n`,
      )
      chmodSync(join(bin, 'xdg-open'), 0o755)
      const token = 'ab'.repeat(24)
      child = spawn(process.execPath, [join(ROOT, 'main/preview/bin.ts'), '--renderer', renderer, '--open'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its temp folder inside this test's (the private folder it makes outlives the child, which the test ends first).
        env: {
          ...process.env,
          PATH: `${bin}:${process.env.PATH}`,
          SD_PREVIEW_TOKEN: token,
          SERVICING_DESK_HOME: tempDirSync('sd-open-home-'),
          TMPDIR: dir,
        },
      })
      await waitFor(argvFile)
      const argv = readFileSync(argvFile, 'utf8')
      expect(argv).not.toContain(token)
      const file = argv.trim()
      expect(file).toMatch(/open\.html$/)
      expect(statSync(file).mode & 0o077).toBe(0)
      const url = /url=([^"]+)"/.exec(readFileSync(file, 'utf8'))![1]!.replace(/&amp;/g, '&')
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?code=[0-9a-f]{32}$/)
      expect(url).not.toContain(token)
      // The browser's first load trades the code for the page (no cookie: cookies go to every port of 127.0.0.1); a second
      // use (someone who read it later) is refused.
      const first = await get(url)
      expect(first.status).toBe(200)
      expect(first.headers['set-cookie']).toBeUndefined()
      expect((await get(url)).status).toBe(401)
    },
  )
})

describe('one-time codes', () => {
  it('open a session once, before they expire; a wrong or reused code opens nothing and never the API', async () => {
    let t = 1_000_000
    const dir = tempDirSync('sd-code-')
    writeFileSync(join(dir, 'index.html'), '<html><head></head><body></body></html>')
    const server = await startPreviewServer({ handlers: {} as never, rendererDir: dir, now: () => t })
    try {
      const code = server.oneTimeCode(60_000)
      expect(code).toMatch(/^[0-9a-f]{32}$/)
      expect(code).not.toContain(server.token)
      expect((await get(`${server.url}?code=${'0'.repeat(32)}`)).status).toBe(401)
      const opened = await get(`${server.url}?code=${code}`)
      expect(opened.status).toBe(200)
      expect(opened.headers['set-cookie']).toBeUndefined()
      expect((await get(`${server.url}?code=${code}`)).status).toBe(401)
      const late = server.oneTimeCode(60_000)
      t += 60_000
      expect((await get(`${server.url}?code=${late}`)).status).toBe(401)
      const api = await new Promise<number>((ok, fail) => {
        const req = request(
          `${server.url}api/listTrainingMachines`,
          { method: 'POST', headers: { 'x-sd-token': server.oneTimeCode() } },
          (res) => {
            res.resume()
            ok(res.statusCode ?? 0)
          },
        )
        req.on('error', fail)
        req.end('{}')
      })
      expect(api).toBe(401)
    } finally {
      await server.close()
    }
  })

  it('the page the browser is given holds the address and nothing that runs', () => {
    const page = redirectPage('http://127.0.0.1:5/?code=abc&x="<')
    expect(page).toContain('content="0;url=http://127.0.0.1:5/?code=abc&amp;x=&quot;&lt;"')
    expect(page).not.toMatch(/<script/i)
  })
})
