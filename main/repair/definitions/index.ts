/** Every repair main/repair runs. Add one: a file in this folder and one line here (README.md). */
import type { RepairDefinition } from '../types.ts'
import { restartRepair } from './restart.ts'
import { restoreHealthRepair } from './restore-health.ts'
import { freeEspSpaceRepair } from './free-esp-space.ts'
import { resetWuComponentsRepair } from './reset-wu-components.ts'
import { removePackageRepair } from './remove-package.ts'
import { secureBootUpdateRepair } from './secure-boot-update.ts'

export const REPAIR_DEFINITIONS: readonly RepairDefinition[] = [
  restartRepair,
  restoreHealthRepair,
  freeEspSpaceRepair,
  resetWuComponentsRepair,
  removePackageRepair,
  secureBootUpdateRepair,
]

export function repairDefinition(id: string): RepairDefinition | null {
  return REPAIR_DEFINITIONS.find((d) => d.id === id) ?? null
}
