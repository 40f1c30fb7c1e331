/**
 * The plain names and small checks the repair definitions share with the step kinds (step-kinds.ts), without zod:
 * listing a machine's repairs loads the definitions, and the step kinds' schemas (with zod) only load for a step that
 * is built or run. step-kinds.ts builds its zod schemas from these same checks, so a name is accepted by one exactly
 * when by the other.
 */
import { join as posixOrHostJoin, win32 } from 'node:path'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { RepairEnv } from './types.ts'

/** Joins onto the data folder the way the PC names paths: a Windows data folder (a script's PC) gets `\\` only. */
export const join = (base: string, ...parts: string[]): string =>
  (/^[A-Za-z]:\\/.test(base) ? win32.join : posixOrHostJoin)(base, ...parts)

/** A name as Windows compares it: trailing dots and spaces stripped (Win32 path normalisation), any case. */
export const windowsNameKey = (n: string) => n.replace(/[. ]+$/, '').toLowerCase()

export const ESP_FOREIGN_FOLDER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$/
export const ESP_FOREIGN_FOLDER_MESSAGE =
  "Windows' own EFI folders (Microsoft, Boot) are never moved (names ending in a dot or space are refused: Windows strips them)"
/** Not one of Windows' own EFI folders (the pattern is checked apart). */
export const notWindowsEfiFolder = (n: string) =>
  !/[. ]$/.test(n) && !/^(microsoft|boot)$/.test(windowsNameKey(n.trim())) && !n.includes('..')
/**
 * A top-level \\EFI folder that is not Windows' own: a plain name, never Microsoft or Boot (compared as
 * Windows compares names: `Microsoft.` and `Boot  ` ARE those folders, so a name ending in a dot or a space
 * is refused outright).
 */
export const isEspForeignFolder = (n: unknown): n is string =>
  typeof n === 'string' && ESP_FOREIGN_FOLDER_PATTERN.test(n) && notWindowsEfiFolder(n)
function espForeignFolder(n: string): string {
  if (!isEspForeignFolder(n))
    throw new Error(
      `not a folder this app moves off the EFI partition: ${JSON.stringify(n)}. ${ESP_FOREIGN_FOLDER_MESSAGE}`,
    )
  return n
}
/** `<dataDir>/esp-moved/<folder>`: where a folder moved off the EFI partition is kept (to move back). */
export const espMovedDir = (env: RepairEnv, folder: string) => join(env.dataDir, 'esp-moved', espForeignFolder(folder))

/** The Windows Update folders a reset renames, under %SystemRoot%. */
export const WU_FOLDERS = {
  DataStore: 'SoftwareDistribution\\DataStore',
  Download: 'SoftwareDistribution\\Download',
  catroot2: 'System32\\catroot2',
} as const
export type WuFolder = keyof typeof WU_FOLDERS
export const WU_FOLDER_NAMES = Object.keys(WU_FOLDERS) as [WuFolder, ...WuFolder[]]
/** The rename's stamp: `yyyymmdd-hhmmss` (UTC), so each reset's folders have their own name. */
export const WU_STAMP_PATTERN = /^\d{8}-\d{6}$/
function wuFolder(folder: string): WuFolder {
  if (!Object.hasOwn(WU_FOLDERS, folder))
    throw new Error(
      `not a Windows Update folder a reset renames: ${JSON.stringify(folder)} (${WU_FOLDER_NAMES.join(', ')})`,
    )
  return folder as WuFolder
}
function wuStamp(stamp: string): string {
  if (typeof stamp !== 'string' || !WU_STAMP_PATTERN.test(stamp))
    throw new Error(`not a reset's stamp (yyyymmdd-hhmmss): ${JSON.stringify(stamp)}`)
  return stamp
}
/** `%SystemRoot%\SoftwareDistribution\DataStore`, `…\Download` or `%SystemRoot%\System32\catroot2`. */
export const wuFolderPath = (folder: WuFolder) => `%SystemRoot%\\${WU_FOLDERS[wuFolder(folder)]}`
/** The kept folder's name: `DataStore.sd-20261123-011500` (a stamp: an earlier `.bak` or kept folder is never overwritten). */
export const wuRenamedName = (folder: WuFolder, stamp: string) => `${wuFolder(folder)}.sd-${wuStamp(stamp)}`
/** The kept folder's full path, beside the folder it was: `%SystemRoot%\SoftwareDistribution\DataStore.sd-…`. */
export const wuKeptPath = (folder: WuFolder, stamp: string) =>
  `${wuFolderPath(folder).replace(/[^\\]+$/, '')}${wuRenamedName(folder, stamp)}`

/**
 * Secure Boot (secure-boot-update): Windows' own certificate update, started as the knowledge's `start-update` says
 * (main/knowledge/data/boot-chain.json; KB5068202): AvailableUpdates 0x5944 under the SecureBoot key, then the
 * servicing task. Only that value and that task exist here; nothing writes a UEFI variable.
 */
export const SECURE_BOOT_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot'
export const SECURE_BOOT_ALL_UPDATES = 0x5944
export const SECURE_BOOT_TASK = '\\Microsoft\\Windows\\PI\\Secure-Boot-Update'

/** Null when no restart is pending, else what still waits (a sentence fragment). */
export function restartStillNeeded(s: MachineSnapshot): string | null {
  const reboot = s.reboot.status === 'known' ? s.reboot.value : null
  const pending =
    s.packages.status === 'known'
      ? s.packages.value.packages.filter((p) => p.state === 'install-pending' || p.state === 'uninstall-pending')
      : []
  if (reboot?.pending)
    return `a restart is still pending (${
      reboot.sources
        .filter((x) => x.pending)
        .map((x) => x.label)
        .join(', ') || 'reboot flags'
    })`
  if (pending.length)
    return `${pending.length} package(s) still wait for a restart (${pending
      .map((p) => p.kb ?? p.identity)
      .slice(0, 3)
      .join(', ')})`
  if (!reboot) return 'the restart state could not be read'
  return null
}
