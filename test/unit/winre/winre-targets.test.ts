import { describe, it, expect } from 'vitest'
import {
  winreVerdict,
  winreTargetForBranch,
  parseWinreVersion,
  winreTargetsAsOf,
  winreTargetSources,
} from '../../../main/knowledge/winre-targets.ts'

describe('WinRE targets knowledge', () => {
  it('has asOf and a source for every target', async () => {
    expect(winreTargetsAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    const data = (await import('../../../main/knowledge/data/winre-targets.json', { with: { type: 'json' } })).default
    for (const t of data.targets) expect(winreTargetSources[t.source], t.kb).toBeDefined()
  })
  it('maps 24H2 and 25H2 to KB5089593 → 10.0.26100.8455, 23H2 to KB5087594 → 10.0.22621.7077', () => {
    expect(winreTargetForBranch('win11-25h2')).toMatchObject({
      kb: 'KB5089593',
      winreVersion: '10.0.26100.8455',
      verified: true,
    })
    expect(winreTargetForBranch('win11-24h2')?.kb).toBe('KB5089593')
    expect(winreTargetForBranch('win11-23h2')).toMatchObject({ kb: 'KB5087594', winreVersion: '10.0.22621.7077' })
    expect(winreTargetForBranch('win10-22h2')).toMatchObject({ kb: 'KB5087593', verified: false })
  })
})

describe('winreVerdict', () => {
  it('25H2 (26200) compares against the 26100 base: 7297 is stale, KB5089593 brings it current', () => {
    const v = winreVerdict(26200, '10.0.26100.7297')
    expect(v).toMatchObject({ verdict: 'stale', branchId: 'win11-25h2', target: { kb: 'KB5089593' } })
    expect(v.reason).toMatch(/KB5089593/)
    expect(winreVerdict(26200, '10.0.26100.8455').verdict).toBe('current')
    expect(winreVerdict(26100, '10.0.26100.9000').verdict).toBe('current')
  })
  it('23H2 (22631) against 22621', () => {
    expect(winreVerdict(22631, '10.0.22621.6000')).toMatchObject({ verdict: 'stale', target: { kb: 'KB5087594' } })
    expect(winreVerdict(22631, '10.0.22621.7077').verdict).toBe('current')
  })
  it('Windows 10 22H2 (19045) against 19041, and says the target is unverified', () => {
    const v = winreVerdict(19045, '10.0.19041.3636')
    expect(v.verdict).toBe('stale')
    expect(v.reason).toMatch(/unverified/)
  })
  it('a WinRE on the marketing build number (19045) is not compared as if it were the base', () => {
    const v = winreVerdict(19045, '10.0.19045.5000')
    expect(v.verdict).toBe('unknown')
    expect(v.reason).toMatch(/base 19045.*base 19041/)
  })
  it('unknown, with the reason, for every missing piece', () => {
    expect(winreVerdict(null, '10.0.26100.1').reason).toMatch(/build is unknown/)
    expect(winreVerdict(12345, '10.0.26100.1').reason).toMatch(/not in the knowledge/)
    expect(winreVerdict(22000, '10.0.22000.1').reason).toMatch(/No Safe OS update/)
    expect(winreVerdict(26100, null).reason).toMatch(/could not be read/)
    expect(winreVerdict(26100, 'garbage').reason).toMatch(/not a WinRE version/)
    expect(winreVerdict(17763, '10.0.17763.1').reason).toMatch(/no source gives/)
  })
  it('parses versions strictly', () => {
    expect(parseWinreVersion('10.0.26100.8455')).toEqual([10, 0, 26100, 8455])
    expect(parseWinreVersion('10.0.26100')).toBeNull()
    expect(parseWinreVersion(undefined)).toBeNull()
  })
})
