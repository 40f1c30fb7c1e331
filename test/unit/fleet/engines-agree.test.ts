/**
 * The same exports imported into a SQLite file and into a PostgreSQL database give the same import summary (every
 * file's rows stored, duplicate, set aside), the same totals, groups and device states: the two engines write their
 * rows differently (PostgreSQL many rows a round trip from typed arrays, SQLite a multi-row VALUES list), and neither
 * may change what an import says or finds.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { appendFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeTrainingFleet } from '../../../main/fleet/training/write-fleet.ts'
import { csvText } from '../../../main/fleet/intake/csv.ts'
import type { FleetDevice } from '../../../main/fleet/training/fleet-generator.ts'
import { createFleet, type ImportSummary } from '../../../main/fleet/fleet-service.ts'
import { collectedProfiles } from './fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'
import { startPostgres, type PgServer } from './postgres-server.ts'

/** UCClientUpdateStatus' columns (learn.microsoft.com/windows/deployment/update/wufb-reports-schema-ucclientupdatestatus), as the bench writes them. */
const STATUS_COLUMNS = [
  'AzureADTenantId',
  'TimeGenerated [UTC]',
  'AzureADDeviceId',
  'CatalogId',
  'ClientState',
  'ClientSubstate',
  'ClientSubstateRank',
  'ClientSubstateTime [UTC]',
  'DeploymentId',
  'DeviceName',
  'EventDateTime',
  'FurthestClientSubstate',
  'GlobalDeviceId',
  'OSBuild',
  'TargetKBNumber',
  'TargetVersion',
  'UpdateCategory',
  'UpdateClassification',
  'UpdateDisplayName',
  'Type',
]

let dir = ''
let truth: FleetDevice[] = []
let server: PgServer | null = null

beforeAll(async () => {
  server = await startPostgres()
  dir = await tempDir('sd-fleet-engines-')
  truth = (await writeTrainingFleet(dir, await collectedProfiles(), { devices: 240, seed: 11, alertsPerDevice: 2 }))
    .devices
  // An update status per device, naming it by name and Entra id (a device the lines named by name alone gets its Entra
  // id from here: the update of known devices' ids), and one row with no device at all (set aside).
  const rows = truth.map((x, k) => [
    '00000000-0000-0000-0000-000000000001',
    '2026/11/20 09:26:03.478 AM',
    x.aadId ?? '',
    '00000000-0000-0000-0000-000000000001',
    'Installing',
    x.cause === 'none' ? 'UpdateInstalled' : 'InstallFailed',
    x.cause === 'none' ? '3000' : '2900',
    '2026/11/20 09:00:00.000 AM',
    '',
    x.name,
    'InstallStart',
    '2700',
    `g:${9000000 + k}`,
    '10.0.26100.4061',
    '5046617',
    '24H2',
    'WindowsQualityUpdate',
    'Security',
    '',
    'UCClientUpdateStatus',
  ])
  rows.push(['', '2026/11/20 09:26:03.478 AM', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', ''])
  await appendFile(join(dir, 'status.csv'), csvText([STATUS_COLUMNS, ...rows]))
}, 600_000)

afterAll(async () => {
  await server?.stop()
})

/** Everything an import into a fresh store says and leaves, in a form to compare (no file paths, no times of the import). */
async function importInto(location: string) {
  const home = await tempDir('sd-fleet-engines-home-')
  const fleet = createFleet({
    dataDir: home,
    file: location,
    appVersion: 'test',
    diagnoseFile: async () => {
      throw new Error('no collected files here')
    },
  })
  try {
    await fleet.ready()
    const first = await fleet.importPath(dir)
    // The alerts again: every row a duplicate.
    const again = await fleet.importPath(join(dir, 'ucupdatealert.csv'))
    const files = (s: ImportSummary) =>
      s.files
        .map((f) => ({ ...f, file: f.file.slice(dir.length) }))
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    return {
      first: {
        ...first,
        files: files(first),
        rejected: first.rejected.map((r) => ({ ...r, file: r.file.slice(dir.length) })),
      },
      again: { ...again, files: files(again) },
      totals: await fleet.store.totals(),
      groups: await fleet.store.groups(),
      devices: await fleet.store.allDevices(),
    }
  } finally {
    await fleet.close()
  }
}

describe('the same exports on SQLite and on PostgreSQL', () => {
  it('give the same summary counts, totals, groups and device states', async () => {
    const onSqlite = await importInto(join(await tempDir('sd-fleet-engines-db-'), 'fleet.sqlite'))
    const onPostgres = await importInto(await server!.createDatabase())
    // The import did something worth comparing: every device, rows stored, the duplicates and the row set aside counted.
    expect(onSqlite.devices.length).toBe(truth.length)
    expect(onSqlite.first.files.reduce((n, f) => n + f.added, 0)).toBeGreaterThan(3 * truth.length)
    expect(onSqlite.again.files[0]!.duplicates).toBeGreaterThan(0)
    expect(onSqlite.again.files[0]!.added).toBe(0)
    expect(onSqlite.first.rejected.length).toBeGreaterThan(0)
    expect(onSqlite.groups.length).toBeGreaterThan(2)
    expect(onPostgres.first).toEqual(onSqlite.first)
    expect(onPostgres.again).toEqual(onSqlite.again)
    expect(onPostgres.totals).toEqual(onSqlite.totals)
    expect(onPostgres.groups).toEqual(onSqlite.groups)
    expect(onPostgres.devices).toEqual(onSqlite.devices)
  }, 600_000)
})
