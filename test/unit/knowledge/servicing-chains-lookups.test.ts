/**
 * The servicing-chain look-ups, one decision per test ("knowledge lookups"): which branch a build
 * is (26100 is both Windows 11 24H2 and Windows Server 2025: edition, then UBR, decide), why, which
 * checkpoints an update needs, whether a PC has its checkpoint, and how the refresh overlay adds updates.
 * Facts used: the shipped data's KB5043080 (24H2 checkpoint, 26100.1742), KB5086672 (26100.8117, needs it),
 * Server 2025 matched by a Server edition or a UBR of 30000 and above, 22631 = Windows 11 23H2.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  applyOverlayUpdates,
  branchById,
  branchForBuild,
  branchReason,
  checkpointChain,
  checkpointStatus,
  knownUpdate,
  newestUpdateForBranch,
  servicingChainsAsOf,
  type KnownUpdate,
} from '../../../main/knowledge/servicing-chains.ts'

afterEach(() => applyOverlayUpdates([]))

describe('knowledge: the branch of a build', () => {
  const cases: [number, Parameters<typeof branchForBuild>[1], string][] = [
    [26100, undefined, 'win11-24h2'],
    [26100, { ubr: 8117 }, 'win11-24h2'],
    [26100, { ubr: 29999 }, 'win11-24h2'],
    [26100, { ubr: 30000 }, 'server-2025'],
    [26100, { edition: 'ServerStandard' }, 'server-2025'],
    [26100, { productName: 'Windows Server 2025 Datacenter' }, 'server-2025'],
    [26100, { installationType: 'Server Core' }, 'server-2025'],
    [26100, { edition: 'Professional', ubr: 32370 }, 'win11-24h2'],
    [26100, { edition: '  ', productName: null, ubr: 32370 }, 'server-2025'],
    [22631, { edition: 'ServerStandard' }, 'win11-23h2'],
    [26200, undefined, 'win11-25h2'],
  ]
  let ran = 0
  for (const [build, ctx, id] of cases) {
    it(`${build} with ${JSON.stringify(ctx ?? null)}: ${id}`, () => {
      ran++
      expect(branchForBuild(build, ctx)?.id).toBe(id)
    })
  }
  it('ran every case', () => expect(ran).toBe(cases.length))
  it('no build or an unknown build: none', () => {
    expect(branchForBuild(null)).toBeNull()
    expect(branchForBuild(undefined)).toBeNull()
    expect(branchForBuild(12345)).toBeNull()
  })
  it('a branch by id, or none', () => {
    expect(branchById('win11-23h2')).toMatchObject({ product: 'Windows 11', displayVersion: '23H2' })
    expect(branchById('nope')).toBeNull()
  })
})

describe('knowledge: why that branch', () => {
  it('one branch for the build', () => {
    expect(branchReason(22631)).toBe('Build 22631 is Windows 11 23H2.')
  })
  it('unknown build', () => {
    expect(branchReason(12345)).toBe(`Build 12345 is not in the knowledge (as of ${servicingChainsAsOf()}).`)
    expect(branchReason(null)).toBe(`Build unknown is not in the knowledge (as of ${servicingChainsAsOf()}).`)
  })
  it('26100 with an edition: the edition decides, and is named', () => {
    expect(branchReason(26100, { edition: 'ServerDatacenter' })).toBe(
      'Build 26100 with a Server edition (ServerDatacenter) is Windows Server 2025.',
    )
    expect(branchReason(26100, { edition: null, productName: 'Windows 11 Pro' })).toBe(
      'Build 26100 with a client edition (Windows 11 Pro) is Windows 11 24H2.',
    )
  })
  it('26100 with a UBR only: the UBR range decides', () => {
    expect(branchReason(26100, { ubr: 32370 })).toBe(
      'Build 26100.32370: the edition is unknown, so the UBR range decides (Server 2025 is serviced on 26100.30000 and above) — Windows Server 2025.',
    )
    expect(branchReason(26100, { ubr: 8117 })).toBe(
      'Build 26100.8117: the edition is unknown, so the UBR range decides (Server 2025 is serviced on 26100.30000 and above) — Windows 11 24H2.',
    )
  })
  it('26100 with nothing: taken as 24H2, saying it could be Server 2025', () => {
    expect(branchReason(26100)).toBe(
      'Build 26100 without edition or UBR: taken as Windows 11 24H2 (it could also be Windows Server 2025).',
    )
  })
})

describe('knowledge: updates and their checkpoints', () => {
  it('a KB by any spelling', () => {
    for (const kb of ['KB5086672', 'kb5086672', '5086672']) expect(knownUpdate(kb)?.kb).toBe('KB5086672')
    expect(knownUpdate('KB1')).toBeNull()
  })
  it('an update after the checkpoint needs KB5043080; the checkpoint itself and a 23H2 update need none', () => {
    expect(checkpointChain('KB5086672').map((u) => u.kb)).toEqual(['KB5043080'])
    expect(checkpointChain('KB5043080')).toEqual([])
    expect(checkpointChain('KB5044285')).toEqual([])
    expect(checkpointChain('KB1')).toEqual([])
  })
})

describe('knowledge: whether a PC has its checkpoint', () => {
  it('24H2 at, below and above 1742; UBR unknown', () => {
    expect(checkpointStatus(26100, 1742)).toEqual({
      kb: 'KB5043080',
      build: 26100,
      ubr: 1742,
      present: true,
      reason: 'UBR 1742 is at or above the checkpoint KB5043080 (26100.1742).',
    })
    expect(checkpointStatus(26100, 1741)).toEqual({
      kb: 'KB5043080',
      build: 26100,
      ubr: 1742,
      present: false,
      reason: 'UBR 1741 is below the checkpoint KB5043080 (26100.1742); later cumulative updates need it first.',
    })
    expect(checkpointStatus(26100, null)).toEqual({
      kb: 'KB5043080',
      build: 26100,
      ubr: 1742,
      present: null,
      reason: 'The UBR is unknown, so the checkpoint cannot be judged.',
    })
  })
  it('a branch without checkpoints: present', () => {
    expect(checkpointStatus(22631, 4317)).toEqual({
      kb: null,
      build: null,
      ubr: null,
      present: true,
      reason: 'Windows 11 23H2 has no checkpoint cumulative update.',
    })
  })
  it('Server 2025 (the sources are silent on its checkpoints): unknown, none assumed', () => {
    expect(checkpointStatus(26100, 32370)).toMatchObject({
      kb: null,
      present: null,
      reason:
        "The sources Servicing Desk holds are silent on Windows Server 2025's checkpoint cumulative updates, so none is assumed.",
    })
    expect(checkpointStatus(26100, 1000, { edition: 'ServerStandard' })).toMatchObject({ present: null })
  })
  it('an unknown build', () => {
    expect(checkpointStatus(12345, 1)).toEqual({
      kb: null,
      build: null,
      ubr: null,
      present: null,
      reason: `Build 12345 is not in the servicing-chain knowledge (as of ${servicingChainsAsOf()}).`,
    })
  })
})

describe('knowledge: the refresh overlay', () => {
  const extra = (over: Partial<KnownUpdate>): KnownUpdate =>
    ({
      kb: 'KB5999001',
      kind: 'lcu',
      checkpoint: false,
      branchIds: ['win11-23h2'],
      baseBuild: 22621,
      ubr: 9999,
      released: '2099-01-13',
      prerequisites: [],
      verified: true,
      source: 'S1',
      ...over,
    }) as KnownUpdate
  it("a new KB is added and becomes the branch's newest; a shipped KB keeps its shipped entry", () => {
    applyOverlayUpdates([extra({}), extra({ kb: 'KB5086672', ubr: 1 })])
    expect(knownUpdate('KB5999001')).toMatchObject({ ubr: 9999 })
    expect(newestUpdateForBranch('win11-23h2')?.kb).toBe('KB5999001')
    expect(knownUpdate('KB5086672')).toMatchObject({ ubr: 8117, provenance: { origin: 'shipped' } })
  })
  it('the newest is by release date, then UBR; only cumulative updates count; none for an unknown branch', () => {
    applyOverlayUpdates([
      extra({ kb: 'KB5999002', ubr: 9998, released: '2099-01-13' }),
      extra({ kb: 'KB5999003', ubr: 10000, released: '2099-01-13' }),
      extra({ kb: 'KB5999004', kind: 'ssu', released: '2099-02-01' }),
    ])
    expect(newestUpdateForBranch('win11-23h2')?.kb).toBe('KB5999003')
    expect(newestUpdateForBranch('no-such-branch')).toBeNull()
  })
  it('overlay applied again replaces the previous overlay', () => {
    applyOverlayUpdates([extra({})])
    applyOverlayUpdates([])
    expect(knownUpdate('KB5999001')).toBeNull()
  })
})
