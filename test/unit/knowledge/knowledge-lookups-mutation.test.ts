/**
 * Knowledge look-ups line by line (mutation testing): decodeHresult (the winerror.h layout),
 * matchKnownIssues (data/known-issues.json), targetFact (servicing-chains knowledge, then the Catalog title)
 * and winreVerdict (data/winre-targets.json). Expected values are read from the shipped data where they are
 * data, so a knowledge refresh does not break the tests; the sentences are asserted whole.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import type { KnownUpdate } from '../../../main/knowledge/servicing-chains.ts'
import { issueFacts } from './issue-facts.ts'

type M0 = typeof import('../../../main/knowledge/error-decode.ts')
let decodeHresult: M0['decodeHresult']
type M1 = typeof import('../../../main/knowledge/known-issues.ts')
let knownIssues: M1['knownIssues'],
  matchKnownIssues: M1['matchKnownIssues'],
  knownIssuesAsOf: M1['knownIssuesAsOf'],
  knownIssueSources: M1['knownIssueSources']
type M2 = typeof import('../../../main/knowledge/catalog-target.ts')
let targetFact: M2['targetFact']
type M3 = typeof import('../../../main/knowledge/servicing-chains.ts')
let applyOverlayUpdates: M3['applyOverlayUpdates'], knownUpdate: M3['knownUpdate'], branchForBuild: M3['branchForBuild']
type M4 = typeof import('../../../main/knowledge/winre-targets.ts')
let allWinreTargets: M4['allWinreTargets'],
  parseWinreVersion: M4['parseWinreVersion'],
  winreGaps: M4['winreGaps'],
  winreTargetForBranch: M4['winreTargetForBranch'],
  winreTargetsAsOf: M4['winreTargetsAsOf'],
  winreUpdateByKb: M4['winreUpdateByKb'],
  winreVerdict: M4['winreVerdict']
// A fresh module per test-file run (vi.resetModules): module-level tables and patterns are evaluated again, so
// Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ decodeHresult } = await import('../../../main/knowledge/error-decode.ts'))
  ;({ knownIssues, matchKnownIssues, knownIssuesAsOf, knownIssueSources } = await import(
    '../../../main/knowledge/known-issues.ts'
  ))
  ;({ targetFact } = await import('../../../main/knowledge/catalog-target.ts'))
  ;({ applyOverlayUpdates, knownUpdate, branchForBuild } = await import('../../../main/knowledge/servicing-chains.ts'))
  ;({
    allWinreTargets,
    parseWinreVersion,
    winreGaps,
    winreTargetForBranch,
    winreTargetsAsOf,
    winreUpdateByKb,
    winreVerdict,
  } = await import('../../../main/knowledge/winre-targets.ts'))
})

afterEach(() => applyOverlayUpdates([]))

describe('decodeHresult', () => {
  it('names every facility in its table, from a code carrying it', () => {
    const names: Array<[number, string]> = [
      [0, 'FACILITY_NULL'],
      [1, 'FACILITY_RPC'],
      [2, 'FACILITY_DISPATCH'],
      [3, 'FACILITY_STORAGE'],
      [4, 'FACILITY_ITF'],
      [7, 'FACILITY_WIN32'],
      [8, 'FACILITY_WINDOWS'],
      [9, 'FACILITY_SECURITY'],
      [10, 'FACILITY_CONTROL'],
      [11, 'FACILITY_CERT'],
      [12, 'FACILITY_INTERNET'],
      [15, 'FACILITY_SETUPAPI (CBS/PSFX)'],
      [23, 'FACILITY_SXS'],
      [36, 'FACILITY_WINDOWSUPDATE'],
      [400, 'FACILITY_SETUP (MOSETUP)'],
    ]
    let ran = 0
    for (const [facility, name] of names) {
      const code = `0x8${facility.toString(16).padStart(3, '0')}0001`
      expect(decodeHresult(code), code).toEqual({
        severity: 'error',
        facility,
        facilityName: name,
        win32: facility === 7 ? 1 : null,
        customer: false,
      })
      ran++
    }
    expect(ran).toBe(15)
    expect(decodeHresult('0x80050001').facilityName).toBeNull()
  })

  it('reads severity, customer bit and the Win32 code; the X/N bits are not part of the facility', () => {
    expect(decodeHresult('0x800F0922')).toEqual({
      severity: 'error',
      facility: 15,
      facilityName: 'FACILITY_SETUPAPI (CBS/PSFX)',
      win32: null,
      customer: false,
    })
    expect(decodeHresult('0x80073712')).toEqual({
      severity: 'error',
      facility: 7,
      facilityName: 'FACILITY_WIN32',
      win32: 0x3712,
      customer: false,
    })
    expect(decodeHresult('800f081f')).toMatchObject({ facility: 15 })
    expect(decodeHresult('0X8024402C')).toMatchObject({ facility: 36, facilityName: 'FACILITY_WINDOWSUPDATE' })
    expect(decodeHresult('0x00000000')).toEqual({
      severity: 'success',
      facility: 0,
      facilityName: 'FACILITY_NULL',
      win32: null,
      customer: false,
    })
    expect(decodeHresult('0x00070005')).toEqual({
      severity: 'success',
      facility: 7,
      facilityName: 'FACILITY_WIN32',
      win32: 5,
      customer: false,
    })
    expect(decodeHresult('0xA0070005')).toMatchObject({ severity: 'error', customer: true, facility: 7 })
    expect(decodeHresult('0x98070002')).toMatchObject({ facility: 7, win32: 2 })
    expect(decodeHresult('0xFFFFFFFF')).toEqual({
      severity: 'error',
      facility: 0x7ff,
      facilityName: null,
      win32: null,
      customer: true,
    })
  })
})

describe('matchKnownIssues', () => {
  const byKb = (kb: string) => {
    const i = knownIssues().find((x) => x.kb === kb)
    expect(i, kb).toBeDefined()
    return i as typeof i & { kb: string }
  }
  const facts = issueFacts

  it('the data has its date and a source for every issue', () => {
    expect(knownIssuesAsOf()).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    let ran = 0
    for (const i of knownIssues()) {
      expect(knownIssueSources()[i.source], i.id).toBeDefined()
      ran++
    }
    expect(ran).toBe(knownIssues().length)
    expect(ran).toBeGreaterThanOrEqual(3)
  })

  it('an issue matches only when its KB failed here, on a branch it affects or an unknown one', () => {
    const issue = byKb('KB5079391')
    const branch = issue.affects.branchIds[0]!
    const code = issue.affects.codes[0]!
    expect(matchKnownIssues(facts({ failedKbs: [], codes: [code], branchId: branch }))).toEqual([])
    expect(matchKnownIssues(facts({ failedKbs: [issue.kb], branchId: 'no-such-branch' }))).toEqual([])
    const unknownBranch = matchKnownIssues(facts({ failedKbs: [issue.kb] }))
    expect(unknownBranch).toEqual([
      {
        issue,
        kb: issue.kb,
        strength: 'weak',
        notNeeded: false,
        why: [`${issue.kb} failed on this PC.`],
        resolved: false,
        via: 'code',
      },
    ])
    expect(matchKnownIssues(facts({ failedKbs: [issue.kb], branchId: branch, codes: [code] }))).toEqual([
      {
        issue,
        kb: issue.kb,
        strength: 'strong',
        notNeeded: false,
        resolved: false,
        why: [`${issue.kb} failed on this PC with ${code}.`, `This PC's branch (${branch}) is one the issue affects.`],
        via: 'code',
      },
    ])
    expect(matchKnownIssues(facts({ failedKbs: [issue.kb], typedCode: code }))[0]!.strength).toBe('strong')
    expect(
      matchKnownIssues(facts({ failedKbs: [issue.kb], codes: ['0x80070002'], typedCode: '0x80070005' }))[0]!.strength,
    ).toBe('weak')
  })

  it('resolved when the resolution KB is installed', () => {
    const issue = byKb('KB5079391')
    expect(issue.resolutionKb).not.toBeNull()
    expect(matchKnownIssues(facts({ failedKbs: [issue.kb], installedKbs: [issue.resolutionKb!] }))[0]!.resolved).toBe(
      true,
    )
    expect(matchKnownIssues(facts({ failedKbs: [issue.kb], installedKbs: ['KB1'] }))[0]!.resolved).toBe(false)
    // Every row with a fix names it now (KB5068781's is KB5072653); another KB installed does not resolve it.
    const other = byKb('KB5068781')
    expect(matchKnownIssues(facts({ failedKbs: [other.kb], installedKbs: ['KB1'] }))[0]!.resolved).toBe(false)
    expect(matchKnownIssues(facts({ failedKbs: [other.kb], installedKbs: ['KB5072653'] }))[0]!.resolved).toBe(true)
  })

  it('a condition the app cannot check is said', () => {
    const issue = byKb('KB5068781')
    expect(issue.affects.condition).toBeTruthy()
    expect(matchKnownIssues(facts({ failedKbs: [issue.kb] }))[0]!.why).toEqual([
      `${issue.kb} failed on this PC.`,
      `Condition: ${issue.affects.condition}`,
    ])
  })

  it('KB5034441-style: reported only when WinRE is already at or above the version on the same base', () => {
    const issue = byKb('KB5034441')
    const want = parseWinreVersion(issue.notNeededWhenWinreAtLeast)!
    expect(issue.onlyWhenNotNeeded).toBe(true)
    const at = (rev: number, base = want[2]) => `10.0.${base}.${rev}`
    const cases: Array<[string | null, boolean]> = [
      [at(want[3]), true],
      [at(want[3] + 1), true],
      [at(want[3] - 1), false],
      [at(want[3] + 1, want[2] + 1), false],
      ['garbage', false],
      [null, false],
    ]
    let ran = 0
    for (const [winreVersion, reported] of cases) {
      const m = matchKnownIssues(facts({ failedKbs: [issue.kb], winreVersion }))
      expect(m.length, String(winreVersion)).toBe(reported ? 1 : 0)
      if (reported)
        expect(m[0]).toMatchObject({
          notNeeded: true,
          why: [
            `${issue.kb} failed on this PC.`,
            `WinRE is ${winreVersion}, at or above ${issue.notNeededWhenWinreAtLeast}: the update is not needed.`,
          ],
        })
      ran++
    }
    expect(ran).toBe(6)
  })
})

describe('targetFact', () => {
  it('a cumulative update the shipped knowledge has: its build, source and verification', () => {
    const u = knownUpdate('KB5043080')!
    expect(u).toMatchObject({ kind: 'lcu', verified: true })
    expect(targetFact('kb5043080')).toEqual({
      kb: 'KB5043080',
      build: u.baseBuild,
      ubr: u.ubr,
      from: 'knowledge',
      verified: true,
      says: `KB5043080 → ${u.baseBuild}.${u.ubr}, from Servicing Desk's knowledge (source ${u.source}).`,
    })
  })

  it('an unverified one says so', () => {
    const u = knownUpdate('KB5124006')!
    expect(u).toMatchObject({ kind: 'lcu', verified: false })
    expect(targetFact('KB5124006')).toEqual({
      kb: 'KB5124006',
      build: u.baseBuild,
      ubr: u.ubr,
      from: 'knowledge',
      verified: false,
      says: `KB5124006 → ${u.baseBuild}.${u.ubr}, from Servicing Desk's knowledge (source ${u.source}) — unverified: one secondary source only.`,
    })
  })

  it('one the refresh overlay added: says the page it was read from', () => {
    const extra: KnownUpdate & { provenance: { origin: 'overlay'; readFrom: string } } = {
      kb: 'KB9999001',
      kind: 'lcu',
      checkpoint: false,
      branchIds: ['win11-24h2'],
      baseBuild: 26100,
      ubr: 9999,
      released: '2026-12-08',
      title: 't',
      prerequisites: [],
      source: 'S1',
      verified: true,
      provenance: { origin: 'overlay', readFrom: 'https://support.microsoft.com/x' },
    }
    applyOverlayUpdates([extra])
    expect(targetFact('KB9999001')).toEqual({
      kb: 'KB9999001',
      build: 26100,
      ubr: 9999,
      from: 'overlay',
      verified: true,
      says: 'KB9999001 → 26100.9999, from the refreshed knowledge (read from https://support.microsoft.com/x).',
    })
  })

  it('a known KB that is not a cumulative update falls through to the title', () => {
    const safeOs = knownUpdate('KB5089593')!
    expect(safeOs.kind).not.toBe('lcu')
    expect(targetFact('KB5089593').from).toBe('none')
  })

  it('an unknown KB: the build from its Catalog title (hand-made KB9999002 title in the 2026 form), only when the title names the same KB', () => {
    const title =
      '2026-12 Cumulative Update for Windows 11, version 24H2 for x64-based Systems (KB9999002) (26100.9999)'
    expect(targetFact('KB9999002', { title })).toEqual({
      kb: 'KB9999002',
      build: 26100,
      ubr: 9999,
      from: 'catalog-title',
      verified: true,
      says: `KB9999002 → 26100.9999, from its Microsoft Update Catalog title "${title}".`,
    })
    expect(targetFact('KB9999003', { title }).from).toBe('none')
  })

  it('no build known: says whether a title exists and whether the file names confirm the KB', () => {
    const real = loadFixture('catalog/titles-24h2-2026-wimforge.txt').text
    const oldForm = /T = '([^']+)'/.exec(real)![1]!.replace(/\s*\(\d{5}\.\d+\)$/, '')
    expect(targetFact('KB9999004')).toEqual({
      kb: 'KB9999004',
      build: null,
      ubr: null,
      from: 'none',
      verified: false,
      says: "KB9999004 is not in Servicing Desk's knowledge and no Catalog title is known: the expected build is unknown, so the install is verified by the package state alone.",
    })
    expect(targetFact('KB9999004', { title: oldForm, fileNames: ['windows11.0-kb9999004-x64_0123.msu'] }).says).toBe(
      "KB9999004 is not in Servicing Desk's knowledge and its Catalog title names no build (its file names confirm only the KB and architecture): the expected build is unknown, so the install is verified by the package state alone.",
    )
    expect(targetFact('KB9999004', { fileNames: ['other.msu'] }).says).not.toMatch(/file names/)
  })
})

describe('winre-targets', () => {
  let t24: ReturnType<typeof winreTargetForBranch> & object
  beforeAll(() => {
    t24 = winreTargetForBranch('win11-24h2')!
  })

  it('every target has a dated source; a KB gives its WinRE version, examples included', () => {
    expect(winreTargetsAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(allWinreTargets().length).toBeGreaterThanOrEqual(5)
    expect(winreUpdateByKb(t24.kb.toLowerCase())).toMatchObject({
      kb: t24.kb,
      winreVersion: t24.winreVersion,
      servicingBase: t24.servicingBase,
    })
    expect(winreUpdateByKb('KB5034441')).toMatchObject({ winreVersion: '10.0.19041.3920', servicingBase: 19041 })
    const noVersion = allWinreTargets().find((t) => t.winreVersion === null)!
    expect(winreUpdateByKb(noVersion.kb)).toBeNull()
    expect(winreUpdateByKb('KB1')).toBeNull()
    expect(winreTargetForBranch('no-such-branch')).toBeNull()
  })

  it('parses a dotted quad only, allowing blanks around it', () => {
    expect(parseWinreVersion(' 10.0.26100.8455 ')).toEqual([10, 0, 26100, 8455])
    for (const bad of ['10.0.26100', '10.0.26100.1.2', 'v10.0.26100.1', '10.0.26100.x', '', null])
      expect(parseWinreVersion(bad), String(bad)).toBeNull()
  })

  it('current and stale, with whole reasons, at the boundary', () => {
    const want = parseWinreVersion(t24.winreVersion)!
    const at = `10.0.${want[2]}.${want[3]}`
    const below = `10.0.${want[2]}.${want[3] - 1}`
    expect(winreVerdict(26100, ` ${at} `)).toEqual({
      verdict: 'current',
      branchId: 'win11-24h2',
      target: t24,
      installed: at,
      reason: `WinRE ${at} is at or above ${t24.winreVersion} from ${t24.kb}.`,
    })
    expect(winreVerdict(26100, below)).toEqual({
      verdict: 'stale',
      branchId: 'win11-24h2',
      target: t24,
      installed: below,
      reason: `WinRE ${below} is older than ${t24.winreVersion}; ${t24.kb} (Safe OS Dynamic Update, ${t24.released}) brings it current.`,
    })
    const unverified = allWinreTargets().find((t) => !t.verified && t.winreVersion)!
    expect(unverified.branchIds).toContain('win10-22h2')
    expect(winreVerdict(19045, unverified.winreVersion!).reason).toBe(
      `WinRE ${unverified.winreVersion} is at or above ${unverified.winreVersion} from ${unverified.kb} (the target version is unverified).`,
    )
  })

  it('unknown, with the whole reason, for each missing piece', () => {
    expect(winreVerdict(null, '10.0.26100.1')).toEqual({
      verdict: 'unknown',
      branchId: null,
      target: null,
      installed: '10.0.26100.1',
      reason: 'The Windows build is unknown, so the expected WinRE version is unknown.',
    })
    expect(winreVerdict(12345, ' ')).toEqual({
      verdict: 'unknown',
      branchId: null,
      target: null,
      installed: null,
      reason: `Build 12345 is not in the knowledge data (as of ${winreTargetsAsOf}).`,
    })
    expect(winreVerdict(26100, null)).toMatchObject({
      verdict: 'unknown',
      branchId: 'win11-24h2',
      target: t24,
      installed: null,
      reason: 'The WinRE version could not be read (no WinREVersion value, and winre.wim could not be inspected).',
    })
    expect(winreVerdict(26100, '10.0.26100')).toMatchObject({
      verdict: 'unknown',
      installed: '10.0.26100',
      reason: '"10.0.26100" is not a WinRE version (expected 10.0.<base>.<revision>).',
    })
    const b = branchForBuild(26100)!
    expect(winreVerdict(26100, '10.0.22621.9999').reason).toBe(
      `WinRE reports base 22621 but ${b.product} ${b.displayVersion} is serviced on base ${t24.servicingBase}; this WinRE image belongs to another Windows build.`,
    )
    const noVersion = allWinreTargets().find((t) => t.winreVersion === null)!
    const nb = branchForBuild(noVersion.servicingBase)!
    expect(winreTargetForBranch(nb.id)).toBe(noVersion)
    expect(winreVerdict(noVersion.servicingBase, `10.0.${noVersion.servicingBase}.1`).reason).toBe(
      `${noVersion.kb} is the newest Safe OS update for ${nb.displayVersion}, but no source gives the WinRE version it installs.`,
    )
  })

  it('a branch without a target: the data’s gap note, else "no Safe OS update is known"', () => {
    // Server 2025 has its own target now (KB5071844); the gap note path is taken by a branch the data lists as silent.
    expect(winreGaps.some((g) => g.branchIds.includes('server-2025'))).toBe(false)
    expect(
      winreVerdict(26100, '10.0.26100.1', { ubr: 32000, edition: 'ServerStandard', productName: null }),
    ).toMatchObject({ branchId: 'server-2025', target: { kb: 'KB5071844' } })
    const b22000 = branchForBuild(22000)!
    expect(winreTargetForBranch(b22000.id)).toBeNull()
    expect(winreVerdict(22000, '10.0.22000.1').reason).toBe(
      `No Safe OS update for ${b22000.product} ${b22000.displayVersion} is known (as of ${winreTargetsAsOf}); the branch may be out of servicing.`,
    )
  })
})
