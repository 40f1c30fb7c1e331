/**
 * `servicing-desk winre [--machine NAME | --snapshot FILE] [--json]`: is WinRE enabled, current and
 * serviceable; the disk layout; and the repair it would run.
 * `servicing-desk winre repair [--machine NAME] [--yes] [--json]`: shows the exact commands, asks (or takes
 * --yes), runs them in order (stopping at the first failure), re-scans and verifies. When a repair on that
 * machine was interrupted (killed, power lost, cancelled), the same command finishes it from its journal;
 * `--abandon` gives it up so the next run plans afresh.
 */
import { runStateWords } from '../../../preload/model/run-record.ts'
import type { Command } from 'commander'
import { type CliContext, machineOptionHelp, resolveMachine } from '../context.ts'
import { CliError } from '../cli-error.ts'
import type { Disk } from '../../../preload/model/snapshot.ts'
import type { WinreReport, WinreRepairOutput } from '../../../preload/model/winre.ts'
import { killHook } from '../kill-hook.ts'
import { ask } from '../ask.ts'
import { severityWord } from '../../../preload/model/status-words.ts'

const mb = (n: number | null | undefined) => (n == null ? '?' : `${Math.round(n / 1048576)} MB`)

/** The disk as one line per partition with a bar to scale (the CLI's picture of the layout). */
export function formatLayout(disk: Disk, highlight: number | null): string[] {
  const width = 60
  const lines = [`Disk ${disk.number} (${disk.partitionStyle}, ${mb(disk.sizeBytes)})`]
  for (const p of [...disk.partitions].sort((a, b) => a.offsetBytes - b.offsetBytes)) {
    const cells = Math.max(1, Math.round((p.sizeBytes / disk.sizeBytes) * width))
    const name = p.driveLetter ? `${p.driveLetter}: ${p.label ?? ''}`.trim() : (p.label ?? p.role)
    lines.push(
      `  ${p.partitionNumber === highlight ? '>' : ' '} ${String(p.partitionNumber).padStart(2)} ${p.role.padEnd(8)} ${mb(p.sizeBytes).padStart(10)} ${p.freeBytes !== null ? `${mb(p.freeBytes)} free`.padStart(14) : ''.padStart(14)}  ${'#'.repeat(Math.min(cells, width))} ${name}`,
    )
  }
  return lines
}

export function formatWinreReport(r: WinreReport): string {
  const { health, repair } = r
  const w = health.winre
  const out: string[] = [`WinRE on ${health.machine.title} (${health.machine.name})`, '']
  if (!w) out.push(`  Could not be inspected: ${health.unreadableReason}`)
  else {
    out.push(
      `  Status:     ${w.status}${w.location ? ` — disk ${w.location.disk}, partition ${w.location.partition} (${w.location.path})` : ''}`,
    )
    out.push(
      `  Version:    ${w.version ?? 'unknown'}   expected: ${health.expected.version ?? 'unknown'}${health.expected.kb ? ` (${health.expected.kb})` : ''} → ${health.expected.verdict}`,
    )
    out.push(`              ${health.expected.reason}`)
    out.push(`  BCD id:     ${w.bcdId ?? '(none)'}`)
    if (w.recoveryPartition)
      out.push(
        `  Partition:  ${mb(w.recoveryPartition.sizeBytes)}, ${mb(w.recoveryPartition.freeBytes)} free (needs ${mb(health.requiredFreeBytes)}), ${w.recoveryPartition.position} the Windows partition`,
      )
    out.push(`  BitLocker:  ${w.bitlocker?.protectionStatus ?? 'unknown'}`)
    for (const v of w.versions ?? []) out.push(`  ${`${v.source}:`.padEnd(34)} ${v.version ?? '—'}`)
    for (const d of w.disagreements) out.push(`  ! ${d}`)
    if (w.disk) out.push('', ...formatLayout(w.disk, w.recoveryPartition?.partition ?? null))
  }
  out.push('', health.findings.length ? 'Findings:' : 'Findings: none — WinRE is healthy.')
  for (const f of health.findings) out.push(`  [${severityWord(f.severity)}] ${f.title}`, `      ${f.detail}`)
  out.push('')
  if (r.interrupted) out.push(`! ${r.interrupted.message}`, '')
  if (repair.refused) out.push(`Repair: cannot run — ${repair.refused}`)
  else if (repair.steps.length === 0) out.push('Repair: nothing to run.')
  else {
    out.push(
      r.interrupted
        ? `Repair WinRE (${repair.steps.length} steps, ${r.interrupted.done} done; running it again finishes it from step ${r.interrupted.stepNumber}):`
        : `Repair WinRE (${repair.steps.length} steps; nothing runs until you confirm):`,
    )
    for (const wmsg of repair.warnings) out.push(`  ! ${wmsg}`)
    if (repair.layoutAfter)
      out.push('', '  After the resize:', ...formatLayout(repair.layoutAfter, null).map((l) => `  ${l}`))
    out.push('')
    repair.steps.forEach((s, i) => {
      out.push(
        `  ${i + 1}. ${s.title}${s.destructive ? '' : ' (read/prepare only)'}`,
        `       ${s.command.commandLine}`,
      )
      for (const l of s.explanation.split('\n')) out.push(`       ${l}`)
    })
  }
  for (const m of repair.manual) out.push(`  By hand: ${m.title} — ${m.detail}`)
  for (const n of repair.notes) out.push(`  Note: ${n}`)
  return out.join('\n')
}

function formatRun(r: WinreRepairOutput): string {
  const out = [
    `WinRE repair: ${runStateWords(r.status)} (run step by step through the host${r.resumed ? '; finished an interrupted run from its journal' : ''})`,
  ]
  for (const s of r.results) {
    out.push(
      `  ${s.ok ? 'ok  ' : 'FAIL'} ${s.stepId} (${s.rechecked ? 're-checked, not run again' : `exit ${s.exitCode}`})`,
    )
    if (!s.ok || s.rechecked) out.push(...s.output.split('\n').map((l) => `       ${l}`))
  }
  if (r.verification) out.push('', `${r.verification.verified ? 'Verified' : 'NOT verified'}: ${r.verification.detail}`)
  return out.join('\n')
}

export function registerWinre(program: Command, ctx: CliContext): void {
  const winre = program
    .command('winre')
    .description('WinRE health: enabled, current, serviceable (250 MB free); the disk layout and the repair')
    .option('--machine <name>', machineOptionHelp.machine)
    .option('--computer <name>', machineOptionHelp.computer)
    .option('--credential', machineOptionHelp.credential)
    .option('--snapshot <file>', machineOptionHelp.snapshot)
    .option('--json', 'print {health, repair} as JSON only')
    .action(async (opts: { machine?: string; snapshot?: string; json?: boolean }) => {
      const ref = await resolveMachine(ctx, opts, opts.json === true)
      const report = await ctx.services.winre.report(ref)
      if (opts.json) ctx.io.json(report)
      else ctx.io.text(formatWinreReport(report))
    })
  winre
    .command('repair')
    .description('show the WinRE repair, confirm, run it, re-scan and verify')
    .option('--machine <name>', machineOptionHelp.machine)
    .option('--computer <name>', machineOptionHelp.computer)
    .option('--credential', machineOptionHelp.credential)
    .option('--yes', 'do not ask: run the commands shown (or finish an interrupted repair)')
    .option(
      '--abandon',
      'give up an interrupted repair on this machine (after finishing it by hand); the next run plans afresh',
    )
    .option('--json', 'print the run and its verification as JSON only')
    .action(async (own: { machine?: string; yes?: boolean; abandon?: boolean; json?: boolean }) => {
      // `winre --machine X repair` and `winre repair --machine X` both work: the parent may have taken the options.
      const parent = winre.opts<{ machine?: string; computer?: string; snapshot?: string; json?: boolean }>()
      if (parent.snapshot) throw new CliError('A snapshot is read-only; run the repair on that PC.')
      const opts = {
        ...own,
        machine: own.machine ?? parent.machine,
        computer: (own as { computer?: string }).computer ?? parent.computer,
        json: own.json ?? parent.json,
      }
      const ref = await resolveMachine(ctx, opts, opts.json === true)
      if (ref.kind === 'snapshot') throw new CliError('A snapshot is read-only; run the repair on that PC.')
      if (opts.abandon) {
        const gone = ctx.services.winre.abandon(ref)
        if (opts.json) ctx.io.json({ abandoned: gone })
        else
          ctx.io.text(
            `Abandoned repair ${gone.repairId} (it had stopped at step ${gone.stepNumber} of ${gone.total}: ${gone.stepTitle}). The next \`winre\` plans from a fresh scan.`,
          )
        return
      }
      if (!opts.yes && !process.stdin.isTTY)
        throw new CliError(
          'No terminal to confirm on: read the commands with `servicing-desk winre`, then run `winre repair --yes`.',
        )
      const report = await ctx.services.winre.report(ref)
      if (!opts.json) ctx.io.text(formatWinreReport(report))
      if (report.repair.refused) throw new CliError(`The repair cannot run: ${report.repair.refused}`)
      if (report.repair.steps.length === 0) {
        if (opts.json)
          ctx.io.json({
            repairId: report.repair.id,
            status: 'completed',
            results: [],
            runner: 'host-sequence',
            resumed: false,
            verification: null,
            report,
          })
        else ctx.io.text('Nothing to run.')
        return
      }
      const left = report.interrupted
        ? report.repair.steps.length - report.interrupted.done
        : report.repair.steps.length
      const question = report.interrupted
        ? `Finish repair ${report.repair.id} on ${report.health.machine.name} (${left} of ${report.repair.steps.length} steps left)?`
        : `Run these ${report.repair.steps.length} commands on ${report.health.machine.name}?`
      if (!opts.yes && !(await ask(question))) throw new CliError('Not confirmed; nothing was changed.', 1)
      if (report.interrupted && !opts.json)
        ctx.io.note(
          `Resuming repair ${report.repair.id} from its journal (${report.interrupted.done} of ${report.repair.steps.length} steps done).`,
        )
      const run = await ctx.services.winre.repair(ref, report.repair.id, {
        checkpointHook: killHook(process.env),
        onStep: (id, phase, r) => {
          if (!opts.json) ctx.io.note(phase === 'started' ? `… ${id}` : `${r?.ok ? 'ok' : 'FAILED'} ${id}`)
        },
      })
      if (opts.json) ctx.io.json(run)
      else ctx.io.text(formatRun(run))
      if (run.status !== 'completed' || !run.verification?.verified)
        throw new CliError(
          run.status !== 'completed'
            ? `The repair stopped: ${run.status}.`
            : 'The repair ran but WinRE is not verified.',
          1,
        )
    })
}
