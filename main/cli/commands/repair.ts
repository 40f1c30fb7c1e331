/**
 * `servicing-desk repairs [--machine NAME | --snapshot FILE] [--json]`: the repairs the diagnosis offers
 * for that PC, each with its steps and exact commands (a snapshot: `--script DIR` saves them as PowerShell).
 * `servicing-desk repair <id> [--machine NAME] [--yes] [--restart-in MINUTES] [--json]`: shows the steps, asks y/N (or takes
 * --yes), runs them through the repair runner (main/repair), re-scans and verifies. An interrupted run of
 * the same repair on that machine is finished from its journal. `--json` prints the run, its journal and
 * `"verified"`.
 */
import type { Command } from 'commander'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type CliContext, machineOptionHelp, resolveMachine } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { writeCliFile } from '../output-file.ts'
import { powerShellFileText } from '../../host/powershell-text.ts'
import { killHook } from '../kill-hook.ts'
import { ask } from '../ask.ts'
import type { RepairOffer, RepairOffers, RepairRun } from '../../../preload/model/repair.ts'

export function formatOffer(o: RepairOffer, n: number): string[] {
  const out = [`${n}. ${o.title}`, `   ${o.summary}`, `   Why: ${o.reason}`, `   Run it: repair ${o.repairId}`]
  if (o.unfinished) out.push(`   ! ${o.unfinished.message}`)
  if (o.refused) out.push(`   Cannot run here: ${o.refused}`)
  for (const w of o.warnings) out.push(`   ! ${w}`)
  o.steps.forEach((s, i) => {
    out.push(
      `   ${i + 1}) ${s.title}${s.gate === 'while-broken' ? ' (only if still damaged)' : ''}${s.destructive ? '' : ' (reads/prepares only)'}`,
      `      ${s.commandLine}`,
    )
  })
  for (const m of o.manual)
    out.push(`   By hand, if needed: ${m.title} — ${m.detail}`, ...m.commands.map((c) => `      ${c}`))
  return out
}

export function formatOffers(r: RepairOffers): string {
  const elsewhere = r.elsewhere ?? []
  if (r.offers.length === 0 && elsewhere.length === 0)
    return `Repairs for ${r.machineName}: none — the diagnosis finds nothing a repair would fix.`
  const out = [
    `Repairs for ${r.machineName}${r.readOnly ? ' (a snapshot: read-only; save them as scripts with --script DIR)' : ''}:`,
    '',
  ]
  for (const [i, o] of r.offers.entries()) out.push(...formatOffer(o, i + 1), '')
  if (elsewhere.length) {
    out.push('Also offered, run with their own command:')
    for (const e of elsewhere) out.push(`  ${e.title}`, `      ${e.command}`)
  }
  return out.join('\n').trimEnd()
}

/** A run's state in words (never the journal's status word). */
const RUN_STATUS: Record<string, string> = {
  running: 'still running (waits for a restart or was stopped)',
  completed: 'completed',
  failed: 'stopped: a step failed',
  cancelled: 'cancelled',
}

export function formatRepairRun(r: RepairRun): string {
  const out = [
    `${r.journal.plan.title}: ${RUN_STATUS[r.status] ?? 'ended'}${r.resumed ? ' — finished an interrupted run from its journal' : ''}`,
  ]
  for (const x of r.results) {
    const mark =
      x.outcome === 'done'
        ? 'ok  '
        : x.outcome === 'skipped'
          ? 'skip'
          : x.outcome === 'rechecked'
            ? 'ok* '
            : x.outcome === 'not-fixed'
              ? 'not '
              : 'FAIL'
    const title = r.steps.find((s) => s.id === x.stepId)?.title ?? 'step'
    out.push(`  ${mark} ${title}`, `       ${x.commandLine}${x.exitCode !== null ? `  (exit ${x.exitCode})` : ''}`)
    if (x.outcome !== 'done')
      out.push(
        ...x.output
          .split('\n')
          .slice(-4)
          .map((l) => `         ${l}`),
      )
  }
  if (r.verification) out.push('', `${r.verification.verified ? 'Verified' : 'NOT verified'}: ${r.verification.detail}`)
  for (const m of r.manual) out.push('', `By hand: ${m.title}`, `  ${m.detail}`, ...m.commands.map((c) => `  ${c}`))
  for (const m of r.next) out.push('', `Next: ${m.title}`, `  ${m.detail}`, ...m.commands.map((c) => `  ${c}`))
  return out.join('\n')
}

export function registerRepair(program: Command, ctx: CliContext): void {
  program
    .command('repairs')
    .description('the repairs the diagnosis offers for a PC, with their steps and exact commands')
    .option('--machine <name>', machineOptionHelp.machine)
    .option('--computer <name>', machineOptionHelp.computer)
    .option('--credential', machineOptionHelp.credential)
    .option('--snapshot <file>', machineOptionHelp.snapshot)
    .option('--script <dir>', 'a snapshot: save each offered repair as a PowerShell script in DIR')
    .option('--json', 'print the offers as JSON only')
    .action(async (opts: { machine?: string; snapshot?: string; script?: string; json?: boolean }) => {
      // Listing the offers reads one machine: its services alone (machine-services.ts), not the rest of the app's.
      await ctx.loadMachineServices()
      const ref = await resolveMachine(ctx, opts, opts.json === true)
      const repairs = await ctx.machine.loadRepairs()
      const offers = await repairs.offers(ref)
      const saved: string[] = []
      // One repair whose script cannot be built (e.g. a package identity the step refuses) is named and
      // skipped; the other offers are still listed and saved (one refusal aborted the whole listing).
      const notSaved: Array<{ repairId: string; reason: string }> = []
      if (opts.script) {
        try {
          mkdirSync(opts.script, { recursive: true })
        } catch (err) {
          throw new CliError(
            `Could not create the folder ${opts.script}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`,
          )
        }
        for (const o of offers.offers) {
          let s: { fileName: string; content: string }
          try {
            s = await repairs.script(ref, o.repairId)
          } catch (err) {
            notSaved.push({ repairId: o.repairId, reason: (err as Error).message })
            continue
          }
          const path = join(opts.script, s.fileName)
          await writeCliFile(path, powerShellFileText(s.content), `the ${o.repairId} script`)
          saved.push(path)
        }
      }
      if (opts.json) ctx.io.json({ ...offers, scripts: saved, ...(notSaved.length ? { notSaved } : {}) })
      else
        ctx.io.text(
          [
            formatOffers(offers),
            ...saved.map((p) => `Saved ${p}`),
            ...notSaved.map((n) => `Not saved: ${n.repairId}: ${n.reason}`),
          ].join('\n'),
        )
      if (notSaved.length) process.exitCode = 1
    })

  program
    .command('repair <id>')
    .description('run one repair: show its steps, confirm, run, re-scan and verify (finishes an interrupted run)')
    .option('--machine <name>', machineOptionHelp.machine)
    .option('--computer <name>', machineOptionHelp.computer)
    .option('--credential', machineOptionHelp.credential)
    .option('--yes', 'do not ask: run the steps shown (or finish an interrupted run)')
    .option('--restart-in <minutes>', 'restart: restart after this many minutes (shutdown /t) instead of now')
    .option('--json', 'print the run, its journal and "verified" as JSON only')
    .action(async (id: string, opts: { machine?: string; yes?: boolean; json?: boolean; restartIn?: string }) => {
      // A run takes every service (a source fetched, the run lock, the resume after a restart): loaded here.
      await ctx.loadServices()
      let restartInSeconds: number | undefined
      if (opts.restartIn !== undefined) {
        if (id !== 'restart') throw new CliError('--restart-in applies to the restart repair only.')
        const m = Number(opts.restartIn)
        if (!/^\d{1,6}$/.test(opts.restartIn) || m > 525_600)
          throw new CliError(`--restart-in takes whole minutes, 0 to 525600 (got '${opts.restartIn}').`)
        restartInSeconds = m * 60
      }
      const ref = await resolveMachine(ctx, opts, opts.json === true)
      if (ref.kind === 'snapshot')
        throw new CliError(
          'A snapshot is read-only: save the repair as a script with `repairs --snapshot FILE --script DIR`.',
        )
      if (!opts.yes && !process.stdin.isTTY)
        throw new CliError(
          `No terminal to confirm on: read the steps with \`servicing-desk repairs\`, then run \`repair ${id} --yes\`.`,
        )
      const offers = await ctx.services.repairs.offers(ref)
      const offer = offers.offers.find((o) => o.repairId === id)
      const last = offer ? null : await ctx.services.repairs.lastRun(ref, id)
      if (!offer && last && last.status === 'completed' && last.verified) {
        // Nothing to repair now, and its last run verified it (e.g. that run was killed after its last write): that run is the answer.
        if (opts.json) ctx.io.json(last)
        else
          ctx.io.text(
            `Nothing to repair now: the last ${id} run on ${offers.machineName} completed and was verified.\n${formatRepairRun(last)}`,
          )
        return
      }
      if (!offer)
        throw new CliError(
          `The repair '${id}' is not offered for ${offers.machineName}${offers.offers.length ? ` (offered: ${offers.offers.map((o) => o.repairId).join(', ')})` : ': the diagnosis finds nothing a repair would fix'}.`,
        )
      if (offer.refused) throw new CliError(`The repair cannot run: ${offer.refused}`)
      if (!opts.json) ctx.io.text(formatOffer(offer, 1).join('\n'))
      const question = offer.unfinished
        ? `Finish ${offer.title.toLowerCase()} on ${offers.machineName} (${offer.unfinished.done} of ${offer.unfinished.total} steps done)?`
        : `Run these ${offer.steps.length} steps on ${offers.machineName}?`
      if (!opts.yes && !(await ask(question))) throw new CliError('Not confirmed; nothing was changed.', 1)
      const run = await ctx.services.repairs.run(ref, id, {
        choices: restartInSeconds !== undefined ? { restartInSeconds } : undefined,
        checkpointHook: killHook(process.env),
        onStep: (s) => {
          if (!opts.json)
            ctx.io.note(
              s.phase === 'started'
                ? `… ${s.index + 1}/${s.total} ${s.stepId}`
                : `${s.result?.outcome ?? ''} ${s.stepId}`,
            )
        },
      })
      if (opts.json) ctx.io.json(run)
      else ctx.io.text(formatRepairRun(run))
      // On a real PC the restart step ends this process's part: Windows restarts and the RunOnce entry continues the journal after sign-in.
      if (
        run.status === 'running' &&
        run.journal.plan.steps.at(-1)?.kind === 'restart' &&
        run.results.some((r) => r.stepId === run.journal.plan.steps.at(-1)!.id)
      ) {
        if (!opts.json)
          ctx.io.note(
            'Windows is restarting as asked; this repair continues from its journal after you sign in (or run the same command again).',
          )
        return
      }
      if (run.status !== 'completed') throw new CliError(`The repair stopped: ${run.status}.`, 1)
      if (!run.verified) throw new CliError('The repair ran but is not verified.', 1)
    })
}
