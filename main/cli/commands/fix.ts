/**
 * `servicing-desk fix [--machine NAME | --snapshot FILE | --computer NAME] [--previews] [--yes] [--json]`: the plan
 * for the whole PC — the pending restart, the repairs that block servicing, the checkpoint, the newest update of the
 * branch, WinRE's Safe OS update, and the waits that need a person — shown once with the restarts it takes; with
 * --yes (or a yes at the prompt) it runs to its end through every restart and is verified as a whole. An interrupted
 * run continues from its journal. A snapshot's plan is printed only (it runs on that PC, as the fix package).
 */
import type { Command } from 'commander'
import { type CliContext, machineOptionHelp, resolveMachine } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { ask } from '../ask.ts'
import { killHook } from '../kill-hook.ts'
import type { PcPlan, PcPlanRun } from '../../../preload/model/pc-plan.ts'

const KIND_WORDS: Record<string, string> = {
  restart: 'restart',
  repair: 'repair',
  install: 'install',
  winre: 'WinRE',
  wait: 'needs a person',
}
const RISK_WORDS: Record<string, string> = {
  'read-only': 'reads only',
  reversible: 'can be undone',
  destructive: 'cannot be undone',
}
const OUTCOME_WORDS: Record<string, string> = {
  done: 'done',
  'nothing-to-do': 'nothing to do',
  failed: 'FAILED',
  waiting: 'needs a person',
  cancelled: 'cancelled',
  'not-needed': 'not needed any more',
  refused: 'not started',
}

export function formatPcPlan(p: PcPlan): string {
  const out = [
    `Make this PC current: ${p.machineName}${p.branch ? `, ${p.branch}` : ''}${p.current ? ` at ${p.current}` : ''}`,
  ]
  if (p.newest)
    out.push(
      `Newest update known for the branch: ${p.newest.kb} (${p.newest.build}, released ${p.newest.released}${p.newest.preview ? ', an optional preview' : ''})`,
    )
  if (p.winre.current || p.winre.target)
    out.push(`WinRE: ${p.winre.current ?? 'unknown'}${p.winre.target ? `, target ${p.winre.target}` : ''}`)
  out.push('', p.summary)
  p.steps.forEach((s, i) => {
    out.push(
      '',
      `${i + 1}. ${s.title}  [${KIND_WORDS[s.kind]}${s.kind === 'wait' ? '' : `; ${RISK_WORDS[s.risk]}; ${s.restarts ? `${s.restarts} restart${s.restarts > 1 ? 's' : ''}` : 'no restart'}`}]`,
    )
    out.push(`   Why: ${s.why}`)
    if (s.kind !== 'wait') out.push(`   Runs only if: ${s.precondition}`)
    for (const line of s.instructions ?? []) out.push(`   - ${line}`)
  })
  for (const n of p.notes) out.push('', `Note: ${n}`)
  return out.join('\n')
}

export function formatPcPlanRun(r: PcPlanRun): string {
  const out = [
    `${r.plan.machineName}: ${r.status === 'completed' ? 'plan run to its end' : r.status === 'waiting' ? 'plan run; it ends at a step that needs a person' : r.status === 'refused' ? 'plan stopped: another run holds the PC; run the plan again when it ends (it continues at the step not started)' : `plan stopped (${r.status})`}`,
  ]
  for (const s of r.plan.steps) {
    const res = r.results.find((x) => x.stepId === s.id)
    out.push(`  ${(res ? OUTCOME_WORDS[res.outcome] : 'not run').padEnd(20)} ${s.title}`)
    if (res && res.outcome !== 'done') out.push(`  ${''.padEnd(20)} ${res.detail}`)
  }
  if (r.verification) {
    out.push('', r.verification.detail)
    for (const c of r.verification.checks) out.push(`  ${c.ok ? 'OK  ' : 'NOT '} ${c.name}: ${c.detail}`)
  }
  const waits = r.after?.steps.filter((s) => s.kind === 'wait') ?? []
  for (const w of waits)
    out.push('', `Needs a person: ${w.title}`, `  ${w.why}`, ...(w.instructions ?? []).map((l) => `  - ${l}`))
  return out.join('\n')
}

export function registerFix(program: Command, ctx: CliContext): void {
  program
    .command('fix')
    .description(
      'make this PC current: one plan (restart, repairs, checkpoint, newest update, WinRE), reviewed once, run through every restart, verified as a whole',
    )
    .option('--machine <name>', machineOptionHelp.machine)
    .option('--computer <name>', machineOptionHelp.computer)
    .option('--credential', machineOptionHelp.credential)
    .option('--snapshot <file>', machineOptionHelp.snapshot)
    .option('--previews', 'take an optional preview update as the newest (left out unless asked)')
    .option('--yes', 'do not ask: run the plan shown (or finish an interrupted run)')
    .option('--json', 'print the plan (and with --yes the run and its verification) as JSON only')
    .action(
      async (opts: {
        machine?: string
        computer?: string
        credential?: boolean
        snapshot?: string
        previews?: boolean
        yes?: boolean
        json?: boolean
      }) => {
        const quiet = opts.json === true
        const ref = await resolveMachine(ctx, opts, quiet)
        const svc = ctx.services.pcPlans
        const unfinished = ref.kind === 'snapshot' ? null : svc.journals.unfinished(ref)
        const plan = unfinished?.plan ?? (await svc.plan(ref, { previews: opts.previews }))
        if (!quiet) {
          if (unfinished)
            ctx.io.note(
              `Resuming the plan started ${unfinished.plan.createdAt} (${Object.keys(unfinished.results).length} of ${unfinished.plan.steps.length} steps recorded).`,
            )
          ctx.io.text(formatPcPlan(plan))
        }
        const runnable = plan.steps.some((s) => s.kind !== 'wait')
        if (ref.kind === 'snapshot' || !runnable || (!opts.yes && !process.stdin.isTTY)) {
          if (quiet) ctx.io.json({ plan })
          else if (ref.kind === 'snapshot')
            ctx.io.note(
              'A snapshot is read-only: its plan runs on that PC, as the fix package (servicing-desk fix-package).',
            )
          else if (runnable) ctx.io.note('Run it with --yes (nothing was changed).')
          return
        }
        if (
          !opts.yes &&
          !(await ask(
            `Run these ${plan.steps.filter((s) => s.kind !== 'wait').length} steps on ${plan.machineName}${plan.restarts ? ` (${plan.restarts} restart${plan.restarts > 1 ? 's' : ''})` : ''}?`,
          ))
        )
          throw new CliError('Not confirmed; nothing was changed.', 1)
        const run = await svc.run(ref, {
          plan,
          previews: opts.previews,
          checkpointHook: killHook(process.env),
          onStep: (e) => {
            if (!quiet)
              ctx.io.note(
                e.phase === 'started'
                  ? `… ${e.index + 1}/${e.total} ${e.step.title}`
                  : `   ${OUTCOME_WORDS[e.result!.outcome]}: ${e.step.title}`,
              )
          },
        })
        if (quiet) ctx.io.json(run)
        else ctx.io.text(formatPcPlanRun(run))
        if (run.status === 'failed' || run.status === 'cancelled' || run.status === 'refused')
          process.exitCode = run.status === 'cancelled' ? 130 : 1
        else if (!run.verification?.verified) process.exitCode = 4
      },
    )
}
