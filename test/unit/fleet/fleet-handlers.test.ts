/**
 * The Fleet screen's calls through the contract (the handlers the app and the preview serve): a training fleet made
 * and imported, its groups, a window of the device list with search and filters, a device's timeline, a group's fix
 * into a folder main picked, the devices reporting again, and the group's devices proven fixed with the time.
 */
import { describe, it, expect, beforeAll } from 'vitest'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall, type Handlers } from '../../../main/handlers.ts'
import type { CallName, CallOutput } from '../../../preload/contract.ts'
import { tempDir } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

let h: Handlers
async function call<K extends CallName>(name: K, input: unknown): Promise<CallOutput<K>> {
  const r = await invokeCall(h, name, input)
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

beforeAll(async () => {
  h = createHandlers(createServices({ dataDir: await tempDir('sd-fleet-ui-'), platform: 'linux' }))
})

describe("the Fleet screen's calls", () => {
  it('training fleet → groups → fix → devices report again → fixed with the time', {
    timeout: hangMs(600_000),
  }, async () => {
    const progress: string[] = []
    const imp = await invokeCall(
      h,
      'fleetImportTraining',
      { devices: 60, collectedFiles: true, operationId: 'op-t' },
      { emit: (_e, p) => progress.push((p as { label: string }).label) },
    )
    if (!imp.ok) throw new Error(imp.error.message)
    expect(imp.value.devices).toBe(60)
    expect(imp.value.read.map((r) => r.source).sort()).toEqual(['intune-csv', 'snapshots', 'uc-update-alert'])
    expect(progress[0]).toBe('Making the training devices')
    const ov = await call('fleetOverview', { fleet: 'training' })
    expect(ov.devices).toBe(60)
    const esp = ov.groups.find((g) => g.cause === 'esp-full')!
    expect(esp.failing).toBeGreaterThan(0)
    expect(ov.fixes).toEqual([])
    // Your fleet (the CLI's store) is another store: the training fleet is not in it.
    expect((await call('fleetOverview', { fleet: 'yours' })).devices).toBe(0)

    // A window of the list, by name; filters by group and state; a search is a part of the name.
    const all = await call('fleetDevices', { fleet: 'training', offset: 0, limit: 10 })
    expect(all.total).toBe(60)
    expect(all.rows.map((r) => r.name)).toEqual([...all.rows.map((r) => r.name)].sort())
    const page2 = await call('fleetDevices', { fleet: 'training', offset: 10, limit: 10 })
    expect(page2.rows[0]!.name > all.rows[9]!.name).toBe(true)
    const inGroup = await call('fleetDevices', {
      fleet: 'training',
      cause: 'esp-full',
      state: 'failing',
      offset: 0,
      limit: 100,
    })
    expect(inGroup.total).toBe(esp.failing)
    expect(inGroup.rows.every((r) => r.cause === 'esp-full' && r.state === 'failing')).toBe(true)
    const one = inGroup.rows[0]!.name
    expect(
      (await call('fleetDevices', { fleet: 'training', search: one.slice(-3), offset: 0, limit: 100 })).rows.map(
        (r) => r.name,
      ),
    ).toContain(one)
    expect(
      await call('fleetDevices', { fleet: 'training', search: '%', offset: 0, limit: 5 }).catch(
        (e: Error) => e.message,
      ),
    ).toMatch(/letters, digits/)
    expect(
      (await call('fleetDevices', { fleet: 'training', arch: 'arm64', offset: 0, limit: 100 })).rows.every(
        (r) => r.arch === 'arm64',
      ),
    ).toBe(true)

    // One device's timeline: observations with time and source, findings.
    const dev = await call('fleetDevice', { fleet: 'training', name: one })
    expect(dev.state).toBe('failing')
    expect(dev.observations.map((o) => o.source)).toEqual(expect.arrayContaining(['intune-csv', 'snapshot']))
    expect(dev.judgedFrom).toBe('snapshot')
    expect(dev.findings.some((f) => f.id === 'esp-full')).toBe(true)

    // Before a fix, the devices have nothing to report again for.
    expect(await invokeCall(h, 'fleetTrainingReport', { cause: 'esp-full' })).toMatchObject({
      ok: false,
      error: { message: /Build this group’s fix first/ },
    })
    // A folder picked for a kit is not one to write a fix into.
    const kit = await call('pickFolder', { purpose: 'kit-export' })
    expect(
      await invokeCall(h, 'fleetBuildFix', { fleet: 'training', cause: 'esp-full', folder: kit!.handle }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const folder = await call('pickFolder', { purpose: 'fleet-fix' })
    const fix = await call('fleetBuildFix', { fleet: 'training', cause: 'esp-full', folder: folder!.handle })
    expect(fix.devices).toBe(esp.failing)
    expect(fix.files.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'Detect.ps1',
        'Remediate.ps1',
        'intune-remediation.json',
        'ConfigMgr-Fix.ps1',
        'CMPivot.kql',
        'FanOut.ps1',
      ]),
    )
    expect(fix.files.find((f) => f.name === 'Remediate.ps1')!.does).toMatch(/never restarts/)
    expect(existsSync(join(folder!.label, 'Remediate.ps1'))).toBe(true)
    const built = (await call('fleetOverview', { fleet: 'training' })).fixes
    expect(built).toEqual([{ cause: 'esp-full', at: expect.any(String), devices: esp.failing }])
    expect(built[0]!.at >= fix.at).toBe(true)
    // No group of failing devices for the healthy ones.
    expect(
      await invokeCall(h, 'fleetBuildFix', { fleet: 'training', cause: 'none', folder: folder!.handle }),
    ).toMatchObject({ ok: false, error: { message: /No group of failing devices/ } })

    // The devices report again (most of them): those are fixed, with the time; the rest wait for a report.
    const again = await call('fleetTrainingReport', { cause: 'esp-full', share: 0.5 })
    expect(again.read[0]!.observations).toBeGreaterThan(0)
    const after = (await call('fleetOverview', { fleet: 'training' })).groups.find((g) => g.cause === 'esp-full')!
    // Each reported device's EFI partition is freed: the cause is proven gone with the time. A device is fixed only
    // when nothing else is wrong; the training machines still lack the update that failed (their other problem), so
    // the group says so, and why the rest are not proven.
    expect(after.fixed + after.cleared).toBe(again.read[0]!.observations)
    // The rest were sent the fix and have not reported since: still failing on their newest evidence, not "not reported".
    expect(after.fixed + after.cleared + after.failing).toBe(esp.failing)
    expect(after.notReported).toBe(0)
    const reasons = Object.fromEntries(after.why.map((w) => [w.reason, w.devices]))
    expect(reasons).toEqual({
      'not-seen': after.failing,
      ...(after.cleared ? { 'other-problem': after.cleared } : {}),
    })
    const rows = (await call('fleetDevices', { fleet: 'training', cause: 'esp-full', offset: 0, limit: 100 })).rows
    let proven = 0
    for (const r of rows) {
      const d = await call('fleetDevice', { fleet: 'training', name: r.name })
      const left = d.findings.filter((f) => f.state !== 'past' && f.severity !== 'info')
      const f = d.fixes[0]!
      expect(d.fixes.length).toBe(1)
      if (!f.provenAt) {
        expect(f.why).toMatch(/^Not seen since the fix/)
        expect(d.state).not.toBe('fixed')
        continue
      }
      proven++
      expect(f.provenAt > fix.at && f.why === null).toBe(true)
      // Fixed only with no problem left; else still failing with what is left (the EFI partition no longer among it).
      expect(d.state).toBe(left.length ? 'failing' : 'fixed')
      if (d.state === 'fixed') expect(d.fixedAt! > fix.at).toBe(true)
      else expect(left.some((x) => x.id === 'esp-full')).toBe(false)
    }
    expect(proven).toBe(again.read[0]!.observations)
    expect(rows.filter((x) => x.state === 'fixed').length).toBe(after.fixed)

    const report = await call('fleetReport', { fleet: 'training', format: 'csv' })
    expect(report).toMatchObject({ fileName: 'fleet-report.csv', saveStatus: 'unavailable', savedTo: null })
    expect(report.content.split('\r\n').length).toBeGreaterThan(60)
  })

  it('refuses what it was not given right, and says so plainly', async () => {
    expect(await invokeCall(h, 'fleetDevice', { fleet: 'training', name: 'NO-SUCH-PC' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'No device named NO-SUCH-PC in this fleet.' },
    })
    expect(await invokeCall(h, 'fleetImportTraining', { devices: 5000, collectedFiles: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    })
    expect(
      await invokeCall(h, 'fleetBuildFix', {
        fleet: 'training',
        cause: 'esp-full',
        folder: 'fh-AAAAAAAAAAAAAAAAAAAAAA',
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(
      await invokeCall(h, 'fleetDevices', { fleet: 'training', cause: '../x', offset: 0, limit: 5 }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })
})
