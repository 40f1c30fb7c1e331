/** A plan and a journal as text for a person: the checks, every step's command, what was skipped and why. */
import type { Journal, Plan, StepResult } from '../../preload/model/plan.ts'
import { assertNever } from '../../preload/model/plan.ts'
import { copyableCommand } from '../host/system-tools.ts'
import { checkWords } from '../../preload/model/status-words.ts'

/** A check's result in the one vocabulary (preload/model/status-words.ts). */
const MARK = {
  pass: checkWords.pass.toUpperCase(),
  warn: checkWords.warn.toUpperCase(),
  fail: checkWords.fail.toUpperCase(),
} as const

export function formatPlan(plan: Plan): string {
  const L: string[] = []
  const m = plan.machine
  L.push(`Plan ${plan.id}`)
  L.push(
    `  Machine: ${m.name} (${m.nativeArch ?? '?'}, ${m.build ?? '?'}.${m.ubr ?? '?'}${m.branch ? `, ${m.branch}` : ''})`,
  )
  L.push(
    `  Targets: ${plan.targets.join(', ')}   Method: ${plan.method}   Scope: ${plan.scope.kind === 'image' ? `image ${plan.scope.dir}${plan.scope.wim ? ` (from ${plan.scope.wim.path}:${plan.scope.wim.index})` : ''}` : plan.scope.kind}`,
  )
  if (plan.expected) L.push(`  Expected result: ${plan.expected.build}.${plan.expected.ubr}`)
  L.push('', 'Checks:')
  for (const c of plan.preflight) L.push(`  [${MARK[c.status]}] ${c.title}: ${c.detail}`)
  if (plan.skipped.length) {
    L.push('', 'Not planned:')
    for (const s of plan.skipped) L.push(`  ${s.kb}: ${s.reason}`)
  }
  if (plan.packages.length) {
    L.push('', 'Packages:')
    for (const p of plan.packages) L.push(`  ${p.kb} (${p.role}, ${p.arch}) ${p.path}`)
  }
  if (plan.refused) L.push('', `REFUSED: ${plan.refused}`)
  else if (plan.steps.length) {
    L.push('', 'Steps:')
    plan.steps.forEach((s, i) => {
      L.push(`  ${i + 1}. ${s.title}`, `     ${s.command.commandLine}`, `     ${s.explanation}`)
      L.push(
        `     expects exit ${s.successExitCodes.join(' or ')}${s.restartExitCodes.length ? ` (${s.restartExitCodes.join('/')} = restart required)` : ''}`,
      )
    })
  }
  for (const n of plan.notes) L.push('', `Note: ${n}`)
  return L.join('\n')
}

export function describeResult(r: StepResult): string {
  switch (r.kind) {
    case 'ok':
      return 'done'
    case 'restart-required':
      return 'done, restart required'
    case 'not-applicable':
      return 'not applicable (nothing to do)'
    case 'already-installed':
      return 'already installed'
    case 'failed':
      return `FAILED ${r.code}: ${r.message}`
    case 'cancelled':
      return 'cancelled'
    case 'skipped':
      return `skipped: ${r.reason}`
    default:
      return assertNever(r)
  }
}

export function formatJournal(journal: Journal): string {
  const L: string[] = [`Journal ${journal.planId}: ${journal.status}`]
  journal.plan.steps.forEach((s, i) => {
    const r = journal.results[s.id]
    L.push(`  ${i + 1}. ${s.title}: ${r ? describeResult(r) : 'not run'}`)
    if (r?.kind === 'failed') {
      for (const f of r.diagnosis ?? []) {
        L.push(`     Diagnosis: ${f.title} (${f.technical})`)
        for (const e of f.evidence.slice(0, 3))
          L.push(`       ${copyableCommand(e.source)}: ${e.excerpt.split('\n')[0]}`)
        if (f.remedies[0])
          L.push(
            `     First remedy: ${f.remedies[0].title}${f.remedies[0].commands[0] ? ` — ${f.remedies[0].commands[0]}` : ''}`,
          )
      }
    }
  })
  if (journal.verification)
    L.push(`Verified: ${journal.verification.verified ? 'yes' : 'NO'} — ${journal.verification.detail}`)
  return L.join('\n')
}
