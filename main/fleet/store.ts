/**
 * The fleet store: one SQLite file in the data folder (`<data>/fleet/fleet.sqlite`) through Node's built-in
 * node:sqlite (no native addon, no server), in WAL mode, its schema versioned and migrated forward; or, for a team
 * that shares one store, a PostgreSQL database (store-postgres.ts) with the same schema, queries and results. The
 * engine is reached only through store-db.ts: everything here, diagnosis and grouping included, is one code path.
 *
 * Per device: its identity (name, Entra and Intune ids: one device whatever source named it), every observation
 * with its time and source, the diagnosis of each distinct observation (cached by what the diagnosis reads:
 * devices that print the same line share one result), the device's state over time, fixes and their proof.
 * The diagnosis is the single-PC one (main/diagnose), run by line-diagnosis.ts or, for a collected file, by the
 * caller's snapshot diagnosis; this file only chooses which evidence stands and when a device is proven fixed.
 */
import { join } from 'node:path'
import type { DiagnoseOutput, Finding } from '../../preload/model/diagnosis.ts'
import type { FleetGroup, FleetTotals, Observation, RejectedRow } from '../../preload/model/fleet.ts'
import { parseCollectorLines } from '../parse/collector-line.ts'
import { lineKey } from './line-key.ts'
import { lineDiagKeys } from './intake/collector-lines.ts'
import type { FindingRow } from './logs-ingestion.ts'
import { causeOf, problems, shows, NO_PROBLEM, NOT_REPORTED, type Cause } from './cause.ts'
import { whyOf, type WhyId } from './why.ts'
import { HOLD_DIAG_KEY, SAFEGUARD_HOLD, safeguardHoldFinding } from './service-alerts.ts'
import { ALERT_SUBTYPES, alertSubtypeOf, heldCause, subtypeDiagKey, subtypeFinding } from './alert-subtypes.ts'
import { REPORTED } from './cause.ts'

const REPORTED_TITLE = 'Reported, with nothing that names a cause'
/** A device name that is only an id (a service-side row names its device by its Entra or Intune id). */
const ID_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
import { copyRow, PAGE_CACHE, SqliteFleetDb, type FleetDb, type SqlValue } from './store-db.ts'
import { GuidMap } from './guid-map.ts'
import { NameMap } from './name-map.ts'
import { heapPace } from './heap-pace.ts'

export const FLEET_SCHEMA_VERSION = 3

/**
 * Each entry takes the schema from version i to i + 1. Never edit one that shipped; add the next. Written once for
 * both engines: on PostgreSQL (schemaDdl) a row id is an identity column and text compares byte by byte, as in SQLite.
 */
export const MIGRATIONS: readonly string[] = [
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
  // A device under every cause it has: one row per device and cause, with what became of that cause's
  // fix and, where it is not proven, why; the summary counts them by that reason. device_state keeps one row per device.
  `CREATE TABLE device_causes(device_id INTEGER NOT NULL REFERENCES devices(id), cause TEXT NOT NULL, state TEXT NOT NULL, diag_key TEXT, fixed_at TEXT, fix_id INTEGER, why TEXT,
     PRIMARY KEY(device_id, cause));
   CREATE INDEX device_causes_cause ON device_causes(cause, state);
   ALTER TABLE group_summary ADD COLUMN why TEXT;
   INSERT INTO meta(key, value) VALUES('states_stale', '1') ON CONFLICT(key) DO UPDATE SET value = '1';`,
  // Indexes no query needs (round 9; every query's plan read before and after): device_state's (cause, state)
  // index served no search (a group's devices are found in device_causes; the Fleet screen's state filter scanned it whole,
  // no faster than the table at 200,000 devices) and cost each refresh its rebuild; the Entra and Intune id indexes hold
  // only the devices that have the id (a lookup by an id never asks for NULL), not one entry per device without one.
  `DROP INDEX IF EXISTS device_state_cause;
   DROP INDEX IF EXISTS devices_aad;
   DROP INDEX IF EXISTS devices_intune;
   CREATE INDEX devices_aad ON devices(aad_id) WHERE aad_id IS NOT NULL;
   CREATE INDEX devices_intune ON devices(intune_id) WHERE intune_id IS NOT NULL;`,
]

/** A migration as the engine reads it: PostgreSQL numbers rows with an identity column and compares text as SQLite does (bytes). */
export function schemaDdl(sql: string, engine: FleetDb['engine']): string {
  if (engine === 'sqlite') return sql
  return sql
    .replace(/\bid INTEGER PRIMARY KEY\b/g, 'id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY')
    .replace(/\bTEXT\b/g, 'TEXT COLLATE "C"')
}

export function defaultFleetFile(dataDir: string): string {
  return join(dataDir, 'fleet', 'fleet.sqlite')
}

/** A store location that is a PostgreSQL connection string (anything else is a SQLite file). */
export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location)
}

interface Diag {
  key: string
  cause: Cause
  findings: Finding[]
}

/** What a device's state needs that is not in memory: the diagnosis under `need` read (or made from `line`), or `put` stored under it. */
interface Need {
  need: string
  line?: string | null
  put?: Pick<DiagnoseOutput, 'findings'>
}

/**
 * One file's import over many batches, each its own transaction: its imports row, and the batch being written. The
 * file comes in small parts (its rows are not held until a whole batch is read: at 200,000 devices, holding them was
 * a tenth of the import's CPU in garbage collection); a batch's parts go into one transaction, held open across
 * them, that commits every `batch` rows. endImport() commits the last (or, on an error, rolls it back).
 */
export interface ImportSession {
  importId?: number
  /** Rows a transaction takes before it commits. */
  batch: number
  /** Rows in the open transaction (none open: undefined). */
  open?: number
}

/**
 * A string that holds nothing else alive: a field read from an export is a slice of the chunk of text it was read from
 * (V8 keeps that whole text while the slice lives), and the maps of devices by identity keep their keys until the
 * import ends (200,000 devices' ids held every chunk of the status export: peak 420 -> 750 MB). Short strings are copies already.
 */
const kept = (s: string): string => (s.length < 13 ? s : ` ${s}`.slice(1))

/** The kinds of row refresh() reads: evidence (a line, a collected file) and what the services said (an alert, a status). */
const READ_KINDS = ['line', 'snapshot', 'alert', 'status'] as const

/**
 * The rows an import into an empty store put in, kept in memory in the form refresh() reads them (one column each, the
 * few distinct texts held once), so that the refresh after it does not read them back (at 200,000 devices reading the
 * alerts, statuses and evidence back was 1.2-1.5 s of the import's CPU). Used only while every row of the store is one
 * it saw: the store was empty when it began, no row was a duplicate set aside, and the highest row id is the count it
 * put in (another writer between two batches shows there); else refresh() reads the store as before.
 */
/**
 * The most rows KeptRows holds (~70 MB with their times): memory is the scarcer of the two at a million devices (3.45
 * million rows), where the rows are read back as before; 200,000 devices' 690,908 rows are kept.
 */
const KEPT_ROWS_MAX = 1_000_000

class KeptRows {
  /** Rows the import put in, of every kind (the store's row ids are 1 to this when no one else wrote). */
  total = 0
  private n = 0
  private readonly max: number
  constructor(max: number) {
    this.max = max
  }
  // Typed columns (outside V8's heap: no collection walks or copies them), grown together.
  private device = new Int32Array(1024)
  private kind = new Uint8Array(1024)
  /** The row ids (its 1-based place among every row put in), for the (time, id) order. */
  private id = new Int32Array(1024)
  /** Its source, codes, status and extra (a line's or collected file's diagnosis key, an alert's or status' detail; -1: none), as places in texts. */
  private refs = new Int32Array(4 * 1024)
  private readonly at: string[] = []
  /** A collected file's line (refresh reads only theirs), by its place here. */
  private readonly lines = new Map<number, string | null>()
  /** The few distinct texts, each held once. */
  private readonly texts: string[] = []
  private readonly textIds = new Map<string, number>()
  private heads: Int32Array | undefined
  private next: Int32Array | undefined

  private ref(s: string): number {
    const t = this.textIds.get(s)
    if (t !== undefined) return t
    this.texts.push(kept(s))
    this.textIds.set(this.texts[this.texts.length - 1]!, this.texts.length - 1)
    return this.texts.length - 1
  }

  private grow(): void {
    const m = this.device.length * 2
    const d = new Int32Array(m),
      k = new Uint8Array(m),
      id = new Int32Array(m),
      refs = new Int32Array(4 * m)
    d.set(this.device)
    k.set(this.kind)
    id.set(this.id)
    refs.set(this.refs)
    this.device = d
    this.kind = k
    this.id = id
    this.refs = refs
  }

  /** Keeps a row the import put in; false when there are more than it keeps (the refresh reads the store). */
  add(deviceId: number, o: Observation, codes: string, diagKey: string | null): boolean {
    const id = ++this.total
    const kind = READ_KINDS.indexOf(o.kind as (typeof READ_KINDS)[number])
    if (kind < 0) return true
    if (this.n === this.max) return false
    if (this.n === this.device.length) this.grow()
    const i = this.n++
    this.device[i] = deviceId
    this.kind[i] = kind
    this.id[i] = id
    const b = 4 * i
    this.refs[b] = this.ref(o.source)
    this.refs[b + 1] = this.ref(codes)
    this.refs[b + 2] = this.ref(o.status ?? '')
    this.refs[b + 3] = kind < 2 ? (diagKey === null ? -1 : this.ref(diagKey)) : this.ref(o.detail)
    this.at.push(kept(o.at))
    if (kind === 1) this.lines.set(i, o.line === null ? null : kept(o.line))
    return true
  }

  /** The rows of devices lo to hi, by device, each device's in (time, id) order, as refresh() reads them from the store. */
  rowsOf(lo: number, hi: number): Map<number, ObsRow[]> {
    if (!this.heads) {
      let top = 0
      for (let i = 0; i < this.n; i++) if (this.device[i]! > top) top = this.device[i]!
      const heads = new Int32Array(top + 1).fill(-1)
      const next = new Int32Array(this.n)
      // Backwards, so that each device's list is in the order its rows came in.
      for (let i = this.n - 1; i >= 0; i--) {
        const d = this.device[i]!
        next[i] = heads[d]!
        heads[d] = i
      }
      this.heads = heads
      this.next = next
    }
    const heads = this.heads,
      next = this.next!,
      texts = this.texts,
      refs = this.refs
    const out = new Map<number, ObsRow[]>()
    for (let d = Math.max(lo, 0); d <= hi && d < heads.length; d++) {
      let i = heads[d]!
      if (i < 0) continue
      const l: ObsRow[] = []
      for (; i >= 0; i = next[i]!) {
        const kind = this.kind[i]!
        const b = 4 * i
        const extra = refs[b + 3]! < 0 ? null : texts[refs[b + 3]!]!
        const r: ObsRow = {
          id: this.id[i]!,
          device_id: d,
          source: texts[refs[b]!]!,
          kind: READ_KINDS[kind]!,
          at: this.at[i]!,
          line: kind === 1 ? (this.lines.get(i) ?? null) : null,
          codes: texts[refs[b + 1]!]!,
          status: texts[refs[b + 2]!]!,
          diag_key: kind < 2 ? extra : null,
        }
        if (kind >= 2) r.detail = extra
        l.push(r)
      }
      inTimeOrder(l)
      out.set(d, l)
    }
    return out
  }
}

/** The devices the store knows, by each identity, and the highest device id when they were read. */
interface KnownDevices {
  /** By name key: the names held as bytes (NameMap), not as strings. */
  byName: NameMap
  /** By Entra and Intune id: their GUIDs held as 16 bytes each (GuidMap), not as strings. */
  byAad: GuidMap
  byIntune: GuidMap
  maxId: number
}

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
  /** Every cause of the device (its groups), with what became of each and, where not proven fixed, why and the next step. */
  causes: { cause: string; state: string; fixedAt: string | null; why: string | null; next: string | null }[]
  observations: {
    source: string
    kind: string
    at: string
    line: string | null
    codes: string[]
    status: string | null
    file: string | null
    detail: string
  }[]
}

interface DeviceState {
  cause: string
  state: string
  since: string | null
  basis: string | null
  diagKey: string | null
  arch: string | null
  build: string | null
  fixedAt: string | null
  fixId: number | null
}
/** The devices' Entra and Intune id indexes (the schema's own), where an import into an empty store left them to be built. */
const IDENTITY_INDEXES =
  'CREATE INDEX IF NOT EXISTS devices_aad ON devices(aad_id) WHERE aad_id IS NOT NULL; CREATE INDEX IF NOT EXISTS devices_intune ON devices(intune_id) WHERE intune_id IS NOT NULL;'

/**
 * An index built on SQLite with the page cache cut to 8 MiB while it is built, then set back: SQLite's sort of the
 * index's keys holds up to the page cache's size in memory before it spills to temporary files, on top of the cache
 * itself (full of the import's pages). At 1,000,000 devices each of the refresh's index builds took the peak from
 * 714-734 to 791-811 MB; a smaller cache also gives back its pages while the sort runs.
 */
const sortedIn = (sql: string): string =>
  `PRAGMA cache_size = -8192; ${sql.replace(/;\s*$/, '')}; PRAGMA cache_size = ${PAGE_CACHE};`

/**
 * Devices whose observations refresh() reads at a time. Small, so that each young-generation collection copies
 * little: the range being worked on is what is alive, and at 10,000 devices (~35,000 rows with their strings) every
 * scavenge copied most of it (200,000 devices: scavenges' pause 2.9 s at 10,000 a range, 1.0-1.1 s at 1,000; two
 * statements a range, 400 in all, cost next to nothing).
 */
const REFRESH_DEVICES = 1_000
/** On PostgreSQL: two queries a range, each a round trip and a plan, so more devices a range (~35,000 rows read). */
const PG_REFRESH_DEVICES = 10_000

/** The states a device's cause can hold other than fixed, in the order one stands for the device. */
const RANK = ['failing', 'awaiting-report', 'unproven'] as const

interface CauseState {
  cause: string
  state: string
  diagKey: string | null
  fixedAt: string | null
  fixId: number | null
  why: WhyId | null
}

type FixRow = { id: number; cause: string; at: string; codes: string; basis_kind: string }
type ObsRow = {
  id: number
  device_id: number
  source: string
  kind: string
  at: string
  line: string | null
  codes: string
  status: string | null
  diag_key: string | null
  detail?: string | null
}

/** Rows per `INSERT … SELECT * FROM unnest(…)` on PostgreSQL (RowBatch): one round trip each, no limit on parameters. */
const UNNEST_ROWS = 10_000

/** Rows per COPY on PostgreSQL (RowBatch): ~2-4 MB of text each at an import's rows. */
const COPY_ROWS = 10_000

/**
 * How RowBatch sends a PostgreSQL INSERT's rows by COPY FROM STDIN (COPY's text, copyRow), or null where COPY cannot
 * do what the INSERT says. A plain INSERT: straight into its table. `ON CONFLICT DO NOTHING` (the observations: the
 * same row twice is kept once, and the count of rows written tells the duplicates): COPY has no ON CONFLICT, so the
 * rows go straight in under a savepoint, and when one of them is already there (the COPY fails with a unique
 * violation and is taken back) into a temporary table of the same columns (this connection's own, emptied after each
 * batch) and from it into the table by `INSERT … SELECT … ON CONFLICT DO NOTHING`, in the order they came (the first
 * of two the same is the one kept, as before). All in the caller's transaction: a rollback takes the rows back.
 */
function copyInto(db: FleetDb, head: string, tail: string): { write(text: string): Promise<number> } | null {
  const copyIn = db.copyIn?.bind(db)
  const m = /^INSERT INTO (\w+)\(([\w, ]+)\) VALUES$/.exec(head)
  if (!copyIn || !m) return null
  const table = m[1]!
  const columns = m[2]!.split(',').map((c) => c.trim())
  if (tail === '') return { write: (text) => copyIn(table, columns, text) }
  if (tail.trim() !== 'ON CONFLICT DO NOTHING') return null
  const stage = `sd_copy_${table}`
  const list = columns.join(', ')
  return {
    async write(text) {
      // Straight into the table first (an import of new rows, the usual case, writes them once); a duplicate stops
      // that COPY (a unique violation), whose rows the savepoint takes back, and they go through the temporary table.
      await db.exec('SAVEPOINT sd_copy')
      try {
        const n = await copyIn(table, columns, text)
        await db.exec('RELEASE SAVEPOINT sd_copy')
        return n
      } catch (err) {
        if ((err as { code?: string }).code !== '23505') throw err
        await db.exec('ROLLBACK TO SAVEPOINT sd_copy')
        await db.exec('RELEASE SAVEPOINT sd_copy')
      }
      // Made the first time in a session (and again after a rollback took it back): its columns' types are the table's.
      await db.exec(`CREATE TEMPORARY TABLE IF NOT EXISTS ${stage} AS SELECT ${list} FROM ${table} WITH NO DATA`)
      await copyIn(stage, columns, text)
      const n = await db.run(`INSERT INTO ${table}(${list}) SELECT ${list} FROM ${stage} ON CONFLICT DO NOTHING`)
      await db.exec(`TRUNCATE ${stage}`)
      return n
    },
  }
}

/** A column's value bound, not written into the statement's text (RowBatch). */
const BOUND = Symbol('bound')
/** Values fit to stand in the SQL text as they are: the store's own names (a source, a kind), never a person's text. */
const PLAIN = /^[A-Za-z0-9_.:-]{0,64}$/
/** A column's value as the statement's text has it: its placeholder, NULL or the name quoted (PLAIN: no quote in it). */
const literal = (s: SqlValue | typeof BOUND): string => (s === BOUND ? '?' : s === null ? 'NULL' : `'${String(s)}'`)

/**
 * Rows gathered for one multi-row INSERT at a time (as many as the engine takes best in one statement). The columns
 * named in `names` are written into the statement's text where they are NULL or one of the store's own names (a
 * source, a kind), those in `nulls` where they are NULL (a line, a file: a person's text, always bound), rather than
 * bound row by row: node:sqlite binds each value through its own call (a string copied
 * as UTF-8 each time), and at 200,000 devices an import bound ~7.6 million values, half of them the same few names
 * and NULLs. Rows keep their order: a row whose inline columns differ from the batch's (another file's kind, a line
 * beside an alert) ends the batch (push says to flush) and starts the next.
 */
class RowBatch {
  // Filled in place, a statement's worth at a time (not grown value by value): a million rows' values are written once.
  private values: SqlValue[]
  /**
   * On PostgreSQL, with the columns' types given: one array per column, the rows sent as `INSERT … SELECT * FROM
   * unnest($1::integer[], $2::text[], …)`, a parameter per column rather than per value (a thousand rows' 11,000
   * parameters each parsed, typed and bound on the server), so many more rows go in one round trip.
   */
  private readonly arrays: SqlValue[][] | null
  private readonly types: readonly string[] | null
  /** On PostgreSQL, a plain INSERT (or one that sets duplicates aside): the rows sent by COPY (copyInto), as text. */
  private readonly copy: { write(text: string): Promise<number> } | null
  private copied = ''
  private n = 0
  private rows = 0
  private readonly sql = new Map<string, string>()
  changed = 0
  private readonly db: FleetDb
  private readonly head: string
  private readonly width: number
  private readonly tail: string
  /** The columns written in the text when they can be: `names`, then `nulls`. */
  private readonly inline: readonly number[]
  /** Per column: a name of the store's may stand in the text there (one of `names`). */
  private readonly named: readonly boolean[]
  /** Per column: BOUND, or the value every row of this batch has there (written in the text). */
  private readonly shape: (SqlValue | typeof BOUND)[]
  /** The row of another shape that ended the batch: the first of the next. */
  private next: SqlValue[] | null = null
  constructor(
    db: FleetDb,
    head: string,
    width: number,
    tail = '',
    names: readonly number[] = [],
    nulls: readonly number[] = [],
    types?: readonly string[],
  ) {
    this.db = db
    this.head = head
    this.width = width
    this.tail = tail
    this.types = db.engine === 'postgres' && types ? types : null
    this.copy = this.types ? copyInto(db, head, tail) : null
    this.arrays = this.types && !this.copy ? Array.from({ length: width }, () => []) : null
    this.inline = [...names, ...nulls]
    this.named = Array.from({ length: width }, (_, k) => names.includes(k))
    this.shape = new Array(width).fill(BOUND)
    this.values = new Array<SqlValue>(width * db.batchRows)
  }
  /** True when the batch is full, or a row of another shape waits for it to be written: flush it. */
  push(...v: SqlValue[]): boolean {
    if (this.copy) {
      this.copied += copyRow(v)
      return ++this.rows >= COPY_ROWS
    }
    const arrays = this.arrays
    if (arrays) {
      for (let k = 0; k < v.length; k++) arrays[k]!.push(v[k]!)
      return ++this.rows >= UNNEST_ROWS
    }
    const inline = this.inline
    const shape = this.shape
    for (let j = 0; j < inline.length; j++) {
      const k = inline[j]!
      const x = v[k]!
      const s = shape[k]
      if (x === s) continue
      const want = x === null || (this.named[k] && typeof x === 'string' && PLAIN.test(x)) ? x : BOUND
      if (want === s) continue
      if (this.rows) {
        this.next = v
        return true
      }
      shape[k] = want
    }
    for (let k = 0; k < v.length; k++) if (shape[k] === BOUND) this.values[this.n++] = v[k]!
    this.rows++
    return this.rows >= this.db.batchRows
  }
  async flush(): Promise<void> {
    const copy = this.copy
    if (copy) {
      if (!this.rows) return
      const text = this.copied
      this.copied = ''
      this.rows = 0
      this.changed += await copy.write(text)
      return
    }
    const arrays = this.arrays
    if (arrays) {
      if (!this.rows) return
      const text = `${this.head.replace(/\s*VALUES\s*$/, '')} SELECT * FROM unnest(${this.types!.map((t, k) => `$${k + 1}::${t}[]`).join(', ')})${this.tail}`
      const v = arrays.slice()
      for (let k = 0; k < arrays.length; k++) arrays[k] = []
      this.rows = 0
      this.changed += await this.db.run(text, v as unknown as SqlValue[])
      return
    }
    if (this.rows) {
      const rows = this.rows
      // Keyed by the text itself (its rows and its columns' literals): a NULL and the name "null" are two statements.
      const key = this.inline.length
        ? `${rows} ${this.inline.map((k) => literal(this.shape[k]!)).join(', ')}`
        : String(rows)
      let text = this.sql.get(key)
      if (!text) {
        const one = `(${this.shape.map(literal).join(', ')})`
        text = `${this.head} ${Array(rows).fill(one).join(', ')}${this.tail}`
        this.sql.set(key, text)
      }
      const v = this.n === this.values.length ? this.values : this.values.slice(0, this.n)
      this.values = new Array<SqlValue>(this.width * this.db.batchRows)
      this.n = 0
      this.rows = 0
      this.changed += await this.db.run(text, v)
    }
    const next = this.next
    if (next) {
      this.next = null
      this.push(...next)
    }
  }
}

export interface FleetStoreOptions {
  /** The schema steps (tests give an older or a newer list); the app's own by default. */
  migrations?: readonly string[]
  /** Devices whose observations refresh() reads at a time (tests give a few, to cross many ranges). */
  refreshDevices?: number
  /** The most rows an import keeps for the refresh after it (tests give a few). */
  keptRows?: number
}

/**
 * The fleet store on either engine: `new FleetStore(location)` with a SQLite file (or ':memory:') or a
 * `postgres://` connection string. It opens (and migrates) in the background; every method waits for that, and
 * `ready` says when it failed (an unreachable server, a refused sign-in, a schema newer than this app).
 */
export class FleetStore {
  db!: FleetDb
  readonly ready: Promise<void>
  private readonly diags = new Map<string, Diag>()
  /** Keys (with the text they were asked with) that have no diagnosis: no stored row and no line to diagnose. */
  private readonly undiagnosable = new Set<string>()
  private readonly migrations: readonly string[]
  private readonly refreshDevices: number
  private readonly keptMax: number
  /**
   * The devices by identity, kept from one batch (and one file) of an import to the next instead of read again for
   * each: still true while the highest device id is the same (devices are only ever added, each with a higher id);
   * dropped when a batch is rolled back.
   */
  private known: KnownDevices | undefined
  /** The import's heap kept near its live size between batches (heap-pace.ts). */
  private readonly heap = heapPace()
  /** The rows of an import into an empty store, for the refresh after it (KeptRows); undefined when not kept. */
  private keptRows: KeptRows | undefined

  constructor(location: string, opts: FleetStoreOptions = {}) {
    this.migrations = opts.migrations ?? MIGRATIONS
    this.refreshDevices = opts.refreshDevices ?? (isPostgresLocation(location) ? PG_REFRESH_DEVICES : REFRESH_DEVICES)
    this.keptMax = opts.keptRows ?? KEPT_ROWS_MAX
    this.ready = this.open(location)
    this.ready.catch(() => undefined) // said by the first call that waits for it
  }

  private async open(location: string): Promise<void> {
    if (isPostgresLocation(location)) {
      const { PostgresFleetDb } = await import('./store-postgres.ts')
      this.db = await PostgresFleetDb.connect(location)
    } else this.db = new SqliteFleetDb(location)
    try {
      await this.migrate()
    } catch (err) {
      await this.db.close()
      throw err
    }
  }

  async close(): Promise<void> {
    try {
      await this.ready
    } catch {
      return
    }
    await this.db.close()
  }

  async schemaVersion(): Promise<number> {
    await this.ready
    return this.version()
  }

  private async version(): Promise<number> {
    const r = await this.db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'")
    return r ? Number(r.value) : 0
  }

  /** Every step in one transaction: a step that fails leaves the store as it was. */
  private async migrate(): Promise<void> {
    const db = this.db
    const steps = this.migrations
    await db.tx(async () => {
      await db.exec('CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)')
      const from = await this.version()
      const what = db.engine === 'sqlite' ? 'fleet file' : 'fleet database'
      if (from > steps.length)
        throw new Error(
          `This ${what} has schema version ${from}; this app reads up to ${steps.length}. Use a newer Servicing Desk.`,
        )
      for (let v = from; v < steps.length; v++) {
        await db.exec(schemaDdl(steps[v]!, db.engine))
        await db.run(
          "INSERT INTO meta(key, value) VALUES('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
          [String(v + 1)],
        )
      }
      // An import into an empty file that stopped before its refresh left the identity indexes to be built: built now
      // (after the steps: as the newest schema has them).
      if (steps.length && db.engine === 'sqlite') await db.exec(IDENTITY_INDEXES)
    })
  }

  async tx<T>(f: () => Promise<T>): Promise<T> {
    await this.ready
    return this.db.tx(f)
  }

  /**
   * Adds an import's observations (one transaction). A device is found by its Entra id, then its Intune id, then its
   * name, so Intune, the reports and the collected files name one device once. The same observation twice is kept once.
   */
  async addObservations(
    obs: readonly Observation[],
    info: {
      file: string
      kind: string
      rejected: readonly RejectedRow[]
      diagKeys?: ReadonlyMap<Observation, string>
      session?: ImportSession
    },
  ): Promise<{ importId: number; added: number; duplicates: number; devices: number }> {
    await this.ready
    const db = this.db
    const session = info.session
    try {
      if (!session) return await db.tx(() => this.addIn(obs, info, session))
      if (session.open === undefined) {
        // An import's batches are many writes in a row: the engine's mode for them, until the refresh (or a failure) ends it.
        await db.bulkWrites(true)
        await db.begin()
        session.open = 0
      }
      const r = await this.addIn(obs, info, session)
      session.open += obs.length
      if (session.open >= session.batch) await this.endImport(session)
      return r
    } catch (err) {
      if (session?.open !== undefined) {
        session.open = undefined
        await db.rollback()
      }
      // The batch was rolled back: what was learnt of the devices in it is not so.
      this.known = undefined
      this.keptRows = undefined
      throw err
    }
  }

  /** Ends an import's open transaction (addObservations with a session): commits it, or with `ok` false rolls it back. */
  async endImport(session: ImportSession, ok = true): Promise<void> {
    if (session.open === undefined) return
    session.open = undefined
    if (ok) {
      try {
        await this.db.commit()
        this.heap.step()
      } catch (err) {
        this.known = undefined
        this.keptRows = undefined
        await this.db.rollback()
        throw err
      }
    } else {
      this.known = undefined
      this.keptRows = undefined
      await this.db.rollback()
      await this.db.bulkWrites(false)
    }
  }

  private async addIn(
    obs: readonly Observation[],
    info: { file: string; kind: string; rejected: readonly RejectedRow[]; diagKeys?: ReadonlyMap<Observation, string> },
    session: ImportSession | undefined,
  ) {
    const db = this.db
    {
      let importId = session?.importId
      if (importId === undefined) {
        importId = (await db.get<{ id: number }>(
          'INSERT INTO imports(at, file, kind, observations, rejected) VALUES(?, ?, ?, ?, ?) RETURNING id',
          [new Date().toISOString(), info.file, info.kind, obs.length, info.rejected.length],
        ))!.id
        if (session) session.importId = importId
      } else
        await db.run('UPDATE imports SET observations = observations + ?, rejected = rejected + ? WHERE id = ?', [
          obs.length,
          info.rejected.length,
          importId,
        ])
      // In the same transaction as the observations: the device states no longer follow from them until refresh().
      await this.markStale(true)
      const top = Number((await db.get<{ m: number | string | null }>('SELECT max(id) AS m FROM devices'))?.m ?? 0)
      let known = this.known
      if (!known || known.maxId !== top) {
        known = { byName: new NameMap(), byAad: new GuidMap(), byIntune: new GuidMap(), maxId: top }
        for (const r of await db.all<{ id: number; name_key: string; aad_id: string | null; intune_id: string | null }>(
          'SELECT id, name_key, aad_id, intune_id FROM devices',
        )) {
          known.byName.set(r.name_key, r.id)
          if (r.aad_id) known.byAad.set(r.aad_id, r.id)
          if (r.intune_id) known.byIntune.set(r.intune_id, r.id)
        }
        this.known = known
      }
      const { byName, byAad, byIntune } = known
      // Into an empty store the import's rows are every row there is: kept for the refresh (KeptRows).
      if (top === 0) this.keptRows = new KeptRows(this.keptMax)
      let keep = this.keptRows
      // Into a store with no device yet (SQLite): the Entra and Intune id indexes are built once after the import (refresh()
      // builds them) rather than kept up row by row, and rewritten at each batch's commit, as ids in random order come in.
      // The import finds devices in its own maps, never through them; dropped in this batch's transaction (rolled back with it).
      if (db.engine === 'sqlite' && session && top === 0 && byName.size === 0)
        await db.exec('DROP INDEX IF EXISTS devices_aad; DROP INDEX IF EXISTS devices_intune')
      const before = byName.size
      // On SQLite a new device's id is known before it is written: this transaction holds the write lock and read the
      // highest id in it, so the new ones are the next ids in order (no RETURNING to read back, no ids to fix up after).
      // On PostgreSQL the identity column numbers them: a new one is numbered -1, -2, … until it is written.
      const explicit = db.engine === 'sqlite'
      const base = known.maxId
      const fresh: { name: string; key: string; aad: string | null; intune: string | null }[] = []
      const freshOf = (id: number) => fresh[id < 0 ? -id - 1 : id - base - 1]!
      // The entries numbered -n (new devices on PostgreSQL), to be given their real ids once written.
      const pending: [NameMap | GuidMap, string][] = []
      const setAad = new Map<number, string>()
      const setIntune = new Map<number, string>()
      // A known device named so far by its Entra or Intune id (a service-side row gave no name) gets the name a row now gives.
      const rename = new Map<number, string>()
      const ids: number[] = new Array(obs.length)
      // The device of the row before, when this row names it the same way (an export's rows of one device come
      // together: a failing device's alerts): its id, with nothing new to learn of it (its ids were set by that row).
      let last: Observation['device'] | null = null
      let lastId = 0
      for (let i = 0; i < obs.length; i++) {
        const d = obs[i]!.device
        if (last && d.name === last.name && d.aadId === last.aadId && d.intuneId === last.intuneId) {
          ids[i] = lastId
          continue
        }
        // Each identity looked up once (a hit also says the device has that id already), the name's key made once.
        const byItsAad = d.aadId ? byAad.get(d.aadId) : undefined
        const byItsIntune = d.intuneId ? byIntune.get(d.intuneId) : undefined
        const key = d.name.toUpperCase()
        const byItsName = byName.get(key)
        let id = byItsAad || byItsIntune || byItsName
        if (id && byItsName === undefined && !ID_NAME.test(d.name)) {
          // Found by an id, under another name: when that name is only an id, the row's name replaces it.
          if (id < 0 || (explicit && id > base)) {
            const f = freshOf(id)
            if (ID_NAME.test(f.name)) {
              f.name = d.name
              f.key = key
              byName.set(key, id)
              if (id < 0) pending.push([byName, key])
            }
          } else {
            rename.set(id, d.name)
            byName.set(key, id)
          }
        }
        if (!id) {
          fresh.push({ name: d.name, key, aad: d.aadId, intune: d.intuneId })
          if (explicit) id = ++known.maxId
          else {
            id = -fresh.length
            pending.push([byName, key])
          }
          byName.set(key, id)
        }
        const isNew = id < 0 || (explicit && id > base)
        // An id it did not have yet (a device keeps the first of each it was given).
        if (d.aadId && byItsAad === undefined) {
          if (isNew) {
            freshOf(id).aad ??= d.aadId
            if (id < 0) pending.push([byAad, d.aadId])
          } else if (!setAad.has(id)) setAad.set(id, d.aadId)
          byAad.set(d.aadId, id)
        }
        if (d.intuneId && byItsIntune === undefined) {
          if (isNew) {
            freshOf(id).intune ??= d.intuneId
            if (id < 0) pending.push([byIntune, d.intuneId])
          } else if (!setIntune.has(id)) setIntune.set(id, d.intuneId)
          byIntune.set(d.intuneId, id)
        }
        ids[i] = id
        last = d
        lastId = id
      }
      const real = new Map<string, number>()
      if (explicit) {
        const dev = new RowBatch(db, 'INSERT INTO devices(id, name, name_key, aad_id, intune_id) VALUES', 5)
        for (let k = 0; k < fresh.length; k++) {
          const f = fresh[k]!
          if (dev.push(base + k + 1, f.name, f.key, f.aad, f.intune)) await dev.flush()
        }
        await dev.flush()
      } else {
        // Many rows a round trip: each column one array parameter (unnest), not a parameter per value.
        for (let k = 0; k < fresh.length; k += UNNEST_ROWS) {
          const part = fresh.slice(k, k + UNNEST_ROWS)
          const rows = await db.all<{ id: number; name_key: string }>(
            'INSERT INTO devices(name, name_key, aad_id, intune_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) RETURNING id, name_key',
            [
              part.map((f) => f.name),
              part.map((f) => f.key),
              part.map((f) => f.aad),
              part.map((f) => f.intune),
            ] as unknown as SqlValue[],
          )
          for (const r of rows) {
            real.set(r.name_key, r.id)
            if (r.id > known.maxId) known.maxId = r.id
          }
        }
      }
      const realId = (id: number) => (id > 0 ? id : real.get(fresh[-id - 1]!.key)!)
      // The next batch of this import finds these devices by their real ids.
      for (const [m, k] of pending) m.set(k, realId(m.get(k)!))
      // A known device's first Entra or Intune id (a status export naming by id the devices a file of lines named by
      // name: 54,546 of 200,000 devices). On SQLite many a statement (one statement each cost node:sqlite's call and
      // binding per device: at 200,000 devices 0.11-0.14 s of CPU against 0.06-0.08 s); PostgreSQL from two typed arrays.
      for (const [col, set] of [
        ['aad_id', setAad],
        ['intune_id', setIntune],
      ] as const) {
        if (!set.size) continue
        if (explicit) {
          const upd = new RowBatch(
            db,
            `UPDATE devices SET ${col} = v.column2 FROM (VALUES`,
            2,
            `) AS v WHERE devices.id = v.column1 AND devices.${col} IS NULL`,
          )
          for (const [id, v] of set) if (upd.push(id, v)) await upd.flush()
          await upd.flush()
        } else {
          // PostgreSQL: the ids and values as two array parameters, many devices a round trip (one UPDATE a device
          // was a round trip each: 54,546 of them at 200,000 devices).
          const all = [...set]
          for (let k = 0; k < all.length; k += UNNEST_ROWS) {
            const part = all.slice(k, k + UNNEST_ROWS)
            await db.run(
              `UPDATE devices SET ${col} = v.val FROM unnest($1::integer[], $2::text[]) AS v(id, val) WHERE devices.id = v.id AND devices.${col} IS NULL`,
              [part.map((x) => x[0]), part.map((x) => x[1])] as unknown as SqlValue[],
            )
          }
        }
      }
      // Renamed only while the name is still an id (a GUID): a device an administrator or a line already named keeps that name.
      for (const [id, name] of rename)
        await db.run(
          `UPDATE devices SET name = ?, name_key = ? WHERE id = ? AND name LIKE '________-____-____-____-____________'`,
          [name, name.toUpperCase(), id],
        )
      // The source and kind (the same for a file's rows), and the line, file and diagnosis key where they are NULL (an alert's, a status'), in the text.
      const ins = new RowBatch(
        db,
        'INSERT INTO observations(device_id, import_id, source, kind, at, line, codes, status, file, detail, diag_key) VALUES',
        11,
        ' ON CONFLICT DO NOTHING',
        [2, 3],
        [5, 8, 10],
        ['integer', 'integer', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text'],
      )
      const seen = new Set<string>()
      for (let i = 0; i < obs.length; i++) {
        const o = obs[i]!
        // A line's key was worked out as it was read (lineDiagKeys), a collected file's comes with it; an alert or a status has none.
        const diagKey =
          info.diagKeys?.get(o) ??
          (o.kind === 'line' ? (lineDiagKeys.get(o) ?? (o.line ? lineDiagKey(o.line) : null)) : null)
        // Each distinct observation is diagnosed once, when it first comes (devices that print the same line share it).
        if (diagKey && !seen.has(diagKey)) {
          seen.add(diagKey)
          await this.diag(diagKey, o.line)
        }
        const deviceId = realId(ids[i]!)
        const codes = o.codes.length === 1 ? o.codes[0]! : o.codes.join(',')
        if (keep && !keep.add(deviceId, o, codes, diagKey)) keep = this.keptRows = undefined
        if (
          ins.push(deviceId, importId, o.source, o.kind, o.at, o.line, codes, o.status ?? '', o.file, o.detail, diagKey)
        )
          await ins.flush()
      }
      await ins.flush()
      // A row set aside as a duplicate is not in the store: the kept rows no longer say what it holds.
      if (keep && ins.changed !== obs.length) this.keptRows = undefined
      const rej = new RowBatch(
        db,
        'INSERT INTO rejected(import_id, row, error, raw) VALUES',
        4,
        '',
        [],
        [],
        ['integer', 'integer', 'text', 'text'],
      )
      for (const r of info.rejected) if (rej.push(importId, r.row, r.error, r.raw)) await rej.flush()
      await rej.flush()
      return { importId, added: ins.changed, duplicates: obs.length - ins.changed, devices: byName.size - before }
    }
  }

  /** A collected file's diagnosis (the caller ran the single-PC diagnosis on it), under its key. */
  async putDiagnosis(key: string, d: Pick<DiagnoseOutput, 'findings'>): Promise<void> {
    await this.ready
    const c = causeOf(d)
    await this.db.run(
      'INSERT INTO diagnoses(key, cause, title, repair, findings) VALUES(?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET cause = excluded.cause, title = excluded.title, repair = excluded.repair, findings = excluded.findings',
      [key, c.cause, c.title, c.repair, JSON.stringify(d.findings)],
    )
    this.diags.set(key, { key, cause: c, findings: d.findings })
  }

  async hasDiagnosis(key: string): Promise<boolean> {
    await this.ready
    return this.diags.has(key) || (await this.db.get('SELECT 1 AS x FROM diagnoses WHERE key = ?', [key])) !== undefined
  }

  /**
   * A diagnosis already in memory: the diagnosis, null when it was asked for with this text and there is none (no
   * stored row and no line to diagnose), undefined when it has not been asked for (fetchNeed reads or makes it).
   */
  private inMemory(key: string, lineText: string | null): Diag | null | undefined {
    const d = this.diags.get(key)
    if (d) return d
    return this.undiagnosable.has(`${key}\u0000${lineText ?? ''}`) ? null : undefined
  }

  /** What a device's state needed and memory did not hold: a diagnosis read or made, or one stored. */
  private async fetchNeed(n: Need): Promise<void> {
    if (n.put) {
      await this.putDiagnosis(n.need, n.put)
      return
    }
    // None now means none until a diagnosis is put under the key, which puts it in memory too (read first by inMemory).
    if (!(await this.diag(n.need, n.line ?? null))) this.undiagnosable.add(`${n.need}\u0000${n.line ?? ''}`)
  }

  private async diag(key: string, lineText: string | null): Promise<Diag | null> {
    let d = this.diags.get(key)
    if (d) return d
    const row = await this.db.get<{ findings: string }>('SELECT findings FROM diagnoses WHERE key = ?', [key])
    if (row) {
      const findings = JSON.parse(row.findings) as Finding[]
      d = { key, cause: causeOf({ findings }), findings }
    } else {
      // Not yet diagnosed: a line (or an alert's codes read as one) through the single-PC diagnosis.
      const l = lineText ? parseCollectorLines(lineText)[0] : null
      if (!l) return null
      // The single-PC diagnosis loads only here, when a line is new: reading the store (`fleet groups`) never needs it.
      const { diagnoseLine } = await import('./line-diagnosis.ts')
      const out = diagnoseLine(l, lineText!)
      await this.putDiagnosis(key, out)
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
  async refresh(onProgress?: (done: number, total: number) => void): Promise<{ devices: number; diagnoses: number }> {
    await this.ready
    // Read and written in one transaction: an import's batch committed between the reading and the writing would
    // otherwise be marked as worked in without being so.
    // The import's maps of every device by identity are not kept through the refresh (at 1,000,000 devices, a few
    // hundred MB beside its own work): the next import reads them again.
    this.known = undefined
    const rows = this.keptRows
    this.keptRows = undefined
    try {
      return await this.db.tx(() => this.refreshIn(onProgress, rows))
    } finally {
      // The import that came before it (if any) is worked in: the store back to its everyday mode.
      await this.db.bulkWrites(false)
    }
  }

  private async refreshIn(
    onProgress?: (done: number, total: number) => void,
    keptRows?: KeptRows,
  ): Promise<{ devices: number; diagnoses: number }> {
    const db = this.db
    // The import's rows as it kept them, while they are every row of the store (no one else wrote: the highest row id is their count).
    const fromMemory =
      keptRows &&
      Number((await db.get<{ m: number | string | null }>('SELECT max(id) AS m FROM observations'))?.m ?? 0) ===
        keptRows.total
        ? keptRows
        : undefined
    // The identity indexes an import into an empty store left to be built once it is in (see addIn).
    if (db.engine === 'sqlite') await db.exec(sortedIn(IDENTITY_INDEXES))
    const fixes = new Map<number, FixRow[]>()
    for (const r of await db.all<FixRow & { device_id: number }>(
      'SELECT f.id, f.cause, f.at, f.codes, d.device_id, d.basis_kind FROM fixes f JOIN fix_devices d ON d.fix_id = f.id ORDER BY f.at, f.id',
    )) {
      const l = fixes.get(r.device_id) ?? []
      l.push(r)
      fixes.set(r.device_id, l)
    }
    const distinct = new Set<string>()
    // The evidence (lines and collected files, in device and time order from their index) of every device; update
    // alerts only where they matter: a device without evidence, or one a fix was sent to (its proof may be an alert).
    // Lines are not read again (their diagnosis key holds what is needed); a collected file's line gives its build.
    // Read a range of devices at a time (REFRESH_DEVICES), each range's rows gone once its devices' states are written:
    // at 200,000 devices, holding every device's rows until the end made them all survive into the old generation
    // (copied by each young collection on the way), most of the refresh's garbage collection.
    const evidenceSql = `SELECT id, device_id, source, kind, at, CASE WHEN kind = 'snapshot' THEN line END AS line, codes, status, diag_key FROM observations ${db.engine === 'sqlite' ? 'INDEXED BY observations_evidence' : ''}
      WHERE kind IN ('line', 'snapshot') AND device_id BETWEEN ? AND ? ORDER BY device_id, at, id`
    // And every alert without a failure code (a safeguard hold names its cause by its subtype, whatever else the device sent).
    // Its detail read by its id, so that the scan walks the (device, time, source, kind, codes, status) index, a third of
    // the table's size, not the table with every line's text (at 200,000 devices, 0.29 s rather than 0.39-0.94 s). The devices
    // with evidence are the range's list, read once from the evidence index (a probe of the observations' unique index per
    // alert row walked each device's alerts to find its line: 0.18 -> 0.11 s at 200,000 devices).
    // Every alert and update status of the range, with its words: an alert's subtype names a cause whatever its code (and
    // whatever else the device sent: the newest evidence per cause decides), and a status is a signal that the device reported.
    const alertSql = `SELECT id, device_id, source, kind, at, NULL AS line, codes, status, NULL AS diag_key, detail FROM observations o WHERE kind IN ('alert', 'status') AND device_id BETWEEN ? AND ?`
    const rowsOf = async (lo: number, hi: number): Promise<Map<number, ObsRow[]>> => {
      if (fromMemory) return fromMemory.rowsOf(lo, hi)
      const byDevice = new Map<number, ObsRow[]>()
      const push = (r: ObsRow) => {
        const l = byDevice.get(r.device_id)
        if (l) l.push(r)
        else byDevice.set(r.device_id, [r])
      }
      for (const r of await db.all<ObsRow>(evidenceSql, [lo, hi])) push(r)
      const alerts = await db.all<ObsRow>(alertSql, [lo, hi])
      for (const r of alerts) push(r)
      if (alerts.length) for (const l of byDevice.values()) inTimeOrder(l)
      return byDevice
    }
    const none: ObsRow[] = []
    let count = 0
    // When each device a fix was sent to was last heard of at all (an update status, an assignment): seen since its fix or not.
    const lastSeen = new Map<number, string>()
    if (fixes.size)
      for (const r of await db.all<{ device_id: number; at: string }>(
        'SELECT device_id, max(at) AS at FROM observations WHERE device_id IN (SELECT device_id FROM fix_devices) GROUP BY device_id',
      ))
        lastSeen.set(r.device_id, r.at)
    const fixedCauses = new Set(
      fixes.size ? (await db.all<{ cause: string }>('SELECT DISTINCT cause FROM fixes')).map((r) => r.cause) : [],
    )
    const totals: Record<string, number> = {}
    {
      // Every device's state is worked out again: the old rows go, the new ones go in many at a time. On SQLite the causes'
      // (cause, state) index is built again once the rows are in (one sort) rather than kept up row by row: half the
      // cost of writing 200,000 devices' states. The schema is the same when the transaction commits (or rolls back).
      await db.exec('DELETE FROM device_state; DELETE FROM device_causes')
      if (db.engine === 'sqlite') await db.exec('DROP INDEX device_causes_cause')
      // Without a fix, a device's fixed time and fix are NULL: in the text.
      const ins = new RowBatch(
        db,
        'INSERT INTO device_state(device_id, cause, state, since, basis, diag_key, arch, build, fixed_at, fix_id) VALUES',
        10,
        '',
        [],
        [8, 9],
        ['integer', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'integer'],
      )
      const per = new RowBatch(
        db,
        'INSERT INTO device_causes(device_id, cause, state, diag_key, fixed_at, fix_id, why) VALUES',
        7,
        '',
        [],
        [4, 5],
        ['integer', 'text', 'text', 'text', 'text', 'integer', 'text'],
      )
      // The groups' summary, counted here as the rows are written (what a GROUP BY over the two tables would give).
      const summary = new Map<
        string,
        {
          cause: string
          state: string
          arch: string | null
          build: string | null
          diagKey: string | null
          why: string | null
          n: number
        }
      >()
      const count1 = (
        cause: string,
        state: string,
        arch: string | null,
        build: string | null,
        diagKey: string | null,
        why: string | null,
        n: number,
      ) => {
        const k = `${cause}\u0000${state}\u0000${arch ?? '\u0001'}\u0000${build ?? '\u0001'}\u0000${diagKey ?? '\u0001'}\u0000${why ?? '\u0001'}`
        const g = summary.get(k)
        if (g) g.n += n
        else summary.set(k, { cause, state, arch, build, diagKey, why, n })
      }
      // A device no fix was sent to (nearly every device of a first import) has the causes its diagnosis gives, the same for
      // every device with that diagnosis: those rows are written by one INSERT … SELECT from the device states and each
      // diagnosis' causes (its plan: the rows of the first such device), not bound value by value (at 200,000 devices,
      // 255,000 rows). A device whose rows differ from its diagnosis' plan (a fix sent to it, a safeguard hold) has its own
      // written here, and is named in refresh_own so the INSERT … SELECT leaves it out. Both temporary tables go with the transaction.
      const plans = new Map<string, { cause: string; state: string; why: string | null }[]>()
      // Devices of a plan, counted by diagnosis, architecture and build (for the summary).
      const planned = new Map<string, { key: string; arch: string | null; build: string | null; n: number }>()
      await db.exec(
        schemaDdl(
          'CREATE TEMP TABLE refresh_own(device_id INTEGER PRIMARY KEY); CREATE TEMP TABLE refresh_plan(k TEXT NOT NULL, ord INTEGER NOT NULL, cause TEXT NOT NULL, state TEXT NOT NULL, why TEXT, PRIMARY KEY(k, ord))',
          db.engine,
        ),
      )
      const own = new RowBatch(db, 'INSERT INTO refresh_own(device_id) VALUES', 1, '', [], [], ['integer'])
      const ids = await this.deviceIds()
      let byDevice = new Map<number, ObsRow[]>()
      let upTo = -Infinity
      for (let at = 0; at < ids.length; at++) {
        const id = ids.at(at)
        if (id > upTo) {
          // How far it is, a range of devices at a time (an import's progress: a million devices take a while).
          if (at) onProgress?.(at, ids.length)
          upTo = ids.at(Math.min(at + this.refreshDevices, ids.length) - 1)
          byDevice = await rowsOf(id, upTo)
        }
        const itsFixes = fixes.get(id)
        const obs = byDevice.get(id) ?? none
        const seenAt = lastSeen.get(id) ?? null
        // Worked out without awaiting anything while the diagnoses it reads are in memory (every device after the first
        // few of each distinct diagnosis): a diagnosis not yet read or made is fetched, and the device worked out again.
        let st = this.stateOf(obs, itsFixes ?? [], fixedCauses, seenAt)
        while ('need' in st) {
          await this.fetchNeed(st)
          st = this.stateOf(obs, itsFixes ?? [], fixedCauses, seenAt)
        }
        const { device: s, causes } = st
        if (s.diagKey) distinct.add(s.diagKey)
        totals[s.state] = (totals[s.state] ?? 0) + 1
        if (ins.push(id, s.cause, s.state, s.since, s.basis, s.diagKey, s.arch, s.build, s.fixedAt, s.fixId))
          await ins.flush()
        const key = s.diagKey ?? ''
        let plan = itsFixes ? undefined : plans.get(key)
        if (!itsFixes && !plan && fitsPlan(causes, s.diagKey)) {
          plan = causes.map((c) => ({ cause: c.cause, state: c.state, why: c.why }))
          plans.set(key, plan)
        }
        if (plan && samePlan(plan, causes, s.diagKey)) {
          const k = `${key}\u0000${s.arch ?? '\u0001'}\u0000${s.build ?? '\u0001'}`
          const g = planned.get(k)
          if (g) g.n++
          else planned.set(k, { key, arch: s.arch, build: s.build, n: 1 })
        } else {
          if (own.push(id)) await own.flush()
          for (const c of causes) {
            if (per.push(id, c.cause, c.state, c.diagKey, c.fixedAt, c.fixId, c.why)) await per.flush()
            count1(c.cause, c.state, s.arch, s.build, c.diagKey, c.why, 1)
          }
        }
        count++
      }
      await ins.flush()
      await per.flush()
      await own.flush()
      const planRows = new RowBatch(db, 'INSERT INTO refresh_plan(k, ord, cause, state, why) VALUES', 5)
      for (const [k, plan] of plans)
        for (let i = 0; i < plan.length; i++)
          if (planRows.push(k, i, plan[i]!.cause, plan[i]!.state, plan[i]!.why)) await planRows.flush()
      await planRows.flush()
      await db.run(`INSERT INTO device_causes(device_id, cause, state, diag_key, fixed_at, fix_id, why) SELECT s.device_id, p.cause, p.state, s.diag_key, NULL, NULL, p.why
        FROM device_state s JOIN refresh_plan p ON p.k = coalesce(s.diag_key, '') WHERE NOT EXISTS (SELECT 1 FROM refresh_own o WHERE o.device_id = s.device_id)`)
      await db.exec('DROP TABLE refresh_own; DROP TABLE refresh_plan')
      for (const g of planned.values())
        for (const r of plans.get(g.key)!) count1(r.cause, r.state, g.arch, g.build, g.key || null, r.why, g.n)
      if (db.engine === 'sqlite')
        await db.exec(sortedIn('CREATE INDEX device_causes_cause ON device_causes(cause, state)'))
      await db.exec('DELETE FROM group_summary')
      const sum = new RowBatch(db, 'INSERT INTO group_summary(cause, state, arch, build, diag_key, why, n) VALUES', 7)
      for (const g of summary.values())
        if (sum.push(g.cause, g.state, g.arch, g.build, g.diagKey, g.why, g.n)) await sum.flush()
      await sum.flush()
      // Devices not reported but for their update status (UCClientUpdateStatus: where an update is, not what is wrong).
      const statusOnly = await db.get<{
        n: number | string
      }>(`SELECT count(*) AS n FROM device_state s WHERE s.state = 'unknown'
        AND EXISTS (SELECT 1 FROM observations o WHERE o.device_id = s.device_id AND o.kind = 'status' AND o.source = 'uc-client-update-status')`)
      await db.run(
        "INSERT INTO meta(key, value) VALUES('device_totals', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [JSON.stringify(totals)],
      )
      await db.run(
        "INSERT INTO meta(key, value) VALUES('status_only', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [String(Number(statusOnly?.n ?? 0))],
      )
      await this.markStale(false)
    }
    // PostgreSQL plans from its statistics, which a bulk import leaves behind until autovacuum comes by: without
    // them a page of a group's devices sorted all of them (58 ms for 9,092 of 50,000), with them it walks the name index.
    if (db.engine === 'postgres') await db.exec('ANALYZE devices, device_state')
    return { devices: count, diagnoses: distinct.size }
  }

  /** Every device id in order: the range from the lowest to the highest when it has no gap (devices are never removed), else each read. */
  private async deviceIds(): Promise<{ length: number; at(i: number): number }> {
    const r = await this.db.get<{ lo: number | string | null; hi: number | string | null; n: number | string }>(
      'SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM devices',
    )
    const lo = Number(r?.lo ?? 1),
      hi = Number(r?.hi ?? 0),
      n = Number(r?.n ?? 0)
    if (n === hi - lo + 1) return { length: n, at: (i) => lo + i }
    const all = (await this.db.all<{ id: number }>('SELECT id FROM devices ORDER BY id')).map((x) => x.id)
    return { length: all.length, at: (i) => all[i]! }
  }

  private async markStale(stale: boolean): Promise<void> {
    await this.db.run(
      "INSERT INTO meta(key, value) VALUES('states_stale', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      [stale ? '1' : '0'],
    )
  }

  /**
   * The device states as the observations give them: observations committed without their states (an import killed
   * between the two, a fix recorded) are worked into them first, so no answer shows fewer devices than were imported.
   */
  private async current(): Promise<void> {
    await this.ready
    const r = await this.db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'states_stale'")
    if (r?.value === '1') await this.refresh()
  }

  /**
   * A device's state and each cause it has. The current problems are those of its newest evidence,
   * less any a fix was proven to clear by evidence newer than that; per cause with a fix (its newest fix for this
   * device): proven (fixed, or cleared while another problem remains), awaiting a report (not seen since the fix, or
   * seen without evidence that could show the cause), still shown after the fix, or reported only by a line that
   * cannot show it. The device is fixed only when no problem of it is current and a fix was proven.
   */
  private stateOf(
    obs: ObsRow[],
    fixes: FixRow[],
    fixedCauses: ReadonlySet<string>,
    lastSeen: string | null,
  ): { device: DeviceState; causes: CauseState[] } | Need {
    // The evidence (lines and collected files with a diagnosis): the newest stands, and the last collected file among it.
    let basis: ObsRow | null = null
    let file: ObsRow | null = null
    for (const o of obs) {
      if ((o.kind !== 'line' && o.kind !== 'snapshot') || !o.diag_key) continue
      if (!basis || o.at > basis.at || (o.at === basis.at && o.kind === 'snapshot')) basis = o
      if (o.kind === 'snapshot') file = o
    }
    // A later line that says what the collected file's own line said keeps the file's (fuller) diagnosis.
    if (basis?.kind === 'line' && file?.line && lineDiagKey(file.line) === basis.diag_key) basis = file
    let diag: Diag | null = null
    let diagKey: string | null = null
    if (basis) {
      diagKey = basis.diag_key
      const d = this.inMemory(diagKey!, basis.line)
      if (d === undefined) return { need: diagKey!, line: basis.line }
      diag = d
    }
    // Alerts with failure codes: every one when there is no evidence, else those newer than it (the newest word per cause).
    const active = activeAlertCodes(obs, basis?.at ?? null)
    let alertDiag: Diag | null = null
    let alertKey: string | null = null
    if (active.codes.length) {
      alertKey = `alert:${active.codes.join(',')}`
      const line = `SDC1 host=ALERTS taken=${active.at} build=unknown arch=unknown winre=unknown codes=${active.codes.join(',')}`
      const d = this.inMemory(alertKey, line)
      if (d === undefined) return { need: alertKey, line }
      alertDiag = d
    }
    if (!diag && alertDiag) {
      diag = alertDiag
      diagKey = alertKey
    }
    const { arch, build } = basis ? this.buildOf(basis) : { arch: null, build: null }
    // The device's problems now, its cause (the diagnosis' ranking) first; then what newer alerts add.
    let current: string[] = diag ? [...this.problemIds(diag)] : []
    if (alertDiag && alertDiag !== diag)
      for (const c of this.problemIds(alertDiag)) if (!current.includes(c)) current.push(c)
    // The causes alerts name by their own words (their subtype), the newest alert per subtype deciding.
    const named = subtypeCauses(obs, basis?.at ?? null)
    if (named.size) {
      // A code the knowledge does not hold says less than the alert's own subtype: the subtype names the cause.
      if (alertDiag)
        current = current.filter(
          (c) =>
            !(
              c.startsWith('code-') &&
              alertDiag!.findings.some((f) => f.id === c && f.confidence <= 0.2) &&
              !(diag !== alertDiag && this.problemIds(diag!).includes(c))
            ),
        )
      for (const c of named.keys()) {
        if (current.includes(c)) continue
        current.push(c)
        const key = c === SAFEGUARD_HOLD ? HOLD_DIAG_KEY : subtypeDiagKey(c)
        // Its diagnosis is stored (for the group's page); the device's state does not read it.
        if (!this.diags.has(key))
          return {
            need: key,
            put: {
              findings: [
                c === SAFEGUARD_HOLD
                  ? safeguardHoldFinding()
                  : subtypeFinding(
                      c,
                      Object.keys(ALERT_SUBTYPES).filter((s) => ALERT_SUBTYPES[s]!.cause === c),
                    ),
              ],
            },
          }
      }
    }
    const firstNamed = named.size ? [...named.entries()].sort((a, b) => (a[1] < b[1] ? 1 : -1))[0]! : null
    const base = {
      since: basis?.at ?? (diag ? active.at || null : (firstNamed?.[1] ?? null)),
      basis: basis ? `${basis.source} ${basis.kind}` : diag || named.size ? 'update alerts' : null,
      diagKey: diagKey ?? (firstNamed ? namedKey(firstNamed[0]) : null),
      arch,
      build,
      fixedAt: null as string | null,
      fixId: null as number | null,
    }
    const rows = new Map<string, CauseState>()
    // Proof, per cause, from its newest fix for this device: evidence after the fix that the cause is gone, and none
    // after it that shows it again. A line proves it only where a line can show it: the device was judged from a line
    // when the fix was made, or the cause's codes are gone from the line.
    for (let i = fixes.length - 1; i >= 0; i--) {
      const f = fixes[i]!
      if (rows.has(f.cause)) continue
      const codes = new Set(f.codes ? f.codes.split(',') : [])
      let proof: string | null = null
      let reported = false
      let seen = lastSeen !== null && lastSeen > f.at
      let before: string | null = null
      for (const o of obs) {
        if (o.at <= f.at) {
          if ((o.kind === 'snapshot' || o.kind === 'line') && o.diag_key) {
            const d = this.inMemory(o.diag_key, o.line)
            if (d === undefined) return { need: o.diag_key, line: o.line }
            if (d && shows(d.findings, f.cause)) before = o.diag_key
          }
          continue
        }
        seen = true
        if (o.kind === 'snapshot' || o.kind === 'line') {
          reported = true
          const d = this.inMemory(o.diag_key!, o.line)
          if (d === undefined) return { need: o.diag_key!, line: o.line }
          if (!d) continue
          const showsIt = shows(d.findings, f.cause)
          const lineCodes = o.codes ? o.codes.split(',') : []
          const adequate =
            o.kind === 'snapshot' ||
            f.basis_kind === 'line' ||
            (codes.size > 0 && ![...codes].some((c) => lineCodes.includes(c)))
          if (showsIt && (o.kind === 'snapshot' || f.basis_kind === 'line')) proof = null
          else if (!showsIt && adequate) proof ??= o.at
        } else if (o.kind === 'alert') {
          const named = ALERT_SUBTYPES[subtypeOfDetail(o.detail) ?? '']?.cause ?? null
          if (!(o.codes.split(',').some((c) => codes.has(c)) || named === f.cause)) continue
          if (o.status === 'resolved') {
            reported = true
            proof ??= o.at
          } else if (!named || named === f.cause) {
            reported = true
            proof = null
          }
          // An active alert whose own subtype names another cause is that cause's evidence (it adds it to the device),
          // not this one's, even with a failure code the two share (0x800F0922): the newest evidence per cause decides,
          // so another group's report never takes back this fix's proof.
        }
      }
      const key = current.includes(f.cause) ? diagKey : (before ?? (diagKey?.startsWith('alert:') ? diagKey : null))
      if (proof) {
        rows.set(f.cause, { cause: f.cause, state: 'fixed', diagKey: key, fixedAt: proof, fixId: f.id, why: null })
        current = current.filter((c) => c !== f.cause)
      } else if (!reported)
        rows.set(f.cause, {
          cause: f.cause,
          state: 'awaiting-report',
          diagKey: key,
          fixedAt: null,
          fixId: f.id,
          why: seen ? 'no-report' : 'not-seen',
        })
      else if (current.includes(f.cause))
        rows.set(f.cause, {
          cause: f.cause,
          state: 'failing',
          diagKey: key,
          fixedAt: null,
          fixId: f.id,
          why: 'still-shows',
        })
      else
        rows.set(f.cause, {
          cause: f.cause,
          state: 'unproven',
          diagKey: key,
          fixedAt: null,
          fixId: f.id,
          why: 'line-cannot-show',
        })
    }
    for (const c of current) {
      if (rows.has(c)) continue
      // Its key: the evidence's diagnosis that shows it, else the newer alerts', else its alert subtype's own.
      const key =
        diag && this.problemIds(diag).includes(c)
          ? diagKey
          : alertDiag && this.problemIds(alertDiag).includes(c)
            ? alertKey
            : namedKey(c)
      rows.set(c, {
        cause: c,
        state: 'failing',
        diagKey: key,
        fixedAt: null,
        fixId: null,
        why: isHeld(c) ? 'held' : fixedCauses.has(c) ? 'not-in-fix' : 'no-fix',
      })
    }
    // Written as loops, not chains of arrays and closures: for a device no fix was sent to (nearly every device of a
    // first import) this is most of the work, once per device.
    const all = [...rows.values()]
    let open = false
    for (const r of all)
      if (r.state !== 'fixed') {
        open = true
        break
      }
    // Fixed only with nothing else open: a cleared cause beside a current problem is not a fixed device.
    if (open)
      for (const r of all)
        if (r.state === 'fixed') {
          r.state = 'cleared'
          r.why = 'other-problem'
        }
    // The device's state: the first of failing, awaiting a report, unproven, its current problems (its cause first) before the rest.
    let first: CauseState | undefined
    for (let k = 0; k < RANK.length && !first; k++) {
      const st = RANK[k]!
      for (const c of current) {
        const r = rows.get(c)!
        if (r.state === st) {
          first = r
          break
        }
      }
      if (!first)
        for (const r of all)
          if (r.state === st) {
            first = r
            break
          }
    }
    let device: DeviceState
    if (first) device = { ...base, cause: current[0] ?? first.cause, state: first.state, fixId: first.fixId }
    else if (all.length) {
      const fixed = all.reduce((m, r) => (r.fixedAt! > m.fixedAt! ? r : m))
      device = { ...base, cause: fixed.cause, state: 'fixed', fixedAt: fixed.fixedAt, fixId: fixed.fixId }
    } else if (diag) {
      device = { ...base, cause: NO_PROBLEM, state: 'healthy' }
      all.push({ cause: NO_PROBLEM, state: 'healthy', diagKey, fixedAt: null, fixId: null, why: null })
    } else if (obs.some((o) => o.kind === 'status' || o.kind === 'alert')) {
      // It reported (an update status, a resolved alert, a detection script's own output or error): never "not reported".
      // Its newest status saying the update is installed is no problem; otherwise a report that names no cause.
      let last: ObsRow | null = null
      for (const o of obs) if ((o.kind === 'status' || o.kind === 'alert') && (!last || o.at >= last.at)) last = o
      const installed = (last!.kind === 'status' || last!.status === 'resolved') && INSTALLED.test(last!.detail ?? '')
      const cause = installed ? NO_PROBLEM : REPORTED
      const state = installed ? 'healthy' : 'unknown'
      device = { ...base, cause, state, since: last!.at, basis: `${last!.source} ${last!.kind}`, diagKey: null }
      all.push({ cause, state, diagKey: null, fixedAt: null, fixId: null, why: null })
    } else {
      device = { ...base, cause: NOT_REPORTED, state: 'not-reported', since: null, basis: null, diagKey: null }
      all.push({ cause: NOT_REPORTED, state: 'not-reported', diagKey: null, fixedAt: null, fixId: null, why: null })
    }
    return { device, causes: all }
  }

  private readonly problemsOf = new WeakMap<Diag, readonly string[]>()
  /** A diagnosis' problems (its cause first), worked out once per diagnosis rather than once per device that has it. */
  private problemIds(diag: Diag): readonly string[] {
    let p = this.problemsOf.get(diag)
    if (!p) {
      p =
        diag.cause.cause === NO_PROBLEM
          ? []
          : [...new Set([diag.cause.cause, ...problems(diag.findings).map((f) => f.id)])]
      this.problemsOf.set(diag, p)
    }
    return p
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

  /**
   * The devices by state (each device once), and how many device-cause rows the groups hold: a device with two
   * problems is in both groups, so the groups' counts add up to more than the devices.
   */
  async totals(): Promise<FleetTotals> {
    await this.current()
    const by = await this.devicesByState()
    const n = (k: string) => by[k] ?? 0
    const inGroups = await this.db.get<{ n: number | string | null }>(
      "SELECT sum(n) AS n FROM group_summary WHERE cause <> 'none' AND cause <> 'not-reported' AND cause <> 'reported'",
    )
    return {
      devices: Object.values(by).reduce((t, x) => t + x, 0),
      failing: n('failing'),
      fixed: n('fixed'),
      awaitingReport: n('awaiting-report'),
      unproven: n('unproven'),
      healthy: n('healthy'),
      notReported: n('not-reported'),
      reported: n('unknown'),
      findings: Number(inGroups?.n ?? 0),
    }
  }

  /** The devices counted by state, as refresh() stored them (each device once). */
  private async devicesByState(): Promise<Record<string, number>> {
    const r = await this.db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'device_totals'")
    return (r ? JSON.parse(r.value) : {}) as Record<string, number>
  }

  /** Groups by cause, largest first: counts, share, architectures, builds, codes, evidence, what is unknown, why not proven. */
  async groups(): Promise<FleetGroup[]> {
    await this.current()
    // From the summary refresh() keeps (one row per cause, state, architecture, build, diagnosis and reason): a few rows, not every device.
    const rows = await this.db.all<{
      cause: string
      state: string
      arch: string | null
      build: string | null
      diag_key: string | null
      why: string | null
      n: number
    }>(
      'SELECT cause, state, arch, build, diag_key, why, n FROM group_summary ORDER BY cause, state, arch, build, diag_key, why',
    )
    const devices = Object.values(await this.devicesByState()).reduce((t, x) => t + x, 0) || 1
    const by = new Map<string, FleetGroup & { keys: Set<string>; whys: Map<string, number> }>()
    for (const r of rows) {
      let g = by.get(r.cause)
      if (!g) {
        g = {
          cause: r.cause,
          title: '',
          count: 0,
          share: 0,
          failing: 0,
          fixed: 0,
          cleared: 0,
          unproven: 0,
          notReported: 0,
          architectures: {},
          builds: {},
          codes: [],
          repair: null,
          evidence: [],
          unknown: [],
          why: [],
          keys: new Set(),
          whys: new Map(),
        }
        by.set(r.cause, g)
      }
      g.count += r.n
      // A device a fix was built for and that has not reported since is still failing on its newest evidence (building
      // a fix deploys nothing); its reason (not seen since the fix) says so. "Not reported" is a device never heard of.
      if (r.state === 'failing' || r.state === 'awaiting-report') g.failing += r.n
      else if (r.state === 'fixed') g.fixed += r.n
      else if (r.state === 'cleared') g.cleared += r.n
      else if (r.state === 'unproven') g.unproven += r.n
      else if (r.state === 'not-reported') g.notReported += r.n
      const a = r.arch ?? 'unknown'
      g.architectures[a] = (g.architectures[a] ?? 0) + r.n
      const b = r.build ?? 'unknown'
      g.builds[b] = (g.builds[b] ?? 0) + r.n
      if (r.diag_key) g.keys.add(r.diag_key)
      if (r.why) g.whys.set(r.why, (g.whys.get(r.why) ?? 0) + r.n)
    }
    const out: FleetGroup[] = []
    for (const g of by.values()) {
      g.share = g.count / devices
      const ds: Diag[] = []
      for (const k of [...g.keys].slice(0, 20)) {
        const d = this.diags.get(k) ?? (await this.diag(k, null))
        if (d) ds.push(d)
      }
      let f = ds.map((d) => d.findings.find((x) => x.id === g.cause)).find((x) => x)
      // A group whose devices all had their cause cleared: its finding from any diagnosis that names it.
      if (!f && g.cause !== NO_PROBLEM && g.cause !== NOT_REPORTED && g.cause !== REPORTED) {
        for (const r of await this.db.all<{ findings: string }>(
          'SELECT findings FROM diagnoses WHERE findings LIKE ? LIMIT 20',
          [`%"id":"${g.cause}"%`],
        )) {
          f = (JSON.parse(r.findings) as Finding[]).find((x) => x.id === g.cause)
          if (f) break
        }
      }
      g.title =
        g.cause === NOT_REPORTED
          ? 'Not reported yet'
          : g.cause === REPORTED
            ? REPORTED_TITLE
            : (f?.title ?? (g.cause === NO_PROBLEM ? 'No servicing problem found' : (ds[0]?.cause.title ?? g.cause)))
      g.repair = f?.repair ? (await import('./detect-cause.ts')).fleetRepairOf(f.repair) : null
      g.codes = [
        ...new Set(ds.flatMap((d) => d.findings.filter((x) => x.id === g.cause).flatMap((x) => x.codes))),
      ].sort()
      if (!g.codes.length && f) g.codes = [...f.codes].sort()
      g.evidence = f?.evidence.slice(0, 3) ?? []
      g.why = [...g.whys]
        .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
        .map(([reason, n]) => ({ reason, devices: n, ...(whyOf(reason) ?? { text: reason, next: '' }) }))
      if (g.cause === NOT_REPORTED)
        g.unknown.push(
          'These devices are assigned but have not sent a collector line, a collected file, an update alert or an update status yet.',
        )
      if (g.cause === REPORTED) {
        g.unknown.push(
          "These devices reported (an update status, a resolved alert, a detection script's own output or error) but nothing they sent names a cause: see each device's timeline, or collect a file from one.",
        )
        const only = Number(
          (await this.db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'status_only'"))?.value ?? 0,
        )
        if (only)
          g.unknown.push(
            `${only} of them sent their update status (UCClientUpdateStatus) only: it says where an update is on the device (offering, installing, installed, on hold), not what is wrong with it; see each device's timeline.`,
          )
      }
      if ([...g.keys].some((k) => k.startsWith('line:')))
        g.unknown.push(
          'Devices known only by their one-line output: partitions, packages and logs are not in it; a collected file from one of them tells more.',
        )
      if ([...g.keys].some((k) => k.startsWith('alert:')))
        g.unknown.push("Devices known only by update alerts: the alert gives a code, not the PC's own evidence.")
      const { keys: _k, whys: _w, ...plain } = g
      void _k
      void _w
      out.push(plain)
    }
    return out.sort(
      (a, b) =>
        Number(a.cause === NO_PROBLEM) - Number(b.cause === NO_PROBLEM) ||
        Number(a.cause === NOT_REPORTED) - Number(b.cause === NOT_REPORTED) ||
        Number(a.cause === REPORTED) - Number(b.cause === REPORTED) ||
        b.count - a.count ||
        a.cause.localeCompare(b.cause),
    )
  }

  /** The devices with one cause (a page of them), by name: each device with it, whatever its other causes; `state` is the cause's own. */
  async devicesOf(
    cause: string,
    opts: { limit?: number; offset?: number; state?: string } = {},
  ): Promise<
    {
      name: string
      state: string
      since: string | null
      arch: string | null
      build: string | null
      fixedAt: string | null
    }[]
  > {
    await this.current()
    return this.db.all(
      `SELECT d.name, c.state, s.since, s.arch, s.build, c.fixed_at AS "fixedAt" FROM device_causes c JOIN device_state s ON s.device_id = c.device_id JOIN devices d ON d.id = c.device_id
      WHERE c.cause = ? ${opts.state ? 'AND c.state = ?' : ''} ORDER BY d.name_key LIMIT ? OFFSET ?`,
      [cause, ...(opts.state ? [opts.state] : []), opts.limit ?? 2_147_483_647, opts.offset ?? 0],
    )
  }

  async device(nameOrId: string): Promise<DeviceView | null> {
    await this.current()
    const db = this.db
    const d = await db.get<{ id: number; name: string; aad_id: string | null; intune_id: string | null }>(
      'SELECT id, name, aad_id, intune_id FROM devices WHERE name_key = ? OR aad_id = ? OR intune_id = ?',
      [nameOrId.toUpperCase(), nameOrId.toLowerCase(), nameOrId.toLowerCase()],
    )
    if (!d) return null
    const s = await db.get<{
      cause: string
      state: string
      since: string | null
      basis: string | null
      diag_key: string | null
      arch: string | null
      build: string | null
      fixed_at: string | null
    }>('SELECT * FROM device_state WHERE device_id = ?', [d.id])
    const diag = s?.diag_key ? await this.diag(s.diag_key, null) : null
    const obs = await db.all<{
      source: string
      kind: string
      at: string
      line: string | null
      codes: string
      status: string | null
      file: string | null
      detail: string
    }>(
      'SELECT source, kind, at, line, codes, status, file, detail FROM observations WHERE device_id = ? ORDER BY at, id',
      [d.id],
    )
    return {
      id: d.id,
      name: d.name,
      aadId: d.aad_id,
      intuneId: d.intune_id,
      cause: s?.cause ?? NOT_REPORTED,
      title:
        s?.cause === REPORTED
          ? REPORTED_TITLE
          : s?.cause === NO_PROBLEM
            ? 'No servicing problem found'
            : (diag?.cause.title ?? 'Not reported yet'),
      state: s?.state ?? 'not-reported',
      since: s?.since ?? null,
      basis: s?.basis ?? null,
      arch: s?.arch ?? null,
      build: s?.build ?? null,
      fixedAt: s?.fixed_at ?? null,
      findings: diag?.findings ?? [],
      causes: (
        await db.all<{ cause: string; state: string; fixed_at: string | null; why: string | null }>(
          'SELECT cause, state, fixed_at, why FROM device_causes WHERE device_id = ? ORDER BY cause',
          [d.id],
        )
      ).map((c) => ({
        cause: c.cause,
        state: c.state,
        fixedAt: c.fixed_at,
        why: c.why ? (whyOf(c.why)?.text ?? c.why) : null,
        next: c.why ? (whyOf(c.why)?.next ?? null) : null,
      })),
      observations: obs.map((o) => ({ ...o, status: o.status || null, codes: o.codes ? o.codes.split(',') : [] })),
    }
  }

  /** For each build among the cause's failing devices (a fix sent and no report since included): one device's newest collected file (to plan the group's repair on). */
  async representativeFiles(cause: string): Promise<[build: string, file: string, arch: string][]> {
    await this.current()
    const rows = await this.db.all<{ build: string | null; arch: string | null; file: string }>(
      `SELECT s.build, s.arch, o.file FROM device_causes c JOIN device_state s ON s.device_id = c.device_id JOIN observations o ON o.device_id = s.device_id
      WHERE c.cause = ? AND c.state IN ('failing', 'awaiting-report') AND o.kind = 'snapshot' AND o.file IS NOT NULL ORDER BY o.at DESC, o.id DESC`,
      [cause],
    )
    const out = new Map<string, [string, string, string]>()
    for (const r of rows) if (r.build && !out.has(r.build)) out.set(r.build, [r.build, r.file, r.arch ?? 'unknown'])
    return [...out.values()]
  }

  /** Records a fix for a cause's devices (those failing with it now); proof comes from evidence after `at`. */
  async recordFix(
    cause: string,
    outDir: string,
    codes: readonly string[],
    at = new Date().toISOString(),
  ): Promise<{ fixId: number; devices: number }> {
    await this.current()
    const db = this.db
    return db.tx(async () => {
      const id = (await db.get<{ id: number }>(
        'INSERT INTO fixes(cause, at, out_dir, codes) VALUES(?, ?, ?, ?) RETURNING id',
        [cause, at, outDir, codes.join(',')],
      ))!.id
      // Every device failing with the cause now, whether it is the device's first problem or not.
      const n = await db.run(
        `INSERT INTO fix_devices(fix_id, device_id, basis_kind) SELECT CAST(? AS INTEGER), s.device_id, CASE WHEN s.basis LIKE '% line' THEN 'line' WHEN s.basis LIKE '% snapshot' THEN 'snapshot' ELSE 'alert' END
        FROM device_causes c JOIN device_state s ON s.device_id = c.device_id WHERE c.cause = ? AND c.state = 'failing'`,
        [id, cause],
      )
      // The devices' causes now await this fix's proof: worked out again before the next answer.
      await this.markStale(true)
      return { fixId: id, devices: n }
    })
  }

  async rejected(limit = 100): Promise<{ import: string; row: number; error: string; raw: string }[]> {
    await this.ready
    return this.db.all(
      'SELECT i.file AS "import", r.row, r.error, r.raw FROM rejected r JOIN imports i ON i.id = r.import_id ORDER BY r.id DESC LIMIT ?',
      [limit],
    )
  }

  /** Every device's cause and state as rows of the findings table (Logs Ingestion: logs-ingestion.ts). */
  async findingRows(now = new Date().toISOString()): Promise<FindingRow[]> {
    const titles = new Map((await this.groups()).map((g) => [g.cause, g.title]))
    return (
      await this.db.all<{
        name: string
        aad_id: string | null
        cause: string
        state: string
        since: string | null
        fixed_at: string | null
        build: string | null
        arch: string | null
      }>(
        'SELECT d.name, d.aad_id, s.cause, s.state, s.since, s.fixed_at, s.build, s.arch FROM device_state s JOIN devices d ON d.id = s.device_id ORDER BY d.name_key',
      )
    ).map((r) => ({
      TimeGenerated: now,
      Computer: r.name,
      AzureADDeviceId: r.aad_id,
      Cause: r.cause,
      CauseTitle: titles.get(r.cause) ?? r.cause,
      State: r.state,
      EvidenceTime: r.since,
      FixedAt: r.fixed_at,
      Build: r.build,
      Architecture: r.arch,
    }))
  }

  /** Every device with its state, for the report (name order). */
  async allDevices(): Promise<
    {
      name: string
      cause: string
      state: string
      since: string | null
      arch: string | null
      build: string | null
      fixedAt: string | null
    }[]
  > {
    await this.current()
    return this.db.all(
      'SELECT d.name, s.cause, s.state, s.since, s.arch, s.build, s.fixed_at AS "fixedAt" FROM device_state s JOIN devices d ON d.id = s.device_id ORDER BY d.name_key',
    )
  }
}

/** The key a line's diagnosis is cached under: what the diagnosis reads of it (not the host or the time). */
export function lineDiagKey(text: string): string | null {
  const l = parseCollectorLines(text)[0]
  return l ? `line:${lineKey(l)}` : null
}

/** Rows that can stand as a diagnosis' plan (refreshIn): every one keyed by the device's own diagnosis, no fix in it. */
/** Rows in (time, id) order. */
const byTime = (x: ObsRow, y: ObsRow) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.id - y.id)

/**
 * A device's rows put in (time, id) order in place: its evidence came in that order, its alerts and statuses after
 * it. A few rows (nearly every device) by insertion, which allocates nothing (Array.prototype.sort made a working
 * copy each time: at 200,000 devices a ninth of what a refresh allocated); more by sort.
 */
function inTimeOrder(l: ObsRow[]): void {
  if (l.length > 32) {
    l.sort(byTime)
    return
  }
  for (let i = 1; i < l.length; i++) {
    const x = l[i]!
    let j = i - 1
    if (byTime(l[j]!, x) <= 0) continue
    while (j >= 0 && byTime(l[j]!, x) > 0) {
      l[j + 1] = l[j]!
      j--
    }
    l[j + 1] = x
  }
}

/** The diagnosis key of a cause an alert's subtype names. */
const namedKey = (c: string): string => (c === SAFEGUARD_HOLD ? HOLD_DIAG_KEY : subtypeDiagKey(c))

function fitsPlan(causes: readonly CauseState[], diagKey: string | null): boolean {
  for (const c of causes) if (c.diagKey !== diagKey || c.fixedAt !== null || c.fixId !== null) return false
  return true
}

/** A device's cause rows are its diagnosis' plan: the same causes, states and reasons, in order, keyed by its diagnosis, no fix. */
function samePlan(
  plan: readonly { cause: string; state: string; why: string | null }[],
  causes: readonly CauseState[],
  diagKey: string | null,
): boolean {
  if (plan.length !== causes.length || !fitsPlan(causes, diagKey)) return false
  for (let i = 0; i < plan.length; i++) {
    const p = plan[i]!,
      c = causes[i]!
    if (c.cause !== p.cause || c.state !== p.state || c.why !== p.why) return false
  }
  return true
}

/** An update status that says the update is in: UCClientUpdateStatus, Intune's reports, the update history, event 19. */
const INSTALLED =
  /(?:^| · )(?:UpdateInstalled|Installed|Success)(?: · |$)|^Update history · installed|^Windows Update event 19\b/

/** Where a newer status of the same source ends an alert: a report that gives a device's current state, not a history of alerts. */
const STATE_SOURCES = new Set(['uc-service-update-status', 'intune-report'])
/** Causes a collected file or line can show on the device itself: there, evidence newer than the alert decides. */
const ON_DEVICE = new Set(['pending-restart', 'wu-components', 'component-store-corruption'])

/**
 * An alert's subtype from its detail, and whether a cause is a hold, each worked out once per distinct text rather
 * than once per alert row or device (a refresh reads every alert of the fleet: a million devices' rows hold a handful
 * of distinct details).
 */
const subtypeByDetail = new Map<string, string | null>()
function subtypeOfDetail(detail: string | null | undefined): string | null {
  const d = detail ?? ''
  let st = subtypeByDetail.get(d)
  if (st === undefined) {
    st = alertSubtypeOf(d)
    // A cache, not a record of every text: an import of unlike details (a person's own words) does not grow it without end.
    if (subtypeByDetail.size >= 4096) subtypeByDetail.clear()
    subtypeByDetail.set(d, st)
  }
  return st
}
const heldByCause = new Map<string, boolean>()
function isHeld(cause: string): boolean {
  let h = heldByCause.get(cause)
  if (h === undefined) {
    h = heldCause(cause)
    heldByCause.set(cause, h)
  }
  return h
}

const NONE_NAMED: ReadonlyMap<string, string> = new Map()

/** The causes a device's alerts name by subtype (cause -> newest time): per subtype, its newest alert active and not ended since. */
function subtypeCauses(obs: readonly ObsRow[], evidenceAt: string | null): ReadonlyMap<string, string> {
  // Its maps made only for a device whose alerts name a subtype (most devices' have none: a map each was a fifth of
  // what a refresh allocated).
  let newest: Map<string, ObsRow> | undefined
  let lastState: Map<string, string> | undefined
  for (const o of obs) {
    if (o.kind === 'status' && STATE_SOURCES.has(o.source)) {
      lastState ??= new Map()
      const p = lastState.get(o.source)
      if (!p || o.at > p) lastState.set(o.source, o.at)
    }
    if (o.kind !== 'alert') continue
    const st = subtypeOfDetail(o.detail)
    if (!st) continue
    newest ??= new Map()
    const p = newest.get(st)
    if (!p || o.at >= p.at) newest.set(st, o)
  }
  if (!newest) return NONE_NAMED
  const out = new Map<string, string>()
  for (const [st, o] of newest) {
    if (o.status !== 'active') continue
    if (STATE_SOURCES.has(o.source) && (lastState?.get(o.source) ?? '') > o.at) continue
    const c = ALERT_SUBTYPES[st]!.cause
    if (ON_DEVICE.has(c) && evidenceAt && evidenceAt > o.at) continue
    if (!out.has(c) || out.get(c)! < o.at) out.set(c, o.at)
  }
  return out
}

/** No active alert code (shared: callers only read it). */
const NO_ACTIVE: { readonly codes: readonly string[]; readonly at: string } = Object.freeze({
  codes: Object.freeze([]),
  at: '',
})

/**
 * The failure codes of a device's alerts newer than `after` (all of them when null) whose newest alert is active. Its
 * map made only for a device with such alerts: the refresh asks for every device, most of which have none.
 */
function activeAlertCodes(
  obs: readonly ObsRow[],
  after: string | null,
): { readonly codes: readonly string[]; readonly at: string } {
  let state: Map<string, { active: boolean; at: string }> | undefined
  for (const o of obs) {
    if (o.kind !== 'alert' || !o.codes || (after !== null && !(o.at > after))) continue
    state ??= new Map()
    for (const c of o.codes.split(',')) {
      const prev = state.get(c)
      if (!prev || o.at >= prev.at) state.set(c, { active: o.status === 'active', at: o.at })
    }
  }
  if (!state) return NO_ACTIVE
  const act = [...state].filter(([, v]) => v.active)
  // The latest time (ISO text: the greatest string), '' when none is active.
  let at = ''
  for (const [, v] of act) if (v.at > at) at = v.at
  return { codes: act.map(([c]) => c).sort(), at }
}
