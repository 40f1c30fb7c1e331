/**
 * The October (2026-10-13) and November (2026-11-10) Patch Tuesdays, known from Microsoft's CVE records: every serviced
 * branch names the fixed builds its records state, each with the record it came from, and each record's captured
 * opening (test/fixtures/cve-records) states that build and that publication date. Their KB numbers are not in any
 * source read: the build stands as a fact without its KB, and the gap note says exactly that.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  knowledgeGaps,
  knownBuilds,
  newestBuildForBranch,
  servicingChainSources,
} from '../../../main/knowledge/servicing-chains.ts'
import { knowledgeFreshness } from '../../../main/knowledge/freshness.ts'
import { buildWithoutKbBy, cumulativeUpdateTitle } from '../../../main/knowledge/build-without-kb.ts'

const ROOT = join(import.meta.dirname, '../../..')
const captureOf = (key: string): string | null => {
  const m = /(test\/fixtures\/[\w./-]+\.txt)/.exec(servicingChainSources()[key] ?? '')
  return m ? readFileSync(join(ROOT, m[1]!), 'utf8') : null
}

/** What the records read state, per branch: [October build, November build] (null: no record read states it). */
const EXPECTED: Record<string, [string | null, string | null]> = {
  'win11-24h2': ['26100.9711', '26100.9974'],
  'win11-25h2': ['26200.9711', '26200.9974'],
  'win11-26h2': ['26300.9711', '26300.9974'],
  'win11-26h1': ['28000.3231', '28000.3501'],
  'win11-23h2': ['22631.7652', '22631.7711'],
  'server-2025': ['26100.33650', '26100.33822'],
  'server-2022': ['20348.5761', '20348.5870'],
  'win10-22h2': ['19045.7807', '19045.7846'],
  'win10-21h2': ['19044.7807', '19044.7846'],
  'win10-1809': ['17763.9376', '17763.9487'],
  'win10-1607': ['14393.9612', '14393.9688'],
}

describe('October and November 2026 from the CVE records', () => {
  it('every serviced branch names the builds its records state, released on the Patch Tuesday, KB null', () => {
    for (const [id, [oct, nov]] of Object.entries(EXPECTED)) {
      const of = (day: string) =>
        knownBuilds()
          .filter((b) => b.branchIds.includes(id) && b.released === day)
          .map((b) => `${b.baseBuild}.${b.ubr}`)
      expect(of('2026-10-13'), `${id} October`).toEqual(oct ? [oct] : [])
      expect(of('2026-11-10'), `${id} November`).toEqual(nov ? [nov] : [])
    }
    for (const b of knownBuilds()) expect(b.kb).toBeNull()
  })

  it('each build cites a record whose captured opening states the build (10.0.x.y) and the publication date', () => {
    const recent = knownBuilds().filter((b) => b.released >= '2026-10-01')
    expect(recent.length).toBe(22)
    for (const b of recent) {
      const text = captureOf(b.source)
      expect(text, b.source).not.toBeNull()
      expect(text!.split('\n')[0], b.source).toMatch(/^# source: https:\/\/raw\.githubusercontent\.com\/CVEProject\//)
      expect(text, `${b.source} ${b.baseBuild}.${b.ubr}`).toContain(
        `"versionEndExcluding": "10.0.${b.baseBuild}.${b.ubr}"`,
      )
      expect(text, `${b.source} ${b.released}`).toContain(`"datePublished": "${b.released}T`)
      expect(text, b.source).toContain('"assignerShortName": "microsoft"')
    }
  })

  it('the newest build of 24H2 is 26100.9974 of 2026-11-10, said as a fact without its KB', () => {
    expect(newestBuildForBranch('win11-24h2')).toMatchObject({
      ubr: 9974,
      released: '2026-11-10',
      kb: null,
      source: 'CVE-2026-122162',
    })
    expect(newestBuildForBranch('win11-24h2')!.says).toBe(
      'The newest build for Windows 11 24H2 is 26100.9974, released 2026-11-10; its KB number is not in the knowledge (source CVE-2026-122162).',
    )
    expect(newestBuildForBranch('win11-26h1')).toMatchObject({
      ubr: 3501,
      released: '2026-11-10',
      source: 'CVE-2026-96129',
    })
    expect(newestBuildForBranch('win10-22h2')).toMatchObject({ ubr: 7846, released: '2026-11-10' })
  })

  it('the gap note says what is known (builds from CVE records, every branch both months) and what is not (KBs)', () => {
    const gap = knowledgeGaps().find((g) => g.months.includes('2026-11'))!
    expect(gap.note).toMatch(/the builds are known from Microsoft's CVE records/)
    expect(gap.note).toMatch(/KB numbers are not/)
    // 26H1's November build is now stated by a record published on that Patch Tuesday.
    expect(gap.note).toMatch(/26H1 28000\.3231 \[CVE-2026-108463\] and \.3501 \[CVE-2026-96129\]/)
    expect(gap.note).not.toMatch(/no record we read states 26H1's November build/)
    // Windows 10's October build is now stated by a record published on that Patch Tuesday.
    expect(gap.note).toMatch(/19045\.7807 \/ 19044\.7807 \[CVE-2026-81964\]/)
    expect(gap.note).not.toMatch(/so it is not listed/)
    const w10 = knowledgeFreshness(new Date('2026-11-27T12:00:00Z')).branches.find((x) => x.branchId === 'win10-22h2')!
    expect(w10.kbUnknownMonths).toEqual(['2026-10', '2026-11'])
    expect(gap.note).not.toMatch(/ends with records published 2026-10-12/)
    expect(JSON.stringify(servicingChainSources())).not.toMatch(/newest records we found were published 2026-10-12/)
  })

  it('knowledge: as of 2026-11-10, current to the latest Patch Tuesday; a note names the builds whose KB is not known', () => {
    const f = knowledgeFreshness(new Date('2026-11-27T12:00:00Z'))
    expect(f.asOf).toBe('2026-11-10')
    expect(f.stale).toBe(false)
    expect(f.kbUnknown).toMatch(
      /are known from Microsoft's CVE records without their KB numbers.*knowledge catalog --branch <id> --arch <arch> --month 2026-11/,
    )
    const b = f.branches.find((x) => x.branchId === 'win11-24h2')!
    expect(b.newestBuild).toMatchObject({ build: '26100.9974', released: '2026-11-10', kb: null })
    expect(b.kbUnknownMonths).toEqual(['2026-10', '2026-11'])
  })
})

describe('a build known without its KB, as the verdict and the plan use it', () => {
  it('released by the day asked and newer than every update with a KB then: the build, its record and the Catalog title', () => {
    expect(buildWithoutKbBy('win11-24h2', '2026-11-27')).toMatchObject({
      build: '26100.9974',
      ubr: 9974,
      released: '2026-11-10',
      month: '2026-11',
      source: 'CVE-2026-122162',
    })
    expect(buildWithoutKbBy('win11-24h2', '2026-11-27')!.sourceText).toMatch(/CVE-2026-122162/)
    // Before the October Patch Tuesday nothing newer than September's update is known.
    expect(buildWithoutKbBy('win11-24h2', '2026-10-12')).toBeNull()
    expect(buildWithoutKbBy('win11-24h2', '2026-10-20')).toMatchObject({ build: '26100.9711' })
    expect(buildWithoutKbBy('win11-22h2', '2026-11-27')).toBeNull()
  })

  it("the Catalog title of a branch's cumulative update of a month, as Microsoft writes it", () => {
    expect(cumulativeUpdateTitle('win11-24h2', 'x64', '2026-11')).toBe(
      '2026-11 Cumulative Update for Windows 11, version 24H2 for x64-based Systems',
    )
    expect(cumulativeUpdateTitle('server-2025', 'x64', '2026-11')).toBe(
      '2026-11 Cumulative Update for Microsoft server operating system version 24H2 for x64-based Systems',
    )
    expect(cumulativeUpdateTitle('win10-22h2', 'x86', '2026-11')).toBe(
      '2026-11 Cumulative Update for Windows 10 Version 22H2 for x86-based Systems',
    )
    expect(cumulativeUpdateTitle('nope', 'x64', '2026-11')).toBeNull()
  })
})

describe('per branch: what is known and what is not', () => {
  const f = knowledgeFreshness(new Date('2026-11-27T12:00:00Z'))
  const b = (id: string) => f.branches.find((x) => x.branchId === id)!

  it('the newest build with its date, "KB unknown" and its source, then the newest update with its KB', () => {
    expect(b('win11-24h2').known).toBe(
      'Newest build 26100.9974, released 2026-11-10, KB unknown (source CVE-2026-122162); newest update with its KB: KB5129195 (26100.9457, 2026-09-14, out-of-band, source MS-KB5129195).',
    )
    expect(b('win10-22h2').known).toMatch(
      /^Newest build 19045\.7846, released 2026-11-10, KB unknown \(source CVE-2026-119945\)/,
    )
    expect(b('win11-22h2').known).toBe('No update of this branch is known.')
  })

  it('what is not known: the KBs of the months whose builds are known, the months no source names at all', () => {
    expect(b('win11-24h2').notKnown).toBe(
      'the KB numbers of the 2026-10 and 2026-11 updates (their builds are known); previews and out-of-band releases of those months, if any.',
    )
    expect(b('win11-26h1').notKnown).toBe(
      'the KB numbers of the 2026-10 and 2026-11 updates (their builds are known); previews and out-of-band releases of those months, if any.',
    )
    // Months after the newest Patch Tuesday any source states are not known at all.
    const later = knowledgeFreshness(new Date('2027-01-20T12:00:00Z')).branches.find(
      (x) => x.branchId === 'win11-26h1',
    )!
    expect(later.notKnown).toBe(
      'the KB numbers of the 2026-10 and 2026-11 updates (their builds are known); any update of 2026-12 and 2027-01 (no source read names its KB, build or date); previews and out-of-band releases of those months, if any.',
    )
    expect(b('win10-1809').notKnown).toMatch(/^the KB numbers of the 2026-09, 2026-10 and 2026-11 updates/)
    // Every serviced branch says both.
    for (const x of f.branches) {
      expect(x.known, x.branchId).toMatch(/\.$/)
      if (x.newest) expect(x.notKnown, x.branchId).not.toBeNull()
    }
  })
})

describe('September 2026 for 1809: a KB a Catalog title names, its build not', () => {
  it('the gap note names KB5129238 (the Catalog title of a real search) and says it is not paired with a build', () => {
    const gap = knowledgeGaps().find((g) => g.months.includes('2026-09') && g.branchIds.includes('win10-1809'))!
    expect(gap.note).toMatch(
      /2026-09 Cumulative Update for Windows 10 Version 1809 for x64-based Systems \(KB5129238\)/,
    )
    expect(gap.note).toMatch(/build and release day are not stated/)
    expect(servicingChainSources()['CAT-1809-2026-09']).toMatch(/2026-09-23/)
    // Not invented into an update: no build is known for it.
    expect(knownBuilds().filter((b) => b.kb === 'KB5129238')).toEqual([])
  })
})
