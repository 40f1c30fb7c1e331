/**
 * Microsoft's "Update Windows media with Dynamic Update": a medium takes the Safe OS and Setup Dynamic Updates of its
 * cumulative update's month, or the most recent ones not newer — a March 2026 medium never gets May's Safe OS update.
 */
import { describe, expect, it } from 'vitest'
import { safeOsForMonth } from '../../../main/knowledge/winre-targets.ts'
import { setupDuForMonthOrEarlier } from '../../../main/knowledge/setup-dus.ts'

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
