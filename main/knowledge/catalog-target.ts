/**
 * The target build of an update, and where that fact came from: the knowledge (shipped data or the refresh
 * overlay) when it knows the KB, else the Catalog title's build suffix ("… (KB5129195) (26100.9457)"). File
 * names never carry the build (windows11.0-kb5129195-x64_<sha1>.msu): they only confirm KB and architecture.
 * Used by the install planner so an update the data does not know still gets an expected build, and the plan
 * says where each fact came from.
 */
import { knownUpdate } from './servicing-chains.ts'
import { buildFromTitle, kbFromTitle } from '../parse/title-build.ts'

export interface TargetFact {
  kb: string
  build: number | null
  ubr: number | null
  /** knowledge | overlay | catalog-title | none */
  from: 'knowledge' | 'overlay' | 'catalog-title' | 'none'
  verified: boolean
  /** One sentence for the plan: the fact and its source. */
  says: string
}

export function targetFact(kb: string, catalog: { title?: string | null; fileNames?: string[] } = {}): TargetFact {
  const want = kb.toUpperCase()
  const u = knownUpdate(want)
  if (u && u.kind === 'lcu') {
    const overlay = u.provenance?.origin === 'overlay'
    return {
      kb: want,
      build: u.baseBuild,
      ubr: u.ubr,
      from: overlay ? 'overlay' : 'knowledge',
      verified: u.verified,
      says: `${want} → ${u.baseBuild}.${u.ubr}, from ${overlay ? `the refreshed knowledge (read from ${u.provenance?.readFrom})` : `Servicing Desk's knowledge (source ${u.source})`}${u.verified ? '' : ' — unverified: one secondary source only'}.`,
    }
  }
  const fromTitle = buildFromTitle(catalog.title)
  const titleKb = kbFromTitle(catalog.title)
  if (fromTitle && (titleKb === null || titleKb === want)) {
    return {
      kb: want,
      build: fromTitle.build,
      ubr: fromTitle.ubr,
      from: 'catalog-title',
      verified: true,
      says: `${want} → ${fromTitle.build}.${fromTitle.ubr}, from its Microsoft Update Catalog title "${catalog.title}".`,
    }
  }
  const named = (catalog.fileNames ?? []).some((n) => n.toLowerCase().includes(want.toLowerCase()))
  return {
    kb: want,
    build: null,
    ubr: null,
    from: 'none',
    verified: false,
    says: `${want} is not in Servicing Desk's knowledge and ${catalog.title ? 'its Catalog title names no build' : 'no Catalog title is known'}${named ? ' (its file names confirm only the KB and architecture)' : ''}: the expected build is unknown, so the install is verified by the package state alone.`,
  }
}
