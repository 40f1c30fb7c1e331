/**
 * The composition root: builds every service from one Host choice. The Electron app, the CLI and the
 * preview bridge all call these, so none of them holds servicing logic.
 */
import { loadKnowledgeOverlay } from './knowledge/overlay.ts'
import { InputTooLarge, SNAPSHOT_INPUT_MAX, readInputFile } from './bounded-input.ts'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { Host } from './host/host.ts'
import { TrainingHost } from './training/training-host.ts'
import { RemoteHost, RemoteHostError } from './host/remote-host.ts'
import { createRemoteHosts, type RemoteTransportFactory } from './remote-hosts.ts'
import { describePreflight } from './host/remote-preflight.ts'
import { TrainingStore } from './training/store.ts'
import { archiveTrainingRuns } from './training/archive-runs.ts'
import { trainingProfiles, defaultTrainingMachine } from './training/profiles/index.ts'
import { scanMachine } from './machine/scan.ts'
import { judgePackagesWithOs } from './machine/probes/packages.ts'
import { createInstallService } from './install/install-service.ts'
import { createWinreService } from './winre/winre-service.ts'
import { createRepairService } from './repair/repair-service.ts'
import { fetchPackages } from './install/fetch-packages.ts'
import { writeTrainingKit } from './install/training-kit.ts'
import { defaultDataDir } from './data-dir.ts'
import { AppError } from './errors.ts'
import { appVersion } from './app-version.ts'
import { createDiagnosis } from './diagnose/diagnosis-service.ts'
import { readAppRuns } from './report/app-runs.ts'
import { settleRepairs } from './repair/verdict.ts'
import { recallVerdict } from './timeline/verdict-memory.ts'
import type { MachineRef } from '../preload/model/common.ts'
import { CatalogClient } from './catalog/catalog-client.ts'
import type { CatalogSearcher } from './catalog/month-lookup.ts'
import { MachineSnapshotSchema, SNAPSHOT_SCHEMA_VERSION, type MachineSnapshot } from '../preload/model/snapshot.ts'
import type { MachineList } from '../preload/model/training.ts'
import { looksLikeZip, readCollectorArchive, CollectorArchiveError } from './collector/archive.ts'
import { SnapshotHost } from './collector/snapshot-host.ts'
import { collectFromHost } from './collector/collect-from-host.ts'
import { servicingEventsCommand } from './collector/steps.ts'
import { readMachineLogs, readRecordedEvents } from './machine/read-machine-logs.ts'
import {
  trainingFromSnapshot,
  importedName,
  ImportError,
  unmodelledFindings,
} from './machine/training-from-snapshot.ts'
import { createFixFlow } from './fix-package/fix-flow.ts'
import { createFixPackages } from './fix-package/fix-package-service.ts'
import { createMediaService } from './media/media-service.ts'
import { createPcPlans } from './pc-plan/pc-plan-service.ts'

export interface ServicesOptions {
  dataDir?: string
  platform?: NodeJS.Platform
  /** Builds the Host for this PC (WindowsHost). Only given on Windows. */
  thisPcHost?: () => Host
  /** Builds the transport to a PC over PowerShell remoting; absent, the technician's powershell.exe on Windows. */
  remoteTransport?: RemoteTransportFactory
  /** How long a remote Host keeps reconnecting after a lost session or a restart (tests: no delay). */
  remoteReconnect?: { attempts: number; delayMs: number }
  /**
   * How this copy starts itself again after a restart (the RunOnce value) to continue an install plan or a
   * repair on this PC. The Electron app passes its own (main/app/resume-args.ts); absent, the services use
   * the CLI's on Windows under Node, none elsewhere.
   */
  resumeLaunchers?: { install: (planFile: string) => string[]; repair: (repairId: string) => string[] }
  /**
   * The Catalog the whole-PC plan searches for a build known without its KB (or why not, one sentence). Absent: the
   * Microsoft Update Catalog for this PC and a remote one on Windows; none for a training machine (no internet) or a
   * snapshot. Tests give a local Catalog on 127.0.0.1.
   */
  planCatalog?: (ref: MachineRef) => CatalogSearcher | string
}

export type Services = ReturnType<typeof createServices>

export function createServices(options: ServicesOptions = {}) {
  const dataDir = options.dataDir ?? defaultDataDir()
  // Shipped knowledge + the refresh overlay of this data folder (main/knowledge/overlay.ts): one loader.
  const knowledgeOverlay = loadKnowledgeOverlay(dataDir)
  const platform = options.platform ?? process.platform
  const trainingStore = new TrainingStore(dataDir)
  const snapshots = new Map<string, MachineSnapshot>()
  /** Snapshots opened from a collector file: the file as a read-only Host (its commands' answers and its logs). */
  const snapshotHosts = new Map<string, SnapshotHost>()
  let thisPc: Host | null = null
  const remoteHosts = createRemoteHosts({
    dataDir,
    platform,
    trainingStore,
    factory: options.remoteTransport,
    reconnect: options.remoteReconnect,
  })

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
        if (ref.via === 'winrm') return remoteHosts.trainingOverWinrm(ref.name)
        try {
          return new TrainingHost(ref.name, trainingStore)
        } catch (err) {
          throw new AppError('not-found', (err as Error).message)
        }
      case 'remote':
        return remoteHosts.pc(ref.computer, ref.credential)
      case 'snapshot':
        throw new AppError(
          'unsupported',
          'A snapshot from another PC is read-only: it can be diagnosed and planned for, not changed.',
        )
    }
  }

  /** What a remote PC said at the start of its session, in plain words (null for a PC that is not remote, or before any round trip). */
  function remotePreflight(ref: MachineRef): string[] | null {
    if (ref.kind !== 'remote' && !(ref.kind === 'training' && ref.via === 'winrm')) return null
    const host = hostFor(ref)
    const facts = host instanceof RemoteHost ? host.preflightFacts() : null
    return facts ? describePreflight(host.info().title, facts) : null
  }

  async function scan(
    ref: MachineRef,
    opts: { signal?: AbortSignal; onProbeDone?: (id: string, done: number, total: number) => void } = {},
  ): Promise<MachineSnapshot> {
    if (ref.kind === 'snapshot') return snapshotById(ref.id)
    const host = hostFor(ref)
    const snapshot = await scanMachine(host, { signal: opts.signal, appVersion, onProbeDone: opts.onProbeDone })
    // A remote PC that refused the session gives no facts, only the reason (named, with its fix).
    if (host instanceof RemoteHost && host.lastFailure)
      throw new AppError('unsupported', new RemoteHostError(host.lastFailure).message)
    return snapshot
  }

  function snapshotById(id: string): MachineSnapshot {
    const s = snapshots.get(id)
    if (!s) throw new AppError('not-found', `No imported snapshot with id '${id}'. Import it again.`)
    return s
  }

  /** Validates a snapshot exported on another PC and keeps it for this session. */
  function importSnapshot(content: string): { id: string; snapshot: MachineSnapshot } {
    let json: unknown
    try {
      json = JSON.parse(content)
    } catch (err) {
      throw new AppError('invalid-input', `This is not a snapshot file: it is not JSON (${(err as Error).message}).`)
    }
    const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion
    if (version !== SNAPSHOT_SCHEMA_VERSION) {
      throw new AppError(
        'invalid-input',
        version === undefined
          ? 'This is not a snapshot file: it has no schemaVersion. Write one with `servicing-desk scan --out FILE`.'
          : `This snapshot has schema version ${JSON.stringify(version)}; this app reads version ${SNAPSHOT_SCHEMA_VERSION}.`,
      )
    }
    const parsed = MachineSnapshotSchema.safeParse(json)
    if (!parsed.success) {
      const first = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')
      throw new AppError('invalid-input', `This snapshot file is damaged or not from this app: ${first}.`)
    }
    const id = randomUUID().replace(/-/g, '').slice(0, 16)
    // The checkpoint verdict is this app's, from the file's facts (edition included), never the file's own.
    const snapshot: MachineSnapshot = {
      ...parsed.data,
      packages: judgePackagesWithOs(parsed.data.packages, parsed.data.os),
    }
    snapshots.set(id, snapshot)
    return { id, snapshot }
  }

  async function loadSnapshotFile(path: string): Promise<{ id: string; snapshot: MachineSnapshot }> {
    let content: Buffer
    // Its size first: a file over the limit (or a device) is refused before a byte is read.
    try {
      content = readInputFile(path, SNAPSHOT_INPUT_MAX, 'The snapshot file')
    } catch (err) {
      if (err instanceof InputTooLarge) throw new AppError('invalid-input', err.message)
      throw new AppError(
        'not-found',
        `Cannot read the snapshot file '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`,
      )
    }
    return importSnapshotBytes(content)
  }

  /** A snapshot file's bytes: the collector's zip, or the schema-versioned JSON of `scan --out FILE.json`. */
  async function importSnapshotBytes(content: Buffer): Promise<{ id: string; snapshot: MachineSnapshot }> {
    if (looksLikeZip(content)) return importCollectorFile(content)
    return importSnapshot(content.toString('utf8').replace(/^\uFEFF/, ''))
  }

  /**
   * Opens a collector file (a zip: main/collector) as a read-only machine: the app's own probes run on what it
   * recorded, so its facts are derived exactly as a live PC's; its logs are read by the diagnosis.
   */
  async function importCollectorFile(content: Buffer): Promise<{ id: string; snapshot: MachineSnapshot }> {
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
    const id = randomUUID().replace(/-/g, '').slice(0, 16)
    snapshots.set(id, snapshot)
    snapshotHosts.set(id, host)
    return { id, snapshot }
  }

  /** The collector's zip, gathered from a machine the app reaches (`scan --out FILE.zip`): the very file the script writes. */
  async function collect(
    ref: MachineRef,
    opts: { signal?: AbortSignal; onStep?: (i: number, n: number, what: string) => void } = {},
  ): Promise<Buffer> {
    if (ref.kind === 'snapshot')
      throw new AppError('unsupported', 'A snapshot is already a collected file; open the PC itself to collect again.')
    return (await collectFromHost(hostFor(ref), { appVersion, signal: opts.signal, onStep: opts.onStep })).zip
  }

  /**
   * `machines import FILE`: a training machine made from a collector file (main/machine/training-from-snapshot.ts),
   * to rehearse a fix package on a model of that PC. Importing the same PC again replaces it and starts it afresh.
   */
  async function importTrainingMachine(path: string): Promise<{ name: string; title: string; scenario: string }> {
    let content: Buffer
    try {
      content = readInputFile(path, SNAPSHOT_INPUT_MAX, 'The collector file')
    } catch (err) {
      if (err instanceof InputTooLarge) throw new AppError('invalid-input', err.message)
      throw new AppError(
        'not-found',
        `Cannot read the collector file '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`,
      )
    }
    return importTrainingMachineBytes(content)
  }

  async function importTrainingMachineBytes(
    content: Buffer,
  ): Promise<{ name: string; title: string; scenario: string }> {
    return importTrainingMachineFromSnapshot((await importSnapshotBytes(content)).id)
  }

  /** The same, from a collector file already opened (a snapshot id): the app's rehearsal of a fix package. */
  async function importTrainingMachineFromSnapshot(
    id: string,
  ): Promise<{ name: string; title: string; scenario: string; unmodelled: { id: string; lacks: string }[] }> {
    const snapshot = snapshots.get(id)
    const host = snapshotHosts.get(id)
    if (!snapshot)
      throw new AppError(
        'not-found',
        'That snapshot is not open any more (the app restarted since); open the collector file again.',
      )
    if (!host)
      throw new AppError(
        'invalid-input',
        'Only a collector file (a zip) can become a training machine: it carries the logs a model needs.',
      )
    const files = new Map<string, string>()
    for (const f of host.archive.snapshot.files)
      files.set(f.path, host.archive.files.get(f.path.toLowerCase())!.toString('utf8'))
    const findings = (await diagnosis.diagnose({ machine: { kind: 'snapshot', id } })).findings
    let state
    try {
      state = trainingFromSnapshot(snapshot, findings, files, importedName(host.archive.snapshot.computerName))
    } catch (err) {
      if (err instanceof ImportError) throw new AppError('invalid-input', err.message)
      throw err
    }
    trainingStore.saveImported(state)
    archiveTrainingRuns(dataDir, state.name)
    return { name: state.name, title: state.title, scenario: state.scenario, unmodelled: unmodelledFindings(findings) }
  }

  /** The collector file behind a snapshot id, when it came from one (fix packages and rehearsals read it). */
  function snapshotHostById(id: string): SnapshotHost | null {
    return snapshotHosts.get(id) ?? null
  }

  /** Back to the profile; the machine's journals, plans and WinRE repairs move to `<data>/archive/` (archive-runs.ts). */
  function resetTrainingMachine(name: string): { archivedTo: string | null } {
    try {
      trainingStore.reset(name)
    } catch (err) {
      throw new AppError('not-found', (err as Error).message)
    }
    return { archivedTo: archiveTrainingRuns(dataDir, name) }
  }

  const diagnosis = createDiagnosis({
    scan,
    readLogs: (ref, opts) => readMachineLogs(hostFor(ref), opts),
    runsFor: (ref, name) => readAppRuns(dataDir, ref, name),
    settle: settleRepairs,
    recall: (ref, findings, timeline, remember) => recallVerdict(dataDir, ref, findings, timeline, { remember }),
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

  const install = createInstallService({
    dataDir,
    platform,
    appVersion,
    hostFor,
    scan,
    ...(options.resumeLaunchers ? { resumeLauncher: options.resumeLaunchers.install } : {}),
  })

  // WinRE: a training machine's Safe OS file comes from the local Catalog's files when it lists the KB.
  const winre = createWinreService({
    dataDir,
    hostFor,
    scan,
    safeOsPackage: (kb, arch, ref) => {
      if (ref.kind !== 'training') return null
      const f = writeTrainingKit(join(dataDir, 'kits', 'winre', `${kb}-${arch}`), kb, arch).find((p) => p.kb === kb)
      return f
        ? {
            kb,
            fileName: f.fileName,
            path: f.path,
            source: 'local-catalog',
            sha1: f.sha1 ?? null,
            sha256: f.sha256 ?? null,
            sizeBytes: f.sizeBytes ?? null,
          }
        : null
    },
  })

  // Repairs (main/repair): a same-build repair source is fetched like an install's packages (the training
  // Catalog for a training machine or off Windows; the Microsoft Update Catalog for this PC), hash-verified.
  const repairs = createRepairService({
    dataDir,
    scan,
    hostFor,
    diagnose: (req) => diagnosis.diagnose(req),
    ...(options.resumeLaunchers ? { resumeLauncher: options.resumeLaunchers.repair } : {}),
    fetchPackage: (ref) => async (kb, arch, onNote) => {
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
  })

  // One plan for the whole PC ("Make this PC current"): composed from the offers above, run by the same services.
  const pcPlans = createPcPlans({
    dataDir,
    catalogFor:
      options.planCatalog ??
      ((ref) =>
        ref.kind === 'training'
          ? 'The plan did not search the Microsoft Update Catalog: a training machine has no internet.'
          : ref.kind === 'snapshot'
            ? "The plan did not search the Microsoft Update Catalog: a snapshot's plan is read from its file, and its script runs on that PC."
            : platform !== 'win32'
              ? 'The plan did not search the Microsoft Update Catalog: it does so on Windows only.'
              : // The plan is shown on opening the PC: a Catalog that does not answer costs seconds, not minutes.
                new CatalogClient({ attempts: 2, timeoutMs: 15_000 })),
    scan: (ref) => scan(ref),
    diagnose: (req) => diagnosis.diagnose(req),
    hostFor,
    repairs: { offers: (ref) => repairs.offers(ref), run: (ref, id) => repairs.run(ref, id) },
    winre: { report: (ref) => winre.report(ref), repair: (ref, id) => winre.repair(ref, id) },
    install: {
      makePlan: (args) => install.makePlan(args),
      install: (plan, opts) => install.install(plan, opts),
      journals: install.journals,
      damagedRefusal: (ref) => install.damagedRefusal(ref),
    },
  })

  // Fix packages (main/fix-package): the repairs planned for that PC, their same-build sources, the update kit, the collector.
  const fixPackages = createFixPackages({
    dataDir,
    platform,
    appVersion,
    scan: (ref) => scan(ref),
    findings: async (ref) => (await diagnosis.diagnose({ machine: ref })).findings,
    offers: (ref) => repairs.offers(ref),
    planForPc: (ref, id) => repairs.planForPc(ref, id),
    pcPlan: (ref) => pcPlans.plan(ref),
    fetchSource: async (ref, kb, arch) => {
      const files = await fetchPackages({ dataDir, platform, appVersion, thisPc: null, ref, kbs: [kb], arch })
      const f = files.find((x) => x.kb === kb)
      if (!f) throw new AppError('not-found', `The Catalog lists no ${kb} file for ${arch}.`)
      return { path: f.path }
    },
  })

  // The technician's flow for a PC elsewhere: the package built from an opened file, rehearsed on a
  // model of that PC by the same repair, WinRE and install services, and the proof — for the app and the CLI alike.
  const fixFlow = createFixFlow({
    snapshotById: (id) => snapshots.get(id) ?? null,
    diagnose: (req) => diagnosis.diagnose(req),
    buildPackage: (ref, req) => fixPackages.build(ref, req),
    importTrainingMachineFromSnapshot: (id) => importTrainingMachineFromSnapshot(id),
    runRepair: (ref, id) => repairs.run(ref, id),
    repairTitle: async (ref, id) =>
      (await repairs.offers(ref)).offers.find((o) => o.repairId === id)?.title ?? "the package's repair",
    winreReport: (ref) => winre.report(ref),
    winreRepair: (ref, id) => winre.repair(ref, id),
    makePlan: (args) => install.makePlan(args),
    install: (plan) => install.install(plan, {}),
    collect: (ref) => collect(ref),
    importSnapshotBytes: (content) => importSnapshotBytes(content),
  })

  // Installation media: list, scan, plan, and update through the engine (training media for now).
  const media = createMediaService({ dataDir })

  return {
    dataDir,
    platform,
    appVersion,
    fixPackages,
    fixFlow,
    media,
    pcPlans,
    trainingStore,
    knowledgeOverlay,
    ...diagnosis,
    listTrainingMachines,
    defaultMachine,
    hostFor,
    scan,
    remotePreflight,
    install,
    winre,
    repairs,
    snapshotById,
    importSnapshot,
    loadSnapshotFile,
    resetTrainingMachine,
    snapshotHostById,
    collect,
    importSnapshotBytes,
    importTrainingMachine,
    importTrainingMachineBytes,
    importTrainingMachineFromSnapshot,
  }
}
