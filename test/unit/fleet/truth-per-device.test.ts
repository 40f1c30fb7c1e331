/**
 * The truth per device, on each store engine: a device sits under every cause it has (the groups count
 * problems, the totals devices); it is fixed only when none of its problems is left on evidence newer than the fix;
 * every group that does not prove its devices fixed says why, with the next step. The same through the CLI's
 * `fleet groups`, `fleet device` and `fleet report`.
 */
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FleetStore } from '../../../main/fleet/store.ts'
import { createFleet } from '../../../main/fleet/fleet-service.ts'
import { deviceWindow, fixesOfDevice } from '../../../main/fleet/fleet-view.ts'
import { problems } from '../../../main/fleet/cause.ts'
import { readCollectorLines } from '../../../main/fleet/intake/collector-lines.ts'
import { readUpdateAlerts } from '../../../main/fleet/intake/wufb.ts'
import { csvText } from '../../../main/fleet/intake/csv.ts'
import { UC_ALERT_COLUMNS } from '../../../main/fleet/training/fleet-generator.ts'
import type { Observation } from '../../../preload/model/fleet.ts'
import { fleetEngines } from './fleet-engines.ts'
import { runCliInProcess } from '../cli-in-process.ts'
import { tempDir } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const engines = fleetEngines()
const line = (host: string, at: string, winre: string, codes: string) =>
  `SDC1 host=${host} taken=${at} build=26100.4061 arch=AMD64 winre=${winre} codes=${codes} file=C:\\x.zip`
const T0 = '2026-11-20T08:00:00.000Z'
const FIX = '2026-11-21T00:00:00.000Z'
const T1 = '2026-11-22T08:00:00.000Z'
const T2 = '2026-11-23T08:00:00.000Z'

async function addLines(s: FleetStore, lines: string[]): Promise<void> {
  const r = readCollectorLines(lines.join('\n'))
  expect(r.rejected).toEqual([])
  await s.addObservations(r.observations, { file: 'lines.txt', kind: r.kind, rejected: [] })
}

const status = (name: string, at: string): Observation => ({
  device: { name, aadId: null, intuneId: null },
  source: 'uc-client-update-status',
  at,
  kind: 'status',
  line: null,
  codes: [],
  status: null,
  file: null,
  detail: 'ClientState=Installing',
})

/** No device shown as fixed while its own diagnosis lists a current problem (the check the Fleet screen rests on). */
async function noFixedWithProblems(s: FleetStore): Promise<void> {
  for (const d of await s.allDevices()) {
    if (d.state !== 'fixed') continue
    const v = (await s.device(d.name))!
    expect(
      problems(v.findings).map((f) => f.id),
      `${d.name} is shown fixed`,
    ).toEqual([])
  }
}

describe.each(engines)('the truth per device on $name', (engine) => {
  it('puts a device under every cause, fixes it only when none is left, and says why each group is not proven', {
    timeout: hangMs(120_000),
  }, async () => {
    const s = new FleetStore(await engine.location())
    await s.ready
    // PC-1 has both problems; PC-2 only WinRE off; PC-3 only the component store; PC-4 only WinRE off.
    await addLines(s, [
      line('PC-1', T0, 'disabled', '0x80073712'),
      line('PC-2', T0, 'disabled', ''),
      line('PC-3', T0, 'enabled', '0x80073712'),
      line('PC-4', T0, 'disabled', ''),
    ])
    let groups = await s.groups()
    expect(groups.map((g) => [g.cause, g.count, g.failing])).toEqual([
      ['winre-disabled', 3, 3],
      ['component-store-corruption', 2, 2],
    ])
    expect(await s.totals()).toMatchObject({ devices: 4, failing: 4, fixed: 0, findings: 5 })
    // The share is of the devices (4), not of the problems (5).
    expect(groups[0]!.share).toBe(0.75)
    expect(
      groups.every(
        (g) =>
          g.why.length === 1 &&
          g.why[0]!.reason === 'no-fix' &&
          g.why[0]!.devices === g.count &&
          /fleet fix/.test(g.why[0]!.next),
      ),
    ).toBe(true)
    expect((await s.devicesOf('winre-disabled')).map((d) => d.name)).toEqual(['PC-1', 'PC-2', 'PC-4'])
    expect((await deviceWindow(s.db, { cause: 'winre-disabled' }, 0, 10)).rows.map((r) => [r.name, r.cause])).toEqual([
      ['PC-1', 'component-store-corruption'],
      ['PC-2', 'winre-disabled'],
      ['PC-4', 'winre-disabled'],
    ])

    // The WinRE fix goes to every device failing with it, PC-1 too (its first problem is the component store).
    expect(await s.recordFix('winre-disabled', 'out', [], FIX)).toEqual({ fixId: 1, devices: 3 })
    groups = await s.groups()
    // Building (and recording) the fix deploys nothing: its devices are still failing on their newest evidence, each
    // with its reason (not seen since the fix), never "not reported".
    expect(groups.find((g) => g.cause === 'winre-disabled')).toMatchObject({
      failing: 3,
      notReported: 0,
      why: [{ reason: 'not-seen', devices: 3 }],
    })
    expect(groups.find((g) => g.cause === 'component-store-corruption')!.why).toMatchObject([
      { reason: 'no-fix', devices: 2 },
    ])

    // After the fix: PC-1's WinRE is on but its component store is still damaged (not fixed: cleared, another problem
    // left); PC-2 still has WinRE off (the same report); PC-4 only sent an update status (seen, nothing that shows the cause).
    await addLines(s, [line('PC-1', T1, 'enabled', '0x80073712'), line('PC-2', T1, 'disabled', '')])
    await s.addObservations([status('PC-4', T1)], {
      file: 'status.csv',
      kind: 'uc-client-update-status',
      rejected: [],
    })
    groups = await s.groups()
    const winre = groups.find((g) => g.cause === 'winre-disabled')!
    expect(winre).toMatchObject({ count: 3, failing: 2, fixed: 0, cleared: 1, notReported: 0 })
    expect(winre.why.map((w) => [w.reason, w.devices])).toEqual([
      ['no-report', 1],
      ['other-problem', 1],
      ['still-shows', 1],
    ])
    expect(winre.why.every((w) => w.text.length > 20 && w.next.length > 20)).toBe(true)
    expect(await s.device('PC-1')).toMatchObject({
      state: 'failing',
      cause: 'component-store-corruption',
      fixedAt: null,
    })
    expect((await s.device('PC-1'))!.causes).toMatchObject([
      { cause: 'component-store-corruption', state: 'failing', why: expect.stringMatching(/No fix was built/) },
      { cause: 'winre-disabled', state: 'cleared', fixedAt: T1, why: expect.stringMatching(/another problem/) },
    ])
    expect(await fixesOfDevice(s.db, 'PC-1')).toEqual([
      { cause: 'winre-disabled', at: FIX, proven: true, fixedAt: T1, why: null },
    ])
    expect(await fixesOfDevice(s.db, 'PC-2')).toEqual([
      { cause: 'winre-disabled', at: FIX, proven: false, fixedAt: null, why: 'still-shows' },
    ])
    expect(await s.totals()).toMatchObject({ devices: 4, failing: 3, fixed: 0, awaitingReport: 1 })
    await noFixedWithProblems(s)
    // A device known only by its update status reported (never "not reported"), and its group says what that status tells.
    await s.addObservations([status('PC-9', T1)], {
      file: 'status.csv',
      kind: 'uc-client-update-status',
      rejected: [],
    })
    expect((await s.groups()).find((g) => g.cause === 'reported')!.unknown.join(' ')).toMatch(
      /1 of them sent their update status \(UCClientUpdateStatus\) only: it says where an update is/,
    )

    // PC-1 reports clean: fixed now (its WinRE fix proven at T1 stands; nothing left). A group whose every device
    // was cleared keeps its title from the diagnosis that named it.
    await addLines(s, [line('PC-1', T2, 'enabled', ''), line('PC-3', T2, 'enabled', '')])
    expect(await s.device('PC-1')).toMatchObject({ state: 'fixed', cause: 'winre-disabled', fixedAt: T1 })
    groups = await s.groups()
    expect(groups.find((g) => g.cause === 'winre-disabled')).toMatchObject({ fixed: 1, cleared: 0, failing: 2 })
    expect(groups.find((g) => g.cause === 'component-store-corruption')).toBeUndefined()
    expect(await s.totals()).toMatchObject({
      devices: 5,
      failing: 1,
      fixed: 1,
      healthy: 1,
      awaitingReport: 1,
      notReported: 0,
      reported: 1,
    })
    await noFixedWithProblems(s)
    await s.close()
  })
})

describe('fleet groups, device and report on the command line', () => {
  it('print the devices once, the problems per group, and why a group is not proven with the next step', {
    timeout: hangMs(120_000),
  }, async () => {
    const home = await tempDir('sd-fleet-truth-')
    const store = join(home, 'fleet.sqlite')
    const s = new FleetStore(store)
    await s.ready
    await addLines(s, [line('PC-1', T0, 'disabled', '0x80073712'), line('PC-2', T0, 'disabled', '')])
    await s.recordFix('winre-disabled', 'out', [], FIX)
    await addLines(s, [line('PC-1', T1, 'enabled', '0x80073712')])
    await s.refresh()
    await s.close()
    const groups = await runCliInProcess('fleet', 'groups', '--store', store)
    expect(groups.code).toBe(0)
    expect(groups.out).toContain(
      '2 devices: 1 still failing, 0 fixed (no problem left), 1 fix sent and not proven yet, 0 not reported, 0 with no problem.',
    )
    expect(groups.out).toContain(
      'The groups below hold 3 problems: a device with several problems is in each of its groups.',
    )
    expect(groups.out).toMatch(
      /\[winre-disabled\]\n {2}2 devices \(100\.0%\): 1 still failing, 0 fixed, 1 with this cause gone but another problem left, 0 not reported/,
    )
    expect(groups.out).toMatch(/not proven \(1\): Not seen since the fix: .* Next: Check that the devices are on/)
    expect(groups.out).toMatch(/not proven \(1\): This cause is gone .* Next: See the device's other group/)
    expect(groups.out).toMatch(
      /\[component-store-corruption\][^[]*not proven \(1\): No fix was built .* Next: Build the group's fix \(fleet fix component-store-corruption --out DIR\)/,
    )
    const json = JSON.parse((await runCliInProcess('fleet', 'groups', '--store', store, '--json')).out) as {
      cause: string
      why: { reason: string }[]
    }[]
    expect(json.map((g) => [g.cause, g.why.map((w) => w.reason)])).toEqual([
      ['winre-disabled', ['not-seen', 'other-problem']],
      ['component-store-corruption', ['no-fix']],
    ])
    const dev = await runCliInProcess('fleet', 'device', 'PC-1', '--store', store)
    expect(dev.out).toMatch(/^PC-1: .* — still failing/)
    expect(dev.out).toContain(
      'group [winre-disabled]: this cause gone, another problem left (proof at 2026-11-22T08:00:00.000Z); This cause is gone',
    )
    const html = join(home, 'r.html')
    expect((await runCliInProcess('fleet', 'report', '--store', store, '--out', html)).code).toBe(0)
    const page = readFileSync(html, 'utf8')
    expect(page).toContain('a device with several problems is in each of its groups')
    expect(page).toMatch(/Not proven \(1\): Not seen since the fix/)
    expect(page).toContain('<h2>Proven fixed (0)</h2>')
  })
})

describe("a safeguard hold (UCUpdateAlert AlertSubtype SafeguardHold, Microsoft's enumerated types)", () => {
  /** UCUpdateAlert rows in the portal's CSV columns; a hold has no ErrorCode. */
  const alerts = (rows: Record<string, string>[]) =>
    readUpdateAlerts(csvText([[...UC_ALERT_COLUMNS], ...rows.map((r) => UC_ALERT_COLUMNS.map((c) => r[c] ?? ''))]))
  const hold = (name: string, status: string, at: string) => ({
    DeviceName: name,
    AzureADDeviceId: '',
    AlertId: `hold-${name}`,
    AlertClassification: 'Warning',
    AlertType: 'ServiceUpdateAlert',
    AlertSubtype: 'SafeguardHold',
    AlertStatus: status,
    ErrorCode: '',
    Description: "Update can't be installed due to a known Safeguard Hold.",
    'StartTime [UTC]': at,
    'ResolvedTime [UTC]': status === 'Resolved' ? at : '',
    Type: 'UCUpdateAlert',
  })
  it.each(engines)(
    "is a cause of its own on $name, beside the device's other problems, with an honest remedy, and goes when the hold is resolved",
    async (engine) => {
      const where = await engine.location()
      const s = new FleetStore(where)
      await s.ready
      const a = alerts([
        hold('PC-H1', 'Active', '2026-11-20T08:00:00Z'),
        hold('PC-H2', 'Active', '2026-11-20T08:00:00Z'),
      ])
      expect(a.rejected).toEqual([])
      await s.addObservations(a.observations, { file: 'alerts.csv', kind: a.kind, rejected: [] })
      await addLines(s, [line('PC-H2', T0, 'disabled', '')])
      const groups = await s.groups()
      const g = groups.find((x) => x.cause === 'safeguard-hold')!
      expect(g).toMatchObject({ count: 2, failing: 2, repair: null, codes: [], why: [{ reason: 'held', devices: 2 }] })
      expect(g.title).toMatch(/safeguard hold/)
      expect(g.why[0]!.text).toMatch(/nothing on them to fix/)
      expect(groups.find((x) => x.cause === 'winre-disabled')!.count).toBe(1)
      const one = (await s.device('PC-H1'))!
      expect(one).toMatchObject({ cause: 'safeguard-hold', state: 'failing', basis: 'update alerts' })
      expect(one.findings[0]!.remedies[0]!.text).toMatch(/nothing to repair.*only on test devices/)
      expect(one.findings[0]!.remedies[0]!.commands).toEqual([])
      expect((await s.device('PC-H2'))!.causes.map((c) => c.cause)).toEqual(['safeguard-hold', 'winre-disabled'])
      // No fix is built for a hold.
      const fleet = createFleet({
        dataDir: await tempDir('sd-fleet-hold-'),
        file: where,
        appVersion: 'test',
        diagnoseFile: async () => {
          throw new Error('none')
        },
      })
      await expect(fleet.buildFix('safeguard-hold', await tempDir('sd-fleet-hold-out-'))).rejects.toThrow(
        /Nothing on these devices to fix: Microsoft holds the update back/,
      )
      await fleet.close()
      // Microsoft releases the hold: the alert resolved, the cause is gone.
      const r = alerts([hold('PC-H1', 'Resolved', '2026-11-22T08:00:00Z')])
      await s.addObservations(r.observations, { file: 'alerts2.csv', kind: r.kind, rejected: [] })
      // It reported (the resolved alert): no cause left, and never "not reported".
      expect((await s.device('PC-H1'))!.causes.map((c) => c.cause)).toEqual(['reported'])
      expect((await s.groups()).find((x) => x.cause === 'safeguard-hold')!.count).toBe(1)
      await s.close()
    },
    120_000,
  )
})
