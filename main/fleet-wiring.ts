/**
 * The fleet service wired to the single-PC services (one wiring for the CLI's `fleet` commands and the Fleet screen):
 * a collected file diagnosed as opening it on one PC would, a computer collected over the remote transport, a group's
 * repair planned on one of its devices' collected files. node:sqlite loads only when a fleet opens (Node announces it
 * with an ExperimentalWarning, which is kept off stderr here).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Services } from './services.ts'
import type { Fleet } from './fleet/fleet-service.ts'
import type { FleetStore } from './fleet/store.ts'
import type { CollectedProfile } from './fleet/training/fleet-generator.ts'
import type { MachineRef } from '../preload/model/common.ts'
import type { FleetPackage } from './fleet/fix.ts'
import type { CatalogChoice } from './kit/packages-service.ts'

/** `load()` (an import that loads node:sqlite) with Node's SQLite ExperimentalWarning kept off stderr. */
async function withoutSqliteWarning<T>(load: () => Promise<T>): Promise<T> {
  const emit = process.emitWarning
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (/^SQLite is an experimental feature/.test(typeof warning === 'string' ? warning : warning.message)) return
    return (emit as (...a: unknown[]) => void).call(process, warning, ...rest)
  }) as typeof process.emitWarning
  try {
    return await load()
  } finally {
    process.emitWarning = emit
  }
}

export async function loadFleet(): Promise<typeof import('./fleet/fleet-service.ts')> {
  return withoutSqliteWarning(() => import('./fleet/fleet-service.ts'))
}

/**
 * The fleet store alone (`location` absent: the data folder's `fleet/fleet.sqlite`), for what only reads it (the CLI's
 * `fleet groups` and `fleet device`): none of the import, fix or report code, nor the single-PC services, is loaded.
 */
export async function openFleetStore(dataDir: string, location?: string): Promise<FleetStore> {
  const { FleetStore, defaultFleetFile } = await withoutSqliteWarning(() => import('./fleet/store.ts'))
  return new FleetStore(location ?? defaultFleetFile(dataDir))
}

/**
 * The services as the fleet reads them: the data folder and version at once, the single-PC services only when an
 * import diagnoses a file, a computer is collected or a repair is planned (the CLI's `fleet groups` loads none).
 */
export interface FleetServices {
  dataDir: string
  appVersion: string
  load: () => Promise<Services>
}

/**
 * A Catalog file as a fleet remediation fetches it on each device: looked up in the Catalog (search, download dialog),
 * never downloaded here. The Microsoft Update Catalog for a real fleet; the local training Catalog for the training
 * fleet and tests (its one loopback origin then accepted by the script beside Microsoft's file hosts).
 */
export async function catalogPackage(
  kb: string,
  arch: 'x64' | 'arm64' | 'x86',
  catalog: CatalogChoice,
  dataDir: string,
  appVersion: string,
): Promise<FleetPackage | null> {
  const [{ createPackagesService }, { MICROSOFT_FILE_HOSTS, isLoopbackHost }, { signatureCheckerFor }] =
    await Promise.all([
      import('./kit/packages-service.ts'),
      import('./catalog/download-policy.ts'),
      import('./download/signature.ts'),
    ])
  const svc = createPackagesService({
    dataDir,
    toolVersion: appVersion,
    defaultCatalog: catalog,
    // Nothing is downloaded here: the device checks the file against the published hashes.
    signatures: () => signatureCheckerFor(null, 'linux'),
  })
  try {
    const ch = await svc.chain(kb, arch)
    const f =
      ch.files.find((x) => (x.kb ?? '').toUpperCase() === kb.toUpperCase()) ?? ch.files.find((x) => x.role === 'target')
    if (!f) return null
    const u = new URL(f.url)
    const origins = [
      ...MICROSOFT_FILE_HOSTS.map((h) => `https://${h}`),
      ...(isLoopbackHost(u.hostname) ? [u.origin] : []),
    ]
    return { kb, arch, fileName: f.fileName, url: f.url, sha1: f.sha1, sha256: f.sha256, origins }
  } finally {
    await svc.close()
  }
}

/**
 * A fleet on `file` (absent: the data folder's `fleet/fleet.sqlite`). `catalog`: where a remediation's package is looked
 * up (the Microsoft Update Catalog unless said: the training fleet's devices are the local Catalog's).
 */
export async function openFleet(
  services: Services | FleetServices,
  file?: string,
  opts: { catalog?: CatalogChoice } = {},
): Promise<Fleet> {
  const { createFleet } = await loadFleet()
  const s = async (): Promise<Services> => ('load' in services ? services.load() : services)
  return createFleet({
    dataDir: services.dataDir,
    appVersion: services.appVersion,
    file,
    packageOf: (kb, arch) =>
      catalogPackage(kb, arch, opts.catalog ?? 'microsoft', services.dataDir, services.appVersion),
    diagnoseFile: async (zip) => {
      const all = await s()
      const { id, snapshot } = await all.importSnapshotBytes(zip)
      return { snapshot, output: await all.diagnose({ machine: { kind: 'snapshot', id } }) }
    },
    collect: async (computer) => {
      const t = /^training:(.+)$/.exec(computer)
      const ref: MachineRef = t ? { kind: 'training', name: t[1]!, via: 'winrm' } : { kind: 'remote', computer }
      return (await s()).collect(ref)
    },
    planRepair: async (zipPath, repairId) => {
      const all = await s()
      const { id } = await all.loadSnapshotFile(zipPath)
      return all.repairs.planForPc({ kind: 'snapshot', id }, repairId)
    },
  })
}

/**
 * Every training profile collected again after `repairId` ran on each training machine that offers it: the training
 * fleet's devices after their group's fix. Scratch copies of the training machines in a folder of their own (the
 * person's training machines never change); services for training machines only, so no restart of this PC is ever
 * scheduled by them.
 */
export async function trainingAfterRepair(
  repairId: string,
  profiles: readonly string[],
  appVersion: string,
): Promise<Map<string, CollectedProfile>> {
  const [{ collectProfiles }, { createServices }] = await Promise.all([
    import('./fleet/training/fleet-generator.ts'),
    import('./services.ts'),
  ])
  const dir = await mkdtemp(join(tmpdir(), 'sd-fleet-after-'))
  const scratch = createServices({ dataDir: dir, platform: 'linux' })
  // A machine the repair does not help reports as it was (a failed run changes nothing the next collection reads).
  try {
    for (const name of new Set(profiles))
      await scratch.repairs
        .run({ kind: 'training', name }, repairId as Parameters<Services['repairs']['run']>[1])
        .catch(() => null)
    return await collectProfiles(dir, appVersion)
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 })
  }
}
