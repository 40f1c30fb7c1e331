/**
 * `Fix-<host>.ps1`: the one script of a fix package. It runs, on the PC the collector file came from and on no
 * other (computer name, build, native architecture), the whole-PC plan for that PC (main/pc-plan) in its order: the
 * pending restart and the repairs that block servicing, then the update kit(s) (the newest cumulative update of the
 * branch with its checkpoints; an update the cumulative one does not include), then WinRE, then the repairs that do
 * not block servicing — and at the end the collector again, for the "after" file.
 *
 * Every command comes from the app's own builders: a repair step's argv from the step kinds (commandOf, the one
 * command builder the runner uses), the update from the kit's Install-Kit.ps1 (main/kit). This file only adds the
 * package's frame: the guards, the hashes of every file, the folders created first, a log line with the exit
 * code of every step, a state file so a run continues where it stopped, and a RunOnce entry before a restart.
 * Every value enters through main/host/powershell-text.ts.
 */
import { psSystemTool } from '../host/system-tools.ts'
import { NATIVE_ARCH_LINES, SECURE_FOLDER_FUNCTIONS, secureFolderCall } from '../host/secure-folder-script.ts'
import { psComment, psLiteral, psTextLiteral } from '../host/powershell-text.ts'
import type { RepairPlan } from '../../preload/model/repair.ts'
import type { RepairEnv } from '../repair/types.ts'
import { step as stepIntent } from '../repair/types.ts'
import { commandOf, paramsOf, msuPath, msuDir, expandedSource } from '../repair/step-kinds.ts'
import { HEALTH_KINDS, HEALTH_LINE } from '../repair/script.ts'
import { decodePowerShellScript } from '../host/powershell.ts'
import type { Disk } from '../../preload/model/snapshot.ts'
import type { WinreRepair, WinreResize } from '../../preload/model/winre.ts'
import { winreSpec } from '../winre/step-builder.ts'
import { DISKPART_SCRIPT_PATH, WINRE_MOUNT_DIR, WORK_DIR } from '../machine/winre-commands.ts'

const ARCH_ENV: Record<string, string> = { x64: 'AMD64', arm64: 'ARM64', x86: 'x86' }
export const FIX_WORK_ROOT = 'C:\\ProgramData\\ServicingDesk\\fix-package'
export const RUNONCE_NAME = 'ServicingDeskFix'

export interface FixScriptInput {
  packageId: string
  machine: { name: string; build: number; ubr: number | null; nativeArch: 'x64' | 'arm64' | 'x86' }
  takenAt: string
  version: string
  createdAt: string
  /** The repairs that run before the update (the pending restart, the repairs that block servicing), in order. */
  repairs: { plan: RepairPlan; env: RepairEnv }[]
  /** The repairs that run after the update and WinRE (they do not block servicing: Secure Boot certificates). */
  afterRepairs?: { plan: RepairPlan; env: RepairEnv }[]
  /**
   * The WinRE repair (main/winre's plan for that PC), run after the update(s); its Safe OS file
   * (in the package, and where the PC gets it) and its diskpart script (a file in the package).
   */
  winre?: { repair: WinreRepair; safeOs: { rel: string; pcPath: string } | null; diskpartRel: string | null } | null
  /** The repair sources the package carries: `files\<kb>-<arch>.msu`. */
  sources: { kb: string; arch: string; rel: string }[]
  /** The update kit in `kit\` (the newest cumulative update, with its checkpoints), or null. */
  kit: { kb: string; title: string } | null
  /** Updates after it, each a kit of its own in `kit-<KB>\` (a failed update the cumulative one does not include). */
  moreKits?: { kb: string; title: string }[]
  /** Every file the script checks before it starts: path relative to the package (Windows), SHA-256. */
  files: { rel: string; sha256: string }[]
  collectorRel: string
}

const lit = psLiteral
const txt = psTextLiteral

export function renderFixScript(i: FixScriptInput): string {
  const work = `${FIX_WORK_ROOT}\\${i.packageId}`
  const folders = new Set<string>([work])
  const body: string[] = []
  let n = 0
  const after = i.afterRepairs ?? []
  const kits = [
    ...(i.kit ? [{ ...i.kit, dir: 'kit', id: 'update' }] : []),
    ...(i.moreKits ?? []).map((k) => ({ ...k, dir: `kit-${k.kb}`, id: `update-${k.kb}` })),
  ]
  const repairSteps = (list: { plan: RepairPlan }[]) =>
    list.reduce((k, r) => k + r.plan.steps.filter((s) => s.kind !== 'schedule-resume').length, 0)
  const total = repairSteps(i.repairs) + kits.length + (i.winre?.repair.steps.length ?? 0) + repairSteps(after) + 1
  const env0 = i.repairs[0]?.env ?? after[0]?.env
  const order = [
    ...i.repairs.map((r) => `repair: ${r.plan.title}`),
    ...kits.map((k) => `update: ${k.kb}${k.dir === 'kit' ? ' with its checkpoints' : ''} (${k.dir}\\Install-Kit.ps1)`),
    ...(i.winre ? ['repair: the Windows Recovery Environment (WinRE)'] : []),
    ...after.map((r) => `repair: ${r.plan.title}`),
    'the collector again, for the after file',
  ]

  const renderRepairs = (list: { plan: RepairPlan; env: RepairEnv }[], first: number, beforeUpdate: boolean) => {
    for (const [k, { plan, env }] of list.entries()) {
      const ri = first + k
      const rid = `r${ri + 1}`
      const health = plan.steps.some((s) => HEALTH_KINDS.has(s.kind))
      body.push(
        '',
        psComment(`# ---- Repair ${ri + 1}: ${plan.title} (${plan.repairId}) ----`),
        psComment(`# Why: ${plan.reason}`),
      )
      body.push(health ? `$healthy = $done -contains ${lit(`${rid}:healthy`)}` : '$healthy = $false')
      for (const s of plan.steps) {
        if (s.kind === 'schedule-resume') continue
        n++
        const id = `${rid}:${s.id}`
        const gate = s.gate === 'while-broken' ? ' -and -not $healthy' : ''
        body.push(
          '',
          psComment(`# Step ${n} of ${total}: ${s.title}`),
          psComment(`# ${s.explanation}`),
          `if ($done -notcontains ${lit(id)}${gate}) {`,
          `  Write-FixLog ${txt(`Step ${n} of ${total}: ${s.title}`)}`,
        )
        if (s.kind === 'fetch-package') {
          const p = paramsOf(s) as { kb: string; arch: string }
          const src = i.sources.find((x) => x.kb === p.kb && x.arch === p.arch)
          if (!src) throw new Error(`The package carries no ${p.kb} ${p.arch} for the step '${s.title}'.`)
          folders.add(msuDir(env, p.kb, p.arch)).add(expandedSource(env, p.kb, p.arch))
          body.push(
            `  Copy-FixFile ${lit(src.rel)} ${lit(msuPath(env, p.kb, p.arch))}`,
            `  Write-FixLog ${txt(`Step ${n}: ${src.rel} copied to ${msuPath(env, p.kb, p.arch)} and its SHA-256 checked there; exit code 0`)}`,
            `  Complete-FixStep ${lit(id)}`,
          )
        } else if (s.kind === 'restart') {
          const spec = commandOf(s, env)!
          // Done once the PC has started again since the restart was asked for: a run stopped between asking and the
          // restart itself asks again, and one after the restart moves on.
          body.push(
            `  if (Test-FixRestarted ${lit(id)}) { Complete-FixStep ${lit(id)}; Write-FixLog ${txt(`Step ${n}: the PC has restarted.`)} }`,
            '  else {',
            `    Request-FixRestart ${lit(id)}`,
            `    Write-FixLog ${txt(`Step ${n}: restarting; this script continues by itself after the next sign-in.`)}`,
            `    $r = Invoke-FixNative ${tool(spec.file)} @(${spec.args.map(lit).join(', ')})`,
            '    exit 3010',
            '  }',
          )
        } else {
          const spec = commandOf(s, env)
          if (!spec) throw new Error(`The step '${s.title}' has no command.`)
          const ok = runCommandLines(body, spec, n)
          if (HEALTH_KINDS.has(s.kind))
            body.push(`  ${HEALTH_LINE}`, `  if ($healthy) { Complete-FixStep ${lit(`${rid}:healthy`)} }`)
          body.push(`  if (${ok.map((c) => `$code -eq ${c}`).join(' -or ')}) { Complete-FixStep ${lit(id)} }`)
          if (s.mayFail)
            body.push(
              `  else { Write-FixLog ${txt(`Step ${n} did not succeed; the next step is tried.`)}; Complete-FixStep ${lit(id)} }`,
            )
          else body.push(`  else { Stop-Fix ${txt(`Step ${n} (${s.title}) failed; nothing after it runs.`)} }`)
        }
        body.push('}')
      }
      if (health)
        body.push(
          '',
          `if (-not $healthy) { Stop-Fix ${txt(`${plan.title}: the component store is still damaged, so ${beforeUpdate ? 'no update is installed (it would fail again)' : 'nothing more runs'}. ${plan.manual.map((m) => `${m.title}: ${m.detail}`).join(' ')}`)} }`,
        )
      else if (plan.steps.length) body.push('', `Write-FixLog ${txt(`${plan.title}: all steps ran.`)}`)
    }
  }
  renderRepairs(i.repairs, 0, true)

  for (const kit of kits) {
    n++
    const restart = commandOf(
      stepIntent('restart', 'restart', { delaySeconds: 60 }, 'Restart', 'Restart to finish the update.'),
      env0 ?? { hostKind: 'this-pc', dataDir: 'C:\\ProgramData\\ServicingDesk', resumeCommand: null },
    )!
    body.push(
      '',
      psComment(`# ---- Update: ${kit.kb} (${kit.title}) ----`),
      psComment(
        `# Step ${n} of ${total}: the kit's Install-Kit.ps1 checks the PC and every file again and runs DISM on the target; DISM installs its checkpoints first.`,
      ),
      `if ($done -notcontains ${lit(kit.id)}) {`,
      `  Write-FixLog ${txt(`Step ${n} of ${total}: install ${kit.kb} with its checkpoints (${kit.dir}\\Install-Kit.ps1)`)}`,
      // The kit's script runs from the work folder (copied there and its SHA-256 checked there, just now); it copies
      // the kit's packages into a folder of its own and checks them there before DISM sees them.
      // One name for every kit's script: each is copied and checked right before its own step runs.
      "  $kitScript = Join-Path $Work 'Install-Kit.ps1'",
      `  Copy-FixFile ${lit(`${kit.dir}\\Install-Kit.ps1`)} $kitScript`,
      `  $r = Invoke-FixNative ${tool('powershell.exe')} @('-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', $kitScript, '-Kit', (Join-Path $Pkg ${lit(kit.dir)}))`,
      '  $code = $r.Code',
      `  Write-FixLog ('Step ${n} exit code {0} (0x{0:X8})' -f $code)`,
      `  if ($code -eq 0) { Complete-FixStep ${lit(kit.id)} }`,
      `  elseif ($code -eq 3010) { Complete-FixStep ${lit(kit.id)}; Complete-FixStep ${lit(`${kit.id}-asks-restart`)} }`,
      `  else { Stop-Fix ${txt(`Installing ${kit.kb} failed; see the log above and C:\\Windows\\Logs\\CBS\\CBS.log.`)} }`,
      '}',
      `if ($done -contains ${lit(`${kit.id}-asks-restart`)} -and $done -notcontains ${lit(`${kit.id}-restart`)}) {`,
      `  if (Test-FixRestarted ${lit(`${kit.id}-restart`)}) { Complete-FixStep ${lit(`${kit.id}-restart`)} }`,
      '  else {',
      `    Request-FixRestart ${lit(`${kit.id}-restart`)}`,
      `    Write-FixLog ${txt('The update asks for a restart: restarting in 60 seconds; this script continues by itself after the next sign-in.')}`,
      `    $r = Invoke-FixNative ${tool(restart.file)} @(${restart.args.map(lit).join(', ')})`,
      '    exit 3010',
      '  }',
      '}',
    )
  }

  let layoutCheck: string[] = []
  if (i.winre) {
    const w = renderWinre(i.winre, i.repairs.length + 1, n, total)
    n += i.winre.repair.steps.length
    body.push(...w.body)
    layoutCheck = w.layoutCheck
    for (const f of w.folders) folders.add(f)
  }
  renderRepairs(after, i.repairs.length + (i.winre ? 1 : 0), false)
  n++
  body.push(
    '',
    psComment(`# Step ${n} of ${total}: the collector again: the "after" file proves what changed.`),
    "if ($done -notcontains 'after') {",
    `  Write-FixLog ${txt(`Step ${n} of ${total}: collecting the after file`)}`,
    "  $collector = Join-Path $Work 'Collect-ServicingFacts.ps1'",
    `  Copy-FixFile ${lit(i.collectorRel)} $collector`,
    `  $r = Invoke-FixNative ${tool('powershell.exe')} @('-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', $collector, '-OutFile', $AfterFile)`,
    `  Write-FixLog ('Step ${n} exit code {0} (0x{0:X8})' -f $r.Code)`,
    "  if ($r.Code -eq 0) { Complete-FixStep 'after' } else { Stop-Fix 'The after file could not be written; run Collect-ServicingFacts.ps1 from this folder by hand.' }",
    '}',
    "Remove-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name $RunOnceName -ErrorAction SilentlyContinue",
    `Write-FixLog ('Done. Send this file to your technician: ' + $AfterFile)`,
    'exit 0',
  )

  const head = [
    '#Requires -RunAsAdministrator',
    '<#',
    psComment(`  Fix-${i.machine.name}.ps1, written by Servicing Desk ${i.version} on ${i.createdAt}`),
    psComment(
      `  For ${i.machine.name} only (build ${i.machine.build}${i.machine.ubr !== null ? `.${i.machine.ubr}` : ''}, ${i.machine.nativeArch}), from its collector file of ${i.takenAt}.`,
    ),
    psComment(`  In this order: ${order.map((o, k) => `${k + 1}. ${o}`).join('; ')}.`),
    '  Run it from an elevated PowerShell in this folder:',
    psComment(`    powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\Fix-${i.machine.name}.ps1`),
    '  It may restart the PC; it then continues by itself after the next sign-in (RunOnce), from its copy in its',
    '  work folder (-Package names this folder then).',
    '  Exit codes: 0 done; 3010 restarting, it continues after the restart; 1 stopped (see the log).',
    '#>',
    'param([string]$Package)',
    "$ErrorActionPreference = 'Stop'",
    // The script as PowerShell read it, before anything else: the copy the RunOnce entry starts is this text, not the
    // file in the package folder (a USB stick or a share someone else may write to).
    '$SelfText = $MyInvocation.MyCommand.ScriptContents',
    '$Pkg = if ($Package) { $Package } else { Split-Path -Parent $MyInvocation.MyCommand.Path }',
    `$ExpectedComputer = ${lit(i.machine.name)}`,
    `$ExpectedBuild = ${Math.trunc(i.machine.build)}`,
    `$ExpectedArch = ${lit(ARCH_ENV[i.machine.nativeArch] ?? i.machine.nativeArch)}`,
    `$Work = ${lit(work)}`,
    `$SelfCopy = ${lit(`${work}\\Fix-${i.machine.name}.ps1`)}`,
    `$LogFile = ${lit(`${work}\\Fix-${i.machine.name}.log`)}`,
    `$StateFile = ${lit(`${work}\\steps.done`)}`,
    `$AfterFile = ${lit(`${work}\\after-${i.machine.name}.zip`)}`,
    `$RunOnceName = ${lit(RUNONCE_NAME)}`,
    '$WorkReady = $false',
    '',
    // Nothing is written to the log before the work folder is known to be the administrators' own.
    "function Write-FixLog([string]$Text) { $line = ('{0} {1}' -f (Get-Date).ToString('s'), $Text); if ($script:WorkReady) { Add-Content -LiteralPath $LogFile -Value $line }; Write-Host $line }",
    "function Stop-Fix([string]$Text) { Write-FixLog ('STOPPED: ' + $Text); if ($script:WorkReady) { Write-Host ('Log: ' + $LogFile) }; exit 1 }",
    'function Complete-FixStep([string]$Id) { Add-Content -LiteralPath $StateFile -Value $Id; $script:done += $Id }',
    `function Register-FixContinuation { Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name $RunOnceName -Value ('"' + ${tool('powershell.exe')} + '" -NoProfile -ExecutionPolicy Bypass -File "' + $SelfCopy + '" -Package "' + $Pkg + '"') }`,
    '# A restart: asked for with the boot it was asked in (the state file), done once the PC has booted since.',
    "function Get-FixBoot { ([datetime](Get-CimInstance -ClassName Win32_OperatingSystem).LastBootUpTime).ToUniversalTime().ToString('o') }",
    "function Test-FixRestarted([string]$Id) { $asked = @($done | Where-Object { ([string]$_).StartsWith($Id + '@') }); return ($asked.Count -gt 0 -and $asked[-1].Substring($Id.Length + 1) -ne (Get-FixBoot)) }",
    "function Request-FixRestart([string]$Id) { Complete-FixStep ($Id + '@' + (Get-FixBoot)); Register-FixContinuation }",
    '# A native command: its output into the log, its exit code unsigned (DISM exits with the HRESULT).',
    'function Invoke-FixNative([string]$File, [string[]]$ArgList) {',
    "  $old = $ErrorActionPreference; $ErrorActionPreference = 'Continue'",
    '  $out = & $File @ArgList 2>&1 | Out-String',
    "  $code = [Convert]::ToUInt32(('{0:X8}' -f $LASTEXITCODE), 16)",
    '  $ErrorActionPreference = $old',
    '  Add-Content -LiteralPath $LogFile -Value $out',
    '  return @{ Output = $out; Code = $code }',
    '}',
    '# A file of the package, copied into a work folder and checked THERE, right before it is used: what runs is what',
    '# was checked (the package folder may be writable by others; the work folders are not).',
    'function Copy-FixFile([string]$Rel, [string]$Destination) {',
    "  if (-not $Sha.ContainsKey($Rel)) { Stop-Fix ('Not a file of the package: ' + $Rel) }",
    '  Copy-Item -LiteralPath (Join-Path $Pkg $Rel) -Destination $Destination -Force',
    '  Assert-FixFile $Destination $Sha[$Rel]',
    '}',
    'function Assert-FixFile([string]$Path, [string]$Expected) {',
    "  if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { Stop-Fix ('Missing: ' + $Path) }",
    '  $h = (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash',
    "  if ($h -ne $Expected) { Stop-Fix ($Path + ': SHA-256 is ' + $h + ', expected ' + $Expected + '; nothing more runs.') }",
    '}',
    SECURE_FOLDER_FUNCTIONS,
    '',
    '# This PC and no other: the package was made from its collector file.',
    'if ($env:COMPUTERNAME -ne $ExpectedComputer) { Stop-Fix ("This package is for $ExpectedComputer; this PC is $($env:COMPUTERNAME).") }',
    ...NATIVE_ARCH_LINES,
    'if ($Native -ne $ExpectedArch) { Stop-Fix ("This package is for $ExpectedArch; this PC is $Native.") }',
    "$Build = [int](Get-ItemProperty -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion').CurrentBuildNumber",
    'if ($Build -ne $ExpectedBuild) { Stop-Fix ("This package is for build $ExpectedBuild; this PC is build $Build.") }',
    '',
    '# The folders this script writes, first: only administrators and SYSTEM may write in them.',
    ...[...folders].map(
      (f) =>
        `$why = ${secureFolderCall(f)}; if ($why) { Stop-Fix (${txt('The work folder is not safe to use, so nothing runs: ')} + $why) }`,
    ),
    '$WorkReady = $true',
    'if ($PSCommandPath -ne $SelfCopy) { Set-Content -LiteralPath $SelfCopy -Value $SelfText -Encoding UTF8 }',
    '$done = @(if (Test-Path -LiteralPath $StateFile) { Get-Content -LiteralPath $StateFile })',
    `Write-FixLog ${txt(`Fix package ${i.packageId} for ${i.machine.name}: starting (${i.repairs.length + after.length} repair(s)${kits.length ? `, ${kits.map((k) => k.kb).join(', ')}` : ''}${i.winre ? ', WinRE' : ''}).`)}`,
    // Its own digest, to compare out of band with the one Servicing Desk showed when it wrote the package (as a kit's).
    `if ($PSCommandPath -ne $SelfCopy) { Write-FixLog (${txt("This script's SHA-256: ")} + (Get-FileHash -LiteralPath $PSCommandPath -Algorithm SHA256).Hash + ${txt('. Compare it with the one Servicing Desk showed when it wrote the package (by phone or chat, not by mail with the package): a different one means the script was changed; stop.')}) }`,
    '',
    '# Every file the package carries, with its SHA-256: all present and right before anything runs.',
    '$Files = @(',
    i.files.map((f) => `  @{ Path = ${lit(f.rel)}; Sha256 = ${lit(f.sha256.toUpperCase())} }`).join(',\n'),
    ')',
    '$Sha = @{}',
    'foreach ($f in $Files) {',
    '  $Sha[$f.Path] = $f.Sha256',
    '  $p = Join-Path $Pkg $f.Path',
    "  if (-not (Test-Path -LiteralPath $p -PathType Leaf)) { Stop-Fix ('Missing from the package: ' + $f.Path) }",
    '  $h = (Get-FileHash -LiteralPath $p -Algorithm SHA256).Hash',
    "  if ($h -ne $f.Sha256) { Stop-Fix ($f.Path + ': SHA-256 is ' + $h + ', expected ' + $f.Sha256) }",
    '}',
    "Write-FixLog ('Every file of the package is present and matches its SHA-256 (' + $Files.Count + ' files).')",
    ...layoutCheck,
  ]
  return [...head, ...body, ''].join('\n')
}

/**
 * A program as the PC must start it: by its full path under %SystemRoot% from the one table (main/host/system-tools.ts),
 * never a bare name PowerShell would look up on PATH. A program outside the table is refused here.
 */
/** Step n's command: a PowerShell script shown as comments, then run with its output and exit code logged; its success codes. */
function runCommandLines(
  body: string[],
  spec: { file: string; args: readonly string[]; successExitCodes?: readonly number[] },
  n: number,
): readonly number[] {
  const script = spec.file === 'powershell.exe' ? decodePowerShellScript(spec.args) : null
  if (script !== null) for (const line of script.split('\n')) body.push(psComment(`#   ${line}`))
  body.push(
    `  $r = Invoke-FixNative ${tool(spec.file)} @(${spec.args.map(lit).join(', ')})`,
    '  $out = $r.Output; $code = $r.Code',
    `  Write-FixLog ('Step ${n} exit code {0} (0x{0:X8})' -f $code)`,
  )
  return spec.successExitCodes ?? [0]
}

const tool = psSystemTool

/**
 * The WinRE repair's steps, in its planner's order (disable, the KB5028997 resize, the Safe OS update on the staged
 * image, enable, confirm), each command from the WinRE step builder (step-builder.ts: the one the app's runner uses).
 * Two steps differ from the app's run because the package carries their files: the diskpart script is a file of the
 * package (copied to where the diskpart step reads it), and the Safe OS update is copied to the path DISM is given.
 * The resize runs only on the disk the collector file saw: `Test-FixDiskLayout` (below) compares every partition's
 * number, offset and size, the Windows partition's drive letter and the recovery partition's type with the snapshot's,
 * before anything of the repair runs and again right before diskpart; any difference stops the script.
 */
function renderWinre(
  w: NonNullable<FixScriptInput['winre']>,
  index: number,
  n0: number,
  total: number,
): { body: string[]; layoutCheck: string[]; folders: string[] } {
  const { repair } = w
  const body: string[] = [
    '',
    psComment(`# ---- Repair ${index}: the Windows Recovery Environment (winre) ----`),
    psComment(`# Why: ${repair.addresses.map((a) => `WinRE ${a}`).join(', ')}.`),
  ]
  // Every folder of the repair checked before anything runs, its mount folder too (DISM and reagentc would follow a
  // junction planted there, and the step that makes it runs only after the partition was resized).
  const folders = [WORK_DIR, ...(repair.steps.some((s) => s.op === 'create-work-dir') ? [WINRE_MOUNT_DIR] : [])]
  const resize = repair.steps.find((s) => s.op === 'write-diskpart-script')?.resize ?? null
  const diskpartId = repair.steps.find((s) => s.op === 'diskpart')?.id
  let n = n0
  const layoutCheck = resize && repair.layoutBefore ? layoutCheckLines(repair.layoutBefore, resize) : []
  if (layoutCheck.length && diskpartId) {
    body.push(
      '# Before anything of this repair runs: the disk is the one the collector file saw.',
      `if ($done -notcontains ${lit(`winre:${diskpartId}`)}) { $why = Test-FixDiskLayout; if ($why) { Stop-Fix (${txt('The disk layout is not the one this package was made for, so the recovery partition is not resized and nothing of the WinRE repair runs: ')} + $why) } }`,
    )
  }
  for (const s of repair.steps) {
    n++
    const id = `winre:${s.id}`
    body.push(
      '',
      psComment(`# Step ${n} of ${total}: ${s.title}`),
      ...s.explanation.split('\n').map((l) => psComment(`# ${l}`)),
      `if ($done -notcontains ${lit(id)}) {`,
      `  Write-FixLog ${txt(`Step ${n} of ${total}: ${s.title}`)}`,
    )
    if (s.op === 'write-diskpart-script') {
      if (!w.diskpartRel) throw new Error('The package carries no diskpart script for the resize.')
      body.push(
        `  Copy-FixFile ${lit(w.diskpartRel)} ${lit(DISKPART_SCRIPT_PATH)}`,
        `  Write-FixLog ${txt(`Step ${n}: ${w.diskpartRel} copied to ${DISKPART_SCRIPT_PATH} and its SHA-256 checked there; exit code 0`)}`,
        `  Complete-FixStep ${lit(id)}`,
        '}',
      )
      continue
    }
    if (s.op === 'diskpart' && layoutCheck.length)
      body.push(
        `  $why = Test-FixDiskLayout; if ($why) { Stop-Fix (${txt(`Step ${n}: diskpart is not run: `)} + $why) }`,
      )
    // The script diskpart reads is the one the package carries, checked again right before diskpart reads it.
    if (s.op === 'diskpart' && w.diskpartRel)
      body.push(`  Assert-FixFile ${lit(DISKPART_SCRIPT_PATH)} $Sha[${lit(w.diskpartRel)}]`)
    if (s.op === 'dism-add-package') {
      if (!w.safeOs) throw new Error('The package carries no Safe OS update for the WinRE image.')
      body.push(`  Copy-FixFile ${lit(w.safeOs.rel)} ${lit(w.safeOs.pcPath)}`)
    }
    const spec = winreSpec(repair, s)
    const ok = runCommandLines(body, spec, n)
    // `reagentc /info` must say Enabled (its "Windows RE status:" line), or the repair did not take.
    const check = s.op === 'reagentc-info' ? " -and $out -match 'Windows RE status:\\s+Enabled'" : ''
    body.push(
      `  if ((${ok.map((c) => `$code -eq ${c}`).join(' -or ')})${check}) { Complete-FixStep ${lit(id)} }`,
      `  else { Stop-Fix ${txt(`Step ${n} (${s.title}) failed; nothing after it runs.${s.op === 'diskpart' ? ' The disk may be half-resized: finish it by hand (KB5028997) before anything else.' : ''}`)} }`,
      '}',
    )
  }
  body.push('', `Write-FixLog ${txt('The WinRE repair: all steps ran, and reagentc /info says WinRE is enabled.')}`)
  return { body, layoutCheck, folders }
}

/** `Test-FixDiskLayout`: null when the live disk is the snapshot's (every partition as it was), else why not. */
function layoutCheckLines(disk: Disk, r: WinreResize): string[] {
  const os = disk.partitions.find((p) => p.partitionNumber === r.osPartition)
  const rec = disk.partitions.find((p) => p.partitionNumber === r.recoveryPartition)
  if (!os || !rec)
    throw new Error(
      `The resize names partitions ${r.osPartition} and ${r.recoveryPartition}, which the snapshot's disk ${disk.number} does not have.`,
    )
  const int = (x: number) => String(Math.trunc(x))
  const recType = r.gpt
    ? `([string]$rec.GptType).Trim('{}') -ne ${lit(rec.type ?? 'de94bba4-06d1-4d40-a16a-bfd50179d6ac')}`
    : '[int]$rec.MbrType -ne 39'
  return [
    '',
    psComment(
      `# The disk as the collector file saw it (disk ${disk.number}): the resize's partition numbers are checked against it on this PC.`,
    ),
    'function Test-FixDiskLayout {',
    '  $want = @(',
    disk.partitions
      .map(
        (p) =>
          `    @{ Number = ${int(p.partitionNumber)}; Offset = ${int(p.offsetBytes)}; Size = ${int(p.sizeBytes)} }`,
      )
      .join(',\n'),
    '  )',
    `  $live = @(Get-Partition -DiskNumber ${int(disk.number)} -ErrorAction SilentlyContinue)`,
    `  if ($live.Count -ne $want.Count) { return ('disk ${int(disk.number)} has ' + $live.Count + ' partitions; the collector file saw ' + $want.Count) }`,
    '  foreach ($w in $want) {',
    '    $p = $live | Where-Object { $_.PartitionNumber -eq $w.Number } | Select-Object -First 1',
    `    if (-not $p) { return ('partition ' + $w.Number + ' of disk ${int(disk.number)} is missing') }`,
    "    if ([uint64]$p.Offset -ne [uint64]$w.Offset -or [uint64]$p.Size -ne [uint64]$w.Size) { return ('partition ' + $w.Number + ' is at ' + $p.Offset + ', ' + $p.Size + ' bytes; the collector file saw ' + $w.Offset + ', ' + $w.Size) }",
    '  }',
    `  $os = $live | Where-Object { $_.PartitionNumber -eq ${int(r.osPartition)} } | Select-Object -First 1`,
    ...(os.driveLetter
      ? [
          `  if ([string]$os.DriveLetter -ne ${lit(os.driveLetter)}) { return ${txt(`partition ${r.osPartition} is not the Windows partition ${os.driveLetter}:`)} }`,
        ]
      : []),
    `  $rec = $live | Where-Object { $_.PartitionNumber -eq ${int(r.recoveryPartition)} } | Select-Object -First 1`,
    `  if (${recType}) { return ${txt(`partition ${r.recoveryPartition} is not a recovery partition`)} }`,
    '  return $null',
    '}',
  ]
}
