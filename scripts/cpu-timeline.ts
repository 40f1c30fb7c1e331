/**
 * The unit run laid out in time, from the per-file log of test/unit/setup-cpu-log.ts (each file's start, wall and
 * CPU): per slice of the run, how many files were running and how many cores they kept busy, their CPU spread evenly
 * over each file's wall time. On an idle machine a slice where the files kept fewer cores busy than files ran is a
 * slice where files waited (on a timer, a server, a child that itself waited) instead of computing: what more workers
 * than cores, or a wait bounded by an event, can win. On a busy machine every file's wall stretches and the figures
 * say only how the run was spread. Printed by `node scripts/cpu-by-file.ts LOG --timeline`.
 */

export interface FileTimes {
  file: string
  self: number
  children: number | null
  wall: number
  /** ms since 1970; lines written before it was logged have none and are left out of the time line. */
  start?: number
}

export interface Slice {
  /** Seconds from the first file's start. */
  from: number
  to: number
  /** Files running, on average over the slice. */
  files: number
  /** Cores the files kept busy, on average over the slice. */
  cores: number
}

/** The run cut in slices of `sliceS` seconds. Pure. */
export function timeline(rows: readonly FileTimes[], sliceS: number): Slice[] {
  if (!(sliceS > 0)) throw new Error(`a slice must be longer than 0 s, not ${sliceS}`)
  const timed = rows.filter((r) => typeof r.start === 'number' && r.wall > 0)
  if (!timed.length) return []
  const t0 = Math.min(...timed.map((r) => r.start as number)) / 1000
  const end = Math.max(...timed.map((r) => (r.start as number) / 1000 + r.wall)) - t0
  const slices: Slice[] = []
  for (let from = 0; from < end; from += sliceS) {
    const to = Math.min(from + sliceS, end)
    let files = 0
    let cores = 0
    for (const r of timed) {
      const a = (r.start as number) / 1000 - t0
      const overlap = Math.min(to, a + r.wall) - Math.max(from, a)
      if (overlap <= 0) continue
      files += overlap
      cores += ((r.self + (r.children ?? 0)) * overlap) / r.wall
    }
    slices.push({ from, to, files: files / (to - from), cores: cores / (to - from) })
  }
  return slices
}
