import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalCatalog, type LocalCatalog } from '../../../main/catalog/local-catalog/server.ts'
import { downloadSet, runBounded } from '../../../main/download/download-set.ts'
import { DownloadCache } from '../../../main/download/download-cache.ts'
import {
  parseAuthenticodeJson,
  psSingleQuoted,
  signatureCheckerFor,
  authenticodeScript,
  unavailableSignatureChecker,
} from '../../../main/download/signature.ts'
import type { FileToDownload } from '../../../main/download/download-file.ts'

let cat: LocalCatalog
let root: string
const served = () => [...cat.stats.fileBytesServed.values()].reduce((a, b) => a + b, 0)
const notChecked = unavailableSignatureChecker('test')

beforeAll(async () => {
  cat = await startLocalCatalog()
})
afterAll(async () => {
  await cat.close()
})
beforeEach(async () => {
  cat.setFault(null)
  cat.resetStats()
  root = await mkdtemp(join(tmpdir(), 'sd-cache-'))
  return () => rm(root, { recursive: true, force: true })
})

const allFiles = (): FileToDownload[] => {
  const seen = new Map<string, FileToDownload>()
  for (const u of cat.updates)
    for (const f of u.files)
      seen.set(f.sha1, {
        url: `${cat.baseUrl}${f.path}`,
        fileName: f.fileName,
        sha1: f.sha1,
        sha256: f.sha256,
        sizeBytes: f.size,
      })
  return [...seen.values()]
}

describe('download set and cache', () => {
  it('downloads files in parallel (bounded) and never downloads a verified file twice', async () => {
    const files = allFiles()
    const cache = new DownloadCache(root)
    const states: string[] = []
    const first = await downloadSet(files, {
      cache,
      policy: cat.policy,
      signatures: notChecked,
      concurrency: 3,
      onProgress: (p) => states.push(`${p.fileName}:${p.state}`),
    })
    expect(first.every((f) => !f.fromCache)).toBe(true)
    const total = files.reduce((s, f) => s + (f.sizeBytes ?? 0), 0)
    expect(served()).toBe(total)
    for (const f of files) expect(states).toContain(`${f.fileName}:verified`)
    cat.resetStats()
    const again = await downloadSet(files, { cache, policy: cat.policy, signatures: notChecked })
    expect(again.every((f) => f.fromCache)).toBe(true)
    expect(served()).toBe(0)
    expect(again.map((f) => f.sha1)).toEqual(first.map((f) => f.sha1))
  })

  it('does not trust a cache entry whose file changed size', async () => {
    const [f] = allFiles()
    const cache = new DownloadCache(root)
    const [v] = await downloadSet([f], { cache, policy: cat.policy, signatures: notChecked })
    await writeFile(v.path, 'x')
    expect(await cache.get(f.sha1)).toBeNull()
  })

  it('re-reads a cached file on every use: one damaged in place (same size) is dropped and fetched again', async () => {
    const [f] = allFiles()
    const cache = new DownloadCache(root)
    const [v] = await downloadSet([f], { cache, policy: cat.policy, signatures: notChecked })
    const { open } = await import('node:fs/promises')
    const fh = await open(v.path, 'r+')
    await fh.write(Buffer.from([0xff ^ (await readFile(v.path))[100]]), 0, 1, 100)
    await fh.close()
    cat.resetStats()
    const states: string[] = []
    const [again] = await downloadSet([f], {
      cache,
      policy: cat.policy,
      signatures: notChecked,
      onProgress: (p) => states.push(p.state),
    })
    expect(again.fromCache).toBe(false)
    expect(again.sha1).toBe(f.sha1)
    expect(served()).toBe(f.sizeBytes)
    expect(states.slice(0, 2)).toEqual(['queued', 'verifying'])
    expect(states).not.toContain('cached')
    expect(states.at(-1)).toBe('verified')
    // And the fresh copy is trusted again, after being read once more.
    cat.resetStats()
    const [third] = await downloadSet([f], { cache, policy: cat.policy, signatures: notChecked })
    expect(third.fromCache).toBe(true)
    expect(served()).toBe(0)
  })

  it('stops and reports the first failure', async () => {
    cat.setFault({ kind: 'wrong-bytes' })
    const events: string[] = []
    await expect(
      downloadSet(allFiles().slice(0, 2), {
        cache: new DownloadCache(root),
        policy: cat.policy,
        signatures: notChecked,
        concurrency: 1,
        fileOptions: { backoffMs: 1 },
        onProgress: (p) => events.push(p.state),
      }),
    ).rejects.toMatchObject({ code: 'hash-mismatch' })
    expect(events).toContain('failed')
  })

  it('runs at most `limit` tasks at once', async () => {
    let running = 0
    let peak = 0
    const tasks = Array.from({ length: 8 }, () => async () => {
      running++
      peak = Math.max(peak, running)
      await new Promise((r) => setTimeout(r, 5))
      running--
    })
    await runBounded(tasks, 3)
    expect(peak).toBe(3)
  })
})

describe('signature check', () => {
  it('says plainly that it is not checked off Windows', async () => {
    const r = await signatureCheckerFor(null, 'linux').check('/x.msu')
    expect(r).toMatchObject({
      status: 'not-checked',
      reason: expect.stringMatching(/Not checked on this OS \(linux\)/),
    })
  })
  it('accepts only a Valid signature by Microsoft', () => {
    expect(
      parseAuthenticodeJson(
        '{"Status":"Valid","StatusMessage":"Signature verified.","Subject":"CN=Microsoft Windows, O=Microsoft Corporation, L=Redmond, S=Washington, C=US"}',
      ),
    ).toEqual({ status: 'valid', signer: 'Microsoft Windows' })
    expect(
      parseAuthenticodeJson('{"Status":"Valid","Subject":"CN=Evil, O=Microsoft Corporation Fake, C=US"}').status,
    ).toBe('invalid')
    expect(
      parseAuthenticodeJson(
        '{"Status":"HashMismatch","StatusMessage":"The contents of the file may have been altered"}',
      ),
    ).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/HashMismatch/) })
    expect(parseAuthenticodeJson('garbage').status).toBe('invalid')
  })
  it('quotes the path as a PowerShell literal (no injection)', () => {
    expect(psSingleQuoted("C:\\a'b\u2019c.msu")).toBe("'C:\\a''b\u2019\u2019c.msu'")
    expect(authenticodeScript("C:\\x';Remove-Item C:\\ -Recurse;'")).toContain(
      "-LiteralPath 'C:\\x'';Remove-Item C:\\ -Recurse;'''",
    )
  })
})

describe('Windows signature check through the Host', () => {
  it('runs Get-AuthenticodeSignature with the path as a literal and reads its JSON', async () => {
    const { windowsSignatureChecker } = await import('../../../main/download/signature.ts')
    const specs: Array<{ name: string; file: string; args: readonly string[] }> = []
    const answer = (stdout: string, exitCode = 0) => ({
      info: () => ({ kind: 'this-pc' as const, name: 'PC', title: 'PC', processArch: 'x64' as const, elevated: true }),
      run: async (spec: { name: string; file: string; args: readonly string[] }) => {
        specs.push(spec)
        return {
          name: spec.name,
          exitCode,
          stdout,
          stderr: exitCode ? 'boom' : '',
          ok: exitCode === 0,
          timedOut: false,
          cancelled: false,
          truncated: false,
          durationMs: 1,
          commandLine: '',
        }
      },
      openRead: async () => {
        throw new Error('unused')
      },
      listDir: async () => [],
      exists: async () => false,
    })
    const ok = await windowsSignatureChecker(
      answer(
        '{"Status":"Valid","StatusMessage":"Signature verified.","Subject":"CN=Microsoft Windows, O=Microsoft Corporation, L=Redmond, S=Washington, C=US"}',
      ),
    ).check("C:\\kits\\it's.msu")
    expect(ok).toEqual({ status: 'valid', signer: 'Microsoft Windows' })
    expect(specs[0]).toMatchObject({ name: 'download.authenticode', file: 'powershell.exe' })
    expect(specs[0].args.at(-1)).toContain("-LiteralPath 'C:\\kits\\it''s.msu'")
    expect(await windowsSignatureChecker(answer('', 1)).check('C:\\x.msu')).toMatchObject({
      status: 'invalid',
      reason: expect.stringMatching(/exit 1/),
    })
  })
})
