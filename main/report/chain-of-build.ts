/**
 * A build's servicing chain as the UI draws it (checkpoint → cumulative updates), from the
 * servicing-chain knowledge (`main/knowledge/servicing-chains.ts`).
 */
import {
  allKnownUpdates,
  branchForBuild,
  machineContext,
  newestUpdateForBranch,
  servicingChainsAsOf,
} from '../knowledge/servicing-chains.ts'
import type { ServicingChain } from '../../preload/model/servicing-chain.ts'
import { knowledgeFreshness } from '../knowledge/freshness.ts'

/**
 * `os`: what else the PC says about itself (UBR, edition, product name). Build 26100 is Windows 11 24H2 or Windows
 * Server 2025: with it, a Server 2025 PC gets Server 2025's chain and newest update, as `knowledge` names them.
 */
export function chainOfBuild(
  build: number | null,
  os?: { ubr?: number | null; edition?: string | null; productName?: string | null },
): ServicingChain {
  const branch = branchForBuild(build, machineContext(os))
  const knowledgeWarning = knowledgeFreshness(new Date()).warning
  if (!branch) return { asOf: servicingChainsAsOf(), branch: null, updates: [], knowledgeWarning }
  // The chain ends at THE newest update of the branch (the one `knowledge`, media and the Catalog name): an
  // optional preview released after it is not drawn as a newer step.
  const newest = newestUpdateForBranch(branch.id)
  const updates = allKnownUpdates()
    .filter(
      (u) =>
        u.branchIds.includes(branch.id) && u.kind === 'lcu' && !(u.preview && newest && u.released > newest.released),
    )
    .map((u) => ({
      kb: u.kb,
      kind: u.kind,
      checkpoint: u.checkpoint,
      baseBuild: u.baseBuild,
      ubr: u.ubr,
      released: u.released,
      title: u.title,
      prerequisites: [...u.prerequisites],
      verified: u.verified,
    }))
    .sort((a, b) => a.ubr - b.ubr)
  return {
    asOf: servicingChainsAsOf(),
    branch: {
      id: branch.id,
      product: branch.product,
      displayVersion: branch.displayVersion,
      checkpoints: [...branch.checkpoints],
    },
    updates,
    knowledgeWarning,
  }
}
