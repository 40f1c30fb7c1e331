/** The training fleet and a fleet service wired to the single-PC services, for the fleet tests. */
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { createFleet } from '../../../main/fleet/fleet-service.ts'
import { collectProfiles, type CollectedProfile } from '../../../main/fleet/training/fleet-generator.ts'
import { tempDir } from '../temp-dirs.ts'
import { catalogPackage } from '../../../main/fleet-wiring.ts'

let profiles: Promise<Map<string, CollectedProfile>> | null = null

/** Each training profile collected once per test file. */
export function collectedProfiles(): Promise<Map<string, CollectedProfile>> {
  profiles ??= tempDir('sd-fleet-profiles-').then((d) => collectProfiles(d))
  return profiles
}

/** A fleet service on the given store (a SQLite file or a connection string; by default the data folder's file). */
export async function fleetWithServices(store?: string, opts: { catalogUrl?: string } = {}) {
  const home = await tempDir('sd-fleet-home-')
  const s = createServices({ dataDir: home, platform: 'linux' })
  const fleet = createFleet({
    dataDir: home,
    appVersion: s.appVersion,
    file: store,
    diagnoseFile: async (zip) => {
      const { id, snapshot } = await s.importSnapshotBytes(zip)
      return { snapshot, output: await s.diagnose({ machine: { kind: 'snapshot', id } }) }
    },
    collect: async (computer) =>
      s.collect({ kind: 'training', name: computer.replace(/^training:/, ''), via: 'winrm' }),
    // A remediation's package from the local Catalog a test started (never the network); none unless given.
    ...(opts.catalogUrl
      ? {
          packageOf: (kb: string, arch: 'x64' | 'arm64' | 'x86') =>
            catalogPackage(kb, arch, { url: opts.catalogUrl! }, home, s.appVersion),
        }
      : {}),
    planRepair: async (zipPath, repairId) => {
      const { id } = await s.loadSnapshotFile(zipPath)
      return s.repairs.planForPc({ kind: 'snapshot', id }, repairId)
    },
  })
  return { home, services: s, fleet, file: join(home, 'fleet', 'fleet.sqlite') }
}
