/**
 * A repair as a PowerShell script, for a snapshot's PC (read-only here): the same steps and commands the
 * app would run, in order, with the same gates (a rung runs only while DISM has not said the store is
 * healthy). Every value enters through main/host/powershell-text.ts (psLiteral / psTextLiteral /
 * psComment), never as code. A step that the app does itself (a verified download) becomes a check that
 * the file is there, with what to fetch.
 */
import type { RepairPlan } from '../../preload/model/repair.ts'
import { psComment, psLiteral, psTextLiteral } from '../host/powershell-text.ts'
import { commandOf, kindOf, paramsOf, msuPath, msuDir, expandedSource } from './step-kinds.ts'
import type { RepairEnv } from './types.ts'
import { decodePowerShellScript } from '../host/powershell.ts'
import { psSystemTool } from '../host/system-tools.ts'

/** Steps whose output says whether the component store is healthy (the restore-health ladder). */
export const HEALTH_KINDS = new Set(['dism-check-health', 'dism-scan-health', 'dism-restore-health', 'dism-restore-health-media'])
/** Reads a health step's output (in `$out`) into `$healthy`: DISM's own words for a healthy or a damaged store. */
export const HEALTH_LINE = "if ($out -match 'No component store corruption detected|The restore operation completed successfully') { $healthy = $true } elseif ($out -match 'The component store is repairable|cannot be repaired') { $healthy = $false }"

export function repairScript(plan: RepairPlan, env: RepairEnv, machineName: string): string {
  const L: string[] = ['#Requires -RunAsAdministrator', '<#']
  L.push(psComment(`  Servicing Desk repair: ${plan.title} (${plan.repairId})`), psComment(`  For: ${machineName}. Why: ${plan.reason}`), psComment(`  Written: ${plan.createdAt}`))
  for (const w of plan.warnings) L.push(psComment(`  Warning: ${w}`))
  L.push('#>', '')
  if (plan.refused) { L.push(`throw ${psTextLiteral(`This repair cannot run: ${plan.refused}`)}`); return L.join('\r\n') }
  L.push("$ErrorActionPreference = 'Stop'", '$healthy = $false', '')
  for (const [i, s] of plan.steps.entries()) {
    L.push(psComment(`# Step ${i + 1} of ${plan.steps.length}: ${s.title}`), psComment(`# ${s.explanation}`))
    const gate = s.gate === 'while-broken' ? 'if (-not $healthy) {' : 'if ($true) {'
    L.push(gate)
    const spec = commandOf(s, env)
    if (!spec) {
      const p = paramsOf(s) as { kb: string; arch: string }
      void kindOf(s.kind)
      const path = msuPath(env, p.kb, p.arch)
      // The folders the next steps write (expand's targets) exist before anything is asked of the person.
      L.push(`  New-Item -ItemType Directory -Force -Path ${psLiteral(msuDir(env, p.kb, p.arch))}, ${psLiteral(expandedSource(env, p.kb, p.arch))} | Out-Null`)
      L.push(`  if (-not (Test-Path -LiteralPath ${psLiteral(path)})) { throw ${psTextLiteral(`This repair needs ${p.kb} for ${p.arch}: the cumulative update this PC runs (the same build is the only valid repair source). Download it from the Microsoft Update Catalog (https://www.catalog.update.microsoft.com/Search.aspx?q=${p.kb}), pick the ${p.arch} file, check its SHA-1 against the Catalog, and save it as ${path}; then run this script again. Or ask your technician for a fix package, which carries it.`)} }`)
    } else {
      // A PowerShell step travels encoded (-EncodedCommand): its script is shown as comments, to read before running.
      const script = spec.file === 'powershell.exe' ? decodePowerShellScript(spec.args) : null
      if (script !== null) for (const line of script.split('\n')) L.push(psComment(`#   ${line}`))
      // By its full path under %SystemRoot% (issue 42): a bare name is looked up in the current folder first.
      L.push(`  $out = & ${psSystemTool(spec.file)} ${spec.args.map(psLiteral).join(' ')} 2>&1 | Out-String`, '  Write-Host $out')
      if (HEALTH_KINDS.has(s.kind)) L.push(`  ${HEALTH_LINE}`)
      // Success is the step kind's exit codes (DISM /Remove-Package: 3010 = removed, restart to finish).
      const ok = (spec.successExitCodes ?? [0]).map((c) => `$LASTEXITCODE -ne ${c}`).join(' -and ')
      if (!s.mayFail) L.push(`  if (${ok}) { throw ${psTextLiteral(`${s.title} failed; nothing after it runs.`)} }`)
    }
    L.push('}', '')
  }
  if (plan.steps.some((x) => HEALTH_KINDS.has(x.kind))) L.push("if ($healthy) { Write-Host 'Verified: DISM reports no component store corruption.' } else { Write-Host 'Not verified: see the in-place repair upgrade below.' }")
  else L.push(`Write-Host ${psTextLiteral('All steps ran. To verify, scan this PC again with Servicing Desk (servicing-desk scan --out FILE) and diagnose it.')}`)
  for (const m of plan.manual) { L.push(psComment(`# By hand: ${m.title} — ${m.detail}`)); for (const c of m.commands) L.push(psComment(`#   ${c}`)) }
  return L.join('\r\n')
}
