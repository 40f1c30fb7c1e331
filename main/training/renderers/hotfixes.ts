/** Get-HotFix as our script prints it: InstalledOn formatted `yyyy-MM-dd` from the DateTime. */
import type { TrainingCommand } from '../command.ts'
import { psJson } from './ps-json.ts'

export const renderGetHotfix: TrainingCommand = ({ state }) => ({
  exitCode: 0,
  stdout: psJson(state.hotfixes.map((h) => ({ HotFixID: h.kb, Description: h.description, InstalledOn: isoFromUs(h.installedOn) }))),
})

/** The state keeps Get-HotFix's en-US display (`7/10/2024`); the script prints `2024-07-10`. */
function isoFromUs(us: string | null): string | null {
  const m = us ? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(us) : null
  return m ? `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}` : null
}
