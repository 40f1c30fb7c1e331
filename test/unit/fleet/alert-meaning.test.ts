/**
 * The alert's meaning is evidence: an update alert's own subtype names the device's cause whatever its ErrorCode
 * (Microsoft's enumerated types; main/fleet/alert-subtypes.ts), a device with any signal is never "Not reported yet",
 * and the newest evidence per cause decides (an alert newer than a device's line adds its cause). Rows as the Log
 * Analytics export writes UCUpdateAlert and UCClientUpdateStatus (the schema pages' columns).
 */
import { describe, it, expect } from 'vitest'
import { copyFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { FleetStore } from '../../../main/fleet/store.ts'
import { readUpdateAlerts, readClientUpdateStatus } from '../../../main/fleet/intake/wufb.ts'
import { readCollectorLines } from '../../../main/fleet/intake/collector-lines.ts'
import { readIntuneCsv } from '../../../main/fleet/intake/intune-csv.ts'
import { csvText } from '../../../main/fleet/intake/csv.ts'
import { UC_ALERT_COLUMNS } from '../../../main/fleet/training/fleet-generator.ts'
import type { IntakeResult } from '../../../preload/model/fleet.ts'
import { fleetWithServices } from './fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'

const T0 = '2026-11-20T08:00:00Z'
const T1 = '2026-11-21T08:00:00Z'
const alert = (name: string, subtype: string, code: string, at = T0, status = 'Active') =>
  Object.fromEntries(
    UC_ALERT_COLUMNS.map((c) => [
      c,
      (
        {
          DeviceName: name,
          AlertId: `${name}-${subtype}`,
          AlertClassification: 'Error',
          AlertType: 'ClientUpdateAlert',
          AlertSubtype: subtype,
          AlertStatus: status,
          ErrorCode: code,
          Description: subtype,
          'StartTime [UTC]': at,
          'ResolvedTime [UTC]': status === 'Resolved' ? at : '',
          Type: 'UCUpdateAlert',
        } as Record<string, string>
      )[c] ?? '',
    ]),
  )
const alerts = (rows: Record<string, string>[]) =>
  readUpdateAlerts(csvText([[...UC_ALERT_COLUMNS], ...rows.map((r) => UC_ALERT_COLUMNS.map((c) => r[c] ?? ''))]))

async function storeWith(...parts: IntakeResult[]) {
  const s = new FleetStore(join(await tempDir('sd-alert-meaning-'), 'fleet.sqlite'))
  await s.ready
  for (const p of parts) {
    expect(p.rejected).toEqual([])
    await s.addObservations(p.observations, { file: 'x', kind: p.kind, rejected: [] })
  }
  return s
}

describe("an alert's subtype names the cause", () => {
  it('puts each device of the round\'s exports where its alert says, not in "Not reported yet", "No servicing problem found" or an unknown code', async () => {
    const s = await storeWith(
      alerts([
        alert('PC-DISK', 'DiskFull', '0x8326CFA2D_C3FD'),
        alert('PC-RESTART', 'RestartIssue', ''),
        alert('PC-USER', 'CancelledByUser', ''),
        alert('PC-SETUPRST', 'InstallSetupRestartRequired', ''),
        alert('PC-CANC', 'InstallCancelled', '0x800704C7'),
        alert('PC-CRED', 'DownloadCredentialsIssue', '0x8024A00B'),
        alert('PC-DISKISSUE', 'DiskIssue', '0x8024A00C'),
        alert('PC-WUSETUP', 'WUSetupError', '0x8024A00D'),
      ]),
    )
    const cause = async (n: string) => {
      const d = (await s.device(n))!
      return [d.cause, d.state]
    }
    expect(await cause('PC-DISK')).toEqual(['disk-full', 'failing'])
    expect(await cause('PC-RESTART')).toEqual(['pending-restart', 'failing'])
    expect(await cause('PC-USER')).toEqual(['update-cancelled', 'failing'])
    expect(await cause('PC-SETUPRST')).toEqual(['pending-restart', 'failing'])
    expect(await cause('PC-CANC')).toEqual(['update-cancelled', 'failing'])
    expect(await cause('PC-CRED')).toEqual(['download-blocked', 'failing'])
    expect(await cause('PC-DISKISSUE')).toEqual(['disk-corruption', 'failing'])
    expect(await cause('PC-WUSETUP')).toEqual(['setup-error', 'failing'])
    // The group carries Microsoft's words for the subtype as its evidence.
    const g = (await s.groups()).find((x) => x.cause === 'disk-full')!
    expect(g.evidence[0]!.excerpt).toMatch(
      /AlertSubtype DiskFull: An operation couldn't be completed because the disk is full\./,
    )
    await s.close()
  })

  it('a resolved subtype alert ends its cause; the newest per subtype decides', async () => {
    const s = await storeWith(
      alerts([
        alert('PC-1', 'DiskFull', '', T0),
        alert('PC-1', 'DiskFull', '', T1, 'Resolved'),
        alert('PC-2', 'DiskFull', '', T1),
        alert('PC-2', 'DiskFull', '', T0, 'Resolved'),
      ]),
    )
    expect((await s.device('PC-1'))!.cause).not.toBe('disk-full')
    expect((await s.device('PC-2'))!.cause).toBe('disk-full')
    await s.close()
  })

  it("an active alert newer than the device's line adds its code's cause (the line said nothing about it)", async () => {
    const line = readCollectorLines(
      `SDC1 host=PC-L taken=2026-11-19T08:00:00.000Z build=26100.4061 arch=AMD64 winre=enabled codes= file=C:\\x.zip`,
    )
    const s = await storeWith(line, alerts([alert('PC-L', 'InstallIssue', '0x80073712', T1)]))
    const d = (await s.device('PC-L'))!
    expect(d.state).toBe('failing')
    expect(d.causes.map((c) => c.cause)).toContain('component-store-corruption')
    await s.close()
  })

  it('a device with any signal is never "Not reported yet": progress, a detection error, an admin\'s own output; installed is no problem', async () => {
    const status = readClientUpdateStatus(
      JSON.stringify([
        {
          DeviceName: 'PC-INST',
          ClientSubstate: 'UpdateInstalled',
          ClientSubstateTime: T1,
          TargetKBNumber: 'KB5068861',
          Type: 'UCClientUpdateStatus',
        },
        {
          DeviceName: 'PC-PROG',
          ClientSubstate: 'InstallStart',
          ClientSubstateTime: T1,
          TargetKBNumber: 'KB5068861',
          Type: 'UCClientUpdateStatus',
        },
      ]),
    )
    const cols = [
      'PolicyId',
      'DeviceId',
      'UserId',
      'InternalVersion',
      'ModifiedTime',
      'PostRemediationDetectionScriptError',
      'PostRemediationDetectionScriptOutput',
      'PreRemediationDetectionScriptError',
      'PreRemediationDetectionScriptOutput',
      'RemediationScriptErrorDetails',
      'RemediationStatus',
      'DeviceName',
      'OSVersion',
      'UPN',
      'UserEmail',
      'UserName',
      'DetectionStatus',
      'UniqueKustoKey',
      'DetectionScriptStatus',
      'RemediationScriptStatus',
    ]
    const row = (v: Record<string, string>) => cols.map((c) => v[c] ?? '')
    const intune = readIntuneCsv(
      csvText([
        cols,
        row({
          DeviceId: 'i-1',
          ModifiedTime: T1,
          PreRemediationDetectionScriptError: 'Access is denied.',
          DeviceName: 'PC-ERR',
          DetectionScriptStatus: 'Failed',
        }),
        row({
          DeviceId: 'i-2',
          ModifiedTime: T1,
          PreRemediationDetectionScriptOutput: 'BitLocker: on',
          DeviceName: 'PC-TEXT',
          DetectionScriptStatus: 'Without issues',
        }),
      ]),
    )
    const s = await storeWith(status, intune)
    expect(await s.device('PC-INST')).toMatchObject({ cause: 'none', state: 'healthy' })
    for (const n of ['PC-PROG', 'PC-ERR', 'PC-TEXT'])
      expect(await s.device(n), n).toMatchObject({ cause: 'reported', state: 'unknown' })
    expect(await s.totals()).toMatchObject({ devices: 4, notReported: 0, reported: 3, healthy: 1 })
    await s.close()
  })

  it("the round's exports, imported as a folder, put each device in the group its own words name", async () => {
    const src = join(import.meta.dirname, '..', '..', 'fixtures', 'fleet', 'exports')
    const dir = await tempDir('sd-alert-exports-')
    for (const n of readdirSync(src).filter((x) => !x.endsWith('.source'))) copyFileSync(join(src, n), join(dir, n))
    const { fleet } = await fleetWithServices()
    await fleet.importPath(dir)
    const of = async (n: string) => {
      const d = (await fleet.store.device(n))!
      return `${d.cause}/${d.state}`
    }
    expect({
      eos: await of('LAB-EOS-01'),
      registration: await of('71db1a1a-f1a6-4a25-b88f-79c2f513da02'),
      connectivity: await of('LAB-CONN-03'),
      hold: await of('71db1a1a-f1a6-4a25-b88f-79c2f513db01'),
      paused: await of('71db1a1a-f1a6-4a25-b88f-79c2f513db02'),
      offered: await of('71db1a1a-f1a6-4a25-b88f-79c2f513db03'),
      disk: await of('LAB-DISK-01'),
      restart: await of('LAB-RST-02'),
      installed: await of('LAB-OK-03'),
      credentials: await of('LAB-CRED-04'),
      cancelled: await of('LAB-CANC-05'),
      history: await of('LAB-LCU-08'),
      event19: await of('LAB-EVT-10'),
    }).toEqual({
      eos: 'end-of-service/failing',
      registration: 'service-registration/failing',
      connectivity: 'insufficient-connectivity/failing',
      hold: 'safeguard-hold/failing',
      paused: 'update-paused/failing',
      offered: 'reported/unknown',
      disk: 'disk-full/failing',
      restart: 'pending-restart/failing',
      installed: 'none/healthy',
      credentials: 'download-blocked/failing',
      cancelled: 'update-cancelled/failing',
      history: 'none/healthy',
      event19: 'none/healthy',
    })
    for (const n of ['LAB-WRE-07', 'LAB-EVT-09', 'LAB-CMP-11', 'LAB-ERR-06'])
      expect((await fleet.store.device(n))!.state, n).toBe('failing')
    await fleet.close()
  })
})

describe('one identity per device', () => {
  it.each([
    ['in one import', true],
    ['across imports', false],
  ])(
    'a device first seen by its Entra id takes the name a later row gives (%s), and stays one device',
    async (_w, together) => {
      const aad = '71db1a1a-f1a6-4a25-b88f-79c2f513dd01'
      const byId = readClientUpdateStatus(
        JSON.stringify([
          {
            AzureADDeviceId: aad,
            ClientSubstate: 'InstallStart',
            ClientSubstateTime: T0,
            Type: 'UCClientUpdateStatus',
          },
        ]),
      )
      const named = alerts([{ ...alert('PC-NAMED', 'DiskFull', '', T1), AzureADDeviceId: aad }])
      const s = together
        ? await storeWith({ ...byId, observations: [...byId.observations, ...named.observations] })
        : await storeWith(byId, named)
      const all = await s.allDevices()
      expect(all.map((d) => [d.name, d.cause])).toEqual([['PC-NAMED', 'disk-full']])
      expect((await s.device(aad))!.name).toBe('PC-NAMED')
      await s.close()
    },
  )
})

describe('a detection output Intune cut at 2,048 characters', () => {
  it('is marked cut, its whole codes kept once, the code cut in two dropped; the device is one device in its groups', async () => {
    const codes = Array.from({ length: 300 }, (_, i) => ['0x800F0922', '0x80073712', '0x8024402C'][i % 3]).join(',')
    const output =
      `Detecting... SDC1 host=PC-CUT taken=2026-11-20T08:00:00.000Z build=26100.4061 arch=AMD64 winre=enabled codes=${codes} file=C:\\ProgramData\\ServicingDesk\\collector\\PC-CUT.zip`.slice(
        0,
        2048,
      )
    expect(output).toMatch(/,0x[0-9A-F]{0,7}$/)
    const cols = [
      'DeviceId',
      'DeviceName',
      'ModifiedTime',
      'PreRemediationDetectionScriptOutput',
      'PostRemediationDetectionScriptOutput',
      'DetectionScriptStatus',
    ]
    const r = readIntuneCsv(csvText([cols, ['i-9', 'PC-CUT', T0, output, '', 'With issues']]))
    expect(r.rejected).toEqual([])
    expect(r.observations).toHaveLength(1)
    const o = r.observations[0]!
    expect(o.codes).toEqual(['0x800F0922', '0x80073712', '0x8024402C'])
    expect(o.detail).toMatch(
      /its output was cut at 2,048 characters \(Intune keeps no more\): codes after the cut are not known/,
    )
    const s = await storeWith(r)
    expect((await s.allDevices()).length).toBe(1)
    expect((await s.groups()).filter((g) => g.count > 0).length).toBeLessThanOrEqual(3)
    await s.close()
  })
})
