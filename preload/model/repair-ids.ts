/**
 * The repair ids: the one list. RepairIdSchema (diagnosis.ts) is made from REPAIR_IDS, and main/repair's definitions
 * are keyed by REPAIR_RUNNER_IDS (main/repair/definitions/index.ts: the compiler asks for a definition of each). No zod
 * here: the diagnosis and the renderer read these without the schemas.
 */

/** The repairs main/repair runs (its definitions): their Fix it opens the repair screen. */
export const REPAIR_RUNNER_IDS = [
  'restart',
  'restore-health',
  'free-esp-space',
  'reset-wu-components',
  'remove-package',
  'secure-boot-update',
] as const
export type RepairRunnerId = (typeof REPAIR_RUNNER_IDS)[number]

/** The repairs other runners run: the install (main/install) and the WinRE repair (main/winre). */
export const OTHER_REPAIR_IDS = [
  'install-checkpoint',
  'install-update',
  'winre-enable',
  'winre-resize',
  'winre-update',
] as const

/** Repairs the app itself can run; null on a remedy/finding means "a person does it". */
export const REPAIR_IDS = [...OTHER_REPAIR_IDS, ...REPAIR_RUNNER_IDS] as const
