import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startLocalCatalog, type LocalCatalog } from '../../../main/catalog/local-catalog/server.ts'
import { CatalogClient } from '../../../main/catalog/catalog-client.ts'
import { resolveUpdateChain } from '../../../main/catalog/update-chain.ts'
import { CatalogError } from '../../../main/catalog/catalog-error.ts'
import { MICROSOFT_POLICY } from '../../../main/catalog/download-policy.ts'
import { parseCatalogFileName } from '../../../main/catalog/file-name.ts'
import { contentHashes } from '../../../main/catalog/local-catalog/content.ts'

let cat: LocalCatalog
const client = (extra: Partial<ConstructorParameters<typeof CatalogClient>[0]> = {}) =>
  new CatalogClient({ baseUrl: cat.baseUrl, policy: cat.policy, backoffMs: 1, ...extra })

beforeAll(async () => {
  cat = await startLocalCatalog()
})
afterAll(async () => {
  await cat.close()
})
beforeEach(() => {
  cat.setFault(null)
  cat.resetStats()
})

describe('search over HTTP against the local Catalog', () => {
  it('finds every row of a KB and reads its architecture from the title', async () => {
    const r = await client().search('KB5086672')
    expect(r.updates.map((u) => u.arch).sort()).toEqual(['arm64', 'arm64', 'x64', 'x64'])
    const arm = await client().search('KB5086672', { arch: 'arm64' })
    expect(arm.updates).toHaveLength(2)
    expect(arm.updates.every((u) => u.kb === 'KB5086672')).toBe(true)
  })

  it('pages with postbacks to the last page', async () => {
    const r = await client().search('filler', { maxPages: 10 })
    expect(r.updates).toHaveLength(60)
    expect(new Set(r.updates.map((u) => u.updateId)).size).toBe(60)
    expect(r.pagesRead).toBe(3)
    expect(r.incomplete).toBe(false)
    expect(cat.stats.requests.filter((q) => q.method === 'POST')).toHaveLength(2)
  })

  it('pages with &p= when asked, and stops at maxPages saying the result is incomplete', async () => {
    const r = await client().search('filler', { paging: 'query', maxPages: 2 })
    expect(r.updates).toHaveLength(50)
    expect(r.incomplete).toBe(true)
    expect(cat.stats.requests.map((q) => q.path)).toContain('/Search.aspx?q=filler&p=2')
  })

  it('switches to &p= paging when the postback answers "Object moved"', async () => {
    cat.setFault({ kind: 'object-moved-postback' })
    const r = await client().search('filler', { maxPages: 10 })
    expect(r.updates).toHaveLength(60)
    expect(r.notes.join(' ')).toMatch(/Object moved/)
  })

  it('returns no rows for no results', async () => {
    const r = await client().search('nothing-matches-this')
    expect(r).toMatchObject({ updates: [], totalCount: 0 })
  })

  it('retries 8DDD0010 error pages and Error.aspx redirects with backoff, then succeeds', async () => {
    const retries: string[] = []
    cat.setFault({ kind: 'error-then-ok', count: 2 })
    const r = await client({ onRetry: (i) => retries.push(i.reason) }).search('KB5043080')
    expect(r.updates.length).toBe(2)
    expect(retries).toHaveLength(2)
    expect(retries[0]).toMatch(/0x8DDD0010/)
    cat.setFault({ kind: 'error-redirect-then-ok', count: 1 })
    expect((await client().search('KB5043080')).updates.length).toBe(2)
    cat.setFault({ kind: 'empty-table-then-ok', count: 1 })
    expect((await client().search('KB5043080')).updates.length).toBe(2)
  })

  it('gives up with a clear error when the Catalog keeps failing', async () => {
    cat.setFault({ kind: 'error-then-ok', count: 100 })
    await expect(client({ attempts: 3 }).search('KB5043080')).rejects.toThrow(
      /did not answer properly after 3 attempts/,
    )
  })

  it('refuses an oversized page', async () => {
    cat.setFault({ kind: 'oversized-page', bytes: 3_000_000 })
    await expect(client({ maxPageBytes: 1_000_000 }).search('KB5043080')).rejects.toMatchObject({ code: 'too-large' })
  })

  it('refuses a base URL that is neither the Catalog nor loopback', () => {
    expect(() => new CatalogClient({ baseUrl: 'https://catalog.example.com' })).toThrow(/Refused Catalog URL/)
    expect(() => new CatalogClient({ baseUrl: 'http://www.catalog.update.microsoft.com' })).toThrow(/Refused/)
  })
})

describe('details and download dialog', () => {
  it('reads supersedence with GUIDs and 8DDD0024 as not found', async () => {
    const row = (await client().search('KB5086672 24H2', { arch: 'x64' })).updates[0]
    const d = await client().details(row.updateId)
    expect(d.architectures).toEqual(['x64'])
    expect(d.supersedes[0].kb).toBe('KB5048667')
    expect(d.supersededBy[0].kb).toBe('KB5094126')
    await expect(client().details('00000000-0000-0000-0000-000000000001')).rejects.toMatchObject({ code: 'not-found' })
  })

  it('lists every file of the dialog with SHA-1 and SHA-256 equal to the served bytes', async () => {
    const row = (await client().search('KB5086672 24H2', { arch: 'arm64' })).updates[0]
    const { files } = await client().files(row.updateId)
    expect(files.map((f) => f.kb)).toEqual(['KB5043080', 'KB5086672'])
    for (const f of files) {
      expect(f.arch).toBe('arm64')
      expect(f.nameSha1).toBe(f.sha1)
      expect(parseCatalogFileName(f.fileName).sha1).toBe(f.sha1)
      const local = cat.updates.flatMap((u) => u.files).find((x) => x.fileName === f.fileName)
      expect(local && contentHashes(local.seed, local.size)).toEqual({ sha1: f.sha1, sha256: f.sha256 })
    }
  })

  it('refuses links to foreign hosts, plain http, and (under the production policy) the local server itself', async () => {
    const row = (await client().search('KB5043080', { arch: 'x64' })).updates[0]
    cat.setFault({ kind: 'foreign-link' })
    await expect(client().files(row.updateId)).rejects.toThrow(
      /Refused evil\.example\.com: not a Microsoft download host/,
    )
    cat.setFault({ kind: 'plain-http-link' })
    await expect(client().files(row.updateId)).rejects.toThrow(
      /Refused http:\/\/mirror\.example\.net: packages are downloaded only over HTTPS/,
    )
    cat.setFault(null)
    await expect(client({ policy: MICROSOFT_POLICY }).files(row.updateId)).rejects.toMatchObject({ code: 'refused' })
  })
})

describe('update chain', () => {
  it('orders the checkpoint before the target for arm64 (KB5043080 → KB5086672)', async () => {
    const chain = await resolveUpdateChain(client(), 'KB5086672', 'arm64')
    expect(chain.update.title).toMatch(/24H2 for arm64-based Systems/)
    expect(chain.files.map((f) => [f.order, f.role, f.kb, f.arch])).toEqual([
      [1, 'checkpoint', 'KB5043080', 'arm64'],
      [2, 'target', 'KB5086672', 'arm64'],
    ])
  })

  it('has one file for an update with no checkpoint (Safe OS cab, 23H2 LCU)', async () => {
    const safeOs = await resolveUpdateChain(client(), 'KB5089593', 'x64')
    expect(safeOs.files.map((f) => [f.role, f.fileName.endsWith('.cab')])).toEqual([['target', true]])
    const lcu23 = await resolveUpdateChain(client(), 'KB5048685', 'arm64')
    expect(lcu23.files).toHaveLength(1)
  })

  it('says plainly when the KB does not exist for the architecture', async () => {
    await expect(resolveUpdateChain(client(), 'KB5034441', 'arm64')).rejects.toThrow(/listed for x64 but not for arm64/)
    await expect(resolveUpdateChain(client(), 'KB1234567', 'x64')).rejects.toBeInstanceOf(CatalogError)
  })

  it('treats an architecture disagreement between title and details as an error', async () => {
    cat.setFault({ kind: 'details-wrong-arch' })
    await expect(resolveUpdateChain(client(), 'KB5086672', 'arm64')).rejects.toMatchObject({ code: 'arch-mismatch' })
  })
})
