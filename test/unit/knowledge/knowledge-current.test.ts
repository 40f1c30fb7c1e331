/**
 * The knowledge is true (KB5086672, sources that resolve, unverified facts labelled), current
 * (26H2, Server 2025 by edition/UBR, Catalog titles with builds), refreshable from captured Microsoft pages,
 * and Microsoft's known issues rank first.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtempSync, rmSync, readFileSync, existsSync, mkdirSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import errorCodes from '../../../main/knowledge/data/error-codes.json' with { type: 'json' }
import chains from '../../../main/knowledge/data/servicing-chains.json' with { type: 'json' }
import winre from '../../../main/knowledge/data/winre-targets.json' with { type: 'json' }
import issues from '../../../main/knowledge/data/known-issues.json' with { type: 'json' }
import {
  knownUpdate,
  branchForBuild,
  checkpointStatus,
  applyOverlayUpdates,
} from '../../../main/knowledge/servicing-chains.ts'
import { winreVerdict } from '../../../main/knowledge/winre-targets.ts'
import { buildFromTitle, versionFromTitle, kbFromTitle } from '../../../main/parse/title-build.ts'
import { parseUpdateHistory } from '../../../main/knowledge/update-history.ts'
import { overlayFromPages, pagesFromDir, loadKnowledgeOverlay, writeOverlay } from '../../../main/knowledge/overlay.ts'
import {
  patchTuesday,
  latestPatchTuesday,
  patchTuesdaysAfter,
  knowledgeFreshness,
} from '../../../main/knowledge/freshness.ts'
import { targetFact } from '../../../main/knowledge/catalog-target.ts'
import { matchKnownIssues } from '../../../main/knowledge/known-issues.ts'
import { sourceText } from '../../../main/knowledge/citations.ts'
import { CLI } from '../../cli-script.ts'

const FIXTURES = join(import.meta.dirname, '../../fixtures/update-history')

describe('KB5086672 is the out-of-band update of 2026-03-31', () => {
  it('26100.8117 / 26200.8117, fixing KB5079391 (26100.8116, 0x80073712); April is KB5083769 at .8246', () => {
    expect(knownUpdate('KB5086672')).toMatchObject({
      released: '2026-03-31',
      ubr: 8117,
      baseBuild: 26100,
      outOfBand: true,
      verified: true,
      prerequisites: ['KB5043080'],
    })
    expect(knownUpdate('KB5086672')?.branchIds).toEqual(['win11-24h2', 'win11-25h2'])
    expect(knownUpdate('KB5079391')).toMatchObject({ ubr: 8116, preview: true })
    expect(knownUpdate('KB5083769')).toMatchObject({ ubr: 8246, released: '2026-04-14' })
    const e = errorCodes.codes.find((c) => c.code === '0x80073712')!
    expect(e.causes.join(' ')).toMatch(/KB5079391.*KB5086672/)
  })
  it('0x800F0922 says what is documented (checkpoint first) and what is inferred (the error a missing checkpoint shows)', () => {
    const e = errorCodes.codes.find((c) => c.code === '0x800F0922')!
    const text = e.causes.join(' ')
    expect(text).toMatch(/documented/)
    expect(text).toMatch(/inferred.*no Microsoft source names the error a missing checkpoint produces/)
  })
})

describe('every source resolves and can be opened', () => {
  const files = {
    'error-codes': errorCodes,
    'servicing-chains': chains,
    'winre-targets': winre,
    'known-issues': issues,
  } as Record<string, { sources: Record<string, string> }>
  const cited = (name: string): string[] => {
    const d = files[name] as unknown as Record<string, unknown>
    const keys: string[] = []
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk)
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
          if (k === 'sources' && v === d) continue
          if (k === 'source' && typeof x === 'string') keys.push(x)
          else if (k === 'sources' && Array.isArray(x)) keys.push(...(x as string[]))
          else walk(x)
        }
      }
    }
    walk(d)
    return keys
  }
  it('each cited key exists in its own file’s sources (MS included), and citations resolve', () => {
    let checked = 0
    for (const name of Object.keys(files)) {
      for (const key of cited(name)) {
        expect(files[name].sources[key], `${name}: ${key}`).toBeTypeOf('string')
        checked++
      }
    }
    expect(checked).toBeGreaterThan(250)
    expect(sourceText('MS')).toMatch(/SupportArticles-docs/)
    expect(errorCodes.codes.filter((c) => c.sources.includes('MS')).length).toBe(5)
  })
  it('every source is an https URL or a named document; no "3P" tag: third-party material is named and never verifies alone', () => {
    let n = 0
    for (const [name, d] of Object.entries(files)) {
      for (const [key, text] of Object.entries(d.sources)) {
        n++
        expect(/https:\/\//.test(text) || /"[^"]{4,}"|“[^”]{4,}”/.test(text), `${name}: ${key} = ${text}`).toBe(true)
        expect(text, `${name}: ${key}`).not.toMatch(/(^|\s)http:\/\//)
      }
    }
    expect(n).toBeGreaterThan(70)
    expect(Object.keys(errorCodes.sources)).not.toContain('3P')
    expect(errorCodes.codes.filter((c) => c.sources.includes('3P'))).toEqual([])
    // A code resting on one third-party article only is unverified.
    const onlyThirdParty = errorCodes.codes.filter(
      (c) => c.sources.length > 0 && c.sources.every((s) => s === 'WN-0993' || s === 'WHO-C1900223'),
    )
    expect(onlyThirdParty.map((c) => c.code).sort()).toEqual(['0x800F0993', '0xC1900223'])
    for (const c of onlyThirdParty) expect(c.verified, c.code).toBe(false)
  })
  it('0x800F0993, 0xC1900223 and 0x800736B3 are known (the first two unverified, each on one article a person can open); 0x800F0991 from community material only (a Microsoft Q&A thread a person can open), unverified', () => {
    const get = (c: string) => errorCodes.codes.find((x) => x.code === c)
    expect(get('0x800F0991')).toMatchObject({ name: null, verified: false, sources: ['COMM-800F0991'] })
    expect(get('0xC1900223')).toMatchObject({ verified: false, sources: ['WHO-C1900223'] })
    expect(get('0x800F0993')).toMatchObject({ verified: false, sources: ['WN-0993'] })
    expect(get('0x800736B3')).toMatchObject({ name: 'ERROR_SXS_ASSEMBLY_NOT_FOUND', verified: true })
  })
})

describe('branches: build AND edition/UBR range', () => {
  const cases: Array<[number, Parameters<typeof branchForBuild>[1], string | null]> = [
    [26300, undefined, 'win11-26h2'],
    [26200, { ubr: 9457 }, 'win11-25h2'],
    [26100, undefined, 'win11-24h2'],
    [26100, { ubr: 8117 }, 'win11-24h2'],
    [26100, { ubr: 32522 }, 'server-2025'],
    [26100, { ubr: 32995, edition: 'ServerDatacenter' }, 'server-2025'],
    [26100, { ubr: 1742, productName: 'Windows Server 2025 Standard' }, 'server-2025'],
    [26100, { ubr: 32995, edition: 'Professional', productName: 'Windows 10 Pro' }, 'win11-24h2'],
    [20348, undefined, 'server-2022'],
    [99999, undefined, null],
  ]
  it(`decides ${cases.length} cases`, () => {
    let ran = 0
    for (const [build, ctx, want] of cases) {
      expect(branchForBuild(build, ctx)?.id ?? null, `${build} ${JSON.stringify(ctx)}`).toBe(want)
      ran++
    }
    expect(ran).toBe(10)
  })
  it('Server 2025 WinRE is judged against its own Safe OS update (KB5071844, 10.0.26100.7297), never the client 24H2 target, and its checkpoint is not assumed', () => {
    const v = winreVerdict(26100, '10.0.26100.1', { ubr: 32995, edition: 'ServerStandard' })
    expect(v).toMatchObject({
      verdict: 'stale',
      branchId: 'server-2025',
      target: { kb: 'KB5071844', winreVersion: '10.0.26100.7297' },
    })
    expect(winreVerdict(26100, '10.0.26100.7297', { ubr: 32995, edition: 'ServerStandard' }).verdict).toBe('current')
    expect(winreVerdict(26100, '10.0.26100.1', { ubr: 8117 }).verdict).toBe('stale')
    expect(checkpointStatus(26100, 32995, { edition: 'ServerStandard' }).present).toBe(null)
  })
})

describe('Catalog titles with the build (since 2026)', () => {
  it('reads the build from real titles, and none from the old form', () => {
    const t = '2026-09 Cumulative Update for Windows 11, version 24H2 for x64-based Systems (KB5129195) (26100.9457)'
    expect(buildFromTitle(t)).toEqual({ build: 26100, ubr: 9457 })
    expect(kbFromTitle(t)).toBe('KB5129195')
    expect(versionFromTitle(t)).toBe('24H2')
    expect(
      buildFromTitle(
        '2026-03 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5086672) (26100.8117)',
      ),
    ).toEqual({ build: 26100, ubr: 8117 })
    expect(
      buildFromTitle('2024-09 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5043080)'),
    ).toBeNull()
    expect(buildFromTitle('(26100.9457) something (KB5129195)')).toBeNull()
    expect(buildFromTitle(null)).toBeNull()
  })
  it('an unknown KB gets its target build from the Catalog title and says so; without one it says verification uses the package state', () => {
    const f = targetFact('KB5999999', {
      title: '2026-11 Cumulative Update for Windows 11, version 25H2 for arm64-based Systems (KB5999999) (26200.9999)',
      fileNames: ['windows11.0-kb5999999-arm64_0123.msu'],
    })
    expect(f).toMatchObject({ build: 26200, ubr: 9999, from: 'catalog-title' })
    expect(f.says).toMatch(/Catalog title/)
    const none = targetFact('KB5999999', {
      title: '2026-11 Cumulative Update for Windows 11 Version 25H2 for arm64-based Systems (KB5999999)',
    })
    expect(none).toMatchObject({ build: null, from: 'none' })
    expect(none.says).toMatch(/package state/)
    expect(targetFact('KB5086672')).toMatchObject({ from: 'knowledge', ubr: 8117 })
    expect(targetFact('KB5124006').says).toMatch(/unverified/)
    // August 2026 (KB5121003 → 26100.9168) rests on Microsoft's CVE record now, not on a generated summary.
    expect(targetFact('KB5121003').says).not.toMatch(/unverified/)
  })
})

describe('update-history pages and the refresh overlay', () => {
  let home: string
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'sd-knowledge-'))
  })
  afterAll(() => {
    applyOverlayUpdates([])
    rmSync(home, { recursive: true, force: true })
  })

  it('parses every release heading of the captured page (one per KB), with kind and branch', () => {
    const text = readFileSync(join(FIXTURES, 'dataforgeeks-buildnumbers-2026.json'), 'utf8')
    const r = parseUpdateHistory(text)
    expect(r.map((x) => x.kb)).toEqual([
      'KB5074105',
      'KB5075999',
      'KB5075912',
      'KB5075897',
      'KB5077181',
      'KB5075904',
      'KB5075899',
      'KB5075941',
      'KB5075906',
      'KB5077179',
      'KB5077241',
      'KB5077239',
      'KB5082314',
      'KB5078885',
      'KB5079473',
    ])
    expect(r.find((x) => x.kb === 'KB5077181')).toMatchObject({
      released: '2026-02-10',
      kind: 'monthly',
      builds: [
        { build: 26200, ubr: 7840 },
        { build: 26100, ubr: 7840 },
      ],
    })
    expect(r.find((x) => x.kb === 'KB5082314')?.kind).toBe('out-of-band')
    expect(r.find((x) => x.kb === 'KB5074105')?.kind).toBe('preview')
    expect(parseUpdateHistory('no headings here')).toEqual([])
  })

  it('refresh --from the captured pages writes an overlay with provenance that the app then uses', () => {
    const dir = join(home, 'pages')
    mkdirSync(dir)
    copyFileSync(join(FIXTURES, 'dataforgeeks-buildnumbers-2026.json'), join(dir, 'history.json'))
    copyFileSync(join(FIXTURES, 'ms-release-health-win11-25h2-rows-2025-10.txt'), join(dir, 'rows.txt'))
    const pages = pagesFromDir(dir)
    expect(pages[0].from).toMatch(/^https:\/\/github\.com\/altrhombus\/DataForGeeks/)
    const { overlay, added, skipped } = overlayFromPages(pages, new Date('2026-11-22T10:00:00Z'))
    // The January–February 2026 updates of that capture are shipped now (UH-2026-08); October 2025's KB5066835 is not.
    expect(skipped.find((s) => s.kb === 'KB5077181')?.reason).toBe('already in the shipped knowledge')
    expect(skipped.find((s) => s.kb === 'KB5079473')?.reason).toBe('already in the shipped knowledge')
    expect(added).toContain('KB5066835')
    const kb5075899 = overlay.updates.find((u) => u.kb === 'KB5075899')
    expect(kb5075899).toBeUndefined() // already shipped (Server 2025)
    const oct = overlay.updates.find((u) => u.kb === 'KB5066835')!
    expect(oct).toMatchObject({
      ubr: 6899,
      branchIds: expect.arrayContaining(['win11-25h2']),
      prerequisites: ['KB5043080'],
      provenance: { origin: 'overlay', readAt: '2026-11-22T10:00:00.000Z' },
    })
    expect(oct.provenance.readFrom).toMatch(/^https:\/\//)
    writeOverlay(home, overlay)
    expect(existsSync(join(home, 'knowledge', 'overlay.json'))).toBe(true)
    expect(loadKnowledgeOverlay(home)).toMatchObject({ state: 'loaded', updates: overlay.updates.length })
    expect(knownUpdate('KB5066835')?.provenance?.origin).toBe('overlay')
    expect(targetFact('KB5066835')).toMatchObject({ from: 'overlay', ubr: 6899 })
    expect(knownUpdate('KB5077181')?.provenance?.origin).toBe('shipped')
    applyOverlayUpdates([])
    expect(knownUpdate('KB5066835')).toBeNull()
  })

  it('a damaged overlay is ignored with a plain reason (shipped knowledge only)', () => {
    const bad = mkdtempSync(join(tmpdir(), 'sd-knowledge-bad-'))
    mkdirSync(join(bad, 'knowledge'))
    execFileSync('sh', ['-c', `printf '{"schema":1}' > "${join(bad, 'knowledge', 'overlay.json')}"`])
    const s = loadKnowledgeOverlay(bad)
    expect(s.state).toBe('invalid')
    expect(s.state === 'invalid' && s.error).toMatch(/not usable/)
    rmSync(bad, { recursive: true, force: true })
  })
})

describe('freshness: Patch Tuesday and the calm warning', () => {
  it('computes the second Tuesday (a month starting on Tuesday included)', () => {
    expect(patchTuesday(2026, 11)).toBe('2026-11-10')
    expect(patchTuesday(2026, 9)).toBe('2026-09-08')
    expect(patchTuesday(2026, 4)).toBe('2026-04-14')
    expect(patchTuesday(2025, 7)).toBe('2025-07-08')
    expect(latestPatchTuesday(new Date('2026-11-09T12:00:00Z'))).toBe('2026-10-13')
    expect(latestPatchTuesday(new Date('2027-01-05T12:00:00Z'))).toBe('2026-12-08')
    expect(patchTuesdaysAfter('2026-09-29', '2027-01-12')).toEqual([
      '2026-10-13',
      '2026-11-10',
      '2026-12-08',
      '2027-01-12',
    ])
    expect(patchTuesdaysAfter('2026-11-10', '2026-11-10')).toEqual([])
    expect(patchTuesdaysAfter('2026-11-09', '2026-11-10')).toEqual(['2026-11-10'])
  })
  it('asOf is the date of the newest cumulative update; it warns as soon as the newest known update is older than the latest Patch Tuesday', () => {
    // The data is as of 2026-11-10 (the November builds of the CVE records): current on 2026-11-22.
    expect(knowledgeFreshness(new Date('2026-11-22T12:00:00Z')).asOf).toBe('2026-11-10')
    expect(knowledgeFreshness(new Date('2026-11-22T12:00:00Z')).stale).toBe(false)
    // Knowledge as of September (before the CVE records were read), judged on 2026-11-22.
    const now = knowledgeFreshness(new Date('2026-11-22T12:00:00Z'), '2026-09-22')
    expect(now.asOf).toBe('2026-09-22')
    expect(now.stale).toBe(true)
    expect(now.warning).toMatch(
      /newest update Servicing Desk knows was released 2026-09-22, 49 days before the latest Patch Tuesday \(2026-11-10\)/,
    )
    expect(now.missedPatchTuesdays).toEqual(['2026-10-13', '2026-11-10'])
    expect(now.warning).toMatch(
      /2 Patch Tuesdays of 2026-10-13, 2026-11-10: no source it read names their KB, build or date\)\. It can still tell a PC is behind the newest update it knows; it cannot name or fetch those newer ones/,
    )
    expect(knowledgeFreshness(new Date('2026-10-20T12:00:00Z'), '2026-09-22').warning).toMatch(
      /\(the Patch Tuesday of 2026-10-13: /,
    )
    expect(knowledgeFreshness(new Date('2026-10-20T12:00:00Z'), '2026-09-22').missedPatchTuesdays).toEqual([
      '2026-10-13',
    ])
    expect(knowledgeFreshness(new Date('2026-10-01T12:00:00Z'), '2026-09-22').missedPatchTuesdays).toEqual([])
    expect(knowledgeFreshness(new Date('2026-10-01T12:00:00Z'), '2026-09-22').warning).toBeNull()
    // December's Patch Tuesday is beyond what any source read states.
    expect(knowledgeFreshness(new Date('2026-12-20T12:00:00Z')).warning).toMatch(
      /released 2026-11-10, 28 days before the latest Patch Tuesday \(2026-12-08\)/,
    )
    expect(knowledgeFreshness(new Date('2026-11-22T12:00:00Z'), '2026-11-10').stale).toBe(false)
    expect(knowledgeFreshness(new Date('2026-11-22T12:00:00Z'), '2026-11-09').stale).toBe(true)
    const f = knowledgeFreshness(new Date('2026-11-22T12:00:00Z'))
    // THE newest update is the newest released one; the optional preview after it is named apart.
    expect(f.branches.find((b) => b.branchId === 'win11-26h2')?.newest).toMatchObject({
      kb: 'KB5129195',
      build: '26300.9457',
      released: '2026-09-14',
    })
    expect(f.branches.find((b) => b.branchId === 'win11-26h2')?.newerPreview).toMatchObject({
      kb: 'KB5124010',
      build: '26300.9550',
      released: '2026-09-22',
    })
    expect(f.branches.find((b) => b.branchId === 'server-2025')?.newest).toMatchObject({
      kb: 'KB5129235',
      build: '26100.33451',
      verified: false,
      outOfBand: true,
    })
    expect(f.branches.find((b) => b.branchId === 'win11-24h2')).toMatchObject({
      silent: [],
      kbUnknownMonths: ['2026-10', '2026-11'],
      newestBuild: { build: '26100.9974', kb: null },
    })
  })
  it('Windows 10: the consumer ESU end date is disputed (2026-10-13 or 2027-10-12), said as such from 2026-10-13, neither stated as fact', () => {
    const f = knowledgeFreshness(new Date('2026-11-22T12:00:00Z'))
    expect(f.branches.find((b) => b.branchId === 'win10-22h2')?.support).toMatchObject({
      state: 'consumer-esu-end-disputed',
      since: '2026-10-13',
      source: 'ESU-2027',
      verified: false,
    })
    expect(f.notices).toHaveLength(1)
    expect(f.notices[0]).toMatch(/^Windows 10 consumer Extended Security Updates: the end date is disputed\./)
    expect(f.notices[0]).toMatch(/2026-10-13/)
    expect(f.notices[0]).toMatch(/2027-10-12/)
    expect(f.notices[0]).not.toMatch(/ended on|ends on|runs until/)
    expect(knowledgeFreshness(new Date('2026-10-12T12:00:00Z')).notices).toEqual([])
  })
})

describe('known issues first', () => {
  it('KB5079391 failing with 0x80073712 on 24H2 is Microsoft’s issue, fixed by KB5086672', () => {
    const m = matchKnownIssues({
      branchId: 'win11-24h2',
      failedKbs: ['KB5079391'],
      codes: ['0x80073712'],
      typedCode: null,
      winreVersion: null,
      installedKbs: [],
    })
    expect(m).toHaveLength(1)
    expect(m[0]).toMatchObject({ strength: 'strong', resolved: false, issue: { resolutionKb: 'KB5086672' } })
  })
  it('KB5034441 is not needed when WinRE is already 10.0.19041.3920 or later; no match on another branch', () => {
    const m = matchKnownIssues({
      branchId: 'win10-22h2',
      failedKbs: ['KB5034441'],
      codes: ['0x80070643'],
      typedCode: null,
      winreVersion: '10.0.19041.5000',
      installedKbs: [],
    })
    expect(m[0]).toMatchObject({ notNeeded: true })
    // With an older WinRE the recovery-partition rule reports the same cause with its repair.
    expect(
      matchKnownIssues({
        branchId: 'win10-22h2',
        failedKbs: ['KB5034441'],
        codes: ['0x80070643'],
        typedCode: null,
        winreVersion: '10.0.19041.3636',
        installedKbs: [],
      }),
    ).toEqual([])
    expect(
      matchKnownIssues({
        branchId: 'win11-24h2',
        failedKbs: ['KB5034441'],
        codes: ['0x80070643'],
        typedCode: null,
        winreVersion: null,
        installedKbs: [],
      }),
    ).toEqual([])
  })
})

describe('training machines: Get-HotFix past the checkpoint', () => {
  it('does not list KB5043080 on a PC past 26100.1742, and still does on one at it', async () => {
    const { renderGetHotfix } = await import('../../../main/training/renderers/hotfixes.ts')
    const { trainingProfiles } = await import('../../../main/training/profiles/index.ts')
    const listed = async (state: (typeof trainingProfiles)[number]) => {
      const out = await renderGetHotfix({ state, spec: {} as never, options: {} as never })
      return JSON.parse(out.stdout || '[]') as Array<{ HotFixID: string }> | { HotFixID: string }
    }
    const ids = (x: Awaited<ReturnType<typeof listed>>) => (Array.isArray(x) ? x : [x]).map((h) => h.HotFixID)
    const past = trainingProfiles.filter((p) => p.hotfixes.some((h) => h.kb === 'KB5043080') && p.os.ubr > 1742)
    expect(past.length).toBeGreaterThanOrEqual(3)
    for (const p of past) expect(ids(await listed(p)), p.name).not.toContain('KB5043080')
    const at = { ...past[0], os: { ...past[0].os, ubr: 1742 } }
    expect(ids(await listed(at))).toContain('KB5043080')
  })
})

describe('verification never rests on an unverified UBR alone', () => {
  it('an LCU whose UBR is unverified is verified by package state and says so', async () => {
    const { verifyInstallation } = await import('../../../main/install/verify.ts')
    expect(knownUpdate('KB5124006')?.verified).toBe(false)
    const plan = {
      machine: { build: 28000, ubr: 2954 },
      scope: { kind: 'online' },
      targets: ['KB5124006'],
      steps: [{}],
      expected: { build: 28000, ubr: 3086 },
    }
    // The PC reports the package installed at a UBR that moved up, but not to the unverified 3086.
    const host = { run: async () => ({ ok: true, exitCode: 0, stdout: '', stderr: '', commandLine: 'x' }) }
    const v = await verifyInstallationWith(verifyInstallation, host, plan, {
      build: 28000,
      ubr: 3000,
      packages: [
        {
          identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~28000.3000.1.5',
          kb: 'KB5124006',
          state: 'installed',
        },
      ],
    })
    expect(v.verified).toBe(true)
    expect(v.detail).toMatch(/unverified .*package state/)
  })
})

async function verifyInstallationWith(
  fn: (h: never, j: never) => Promise<{ verified: boolean; detail: string }>,
  host: unknown,
  plan: unknown,
  level: unknown,
) {
  const mod = await import('../../../main/install/servicing-level.ts')
  const spy = (await import('vitest')).vi
    .spyOn(mod, 'readServicingLevel')
    .mockResolvedValue({ ...(level as object), available: true, evidence: 'x' } as never)
  try {
    return await fn(host as never, { plan } as never)
  } finally {
    spy.mockRestore()
  }
}

describe('known issues rank before generic causes in a diagnosis', () => {
  it('a 24H2 PC whose history shows KB5079391 failing with 0x80073712: Microsoft’s issue (→ KB5086672) comes first, store corruption after', async () => {
    const { createServices } = await import('../../../main/services.ts')
    const { diagnose } = await import('../../../main/diagnose/diagnose.ts')
    const home = mkdtempSync(join(tmpdir(), 'sd-ki-'))
    try {
      const services = createServices({ dataDir: home, platform: 'linux' })
      const snap = await services.scan({ kind: 'training', name: 'x64-healthy' })
      expect(snap.os.status === 'known' && snap.os.value.build).toBe(26100)
      const failed = {
        title: '2026-03 Cumulative Update Preview for Windows 11 Version 24H2 for x64-based Systems (KB5079391)',
        kb: 'KB5079391',
        date: '2026-03-27T09:00:00Z',
        operation: 'install' as const,
        result: 'failed' as const,
        hresult: '0x80073712',
      }
      const history = snap.history.status === 'known' ? snap.history.value : []
      // The PC is still at the March security update (26100.8037), below the failed preview's 8116.
      const os =
        snap.os.status === 'known'
          ? { ...snap.os, value: { ...snap.os.value, ubr: 8037, version: '10.0.26100.8037' } }
          : snap.os
      const withFailure = {
        ...snap,
        os,
        packages: { status: 'unknown', error: 'not read in this test', evidence: [] },
        history: {
          ...snap.history,
          status: 'known' as const,
          value: [failed, ...history.filter((h) => h.kb !== 'KB5094126' && h.kb !== 'KB5086672')],
        },
      } as unknown as typeof snap
      const d = diagnose({ snapshot: withFailure })
      const top = d.findings[0]!
      expect(top.id).toBe('known-issue:kb5079391-0x80073712')
      expect(top.remedies[0].title).toBe('Install KB5086672 instead')
      expect(top.causes[1]).toMatch(/https:\/\/support\.microsoft\.com\/help\/5079391/)
      expect(d.findings.findIndex((f) => f.id.startsWith('known-issue'))).toBe(0)
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })
})

describe('the knowledge command (CLI)', () => {
  it('knowledge --json lists KB5086672, 26H2, Server 2025 and the newest update per branch; refresh --from writes an overlay it then shows', () => {
    const home = mkdtempSync(join(tmpdir(), 'sd-kcli-'))
    const root = join(import.meta.dirname, '../../..')
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, [CLI, ...args], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, SERVICING_DESK_HOME: home },
      })
    try {
      const before = JSON.parse(cli('knowledge', '--json', '--today', '2026-11-22'))
      expect(before).toMatchObject({
        asOf: '2026-11-10',
        latestPatchTuesday: '2026-11-10',
        stale: false,
        warning: null,
        overlay: { state: 'none' },
      })
      // What is known of October and November (builds, from the CVE records) and what is not (their KBs).
      expect(before.kbUnknown).toMatch(/known from Microsoft's CVE records without their KB numbers/)
      expect(before.gaps.find((g: { months: string[] }) => g.months.includes('2026-11')).note).toMatch(
        /KB numbers are not named by any public page we could read/,
      )
      const u = before.updates.find((x: { kb: string }) => x.kb === 'KB5086672')
      expect(u).toMatchObject({
        released: '2026-03-31',
        ubr: 8117,
        baseBuild: 26100,
        branchIds: ['win11-24h2', 'win11-25h2'],
      })
      const b = (id: string) => before.branches.find((x: { branchId: string }) => x.branchId === id)
      expect(b('win11-26h2').newest.build).toBe('26300.9457')
      expect(b('server-2025').newest.build).toMatch(/^26100\.3\d{4}$/)
      expect(b('win11-24h2').newest).toMatchObject({ kb: 'KB5129195', released: '2026-09-14', verified: true })
      expect(b('win11-24h2').newerPreview).toMatchObject({ kb: 'KB5124010', released: '2026-09-22' })
      expect(b('win11-24h2').newestBuild).toMatchObject({ build: '26100.9974', released: '2026-11-10', kb: null })
      const text = cli('knowledge', '--today', '2027-01-20')
      expect(text).toMatch(
        /Note: The newest update Servicing Desk knows was released 2026-11-10, 63 days before the latest Patch Tuesday \(2027-01-12\)/,
      )
      expect(text).toMatch(/newer build, KB unknown: 26100\.9974 {2}2026-11-10 {2}\(CVE-2026-122162\)/)
      expect(text).toMatch(
        /not known: the KB numbers of the 2026-10 and 2026-11 updates \(their builds are known\); any update of 2026-12 and 2027-01 \(no source read names its KB, build or date\)/,
      )
      expect(before.branches.find((x: { branchId: string }) => x.branchId === 'win11-24h2').known).toMatch(
        /^Newest build 26100\.9974, released 2026-11-10, KB unknown \(source CVE-2026-122162\)/,
      )
      expect(text).toMatch(/optional preview after it: KB5124010 {2}26100\.9550 {2}2026-09-22/)
      const refreshed = JSON.parse(cli('knowledge', 'refresh', '--from', FIXTURES, '--json'))
      expect(refreshed.added).toContain('KB5066835')
      const after = JSON.parse(cli('knowledge', '--json', '--today', '2026-11-22'))
      expect(after.overlay).toMatchObject({ state: 'loaded', updates: refreshed.added.length })
      expect(after.updates.find((x: { kb: string }) => x.kb === 'KB5066835').provenance.origin).toBe('overlay')
      expect(after.updates.find((x: { kb: string }) => x.kb === 'KB5077181').provenance.origin).toBe('shipped')
      expect(() => cli('knowledge', '--today', 'tomorrow')).toThrow(/YYYY-MM-DD/)
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })
})

describe('the Overview’s chain carries the calm warning when the knowledge is stale', () => {
  it('none on 2026-11-22 (the November builds are known); one once December 2026 has passed; 63 days by January 2027', async () => {
    const { vi } = await import('vitest')
    const { chainOfBuild } = await import('../../../main/report/chain-of-build.ts')
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      // The knowledge reaches the November Patch Tuesday (builds from the CVE records).
      vi.setSystemTime(new Date('2026-11-22T12:00:00Z'))
      expect(chainOfBuild(26100).knowledgeWarning).toBeNull()
      vi.setSystemTime(new Date('2026-12-20T12:00:00Z'))
      expect(chainOfBuild(26100).knowledgeWarning).toMatch(/28 days before the latest Patch Tuesday \(2026-12-08\)/)
      vi.setSystemTime(new Date('2027-01-20T12:00:00Z'))
      expect(chainOfBuild(26100).knowledgeWarning).toMatch(/63 days before the latest Patch Tuesday \(2027-01-12\)/)
      expect(chainOfBuild(null).knowledgeWarning).toMatch(/knowledge refresh/)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('unverified facts are labelled where a verdict uses them', () => {
  it('diagnose text labels an unverified remedy', async () => {
    const root = join(import.meta.dirname, '../../..')
    const home = mkdtempSync(join(tmpdir(), 'sd-unv-'))
    try {
      const out = execFileSync(process.execPath, [CLI, 'diagnose', '--code', '0x80073712'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, SERVICING_DESK_HOME: home },
      })
      expect(out).toMatch(/In-place repair upgrade \(unverified: not confirmed by a source Servicing Desk holds\)/)
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })
})
