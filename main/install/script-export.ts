/**
 * Script export: a plan as a readable PowerShell script, for admins who run it themselves or deploy it
 * through their management tools. Same order, same commands, same exit-code meanings as the app
 * (servicing-facts §2); it records finished steps in a state file and re-registers itself under RunOnce
 * before each restart, so running it again after the restart continues where it stopped.
 */
import { checkWords } from '../../preload/model/status-words.ts'
import type { Plan, PlanStep } from '../../preload/model/plan.ts'
import { psComment, psLiteral, psTextLiteral } from '../host/powershell-text.ts'
import { buildStep } from './step-commands.ts'
import { psSystemTool } from '../host/system-tools.ts'
import { SECURE_FOLDER_FUNCTIONS, secureFolderCall } from '../host/secure-folder-script.ts'

/** The folder of the script's state files: only administrators and SYSTEM may write there (a planted state file would skip steps). */
export const SCRIPT_STATE_DIR = 'C:\\ProgramData\\ServicingDesk\\scripts'

const runOnceName = 'ServicingDesk'

/**
 * Every value enters the script through main/host/powershell-text.ts: `psQuote` for values that must
 * arrive exactly (paths, ids, arguments: a control character is refused), `psTextLiteral` for messages,
 * `commentText` for comment lines (one line, no `<#`/`#>`).
 */
export const psQuote = psLiteral
const commentText = psComment

export function planToPowerShell(plan: Plan): string {
  const L: string[] = []
  L.push('#Requires -RunAsAdministrator', '<#')
  L.push(commentText(`  Servicing Desk installation plan ${plan.id}`))
  L.push(
    commentText(
      `  Machine: ${plan.machine.name} (${plan.machine.nativeArch ?? 'unknown arch'}, build ${plan.machine.build ?? '?'}.${plan.machine.ubr ?? '?'})`,
    ),
  )
  L.push(
    commentText(
      `  Targets: ${plan.targets.join(', ')}; method: ${plan.method}; scope: ${plan.scope.kind === 'image' ? `offline image at ${plan.scope.dir}` : plan.scope.kind}`,
    ),
  )
  L.push(commentText(`  Created: ${plan.createdAt}`))
  if (plan.expected) L.push(commentText(`  Expected result: build ${plan.expected.build}.${plan.expected.ubr}`))
  L.push('', '  Checks made when the plan was written:')
  for (const c of plan.preflight)
    L.push(
      commentText(
        `    [${(checkWords[c.status as keyof typeof checkWords] ?? String(c.status)).toUpperCase()}] ${c.title}: ${c.detail}`,
      ),
    )
  for (const s of plan.skipped) L.push(commentText(`    [SKIP] ${s.kb}: ${s.reason}`))
  for (const n of plan.notes) L.push(commentText(`    Note: ${n}`))
  L.push(
    '',
    '  Exit codes: 0 done; 3010 done, restart required; 0x800F081E / 0x80240017 not applicable; 2359302 already',
    '  installed; anything else stops the script, and nothing after a failed step runs.',
    '#>',
  )
  if (plan.refused) {
    L.push('', `throw ${psTextLiteral(`This plan was refused: ${plan.refused}`)}`, '')
    return L.join('\r\n')
  }
  L.push('', "$ErrorActionPreference = 'Stop'")
  L.push(...SECURE_FOLDER_FUNCTIONS.split('\n'))
  L.push(`$why = ${secureFolderCall(SCRIPT_STATE_DIR)}`)
  L.push(`if ($why) { throw ('The state folder is not safe to use, so nothing runs: ' + $why) }`)
  L.push(`$stateFile = ${psQuote(`${SCRIPT_STATE_DIR}\\script-${plan.id}.done`)}`)
  L.push('$done = @(if (Test-Path -LiteralPath $stateFile) { Get-Content -LiteralPath $stateFile })')
  L.push('function Complete-Step([string]$id) { Add-Content -LiteralPath $stateFile -Value $id }')
  L.push('', '# Every package must be the file the plan was made for.')
  for (const p of plan.packages) {
    const hash = p.sha256 ? ['SHA256', p.sha256] : p.sha1 ? ['SHA1', p.sha1] : null
    L.push(commentText(`# ${p.kb} (${p.role}, ${p.arch})`))
    if (hash)
      L.push(
        `if ((Get-FileHash -Algorithm ${hash[0]} -LiteralPath ${psQuote(p.path)}).Hash -ne ${psQuote(hash[1].toUpperCase())}) { throw ${psTextLiteral(`${p.fileName} does not match its ${hash[0]} hash.`)} }`,
      )
    else
      L.push(
        `if (-not (Test-Path -LiteralPath ${psQuote(p.path)})) { throw ${psTextLiteral(`${p.fileName} is missing.`)} }`,
      )
  }
  // The app's own resume entry is not the script's: the script registers itself before each restart.
  const steps = plan.steps.filter((s) => s.kind !== 'schedule-resume')
  for (const [i, step] of steps.entries()) L.push('', ...stepLines(plan, step, i + 1, steps.length))
  L.push(
    '',
    "Write-Host 'All steps done. Check the build: (Get-ItemProperty ''HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion'').UBR'",
  )
  L.push(
    `Remove-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name ${psQuote(runOnceName)} -ErrorAction SilentlyContinue`,
    '',
  )
  return L.join('\r\n')
}

function stepLines(plan: Plan, step: PlanStep, n: number, total: number): string[] {
  // The same command builder as the app's executor: the script runs what the app would run, never a stored command.
  const { command, successExitCodes, restartExitCodes } = buildStep(plan, step)
  const L = [
    commentText(`# Step ${n} of ${total}: ${step.title}`),
    commentText(`# ${step.explanation}`),
    `if ($done -notcontains ${psQuote(step.id)}) {`,
  ]
  if (step.kind === 'restart') {
    L.push(
      `  Complete-Step ${psQuote(step.id)}`,
      '  # Run this script again after the restart; it skips the steps already done.',
      `  Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name ${psQuote(runOnceName)} -Value ('"' + ${psSystemTool('powershell.exe')} + '" -NoProfile -ExecutionPolicy Bypass -File "' + $PSCommandPath + '"')`,
      `  & ${psSystemTool(command.file)} ${command.args.map(psQuote).join(' ')}`,
      '  exit 3010',
      '}',
    )
    return L
  }
  if (step.kind === 'add-package' || step.kind === 'wusa')
    L.push(
      '  # 2148468766 = 0x800F081E CBS_E_NOT_APPLICABLE, 2149842967 = 0x80240017 WU_E_NOT_APPLICABLE, 2359302 = 0x00240006 WU_S_ALREADY_INSTALLED',
    )
  L.push(
    `  & ${psSystemTool(command.file)} ${command.args.map(psQuote).join(' ')}`,
    "  $code = [Convert]::ToUInt32(('{0:X8}' -f $LASTEXITCODE), 16)  # DISM exits with the HRESULT; compare unsigned",
    `  if (${[...new Set([...successExitCodes, ...restartExitCodes])].map((c) => `$code -eq ${c}`).join(' -or ')}) { Complete-Step ${psQuote(step.id)} }`,
  )
  if (step.kind === 'add-package' || step.kind === 'wusa') {
    L.push(
      `  elseif ($code -eq 2148468766 -or $code -eq 2149842967 -or $code -eq 2359302) { Write-Host 'Nothing to do: not applicable or already installed.'; Complete-Step ${psQuote(step.id)} }`,
    )
  }
  L.push(
    `  else { throw ("Step ${n} failed with 0x{0:X8}; see C:\\Windows\\Logs\\CBS\\CBS.log. Nothing after it runs." -f $code) }`,
    '}',
  )
  return L
}
