/**
 * One fix per group, in the forms admins push, all from the app's own generators:
 * - Intune Remediation pair: detection = the collector script itself (main/collector/collector-script.ts) printing
 *   its -Line (≤ 2,048 characters, Intune's output cap) and exiting 1 while the line shows the group's cause;
 *   remediation = the single-PC repair script (main/repair/script.ts) of the group's plan, without any restart
 *   (Intune: scripts must not restart; the restart is said in the output), refusing to run as a 32-bit process or on
 *   another build or architecture than the plan's. Settings for Graph's deviceHealthScript (runAs32Bit false,
 *   runAsAccount system) beside them (MicrosoftDocs/memdocs intune/fundamentals/remediations.md).
 * - ConfigMgr Run Scripts: the same remediation with its output cut to the last 4,000 characters (Run Scripts keeps
 *   4 KB: memdocs configmgr/apps/deploy-use/create-deploy-scripts.md), the collector line script, and the CMPivot
 *   query that finds the group (its devices by name; the line file the detection leaves).
 * - PowerShell fan-out: Invoke-Command -FilePath over a list of names with a throttle, then the detection again,
 *   its lines saved for `fleet import`.
 * Windows PowerShell 5.1 syntax; values enter through main/host/powershell-text.ts.
 */
import { collectorScript, NATIVE_ARCH_KEY } from '../collector/collector-script.ts'
import { psComment, psLiteral, psTextLiteral, powerShellFileText } from '../host/powershell-text.ts'
import { repairScript } from '../repair/script.ts'
import { guardLinesForKinds, wholePcGuardLines } from '../repair/whole-pc-guard.ts'
import { currentVersionCommand } from '../machine/probes/os.ts'
import type { RepairPlan } from '../../preload/model/repair.ts'
import type { RepairEnv } from '../repair/types.ts'
import { COLLECTOR_LINE_MAX } from '../../preload/model/collector.ts'
import { CAUSE_HELPERS, DEVICE_ENV, blockedLcuPackage, markLines } from './detect-cause.ts'
import { commandOfKind, espMovedDir } from '../repair/step-kinds.ts'
import { psSystemTool } from '../host/system-tools.ts'
import { SECURE_FOLDER_FUNCTIONS, secureFolderCall } from '../host/secure-folder-script.ts'
import { storageLayoutCommand } from '../machine/probes/storage.ts'
import { bootChainCommand } from '../machine/probes/boot-chain.ts'
import { ESP_NEEDED_BYTES } from '../diagnose/rules/efi-partition.ts'
import {
  reagentcDisableCommand,
  reagentcEnableCommand,
  reagentcInfoCommand,
  STAGED_WINRE_WIM,
  DISKPART_SCRIPT_PATH,
  WORK_DIR,
  diskpartScriptCommand,
} from '../machine/winre-commands.ts'
import { resizeScriptFor, RESIZE_MB } from '../winre/step-builder.ts'
import { dismAddPackageArgs } from '../install/step-commands.ts'
import { rebootSourcesCommand } from '../machine/probes/reboot.ts'
import { windowsPackageCommand } from '../machine/probes/packages.ts'
import { allKnownUpdates } from '../knowledge/servicing-chains.ts'
import { WINRE_NEEDED_BYTES, failedInstallerLines, secureBootEncodeCorruptLines } from './detect-cause.ts'
import {
  SECURE_BOOT_ENCODE_TREE_KEY,
  TASK_CACHE_KEY,
  TASK_GUID_KEYS,
  taskCacheDeleteCommand,
  taskCacheExportCommand,
} from '../machine/task-cache.ts'

/** Where the detection leaves its last line, for CMPivot's FileContent() and for a person. */
export const LINE_FILE = 'C:\\ProgramData\\ServicingDesk\\fleet\\last-line.txt'
export const CONFIGMGR_OUTPUT_MAX = 4000

/** What in a collector line shows the cause: failure codes, or WinRE disabled. None: the line cannot show it. */
export interface LineSignature {
  codes: string[]
  winreDisabled: boolean
}

export interface GroupPlan {
  build: string
  arch: string
  plan: RepairPlan
  env: RepairEnv
  machineName: string
  /** The package a device-side install fetches (the missing checkpoint), as the Catalog published it; null: none found. */
  package?: FleetPackage | null
  /** Why there is no package (said on the device when it would have run). */
  packageProblem?: string
}

/**
 * One Catalog file a fleet remediation installs: where the device fetches it (a Catalog file host), its published
 * hashes (the download dialog's SHA-256, its SHA-1 digest, which the file name carries too), and the origins the
 * device accepts the download from (Microsoft's Catalog file hosts over HTTPS; the local training Catalog's one
 * loopback origin only when the fix was built from it).
 */
export interface FleetPackage {
  kb: string
  arch: string
  fileName: string
  url: string
  sha1: string | null
  sha256: string | null
  origins: string[]
}

export interface FixFiles {
  [name: string]: string
}

const ARCH_ENV: Record<string, string> = { x64: 'AMD64', arm64: 'ARM64', x86: 'x86', AMD64: 'AMD64', ARM64: 'ARM64' }

export class FixScriptError extends Error {}

/**
 * The collector with -Line on by default, leaving its line in LINE_FILE; as the detection (`test`: the cause's test on
 * the device, main/fleet/detect-cause.ts) it exits 1 exactly while that test finds the cause on this device now. A
 * cause the app cannot test on a device gets no test: the script reports its line and exits 0 (never a constant 1).
 */
export function detectionScript(
  version: string,
  test: string[] | null,
  opts: { exitCode: boolean } = { exitCode: true },
): string {
  let s = collectorScript({ version }).replace(/^\uFEFF/, '')
  const param = "  [string]$OutFile = '',\r\n  [switch]$Line\r\n)\r\n"
  const tail = '  Write-Output $one\r\n}\r\nexit 0\r\n'
  if (!s.includes(param) || !s.endsWith(tail))
    throw new FixScriptError('The collector script changed shape; the fleet detection script cannot be built from it.')
  // The line always on, and no [switch] parameter: ConfigMgr Run Scripts does not support that type (a String is fine).
  s = s.replace(param, "  [string]$OutFile = ''\r\n)\r\n$Line = $true\r\n")
  const decide =
    !opts.exitCode || !test
      ? []
      : [
          '  # The cause, tested on this device now (not the failure code: the update history keeps it after a fix).',
          ...CAUSE_HELPERS.map((l) => `  ${l}`),
          ...test.map((l) => `  ${l}`),
          `  if ($sddWhy) { [Console]::Error.WriteLine(${psTextLiteral("Not decided: this device's facts could not be read: ")} + $sddWhy) }`,
          '  if ($sddCause -eq $true) { exit 1 }',
        ]
  const end = [
    '  Write-Output $one',
    // Only into a folder of Administrators and SYSTEM (the collector's own checks; its ServicingDesk was checked already).
    `  $sdLineDir = Get-SdcLocal ${psLiteral(LINE_FILE.replace(/\\[^\\]+$/, ''))}`,
    `  if (-not (Assert-SdcPrivateFolder $sdLineDir -Enforce)) { try { Write-SdTextFile $sdLineDir ${psLiteral(LINE_FILE.replace(/^.*\\/, ''))} $one } catch { } }`,
    ...decide,
    '}',
    'exit 0',
    '',
  ].join('\r\n')
  return powerShellFileText(s.slice(0, s.length - tail.length) + end)
}

function guards(g: GroupPlan): string[] {
  const cvKey = currentVersionCommand.args[1]!.replace(/^HKLM\\/, 'HKLM:\\')
  const [build, ubr] = g.build.split('.')
  return [
    '# Intune runs this as SYSTEM in 64-bit PowerShell (set "Run script in 64-bit PowerShell" to Yes); a 32-bit process sees another registry and System32.',
    `if ([Environment]::Is64BitOperatingSystem -and -not [Environment]::Is64BitProcess) { Write-Output ${psTextLiteral('Not run: this is a 32-bit PowerShell; run it as 64-bit.')}; exit 1 }`,
    `$cv = Get-ItemProperty -LiteralPath ${psLiteral(cvKey)}`,
    // The native architecture (machine-wide), as the collector line names it: an x64 PowerShell on ARM64 sees AMD64 in its own environment.
    `$arch = [string](Get-ItemProperty -LiteralPath ${psLiteral(NATIVE_ARCH_KEY)} -ErrorAction SilentlyContinue).PROCESSOR_ARCHITECTURE`,
    'if (-not $arch) { $arch = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE } }',
    `if ([string]$cv.CurrentBuild -ne ${psLiteral(build ?? '')} -or [string]$cv.UBR -ne ${psLiteral(ubr ?? '')} -or $arch -ne ${psLiteral(ARCH_ENV[g.arch] ?? g.arch)}) {`,
    // A failure, not a success: Intune and ConfigMgr count exit 0 as "ran", and a fix that never ran would show as recurred with no error.
    `  Write-Output (${psTextLiteral(`Not run: this fix was planned for build ${g.build} on ${g.arch}; this PC is `)} + $cv.CurrentBuild + '.' + $cv.UBR + ' ' + $arch + '.')`,
    '  exit 1',
    '}',
  ]
}

/** The repair without restarts (Intune and Run Scripts must not restart a PC): what it would have done is said instead. */
function withoutRestart(plan: RepairPlan): { plan: RepairPlan; restart: boolean } {
  const steps = plan.steps.filter((s) => s.kind !== 'restart' && s.kind !== 'schedule-resume')
  return { plan: { ...plan, steps }, restart: steps.length !== plan.steps.length }
}

function remediationBody(g: GroupPlan): string[] {
  const { plan, restart } = withoutRestart(g.plan)
  const restartLine = restart
    ? [
        `Write-Output ${psTextLiteral('A restart is needed to finish: schedule it with your device management tool (this script never restarts the PC).')}`,
      ]
    : []
  if (plan.repairId === 'free-esp-space') return [...espBody(g), ...restartLine]
  if ((plan.repairId as string) === 'winre-enable') return winreEnableBody()
  if ((plan.repairId as string) === 'winre-resize') return winreResizeBody()
  if ((plan.repairId as string) === 'install-checkpoint') return checkpointBody(g)
  if ((plan.repairId as string) === 'installer-fix') return installerBody()
  let body = repairScript(
    plan,
    g.env,
    `the devices of build ${g.build} (${g.arch}) in this group; planned from ${g.machineName}`,
  )
    .split(/\r\n/)
    .filter((l) => !/^#Requires/.test(l))
  const removal = plan.steps.find((s) => s.kind === 'dism-remove-package')
  if (removal) {
    // The package is the one this device runs now (read on it), never the identity in the planning PC's evidence.
    const planned = psLiteral(`/PackageName:${String((removal.params as { identity?: unknown }).identity)}`)
    body = [
      '$sdPackage = & {',
      ...blockedLcuPackage().map((l) => `  ${l}`),
      '}',
      `if (-not $sdPackage) { throw ${psTextLiteral('Not run: this device does not run a cumulative update whose removal failed with 0x80242004 (or runs more than one); nothing is removed.')} }`,
      `Write-Output (${psTextLiteral('The package to remove, read on this device: ')} + $sdPackage)`,
      ...body.map((l) => l.split(planned).join("('/PackageName:' + $sdPackage)")),
    ]
  }
  return [...body, ...restartLine]
}

/**
 * The EFI partition's folders that are not Windows' own, read on THIS device when the script runs (the boot-chain
 * probe's listing, which reads the partition without mounting it), moved with robocopy /MOVE (nothing deleted) to
 * the app's esp-moved folder; robocopy's exit code checked (8 and above: a failure), the partition unmounted in any
 * case, and the result verified: 15 MB or more free, else the script fails. Which folders is never taken from the
 * planning PC's evidence (a forged collected file named \EFI\ubuntu for every device of the group).
 */
function espBody(g: GroupPlan): string[] {
  const moved = espMovedDir(g.env, 'X').replace(/X$/, '')
  const movedRoot = moved.replace(/\\$/, '')
  // The writer's call for the kept folder (it refuses a folder outside C:\ProgramData), and its child part for each one.
  const movedCall = secureFolderCall(movedRoot)
  const movedChild = movedRoot.replace(/^C:\\ProgramData\\/i, '')
  const mount = commandOfKind('esp-mount', { letter: 'Z' }, g.env)
  const unmount = commandOfKind('esp-unmount', { letter: 'Z' }, g.env)
  const letters = ['S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z']
  const esp = '{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}'
  const freeNow = [
    `$sdLayout = & ${psSystemTool(storageLayoutCommand.file)} ${storageLayoutCommand.args.map(psLiteral).join(' ')} 2>$null | Out-String | ConvertFrom-Json`,
    `$sdPart = @($sdLayout.Partitions | Where-Object { [string]$_.GptType -eq ${psLiteral(esp)} }) | Select-Object -First 1`,
    '$sdVol = @($sdLayout.Volumes | Where-Object { @($sdPart.AccessPaths) -contains $_.Path }) | Select-Object -First 1',
  ]
  return [
    `$sdBoot = & ${psSystemTool(bootChainCommand.file)} ${bootChainCommand.args.map(psLiteral).join(' ')} 2>$null | Out-String | ConvertFrom-Json`,
    `if (-not $sdBoot.Esp -or $sdBoot.Esp.FoldersError -or $null -eq $sdBoot.Esp.Folders) { throw ${psTextLiteral("Not run: the EFI partition's folders could not be read on this device, so nothing is provably not Windows'; nothing is moved.")} }`,
    // The names the single-PC repair accepts (main/repair/step-kinds.ts ESP_FOREIGN_FOLDER): never Microsoft or Boot.
    // Never a folder holding a .efi file (another OS's loader, the firmware's tools), nor one whose loaders were not counted.
    "$sdMove = @($sdBoot.Esp.Folders | Where-Object { $null -ne $_.Loaders -and [int]$_.Loaders -eq 0 } | ForEach-Object { [string]$_.Name } | Where-Object { $_ -match '^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$' -and $_ -notmatch '[. ]$' -and $_ -notmatch '\\.\\.' -and @('microsoft', 'boot') -notcontains $_.Trim().ToLowerInvariant() })",
    `if (-not $sdMove.Count) { throw ${psTextLiteral("Not run: every folder on this device's EFI partition is Windows' own (\\EFI\\Microsoft, \\EFI\\Boot) or holds a boot loader (never moved); nothing is moved. Microsoft's font clean-up under \\EFI\\Microsoft\\Boot, then enlarging the partition by hand, are the next steps.")} }`,
    ...freeNow,
    '$sdUsed = @(@($sdLayout.Partitions | ForEach-Object { [string]$_.DriveLetter }) + @($sdLayout.Volumes | ForEach-Object { [string]$_.DriveLetter }) | Where-Object { $_ })',
    `$sdLetter = @(${letters.map(psLiteral).join(', ')} | Where-Object { $sdUsed -notcontains $_ -and -not (Test-Path -LiteralPath ($_ + ':\\')) }) | Select-Object -First 1`,
    `if (-not $sdLetter) { throw ${psTextLiteral('Not run: no drive letter from S to Z is free to mount the EFI partition at.')} }`,
    // Where SYSTEM keeps the moved folders: made (or found) Administrators and SYSTEM only through the one writer, with
    // no link on its path, before anything is mounted: a standard user's junction or folder there would decide where
    // the boot folders go and own the kept copy.
    ...SECURE_FOLDER_FUNCTIONS.split('\n'),
    `$why = ${movedCall}; if ($why) { throw (${psTextLiteral('Not run: the folder the moved EFI folders are kept in is not safe to use, so nothing is moved: ')} + $why) }`,
    `Write-Output (${psTextLiteral('Moving off the EFI partition (read on this device): ')} + (($sdMove | ForEach-Object { '\\EFI\\' + $_ }) -join ', '))`,
    `$out = & ${psSystemTool(mount.file)} ($sdLetter + ':') ${mount.args.slice(1).map(psLiteral).join(' ')} 2>&1 | Out-String`,
    'Write-Host $out',
    `if ($LASTEXITCODE -ne 0) { throw ${psTextLiteral('mountvol could not mount the EFI partition; nothing was moved.')} }`,
    '$sdFailed = @()',
    'try {',
    '  foreach ($f in $sdMove) {',
    // Each kept copy in a folder of its own, made (or found) ours the same way before robocopy writes into it.
    `    $why = New-SdSecureFolder -Base 'C:\\ProgramData' -Child (${psLiteral(`${movedChild}\\`)} + $f)`,
    "    if ($why) { $sdFailed += ('\\EFI\\' + $f + ' (' + $why + ')'); continue }",
    `    $out = & ${psSystemTool('robocopy.exe')} ($sdLetter + ':\\EFI\\' + $f) (${psLiteral(moved)} + $f) '/E' '/MOVE' '/COPY:DAT' '/R:1' '/W:1' 2>&1 | Out-String`,
    '    Write-Host $out',
    // robocopy: 0-7 are successes (files copied, extra files, mismatches); 8 and above, a failure.
    "    if ($LASTEXITCODE -ge 8) { $sdFailed += ('\\EFI\\' + $f + ' (robocopy exit ' + $LASTEXITCODE + ')') }",
    '  }',
    '} finally {',
    `  $out = & ${psSystemTool(unmount.file)} ($sdLetter + ':') ${unmount.args.slice(1).map(psLiteral).join(' ')} 2>&1 | Out-String`,
    '  Write-Host $out',
    '}',
    `if ($sdFailed.Count) { throw (${psTextLiteral('Not moved: ')} + ($sdFailed -join ', ') + ${psTextLiteral('. What was moved is kept in ')} + ${psLiteral(moved)} + '.') }`,
    ...freeNow,
    `if (-not $sdVol -or [long]$sdVol.SizeRemaining -lt ${ESP_NEEDED_BYTES}) { throw (${psTextLiteral('Not verified: after the move the EFI partition has ')} + [math]::Round([long]$sdVol.SizeRemaining / 1MB, 1) + ${psTextLiteral(' MB free; 15 MB is needed. Enlarging it is the next step (by hand).')}) }`,
    `Write-Output (${psTextLiteral('Verified: the EFI partition has ')} + [math]::Round([long]$sdVol.SizeRemaining / 1MB, 1) + ${psTextLiteral(' MB free (15 MB needed). Moved folders are kept in ')} + ${psLiteral(moved)} + ${psTextLiteral(' (to put back: robocopy each folder back with /E /MOVE /COPY:DAT).')})`,
    "Write-Host 'All steps ran.'",
  ]
}

/**
 * The repairs whose fleet remediation is read and decided on the device alone (no single-PC plan, no package): their
 * group plan carries only the build and architecture it was made for (fleet-service's buildFix makes it).
 */
export const DEVICE_SIDE_REPAIRS: ReadonlySet<string> = new Set([
  'winre-enable',
  'winre-resize',
  'install-checkpoint',
  'installer-fix',
])

/** Where the installer fix keeps the registry keys it deletes (reg export), administrators and SYSTEM only. */
export const INSTALLER_FIX_DIR = 'C:\\ProgramData\\ServicingDesk\\fleet\\task-cache'

/**
 * An installer that failed (the installer-failed group, 0x800F0922), decided on THIS device from its own evidence:
 * - Task Scheduler's cache corrupted for \Microsoft\Windows\PI\SecureBootEncodeUEFI (the Tree key names a GUID with
 *   no Tasks definition): Microsoft's documented fix, "Error 0x800f0922 caused by corrupted scheduled task when
 *   installing Windows updates" (learn.microsoft.com/troubleshoot/windows-server/installing-updates-features-roles/
 *   error-0x800f0922-installing-windows-updates): the staged update packages removed (DISM /Remove-Package, each exit
 *   code checked), the task's GUID read from its Tree key, its Maintenance, Plain and Tasks entries and the Tree key
 *   deleted (reg delete), each kept first with reg export in a folder only administrators and SYSTEM can write (the
 *   undo: reg import). Verified: no Tree key left, no staged package left. The update then installs again from Windows
 *   Update, which registers the task afresh.
 * - Any other installer CBS.log names: Microsoft documents no fix this script could run for it, so nothing is changed
 *   and the script fails (exit 1, the console counts it) naming the installer, its line and what to collect next.
 * Refused before anything changes, with its reason: servicing mid-way (the whole-PC guard of the registry's
 * remove-package and task-cache steps: RebootInProgress, a restart pending with pending.xml, TrustedInstaller running,
 * packages waiting for their restart).
 */
function installerBody(): string[] {
  const packages = `& ${psSystemTool(windowsPackageCommand.file)} ${windowsPackageCommand.args.map(psLiteral).join(' ')} 2>$null | Out-String | ConvertFrom-Json | ForEach-Object { $_ }`
  const removeTpl = commandOfKind(
    'dism-remove-package',
    { identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1.1.1' },
    DEVICE_ENV,
  )
  const removeArgs = removeTpl.args
    .map((a) => (a.startsWith('/PackageName:') ? "('/PackageName:' + $p)" : psLiteral(a)))
    .join(' ')
  const exportOf = (key: string) => taskCacheExportCommand(key, 'X')
  const del = taskCacheDeleteCommand('X')
  const exp = exportOf('X')
  const next = psTextLiteral(
    ' Microsoft documents a fix this script runs only for the Task Scheduler installer and its corrupted SecureBootEncodeUEFI task; nothing was changed. Next: collect this PC (servicing-desk scan --out, or the collector) for its CBS.log and CbsPersist logs, and look up that installer in them.',
  )
  return [
    ...guardLinesForKinds(['remove-package', 'task-cache']),
    // (The detection's helpers, Get-SddMark and the history reader, are defined by the script before this runs.)
    ...secureBootEncodeCorruptLines(),
    'if (-not $sddTask) {',
    ...failedInstallerLines().map((l) => `  ${l}`),
    `  if ($sddInstaller) { throw (${psTextLiteral('Not fixed: the installer that failed on this PC is ')} + "'" + $sddInstaller + "'" + ${psTextLiteral(' (CBS.log: ')} + $sddInstallerLine + ').' + ${next}) }`,
    `  throw (${psTextLiteral('Not fixed: neither a corrupted SecureBootEncodeUEFI task nor a failed installer in CBS.log was found on this PC.')} + ${next})`,
    '}',
    `Write-Output (${psTextLiteral("Task Scheduler's cache names the SecureBootEncodeUEFI task ")} + $sddTask + ${psTextLiteral(" with no Tasks definition: Microsoft's fix for 0x800F0922 (corrupted scheduled task).")})`,
    // The folder the deleted keys are kept in, made (or found) administrators and SYSTEM only before anything changes.
    ...SECURE_FOLDER_FUNCTIONS.split('\n'),
    `$why = ${secureFolderCall(INSTALLER_FIX_DIR)}`,
    `if ($why) { throw (${psTextLiteral('Not run: the folder the task cache is kept in is not safe to use: ')} + $why + ${psTextLiteral(' (nothing was changed).')}) }`,
    // Steps 1-2 of the article: the staged update packages, read and removed on this PC.
    `$sdStaged = @(${packages} | Where-Object { [string]$_.PackageState -eq 'Staged' } | ForEach-Object { [string]$_.PackageName })`,
    'foreach ($p in $sdStaged) {',
    `  Write-Output (${psTextLiteral('Removing the staged package ')} + $p)`,
    `  $out = & ${psSystemTool(removeTpl.file)} ${removeArgs} 2>&1 | Out-String`,
    '  Write-Host $out',
    `  if (@(0, 3010) -notcontains $LASTEXITCODE) { throw (${psTextLiteral('Failed: DISM could not remove the staged package ')} + $p + ' (exit 0x' + ('{0:X8}' -f $LASTEXITCODE) + ${psTextLiteral('); the task cache was not touched. See C:\\Windows\\Logs\\CBS\\CBS.log.')}) }`,
    '}',
    // Steps 3-4: each key of the task kept (reg export), then deleted.
    `$sdKeys = @(@(${TASK_GUID_KEYS.map((k) => psLiteral(`${TASK_CACHE_KEY}\\${k}\\`)).join(', ')}) | ForEach-Object { $_ + $sddTask }) + @(${psLiteral(SECURE_BOOT_ENCODE_TREE_KEY)})`,
    '$sdKept = @()',
    'foreach ($k in $sdKeys) {',
    "  if ($null -eq (Get-SddRegQuery @('query', $k))) { continue }",
    `  $sdFile = ${psLiteral(`${INSTALLER_FIX_DIR}\\`)} + $(if ($k -eq ${psLiteral(SECURE_BOOT_ENCODE_TREE_KEY)}) { 'Tree' } else { ($k -split '\\\\')[-2] }) + '.reg'`,
    `  $out = & ${psSystemTool(exp.file)} ${psLiteral(exp.args[0]!)} $k $sdFile ${psLiteral(exp.args[3]!)} 2>&1 | Out-String`,
    `  if ($LASTEXITCODE -ne 0) { throw (${psTextLiteral('Not run: reg export of ')} + $k + ${psTextLiteral(' failed; it was not deleted: ')} + $out.Trim()) }`,
    '  $sdKept += $sdFile',
    `  $out = & ${psSystemTool(del.file)} ${psLiteral(del.args[0]!)} $k ${psLiteral(del.args[2]!)} 2>&1 | Out-String`,
    `  if ($LASTEXITCODE -ne 0) { throw (${psTextLiteral('Failed: reg delete of ')} + $k + ' (exit ' + $LASTEXITCODE + '): ' + $out.Trim() + ${psTextLiteral('. Kept copies: ')} + ($sdKept -join ', ')) }`,
    `  Write-Output (${psTextLiteral('Deleted ')} + $k + ${psTextLiteral(' (kept in ')} + $sdFile + ')')`,
    '}',
    // Verified on this PC: the Tree key gone, no staged package left.
    `if ($null -ne (Get-SddRegQuery @('query', ${psLiteral(SECURE_BOOT_ENCODE_TREE_KEY)}))) { throw ${psTextLiteral("Not verified: the SecureBootEncodeUEFI task's Tree key is still there.")} }`,
    `$sdLeft = @(${packages} | Where-Object { [string]$_.PackageState -eq 'Staged' })`,
    `if ($sdLeft.Count) { throw (${psTextLiteral('Not verified: staged packages are still listed: ')} + (($sdLeft | ForEach-Object { [string]$_.PackageName }) -join ', ')) }`,
    `Write-Output (${psTextLiteral("Verified: the task's cache entries are deleted and no staged package is left. The update installs again from Windows Update's next scan, which registers the task afresh. To undo: reg import ")} + ($sdKept -join ', ') + '.')`,
    "Write-Host 'All steps ran.'",
  ]
}

/** Where the checkpoint's file is kept and checked on the device before DISM is given it (administrators and SYSTEM only). */
export function checkpointWorkDir(kb: string, arch: string): string {
  return `C:\\ProgramData\\ServicingDesk\\fleet\\checkpoint\\${kb.replace(/[^A-Za-z0-9]/g, '')}-${arch.replace(/[^A-Za-z0-9]/g, '')}`
}
export function deviceSidePlan(repairId: string, build: string, arch: string, machineName: string): GroupPlan {
  const plan = { repairId, steps: [], warnings: [], manual: [], refused: null } as unknown as RepairPlan
  const env = DEVICE_ENV
  return { build, arch, plan, env, machineName }
}

/**
 * WinRE disabled (the winre-disabled group; Microsoft's REAgentC reference: /enable turns on a WinRE image, /disable
 * turns it off and keeps the image in %SystemRoot%\System32\Recovery). Read on THIS device when the script runs, and
 * acted on only where its evidence holds the precondition: `reagentc /info` says Disabled AND the image /enable takes is
 * there (C:\Windows\System32\Recovery\Winre.wim). Otherwise nothing is changed and the script says why ("Not fixed:
 * …", exit 1: Intune's report shows it and the detection still finds the device). reagentc /enable's exit code is
 * checked and the result verified by reagentc /info. Reversible: reagentc /disable. Nothing is deleted, no partition is
 * touched (a missing image, or a recovery partition too small, is fixed by hand).
 */
function winreEnableBody(): string[] {
  const info = `& ${psSystemTool(reagentcInfoCommand.file)} ${reagentcInfoCommand.args.map(psLiteral).join(' ')} 2>&1 | Out-String`
  const image = STAGED_WINRE_WIM.replace(/^C:\\Windows\\/, '')
  return [
    `$sdInfo = ${info}`,
    `if ($LASTEXITCODE -ne 0 -or $sdInfo -notmatch 'Windows RE status:\\s*(\\w+)') { throw ${psTextLiteral('Not fixed: reagentc /info did not say the state of WinRE on this device; nothing was changed.')} }`,
    `if ($Matches[1] -ne 'Disabled') { Write-Output (${psTextLiteral('Not needed: reagentc /info says WinRE is ')} + $Matches[1] + '.'); return }`,
    `$sdImage = Join-Path $env:SystemRoot ${psLiteral(image)}`,
    `if (-not (Test-Path -LiteralPath $sdImage -PathType Leaf)) { throw (${psTextLiteral('Not fixed: WinRE is disabled and its image is not at ')} + $sdImage + ${psTextLiteral(', where reagentc /enable takes it from; nothing was changed. Put back the winre.wim of this build (from its installation media) by hand, then run this again.')}) }`,
    `Write-Output (${psTextLiteral('WinRE is disabled on this device and its image is at ')} + $sdImage + ${psTextLiteral(': enabling it (reagentc /enable).')})`,
    `$out = & ${psSystemTool(reagentcEnableCommand.file)} ${reagentcEnableCommand.args.map(psLiteral).join(' ')} 2>&1 | Out-String`,
    'Write-Host $out',
    `if ($LASTEXITCODE -ne 0) { throw (${psTextLiteral('Not fixed: reagentc /enable failed (exit ')} + $LASTEXITCODE + '): ' + $out.Trim()) }`,
    `$sdInfo = ${info}`,
    `if ($sdInfo -notmatch 'Windows RE status:\\s*Enabled') { throw ${psTextLiteral('Not verified: reagentc /enable ended, but reagentc /info does not say WinRE is enabled.')} }`,
    `Write-Output ${psTextLiteral('Verified: reagentc /info says WinRE is enabled. To undo: reagentc /disable.')}`,
    "Write-Host 'All steps ran.'",
  ]
}

/**
 * KB5034441's small recovery partition (the winre-partition-too-small group): Microsoft's KB5028997 resize, read and
 * decided on THIS device — its own disk, partition numbers and BitLocker state, never the planning PC's. Preconditions,
 * each a failure with its reason and nothing changed: BitLocker on without a recovery password protector (the resize can
 * make the PC ask for the recovery key, and there would be none); WinRE's partition unknown; the recovery partition not
 * right after the Windows partition on the same disk (where the shrink takes the space from); under 250 MB + 1 GB free
 * on Windows. Then reagentc /disable, the diskpart script (shrink Windows by 250 MB, recreate the recovery partition,
 * in a folder only administrators and SYSTEM can write), reagentc /enable, each exit code checked, and verified: the
 * recovery partition has 250 MB free. The Safe OS update itself (KB5034441) then installs from Windows Update's next
 * scan, as Microsoft's KB5028997 says; the script says so.
 */
function winreResizeBody(): string[] {
  const layout = `& ${psSystemTool(storageLayoutCommand.file)} ${storageLayoutCommand.args.map(psLiteral).join(' ')} 2>$null | Out-String | ConvertFrom-Json`
  // The script's lines with the device's own numbers put in on the device (placeholders never a real partition number);
  // each in parentheses: in an array PowerShell's comma binds before +.
  const template = (gpt: boolean) =>
    resizeScriptFor({ disk: 9901, osPartition: 9902, recoveryPartition: 9903, gpt })
      .map((l) =>
        psLiteral(l)
          .replace('9901', "' + $sdDisk + '")
          .replace('9902', "' + $sdOsN + '")
          .replace('9903', "' + $sdRecN + '"),
      )
      .map((l) => `(${l})`)
  const margin = 1024 * 1024 * 1024
  return [
    // BitLocker by the one rule every script runs (main/repair/whole-pc-guard.ts, from the registry's `touches` of the
    // resize): TPM only, protectors unread or protection unknown refuses before anything changes. It reads the layout.
    ...wholePcGuardLines('winre-resize'),
    '$sdLayout = $sdSt',
    `if ([string]$sdLayout.ReagentcInfo -notmatch 'harddisk(\\d+)\\\\partition(\\d+)') { throw ${psTextLiteral('Not run: reagentc /info does not say which partition holds WinRE (WinRE may be disabled); nothing was changed. Enable WinRE first (the winre-disabled group), then run this again.')} }`,
    '$sdDisk = [int]$Matches[1]; $sdRecN = [int]$Matches[2]',
    "$sdLetter = ([string]$sdLayout.SystemDrive).TrimEnd(':')",
    '$sdOs = @($sdLayout.Partitions | Where-Object { [string]$_.DriveLetter -eq $sdLetter }) | Select-Object -First 1',
    '$sdRec = @($sdLayout.Partitions | Where-Object { [int]$_.DiskNumber -eq $sdDisk -and [int]$_.PartitionNumber -eq $sdRecN }) | Select-Object -First 1',
    '$sdGap = if ($sdOs -and $sdRec) { [long]$sdRec.Offset - ([long]$sdOs.Offset + [long]$sdOs.Size) } else { -1 }',
    `if (-not $sdOs -or -not $sdRec -or [int]$sdOs.DiskNumber -ne $sdDisk -or $sdGap -lt 0 -or $sdGap -gt 1MB) { throw ${psTextLiteral("Not run: the recovery partition is not right after the Windows partition on the same disk, where Microsoft's resize (KB5028997) takes its space from; nothing was changed. Resize it by hand on this PC.")} }`,
    '$sdOsN = [int]$sdOs.PartitionNumber',
    '$sdOsVol = @($sdLayout.Volumes | Where-Object { [string]$_.DriveLetter -eq $sdLetter }) | Select-Object -First 1',
    `if (-not $sdOsVol -or [long]$sdOsVol.SizeRemaining -lt ${RESIZE_MB * 1024 * 1024 + margin}) { throw ${psTextLiteral(`Not run: Windows' partition needs ${RESIZE_MB} MB to give and 1 GB to keep free; nothing was changed. Free space on it first.`)} }`,
    "$sdGpt = [string](@($sdLayout.Disks | Where-Object { [int]$_.Number -eq $sdDisk }) | Select-Object -First 1).PartitionStyle -eq 'GPT'",
    // diskpart runs what it finds in the script: written only into a folder of administrators and SYSTEM, checked
    // before anything changes (a planted folder stops the run while WinRE is still on).
    ...SECURE_FOLDER_FUNCTIONS.split('\n'),
    `$why = ${secureFolderCall(WORK_DIR)}`,
    `if ($why) { throw (${psTextLiteral('Not run: ')} + $why + ${psTextLiteral(' (nothing was changed).')}) }`,
    `Write-Output (${psTextLiteral('Resizing on this device (KB5028997): disk ')} + $sdDisk + ${psTextLiteral(', Windows partition ')} + $sdOsN + ${psTextLiteral(' gives 250 MB to recovery partition ')} + $sdRecN + '.')`,
    `$out = & ${psSystemTool(reagentcDisableCommand.file)} ${reagentcDisableCommand.args.map(psLiteral).join(' ')} 2>&1 | Out-String`,
    'Write-Host $out',
    `if ($LASTEXITCODE -ne 0) { throw (${psTextLiteral('Not run: reagentc /disable failed (exit ')} + $LASTEXITCODE + ${psTextLiteral('); no partition was changed.')}) }`,
    `$sdLines = if ($sdGpt) { @(${template(true).join(', ')}) } else { @(${template(false).join(', ')}) }`,
    // Through the writer: only into the folder it checked, an old file replaced, never followed.
    `Write-SdTextFile ${psLiteral(WORK_DIR)} ${psLiteral(DISKPART_SCRIPT_PATH.slice(WORK_DIR.length + 1))} ($sdLines -join [Environment]::NewLine)`,
    `$out = & ${psSystemTool(diskpartScriptCommand.file)} ${diskpartScriptCommand.args.map(psLiteral).join(' ')} 2>&1 | Out-String`,
    'Write-Host $out',
    `if ($LASTEXITCODE -ne 0) { throw (${psTextLiteral('Failed: diskpart exited ')} + $LASTEXITCODE + ${psTextLiteral('; the disk may be half-resized: finish it by hand (KB5028997) before anything else, then run reagentc /enable.')}) }`,
    `$out = & ${psSystemTool(reagentcEnableCommand.file)} ${reagentcEnableCommand.args.map(psLiteral).join(' ')} 2>&1 | Out-String`,
    'Write-Host $out',
    `if ($LASTEXITCODE -ne 0) { throw (${psTextLiteral('Failed: the partition was resized, but reagentc /enable failed (exit ')} + $LASTEXITCODE + ${psTextLiteral('): WinRE is off. Run reagentc /enable by hand.')}) }`,
    `$sdAfter = ${layout}`,
    `if ([string]$sdAfter.ReagentcInfo -notmatch 'harddisk(\\d+)\\\\partition(\\d+)') { throw ${psTextLiteral('Not verified: after the resize reagentc /info names no WinRE partition.')} }`,
    '$sdP = @($sdAfter.Partitions | Where-Object { [int]$_.DiskNumber -eq [int]$Matches[1] -and [int]$_.PartitionNumber -eq [int]$Matches[2] }) | Select-Object -First 1',
    '$sdV = @($sdAfter.Volumes | Where-Object { @($sdP.AccessPaths) -contains $_.Path }) | Select-Object -First 1',
    `if (-not $sdV -or [long]$sdV.SizeRemaining -lt ${WINRE_NEEDED_BYTES}) { throw ${psTextLiteral('Not verified: the recovery partition still has under 250 MB free after the resize.')} }`,
    `Write-Output (${psTextLiteral('Verified: the recovery partition has ')} + [math]::Round([long]$sdV.SizeRemaining / 1MB) + ${psTextLiteral(" MB free and WinRE is enabled. The Safe OS update (KB5034441) now installs from Windows Update's next scan (KB5028997).")})`,
    "Write-Host 'All steps ran.'",
  ]
}

/**
 * The missing checkpoint (the missing-checkpoint group): the branch's checkpoint cumulative update (KB5043080 on
 * Windows 11 24H2/25H2), installed before any later cumulative update, as Microsoft's "Checkpoint cumulative updates
 * and Microsoft Update Catalog usage" says (install the checkpoint first, then the cumulative update: each MSU in
 * order with DISM, or the target with its checkpoints alone in one folder). Here the checkpoint alone, so the next
 * cumulative update (Windows Update's, or the admin's) then installs. Decided on THIS device, each a failure with its
 * reason and nothing installed: no Catalog file of this device's native architecture was found when the fix was built,
 * or it has no published hash; Windows servicing waits for a restart or is in the middle of one (CBS RebootPending,
 * RebootInProgress, PackagesPending, pending.xml: a second install on top of pending operations fails or half-applies).
 * BitLocker is no precondition here: a cumulative update does not change the partitions, and Windows keeps BitLocker's
 * own handling of its restart.
 * The file: the copy beside this script when the Win32 app or ConfigMgr package carries it, else fetched on the device
 * from the Catalog's file host over HTTPS (no redirect followed; the host checked first), into a folder only
 * administrators and SYSTEM can write (the one writer: no link on its path), hashed THERE (SHA-256 and SHA-1 as the
 * Catalog published them) and DISM given that copy at once, by its full path, with nothing else in the folder that DISM
 * would pick up. Verified: the checkpoint's package is listed (installed, or installed pending the restart).
 */
function checkpointBody(g: GroupPlan): string[] {
  const pk = g.package
  if (!pk)
    return [
      `throw ${psTextLiteral(`Not run: ${g.packageProblem ?? `no Catalog file of the checkpoint for ${g.arch} was found when this fix was built`}; nothing was installed. Build the fix again where the Microsoft Update Catalog can be reached.`)}`,
    ]
  if (!pk.sha256 && !pk.sha1)
    return [
      `throw ${psTextLiteral(`Not run: the Catalog published no hash for ${pk.fileName}, so a fetched copy could not be checked; nothing was installed.`)}`,
    ]
  const work = checkpointWorkDir(pk.kb, pk.arch)
  const [cpBuild, cpUbr] = (() => {
    const u = allKnownUpdates().find((x) => x.kb === pk.kb)
    return u ? [u.baseBuild, u.ubr] : [0, 0]
  })()
  const dismArgs = dismAddPackageArgs({ kind: 'online' }, `${work}\\${pk.fileName}`)
  const reboot = `& ${psSystemTool(rebootSourcesCommand.file)} ${rebootSourcesCommand.args.map(psLiteral).join(' ')} 2>$null | Out-String | ConvertFrom-Json`
  const packages = `& ${psSystemTool(windowsPackageCommand.file)} ${windowsPackageCommand.args.map(psLiteral).join(' ')} 2>$null | Out-String | ConvertFrom-Json | ForEach-Object { $_ }`
  return [
    `$sdKb = ${psLiteral(pk.kb)}`,
    `$sdName = ${psLiteral(pk.fileName)}`,
    `$sdSha256 = ${psLiteral((pk.sha256 ?? '').toUpperCase())}`,
    `$sdSha1 = ${psLiteral((pk.sha1 ?? '').toUpperCase())}`,
    `$sdWork = ${psLiteral(work)}`,
    `$sdReboot = ${reboot}`,
    `if (-not $sdReboot) { throw ${psTextLiteral('Not run: whether Windows servicing waits for a restart could not be read; nothing was installed.')} }`,
    "$sdBusy = @(foreach ($k in @('CbsRebootPending', 'CbsRebootInProgress', 'CbsPackagesPending', 'PendingXml')) { if ($sdReboot.$k -eq $true) { $k } })",
    `if ($sdBusy.Count) { throw (${psTextLiteral('Not run: Windows servicing is in the middle of an operation that waits for a restart (')} + ($sdBusy -join ', ') + ${psTextLiteral('); installing the checkpoint on top of it can fail or half-apply. Restart the PC, then run this again. Nothing was installed.')}) }`,
    // The file is checked where DISM reads it: a folder of administrators and SYSTEM (a user's junction or file there would choose what is installed).
    ...SECURE_FOLDER_FUNCTIONS.split('\n'),
    `$why = ${secureFolderCall(work)}`,
    `if ($why) { throw (${psTextLiteral('Not run: the folder the checkpoint is checked in is not safe to use, so nothing was installed: ')} + $why) }`,
    // Only the checkpoint in the folder DISM is given (DISM installs the other update packages it finds beside it).
    'Get-ChildItem -LiteralPath $sdWork -File | Where-Object { $_.Name -ne $sdName } | Remove-Item -Force',
    '$sdPath = Join-Path $sdWork $sdName',
    "$sdCarried = if ($PSScriptRoot) { Join-Path $PSScriptRoot $sdName } else { '' }",
    'if ($sdCarried -and (Test-Path -LiteralPath $sdCarried -PathType Leaf)) {',
    `  Write-Output (${psTextLiteral('The checkpoint comes with this package: ')} + $sdName)`,
    '  Copy-Item -LiteralPath $sdCarried -Destination $sdPath -Force',
    '} else {',
    `  $sdUrl = ${psLiteral(pk.url)}`,
    `  $sdOrigins = @(${pk.origins.map(psLiteral).join(', ')})`,
    '  $sdUri = [Uri]$sdUrl',
    "  if (-not $sdUri.IsAbsoluteUri -or $sdOrigins -notcontains ($sdUri.Scheme + '://' + $sdUri.Authority)) { throw (" +
      psTextLiteral('Not run: the checkpoint is fetched only from the Catalog’s file hosts (') +
      " + ($sdOrigins -join ', ') + " +
      psTextLiteral('), not from ') +
      " + $sdUri.Authority + '; nothing was installed.') }",
    `  Write-Output (${psTextLiteral('Fetching the checkpoint from the Microsoft Update Catalog: ')} + $sdUrl)`,
    // Windows PowerShell 5.1 may offer only TLS 1.0 by default; the Catalog's hosts need TLS 1.2. No progress bar (it
    // slows 5.1's download many times over), no redirect followed (the host was checked; another one is refused).
    '  try { [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12 } catch { }',
    "  $ProgressPreference = 'SilentlyContinue'",
    '  try { Invoke-WebRequest -Uri $sdUri -OutFile $sdPath -UseBasicParsing -MaximumRedirection 0 -ErrorAction Stop }',
    `  catch { Remove-Item -LiteralPath $sdPath -Force -ErrorAction SilentlyContinue; throw (${psTextLiteral('Not run: the checkpoint could not be fetched (')} + $_.Exception.Message + ${psTextLiteral('); nothing was installed.')}) }`,
    '}',
    // The copy DISM will read, hashed there against the hashes the Catalog published.
    'if ($sdSha256) { $h = (Get-FileHash -LiteralPath $sdPath -Algorithm SHA256).Hash; if ($h -ne $sdSha256) { Remove-Item -LiteralPath $sdPath -Force; throw (' +
      psTextLiteral('Not run: ') +
      ' + $sdName + ' +
      psTextLiteral(' has SHA-256 ') +
      ' + $h + ' +
      psTextLiteral(', the Catalog published ') +
      ' + $sdSha256 + ' +
      psTextLiteral('; it was deleted and nothing was installed.') +
      ') } }',
    'if ($sdSha1) { $h = (Get-FileHash -LiteralPath $sdPath -Algorithm SHA1).Hash; if ($h -ne $sdSha1) { Remove-Item -LiteralPath $sdPath -Force; throw (' +
      psTextLiteral('Not run: ') +
      ' + $sdName + ' +
      psTextLiteral(' has SHA-1 ') +
      ' + $h + ' +
      psTextLiteral(', the Catalog published ') +
      ' + $sdSha1 + ' +
      psTextLiteral('; it was deleted and nothing was installed.') +
      ') } }',
    `Write-Output (${psTextLiteral('Checked: ')} + $sdName + ${psTextLiteral(' matches the hashes the Catalog published. Installing it (DISM /Add-Package), before any later cumulative update.')})`,
    `$out = & ${psSystemTool('dism.exe')} ${dismArgs.map(psLiteral).join(' ')} 2>&1 | Out-String`,
    'Write-Host $out',
    "$sdCode = [Convert]::ToUInt32(('{0:X8}' -f $LASTEXITCODE), 16)",
    `if ($sdCode -ne 0 -and $sdCode -ne 3010) { throw (${psTextLiteral('Failed: DISM could not install the checkpoint (exit 0x')} + ('{0:X8}' -f $sdCode) + ${psTextLiteral('); see C:\\Windows\\Logs\\CBS\\CBS.log.')}) }`,
    `$sdIn = @(${packages} | Where-Object { [string]$_.PackageName -match ${psLiteral(`^Package_for_RollupFix~[^~]*~[^~]*~[^~]*~${cpBuild}\\.${cpUbr}\\.`)} -and @('Installed', 'InstallPending', 'Superseded') -contains [string]$_.PackageState })`,
    `if (-not $sdIn.Count) { throw ${psTextLiteral('Not verified: DISM ended, but the checkpoint’s package is not listed as installed or pending the restart.')} }`,
    `Write-Output (${psTextLiteral('Verified: the checkpoint ')} + $sdKb + ${psTextLiteral(' is ')} + [string]$sdIn[0].PackageState + ${psTextLiteral('. Restart the PC to finish it (this script never restarts); the next cumulative update then installs.')})`,
    "Write-Host 'All steps ran.'",
  ]
}

export function remediationScript(groups: GroupPlan[], cause: string, test: string[]): string {
  if (!groups.length) throw new FixScriptError(`No plan for '${cause}': collect a file from one of its devices first.`)
  const L = [
    '<#',
    psComment(
      `  Servicing Desk fleet remediation for the cause "${cause}" (Intune Remediations, ConfigMgr, Invoke-Command).`,
    ),
    psComment(
      '  Intune and ConfigMgr run it as SYSTEM; FanOut.ps1 (Invoke-Command) runs it as the administrator who connects,',
    ),
    psComment('  not as SYSTEM. In 64-bit Windows PowerShell 5.1; it never restarts the PC.'),
    '#>',
    "$ErrorActionPreference = 'Stop'",
    '',
  ]
  for (const [i, g] of groups.entries()) {
    L.push(
      psComment(`# Build ${g.build} on ${g.arch}`),
      `function Invoke-SdFix${i} {`,
      ...guards(g).map((l) => `  ${l}`),
      ...remediationBody(g).map((l) => `  ${l}`),
      // Reached only when every step ran: the device records it (its detection reads it where only the history shows the cause).
      ...markLines(cause).map((l) => `  ${l}`),
      '}',
      '',
    )
  }
  // Only where the cause holds on this device now (Invoke-Command and ConfigMgr run it without Intune's detection first).
  // Facts that could not be read decide nothing: a failure with the reason (exit 0 would count as a fix that ran).
  L.push(
    ...CAUSE_HELPERS,
    ...test,
    `if ($null -eq $sddCause -and $sddWhy) { Write-Output (${psTextLiteral(`Not run: whether this device has the cause "${cause}" could not be read: `)} + $sddWhy); exit 1 }`,
    `if ($sddCause -ne $true) { Write-Output ${psTextLiteral(`Not run: this device does not have the cause "${cause}" now.`)}; exit 0 }`,
  )
  const cvKey = currentVersionCommand.args[1]!.replace(/^HKLM\\/, 'HKLM:\\')
  L.push(
    `$cv = Get-ItemProperty -LiteralPath ${psLiteral(cvKey)}`,
    "$here = [string]$cv.CurrentBuild + '.' + [string]$cv.UBR",
  )
  // By build and native architecture: one build's x64 and ARM64 devices have plans of their own (their packages differ).
  L.push(
    `$hereArch = [string](Get-ItemProperty -LiteralPath ${psLiteral(NATIVE_ARCH_KEY)} -ErrorAction SilentlyContinue).PROCESSOR_ARCHITECTURE`,
    'if (-not $hereArch) { $hereArch = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE } }',
  )
  for (const [i, g] of groups.entries())
    L.push(
      `if ($here -eq ${psLiteral(g.build)} -and $hereArch -eq ${psLiteral(ARCH_ENV[g.arch] ?? g.arch)}) { Invoke-SdFix${i}; exit 0 }`,
    )
  // The device has the cause and no plan fits it: a failure with the reason, so the console counts it (exit 0 read as "ran").
  const planned = groups.map((g) => `${g.build} on ${g.arch}`).join(', ')
  L.push(
    `Write-Output (${psTextLiteral('Not run: this device has the cause, but no plan of this fix is for build ')} + $here + ' ' + $hereArch + ${psTextLiteral(` (planned for: ${planned}). Collect a file from one device of this build and build the fix again.`)})`,
    'exit 1',
    '',
  )
  return powerShellFileText(L.join('\r\n'))
}

/**
 * ConfigMgr keeps 4 KB of a script's output: the remediation's, cut to its end (where the outcome is). A failure is
 * caught inside, so its message is kept in that output too (uncaught, it ended the script before the output was
 * written: Run Scripts showed the exception alone), and the script ends with an explicit exit code: 0 when the fix
 * ran (a restart it needs is said in the output), 1 when it failed — not the last program's code (DISM's 3010).
 */
export function configMgrScript(remediation: string): string {
  const inner = remediation.replace(/^\uFEFF/, '')
  return powerShellFileText(
    [
      '# Servicing Desk fleet fix for ConfigMgr Run Scripts (runs as SYSTEM; output kept: 4 KB).',
      '$sdFailed = $false',
      '$sdOut = & {',
      'try {',
      inner.replace(/\bexit 0\b/g, 'return').replace(/\bexit 1\b/g, '$script:sdFailed = $true; return'),
      "} catch { Write-Output ('Failed: ' + $_.Exception.Message); $script:sdFailed = $true }",
      '} *>&1 | Out-String',
      `if ($sdOut.Length -gt ${CONFIGMGR_OUTPUT_MAX}) { $sdOut = '...' + $sdOut.Substring($sdOut.Length - ${CONFIGMGR_OUTPUT_MAX - 3}) }`,
      'Write-Output $sdOut',
      'if ($sdFailed) { exit 1 }',
      'exit 0',
      '',
    ].join('\r\n'),
  )
}

/**
 * CMPivot (its Kusto subset): the group's devices by name (`Device`, `==` and `or`; the first 100, the whole list is
 * computers.txt), and any device whose last collector line shows the cause (`FileContent(<file>)` with its `Content`
 * column, backslashes doubled in the string as memdocs configmgr/core/servers/manage/cmpivot-changes.md shows).
 */
export function cmPivotQuery(devices: readonly string[], sig: LineSignature | null): string {
  const kql = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, '')}'`
  const shown = devices.slice(0, 100)
  const lines = [
    `// Servicing Desk fleet: the devices of this group (${devices.length}${devices.length > 100 ? '; the first 100 here, all of them in computers.txt' : ''})`,
    shown.length
      ? `Device | where ${shown.map((d) => `Device == ${kql(d)}`).join(' or ')}`
      : '// (no device is failing in this group now)',
  ]
  if (sig && (sig.codes.length || sig.winreDisabled)) {
    const conds = [
      ...sig.codes.map((c) => `Content contains '${c}'`),
      ...(sig.winreDisabled ? ["Content contains ' winre=disabled '"] : []),
    ].join(' or ')
    lines.push(
      '',
      '// Any device whose last collector line (written by the fleet detection script) shows the cause',
      `FileContent(${kql(LINE_FILE)}) | where ${conds} | project Device, Content`,
    )
  }
  return `${lines.join('\n')}\n`
}

/**
 * Invoke-Command over a list of names, as an admin runs it from their own PC: the connection options the single-PC
 * CLI has (-Credential, -Authentication, -UseSSL), a throttle; each PC runs the fix, then the detection. Per device:
 * its result (fixed, not needed, failed, not reached) and the remediation's own exit code, in results.csv; the
 * script's exit code says whether every device was fixed or did not need it (0), one failed (1), or one was not
 * reached (2). Each computer's collected file, which the detection wrote and its line names, comes back through one
 * more fan-out (-ThrottleLimit at a time, not one computer after another) as its bytes: a line cannot show every cause
 * gone, the file can. Names are data: they reach Invoke-Command as an array, and a file name only as [A-Za-z0-9._-].
 * The remediation runs as the account you connect with (an administrator), not as SYSTEM as Intune and ConfigMgr run it.
 */
export function fanOutScript(): string {
  return powerShellFileText(
    [
      '<#',
      '.SYNOPSIS',
      'Servicing Desk fleet fix over PowerShell remoting: runs Remediate.ps1 on each computer, then Detect.ps1, and saves',
      'each computer\'s collector line to lines.txt (after the name its session reached), its collected file to the folder "collected" and its result to',
      'results.csv (import with: servicing-desk fleet import lines.txt, then servicing-desk fleet import collected).',
      'The remediation runs as the account you connect with (an administrator of each computer), not as SYSTEM.',
      'Exit code: 0 every computer reported and none failed; 1 a remediation failed; 2 a computer was not reached.',
      '#>',
      'param(',
      '  [Parameter(Mandatory = $true)][string]$ComputerList,',
      '  [int]$ThrottleLimit = 32,',
      "  [string]$OutFile = 'lines.txt',",
      "  [string]$FileFolder = 'collected',",
      "  [string]$ResultFile = 'results.csv',",
      '  [System.Management.Automation.PSCredential]$Credential,',
      "  [ValidateSet('Default', 'Kerberos', 'Negotiate', 'NegotiateWithImplicitCredential', 'Basic', 'Credssp', 'Digest')][string]$Authentication = 'Default',",
      '  [switch]$UseSSL',
      ')',
      "$ErrorActionPreference = 'Continue'",
      "$names = @(Get-Content -LiteralPath $ComputerList | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' })",
      "$fix = Join-Path $PSScriptRoot 'Remediate.ps1'",
      "$detect = Join-Path $PSScriptRoot 'Detect.ps1'",
      // The connection, as the caller gave it (a splat: only what was given).
      "$reach = @{ ComputerName = $names; ThrottleLimit = $ThrottleLimit; ErrorAction = 'Continue' }",
      'if ($Credential) { $reach.Credential = $Credential }',
      "if ($Authentication -ne 'Default') { $reach.Authentication = $Authentication }",
      'if ($UseSSL) { $reach.UseSSL = $true }',
      '$result = @{}',
      "foreach ($n in $names) { $result[$n] = [pscustomobject]@{ Computer = $n; Result = 'not reached'; ExitCode = ''; Detail = '' } }",
      // The remediation as a script block that hands back its own outcome: its exit codes become a result object (an
      // exit inside Invoke-Command ends the remote command without its code).
      '$failed = @()',
      'if (Test-Path -LiteralPath $fix) {',
      '  $text = [System.IO.File]::ReadAllText($fix)',
      "  $text = $text -replace '\\bexit 0\\b', 'return' -replace '\\bexit 1\\b', '$script:sdExit = 1; return'",
      "  $wrapped = '$script:sdExit = 0' + [Environment]::NewLine + '$sdOut = & { try {' + [Environment]::NewLine + $text + [Environment]::NewLine + '} catch { Write-Output (''Failed: '' + $_.Exception.Message); $script:sdExit = 1 } } *>&1 | Out-String' + [Environment]::NewLine + '[pscustomobject]@{ SdFleetResult = $true; ExitCode = $script:sdExit; Output = $sdOut }'",
      '  foreach ($o in @(Invoke-Command @reach -ScriptBlock ([scriptblock]::Create($wrapped)) -ErrorVariable failed)) {',
      '    if (-not $o.SdFleetResult) { continue }',
      '    $r = $result[[string]$o.PSComputerName]',
      '    if (-not $r) { continue }',
      '    $r.ExitCode = [int]$o.ExitCode',
      "    $r.Result = if ([int]$o.ExitCode -ne 0) { 'failed' } elseif ([string]$o.Output -match 'Not run: this device does not have the cause') { 'not needed' } elseif ([string]$o.Output -match 'Not run:') { 'not run' } else { 'fixed' }",
      "    $last = @(([string]$o.Output) -split '\\r?\\n' | Where-Object { $_.Trim() -ne '' }) | Select-Object -Last 1",
      '    $r.Detail = [string]$last',
      "    Write-Host ('[' + $r.Computer + '] ' + $r.Result + ' (exit ' + $r.ExitCode + '): ' + $r.Detail)",
      '  }',
      "} else { Write-Host 'No Remediate.ps1 beside this script (the app has no remediation for this group): the detection only.' }",
      "$out = @(Invoke-Command @reach -FilePath $detect -ErrorVariable unreached | Where-Object { [string]$_ -like 'SDC1 host=*' })",
      'New-Item -ItemType Directory -Force -Path $FileFolder | Out-Null',
      // The collected files back in one more fan-out (in parallel, -ThrottleLimit at a time): each computer sends the
      // file its own line names, only a .zip in the collector's folder.
      '$files = @{}',
      "foreach ($l in $out) { if ([string]$l -match ' file=(.+)$') { $files[[string]$l.PSComputerName] = $Matches[1].Trim() } }",
      '$copied = 0',
      'if ($files.Count) {',
      '  $back = $reach.Clone()',
      '  $back.ComputerName = @($files.Keys)',
      '  $get = {',
      '    param([hashtable]$Files)',
      // Only a .zip directly in this computer's own collector folder (where Detect.ps1 writes it).
      "    $root = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($env:ProgramData + '\\ServicingDesk\\collector').TrimEnd('\\', '/')",
      '    foreach ($f in @($Files.Values | Select-Object -Unique)) {',
      "      if ([string]$f -notmatch '\\.zip$' -or [string]$f -match '\\.\\.') { continue }",
      '      $p = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath([string]$f)',
      '      if ([System.IO.Path]::GetDirectoryName($p) -ne $root) { continue }',
      '      if (Test-Path -LiteralPath $p -PathType Leaf) { [pscustomobject]@{ SdFleetFile = $f; Bytes = [Convert]::ToBase64String([System.IO.File]::ReadAllBytes($p)) } }',
      '    }',
      '  }',
      '  foreach ($o in @(Invoke-Command @back -ScriptBlock $get -ArgumentList $files)) {',
      '    $n = [string]$o.PSComputerName',
      '    if (-not $o.SdFleetFile -or $o.SdFleetFile -ne $files[$n]) { continue }',
      "    $safe = $n -replace '[^A-Za-z0-9._-]', '_'",
      "    try { [System.IO.File]::WriteAllBytes((Join-Path (Resolve-Path -LiteralPath $FileFolder).Path ($safe + '.zip')), [Convert]::FromBase64String([string]$o.Bytes)); $copied++ }",
      "    catch { Write-Warning ($n + ': its collected file was not saved: ' + $_.Exception.Message) }",
      '  }',
      '}',
      // Each line with the computer this console's session reached (the import files it there, whatever its host= says).
      "@($out | ForEach-Object { 'computer=' + [string]$_.PSComputerName + ' ' + [string]$_ }) | Set-Content -LiteralPath $OutFile -Encoding ASCII",
      // Who did not report is told by who did (a remediation's own error is not an unreachable computer); each error as it came.
      'foreach ($e in @(@($failed) + @($unreached) | Where-Object { $_ })) { Write-Warning ([string]$e.Exception.Message) }',
      '$reported = @($out | ForEach-Object { [string]$_.PSComputerName })',
      '$missing = @($names | Where-Object { $reported -notcontains $_ })',
      "foreach ($n in $missing) { Write-Warning ('No line from: ' + $n + ' (not reached, or its detection failed; see above)') }",
      "foreach ($n in $reported) { if ($result[$n].Result -eq 'not reached') { $result[$n].Result = $(if (Test-Path -LiteralPath $fix) { 'not reached by the fix' } else { 'detection only' }) } }",
      '@($names | ForEach-Object { $result[$_] }) | Export-Csv -LiteralPath $ResultFile -NoTypeInformation -Encoding UTF8',
      "Write-Host ('{0} of {1} computers reported; lines in {2}; {3} collected files in {4}; {5} did not report; results in {6}' -f $out.Count, $names.Count, $OutFile, $copied, $FileFolder, $missing.Count, $ResultFile)",
      "if (@($result.Values | Where-Object { $_.Result -eq 'failed' }).Count) { exit 1 }",
      'if ($missing.Count) { exit 2 }',
      'exit 0',
      '',
    ].join('\r\n'),
  )
}

/** Typography the generators write, and its ASCII (PowerShell reads ’ and ‘ as quotes and – — as dashes, like ' and -). */
const ASCII_FOR: Record<string, string> = {
  '\u2026': '...',
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u00A0': ' ',
  '\u2192': '->',
  '\u00D7': 'x',
  '\u2264': '<=',
  '\u2265': '>=',
}

/**
 * The bytes of a script Intune Remediations runs (Detect.ps1, Remediate.ps1; Microsoft's "Script requirements" in
 * memdocs intune/device-management/tools/deploy-remediations: encoded in UTF-8, and without a BOM where "Enforce
 * script signature check" is on). ASCII is both, and Windows PowerShell 5.1 reads a BOM-less ASCII file the same in any
 * code page: the generators' typography becomes its ASCII, the BOM goes, lines end CRLF. A script that still holds
 * other characters (a name from a device, in a comment) keeps UTF-8 with its BOM, which 5.1 needs to read them; with
 * the signature check off, as intuneSettings sets it, Intune takes that too.
 */
export function intuneScriptText(script: string): string {
  const body = script
    .replace(/^\uFEFF/, '')
    .replace(
      /[\u2026\u2018\u2019\u201A\u201B\u201C\u201D\u201E\u2013\u2014\u2212\u00A0\u2192\u00D7\u2264\u2265]/g,
      (c) => ASCII_FOR[c]!,
    )
  return /[^\x00-\x7F]/.test(body) ? powerShellFileText(body) : body.replace(/\r?\n/g, '\r\n')
}

/** Graph's deviceHealthScript body for the pair (upload is not done here: the admin posts it, or imports the files). */
export function intuneSettings(
  cause: string,
  title: string,
  detection: string,
  remediation: string,
  opts: { signed?: boolean } = {},
): string {
  return JSON.stringify(
    {
      '@odata.type': '#microsoft.graph.deviceHealthScript',
      displayName: `Servicing Desk: ${title}`.slice(0, 200),
      description: `Finds and fixes the devices whose diagnosed cause is "${cause}". Detection output: the collector line (at most ${COLLECTOR_LINE_MAX} characters).`,
      publisher: 'Servicing Desk',
      runAs32Bit: false,
      runAsAccount: 'system',
      // Unsigned: with the check on, the device's execution policy runs them, and Windows' default (Restricted) runs nothing.
      // Signed (a code-signing certificate configured; Sign-Scripts.ps1 signs them): the device checks the signature.
      enforceSignatureCheck: opts.signed === true,
      detectionScriptContent: Buffer.from(detection, 'utf8').toString('base64'),
      remediationScriptContent: Buffer.from(remediation, 'utf8').toString('base64'),
    },
    null,
    2,
  )
}
