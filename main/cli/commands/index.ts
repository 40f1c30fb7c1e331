/**
 * Every CLI command, registered in one place. Add a command: one line. Each module is imported only when its
 * command runs (run-cli.ts registers just that one; `--help` and unknown commands register them all), so a
 * start pays for what it uses: `explain` never parses the fleet store, Azure's clients or the install engine.
 */
import type { Command } from 'commander'
import type { CliContext } from '../context.ts'

type Register = (program: Command, ctx: CliContext) => void

export interface CliCommand {
  /** The top-level names the module registers (`repairs` and `repair` come from one module). */
  names: readonly string[]
  /**
   * Whether its actions read `ctx.services` (main/services.ts: every servicing module, ~all of the app). false: the
   * services are never loaded for it, and `ctx.services` throws if it is read after all.
   */
  services: boolean
  load: () => Promise<Register>
}

export const CLI_COMMANDS: readonly CliCommand[] = [
  { names: ['machines'], services: true, load: async () => (await import('./machines.ts')).registerMachines },
  { names: ['scan'], services: true, load: async () => (await import('./scan.ts')).registerScan },
  // `analyze` reads up to 64 MB of text and needs no service: the services and the other commands are not even
  // loaded, so their ~45 MB of modules do not add to a big paste's peak (50 MB under 300 MB).
  { names: ['analyze'], services: false, load: async () => (await import('./analyze.ts')).registerAnalyze },
  { names: ['explain'], services: false, load: async () => (await import('./explain.ts')).registerExplain },
  // `diagnose --code` / `--log` reads no machine and loads no services (it starts like `explain`); with a machine it
  // loads them itself.
  { names: ['diagnose'], services: false, load: async () => (await import('./diagnose.ts')).registerDiagnose },
  { names: ['report'], services: true, load: async () => (await import('./report.ts')).registerReport },
  { names: ['plan'], services: true, load: async () => (await import('./plan.ts')).registerPlan },
  { names: ['fix'], services: true, load: async () => (await import('./fix.ts')).registerFix },
  { names: ['install'], services: true, load: async () => (await import('./install.ts')).registerInstall },
  { names: ['winre'], services: true, load: async () => (await import('./winre.ts')).registerWinre },
  { names: ['catalog'], services: true, load: async () => (await import('./catalog.ts')).registerCatalog },
  { names: ['download'], services: true, load: async () => (await import('./download.ts')).registerDownload },
  { names: ['kit'], services: true, load: async () => (await import('./kit.ts')).registerKit },
  // `repairs` lists one machine's offers from the machine services (it starts like `diagnose --machine`); `repair ID`
  // loads every service itself.
  { names: ['repairs', 'repair'], services: false, load: async () => (await import('./repair.ts')).registerRepair },
  { names: ['knowledge'], services: false, load: async () => (await import('./knowledge.ts')).registerKnowledge },
  { names: ['media'], services: true, load: async () => (await import('./media.ts')).registerMedia },
  { names: ['collector'], services: true, load: async () => (await import('./collector.ts')).registerCollector },
  {
    names: ['proof', 'fix-package'],
    services: true,
    load: async () => (await import('./fix-package.ts')).registerFixPackage,
  },
  // The fleet store and its commands load the services only for what needs a single PC's (an import that
  // diagnoses collected files, a group's repair plan): `fleet groups` reads the store alone.
  { names: ['fleet'], services: false, load: async () => (await import('./fleet.ts')).registerFleet },
]

/** The command a CLI line runs (its first word), or undefined for `--help`, no command or an unknown one. */
export function commandOf(argv: readonly string[]): CliCommand | undefined {
  const first = argv[0]
  return first === undefined ? undefined : CLI_COMMANDS.find((c) => c.names.includes(first))
}

/** Registers `only` (one command), or every command in the order `--help` lists them. */
export async function registerCommands(program: Command, ctx: CliContext, only?: CliCommand): Promise<void> {
  const registers = await Promise.all((only ? [only] : CLI_COMMANDS).map((c) => c.load()))
  for (const register of registers) register(program, ctx)
}
