/**
 * The services of one machine: the training machines, the Host of a PC, its scan, the snapshots opened from files,
 * the diagnosis and the Fix-it repairs (loaded on first use). The composition root (services.ts) builds the rest on
 * top of these; a command that only reads a PC and its repairs (`diagnose --machine`, `repairs`) builds these alone,
 * so its start loads no install engine, WinRE service, whole-PC plan, fix package or media service.
 */
import { randomUUID } from 'node:crypto'
import type { Host } from './host/host.ts'
import { TrainingHost } from './training/training-host.ts'
import type { RemoteTransportFactory } from './remote-hosts.ts'
import { TrainingStore } from './training/store.ts'
import { trainingProfiles, defaultTrainingMachine } from './training/profiles/index.ts'
import { scanMachine } from './machine/scan.ts'
import type { createRepairService } from './repair/repair-service.ts'
import { defaultDataDir } from './data-dir.ts'
import { AppError } from './errors.ts'
import { appVersion } from './app-version.ts'
import { createDiagnosis } from './diagnose/diagnosis-service.ts'
import { readAppRuns } from './report/app-runs.ts'
import { settleRepairs } from './repair/verdict.ts'
import { readVerdictMemory, recallVerdict } from './timeline/verdict-memory.ts'
import type { MachineRef } from '../preload/model/common.ts'
import type { MachineSnapshot } from '../preload/model/snapshot.ts'
import type { MachineList } from '../preload/model/training.ts'
import type { SnapshotHost } from './collector/snapshot-host.ts'
import { servicingEventsCommand } from './collector/steps.ts'
import { readMachineLogs, readRecordedEvents } from './machine/read-machine-logs.ts'

export interface MachineServicesOptions {
  dataDir?: string
  platform?: NodeJS.Platform
  /** Builds the Host for this PC (WindowsHost). Only given on Windows. */
  thisPcHost?: () => Host
  /** Builds the transport to a PC over PowerShell remoting; absent, the technician's powershell.exe on Windows. */
  remoteTransport?: RemoteTransportFactory
  /** The remote Hosts' modules, given by the composition root; absent, loaded when a remote PC is first scanned. */
  remote?: RemoteModules
  /** How long a remote Host keeps reconnecting after a lost session or a restart (tests: no delay). */
  remoteReconnect?: { attempts: number; delayMs: number }
  /** How this copy starts itself again after a restart to continue a repair on this PC (services.ts). */
  resumeLaunchers?: { install: (planFile: string) => string[]; repair: (repairId: string) => string[] }
}

export type MachineServices = ReturnType<typeof createMachineServices>

/**
 * What a remote PC needs (PowerShell remoting: its Host, transport and scripts, the console's code pages): the
 * composition root (services.ts) passes them, so every path of the app reaches a remote PC at once; a command of one
 * machine (`diagnose --machine`, `repairs`) loads them only to scan a remote PC, so a training machine's start does not
 * pay for them.
 */
export interface RemoteModules {
  createRemoteHosts: typeof import('./remote-hosts.ts').createRemoteHosts
  RemoteHost: typeof import('./host/remote-host.ts').RemoteHost
  RemoteHostError: typeof import('./host/remote-host.ts').RemoteHostError
  describePreflight: typeof import('./host/remote-preflight.ts').describePreflight
}

export async function loadRemoteModules(): Promise<RemoteModules> {
  const [{ createRemoteHosts }, { RemoteHost, RemoteHostError }, { describePreflight }] = await Promise.all([
    import('./remote-hosts.ts'),
    import('./host/remote-host.ts'),
    import('./host/remote-preflight.ts'),
  ])
  return { createRemoteHosts, RemoteHost, RemoteHostError, describePreflight }
}

const isRemote = (ref: MachineRef) => ref.kind === 'remote' || (ref.kind === 'training' && ref.via === 'winrm')

export function createMachineServices(options: MachineServicesOptions = {}) {
  const dataDir = options.dataDir ?? defaultDataDir()
  const platform = options.platform ?? process.platform
  const trainingStore = new TrainingStore(dataDir)
  const snapshots = new Map<string, MachineSnapshot>()
  /** Snapshots opened from a collector file: the file as a read-only Host (its commands' answers and its logs). */
  const snapshotHosts = new Map<string, SnapshotHost>()
  let thisPc: Host | null = null
  let remote: { m: RemoteModules; hosts: ReturnType<RemoteModules['createRemoteHosts']> } | undefined
  const remoteWith = (m: RemoteModules) =>
    (remote ??= {
      m,
      hosts: m.createRemoteHosts({
        dataDir,
        platform,
        trainingStore,
        factory: options.remoteTransport,
        reconnect: options.remoteReconnect,
      }),
    })
  if (options.remote) remoteWith(options.remote)
  /** The remote Hosts, loaded for a remote PC (by scan, the first thing every path does with a machine). */
  async function loadRemote() {
    return remote ?? remoteWith(await loadRemoteModules())
  }
  function remoteHosts() {
    if (!remote) throw new Error('A remote PC was asked for before its modules were loaded (loadRemote).')
    return remote.hosts
  }

  function listTrainingMachines(): MachineList {
    return {
      platform,
      thisPcAvailable: Boolean(options.thisPcHost),
      defaultMachine: options.thisPcHost ? 'this-pc' : defaultTrainingMachine,
      machines: [...trainingProfiles, ...trainingStore.importedProfiles()].map((p) => {
        const s = trainingStore.load(p.name)
        return {
          name: p.name,
          title: p.title,
          scenario: p.scenario,
          nativeArch: s.os.nativeArch,
          build: `${s.os.currentBuild}.${s.os.ubr}`,
          displayVersion: s.os.displayVersion,
          sources: p.sources,
        }
      }),
    }
  }

  /**
   * The training machines' names, in listTrainingMachines' order, without their states: a command that only checks a
   * name (`--machine NAME`) loaded and copied every machine's state for its build and version.
   */
  function trainingMachineNames(): string[] {
    return [...trainingProfiles, ...trainingStore.importedProfiles()].map((p) => p.name)
  }

  function defaultMachine(): MachineRef {
    return options.thisPcHost ? { kind: 'this-pc' } : { kind: 'training', name: defaultTrainingMachine }
  }

  /** The Host of a live machine (this PC or a training machine). A snapshot has none. */
  function hostFor(ref: MachineRef): Host {
    switch (ref.kind) {
      case 'this-pc':
        if (!options.thisPcHost)
          throw new AppError('unsupported', 'This PC can be inspected only on Windows; choose a training machine.')
        thisPc ??= options.thisPcHost()
        return thisPc
      case 'training':
        if (ref.via === 'winrm') return remoteHosts().trainingOverWinrm(ref.name)
        try {
          return new TrainingHost(ref.name, trainingStore)
        } catch (err) {
          throw new AppError('not-found', (err as Error).message)
        }
      case 'remote':
        return remoteHosts().pc(ref.computer, ref.credential)
      case 'snapshot':
        throw new AppError(
          'unsupported',
          'A snapshot from another PC is read-only: it can be diagnosed and planned for, not changed.',
        )
    }
  }

  /** What a remote PC said at the start of its session, in plain words (null for a PC that is not remote, or before any round trip). */
  function remotePreflight(ref: MachineRef): string[] | null {
    // Not loaded yet: no session was opened, so nothing was said.
    if (!isRemote(ref) || !remote) return null
    const host = hostFor(ref)
    const facts = host instanceof remote.m.RemoteHost ? host.preflightFacts() : null
    return facts ? remote.m.describePreflight(host.info().title, facts) : null
  }

  async function scan(
    ref: MachineRef,
    opts: { signal?: AbortSignal; onProbeDone?: (id: string, done: number, total: number) => void } = {},
  ): Promise<MachineSnapshot> {
    if (ref.kind === 'snapshot') return snapshotById(ref.id)
    if (isRemote(ref)) await loadRemote()
    const host = hostFor(ref)
    const snapshot = await scanMachine(host, { signal: opts.signal, appVersion, onProbeDone: opts.onProbeDone })
    // A remote PC that refused the session gives no facts, only the reason (named, with its fix).
    if (remote && host instanceof remote.m.RemoteHost && host.lastFailure)
      throw new AppError('unsupported', new remote.m.RemoteHostError(host.lastFailure).message)
    return snapshot
  }

  function snapshotById(id: string): MachineSnapshot {
    const s = snapshots.get(id)
    if (!s) throw new AppError('not-found', `No imported snapshot with id '${id}'. Import it again.`)
    return s
  }

  /** A snapshot opened this session, kept under a new id. */
  function keep(snapshot: MachineSnapshot): { id: string; snapshot: MachineSnapshot } {
    const id = randomUUID().replace(/-/g, '').slice(0, 16)
    snapshots.set(id, snapshot)
    return { id, snapshot }
  }

  async function loadSnapshotFile(path: string): Promise<{ id: string; snapshot: MachineSnapshot }> {
    // Its size first: a file over the limit (or a device) is refused before a byte is read. The bounded reader is
    // imported here: in the CLI's bundle it shares a chunk with analyze's start, which a machine's diagnosis never needs.
    const { readInputOrRefuse } = await import('./bounded-input.ts')
    return importSnapshotBytes(readInputOrRefuse(path, 'snapshot'))
  }

  /** A snapshot file's bytes: the collector's zip, or the schema-versioned JSON of `scan --out FILE.json`. */
  async function importSnapshotBytes(content: Buffer): Promise<{ id: string; snapshot: MachineSnapshot }> {
    // The collector file's reader and its schema load for a zip only.
    const { looksLikeZip } = await import('./collector/archive.ts')
    if (looksLikeZip(content)) return importCollectorFile(content)
    const { parseSnapshotJson } = await import('./machine/snapshot-json.ts')
    return keep(parseSnapshotJson(content.toString('utf8').replace(/^\uFEFF/, '')))
  }

  /**
   * Opens a collector file (a zip: main/collector) as a read-only machine: the app's own probes run on what it
   * recorded, so its facts are derived exactly as a live PC's; its logs are read by the diagnosis.
   */
  async function importCollectorFile(content: Buffer): Promise<{ id: string; snapshot: MachineSnapshot }> {
    const [{ readCollectorArchive, CollectorArchiveError }, { SnapshotHost }] = await Promise.all([
      import('./collector/archive.ts'),
      import('./collector/snapshot-host.ts'),
    ])
    let host: SnapshotHost
    try {
      host = new SnapshotHost(readCollectorArchive(content))
    } catch (err) {
      if (err instanceof CollectorArchiveError) throw new AppError('invalid-input', err.message)
      throw err
    }
    const taken = host.archive.snapshot
    const scanned = await scanMachine(host, { appVersion: taken.collectorVersion, now: () => new Date(taken.takenAt) })
    const snapshot: MachineSnapshot = {
      ...scanned,
      origin: {
        kind: 'snapshot',
        name: taken.computerName,
        title: `${taken.computerName}, collected ${taken.takenAt}`,
      },
    }
    const kept = keep(snapshot)
    snapshotHosts.set(kept.id, host)
    return kept
  }

  /** The collector file behind a snapshot id, when it came from one (fix packages and rehearsals read it). */
  function snapshotHostById(id: string): SnapshotHost | null {
    return snapshotHosts.get(id) ?? null
  }

  const diagnosis = createDiagnosis({
    scan,
    readLogs: (ref, opts) => readMachineLogs(hostFor(ref), opts),
    runsFor: (ref, name) => readAppRuns(dataDir, ref, name),
    settle: settleRepairs,
    recall: async (ref, remember) => {
      const entries = await readVerdictMemory(dataDir, ref)
      return (findings, timeline) => recallVerdict(dataDir, ref, entries, findings, timeline, { remember })
    },
    readFileLogs: async (ref, opts) => {
      const host = ref.kind === 'snapshot' ? snapshotHosts.get(ref.id) : undefined
      return host ? readMachineLogs(host, opts) : null
    },
    logEventsFor: async (ref) => {
      const host = ref.kind === 'snapshot' ? snapshotHosts.get(ref.id) : undefined
      const json = host ? await readRecordedEvents(host, servicingEventsCommand) : null
      return json
        ? { source: 'Collector file: servicing and Windows Update events (Get-WinEvent, System and Setup logs)', json }
        : null
    },
  })

  // Repairs (main/repair): a same-build repair source is fetched like an install's packages (the training
  // Catalog for a training machine or off Windows; the Microsoft Update Catalog for this PC), hash-verified.
  /**
   * The Fix-it repairs (main/repair), made once by `repairsWith` from the repair service's maker: the composition root
   * passes it (imported with the rest), `loadRepairs` imports it first, so a diagnosis alone loads no repair engine.
   */
  type RepairService = ReturnType<typeof createRepairService>
  let repairs: RepairService | undefined
  const repairsWith = (create: typeof createRepairService): RepairService =>
    (repairs ??= create({
      dataDir,
      scan,
      hostFor,
      diagnose: (req) => diagnosis.diagnose(req),
      ...(options.resumeLaunchers ? { resumeLauncher: options.resumeLaunchers.repair } : {}),
      fetchPackage: (ref) => async (kb, arch, onNote) => {
        // The Catalog's client and the download: loaded by the repair that fetches a source, not by a listing of offers.
        const { fetchPackages } = await import('./install/fetch-packages.ts')
        const files = await fetchPackages({
          dataDir,
          platform,
          appVersion,
          thisPc: ref.kind === 'this-pc' ? hostFor(ref) : null,
          ref,
          kbs: [kb],
          arch: arch as 'x64' | 'arm64' | 'x86',
          onNote,
        })
        const f = files.find((x) => x.kb === kb)
        if (!f) throw new AppError('not-found', `The Catalog lists no ${kb} file for ${arch}.`)
        return { path: f.path, sha1: f.sha1 ?? null, sha256: f.sha256 ?? null }
      },
    }))
  const loadRepairs = async (): Promise<RepairService> =>
    repairs ?? repairsWith((await import('./repair/repair-service.ts')).createRepairService)

  return {
    dataDir,
    platform,
    appVersion,
    trainingStore,
    /** Every snapshot opened this session, by id (the composition root's fix flow reads them). */
    snapshots,
    snapshotHosts,
    keep,
    ...diagnosis,
    diagnosis,
    listTrainingMachines,
    trainingMachineNames,
    defaultMachine,
    hostFor,
    scan,
    remotePreflight,
    remoteWith,
    repairsWith,
    loadRepairs,
    snapshotById,
    loadSnapshotFile,
    importSnapshotBytes,
    snapshotHostById,
  }
}
