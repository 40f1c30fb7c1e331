/**
 * The fleet store: one SQLite file in the data folder (`<data>/fleet/fleet.sqlite`) through Node's built-in
 * node:sqlite (no native addon, no server), in WAL mode, its schema versioned and migrated forward.
 *
 * Per device: its identity (name, Entra and Intune ids: one device whatever source named it), every observation
 * with its time and source, the diagnosis of each distinct observation (cached by what the diagnosis reads:
 * devices that print the same line share one result), the device's state over time, fixes and their proof.
 * The diagnosis is the single-PC one (main/diagnose), run by line-diagnosis.ts or, for a collected file, by the
 * caller's snapshot diagnosis; this file only chooses which evidence stands and when a device is proven fixed.
 */
import { DatabaseSync } from 'node:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { DiagnoseOutput, Finding } from '../../preload/model/diagnosis.ts'
import type { FleetGroup, Observation, RejectedRow } from '../../preload/model/fleet.ts'
import { parseCollectorLines } from '../parse/collector-line.ts'
import { diagnoseLine, lineKey } from './line-diagnosis.ts'
import { lineDiagKeys } from './intake/collector-lines.ts'
import type { FindingRow } from './logs-ingestion.ts'
import { causeOf, shows, NO_PROBLEM, NOT_REPORTED, type Cause } from './cause.ts'

export const FLEET_SCHEMA_VERSION = 1

/** Each entry takes the schema from version i to i + 1. Never edit one that shipped; add the next. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE devices(id INTEGER PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE, aad_id TEXT, intune_id TEXT);
   CREATE INDEX devices_aad ON devices(aad_id);
   CREATE INDEX devices_intune ON devices(intune_id);
   CREATE TABLE imports(id INTEGER PRIMARY KEY, at TEXT NOT NULL, file TEXT NOT NULL, kind TEXT NOT NULL, observations INTEGER NOT NULL, rejected INTEGER NOT NULL);
   CREATE TABLE observations(id INTEGER PRIMARY KEY, device_id INTEGER NOT NULL REFERENCES devices(id), import_id INTEGER, source TEXT NOT NULL, kind TEXT NOT NULL,
     at TEXT NOT NULL, line TEXT, codes TEXT NOT NULL, status TEXT NOT NULL DEFAULT '', file TEXT, detail TEXT NOT NULL, diag_key TEXT,
     UNIQUE(device_id, at, source, kind, codes, status));
   CREATE INDEX observations_evidence ON observations(device_id, at) WHERE kind IN ('line', 'snapshot');
   CREATE TABLE rejected(id INTEGER PRIMARY KEY, import_id INTEGER NOT NULL, row INTEGER NOT NULL, error TEXT NOT NULL, raw TEXT NOT NULL);
   CREATE TABLE diagnoses(key TEXT PRIMARY KEY, cause TEXT NOT NULL, title TEXT NOT NULL, repair TEXT, findings TEXT NOT NULL);
   CREATE TABLE device_state(device_id INTEGER PRIMARY KEY REFERENCES devices(id), cause TEXT NOT NULL, state TEXT NOT NULL, since TEXT, basis TEXT,
     diag_key TEXT, arch TEXT, build TEXT, fixed_at TEXT, fix_id INTEGER);
   CREATE INDEX device_state_cause ON device_state(cause, state);
   CREATE TABLE group_summary(cause TEXT NOT NULL, state TEXT NOT NULL, arch TEXT, build TEXT, diag_key TEXT, n INTEGER NOT NULL);
   CREATE TABLE fixes(id INTEGER PRIMARY KEY, cause TEXT NOT NULL, at TEXT NOT NULL, out_dir TEXT NOT NULL, codes TEXT NOT NULL);
   CREATE TABLE fix_devices(fix_id INTEGER NOT NULL REFERENCES fixes(id), device_id INTEGER NOT NULL REFERENCES devices(id), basis_kind TEXT NOT NULL, PRIMARY KEY(fix_id, device_id));`,
]

export function defaultFleetFile(dataDir: string): string {
  return join(dataDir, 'fleet', 'fleet.sqlite')
}

interface Diag { key: string; cause: Cause; findings: Finding[] }

export interface DeviceView {
  id: number
  name: string
  aadId: string | null
  intuneId: string | null
  cause: string
  title: string
  state: string
  since: string | null
  basis: string | null
  arch: string | null
  build: string | null
  fixedAt: string | null
  findings: Finding[]
  observations: { source: string; kind: string; at: string; line: string | null; codes: string[]; status: string | null; file: string | null; detail: string }[]
}

type FixRow = { id: number; cause: string; at: string; codes: string; basis_kind: string }
type ObsRow = { id: number; device_id: number; source: string; kind: string; at: string; line: string | null; codes: string; status: string | null; diag_key: string | null }

export class FleetStore {
  readonly db: DatabaseSync
  private readonly diags = new Map<string, Diag>()

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
    this.db = new DatabaseSync(file)
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;')
    this.migrate()
  }

  close(): void { this.db.close() }

  schemaVersion(): number {
    const r = this.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined
    return r ? Number(r.value) : 0
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)')
    const from = this.schemaVersion()
    if (from > MIGRATIONS.length) throw new Error(`This fleet file has schema version ${from}; this app reads up to ${MIGRATIONS.length}. Use a newer Servicing Desk.`)
    for (let v = from; v < MIGRATIONS.length; v++) {
      this.tx(() => {
        this.db.exec(MIGRATIONS[v]!)
        this.db.prepare("INSERT INTO meta(key, value) VALUES('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(v + 1))
      })
    }
  }

  tx<T>(f: () => T): T {
    this.db.exec('BEGIN IMMEDIATE')
    try { const r = f(); this.db.exec('COMMIT'); return r } catch (err) { this.db.exec('ROLLBACK'); throw err }
  }

  /**
   * Adds an import's observations (one transaction). A device is found by its Entra id, then its Intune id, then its
   * name, so Intune, the reports and the collected files name one device once. The same observation twice is kept once.
   */
  addObservations(obs: readonly Observation[], info: { file: string; kind: string; rejected: readonly RejectedRow[]; diagKeys?: ReadonlyMap<Observation, string> }): { importId: number; added: number; duplicates: number; devices: number } {
    return this.tx(() => {
      const importId = Number(this.db.prepare('INSERT INTO imports(at, file, kind, observations, rejected) VALUES(?, ?, ?, ?, ?)').run(new Date().toISOString(), info.file, info.kind, obs.length, info.rejected.length).lastInsertRowid)
      const byName = new Map<string, number>(); const byAad = new Map<string, number>(); const byIntune = new Map<string, number>()
      for (const r of this.db.prepare('SELECT id, name_key, aad_id, intune_id FROM devices').all() as { id: number; name_key: string; aad_id: string | null; intune_id: string | null }[]) {
        byName.set(r.name_key, r.id); if (r.aad_id) byAad.set(r.aad_id, r.id); if (r.intune_id) byIntune.set(r.intune_id, r.id)
      }
      const before = byName.size
      const insDevice = this.db.prepare('INSERT INTO devices(name, name_key, aad_id, intune_id) VALUES(?, ?, ?, ?)')
      const setAad = this.db.prepare('UPDATE devices SET aad_id = ? WHERE id = ? AND aad_id IS NULL')
      const setIntune = this.db.prepare('UPDATE devices SET intune_id = ? WHERE id = ? AND intune_id IS NULL')
      // Rows go in 50 at a time: one statement per row costs node:sqlite's call and binding each time (~35% of an import).
      const INS = 'INSERT OR IGNORE INTO observations(device_id, import_id, source, kind, at, line, codes, status, file, detail, diag_key) VALUES'
      const ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
      const insObs = this.db.prepare(INS + ROW)
      const insObs50 = this.db.prepare(INS + Array(50).fill(ROW).join(', '))
      const batch: (string | number | null)[] = []
      const insRej = this.db.prepare('INSERT INTO rejected(import_id, row, error, raw) VALUES(?, ?, ?, ?)')
      const seen = new Set<string>()
      let added = 0
      for (const o of obs) {
        const d = o.device
        const key = d.name.toUpperCase()
        let id = (d.aadId && byAad.get(d.aadId)) || (d.intuneId && byIntune.get(d.intuneId)) || byName.get(key)
        if (!id) {
          id = Number(insDevice.run(d.name, key, d.aadId, d.intuneId).lastInsertRowid)
          byName.set(key, id)
        }
        if (d.aadId && !byAad.has(d.aadId)) { setAad.run(d.aadId, id); byAad.set(d.aadId, id) }
        if (d.intuneId && !byIntune.has(d.intuneId)) { setIntune.run(d.intuneId, id); byIntune.set(d.intuneId, id) }
        const diagKey = info.diagKeys?.get(o) ?? lineDiagKeys.get(o) ?? (o.kind === 'line' && o.line ? lineDiagKey(o.line) : null)
        // Each distinct observation is diagnosed once, when it first comes (devices that print the same line share it).
        if (diagKey && !seen.has(diagKey)) { seen.add(diagKey); this.diag(diagKey, o.line) }
        batch.push(id, importId, o.source, o.kind, o.at, o.line, o.codes.join(','), o.status ?? '', o.file, o.detail, diagKey)
        if (batch.length === 550) { added += Number(insObs50.run(...batch).changes); batch.length = 0 }
      }
      for (let k = 0; k < batch.length; k += 11) added += Number(insObs.run(...batch.slice(k, k + 11)).changes)
      for (const r of info.rejected) insRej.run(importId, r.row, r.error, r.raw)
      return { importId, added, duplicates: obs.length - added, devices: byName.size - before }
    })
  }

  /** A collected file's diagnosis (the caller ran the single-PC diagnosis on it), under its key. */
  putDiagnosis(key: string, d: Pick<DiagnoseOutput, 'findings'>): void {
    const c = causeOf(d)
    this.db.prepare('INSERT OR REPLACE INTO diagnoses(key, cause, title, repair, findings) VALUES(?, ?, ?, ?, ?)').run(key, c.cause, c.title, c.repair, JSON.stringify(d.findings))
    this.diags.set(key, { key, cause: c, findings: d.findings })
  }

  hasDiagnosis(key: string): boolean {
    return this.diags.has(key) || this.db.prepare('SELECT 1 FROM diagnoses WHERE key = ?').get(key) !== undefined
  }

  private diag(key: string, lineText: string | null): Diag | null {
    let d = this.diags.get(key)
    if (d) return d
    const row = this.db.prepare('SELECT findings FROM diagnoses WHERE key = ?').get(key) as { findings: string } | undefined
    if (row) {
      const findings = JSON.parse(row.findings) as Finding[]
      d = { key, cause: causeOf({ findings }), findings }
    } else {
      // Not yet diagnosed: a line (or an alert's codes read as one) through the single-PC diagnosis.
      const l = lineText ? parseCollectorLines(lineText)[0] : null
      if (!l) return null
      const out = diagnoseLine(l, lineText!)
      this.putDiagnosis(key, out)
      return this.diags.get(key)!
    }
    this.diags.set(key, d)
    return d
  }

  /**
   * Each device's state from its observations: the newest collector line or collected file stands (at the same
   * time, the file: it tells more than its line; a later line that says the same as the file's own line keeps the
   * file's diagnosis); without either, its active update alerts; without any, not reported. A device in a fix is
   * fixed only on evidence after the fix that no longer shows the cause: a collected file, a line where the
   * cause's failure codes (which the line can show) are gone, or an alert for one of its codes resolved after it.
   */
  refresh(): { devices: number; diagnoses: number } {
    const fixes = new Map<number, FixRow[]>()
    for (const r of this.db.prepare('SELECT f.id, f.cause, f.at, f.codes, d.device_id, d.basis_kind FROM fixes f JOIN fix_devices d ON d.fix_id = f.id ORDER BY f.at').all() as (FixRow & { device_id: number })[]) {
      const l = fixes.get(r.device_id) ?? []; l.push(r); fixes.set(r.device_id, l)
    }
    const distinct = new Set<string>()
    // The evidence (lines and collected files, in device and time order from their index) of every device; update
    // alerts only where they matter: a device without evidence, or one a fix was sent to (its proof may be an alert).
    // Lines are not read again (their diagnosis key holds what is needed); a collected file's line gives its build.
    const byDevice = new Map<number, ObsRow[]>()
    const push = (r: ObsRow) => { const l = byDevice.get(r.device_id); if (l) l.push(r); else byDevice.set(r.device_id, [r]) }
    for (const r of this.db.prepare(`SELECT id, device_id, source, kind, at, CASE WHEN kind = 'snapshot' THEN line END AS line, codes, status, diag_key FROM observations INDEXED BY observations_evidence
      WHERE kind IN ('line', 'snapshot') ORDER BY device_id, at, id`).all() as ObsRow[]) push(r)
    const alerts = this.db.prepare(`SELECT id, device_id, source, kind, at, NULL AS line, codes, status, NULL AS diag_key FROM observations o WHERE kind = 'alert'
      AND (device_id IN (SELECT device_id FROM fix_devices) OR NOT EXISTS (SELECT 1 FROM observations e WHERE e.device_id = o.device_id AND e.kind IN ('line', 'snapshot')))`).all() as ObsRow[]
    for (const r of alerts) push(r)
    if (alerts.length) for (const l of byDevice.values()) if (l.some((r) => r.kind === 'alert')) l.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.id - y.id))
    const ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
    const INS = 'INSERT OR REPLACE INTO device_state(device_id, cause, state, since, basis, diag_key, arch, build, fixed_at, fix_id) VALUES'
    const upsert = this.db.prepare(INS + ROW)
    const upsert50 = this.db.prepare(INS + Array(50).fill(ROW).join(', '))
    const batch: (string | number | null)[] = []
    const none: ObsRow[] = []
    let count = 0
    this.tx(() => {
      for (const { id } of this.db.prepare('SELECT id FROM devices').all() as { id: number }[]) {
        const s = this.stateOf(byDevice.get(id) ?? none, fixes.get(id) ?? [])
        if (s.diagKey) distinct.add(s.diagKey)
        batch.push(id, s.cause, s.state, s.since, s.basis, s.diagKey, s.arch, s.build, s.fixedAt, s.fixId)
        if (batch.length === 500) { upsert50.run(...batch); batch.length = 0 }
        count++
      }
      for (let k = 0; k < batch.length; k += 10) upsert.run(...batch.slice(k, k + 10))
      this.db.exec(`DELETE FROM group_summary; INSERT INTO group_summary(cause, state, arch, build, diag_key, n)
        SELECT cause, state, arch, build, diag_key, count(*) FROM device_state GROUP BY cause, state, arch, build, diag_key`)
    })
    return { devices: count, diagnoses: distinct.size }
  }

  private stateOf(obs: ObsRow[], fixes: FixRow[]) {
    const evid = obs.filter((o) => (o.kind === 'line' || o.kind === 'snapshot') && o.diag_key)
    let basis: ObsRow | null = null
    for (const o of evid) if (!basis || o.at > basis.at || (o.at === basis.at && o.kind === 'snapshot')) basis = o
    // A later line that says what the collected file's own line said keeps the file's (fuller) diagnosis.
    if (basis?.kind === 'line') {
      const files = evid.filter((o) => o.kind === 'snapshot')
      const file = files[files.length - 1]
      if (file?.line && lineDiagKey(file.line) === basis.diag_key) basis = file
    }
    let diag: Diag | null = null
    let diagKey: string | null = null
    if (basis) { diagKey = basis.diag_key; diag = this.diag(diagKey!, basis.line) }
    if (!diag) {
      const active = activeAlertCodes(obs)
      if (active.codes.length) {
        diagKey = `alert:${active.codes.join(',')}`
        diag = this.diag(diagKey, `SDC1 host=ALERTS taken=${active.at} build=unknown arch=unknown winre=unknown codes=${active.codes.join(',')}`)
      }
    }
    const { arch, build } = basis ? this.buildOf(basis) : { arch: null, build: null }
    const out = diag
      ? { cause: diag.cause.cause, state: diag.cause.cause === NO_PROBLEM ? 'healthy' : 'failing', since: basis?.at ?? null, basis: basis ? `${basis.source} ${basis.kind}` : 'update alerts', diagKey, arch, build, fixedAt: null as string | null, fixId: null as number | null }
      : { cause: NOT_REPORTED, state: 'not-reported', since: null, basis: null, diagKey: null, arch, build, fixedAt: null as string | null, fixId: null as number | null }
    // Proof, per fix of this device, newest fix first: evidence after the fix that the cause is gone, and none after it
    // that shows it again. A line proves it only where a line can show it: the device was judged from a line when the
    // fix was made, or the cause's codes are gone from the line.
    for (const f of [...fixes].reverse()) {
      const codes = new Set(f.codes ? f.codes.split(',') : [])
      let proof: string | null = null
      let reported = false
      for (const o of obs) {
        if (o.at <= f.at) continue
        if (o.kind === 'snapshot' || o.kind === 'line') {
          reported = true
          const d = this.diag(o.diag_key!, o.line)
          if (!d) continue
          const showsIt = shows(d.findings, f.cause)
          const lineCodes = o.codes ? o.codes.split(',') : []
          const adequate = o.kind === 'snapshot' || f.basis_kind === 'line' || (codes.size > 0 && ![...codes].some((c) => lineCodes.includes(c)))
          if (showsIt && (o.kind === 'snapshot' || f.basis_kind === 'line')) proof = null
          else if (!showsIt && adequate) proof ??= o.at
        } else if (o.kind === 'alert' && o.codes.split(',').some((c) => codes.has(c))) {
          reported = true
          if (o.status === 'resolved') proof ??= o.at
          else proof = null
        }
      }
      if (proof) return { ...out, cause: f.cause, state: 'fixed', fixedAt: proof, fixId: f.id }
      if (!reported) return { ...out, cause: f.cause, state: 'awaiting-report', fixId: f.id }
    }
    return out
  }

  private readonly builds = new Map<string, { arch: string | null; build: string | null }>()
  /** The build and architecture a line or a collected file's line gives (a line's are in its diagnosis key). */
  private buildOf(o: ObsRow): { arch: string | null; build: string | null } {
    if (o.kind === 'line' && o.diag_key?.startsWith('line:')) {
      let b = this.builds.get(o.diag_key)
      if (!b) {
        const [build, arch] = o.diag_key.slice(5).split('|')
        b = { build: build && build !== '?' ? build : null, arch: arch && arch !== '?' ? arch : null }
        this.builds.set(o.diag_key, b)
      }
      return b
    }
    const l = o.line ? parseCollectorLines(o.line)[0] : null
    return { arch: l?.arch ?? null, build: l?.build ?? null }
  }

  /** Groups by cause, largest first: counts, share, architectures, builds, codes, evidence, what is unknown. */
  groups(): FleetGroup[] {
    // From the summary refresh() keeps (one row per cause, state, architecture, build and diagnosis): a few rows, not every device.
    const rows = this.db.prepare('SELECT cause, state, arch, build, diag_key, n FROM group_summary').all() as { cause: string; state: string; arch: string | null; build: string | null; diag_key: string | null; n: number }[]
    const total = rows.reduce((t, r) => t + r.n, 0) || 1
    const by = new Map<string, FleetGroup & { keys: Set<string> }>()
    for (const r of rows) {
      let g = by.get(r.cause)
      if (!g) {
        g = { cause: r.cause, title: '', count: 0, share: 0, failing: 0, fixed: 0, notReported: 0, architectures: {}, builds: {}, codes: [], repair: null, evidence: [], unknown: [], keys: new Set() }
        by.set(r.cause, g)
      }
      g.count += r.n
      if (r.state === 'failing') g.failing += r.n
      else if (r.state === 'fixed') g.fixed += r.n
      else if (r.state === 'not-reported' || r.state === 'awaiting-report') g.notReported += r.n
      const a = r.arch ?? 'unknown'; g.architectures[a] = (g.architectures[a] ?? 0) + r.n
      const b = r.build ?? 'unknown'; g.builds[b] = (g.builds[b] ?? 0) + r.n
      if (r.diag_key) g.keys.add(r.diag_key)
    }
    const out: FleetGroup[] = []
    for (const g of by.values()) {
      g.share = g.count / total
      const ds = [...g.keys].slice(0, 20).map((k) => this.diag(k, null)).filter((d): d is Diag => d !== null)
      const f = ds.map((d) => d.findings.find((x) => x.id === g.cause)).find((x) => x)
      g.title = g.cause === NOT_REPORTED ? 'Not reported yet' : f?.title ?? ds[0]?.cause.title ?? (g.cause === NO_PROBLEM ? 'No servicing problem found' : g.cause)
      g.repair = f?.repair ?? null
      g.codes = [...new Set(ds.flatMap((d) => d.findings.filter((x) => x.id === g.cause).flatMap((x) => x.codes)))].sort()
      g.evidence = f?.evidence.slice(0, 3) ?? []
      if (g.cause === NOT_REPORTED) g.unknown.push('These devices are assigned but have not sent a collector line, a collected file or an update alert yet.')
      if ([...g.keys].some((k) => k.startsWith('line:'))) g.unknown.push("Devices known only by their one-line output: partitions, packages and logs are not in it; a collected file from one of them tells more.")
      if ([...g.keys].some((k) => k.startsWith('alert:'))) g.unknown.push('Devices known only by update alerts: the alert gives a code, not the PC\'s own evidence.')
      const { keys: _k, ...plain } = g
      void _k
      out.push(plain)
    }
    return out.sort((a, b) => Number(a.cause === NO_PROBLEM) - Number(b.cause === NO_PROBLEM) || Number(a.cause === NOT_REPORTED) - Number(b.cause === NOT_REPORTED) || b.count - a.count || a.cause.localeCompare(b.cause))
  }

  /** The devices of one cause (a page of them), by name. */
  devicesOf(cause: string, opts: { limit?: number; offset?: number; state?: string } = {}): { name: string; state: string; since: string | null; arch: string | null; build: string | null; fixedAt: string | null }[] {
    return this.db.prepare(`SELECT d.name, s.state, s.since, s.arch, s.build, s.fixed_at AS fixedAt FROM device_state s JOIN devices d ON d.id = s.device_id
      WHERE s.cause = ? ${opts.state ? 'AND s.state = ?' : ''} ORDER BY d.name_key LIMIT ? OFFSET ?`).all(...[cause, ...(opts.state ? [opts.state] : []), opts.limit ?? -1, opts.offset ?? 0]) as never
  }

  device(nameOrId: string): DeviceView | null {
    const d = this.db.prepare('SELECT id, name, aad_id, intune_id FROM devices WHERE name_key = ? OR aad_id = ? OR intune_id = ?').get(nameOrId.toUpperCase(), nameOrId.toLowerCase(), nameOrId.toLowerCase()) as { id: number; name: string; aad_id: string | null; intune_id: string | null } | undefined
    if (!d) return null
    const s = this.db.prepare('SELECT * FROM device_state WHERE device_id = ?').get(d.id) as { cause: string; state: string; since: string | null; basis: string | null; diag_key: string | null; arch: string | null; build: string | null; fixed_at: string | null } | undefined
    const diag = s?.diag_key ? this.diag(s.diag_key, null) : null
    const obs = this.db.prepare('SELECT source, kind, at, line, codes, status, file, detail FROM observations WHERE device_id = ? ORDER BY at, id').all(d.id) as { source: string; kind: string; at: string; line: string | null; codes: string; status: string | null; file: string | null; detail: string }[]
    return {
      id: d.id, name: d.name, aadId: d.aad_id, intuneId: d.intune_id, cause: s?.cause ?? NOT_REPORTED, title: diag?.cause.title ?? 'Not reported yet', state: s?.state ?? 'not-reported',
      since: s?.since ?? null, basis: s?.basis ?? null, arch: s?.arch ?? null, build: s?.build ?? null, fixedAt: s?.fixed_at ?? null, findings: diag?.findings ?? [],
      observations: obs.map((o) => ({ ...o, status: o.status || null, codes: o.codes ? o.codes.split(',') : [] })),
    }
  }

  /** For each build among the cause's failing devices: one device's newest collected file (to plan the group's repair on). */
  representativeFiles(cause: string): [build: string, file: string, arch: string][] {
    const rows = this.db.prepare(`SELECT s.build, s.arch, o.file FROM device_state s JOIN observations o ON o.device_id = s.device_id
      WHERE s.cause = ? AND s.state = 'failing' AND o.kind = 'snapshot' AND o.file IS NOT NULL ORDER BY o.at DESC`).all(cause) as { build: string | null; arch: string | null; file: string }[]
    const out = new Map<string, [string, string, string]>()
    for (const r of rows) if (r.build && !out.has(r.build)) out.set(r.build, [r.build, r.file, r.arch ?? 'unknown'])
    return [...out.values()]
  }

  /** Records a fix for a cause's devices (those failing with it now); proof comes from evidence after `at`. */
  recordFix(cause: string, outDir: string, codes: readonly string[], at = new Date().toISOString()): { fixId: number; devices: number } {
    return this.tx(() => {
      const id = Number(this.db.prepare('INSERT INTO fixes(cause, at, out_dir, codes) VALUES(?, ?, ?, ?)').run(cause, at, outDir, codes.join(',')).lastInsertRowid)
      const n = this.db.prepare(`INSERT INTO fix_devices(fix_id, device_id, basis_kind) SELECT ?, device_id, CASE WHEN basis LIKE '% line' THEN 'line' WHEN basis LIKE '% snapshot' THEN 'snapshot' ELSE 'alert' END
        FROM device_state WHERE cause = ? AND state = 'failing'`).run(id, cause).changes
      return { fixId: id, devices: Number(n) }
    })
  }

  rejected(limit = 100): { import: string; row: number; error: string; raw: string }[] {
    return this.db.prepare('SELECT i.file AS import, r.row, r.error, r.raw FROM rejected r JOIN imports i ON i.id = r.import_id ORDER BY r.id DESC LIMIT ?').all(limit) as never
  }

  /** Every device's cause and state as rows of the findings table (Logs Ingestion: logs-ingestion.ts). */
  findingRows(now = new Date().toISOString()): FindingRow[] {
    const titles = new Map(this.groups().map((g) => [g.cause, g.title]))
    return (this.db.prepare('SELECT d.name, d.aad_id, s.cause, s.state, s.since, s.fixed_at, s.build, s.arch FROM device_state s JOIN devices d ON d.id = s.device_id ORDER BY d.name_key').all() as { name: string; aad_id: string | null; cause: string; state: string; since: string | null; fixed_at: string | null; build: string | null; arch: string | null }[])
      .map((r) => ({ TimeGenerated: now, Computer: r.name, AzureADDeviceId: r.aad_id, Cause: r.cause, CauseTitle: titles.get(r.cause) ?? r.cause, State: r.state, EvidenceTime: r.since, FixedAt: r.fixed_at, Build: r.build, Architecture: r.arch }))
  }

  /** Every device with its state, for the report (name order). */
  allDevices(): { name: string; cause: string; state: string; since: string | null; arch: string | null; build: string | null; fixedAt: string | null }[] {
    return this.db.prepare('SELECT d.name, s.cause, s.state, s.since, s.arch, s.build, s.fixed_at AS fixedAt FROM device_state s JOIN devices d ON d.id = s.device_id ORDER BY d.name_key').all() as never
  }
}

/** The key a line's diagnosis is cached under: what the diagnosis reads of it (not the host or the time). */
export function lineDiagKey(text: string): string | null {
  const l = parseCollectorLines(text)[0]
  return l ? `line:${lineKey(l)}` : null
}

function activeAlertCodes(obs: ObsRow[]): { codes: string[]; at: string } {
  const state = new Map<string, { active: boolean; at: string }>()
  for (const o of obs) {
    if (o.kind !== 'alert' || !o.codes) continue
    for (const c of o.codes.split(',')) {
      const prev = state.get(c)
      if (!prev || o.at >= prev.at) state.set(c, { active: o.status === 'active', at: o.at })
    }
  }
  const act = [...state].filter(([, v]) => v.active)
  return { codes: act.map(([c]) => c).sort(), at: act.reduce((m, [, v]) => (v.at > m ? v.at : m), '') }
}
