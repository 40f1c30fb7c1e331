/** `servicing-desk machines [--json] [--reset NAME|all]`: the training machines, and resetting them. */
import type { Command } from 'commander'
import type { CliContext } from '../context.ts'

export function registerMachines(program: Command, ctx: CliContext): void {
  program
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
        if (opts.json) { io.json({ reset: names, archived }); return }
        io.text(`Reset: ${names.join(', ')}`)
        for (const [n, dir] of Object.entries(archived)) if (dir) io.note(`${n}: its install journals, plans and WinRE repairs moved to ${dir} (reports and Proof show only what was done since).`)
        return
      }
      const list = services.listTrainingMachines()
      if (opts.json) { io.json(list); return }
      io.note(list.thisPcAvailable ? 'This PC is available (--machine this-pc, the default).' : 'This is not Windows: the default machine is a training machine.')
      for (const m of list.machines) {
        io.text(`${m.name.padEnd(28)} ${m.nativeArch.padEnd(6)} ${m.displayVersion.padEnd(5)} ${m.build.padEnd(11)} ${m.title}${m.name === list.defaultMachine ? '  (default)' : ''}`)
      }
    })
}
