/**
 * Fleet detection of a CAUSE on the device itself. Each test reads the device's live state with the
 * app's own probe commands (the same CommandSpecs, by full path under %SystemRoot%) and answers whether the cause
 * holds now — never a constant, never a failure code alone (0x800F0922 is both a full EFI partition and a missing
 * checkpoint), and never the update history's old code alone (it keeps the code after a fix, so detection would never
 * come back clean). Where only the history can show a cause (Windows Update's damaged working data), a failure
 * counts only when it is newer than the last successful fleet remediation the device itself recorded
 * (FLEET_MARK_KEY, written by Remediate.ps1 as SYSTEM under HKLM, which only administrators can change).
 *
 * A test is the body of a script block: it returns $true (the cause holds), $false (it does not), and throws when the
 * facts cannot be read (the detection then says so and does not claim the cause).
 */
import { psLiteral } from '../host/powershell-text.ts'
import { psSystemTool } from '../host/system-tools.ts'
import type { CommandSpec } from '../host/host.ts'
import { storageLayoutCommand } from '../machine/probes/storage.ts'
import { rebootSourcesCommand } from '../machine/probes/reboot.ts'
import { bootChainCommand } from '../machine/probes/boot-chain.ts'
import { updateHistoryCommand } from '../machine/probes/history.ts'
import { windowsPackageCommand } from '../machine/probes/packages.ts'
import { currentVersionCommand } from '../machine/probes/os.ts'
import { reagentcInfoCommand } from '../machine/winre-commands.ts'
import { commandOf } from '../repair/step-kinds.ts'
import { ESP_NEEDED_BYTES } from '../diagnose/rules/efi-partition.ts'
import { WU_DATA_CODES } from '../diagnose/rules/wu-components.ts'
import { WU_E_UH_DOESNOTSUPPORTACTION } from '../diagnose/rules/lcu-uninstall.ts'
import { allKnownUpdates, checkpointStatus } from '../knowledge/servicing-chains.ts'
import type { RepairEnv } from '../repair/types.ts'
import { REG_NOT_FOUND, TASK_CACHE_KEY, taskCacheIdCommand } from '../machine/task-cache.ts'

/** Where a fleet remediation records, per cause, the UTC time it last finished (HKLM: administrators only). */
export const FLEET_MARK_KEY = 'HKLM:\\SOFTWARE\\ServicingDesk\\Fleet'
/** KB5034441's documented need: 250 MB free on the recovery partition. */
export const WINRE_NEEDED_BYTES = 250 * 1024 * 1024
const ESP_GPT = '{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}'
const RECOVERY_GPT = '{de94bba4-06d1-4d40-a16a-bfd50179d6ac}'

/**
 * The repairs a fleet remediation runs (Remediate.ps1, ConfigMgr-Fix.ps1, FanOut.ps1): the single-PC repairs, and
 * enabling WinRE and KB5034441's recovery-partition resize (decided on each device from its own reagentc /info, image,
 * disk layout and BitLocker protectors, main/fleet/fix.ts), and installing the missing checkpoint (its Catalog file
 * fetched on the device, or carried beside the script, hash-checked). A group whose repair is another is shown with no
 * repair (the Safe OS update on its own): the fleet has no remediation for it to advertise.
 */
export const FLEET_REMEDIATIONS: ReadonlySet<string> = new Set([
  'free-esp-space',
  'reset-wu-components',
  'restart',
  'remove-package',
  'secure-boot-update',
  'restore-health',
  'winre-enable',
  'winre-resize',
  'install-checkpoint',
  'installer-fix',
])
/**
 * Causes whose fleet remediation is the fleet's own, not a single-PC repair of the diagnosis: an installer that failed
 * (0x800F0922), fixed on the device where its evidence names Microsoft's documented case (main/fleet/fix.ts installerBody).
 */
export const FLEET_ONLY_REPAIRS: Readonly<Record<string, string>> = { 'installer-failed': 'installer-fix' }
export const fleetRepairOf = (repair: string | null | undefined): string | null =>
  repair && FLEET_REMEDIATIONS.has(repair) ? repair : null

/** What a cause's test needs besides the device: knowledge tables for the group's builds (never a device's evidence). */
export interface CauseContext {
  /** The group's builds (`26100.1742`). */
  builds: string[]
}

/**
 * Where a fleet script runs: on the device itself, with the app's data folder at its usual place. No stateDir: the
 * script is planned here for other PCs, so no choice of a definition is kept in this computer's folders.
 */
export const DEVICE_ENV: RepairEnv = {
  hostKind: 'this-pc',
  dataDir: 'C:\\ProgramData\\ServicingDesk',
  resumeCommand: null,
}
const ENV = DEVICE_ENV

/** `& <full path> <args>`: a probe command as the app runs it. */
function call(spec: CommandSpec): string {
  return `(Invoke-SddTool ${psSystemTool(spec.file)} @(${spec.args.map(psLiteral).join(', ')}))`
}

/** The helpers every test uses (once per script). */
export const CAUSE_HELPERS = [
  // Each read-only command once per run (two tests read the same disk layout or history).
  '$script:SddRead = @{}',
  'function Invoke-SddTool([string]$Program, [string[]]$ArgList) {',
  "  $key = $Program + ' ' + ($ArgList -join ' ')",
  '  if ($script:SddRead.ContainsKey($key)) { return $script:SddRead[$key] }',
  '  $o = & $Program @ArgList 2>$null | Out-String',
  "  if ($LASTEXITCODE -ne 0) { throw ('{0} exited with {1}' -f (Split-Path -Leaf $Program), $LASTEXITCODE) }",
  '  $script:SddRead[$key] = $o',
  '  return $o',
  '}',
  // An array's items one by one (Windows PowerShell 5.1 passes a JSON array on as one object, PowerShell 7 its items).
  'function ConvertFrom-SddJson([string]$Text) { $Text | ConvertFrom-Json | ForEach-Object { $_ } }',
  // The UTC time a fleet remediation of this cause last finished on this device, or [DateTime]::MinValue.
  'function Get-SddMark([string]$Cause) {',
  `  $v = Get-ItemProperty -LiteralPath ${psLiteral(FLEET_MARK_KEY)} -ErrorAction SilentlyContinue`,
  '  if ($v -and $v.$Cause) { return [DateTime]::Parse([string]$v.$Cause, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::AdjustToUniversal) }',
  '  return [DateTime]::MinValue',
  '}',
  // ConvertFrom-Json keeps an ISO time a string in Windows PowerShell 5.1 and makes it a DateTime in PowerShell 7.
  'function Get-SddTime($Value) { if ($Value -is [DateTime]) { return $Value.ToUniversalTime() }; return [DateTime]::Parse([string]$Value, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::AdjustToUniversal) }',
]

/** The lines that record a successful remediation of `cause` (the end of Remediate.ps1). */
export function markLines(cause: string): string[] {
  return [
    `if (-not (Test-Path -LiteralPath ${psLiteral(FLEET_MARK_KEY)})) { try { New-Item -Path ${psLiteral(FLEET_MARK_KEY)} -Force -ErrorAction Stop | Out-Null } catch { } }`,
    `Set-ItemProperty -LiteralPath ${psLiteral(FLEET_MARK_KEY)} -Name ${psLiteral(cause)} -Value ([DateTime]::UtcNow.ToString('o')) -Type String`,
  ]
}

const hresult = (hex: string) => Number.parseInt(hex, 16) | 0

/** The script-block body that tests `cause` on this device, or null when the app cannot detect it on a device. */
export function causeTest(cause: string, ctx: CauseContext): string[] | null {
  const cvKey = currentVersionCommand.args[1]!.replace(/^HKLM\\/, 'HKLM:\\')
  switch (cause) {
    case 'esp-full':
      // Below the 15 MB free Microsoft asks for on the EFI system partition (Get-Partition / Get-Volume).
      return [
        `$j = ConvertFrom-SddJson ${call(storageLayoutCommand)}`,
        `$p = @($j.Partitions | Where-Object { [string]$_.GptType -eq ${psLiteral(ESP_GPT)} }) | Select-Object -First 1`,
        "if (-not $p) { throw 'No EFI system partition was found.' }",
        '$v = @($j.Volumes | Where-Object { @($p.AccessPaths) -contains $_.Path }) | Select-Object -First 1',
        "if (-not $v) { throw 'The EFI system partition has no volume to read its free space from.' }",
        `return ([long]$v.SizeRemaining -lt ${ESP_NEEDED_BYTES})`,
      ]
    case 'winre-partition-too-small':
      // KB5034441: the partition that holds WinRE (reagentc's location), else the recovery partition, under 250 MB free.
      return [
        `$j = ConvertFrom-SddJson ${call(storageLayoutCommand)}`,
        '$p = $null',
        "if ([string]$j.ReagentcInfo -match 'harddisk(\\d+)\\\\partition(\\d+)') { $d = [int]$Matches[1]; $n = [int]$Matches[2]; $p = @($j.Partitions | Where-Object { [int]$_.DiskNumber -eq $d -and [int]$_.PartitionNumber -eq $n }) | Select-Object -First 1 }",
        `if (-not $p) { $p = @($j.Partitions | Where-Object { [string]$_.GptType -eq ${psLiteral(RECOVERY_GPT)} }) | Select-Object -First 1 }`,
        'if (-not $p) { return $false }',
        '$v = @($j.Volumes | Where-Object { @($p.AccessPaths) -contains $_.Path }) | Select-Object -First 1',
        "if (-not $v) { throw 'The recovery partition has no volume to read its free space from.' }",
        `return ([long]$v.SizeRemaining -lt ${WINRE_NEEDED_BYTES})`,
      ]
    case 'winre-disabled':
      return [
        `$o = ${call(reagentcInfoCommand)}`,
        "if ($o -notmatch 'Windows RE status:\\s*(\\w+)') { throw 'reagentc /info did not say the status of WinRE.' }",
        "return ($Matches[1] -eq 'Disabled')",
      ]
    case 'pending-restart':
      // The reboot-pending sources (main/parse/reboot-pending.ts): servicing waits for a restart.
      return [
        `$j = ConvertFrom-SddJson ${call(rebootSourcesCommand)}`,
        "foreach ($k in @('CbsRebootPending', 'CbsRebootInProgress', 'CbsPackagesPending', 'PendingXml', 'WuRebootRequired', 'WuServicesPending')) { if ($j.$k -eq $true) { return $true } }",
        "foreach ($k in @('PendingFileRenameOperations', 'PendingFileRenameOperations2')) { if (@($j.$k | Where-Object { [string]$_ -ne '' }).Count -gt 0) { return $true } }",
        'return $false',
      ]
    case 'secure-boot-2023-missing':
      // Secure Boot's db lacks Windows UEFI CA 2023 (Get-SecureBootUEFI, Microsoft's ASCII check), where Secure Boot is readable.
      return [
        `$j = ConvertFrom-SddJson ${call(bootChainCommand)}`,
        "if (-not $j.SecureBoot -or [string]$j.SecureBoot -match 'not supported|unsupported') { return $false }",
        "return ($j.Db.'Windows UEFI CA 2023' -eq $false)",
      ]
    case 'component-store-corruption': {
      // DISM /CheckHealth: what the component store's last check recorded (read-only, seconds).
      const spec = commandOf(
        { id: 'd', title: '', explanation: '', kind: 'dism-check-health', params: {} } as never,
        ENV,
      )!
      return [
        `$o = & ${psSystemTool(spec.file)} ${spec.args.map(psLiteral).join(' ')} 2>$null | Out-String`,
        "if ($o -match 'The component store is repairable|The component store cannot be repaired') { return $true }",
        "if ($o -match 'No component store corruption detected') { return $false }",
        "throw ('DISM /CheckHealth did not say the state of the component store (exit ' + $LASTEXITCODE + ').')",
      ]
    }
    case 'wu-components': {
      // The newest attempt of an update failed reading Windows Update's working data, after the last reset this device recorded.
      const codes = WU_DATA_CODES.map((c) => String(hresult(c))).join(', ')
      return [
        `$h = @(ConvertFrom-SddJson ${call(updateHistoryCommand)})`,
        "$since = Get-SddMark 'wu-components'",
        '$seen = @{}',
        'foreach ($e in @($h | Sort-Object { Get-SddTime $_.Date } -Descending)) {',
        '  $t = [string]$e.Title',
        '  if ($seen.ContainsKey($t)) { continue }',
        '  $seen[$t] = $true',
        `  if (@(${codes}) -contains [long]$e.HResult -and (Get-SddTime $e.Date) -gt $since) { return $true }`,
        '}',
        'return $false',
      ]
    }
    case 'lcu-uninstall-blocked':
      return [`return ($null -ne (& {`, ...blockedLcuPackage().map((l) => `  ${l}`), '}))']
    case 'missing-checkpoint': {
      // Below its branch's latest checkpoint cumulative update (servicing-chain knowledge, per build of the group).
      const table = [...new Set(ctx.builds)].flatMap((b) => {
        const [build, ubr] = b.split('.').map(Number)
        const cp = checkpointStatus(build ?? null, ubr ?? null)
        return cp.kb && cp.build !== null && cp.ubr !== null
          ? [`${psLiteral(String(build))} = @(${cp.build}, ${cp.ubr})`]
          : []
      })
      return [
        `$cp = @{ ${[...new Set(table)].join('; ')} }`,
        `$cv = Get-ItemProperty -LiteralPath ${psLiteral(cvKey)}`,
        '$b = [string]$cv.CurrentBuild',
        'if (-not $cp.ContainsKey($b)) { return $false }',
        // As main/machine/probes/packages.ts judges it: a cumulative update of this build at or above the checkpoint
        // (installed, or superseded by a later one) means the checkpoint is in. Installed and waiting for the restart
        // counts too: the cause (the checkpoint missing) is gone, what is left is the restart (the pending-restart
        // group's test finds it), and a second install is not needed.
        `$pk = @(ConvertFrom-SddJson ${call(windowsPackageCommand)})`,
        // (The checkpoint's own build: 26200 is serviced by 26100's packages.)
        "$in = @($pk | Where-Object { [string]$_.PackageName -match ('^Package_for_RollupFix~[^~]*~[^~]*~[^~]*~' + $cp[$b][0] + '\\.(\\d+)\\.') -and [int]$Matches[1] -ge [int]$cp[$b][1] -and @('Installed', 'Superseded', 'InstallPending') -contains [string]$_.PackageState })",
        'return ($in.Count -eq 0)',
      ]
    }
    case 'installer-failed':
      return installerFailedTest()
    default:
      return null
  }
}

/**
 * `reg query <key> …` by full path: its output, or $null where reg.exe says the key or value is not there; any other
 * failure (access denied, a changed reg.exe) throws, so an unread fact is never read as "absent".
 */
export const REG_QUERY_HELPER = [
  'function Get-SddRegQuery([string[]]$ArgList) {',
  // reg.exe writes "not found" to stderr: under Stop, Windows PowerShell 5.1 turns a redirected stderr line into a throw.
  "  $ErrorActionPreference = 'Continue'",
  `  $o = & ${psSystemTool(taskCacheIdCommand.file)} @ArgList 2>&1 | Out-String`,
  '  if ($LASTEXITCODE -eq 0) { return $o }',
  `  if ($o.Contains(${psLiteral(REG_NOT_FOUND)})) { return $null }`,
  "  throw ('reg ' + ($ArgList -join ' ') + ' exited with ' + $LASTEXITCODE + ': ' + $o.Trim())",
  '}',
]

/**
 * The Task Scheduler installer's documented failure, read on the device: Task Scheduler's cache names the
 * SecureBootEncodeUEFI task (TaskCache\Tree's ID) but holds no Tasks definition for that GUID, so the task cannot load
 * (Microsoft: event 146, 0x80070002) and the update's installer fails to register it (0x800F0922). Lines that set
 * $sddTask (the GUID) where it holds.
 */
export function secureBootEncodeCorruptLines(): string[] {
  return [
    ...REG_QUERY_HELPER,
    '$sddTask = $null',
    `$sddTree = Get-SddRegQuery @(${taskCacheIdCommand.args.map(psLiteral).join(', ')})`,
    'if ($sddTree) {',
    "  if ($sddTree -notmatch 'ID\\s+REG_SZ\\s+(\\{[0-9A-Fa-f-]{36}\\})') { throw 'reg query did not give the ID of the SecureBootEncodeUEFI task.' }",
    '  $sddGuid = $Matches[1]',
    `  if ($null -eq (Get-SddRegQuery @('query', (${psLiteral(`${TASK_CACHE_KEY}\\Tasks\\`)} + $sddGuid)))) { $sddTask = $sddGuid }`,
    '}',
  ]
}

/**
 * The newest "Failed execution of queue item Installer: <name> …" line of this device's CBS.log, when it is newer than
 * the newest update this device installed and than the last fleet fix of this cause it recorded: the installer's name
 * and the line in $sddInstaller / $sddInstallerLine, else $null. (CBS.log's times are the PC's local time.)
 */
export function failedInstallerLines(): string[] {
  return [
    '$sddInstaller = $null; $sddInstallerLine = $null',
    "$sddCbs = Join-Path $env:SystemRoot 'Logs\\CBS\\CBS.log'",
    'if (Test-Path -LiteralPath $sddCbs -PathType Leaf) {',
    "  $f = @(Select-String -LiteralPath $sddCbs -Pattern 'Failed execution of queue item Installer: ' -SimpleMatch) | Select-Object -Last 1",
    "  if ($f -and $f.Line -match '^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})') {",
    "    $at = [DateTime]::ParseExact($Matches[1], 'yyyy-MM-dd HH:mm:ss', [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::AssumeLocal).ToUniversalTime()",
    `    $h = @(ConvertFrom-SddJson ${call(updateHistoryCommand)})`,
    '    $ok = @($h | Where-Object { [int]$_.Operation -eq 1 -and [int]$_.ResultCode -eq 2 } | ForEach-Object { Get-SddTime $_.Date } | Sort-Object -Descending) | Select-Object -First 1',
    "    if ((-not $ok -or $at -gt $ok) -and $at -gt (Get-SddMark 'installer-failed')) {",
    '      $sddInstallerLine = $f.Line.Trim()',
    "      $sddInstaller = if ($f.Line -match 'queue item Installer: (.+?)(?: \\(\\{| with HRESULT|$)') { $Matches[1].Trim() } else { 'an installer' }",
    '    }',
    '  }',
    '}',
  ]
}

/**
 * installer-failed on the device: the SecureBootEncodeUEFI task's cache corrupted (Microsoft's documented case), or
 * CBS.log naming an installer that failed after the newest update this device installed.
 */
function installerFailedTest(): string[] {
  return [
    ...secureBootEncodeCorruptLines(),
    'if ($sddTask) { return $true }',
    ...failedInstallerLines(),
    'return ($null -ne $sddInstaller)',
  ]
}

/**
 * The package a blocked cumulative-update removal is about, read on the device now: the cumulative update this PC runs,
 * still installed, whose uninstall failed with 0x80242004 (the rule of main/diagnose/rules/lcu-uninstall.ts; each KB's
 * package version from the servicing-chain knowledge: 25H2's 26200 runs 26100's packages). A script-block body that
 * returns its identity, or $null. The fleet remediation removes this package, never one named in another PC's evidence.
 */
export function blockedLcuPackage(): string[] {
  const cvKey = currentVersionCommand.args[1]!.replace(/^HKLM\\/, 'HKLM:\\')
  const lcus = allKnownUpdates().filter((u) => u.kind === 'lcu')
  return [
    `$lcu = @{ ${lcus.map((u) => `${psLiteral(u.kb)} = ${psLiteral(`${u.baseBuild}.${u.ubr}`)}`).join('; ')} }`,
    `$cv = Get-ItemProperty -LiteralPath ${psLiteral(cvKey)}`,
    `$h = @(ConvertFrom-SddJson ${call(updateHistoryCommand)})`,
    `$kbs = @($h | Where-Object { [int]$_.Operation -eq 2 -and @(4, 5) -contains [int]$_.ResultCode -and [long]$_.HResult -eq ${hresult(WU_E_UH_DOESNOTSUPPORTACTION)} -and [string]$_.Title -match '\\((KB\\d+)\\)' } | ForEach-Object { ([regex]::Match([string]$_.Title, '\\((KB\\d+)\\)')).Groups[1].Value })`,
    "$kbs = @($kbs | Where-Object { $lcu.ContainsKey($_) -and ([string]$lcu[$_]).Split('.')[1] -eq [string]$cv.UBR } | Select-Object -Unique)",
    'if (-not $kbs.Count) { return $null }',
    `$pk = @(ConvertFrom-SddJson ${call(windowsPackageCommand)})`,
    "$hit = @(foreach ($kb in $kbs) { $pk | Where-Object { [string]$_.PackageName -like ('Package_for_RollupFix~*~~' + $lcu[$kb] + '.*') -and [string]$_.PackageState -eq 'Installed' } })",
    'if ($hit.Count -ne 1) { return $null }',
    'return [string]$hit[0].PackageName',
  ]
}

/** A test as one PowerShell expression: `$true`/`$false`, a read failure as `$null` with its message in $sddWhy. */
export function causeTestBlock(cause: string, ctx: CauseContext): string[] | null {
  const t = causeTest(cause, ctx)
  if (!t) return null
  return [
    '$sddWhy = $null',
    '$sddCause = try { & {',
    ...t.map((l) => `  ${l}`),
    '} } catch { $sddWhy = [string]$_.Exception.Message; $null }',
  ]
}
