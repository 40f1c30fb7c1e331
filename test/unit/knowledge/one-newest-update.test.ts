/**
 * Issue 44, "one build, two numbers": every surface names the SAME newest update for a branch — `knowledge`
 * (freshness), the Overview's update chain (the picture's last step), the installation media's default target,
 * and the training Catalog, which must be able to serve it (for the PC's architecture, titled with the PC's own
 * build). Before, 24H2 media were judged against KB5129195 (26100.9457) while the Overview and `knowledge` named
 * the optional preview KB5124010 (26100.9550), which the training Catalog could not find.
 */
import { describe, it, expect } from 'vitest'
import { allBranches, branchForBuild, machineContext, newestUpdateForBranch, newerPreviewForBranch } from '../../../main/knowledge/servicing-chains.ts'
import { knowledgeFreshness } from '../../../main/knowledge/freshness.ts'
import { chainOfBuild } from '../../../main/report/chain-of-build.ts'
import { chainItems } from '../../../renderer/src/components/chain-items.ts'
import { mediumTargetLcu } from '../../../main/media/read.ts'
import { buildDataSet } from '../../../main/catalog/local-catalog/data-set.ts'
import { buildFromTitle } from '../../../main/catalog/title-build.ts'
import { targetFact } from '../../../main/knowledge/catalog-target.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'

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
      // The chain is asked by build alone: Server 2025 shares 26100 with 24H2 and is drawn as 24H2's chain.
      if (branchForBuild(b.builds[0])?.id === b.id) {
        const items = chainItems(chainOfBuild(b.builds[0]), null, new Set(), b.builds[0])
        surfaces.overview = items.length ? items[items.length - 1].kb : null
      }
      for (const [surface, kb] of Object.entries(surfaces)) { expect(kb, `${b.id}: ${surface}`).toBe(newest); compared++ }
    }
    expect(compared).toBeGreaterThanOrEqual(allBranches().length * 2 + 10)
  })

  it('the newest update is never an optional preview; a newer preview is named apart', () => {
    expect(newestUpdateForBranch('win11-24h2')).toMatchObject({ kb: 'KB5129195', ubr: 9457, released: '2026-09-14' })
    expect(newestUpdateForBranch('win11-24h2')?.preview).toBeFalsy()
    expect(newerPreviewForBranch('win11-24h2')).toMatchObject({ kb: 'KB5124010', ubr: 9550 })
    for (const b of allBranches()) expect(newestUpdateForBranch(b.id)?.preview ?? false, b.id).toBe(false)
    expect(fresh.branches.find((x) => x.branchId === 'win11-25h2')).toMatchObject({ newest: { kb: 'KB5129195', build: '26200.9457' }, newerPreview: { kb: 'KB5124010', build: '26200.9550' } })
  })

  it('the training Catalog serves the newest update of every training machine’s branch, titled with the machine’s own build, and the install plan expects that build', () => {
    const catalog = buildDataSet()
    let checked = 0
    for (const p of trainingProfiles) {
      const branch = branchForBuild(p.os.currentBuild, machineContext({ ubr: p.os.ubr, productName: p.os.productName, edition: p.os.editionId }))
      const newest = branch ? newestUpdateForBranch(branch.id) : null
      expect(newest, p.name).not.toBeNull()
      const rows = catalog.filter((u) => u.kb === newest!.kb && u.arch === p.os.nativeArch)
      expect(rows.length, `${p.name}: ${newest!.kb} for ${p.os.nativeArch} in the training Catalog`).toBeGreaterThan(0)
      expect(rows.map((u) => buildFromTitle(u.title)), `${p.name}: ${newest!.kb} titled for ${p.os.currentBuild}`).toContainEqual({ build: p.os.currentBuild, ubr: newest!.ubr })
      expect(targetFact(newest!.kb)).toMatchObject({ ubr: newest!.ubr })
      checked++
    }
    expect(checked).toBe(trainingProfiles.length)
  })
})
