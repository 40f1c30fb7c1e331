/**
 * RemoteHost: a PC the technician is not sitting at, behind the same Host interface as this PC, so every
 * probe, planner and runner works over it unchanged. It turns `run` / `openRead` / `listDir` / `exists`
 * into the PowerShell of remote-script.ts and hands that to a Transport (transport.ts).
 *
 * - Few round trips: read-only calls made in the same turn of the event loop go out as ONE script (a
 *   scan's probes start together, so a scan costs its first wave plus the follow-ups that need its answers).
 *   The first script of a session also carries the pre-flight item (administrator? architecture? build?).
 * - Nothing dies with the session: every command that can change the PC (anything not on the read-only
 *   list below) runs there as a one-shot SYSTEM task, alone in its script, idempotent by its id. A lost
 *   session is retried with the very same script: the PC either starts the task (it never got it) or
 *   returns the result file (it ran) — never runs it twice. When the PC stays unreachable past the
 *   reconnect budget, `run` throws: the step's end is unknown, and the runner's re-check rules take over.
 * - Files: an argument naming a file of the data folder (a package, a repair source) is first copied to
 *   the same place on the PC with Copy-Item -ToSession (no share, so no second hop) and hashed there; a
 *   hash that differs from this computer's copy stops the command.
 * - A restart: the PC goes away after `shutdown /r`; the next call waits until it answers again
 *   (reconnect attempts with a delay), then continues.
 */
import { createHash } from 'node:crypto'
import { createReadStream, readdirSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { Readable } from 'node:stream'
import {
  renderCommandLine,
  validateSpec,
  type CommandResult,
  type CommandSpec,
  type Host,
  type HostInfo,
  type RunOptions,
} from './host.ts'
import { batchScript, parseBatchOutput, REMOTE_DATA_DIR, type RemoteItem, type RemoteResult } from './remote-script.ts'
import { ConnectError, SessionLostError, type PreflightFacts, type Transport } from './transport.ts'
import { classifyRemoteFailure, isLocalAccount, preflightFailure, type RemoteFailure } from './remote-preflight.ts'
import type { MachineArch } from '../../preload/model/common.ts'

/** Commands that only read: they run directly in the session, many per script. Everything else is a SYSTEM task. */
const READ_ONLY =
  /^(os|packages|history|hotfixes|reboot|storage|services|bootchain)\.|^(winre\.reagentc-info|winre\.registry-version|winre\.dism-get-imageinfo|install\.dism-get-wiminfo|repair\.wim-info|app\.whoami-groups|host\.oem-code-page|host\.chcp)$/

/** The Windows Update API refuses remote callers: its reads run as a SYSTEM task too (remote-and-fleet.md). */
const WUA_BOUND = new Set(['history.update-session'])

export function runsAsTask(name: string): boolean {
  return WUA_BOUND.has(name) || !READ_ONLY.test(name)
}

/** The session failed in a way a person must fix (named in one sentence, with the command that fixes it). */
export class RemoteHostError extends Error {
  readonly failure: RemoteFailure
  constructor(failure: RemoteFailure) {
    super(`${failure.sentence} Fix: ${failure.fix}`)
    this.name = 'RemoteHostError'
    this.failure = failure
  }
}

export interface RemoteHostOptions {
  transport: Transport
  /** This computer's data folder: files under it are copied to the PC's data folder before a command names them. */
  dataDir: string
  /** The PC's name as shown ("FRONTDESK-03"); the title becomes "FRONTDESK-03 over WinRM". */
  label: string
  /** The snapshot's origin name (the computer, or the training machine's name). */
  name?: string
  /** The account the session uses, when not the current logon (for naming LocalAccountTokenFilterPolicy). */
  user?: string
  /** Reconnect budget after a lost session or a restart. Default: 90 attempts, 10 s apart (15 minutes). */
  reconnect?: { attempts: number; delayMs: number }
}

type Pending = { item: RemoteItem; resolve: (r: RemoteResult) => void; reject: (e: unknown) => void }

const ARCH: Record<number, MachineArch> = { 0: 'x86', 5: 'arm', 9: 'x64', 12: 'arm64' }

export class RemoteHost implements Host {
  readonly transport: Transport
  private readonly opts: RemoteHostOptions
  private queue: Pending[] = []
  private flushScheduled = false
  private nextId = 0
  private readonly runId = Math.random().toString(36).slice(2, 10)
  private facts: PreflightFacts | null = null
  private sessionChecked = false
  private reached = false
  /** The failure that stopped the last round trip (the CLI and the services report it). */
  lastFailure: RemoteFailure | null = null
  /** Files already on the PC: remote path (lower case) → sha256 verified there. */
  private readonly copied = new Map<string, string>()
  /** A change step runs alone: one at a time. */
  private chain: Promise<unknown> = Promise.resolve()

  constructor(opts: RemoteHostOptions) {
    this.opts = opts
    this.transport = opts.transport
  }

  info(): HostInfo {
    const arch = this.facts ? ARCH[this.facts.processorArchitecture] : undefined
    return {
      kind: 'remote',
      name: this.opts.name ?? this.opts.label,
      title: `${this.opts.label} over WinRM`,
      processArch: arch ?? 'x64',
      elevated: this.facts ? this.facts.admin : true,
    }
  }

  /** What the PC said at the start of this session (null before the first round trip). */
  preflightFacts(): PreflightFacts | null {
    return this.facts
  }

  async run(spec: CommandSpec, options: RunOptions = {}): Promise<CommandResult> {
    validateSpec(spec)
    const started = Date.now()
    const commandLine = renderCommandLine(spec.file, spec.args)
    const base = { name: spec.name, commandLine, timedOut: false, cancelled: false, truncated: false }
    if (options.signal?.aborted)
      return {
        ...base,
        exitCode: 1,
        stdout: '',
        stderr: 'Cancelled before it started.',
        ok: false,
        cancelled: true,
        durationMs: 0,
      }
    let r: RemoteResult
    if (WUA_BOUND.has(spec.name)) {
      // Read-only but refused to remote callers: a SYSTEM task, waited for inside the same batch script.
      r = await this.enqueue({ kind: 'command', id: this.id(), mode: 'task', spec })
    } else if (runsAsTask(spec.name)) {
      const step = this.chain.then(() => this.runTask(spec, options.signal))
      this.chain = step.catch(() => undefined)
      const out = await step
      if ('stderr' in out && out.kind === 'failed')
        return { ...base, exitCode: 1, stdout: '', stderr: out.stderr, ok: false, durationMs: Date.now() - started }
      r = out as RemoteResult
    } else {
      r = await this.enqueue({ kind: 'command', id: this.id(), mode: 'direct', spec })
    }
    if (r.kind !== 'command') throw new Error('remote: a command got a non-command result')
    let stdout = r.stdout
    let truncated = false
    if (spec.maxOutputBytes !== undefined && Buffer.byteLength(stdout) > spec.maxOutputBytes) {
      stdout = Buffer.from(stdout).subarray(0, spec.maxOutputBytes).toString('utf8')
      truncated = true
    }
    for (const line of stdout.split(/\r\n|\r|\n/)) options.onLine?.(line)
    const ok = !r.timedOut && !r.pending && (spec.successExitCodes ?? [0]).includes(r.exitCode)
    // A command refused a third computer from inside the session: say why, with what to do instead.
    const hop = ok ? null : classifyRemoteFailure(`${r.stderr}\n${stdout}`, { computer: this.opts.label })
    const stderr =
      hop?.kind === 'second-hop' ? `${r.stderr}${r.stderr ? '\n' : ''}${hop.sentence} ${hop.fix}` : r.stderr
    return {
      ...base,
      exitCode: r.exitCode,
      stdout,
      stderr,
      ok,
      timedOut: r.timedOut || r.pending,
      truncated,
      durationMs: Date.now() - started,
    }
  }

  async openRead(path: string): Promise<Readable> {
    const r = await this.enqueue({ kind: 'read', id: this.id(), path })
    if (r.kind !== 'read' || !r.found)
      throw Object.assign(new Error(`File not found on ${this.opts.label}: ${path}`), { code: 'ENOENT' })
    return Readable.from([Buffer.from(r.content, 'base64')])
  }

  async listDir(path: string): Promise<string[]> {
    const r = await this.enqueue({ kind: 'list', id: this.id(), path })
    return r.kind === 'list' ? [...r.names].sort() : []
  }

  async exists(path: string): Promise<boolean> {
    const r = await this.enqueue({ kind: 'exists', id: this.id(), path })
    return r.kind === 'exists' && r.exists
  }

  /** Closes the session (the PC keeps its result files and copied packages). */
  async close(): Promise<void> {
    await this.transport.close()
  }

  private id(): string {
    return `${this.runId}-${++this.nextId}`
  }

  /** Read-only items wait for the end of this turn of the event loop, then go out together. */
  private enqueue(item: RemoteItem): Promise<RemoteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      if (!this.flushScheduled) {
        this.flushScheduled = true
        setImmediate(() => {
          this.flushScheduled = false
          void this.flush()
        })
      }
    })
  }

  private async flush(): Promise<void> {
    const batch = this.queue
    this.queue = []
    if (!batch.length) return
    try {
      const results = await this.send(batch.map((p) => p.item))
      for (const p of batch) {
        const r = results.get(p.item.id)
        if (r) p.resolve(r)
        else p.reject(new Error(`${this.opts.label} returned no result for ${p.item.kind} ${p.item.id}.`))
      }
    } catch (err) {
      for (const p of batch) p.reject(err)
    }
  }

  /** One change step: copy the files it names (one round trip each), then run it as a SYSTEM task (one round trip). */
  private async runTask(
    spec: CommandSpec,
    signal?: AbortSignal,
  ): Promise<RemoteResult | { kind: 'failed'; stderr: string }> {
    for (const file of this.dataFilesIn(spec.args)) {
      const bad = await this.copyFile(file.local, file.remote, signal)
      if (bad) return { kind: 'failed', stderr: bad }
    }
    const item: RemoteItem = { kind: 'command', id: this.id(), mode: 'task', spec }
    const results = await this.send([item], signal)
    const r = results.get(item.id)
    if (!r) throw new Error(`${this.opts.label} returned no result for ${spec.name}.`)
    return r
  }

  /** Arguments naming a file under the PC's data folder that exists in this computer's data folder. */
  private dataFilesIn(args: readonly string[]): Array<{ local: string; remote: string }> {
    const out: Array<{ local: string; remote: string }> = []
    const prefix = `${REMOTE_DATA_DIR}\\`.toLowerCase()
    const root = resolve(this.opts.dataDir)
    for (const a of args) {
      const at = a.toLowerCase().indexOf(prefix)
      let remote: string | null = null
      let local: string | null = null
      if (at >= 0) {
        remote = a.slice(at)
        const parts = remote.slice(prefix.length).split('\\')
        if (parts.some((p) => p === '' || p === '.' || p === '..')) continue
        local = resolve(root, ...parts)
      } else {
        // This PC's own data folder path (on Windows it is the same path as the PC's).
        const m = /[A-Za-z]:\\.*$|\/.*$/.exec(a)
        if (!m || !isAbsolute(m[0])) continue
        const rel = relative(root, resolve(m[0]))
        if (!rel || rel.startsWith('..') || isAbsolute(rel)) continue
        local = resolve(m[0])
        remote = `${REMOTE_DATA_DIR}\\${rel.split(sep).join('\\')}`
      }
      // A file made on the PC by an earlier step (an expanded .cab) is not on this computer: nothing to copy.
      if (!local || !PACKAGE_FILE.test(local) || !isFile(local)) continue
      out.push({ local, remote: remote! })
      // DISM takes the checkpoint updates from the folder of the update it adds (the folder method): the
      // other packages of that folder go along.
      for (const sib of packageSiblings(local))
        out.push({ local: sib, remote: `${remote!.slice(0, remote!.lastIndexOf('\\'))}\\${basename(sib)}` })
    }
    const seen = new Set<string>()
    return out.filter((f) => !seen.has(f.remote.toLowerCase()) && seen.add(f.remote.toLowerCase()))
  }

  /** Copies one file to the PC and checks the hash it has there. Returns a reason when it does not match. */
  private async copyFile(local: string, remote: string, signal?: AbortSignal): Promise<string | null> {
    const want = await sha256Of(local).catch(() => null)
    if (!want) return `Cannot read ${local} on this computer to copy it to ${this.opts.label}.`
    if (this.copied.get(remote.toLowerCase()) === want) return null
    const got = await this.withReconnect(() => this.transport.copy(local, remote, signal))
    if (got?.toLowerCase() !== want)
      return `The copy of ${local} on ${this.opts.label} (${remote}) has SHA-256 ${got ?? 'none'}, not ${want}: not run.`
    this.copied.set(remote.toLowerCase(), want)
    return null
  }

  /** Sends items in one script (the first of a session with the pre-flight item) and returns results by id. */
  private async send(items: RemoteItem[], signal?: AbortSignal): Promise<Map<string, RemoteResult>> {
    return this.withReconnect(async () => {
      const withPreflight = !this.sessionChecked
      const changes = items.some((i) => i.kind === 'command' && i.mode === 'task' && !WUA_BOUND.has(i.spec.name))
      if (withPreflight && changes) {
        // A change never rides on the script that first checks the session: pre-flight alone first.
        await this.sendOnce([{ kind: 'preflight', id: this.id() }], signal)
      }
      const all = !this.sessionChecked ? [{ kind: 'preflight', id: this.id() } as RemoteItem, ...items] : items
      return this.sendOnce(all, signal)
    })
  }

  private async sendOnce(items: RemoteItem[], signal?: AbortSignal): Promise<Map<string, RemoteResult>> {
    const text = await this.transport.invoke(batchScript(items), signal)
    const results = parseBatchOutput(text)
    if (!results)
      throw new Error(
        `${this.opts.label} answered with something that is not the script's result: ${text.slice(0, 200)}`,
      )
    const byId = new Map(results.map((r) => [r.id, r]))
    for (const r of results) {
      if (r.kind !== 'preflight') continue
      this.facts = {
        computerName: r.computerName,
        admin: r.admin,
        processorArchitecture: r.processorArchitecture,
        build: r.build,
        ubr: r.ubr,
        freeBytes: r.freeBytes,
        pendingRestart: r.pendingRestart,
        bootTime: r.bootTime,
      }
      this.sessionChecked = true
      const stop = preflightFailure(this.opts.label, this.facts)
      if (stop) {
        this.lastFailure = stop
        throw new RemoteHostError(stop)
      }
    }
    return byId
  }

  /** Retries after a lost session or an unreachable PC (a restart) within the reconnect budget; names any other failure. */
  private async withReconnect<T>(fn: () => Promise<T>): Promise<T> {
    const budget = this.opts.reconnect ?? { attempts: 90, delayMs: 10_000 }
    let lastError: unknown = null
    for (let attempt = 0; attempt <= budget.attempts; attempt++) {
      if (attempt > 0 && budget.delayMs > 0) await new Promise((r) => setTimeout(r, budget.delayMs))
      try {
        const out = await fn()
        this.lastFailure = null
        return out
      } catch (err) {
        lastError = err
        if (err instanceof SessionLostError) {
          this.sessionChecked = false
          this.reached = true
          continue
        }
        if (err instanceof ConnectError) {
          this.sessionChecked = false
          const failure = classifyRemoteFailure(err.text, {
            computer: this.opts.label,
            localAccount: isLocalAccount(this.opts.user, this.opts.label),
          })
          this.lastFailure = failure
          // Unreachable may be a restart in progress (or a dropped link): wait and try again. Anything else a person must fix.
          if (failure.kind === 'firewall' && this.everConnected()) continue
          throw new RemoteHostError(failure)
        }
        throw err
      }
    }
    if (lastError instanceof ConnectError)
      throw new RemoteHostError(
        this.lastFailure ?? classifyRemoteFailure(lastError.text, { computer: this.opts.label }),
      )
    throw new Error(
      `The session to ${this.opts.label} was lost and did not come back after ${budget.attempts} attempts; whether the last step finished is unknown (it is re-checked on the PC when you run the command again). ${(lastError as Error)?.message ?? ''}`,
    )
  }

  /** The PC answered once in this process (a pre-flight arrived, or a session opened and was then lost). */
  private everConnected(): boolean {
    return this.facts !== null || this.reached
  }
}

const PACKAGE_FILE = /\.(msu|cab|wim|esd|iso|zip)$/i

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

function packageSiblings(path: string): string[] {
  try {
    return readdirSync(dirname(path))
      .filter((n) => /\.(msu|cab)$/i.test(n))
      .map((n) => join(dirname(path), n))
      .filter((p) => p !== path && isFile(p))
      .sort()
  } catch {
    return []
  }
}

function sha256Of(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256')
    createReadStream(path)
      .on('error', rej)
      .on('data', (c) => h.update(c))
      .on('end', () => res(h.digest('hex')))
  })
}
