/**
 * WinRE targets: which Safe OS Dynamic Update brings each branch's recovery environment current, and
 * the WinRE version it leaves behind; plus the verdict `current` / `stale` / `unknown` for a PC.
 *
 * Why compare against the servicing base: WinRE reports the base build, not the marketing build
 * (Windows 10 22H2 → 10.0.19041.x, 23H2 → 10.0.22621.x, 24H2/25H2 → 10.0.26100.x; servicing-facts §4,
 * KB5034441's WinREVersion check). Data: `data/winre-targets.json` (asOf + sources; unverified rows flagged).
 */
import data from './data/winre-targets.json' with { type: 'json' }
import { branchForBuild, type MachineContext } from './servicing-chains.ts'

export interface WinreTarget {
  branchIds: string[]
  kb: string
  released: string
  /** WinRE version after the update, or null when no source gives it. */
  winreVersion: string | null
  servicingBase: number
  verified: boolean
  source: string
  note?: string
}

export const winreTargetsAsOf: string = data.asOf
/** Where the sources are silent (no Safe OS update after May 2026, none for Server 2025 / 26H2). */
export const winreGaps = (data as { gaps?: Array<{ branchIds: string[]; note: string }> }).gaps ?? []
export const winreTargetSources: Record<string, string> = data.sources
const targets = data.targets as WinreTarget[]

/** Every Safe OS target, newest set first as listed in the data. */
export function allWinreTargets(): readonly WinreTarget[] {
  return targets
}

/**
 * The WinRE update a KB is, with the WinRE version it brings: a current target, or an earlier one the data
 * lists as an example (KB5034441, January 2024). Null for a KB that is not a WinRE update or whose version
 * no source gives. The servicing base is the version's third field.
 */
export function winreUpdateByKb(kb: string): (WinreTarget & { winreVersion: string }) | null {
  const want = kb.toUpperCase()
  const examples = (data.examples ?? []) as Array<Omit<WinreTarget, 'servicingBase'> & { servicingBase?: number }>
  for (const t of [...targets, ...examples]) {
    if (t.kb !== want || !t.winreVersion) continue
    const v = parseWinreVersion(t.winreVersion)
    if (!v) continue
    return { ...t, servicingBase: t.servicingBase ?? v[2], winreVersion: t.winreVersion }
  }
  return null
}

/**
 * The Safe OS Dynamic Update a medium updated to a cumulative update of `month` (YYYY-MM) takes: the branch's Safe OS
 * update of that month, or the most recent one not newer ("Update Windows media with Dynamic Update": the Safe OS and
 * Setup Dynamic Updates of the cumulative update's month). `exact` says which; null when none is known that early.
 */
export function safeOsForMonth(branchId: string, month: string): { update: WinreTarget; exact: boolean } | null {
  const examples = (data.examples ?? []) as Array<
    Omit<WinreTarget, 'servicingBase'> & { servicingBase?: number; safeOsDynamicUpdate?: boolean }
  >
  const all: WinreTarget[] = [
    ...targets,
    ...examples
      .filter((e) => e.safeOsDynamicUpdate !== false)
      .map((e) => ({ ...e, servicingBase: e.servicingBase ?? parseWinreVersion(e.winreVersion)?.[2] ?? 0 })),
  ]
  const fits = all.filter((t) => t.branchIds.includes(branchId) && t.released.slice(0, 7) <= month)
  const best = fits.sort((a, b) => (a.released < b.released ? 1 : a.released > b.released ? -1 : 0))[0]
  return best ? { update: best, exact: best.released.slice(0, 7) === month } : null
}

export function winreTargetForBranch(branchId: string): WinreTarget | null {
  return targets.find((t) => t.branchIds.includes(branchId)) ?? null
}

export type WinreVerdict =
  | { verdict: 'current'; branchId: string; target: WinreTarget; installed: string; reason: string }
  | { verdict: 'stale'; branchId: string; target: WinreTarget; installed: string; reason: string }
  | {
      verdict: 'unknown'
      branchId: string | null
      target: WinreTarget | null
      installed: string | null
      reason: string
    }

/** `10.0.19041.3636` → [10, 0, 19041, 3636]; null for anything that is not a dotted quad. */
export function parseWinreVersion(v: string | null | undefined): [number, number, number, number] | null {
  if (typeof v !== 'string') return null
  const m = /^\s*(\d+)\.(\d+)\.(\d+)\.(\d+)\s*$/.exec(v)
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : null
}

/**
 * Is this PC's WinRE current? `osBuild` is CurrentBuild (19045, 22631, 26200…); `winreVersion` the WinRE
 * image version from the registry, DISM or reagentc. Every `unknown` says why.
 */
export function winreVerdict(
  osBuild: number | null | undefined,
  winreVersion: string | null | undefined,
  ctx?: MachineContext,
): WinreVerdict {
  const installed = typeof winreVersion === 'string' && winreVersion.trim() !== '' ? winreVersion.trim() : null
  if (osBuild == null)
    return {
      verdict: 'unknown',
      branchId: null,
      target: null,
      installed,
      reason: 'The Windows build is unknown, so the expected WinRE version is unknown.',
    }
  const branch = branchForBuild(osBuild, ctx)
  if (!branch)
    return {
      verdict: 'unknown',
      branchId: null,
      target: null,
      installed,
      reason: `Build ${osBuild} is not in the knowledge data (as of ${winreTargetsAsOf}).`,
    }
  const target = winreTargetForBranch(branch.id)
  if (!target) {
    const gap = winreGaps.find((g) => g.branchIds.includes(branch.id))
    return {
      verdict: 'unknown',
      branchId: branch.id,
      target: null,
      installed,
      reason: gap
        ? `${branch.product} ${branch.displayVersion}: ${gap.note}`
        : `No Safe OS update for ${branch.product} ${branch.displayVersion} is known (as of ${winreTargetsAsOf}); the branch may be out of servicing.`,
    }
  }
  if (!installed)
    return {
      verdict: 'unknown',
      branchId: branch.id,
      target,
      installed: null,
      reason: 'The WinRE version could not be read (no WinREVersion value, and winre.wim could not be inspected).',
    }
  const have = parseWinreVersion(installed)
  if (!have)
    return {
      verdict: 'unknown',
      branchId: branch.id,
      target,
      installed,
      reason: `"${installed}" is not a WinRE version (expected 10.0.<base>.<revision>).`,
    }
  if (have[2] !== target.servicingBase) {
    return {
      verdict: 'unknown',
      branchId: branch.id,
      target,
      installed,
      reason: `WinRE reports base ${have[2]} but ${branch.product} ${branch.displayVersion} is serviced on base ${target.servicingBase}; this WinRE image belongs to another Windows build.`,
    }
  }
  const want = parseWinreVersion(target.winreVersion)
  if (!want)
    return {
      verdict: 'unknown',
      branchId: branch.id,
      target,
      installed,
      reason: `${target.kb} is the newest Safe OS update for ${branch.displayVersion}, but no source gives the WinRE version it installs.`,
    }
  const caveat = target.verified ? '' : ' (the target version is unverified)'
  if (have[3] >= want[3])
    return {
      verdict: 'current',
      branchId: branch.id,
      target,
      installed,
      reason: `WinRE ${installed} is at or above ${target.winreVersion} from ${target.kb}${caveat}.`,
    }
  return {
    verdict: 'stale',
    branchId: branch.id,
    target,
    installed,
    reason: `WinRE ${installed} is older than ${target.winreVersion}; ${target.kb} (Safe OS Dynamic Update, ${target.released}) brings it current${caveat}.`,
  }
}
