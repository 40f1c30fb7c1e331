/**
 * Where a machine stands on its servicing chain: each known cumulative update of its branch, marked
 * installed (at or below the machine's LCU level), missing (a checkpoint the later updates need),
 * failed (the history shows a failed attempt) or not installed. Pure.
 *
 * Since 24H2 a later LCU installs only on top of its checkpoint (KB5043080, 26100.1742):
 * learn.microsoft.com/windows/deployment/update/catalog-checkpoint-cumulative-updates.
 */
import type { ServicingChain } from '../../../preload/model/servicing-chain.ts'

export type ChainItemState = 'installed' | 'staged' | 'missing' | 'failed' | 'not-installed'

/**
 * The cumulative updates (by UBR) installed and waiting for a restart to finish: a Package_for_RollupFix package in
 * state Install Pending or Staged. The PC's level is still the one below it until the restart.
 */
export function stagedUbrs(packages: ReadonlyArray<{ identity: string; state: string }>): Set<number> {
  const out = new Set<number>()
  for (const p of packages) {
    if (p.state !== 'install-pending' && p.state !== 'staged') continue
    const m = /^Package_for_RollupFix~[^~]*~[^~]*~[^~]*~\d+\.(\d+)\./i.exec(p.identity)
    if (m) out.add(Number(m[1]))
  }
  return out
}

export interface ChainItem {
  kb: string
  build: string
  ubr: number
  checkpoint: boolean
  released: string
  state: ChainItemState
}

/**
 * `build` is the machine's build: branches that share a servicing base (24H2 26100 and 25H2 26200)
 * get the same monthly update at the same UBR, so a 25H2 PC shows 26200.x, not the knowledge's 26100.x.
 * A checkpoint keeps its own build: KB5043080 is 26100.1742 on every PC that needs it (it predates 25H2).
 */
/**
 * The updates whose newest install attempt failed: a failed uninstall (x64-lcu-uninstall-blocked's
 * KB5094126) is not a failed install of it, and a later successful install clears an earlier failure.
 */
export function failedInstallKbs(
  history: ReadonlyArray<{ kb: string | null; operation: string; result: string; date: string | null }>,
): Set<string> {
  const newest = new Map<string, { result: string; date: string }>()
  for (const h of history) {
    if (!h.kb || h.operation !== 'install') continue
    const seen = newest.get(h.kb)
    if (!seen || (h.date ?? '') > seen.date) newest.set(h.kb, { result: h.result, date: h.date ?? '' })
  }
  return new Set([...newest].filter(([, h]) => h.result === 'failed' || h.result === 'aborted').map(([kb]) => kb))
}

export function chainItems(
  chain: ServicingChain,
  currentUbr: number | null,
  failedKbs: ReadonlySet<string>,
  build: number | null = null,
  staged: ReadonlySet<number> = new Set(),
): ChainItem[] {
  const all = chain.updates.map((u) => {
    const installed = currentUbr !== null && u.ubr <= currentUbr
    const state: ChainItemState = installed
      ? 'installed'
      : staged.has(u.ubr) && !u.checkpoint
        ? 'staged'
        : u.checkpoint
          ? 'missing'
          : failedKbs.has(u.kb)
            ? 'failed'
            : 'not-installed'
    return {
      kb: u.kb,
      build: `${u.checkpoint ? u.baseBuild : (build ?? u.baseBuild)}.${u.ubr}${u.verified === false ? ' (unverified)' : ''}`,
      ubr: u.ubr,
      checkpoint: u.checkpoint,
      released: u.released,
      state,
    }
  })
  return shortChain(all)
}

/**
 * The knowledge lists every monthly update of a branch (a dozen or more); the picture keeps what matters to
 * this PC: the checkpoints, the update it is at, the next one, any that failed, and the newest known.
 */
function shortChain(items: ChainItem[]): ChainItem[] {
  if (items.length <= 6) return items
  const at = items.reduce((acc, it, i) => (it.state === 'installed' && !it.checkpoint ? i : acc), -1)
  const keep = new Set<number>([items.length - 1])
  items.forEach((it, i) => {
    if (it.checkpoint || it.state === 'failed' || it.state === 'staged') keep.add(i)
  })
  if (at >= 0) keep.add(at)
  if (at + 1 < items.length && at >= -1) keep.add(at + 1)
  return items.filter((_, i) => keep.has(i))
}

/** Index after which the "this PC" marker sits (−1: before the first update). */
export function positionOf(items: readonly ChainItem[], currentUbr: number | null): number {
  if (currentUbr === null) return -1
  let at = -1
  items.forEach((it, i) => {
    if (it.ubr <= currentUbr) at = i
  })
  return at
}
