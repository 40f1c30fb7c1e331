/**
 * Log files of each training machine (CBS.log, DISM.log, …), as Windows writes them. Keyed by profile
 * name, then by Windows path. Each scenario's logs reproduce its documented failure (see scenarios.ts).
 */
import {
  arm64MissingCheckpointCbs,
  arm64MissingCheckpointDism,
  x64StoreCorruptCbs,
  x64StoreCorruptDism,
  x64WinrePartitionFullCbs,
  arm64WinreDisabledCbs,
  x64PendingRestartCbs,
  x64HealthyCbs,
  cleanDism,
  x64EfiPartitionFullCbs,
  x64WuComponentsBrokenCbs,
} from './scenarios.ts'
import { cbsPersistFiles } from './cbs-persist.ts'

export type LogFiles = Record<string, () => string>

const CBS = 'C:\\Windows\\Logs\\CBS\\CBS.log'
const DISM = 'C:\\Windows\\Logs\\DISM\\dism.log'

export const trainingLogs: Record<string, LogFiles> = {
  'arm64-missing-checkpoint': { [CBS]: arm64MissingCheckpointCbs, [DISM]: arm64MissingCheckpointDism },
  'x64-component-store-corrupt': {
    [CBS]: x64StoreCorruptCbs,
    [DISM]: x64StoreCorruptDism,
    ...cbsPersistFiles('x64-component-store-corrupt'),
  },
  'x64-winre-partition-full': {
    [CBS]: x64WinrePartitionFullCbs,
    [DISM]: cleanDism('2024-01-09T19:40:02Z', 'dism.exe /Online /Get-Packages /Format:Table'),
  },
  'arm64-winre-disabled': {
    [CBS]: arm64WinreDisabledCbs,
    [DISM]: cleanDism('2026-04-15T10:20:44Z', 'dism.exe /Online /Get-Packages /Format:Table'),
  },
  'x64-pending-restart': {
    [CBS]: x64PendingRestartCbs,
    [DISM]: cleanDism('2026-06-10T07:45:10Z', 'dism.exe /Online /Get-Packages /Format:Table'),
  },
  'x64-healthy': {
    [CBS]: x64HealthyCbs,
    [DISM]: cleanDism('2026-06-10T08:30:00Z', 'dism.exe /Online /Cleanup-Image /ScanHealth'),
  },
  'x64-efi-partition-full': { [CBS]: x64EfiPartitionFullCbs },
  'x64-wu-components-broken': { [CBS]: x64WuComponentsBrokenCbs },
}
