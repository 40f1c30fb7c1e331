/**
 * Every export admins already have, built from Microsoft's published columns (each fixture's sidecar names the page) and
 * saved as its tool writes it — Windows PowerShell 5.1's Export-Csv with its `#TYPE` first line, ASCII or UTF-16LE,
 * signed decimal HResults, en-US times; the Intune export job's CSV — is read by its columns, and `fleet import` of a
 * folder holding all of them accounts for every row: stored, or set aside with the reason (a deleted alert among them).
 * A table that names no device (ConfigMgr's SMS_UpdateComplianceStatus, Intune's driver update report) is named with its
 * columns and the export that works.
 */
import { describe, expect, it } from 'vitest'
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs'
import { writeZip } from '../../../main/collector/zip.ts'
import { importProgressNotes } from '../../../main/fleet/import-progress.ts'
import { join } from 'node:path'
import { loadFixture, loadFixtureBytes } from '../../fixtures/load.ts'
import { detectKind } from '../../../main/fleet/intake/detect.ts'
import { ALERT_SUBTYPES } from '../../../main/fleet/alert-subtypes.ts'
import { fleetWithServices } from './fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'
import { isoTime } from '../../../main/fleet/intake/common.ts'
import { hangMs } from '../../load.ts'

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'fleet', 'exports')
const FILES = readdirSync(DIR)
  .filter((n) => !n.endsWith('.source'))
  .sort()

/** The data rows of a file as its tool wrote them (no #TYPE line, no header). */
function dataRows(name: string): number {
  const { bytes } = loadFixtureBytes(`fleet/exports/${name}`)
  const text = bytes[0] === 0xff ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8').replace(/^\uFEFF/, '')
  return text.split('\r\n').filter((l) => l && !l.startsWith('#TYPE ')).length - 1
}

describe('the exports admins already have', () => {
  it('each file names its source', () => {
    for (const n of FILES) expect(loadFixtureBytes(`fleet/exports/${n}`).source).toMatch(/learn\.microsoft\.com/)
  })

  it('tells each kind by its columns under a #TYPE line, in ASCII or UTF-16LE', () => {
    const kinds = Object.fromEntries(
      FILES.map((n) => {
        const { bytes } = loadFixtureBytes(`fleet/exports/${n}`)
        return [n, detectKind(bytes[0] === 0xff ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8'))]
      }),
    )
    expect(kinds).toEqual({
      'cmpivot-winevent.csv': 'update-events',
      'intune-driverupdatepolicystatussummary.csv': null,
      'intune-featureupdatedevicestate.csv': 'intune-update-state',
      'intune-qualityupdatedeviceerrorsbypolicy.csv': 'intune-update-errors',
      'intune-qualityupdatedevicestatusbypolicy.csv': 'intune-update-state',
      'sms-updatecompliancestatus-named-ps51.csv': 'update-compliance',
      'sms-updatecompliancestatus-ps51.csv': null,
      'ucclientupdatestatus-ps51.csv': 'update-status',
      'ucdevicealert-ps51.csv': 'alerts',
      'ucserviceupdatestatus-ps51-unicode.csv': 'service-status',
      'winevent-19-20-invoke-command-ps51.csv': 'update-events',
      'wuhistory-computername-ps51.csv': 'wu-history',
    })
  })

  it('reads a WMI time as Get-WmiObject leaves it (DMTF, offset in minutes)', () => {
    expect(isoTime('20261016030511.000000+060')).toBe('2026-10-16T02:05:11.000Z')
    expect(isoTime('20261016030511.123456-300')).toBe('2026-10-16T08:05:11.123Z')
  })

  it('fleet import of a folder of all of them accounts for every row, and names the one it cannot use with the export that works', async () => {
    const dir = await tempDir('sd-fleet-exports-')
    for (const n of FILES) copyFileSync(join(DIR, n), join(dir, n))
    const { fleet } = await fleetWithServices()
    const sum = await fleet.importPath(dir)
    const by = new Map(sum.files.map((f) => [f.file.replace(/^.*[\\/]/, ''), f]))
    const unusable = ['sms-updatecompliancestatus-ps51.csv', 'intune-driverupdatepolicystatussummary.csv']
    for (const n of FILES.filter((x) => !unusable.includes(x))) {
      const f = by.get(n)!
      expect(f.observations + f.rejected, n).toBeGreaterThanOrEqual(dataRows(n))
      expect(
        f.rejected,
        `${n}: ${sum.rejected
          .filter((r) => r.file.endsWith(n))
          .map((r) => r.error)
          .join('; ')}`,
      ).toBe(n === 'ucdevicealert-ps51.csv' ? 1 : 0)
    }
    expect(sum.rejected.find((r) => r.file.endsWith('ucdevicealert-ps51.csv'))!.error).toMatch(/a Deleted alert/)
    const sms = by.get('sms-updatecompliancestatus-ps51.csv')!
    expect(sms.notes.join(' ')).toMatch(
      /columns ArticleID, BulletinID, CI_ID, .*SMS_UpdateComplianceStatus, which names each client only by MachineID.*Select-Object @\{ n = 'Name'; e = \{ \$n\[\[string\]\$_\.MachineID\] \} \}, MachineID, CI_ID/,
    )
    // The export it names, as that command writes it, is read: each client by its name.
    const named = by.get('sms-updatecompliancestatus-named-ps51.csv')!
    expect([named.observations, named.rejected]).toEqual([2, 0])
    // Intune's only driver update export counts devices per policy: named with its columns and the per-device export.
    const drivers = by.get('intune-driverupdatepolicystatussummary.csv')!
    expect(drivers.observations).toBe(0)
    expect(drivers.notes.join(' ')).toMatch(
      /columns CountDevicesCancelledStatus, CountDevicesErrorStatus, .*PolicyName\. It is Intune's driver update report \(DriverUpdatePolicyStatusSummary.*names none.*UCClientUpdateStatus \| where UpdateClassification =~ 'Driver'/,
    )
    // UCClientUpdateStatus's progress rows (a driver's among them) are each device's.
    expect(by.get('ucclientupdatestatus-ps51.csv')!.observations).toBe(3)
    // Each device once, by the name or the Entra id its row gives (an FQDN is its computer name).
    const names = (await fleet.store.allDevices()).map((d) => d.name).sort()
    expect(names).toEqual(
      expect.arrayContaining([
        'LAB-EOS-01',
        '71db1a1a-f1a6-4a25-b88f-79c2f513da02',
        'LAB-CONN-03',
        '71db1a1a-f1a6-4a25-b88f-79c2f513db01',
        'LAB-DISK-01',
        'LAB-CRED-04',
        'LAB-ERR-06',
        'LAB-WRE-07',
        'LAB-LCU-08',
        'LAB-EVT-09',
        'LAB-EVT-10',
        'LAB-CMP-11',
        'LAB-PRG-12',
        'LAB-PRG-13',
        'LAB-DRV-14',
        'LAB-CM-15',
        'LAB-CM-16',
      ]),
    )
    expect(names).not.toContain('LAB-OLD-04')
    await fleet.close()
  })
})

describe("an update alert's own words", () => {
  it("every AlertSubtype and holding ServiceSubstate of Microsoft's enumerated types maps to a cause", () => {
    const lines = loadFixture('fleet/wufb-alert-subtypes.txt').text.split(/\r?\n/).filter(Boolean)
    const alertSubtypes = lines.slice(1, lines.indexOf('ServiceSubstate'))
    const substates = lines.slice(lines.indexOf('ServiceSubstate') + 1)
    expect(alertSubtypes).toHaveLength(37)
    for (const s of alertSubtypes) expect(ALERT_SUBTYPES[s]?.cause, s).toMatch(/^[a-z0-9-]+$/)
    // The service substates that hold an update back are causes (held: nothing on the device to fix); Scheduled and OfferReady are progress.
    for (const s of substates.filter((x) => !['Scheduled', 'OfferReady'].includes(x)))
      expect(ALERT_SUBTYPES[s]?.held, s).toBe(true)
    for (const s of ['Scheduled', 'OfferReady']) expect(ALERT_SUBTYPES[s]).toBeUndefined()
  })
})

describe('what a folder or a file is, told by its contents', () => {
  it('an export .zip inside a folder of collected files is read as the export it holds (was: "not from the collector")', async () => {
    const dir = await tempDir('sd-fleet-zipfolder-')
    const csv = loadFixtureBytes('fleet/exports/intune-featureupdatedevicestate.csv').bytes
    writeFileSync(
      join(dir, 'FeatureUpdateDeviceState.zip'),
      writeZip([{ name: 'FeatureUpdateDeviceState_2026-11-21.csv', data: csv }]),
    )
    const { fleet } = await fleetWithServices()
    const sum = await fleet.importPath(dir)
    expect(sum.rejected).toEqual([])
    const f = sum.files.find((x) => x.file.endsWith('FeatureUpdateDeviceState.zip'))!
    expect(f).toMatchObject({ kind: 'intune-report', rejected: 0 })
    expect(f.notes.join(' ')).toMatch(/Read FeatureUpdateDeviceState_2026-11-21\.csv from the \.zip/)
    expect((await fleet.store.device('LAB-DISK-01'))!.cause).toBe('disk-full')
    await fleet.close()
  })

  it('a list of computer names is reached without --kind computers', { timeout: hangMs(120_000) }, async () => {
    const dir = await tempDir('sd-fleet-list-')
    const list = join(dir, 'computers.txt')
    writeFileSync(list, '# the lab\r\ntraining:x64-healthy\r\n')
    const { fleet } = await fleetWithServices()
    const sum = await fleet.importPath(list)
    expect(sum.rejected).toEqual([])
    expect(sum.devices).toBe(1)
    await fleet.close()
  })
})

describe('progress of a long import', () => {
  it('says nothing in the first 2 s, then the file and rows read at most every 2 s, then that the states are being worked out', () => {
    let t = 0
    const lines: string[] = []
    const on = importProgressNotes(
      (l) => lines.push(l),
      () => t,
    )
    on({ phase: 'rows', file: '/x/alerts.csv', rows: 1000 })
    t = 2100
    on({ phase: 'rows', file: '/x/alerts.csv', rows: 40000 })
    t = 3000
    on({ phase: 'rows', file: '/x/alerts.csv', rows: 60000 })
    t = 4200
    on({ phase: 'rows', file: '/x/alerts.csv', rows: 90000 })
    t = 4300
    on({ phase: 'states', file: '/x', rows: 0 })
    expect(lines).toEqual([
      'Importing alerts.csv: 40,000 rows read (2 s)',
      'Importing alerts.csv: 90,000 rows read (4 s)',
      "Working out each device's state from what was imported (4 s)…",
    ])
  })
  it('fleet import hands its progress over as it reads: rows of each file, then the states', async () => {
    const seen: string[] = []
    const { fleet } = await fleetWithServices()
    await fleet.importPath(join(DIR, 'wuhistory-computername-ps51.csv'), {
      onProgress: (p) => seen.push(`${p.phase} ${p.rows}`),
    })
    expect(seen).toEqual(['rows 3', 'states 0'])
    await fleet.close()
  })
})
