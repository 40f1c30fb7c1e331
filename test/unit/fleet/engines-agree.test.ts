/**
 * The same exports imported into a SQLite file and into a PostgreSQL database give the same import summary (every
 * file's rows stored, duplicate, set aside), the same totals, groups and device states: the two engines write their
 * rows differently (PostgreSQL by COPY FROM STDIN, SQLite a multi-row VALUES list), and neither
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
import { hangMs } from '../../load.ts'
import { FleetStore } from '../../../main/fleet/store.ts'
import { copyRow } from '../../../main/fleet/store-db.ts'
import { obs } from './observation.ts'

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
}, hangMs(600_000))

afterAll(async () => {
  await server?.stop()
})

/** Everything an import into a fresh store says and leaves, in a form to compare (no file paths, no times of the import). */
async function importInto(location: string, from = dir) {
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
    const first = await fleet.importPath(from)
    // The alerts again (or the statuses): every row a duplicate.
    const again = await fleet.importPath(join(from, from === dir ? 'ucupdatealert.csv' : 'status.csv'))
    const files = (s: ImportSummary) =>
      s.files
        .map((f) => ({ ...f, file: f.file.slice(from.length) }))
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    return {
      first: {
        ...first,
        files: files(first),
        rejected: first.rejected.map((r) => ({ ...r, file: r.file.slice(from.length) })),
      },
      again: { ...again, files: files(again) },
      totals: await fleet.store.totals(),
      groups: await fleet.store.groups(),
      devices: await fleet.store.allDevices(),
      // The Entra ids the devices were given after they were first known by name (the first and the last written).
      aad:
        from === dir
          ? []
          : [(await fleet.store.device('WS-00000'))?.aadId, (await fleet.store.device('WS-10499'))?.aadId],
    }
  } finally {
    await fleet.close()
  }
}

/** A folder of 10,500 devices' collector lines and an update status each naming them by name and Entra id. */
async function manyDevicesFolder(): Promise<string> {
  const d = await tempDir('sd-fleet-engines-many-')
  const n = 10_500
  const hex = (k: number) => k.toString(16).padStart(12, '0')
  const lines: string[] = []
  const rows: string[][] = []
  for (let k = 0; k < n; k++) {
    const name = `WS-${String(k).padStart(5, '0')}`
    lines.push(
      `SDC1 host=${name} taken=2026-11-2${k % 3}T08:00:00.000Z build=26100.4061 arch=AMD64 winre=${k % 4 ? 'enabled' : 'disabled'} codes=${k % 5 ? '' : '0x800F0922'} file=C:\\x.zip`,
    )
    rows.push([
      '00000000-0000-0000-0000-000000000001',
      '2026/11/20 09:26:03.478 AM',
      `0000abcd-0000-4000-8000-${hex(k)}`,
      '00000000-0000-0000-0000-000000000001',
      'Installing',
      'InstallFailed',
      '2900',
      '2026/11/20 09:00:00.000 AM',
      '',
      name,
      'InstallStart',
      '2700',
      `g:${k}`,
      '10.0.26100.4061',
      '5046617',
      '24H2',
      'WindowsQualityUpdate',
      'Security',
      '',
      'UCClientUpdateStatus',
    ])
  }
  await appendFile(join(d, 'lines.txt'), lines.join('\r\n'))
  await appendFile(join(d, 'status.csv'), csvText([STATUS_COLUMNS, ...rows]))
  return d
}

describe('the same exports on SQLite and on PostgreSQL', () => {
  it('give the same summary counts, totals, groups and device states', { timeout: hangMs(600_000) }, async () => {
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
  })

  it('agree past one statement of rows: 10,500 devices named by their lines, then given their Entra ids', {
    timeout: hangMs(600_000),
  }, async () => {
    const many = await manyDevicesFolder()
    const onSqlite = await importInto(join(await tempDir('sd-fleet-engines-db-'), 'fleet.sqlite'), many)
    const onPostgres = await importInto(await server!.createDatabase(), many)
    expect(onSqlite.devices.length).toBe(10_500)
    expect(onSqlite.first.files.reduce((n, f) => n + f.added, 0)).toBe(21_000)
    expect(onSqlite.again.files[0]!.duplicates).toBe(10_500)
    expect(onSqlite.aad).toEqual(['0000abcd-0000-4000-8000-000000000000', '0000abcd-0000-4000-8000-000000002903'])
    expect(onPostgres.aad).toEqual(onSqlite.aad)
    expect(onPostgres.first).toEqual(onSqlite.first)
    expect(onPostgres.again).toEqual(onSqlite.again)
    expect(onPostgres.totals).toEqual(onSqlite.totals)
    expect(onPostgres.groups).toEqual(onSqlite.groups)
    expect(onPostgres.devices).toEqual(onSqlite.devices)
  })

  it("keep every character of a row's text, and each duplicate once, as PostgreSQL's COPY writes them", {
    timeout: hangMs(120_000),
  }, async () => {
    // Every character COPY's text format gives a meaning (tab, newline, carriage return, backslash, \N, a row `\.`),
    // a NUL-free non-ASCII text, and the same row twice in one batch.
    const awkward = [
      'a\tb',
      'line one\r\nline two',
      'C:\\Windows\\Logs\\CBS',
      '\\N',
      '\\.',
      '\n\\.\n',
      'Größe ✓ 更新',
      '',
    ]
    const rows = awkward.map((detail, i) =>
      obs(`PC-${i}`, { detail, codes: ['0x800F0922'], at: `2026-11-20T08:00:0${i}.000Z` }),
    )
    rows.push(obs('PC-0', { detail: awkward[0]!, codes: ['0x800F0922'], at: '2026-11-20T08:00:00.000Z' }))
    const read = async (location: string) => {
      const store = new FleetStore(location)
      try {
        const session = { batch: 20_000 }
        const added = await store.addObservations(rows, {
          file: 'C:\\exports\\a\tb.csv',
          kind: 'uc-update-alert',
          rejected: [{ row: 3, error: 'a\tbad\nrow', raw: 'x\\y\r\n\\.' }],
          session,
        })
        await store.endImport(session)
        const stored = await store.db.all<{ detail: string; codes: string; name: string }>(
          'SELECT o.detail, o.codes, d.name FROM observations o JOIN devices d ON d.id = o.device_id ORDER BY o.id',
        )
        const rejected = await store.db.all<{ error: string; raw: string }>('SELECT error, raw FROM rejected')
        return { added, stored, rejected }
      } finally {
        await store.close()
      }
    }
    const onSqlite = await read(join(await tempDir('sd-fleet-engines-db-'), 'fleet.sqlite'))
    const onPostgres = await read(await server!.createDatabase())
    expect(onSqlite.stored.map((r) => r.detail)).toEqual(awkward)
    expect(onSqlite.added.duplicates).toBe(1)
    expect(onSqlite.rejected).toEqual([{ error: 'a\tbad\nrow', raw: 'x\\y\r\n\\.' }])
    expect({ ...onPostgres.added, importId: 0 }).toEqual({ ...onSqlite.added, importId: 0 })
    expect(onPostgres.stored).toEqual(onSqlite.stored)
    expect(onPostgres.rejected).toEqual(onSqlite.rejected)
  })
})

describe("COPY's text format (copyRow)", () => {
  it('escapes what would end a field, a row or the data, and writes NULL as \\N', () => {
    expect(copyRow([1, 'a\tb', null, 'x\\y', 'l1\r\nl2', '\\.', '\\N', ''])).toBe(
      '1\ta\\tb\t\\N\tx\\\\y\tl1\\r\\nl2\t\\\\.\t\\\\N\t\n',
    )
  })
})
