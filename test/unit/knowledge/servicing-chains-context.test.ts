/**
 * machineContext (mutation testing): the one way a caller turns OS facts into the MachineContext
 * every branch/checkpoint look-up takes, so a Server 2025 PC on 26100 is never judged as Windows 11 24H2.
 */
import { describe, expect, it, vi } from 'vitest'
import { branchForBuild, checkpointStatus, machineContext } from '../../../main/knowledge/servicing-chains.ts'

describe('machineContext', () => {
  it('no facts: no context', () => {
    expect(machineContext(null)).toBeUndefined()
    expect(machineContext(undefined)).toBeUndefined()
  })

  it('copies UBR, product name and edition, missing ones as null', () => {
    expect(machineContext({})).toEqual({ ubr: null, productName: null, edition: null })
    expect(machineContext({ ubr: 0, productName: '', edition: '' })).toEqual({ ubr: 0, productName: '', edition: '' })
    expect(
      machineContext({ ubr: 32370, productName: 'Windows Server 2025 Datacenter', edition: 'ServerDatacenter' }),
    ).toEqual({ ubr: 32370, productName: 'Windows Server 2025 Datacenter', edition: 'ServerDatacenter' })
  })

  it('keeps the installation type only when the caller gave one (null included)', () => {
    expect(machineContext({ installationType: 'Server Core' })).toEqual({
      ubr: null,
      productName: null,
      edition: null,
      installationType: 'Server Core',
    })
    expect(machineContext({ installationType: null })).toEqual({
      ubr: null,
      productName: null,
      edition: null,
      installationType: null,
    })
    expect(Object.keys(machineContext({ ubr: 1 })!)).toEqual(['ubr', 'productName', 'edition'])
  })

  it('decides the branch as the look-ups read it: a Server edition or installation type makes 26100 Server 2025', () => {
    expect(branchForBuild(26100, machineContext({ edition: 'ServerStandard' }))?.id).toBe('server-2025')
    expect(branchForBuild(26100, machineContext({ installationType: 'Server Core' }))?.id).toBe('server-2025')
    expect(branchForBuild(26100, machineContext({ ubr: 32370 }))?.id).toBe('server-2025')
    expect(branchForBuild(26100, machineContext({ edition: 'Professional', ubr: 32370 }))?.id).toBe('win11-24h2')
    expect(checkpointStatus(26100, 1150, machineContext({ edition: 'Professional' }))).toMatchObject({
      kb: 'KB5043080',
      present: false,
    })
  })
})

describe('servicing-chains: module-level data, read from a freshly loaded module', () => {
  it('the shipped updates carry their provenance; branches and gaps are listed', async () => {
    // Module-level values are built once per load: load the module again so a test reads them as they are now.
    vi.resetModules()
    const fresh = await import('../../../main/knowledge/servicing-chains.ts')
    expect(fresh.allKnownUpdates().find((u) => u.kb === 'KB5043080')).toMatchObject({
      kind: 'lcu',
      baseBuild: 26100,
      ubr: 1742,
      provenance: { origin: 'shipped' },
    })
    expect(fresh.allKnownUpdates().every((u) => u.provenance?.origin === 'shipped')).toBe(true)
    expect(fresh.allBranches().map((b) => b.id)).toEqual(
      expect.arrayContaining(['win11-24h2', 'win11-25h2', 'server-2025', 'win10-22h2']),
    )
    expect(Array.isArray(fresh.knowledgeGaps())).toBe(true)
    expect(fresh.knowledgeGaps().every((g) => g.branchIds.length > 0 && g.note.length > 0)).toBe(true)
  })
})
