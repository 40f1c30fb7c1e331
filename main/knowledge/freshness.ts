/**
 * How current the knowledge is: the newest Patch Tuesday (second Tuesday of the month, computed from today's
 * date), the newest update known per branch and its age, and a calm warning when the newest known update is
 * older than the newest Patch Tuesday (`asOf` is the date of the newest fact, not the day the file
 * was last edited). Branch support notices (Windows 10 after consumer ESU) ride along. Pure given `today`.
 */
import {
  allBranches,
  allKnownUpdates,
  newestUpdateForBranch,
  newerPreviewForBranch,
  newestBuildForBranch,
  knownBuilds,
  knowledgeGaps,
  type Provenance,
} from './servicing-chains.ts'

/** Kept for callers that named it; staleness is now "older than the latest Patch Tuesday". */
export const STALE_AFTER_DAYS = 0

/**
 * The knowledge's `asOf`: the release date of the newest cumulative update it knows (previews and out-of-band
 * included). Other kinds — an enablement package (26H2's KB5121794), a Safe OS update — do not move it: they
 * say nothing about the monthly updates a PC is judged against.
 */
export function newestFactDate(): string {
  // Dates as ISO text (yyyy-mm-dd): the greatest string is the newest date.
  let newest = '0000-00-00'
  for (const u of allKnownUpdates()) if (u.kind === 'lcu' && u.released > newest) newest = u.released
  // A build known without its KB is a release the knowledge holds (a CVE record's fixed build of that Patch Tuesday).
  for (const b of knownBuilds()) if (b.released > newest) newest = b.released
  return newest
}
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

/** The Patch Tuesdays after `after` (YYYY-MM-DD) up to and including `upTo`, oldest first: the releases the knowledge cannot hold. */
export function patchTuesdaysAfter(after: string, upTo: string): string[] {
  const out: string[] = []
  let y = Number(after.slice(0, 4))
  let m = Number(after.slice(5, 7))
  for (let i = 0; i < 240; i++) {
    const pt = patchTuesday(y, m)
    if (pt > upTo) break
    if (pt > after) out.push(pt)
    if (++m > 12) {
      m = 1
      y++
    }
  }
  return out
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY)
}

export interface BranchCurrency {
  branchId: string
  product: string
  displayVersion: string
  /** THE newest update of the branch (servicing-chains.ts newestUpdateForBranch): what every surface names. */
  newest: {
    kb: string
    released: string
    build: string
    verified: boolean
    outOfBand: boolean
    origin: Provenance['origin']
    source: string
  } | null
  /**
   * A build newer than the newest update that a source states without its KB (a CVE record's fixed build): the PC is
   * behind below it, the Catalog search looks for its month; `says` is the sentence to show.
   */
  newestBuild?: { build: string; released: string; kb: null; source: string; says: string }
  /** An optional preview released after it, said as such (never the newest). */
  newerPreview?: { kb: string; released: string; build: string; verified: boolean }
  /** Days from the newest known update to today. */
  ageDays: number | null
  /**
   * Months (YYYY-MM) no source we read names this branch's update for (neither KB nor build): the data's gaps, and
   * every Patch Tuesday month after `asOf` up to the latest one (nothing is known after asOf for any branch).
   */
  silent: string[]
  /** Months of the data's gaps whose build a source states for this branch without its KB (a CVE record's fixed build). */
  kbUnknownMonths: string[]
  /**
   * What is known, in one sentence: the newest build with its date, "KB unknown" and its source when a source states
   * it without its KB, then the newest update with its KB (or "No update of this branch is known.").
   */
  known: string
  /** What is not known, in one clause list (the KBs of months whose builds are known, the months no source names), or null. */
  notKnown: string | null
  /** The branch's support state when the data records one (Windows 10 after consumer ESU ended). */
  support?: { state: string; since: string; text: string; source: string; verified: boolean }
}

export interface KnowledgeFreshness {
  asOf: string
  today: string
  latestPatchTuesday: string
  /** Days the knowledge (asOf) is older than the newest Patch Tuesday; 0 or less = up to date. */
  behindDays: number
  /** The Patch Tuesdays after the newest known update, up to the latest one (none when up to date). */
  missedPatchTuesdays: string[]
  stale: boolean
  warning: string | null
  /**
   * Said when some branch's newest build is known without its KB (Microsoft's CVE records state the build, no page
   * read names the KB): which, and how to find the KB in the Catalog. Null when every newest build has its KB.
   */
  kbUnknown: string | null
  branches: BranchCurrency[]
  /** Support notices a person must see (one line each), e.g. Windows 10's end of consumer ESU. */
  notices: string[]
}

export function knowledgeFreshness(today: Date = new Date(), asOf: string = newestFactDate()): KnowledgeFreshness {
  const todayIso = today.toISOString().slice(0, 10)
  const pt = latestPatchTuesday(today)
  const behind = daysBetween(asOf, pt)
  // Stale as soon as a Patch Tuesday has passed that no known update is from (or after).
  const stale = behind > STALE_AFTER_DAYS
  const missed = patchTuesdaysAfter(asOf, pt)
  const branches = allBranches().map((b): BranchCurrency => {
    const c = currencyOf(b)
    return { ...c, ...knownAndNot(c) }
  })
  function currencyOf(b: ReturnType<typeof allBranches>[number]): Omit<BranchCurrency, 'known' | 'notKnown'> {
    const u = newestUpdateForBranch(b.id)
    const p = newerPreviewForBranch(b.id)
    const build = b.builds[0]
    return {
      branchId: b.id,
      product: b.product,
      displayVersion: b.displayVersion,
      newest: u
        ? {
            kb: u.kb,
            released: u.released,
            build: `${build}.${u.ubr}`,
            verified: u.verified,
            outOfBand: u.outOfBand === true,
            origin: u.provenance?.origin ?? 'shipped',
            source: u.source,
          }
        : null,
      ...((): Partial<BranchCurrency> => {
        const nb = newestBuildForBranch(b.id)
        return nb && nb.kb === null
          ? {
              newestBuild: {
                build: `${build}.${nb.ubr}`,
                released: nb.released,
                kb: null,
                source: nb.source,
                says: nb.says,
              },
            }
          : {}
      })(),
      ...(p
        ? { newerPreview: { kb: p.kb, released: p.released, build: `${build}.${p.ubr}`, verified: p.verified } }
        : {}),
      ageDays: u ? daysBetween(u.released, todayIso) : null,
      // A month the refresh overlay (or an edit) has since filled for this branch is no longer silent.
      ...((): Pick<BranchCurrency, 'silent' | 'kbUnknownMonths'> => {
        const noKb = [
          ...new Set([
            ...knowledgeGaps()
              .filter((g) => g.branchIds.includes(b.id))
              .flatMap((g) => g.months),
            ...missed.map((d) => d.slice(0, 7)),
          ]),
        ]
          .filter(
            (m) =>
              !allKnownUpdates().some(
                (x) => x.kind === 'lcu' && x.branchIds.includes(b.id) && x.released.startsWith(m),
              ),
          )
          .sort()
        const buildKnown = (m: string) =>
          knownBuilds().some((x) => x.branchIds.includes(b.id) && x.released.startsWith(m))
        return { silent: noKb.filter((m) => !buildKnown(m)), kbUnknownMonths: noKb.filter(buildKnown) }
      })(),
      ...(b.support
        ? {
            support: {
              state: b.support.state,
              since: b.support.since,
              text: b.support.text,
              source: b.support.source,
              verified: b.support.verified,
            },
          }
        : {}),
    }
  }
  const notices = [
    ...new Set(
      allBranches()
        .filter((b) => b.support && b.support.since <= todayIso)
        .map((b) => b.support!.text),
    ),
  ]
  return {
    asOf,
    today: todayIso,
    latestPatchTuesday: pt,
    behindDays: behind,
    missedPatchTuesdays: missed,
    stale,
    warning: stale
      ? `The newest update Servicing Desk knows was released ${asOf}, ${behind} days before the latest Patch Tuesday (${pt}): updates released since are not known to it (${missed.length === 1 ? 'the Patch Tuesday' : `${missed.length} Patch Tuesdays`} of ${missed.join(', ')}: no source it read names their KB, build or date). It can still tell a PC is behind the newest update it knows; it cannot name or fetch those newer ones. Run "knowledge refresh" on a PC with internet, or check the Microsoft update history pages.`
      : null,
    kbUnknown: kbUnknownNote(branches),
    branches,
    notices,
  }
}

const monthList = (ms: readonly string[]): string =>
  ms.length <= 1 ? (ms[0] ?? '') : `${ms.slice(0, -1).join(', ')} and ${ms.at(-1)}`

/** A branch's "what is known" sentence and "what is not" clauses, from its currency. */
function knownAndNot(c: Omit<BranchCurrency, 'known' | 'notKnown'>): Pick<BranchCurrency, 'known' | 'notKnown'> {
  const n = c.newest
  const withKb = n
    ? `${n.kb} (${n.build}, ${n.released}${n.outOfBand ? ', out-of-band' : ''}, source ${n.source})`
    : null
  const nb = c.newestBuild
  const known = nb
    ? `Newest build ${nb.build}, released ${nb.released}, KB unknown (source ${nb.source}); newest update with its KB: ${withKb ?? 'none known'}.`
    : withKb
      ? `Newest update: ${withKb}.`
      : 'No update of this branch is known.'
  const parts: string[] = []
  const k = c.kbUnknownMonths
  if (k.length === 1) parts.push(`the KB number of the ${k[0]} update (its build is known)`)
  else if (k.length > 1) parts.push(`the KB numbers of the ${monthList(k)} updates (their builds are known)`)
  if (c.silent.length) parts.push(`any update of ${monthList(c.silent)} (no source read names its KB, build or date)`)
  if (parts.length) parts.push('previews and out-of-band releases of those months, if any')
  return { known, notKnown: parts.length ? `${parts.join('; ')}.` : null }
}

/** One sentence for the branches whose newest build is known without its KB, or null. */
function kbUnknownNote(branches: readonly BranchCurrency[]): string | null {
  const without = branches.filter((b) => b.newestBuild)
  if (without.length === 0) return null
  const months = [...new Set(without.map((b) => b.newestBuild!.released.slice(0, 7)))].sort()
  const list = without.map((b) => `${b.product} ${b.displayVersion} ${b.newestBuild!.build}`.replace(/ +/g, ' '))
  return `The newest builds of ${without.length} branch${without.length === 1 ? '' : 'es'} (${list.join(', ')}) are known from Microsoft's CVE records without their KB numbers: no page read names them. A PC below such a build is behind it; on a PC with internet, "knowledge catalog --branch <id> --arch <arch> --month ${months.at(-1)}" finds the KB in the Microsoft Update Catalog by its title.`
}
