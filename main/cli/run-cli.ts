/**
 * Builds the command-line program and runs it. Every command is registered in `commands/index.ts`.
 * Errors go to stderr with a non-zero exit code; `--json` output is only JSON on stdout.
 */
import { Command, CommanderError } from 'commander'
import { CliError } from './cli-error.ts'
import { AppError } from '../errors.ts'
import { createOutput } from './output.ts'
import { standardError, standardOutput } from './std-write.ts'
import { escapeControls } from './terminal-text.ts'
import { defaultDataDir } from '../data-dir.ts'
import { DataDirRefused, guardDataDir } from '../security/data-dir-guard.ts'
import { commandOf, registerCommands } from './commands/index.ts'
import type { CliContext } from './context.ts'
import type { Output } from './output.ts'
import type { Host } from '../host/host.ts'
import type { Services } from '../services.ts'
import type { MachineServices } from '../machine-services.ts'
import { existsSync } from 'node:fs'
import { overlayPath } from '../knowledge/overlay-path.ts'

export async function runCli(argv: string[], io = createOutput()): Promise<number> {
  const program = new Command('servicing-desk')
    .description('Gets a stuck Windows update unstuck: inspect, diagnose, fetch, install, report.')
    .exitOverride()
    .configureOutput({
      // Commander's messages quote what was typed (`unknown option '…'`): escaped like every other line.
      writeOut: (s) => {
        standardOutput.write(escapeControls(s))
      },
      writeErr: (s) => {
        standardError.write(escapeControls(s))
      },
    })
    .showHelpAfterError(false)
  // WindowsHost (and execa) load only on Windows: elsewhere there is no "this PC" to inspect.
  const thisPc =
    process.platform === 'win32'
      ? await (await import('../host/this-pc.ts')).thisPcHostFor()
      : { thisPcHost: undefined, elevated: false }
  const thisPcHost = thisPc.thisPcHost
  // The data folder belongs to the app: created with its ACL (mode 0700 elsewhere) and refused when others
  // can change it, at every start (main/security/data-dir-guard.ts).
  try {
    await guardDataDir({
      dir: defaultDataDir(),
      platform: process.platform,
      host: thisPcHost?.() ?? null,
      elevated: thisPc.elevated,
    })
  } catch (err) {
    if (!(err instanceof DataDirRefused)) throw err
    io.note(`servicing-desk: ${err.message}`)
    return 1
  }
  // Only the command this line runs is loaded (commands/index.ts); `--help`, no command or an unknown one: all.
  const only = commandOf(argv)
  const ctx = cliContext(io, thisPcHost)
  await registerCommands(program, ctx, only)
  // The services before the action of a command that reads them (and before any action when all are registered).
  program.hook('preAction', async () => {
    if (!only || only.services) await ctx.loadServices()
  })
  // A command says its exit code through process.exitCode: a run's code is its own, never one an earlier run in the
  // same process left there (the tests run the CLI in process; a refused plan's 3 then read as `media list`'s).
  process.exitCode = undefined
  try {
    await program.parseAsync(argv, { from: 'user' })
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
        return 0
      return err.exitCode || 2
    }
    if (err instanceof CliError) {
      io.note(`servicing-desk: ${err.message}`)
      return err.exitCode
    }
    if (err instanceof AppError) {
      io.note(`servicing-desk: ${err.message}`)
      return err.code === 'invalid-input' || err.code === 'not-found' ? 2 : 1
    }
    io.note(`servicing-desk: ${(err as Error).message ?? String(err)}`)
    return 1
  }
}

/**
 * The commands' context: the services (every servicing module) are loaded and made on first need, once; a command
 * that reads one machine and its repairs loads the machine services alone (machine-services.ts), and the whole
 * services, if it needs them after all, are built on those.
 */
function cliContext(io: Output, thisPcHost: (() => Host) | undefined): CliContext {
  let made: typeof import('../services.ts') | undefined
  let madeMachine: typeof import('../machine-services.ts') | undefined
  let services: Services | undefined
  let machine: MachineServices | undefined
  const dataDir = defaultDataDir()
  const ctx: CliContext = {
    io,
    dataDir,
    get services(): Services {
      if (!made)
        throw new Error(
          'The services were read by a command registered without them (main/cli/commands/index.ts: services: false).',
        )
      services ??= made.createServices({ thisPcHost }, machine)
      return services
    },
    get machine(): MachineServices {
      if (made) return ctx.services
      if (!madeMachine)
        throw new Error('The machine services were read before they were loaded (ctx.loadMachineServices()).')
      machine ??= madeMachine.createMachineServices({ thisPcHost })
      return machine
    },
    async loadServices() {
      made ??= await import('../services.ts')
      return ctx.services
    },
    async loadMachineServices() {
      if (!made && !madeMachine) {
        madeMachine = await import('../machine-services.ts')
        // The knowledge's refresh overlay, as the services load it; its schema (zod) only when this data folder has one.
        if (existsSync(overlayPath(dataDir))) (await import('../knowledge/overlay.ts')).loadKnowledgeOverlay(dataDir)
      }
      return ctx.machine
    },
  }
  return ctx
}
