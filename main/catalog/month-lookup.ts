/**
 * The live Catalog beyond the knowledge: a branch's cumulative update, Safe OS or Setup Dynamic Update of one month,
 * found in the Microsoft Update Catalog by its title ("2026-11 Cumulative Update for Windows 11, version 24H2 for
 * x64-based Systems (KB…) (26100.…)"), with KB and build read from the title and the search it came from said.
 * Used when the knowledge is behind the latest Patch Tuesday or names a build without its KB.
 *
 * Titles: Catalog rows since 2026 carry the month first and, for cumulative updates, the resulting build last
 * (main/parse/title-build.ts); "Version 24H2" became ", version 24H2" in May 2026, and a Safe OS title may name two
 * versions ("… Version 24H2 and 25H2 …"). Server 2025 / 2022 rows say "Microsoft server operating system version
 * 24H2 / 21H2". The architecture is the title's (arch-tokens). Everything here but `findInCatalog` /
 * `findNewestInCatalog` is pure.
 */
import type { CatalogSearchResult, CatalogUpdate } from '../../preload/model/catalog.ts'
import type { MachineArch } from '../../preload/model/common.ts'
import { buildFromTitle, kbFromTitle } from '../parse/title-build.ts'

export type CatalogUpdateKind = 'lcu' | 'safe-os' | 'setup-du'

/** How a branch is written in Catalog titles: the search words and the pattern a title must match. */
const PRODUCTS: Record<string, { words: string; title: RegExp }> = {
  'win11-26h2': { words: 'Windows 11 26H2', title: /Windows 11,? version (?:\w+ and )*26H2\b/i },
  'win11-26h1': { words: 'Windows 11 26H1', title: /Windows 11,? version 26H1\b/i },
  'win11-25h2': { words: 'Windows 11 25H2', title: /Windows 11,? version (?:\w+ and )*25H2\b/i },
  'win11-24h2': { words: 'Windows 11 24H2', title: /Windows 11,? version 24H2\b/i },
  'win11-23h2': { words: 'Windows 11 23H2', title: /Windows 11,? version (?:\w+ and )*23H2\b/i },
  'win11-22h2': { words: 'Windows 11 22H2', title: /Windows 11,? version 22H2\b/i },
  'win10-22h2': { words: 'Windows 10 22H2', title: /Windows 10,? version (?:\w+ and )*22H2\b/i },
  'win10-21h2': { words: 'Windows 10 21H2', title: /Windows 10,? version 21H2\b/i },
  'server-2025': {
    words: 'Microsoft server operating system 24H2',
    title: /Microsoft server operating system,? version 24H2\b/i,
  },
  'server-2022': {
    words: 'Microsoft server operating system 21H2',
    title: /Microsoft server operating system,? version 21H2\b/i,
  },
  'win10-1809': { words: 'Windows 10 1809', title: /Windows 10,? version 1809\b/i },
  'win10-1607': { words: 'Windows 10 1607', title: /Windows 10,? version 1607\b/i },
}

const KIND: Record<CatalogUpdateKind, { words: string; title: RegExp; label: string }> = {
  lcu: {
    words: 'Cumulative Update',
    title: /^\d{4}-\d{2} Cumulative Update for (?!.*\.NET)/i,
    label: 'cumulative update',
  },
  'safe-os': {
    words: 'Safe OS Dynamic Update',
    title: /^\d{4}-\d{2} Safe OS Dynamic Update for /i,
    label: 'Safe OS Dynamic Update',
  },
  'setup-du': {
    words: 'Setup Dynamic Update',
    title: /^\d{4}-\d{2} Setup Dynamic Update for /i,
    label: 'Setup Dynamic Update',
  },
}

export interface CatalogMonthFact {
  kind: CatalogUpdateKind
  branchId: string
  arch: MachineArch
  /** YYYY-MM, the month the title starts with. */
  month: string
  kb: string
  /** `26100.9974` from the title, or null when the title names no build (Dynamic Updates never do). */
  build: string | null
  title: string
  updateId: string
  /** The row's "Last Updated" date (ISO), or null. */
  released: string | null
  query: string
  /** One sentence: the fact and where it came from. */
  says: string
}

/** The branches whose Catalog titles this module knows. */
export const catalogBranches = (): string[] => Object.keys(PRODUCTS)

function checkMonth(month: string): void {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`"${month}" is not a month (YYYY-MM).`)
}

/** The search the Catalog is asked: month, kind, product and architecture as words (every one must be in the title). */
export function catalogQuery(branchId: string, arch: MachineArch, kind: CatalogUpdateKind, month: string): string {
  const p = PRODUCTS[branchId]
  if (!p) throw new Error(`No Catalog title form is known for branch "${branchId}".`)
  checkMonth(month)
  return `${month} ${KIND[kind].words} ${p.words} ${arch}`
}

/**
 * The row of `rows` that is the branch's update of that kind, month and architecture: the title must start with the
 * month and the kind, name the branch and the architecture. Several (an out-of-band after the monthly one): the
 * highest build, then the latest date. Null when none fits.
 */
export function pickCatalogRow(
  rows: readonly CatalogUpdate[],
  branchId: string,
  arch: MachineArch,
  kind: CatalogUpdateKind,
  month: string,
  query = '',
): CatalogMonthFact | null {
  const p = PRODUCTS[branchId]
  if (!p) return null
  const fits = rows.filter(
    (r) =>
      r.title.startsWith(`${month} `) &&
      KIND[kind].title.test(r.title) &&
      p.title.test(r.title) &&
      r.arch === arch &&
      kbFromTitle(r.title) !== null,
  )
  const ubr = (r: CatalogUpdate) => buildFromTitle(r.title)?.ubr ?? -1
  const best = [...fits].sort(
    (a, b) =>
      ubr(b) - ubr(a) ||
      ((b.lastUpdated ?? '') < (a.lastUpdated ?? '') ? -1 : (b.lastUpdated ?? '') > (a.lastUpdated ?? '') ? 1 : 0),
  )[0]
  if (!best) return null
  const kb = kbFromTitle(best.title)!
  const tb = buildFromTitle(best.title)
  const build = tb ? `${tb.build}.${tb.ubr}` : null
  return {
    kind,
    branchId,
    arch,
    month,
    kb,
    build,
    title: best.title,
    updateId: best.updateId,
    released: best.lastUpdated,
    query,
    says: `${kb}${build ? ` → ${build}` : ''}: the ${KIND[kind].label} of ${month} for ${branchId} (${arch}), from its Microsoft Update Catalog title "${best.title}" (search "${query}").`,
  }
}

/** What a Catalog search needs (CatalogClient.search). */
export interface CatalogSearcher {
  search(
    query: string,
    options?: { maxPages?: number; arch?: MachineArch; signal?: AbortSignal },
  ): Promise<CatalogSearchResult>
}

/** The branch's update of that kind for one month, from the live Catalog, or null when the Catalog lists none. */
export async function findInCatalog(
  client: CatalogSearcher,
  branchId: string,
  arch: MachineArch,
  kind: CatalogUpdateKind,
  month: string,
  signal?: AbortSignal,
): Promise<CatalogMonthFact | null> {
  const query = catalogQuery(branchId, arch, kind, month)
  const res = await client.search(query, { maxPages: 2, ...(signal ? { signal } : {}) })
  return pickCatalogRow(res.updates, branchId, arch, kind, month, query)
}

/** The month before `month` (YYYY-MM). */
export function previousMonth(month: string): string {
  checkMonth(month)
  const y = Number(month.slice(0, 4))
  const m = Number(month.slice(5, 7))
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

/**
 * The newest update of that kind the Catalog lists for the branch: month by month from `from` back to `downTo`
 * (both YYYY-MM, inclusive), one search each, stopping at the first month that has one. `tried` lists the months
 * searched, so a caller can say which months the Catalog had nothing for.
 */
export async function findNewestInCatalog(
  client: CatalogSearcher,
  branchId: string,
  arch: MachineArch,
  kind: CatalogUpdateKind,
  from: string,
  downTo: string,
  signal?: AbortSignal,
): Promise<{ fact: CatalogMonthFact | null; tried: string[] }> {
  checkMonth(from)
  checkMonth(downTo)
  const tried: string[] = []
  for (let month = from; month >= downTo && tried.length < 24; month = previousMonth(month)) {
    tried.push(month)
    const fact = await findInCatalog(client, branchId, arch, kind, month, signal)
    if (fact) return { fact, tried }
  }
  return { fact: null, tried }
}
