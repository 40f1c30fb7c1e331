/**
 * How current the knowledge is: the newest Patch Tuesday (second Tuesday of the month, computed from today's
 * date), the newest update known per branch and its age, and a calm warning when the knowledge is more than
 * 35 days older than the newest Patch Tuesday. Pure given `today`.
 */
import { allBranches, newestUpdateForBranch, servicingChainsAsOf, knowledgeGaps, type Provenance } from './servicing-chains.ts'

export const STALE_AFTER_DAYS = 35
const DAY = 86_400_000

/** The second Tuesday of a month (UTC), as YYYY-MM-DD. */
export function patchTuesday(year: number, month1to12: number): string {
  const first = new Date(Date.UTC(year, month1to12 - 1, 1))
  const firstTuesday = 1 + ((2 - first.getUTCDay() + 7) % 7)
  return new Date(Date.UTC(year, month1to12 - 1, firstTuesday + 7)).toISOString().slice(0, 10)
}

/** The newest Patch Tuesday on or before `today`. */
export function latestPatchTuesday(today: Date): string {
  const y = today.getUTCFullYear()
  const m = today.getUTCMonth() + 1
  const thisMonth = patchTuesday(y, m)
  if (thisMonth <= today.toISOString().slice(0, 10)) return thisMonth
  return m === 1 ? patchTuesday(y - 1, 12) : patchTuesday(y, m - 1)
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY)
}

export interface BranchCurrency {
  branchId: string
  product: string
  displayVersion: string
  newest: { kb: string; released: string; build: string; verified: boolean; outOfBand: boolean; origin: Provenance['origin']; source: string } | null
  /** Days from the newest known update to today. */
  ageDays: number | null
  /** Months the sources are silent on, per the data. */
  silent: string[]
}

export interface KnowledgeFreshness {
  asOf: string
  today: string
  latestPatchTuesday: string
  /** Days the knowledge (asOf) is older than the newest Patch Tuesday; 0 or less = up to date. */
  behindDays: number
  stale: boolean
  warning: string | null
  branches: BranchCurrency[]
}

export function knowledgeFreshness(today: Date = new Date(), asOf: string = servicingChainsAsOf): KnowledgeFreshness {
  const todayIso = today.toISOString().slice(0, 10)
  const pt = latestPatchTuesday(today)
  const behind = daysBetween(asOf, pt)
  const stale = behind > STALE_AFTER_DAYS
  const branches = allBranches().map((b): BranchCurrency => {
    const u = newestUpdateForBranch(b.id)
    const build = b.builds[0]
    return {
      branchId: b.id, product: b.product, displayVersion: b.displayVersion,
      newest: u ? { kb: u.kb, released: u.released, build: `${build}.${u.ubr}`, verified: u.verified, outOfBand: u.outOfBand === true, origin: u.provenance?.origin ?? 'shipped', source: u.source } : null,
      ageDays: u ? daysBetween(u.released, todayIso) : null,
      silent: knowledgeGaps.filter((g) => g.branchIds.includes(b.id)).flatMap((g) => g.months),
    }
  })
  return {
    asOf, today: todayIso, latestPatchTuesday: pt, behindDays: behind, stale,
    warning: stale
      ? `Servicing Desk's update knowledge is from ${asOf}, ${behind} days before the latest Patch Tuesday (${pt}). Newer updates may exist that it does not know; run "knowledge refresh" on a PC with internet, or check the Microsoft update history pages.`
      : null,
    branches,
  }
}
