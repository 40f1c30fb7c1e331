/**
 * A repair as a PowerShell script, for a snapshot's PC (read-only here): the same steps and commands the
 * app would run, in order, with the same gates (a rung runs only while DISM has not said the store is
 * healthy). Every value enters through main/host/powershell-text.ts (psLiteral / psTextLiteral /
 * psComment), never as code. A step that the app does itself (a verified download) becomes a check that
 * the file is there, with what to fetch.
 */
import type { RepairPlan } from '../../preload/model/repair.ts'
import { psComment, psLiteral, psTextLiteral } from '../host/powershell-text.ts'
import { commandOf, kindOf, paramsOf, msuPath, msuDir, expandedSource, innerCabName } from './step-kinds.ts'
import type { RepairEnv } from './types.ts'
import { decodePowerShellScript } from '../host/powershell.ts'
import { psSystemTool } from '../host/system-tools.ts'
import { SECURE_FOLDER_FUNCTIONS, secureFolderCall } from '../host/secure-folder-script.ts'
import { win32 } from 'node:path'
import { wholePcGuardLines } from './whole-pc-guard.ts'
import type { RepairStepIntent } from '../../preload/model/repair.ts'

/** Steps whose output says whether the component store is healthy (the restore-health ladder). */
export const HEALTH_KINDS = new Set([
  'dism-check-health',
  'dism-scan-health',
  'dism-restore-health',
  'dism-restore-health-media',
])
/** Reads a health step's output (in `$out`) into `$healthy`: DISM's own words for a healthy or a damaged store. */
export const HEALTH_LINE =
  "if ($out -match 'No component store corruption detected|The restore operation completed successfully') { $healthy = $true } elseif ($out -match 'The component store is repairable|cannot be repaired') { $healthy = $false }"

/**
 * The folders of the data folder a step writes (expand's targets, where robocopy moves an EFI folder): each is made
 * ours (Administrators and SYSTEM only, no link on its path, nobody else's grant) before the first step runs.
 */
function workFolders(s: RepairStepIntent, env: RepairEnv): string[] {
  if (s.kind === 'fetch-package' || s.kind === 'expand-msu' || s.kind === 'expand-cab') {
    const p = paramsOf(s) as { kb: string; arch: string }
    return [msuDir(env, p.kb, p.arch), expandedSource(env, p.kb, p.arch)]
  }
  if (s.kind === 'esp-move-folder') return [win32.join(env.dataDir, 'esp-moved')]
  return []
}

/** The MSU or CAB a step's expand reads. */
function inputFileOf(s: RepairStepIntent, env: RepairEnv): string | null {
  if (s.kind === 'expand-msu') {
    const p = paramsOf(s) as { kb: string; arch: string }
    return msuPath(env, p.kb, p.arch)
  }
  if (s.kind === 'expand-cab') {
    const p = paramsOf(s) as { kb: string; arch: string; build: number }
    return win32.join(msuDir(env, p.kb, p.arch), innerCabName(p.kb, p.arch, p.build))
  }
  return null
}

/** The files an expand-msu step makes that a later expand-cab step of the plan reads. */
function madeFiles(s: RepairStepIntent, steps: readonly RepairStepIntent[], env: RepairEnv): string[] {
  if (s.kind !== 'expand-msu') return []
  const p = paramsOf(s) as { kb: string; arch: string }
  return steps
    .filter((x) => x.kind === 'expand-cab')
    .map((x) => paramsOf(x) as { kb: string; arch: string; build: number })
    .filter((x) => x.kb === p.kb && x.arch === p.arch)
    .map((x) => win32.join(msuDir(env, x.kb, x.arch), innerCabName(x.kb, x.arch, x.build)))
}

/** `$sdSha[<path>]`: an input file's SHA-256, recorded once it is in its checked folder and asserted before each use. */
const shaOf = (path: string) => `$sdSha[${psLiteral(path.toLowerCase())}]`

export function repairScript(plan: RepairPlan, env: RepairEnv, machineName: string): string {
  const L: string[] = ['#Requires -RunAsAdministrator', '<#']
  L.push(
    psComment(`  Servicing Desk repair: ${plan.title} (${plan.repairId})`),
    psComment(`  For: ${machineName}. Why: ${plan.reason}`),
    psComment(`  Written: ${plan.createdAt}`),
  )
  for (const w of plan.warnings) L.push(psComment(`  Warning: ${w}`))
  L.push('#>', '')
  if (plan.refused) {
    L.push(`throw ${psTextLiteral(`This repair cannot run: ${plan.refused}`)}`)
    return L.join('\r\n')
  }
  L.push("$ErrorActionPreference = 'Stop'", '$healthy = $false', '')
  // The whole PC, read again where and when the script runs (it may have changed since the scan): refuses before anything changes.
  const whole = wholePcGuardLines(plan.repairId)
  if (whole.length) L.push(...whole, '')
  const folders = [...new Set(plan.steps.flatMap((s) => workFolders(s, env)))]
  if (folders.length) {
    // The folders the steps write, first, before anything changes: only administrators and SYSTEM may write in them.
    L.push(SECURE_FOLDER_FUNCTIONS, '$sdSha = @{}')
    for (const f of folders)
      L.push(
        `$why = ${secureFolderCall(f)}; if ($why) { throw (${psTextLiteral('A work folder is not safe to use, so nothing runs: ')} + $why) }`,
      )
    L.push('')
  }
  for (const [i, s] of plan.steps.entries()) {
    L.push(psComment(`# Step ${i + 1} of ${plan.steps.length}: ${s.title}`), psComment(`# ${s.explanation}`))
    const gate = s.gate === 'while-broken' ? 'if (-not $healthy) {' : 'if ($true) {'
    L.push(gate)
    const spec = commandOf(s, env)
    if (!spec) {
      const p = paramsOf(s) as { kb: string; arch: string }
      void kindOf(s.kind)
      const path = msuPath(env, p.kb, p.arch)
      L.push(
        `  if (-not (Test-Path -LiteralPath ${psLiteral(path)} -PathType Leaf)) { throw ${psTextLiteral(`This repair needs ${p.kb} for ${p.arch}: the cumulative update this PC runs (the same build is the only valid repair source). Download it from the Microsoft Update Catalog (https://www.catalog.update.microsoft.com/Search.aspx?q=${p.kb}), pick the ${p.arch} file, check its SHA-1 against the Catalog, and save it as ${path}; then run this script again. Or ask your technician for a fix package, which carries it.`)} }`,
      )
      // Its SHA-256 where it lies (a folder only administrators can write), recorded now, asserted before each expand.
      L.push(
        `  ${shaOf(path)} = Get-SdFileSha256 ${psLiteral(path)}`,
        `  Write-Host (${psTextLiteral(`${p.kb} (${p.arch}): SHA-1 `)} + (Get-FileHash -LiteralPath ${psLiteral(path)} -Algorithm SHA1).Hash + ${psTextLiteral(" (compare it with the Catalog's), SHA-256 ")} + ${shaOf(path)})`,
      )
    } else {
      // A PowerShell step travels encoded (-EncodedCommand): its script is shown as comments, to read before running.
      const script = spec.file === 'powershell.exe' ? decodePowerShellScript(spec.args) : null
      if (script !== null) for (const line of script.split('\n')) L.push(psComment(`#   ${line}`))
      // An MSU or CAB that expand reads: still the file whose hash was recorded, right before each use.
      const input = inputFileOf(s, env)
      // Not there (the expand before it failed): the rung is skipped, as a failed rung is.
      if (input)
        L.push(
          `  if (-not ${shaOf(input)}) { Write-Host ${psTextLiteral(`${input} is not there (the step before did not make it): skipped.`)} } else {`,
          `  Assert-SdFileSha256 ${psLiteral(input)} ${shaOf(input)}`,
        )
      // By its full path under %SystemRoot%: a bare name is looked up in the current folder first.
      L.push(
        `  $out = & ${psSystemTool(spec.file)} ${spec.args.map(psLiteral).join(' ')} 2>&1 | Out-String`,
        '  Write-Host $out',
      )
      if (HEALTH_KINDS.has(s.kind)) L.push(`  ${HEALTH_LINE}`)
      // Success is the step kind's exit codes (DISM /Remove-Package: 3010 = removed, restart to finish).
      const ok = (spec.successExitCodes ?? [0]).map((c) => `$LASTEXITCODE -ne ${c}`).join(' -and ')
      if (!s.mayFail) L.push(`  if (${ok}) { throw ${psTextLiteral(`${s.title} failed; nothing after it runs.`)} }`)
      // What expand just made in its checked folder (the LCU CAB): its hash, recorded for the expand that reads it.
      for (const made of madeFiles(s, plan.steps, env))
        L.push(
          `  if (Test-Path -LiteralPath ${psLiteral(made)} -PathType Leaf) { ${shaOf(made)} = Get-SdFileSha256 ${psLiteral(made)} }`,
        )
      if (input) L.push('  }')
    }
    L.push('}', '')
  }
  if (plan.steps.some((x) => HEALTH_KINDS.has(x.kind)))
    L.push(
      "if ($healthy) { Write-Host 'Verified: DISM reports no component store corruption.' } else { Write-Host 'Not verified: see the in-place repair upgrade below.' }",
    )
  else
    L.push(
      `Write-Host ${psTextLiteral('All steps ran. To verify, scan this PC again with Servicing Desk (servicing-desk scan --out FILE) and diagnose it.')}`,
    )
  for (const m of plan.manual) {
    L.push(psComment(`# By hand: ${m.title} — ${m.detail}`))
    for (const c of m.commands) L.push(psComment(`#   ${c}`))
  }
  return L.join('\r\n')
}
