/**
 * The fleet tests run once per store engine: the SQLite file (the default) and PostgreSQL (a real server this
 * file starts, once per test file, stopped and removed after its tests, also when one failed). Call
 * `fleetEngines()` at the top of a test file and `describe.each` over what it gives.
 */
import { afterAll, beforeAll } from 'vitest'
import { join } from 'node:path'
import { tempDir } from '../temp-dirs.ts'
import { startPostgres, type PgServer } from './postgres-server.ts'
import { hangMs } from '../../load.ts'

export interface FleetEngine {
  name: 'SQLite' | 'PostgreSQL'
  /** A fresh, empty store's location: a file or a connection string. */
  location(): Promise<string>
  /** The PostgreSQL server (PostgreSQL only). */
  server(): Promise<PgServer>
}

export function fleetEngines(opts: { tls?: boolean } = {}): FleetEngine[] {
  let starting: Promise<PgServer> | null = null
  beforeAll(async () => {
    starting = startPostgres(opts)
    await starting
  }, hangMs(120_000))
  afterAll(async () => {
    const s = await starting?.catch(() => null)
    await s?.stop()
  })
  const server = async () => {
    if (!starting) throw new Error('the PostgreSQL server starts before the tests')
    return starting
  }
  return [
    { name: 'SQLite', location: async () => join(await tempDir('sd-fleet-db-'), 'fleet.sqlite'), server },
    { name: 'PostgreSQL', location: async () => (await server()).createDatabase(), server },
  ]
}
