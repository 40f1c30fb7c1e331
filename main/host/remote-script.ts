/**
 * The PowerShell the remote Host sends to a PC (the first half of the remote Host; the transport is the
 * second). Pure: items in, script text out; results text in, typed results out.
 *
 * One script carries many items (a whole scan's probes in one round trip). Every value in it — a command's
 * name, executable, arguments, a path — is a single-quoted literal made by psLiteral (powershell-text.ts):
 * data, never code. The script defines a few functions and then calls them once per item, one call per line:
 *
 *   [void]$sdResults.Add((Invoke-SdCommand -Id 'c1' -Mode 'direct' -Name 'os.currentversion' -File '…' -ArgumentList @('…') -TimeoutMs 30000 -Encoding 'console'))
 *
 * - `direct` runs the executable in the session (read-only probes), through System.Diagnostics.Process so
 *   that its output is decoded with the encoding the command declares (the OEM code page for reg/dism,
 *   UTF-8 for our PowerShell) and its exit code is exact.
 * - `task` runs it as a one-shot scheduled task under SYSTEM that writes its output and exit code to a
 *   file in the PC's data folder (%ProgramData%\ServicingDesk\remote\<id>.json): a process started inside
 *   a WinRM shell is ended with the shell; a task survives a dropped session and a restart
 *   (../shared/reference/remote-and-fleet.md). The call is idempotent by its id: when the result file
 *   exists, it is read, not run again; when the task exists, it is waited for, not started again. So the
 *   remote Host sends the very same script again after a lost session, and no step runs twice.
 * - The Windows Update API refuses remote callers; DISM works over WinRM, and everything that changes the
 *   PC runs as SYSTEM on the PC anyway.
 */
import { SECURE_FOLDER_FUNCTIONS } from './secure-folder-script.ts'
import { win32 } from 'node:path'
import type { CommandSpec } from './host.ts'
import { psLiteral } from './powershell-text.ts'
import { encodePowerShell } from './powershell.ts'
import { resolveSystemTool } from './windows-host.ts'

export type RemoteItem =
  | { kind: 'command'; id: string; mode: 'direct' | 'task'; spec: CommandSpec }
  | { kind: 'read'; id: string; path: string }
  | { kind: 'list'; id: string; path: string }
  | { kind: 'exists'; id: string; path: string }
  | { kind: 'hash'; id: string; path: string }
  | { kind: 'preflight'; id: string }

export type RemoteResult =
  | {
      kind: 'command'
      id: string
      exitCode: number
      stdout: string
      stderr: string
      timedOut: boolean
      pending: boolean
    }
  | { kind: 'read'; id: string; found: boolean; content: string }
  | { kind: 'list'; id: string; names: string[] }
  | { kind: 'exists'; id: string; exists: boolean }
  | { kind: 'hash'; id: string; sha256: string | null }
  | {
      kind: 'preflight'
      id: string
      computerName: string
      admin: boolean
      processorArchitecture: number
      build: string
      ubr: number
      freeBytes: number
      pendingRestart: boolean
      bootTime: string
    }

/** Where results and copied files live on the PC: its own data folder. */
export const REMOTE_DATA_DIR = 'C:\\ProgramData\\ServicingDesk'
export const REMOTE_RESULTS_DIR = `${REMOTE_DATA_DIR}\\remote`

/** The function names the script calls, one per item kind (the training transport reads the same names). */
export const ITEM_FUNCTIONS = {
  command: 'Invoke-SdCommand',
  read: 'Read-SdFile',
  list: 'Get-SdList',
  exists: 'Test-SdPath',
  hash: 'Get-SdFileHash',
  preflight: 'Get-SdPreflight',
} as const

const ID = /^[A-Za-z0-9-]{1,64}$/

/** The executable as the PC resolves it: a well-known tool from its own System32 (%SystemRoot% expanded there). */
export function remoteFile(file: string): string {
  return resolveSystemTool(file, 'win32', '%SystemRoot%')
}

/** argv → the command line CreateProcess parses back into the same argv (CommandLineToArgvW rules). */
const PROCESS_FUNCTIONS = String.raw`
function ConvertTo-SdArgumentLine {
  param([string[]]$ArgumentList)
  $parts = foreach ($a in $ArgumentList) {
    if ($a -ne '' -and $a -notmatch '[\s"]') { $a; continue }
    $b = [regex]::Replace($a, '(\\*)"', { param($m) $m.Groups[1].Value + $m.Groups[1].Value + '\"' })
    $b = [regex]::Replace($b, '(\\+)$', '$1$1')
    '"' + $b + '"'
  }
  $parts -join ' '
}
function Invoke-SdProcess {
  param([string]$File, [string[]]$ArgumentList, [int]$TimeoutMs, [string]$Encoding)
  $psi = New-Object System.Diagnostics.ProcessStartInfo
  $psi.FileName = [Environment]::ExpandEnvironmentVariables($File)
  $psi.Arguments = ConvertTo-SdArgumentLine -ArgumentList $ArgumentList
  $psi.UseShellExecute = $false
  $psi.CreateNoWindow = $true
  $psi.RedirectStandardOutput = $true
  $psi.RedirectStandardError = $true
  if ($Encoding -eq 'utf8') { $enc = New-Object System.Text.UTF8Encoding $false }
  elseif ($Encoding -eq 'utf16le') { $enc = [System.Text.Encoding]::Unicode }
  else { $enc = [System.Text.Encoding]::GetEncoding([int](Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Nls\CodePage').OEMCP) }
  $psi.StandardOutputEncoding = $enc
  $psi.StandardErrorEncoding = $enc
  $p = [System.Diagnostics.Process]::Start($psi)
  $out = $p.StandardOutput.ReadToEndAsync()
  $err = $p.StandardError.ReadToEndAsync()
  $timedOut = -not $p.WaitForExit($TimeoutMs)
  if ($timedOut) { & (Join-Path $env:SystemRoot 'System32\taskkill.exe') /PID $p.Id /T /F | Out-Null; $p.WaitForExit() }
  $code = [BitConverter]::ToUInt32([BitConverter]::GetBytes([int]$p.ExitCode), 0)
  $utf8 = New-Object System.Text.UTF8Encoding $false
  [pscustomobject]@{ exitCode = $code; stdout = [Convert]::ToBase64String($utf8.GetBytes($out.Result)); stderr = [Convert]::ToBase64String($utf8.GetBytes($err.Result)); timedOut = $timedOut }
}
`

const BATCH_FUNCTIONS = String.raw`
$sdDir = Join-Path $env:ProgramData 'ServicingDesk\remote'
function Invoke-SdCommand {
  param([string]$Id, [string]$Mode, [string]$Name, [string]$File, [string[]]$ArgumentList, [int]$TimeoutMs, [string]$Encoding, [string]$Runner)
  if ($Mode -eq 'direct') {
    $r = Invoke-SdProcess -File $File -ArgumentList $ArgumentList -TimeoutMs $TimeoutMs -Encoding $Encoding
    return [pscustomobject]@{ id = $Id; kind = 'command'; exitCode = $r.exitCode; stdout = $r.stdout; stderr = $r.stderr; timedOut = $r.timedOut; pending = $false }
  }
  # The result file is written by SYSTEM and read back as the command's answer: only into a folder of Administrators
  # and SYSTEM (a user's folder or junction there could forge the answer or redirect the write).
  $why = New-SdSecureFolder -Base $env:ProgramData -Child 'ServicingDesk\remote'
  if ($why) { return [pscustomobject]@{ id = $Id; kind = 'command'; exitCode = 1; stdout = ''; stderr = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('Not run: ' + $why)); timedOut = $false; pending = $false } }
  $result = Join-Path $sdDir ($Id + '.json')
  $task = 'ServicingDesk-' + $Id
  if (-not (Test-Path -LiteralPath $result)) {
    if (-not (Get-ScheduledTask -TaskName $task -ErrorAction SilentlyContinue)) {
      $exe = Join-Path $env:SystemRoot 'System32\WindowsPowerShell\v1.0\powershell.exe'
      $action = New-ScheduledTaskAction -Execute $exe -Argument ('-NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ' + $Runner)
      $principal = New-ScheduledTaskPrincipal -UserId 'NT AUTHORITY\SYSTEM' -LogonType ServiceAccount -RunLevel Highest
      Register-ScheduledTask -TaskName $task -Action $action -Principal $principal -Force | Out-Null
      Start-ScheduledTask -TaskName $task
    }
    $deadline = (Get-Date).AddMilliseconds($TimeoutMs)
    while (-not (Test-Path -LiteralPath $result) -and (Get-Date) -lt $deadline) { Start-Sleep -Seconds 1 }
  }
  if (-not (Test-Path -LiteralPath $result)) { return [pscustomobject]@{ id = $Id; kind = 'command'; exitCode = 1; stdout = ''; stderr = ''; timedOut = $true; pending = $true } }
  $r = Get-Content -LiteralPath $result -Raw | ConvertFrom-Json
  Unregister-ScheduledTask -TaskName $task -Confirm:$false -ErrorAction SilentlyContinue
  [pscustomobject]@{ id = $Id; kind = 'command'; exitCode = $r.exitCode; stdout = $r.stdout; stderr = $r.stderr; timedOut = $r.timedOut; pending = $false }
}
function Read-SdFile {
  param([string]$Id, [string]$Path)
  $p = [Environment]::ExpandEnvironmentVariables($Path)
  if (-not (Test-Path -LiteralPath $p -PathType Leaf)) { return [pscustomobject]@{ id = $Id; kind = 'read'; found = $false; content = '' } }
  # .NET opens the path PowerShell resolved (a path PowerShell reads relative to its own location is read so too).
  [pscustomobject]@{ id = $Id; kind = 'read'; found = $true; content = [Convert]::ToBase64String([IO.File]::ReadAllBytes((Convert-Path -LiteralPath $p))) }
}
function Get-SdList {
  param([string]$Id, [string]$Path)
  $p = [Environment]::ExpandEnvironmentVariables($Path)
  $names = @(Get-ChildItem -LiteralPath $p -Force -ErrorAction SilentlyContinue | ForEach-Object { $_.Name })
  [pscustomobject]@{ id = $Id; kind = 'list'; names = $names }
}
function Test-SdPath {
  param([string]$Id, [string]$Path)
  [pscustomobject]@{ id = $Id; kind = 'exists'; exists = (Test-Path -LiteralPath ([Environment]::ExpandEnvironmentVariables($Path))) }
}
function Get-SdFileHash {
  param([string]$Id, [string]$Path)
  $h = $null
  if (Test-Path -LiteralPath $Path -PathType Leaf) { $h = (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant() }
  [pscustomobject]@{ id = $Id; kind = 'hash'; sha256 = $h }
}
function Get-SdPreflight {
  param([string]$Id)
  # An administrator's session: its token's mandatory label is High (S-1-16-12288) or System, as whoami /groups lists
  # it (main/parse/whoami-groups.ts); whoami by its full path, as every program.
  $who = Invoke-SdProcess -File (Join-Path $env:SystemRoot 'System32\whoami.exe') -ArgumentList @('/groups', '/fo', 'csv', '/nh') -TimeoutMs 15000 -Encoding 'console'
  $groups = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($who.stdout))
  $admin = ($who.exitCode -eq 0 -and $groups -match 'S-1-16-(\d+)' -and [long]$Matches[1] -ge 12288)
  $cv = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
  $cpu = Get-CimInstance -ClassName Win32_Processor | Select-Object -First 1
  $disk = Get-CimInstance -ClassName Win32_LogicalDisk -Filter ("DeviceID='" + $env:SystemDrive + "'")
  $os = Get-CimInstance -ClassName Win32_OperatingSystem
  $cbs = Test-Path -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
  $wu = Test-Path -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired'
  [pscustomobject]@{ id = $Id; kind = 'preflight'; computerName = $env:COMPUTERNAME; admin = $admin; processorArchitecture = [int]$cpu.Architecture; build = [string]$cv.CurrentBuild; ubr = [int]$cv.UBR; freeBytes = [int64]$disk.FreeSpace; pendingRestart = ($cbs -or $wu); bootTime = $os.LastBootUpTime.ToUniversalTime().ToString('o') }
}
`

/** The script a SYSTEM task runs for one command: run it, then write the result file (atomically: a .tmp renamed). */
export function taskRunnerScript(id: string, spec: CommandSpec): string {
  checkId(id)
  return [
    `$ErrorActionPreference = 'Stop'`,
    `$ProgressPreference = 'SilentlyContinue'`,
    PROCESS_FUNCTIONS.trim(),
    // A command that cannot even start still leaves a result (exit code 1 and why), so nobody waits for it.
    `try { $r = Invoke-SdProcess -File ${psLiteral(remoteFile(spec.file))} -ArgumentList ${psArray(spec.args)} -TimeoutMs ${spec.timeoutMs} -Encoding ${psLiteral(spec.outputEncoding ?? 'utf8')} }`,
    `catch { $r = [pscustomobject]@{ exitCode = 1; stdout = ''; stderr = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($_.Exception.Message)); timedOut = $false } }`,
    `$json = ConvertTo-Json -InputObject $r -Compress`,
    // The same folder the batch script waits in (%ProgramData% of the PC, whatever its drive).
    `$result = Join-Path $env:ProgramData ${psLiteral(`ServicingDesk\\remote\\${id}.json`)}`,
    `[IO.File]::WriteAllText($result + '.tmp', $json)`,
    `Move-Item -LiteralPath ($result + '.tmp') -Destination $result -Force`,
  ].join('\n')
}

/** One script for a batch of items. Its output: one line of JSON, an array of RemoteResult (base64 text fields). */
export function batchScript(items: readonly RemoteItem[]): string {
  const lines = [
    `$ErrorActionPreference = 'Stop'`,
    `$ProgressPreference = 'SilentlyContinue'`,
    PROCESS_FUNCTIONS.trim(),
    ...(items.some((i) => i.kind === 'command' && i.mode === 'task') ? [SECURE_FOLDER_FUNCTIONS] : []),
    BATCH_FUNCTIONS.trim(),
    `$sdResults = New-Object System.Collections.ArrayList`,
  ]
  for (const item of items) lines.push(`[void]$sdResults.Add((${itemCall(item)}))`)
  lines.push(`ConvertTo-Json -InputObject @($sdResults.ToArray()) -Depth 5 -Compress`)
  return lines.join('\n')
}

function itemCall(item: RemoteItem): string {
  checkId(item.id)
  const fn = ITEM_FUNCTIONS[item.kind]
  switch (item.kind) {
    case 'command': {
      const s = item.spec
      const runner = item.mode === 'task' ? ` -Runner ${psLiteral(encodePowerShell(taskRunnerScript(item.id, s)))}` : ''
      return `${fn} -Id ${psLiteral(item.id)} -Mode ${psLiteral(item.mode)} -Name ${psLiteral(s.name)} -File ${psLiteral(remoteFile(s.file))} -ArgumentList ${psArray(s.args)} -TimeoutMs ${Math.trunc(s.timeoutMs)} -Encoding ${psLiteral(s.outputEncoding ?? 'utf8')}${runner}`
    }
    case 'preflight':
      return `${fn} -Id ${psLiteral(item.id)}`
    default:
      return `${fn} -Id ${psLiteral(item.id)} -Path ${psLiteral(item.path)}`
  }
}

function psArray(values: readonly string[]): string {
  return `@(${values.map(psLiteral).join(', ')})`
}

function checkId(id: string): void {
  if (!ID.test(id)) throw new Error(`remote item id must be letters, digits and dashes (got '${id}')`)
}

/** The path a copied file gets on the PC: the same place under its data folder. */
export function remoteDataPath(relativeParts: readonly string[]): string {
  return win32.join(REMOTE_DATA_DIR, ...relativeParts)
}

/**
 * Reads what a batch script printed. Tolerant of noise around the JSON (a profile banner, a warning):
 * the last line that parses as a JSON array wins. Text fields arrive base64 (UTF-8) and are decoded here.
 * Returns null when no result array is found.
 */
export function parseBatchOutput(text: string): RemoteResult[] | null {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('[') || l.startsWith('{'))
  for (let i = lines.length - 1; i >= 0; i--) {
    let raw: unknown
    try {
      raw = JSON.parse(lines[i])
    } catch {
      continue
    }
    const arr = Array.isArray(raw) ? raw : [raw]
    const out: RemoteResult[] = []
    for (const r of arr) {
      const x = normalize(r)
      if (!x) return null
      out.push(x)
    }
    return out
  }
  return null
}

const b64 = (v: unknown): string => (typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : '')
const str = (v: unknown): string => (typeof v === 'string' ? v : '')

function normalize(r: unknown): RemoteResult | null {
  if (!r || typeof r !== 'object') return null
  const o = r as Record<string, unknown>
  const id = str(o.id)
  switch (o.kind) {
    case 'command':
      return {
        kind: 'command',
        id,
        exitCode: Number(o.exitCode) >>> 0,
        stdout: b64(o.stdout),
        stderr: b64(o.stderr),
        timedOut: o.timedOut === true,
        pending: o.pending === true,
      }
    case 'read':
      return { kind: 'read', id, found: o.found === true, content: typeof o.content === 'string' ? o.content : '' }
    case 'list':
      return {
        kind: 'list',
        id,
        names: Array.isArray(o.names)
          ? o.names.filter((n): n is string => typeof n === 'string')
          : typeof o.names === 'string'
            ? [o.names]
            : [],
      }
    case 'exists':
      return { kind: 'exists', id, exists: o.exists === true }
    case 'hash':
      return { kind: 'hash', id, sha256: typeof o.sha256 === 'string' ? o.sha256.toLowerCase() : null }
    case 'preflight':
      return {
        kind: 'preflight',
        id,
        computerName: str(o.computerName),
        admin: o.admin === true,
        processorArchitecture: Number(o.processorArchitecture),
        build: String(o.build ?? ''),
        ubr: Number(o.ubr) || 0,
        freeBytes: Number(o.freeBytes) || 0,
        pendingRestart: o.pendingRestart === true,
        bootTime: str(o.bootTime),
      }
    default:
      return null
  }
}
