/**
 * The fleet store, on each engine (the SQLite file and a real PostgreSQL server): its schema version and migration,
 * one device per PC whatever names it, states from evidence, proof after a fix; and what each engine refuses.
 */
import { describe, it, expect } from 'vitest'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import pg from 'pg'
import { FleetStore, FLEET_SCHEMA_VERSION, MIGRATIONS } from '../../../main/fleet/store.ts'
import { SqliteFleetDb } from '../../../main/fleet/store-db.ts'
import { redactConnection, explainPostgresError } from '../../../main/fleet/store-postgres.ts'
import type { Observation } from '../../../preload/model/fleet.ts'
import { readCollectorLines } from '../../../main/fleet/intake/collector-lines.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { fleetEngines } from './fleet-engines.ts'
import { obs } from './observation.ts'

const engines = fleetEngines({ tls: true })

describe.each(engines)('the fleet store on $name', (engine) => {
  const open = async (opts?: ConstructorParameters<typeof FleetStore>[1]) => {
    const s = new FleetStore(await engine.location(), opts)
    await s.ready
    return s
  }

  describe('its schema', () => {
    it('is created at the current version, and opened again with its data', async () => {
      const where = await engine.location()
      const a = new FleetStore(where)
      expect(await a.schemaVersion()).toBe(FLEET_SCHEMA_VERSION)
      await a.addObservations([obs('PC-1', { codes: ['0x80073712'] })], { file: 'x', kind: 'alerts', rejected: [] })
      await a.close()
      const b = new FleetStore(where)
      await b.ready
      expect(await b.db.get('SELECT count(*) AS n FROM observations')).toEqual({ n: 1 })
      expect(await b.schemaVersion()).toBe(FLEET_SCHEMA_VERSION)
      await b.close()
    })
    it('is migrated from an older version keeping its data, every step in one transaction', async () => {
      const where = await engine.location()
      const v1 = new FleetStore(where, { migrations: MIGRATIONS.slice(0, 1) })
      await v1.addObservations([obs('PC-1', { codes: ['0x80073712'] })], { file: 'x', kind: 'alerts', rejected: [] })
      // Version 1's states (one row per device, no device_causes table): the next version works each device's causes out again.
      await v1.db.exec(
        "DELETE FROM device_state; INSERT INTO device_state(device_id, cause, state) VALUES(1, 'component-store-corruption', 'failing'); UPDATE meta SET value = '0' WHERE key = 'states_stale'",
      )
      await v1.close()
      // A step that fails (the second statement of the last version) leaves the store at the app's version: the one before it is not kept either.
      const v2 = 'ALTER TABLE devices ADD COLUMN site TEXT'
      const broken = new FleetStore(where, {
        migrations: [...MIGRATIONS, v2, 'CREATE TABLE sites(name TEXT); CREATE TABLE sites(name TEXT)'],
      })
      await expect(broken.ready).rejects.toThrow(/sites/)
      const still = new FleetStore(where, { migrations: MIGRATIONS })
      expect(await still.schemaVersion()).toBe(MIGRATIONS.length)
      await expect(still.db.get('SELECT site FROM devices')).rejects.toThrow()
      expect((await still.groups()).map((g) => [g.cause, g.count, g.failing])).toEqual([
        ['component-store-corruption', 1, 1],
      ])
      expect(await still.db.all('SELECT device_id, cause, state FROM device_causes')).toEqual([
        { device_id: 1, cause: 'component-store-corruption', state: 'failing' },
      ])
      await still.close()
      const later = new FleetStore(where, { migrations: [...MIGRATIONS, v2] })
      expect(await later.schemaVersion()).toBe(MIGRATIONS.length + 1)
      expect(await later.db.all('SELECT name, site FROM devices')).toEqual([{ name: 'PC-1', site: null }])
      await later.close()
    })
    it('refuses a store written by a newer version instead of guessing', async () => {
      const where = await engine.location()
      const newer = new FleetStore(where, { migrations: [...MIGRATIONS, 'CREATE TABLE sites(name TEXT)'] })
      await newer.close()
      const s = new FleetStore(where)
      await expect(s.ready).rejects.toThrow(
        new RegExp(
          `schema version ${MIGRATIONS.length + 1}; this app reads up to ${MIGRATIONS.length}\\. Use a newer Servicing Desk`,
        ),
      )
      await expect(s.groups()).rejects.toThrow(new RegExp(`schema version ${MIGRATIONS.length + 1}`))
    })
  })

  describe('devices', () => {
    it('are one device when their Entra id matches, whatever name each source used', async () => {
      const s = await open()
      await s.addObservations([obs('PC-1', { device: { name: 'PC-1', aadId: 'aa', intuneId: null } })], {
        file: 'a',
        kind: 'alerts',
        rejected: [],
      })
      await s.addObservations(
        [
          obs('pc-1.contoso.com', {
            device: { name: 'pc-1.contoso.com', aadId: 'aa', intuneId: 'ii' },
            at: '2026-11-21T08:00:00.000Z',
          }),
        ],
        { file: 'b', kind: 'alerts', rejected: [] },
      )
      await s.addObservations(
        [obs('other', { device: { name: 'other', aadId: null, intuneId: 'ii' }, at: '2026-11-22T08:00:00.000Z' })],
        { file: 'c', kind: 'alerts', rejected: [] },
      )
      // New devices in one import take the ids the first of their rows gives; the same row twice is kept once.
      const r = await s.addObservations(
        [
          obs('PC-2', {}),
          obs('PC-2', { device: { name: 'PC-2', aadId: 'bb', intuneId: null }, at: '2026-11-21T08:00:00.000Z' }),
          obs('PC-2', {}),
          obs('pc-3', { device: { name: 'pc-3', aadId: 'cc', intuneId: 'jj' } }),
          obs('PC-3', { device: { name: 'PC-3', aadId: 'cc', intuneId: null }, at: '2026-11-21T08:00:00.000Z' }),
        ],
        { file: 'd', kind: 'alerts', rejected: [{ row: 7, error: 'no device name', raw: ',,,' }] },
      )
      expect(r).toMatchObject({ added: 4, duplicates: 1, devices: 2 })
      expect(await s.db.all('SELECT name, aad_id, intune_id FROM devices ORDER BY id')).toEqual([
        { name: 'PC-1', aad_id: 'aa', intune_id: 'ii' },
        { name: 'PC-2', aad_id: 'bb', intune_id: null },
        { name: 'pc-3', aad_id: 'cc', intune_id: 'jj' },
      ])
      expect(await s.rejected()).toEqual([{ import: 'd', row: 7, error: 'no device name', raw: ',,,' }])
      await s.close()
    })
    it('imported in parts inside one open transaction: a write asked for meanwhile waits for it, then works all of it in', async () => {
      const s = await open()
      const session = { batch: 1000 }
      await s.addObservations([obs('PC-1', { codes: ['0x80073712'] })], {
        file: 'a',
        kind: 'alerts',
        rejected: [],
        session,
      })
      // The refresh comes while the import's transaction is open (on SQLite the same connection: its BEGIN would land inside it).
      const refreshed = s.refresh()
      await new Promise((r) => setTimeout(r, 50))
      await s.addObservations([obs('PC-2', { codes: ['0x80073712'] })], {
        file: 'a',
        kind: 'alerts',
        rejected: [],
        session,
      })
      await s.endImport(session)
      expect(await refreshed).toEqual({ devices: 2, diagnoses: 1 })
      expect((await s.groups()).map((g) => [g.cause, g.count, g.failing])).toEqual([
        ['component-store-corruption', 2, 2],
      ])
      await s.close()
    })
    it('known only by alerts are diagnosed from the codes of their active alerts; a resolved alert clears its code (the device reported: never "not reported")', async () => {
      const s = await open()
      await s.addObservations(
        [
          obs('PC-1', { codes: ['0x80073712'], at: '2026-11-20T08:00:00.000Z' }),
          obs('PC-2', { codes: ['0x80073712'], at: '2026-11-20T08:00:00.000Z' }),
          obs('PC-2', { codes: ['0x80073712'], status: 'resolved', at: '2026-11-22T08:00:00.000Z' }),
        ],
        { file: 'a', kind: 'alerts', rejected: [] },
      )
      await s.refresh()
      expect(await s.device('PC-1')).toMatchObject({
        cause: 'component-store-corruption',
        state: 'failing',
        basis: 'update alerts',
      })
      expect(await s.device('PC-2')).toMatchObject({
        cause: 'reported',
        state: 'unknown',
        title: 'Reported, with nothing that names a cause',
      })
      await s.close()
    })
    it('follow their newest line: a later line without the failure makes the device healthy', async () => {
      const s = await open()
      const r = readCollectorLines(
        [
          'SDC1 host=PC-1 taken=2026-11-20T08:00:00.000Z build=26200.8117 arch=ARM64 winre=disabled codes= file=C:\\x.zip',
          'SDC1 host=PC-1 taken=2026-11-23T08:00:00.000Z build=26200.8117 arch=ARM64 winre=enabled codes= file=C:\\x.zip',
          'SDC1 host=PC-2 taken=2026-11-20T08:00:00.000Z build=26200.8117 arch=ARM64 winre=disabled codes= file=C:\\x.zip',
        ].join('\n'),
      )
      await s.addObservations(r.observations, { file: 'l', kind: r.kind, rejected: [] })
      expect(await s.refresh()).toEqual({ devices: 2, diagnoses: 2 })
      expect(await s.device('PC-1')).toMatchObject({
        cause: 'none',
        state: 'healthy',
        since: '2026-11-23T08:00:00.000Z',
        arch: 'ARM64',
        build: '26200.8117',
      })
      expect((await s.device('pc-1'))!.observations.map((o) => o.at)).toEqual([
        '2026-11-20T08:00:00.000Z',
        '2026-11-23T08:00:00.000Z',
      ])
      expect((await s.groups()).map((g) => [g.cause, g.count, g.failing])).toEqual([
        ['winre-disabled', 1, 1],
        ['none', 1, 0],
      ])
      expect(await s.devicesOf('winre-disabled')).toEqual([
        {
          name: 'PC-2',
          state: 'failing',
          since: '2026-11-20T08:00:00.000Z',
          arch: 'ARM64',
          build: '26200.8117',
          fixedAt: null,
        },
      ])
      await s.close()
    })
    it('known only by alerts are proven fixed by their alert resolved after the fix, not by one resolved before', async () => {
      const s = await open()
      const add = async (o: Observation[]) => {
        await s.addObservations(o, { file: 'a', kind: 'alerts', rejected: [] })
        await s.refresh()
      }
      await add([obs('PC-1', { codes: ['0x80073712'] }), obs('PC-2', { codes: ['0x80073712'] })])
      expect(
        await s.recordFix('component-store-corruption', 'out', ['0x80073712'], '2026-11-21T00:00:00.000Z'),
      ).toEqual({ fixId: 1, devices: 2 })
      await add([obs('PC-1', { codes: ['0x80073712'], status: 'resolved', at: '2026-11-20T12:00:00.000Z' })])
      expect(await s.device('PC-1')).toMatchObject({ state: 'awaiting-report', cause: 'component-store-corruption' })
      await add([obs('PC-1', { codes: ['0x80073712'], status: 'resolved', at: '2026-11-22T09:30:00.000Z' })])
      expect(await s.device('PC-1')).toMatchObject({ state: 'fixed', fixedAt: '2026-11-22T09:30:00.000Z' })
      expect((await s.groups()).find((g) => g.cause === 'component-store-corruption')).toMatchObject({
        count: 2,
        fixed: 1,
        // PC-2 was sent the fix and has not reported since: still failing on its newest evidence.
        notReported: 0,
        failing: 1,
      })
      await s.close()
    })
    it('have the same states when refresh() reads their observations a few devices at a time', async () => {
      const where = await engine.location()
      const s = new FleetStore(where)
      const line = (host: string, at: string, winre: string, codes: string) =>
        `SDC1 host=${host} taken=${at} build=26100.4061 arch=AMD64 winre=${winre} codes=${codes} file=C:\\x.zip`
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
      await s.addObservations(lines.observations, { file: 'l', kind: lines.kind, rejected: [] })
      // Devices known by alerts only (PC-03, PC-05, PC-08), one of them with its alert resolved, and a safeguard hold beside a line (PC-04).
      await s.addObservations(
        [
          obs('PC-03', { codes: ['0x80073712'] }),
          obs('PC-05', { codes: ['0x800F0922'] }),
          obs('PC-05', { codes: ['0x800F0922'], status: 'resolved', at: '2026-11-22T08:00:00.000Z' }),
          obs('PC-08', { codes: ['0x80070643'] }),
          obs('PC-04', { detail: 'UpdateFailure · SafeguardHold' }),
          obs('PC-01', { codes: ['0x80073712'] }),
        ],
        { file: 'a', kind: 'alerts', rejected: [] },
      )
      await s.refresh()
      await s.recordFix('winre-disabled', 'out', [], '2026-11-21T00:00:00.000Z')
      await s.recordFix('component-store-corruption', 'out', ['0x80073712'], '2026-11-21T00:00:00.000Z')
      await s.addObservations(
        [obs('PC-03', { codes: ['0x80073712'], status: 'resolved', at: '2026-11-22T09:30:00.000Z' })],
        { file: 'b', kind: 'alerts', rejected: [] },
      )
      const states = async (x: FleetStore) => ({
        device: await x.db.all('SELECT * FROM device_state ORDER BY device_id'),
        causes: await x.db.all('SELECT * FROM device_causes ORDER BY device_id, cause'),
        summary: await x.db.all('SELECT * FROM group_summary ORDER BY cause, state, arch, build, diag_key, why'),
        totals: await x.db.get("SELECT value FROM meta WHERE key = 'device_totals'"),
      })
      expect(await s.refresh()).toEqual({ devices: 8, diagnoses: expect.any(Number) })
      const whole = await states(s)
      expect(whole.causes.length).toBeGreaterThan(8)
      await s.close()
      for (const n of [1, 2, 3, 7]) {
        const t = new FleetStore(where, { refreshDevices: n })
        expect(await t.refresh()).toEqual({ devices: 8, diagnoses: expect.any(Number) })
        expect(await states(t), `${n} devices at a time`).toEqual(whole)
        await t.close()
      }
    })
    it('with the same diagnosis have the same cause rows, and a device held or sent a fix has its own', async () => {
      // Written from each diagnosis' causes by one INSERT … SELECT for devices no fix was sent to (refreshIn's plans):
      // of the devices with the shared diagnosis, the first (PC-01) and the third (PC-03) are held (a safeguard hold) and
      // PC-04 was sent a fix, so their rows are not the others'.
      const s = await open()
      const line = (host: string, winre: string, codes: string) =>
        `SDC1 host=${host} taken=2026-11-20T08:00:00.000Z build=26100.4061 arch=AMD64 winre=${winre} codes=${codes} file=C:\\x.zip`
      const add = async (text: string[]) => {
        const r = readCollectorLines(text.join('\n'))
        await s.addObservations(r.observations, { file: 'l', kind: r.kind, rejected: [] })
      }
      await add([line('PC-04', 'disabled', '0x80073712')])
      await s.refresh()
      expect(await s.recordFix('winre-disabled', 'out', [], '2026-11-19T00:00:00.000Z')).toEqual({
        fixId: 1,
        devices: 1,
      })
      await add([
        line('PC-01', 'disabled', '0x80073712'),
        line('PC-02', 'disabled', '0x80073712'),
        line('PC-03', 'disabled', '0x80073712'),
        line('PC-05', 'enabled', ''),
      ])
      await s.addObservations(
        [
          obs('PC-01', { detail: 'UpdateFailure · SafeguardHold' }),
          obs('PC-03', { detail: 'UpdateFailure · SafeguardHold' }),
          obs('PC-06', { source: 'uc-client-update-status', kind: 'status', status: null, detail: 'KB5046617' }),
        ],
        { file: 'a', kind: 'mixed', rejected: [] },
      )
      expect(await s.refresh()).toEqual({ devices: 6, diagnoses: 2 })
      const key = 'line:26100.4061|AMD64|disabled|0x80073712'
      const rows = await s.db.all<{
        name: string
        cause: string
        state: string
        diag_key: string | null
        fixed_at: string | null
        fix_id: number | string | null
        why: string | null
      }>(
        'SELECT d.name, c.cause, c.state, c.diag_key, c.fixed_at, c.fix_id, c.why FROM device_causes c JOIN devices d ON d.id = c.device_id ORDER BY d.name_key, c.cause',
      )
      const failing = (name: string, cause: string, why = 'no-fix', diagKey: string | null = key) => ({
        name,
        cause,
        state: 'failing',
        diag_key: diagKey,
        fixed_at: null,
        fix_id: null,
        why,
      })
      expect(rows.map((r) => ({ ...r, fix_id: r.fix_id === null ? null : Number(r.fix_id) }))).toEqual([
        failing('PC-01', 'component-store-corruption'),
        failing('PC-01', 'safeguard-hold', 'held', 'hold:safeguard'),
        failing('PC-01', 'winre-disabled', 'not-in-fix'),
        failing('PC-02', 'component-store-corruption'),
        failing('PC-02', 'winre-disabled', 'not-in-fix'),
        failing('PC-03', 'component-store-corruption'),
        failing('PC-03', 'safeguard-hold', 'held', 'hold:safeguard'),
        failing('PC-03', 'winre-disabled', 'not-in-fix'),
        failing('PC-04', 'component-store-corruption'),
        {
          name: 'PC-04',
          cause: 'winre-disabled',
          state: 'failing',
          diag_key: key,
          fixed_at: null,
          fix_id: 1,
          why: 'still-shows',
        },
        {
          name: 'PC-05',
          cause: 'none',
          state: 'healthy',
          diag_key: 'line:26100.4061|AMD64|enabled|',
          fixed_at: null,
          fix_id: null,
          why: null,
        },
        { name: 'PC-06', cause: 'reported', state: 'unknown', diag_key: null, fixed_at: null, fix_id: null, why: null },
      ])
      const groups = new Map(
        (await s.groups()).map((g) => [
          g.cause,
          [g.count, g.failing, g.notReported, g.why.map((w) => `${w.reason} ${w.devices}`)],
        ]),
      )
      expect(Object.fromEntries(groups)).toEqual({
        'component-store-corruption': [4, 4, 0, ['no-fix 4']],
        'winre-disabled': [4, 4, 0, ['not-in-fix 3', 'still-shows 1']],
        'safeguard-hold': [2, 2, 0, ['held 2']],
        reported: [1, 0, 0, []],
        none: [1, 0, 0, []],
      })
      await s.close()
    })
    it('keep every observation in the order given, each value as given, whichever of its columns the statement writes in its text', async () => {
      const s = await open()
      // Rows of every shape one after another, across statements: an alert (no line, file or key), a status, a
      // collected file's row (a file name with a quote and a question mark), a source that is no name of the store's.
      const rows: Observation[] = []
      for (let i = 0; i < 130; i++) {
        const at = `2026-11-20T08:${String(i % 60).padStart(2, '0')}:00.000Z`
        const k = i % 5
        rows.push(
          k === 0
            ? obs(`PC-${i}`, { at, codes: ['0x80073712'], detail: `alert ${i}` })
            : k === 1
              ? obs(`PC-${i}`, {
                  at,
                  source: 'uc-client-update-status',
                  kind: 'status',
                  status: null,
                  detail: `status ${i}`,
                })
              : k === 2
                ? obs(`PC-${i}`, {
                    at,
                    source: 'snapshot',
                    kind: 'snapshot',
                    status: null,
                    file: `C:\\it's ? ${i}.zip`,
                    detail: `file ${i}`,
                  })
                : k === 3
                  ? obs(`PC-${i}`, { at, source: "o'brien ? export" as Observation['source'], detail: `other ${i}` })
                  : obs(`PC-${i - 4}`, {
                      at: `2026-11-20T08:${String((i - 4) % 60).padStart(2, '0')}:00.000Z`,
                      codes: ['0x80073712'],
                      detail: `again ${i}`,
                    }),
        )
      }
      const r = await s.addObservations(rows, { file: 'x', kind: 'mixed', rejected: [] })
      // The fifth of each five repeats the first (its device, time, source, kind, codes and status): kept once, the first.
      expect(r).toMatchObject({ added: 104, duplicates: 26 })
      const kept = rows.filter((_, i) => i % 5 !== 4)
      expect(
        await s.db.all(
          'SELECT d.name, o.source, o.kind, o.at, o.line, o.codes, o.status, o.file, o.detail, o.diag_key FROM observations o JOIN devices d ON d.id = o.device_id ORDER BY o.id',
        ),
      ).toEqual(
        kept.map((o) => ({
          name: o.device.name,
          source: o.source,
          kind: o.kind,
          at: o.at,
          line: o.line,
          codes: o.codes.join(','),
          status: o.status ?? '',
          file: o.file,
          detail: o.detail,
          diag_key: null,
        })),
      )
      await s.close()
    })
    it('keep a value that reads as a word of SQL (null, NULL) as that text, beside rows where the column is NULL', async () => {
      // Statements of three rows each that differ only there: without a line or file, then the words "null", then "NULL".
      const s = await open()
      const rows = [
        ...[1, 2, 3].map((i) => obs(`PC-${i}`, { codes: ['0x80073712'], detail: `a ${i}` })),
        ...[4, 5, 6].map((i) =>
          obs(`PC-${i}`, { codes: ['0x80073712'], line: 'null', file: 'null', detail: `b ${i}` }),
        ),
        ...[7, 8, 9].map((i) =>
          obs(`PC-${i}`, { codes: ['0x80073712'], line: 'NULL', file: 'NULL', detail: `c ${i}` }),
        ),
      ]
      await s.addObservations(rows, { file: 'x', kind: 'alerts', rejected: [] })
      expect(
        await s.db.all(
          'SELECT d.name, o.line, o.file FROM observations o JOIN devices d ON d.id = o.device_id ORDER BY o.id',
        ),
      ).toEqual(rows.map((o) => ({ name: o.device.name, line: o.line, file: o.file })))
      await s.close()
    })
    it('are ordered by name byte by byte, as on the other engine', async () => {
      const s = await open()
      await s.addObservations(
        ['pc-b', 'PC-10', 'PC-1', 'Pc_2', 'PC 3'].map((n) => obs(n, { codes: ['0x80073712'] })),
        { file: 'a', kind: 'alerts', rejected: [] },
      )
      await s.refresh()
      expect((await s.allDevices()).map((d) => d.name)).toEqual(
        ['PC 3', 'PC-1', 'PC-10', 'PC-B', 'PC_2'].map((k) =>
          ['pc-b', 'PC-10', 'PC-1', 'Pc_2', 'PC 3'].find((n) => n.toUpperCase() === k),
        ),
      )
      await s.close()
    })
  })
})

describe('the SQLite file', () => {
  it('gives rows as node:sqlite does: the same keys and values, a repeated column its last value, a __proto__ column as a column', async () => {
    const db = new SqliteFleetDb(':memory:')
    await db.exec("CREATE TABLE t(a INTEGER, b TEXT, c REAL); INSERT INTO t VALUES(1, 'x', 1.5), (2, NULL, NULL)")
    for (const sql of [
      'SELECT a, b, c FROM t ORDER BY a',
      'SELECT a, b AS a, c FROM t ORDER BY a',
      'SELECT a, b AS __proto__ FROM t ORDER BY a',
      'SELECT a FROM t WHERE a > ?',
    ]) {
      const params = sql.includes('?') ? [5] : []
      const own = db.raw
        .prepare(sql)
        .all(...params)
        .map((r) => ({ ...r }))
      const ours = (await db.all<Record<string, unknown>>(sql, params)).map((r) =>
        Object.fromEntries(Object.entries(r)),
      )
      expect(ours).toEqual(own)
      expect(Object.keys(ours[0] ?? {})).toEqual(Object.keys(own[0] ?? {}))
    }
    expect(Object.keys((await db.all<object>('SELECT a, b AS __proto__ FROM t ORDER BY a'))[0]!)).toEqual([
      'a',
      '__proto__',
    ])
    await db.close()
  })

  it('migrated to version 3 keeps no index that no query needs: device states by cause, a device without an Entra or Intune id', async () => {
    const file = join(tempDirSync('sd-fleet-store-'), 'fleet.sqlite')
    const indexes = async (s: FleetStore) =>
      await s.db.all<{ name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
    const v2 = new FleetStore(file, { migrations: MIGRATIONS.slice(0, 2) })
    await v2.addObservations(
      [
        obs('PC-1', { device: { name: 'PC-1', aadId: 'aa', intuneId: null }, codes: ['0x80073712'] }),
        obs('PC-2', { device: { name: 'PC-2', aadId: null, intuneId: 'ii' } }),
      ],
      { file: 'a', kind: 'alerts', rejected: [] },
    )
    await v2.refresh()
    expect((await indexes(v2)).map((r) => r.name)).toContain('device_state_cause')
    await v2.close()
    const s = new FleetStore(file)
    expect(await s.schemaVersion()).toBe(3)
    expect((await indexes(s)).map((r) => `${r.name}: ${r.sql.replace(/\s+/g, ' ')}`)).toEqual([
      'device_causes_cause: CREATE INDEX device_causes_cause ON device_causes(cause, state)',
      'devices_aad: CREATE INDEX devices_aad ON devices(aad_id) WHERE aad_id IS NOT NULL',
      'devices_intune: CREATE INDEX devices_intune ON devices(intune_id) WHERE intune_id IS NOT NULL',
      "observations_evidence: CREATE INDEX observations_evidence ON observations(device_id, at) WHERE kind IN ('line', 'snapshot')",
    ])
    // A device is still found by either id through its index, and the refresh leaves the same indexes.
    const plan = async (q: string) =>
      (await s.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${q}`, ['x', 'x', 'x'])).map((r) => r.detail).join('; ')
    expect(await plan('SELECT id FROM devices WHERE name_key = ? OR aad_id = ? OR intune_id = ?')).toMatch(
      /USING INDEX devices_aad \(aad_id=\?\).*USING INDEX devices_intune \(intune_id=\?\)/,
    )
    expect(await s.device('AA')).toMatchObject({ name: 'PC-1', state: 'failing' })
    expect(await s.device('ii')).toMatchObject({ name: 'PC-2' })
    await s.refresh()
    expect((await indexes(s)).map((r) => r.name)).toEqual([
      'device_causes_cause',
      'devices_aad',
      'devices_intune',
      'observations_evidence',
    ])
    await s.close()
  })
  it('has its identity indexes again after an import into an empty file, at its refresh, or when it is opened if the import stopped before it', async () => {
    const indexes = async (s: FleetStore) =>
      (
        await s.db.all<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'devices' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
      ).map((r) => r.name)
    const file = join(tempDirSync('sd-fleet-store-'), 'fleet.sqlite')
    const a = new FleetStore(file)
    await a.ready
    expect(await indexes(a)).toEqual(['devices_aad', 'devices_intune'])
    const session = { batch: 1000 }
    await a.addObservations(
      [obs('PC-1', { device: { name: 'PC-1', aadId: 'aa', intuneId: 'ii' }, codes: ['0x80073712'] })],
      { file: 'a', kind: 'alerts', rejected: [], session },
    )
    // Into the empty file: built after the import, not kept up row by row.
    expect(await indexes(a)).toEqual([])
    await a.addObservations([obs('PC-2', { device: { name: 'PC-2', aadId: 'bb', intuneId: null } })], {
      file: 'a',
      kind: 'alerts',
      rejected: [],
      session,
    })
    await a.endImport(session)
    // The import stopped here (no refresh): the file opened again has them, and finds its devices by either id.
    await a.close()
    const b = new FleetStore(file)
    await b.ready
    expect(await indexes(b)).toEqual(['devices_aad', 'devices_intune'])
    expect(await b.device('II')).toMatchObject({ name: 'PC-1', aadId: 'aa', state: 'failing' })
    // An import into a file that holds devices keeps them; a refresh builds any left to build.
    const more = { batch: 1000 }
    await b.addObservations([obs('PC-3', {})], { file: 'b', kind: 'alerts', rejected: [], session: more })
    expect(await indexes(b)).toEqual(['devices_aad', 'devices_intune'])
    await b.endImport(more)
    await b.db.exec('DROP INDEX devices_aad')
    await b.refresh()
    expect(await indexes(b)).toEqual(['devices_aad', 'devices_intune'])
    expect(
      (await b.db.all<{ detail: string }>("EXPLAIN QUERY PLAN SELECT id FROM devices WHERE aad_id = 'bb'"))
        .map((r) => r.detail)
        .join(' '),
    ).toMatch(/USING (COVERING )?INDEX devices_aad/)
    await b.close()
  })

  it('is in WAL mode, and its old refusal of a newer file still reads the same', async () => {
    const file = join(tempDirSync('sd-fleet-store-'), 'fleet.sqlite')
    const a = new FleetStore(file)
    await a.ready
    expect((a.db as SqliteFleetDb).raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' })
    await a.close()
    const other = join(tempDirSync('sd-fleet-store-'), 'fleet.sqlite')
    const db = new DatabaseSync(other)
    db.exec(
      "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES('schema_version', '99')",
    )
    db.close()
    await expect(new FleetStore(other).ready).rejects.toThrow(
      new RegExp(`This fleet file has schema version 99; this app reads up to ${FLEET_SCHEMA_VERSION}\\.`),
    )
  })
})

describe('the SQLite file during an import', () => {
  const mode = (s: FleetStore) => {
    const raw = (s.db as SqliteFleetDb).raw
    return [
      (raw.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode,
      (raw.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous,
    ]
  }
  const pcs = (from: number, n: number) =>
    Array.from({ length: n }, (_, k) => obs(`PC-${from + k}`, { codes: ['0x800F0922'] }))

  it('writes its batches through a synced rollback journal, and is in WAL again once the states are worked out or the import fails', async () => {
    const file = join(tempDirSync('sd-fleet-bulk-'), 'fleet.sqlite')
    const s = new FleetStore(file)
    await s.ready
    expect(mode(s)).toEqual(['wal', 1])
    const session = { batch: 2 }
    await s.addObservations(pcs(1, 2), { file: 'a', kind: 'alerts', rejected: [], session })
    // synchronous 2 = FULL: the journal is on the disk before the file is written (a power loss keeps a batch whole).
    expect(mode(s)).toEqual(['truncate', 2])
    await s.addObservations(pcs(3, 1), { file: 'a', kind: 'alerts', rejected: [], session })
    await s.endImport(session)
    await s.refresh()
    expect(mode(s)).toEqual(['wal', 1])
    expect((await s.totals()).devices).toBe(3)
    // A batch rolled back ends the import's mode too.
    const failed = { batch: 100 }
    await s.addObservations(pcs(4, 1), { file: 'b', kind: 'alerts', rejected: [], session: failed })
    expect(mode(s)[0]).toBe('truncate')
    await s.endImport(failed, false)
    expect(mode(s)).toEqual(['wal', 1])
    await s.close()
  })

  it('stays in WAL when another connection has the file open, and stores every row', async () => {
    const file = join(tempDirSync('sd-fleet-bulk-'), 'fleet.sqlite')
    const s = new FleetStore(file)
    await s.ready
    const reader = new DatabaseSync(file)
    reader.prepare('SELECT count(*) AS n FROM devices').get()
    const session = { batch: 2 }
    await s.addObservations(pcs(1, 3), { file: 'a', kind: 'alerts', rejected: [], session })
    expect(mode(s)).toEqual(['wal', 1])
    await s.endImport(session)
    await s.refresh()
    expect(reader.prepare('SELECT count(*) AS n FROM observations').get()).toEqual({ n: 3 })
    reader.close()
    await s.close()
  })

  it('killed in the middle of a batch, keeps the batches committed before it whole and none of that one, and opens in WAL', async () => {
    const dir = tempDirSync('sd-fleet-bulk-')
    const file = join(dir, 'fleet.sqlite')
    const store = join(import.meta.dirname, '../../../main/fleet/store.ts')
    // A separate process, killed (SIGKILL: nothing of it runs after) with its second batch's rows written but not committed.
    const script = `
      const { FleetStore } = await import(${JSON.stringify(store)})
      const s = new FleetStore(${JSON.stringify(file)})
      const o = (n) => ({ device: { name: 'PC-' + n, aadId: null, intuneId: null }, source: 'uc-update-alert', at: '2026-11-20T08:00:00.000Z', kind: 'alert', line: null, codes: ['0x800F0922'], status: 'active', file: null, detail: '' })
      const session = { batch: 500 }
      await s.addObservations(Array.from({ length: 500 }, (_, k) => o(k)), { file: 'a', kind: 'alerts', rejected: [], session })
      await s.addObservations(Array.from({ length: 400 }, (_, k) => o(1000 + k)), { file: 'a', kind: 'alerts', rejected: [], session })
      process.kill(process.pid, 'SIGKILL')
    `
    const { spawnSync } = await import('node:child_process')
    const r = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { encoding: 'utf8' })
    expect(r.signal).toBe('SIGKILL')
    const s = new FleetStore(file)
    await s.ready
    expect(mode(s)).toEqual(['wal', 1])
    const raw = (s.db as SqliteFleetDb).raw
    expect(raw.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' })
    expect(raw.prepare('SELECT count(*) AS n FROM observations').get()).toEqual({ n: 500 })
    expect(raw.prepare('SELECT count(*) AS n FROM devices').get()).toEqual({ n: 500 })
    // The states follow from what was kept (the import stopped before its refresh).
    expect((await s.totals()).devices).toBe(500)
    await s.close()
  })
})

describe('the PostgreSQL store', () => {
  const engine = engines[1]!
  it("keeps its tables in its own schema, apart from the database's other tables", async () => {
    const where = await engine.location()
    const s = new FleetStore(where)
    await s.ready
    const c = new pg.Client({ connectionString: where })
    await c.connect()
    try {
      const t = await c.query(
        "SELECT table_schema, count(*)::int AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') GROUP BY table_schema",
      )
      expect(t.rows).toEqual([{ table_schema: 'servicing_desk', n: 11 }])
    } finally {
      await c.end()
      await s.close()
    }
  })
  it('lets two technicians import at once: they take turns, and each device is kept once', async () => {
    const where = await engine.location()
    const a = new FleetStore(where)
    const b = new FleetStore(where)
    await Promise.all([a.ready, b.ready])
    const batch = (at: string) => Array.from({ length: 300 }, (_, i) => obs(`PC-${i}`, { codes: ['0x80073712'], at }))
    const [ra, rb] = await Promise.all([
      a.addObservations(batch('2026-11-20T08:00:00.000Z'), { file: 'a', kind: 'alerts', rejected: [] }),
      b.addObservations(batch('2026-11-21T08:00:00.000Z'), { file: 'b', kind: 'alerts', rejected: [] }),
    ])
    expect(ra.devices + rb.devices).toBe(300)
    expect(await a.db.get('SELECT count(*) AS n FROM devices')).toEqual({ n: 300 })
    expect(await b.db.get('SELECT count(*) AS n FROM observations')).toEqual({ n: 600 })
    await a.close()
    await b.close()
  })
  it('says plainly when the server is not there, the password is wrong or the database is missing, never showing the password', async () => {
    const server = await engine.server()
    const wrong = server.url('postgres', { password: 'Wr0ng-Secret!' })
    const refused = new FleetStore(wrong)
    const err = await refused.ready.then(
      () => null,
      (e: Error) => e,
    )
    expect(err?.message).toBe(
      `The PostgreSQL server at 127.0.0.1:${server.port} refused the sign-in of user 'postgres': the password is wrong.`,
    )
    const gone = await new FleetStore(server.url('no_such_db')).ready.then(
      () => null,
      (e: Error) => e,
    )
    expect(gone?.message).toBe(`The PostgreSQL server at 127.0.0.1:${server.port} has no database 'no_such_db'.`)
    // Nothing answers on a port just closed.
    const { createServer } = await import('node:net')
    const port = await new Promise<number>((r) => {
      const x = createServer().listen(0, '127.0.0.1', () => {
        const p = (x.address() as { port: number }).port
        x.close(() => r(p))
      })
    })
    const nobody = await new FleetStore(`postgres://postgres:${server.password}@127.0.0.1:${port}/fleet`).ready.then(
      () => null,
      (e: Error) => e,
    )
    expect(nobody?.message).toMatch(
      new RegExp(`^Cannot reach the PostgreSQL server at 127\\.0\\.0\\.1:${port}: nothing answers on that port`),
    )
    for (const e of [err, gone, nobody]) expect(e?.message).not.toContain(server.password)
  })
  it('says so when the user may not create the store in that database, and works once it is created for them', async () => {
    const server = await engine.server()
    const where = await engine.location()
    const db = new URL(where).pathname.slice(1)
    const admin = new pg.Client({ connectionString: server.url('postgres') })
    await admin.connect()
    try {
      await admin.query(`CREATE ROLE helpdesk_${db} LOGIN PASSWORD 'Desk-Pass-1'`)
    } finally {
      await admin.end()
    }
    const asHelpdesk = server.url(db, { user: `helpdesk_${db}`, password: 'Desk-Pass-1' })
    const refused = await new FleetStore(asHelpdesk).ready.then(
      () => null,
      (e: Error) => e,
    )
    expect(refused?.message).toMatch(
      new RegExp(
        `^User 'helpdesk_${db}' may not do this in the database '${db}': permission denied for database ${db}\\. The fleet store needs to create its schema and tables there`,
      ),
    )
    expect(refused?.message).not.toContain('Desk-Pass-1')
    // An administrator gives the schema to the helpdesk's user: from then on it creates and uses the store.
    const owner = new pg.Client({ connectionString: where })
    await owner.connect()
    try {
      await owner.query(`CREATE SCHEMA servicing_desk AUTHORIZATION helpdesk_${db}`)
    } finally {
      await owner.end()
    }
    const s = new FleetStore(asHelpdesk)
    expect(await s.schemaVersion()).toBe(FLEET_SCHEMA_VERSION)
    await s.close()
  })
  it('passes TLS settings to pg: a server certificate from an unknown authority is refused, with its authority it connects', async () => {
    const server = await engine.server()
    const url = server.url('postgres')
    const unknown = await new FleetStore(`${url}?sslmode=verify-full`).ready.then(
      () => null,
      (e: Error) => e,
    )
    expect(unknown?.message).toMatch(
      new RegExp(
        `^TLS to the PostgreSQL server at 127\\.0\\.0\\.1:${server.port} failed: .*certificate.*Give the server's certificate authority with sslrootcert=FILE`,
      ),
    )
    expect(unknown?.message).not.toContain(server.password)
    const s = new FleetStore(`${url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(server.caFile!)}`)
    expect(await s.schemaVersion()).toBe(FLEET_SCHEMA_VERSION)
    expect(await s.db.get('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).toEqual({ ssl: true })
    await s.close()
  })
  it('shows a connection string without its password', () => {
    expect(
      redactConnection(
        'postgres://helpdesk:s3cr%40t@db.contoso.com:5432/fleet?sslmode=verify-full&sslrootcert=/etc/ca.pem',
      ),
    ).toBe('postgres://helpdesk:***@db.contoso.com:5432/fleet?sslmode=verify-full&sslrootcert=/etc/ca.pem')
    expect(redactConnection('postgresql://helpdesk@db/fleet?password=abc&sslpassword=def')).toBe(
      'postgresql://helpdesk@db/fleet?password=***&sslpassword=***',
    )
    expect(redactConnection('postgres://u:p@ss@[bad')).not.toContain('p@ss')
    // Whatever a driver or server says back, the password (as typed or percent-decoded) is not in it.
    expect(
      explainPostgresError(new Error('could not use s3cr@t for s3cr%40t'), 'postgres://helpdesk:s3cr%40t@db/fleet')
        .message,
    ).toBe('PostgreSQL (postgres://helpdesk:***@db/fleet): could not use *** for ***')
  })
})
