/**
 * The composition root: builds every service from one Host choice. The Electron app, the CLI and the
 * preview bridge all call these, so none of them holds servicing logic. The services of one machine (its Host, scan,
 * snapshots, diagnosis and repairs) are machine-services.ts's; the rest is built on them here.
 */
import { loadKnowledgeOverlay } from './knowledge/overlay.ts'
import { readInputOrRefuse } from './bounded-input.ts'
import { join } from 'node:path'
import { archiveTrainingRuns } from './training/archive-runs.ts'
import { createInstallService } from './install/install-service.ts'
import { createWinreService } from './winre/winre-service.ts'
import { fetchPackages } from './install/fetch-packages.ts'
import { writeTrainingKit } from './install/training-kit.ts'
import { defaultDataDir } from './data-dir.ts'
import { AppError } from './errors.ts'
import type { MachineRef } from '../preload/model/common.ts'
import { CatalogClient } from './catalog/catalog-client.ts'
import type { CatalogSearcher } from './catalog/month-lookup.ts'
import type { MachineSnapshot } from '../preload/model/snapshot.ts'
import { collectFromHost } from './collector/collect-from-host.ts'
import { parseSnapshotJson } from './machine/snapshot-json.ts'
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
import { createRepairService } from './repair/repair-service.ts'
import { createMachineServices, type MachineServices, type MachineServicesOptions } from './machine-services.ts'
import { createRemoteHosts } from './remote-hosts.ts'
import { RemoteHost, RemoteHostError } from './host/remote-host.ts'
import { describePreflight } from './host/remote-preflight.ts'

/**
 * The machine services' options (machine-services.ts: the data folder, the platform, this PC's Host, the remote
 * transport, the resume launchers), and the Catalog the whole-PC plan searches for a build known without its KB (or
 * why not, one sentence). Absent: the Microsoft Update Catalog for this PC and a remote one on Windows; none for a
 * training machine (no internet) or a snapshot. Tests give a local Catalog on 127.0.0.1.
 */
export type ServicesOptions = MachineServicesOptions & {
  planCatalog?: (ref: MachineRef) => CatalogSearcher | string
}

export type Services = ReturnType<typeof createServices>

/** `made`: the machine services already made with the same options (the CLI's, for a command that needed those first). */
export function createServices(options: ServicesOptions = {}, made?: MachineServices) {
  const dataDir = made?.dataDir ?? options.dataDir ?? defaultDataDir()
  // Shipped knowledge + the refresh overlay of this data folder (main/knowledge/overlay.ts): one loader.
  const knowledgeOverlay = loadKnowledgeOverlay(dataDir)
  // Every path of the app may reach a remote PC (hostFor is synchronous): its modules are loaded with the rest, and
  // given to machine services made before without them.
  const remote = { createRemoteHosts, RemoteHost, RemoteHostError, describePreflight }
  const machine = made ?? createMachineServices({ ...options, dataDir, remote })
  made?.remoteWith(remote)
  const { platform, appVersion, trainingStore, snapshots, snapshotHosts, diagnosis, hostFor, scan } = machine
  const repairs = machine.repairsWith(createRepairService)

  /** Validates a snapshot exported on another PC and keeps it for this session. */
  function importSnapshot(content: string): { id: string; snapshot: MachineSnapshot } {
    return machine.keep(parseSnapshotJson(content))
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
    return importTrainingMachineBytes(readInputOrRefuse(path, 'collector'))
  }

  async function importTrainingMachineBytes(
    content: Buffer,
  ): Promise<{ name: string; title: string; scenario: string }> {
    return importTrainingMachineFromSnapshot((await machine.importSnapshotBytes(content)).id)
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
    let state: ReturnType<typeof trainingFromSnapshot>
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

  /** Back to the profile; the machine's journals, plans and WinRE repairs move to `<data>/archive/` (archive-runs.ts). */
  function resetTrainingMachine(name: string): { archivedTo: string | null } {
    try {
      trainingStore.reset(name)
    } catch (err) {
      throw new AppError('not-found', (err as Error).message)
    }
    return { archivedTo: archiveTrainingRuns(dataDir, name) }
  }

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
    importSnapshotBytes: (content) => machine.importSnapshotBytes(content),
  })

  // Installation media: list, scan, plan, and update through the engine (training media for now).
  const media = createMediaService({ dataDir })

  return {
    ...machine,
    repairs,
    fixPackages,
    fixFlow,
    media,
    pcPlans,
    knowledgeOverlay,
    install,
    winre,
    importSnapshot,
    resetTrainingMachine,
    collect,
    importTrainingMachine,
    importTrainingMachineBytes,
    importTrainingMachineFromSnapshot,
  }
}
