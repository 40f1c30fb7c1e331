/**
 * Every fact that cites a source whose captured text the project keeps (a fixture named in the source's text) is
 * stated in that capture: the update's KB, its OS build (as the branch shows it: 22631.x for 23H2) and its release
 * date. A detail the cited source does not state fails here — cite the source that says it. Plus the January–
 * February and August 2026 facts the newer update-history list gives, and builds known without their KB.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  allKnownUpdates,
  branchById,
  knowledgeGaps,
  knownBuilds,
  knownUpdate,
  newestBuildForBranch,
  newestUpdateForBranch,
  servicingChainSources,
} from '../../../main/knowledge/servicing-chains.ts'
import { knowledgeFreshness } from '../../../main/knowledge/freshness.ts'

const ROOT = join(import.meta.dirname, '../../..')
const captureOf = (key: string): string | null => {
  const m = /(test\/fixtures\/[\w./-]+\.(?:json|txt|html))/.exec(servicingChainSources()[key] ?? '')
  return m ? readFileSync(join(ROOT, m[1]!), 'utf8') : null
}
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

describe('cited captures state the facts that cite them', () => {
  const citing = allKnownUpdates().filter((u) => captureOf(u.source) !== null)

  it('some facts cite a kept capture (UH-2026-08, MS-TOC-2026-07, the CVE record CVE-2026-70091)', () => {
    expect(new Set(citing.map((u) => u.source))).toEqual(new Set(['UH-2026-08', 'MS-TOC-2026-07', 'CVE-2026-70091']))
  })

  /**
   * A CVE record states builds and a date, never a KB: an update citing one names the source of its KB in its note
   * ("KB: … [KEY]"), and that source's text must state the KB.
   */
  const kbText = (u: NonNullable<ReturnType<typeof knownUpdate>>, capture: string): string =>
    u.source.startsWith('CVE-')
      ? [...(u.note ?? '').matchAll(/\[([A-Z][\w-]+)\]/g)]
          .map((m) => m[1]!)
          .filter((k) => k !== u.source)
          .map((k) => servicingChainSources()[k] ?? '')
          .join('\n')
      : capture

  it.each(citing.map((u) => [u.kb, u.source] as const))(
    '%s: KB, build and date are in the capture of %s',
    (kb, source) => {
      const u = knownUpdate(kb)!
      const text = captureOf(source)!
      expect(kbText(u, text), kb).toContain(u.kb)
      const builds = u.branchIds.map((id) => `${branchById(id)!.builds[0]}.${u.ubr}`)
      expect(
        builds.some((b) => text.includes(b)),
        `${kb} ${builds.join('/')}`,
      ).toBe(true)
      const [y, m, d] = u.released.split('-')
      const written = [u.released, `${MONTHS[Number(m) - 1]} ${Number(d)}, ${y}`]
      expect(
        written.some((w) => text.includes(w)),
        `${kb} ${u.released}`,
      ).toBe(true)
    },
  )
})

describe('January–February and August 2026 from the newer update-history list (UH-2026-08)', () => {
  it('Windows 11 24H2/25H2: KB5074109 .7623, the out-of-band KB5077744 .7627 and KB5078127 .7628, KB5077181 .7840, the previews', () => {
    expect(knownUpdate('KB5074109')).toMatchObject({
      ubr: 7623,
      released: '2026-01-13',
      branchIds: ['win11-24h2', 'win11-25h2'],
      source: 'UH-2026-08',
    })
    expect(knownUpdate('KB5077744')).toMatchObject({ ubr: 7627, released: '2026-01-17', outOfBand: true })
    expect(knownUpdate('KB5078127')).toMatchObject({ ubr: 7628, released: '2026-01-24', outOfBand: true })
    expect(knownUpdate('KB5077181')).toMatchObject({ ubr: 7840, released: '2026-02-10' })
    expect(knownUpdate('KB5074105')).toMatchObject({ ubr: 7705, preview: true })
    expect(knownUpdate('KB5077241')).toMatchObject({ ubr: 7922, preview: true })
  })

  it('August 2026 KBs: KB5120240 (23H2), KB5120242 (Server 2022), KB5120238 (1809, 17763.9121, not .9115), KB5120418 (1607)', () => {
    expect(knownUpdate('KB5120240')).toMatchObject({ branchIds: ['win11-23h2'], ubr: 7517, released: '2026-08-11' })
    expect(knownUpdate('KB5120242')).toMatchObject({ branchIds: ['server-2022'], ubr: 5499 })
    expect(knownUpdate('KB5120238')).toMatchObject({ branchIds: ['win10-1809'], ubr: 9121 })
    expect(knownUpdate('KB5120418')).toMatchObject({ branchIds: ['win10-1607'], ubr: 9418 })
    expect(JSON.stringify(servicingChainSources())).not.toContain('17763.9115')
    expect(knowledgeGaps().some((g) => g.months.includes('2026-08'))).toBe(false)
  })
})

describe('a build known without its KB is a fact', () => {
  it('1809 and 1607: September, October and November 2026 builds from the CVE records, newer than the newest update, KB null, said so', () => {
    expect(
      knownBuilds()
        .filter((b) => b.branchIds.includes('win10-1809') || b.branchIds.includes('win10-1607'))
        .map((b) => `${b.baseBuild}.${b.ubr}`),
    ).toEqual(['17763.9245', '14393.9512', '17763.9376', '14393.9612', '17763.9487', '14393.9688'])
    expect(newestUpdateForBranch('win10-1809')?.kb).toBe('KB5120238')
    expect(newestBuildForBranch('win10-1809')).toMatchObject({
      ubr: 9487,
      kb: null,
      released: '2026-11-10',
      source: 'CVE-2026-119841',
    })
    expect(newestBuildForBranch('win10-1809')!.says).toBe(
      'The newest build for Windows 10 / Server 2019 1809 is 17763.9487, released 2026-11-10; its KB number is not in the knowledge (source CVE-2026-119841).',
    )
    // The newest update with a KB stays what it is; the build without its KB is newer.
    expect(newestUpdateForBranch('win11-24h2')).toMatchObject({ kb: 'KB5129195', ubr: 9457 })
    expect(newestBuildForBranch('win11-24h2')).toMatchObject({ kb: null, ubr: 9974 })
    expect(newestBuildForBranch('win11-22h2')).toBeNull()
    for (const b of knownBuilds())
      expect(servicingChainSources()[b.source], b.source).toContain(`10.0.${b.baseBuild}.${b.ubr}`)
  })

  it('knowledge (freshness) names the newer build on its branch only', () => {
    const f = knowledgeFreshness(new Date('2026-11-27T12:00:00Z'))
    const b = (id: string) => f.branches.find((x) => x.branchId === id)!
    expect(b('win10-1607').newestBuild).toMatchObject({ build: '14393.9688', kb: null, source: 'CVE-2026-119958' })
    expect(b('win11-22h2').newestBuild).toBeUndefined()
  })
})
