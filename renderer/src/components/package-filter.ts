/** Filtering the package list: by state, by release type, and by text in the identity or KB. Pure. */
import type { InstalledPackage } from '../../../preload/model/snapshot.ts'

export interface PackageFilter { state: string; releaseType: string; text: string }

export const noFilter: PackageFilter = { state: '', releaseType: '', text: '' }

export function filterPackages(list: readonly InstalledPackage[], f: PackageFilter): InstalledPackage[] {
  const needle = f.text.trim().toLowerCase()
  return list.filter((p) =>
    (!f.state || p.state === f.state) &&
    (!f.releaseType || (p.releaseType ?? '') === f.releaseType) &&
    (!needle || p.identity.toLowerCase().includes(needle) || (p.kb ?? '').toLowerCase().includes(needle)))
}

/** The distinct values of a field, sorted, for a filter's choices. */
export function choicesOf(list: readonly InstalledPackage[], field: 'state' | 'releaseType'): string[] {
  return [...new Set(list.map((p) => p[field] ?? '').filter((x) => x !== ''))].sort()
}
