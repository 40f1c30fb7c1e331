/**
 * The refresh after an import into an empty store works the device states out from the rows the import kept in memory,
 * not by reading them back; the states are those a refresh reading the store gives, and where the kept rows are not every
 * row of the store (a duplicate set aside, another import between), it reads the store.
 */
import { describe, it, expect } from 'vitest'
import { FleetStore, type ImportSession } from '../../../main/fleet/store.ts'
import type { Observation } from '../../../preload/model/fleet.ts'
import { readCollectorLines } from '../../../main/fleet/intake/collector-lines.ts'
import { fleetEngines } from './fleet-engines.ts'
import { obs } from './observation.ts'

const line = (host: string, at: string, winre: string, codes: string) =>
  `SDC1 host=${host} taken=${at} build=26100.4061 arch=AMD64 winre=${winre} codes=${codes} file=C:\\x.zip`

const engines = fleetEngines()

describe.each(engines)('the refresh after an import on $name', (engine) => {
  /** An import of lines, a collected file, alerts (one resolved later, a hold, two the same time) and statuses, in batches. */
  const importInto = async (s: FleetStore, extra: Observation[] = []) => {
    const lines = readCollectorLines(
      [
        line('PC-01', '2026-11-20T08:00:00.000Z', 'disabled', '0x80073712'),
        line('PC-01', '2026-11-23T08:00:00.000Z', 'enabled', '0x80073712'),
        line('PC-02', '2026-11-20T08:00:00.000Z', 'disabled', ''),
        line('PC-04', '2026-11-20T08:00:00.000Z', 'enabled', ''),
        line('PC-06', '2026-11-20T08:00:00.000Z', 'enabled', '0x800F0922'),
        line('PC-07', '2026-11-20T08:00:00.000Z', 'disabled', '0x80073712'),
      ].join('\n'),
    )
    const session: ImportSession = { batch: 3 }
    await s.addObservations(lines.observations, { file: 'l', kind: lines.kind, rejected: [], session })
    await s.putDiagnosis('snapshot:pc-09', { findings: [] })
    const snap = obs('PC-09', {
      source: 'snapshot',
      kind: 'snapshot',
      status: null,
      line: line('PC-09', '2026-11-21T08:00:00.000Z', 'enabled', ''),
      file: 'C:\\x.zip',
      detail: 'collected by the collector script 1.0',
    })
    await s.addObservations([snap], {
      file: 's',
      kind: 'snapshots',
      rejected: [],
      diagKeys: new Map([[snap, 'snapshot:pc-09']]),
      session,
    })
    await s.addObservations(
      [
        obs('PC-03', { codes: ['0x80073712'] }),
        obs('PC-05', { codes: ['0x800F0922'] }),
        obs('PC-05', { codes: ['0x800F0922'], status: 'resolved', at: '2026-11-22T08:00:00.000Z' }),
        obs('PC-08', { codes: ['0x80070643'] }),
        obs('PC-04', { detail: 'UpdateFailure · SafeguardHold' }),
        obs('PC-01', { codes: ['0x80073712'], at: '2026-11-23T08:00:00.000Z' }),
        obs('PC-01', { codes: ['0x80070643'], at: '2026-11-23T08:00:00.000Z' }),
        obs('PC-10', { source: 'uc-client-update-status', kind: 'status', status: null, detail: 'KB5046617' }),
        ...extra,
      ],
      { file: 'a', kind: 'alerts', rejected: [], session },
    )
    await s.endImport(session)
  }
  const states = async (x: FleetStore) => ({
    device: await x.db.all('SELECT * FROM device_state ORDER BY device_id'),
    causes: await x.db.all('SELECT * FROM device_causes ORDER BY device_id, cause'),
    summary: await x.db.all('SELECT * FROM group_summary ORDER BY cause, state, arch, build, diag_key, why'),
    totals: await x.db.all("SELECT key, value FROM meta WHERE key IN ('device_totals', 'status_only') ORDER BY key"),
  })
  /** Refreshes, counting the statements that read observations' rows back (the evidence and the alerts and statuses). */
  const refreshCounting = async (s: FleetStore) => {
    await s.ready
    const all = s.db.all.bind(s.db)
    let readBack = 0
    s.db.all = (async (sql: string, params?: unknown[]) => {
      if (/FROM observations .*kind IN \('(?:line|alert)/s.test(sql)) readBack++
      return all(sql, params as never)
    }) as typeof s.db.all
    const r = await s.refresh()
    s.db.all = all
    return { r, readBack }
  }

  it('reads no row back, and gives the states a refresh reading the store gives', async () => {
    const where = await engine.location()
    const s = new FleetStore(where)
    await importInto(s)
    const { r, readBack } = await refreshCounting(s)
    expect(r).toEqual({ devices: 10, diagnoses: expect.any(Number) })
    expect(readBack).toBe(0)
    const kept = await states(s)
    expect(kept.causes.length).toBeGreaterThan(10)
    await s.close()
    // The same store refreshed by a store that did not import: it reads the rows back.
    const t = new FleetStore(where, { refreshDevices: 3 })
    const again = await refreshCounting(t)
    expect(again.readBack).toBeGreaterThan(0)
    expect(await states(t)).toEqual(kept)
    await t.close()
  })

  it('reads the store when a row was set aside as a duplicate, another import came between, or there were more rows than it keeps', async () => {
    for (const how of ['duplicate', 'another import', 'more rows'] as const) {
      const where = await engine.location()
      const s = new FleetStore(where, how === 'more rows' ? { keptRows: 5 } : {})
      await importInto(s, how === 'duplicate' ? [obs('PC-03', { codes: ['0x80073712'] })] : [])
      if (how === 'another import') {
        const other = new FleetStore(where)
        await other.addObservations([obs('PC-11', { codes: ['0x80073712'] })], {
          file: 'b',
          kind: 'alerts',
          rejected: [],
        })
        await other.close()
      }
      const { readBack } = await refreshCounting(s)
      expect(readBack, how).toBeGreaterThan(0)
      const got = await states(s)
      await s.close()
      const t = new FleetStore(where)
      await t.refresh()
      expect(await states(t), how).toEqual(got)
      expect((await t.db.all('SELECT device_id FROM device_state')).length, how).toBe(
        how === 'another import' ? 11 : 10,
      )
      await t.close()
    }
  })
})
