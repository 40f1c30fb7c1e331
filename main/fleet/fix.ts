/**
 * One fix per group, in the forms admins push (issue 45 §4), all from the app's own generators:
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
import { collectorScript } from '../collector/collector-script.ts'
import { psComment, psLiteral, psTextLiteral, powerShellFileText } from '../host/powershell-text.ts'
import { repairScript } from '../repair/script.ts'
import { currentVersionCommand } from '../machine/probes/os.ts'
import type { RepairPlan } from '../../preload/model/repair.ts'
import type { RepairEnv } from '../repair/types.ts'
import { COLLECTOR_LINE_MAX } from '../../preload/model/collector.ts'
import { CAUSE_HELPERS } from './detect-cause.ts'

/** Where the detection leaves its last line, for CMPivot's FileContent() and for a person. */
export const LINE_FILE = 'C:\\ProgramData\\ServicingDesk\\fleet\\last-line.txt'
export const CONFIGMGR_OUTPUT_MAX = 4000

/** What in a collector line shows the cause: failure codes, or WinRE disabled. None: the line cannot show it. */
export interface LineSignature { codes: string[]; winreDisabled: boolean }

export interface GroupPlan { build: string; arch: string; plan: RepairPlan; env: RepairEnv; machineName: string }

export interface FixFiles { [name: string]: string }

const ARCH_ENV: Record<string, string> = { x64: 'AMD64', arm64: 'ARM64', x86: 'x86', AMD64: 'AMD64', ARM64: 'ARM64' }

export class FixScriptError extends Error {}

/**
 * The collector with -Line on by default, leaving its line in LINE_FILE; as the detection (`test`: the cause's test on
 * the device, main/fleet/detect-cause.ts) it exits 1 exactly while that test finds the cause on this device now. A
 * cause the app cannot test on a device gets no test: the script reports its line and exits 0 (never a constant 1).
 */
export function detectionScript(version: string, test: string[] | null, opts: { exitCode: boolean } = { exitCode: true }): string {
  let s = collectorScript({ version }).replace(/^\uFEFF/, '')
  const param = '  [switch]$Line\r\n)'
  const tail = '  Write-Output $one\r\n}\r\nexit 0\r\n'
  if (!s.includes(param) || !s.endsWith(tail)) throw new FixScriptError('The collector script changed shape; the fleet detection script cannot be built from it.')
  s = s.replace(param, '  [switch]$Line = $true\r\n)')
  const decide = !opts.exitCode || !test ? [] : [
    '  # The cause, tested on this device now (not the failure code: the update history keeps it after a fix).',
    ...CAUSE_HELPERS.map((l) => '  ' + l),
    ...test.map((l) => '  ' + l),
    `  if ($sddWhy) { [Console]::Error.WriteLine(${psTextLiteral('Not decided: this device\'s facts could not be read: ')} + $sddWhy) }`,
    '  if ($sddCause -eq $true) { exit 1 }',
  ]
  const end = [
    '  Write-Output $one',
    `  try { New-Item -ItemType Directory -Force -Path ${psLiteral(LINE_FILE.replace(/\\[^\\]+$/, ''))} | Out-Null; Set-Content -LiteralPath ${psLiteral(LINE_FILE)} -Value $one -Encoding ASCII } catch { }`,
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
    '$arch = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE }',
    `if ([string]$cv.CurrentBuild -ne ${psLiteral(build ?? '')} -or [string]$cv.UBR -ne ${psLiteral(ubr ?? '')} -or $arch -ne ${psLiteral(ARCH_ENV[g.arch] ?? g.arch)}) {`,
    `  Write-Output (${psTextLiteral(`Not run: this fix was planned for build ${g.build} on ${g.arch}; this PC is `)} + $cv.CurrentBuild + '.' + $cv.UBR + ' ' + $arch + '.')`,
    '  exit 0',
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
  const body = repairScript(plan, g.env, `the devices of build ${g.build} (${g.arch}) in this group; planned from ${g.machineName}`).split(/\r\n/)
    .filter((l) => !/^#Requires/.test(l))
  return [...body, ...(restart ? [`Write-Output ${psTextLiteral('A restart is needed to finish: schedule it with your device management tool (this script never restarts the PC).')}`] : [])]
}

export function remediationScript(groups: GroupPlan[], cause: string): string {
  if (!groups.length) throw new FixScriptError(`No plan for '${cause}': collect a file from one of its devices first.`)
  const L = ['<#', psComment(`  Servicing Desk fleet remediation for the cause "${cause}" (Intune Remediations, ConfigMgr, Invoke-Command).`), psComment('  Runs as SYSTEM, in 64-bit Windows PowerShell 5.1, never restarts the PC.'), '#>', "$ErrorActionPreference = 'Stop'", '']
  for (const [i, g] of groups.entries()) {
    L.push(psComment(`# Build ${g.build} on ${g.arch}`), `function Invoke-SdFix${i} {`, ...guards(g).map((l) => '  ' + l), ...remediationBody(g).map((l) => '  ' + l), '}', '')
  }
  const cvKey = currentVersionCommand.args[1]!.replace(/^HKLM\\/, 'HKLM:\\')
  L.push(`$cv = Get-ItemProperty -LiteralPath ${psLiteral(cvKey)}`, "$here = [string]$cv.CurrentBuild + '.' + [string]$cv.UBR")
  for (const [i, g] of groups.entries()) L.push(`if ($here -eq ${psLiteral(g.build)}) { Invoke-SdFix${i}; exit 0 }`)
  L.push(`Write-Output (${psTextLiteral('Not run: no plan of this fix is for build ')} + $here + '.')`, 'exit 0', '')
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
  return powerShellFileText([
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
  ].join('\r\n'))
}

/**
 * CMPivot (its Kusto subset): the group's devices by name (`Device`, `==` and `or`; the first 100, the whole list is
 * computers.txt), and any device whose last collector line shows the cause (`FileContent(<file>)` with its `Content`
 * column, backslashes doubled in the string as memdocs configmgr/core/servers/manage/cmpivot-changes.md shows).
 */
export function cmPivotQuery(devices: readonly string[], sig: LineSignature | null): string {
  const kql = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, '')}'`
  const shown = devices.slice(0, 100)
  const lines = [`// Servicing Desk fleet: the devices of this group (${devices.length}${devices.length > 100 ? '; the first 100 here, all of them in computers.txt' : ''})`,
    shown.length ? `Device | where ${shown.map((d) => `Device == ${kql(d)}`).join(' or ')}` : '// (no device is failing in this group now)']
  if (sig && (sig.codes.length || sig.winreDisabled)) {
    const conds = [...sig.codes.map((c) => `Content contains '${c}'`), ...(sig.winreDisabled ? ["Content contains ' winre=disabled '"] : [])].join(' or ')
    lines.push('', '// Any device whose last collector line (written by the fleet detection script) shows the cause', `FileContent(${kql(LINE_FILE)}) | where ${conds} | project Device, Content`)
  }
  return lines.join('\n') + '\n'
}

/**
 * Invoke-Command over a list of names (a throttle; each PC runs the fix, then the detection): lines for `fleet import`,
 * and each computer's collected file, which the detection wrote there and its line names, copied back over a session
 * (Copy-Item -FromSession): a line cannot show every cause gone (the update history keeps the old failure code), the
 * file can. Names are data: they reach Invoke-Command as an array, and a file name only as [A-Za-z0-9._-].
 */
export function fanOutScript(): string {
  return powerShellFileText([
    '<#',
    '.SYNOPSIS',
    'Servicing Desk fleet fix over PowerShell remoting: runs Remediate.ps1 on each computer, then Detect.ps1, and saves',
    'each computer\'s collector line to lines.txt and its collected file to the folder "collected"',
    '(import both with: servicing-desk fleet import lines.txt, then servicing-desk fleet import collected).',
    '#>',
    'param(',
    '  [Parameter(Mandatory = $true)][string]$ComputerList,',
    '  [int]$ThrottleLimit = 32,',
    "  [string]$OutFile = 'lines.txt',",
    "  [string]$FileFolder = 'collected'",
    ')',
    "$ErrorActionPreference = 'Continue'",
    '$names = @(Get-Content -LiteralPath $ComputerList | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne \'\' })',
    "$fix = Join-Path $PSScriptRoot 'Remediate.ps1'",
    "$detect = Join-Path $PSScriptRoot 'Detect.ps1'",
    // A group the app has no remediation for gets no Remediate.ps1: the detection alone then reports back.
    '$failed = @()',
    'if (Test-Path -LiteralPath $fix) { Invoke-Command -ComputerName $names -FilePath $fix -ThrottleLimit $ThrottleLimit -ErrorAction Continue -ErrorVariable failed | Out-Host }',
    "else { Write-Host 'No Remediate.ps1 beside this script (the app has no remediation for this group): the detection only.' }",
    '$out = @(Invoke-Command -ComputerName $names -FilePath $detect -ThrottleLimit $ThrottleLimit -ErrorAction Continue -ErrorVariable unreached | Where-Object { [string]$_ -like \'SDC1 host=*\' })',
    'New-Item -ItemType Directory -Force -Path $FileFolder | Out-Null',
    '$copied = 0',
    'foreach ($l in $out) {',
    "  if ([string]$l -notmatch ' file=(.+)$') { continue }",
    '  $file = $Matches[1].Trim()',
    "  $safe = ([string]$l.PSComputerName) -replace '[^A-Za-z0-9._-]', '_'",
    '  try {',
    '    $s = New-PSSession -ComputerName ([string]$l.PSComputerName) -ErrorAction Stop',
    "    try { Copy-Item -FromSession $s -LiteralPath $file -Destination (Join-Path $FileFolder ($safe + '.zip')) -ErrorAction Stop; $copied++ } finally { Remove-PSSession $s }",
    "  } catch { Write-Warning ([string]$l.PSComputerName + ': its collected file was not copied: ' + $_.Exception.Message) }",
    '}',
    "@($out | ForEach-Object { [string]$_ }) | Set-Content -LiteralPath $OutFile -Encoding ASCII",
    // Who did not report is told by who did (a remediation's own error is not an unreachable computer); each error as it came.
    "foreach ($e in @(@($failed) + @($unreached) | Where-Object { $_ })) { Write-Warning ([string]$e.Exception.Message) }",
    '$reported = @($out | ForEach-Object { [string]$_.PSComputerName })',
    '$missing = @($names | Where-Object { $reported -notcontains $_ })',
    "foreach ($n in $missing) { Write-Warning ('No line from: ' + $n + ' (not reached, or its detection failed; see above)') }",
    "Write-Host ('{0} of {1} computers reported; lines in {2}; {3} collected files in {4}; {5} did not report' -f $out.Count, $names.Count, $OutFile, $copied, $FileFolder, $missing.Count)",
    '',
  ].join('\r\n'))
}

/** Graph's deviceHealthScript body for the pair (upload is not done here: the admin posts it, or imports the files). */
export function intuneSettings(cause: string, title: string, detection: string, remediation: string): string {
  return JSON.stringify({
    '@odata.type': '#microsoft.graph.deviceHealthScript',
    displayName: `Servicing Desk: ${title}`.slice(0, 200),
    description: `Finds and fixes the devices whose diagnosed cause is "${cause}". Detection output: the collector line (at most ${COLLECTOR_LINE_MAX} characters).`,
    publisher: 'Servicing Desk',
    runAs32Bit: false,
    runAsAccount: 'system',
    enforceSignatureCheck: false,
    detectionScriptContent: Buffer.from(detection, 'utf8').toString('base64'),
    remediationScriptContent: Buffer.from(remediation, 'utf8').toString('base64'),
  }, null, 2)
}
