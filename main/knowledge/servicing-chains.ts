/**
 * Servicing chains: which branch a build belongs to and which checkpoint updates a later LCU needs.
 *
 * Since Windows 11 24H2, a cumulative update after a checkpoint installs only on a PC that already has
 * that checkpoint (KB5043080, 26100.1742). See learn.microsoft.com/windows/deployment/update/catalog-checkpoint-cumulative-updates.
 */
import data from './data/servicing-chains.json' with { type: 'json' }

export interface Branch {
  id: string
  product: string
  displayVersion: string
  builds: number[]
  servicingBase: number
  checkpoints: string[]
  source: string
  note?: string
}

export interface KnownUpdate {
  kb: string
  kind: 'lcu' | 'ssu' | 'safe-os' | 'other'
  checkpoint: boolean
  branchIds: string[]
  baseBuild: number
  ubr: number
  released: string
  title: string
  prerequisites: string[]
  source: string
  verified: boolean
  /** Released outside Patch Tuesday (out-of-band). */
  outOfBand?: boolean
  /** An optional non-security preview release. */
  preview?: boolean
  note?: string
}

export const servicingChainsAsOf: string = data.asOf
export const servicingChainSources: Record<string, string> = data.sources

const branches = data.branches as Branch[]
const updates = data.updates as KnownUpdate[]

/** The branch a build number belongs to (26200 → 25H2), or null for an unknown build. */
export function branchForBuild(build: number | null | undefined): Branch | null {
  if (build == null) return null
  return branches.find((b) => b.builds.includes(build)) ?? null
}

export function branchById(id: string): Branch | null {
  return branches.find((b) => b.id === id) ?? null
}

export function knownUpdate(kb: string): KnownUpdate | null {
  const norm = kb.toUpperCase().startsWith('KB') ? kb.toUpperCase() : `KB${kb}`
  return updates.find((u) => u.kb === norm) ?? null
}

export function allKnownUpdates(): readonly KnownUpdate[] {
  return updates
}

/**
 * The prerequisite checkpoints of an update, in install order (oldest first), following each
 * checkpoint's own prerequisites.
 */
export function checkpointChain(kb: string): KnownUpdate[] {
  const seen = new Set<string>()
  const out: KnownUpdate[] = []
  const visit = (k: string) => {
    const u = knownUpdate(k)
    if (!u || seen.has(u.kb)) return
    seen.add(u.kb)
    for (const p of u.prerequisites) visit(p)
    out.push(u)
  }
  const target = knownUpdate(kb)
  if (!target) return []
  for (const p of target.prerequisites) visit(p)
  return out.filter((u) => u.checkpoint).sort((a, b) => a.ubr - b.ubr)
}

/**
 * Whether a PC at build.ubr has its branch's latest checkpoint. On 26100/26200 a UBR at or above the
 * checkpoint's implies its content is present (a later CU installs only on top of it) — inference from S19.
 */
export function checkpointStatus(build: number | null, ubr: number | null): {
  kb: string | null; build: number | null; ubr: number | null; present: boolean | null; reason: string
} {
  const branch = branchForBuild(build)
  if (!branch) return { kb: null, build: null, ubr: null, present: null, reason: `Build ${build ?? 'unknown'} is not in the servicing-chain knowledge (as of ${data.asOf}).` }
  if (branch.checkpoints.length === 0) return { kb: null, build: null, ubr: null, present: true, reason: `${branch.product} ${branch.displayVersion} has no checkpoint cumulative update.` }
  const cps = branch.checkpoints.map((k) => knownUpdate(k)).filter((u): u is KnownUpdate => u !== null).sort((a, b) => a.ubr - b.ubr)
  const latest = cps[cps.length - 1]
  if (ubr == null) return { kb: latest.kb, build: latest.baseBuild, ubr: latest.ubr, present: null, reason: 'The UBR is unknown, so the checkpoint cannot be judged.' }
  const present = ubr >= latest.ubr
  return {
    kb: latest.kb, build: latest.baseBuild, ubr: latest.ubr, present,
    reason: present
      ? `UBR ${ubr} is at or above the checkpoint ${latest.kb} (${latest.baseBuild}.${latest.ubr}).`
      : `UBR ${ubr} is below the checkpoint ${latest.kb} (${latest.baseBuild}.${latest.ubr}); later cumulative updates need it first.`,
  }
}
