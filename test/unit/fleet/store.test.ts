/** The fleet store: its schema version and migration, one device per PC whatever names it, states from evidence. */
import { describe, it, expect } from 'vitest'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { FleetStore, FLEET_SCHEMA_VERSION } from '../../../main/fleet/store.ts'
import type { Observation } from '../../../preload/model/fleet.ts'
import { readCollectorLines } from '../../../main/fleet/intake/collector-lines.ts'
import { tempDirSync } from '../temp-dirs.ts'

const obs = (name: string, over: Partial<Observation>): Observation => ({
  device: { name, aadId: null, intuneId: null }, source: 'uc-update-alert', at: '2026-11-20T08:00:00.000Z', kind: 'alert', line: null, codes: [], status: 'active', file: null, detail: '', ...over,
})

describe('the fleet store file', () => {
  it('is created at the current schema version in WAL mode, and opened again with its data', () => {
    const file = join(tempDirSync('sd-fleet-store-'), 'fleet.sqlite')
    const a = new FleetStore(file)
    expect(a.schemaVersion()).toBe(FLEET_SCHEMA_VERSION)
    expect((a.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal')
    a.addObservations([obs('PC-1', { codes: ['0x80073712'] })], { file: 'x', kind: 'alerts', rejected: [] })
    a.close()
    const b = new FleetStore(file)
    expect(b.db.prepare('SELECT count(*) AS n FROM observations').get()).toEqual({ n: 1 })
    b.close()
  })
  it('refuses a file written by a newer version instead of guessing', () => {
    const file = join(tempDirSync('sd-fleet-store-'), 'fleet.sqlite')
    const db = new DatabaseSync(file)
    db.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES('schema_version', '99')")
    db.close()
    expect(() => new FleetStore(file)).toThrow(/schema version 99; this app reads up to 1/)
  })
})

describe('devices', () => {
  it('are one device when their Entra id matches, whatever name each source used', () => {
    const s = new FleetStore(':memory:')
    s.addObservations([obs('PC-1', { device: { name: 'PC-1', aadId: 'aa', intuneId: null } })], { file: 'a', kind: 'alerts', rejected: [] })
    s.addObservations([obs('pc-1.contoso.com', { device: { name: 'pc-1.contoso.com', aadId: 'aa', intuneId: 'ii' }, at: '2026-11-21T08:00:00.000Z' })], { file: 'b', kind: 'alerts', rejected: [] })
    s.addObservations([obs('other', { device: { name: 'other', aadId: null, intuneId: 'ii' }, at: '2026-11-22T08:00:00.000Z' })], { file: 'c', kind: 'alerts', rejected: [] })
    expect(s.db.prepare('SELECT name, aad_id, intune_id FROM devices').all()).toEqual([{ name: 'PC-1', aad_id: 'aa', intune_id: 'ii' }])
    s.close()
  })
  it('known only by alerts are diagnosed from the codes of their active alerts; a resolved alert clears its code', () => {
    const s = new FleetStore(':memory:')
    s.addObservations([
      obs('PC-1', { codes: ['0x80073712'], at: '2026-11-20T08:00:00.000Z' }),
      obs('PC-2', { codes: ['0x80073712'], at: '2026-11-20T08:00:00.000Z' }),
      obs('PC-2', { codes: ['0x80073712'], status: 'resolved', at: '2026-11-22T08:00:00.000Z' }),
    ], { file: 'a', kind: 'alerts', rejected: [] })
    s.refresh()
    expect(s.device('PC-1')).toMatchObject({ cause: 'component-store-corruption', state: 'failing', basis: 'update alerts' })
    expect(s.device('PC-2')).toMatchObject({ state: 'not-reported' })
    s.close()
  })
  it('follow their newest line: a later line without the failure makes the device healthy', () => {
    const s = new FleetStore(':memory:')
    const r = readCollectorLines([
      'SDC1 host=PC-1 taken=2026-11-20T08:00:00.000Z build=26200.8117 arch=ARM64 winre=disabled codes= file=C:\\x.zip',
      'SDC1 host=PC-1 taken=2026-11-23T08:00:00.000Z build=26200.8117 arch=ARM64 winre=enabled codes= file=C:\\x.zip',
      'SDC1 host=PC-2 taken=2026-11-20T08:00:00.000Z build=26200.8117 arch=ARM64 winre=disabled codes= file=C:\\x.zip',
    ].join('\n'))
    s.addObservations(r.observations, { file: 'l', kind: r.kind, rejected: [] })
    expect(s.refresh()).toEqual({ devices: 2, diagnoses: 2 })
    expect(s.device('PC-1')).toMatchObject({ cause: 'none', state: 'healthy', since: '2026-11-23T08:00:00.000Z', arch: 'ARM64', build: '26200.8117' })
    expect(s.groups().map((g) => [g.cause, g.count, g.failing])).toEqual([['winre-disabled', 1, 1], ['none', 1, 0]])
    s.close()
  })
  it('known only by alerts are proven fixed by their alert resolved after the fix, not by one resolved before', () => {
    const s = new FleetStore(':memory:')
    const add = (o: Observation[]) => { s.addObservations(o, { file: 'a', kind: 'alerts', rejected: [] }); s.refresh() }
    add([obs('PC-1', { codes: ['0x80073712'] }), obs('PC-2', { codes: ['0x80073712'] })])
    s.recordFix('component-store-corruption', 'out', ['0x80073712'], '2026-11-21T00:00:00.000Z')
    add([obs('PC-1', { codes: ['0x80073712'], status: 'resolved', at: '2026-11-20T12:00:00.000Z' })])
    expect(s.device('PC-1')).toMatchObject({ state: 'awaiting-report', cause: 'component-store-corruption' })
    add([obs('PC-1', { codes: ['0x80073712'], status: 'resolved', at: '2026-11-22T09:30:00.000Z' })])
    expect(s.device('PC-1')).toMatchObject({ state: 'fixed', fixedAt: '2026-11-22T09:30:00.000Z' })
    expect(s.groups().find((g) => g.cause === 'component-store-corruption')).toMatchObject({ count: 2, fixed: 1, notReported: 1, failing: 0 })
    s.close()
  })
})
