/**
 * Setup Dynamic Updates in the knowledge: every row names a source that is a Microsoft page or the
 * Microsoft Update Catalog, per branch and month; months no source names are gaps, never guessed.
 */
import { describe, it, expect } from 'vitest'
import {
  allSetupDus,
  setupDuFor,
  setupDuGapReason,
  setupDuSources,
  setupDuByKb,
} from '../../../main/knowledge/setup-dus.ts'
import { allBranches } from '../../../main/knowledge/servicing-chains.ts'
import { runCliInProcess } from '../cli-child.ts'
import { tempDirSync } from '../temp-dirs.ts'

describe('Setup Dynamic Updates (setup-dus.json)', () => {
  it('every row: a KB, known branches, a YYYY-MM month, and a source naming a Microsoft URL', () => {
    const branches = new Set(allBranches().map((b) => b.id))
    expect(allSetupDus().length).toBeGreaterThanOrEqual(9)
    for (const r of allSetupDus()) {
      expect(r.kb).toMatch(/^KB\d{7}$/)
      expect(r.month).toMatch(/^20\d\d-(0[1-9]|1[0-2])$/)
      for (const b of r.branchIds) expect(branches.has(b), `${r.kb}: ${b}`).toBe(true)
      const src = setupDuSources[r.source]
      expect(src, `${r.kb}: source ${r.source}`).toBeTruthy()
      expect(src).toMatch(/https:\/\/(support\.microsoft\.com\/help\/\d+|www\.catalog\.update\.microsoft\.com\/)/)
      // No version is claimed without a page that gives it.
      expect(r.setupVersion).toBeNull()
    }
  })

  it('24H2 by month: June and September 2026 are known, March 2026 is a gap that says so', () => {
    expect(setupDuFor('win11-24h2', '2026-06')?.kb).toBe('KB5102558')
    expect(setupDuFor('win11-25h2', '2026-09')?.kb).toBe('KB5127216')
    expect(setupDuFor('win11-23h2', '2026-02')?.kb).toBe('KB5077374')
    expect(setupDuFor('win11-24h2', '2026-03')).toBeNull()
    expect(setupDuGapReason('win11-24h2', '2026-03')).toMatch(
      /No Setup Dynamic Update is known for win11-24h2 in 2026-03: No source we read names/,
    )
    expect(setupDuByKb('kb5074110')?.branchIds).toContain('server-2025')
  })

  it('knowledge --json lists them per branch and month, each with what it updates and its source text', async () => {
    const r = await runCliInProcess(tempDirSync('sd-setup-dus-'), ['knowledge', '--json', '--today', '2026-11-25'])
    expect(r.code).toBe(0)
    const du = JSON.parse(r.stdout).setupDynamicUpdates
    expect(du.rows.map((x: { kb: string }) => x.kb)).toContain('KB5102558')
    for (const x of du.rows) {
      expect(x.updates).toMatch(/setup/i)
      expect(x.sourceText).toMatch(/https:\/\//)
    }
    expect(
      du.gaps.some(
        (g: { branchIds: string[]; months: string[] }) =>
          g.branchIds.includes('win11-24h2') && g.months.includes('2026-03'),
      ),
    ).toBe(true)
  })
})
