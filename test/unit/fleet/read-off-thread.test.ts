/**
 * fleet import reads a large export in a worker thread (parsed on one core while the store writes on the other) and a
 * small one on its own thread. Either way the import must say and leave the same: the same exports read both ways
 * (every file through the worker, then none) give the same summary (stored, duplicate, set aside, skipped, read from a
 * .zip), the same totals, groups and device states, and a refused file the same error.
 */
import { describe, it, expect, beforeAll } from 'vitest'
import { appendFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeTrainingFleet } from '../../../main/fleet/training/write-fleet.ts'
import { csvText } from '../../../main/fleet/intake/csv.ts'
import { writeZip } from '../../../main/collector/zip.ts'
import { createFleet } from '../../../main/fleet/fleet-service.ts'
import { readFileInProcess, readFileOffThread, readWorkerUrl } from '../../../main/fleet/intake/read-off-thread.ts'
import { packPart, unpackPart } from '../../../main/fleet/intake/read-file.ts'
import { collectedProfiles } from './fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'
import { obs } from './observation.ts'
import { loadFixtureBytes } from '../../fixtures/load.ts'
import { READ_AHEAD } from '../../../main/fleet/intake/read-off-thread.ts'

let dir = ''
let zip = ''
let twoCsvZip = ''

beforeAll(async () => {
  dir = await tempDir('sd-fleet-offthread-')
  await writeTrainingFleet(dir, await collectedProfiles(), { devices: 120, seed: 7, alertsPerDevice: 2 })
  // A status row with no device at all (set aside with its line), and a JSON file that is no export (skipped while read).
  await appendFile(
    join(dir, 'status.csv'),
    csvText([
      ['TimeGenerated [UTC]', 'AzureADDeviceId', 'ClientState', 'ClientSubstate', 'DeviceName', 'Type'],
      ['2026/11/20 09:26:03.478 AM', '', 'Installing', 'InstallFailed', 'WS-OFF-1', 'UCClientUpdateStatus'],
      ['2026/11/20 09:26:03.478 AM', '', 'Installing', 'InstallFailed', '', 'UCClientUpdateStatus'],
    ]),
  )
  await writeFile(join(dir, 'odd.json'), '{"x": 1}')
  const other = await tempDir('sd-fleet-offthread-zip-')
  zip = join(other, 'export.zip')
  await writeFile(
    zip,
    writeZip([
      {
        name: 'FeatureUpdateDeviceState_2026-11-21.csv',
        data: loadFixtureBytes('fleet/exports/intune-featureupdatedevicestate.csv').bytes,
      },
    ]),
  )
  twoCsvZip = join(other, 'two.zip')
  await writeFile(
    twoCsvZip,
    writeZip([
      { name: 'a.csv', data: Buffer.from('x\r\n') },
      { name: 'b.csv', data: Buffer.from('y\r\n') },
    ]),
  )
}, hangMs(300_000))

async function importBothWays(path: string, offThreadBytes: number) {
  const home = await tempDir('sd-fleet-offthread-home-')
  const fleet = createFleet({
    dataDir: home,
    file: join(home, 'fleet.sqlite'),
    appVersion: 'test',
    offThreadBytes,
    diagnoseFile: async () => {
      throw new Error('no collected files here')
    },
  })
  try {
    await fleet.ready()
    const sum = await fleet.importPath(path)
    const again = await fleet.importPath(join(dir, 'ucupdatealert.csv'))
    return {
      sum,
      again,
      totals: await fleet.store.totals(),
      groups: await fleet.store.groups(),
      devices: await fleet.store.allDevices(),
    }
  } finally {
    await fleet.close()
  }
}

describe('fleet import reading in a worker thread', () => {
  it('the worker script is found beside the module that starts it', () => {
    expect(readWorkerUrl()).not.toBeNull()
  })

  it('a folder read through the worker says and leaves what the same folder read in-process does', {
    timeout: hangMs(300_000),
  }, async () => {
    const inWorker = await importBothWays(dir, 0)
    const inProcess = await importBothWays(dir, Number.POSITIVE_INFINITY)
    const stored = inWorker.sum.files.reduce((n, f) => n + f.added, 0)
    expect(stored).toBeGreaterThan(300)
    expect(inWorker.sum.rejected.length).toBe(1)
    expect(inWorker.again.files[0]!.duplicates).toBeGreaterThan(0)
    const odd = inWorker.sum.files.find((f) => f.file.endsWith('odd.json'))!
    expect(odd.notes.join(' ')).toMatch(/^Skipped: Cannot tell what odd\.json is/)
    expect(inWorker.sum).toEqual(inProcess.sum)
    expect(inWorker.again).toEqual(inProcess.again)
    expect(inWorker.totals).toEqual(inProcess.totals)
    expect(inWorker.groups).toEqual(inProcess.groups)
    expect(inWorker.devices).toEqual(inProcess.devices)
  })

  it("an export .zip's CSV is read the same way through the worker, and a refused .zip gives the same error", {
    timeout: hangMs(120_000),
  }, async () => {
    const inWorker = await importBothWays(zip, 0)
    const inProcess = await importBothWays(zip, Number.POSITIVE_INFINITY)
    expect(inWorker.sum.files[0]!.notes.join(' ')).toMatch(
      /Read FeatureUpdateDeviceState_2026-11-21\.csv from the \.zip/,
    )
    expect(inWorker.sum).toEqual(inProcess.sum)
    expect(inWorker.devices).toEqual(inProcess.devices)
    const refused = (n: number) =>
      importBothWays(twoCsvZip, n).then(
        () => '',
        (e: Error) => `${e.constructor.name}: ${e.message}`,
      )
    const [a, b] = [await refused(0), await refused(Number.POSITIVE_INFINITY)]
    expect(a).toMatch(/^ExportRefused: two\.zip holds 2 CSV files/)
    expect(a).toBe(b)
  })

  it('a batch crosses the threads as columns and comes back the same observations', () => {
    const part = {
      kind: 'uc-update-alert',
      observations: [
        obs('A', { device: { name: 'A', aadId: 'x', intuneId: null }, codes: ['0x800F0922', '0x80070002'] }),
        obs('B', {
          device: { name: 'B', aadId: null, intuneId: 'y' },
          kind: 'line',
          source: 'collector-line',
          line: 'SDC1 host=B',
          status: null,
          file: 'C:\\x.zip',
          detail: 'd',
        }),
      ],
      rejected: [{ row: 3, error: 'no device', raw: '' }],
      notes: ['n'],
    }
    expect(unpackPart(structuredClone(packPart(part)))).toEqual(part)
  })

  it('the worker waits for the store: no more than its read-ahead of batches is posted before they are taken', {
    timeout: hangMs(120_000),
  }, async () => {
    const d = await tempDir('sd-fleet-offthread-lines-')
    const lines = Array.from(
      { length: (READ_AHEAD + 4) * 1_000 },
      (_, k) =>
        `SDC1 host=WS-${k} taken=2026-11-20T08:00:00.000Z build=26100.4061 arch=AMD64 winre=enabled codes= file=C:\\x.zip`,
    )
    await writeFile(join(d, 'lines.txt'), lines.join('\r\n'))
    const r = readFileOffThread({ file: join(d, 'lines.txt'), inFolder: false, kind: 'lines' })
    const within = (ms: number) => Promise.race([r.next(), new Promise<null>((ok) => setTimeout(() => ok(null), ms))])
    try {
      expect((await r.next()).type).toBe('opened')
      for (let i = 0; i < READ_AHEAD; i++) expect((await r.next()).type).toBe('part')
      // None taken yet: the worker has stopped at its read-ahead.
      expect(await within(1_500)).toBeNull()
      r.ack()
      expect((await r.next()).type).toBe('part')
    } finally {
      await r.close()
    }
    const inProcess = readFileInProcess({ file: join(d, 'lines.txt'), inFolder: false, kind: 'lines' })
    expect((await inProcess.next()).type).toBe('opened')
    expect((await inProcess.next()).type).toBe('part')
    await inProcess.close()
  })
})
