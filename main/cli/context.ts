/** What every command gets: the services and the output. Plus the shared `--machine/--snapshot` resolution. */
import type { Services } from '../services.ts'
import type { MachineServices } from '../machine-services.ts'
import type { Output } from './output.ts'
import type { MachineRef } from '../../preload/model/common.ts'
import { CliError } from './cli-error.ts'

export interface CliContext {
  /**
   * Every service (main/services.ts), made on first read. Loaded before the action of a command whose entry in
   * commands/index.ts says `services: true`; a command that says false loads them itself when it needs them.
   */
  readonly services: Services
  /** Loads and makes the services (once): for a command that needs them only on some paths. */
  loadServices(): Promise<Services>
  /**
   * The services of one machine (machine-services.ts: its Host, scan, snapshots, diagnosis, repairs): the whole
   * services when those are made, else made on first read after loadMachineServices().
   */
  readonly machine: MachineServices
  /** Loads and makes the machine services alone (once), unless the whole services are loaded already. */
  loadMachineServices(): Promise<MachineServices>
  /** The data folder (the services' own), known without loading them. */
  readonly dataDir: string
  io: Output
}

export interface MachineOptions {
  machine?: string
  snapshot?: string
  /** A PC over PowerShell remoting (FRONTDESK-03), or `training:<machine>` through the training transport. */
  computer?: string
  /** With --computer NAME: Windows' own credential prompt (Get-Credential in the technician's powershell.exe) instead of the current logon. */
  credential?: boolean
}

/**
 * Resolves `--machine NAME | --snapshot FILE` to a MachineRef. With neither: this PC on Windows, the
 * default training machine elsewhere (and says so on stderr).
 */
export async function resolveMachine(ctx: CliContext, opts: MachineOptions, quiet = false): Promise<MachineRef> {
  if (opts.machine && opts.snapshot) throw new CliError('Give either --machine or --snapshot, not both.')
  if (opts.computer !== undefined) {
    if (opts.machine || opts.snapshot) throw new CliError('Give either --computer or --machine/--snapshot, not both.')
    return remoteRef(ctx, opts.computer, opts.credential === true)
  }
  if (opts.credential)
    throw new CliError('--credential goes with --computer NAME (a PC reached over PowerShell remoting).')
  if (opts.snapshot) {
    const { id } = await ctx.machine.loadSnapshotFile(opts.snapshot)
    return { kind: 'snapshot', id }
  }
  if (opts.machine) {
    if (opts.machine === 'this-pc') return thisPc(ctx)
    const names = ctx.machine.trainingMachineNames()
    if (!names.includes(opts.machine))
      throw new CliError(`No training machine named '${opts.machine}'. Known: ${names.join(', ')}.`)
    return { kind: 'training', name: opts.machine }
  }
  const def = ctx.machine.defaultMachine()
  if (def.kind === 'training' && !quiet)
    ctx.io.note(
      `servicing-desk: this is not Windows; using the training machine '${def.name}' (choose with --machine NAME).`,
    )
  return def
}

/** `--computer NAME`: a PC over PowerShell remoting; `--computer training:<machine>`: a training machine over the training transport. */
function remoteRef(ctx: CliContext, computer: string, credential: boolean): MachineRef {
  const training = /^training:(.*)$/i.exec(computer)
  if (training) {
    if (credential)
      throw new CliError(
        'A training machine is reached without a password; --credential is for a real PC (--computer NAME).',
      )
    const name = training[1]
    const names = ctx.machine.trainingMachineNames()
    if (!names.includes(name)) throw new CliError(`No training machine named '${name}'. Known: ${names.join(', ')}.`)
    return { kind: 'training', name, via: 'winrm' }
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(computer))
    throw new CliError(
      `'${computer}' is not a computer name: use its name (FRONTDESK-03), its full DNS name or its address.`,
    )
  return credential ? { kind: 'remote', computer, credential: 'prompt' } : { kind: 'remote', computer }
}

function thisPc(ctx: CliContext): MachineRef {
  if (!ctx.machine.listTrainingMachines().thisPcAvailable)
    throw new CliError('This PC can be inspected only on Windows; choose a training machine with --machine NAME.')
  return { kind: 'this-pc' }
}

export const machineOptionHelp = {
  machine: 'a training machine name (see `machines`), or this-pc',
  snapshot:
    "a snapshot of another PC: the collector's zip (Collect-ServicingFacts.ps1, or `scan --out FILE.zip`), or the JSON of `scan --out FILE.json`",
  computer:
    'a PC reached over PowerShell remoting (its name or address), or training:<machine> to rehearse over the training transport',
  credential:
    "with --computer: ask with Windows' own credential prompt (Get-Credential, once per round trip) instead of using your current logon; the password never reaches the app",
}
