/**
 * The live Catalog beyond the knowledge, for one branch and architecture: when the knowledge is behind the latest
 * Patch Tuesday or names a build without its KB, the newest cumulative update, Safe OS and Setup Dynamic Update the
 * Microsoft Update Catalog lists (main/catalog/month-lookup.ts), each said with where it came from and how it stands
 * against the knowledge. Network only through the searcher it is given.
 */
import { branchById, newestBuildForBranch, newestUpdateForBranch } from '../knowledge/servicing-chains.ts'
import { latestPatchTuesday } from '../knowledge/freshness.ts'
import {
  findInCatalog,
  findNewestInCatalog,
  previousMonth,
  type CatalogMonthFact,
  type CatalogSearcher,
  type CatalogUpdateKind,
} from './month-lookup.ts'
import type { MachineArch } from '../../preload/model/common.ts'

export interface CatalogBeyond {
  branchId: string
  arch: MachineArch
  /** The knowledge's newest build for the branch (with or without its KB), or null. */
  knowledge: { build: string; released: string; kb: string | null; says: string } | null
  /** Why the Catalog was asked: behind, build without KB, up to date (asked anyway), or one month named. */
  reason: string
  results: Array<{ kind: CatalogUpdateKind; tried: string[]; fact: CatalogMonthFact | null; says: string }>
}

const LABEL: Record<CatalogUpdateKind, string> = {
  lcu: 'cumulative update',
  'safe-os': 'Safe OS Dynamic Update',
  'setup-du': 'Setup Dynamic Update',
}

/**
 * Searches the Catalog for the branch's newest cumulative update (from the latest Patch Tuesday's month back to the
 * knowledge's newest month) and its newest Safe OS and Setup Dynamic Updates (back a year), or all three of `month`.
 */
export async function catalogBeyondKnowledge(
  client: CatalogSearcher,
  branchId: string,
  arch: MachineArch,
  today: Date,
  month?: string,
): Promise<CatalogBeyond> {
  const branch = branchById(branchId)
  if (!branch) throw new Error(`Unknown branch "${branchId}".`)
  const nb = newestBuildForBranch(branchId)
  const shown = branch.builds[0]
  const knowledge = nb ? { build: `${shown}.${nb.ubr}`, released: nb.released, kb: nb.kb, says: nb.says } : null
  const latest = latestPatchTuesday(today).slice(0, 7)
  const known = nb?.released.slice(0, 7) ?? null
  const reason = month
    ? `The month ${month} was asked for.`
    : !known
      ? `The knowledge names no update for ${branch.product} ${branch.displayVersion}.`
      : known < latest
        ? `The knowledge's newest for ${branch.product} ${branch.displayVersion} is of ${known}, behind the latest Patch Tuesday (${latestPatchTuesday(today)}).`
        : nb?.kb === null
          ? `The knowledge names the newest build (${knowledge!.build}, released ${nb.released}, source ${nb.source}) without its KB: the Catalog is asked for it.`
          : `The knowledge is current for ${branch.product} ${branch.displayVersion} (${known}); the Catalog was asked anyway.`
  // A build known without its KB: the search goes back to the newest month with a KB, so the months between are said.
  const withKb = nb?.kb === null ? (newestUpdateForBranch(branchId)?.released.slice(0, 7) ?? known) : known
  let yearBack = latest
  for (let i = 0; i < 11; i++) yearBack = previousMonth(yearBack)
  const results: CatalogBeyond['results'] = []
  for (const kind of ['lcu', 'safe-os', 'setup-du'] as const) {
    const { fact, tried } = month
      ? { fact: await findInCatalog(client, branchId, arch, kind, month), tried: [month] }
      : await findNewestInCatalog(client, branchId, arch, kind, latest, kind === 'lcu' && withKb ? withKb : yearBack)
    let says: string
    if (!fact) says = `The Catalog lists no ${LABEL[kind]} for ${branchId} (${arch}) in ${tried.join(', ')}.`
    else if (kind !== 'lcu' || !knowledge) says = fact.says
    else if (fact.build && fact.build === knowledge.build)
      says = knowledge.kb
        ? `${fact.says} The knowledge names it too.`
        : `${fact.says} It is the build the knowledge names without its KB: the Catalog names the KB.`
    else if (
      fact.month > knowledge.released.slice(0, 7) ||
      (fact.build && Number(fact.build.split('.')[1]) > Number(knowledge.build.split('.')[1]))
    )
      says = `${fact.says} It is newer than the knowledge's newest (${knowledge.kb ?? 'KB unknown'}, ${knowledge.build}, ${knowledge.released}).`
    else says = fact.says
    results.push({ kind, tried, fact, says })
  }
  return { branchId, arch, knowledge, reason, results }
}
