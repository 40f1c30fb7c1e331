/**
 * Read-only views of the fleet store for the Fleet screen: a window of the device list (search and filters, any
 * offset; the screen shows 50,000 devices a screenful at a time), the newest fix of each group, and a device's fixes
 * with their proof. Plain SQL over the store's own tables (store.ts keeps writing them); nothing here changes a row.
 */
import type { DatabaseSync } from 'node:sqlite'

export interface DeviceFilter {
  search?: string
  cause?: string
  state?: string
  arch?: string
  build?: string
}

export interface DeviceRow { name: string; cause: string; state: string; since: string | null; arch: string | null; build: string | null; fixedAt: string | null }

/** The WHERE clause of a filter, values bound (a search is a substring of the name, `%` and `_` taken literally). */
function where(f: DeviceFilter): { sql: string; args: string[] } {
  const c: string[] = []
  const args: string[] = []
  if (f.search) { c.push("d.name_key LIKE ? ESCAPE '\\'"); args.push(`%${f.search.toUpperCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`) }
  if (f.cause) { c.push('s.cause = ?'); args.push(f.cause) }
  if (f.state) { c.push('s.state = ?'); args.push(f.state) }
  if (f.arch) { c.push(f.arch === 'unknown' ? 's.arch IS NULL' : 's.arch = ?'); if (f.arch !== 'unknown') args.push(f.arch) }
  if (f.build) { c.push(f.build === 'unknown' ? 's.build IS NULL' : 's.build = ?'); if (f.build !== 'unknown') args.push(f.build) }
  return { sql: c.length ? `WHERE ${c.join(' AND ')}` : '', args }
}

/** One window of the devices a filter keeps, by name, and how many it keeps in all. */
export function deviceWindow(db: DatabaseSync, f: DeviceFilter, offset: number, limit: number): { total: number; rows: DeviceRow[] } {
  const w = where(f)
  const from = 'FROM device_state s JOIN devices d ON d.id = s.device_id'
  const total = Number((db.prepare(`SELECT count(*) AS n ${from} ${w.sql}`).get(...w.args) as { n: number }).n)
  const rows = db.prepare(`SELECT d.name, s.cause, s.state, s.since, s.arch, s.build, s.fixed_at AS fixedAt ${from} ${w.sql} ORDER BY d.name_key LIMIT ? OFFSET ?`)
    .all(...w.args, limit, offset) as unknown as DeviceRow[]
  return { total, rows }
}

/** The newest fix of each group, with the devices it was built for. */
export function newestFixes(db: DatabaseSync): { cause: string; at: string; devices: number }[] {
  return db.prepare(`SELECT f.cause, f.at, (SELECT count(*) FROM fix_devices x WHERE x.fix_id = f.id) AS devices FROM fixes f
    WHERE f.id = (SELECT max(id) FROM fixes g WHERE g.cause = f.cause) ORDER BY f.at DESC`).all() as unknown as { cause: string; at: string; devices: number }[]
}

/** The fixes built for a device (oldest first) and the one its proof belongs to. */
export function fixesOfDevice(db: DatabaseSync, name: string): { cause: string; at: string; proven: boolean; fixedAt: string | null }[] {
  return (db.prepare(`SELECT f.id, f.cause, f.at, s.fix_id, s.fixed_at, s.state FROM fix_devices x JOIN fixes f ON f.id = x.fix_id JOIN devices d ON d.id = x.device_id
    LEFT JOIN device_state s ON s.device_id = d.id WHERE d.name_key = ? ORDER BY f.at, f.id`).all(name.toUpperCase()) as { id: number; cause: string; at: string; fix_id: number | null; fixed_at: string | null; state: string | null }[])
    .map((r) => { const proven = r.state === 'fixed' && r.fix_id === r.id; return { cause: r.cause, at: r.at, proven, fixedAt: proven ? r.fixed_at : null } })
}

/** The architectures and builds among the devices (for the filters). */
export function fleetFacets(db: DatabaseSync): { architectures: string[]; builds: string[]; imports: number } {
  const col = (c: 'arch' | 'build') => (db.prepare(`SELECT DISTINCT coalesce(${c}, 'unknown') AS v FROM group_summary ORDER BY v`).all() as { v: string }[]).map((r) => r.v)
  return { architectures: col('arch'), builds: col('build'), imports: Number((db.prepare('SELECT count(*) AS n FROM imports').get() as { n: number }).n) }
}
