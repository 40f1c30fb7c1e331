/**
 * Read-only views of the fleet store for the Fleet screen: a window of the device list (search and filters, any
 * offset; the screen shows 50,000 devices a screenful at a time), the newest fix of each group, and a device's fixes
 * with their proof. Plain SQL over the store's own tables (store.ts keeps writing them), on either engine; nothing here changes a row.
 */
import type { FleetDb } from './store-db.ts'

export interface DeviceFilter {
  search?: string
  cause?: string
  state?: string
  arch?: string
  build?: string
}

export interface DeviceRow {
  name: string
  cause: string
  state: string
  since: string | null
  arch: string | null
  build: string | null
  fixedAt: string | null
}

/** The WHERE clause of a filter, values bound (a search is a substring of the name, `%` and `_` taken literally). */
function where(f: DeviceFilter): { sql: string; args: string[] } {
  const c: string[] = []
  const args: string[] = []
  if (f.search) {
    c.push("d.name_key LIKE ? ESCAPE '\\'")
    args.push(`%${f.search.toUpperCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`)
  }
  // A group's devices: every device with the cause, whatever its first problem.
  if (f.cause) {
    c.push('EXISTS (SELECT 1 FROM device_causes c WHERE c.device_id = s.device_id AND c.cause = ?)')
    args.push(f.cause)
  }
  if (f.state) {
    c.push('s.state = ?')
    args.push(f.state)
  }
  if (f.arch) {
    c.push(f.arch === 'unknown' ? 's.arch IS NULL' : 's.arch = ?')
    if (f.arch !== 'unknown') args.push(f.arch)
  }
  if (f.build) {
    c.push(f.build === 'unknown' ? 's.build IS NULL' : 's.build = ?')
    if (f.build !== 'unknown') args.push(f.build)
  }
  return { sql: c.length ? `WHERE ${c.join(' AND ')}` : '', args }
}

/** One window of the devices a filter keeps, by name, and how many it keeps in all. */
export async function deviceWindow(
  db: FleetDb,
  f: DeviceFilter,
  offset: number,
  limit: number,
): Promise<{ total: number; rows: DeviceRow[] }> {
  const w = where(f)
  const from = 'FROM device_state s JOIN devices d ON d.id = s.device_id'
  const total = Number((await db.get<{ n: number | string }>(`SELECT count(*) AS n ${from} ${w.sql}`, w.args))?.n ?? 0)
  const rows = await db.all<DeviceRow>(
    `SELECT d.name, s.cause, s.state, s.since, s.arch, s.build, s.fixed_at AS "fixedAt" ${from} ${w.sql} ORDER BY d.name_key LIMIT ? OFFSET ?`,
    [...w.args, limit, offset],
  )
  return { total, rows }
}

/** The newest fix of each group, with the devices it was built for. */
export async function newestFixes(db: FleetDb): Promise<{ cause: string; at: string; devices: number }[]> {
  const rows = await db.all<{
    cause: string
    at: string
    devices: number | string
  }>(`SELECT f.cause, f.at, (SELECT count(*) FROM fix_devices x WHERE x.fix_id = f.id) AS devices FROM fixes f
    WHERE f.id = (SELECT max(id) FROM fixes g WHERE g.cause = f.cause) ORDER BY f.at DESC`)
  return rows.map((r) => ({ cause: r.cause, at: r.at, devices: Number(r.devices) }))
}

/** The fixes built for a device (oldest first) and the one its proof belongs to. */
export async function fixesOfDevice(
  db: FleetDb,
  name: string,
): Promise<{ cause: string; at: string; proven: boolean; fixedAt: string | null; why: string | null }[]> {
  const rows = await db.all<{
    id: number | string
    cause: string
    at: string
    fix_id: number | string | null
    fixed_at: string | null
    state: string | null
    why: string | null
  }>(
    `SELECT f.id, f.cause, f.at, c.fix_id, c.fixed_at, c.state, c.why FROM fix_devices x JOIN fixes f ON f.id = x.fix_id JOIN devices d ON d.id = x.device_id
    LEFT JOIN device_causes c ON c.device_id = d.id AND c.cause = f.cause WHERE d.name_key = ? ORDER BY f.at, f.id`,
    [name.toUpperCase()],
  )
  // Proven: the cause is gone on evidence after this fix (the device may still have another problem: `cleared`).
  return rows.map((r) => {
    const mine = r.fix_id !== null && Number(r.fix_id) === Number(r.id)
    const proven = mine && (r.state === 'fixed' || r.state === 'cleared')
    return {
      cause: r.cause,
      at: r.at,
      proven,
      fixedAt: proven ? r.fixed_at : null,
      why: mine && !proven ? r.why : null,
    }
  })
}

/** The architectures and builds among the devices (for the filters). */
export async function fleetFacets(
  db: FleetDb,
): Promise<{ architectures: string[]; builds: string[]; imports: number }> {
  const col = async (c: 'arch' | 'build') =>
    (await db.all<{ v: string }>(`SELECT DISTINCT coalesce(${c}, 'unknown') AS v FROM group_summary ORDER BY v`)).map(
      (r) => r.v,
    )
  return {
    architectures: await col('arch'),
    builds: await col('build'),
    imports: Number((await db.get<{ n: number | string }>('SELECT count(*) AS n FROM imports'))?.n ?? 0),
  }
}
