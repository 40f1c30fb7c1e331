/**
 * Hostile URLs, redirects, oversized answers and package file names, through the real download and
 * Catalog code against servers on 127.0.0.1 that count what reaches them. Each is refused with a clear
 * error, and nothing is fetched or written. (The download owner's tests cover the basic foreign host,
 * plain http, one foreign redirect and the oversized file; these are the tricks around them.)
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { createServer, type Server } from 'node:http'
import { readdirSync } from 'node:fs'
import { downloadFile } from '../../../main/download/download-file.ts'
import { checkedFetch, readTextCapped } from '../../../main/catalog/checked-fetch.ts'
import {
  checkDownloadUrl,
  normalizeDialogUrl,
  loopbackPolicyForLocalCatalog,
  MICROSOFT_POLICY,
} from '../../../main/catalog/download-policy.ts'
import { isPlainFileName } from '../../../main/catalog/file-name.ts'
import { CatalogClient } from '../../../main/catalog/catalog-client.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { oneRequestPerConnection } from '../one-request-per-connection.ts'

interface Counted {
  server: Server
  port: number
  hits: string[]
}

function serve(handler: (path: string, res: import('node:http').ServerResponse) => void): Promise<Counted> {
  const hits: string[] = []
  const server = oneRequestPerConnection(
    createServer((req, res) => {
      hits.push(req.url ?? '')
      handler(req.url ?? '', res)
    }),
  )
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => ok({ server, port: (server.address() as { port: number }).port, hits })),
  )
}

let target: Counted
let redirector: Counted
let big: Counted
const sha1 = 'a'.repeat(40)
const dir = tempDirSync('sd-hostile-dl-')

beforeAll(async () => {
  target = await serve((_p, res) => {
    res.end('payload')
  })
  // Redirects to whatever the path says: /to/<urlencoded location>.
  redirector = await serve((p, res) => {
    res.writeHead(302, { location: decodeURIComponent(p.replace(/^\/to\//, '')) })
    res.end()
  })
  // A page that never ends: 1 MiB chunks with no content-length.
  big = await serve((_p, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    let n = 0
    const more = () => {
      while (n < 64 && res.write(Buffer.alloc(1 << 20, 0x41))) n++
      if (n < 64) res.once('drain', more)
      else res.end()
    }
    more()
  })
})
afterAll(async () => {
  for (const s of [target, redirector, big]) await new Promise((ok) => s.server.close(ok))
})

const hostileUrls = () => [
  'http://catalog.s.download.windowsupdate.com/c/x.msu'.replace(
    'catalog.s.download.windowsupdate.com',
    `127.0.0.1:${target.port}`,
  ),
  `https://catalog.s.download.windowsupdate.com.evil.example/x.msu`,
  `https://catalog.s.download.windowsupdate.com@127.0.0.1:${target.port}/x.msu`,
  `https://catalog.s.download.windowsupdate.com:pw@127.0.0.1:${target.port}/x.msu`,
  `http://127.0.0.1:${target.port}/x.msu`,
  `https://127.0.0.1:${target.port}/x.msu`,
  `https://2130706433:${target.port}/x.msu`,
  `https://0x7f000001:${target.port}/x.msu`,
  `https://127.1:${target.port}/x.msu`,
  `https://[::1]:${target.port}/x.msu`,
  `https://[::ffff:127.0.0.1]:${target.port}/x.msu`,
  'https://catalog.s.download.windowsupdate.com:8443/x.msu',
  'ftp://catalog.s.download.windowsupdate.com/x.msu',
  'file:///C:/Windows/System32/cmd.exe',
  '//catalog.s.download.windowsupdate.com/x.msu',
  'https://evil.example#@catalog.s.download.windowsupdate.com/x.msu',
  'https://evil.example\\@catalog.s.download.windowsupdate.com/x.msu',
  'javascript:alert(1)',
]

describe('hostile download URLs are refused before any request', () => {
  it('by the policy (strict and dialog forms), with a reason', () => {
    for (const url of hostileUrls()) {
      const strict = checkDownloadUrl(url, MICROSOFT_POLICY)
      const dialog = normalizeDialogUrl(url, MICROSOFT_POLICY)
      expect(strict.ok, url).toBe(false)
      expect(dialog.ok, url).toBe(false)
      if (!strict.ok) expect(strict.reason.length).toBeGreaterThan(10)
    }
  })

  it('by downloadFile: nothing reaches the server, nothing is written', async () => {
    for (const url of hostileUrls()) {
      await expect(
        downloadFile(
          { url, fileName: `windows11.0-kb5043080-x64_${sha1}.msu`, sha1, sha256: null },
          { dir, policy: MICROSOFT_POLICY, attempts: 1 },
        ),
        url,
      ).rejects.toMatchObject({ code: 'refused' })
    }
    expect(target.hits).toEqual([])
    expect(readdirSync(dir)).toEqual([])
  })

  it('the local-Catalog policy admits only its own loopback origin, never another port or host', () => {
    const policy = loopbackPolicyForLocalCatalog(`http://127.0.0.1:${redirector.port}`)
    expect(checkDownloadUrl(`http://127.0.0.1:${redirector.port}/x.msu`, policy).ok).toBe(true)
    for (const u of [
      `http://127.0.0.1:${target.port}/x.msu`,
      `http://localhost:${redirector.port}/x.msu`,
      `http://u@127.0.0.1:${redirector.port}/x.msu`,
    ])
      expect(checkDownloadUrl(u, policy).ok, u).toBe(false)
    expect(() => loopbackPolicyForLocalCatalog('http://10.0.0.1:80')).toThrow(/loopback/)
    expect(() => loopbackPolicyForLocalCatalog('http://127.0.0.1.evil.example:80')).toThrow(/loopback/)
  })
})

describe('redirects to other hosts are refused, and the other host never sees a request', () => {
  const locations = () => [
    `http://127.0.0.1:${target.port}/x.msu`,
    `//127.0.0.1:${target.port}/x.msu`,
    `http://localhost:${target.port}/x.msu`,
    `http://u:p@127.0.0.1:${redirector.port}/x.msu`,
    `https://catalog.s.download.windowsupdate.com.evil.example/x.msu`,
    `https://catalog.s.download.windowsupdate.com@127.0.0.1:${target.port}/x.msu`,
    `http://catalog.s.download.windowsupdate.com/x.msu`,
    'file:///etc/passwd',
  ]

  it('in a download', async () => {
    const policy = loopbackPolicyForLocalCatalog(`http://127.0.0.1:${redirector.port}`)
    for (const loc of locations()) {
      const url = `http://127.0.0.1:${redirector.port}/to/${encodeURIComponent(loc)}`
      await expect(
        downloadFile(
          { url, fileName: `windows11.0-kb5043080-x64_${sha1}.msu`, sha1, sha256: null },
          { dir, policy, attempts: 1 },
        ),
        loc,
      ).rejects.toMatchObject({ code: 'refused' })
    }
    expect(target.hits).toEqual([])
    expect(readdirSync(dir)).toEqual([])
  })

  it('in a Catalog page fetch', async () => {
    const policy = loopbackPolicyForLocalCatalog(`http://127.0.0.1:${redirector.port}`)
    for (const loc of locations()) {
      await expect(
        checkedFetch(`http://127.0.0.1:${redirector.port}/to/${encodeURIComponent(loc)}`, {
          check: (u) => checkDownloadUrl(u, policy),
        }),
        loc,
      ).rejects.toThrow(/Refused|not allowed|only over HTTPS|not a Microsoft/i)
    }
    expect(target.hits).toEqual([])
  })

  it('a redirect loop stops after a few hops', async () => {
    const policy = loopbackPolicyForLocalCatalog(`http://127.0.0.1:${redirector.port}`)
    let loop = `http://127.0.0.1:${redirector.port}/x`
    for (let i = 0; i < 8; i++) loop = `http://127.0.0.1:${redirector.port}/to/${encodeURIComponent(loop)}`
    await expect(checkedFetch(loop, { check: (u) => checkDownloadUrl(u, policy) })).rejects.toThrow(
      /Too many redirects/,
    )
  })

  it('a Catalog client for a non-loopback, non-Microsoft base URL is refused', () => {
    for (const baseUrl of [
      'https://www.catalog.update.microsoft.com.evil.example',
      'http://www.catalog.update.microsoft.com',
      'https://evil.example',
      'http://10.0.0.1:8080',
    ]) {
      expect(() => new CatalogClient({ baseUrl }), baseUrl).toThrow()
    }
  })
})

describe('oversized answers', () => {
  it('a page with no length that never stops is cut at the limit with a clear error', async () => {
    const r = await fetch(`http://127.0.0.1:${big.port}/`)
    await expect(readTextCapped(r, 2 * 1024 * 1024)).rejects.toThrow(/exceeded the 2097152-byte limit/)
  })
})

describe('hostile package file names are refused', () => {
  const names = [
    `a"b_${sha1}.msu`,
    `a'b.msu`,
    'a&calc.msu',
    'a;calc.msu',
    'a|calc.msu',
    'a`calc`.msu',
    '$(calc).msu',
    'a%TEMP%.msu',
    '..\\..\\Windows\\x.msu',
    '../../etc/x.msu',
    '..',
    '.',
    'C:x.msu',
    'C:\\x.msu',
    '\\\\server\\share\\x.msu',
    '/abs/x.msu',
    'x.msu:stream',
    'CON',
    'con.msu',
    'NUL',
    'NUL.cab',
    'COM1',
    'com1.msu',
    'LPT9.msu',
    'AUX.tar.gz',
    'PRN',
    `${'a'.repeat(300)}.msu`,
    'a\u0000.msu',
    'a\n.msu',
    'x.msu.',
    'x.msu ',
    ' x.msu',
    '\u202egnp.msu',
    'ｘ.msu',
    '',
  ]

  it('isPlainFileName says no to each', () => {
    expect(names.filter((n) => isPlainFileName(n))).toEqual([])
    expect(isPlainFileName(`windows11.0-kb5043080-x64_${sha1}.msu`)).toBe(true)
  })

  it('downloadFile refuses each before any request and writes nothing', async () => {
    const policy = loopbackPolicyForLocalCatalog(`http://127.0.0.1:${target.port}`)
    for (const fileName of names) {
      await expect(
        downloadFile(
          { url: `http://127.0.0.1:${target.port}/x.msu`, fileName, sha1, sha256: null },
          { dir, policy, attempts: 1 },
        ),
        JSON.stringify(fileName),
      ).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/not a plain file name/) })
    }
    expect(target.hits).toEqual([])
    expect(readdirSync(dir)).toEqual([])
  })
})
