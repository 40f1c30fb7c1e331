/**
 * Setup Dynamic Updates: per Windows branch and month, the KB that refreshes an installation medium's
 * setup files (`sources\setup.exe` and the binaries Windows Setup uses for feature updates). Data:
 * `data/setup-dus.json` — each row names its Microsoft page and where it was read; months no source names are
 * listed as gaps, so a plan says "none known for this month" instead of guessing one.
 */
import data from './data/setup-dus.json' with { type: 'json' }

export interface SetupDu {
  kb: string
  branchIds: string[]
  /** YYYY-MM: the Catalog month the update belongs to (the month of the cumulative update it goes with). */
  month: string
  released: string | null
  /** Why `released` is null: the sources searched for the day, and when (media plan says it beside the KB). */
  releasedUnknown?: string
  arches: Array<'x64' | 'arm64'>
  /** setup.exe's version after the update, or null when no page we read gives it. */
  setupVersion: string | null
  source: string
  note?: string
}

export interface SetupDuGap {
  branchIds: string[]
  months: string[]
  note: string
}

export const setupDusAsOf: string = data.asOf
export const setupDuSources: Record<string, string> = data.sources
export const setupDuUpdates: string = data.updates
const rows = data.setupDus as SetupDu[]
export const setupDuGaps = data.gaps as SetupDuGap[]

export function allSetupDus(): readonly SetupDu[] {
  return rows
}

/** The Setup DU of a branch for a month (YYYY-MM), or null when no source names one. */
export function setupDuFor(branchId: string, month: string): SetupDu | null {
  return rows.find((r) => r.branchIds.includes(branchId) && r.month === month) ?? null
}

export function setupDuByKb(kb: string): SetupDu | null {
  const want = kb.trim().toUpperCase()
  return rows.find((r) => r.kb === want) ?? null
}

/** Why a branch has no Setup DU for a month: the gap note when the data lists it, else a plain sentence. */
export function setupDuGapReason(branchId: string, month: string): string {
  const gap = setupDuGaps.find(
    (g) => g.branchIds.includes(branchId) && (g.months.length === 0 || g.months.includes(month)),
  )
  return gap
    ? `No Setup Dynamic Update is known for ${branchId} in ${month}: ${gap.note}`
    : `No Setup Dynamic Update is known for ${branchId} in ${month} (as of ${setupDusAsOf}).`
}

/**
 * The Setup Dynamic Update a medium updated to a cumulative update of `month` takes for `arch`: the branch's Setup DU of
 * that month, or the most recent one not newer that a source lists for the architecture ("Update Windows media with
 * Dynamic Update"). `exact` says which; null when none is known that early.
 */
export function setupDuForMonthOrEarlier(
  branchId: string,
  month: string,
  arch: string,
): { du: SetupDu; exact: boolean } | null {
  const best = rows
    .filter((r) => r.branchIds.includes(branchId) && r.month <= month && (r.arches as string[]).includes(arch))
    .sort((a, b) => (a.month < b.month ? 1 : a.month > b.month ? -1 : 0))[0]
  return best ? { du: best, exact: best.month === month } : null
}

/** "KBx's release day is not in the knowledge: why." for a Setup DU no source dates, else null. */
export function setupDuDayUnknown(du: SetupDu): string | null {
  return du.released === null && du.releasedUnknown
    ? `${du.kb}'s release day is not in the knowledge: ${du.releasedUnknown}`
    : null
}
