/**
 * The CPU this process and every child it has waited for used, user + system, in seconds: the suite's own cost,
 * printed beside its wall time. Wall time grows with the queue for the cores on a busy machine; CPU time does not,
 * so this is the figure two runs on differently loaded machines can be compared by.
 *
 * Linux's /proc/self/stat holds the process's own times and its reaped children's (fields 14-17, in clock ticks;
 * a child's figure includes the children it reaped, so vitest's and Playwright's workers are counted). Elsewhere
 * only this process's own time is known, and the line says so.
 */
import { readFileSync } from 'node:fs'

export interface CpuTotal {
  seconds: number
  withChildren: boolean
}

/** Clock ticks per second: 100 on every Linux this runs on (USER_HZ is fixed at 100 for /proc's figures). */
const TICKS = 100

/** Parses /proc/<pid>/stat's text: the fields after the command name in parentheses (which may hold spaces). Pure. */
export function cpuFromStat(stat: string): number | null {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const ticks = [14, 15, 16, 17].map((n) => Number(rest[n - 3]))
  return ticks.every(Number.isFinite) ? ticks.reduce((a, b) => a + b, 0) / TICKS : null
}

export function cpuTotal(): CpuTotal {
  try {
    const s = cpuFromStat(readFileSync('/proc/self/stat', 'utf8'))
    if (s !== null) return { seconds: s, withChildren: true }
  } catch {
    /* not Linux: this process's own time only */
  }
  const u = process.cpuUsage()
  return { seconds: (u.user + u.system) / 1e6, withChildren: false }
}

/** `CPU 1234 s (20.6 min, this process and all its children)`. */
export function cpuLine(t: CpuTotal): string {
  return `CPU ${Math.round(t.seconds)} s (${(t.seconds / 60).toFixed(1)} min, ${t.withChildren ? 'this run and every process it started' : 'this process only: no /proc here'})`
}

const figure = (ms: number, cpu: number | null) =>
  `wall ${Math.round(ms / 1000)} s, ${cpu === null ? 'CPU unknown' : `CPU ${Math.round(cpu)} s (${(cpu / 60).toFixed(1)} min)`}`

/**
 * `unit: wall 400 s, CPU 610 s (10.2 min); browser: wall 560 s, CPU 300 s (5.0 min); total: wall 620 s, CPU 1000 s
 * (16.7 min)`: the two test steps' own figures (by their step names; one that did not run is left out) and the whole
 * run's. Pure.
 */
export function splitLine(
  steps: ReadonlyMap<string, { ms: number; cpu: number | null }>,
  wallMs: number,
  totalCpu: number,
): string {
  const parts: string[] = []
  for (const [label, name] of [
    ['unit', 'unit tests'],
    ['browser', 'browser tests'],
  ] as const) {
    const s = steps.get(name)
    if (s) parts.push(`${label}: ${figure(s.ms, s.cpu)}`)
  }
  parts.push(`total: ${figure(wallMs, totalCpu)}`)
  return parts.join('; ')
}
