/**
 * `servicing-desk report [--machine NAME | --snapshot FILE] --out FILE.html|FILE.json [--summary]`:
 * the report for a ticket. Goes through the same `exportReport` handler as the app, so the CLI, the
 * preview and the window make the very same report.
 */
import type { Command } from 'commander'
import { extname } from 'node:path'
import { type CliContext, machineOptionHelp, resolveMachine } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { writeCliFile } from '../output-file.ts'
import { createHandlers, invokeCall } from '../../handlers.ts'

export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description('write the report for a ticket: machine facts, findings with evidence, what was done, verification')
    .option('--machine <name>', machineOptionHelp.machine)
    .option('--computer <name>', machineOptionHelp.computer)
    .option('--credential', machineOptionHelp.credential)
    .option('--snapshot <file>', machineOptionHelp.snapshot)
    .requiredOption('--out <file>', 'where to write it: FILE.html (one self-contained page) or FILE.json')
    .option('--summary', 'also print the short summary for a ticket on stdout')
    .action(async (opts: { machine?: string; snapshot?: string; out: string; summary?: boolean }) => {
      const ext = extname(opts.out).toLowerCase()
      if (ext !== '.html' && ext !== '.htm' && ext !== '.json')
        throw new CliError(`--out must end in .html or .json (got '${opts.out}').`)
      const machine = await resolveMachine(ctx, opts)
      const r = await invokeCall(createHandlers(ctx.services), 'exportReport', {
        machine,
        format: ext === '.json' ? 'json' : 'html',
      })
      if (!r.ok)
        throw new CliError(r.error.message, r.error.code === 'invalid-input' || r.error.code === 'not-found' ? 2 : 1)
      await writeCliFile(opts.out, r.value.content, 'the report')
      ctx.io.note(`Report written to ${opts.out}`)
      if (opts.summary) ctx.io.text(r.value.summary)
    })
}
