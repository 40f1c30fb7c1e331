/**
 * A build known without its KB is quoted from its CVE record by the part about its own branch: a record lists several
 * products (Windows 10 21H2 and 22H2 share 1904x, Windows 11 24H2 and Server 2025 share 26100), and a note on 23H2
 * that quotes "affected below 10.0.19044.7846" states a Windows 10 build as 23H2's. For every branch and every build
 * without its KB: the quote names the branch's product and that build, no other build, and is found in the record's
 * captured text.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { allBranches, knownBuilds, servicingChainSources } from '../../../main/knowledge/servicing-chains.ts'
import { buildWithoutKbBy } from '../../../main/knowledge/build-without-kb.ts'
import { findKbStep } from '../../../main/pc-plan/find-kb-step.ts'
import { knowledgeFreshness } from '../../../main/knowledge/freshness.ts'

const ROOT = join(import.meta.dirname, '../../..')
const flat = (s: string) => s.replace(/\s+/g, ' ')
const captureOf = (key: string): string | null => {
  const m = /(test\/fixtures\/[\w./-]+\.txt)/.exec(servicingChainSources()[key] ?? '')
  return m ? flat(readFileSync(join(ROOT, m[1]!), 'utf8')) : null
}

/** The CPE product a branch's own entry in a CVE record names (Microsoft's spelling in cvelistV5). */
const CPE_PRODUCT: Record<string, RegExp> = {
  'win11-26h2': /^windows_11_version_26h2_/,
  'win11-26h1': /^windows_11_26H1$/,
  'win11-25h2': /^windows_11_25H2$/,
  'win11-24h2': /^windows_11_24H2$/,
  'win11-23h2': /^windows_11_23H2$/,
  'server-2025': /^windows_server_2025$/,
  'server-2022': /^windows_server_2022$/,
  'win10-22h2': /^windows_10_22H2$/,
  'win10-21h2': /^windows_10_21H2$/,
  'win10-1809': /^(windows_10_1809|windows_server_2019)$/,
  'win10-1607': /^(windows_10_1607|windows_server_2016)$/,
}

/** Every (branch, build without its KB) pair the data holds, with the day it is the newest such build. */
const pairs = knownBuilds().flatMap((b) => b.branchIds.map((branchId) => ({ branchId, b })))

/** Every Windows build number (10.0.B.U) a text names. */
const versionsIn = (s: string) => [...s.matchAll(/10\.0\.(\d+)\.(\d+)/g)].map((m) => `${m[1]}.${m[2]}`)

describe("a build without its KB quotes its own branch's part of the record", () => {
  it('covers every build the data holds (24 pairs, every serviced branch)', () => {
    expect(pairs.length).toBe(24)
    expect(new Set(pairs.map((p) => p.branchId))).toEqual(new Set(Object.keys(CPE_PRODUCT)))
  })

  for (const { branchId, b } of pairs) {
    const build = `${b.baseBuild}.${b.ubr}`
    it(`${branchId} ${build} (${b.source}): the quote names ${branchId}'s product and ${build}, and is in the captured record`, () => {
      const beyond = buildWithoutKbBy(branchId, b.released)
      expect(beyond, `${branchId} ${b.released}`).toMatchObject({ build, source: b.source })
      const quote = beyond!.quote
      const criteria = /"criteria": "cpe:2\.3:[oa]:microsoft:([^:]+):/.exec(quote)
      expect(criteria?.[1], quote).toMatch(CPE_PRODUCT[branchId]!)
      expect(quote).toContain(`"versionEndExcluding": "10.0.${build}"`)
      expect(versionsIn(quote).filter((v) => v !== `${b.baseBuild}.0` && v !== build)).toEqual([])
      const capture = captureOf(b.source)
      expect(capture, `${b.source} has a captured record`).not.toBeNull()
      expect(capture).toContain(flat(quote))
    })

    it(`${branchId} ${build}: the find-KB note and the source text name no other branch's build`, () => {
      const branch = allBranches().find((x) => x.id === branchId)!
      const r = findKbStep(branch, b.baseBuild, 0, 'x64', b.released, [])
      expect(r, branchId).not.toBeNull()
      for (const text of [r!.note, buildWithoutKbBy(branchId, b.released)!.sourceText]) {
        expect(text).toContain(b.source)
        expect(text).toContain(`10.0.${build}`)
        expect(
          versionsIn(text).filter((v) => v !== `${b.baseBuild}.0` && v !== build),
          text,
        ).toEqual([])
      }
    })
  }
})

describe('knowledge / knowledge --json: each branch names its own builds only', () => {
  // Windows 10 21H2 and 22H2 share updates and records, Windows 11 24H2, 25H2 and Server 2025 too: each branch's entry
  // (newest update, newest build without its KB, preview, what is known and not) must not carry another's build.
  const f = knowledgeFreshness(new Date('2026-11-27T12:00:00Z'))
  for (const b of f.branches) {
    it(`${b.branchId}`, () => {
      const own = allBranches().find((x) => x.id === b.branchId)!.builds
      const text = JSON.stringify(b)
      const named = [...text.matchAll(/\b(?:10\.0\.)?(\d{5})\.(\d{1,5})\b/g)]
      expect(named.filter((m) => !own.includes(Number(m[1]))).map((m) => m[0])).toEqual([])
      if (b.newest) expect(named.length, text).toBeGreaterThan(0)
    })
  }
})
