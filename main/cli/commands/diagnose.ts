/**
 * `servicing-desk diagnose [--machine NAME | --snapshot FILE] [--code CODE] [--log FILE]... [--json]`:
 * findings, most likely cause first. With only --code/--log, no machine is read.
 */
import type { Command } from 'commander'
import { type CliContext, machineOptionHelp, resolveMachine } from '../context.ts'
import type { DiagnoseOutput } from '../../../preload/model/diagnosis.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { copyableCommand } from '../../host/system-tools.ts'
import { remedyRiskLines } from '../../knowledge/remedy-text.ts'
import { severityWord } from '../../../preload/model/status-words.ts'

/**
 * The diagnosis of a code and log files with no machine: the services' own diagnosis, built without them. Its last
 * step in the services (main/repair/verdict.ts settleRepairs: each finding keeps a repair only where its definition
 * offers it for the machine) changes nothing without a machine, so the repair definitions are not loaded for it.
 */
async function diagnoseWithoutMachine(code: string | undefined, logFiles: string[]) {
  const { createDiagnosis } = await import('../../diagnose/diagnosis-service.ts')
  const noMachine = () => {
    throw new Error('no machine is read for a code or logs alone')
  }
  return createDiagnosis({ scan: noMachine, readLogs: noMachine }).diagnose({ code, logFiles })
}

export function registerDiagnose(program: Command, ctx: CliContext): void {
  program
    .command('diagnose')
    .description('find the likely cause of a failing update from the machine, an error code and logs')
    .option('--machine <name>', machineOptionHelp.machine)
    .option('--computer <name>', machineOptionHelp.computer)
    .option('--credential', machineOptionHelp.credential)
    .option('--snapshot <file>', machineOptionHelp.snapshot)
    .option('--code <code>', 'the error code you saw, in any form')
    .option(
      '--log <file>',
      'a CBS.log, DISM.log, DISM output, event text or SetupDiag output (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--json', 'print {"findings": [...], "notes": [...], "timeline": {...}} only')
    .action(
      async (opts: {
        machine?: string
        computer?: string
        snapshot?: string
        code?: string
        log: string[]
        json?: boolean
      }) => {
        let machine: MachineRef | undefined
        const readsMachine = Boolean(
          opts.machine || opts.computer || opts.snapshot || (!opts.code && opts.log.length === 0),
        )
        // A machine's diagnosis needs the services of one machine (machine-services.ts), not the install engine, WinRE,
        // the whole-PC plan or the fix package behind the rest of the services.
        if (readsMachine) {
          await ctx.loadMachineServices()
          machine = await resolveMachine(ctx, opts, opts.json === true)
        }
        // A code or logs alone read no machine: the diagnosis runs without the services (every servicing module, most of
        // the app), as `explain` does, and gives the same answer.
        const out = readsMachine
          ? await ctx.machine.diagnose({ machine, code: opts.code, logFiles: opts.log })
          : await diagnoseWithoutMachine(opts.code, opts.log)
        if (opts.json)
          ctx.io.json({ findings: out.findings, notes: out.notes, ...(out.timeline ? { timeline: out.timeline } : {}) })
        else ctx.io.text(formatDiagnosis(out))
      },
    )
}

export function formatDiagnosis(d: DiagnoseOutput): string {
  const out: string[] = []
  // Past findings are history, never a problem: listed after what holds now, without remedies.
  const now = d.findings.filter((f) => f.state !== 'past')
  const past = d.findings.filter((f) => f.state === 'past')
  if (now.length === 0) out.push(past.length ? 'No current problem found.' : 'No problem found.')
  now.forEach((f, i) => {
    out.push(
      `${i + 1}. [${severityWord(f.severity).toUpperCase()}] ${f.title}  (confidence ${Math.round(f.confidence * 100)}%)${f.state === 'unknown' ? '  — may already be resolved: the last boot could not be read' : ''}`,
    )
    out.push(`   technical: ${f.technical}`)
    for (const c of f.causes) out.push(`   - ${c}`)
    if (f.remedies.length) {
      out.push('   What to do, in order:')
      f.remedies.forEach((r, j) => {
        out.push(
          `     ${j + 1}. ${r.title}${r.verified ? '' : ' (unverified: not confirmed by a source Servicing Desk holds)'}${r.repair ? `  [the app can do this: ${appCommand(r.repair, f.kbs?.[0] ?? null)}]` : ''}`,
        )
        for (const c of r.commands) out.push(`        ${c}`)
        for (const c of r.fillIn ?? []) out.push(`        (put your own value in place of each <…>) ${c}`)
        for (const l of remedyRiskLines(r)) out.push(`        ${l}`)
      })
    }
    if (f.evidence.length) {
      out.push('   Evidence:')
      for (const e of f.evidence.slice(0, 4))
        out.push(`     ${copyableCommand(e.source)}: ${e.excerpt.split('\n')[0]!.slice(0, 200)}`)
    }
    out.push('')
  })
  if (past.length) {
    out.push('History (happened, since resolved):')
    for (const f of past)
      out.push(
        `  - ${f.title}${f.since ? ` (${f.since.slice(0, 10)})` : ''} — since resolved by ${f.resolvedBy ?? 'a later change'}`,
      )
    out.push('')
  }
  for (const n of d.notes) out.push(`note: ${n}`)
  return out.join('\n')
}

/** The command that runs a repair (never its id as a word): `repair <id>`, `winre repair`, `install --kb KB`. */
function appCommand(repair: string, kb: string | null): string {
  if (repair.startsWith('winre-')) return 'winre repair'
  if (repair === 'install-checkpoint' || repair === 'install-update') return `install --kb ${kb ?? 'KB…'}`
  return `repair ${repair}`
}
