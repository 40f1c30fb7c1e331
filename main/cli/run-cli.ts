/**
 * Builds the command-line program and runs it. Every command is registered in `commands/index.ts`.
 * Errors go to stderr with a non-zero exit code; `--json` output is only JSON on stdout.
 */
import { Command, CommanderError } from 'commander'
import { CliError } from './cli-error.ts'
import { AppError } from '../errors.ts'
import { createOutput } from './output.ts'
import { escapeControls } from './terminal-text.ts'
import { defaultDataDir } from '../data-dir.ts'
import { DataDirRefused, guardDataDir } from '../security/data-dir-guard.ts'

export async function runCli(argv: string[], io = createOutput()): Promise<number> {
  const program = new Command('servicing-desk')
    .description('Gets a stuck Windows update unstuck: inspect, diagnose, fetch, install, report.')
    .exitOverride()
    .configureOutput({
      // Commander's messages quote what was typed (`unknown option '…'`): escaped like every other line.
      writeOut: (s) => process.stdout.write(escapeControls(s)),
      writeErr: (s) => process.stderr.write(escapeControls(s)),
    })
    .showHelpAfterError(false)
  // WindowsHost (and execa) load only on Windows: elsewhere there is no "this PC" to inspect.
  const thisPc = process.platform === 'win32' ? await (await import('../host/this-pc.ts')).thisPcHostFor() : { thisPcHost: undefined, elevated: false }
  const thisPcHost = thisPc.thisPcHost
  // The data folder belongs to the app: created with its ACL (mode 0700 elsewhere) and refused when others
  // can change it, at every start (main/security/data-dir-guard.ts).
  try {
    await guardDataDir({ dir: defaultDataDir(), platform: process.platform, host: thisPcHost?.() ?? null, elevated: thisPc.elevated })
  } catch (err) {
    if (!(err instanceof DataDirRefused)) throw err
    io.note(`servicing-desk: ${err.message}`)
    return 1
  }
  if (argv[0] === 'analyze') {
    // `analyze` reads up to 64 MB of text and needs no service: the services and the other commands are not
    // even loaded, so their ~45 MB of modules do not add to a big paste's peak (issue 33: 50 MB under 300 MB).
    const { registerAnalyze } = await import('./commands/analyze.ts')
    registerAnalyze(program, { io })
  } else {
    const [{ createServices }, { registerCommands }] = await Promise.all([import('../services.ts'), import('./commands/index.ts')])
    const services = createServices({ thisPcHost })
    registerCommands(program, { services, io })
  }
  // A command says its exit code through process.exitCode: a run's code is its own, never one an earlier run in the
  // same process left there (the tests run the CLI in process; a refused plan's 3 then read as `media list`'s).
  process.exitCode = undefined
  try {
    await program.parseAsync(argv, { from: 'user' })
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0
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
