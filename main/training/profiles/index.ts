/** Every training profile. Each reproduces a documented real-world failure (see its `sources`). */
import type { TrainingState } from '../state.ts'
import { arm64MissingCheckpoint } from './arm64-missing-checkpoint.ts'
import { x64ComponentStoreCorrupt } from './x64-component-store-corrupt.ts'
import { x64WinrePartitionFull } from './x64-winre-partition-full.ts'
import { arm64WinreDisabled } from './arm64-winre-disabled.ts'
import { x64PendingRestart } from './x64-pending-restart.ts'
import { x64Healthy } from './x64-healthy.ts'
import { x64EfiPartitionFull } from './x64-efi-partition-full.ts'
import { x64Secureboot2011 } from './x64-secureboot-2011.ts'
import { x64WuComponentsBroken } from './x64-wu-components-broken.ts'
import { x64LcuUninstallBlocked } from './x64-lcu-uninstall-blocked.ts'
import { x64StoreCorruptIso } from './x64-store-corrupt-iso.ts'

export const trainingProfiles: readonly TrainingState[] = [
  arm64MissingCheckpoint,
  x64ComponentStoreCorrupt,
  x64WinrePartitionFull,
  arm64WinreDisabled,
  x64PendingRestart,
  x64Healthy,
  x64EfiPartitionFull,
  x64Secureboot2011,
  x64WuComponentsBroken,
  x64LcuUninstallBlocked,
  x64StoreCorruptIso,
]

export const defaultTrainingMachine = 'arm64-missing-checkpoint'

/** Whether `name` is a training profile (no copy of it made: trainingProfile copies the whole state). */
export function isTrainingProfile(name: string): boolean {
  return trainingProfiles.some((x) => x.name === name)
}

/** The profile itself, not a copy: to read only (TrainingStore.peek). */
export function trainingProfileShared(name: string): Readonly<TrainingState> | null {
  return trainingProfiles.find((x) => x.name === name) ?? null
}

export function trainingProfile(name: string): TrainingState | null {
  const p = trainingProfiles.find((x) => x.name === name)
  return p ? structuredClone(p) : null
}
