/**
 * Every command the WinRE probe and the WinRE repairs run, as argv CommandSpecs (never shell strings).
 *
 * Names are the training machines' keys (`main/training/commands.ts`). Sources: reagentc-command-line-options
 * (learn.microsoft.com) for /info, /enable, /disable, /mountre, /unmountre; KB5028997 for the diskpart
 * resize; the DISM image-servicing options for /Mount-Image, /Add-Package, /Cleanup-Image, /Unmount-Image,
 * /Get-ImageInfo (servicing-facts §4).
 */
import { withWorkFolders } from '../host/secure-folder-script.ts'
import type { CommandSpec } from '../host/host.ts'
import { powershellSpec } from '../host/powershell.ts'

export const REAGENT_XML_PATH = 'C:\\Windows\\System32\\Recovery\\ReAgent.xml'
/** Where winre.wim sits while WinRE is disabled (or staged) [S58]. */
export const STAGED_WINRE_WIM = 'C:\\Windows\\System32\\Recovery\\Winre.wim'
/** Our working folder on the PC: the diskpart script and the WinRE mount directory live here. */
export const WORK_DIR = 'C:\\ProgramData\\ServicingDesk\\winre'
export const WINRE_MOUNT_DIR = `${WORK_DIR}\\mount`
export const DISKPART_SCRIPT_PATH = `${WORK_DIR}\\resize-recovery.txt`

const reagentc = (name: string, args: string[], timeoutMs = 120_000): CommandSpec => ({
  name,
  file: 'reagentc.exe',
  args,
  timeoutMs,
  outputEncoding: 'console',
})

export const reagentcInfoCommand = reagentc('winre.reagentc-info', ['/info'], 60_000)
export const reagentcEnableCommand = reagentc('winre.reagentc-enable', ['/enable'])
export const reagentcDisableCommand = reagentc('winre.reagentc-disable', ['/disable'])
export function reagentcMountreCommand(dir: string): CommandSpec {
  return reagentc('winre.reagentc-mountre', ['/mountre', '/path', dir], 600_000)
}
export function reagentcUnmountreCommand(dir: string, commit: boolean): CommandSpec {
  return reagentc('winre.reagentc-unmountre', ['/unmountre', '/path', dir, commit ? '/commit' : '/discard'], 900_000)
}

/** `reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion" /v WinREVersion` — the value KB5034441 points to [S25]. */
export const winreRegistryVersionCommand: CommandSpec = {
  name: 'winre.registry-version',
  file: 'reg.exe',
  args: ['query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', '/v', 'WinREVersion'],
  timeoutMs: 15_000,
  outputEncoding: 'console',
}

/** `DISM /English /Get-ImageInfo /ImageFile:<wim> /Index:1`: the image's Version and ServicePack Build. */
export function dismWinreImageInfoCommand(wim: string): CommandSpec {
  return {
    name: 'winre.dism-get-imageinfo',
    file: 'dism.exe',
    args: ['/English', '/Get-ImageInfo', `/ImageFile:${wim}`, '/Index:1'],
    timeoutMs: 120_000,
    outputEncoding: 'console',
  }
}

export function dismMountWinreCommand(wim: string, dir: string): CommandSpec {
  return {
    name: 'winre.dism-mount-image',
    file: 'dism.exe',
    args: ['/English', '/Mount-Image', `/ImageFile:${wim}`, '/Index:1', `/MountDir:${dir}`],
    timeoutMs: 900_000,
    outputEncoding: 'console',
  }
}
export function dismAddPackageToWinreCommand(dir: string, packagePath: string): CommandSpec {
  return {
    name: 'winre.dism-add-package',
    file: 'dism.exe',
    args: ['/English', `/Image:${dir}`, '/Add-Package', `/PackagePath:${packagePath}`],
    timeoutMs: 1_800_000,
    outputEncoding: 'console',
  }
}
export function dismCleanupWinreCommand(dir: string): CommandSpec {
  return {
    name: 'winre.dism-cleanup-image',
    file: 'dism.exe',
    args: ['/English', `/Image:${dir}`, '/Cleanup-Image', '/StartComponentCleanup', '/ResetBase'],
    timeoutMs: 1_800_000,
    outputEncoding: 'console',
  }
}
export function dismUnmountWinreCommand(dir: string, commit: boolean): CommandSpec {
  return {
    name: 'winre.dism-unmount-image',
    file: 'dism.exe',
    args: ['/English', '/Unmount-Image', `/MountDir:${dir}`, commit ? '/Commit' : '/Discard'],
    timeoutMs: 1_800_000,
    outputEncoding: 'console',
  }
}

/** Creates our working folders (reagentc /mountre and DISM /Mount-Image need an existing empty directory). */
export const createWorkDirCommand: CommandSpec = powershellSpec(
  'winre.create-work-dir',
  withWorkFolders([WINRE_MOUNT_DIR], ''),
  60_000,
)

/** Writes the diskpart script as ASCII (diskpart reads ANSI scripts). Lines are ours, never the renderer's. */
export function writeDiskpartScriptCommand(lines: readonly string[]): CommandSpec {
  const quoted = lines.map((l) => `'${l.replace(/'/g, "''")}'`).join(', ')
  return powershellSpec(
    'winre.write-diskpart-script',
    // Only into a folder of Administrators and SYSTEM (main/host/secure-folder-script.ts): diskpart runs what it finds there.
    withWorkFolders(
      [WORK_DIR],
      `Set-Content -LiteralPath '${DISKPART_SCRIPT_PATH}' -Encoding Ascii -Value @(${quoted})`,
    ),
    60_000,
  )
}

/**
 * The two folder-making commands as versions before the one script writer built them. Only recognised in
 * a journal such a version wrote (main/winre/step-builder.ts), so an interrupted repair it started still resumes: the
 * runner never runs a journal's command, it runs the builder's (the one above, with its folder checks).
 */
export const previousWorkFolderCommands = {
  'create-work-dir': (): CommandSpec =>
    powershellSpec(
      'winre.create-work-dir',
      `New-Item -ItemType Directory -Force -Path '${WINRE_MOUNT_DIR}' | Out-Null`,
      60_000,
    ),
  'write-diskpart-script': (lines: readonly string[]): CommandSpec =>
    powershellSpec(
      'winre.write-diskpart-script',
      `New-Item -ItemType Directory -Force -Path '${WORK_DIR}' | Out-Null; Set-Content -LiteralPath '${DISKPART_SCRIPT_PATH}' -Encoding Ascii -Value @(${lines.map((l) => `'${l.replace(/'/g, "''")}'`).join(', ')})`,
      60_000,
    ),
}

export const diskpartScriptCommand: CommandSpec = {
  name: 'winre.diskpart',
  file: 'diskpart.exe',
  args: ['/s', DISKPART_SCRIPT_PATH],
  timeoutMs: 600_000,
  outputEncoding: 'console',
}

/** The GLOBALROOT path of winre.wim on its partition, which DISM can open without a drive letter. */
export function winreWimOnPartition(disk: number, partition: number): string {
  return `\\\\?\\GLOBALROOT\\device\\harddisk${disk}\\partition${partition}\\Recovery\\WindowsRE\\winre.wim`
}
