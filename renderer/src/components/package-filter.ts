/** Filtering the package list: by state, by release type, and by text in the identity or KB. Pure. */
import type { InstalledPackage } from '../../../preload/model/snapshot.ts'

export interface PackageFilter {
  state: string
  releaseType: string
  text: string
}

export const noFilter: PackageFilter = { state: '', releaseType: '', text: '' }

export function filterPackages(list: readonly InstalledPackage[], f: PackageFilter): InstalledPackage[] {
  const needle = f.text.trim().toLowerCase()
  return list.filter(
    (p) =>
      (!f.state || p.state === f.state) &&
      (!f.releaseType || (p.releaseType ?? '') === f.releaseType) &&
      (!needle || p.identity.toLowerCase().includes(needle) || (p.kb ?? '').toLowerCase().includes(needle)),
  )
}

/** The distinct values of a field, sorted, for a filter's choices. */
export function choicesOf(list: readonly InstalledPackage[], field: 'state' | 'releaseType'): string[] {
  return [...new Set(list.map((p) => p[field] ?? '').filter((x) => x !== ''))].sort()
}

/**
 * A package's name in plain words: what it is and its KB or level, read from its identity
 * (`Package_for_RollupFix~31bf3856ad364e35~amd64~~22621.4317.1.10` → "Cumulative update, level 22621.4317"). The
 * identity itself is technical: the table keeps it behind a "Technical details" disclosure.
 */
export function plainPackageName(p: Pick<InstalledPackage, 'identity' | 'kb' | 'releaseType' | 'version'>): string {
  const [name = '', , , lang = '', version = p.version ?? ''] = p.identity.split('~')
  const level = /^(\d+)\.(\d+)/.exec(version)
  const at = level ? `, level ${level[1]}.${level[2]}` : ''
  const kb = p.kb ? ` ${p.kb}` : ''
  if (/^Package_for_RollupFix/i.test(name)) return `Cumulative update${kb}${at}`
  if (/^Package_for_ServicingStack/i.test(name)) return `Servicing stack update${kb}${at}`
  if (/^Package_for_DotNetRollup/i.test(name)) return `.NET Framework cumulative update${kb}`
  if (/^Package_for_KB\d+/i.test(name))
    return `${p.releaseType ?? 'Update'}${kb || ` ${name.replace(/^Package_for_/i, '')}`}`
  const words = name
    .replace(/^Microsoft-Windows-/i, '')
    .replace(/-Package$/i, '')
    .replace(/-/g, ' ')
    .trim()
  return `${p.releaseType ? `${p.releaseType}: ` : ''}${words || name}${lang ? ` (${lang})` : ''}${kb}`
}
