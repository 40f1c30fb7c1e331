/**
 * Microsoft's "Update Windows media with Dynamic Update": a medium takes the Safe OS and Setup Dynamic Updates of its
 * cumulative update's month, or the most recent ones not newer — a March 2026 medium never gets May's Safe OS update.
 */
import { describe, expect, it } from 'vitest'
import { safeOsForMonth } from '../../../main/knowledge/winre-targets.ts'
import { allSetupDus, setupDuForMonthOrEarlier } from '../../../main/knowledge/setup-dus.ts'
import { planMediaUpdate } from '../../../main/media/plan.ts'
import { readMedium } from '../../../main/media/read.ts'
import { resolveMedium } from '../../../main/media/sources.ts'

describe('Safe OS and Setup Dynamic Updates matched to the month', () => {
  it('Safe OS: the month itself, else the most recent not newer; none before the first known', () => {
    expect(safeOsForMonth('win11-24h2', '2026-05')).toMatchObject({ exact: true, update: { kb: 'KB5089593' } })
    expect(safeOsForMonth('win11-24h2', '2026-03')).toMatchObject({
      exact: false,
      update: { kb: 'KB5074108', winreVersion: '10.0.26100.7618' },
    })
    expect(safeOsForMonth('win11-24h2', '2026-09')).toMatchObject({ exact: false, update: { kb: 'KB5089593' } })
    expect(safeOsForMonth('win11-24h2', '2025-12')).toMatchObject({ exact: true, update: { kb: 'KB5071844' } })
    expect(safeOsForMonth('win11-24h2', '2024-09')).toBeNull()
    expect(safeOsForMonth('win10-22h2', '2024-06')).toBeNull() // KB5034441 is a WinRE update, not a Safe OS Dynamic Update
    expect(safeOsForMonth('server-2025', '2026-09')).toMatchObject({
      exact: false,
      update: { kb: 'KB5071844', winreVersion: '10.0.26100.7297' },
    })
  })

  it('Setup DU: the month for the architecture, else the most recent not newer for it', () => {
    expect(setupDuForMonthOrEarlier('win11-24h2', '2026-09', 'x64')).toMatchObject({
      exact: true,
      du: { kb: 'KB5127216' },
    })
    expect(setupDuForMonthOrEarlier('win11-24h2', '2026-09', 'arm64')).toMatchObject({
      exact: false,
      du: { kb: 'KB5102558' },
    })
    expect(setupDuForMonthOrEarlier('win11-24h2', '2026-03', 'x64')).toBeNull() // KB5074110 (January) lists no architecture
    expect(setupDuForMonthOrEarlier('server-2025', '2026-08', 'x64')).toMatchObject({
      exact: false,
      du: { kb: 'KB5095966' },
    })
  })

  it('September 2026 Setup DUs of Windows Server 2022 and Windows 10 21H2 from real Catalog results (x64, day not captured)', () => {
    expect(setupDuForMonthOrEarlier('server-2022', '2026-09', 'x64')).toMatchObject({
      exact: true,
      du: { kb: 'KB5126031', released: null, source: 'CAT-2026-09' },
    })
    expect(setupDuForMonthOrEarlier('server-2022', '2026-11', 'x64')).toMatchObject({
      exact: false,
      du: { kb: 'KB5126031' },
    })
    expect(setupDuForMonthOrEarlier('win10-21h2', '2026-10', 'x64')).toMatchObject({
      exact: false,
      du: { kb: 'KB5126029' },
    })
    expect(setupDuForMonthOrEarlier('server-2022', '2026-08', 'x64')).toBeNull()
    expect(setupDuForMonthOrEarlier('win10-21h2', '2026-09', 'arm64')).toBeNull()
  })
})

describe('a Setup Dynamic Update whose day no source gives says so, in the data and in the media plan', () => {
  it('every Setup DU row without a release day carries why (releasedUnknown), with the sources searched and the date', () => {
    const undated = allSetupDus().filter((r) => r.released === null)
    expect(undated.map((r) => r.kb).sort()).toEqual(['KB5072617', 'KB5095966', 'KB5102558', 'KB5126029', 'KB5126031'])
    for (const r of undated) expect(r.releasedUnknown, r.kb).toMatch(/searched 2026-11-27/)
    for (const r of allSetupDus().filter((x) => x.released !== null)) expect(r.releasedUnknown, r.kb).toBeUndefined()
  })

  it('media plan for a June 2026 medium names KB5102558 and says its release day is not in the knowledge', async () => {
    const src = resolveMedium('iso-x64-24h2')
    const kb = 'KB5094126'
    const p = planMediaUpdate(await readMedium(src, { kb }), src, { kb })
    expect(p.setupDu).toBe('KB5102558')
    expect(p.notes.find((n) => n.includes('KB5102558'))).toMatch(
      /KB5102558's release day is not in the knowledge: the Catalog row was captured without its date/,
    )
  })
})
