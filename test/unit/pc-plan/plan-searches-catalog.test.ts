/**
 * The plan searches the Catalog itself for a build known without its KB (read-only, while it is made): x64-healthy is
 * behind November 2026's 26100.9974, which Microsoft's CVE record states without its KB. With a Catalog to ask (here
 * a real HTTP server on 127.0.0.1 serving Catalog search pages), the row found by the update's title is the install of
 * its KB; with none found, or no Catalog reachable, or on a training machine (no internet), the plan keeps the wait
 * for a person and says why in the search's own words.
 *
 * Pages served: test/fixtures/catalog/search-results-last-page.html is a real capture (no November row);
 * built-search-2026-11-24h2-x64.html is BUILT from it (its first line says so) with a November 24H2 row whose KB is a
 * placeholder — the plan reads the KB from the title, whatever it is, and never puts it in the knowledge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { CatalogClient } from '../../../main/catalog/catalog-client.ts'
import { PcPlanSchema } from '../../../preload/model/pc-plan.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '../../fixtures/catalog', name), 'utf8').replace(/^# [^\n]*\n/, '')
const NOVEMBER = fixture('built-search-2026-11-24h2-x64.html')
const OTHER = fixture('search-results-last-page.html')

let server: Server
let base = ''
let withNovember = true
const asked: string[] = []
const served = new WeakSet<object>()
beforeAll(async () => {
  server = createServer((req, res) => {
    // A request on a connection kept alive from an earlier one is dropped unanswered: what the server's keep-alive
    // timer (5 s of wall clock since its last answer) does when it fires after the client sent its next request on
    // that connection but before the server read it — on a loaded machine, where a test here takes ~5 s, by chance.
    // A search that depends on a kept-alive connection fails so, every time, instead of once in a hundred runs.
    if (served.has(req.socket)) {
      req.socket.destroy()
      return
    }
    served.add(req.socket)
    const u = new URL(req.url ?? '/', 'http://127.0.0.1')
    const q = u.searchParams.get('q') ?? ''
    asked.push(q)
    // Each answer closes its connection, so no search waits on a kept-alive one: the keep-alive timer is a wall clock
    // this test does not own (see above).
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' })
    res.end(withNovember && q.startsWith('2026-11 Cumulative Update Windows 11 24H2') ? NOVEMBER : OTHER)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
})

const ref: MachineRef = { kind: 'training', name: 'x64-healthy' }
const plan = async (planCatalog?: Parameters<typeof createServices>[0] extends infer O ? O : never) =>
  PcPlanSchema.parse(
    await createServices({ dataDir: tempDirSync('sd-plan-catalog-'), ...(planCatalog ?? {}) }).pcPlans.plan(ref),
  )

describe('the plan searches the Catalog for a build known without its KB', () => {
  it('found: the install of the KB the Catalog title names joins the plan, instead of the wait', {
    timeout: hangMs(60_000),
  }, async () => {
    withNovember = true
    asked.length = 0
    const p = await plan({ planCatalog: () => new CatalogClient({ baseUrl: base, backoffMs: 1, attempts: 1 }) })
    expect(asked).toEqual(['2026-11 Cumulative Update Windows 11 24H2 x64'])
    expect(p.steps.map((s) => [s.kind, s.kb ?? s.id, s.bringsTo ?? null])).toEqual([
      ['install', 'KB5129195', '26100.9457'],
      ['install', 'KB5999911', '26100.9974'],
    ])
    const found = p.steps[1]!
    expect(found.title).toBe(
      'Install KB5999911, the newest update for Windows 11 24H2 (found in the Microsoft Update Catalog)',
    )
    expect(found.why).toContain(
      'found "2026-11 Cumulative Update for Windows 11, version 24H2 for x64-based Systems (KB5999911) (26100.9974)"',
    )
    expect(found.precondition).toMatch(/hash the Catalog's download dialog gives/)
    expect(found.restarts).toBe(1)
    expect(p.notes.join('\n')).toMatch(/KB5999911 is not in the knowledge: KB5999911 → 26100\.9974/)
    expect(p.restarts).toBe(2)
  })

  it('not found: the wait stays and says what was searched', { timeout: hangMs(60_000) }, async () => {
    withNovember = false
    const p = await plan({ planCatalog: () => new CatalogClient({ baseUrl: base, backoffMs: 1, attempts: 1 }) })
    const wait = p.steps.find((s) => s.kind === 'wait')!
    expect(wait.id).toBe('find-kb-26100-9974')
    expect(wait.why).toMatch(
      /The plan searched the Microsoft Update Catalog for "2026-11 Cumulative Update Windows 11 24H2 x64": it lists no cumulative update of 2026-11 for this PC's Windows \(x64\) yet\.$/,
    )
    expect(p.steps.filter((s) => s.kind === 'install').map((s) => s.kb)).toEqual(['KB5129195'])
  })

  it('offline: the wait says the search failed, in the error its own words', { timeout: hangMs(60_000) }, async () => {
    // A port nothing listens on: the connection is refused, as on a PC without internet.
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    const p = await plan({
      planCatalog: () => new CatalogClient({ baseUrl: `http://127.0.0.1:${port}`, backoffMs: 1, attempts: 1 }),
    })
    const wait = p.steps.find((s) => s.kind === 'wait')!
    expect(wait.why).toMatch(/The plan could not search the Microsoft Update Catalog: .+\.$/)
    expect(wait.why).not.toMatch(/\bat \w+ \(|node:internal/)
  })

  it('a training machine has no internet: no search, the wait says so', { timeout: hangMs(60_000) }, async () => {
    const p = await plan()
    const wait = p.steps.find((s) => s.kind === 'wait')!
    expect(wait.why).toMatch(
      /The plan did not search the Microsoft Update Catalog: a training machine has no internet\.$/,
    )
  })
})

describe('the run of a plan whose install comes from the Catalog', () => {
  it('a package that cannot be fetched ends its step "failed" in one sentence, never a raw error', {
    timeout: hangMs(120_000),
  }, async () => {
    withNovember = true
    // The training Catalog lists no file for the KB the Catalog title named: the step cannot be prepared.
    const services = createServices({
      dataDir: tempDirSync('sd-plan-catalog-run-'),
      planCatalog: () => new CatalogClient({ baseUrl: base, backoffMs: 1, attempts: 1 }),
    })
    const r = await services.pcPlans.run(ref)
    expect(r.status).toBe('failed')
    expect(r.results.map((x) => [x.stepId, x.outcome])).toEqual([
      ['install-kb5129195', 'done'],
      ['install-kb5999911', 'failed'],
    ])
    expect(r.results[1]!.detail).toBe(
      'KB5999911 could not be prepared: Could not fetch KB5999911 for x64: The Catalog lists no KB5999911 for x64.',
    )
  })
})
