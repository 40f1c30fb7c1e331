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
  /** False when the sources we read are silent on the branch's checkpoints (Server 2025). */
  checkpointsKnown?: boolean
  /** Extra conditions for a branch that shares its build with another (Server 2025 vs Windows 11 24H2). */
  match?: { edition?: 'server'; minUbr?: number }
  source: string
  note?: string
  /** Where the branch stands: e.g. Windows 10 after consumer ESU ended; shown wherever the branch is. */
  support?: { state: string; since: string; source: string; verified: boolean; text: string }
  /**
   * Updates released on or after `since` install only on a PC enrolled in Extended Security Updates (Windows 10 22H2
   * after its end of support); editions in `exemptEditions` (LTSC) are still serviced without it.
   */
  esu?: { since: string; source: string; exemptEditions: string[] }
}

/** What the PC says about itself beyond the build: enough to tell Server 2025 from Windows 11 24H2. */
export interface MachineContext {
  ubr?: number | null
  productName?: string | null
  edition?: string | null
  installationType?: string | null
}

/**
 * The one way a caller turns what it knows of the PC (the snapshot's OS facts, a pasted systeminfo) into a
 * MachineContext: every branch / checkpoint / planner look-up passes it, so a Server 2025 PC on build 26100
 * is never judged as Windows 11 24H2 (its checkpoint, its LCUs) just because a caller forgot the edition.
 */
export function machineContext(
  os:
    | { ubr?: number | null; productName?: string | null; edition?: string | null; installationType?: string | null }
    | null
    | undefined,
): MachineContext | undefined {
  if (!os) return undefined
  const ctx: MachineContext = { ubr: os.ubr ?? null, productName: os.productName ?? null, edition: os.edition ?? null }
  if (os.installationType !== undefined) ctx.installationType = os.installationType
  return ctx
}

/** Where a fact came from: the shipped data file or the refresh overlay (with the page it was read from). */
export interface Provenance {
  origin: 'shipped' | 'overlay'
  /** For the overlay: the URL (or file) the entry was read from, and when. */
  readFrom?: string
  readAt?: string
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

/*
 * Nothing here reads the data at import, only when called: the CLI's bundle reads the JSON file on first use
 * (vite.cli.config.ts LAZY_DATA), so `analyze` of a package list without a cumulative update does not read or parse it.
 */
/** The date the servicing-chain data is as of. */
export const servicingChainsAsOf = (): string => data.asOf
/** The servicing-chain data's sources by key. */
export const servicingChainSources = (): Record<string, string> => data.sources

const branches = (): Branch[] => data.branches as Branch[]
let shipped: Array<KnownUpdate & { provenance?: Provenance }> | null = null
const shippedUpdates = () =>
  (shipped ??= (data.updates as KnownUpdate[]).map((u) => ({ ...u, provenance: { origin: 'shipped' } as Provenance })))
/** The shipped updates, with the overlay's once applyOverlayUpdates has run. */
let withOverlay: Array<KnownUpdate & { provenance?: Provenance }> | null = null
const updates = () => withOverlay ?? shippedUpdates()

/**
 * A build a public source states for a branch without naming its KB (Microsoft's CVE records give each month's fixed
 * build per product): a first-class fact — "the newest build for 1809 is 17763.9245, released 2026-09-08; its KB number
 * is not in the knowledge" — that the freshness report, a PC's verdict and the Catalog search use.
 */
export interface KnownBuild {
  branchIds: string[]
  baseBuild: number
  ubr: number
  released: string
  /** Always null here: a build whose KB a source names is an update (`updates`). */
  kb: null
  source: string
  /**
   * The record's own words about this build's branch (its CPE match entry whose product names the branch and whose
   * versionEndExcluding is this build), verbatim but for whitespace: a record lists several products, and a note
   * quoting the whole record would state another branch's build beside this one.
   */
  quote?: string
  note?: string
}

/** The builds known without their KB, as the data lists them. */
export const knownBuilds = (): readonly KnownBuild[] => (data as { builds?: KnownBuild[] }).builds ?? []

/**
 * The newest build the knowledge holds for a branch: the newest update's, or a build known without its KB when that is
 * newer (released later, or the same day with a higher UBR). Null when it holds neither. `kb` is null for a build
 * without its KB; `says` is the sentence every surface shows.
 */
export function newestBuildForBranch(
  branchId: string,
): { baseBuild: number; ubr: number; released: string; kb: string | null; source: string; says: string } | null {
  const u = newestUpdateForBranch(branchId)
  const b = knownBuilds()
    .filter((x) => x.branchIds.includes(branchId))
    .sort((x, y) => compareKey(y.released, x.released) || y.ubr - x.ubr)[0]
  const branch = branchById(branchId)
  const label = branch ? `${branch.product} ${branch.displayVersion}` : branchId
  const shown = branch?.builds[0] ?? null
  if (b && (!u || b.released > u.released || (b.released === u.released && b.ubr > u.ubr))) {
    const build = `${shown ?? b.baseBuild}.${b.ubr}`
    return {
      baseBuild: b.baseBuild,
      ubr: b.ubr,
      released: b.released,
      kb: null,
      source: b.source,
      says: `The newest build for ${label} is ${build}, released ${b.released}; its KB number is not in the knowledge (source ${b.source}).`,
    }
  }
  if (!u) return null
  return {
    baseBuild: u.baseBuild,
    ubr: u.ubr,
    released: u.released,
    kb: u.kb,
    source: u.source,
    says: `The newest update for ${label} is ${u.kb} (${shown ?? u.baseBuild}.${u.ubr}), released ${u.released} (source ${u.source}).`,
  }
}

/** Months for which the sources we read are silent, per branch (said in the data, shown by `knowledge`). */
export const knowledgeGaps = (): Array<{ branchIds: string[]; months: string[]; note: string }> =>
  (data as { gaps?: Array<{ branchIds: string[]; months: string[]; note: string }> }).gaps ?? []

export function allBranches(): readonly Branch[] {
  return branches()
}

/** Is this machine a Windows Server? Edition (ServerStandard…), product name or installation type say so. */
function isServer(ctx: MachineContext | undefined): boolean | null {
  if (!ctx) return null
  const words = [ctx.edition, ctx.productName, ctx.installationType].filter(
    (x): x is string => typeof x === 'string' && x.trim() !== '',
  )
  if (words.length === 0) return null
  return words.some((w) => /server/i.test(w))
}

/**
 * The branch a build belongs to (26200 → 25H2), or null for an unknown build. Build 26100 is both Windows 11
 * 24H2 and Windows Server 2025: the edition / product name decides when known; otherwise the UBR range
 * (Server 2025 is serviced on 26100.32xxx, client 24H2 below 10000 — SRV2025-UBR). Without any context a
 * 26100 build is taken as Windows 11 24H2, as before.
 */
export function branchForBuild(build: number | null | undefined, ctx?: MachineContext): Branch | null {
  if (build == null) return null
  const candidates = branches().filter((b) => b.builds.includes(build))
  if (candidates.length <= 1) return candidates[0] ?? null
  const server = isServer(ctx)
  const ubr = ctx?.ubr ?? null
  const fits = (b: Branch): boolean | null => {
    if (!b.match) return null
    if (b.match.edition === 'server' && server !== null) return server
    if (b.match.minUbr !== undefined && ubr !== null) return ubr >= b.match.minUbr
    return null
  }
  const special = candidates.filter((b) => b.match)
  for (const b of special) if (fits(b) === true) return b
  return candidates.find((b) => !b.match) ?? candidates[0]
}

/** How the branch was decided, for the plan and the `knowledge` output. */
export function branchReason(build: number | null | undefined, ctx?: MachineContext): string {
  const b = branchForBuild(build, ctx)
  if (!b) return `Build ${build ?? 'unknown'} is not in the knowledge (as of ${data.asOf}).`
  const shared = branches().filter((x) => x.builds.includes(build as number)).length > 1
  if (!shared) return `Build ${build} is ${b.product} ${b.displayVersion}.`
  const server = isServer(ctx)
  if (server !== null)
    return `Build ${build} with ${server ? 'a Server' : 'a client'} edition (${ctx?.edition ?? ctx?.productName ?? ctx?.installationType}) is ${b.product}${b.product.includes('Server') ? '' : ` ${b.displayVersion}`}.`
  if (ctx?.ubr != null)
    return `Build ${build}.${ctx.ubr}: the edition is unknown, so the UBR range decides (Server 2025 is serviced on 26100.30000 and above) — ${b.product}${b.product.includes('Server') ? '' : ` ${b.displayVersion}`}.`
  return `Build ${build} without edition or UBR: taken as ${b.product} ${b.displayVersion} (it could also be Windows Server 2025).`
}

/** Adds the refresh overlay's updates (a KB already shipped keeps the shipped entry). One loader: overlay.ts. */
export function applyOverlayUpdates(extra: Array<KnownUpdate & { provenance?: Provenance }>): void {
  const shippedKbs = new Set(shippedUpdates().map((u) => u.kb))
  withOverlay = [...shippedUpdates(), ...extra.filter((u) => !shippedKbs.has(u.kb))]
}

/**
 * THE newest update of a branch: the one every surface names (the Overview's update chain, `knowledge`, the
 * installation media's target, the training Catalog) — the newest released cumulative update by release date
 * (then UBR), out-of-band included. Optional previews are left out: a PC is not behind for lacking one, and a
 * medium is built from released updates ("one build, two numbers"). Null when the knowledge has none.
 */
export function newestUpdateForBranch(branchId: string): (KnownUpdate & { provenance?: Provenance }) | null {
  return lcusOf(branchId).filter((u) => !u.preview)[0] ?? null
}

/** An optional preview newer than the branch's newest update (said as such, never as the newest), or null. */
export function newerPreviewForBranch(branchId: string): (KnownUpdate & { provenance?: Provenance }) | null {
  const newest = newestUpdateForBranch(branchId)
  return lcusOf(branchId).find((u) => u.preview && (!newest || u.released > newest.released)) ?? null
}

/**
 * Orders two ASCII keys (ISO dates `2026-11-11`, KB ids) by code unit: for these the order localeCompare gives, without
 * the ICU collator localeCompare creates on its first call (~66 M instructions of locale data, a quarter of `knowledge`'s
 * start, measured with valgrind --tool=cachegrind). test/unit/knowledge/compare-key.test.ts checks the two
 * orders agree on every key the knowledge holds.
 */
export function compareKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The branch's cumulative updates, newest first (release date, then UBR). */
function lcusOf(branchId: string): Array<KnownUpdate & { provenance?: Provenance }> {
  return updates()
    .filter((u) => u.kind === 'lcu' && u.branchIds.includes(branchId))
    .sort((a, b) => compareKey(b.released, a.released) || b.ubr - a.ubr)
}

export function branchById(id: string): Branch | null {
  return branches().find((b) => b.id === id) ?? null
}

export function knownUpdate(kb: string): (KnownUpdate & { provenance?: Provenance }) | null {
  const norm = kb.toUpperCase().startsWith('KB') ? kb.toUpperCase() : `KB${kb}`
  return updates().find((u) => u.kb === norm) ?? null
}

export function allKnownUpdates(): ReadonlyArray<KnownUpdate & { provenance?: Provenance }> {
  return updates()
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
export function checkpointStatus(
  build: number | null,
  ubr: number | null,
  ctx?: Omit<MachineContext, 'ubr'>,
): {
  kb: string | null
  build: number | null
  ubr: number | null
  present: boolean | null
  reason: string
} {
  const branch = branchForBuild(build, { ...ctx, ubr })
  if (!branch)
    return {
      kb: null,
      build: null,
      ubr: null,
      present: null,
      reason: `Build ${build ?? 'unknown'} is not in the servicing-chain knowledge (as of ${data.asOf}).`,
    }
  if (branch.checkpointsKnown === false)
    return {
      kb: null,
      build: null,
      ubr: null,
      present: null,
      reason: `The sources Servicing Desk holds are silent on ${branch.product}'s checkpoint cumulative updates, so none is assumed.`,
    }
  if (branch.checkpoints.length === 0)
    return {
      kb: null,
      build: null,
      ubr: null,
      present: true,
      reason: `${branch.product} ${branch.displayVersion} has no checkpoint cumulative update.`,
    }
  const cps = branch.checkpoints
    .map((k) => knownUpdate(k))
    .filter((u): u is KnownUpdate => u !== null)
    .sort((a, b) => a.ubr - b.ubr)
  const latest = cps[cps.length - 1]
  if (ubr == null)
    return {
      kb: latest.kb,
      build: latest.baseBuild,
      ubr: latest.ubr,
      present: null,
      reason: 'The UBR is unknown, so the checkpoint cannot be judged.',
    }
  const present = ubr >= latest.ubr
  return {
    kb: latest.kb,
    build: latest.baseBuild,
    ubr: latest.ubr,
    present,
    reason: present
      ? `UBR ${ubr} is at or above the checkpoint ${latest.kb} (${latest.baseBuild}.${latest.ubr}).`
      : `UBR ${ubr} is below the checkpoint ${latest.kb} (${latest.baseBuild}.${latest.ubr}); later cumulative updates need it first.`,
  }
}
