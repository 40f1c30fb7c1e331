/**
 * The fleet store on PostgreSQL, for a helpdesk that shares one store (`fleet --store postgres://user@host/db`):
 * the same tables, queries and results as the SQLite file, in their own schema (`servicing_desk`) so that they sit
 * beside a team's other tables without touching them.
 *
 * The connection string goes to `pg` as it is, so its TLS settings (`sslmode`, `sslrootcert`, `sslcert`, `sslkey`)
 * and the usual PG* environment variables (`PGPASSWORD`, …) work as they do for `pg`
 * (https://node-postgres.com/features/ssl, https://node-postgres.com/features/connecting). Its password is never shown:
 * every place and every error says the string with the password replaced.
 *
 * Writers take one advisory lock per transaction, so two technicians importing at once take turns instead of
 * colliding on the device list (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS).
 */
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { WriteTurns, type FleetDb, type SqlValue } from './store-db.ts'

/** The schema the fleet's tables live in. */
export const PG_SCHEMA = 'servicing_desk'
/** The advisory lock every writing transaction holds (one number for the fleet store: "SD45"). */
const WRITE_LOCK = 0x53443435

export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location)
}

/** The connection string with its password (and any key password) replaced by `***`. */
export function redactConnection(location: string): string {
  try {
    const u = new URL(location)
    if (u.password) u.password = '***'
    for (const k of ['password', 'sslpassword']) if (u.searchParams.has(k)) u.searchParams.set(k, '***')
    return u.toString().replace(/%2A%2A%2A/g, '***')
  } catch {
    // Not a URL the parser takes: drop whatever stands between the user name and the host.
    return location.replace(/(\/\/[^:@/]*):[^@]*@/, '$1:***@').replace(/((?:ssl)?password=)[^&]*/gi, '$1***')
  }
}

/** The secrets a connection string holds, as they may appear in text (raw and decoded). */
function secretsOf(location: string): string[] {
  const out = new Set<string>()
  try {
    const u = new URL(location)
    for (const s of [u.password, u.searchParams.get('password'), u.searchParams.get('sslpassword')]) {
      if (!s) continue
      out.add(s)
      try {
        out.add(decodeURIComponent(s))
      } catch {
        /* not percent-encoded */
      }
    }
  } catch {
    const m = /\/\/[^:@/]*:([^@]*)@/.exec(location)
    if (m?.[1]) out.add(m[1])
  }
  return [...out].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)
}

function scrub(text: string, secrets: readonly string[]): string {
  let t = text
  for (const s of secrets) t = t.split(s).join('***')
  return t
}

const isLoopbackHost = (h: string) =>
  h === '' || h === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || h === '[::1]' || h.startsWith('/')

function hostOf(location: string): string {
  try {
    const u = new URL(location)
    return u.searchParams.get('host') || u.hostname || 'localhost'
  } catch {
    return 'the given address'
  }
}

/**
 * TLS for a server on another computer: verified (the server's certificate checked against the system's authorities,
 * or sslrootcert=FILE) unless the connection string says otherwise — and it may not say less than verified there
 * (sslmode disable, allow, prefer or no-verify would send the sign-in where anyone on the way reads or answers it).
 * A server on this computer (localhost, 127.x, ::1, a socket folder) is left as the string says.
 */
export function tlsFor(location: string): { ssl?: { rejectUnauthorized: true } } {
  let host = 'localhost'
  let mode: string | null = null
  let sslParam: string | null = null
  try {
    const u = new URL(location)
    host = (u.searchParams.get('host') || u.hostname || process.env.PGHOST || 'localhost').toLowerCase()
    mode = u.searchParams.get('sslmode')
    sslParam = u.searchParams.get('ssl')
  } catch {
    return {}
  }
  mode ??= process.env.PGSSLMODE ?? null
  if (isLoopbackHost(host)) return {}
  if (
    (mode && ['disable', 'allow', 'prefer', 'no-verify'].includes(mode.toLowerCase())) ||
    sslParam === 'false' ||
    sslParam === '0'
  ) {
    throw new Error(
      `The PostgreSQL server at ${host} is on another computer: Servicing Desk connects to it only over verified TLS (sslmode=${mode ?? 'disable'} would send the sign-in unprotected or to anyone who answers). Use sslmode=verify-full, with sslrootcert=FILE when the server's certificate comes from your own authority.`,
    )
  }
  return mode || sslParam ? {} : { ssl: { rejectUnauthorized: true } }
}

/** What went wrong, in words a technician can act on; never the password. */
export function explainPostgresError(err: unknown, location: string): Error {
  const e = err as { code?: string; message?: string; errno?: string; address?: string; port?: number }
  const where = redactConnection(location)
  let host = ''
  let user = ''
  let db = ''
  try {
    const u = new URL(location)
    host = `${u.hostname || 'localhost'}${u.port ? `:${u.port}` : ''}`
    user = decodeURIComponent(u.username)
    db = decodeURIComponent(u.pathname.slice(1))
  } catch {
    /* shown as given */
  }
  const msg = e?.message ?? String(err)
  let text: string
  switch (e?.code) {
    case 'ECONNREFUSED':
      text = `Cannot reach the PostgreSQL server at ${host || where}: nothing answers on that port. Is the server running, and is the host and port right?`
      break
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      text = `Cannot reach the PostgreSQL server: the host name in ${where} is not known.`
      break
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      text = `Cannot reach the PostgreSQL server at ${host || where}: no answer (${e.code === 'ETIMEDOUT' ? 'timed out' : 'no route to it'}).`
      break
    case '28P01':
      text = `The PostgreSQL server at ${host} refused the sign-in of user '${user}': the password is wrong.`
      break
    case '28000':
      text = `The PostgreSQL server at ${host} does not let user '${user}' in (${msg}).`
      break
    case '3D000':
      text = `The PostgreSQL server at ${host} has no database '${db}'.`
      break
    case '42501':
      text = `User '${user}' may not do this in the database '${db}': ${msg}. The fleet store needs to create its schema and tables there (or have them created for it).`
      break
    default:
      if ((err as { sdPlain?: boolean }).sdPlain) text = msg
      else if (/timeout expired|Connection terminated due to connection timeout/i.test(msg))
        text = `Cannot reach the PostgreSQL server at ${host || where}: no answer in time.`
      else if (/SASL|client password must be a string/i.test(msg))
        text = `The PostgreSQL server at ${host} asks for a password and none was given (put it in the connection string or in PGPASSWORD).`
      else if (/does not support SSL/i.test(msg))
        text = `The PostgreSQL server at ${host} does not offer TLS, which the connection string asks for (sslmode), or which a server on another computer needs: Servicing Desk sends its sign-in there only over verified TLS.`
      else if (/certificate|self[- ]signed|SSL|TLS/i.test(msg))
        text = `TLS to the PostgreSQL server at ${host} failed: ${msg}. Give the server's certificate authority with sslrootcert=FILE in the connection string.`
      else text = `PostgreSQL (${where}): ${msg}`
  }
  const out = new Error(scrub(text, secretsOf(location)))
  ;(out as Error & { code?: string }).code = e?.code
  return out
}

// bigint (count(*)) as a number, as node:sqlite gives it: the fleet's counts stay far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
}

export class PostgresFleetDb implements FleetDb {
  readonly engine = 'postgres' as const
  // 1,000 rows (11,000 parameters; the protocol's limit is 65,535): one round trip per 1,000 rows.
  readonly batchRows = 1000
  readonly where: string
  private readonly location: string
  private readonly client: pg.Client
  private readonly texts = new Map<string, { text: string; name: string }>()
  private broken: Error | null = null

  private constructor(location: string, client: pg.Client) {
    this.location = location
    this.where = redactConnection(location)
    this.client = client
    // A server that goes away between queries: the next query says so (instead of an unhandled 'error' event).
    this.client.on('error', (err) => {
      this.broken = err
    })
  }

  /** Connects, and puts the fleet's schema on the search path (creating it the first time). */
  static async connect(location: string, opts: { connectTimeoutMs?: number } = {}): Promise<PostgresFleetDb> {
    let client: pg.Client
    const tls = tlsFor(location)
    try {
      client = new pg.Client({
        connectionString: location,
        connectionTimeoutMillis: opts.connectTimeoutMs ?? 15_000,
        types,
        application_name: 'Servicing Desk fleet',
        ...tls,
      })
    } catch (err) {
      throw explainPostgresError(err, location)
    }
    // A password goes in clear to no server: asked for it in clear outside TLS, the connection is closed instead.
    const c = client as unknown as {
      _handleAuthCleartextPassword(msg: unknown): void
      connection: { stream: { encrypted?: boolean; destroy(): void }; emit(e: string, err: Error): void }
    }
    const cleartext = c._handleAuthCleartextPassword.bind(client)
    c._handleAuthCleartextPassword = (msg: unknown) => {
      if (c.connection.stream.encrypted) return cleartext(msg)
      const err = Object.assign(
        new Error(
          `The PostgreSQL server at ${hostOf(location)} asked for the password in clear on a connection without TLS; it was not sent. Use TLS (sslmode=verify-full) or have the server ask for scram-sha-256.`,
        ),
        { sdPlain: true },
      )
      c.connection.emit('error', err)
      c.connection.stream.destroy()
    }
    const db = new PostgresFleetDb(location, client)
    try {
      await client.connect()
      const has = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [PG_SCHEMA])
      // Two technicians opening a new database at once both create the schema: PostgreSQL's IF NOT EXISTS is not safe
      // against that race (a unique violation on pg_namespace, 23505, or 42P06); the other one made it, which is all we need.
      if (!has.rowCount) {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${PG_SCHEMA}`).catch((err: { code?: string }) => {
          if (err?.code !== '23505' && err?.code !== '42P06') throw err
        })
      }
      await client.query(`SET search_path TO ${PG_SCHEMA}`)
    } catch (err) {
      await client.end().catch(() => undefined)
      throw explainPostgresError(err, location)
    }
    return db
  }

  /** `?` → `$1, $2, …` (the store's SQL has no `?` inside a string), and a name so the server plans it once. */
  private prepared(sql: string): { text: string; name: string } {
    let p = this.texts.get(sql)
    if (!p) {
      let i = 0
      p = { text: sql.replace(/\?/g, () => `$${++i}`), name: `sd_fleet_${this.texts.size}` }
      this.texts.set(sql, p)
    }
    return p
  }

  private async query<T>(sql: string, params: readonly SqlValue[]): Promise<{ rows: T[]; rowCount: number }> {
    if (this.broken) throw explainPostgresError(this.broken, this.location)
    try {
      const r = params.length
        ? await this.client.query({ ...this.prepared(sql), values: params as SqlValue[] })
        : await this.client.query(this.prepared(sql).text)
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 }
    } catch (err) {
      throw explainPostgresError(err, this.location)
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.client.query(sql)
    } catch (err) {
      throw explainPostgresError(err, this.location)
    }
  }
  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.query<T>(sql, params)).rows
  }
  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return (await this.query<T>(sql, params)).rows[0]
  }
  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.query(sql, params)).rowCount
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
      await this.exec('BEGIN')
      await this.exec(`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`)
    } catch (err) {
      await this.client.query('ROLLBACK').catch(() => undefined)
      this.turns.release()
      throw err
    }
  }
  /** A commit that fails leaves the turn held: the caller rolls back. */
  async commit(): Promise<void> {
    await this.exec('COMMIT')
    this.turns.release()
  }
  async rollback(): Promise<void> {
    try {
      await this.client.query('ROLLBACK').catch(() => undefined)
    } finally {
      this.turns.release()
    }
  }

  /**
   * Rows by `COPY table(columns) FROM STDIN` (text format: `text` is the rows, tab between fields, a newline after each
   * row, made by copyRow): the server reads them as a stream, with no statement to parse and no parameter to type per
   * value, which an import's million rows cost most with `INSERT … SELECT * FROM unnest(…)`. The rows the server wrote.
   */
  async copyIn(table: string, columns: readonly string[], text: string): Promise<number> {
    if (this.broken) throw explainPostgresError(this.broken, this.location)
    try {
      const s = this.client.query(copyFrom(`COPY ${table}(${columns.join(', ')}) FROM STDIN`))
      await new Promise<void>((resolve, reject) => {
        s.on('error', reject)
        s.on('finish', resolve)
        s.end(Buffer.from(text, 'utf8'))
      })
      return s.rowCount
    } catch (err) {
      throw explainPostgresError(err, this.location)
    }
  }

  /** Nothing to change: the server's write-ahead log is its own. */
  async bulkWrites(): Promise<void> {}

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined)
  }
}
