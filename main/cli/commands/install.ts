/**
 * `servicing-desk install (--kb KB | --plan FILE | --kit DIR) [--machine NAME] [--yes] [--json]`: runs a plan,
 * or resumes its journal after a crash or a restart. Without --yes it shows the plan and asks (and asks
 * again before each restart); with no terminal to ask on, it refuses. `--json` prints the journal and
 * `"verified"`.
 */
import { InputTooLarge, SMALL_INPUT_MAX, readInputFile } from '../../bounded-input.ts'
import type { Command } from 'commander'
import { type CliContext, machineOptionHelp, resolveMachine } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { describeResult, formatJournal, formatPlan } from '../format-plan.ts'
import { addPlanOptions, planTargets, type PlanTargetOptions } from './plan.ts'
import { InstallServiceError } from '../../install/install-service.ts'
import { candidatesFromFolder } from '../../install/training-kit.ts'
import { knownUpdate } from '../../knowledge/servicing-chains.ts'
import type { Journal, Plan } from '../../../preload/model/plan.ts'
import { killHook } from '../kill-hook.ts'
import { ask } from '../ask.ts'

export function registerInstall(program: Command, ctx: CliContext): void {
  addPlanOptions(
    program
      .command('install')
      .description('install updates in the order that works, surviving restarts and crashes, then verify')
      .option('--kb <kb>', 'the update to install (repeat for several)', (v: string, p: string[] = []) => [...p, v])
      .option('--plan <file>', 'a plan written by `plan --json`')
      .option('--machine <name>', machineOptionHelp.machine)
      .option('--computer <name>', machineOptionHelp.computer)
      .option('--credential', machineOptionHelp.credential),
  )
    .option('--yes', 'do not ask: install and restart when needed')
    .option('--json', 'print the journal and "verified" as JSON only')
    .action(async (opts: PlanTargetOptions & { plan?: string; machine?: string; yes?: boolean; json?: boolean }) => {
      const given = [opts.kb?.length ? '--kb' : null, opts.plan ? '--plan' : null].filter(Boolean)
      if (given.length > 1) throw new CliError('Give either --kb or --plan, not both.')
      if (!given.length && !opts.kit) throw new CliError('Give what to install: --kb KB, --plan FILE or --kit DIR.')
      if (opts.plan && opts.kit) throw new CliError('--kit makes a new plan; a --plan file already names its packages.')
      const interactive = !opts.yes
      if (interactive && !process.stdin.isTTY)
        throw new CliError(
          'No terminal to confirm on: review the plan with `servicing-desk plan`, then run install with --yes.',
        )
      const svc = ctx.services.install
      const quiet = opts.json === true

      let plan: Plan
      let resumed: Journal | null = null
      try {
        if (opts.plan) {
          let text: string
          try {
            text = readInputFile(opts.plan, SMALL_INPUT_MAX, 'The plan file').toString('utf8')
          } catch (err) {
            throw new CliError(
              err instanceof InputTooLarge
                ? err.message
                : `Cannot read the plan file '${opts.plan}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`,
            )
          }
          plan = svc.readPlan(text)
          if (opts.machine && plan.machine.ref?.kind === 'training' && plan.machine.ref.name !== opts.machine)
            throw new CliError(`This plan is for '${plan.machine.ref.name}', not '${opts.machine}'.`)
          svc.savePlan(plan)
        } else {
          const t = planTargets(opts)
          let kbs = t.kbs
          if (!kbs.length && opts.kit) {
            // A kit's targets: the packages that are not checkpoints of the others.
            kbs = [...new Set(candidatesFromFolder(opts.kit).map((p) => p.kb))].filter(
              (kb) => !knownUpdate(kb)?.checkpoint,
            )
            if (!kbs.length) throw new CliError(`No target update found in ${opts.kit}.`)
          }
          const ref = await resolveMachine(ctx, opts, quiet)
          resumed = svc.unfinishedFor(ref, kbs, t.method, t.scope)
          if (resumed) {
            plan = resumed.plan
            if (!quiet)
              ctx.io.note(
                `Resuming plan ${plan.id} (${resumed.status}, ${Object.keys(resumed.results).length} of ${plan.steps.length} steps recorded).`,
              )
          } else {
            if (!quiet && !opts.kit) ctx.io.note(`Fetching ${kbs.join(', ')} with its checkpoints…`)
            plan = await svc.makePlan({
              ref,
              kbs,
              method: t.method,
              scope: t.scope,
              arch: t.arch,
              kitDir: opts.kit ?? null,
              kitDigest: opts.kitDigest ?? null,
              onNote: quiet ? undefined : (line) => ctx.io.note(`  ${line}`),
            })
          }
        }
      } catch (err) {
        if (err instanceof InstallServiceError) throw new CliError(err.message)
        throw err
      }

      if (plan.refused) {
        if (opts.json) ctx.io.json({ plan, journal: null, verified: false })
        else ctx.io.text(formatPlan(plan))
        throw new CliError(`Not installing: ${plan.refused}`, 3)
      }
      // A journal found on disk is resumed only after its plan is shown and confirmed again (or --yes): a
      // journal someone else left there never runs unseen.
      if (!quiet || (interactive && resumed)) ctx.io.text(formatPlan(plan))
      if (
        interactive &&
        plan.steps.length &&
        !(await ask(resumed ? `Resume this unfinished installation (plan ${plan.id})?` : 'Install now?'))
      ) {
        throw new CliError(resumed ? 'Not resumed: you declined. Nothing ran.' : 'Not installed: you declined.', 1)
      }

      const controller = new AbortController()
      const onSigint = () => {
        if (!quiet) ctx.io.note('Cancelling after the current step (DISM is not stopped halfway)…')
        controller.abort()
      }
      process.once('SIGINT', onSigint)
      let lastPct = -1
      let journal: Journal
      try {
        journal = await svc.install(plan, {
          signal: controller.signal,
          checkpointHook: killHook(process.env),
          confirmRestart: interactive ? (step) => ask(`${step.explanation}\nRestart now?`) : undefined,
          onProgress: (p) => {
            if (quiet || p.fraction === null) return
            const pct = Math.floor(p.fraction * 10) * 10
            if (pct !== lastPct) {
              lastPct = pct
              ctx.io.note(`  ${p.stepId}: ${pct}%`)
            }
          },
          onJournal: (e, j) => {
            if (quiet) return
            if (e.phase === 'started') {
              lastPct = -1
              const s = j.plan.steps.find((x) => x.id === e.stepId)
              ctx.io.note(`Step ${e.stepId}: ${s?.command.commandLine ?? ''}`)
            } else if (e.phase === 'finished')
              ctx.io.note(
                `  ${e.stepId}: ${describeResult(e.result)}${e.rechecked ? ' (re-checked on the machine)' : ''}`,
              )
            else if (e.phase === 'restarted') ctx.io.note(`  Restarted: now ${e.build ?? '?'}.${e.ubr ?? '?'}`)
            else if (e.phase === 'resumed') ctx.io.note(e.note)
          },
        })
      } catch (err) {
        if (err instanceof InstallServiceError) throw new CliError(err.message)
        throw err
      } finally {
        process.removeListener('SIGINT', onSigint)
      }
      const verified = journal.verification?.verified === true
      if (opts.json) ctx.io.json({ journal, verified })
      else ctx.io.text(formatJournal(journal))
      if (journal.status === 'awaiting-restart' && !quiet)
        ctx.io.note('Waiting for a restart: run the same command again after restarting; it resumes.')
      process.exitCode =
        journal.status === 'failed'
          ? 1
          : journal.status === 'cancelled'
            ? 130
            : journal.status === 'completed' && !verified
              ? 4
              : 0
    })
}
