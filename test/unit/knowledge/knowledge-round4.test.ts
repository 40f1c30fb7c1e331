/**
 * "Knowledge, round 4" (an audit against public sources):
 * - `asOf` names the newest release known (2026-11-10, builds from the CVE records), not the 26H2 enablement package's date;
 * - the April–July 2026 builds Microsoft's update-history headings give are recorded, each with its source (the
 *   maintained list altrhombus/DataForGeeks content/ms/win/buildnumbers.json at 0170213e) and its Microsoft page;
 * - 26H2 (26300) is judged against the WinRE target of its shared 24H2/25H2 branch;
 * - `knowledge` lists every branch without an October/November 2026 KB (silent, or its build known without the KB);
 * - `knowledge refresh` reads a page for every branch and would pick those updates up on a PC with internet
 *   (tested on the real capture of the update-history table of contents).
 */
import { describe, it, expect, afterAll } from 'vitest'
import { mkdtempSync, rmSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import chains from '../../../main/knowledge/data/servicing-chains.json' with { type: 'json' }
import {
  allBranches,
  applyOverlayUpdates,
  knownUpdate,
  newestUpdateForBranch,
  servicingChainSources,
  knowledgeGaps,
} from '../../../main/knowledge/servicing-chains.ts'
import { knowledgeFreshness, newestFactDate } from '../../../main/knowledge/freshness.ts'
import { winreVerdict } from '../../../main/knowledge/winre-targets.ts'
import { parseUpdateHistory } from '../../../main/knowledge/update-history.ts'
import { overlayFromPages, writeOverlay, loadKnowledgeOverlay, REFRESH_URLS } from '../../../main/knowledge/overlay.ts'
import { chainOfBuild } from '../../../main/report/chain-of-build.ts'
import { mediumTargetLcu } from '../../../main/media/read.ts'

const FIXTURES = join(import.meta.dirname, '../../fixtures/update-history')
const TODAY = new Date('2026-11-24T12:00:00Z')

describe('asOf is the newest cumulative update', () => {
  it('2026-11-10 (the November builds the CVE records state, without their KB), not the 26H2 enablement package of 2026-09-29', () => {
    expect(knownUpdate('KB5121794')).toMatchObject({ kind: 'other', released: '2026-09-29' })
    expect(newestFactDate()).toBe('2026-11-10')
    expect(chains.asOf).toBe(newestFactDate())
    expect(knowledgeFreshness(TODAY).asOf).toBe('2026-11-10')
  })
})

describe('April–July 2026: the builds of Microsoft’s update-history headings, with their sources', () => {
  // [KB, branch, build, release date, out-of-band] as the list of Microsoft's headings gives them (UH-2026-07).
  const rows: Array<[string, string, string, string, boolean]> = [
    ['KB5082200', 'win10-22h2', '19045.7184', '2026-04-14', false],
    ['KB5087544', 'win10-22h2', '19045.7291', '2026-05-12', false],
    ['KB5094127', 'win10-22h2', '19045.7417', '2026-06-09', false],
    ['KB5099539', 'win10-22h2', '19045.7548', '2026-07-14', false],
    ['KB5082063', 'server-2025', '26100.32690', '2026-04-14', false],
    ['KB5091157', 'server-2025', '26100.32698', '2026-04-19', true],
    ['KB5094125', 'server-2025', '26100.32995', '2026-06-09', false],
    ['KB5091575', 'server-2022', '20348.5024', '2026-04-19', true],
    ['KB5087545', 'server-2022', '20348.5139', '2026-05-12', false],
    ['KB5094128', 'server-2022', '20348.5256', '2026-06-09', false],
    ['KB5099540', 'server-2022', '20348.5386', '2026-07-14', false],
    ['KB5094123', 'win10-1809', '17763.8880', '2026-06-09', false],
    ['KB5094122', 'win10-1607', '14393.9234', '2026-06-09', false],
  ]
  it(`${rows.length} updates, each citing the list (repository, path, commit) and its support.microsoft.com page`, () => {
    expect(servicingChainSources()['UH-2026-07']).toContain(
      'https://github.com/altrhombus/DataForGeeks/blob/0170213ee868e409a3f24fa715314c1c39d11dc9/content/ms/win/buildnumbers.json',
    )
    let n = 0
    for (const [kb, branch, build, released, oob] of rows) {
      const u = knownUpdate(kb)
      expect(u, kb).not.toBeNull()
      expect(u!.branchIds, kb).toContain(branch)
      expect(`${u!.baseBuild}.${u!.ubr}`, kb).toBe(build)
      expect(u, kb).toMatchObject({ released, kind: 'lcu', source: 'UH-2026-07', verified: true })
      expect(u!.outOfBand === true, kb).toBe(oob)
      expect(u!.note, kb).toContain(`https://support.microsoft.com/help/${kb.slice(2)}`)
      n++
    }
    expect(n).toBe(13)
    // Windows 10 21H2 gets the same KB at 19044.x.
    expect(knownUpdate('KB5094127')!.branchIds).toEqual(['win10-22h2', 'win10-21h2'])
  })
  it('the notes that said no source names them are gone, and no branch is silent for April–July 2026', () => {
    const text = JSON.stringify(knowledgeGaps())
    expect(text).not.toMatch(/no source names them|April 2026 is reported as KB5082200/)
    for (const g of knowledgeGaps())
      for (const m of g.months)
        expect(['2026-04', '2026-05', '2026-06', '2026-07'], `${g.branchIds.join(',')} ${m}`).not.toContain(m)
  })
})

describe('26H2 (26300) and its WinRE', () => {
  it('is judged against the target of its shared 24H2/25H2 branch (KB5089593, 10.0.26100.8455)', () => {
    expect(winreVerdict(26300, '10.0.26100.8455')).toMatchObject({
      verdict: 'current',
      branchId: 'win11-26h2',
      target: { kb: 'KB5089593' },
    })
    expect(winreVerdict(26300, '10.0.26100.7297')).toMatchObject({ verdict: 'stale', branchId: 'win11-26h2' })
    // The same image verdict as on 25H2.
    expect(winreVerdict(26300, '10.0.26100.7297').verdict).toBe(winreVerdict(26200, '10.0.26100.7297').verdict)
  })
})

describe('every branch without an October/November 2026 KB is listed', () => {
  it('knowledge names 2026-10 and 2026-11 for every branch: silent, or its build known without the KB; the data’s gaps cover each', () => {
    const f = knowledgeFreshness(TODAY)
    expect(f.branches.map((b) => b.branchId).sort()).toEqual(
      allBranches()
        .map((b) => b.id)
        .sort(),
    )
    for (const b of f.branches)
      expect([...b.silent, ...b.kbUnknownMonths], b.branchId).toEqual(expect.arrayContaining(['2026-10', '2026-11']))
    // 24H2: both builds known from the CVE records; 22H2 (Windows 11): neither.
    expect(f.branches.find((b) => b.branchId === 'win11-24h2')).toMatchObject({
      silent: [],
      kbUnknownMonths: ['2026-10', '2026-11'],
    })
    expect(f.branches.find((b) => b.branchId === 'win11-22h2')!.silent).toEqual(['2026-10', '2026-11'])
    for (const b of allBranches()) {
      const months = knowledgeGaps()
        .filter((g) => g.branchIds.includes(b.id))
        .flatMap((g) => g.months)
      expect(months, b.id).toEqual(expect.arrayContaining(['2026-10', '2026-11']))
    }
  })
  it('a later Patch Tuesday nobody has named is silent for every branch too (computed from asOf, not only the data)', () => {
    const f = knowledgeFreshness(new Date('2027-01-20T12:00:00Z'))
    for (const b of f.branches)
      expect([...b.silent, ...b.kbUnknownMonths], b.branchId).toEqual(
        expect.arrayContaining(['2026-10', '2026-11', '2026-12', '2027-01']),
      )
    for (const b of f.branches) expect(b.silent, b.branchId).toEqual(expect.arrayContaining(['2026-12', '2027-01']))
  })
})

describe('knowledge refresh would pick up the October/November 2026 updates on a PC with internet', () => {
  const home = mkdtempSync(join(tmpdir(), 'sd-round4-'))
  afterAll(() => {
    applyOverlayUpdates([])
    rmSync(home, { recursive: true, force: true })
  })

  it('it reads an update-history page for every branch the knowledge has (the /servicing/os/ addresses of 2025–2026 included)', () => {
    const pageFor: Record<string, RegExp> = {
      'win11-26h2': /windows-11-version-26h2-update-history$/,
      'win11-26h1': /windows-11-version-26h1-update-history$/,
      'win11-25h2': /windows-11-version-25h2-update-history$/,
      'win11-24h2': /windows-11-version-25h2-update-history$/,
      'win11-23h2': /windows-11-version-23h2-update-history-/,
      'win11-22h2': /Windows11UpdateHistory$/,
      'win11-21h2': /Windows11UpdateHistory$/,
      'server-2025': /windows-server-2025-update-history-/,
      'server-2022': /windows-server-2022-update-history-/,
      'win10-22h2': /\/windows-10-update-history$/,
      'win10-21h2': /\/windows-10-update-history$/,
      'win10-1809': /windows-server-2019-update-history-/,
      'win10-1607': /windows-server-2016-update-history-/,
    }
    for (const b of allBranches()) {
      expect(pageFor[b.id], `${b.id}: which page lists its updates?`).toBeDefined()
      expect(
        REFRESH_URLS.some((u) => pageFor[b.id].test(u)),
        b.id,
      ).toBe(true)
    }
    for (const u of REFRESH_URLS)
      expect(u).toMatch(/^https:\/\/(aka\.ms|support\.microsoft\.com|learn\.microsoft\.com)\//)
  })

  it('read live, a release on the real page structure becomes THE newest update everywhere; its month is no longer silent', () => {
    // The real capture of the update-history table of contents (July 2026), with ONE entry added in the capture's
    // own structure at the head of the 25H2 list, as an October page would carry it. KB5999101 is not a real
    // update (the KB59999xx numbers are kept for tests); its heading names three builds, as KB5124010's did.
    const real = readFileSync(join(FIXTURES, 'ms-windows11-servicing-toc-2026-07.json'), 'utf8')
    const anchor = '{"href":"2025/07/windows-11-version-25h2-update-history","toc_title":"Windows 11, version 25H2"},'
    expect(real.split(anchor)).toHaveLength(2)
    const october =
      '{"href":"2026/10/october-13-2026-kb5999101","toc_title":"October 13, 2026\\u2014KB5999101 (OS Builds 26300.9999, 26200.9999, and 26100.9999)"},'
    const page = real.replace(anchor, anchor + october)
    const { overlay, added } = overlayFromPages([{ from: REFRESH_URLS[0]!, text: page, origin: 'live' }], TODAY)
    expect(added).toContain('KB5999101')
    const entry = overlay.updates.find((u) => u.kb === 'KB5999101')!
    expect(entry).toMatchObject({ released: '2026-10-13', ubr: 9999, verified: true, prerequisites: ['KB5043080'] })
    expect([...entry.branchIds].sort()).toEqual(['win11-24h2', 'win11-25h2', 'win11-26h2'])
    writeOverlay(home, overlay)
    expect(loadKnowledgeOverlay(home)).toMatchObject({ state: 'loaded' })
    const f = knowledgeFreshness(TODAY)
    // The November builds the CVE records state (without their KB) stay the newest facts.
    expect(f.asOf).toBe('2026-11-10')
    for (const id of ['win11-24h2', 'win11-25h2', 'win11-26h2']) {
      expect(newestUpdateForBranch(id)?.kb, id).toBe('KB5999101')
      expect(mediumTargetLcu(id)?.kb, id).toBe('KB5999101')
      const b = f.branches.find((x) => x.branchId === id)!
      expect(b.newest, id).toMatchObject({ kb: 'KB5999101', origin: 'overlay', verified: true })
      expect(b.silent, id).toEqual([])
      expect(b.kbUnknownMonths, id).toEqual(['2026-11'])
    }
    const chain = chainOfBuild(26200).updates
    expect(chain[chain.length - 1].kb).toBe('KB5999101')
    // Branches the page does not name keep October without its KB.
    expect(f.branches.find((x) => x.branchId === 'server-2025')!.kbUnknownMonths).toEqual(['2026-10', '2026-11'])
    applyOverlayUpdates([])
    expect(newestUpdateForBranch('win11-24h2')?.kb).toBe('KB5129195')
  })

  it('headings as Microsoft writes them in 2026: three builds with a serial comma read whole; a hotpatch is not a cumulative update', () => {
    // The heading forms a public reader of the real pages documents (September 2026), verbatim.
    const oob = 'September 14, 2026—KB5129195 (OS Builds 26200.9457 and 26100.9457) Out-of-band'
    const hot = 'August 11, 2026—Hotpatch KB5120228 (OS Build 26100.33222)'
    expect(parseUpdateHistory(`${oob}\n${hot}`)).toEqual([
      {
        kb: 'KB5129195',
        released: '2026-09-14',
        builds: [
          { build: 26200, ubr: 9457 },
          { build: 26100, ubr: 9457 },
        ],
        kind: 'out-of-band',
        heading: oob,
      },
    ])
    expect(
      parseUpdateHistory('October 13, 2026—KB5999101 (OS Builds 26300.9999, 26200.9999, and 26100.9999)')[0]?.builds,
    ).toEqual([
      { build: 26300, ubr: 9999 },
      { build: 26200, ubr: 9999 },
      { build: 26100, ubr: 9999 },
    ])
  })
})
