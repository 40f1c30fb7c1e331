/**
 * CbsPersist_<yyyymmddhhmmss>.cab: where Windows keeps older CBS history (it compresses CBS.log into these
 * archives in C:\Windows\Logs\CBS). Read through the Host only: the folder is listed with listDir, each
 * archive is expanded by `expand.exe -F:* <cab> <folder>` (an argv CommandSpec), the expanded log is read
 * with openRead, and the work folder is removed afterwards.
 *
 * Bounds (stated here, enforced by the reader): at most CBS_PERSIST_MAX_CABS archives, the newest, and at
 * most CBS_PERSIST_MAX_BYTES of expanded log text over all of them. A name that is not exactly
 * `CbsPersist_<digits>.cab` (a path, `..`, spaces, another extension) is never used.
 */
import { SECURE_FOLDER_FUNCTIONS, withWorkFolders } from '../host/secure-folder-script.ts'
import type { CommandSpec } from '../host/host.ts'
import { powershellSpec } from '../host/powershell.ts'

/** The newest archives read, at most. */
export const CBS_PERSIST_MAX_CABS = 5
/** Expanded log text read over all archives, at most (256 MB). */
export const CBS_PERSIST_MAX_BYTES = 256 * 1024 ** 2
/** Our work folder on the PC; each scan expands into its own sub-folder and removes it. */
export const CBS_PERSIST_WORK_ROOT = 'C:\\ProgramData\\ServicingDesk\\cbspersist'

const CAB_NAME = /^CbsPersist_(\d{1,20})\.cab$/i
/** An expanded file we read: a plain `.log` name (no path, no `..`). */
const EXPANDED_LOG = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.log$/

/** The archive's timestamp digits, or null for a name that is not exactly `CbsPersist_<digits>.cab`. */
export function cbsPersistStamp(name: string): string | null {
  return CAB_NAME.exec(name)?.[1] ?? null
}

/** Compares timestamps of different lengths as numbers (a longer run of digits is later). */
export function compareStamps(a: string, b: string): number {
  const x = a.replace(/^0+/, ''),
    y = b.replace(/^0+/, '')
  return x.length !== y.length ? x.length - y.length : x < y ? -1 : x > y ? 1 : 0
}

/**
 * The CbsPersist archives of a CBS folder listing, newest first, and how many older ones the bound left out.
 * Names that are not exactly `CbsPersist_<digits>.cab` are ignored.
 */
export function cbsPersistCabs(
  names: readonly string[],
  maxCabs = CBS_PERSIST_MAX_CABS,
): { cabs: string[]; skipped: number; ignored: string[] } {
  const ok: string[] = []
  const ignored: string[] = []
  for (const n of names) {
    if (cbsPersistStamp(n)) ok.push(n)
    else if (/cbspersist/i.test(n) && /\.cab/i.test(n)) ignored.push(n)
  }
  ok.sort((a, b) => compareStamps(cbsPersistStamp(b)!, cbsPersistStamp(a)!))
  const max = Math.max(0, Math.floor(maxCabs))
  return { cabs: ok.slice(0, max), skipped: Math.max(0, ok.length - max), ignored }
}

/** The expanded log to read from a folder listing: the one named like the archive, else the only `.log`. */
export function expandedLogName(cab: string, listing: readonly string[]): string | null {
  const logs = listing.filter((n) => EXPANDED_LOG.test(n) && !n.includes('..'))
  const same = logs.find((n) => n.toLowerCase() === cab.replace(/\.cab$/i, '.log').toLowerCase())
  return same ?? (logs.length === 1 ? logs[0]! : null)
}

const psLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`

/** A fresh work folder per scan (no leftovers of an earlier run are ever read), one sub-folder per archive. */
export function prepareCbsPersistCommand(workDir: string, stems: readonly string[]): CommandSpec {
  // Through the one writer (main/host/secure-folder-script.ts): an old folder is removed only when it is ours and no
  // link is on its path; each archive's folder is made for Administrators and SYSTEM only (expand.exe writes there as SYSTEM).
  return powershellSpec(
    'logs.cbspersist-prepare',
    withWorkFolders(
      stems.map((s) => `${workDir}\\${s}`),
      '',
      [
        `$why = Remove-SdWorkFolder ${psLiteral(workDir)}; if ($why) { [Console]::Error.WriteLine('Not run: ' + $why); exit 1 }`,
      ],
    ),
    60_000,
  )
}

/** `expand.exe -F:* <cab> <folder>`: the archive's log into the folder. */
export function expandCbsPersistCommand(cabPath: string, destDir: string): CommandSpec {
  return {
    name: 'logs.expand-cbspersist',
    file: 'expand.exe',
    args: ['-F:*', cabPath, destDir],
    timeoutMs: 10 * 60_000,
    outputEncoding: 'console',
    maxOutputBytes: 64 * 1024,
  }
}

/** Removes the scan's work folder. */
export function cleanupCbsPersistCommand(workDir: string): CommandSpec {
  return powershellSpec(
    'logs.cbspersist-cleanup',
    `${SECURE_FOLDER_FUNCTIONS}\n$why = Remove-SdWorkFolder ${psLiteral(workDir)}; if ($why) { [Console]::Error.WriteLine('Not removed: ' + $why); exit 1 }`,
    120_000,
  )
}
