/**
 * The Catalog beyond the knowledge for one branch: in process and through `knowledge catalog` (a child process
 * asking the local Catalog on 127.0.0.1), on the local Catalog's rows under real 2026 Catalog titles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { join } from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { startLocalCatalog, type LocalCatalog } from '../../../main/catalog/local-catalog/server.ts'
import { CatalogClient } from '../../../main/catalog/catalog-client.ts'
import { catalogBeyondKnowledge } from '../../../main/catalog/catalog-beyond.ts'
import { CLI } from '../../cli-script.ts'
import { hangMs } from '../../load.ts'

let cat: LocalCatalog
beforeAll(async () => {
  cat = await startLocalCatalog()
})
afterAll(async () => {
  await cat.close()
})
const client = () => new CatalogClient({ baseUrl: cat.baseUrl, policy: cat.policy, backoffMs: 1 })

describe('the Catalog beyond the knowledge', () => {
  it("24H2 x64 on 2026-11-27: the knowledge names November's build without its KB; the Catalog is searched from 2026-11 back to the newest month with a KB and each fact says where it came from", async () => {
    const r = await catalogBeyondKnowledge(client(), 'win11-24h2', 'x64', new Date('2026-11-27T12:00:00Z'))
    expect(r.knowledge).toMatchObject({ kb: null, build: '26100.9974', released: '2026-11-10' })
    expect(r.reason).toMatch(/names the newest build \(26100\.9974, .*\) without its KB: the Catalog is asked for it/)
    const [lcu, safeOs, setup] = r.results
    expect(lcu).toMatchObject({
      kind: 'lcu',
      tried: ['2026-11', '2026-10', '2026-09'],
      fact: { kb: 'KB5129195', build: '26100.9457' },
    })
    // The local Catalog has nothing for October or November: September's update is what it lists.
    expect(lcu!.says).not.toMatch(/The knowledge names it too/)
    expect(safeOs).toMatchObject({ kind: 'safe-os', fact: { kb: 'KB5089593', month: '2026-05' } })
    expect(setup).toMatchObject({ kind: 'setup-du', fact: { kb: 'KB5127216', month: '2026-09' } })
    expect(setup!.says).toMatch(
      /from its Microsoft Update Catalog title "2026-09 Setup Dynamic Update for Windows 11, version 24H2 for x64-based Systems \(KB5127216\)"/,
    )
  })

  it("one month asked: 2026-06 gives June's cumulative update and Setup DU, and says June has no Safe OS update", async () => {
    const r = await catalogBeyondKnowledge(client(), 'win11-24h2', 'arm64', new Date('2026-11-27T12:00:00Z'), '2026-06')
    expect(r.results.map((x) => x.fact?.kb ?? null)).toEqual(['KB5094126', null, 'KB5102558'])
    expect(r.results[1]!.says).toBe('The Catalog lists no Safe OS Dynamic Update for win11-24h2 (arm64) in 2026-06.')
  })

  it('through the CLI: knowledge catalog --branch --json against the local Catalog; a non-loopback --catalog-url is refused', {
    timeout: hangMs(60_000),
  }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'sd-knowledge-catalog-'))
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, [CLI, ...args], {
        cwd: join(import.meta.dirname, '../../..'),
        encoding: 'utf8',
        env: { ...process.env, SERVICING_DESK_HOME: home },
      })
    try {
      const { stdout } = await run(
        'knowledge',
        'catalog',
        '--branch',
        'win11-25h2',
        '--arch',
        'x64',
        '--today',
        '2026-11-27',
        '--json',
        '--catalog-url',
        cat.baseUrl,
      )
      const j = JSON.parse(stdout)
      // The local Catalog carries the September Setup DU under its 24H2 title only, so 25H2's search finds none.
      expect(j.results.map((x: { fact: { kb: string } | null }) => x.fact?.kb ?? null)).toEqual([
        'KB5129195',
        'KB5089593',
        null,
      ])
      expect(j.results[0].fact.build).toBe('26200.9457')
      await expect(
        run('knowledge', 'catalog', '--branch', 'win11-24h2', '--catalog-url', 'http://example.com'),
      ).rejects.toThrow(/loopback/)
      await expect(
        run('knowledge', 'catalog', '--branch', 'win11-24h2', '--month', '2026-13', '--catalog-url', cat.baseUrl),
      ).rejects.toThrow(/--month wants YYYY-MM/)
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })
})
