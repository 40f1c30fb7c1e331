/** `servicing-desk scan [--machine NAME | --snapshot FILE] [--json] [--out FILE]`: every servicing fact. */
import type { Command } from 'commander'
import { type CliContext, machineOptionHelp, resolveMachine } from '../context.ts'
import { writeCliFile } from '../output-file.ts'
import { formatSnapshot } from '../format-snapshot.ts'

export function registerScan(program: Command, ctx: CliContext): void {
  program
    .command('scan')
    .description(
      'inspect a machine: build and UBR, edition, native architecture, packages, history, restart, space, services, WinRE',
    )
    .option('--machine <name>', machineOptionHelp.machine)
    .option('--computer <name>', machineOptionHelp.computer)
    .option('--credential', machineOptionHelp.credential)
    .option('--snapshot <file>', machineOptionHelp.snapshot)
    .option('--json', 'print the snapshot as JSON only')
    .option(
      '--out <file>',
      "write the snapshot to a file, to diagnose this PC elsewhere: FILE.zip = the collector's file (facts + logs), else schema-versioned JSON",
    )
    .action(async (opts: { machine?: string; snapshot?: string; json?: boolean; out?: string }) => {
      const ref = await resolveMachine(ctx, opts, opts.json === true)
      if (opts.out && /\.zip$/i.test(opts.out)) {
        const zip = await ctx.services.collect(ref, {
          onStep: opts.json ? undefined : (i, n, what) => ctx.io.note(`[${i}/${n}] ${what}`),
        })
        await writeCliFile(opts.out, zip, 'the collector file')
        if (!opts.json) ctx.io.note(`Collector file written to ${opts.out} (${(zip.length / 1024).toFixed(0)} KB)`)
      }
      const snapshot = await ctx.services.scan(ref)
      if (opts.out && !/\.zip$/i.test(opts.out)) {
        await writeCliFile(opts.out, `${JSON.stringify(snapshot, null, 2)}\n`, 'the snapshot')
        if (!opts.json) ctx.io.note(`Snapshot written to ${opts.out}`)
      }
      if (opts.json) ctx.io.json(snapshot)
      else {
        const preflight = ctx.services.remotePreflight(ref)
        if (preflight) ctx.io.text(['Pre-flight:', ...preflight.map((l) => `  ${l}`), ''].join('\n'))
        ctx.io.text(formatSnapshot(snapshot, ref.kind))
      }
    })
}
