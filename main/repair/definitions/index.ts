/**
 * Every repair main/repair runs, keyed by its id in REPAIR_RUNNER_IDS (preload/model/repair-ids.ts, the one list of
 * ids): the compiler asks for a definition of each id and refuses one without an id. Add one: a file in this folder,
 * its id in that list, and its line here (README.md). The step kinds each repair's journal may hold
 * (KINDS_BY_REPAIR) come from the definitions' own `kinds`.
 */
import type { RepairDefinition } from '../types.ts'
import { REPAIR_RUNNER_IDS, type RepairRunnerId } from '../../../preload/model/repair-ids.ts'
import { restartRepair } from './restart.ts'
import { restoreHealthRepair } from './restore-health.ts'
import { freeEspSpaceRepair } from './free-esp-space.ts'
import { resetWuComponentsRepair } from './reset-wu-components.ts'
import { removePackageRepair } from './remove-package.ts'
import { secureBootUpdateRepair } from './secure-boot-update.ts'

/** Each id's definition (test/unit/diagnose/repair-ids.test.ts checks that each one's own id is its key). */
const BY_ID: Readonly<Record<RepairRunnerId, RepairDefinition>> = {
  restart: restartRepair,
  'restore-health': restoreHealthRepair,
  'free-esp-space': freeEspSpaceRepair,
  'reset-wu-components': resetWuComponentsRepair,
  'remove-package': removePackageRepair,
  'secure-boot-update': secureBootUpdateRepair,
}

/** In REPAIR_RUNNER_IDS' order (the CLI's list and the Fix-it offers keep it). */
export const REPAIR_DEFINITIONS: readonly RepairDefinition[] = REPAIR_RUNNER_IDS.map((id) => BY_ID[id])

/**
 * The step kinds each repair's definition makes (its `kinds`): a journal of a repair whose steps name any other kind
 * is refused (main/repair/journal.ts planKindProblem).
 */
export const KINDS_BY_REPAIR: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  REPAIR_DEFINITIONS.map((d) => [d.id, d.kinds]),
)

export function repairDefinition(id: string): RepairDefinition | null {
  return REPAIR_DEFINITIONS.find((d) => d.id === id) ?? null
}
