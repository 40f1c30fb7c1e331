/**
 * The collector script: one Windows PowerShell 5.1 file, GENERATED from the collector's steps (steps.ts, which
 * reads the probes' own CommandSpecs). Its data table is the steps, each a verbatim literal; its code runs
 * each command as the app's WindowsHost would (argv quoted for CreateProcess, the spec's output encoding, its
 * timeout), copies each log's end, hashes every file and writes one zip in the format of
 * preload/model/collector.ts. No install, no module, no internet; it changes nothing but its own work folder.
 *
 * `-Line` also prints one line (≤ 2,048 characters) for Intune Remediations and ConfigMgr scripts, read back
 * by main/parse/collector-line.ts.
 */
import { psLiteral, psTextLiteral, powerShellFileText } from '../host/powershell-text.ts'
import { SECURE_FOLDER_FUNCTIONS } from '../host/secure-folder-script.ts'
import { isSystemTool, SYSTEM_TOOLS, UnknownProgramError } from '../host/system-tools.ts'
import { COLLECTOR_WORK_ROOT, collectorSteps, entryForPath, stepBudget, type CollectorStep } from './steps.ts'
import { STAGED_WINRE_WIM, REAGENT_XML_PATH } from '../machine/winre-commands.ts'
import { CBS_DIR, DISM_LOG } from '../machine/read-machine-logs.ts'
import { currentVersionCommand } from '../machine/probes/os.ts'
import {
  COLLECTOR_FORMAT,
  COLLECTOR_FORMAT_VERSION,
  COLLECTOR_LINE_MAX,
  COLLECTOR_LINE_PREFIX,
  COLLECTOR_MAX_BYTES,
} from '../../preload/model/collector.ts'

const lit = (s: string) => psLiteral(s)

/**
 * A program's path under %SystemRoot% from the one table (main/host/system-tools.ts): the script starts it as
 * `$env:SystemRoot\<this>`, never by a bare name Windows would look for in the current folder first.
 */
function program(file: string): string {
  if (!isSystemTool(file)) throw new UnknownProgramError(file)
  return lit(SYSTEM_TOOLS[file.toLowerCase()]!)
}

/** The SIDs that may own and write the collector's work folder: BUILTIN\Administrators and LocalSystem (well-known SIDs). */
/** The machine-wide environment: its PROCESSOR_ARCHITECTURE is the native architecture, whatever the process runs as. */
export const NATIVE_ARCH_KEY = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment'
export const COLLECTOR_FOLDER_OWNERS = ['S-1-5-32-544', 'S-1-5-18'] as const
/** The collector's exit code when its work folder exists and is not one only administrators own, or is a link. */
export const COLLECTOR_EXIT_FOLDER_REFUSED = 3

function stepRow(step: CollectorStep): string {
  switch (step.kind) {
    case 'command': {
      const s = step.spec
      return `  @{ kind = 'command'; name = ${lit(s.name)}; file = ${lit(s.file)}; program = ${program(s.file)}; args = @(${s.args.map(lit).join(', ')}); timeoutMs = ${s.timeoutMs}; encoding = ${lit(s.outputEncoding ?? 'console')}; maxBytes = ${step.maxBytes}; why = ${psTextLiteral(step.why)} }`
    }
    case 'file':
      return `  @{ kind = 'file'; path = ${lit(step.path)}; entry = ${lit(entryForPath(step.path))}; maxBytes = ${step.maxBytes}; why = ${psTextLiteral(step.why)} }`
    case 'newest':
      return `  @{ kind = 'newest'; dir = ${lit(step.dir)}; pattern = ${lit(step.pattern)}; count = ${step.count}; maxBytes = ${step.maxBytes}; why = ${psTextLiteral(step.why)} }`
    case 'cabs': {
      const e = step.expand('{{Cab}}', '{{Dest}}')
      return `  @{ kind = 'cabs'; dir = ${lit(step.dir)}; count = ${step.count}; maxBytes = ${step.maxBytes}; expandName = ${lit(e.name)}; expandFile = ${lit(e.file)}; expandProgram = ${program(e.file)}; expandArgs = @(${e.args.map(lit).join(', ')}); expandTimeoutMs = ${e.timeoutMs}; why = ${psTextLiteral(step.why)} }`
    }
  }
}

export function collectorScript(opts: { version: string }): string {
  const steps = collectorSteps()
  const budget = Math.min(stepBudget(steps), COLLECTOR_MAX_BYTES - 2 * 1024 * 1024)
  const cvKey = currentVersionCommand.args[1]!.replace(/^HKLM\\/, 'HKLM:\\')
  const script = `<#
.SYNOPSIS
Servicing Desk collector ${opts.version.replace(/[^0-9A-Za-z.+-]/g, '')}: this PC's Windows servicing facts and logs, in one zip.

.DESCRIPTION
Run it elevated (as an administrator, by a remote tool, or by Intune or ConfigMgr as SYSTEM) in Windows
PowerShell 5.1. Nothing is installed and nothing is downloaded. It only reads: the Windows version, the
installed packages, the update history, pending restarts, disks and partitions, services, WinRE, the boot
chain, the end of CBS.log and DISM.log, the newest CbsPersist archives, the setup logs and the servicing
events. It writes one zip (at most ${COLLECTOR_MAX_BYTES / 1024 / 1024} MB) and removes its work folder.
Send the zip to your technician, who opens it in Servicing Desk.

.PARAMETER OutFile
Where to write the zip. Default: ${COLLECTOR_WORK_ROOT.replace(/^C:\\ProgramData/, '%ProgramData%')}\\<computer>-<time>.zip

.PARAMETER Line
Also print one line (at most ${COLLECTOR_LINE_MAX} characters: computer, build, architecture, WinRE, failure
codes) for tools that keep one line of output (Intune Remediations, ConfigMgr scripts).

.NOTES
Exit codes: 0 written; 2 the file would be over the size limit (nothing written); ${COLLECTOR_EXIT_FOLDER_REFUSED} its work folder
(${COLLECTOR_WORK_ROOT.replace(/^C:\\ProgramData/, '%ProgramData%')}, or the folder above it) exists but belongs to someone other than the
administrators, lets others write in it, or is a link to another place: nothing was run. Every program is started by its full path under
%SystemRoot%; the work folder is made for administrators and SYSTEM only.
#>
[CmdletBinding()]
param(
  [string]$OutFile = '',
  [switch]$Line
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Continue'
$ProgressPreference = 'SilentlyContinue'

$SdcVersion = ${lit(opts.version)}
$SdcFormat = ${lit(COLLECTOR_FORMAT)}
$SdcFormatVersion = ${COLLECTOR_FORMAT_VERSION}
$SdcMaxBytes = ${COLLECTOR_MAX_BYTES}
$SdcBudget = ${budget}
$SdcWorkRootName = ${lit(COLLECTOR_WORK_ROOT)}
$SdcFolderOwners = @(${COLLECTOR_FOLDER_OWNERS.map(lit).join(', ')})
$SdcWhoami = ${program('whoami.exe')}
$SdcStagedWinre = ${lit(STAGED_WINRE_WIM)}
$SdcReagentXml = ${lit(REAGENT_XML_PATH)}
$SdcCurrentVersionKey = ${lit(cvKey)}
$SdcNativeArchKey = ${lit(NATIVE_ARCH_KEY)}
$SdcCodeLogs = @(${[`${CBS_DIR}\\CBS.log`, DISM_LOG].map(lit).join(', ')})

# The steps, generated from the app's probe definitions (main/machine/probes) and log readers: data only.
$SdcSteps = @(
${steps.map(stepRow).join(',\n')}
)

$script:used = [long]0
$script:stepNo = 0
$commands = New-Object System.Collections.ArrayList
$files = New-Object System.Collections.ArrayList
$notes = New-Object System.Collections.ArrayList

function Write-SdcStep([string]$What) {
  $script:stepNo++
  $text = '[{0}/{1}] {2}' -f $script:stepNo, ($SdcSteps.Count + 1), $What
  if ($Line) { Write-Verbose $text } else { Write-Host $text }
}

function ConvertTo-SdcJson([string]$Text) {
  if ($null -eq $Text) { return 'null' }
  # The backslash first (the escapes added after it keep theirs), then the quote and the control characters text holds
  # most; any other control character below. A script block called once a character made a long log cost seconds.
  $e = $Text.Replace('\\', '\\\\').Replace('"', '\\"').Replace("\`r", '\\u000d').Replace("\`n", '\\u000a').Replace("\`t", '\\u0009')
  if ([regex]::IsMatch($e, '[\\x00-\\x1f]')) { $e = [regex]::Replace($e, '[\\x00-\\x1f]', { param($m) '\\u{0:x4}' -f [int][char]$m.Value }) }
  return '"' + $e + '"'
}

function ConvertTo-SdcBool([bool]$Value) { if ($Value) { 'true' } else { 'false' } }

# An argument as CreateProcess reads it back (the rules of CommandLineToArgvW).
function ConvertTo-SdcArg([string]$Arg) {
  if ($Arg -ne '' -and $Arg -notmatch '[\\s"]') { return $Arg }
  $sb = New-Object System.Text.StringBuilder
  [void]$sb.Append('"')
  $bs = 0
  foreach ($ch in $Arg.ToCharArray()) {
    if ($ch -eq [char]92) { $bs++; continue }
    if ($ch -eq [char]34) { [void]$sb.Append([char]92, 2 * $bs + 1); [void]$sb.Append([char]34); $bs = 0; continue }
    if ($bs -gt 0) { [void]$sb.Append([char]92, $bs); $bs = 0 }
    [void]$sb.Append($ch)
  }
  if ($bs -gt 0) { [void]$sb.Append([char]92, 2 * $bs) }
  [void]$sb.Append('"')
  return $sb.ToString()
}

# The command as a person reads it (the app's renderCommandLine): how the app finds the answer again.
function ConvertTo-SdcShown([string]$Arg) {
  if ($Arg -eq '' -or $Arg -match '[\\s"]') { return '"' + $Arg.Replace('"', '\\"') + '"' }
  return $Arg
}

function Get-SdcEncoding([string]$Name) {
  if ($Name -eq 'utf8') { return (New-Object System.Text.UTF8Encoding($false)) }
  if ($Name -eq 'utf16le') { return [System.Text.Encoding]::Unicode }
  return [System.Text.Encoding]::GetEncoding([System.Globalization.CultureInfo]::CurrentCulture.TextInfo.OEMCodePage)
}

# A step's Windows path (C:\\Windows\\…, C:\\ProgramData\\…) as this PC names it: under $env:SystemRoot and $env:ProgramData.
function Get-SdcLocal([string]$Path) {
  $p = $Path
  if ($p -match '^C:\\\\Windows(\\\\|$)') { $p = $env:SystemRoot + $p.Substring(10) }
  elseif ($p -match '^C:\\\\ProgramData(\\\\|$)') { $p = $env:ProgramData + $p.Substring(14) }
  return $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p)
}

# $Program is its path under %SystemRoot% (System32\\reg.exe): never a bare name, which Windows looks for in the
# current folder first (a reg.exe left in Downloads or on the USB stick would run as administrator or SYSTEM).
function Invoke-SdcProcess([string]$Program, [string[]]$ArgList, [int]$TimeoutMs, [string]$Encoding) {
  $r = @{ exitCode = -1; stdout = ''; stderr = ''; timedOut = $false; ms = 0 }
  $psi = New-Object System.Diagnostics.ProcessStartInfo
  $psi.FileName = Join-Path $env:SystemRoot $Program
  $psi.Arguments = (@($ArgList | ForEach-Object { ConvertTo-SdcArg $_ }) -join ' ')
  $psi.UseShellExecute = $false
  $psi.RedirectStandardOutput = $true
  $psi.RedirectStandardError = $true
  $psi.CreateNoWindow = $true
  $enc = Get-SdcEncoding $Encoding
  $psi.StandardOutputEncoding = $enc
  $psi.StandardErrorEncoding = $enc
  $sw = [System.Diagnostics.Stopwatch]::StartNew()
  try {
    $p = [System.Diagnostics.Process]::Start($psi)
    $to = $p.StandardOutput.ReadToEndAsync()
    $te = $p.StandardError.ReadToEndAsync()
    if (-not $p.WaitForExit($TimeoutMs)) { $r.timedOut = $true; try { $p.Kill() } catch { } }
    $p.WaitForExit()
    $r.stdout = $to.Result
    $r.stderr = $te.Result
    $r.exitCode = [long][BitConverter]::ToUInt32([BitConverter]::GetBytes([int]$p.ExitCode), 0)
  } catch {
    $r.stderr = $_.Exception.Message
  }
  $r.ms = [long]$sw.ElapsedMilliseconds
  return $r
}

function Get-SdcWinreWim {
  foreach ($c in $commands) {
    if ($c.name -eq 'winre.reagentc-info' -and $c.stdout -match '\\\\\\\\\\?\\\\GLOBALROOT\\\\device\\\\harddisk(\\d+)\\\\partition(\\d+)\\\\Recovery\\\\WindowsRE') {
      return ('\\\\?\\GLOBALROOT\\device\\harddisk{0}\\partition{1}\\Recovery\\WindowsRE\\winre.wim' -f $Matches[1], $Matches[2])
    }
  }
  $staged = Get-SdcLocal $SdcStagedWinre
  if (Test-Path -LiteralPath $staged -PathType Leaf) { return $staged }
  return $null
}

function Get-SdcEntry([string]$Path) {
  return 'files/' + (($Path -replace '^([A-Za-z]):\\\\', '$1/') -replace '\\\\', '/' -replace '[^A-Za-z0-9._\\-/]', '_')
}

# The file's last MaxBytes (from a line start) into the stage, recorded at Path (Source when it differs).
function Save-SdcTail([string]$Path, [string]$Source, [long]$MaxBytes, [string]$From) {
  if (-not (Test-Path -LiteralPath $Source -PathType Leaf)) { [void]$notes.Add("\${Path}: not found."); return }
  $entry = Get-SdcEntry $Path
  foreach ($f in $files) { if ($f.entry -eq $entry) { return } }
  try {
    $fs = New-Object System.IO.FileStream($Source, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, ([System.IO.FileShare]::ReadWrite -bor [System.IO.FileShare]::Delete))
    try {
      $len = $fs.Length
      $start = [Math]::Max([long]0, $len - $MaxBytes)
      [void]$fs.Seek($start, [System.IO.SeekOrigin]::Begin)
      $buf = New-Object byte[] ([int]($len - $start))
      $read = 0
      while ($read -lt $buf.Length) { $n = $fs.Read($buf, $read, $buf.Length - $read); if ($n -le 0) { break }; $read += $n }
    } finally { $fs.Dispose() }
  } catch { [void]$notes.Add("\${Path}: could not be read ($($_.Exception.Message))."); return }
  $skip = 0
  if ($start -gt 0) { $nl = [Array]::IndexOf($buf, [byte]10); if ($nl -ge 0 -and $nl -lt $read) { $skip = $nl + 1 } }
  $keep = $read - $skip
  if ($script:used + $keep -gt $SdcBudget) { [void]$notes.Add("\${Path} was left out: the size limit was reached."); return }
  $script:used += $keep
  $dest = Join-Path $stage ($entry -replace '/', '\\')
  New-Item -ItemType Directory -Force -Path (Split-Path -Parent $dest) | Out-Null
  $w = [System.IO.File]::Create($dest)
  try { $w.Write($buf, $skip, $keep) } finally { $w.Dispose() }
  [void]$files.Add(@{ path = $Path; entry = $entry; bytes = [long]$keep; originalBytes = [long]$len; from = $From })
}

function Get-SdcNewest([string]$Dir, [string]$Pattern, [int]$Count) {
  return @(Get-ChildItem -LiteralPath $Dir -File -ErrorAction SilentlyContinue | Where-Object { $_.Name -match $Pattern } |
    Sort-Object @{ Expression = { $_.Name.Length } }, @{ Expression = { $_.Name } } -Descending | Select-Object -First $Count)
}

# A folder only administrators and SYSTEM can change. SYSTEM writes the expanded archives into the work folder
# and deletes it afterwards: a folder a standard user made beforehand (ProgramData lets Users create folders)
# or a junction to another place would let that user swap what is read or redirect what is written and deleted.
# A missing folder is made with an ACL of Administrators and SYSTEM only (-Enforce: an existing one of theirs gets it
# too); one that exists and belongs to anyone else, or is a link, is refused. Returns why it is refused, or $null.
# The checks are the app's one writer's (main/host/secure-folder-script.ts): a link, another owner, or a grant that lets
# anyone but Administrators and SYSTEM write (an administrator's folder that users may fill is not ours either).
${SECURE_FOLDER_FUNCTIONS}
function Test-SdcLinkOrForeign([string]$Path) { return (Test-SdFolderIsOurs $Path) }

function Assert-SdcPrivateFolder([string]$Path, [switch]$Enforce) {
  $fresh = $false
  if (Test-Path -LiteralPath $Path) {
    $why = Test-SdcLinkOrForeign $Path
    if ($why -or -not $Enforce) { return $why }
  } else {
    # No -Force: if someone makes the folder between the test and here, this fails instead of taking theirs.
    try { New-Item -ItemType Directory -Path $Path -ErrorAction Stop | Out-Null } catch { return ('{0} could not be made ({1}).' -f $Path, $_.Exception.Message) }
    $fresh = $true
  }
  $acl = Get-Acl -LiteralPath $Path
  $acl.SetAccessRuleProtection($true, $false)
  foreach ($rule in @($acl.Access)) { $acl.PurgeAccessRules($rule.IdentityReference) }
  $acl.SetOwner((New-Object System.Security.Principal.SecurityIdentifier($SdcFolderOwners[0])))
  foreach ($sid in $SdcFolderOwners) {
    $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule((New-Object System.Security.Principal.SecurityIdentifier($sid)), 'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow')))
  }
  Set-Acl -LiteralPath $Path -AclObject $acl
  # Again with the ACL in place: still ours and not swapped in between; a folder just made holds nothing of anyone else's.
  $why = Test-SdcLinkOrForeign $Path
  if ($why) { return $why }
  if ($fresh -and @(Get-ChildItem -LiteralPath $Path -Force).Count -gt 0) { return ('{0} was changed by someone else while it was being made.' -f $Path) }
  return $null
}

# --- start ---
$takenAt = [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ss.fff', [System.Globalization.CultureInfo]::InvariantCulture) + 'Z'
$computer = $env:COMPUTERNAME
# Elevated: the token's mandatory label is High (S-1-16-12288) or System (S-1-16-16384), as whoami /groups lists it.
$elevated = $false
$who = Invoke-SdcProcess $SdcWhoami @('/groups', '/fo', 'csv', '/nh') 15000 'console'
if ($who.exitCode -eq 0 -and $who.stdout -match 'S-1-16-(\\d+)') { $elevated = ([long]$Matches[1] -ge 12288) }
if (-not $elevated) { [void]$notes.Add('The collector did not run elevated: some facts could not be read. Run it as an administrator.') }
$procArch = 'x86'
if ($env:PROCESSOR_ARCHITECTURE -eq 'AMD64') { $procArch = 'x64' } elseif ($env:PROCESSOR_ARCHITECTURE -eq 'ARM64') { $procArch = 'arm64' } elseif ($env:PROCESSOR_ARCHITECTURE -eq 'ARM') { $procArch = 'arm' }
$runId = [guid]::NewGuid().ToString('N')
$SdcWorkRoot = Get-SdcLocal $SdcWorkRootName
$refused = Test-SdNoLinkOnPath (Split-Path -Parent (Split-Path -Parent $SdcWorkRoot))
if (-not $refused) { $refused = Assert-SdcPrivateFolder (Split-Path -Parent $SdcWorkRoot) }
if (-not $refused) { $refused = Assert-SdcPrivateFolder $SdcWorkRoot -Enforce }
if ($refused) {
  Write-Error ('Nothing was collected: the work folder is not one only administrators own. {0} Delete it (as an administrator), then run the collector again.' -f $refused)
  exit ${COLLECTOR_EXIT_FOLDER_REFUSED}
}
$work = Join-Path $SdcWorkRoot $runId
$stage = Join-Path $work 'stage'
New-Item -ItemType Directory -Path $work | Out-Null
New-Item -ItemType Directory -Path $stage | Out-Null
if (-not $OutFile) { $OutFile = Join-Path $SdcWorkRoot ('{0}-{1}.zip' -f $computer, [DateTime]::UtcNow.ToString('yyyyMMdd-HHmmss')) }
$OutFile = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)
New-Item -ItemType Directory -Force -Path (Split-Path -Parent $OutFile) | Out-Null

foreach ($s in $SdcSteps) {
  if ($s.kind -eq 'command') {
    Write-SdcStep ('{0} ({1})' -f $s.name, $s.why)
    $resolved = @()
    $missing = $false
    foreach ($a in $s.args) {
      $v = $a.Replace('{{SystemDrive}}', [string]$env:SystemDrive)
      if ($v.Contains('{{WinreWim}}')) { $wim = Get-SdcWinreWim; if (-not $wim) { $missing = $true; break }; $v = $v.Replace('{{WinreWim}}', $wim) }
      $resolved += $v
    }
    if ($missing) { [void]$notes.Add(('{0} was not run: WinRE''s location is not known.' -f $s.name)); continue }
    $r = Invoke-SdcProcess $s.program $resolved $s.timeoutMs $s.encoding
    $out = [string]$r.stdout
    $cut = $false
    if ($out.Length -gt $s.maxBytes) { $out = $out.Substring(0, $s.maxBytes); $cut = $true }
    $err = [string]$r.stderr
    if ($err.Length -gt 65536) { $err = $err.Substring(0, 65536) }
    if ($script:used + $out.Length + $err.Length -gt $SdcBudget) { [void]$notes.Add(('{0}''s output was left out: the size limit was reached.' -f $s.name)); continue }
    $script:used += $out.Length + $err.Length
    $shown = (@(@($s.file) + $resolved | ForEach-Object { ConvertTo-SdcShown $_ }) -join ' ')
    [void]$commands.Add(@{ name = $s.name; commandLine = $shown; exitCode = $r.exitCode; stdout = $out; stderr = $err; timedOut = $r.timedOut; truncated = $cut; durationMs = $r.ms })
  } elseif ($s.kind -eq 'file') {
    Write-SdcStep ('{0} ({1})' -f $s.path, $s.why)
    Save-SdcTail $s.path (Get-SdcLocal $s.path) $s.maxBytes $null
  } elseif ($s.kind -eq 'newest') {
    Write-SdcStep ('{0} ({1})' -f $s.dir, $s.why)
    foreach ($f in (Get-SdcNewest (Get-SdcLocal $s.dir) $s.pattern $s.count)) { Save-SdcTail ($s.dir + '\\' + $f.Name) $f.FullName $s.maxBytes $null }
  } elseif ($s.kind -eq 'cabs') {
    Write-SdcStep ('{0}\\CbsPersist_*.cab ({1})' -f $s.dir, $s.why)
    foreach ($cab in (Get-SdcNewest (Get-SdcLocal $s.dir) '^CbsPersist_\\d+\\.cab$' $s.count)) {
      $stem = [System.IO.Path]::GetFileNameWithoutExtension($cab.Name)
      $dest = Join-Path (Join-Path $work 'cabs') $stem
      New-Item -ItemType Directory -Force -Path $dest | Out-Null
      $expandArgs = @($s.expandArgs | ForEach-Object { $_.Replace('{{Cab}}', $cab.FullName).Replace('{{Dest}}', $dest) })
      $r = Invoke-SdcProcess $s.expandProgram $expandArgs $s.expandTimeoutMs 'console'
      $logs = @(Get-ChildItem -LiteralPath $dest -File -Filter '*.log' -ErrorAction SilentlyContinue)
      $log = @($logs | Where-Object { $_.Name -eq ($stem + '.log') }) + @($logs) | Select-Object -First 1
      $cabName = $s.dir + '\\' + $cab.Name
      if ($r.exitCode -ne 0 -or -not $log) { [void]$notes.Add(('{0} did not expand (exit {1}).' -f $cabName, $r.exitCode)); continue }
      Save-SdcTail ($s.dir + '\\' + $stem + '.log') $log.FullName $s.maxBytes $cabName
    }
  }
}

# snapshot.json, written by hand (no depth limit, no culture): the format of preload/model/collector.ts.
$cj = @($commands | ForEach-Object {
  '{"name":' + (ConvertTo-SdcJson $_.name) + ',"commandLine":' + (ConvertTo-SdcJson $_.commandLine) + ',"exitCode":' + $_.exitCode +
  ',"stdout":' + (ConvertTo-SdcJson $_.stdout) + ',"stderr":' + (ConvertTo-SdcJson $_.stderr) + ',"timedOut":' + (ConvertTo-SdcBool $_.timedOut) +
  ',"truncated":' + (ConvertTo-SdcBool $_.truncated) + ',"durationMs":' + $_.durationMs + '}'
}) -join ','
$fj = @($files | ForEach-Object {
  '{"path":' + (ConvertTo-SdcJson $_.path) + ',"entry":' + (ConvertTo-SdcJson $_.entry) + ',"bytes":' + $_.bytes + ',"originalBytes":' + $_.originalBytes +
  ',"from":' + $(if ($_.from) { ConvertTo-SdcJson $_.from } else { 'null' }) + '}'
}) -join ','
$nj = @($notes | ForEach-Object { ConvertTo-SdcJson $_ }) -join ','
$json = '{"format":' + (ConvertTo-SdcJson $SdcFormat) + ',"formatVersion":' + $SdcFormatVersion + ',"takenAt":' + (ConvertTo-SdcJson $takenAt) +
  ',"computerName":' + (ConvertTo-SdcJson $computer) + ',"takenBy":"collector","collectorVersion":' + (ConvertTo-SdcJson $SdcVersion) +
  ',"processArch":' + (ConvertTo-SdcJson $procArch) + ',"elevated":' + (ConvertTo-SdcBool $elevated) +
  ',"commands":[' + $cj + '],"files":[' + $fj + '],"notes":[' + $nj + ']}'
[System.IO.File]::WriteAllText((Join-Path $stage 'snapshot.json'), $json, (New-Object System.Text.UTF8Encoding($false)))

# manifest.json: the SHA-256 of every other entry; then the zip, entry names with forward slashes.
Write-SdcStep 'SHA-256 of every file, and the zip'
$staged = @(Get-ChildItem -LiteralPath $stage -Recurse -File)
$mj = @($staged | ForEach-Object {
  $rel = $_.FullName.Substring($stage.Length + 1).Replace('\\', '/')
  '{"entry":' + (ConvertTo-SdcJson $rel) + ',"sha256":"' + (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash.ToLowerInvariant() + '","bytes":' + $_.Length + '}'
}) -join ','
[System.IO.File]::WriteAllText((Join-Path $stage 'manifest.json'), ('{"format":' + (ConvertTo-SdcJson $SdcFormat) + ',"files":[' + $mj + ']}'), (New-Object System.Text.UTF8Encoding($false)))
Add-Type -AssemblyName System.IO.Compression
if (Test-Path -LiteralPath $OutFile) { Remove-Item -LiteralPath $OutFile -Force }
$zs = [System.IO.File]::Open($OutFile, [System.IO.FileMode]::CreateNew)
try {
  $za = New-Object System.IO.Compression.ZipArchive($zs, [System.IO.Compression.ZipArchiveMode]::Create)
  try {
    foreach ($f in @(Get-ChildItem -LiteralPath $stage -Recurse -File)) {
      $rel = $f.FullName.Substring($stage.Length + 1).Replace('\\', '/')
      $e = $za.CreateEntry($rel, [System.IO.Compression.CompressionLevel]::Optimal)
      $es = $e.Open()
      try { $bytes = [System.IO.File]::ReadAllBytes($f.FullName); $es.Write($bytes, 0, $bytes.Length) } finally { $es.Dispose() }
    }
  } finally { $za.Dispose() }
} finally { $zs.Dispose() }
Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
$size = (Get-Item -LiteralPath $OutFile).Length
if ($size -gt $SdcMaxBytes) {
  Remove-Item -LiteralPath $OutFile -Force
  Write-Error ('The collected file would be {0:N1} MB, over the {1} MB limit; nothing was written.' -f ($size / 1048576), ($SdcMaxBytes / 1048576))
  exit 2
}
if (-not $Line) { Write-Host ('Written: {0} ({1:N0} KB). Send this file to your technician.' -f $OutFile, ($size / 1024)) }

if ($Line) {
  $cv = Get-ItemProperty -LiteralPath $SdcCurrentVersionKey -ErrorAction SilentlyContinue
  $build = if ($cv) { '{0}.{1}' -f $cv.CurrentBuild, $cv.UBR } else { 'unknown' }
  # The native architecture (machine-wide), not this process's: an x64 PowerShell on an ARM64 PC sees AMD64 in its own
  # environment and no PROCESSOR_ARCHITEW6432 (WOW64 sets that for 32-bit x86 processes only).
  $arch = [string](Get-ItemProperty -LiteralPath $SdcNativeArchKey -ErrorAction SilentlyContinue).PROCESSOR_ARCHITECTURE
  if (-not $arch) { $arch = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE } }
  $winre = 'unknown'
  try {
    $rx = [xml](Get-Content -LiteralPath (Get-SdcLocal $SdcReagentXml) -Raw -ErrorAction Stop)
    $bcd = [string]$rx.WindowsRE.WinreBCD.id
    if ($bcd -and $bcd -notmatch '^\\{?0{8}-0{4}-0{4}-0{4}-0{12}\\}?$') { $winre = 'enabled' } else { $winre = 'disabled' }
  } catch { }
  $codes = New-Object System.Collections.Generic.List[string]
  foreach ($c in $commands) {
    if ($c.name -eq 'history.update-session') {
      foreach ($m in [regex]::Matches($c.stdout, '"HResult"\\s*:\\s*(-?\\d+)')) {
        $h = [long]$m.Groups[1].Value
        if ($h -ne 0) { $code = '0x' + ([BitConverter]::ToUInt32([BitConverter]::GetBytes([long]$h), 0)).ToString('X8'); if (-not $codes.Contains($code)) { $codes.Add($code) } }
      }
    }
  }
  foreach ($p in $SdcCodeLogs) {
    $entry = Get-SdcEntry $p
    foreach ($f in $files) {
      if ($f.entry -ne $entry) { continue }
      try {
        foreach ($m in (Select-String -LiteralPath (Get-SdcLocal $p) -Pattern '(error|fail).*?(0x8[0-9a-f]{7})' -AllMatches -ErrorAction Stop | Select-Object -Last 200)) {
          $code = '0x' + $m.Matches[0].Groups[2].Value.Substring(2).ToUpperInvariant()
          if (-not $codes.Contains($code)) { $codes.Add($code) }
        }
      } catch { }
    }
  }
  $one = '${COLLECTOR_LINE_PREFIX} host={0} taken={1} build={2} arch={3} winre={4} codes={5} file={6}' -f $computer, $takenAt, $build, $arch, $winre, (@($codes | Select-Object -First 12) -join ','), $OutFile
  if ($one.Length -gt ${COLLECTOR_LINE_MAX}) { $one = $one.Substring(0, ${COLLECTOR_LINE_MAX}) }
  Write-Output $one
}
exit 0
`
  return powerShellFileText(script)
}
