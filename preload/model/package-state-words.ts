/**
 * A package state in the words DISM prints (apart from snapshot.ts's zod schemas: the diagnosis rules read it, and
 * load no zod at a CLI start); snapshot.ts exports it too.
 */
/** snapshot.ts's PackageStateSchema's values (written out, not imported: snapshot.ts exports this file's function). */
type PackageState = 'installed' | 'staged' | 'install-pending' | 'uninstall-pending' | 'superseded' | 'absent' | 'other'

/** A package state as DISM /Get-Packages prints it ("Install Pending"), for evidence a person reads (never the enum value). */
export function packageStateAsDism(state: PackageState): string {
  const words: Record<PackageState, string> = {
    installed: 'Installed',
    staged: 'Staged',
    'install-pending': 'Install Pending',
    'uninstall-pending': 'Uninstall Pending',
    superseded: 'Superseded',
    absent: 'Not Present',
    other: 'Other',
  }
  return words[state]
}
