/**
 * A build known without its KB, as a PC's verdict and its whole-PC plan use it: Microsoft's CVE records state each
 * Patch Tuesday's fixed build per product, but no page we could read names the KB of October's and November's 2026
 * updates. Such a build is still a fact — the PC below it is behind — and the Microsoft Update Catalog lists the update
 * under a title made of the month, the product and the architecture, which is how its KB is found.
 */
import type { MachineArch } from '../../preload/model/common.ts'
import { branchById, compareKey, knownBuilds, allKnownUpdates, servicingChainSources } from './servicing-chains.ts'

export interface BuildWithoutKb {
  branchId: string
  /** `26100.9974`, as the branch shows its builds. */
  build: string
  ubr: number
  released: string
  /** YYYY-MM of the release: the month its Catalog title starts with. */
  month: string
  /** The source key (a CVE record). */
  source: string
  /**
   * The record as it bears on this branch: its title and date, its entry for this branch (`quote`) and its address;
   * never the record's builds for other products (Windows 10 21H2 and 22H2 share a record with Windows 11 23H2).
   */
  sourceText: string
  /** The record's entry for this branch and build, verbatim but for whitespace ("" when the data holds none). */
  quote: string
  /** "The newest build for Windows 11 24H2 is 26100.9974, released 2026-11-10; its KB number is not in the knowledge …" */
  says: string
}

/**
 * The newest build the knowledge holds for the branch without its KB, released on or before `day` (YYYY-MM-DD), when
 * it is newer than every cumulative update with a KB released by then (previews left out); null otherwise.
 */
export function buildWithoutKbBy(branchId: string, day: string): BuildWithoutKb | null {
  const branch = branchById(branchId)
  if (!branch) return null
  const b = knownBuilds()
    .filter((x) => x.branchIds.includes(branchId) && x.released <= day)
    .sort((x, y) => compareKey(y.released, x.released) || y.ubr - x.ubr)[0]
  if (!b) return null
  const u = allKnownUpdates()
    .filter((x) => x.kind === 'lcu' && !x.preview && x.branchIds.includes(branchId) && x.released <= day)
    .sort((x, y) => compareKey(y.released, x.released) || y.ubr - x.ubr)[0]
  // Within a branch the UBR only grows: an update with a KB at or above the build covers it.
  if (u && u.ubr >= b.ubr) return null
  const build = `${branch.builds[0] ?? b.baseBuild}.${b.ubr}`
  return {
    branchId,
    build,
    ubr: b.ubr,
    released: b.released,
    month: b.released.slice(0, 7),
    source: b.source,
    sourceText: ownPart(
      servicingChainSources()[b.source] ?? b.source,
      `${branch.product} ${branch.displayVersion}`,
      b.quote,
    ),
    quote: b.quote ?? '',
    says: `The newest build for ${branch.product} ${branch.displayVersion} is ${build}, released ${b.released}; its KB number is not in the knowledge (source ${b.source}).`,
  }
}

/**
 * A CVE source text cut to one branch: "Microsoft's CVE record X (CVE List V5, published D)" and its address, with the
 * record's entry for the branch in between. The text's own list of fixed builds ("affected below …") names every
 * product of the record, so it is left out.
 */
function ownPart(text: string, name: string, quote: string | undefined): string {
  const head = /^(.*?\)): affected below /.exec(text)?.[1]
  const url = /https:\/\/\S+\.json/.exec(text)?.[0]
  if (!head || !url) return text
  return quote ? `${head}, its entry for ${name}: ${quote} — ${url}` : `${head} — ${url}`
}

/** How each branch is named in its cumulative updates' Catalog titles (the titles the knowledge cites). */
const TITLE_PRODUCT: Record<string, string> = {
  'win11-26h2': 'Windows 11, version 26H2',
  'win11-26h1': 'Windows 11, version 26H1',
  'win11-25h2': 'Windows 11, version 25H2',
  'win11-24h2': 'Windows 11, version 24H2',
  'win11-23h2': 'Windows 11 Version 23H2',
  'server-2025': 'Microsoft server operating system version 24H2',
  'server-2022': 'Microsoft server operating system version 21H2',
  'win10-22h2': 'Windows 10 Version 22H2',
  'win10-21h2': 'Windows 10 Version 21H2',
  'win10-1809': 'Windows 10 Version 1809',
  'win10-1607': 'Windows 10 Version 1607',
}

/**
 * The Catalog title of the branch's cumulative update of `month` without its KB and build
 * ("2026-11 Cumulative Update for Windows 11, version 24H2 for x64-based Systems"), or null for a branch whose
 * title form is not known.
 */
export function cumulativeUpdateTitle(branchId: string, arch: MachineArch, month: string): string | null {
  const product = TITLE_PRODUCT[branchId]
  return product ? `${month} Cumulative Update for ${product} for ${arch}-based Systems` : null
}
