/**
 * Get-HotFix as our script prints it: InstalledOn formatted `yyyy-MM-dd` from the DateTime.
 *
 * A checkpoint cumulative update (KB5043080, 26100.1742) is not listed once a later cumulative update is
 * installed: a Windows 11 PC at 26200.9550 showed no KB5043080 in Get-HotFix although it necessarily has the
 * checkpoint (public research note quoting its own machine, 2026-10-04; servicing-chains.json source RI-NOTE).
 * So Get-HotFix cannot prove the checkpoint; the installed packages and the UBR do.
 */
import type { TrainingCommand } from '../command.ts'
import { psJson } from './ps-json.ts'
import { knownUpdate } from '../../knowledge/servicing-chains.ts'

export const renderGetHotfix: TrainingCommand = ({ state }) => ({
  exitCode: 0,
  stdout: psJson(
    state.hotfixes
      .filter((h) => !supersededCheckpoint(h.kb, state.os.ubr))
      .map((h) => ({ HotFixID: h.kb, Description: h.description, InstalledOn: isoFromUs(h.installedOn) })),
  ),
})

/** A checkpoint the PC's UBR is already past (a later cumulative update installed): not listed. */
function supersededCheckpoint(kb: string, ubr: number | null | undefined): boolean {
  const u = knownUpdate(kb)
  return u?.checkpoint === true && typeof ubr === 'number' && ubr > u.ubr
}

/** The state keeps Get-HotFix's en-US display (`7/10/2024`); the script prints `2024-07-10`. */
function isoFromUs(us: string | null): string | null {
  const m = us ? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(us) : null
  return m ? `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}` : null
}
