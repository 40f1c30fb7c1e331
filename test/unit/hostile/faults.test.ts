/**
 * Faults the owners' tests do not inject: a really full disk (a 1 MiB tmpfs, when this runs as root;
 * else skipped, the injected free-space probe is tested by the download owner), a read-only download
 * folder, and a command that prints gigabytes. Each stops with a clear message, and no partial file is
 * ever left where a verified file would be. (Downloads killed at random points: download-file.test.ts;
 * the journal killed at every step boundary: install/crash-resume.test.ts; a command hanging past its
 * timeout with its children: host/windows-host.test.ts.)
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { createServer, type Server } from 'node:http'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync, chmodSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { downloadFile } from '../../../main/download/download-file.ts'
import { DownloadCache } from '../../../main/download/download-cache.ts'
import { loopbackPolicyForLocalCatalog } from '../../../main/catalog/download-policy.ts'
import { WindowsHost } from '../../../main/host/windows-host.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'
import { oneRequestPerConnection } from '../one-request-per-connection.ts'

const SIZE = 3 * 1024 * 1024
const payload = Buffer.alloc(SIZE, 0x5a)
const sha1 = createHash('sha1').update(payload).digest('hex')
const sha256 = createHash('sha256').update(payload).digest('hex')
const fileName = `windows11.0-kb5043080-x64_${sha1}.msu`
let server: Server
let origin = ''
const root = tempDirSync('sd-faults-')
const mounts: string[] = []

/** Mounts a tmpfs (root only); null when this environment cannot. */
function tmpfs(name: string, options: string): string | null {
  const dir = join(root, name)
  mkdirSync(dir, { recursive: true })
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' })
  } catch {
    return null
  }
  mounts.push(dir)
  return dir
}

beforeAll(async () => {
  // No content-length: the size is learnt only by writing, so the disk fills mid-download.
  server = oneRequestPerConnection(
    createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.end(payload)
    }),
  )
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(async () => {
  await new Promise((ok) => server.close(ok))
  // Unmounted here; root itself is removed after this hook by temp-dirs.ts (read-only folders included).
  for (const m of mounts.reverse()) {
    try {
      execFileSync('umount', [m], { stdio: 'ignore' })
    } catch {
      /* already gone */
    }
  }
})

const file = () => ({ url: `${origin}/${fileName}`, fileName, sha1, sha256 })
const canMount = (() => {
  const d = mkdtempSync(join(tmpdir(), 'sd-can-mount-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', d], { stdio: 'ignore' })
    execFileSync('umount', [d])
    return true
  } catch {
    return false
  } finally {
    rmSync(d, { recursive: true, force: true })
  }
})()

describe('a full disk', () => {
  it.skipIf(!canMount)(
    'stops with "no-space" when the disk fills mid-download, and leaves no file that looks verified',
    async () => {
      const dir = tmpfs('full', 'size=1m')!
      const err = await downloadFile(file(), {
        dir,
        policy: loopbackPolicyForLocalCatalog(origin),
        attempts: 2,
        backoffMs: 1,
        freeBytes: async () => 1e12,
      }).catch((e) => e)
      expect(err).toMatchObject({ code: 'no-space', message: expect.stringMatching(/disk filled up|free space/i) })
      expect(readdirSync(dir).filter((n) => n === fileName)).toEqual([])
    },
  )

  it.skipIf(!canMount)(
    'refuses up front when the announced size does not fit (the real statfs of a 1 MiB disk)',
    async () => {
      const dir = tmpfs('small', 'size=1m')!
      await expect(
        downloadFile(
          { ...file(), sizeBytes: SIZE },
          { dir, policy: loopbackPolicyForLocalCatalog(origin), attempts: 1 },
        ),
      ).rejects.toMatchObject({ code: 'no-space', message: expect.stringMatching(/Not enough free space/) })
      expect(readdirSync(dir)).toEqual([])
    },
  )

  it('downloads normally where there is room (the fault tests are not refusing everything)', async () => {
    const dir = mkdtempSync(join(root, 'ok-'))
    const got = await downloadFile(file(), { dir, policy: loopbackPolicyForLocalCatalog(origin), attempts: 1 })
    expect(got.sha1).toBe(sha1)
  })
})

describe('a read-only download folder', () => {
  /** A folder nothing can be written to: a read-only tmpfs as root (root ignores permissions), else mode 0555. */
  function readOnlyDir(name: string): string {
    if (canMount) return tmpfs(name, 'ro,size=1m')!
    const d = join(root, name)
    mkdirSync(d, { recursive: true })
    chmodSync(d, 0o555)
    return d
  }

  it('a download stops with a clear, non-network error and is not retried as if the network failed', async () => {
    const dir = readOnlyDir('ro-download')
    // A retry would first wait about an hour (backoffMs), far past the test's timeout; no wall-clock bound
    // here (a 1 s bound depended on machine load).
    const err = await downloadFile(file(), {
      dir,
      policy: loopbackPolicyForLocalCatalog(origin),
      attempts: 3,
      backoffMs: 3_600_000,
    }).catch((e) => e)
    expect(err.message).toMatch(/read-only|not writable|cannot write|permission/i)
    expect(err.message).not.toMatch(/^Network error/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('the cache refuses to take a file into a read-only cache and reports nothing as verified', async () => {
    const dir = readOnlyDir('ro-cache')
    const cache = new DownloadCache(dir)
    const src = join(mkdtempSync(join(root, 'src-')), fileName)
    writeFileSync(src, payload)
    await expect(cache.put(src, { sha1, sha256, sizeBytes: SIZE, fileName })).rejects.toThrow()
    expect(await cache.get(sha1)).toBeNull()
    expect(existsSync(src)).toBe(true)
  })
})

describe('a command that prints gigabytes', () => {
  it('is capped: 1 GiB of output keeps memory flat and the result says it was truncated', {
    timeout: hangMs(600_000),
  }, async () => {
    const host = new WindowsHost({ platform: process.platform === 'win32' ? 'win32' : 'linux', oemCodePage: 437 })
    const script =
      "const b=Buffer.alloc(1<<20,97);let i=0;function w(){while(i<1024){i++;if(!process.stdout.write(b)){process.stdout.once('drain',w);return}}}w()"
    const before = process.memoryUsage().rss
    const r = await host.run({
      name: 't.gigabyte',
      file: process.execPath,
      args: ['-e', script],
      timeoutMs: 120_000,
      maxOutputBytes: 4 * 1024 * 1024,
    })
    expect(r.ok).toBe(true)
    expect(r.truncated).toBe(true)
    expect(r.stdout.length).toBe(4 * 1024 * 1024)
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024)
  })
})
