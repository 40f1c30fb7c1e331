/**
 * `servicing-desk machines [--json] [--reset NAME|all]`: the training machines, and resetting them.
 * `servicing-desk machines import FILE [--json]`: a training machine made from a collector file, to rehearse a fix package.
 */
import type { Command } from 'commander'
import type { CliContext } from '../context.ts'

export function registerMachines(program: Command, ctx: CliContext): void {
  const machines = program
    .command('machines')
    .description('list the training machines (each reproduces a documented real-world failure)')
    .option('--json', 'print JSON only')
    .option('--reset <name>', "put a training machine (or 'all') back to its starting state")
    .action(async (opts: { json?: boolean; reset?: string }) => {
      const { services, io } = ctx
      if (opts.reset) {
        const names = opts.reset === 'all' ? services.listTrainingMachines().machines.map((m) => m.name) : [opts.reset]
        const archived: Record<string, string | null> = {}
        for (const n of names) archived[n] = services.resetTrainingMachine(n).archivedTo
        if (opts.json) {
          io.json({ reset: names, archived })
          return
        }
        io.text(`Reset: ${names.join(', ')}`)
        for (const [n, dir] of Object.entries(archived))
          if (dir)
            io.note(
              `${n}: its install journals, plans and WinRE repairs moved to ${dir} (reports and Proof show only what was done since).`,
            )
        return
      }
      const list = services.listTrainingMachines()
      if (opts.json) {
        io.json(list)
        return
      }
      io.note(
        list.thisPcAvailable
          ? 'This PC is available (--machine this-pc, the default).'
          : 'This is not Windows: the default machine is a training machine.',
      )
      for (const m of list.machines) {
        io.text(
          `${m.name.padEnd(28)} ${m.nativeArch.padEnd(6)} ${m.displayVersion.padEnd(5)} ${m.build.padEnd(11)} ${m.title}${m.name === list.defaultMachine ? '  (default)' : ''}`,
        )
      }
    })
  machines
    .command('import <file>')
    .description(
      'make a training machine from a collector file (a zip), to rehearse a fix package on a model of that PC',
    )
    .option('--json', 'print JSON only')
    .action(async (file: string, opts: { json?: boolean }) => {
      const r = await ctx.services.importTrainingMachine(file)
      if (opts.json) {
        ctx.io.json(r)
        return
      }
      ctx.io.text(`Training machine '${r.name}': ${r.title}`)
      ctx.io.text(r.scenario)
      ctx.io.note(
        `Rehearse with --machine ${r.name} (repairs, install --kit DIR); machines --reset ${r.name} starts it afresh.`,
      )
    })
}
