/**
 * Warm PowerShell processes for the emulated PC's script runs (test/pwsh/harness.ts): each runs one script at a time in
 * a fresh runspace of its own (worker.ps1), so a run costs no PowerShell start (~0.7 s of CPU) and no first compile of
 * the preamble (~0.45 s). A run's process starts only when no warm one is idle: the first run of a test process, and a
 * script's nested `powershell.exe -File` while its caller's worker is busy.
 *
 * A killed run: where the kill comes at a request the script waits on (a program by the call operator, a cmdlet
 * stand-in, a mark: the harness's gate) and the worker has no process of its own running, the worker leaves the run
 * where it stopped (`abandon`: its thread sleeps for good in the preamble, no line of the script runs again, no finally
 * block either, as in a killed process) and takes the next run: a kill sweep's kill costs no PowerShell start (~2.5 s
 * of CPU each). Any other kill (a program started as a process, a time-out, a stand-in still running) ends the worker's
 * process group, as it ended the run's own process; the next run starts a new one. A worker keeps at most
 * MAX_FROZEN runs left so (each holds its runspace), then it is ended at its next kill.
 *
 * A worker is started with the first run's environment, and each run gets exactly its own environment back (worker.ps1).
 * What .NET and PowerShell read only at their start (the runtime's settings, HOME, the locale, PATH) keys the pool:
 * a run whose start settings differ gets a worker started with them.
 *
 * Idle workers outlive a test file: the next file in the same test process uses them, so a file does not pay a
 * PowerShell start and the engine's first compile of what every run does (~1.5-2 s of CPU each time, for each of the
 * ~30 files that run scripts). They are ended and reaped when the test process ends (test/unit/pwsh-environment.ts),
 * so their CPU is still counted in the suite's total; `liveWorkersCpu` gives what the living ones have used so far,
 * for the per-file figures (test/unit/setup-cpu-log.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import type { PowerShellCommand } from './pwsh.ts'
import { hangMs } from '../load.ts'

const HERE = import.meta.dirname
/** Idle workers kept per start key: a run and a nested run (a fix package's Fix-<host>.ps1 runs the kit's script). */
const MAX_IDLE = 2
/**
 * Idle workers kept in all, whatever their start keys: they stay while the test process runs files that use none
 * (~150-200 MB each).
 */
const MAX_IDLE_ALL = 2
/**
 * Runs a worker leaves at a kill before it is ended at its next one (each keeps its runspace and a thread: ~1.7 MB of
 * the worker's resident memory each, measured over 8 kills).
 */
const MAX_FROZEN = 8
/** Environment read only at a process's start: a run that differs here needs a worker started with it. */
const START_ONLY = /^(DOTNET_|COMPlus_|CORECLR_|POWERSHELL_|PSModulePath$|HOME$|PATH$|LANG$|LC_|TERM$|TMPDIR$|XDG_)/

/** What one run in a worker gave. `exited`: the worker ended during the run (its exit code, as a process's run gives). */
export interface WorkerRun {
  stdout: string
  stderr: string
  /** An error ended the script (-File's exit code 1). */
  error: boolean
  exited: boolean
  processCode: number | null
}

export class PwshWorker {
  readonly child: ChildProcess
  private readonly ctl: Readable & Writable
  private out = ''
  private err = ''
  private ctlBuf = ''
  private done: { error: boolean } | null = null
  private wake: (() => void) | null = null
  dead = false
  /** Runs left where a kill stopped them (abandon). */
  frozen = 0
  private closeCode: number | null = null
  readonly key: string

  constructor(ps: PowerShellCommand, env: Record<string, string>, key: string) {
    this.key = key
    this.child = spawn(
      ps.file,
      [...ps.prefix, '-NoLogo', '-NoProfile', '-NonInteractive', '-File', join(HERE, 'worker.ps1')],
      {
        env: { ...env, SDH_WORKER_KEYS: JSON.stringify([...Object.keys(env), 'SDH_WORKER_KEYS']) },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      },
    )
    this.ctl = this.child.stdio[3] as Readable & Writable
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      this.out += d
      this.wake?.()
    })
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.err += d
      this.wake?.()
    })
    this.ctl.setEncoding('utf8')
    this.ctl.on('data', (d: string) => {
      this.ctlBuf += d
      const nl = this.ctlBuf.indexOf('\n')
      if (nl < 0) return
      this.done = JSON.parse(this.ctlBuf.slice(0, nl)) as { error: boolean }
      this.ctlBuf = this.ctlBuf.slice(nl + 1)
      this.wake?.()
    })
    this.ctl.on('error', () => undefined)
    live().add(this)
    this.child.on('close', (code) => {
      live().delete(this)
      this.dead = true
      this.closeCode = code
      this.wake?.()
    })
    this.child.on('error', () => {
      this.dead = true
      this.wake?.()
    })
    this.idle(true)
  }

  /** An idle worker does not keep the test process alive (fd 3 closing at its exit ends the worker). */
  private idle(yes: boolean): void {
    for (const s of [this.child, this.child.stdout, this.child.stderr, this.ctl] as {
      ref?: () => void
      unref?: () => void
    }[])
      yes ? s.unref?.() : s.ref?.()
  }

  /** Runs run-script.ps1 once with exactly `env` in `cwd`; resolves when its output is complete or the worker ends. */
  async run(env: Record<string, string>, cwd: string): Promise<WorkerRun> {
    this.idle(false)
    this.out = ''
    this.err = ''
    this.done = null
    const marker = `\u001e[sdh-run-end ${Math.random().toString(36).slice(2)}${Date.now().toString(36)}]\u001e`
    this.ctl.write(`${JSON.stringify({ env, cwd, marker })}\n`)
    try {
      for (;;) {
        const done = this.finished()
        if (done && this.out.includes(marker) && this.err.includes(marker)) {
          const stdout = this.out.slice(0, this.out.indexOf(marker))
          const stderr = this.err.slice(0, this.err.indexOf(marker))
          this.out = this.out.slice(this.out.indexOf(marker) + marker.length)
          this.err = this.err.slice(this.err.indexOf(marker) + marker.length)
          return { stdout, stderr, error: done.error, exited: false, processCode: null }
        }
        if (this.dead && done)
          return {
            stdout: this.out,
            stderr: `${this.err}\n[harness] the warm PowerShell's end of output was not found: killed\n`,
            error: done.error,
            exited: false,
            processCode: null,
          }
        if (this.dead)
          return { stdout: this.out, stderr: this.err, error: false, exited: true, processCode: this.closeCode }
        // The run is over but an end marker has not come within 30 s (something of the run's holds the output, or
        // wrote it in a way the marker missed): the worker is not trusted again, and the run says so on stderr.
        const stuck = done ? setTimeout(() => this.kill(), hangMs(30_000)) : null
        await new Promise<void>((ok) => {
          this.wake = ok
        })
        if (stuck) clearTimeout(stuck)
        this.wake = null
      }
    } finally {
      if (!this.dead) this.idle(true)
    }
  }

  /** What worker.ps1 said at the end of the run (null until then). */
  private finished(): { error: boolean } | null {
    return this.done
  }

  /**
   * Leaves the running run where it stopped (worker.ps1 abandons it, the preamble's request sleeps) and keeps the
   * worker, when the worker has no child process (a program, a nested PowerShell of its own: ending those is the
   * process kill's) and holds fewer than MAX_FROZEN such runs; else false (the caller kills it).
   */
  abandon(): boolean {
    if (this.dead || this.frozen >= MAX_FROZEN || hasChildren(this.child.pid!)) return false
    this.frozen++
    this.ctl.write('{"abandon":true}\n')
    return true
  }

  /** Ends an idle worker the quiet way (its fd 3 closes, its loop ends) and waits until it is gone and reaped. */
  async close(): Promise<void> {
    if (this.dead) return
    const gone = new Promise<void>((ok) => this.child.once('close', () => ok()))
    // A worker holding runs left at a kill is ended at once (their threads would not end by themselves).
    if (this.frozen) this.kill()
    else this.ctl.end()
    // A worker that does not end within 10 s (it never should) is killed.
    const t = setTimeout(() => this.kill(), hangMs(10_000))
    await gone
    clearTimeout(t)
  }

  /** Ends the worker and every process it started (its process group), as a kill of a run's own process does. */
  kill(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL')
    } catch {
      /* gone */
    }
  }
}

/** Whether a process has a child process now (/proc/<pid>/task/<tid>/children of each of its threads). */
function hasChildren(pid: number): boolean {
  let tasks: string[]
  try {
    tasks = readdirSync(`/proc/${pid}/task`)
  } catch {
    return true // no way to tell: the kill ends the process
  }
  for (const tid of tasks) {
    let children: string
    try {
      children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
    } catch (e) {
      // A thread that ended between the listing and the read (.NET's pool threads come and go, more often on a busy
      // machine) has no children; any other error leaves no way to tell.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ESRCH') continue
      return true
    }
    if (children.trim()) return true
  }
  return false
}

/**
 * The pool, on globalThis: the test files' module instance and the test environment's (which ends the workers when the
 * test process ends: a module of its own loader) see the same workers.
 */
interface PoolState {
  idle: Map<string, PwshWorker[]>
  live: Set<PwshWorker>
}
const POOL_KEY = Symbol.for('servicing-desk.test.pwsh-workers')
const pool = (): PoolState => {
  const g = globalThis as { [POOL_KEY]?: PoolState }
  g[POOL_KEY] ??= { idle: new Map(), live: new Set() }
  return g[POOL_KEY]
}
const live = () => pool().live

/** The start key of a run's environment (see START_ONLY). */
function startKey(ps: PowerShellCommand, env: Record<string, string>): string {
  const start = Object.entries(env)
    .filter(([k]) => START_ONLY.test(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return JSON.stringify([ps.file, ps.prefix, start])
}

/** An idle worker for a run with this environment, or a new one started with it. */
export function takeWorker(ps: PowerShellCommand, env: Record<string, string>): PwshWorker {
  const key = startKey(ps, env)
  const list = pool().idle.get(key) ?? []
  for (let w = list.pop(); w; w = list.pop()) if (!w.dead) return w
  return new PwshWorker(ps, env, key)
}

/** A worker back to the pool after a run it finished (a dead one, or one over MAX_IDLE, is dropped). */
export function giveBack(w: PwshWorker): void {
  if (w.dead) return
  const { idle } = pool()
  const list = idle.get(w.key) ?? []
  idle.set(w.key, list)
  if (list.length >= MAX_IDLE) {
    w.kill()
    return
  }
  list.push(w)
  // Over the cap in all: idle workers of the other start keys end (quietly, as at the end), the earliest key's first.
  let count = [...idle.values()].reduce((n, l) => n + l.length, 0)
  for (const [k, l] of idle)
    while (count > MAX_IDLE_ALL && k !== w.key && l.length) {
      void l.shift()!.close()
      count--
    }
}

/**
 * Ends every idle worker and waits for each to be reaped: the test environment calls it when the test process ends
 * (test/unit/pwsh-environment.ts), so the workers' PowerShell CPU is counted in the test process's children (the suite's
 * CPU total) as a run's own process was. A bench that counts its children calls it before reading them.
 */
export async function closeWorkers(): Promise<void> {
  const { idle } = pool()
  const all = [...idle.values()].flat()
  idle.clear()
  await Promise.all(all.map((w) => w.close()))
}

/**
 * CPU seconds the living workers have used so far, with their reaped children (the stand-ins, nested PowerShells):
 * /proc/<pid>/stat utime, stime, cutime and cstime. Added to a file's reaped-children figure (SD_CPU_LOG), a worker
 * the file ended is counted once (reaped, no longer living) and one it left idle by what it used during the file.
 * null without /proc.
 */
export function liveWorkersCpu(): number | null {
  let ticks = 0
  try {
    for (const w of live()) {
      if (w.dead || w.child.pid === undefined) continue
      let stat: string
      try {
        stat = readFileSync(`/proc/${w.child.pid}/stat`, 'utf8')
      } catch {
        continue // it ended a moment ago: counted in the reaped figure once its close is seen
      }
      // The fields after the command name in parentheses (which may hold spaces): utime, stime, cutime and cstime are
      // the line's fields 14-17.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])
    }
    return ticks / 100
  } catch {
    return null
  }
}

/** Whether runs with this PowerShell may use warm workers (the pwsh tool on a POSIX system: fd 3 is a pipe there). */
export function workersFit(ps: PowerShellCommand): boolean {
  return ps.kind === 'pwsh-tool' && process.platform !== 'win32' && !process.env.SD_PWSH_FRESH
}
