/**
 * The one door the fleet store uses to reach its engine: SQL text with `?` parameters, rows back as plain objects,
 * one transaction at a time. Two engines stand behind it: node:sqlite (the default: one file in the data folder,
 * no server) and PostgreSQL (store-postgres.ts: a team's shared server). node:sqlite answers synchronously; the
 * methods are async so that PostgreSQL fits the same shape, and the SQLite side stays as fast as it was (the
 * statements are prepared once and the await costs a microtask, not a round trip).
 *
 * Only the SQL both engines read goes through here; where they differ (the schema's row ids, a planner hint) the
 * store asks `engine`.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export type SqlValue = string | number | null

export interface FleetDb {
  readonly engine: 'sqlite' | 'postgres'
  /** Rows per multi-row INSERT: what the engine takes best in one statement (PostgreSQL: one round trip each). */
  readonly batchRows: number
  /** Where the store is, fit to show a person (a connection string without its password). */
  readonly where: string
  /**
   * PostgreSQL only: rows into `table` by COPY FROM STDIN, `text` in COPY's text format (copyRow); the rows written.
   */
  copyIn?(table: string, columns: readonly string[], text: string): Promise<number>
  /** Statements without parameters (a migration). */
  exec(sql: string): Promise<void>
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>
  /** The number of rows the statement changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>
  /** `f` in one transaction that writes (on PostgreSQL, one writer at a time across every PC that shares the store). */
  tx<T>(f: () => Promise<T>): Promise<T>
  /**
   * A writing transaction held open across calls (an import handed over in small parts: their rows need not be held
   * until a whole batch is read), ended by commit() or rollback(). One at a time: tx() and begin() wait their turn.
   */
  begin(): Promise<void>
  commit(): Promise<void>
  rollback(): Promise<void>
  /**
   * An import's many writes (on) or the store's everyday use (off), between transactions: SQLite writes an import's
   * batches through a rollback journal rather than the write-ahead log (see SqliteFleetDb); PostgreSQL is unchanged.
   */
  bulkWrites(on: boolean): Promise<void>
  close(): Promise<void>
}

const COPY_SPECIAL = /[\\\t\n\r]/
const COPY_ALL = /[\\\t\n\r]/g
const COPY_ESCAPE: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }
/**
 * One row in COPY's text format (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format"): fields
 * between tabs, NULL as \N, a backslash, tab, newline or carriage return in a value written as its backslash escape
 * (so no value can end a row or the data early: a row `\.` is written `\\.`); the newline that ends it included.
 */
export function copyRow(values: readonly SqlValue[]): string {
  let out = ''
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!
    const f =
      v === null
        ? '\\N'
        : typeof v === 'number'
          ? String(v)
          : COPY_SPECIAL.test(v)
            ? v.replace(COPY_ALL, (c) => COPY_ESCAPE[c]!)
            : v
    out += k ? `\t${f}` : f
  }
  return `${out}\n`
}

/**
 * One writing transaction at a time on a connection, first come first served: with a transaction held open across
 * awaits (begin … commit), another caller's BEGIN would otherwise land inside it.
 */
/** The page cache every store is opened with (cache_size: negative is KiB): 64 MiB. */
export const PAGE_CACHE = -65536

export class WriteTurns {
  private last: Promise<void> = Promise.resolve()
  private end: (() => void) | null = null
  /** Waits until no transaction is open, then holds the turn until release(). */
  async take(): Promise<void> {
    let done!: () => void
    const mine = new Promise<void>((r) => {
      done = r
    })
    const before = this.last
    this.last = before.then(() => mine)
    await before
    this.end = done
  }
  release(): void {
    const e = this.end
    this.end = null
    e?.()
  }
}

/** node:sqlite: one file (or ':memory:'), WAL, foreign keys on. */
export class SqliteFleetDb implements FleetDb {
  readonly engine = 'sqlite' as const
  // 50 rows a statement: one statement per row cost node:sqlite's call and binding each time (~35% of an import).
  readonly batchRows = 50
  readonly where: string
  readonly raw: DatabaseSync
  private readonly stmts = new Map<string, StatementSync>()
  private readonly arrays = new Map<string, { stmt: StatementSync; names: string[] | null }>()

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
    this.where = file
    this.raw = new DatabaseSync(file)
    // A page cache of 64 MiB (SQLite's default is 2 MiB: a 200,000-device import read its own index pages back from
    // the file again and again). Temporary storage stays SQLite's default (files): with it in memory, the sorts that
    // build the refresh's indexes held every key in memory (200,000 devices: peak 540 MB, 405 MB without, the same CPU).
    this.raw.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = ${PAGE_CACHE};`,
    )
  }

  private stmt(sql: string): StatementSync {
    let s = this.stmts.get(sql)
    if (!s) {
      s = this.raw.prepare(sql)
      this.stmts.set(sql, s)
    }
    return s
  }

  async exec(sql: string): Promise<void> {
    this.raw.exec(sql)
  }
  /**
   * Rows as plain objects built here from node:sqlite's arrays: its own row objects (null-prototype, a property set at
   * a time) cost 4-10 µs a row to make and stay slow to read, which for the 200,000 rows a refresh reads was most of
   * its reading (the SQL under 10%). Same keys and values; a repeated column name keeps its last value, as node:sqlite does;
   * a column named `__proto__` (which would set a plain object's prototype) is left to node:sqlite's own rows.
   */
  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    let a = this.arrays.get(sql)
    if (!a) {
      const stmt = this.raw.prepare(sql)
      const names = stmt.columns().map((c) => c.name)
      if (!names.includes('__proto__')) stmt.setReturnArrays(true)
      a = { stmt, names: names.includes('__proto__') ? null : names }
      this.arrays.set(sql, a)
    }
    if (!a.names) return a.stmt.all(...params) as T[]
    const rows = a.stmt.all(...params) as unknown as SqlValue[][]
    const names = a.names
    const out: T[] = new Array(rows.length)
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!
      const o: Record<string, SqlValue> = {}
      for (let k = 0; k < names.length; k++) o[names[k]!] = r[k]!
      out[i] = o as T
    }
    return out
  }
  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.stmt(sql).get(...params) as T | undefined
  }
  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return Number(this.stmt(sql).run(...params).changes)
  }

  private readonly turns = new WriteTurns()
  async tx<T>(f: () => Promise<T>): Promise<T> {
    await this.begin()
    try {
      const r = await f()
      await this.commit()
      return r
    } catch (err) {
      await this.rollback()
      throw err
    }
  }
  async begin(): Promise<void> {
    await this.turns.take()
    try {
      this.applyMode()
      this.raw.exec('BEGIN IMMEDIATE')
    } catch (err) {
      this.turns.release()
      throw err
    }
  }
  /** A commit that fails leaves the transaction open: the caller rolls it back. */
  async commit(): Promise<void> {
    this.raw.exec('COMMIT')
    this.turns.release()
  }
  async rollback(): Promise<void> {
    try {
      this.raw.exec('ROLLBACK')
    } finally {
      this.turns.release()
    }
  }

  /** The mode the file is in (true: an import's rollback journal), and the one asked for. */
  private bulk = false
  private wantBulk = false
  /**
   * During an import, a rollback journal (TRUNCATE) with synchronous=FULL in place of the write-ahead log: each batch's
   * commit writes its pages into the file once, where in WAL mode they went into the log and were copied again into
   * the file at each checkpoint (every batch of 20,000 rows wrote more than the 1,000 pages that start one): at
   * 200,000 devices the commits' CPU 1.5-1.6 s -> 0.8 s. Crash safety is kept: a batch is committed or not, after a
   * killed app or a power loss alike (FULL syncs the journal before the file is written). What is lost meanwhile is
   * WAL's readers beside a writer: another app reading the store waits for each commit. SQLite changes the mode only
   * when no other connection has the file open ("database is locked" otherwise) and outside a transaction: the import
   * then goes on in WAL, as before, and the change is tried again at the next transaction. Every store is opened in
   * WAL (the constructor), so a file a stopped import left in the other mode goes back to it.
   */
  async bulkWrites(on: boolean): Promise<void> {
    this.wantBulk = on
    if (!this.raw.isTransaction) this.applyMode()
  }
  private applyMode(): void {
    if (this.wantBulk === this.bulk || this.where === ':memory:') return
    try {
      const r = this.raw.prepare(`PRAGMA journal_mode = ${this.wantBulk ? 'TRUNCATE' : 'WAL'}`).get() as
        | { journal_mode?: string }
        | undefined
      this.bulk = r?.journal_mode === 'truncate'
    } catch {
      // Busy: another connection has the file open. It stays as it is.
    }
    this.raw.exec(`PRAGMA synchronous = ${this.bulk ? 'FULL' : 'NORMAL'}`)
  }

  async close(): Promise<void> {
    if (this.bulk && !this.raw.isTransaction) {
      this.wantBulk = false
      this.applyMode()
    }
    this.stmts.clear()
    this.arrays.clear()
    this.raw.close()
  }
}
