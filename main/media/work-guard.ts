/**
 * The media update's folders through the one writer (main/host/secure-folder-script.ts). The update's own steps are
 * argv commands (robocopy, DISM, expand), which cannot check a folder: before each step the engine runs this guard, a
 * PowerShell script of the writer's functions, and the step runs only when it says yes.
 *
 * Why: DISM, expand and robocopy run elevated, and what they read in the work folder ends up on the medium — the copy
 * is mirrored back to the USB stick or ISO folder, so a file a standard user slipped into it would run as SYSTEM on
 * every PC set up from that medium. A folder at a drive's root (`C:\ServicingDesk\work`, the earlier one) is one
 * Authenticated Users may create and modify by default; ProgramData's checked tree is not once the writer made it:
 * - the work folder lives under `C:\ProgramData\ServicingDesk\work` (MEDIA_WORK_ROOT), and every argv path of a step
 *   that is not the medium itself or the app's own package folder must be inside it (`outsideWorkFolder`);
 * - the first step (the copy of the medium) makes the work folder and its sub-folders Administrators and SYSTEM only,
 *   with no link anywhere on their path, or refuses; a mount makes its empty mount folder the same way;
 * - every other step checks them as they are (never resetting an ACL: a mounted image may be inside);
 * - a step that reads a package (the copy into the work folder's packages, DISM /Add-Package, expand of the Setup
 *   Dynamic Update) finds its package folder holding that one file and nothing else (expand reads `*.cab`, DISM
 *   /PackagePath a whole folder), and re-hashes the file (SHA-256, the one the journal recorded) right before.
 */
import type { CommandSpec } from '../host/host.ts'
import { powershellSpec } from '../host/powershell.ts'
import { psLiteral, psTextLiteral } from '../host/powershell-text.ts'
import { SECURE_FOLDER_FUNCTIONS, checkedFolderCall } from '../host/secure-folder-script.ts'
import { MEDIA_WORK_ROOT, mountDirOf, packagePath, type CommandFolders, type StepCommand } from './plan.ts'
import type { MediaPackageFile, MediaRunStep } from '../../preload/model/media.ts'

export { MEDIA_WORK_ROOT }

/** The sub-folders the run's argv commands write into (made with the work folder, before the copy). */
const SUBFOLDERS = ['media', 'packages', 'mount', 'winre', 'export', 'join', 'old'] as const

export class MediaWorkFolderError extends Error {}

/** A run's work folder is one the app makes: `C:\ProgramData\ServicingDesk\work\media-<id>`. */
export function isMediaWorkFolder(work: string): boolean {
  return /^C:\\ProgramData\\ServicingDesk\\work\\media-[a-z0-9-]+$/.test(work)
}

/** Why a step's argv names a path outside the run's checked tree, the medium and the app's package folder (null: it does not). */
export function outsideWorkFolder(
  commands: readonly StepCommand[],
  f: CommandFolders,
  mediumRoot: string,
): string | null {
  const inside = (p: string, root: string) => {
    const a = p.toLowerCase()
    const b = root.toLowerCase().replace(/[\\/]+$/, '')
    return a === b || a.startsWith(`${b}\\`) || a.startsWith(`${b}/`)
  }
  for (const c of commands) {
    for (const arg of c.args) {
      // A path: a bare argument or a DISM /Option:value that starts with a drive letter (or a UNC / POSIX path of the app's kits).
      const m = /^(?:\/[A-Za-z-]+:)?((?:[A-Za-z]:[\\/]|\\\\|\/[^/:*]+\/).*)$/.exec(arg)
      if (!m) continue
      const p = m[1]!
      if (inside(p, f.work) || inside(p, mediumRoot) || (c.file === 'robocopy.exe' && f.kits && inside(p, f.kits)))
        continue
      return `${c.file} ${arg} names a folder outside the run's work folder ${f.work}`
    }
  }
  if (!isMediaWorkFolder(f.work)) return `the work folder ${f.work} is not one the app makes under ${MEDIA_WORK_ROOT}`
  return null
}

/** The step's package in the work folder (its folder and the one file that may be in it), if it reads one. */
function inputOf(
  step: MediaRunStep,
  f: CommandFolders,
  files: ReadonlyMap<string, MediaPackageFile>,
): { folder: string; file: MediaPackageFile } | null {
  if (!('package' in step)) return null
  const file = files.get(`${step.package.kb}-${step.package.arch}`)
  if (!file)
    throw new MediaWorkFolderError(
      `${step.package.kb} (${step.package.arch}) is not among the run's verified packages.`,
    )
  return { folder: packagePath(f, step.package), file }
}

/**
 * The checks of one step's guard, as lines of PowerShell that call `Stop-SdStep` (MEDIA_GUARD_FUNCTIONS) with the reason
 * when a folder or the package is not as it must be. `files`: the run's verified packages by `<KB>-<arch>`.
 */
export function mediaGuardLines(
  step: MediaRunStep,
  f: CommandFolders,
  files: ReadonlyMap<string, MediaPackageFile>,
): string[] {
  if (!isMediaWorkFolder(f.work))
    throw new MediaWorkFolderError(
      `The work folder ${f.work} is not one the app makes under ${MEDIA_WORK_ROOT}; nothing runs.`,
    )
  const lines: string[] = []
  const folder = (path: string, how: 'Test' | 'Use') =>
    lines.push(`$why = ${checkedFolderCall(path, how)}; if ($why) { Stop-SdStep $why }`)
  if (step.kind === 'copy-to-work' || step.kind === 'cleanup-mountpoints') {
    // Made before anything is written (empty, Administrators and SYSTEM only): the work folder and every folder the
    // steps write into; checked as they are when an interrupted run comes back.
    folder(f.work, 'Use')
    for (const sub of SUBFOLDERS) folder(`${f.work}\\${sub}`, 'Use')
  } else {
    // The work folder is ours, so nobody else can have made a folder inside it since; the ones there are checked.
    folder(f.work, 'Test')
    for (const sub of SUBFOLDERS)
      lines.push(
        `if (Test-Path -LiteralPath ${psLiteral(`${f.work}\\${sub}`)}) { $why = ${checkedFolderCall(`${f.work}\\${sub}`, 'Test')}; if ($why) { Stop-SdStep $why } }`,
      )
  }
  if (step.kind === 'mount') {
    // DISM mounts only into an empty folder that exists: made here, ours, and empty.
    const dir = mountDirOf(f, step.image, step.index)
    folder(dir, 'Use')
    lines.push(
      `if (@(Get-ChildItem -LiteralPath ${psLiteral(dir)} -Force).Count -gt 0) { Stop-SdStep ${psTextLiteral(`${dir} is not empty; DISM mounts only into an empty folder.`)} }`,
    )
  }
  const input = inputOf(step, f, files)
  if (input) {
    const path = `${input.folder}\\${input.file.fileName}`
    // The copy makes the package's folder; the steps that read it find it there.
    folder(input.folder, step.kind === 'copy-package' ? 'Use' : 'Test')
    lines.push(
      `$why = Test-SdOnlyFiles ${psLiteral(input.folder)} @(${psLiteral(input.file.fileName)}); if ($why) { Stop-SdStep $why }`,
    )
    if (step.kind !== 'copy-package')
      lines.push(`Assert-SdFileSha256 ${psLiteral(path)} ${psLiteral(input.file.sha256.toUpperCase())}`)
  }
  return lines
}

/** The writer's functions and the guard's way out: the reason on stderr, exit code 1. */
export const MEDIA_GUARD_FUNCTIONS = [
  SECURE_FOLDER_FUNCTIONS,
  `function Stop-SdStep([string]$Why) { [Console]::Error.WriteLine(${psTextLiteral('Not run: ')} + $Why); exit 1 }`,
].join('\n')

/** The guard the engine runs before a step's argv commands (exit 0: go on; exit 1: refused, the reason on stderr). */
export function mediaGuardCommand(
  step: MediaRunStep,
  f: CommandFolders,
  files: ReadonlyMap<string, MediaPackageFile>,
): CommandSpec {
  const script = [
    MEDIA_GUARD_FUNCTIONS,
    'try {',
    ...mediaGuardLines(step, f, files).map((l) => `  ${l}`),
    '} catch { Stop-SdStep $_.Exception.Message }',
    'exit 0',
  ].join('\n')
  return powershellSpec('media.guard', script, 120_000)
}
