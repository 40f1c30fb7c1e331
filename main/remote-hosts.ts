/**
 * Where remote Hosts come from (services.ts asks here): one RemoteHost per computer for the life of the
 * process, so its session, its copied files and its round-trip counts carry across calls.
 * - `training:<machine>` (MachineRef `{kind: 'training', via: 'winrm'}`): the training transport.
 * - any other name (`{kind: 'remote'}`): the technician's own powershell.exe, on Windows only.
 * Tests pass their own factory (faults at every boundary).
 */
import type { Transport } from './host/transport.ts'
import { RemoteHost } from './host/remote-host.ts'
import { TrainingTransport } from './training/transport-training.ts'
import { TrainingHost } from './training/training-host.ts'
import { createPowerShellTransport } from './host/transport-powershell.ts'
import type { TrainingStore } from './training/store.ts'
import { AppError } from './errors.ts'

export interface RemoteTarget {
  /** As the technician named it: FRONTDESK-03, or training:<machine>. */
  computer: string
  /** 'prompt': the session asks with Windows' credential prompt (`--credential`, "Use other credentials"). */
  credential?: 'prompt'
  /** The training machine behind `training:<machine>`. */
  training?: { machine: string; host: TrainingHost; store: TrainingStore }
}

export type RemoteTransportFactory = (target: RemoteTarget) => Transport

export interface RemoteHostsDeps {
  dataDir: string
  platform: NodeJS.Platform
  trainingStore: TrainingStore
  factory?: RemoteTransportFactory
  /** Reconnect budget (tests: no delay). */
  reconnect?: { attempts: number; delayMs: number }
}

export function createRemoteHosts(deps: RemoteHostsDeps) {
  const hosts = new Map<string, RemoteHost>()

  function trainingOverWinrm(machine: string): RemoteHost {
    const key = `training:${machine}`
    const known = hosts.get(key)
    if (known) return known
    let host: TrainingHost
    try {
      host = new TrainingHost(machine, deps.trainingStore)
    } catch (err) {
      throw new AppError('not-found', (err as Error).message)
    }
    const target: RemoteTarget = { computer: key, training: { machine, host, store: deps.trainingStore } }
    const transport =
      deps.factory?.(target) ?? new TrainingTransport({ computer: key, machine, host, store: deps.trainingStore })
    const label = deps.trainingStore.load(machine).os.computerName
    const remote = new RemoteHost({
      transport,
      dataDir: deps.dataDir,
      label,
      name: machine,
      reconnect: deps.reconnect ?? { attempts: 20, delayMs: 20 },
    })
    hosts.set(key, remote)
    return remote
  }

  /** `credential: 'prompt'`: Windows' credential prompt instead of the current logon (its own Host: the two never share a session). */
  function pc(computer: string, credential?: 'prompt'): RemoteHost {
    const key = `${computer.toLowerCase()}${credential ? '|credential' : ''}`
    const known = hosts.get(key)
    if (known) return known
    let transport: Transport
    if (deps.factory) transport = deps.factory({ computer, credential })
    else if (deps.platform === 'win32') transport = createPowerShellTransport({ computer, credential })
    else
      throw new AppError(
        'unsupported',
        `Reaching ${computer} over PowerShell remoting needs Windows (this PC's own powershell.exe); here, rehearse with --computer training:<machine>.`,
      )
    const remote = new RemoteHost({
      transport,
      dataDir: deps.dataDir,
      label: computer.toUpperCase(),
      name: computer,
      reconnect: deps.reconnect,
    })
    hosts.set(key, remote)
    return remote
  }

  return { trainingOverWinrm, pc, all: () => [...hosts.values()] }
}
