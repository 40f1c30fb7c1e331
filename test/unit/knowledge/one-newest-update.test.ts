/**
 * "One build, two numbers": every surface names the SAME newest update for a branch — `knowledge`
 * (freshness), the Overview's update chain (the picture's last step), the installation media's default target,
 * and the training Catalog, which must be able to serve it (for the PC's architecture, titled with the PC's own
 * build). Before, 24H2 media were judged against KB5129195 (26100.9457) while the Overview and `knowledge` named
 * the optional preview KB5124010 (26100.9550), which the training Catalog could not find; and a Server 2025 PC's
 * Overview drew Windows 11 24H2's chain (the chain was asked by build alone).
 */
import { describe, it, expect } from 'vitest'
import {
  allBranches,
  branchForBuild,
  machineContext,
  newestUpdateForBranch,
  newerPreviewForBranch,
} from '../../../main/knowledge/servicing-chains.ts'
import { knowledgeFreshness } from '../../../main/knowledge/freshness.ts'
import { chainOfBuild } from '../../../main/report/chain-of-build.ts'
import { chainItems } from '../../../renderer/src/components/chain-items.ts'
import { mediumTargetLcu } from '../../../main/media/read.ts'
import { buildDataSet } from '../../../main/catalog/local-catalog/data-set.ts'
import { buildFromTitle } from '../../../main/parse/title-build.ts'
import { targetFact } from '../../../main/knowledge/catalog-target.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { chainInputOf } from '../../../renderer/src/stores/chain-store.ts'
import { ServicingChainInputSchema, servicingChainKey } from '../../../preload/model/servicing-chain.ts'

const TODAY = new Date('2026-11-24T12:00:00Z')

describe('one newest update per branch, on every surface', () => {
  const fresh = knowledgeFreshness(TODAY)

  it('knowledge, the Overview chain and the media target name the same update for every branch', () => {
    let compared = 0
    for (const b of allBranches()) {
      const newest = newestUpdateForBranch(b.id)?.kb ?? null
      const surfaces: Record<string, string | null> = {
        knowledge: fresh.branches.find((x) => x.branchId === b.id)?.newest?.kb ?? null,
        media: mediumTargetLcu(b.id)?.kb ?? null,
      }
      // The Overview asks with the PC's edition too: a Server 2025 PC (26100) gets Server 2025's chain, not 24H2's.
      const os =
        b.match?.edition === 'server'
          ? { ubr: null, edition: 'ServerDatacenter', productName: 'Windows Server 2025 Datacenter' }
          : undefined
      expect(branchForBuild(b.builds[0], machineContext(os))?.id, b.id).toBe(b.id)
      const items = chainItems(chainOfBuild(b.builds[0], os), null, new Set(), b.builds[0])
      surfaces.overview = items.length ? items[items.length - 1].kb : null
      for (const [surface, kb] of Object.entries(surfaces)) {
        expect(kb, `${b.id}: ${surface}`).toBe(newest)
        compared++
      }
    }
    expect(compared).toBe(allBranches().length * 3)
  })

  it('the Overview asks for the chain with the PC’s edition: a Server 2025 PC and a 24H2 PC on 26100 get their own chains (and cache entries)', () => {
    const server = chainInputOf({
      build: 26100,
      ubr: 32995,
      edition: 'ServerDatacenter',
      productName: 'Windows Server 2025 Datacenter',
    })
    const client = chainInputOf({ build: 26100, ubr: 8655, edition: 'Professional', productName: 'Windows 10 Pro' })
    expect(ServicingChainInputSchema.parse(server)).toEqual(server)
    expect(servicingChainKey(server)).not.toBe(servicingChainKey(client))
    expect(chainOfBuild(server.build, server).branch?.id).toBe('server-2025')
    expect(chainOfBuild(client.build, client).branch?.id).toBe('win11-24h2')
    expect(chainOfBuild(26100).branch?.id).toBe('win11-24h2') // build alone: taken as 24H2, as before
  })

  it('the newest update is never an optional preview; a newer preview is named apart', () => {
    expect(newestUpdateForBranch('win11-24h2')).toMatchObject({ kb: 'KB5129195', ubr: 9457, released: '2026-09-14' })
    expect(newestUpdateForBranch('win11-24h2')?.preview).toBeFalsy()
    expect(newerPreviewForBranch('win11-24h2')).toMatchObject({ kb: 'KB5124010', ubr: 9550 })
    for (const b of allBranches()) expect(newestUpdateForBranch(b.id)?.preview ?? false, b.id).toBe(false)
    expect(fresh.branches.find((x) => x.branchId === 'win11-25h2')).toMatchObject({
      newest: { kb: 'KB5129195', build: '26200.9457' },
      newerPreview: { kb: 'KB5124010', build: '26200.9550' },
    })
  })

  it('the training Catalog serves the newest update of every training machine’s branch, titled with the machine’s own build, and the install plan expects that build', () => {
    const catalog = buildDataSet()
    let checked = 0
    for (const p of trainingProfiles) {
      const branch = branchForBuild(
        p.os.currentBuild,
        machineContext({ ubr: p.os.ubr, productName: p.os.productName, edition: p.os.editionId }),
      )
      const newest = branch ? newestUpdateForBranch(branch.id) : null
      expect(newest, p.name).not.toBeNull()
      const rows = catalog.filter((u) => u.kb === newest!.kb && u.arch === p.os.nativeArch)
      expect(rows.length, `${p.name}: ${newest!.kb} for ${p.os.nativeArch} in the training Catalog`).toBeGreaterThan(0)
      expect(
        rows.map((u) => buildFromTitle(u.title)),
        `${p.name}: ${newest!.kb} titled for ${p.os.currentBuild}`,
      ).toContainEqual({ build: p.os.currentBuild, ubr: newest!.ubr })
      expect(targetFact(newest!.kb)).toMatchObject({ ubr: newest!.ubr })
      checked++
    }
    expect(checked).toBe(trainingProfiles.length)
  })
})
