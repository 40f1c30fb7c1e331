/**
 * Where a thread's wall time goes, from Linux's scheduler accounting: `/proc/<pid>/task/<tid>/schedstat`
 * holds three numbers (schedstat(5) in the kernel docs, "sched-stats"): nanoseconds on a CPU, nanoseconds
 * runnable but waiting for a CPU, and the number of time slices. Over a timed run, wall time minus both is
 * the time the thread slept (waiting for data, for another thread, for the disk).
 *
 * Why the download bench needs it (round 6): with two cores, ours runs a receiving thread and a
 * hashing worker beside the bench's own server. Whether the receiving thread was on a CPU the whole time
 * (it is the critical path), waited for a core (the others took it), or slept (it had nothing to read: the
 * server was waiting for a core) decides what a change can gain; CPU time alone does not tell.
 *
 * A worker thread's task folder disappears when the worker ends, so `ThreadSampler` reads every
 * `everyMs` while a run lasts and keeps each thread's last reading. Elsewhere than Linux (no /proc),
 * `readThreadTimes` returns an empty map and the bench prints no breakdown.
 */
import { readdirSync, readFileSync } from 'node:fs'

export interface ThreadTimes {
  /** The thread's name (`/proc/…/comm`: "node", "libuv-worker", …). */
  name: string
  /** Seconds on a CPU. */
  run: number
  /** Seconds runnable but waiting for a CPU. */
  wait: number
  /** Time slices (how often it was put on a CPU). */
  slices: number
}

/** Parses one schedstat line ("<run ns> <wait ns> <slices>"); null for anything else. */
export function parseSchedstat(text: string): { run: number; wait: number; slices: number } | null {
  const m = /^(\d+) (\d+) (\d+)\s*$/.exec(text)
  if (!m) return null
  return { run: Number(m[1]) / 1e9, wait: Number(m[2]) / 1e9, slices: Number(m[3]) }
}

/** Every thread of `pid` now, keyed by thread id. Threads that end while being read are skipped. */
export function readThreadTimes(pid: number): Map<number, ThreadTimes> {
  const out = new Map<number, ThreadTimes>()
  let tids: string[]
  try {
    tids = readdirSync(`/proc/${pid}/task`)
  } catch {
    return out
  }
  for (const tid of tids) {
    try {
      const s = parseSchedstat(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8'))
      if (!s) continue
      out.set(Number(tid), { name: readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim(), ...s })
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out
}

/** One thread's share of a timed run: its process, seconds on a CPU, waiting for one, and asleep (wall minus both). */
export interface ThreadShare {
  pid: number
  tid: number
  name: string
  run: number
  wait: number
  asleep: number
  slices: number
}

/**
 * Samples the threads of some processes while a run lasts. `stop(wallSeconds)` gives each thread's
 * share of the run (threads that began during it count from zero), the busiest first.
 */
export class ThreadSampler {
  private readonly before = new Map<number, ThreadTimes>()
  /** Each thread's last reading and the process it was read from (a worker's folder is gone once it ends). */
  private readonly last = new Map<number, ThreadTimes & { pid: number }>()
  private readonly timer: NodeJS.Timeout
  private readonly pids: number[]

  constructor(pids: number[], everyMs = 50) {
    this.pids = pids
    for (const pid of pids)
      for (const [tid, t] of readThreadTimes(pid)) {
        this.before.set(tid, t)
        this.last.set(tid, { ...t, pid })
      }
    this.timer = setInterval(() => this.sample(), everyMs)
  }

  private sample(): void {
    for (const pid of this.pids) for (const [tid, t] of readThreadTimes(pid)) this.last.set(tid, { ...t, pid })
  }

  stop(wallSeconds: number): ThreadShare[] {
    clearInterval(this.timer)
    this.sample()
    const shares: ThreadShare[] = []
    for (const [tid, t] of this.last) {
      const b = this.before.get(tid)
      const run = t.run - (b?.run ?? 0)
      const wait = t.wait - (b?.wait ?? 0)
      shares.push({
        pid: t.pid,
        tid,
        name: t.name,
        run,
        wait,
        asleep: Math.max(0, wallSeconds - run - wait),
        slices: t.slices - (b?.slices ?? 0),
      })
    }
    return shares.sort((x, y) => y.run - x.run)
  }
}

/**
 * CPU seconds (user + system) of this process's children that have ended and been reaped (Linux: /proc/self/stat
 * fields 16 and 17, cutime and cstime, in clock ticks of 1/100 s); null elsewhere.
 */
export function reapedChildrenCpu(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8')
    // Counted from the state (field 3), after the command name in parentheses (which may hold spaces).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(f[13]) + Number(f[14])) / 100
  } catch {
    return null
  }
}
