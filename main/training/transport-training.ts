/**
 * The training transport: a training machine reached "over WinRM" (`--computer training:<machine>`).
 *
 * It receives the very script the remote Host would send to a real PC (remote-script.ts) and interprets it
 * by mapping each item call to the training machine's Host — nothing else in the script is executed or
 * imitated. That keeps it small and honest: the remote Host's batching, copying, re-hashing, idempotent
 * SYSTEM tasks, reconnects and restarts are exercised for real; the PC's answers come from the training
 * machine in Windows' own formats.
 *
 * What the modelled PC keeps across sessions, as a real one does on its disk: the result file of every task
 * (%ProgramData%\ServicingDesk\remote\<id>.json — so a task is never run twice) and the files copied into
 * its data folder. A command that names a data-folder file that was never copied fails as it would there.
 *
 * Faults at every boundary (`TrainingFaults`): a session dropped before a round trip reaches the PC or
 * after it ran there, the PC restarting (unreachable for a few connects), access denied, a non-administrator
 * session, and a slow link (latency per round trip). Connect failures print Windows' real error text.
 */
import { systemToolName } from '../host/system-tools.ts'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { localPathOf } from '../host/pc-path.ts'
import type { CommandSpec, Host } from '../host/host.ts'
import {
  ConnectError,
  CREDENTIAL_CANCELLED,
  emptyStats,
  SessionLostError,
  type PreflightFacts,
  type Transport,
  type TransportStats,
} from '../host/transport.ts'
import { ITEM_FUNCTIONS, REMOTE_DATA_DIR, type RemoteResult } from '../host/remote-script.ts'
import type { TrainingStore } from './store.ts'

/** Windows' own text for each connect failure a training transport can reproduce (sources in remote-preflight.ts). */
export const TRAINING_CONNECT_ERRORS = {
  unreachable:
    'Connecting to remote server {0} failed with the following error message : WinRM cannot complete the operation. Verify that the specified computer name is valid, that the computer is accessible over the network, and that a firewall exception for the WinRM service is enabled and allows access from this computer. By default, the WinRM firewall exception for public profiles limits access to remote computers within the same local subnet. For more information, see the about_Remote_Troubleshooting Help topic.',
  'access-denied':
    'Connecting to remote server {0} failed with the following error message : Access is denied. For more information, see the about_Remote_Troubleshooting Help topic.',
} as const

export interface TrainingFaults {
  /** Round trips (1-based, counting invokes and copies, not connects) whose session is dropped: `before` it reaches the PC, or `after` it ran there. */
  drops?: ReadonlyArray<{ at: number; when: 'before' | 'after' }>
  /** Every connect is refused with "Access is denied". */
  accessDenied?: boolean
  /** The session asks for other credentials (`--credential`) and the person cancels Windows' prompt: nothing connects. */
  credentialCancelled?: boolean
  /** The session's user is not an administrator on the PC. */
  notAdmin?: boolean
  /** Milliseconds each round trip takes (a slow link). */
  latencyMs?: number
  /** The PC restarts on its own right after this round trip (1-based, as `drops`) ran: the answer is lost and the PC is away for a while. */
  restartAfter?: number
  /** After a restart, this many connects fail as unreachable before the PC answers again (default 2). */
  restartDownConnects?: number
}

export interface TrainingTransportOptions {
  computer: string
  machine: string
  host: Host
  store: TrainingStore
  faults?: TrainingFaults
  /** Called with every item the PC ran (tests count them: no step twice). */
  onRun?: (name: string, mode: 'direct' | 'task') => void
}

interface Call {
  fn: string
  params: Map<string, string | string[] | number>
}

export class TrainingTransport implements Transport {
  readonly computer: string
  private readonly opts: TrainingTransportOptions
  private readonly counters: TransportStats = emptyStats()
  /** The PC's disk: task results and copied files (lower-case remote path → sha256), kept across sessions. */
  private readonly taskResults = new Map<string, RemoteResult>()
  private readonly copied = new Map<string, string>()
  private open = false
  private trips = 0
  private down = 0
  private bootCount = 0
  private dropNext = false

  constructor(opts: TrainingTransportOptions) {
    this.opts = opts
    this.computer = opts.computer
  }

  stats(): TransportStats {
    return { ...this.counters }
  }

  /** Round trips that reached the PC (the numbering `drops` use). */
  reached(): number {
    return this.trips
  }

  /** New-PSSession: refused with Windows' text while access is denied or the PC is down. */
  private openSession(): void {
    this.counters.connects++
    const name = this.opts.machine
    if (this.opts.faults?.credentialCancelled) throw new ConnectError(CREDENTIAL_CANCELLED)
    if (this.opts.faults?.accessDenied)
      throw new ConnectError(TRAINING_CONNECT_ERRORS['access-denied'].replace('{0}', name))
    if (this.down > 0) {
      this.down--
      throw new ConnectError(TRAINING_CONNECT_ERRORS.unreachable.replace('{0}', name))
    }
    this.open = true
    this.dropNext = false
  }

  async invoke(script: string, signal?: AbortSignal): Promise<string> {
    const n = await this.beginTrip(signal)
    this.counters.invokes++
    const calls = parseCalls(script)
    const results: RemoteResult[] = []
    for (const c of calls) results.push(await this.runCall(c))
    this.endTrip(n)
    return JSON.stringify(results.map(encodeResult))
  }

  async copy(localPath: string, remotePath: string, signal?: AbortSignal): Promise<string | null> {
    const n = await this.beginTrip(signal)
    this.counters.copies++
    const sha256 = createHash('sha256').update(readFileSync(localPath)).digest('hex')
    this.copied.set(remotePath.toLowerCase(), sha256)
    this.endTrip(n)
    return sha256
  }

  async close(): Promise<void> {
    this.open = false
  }

  /** A round trip: opens the session when none is open; drops it `before` when the fault plan says so. */
  private async beginTrip(signal?: AbortSignal): Promise<number> {
    await this.trip(signal)
    if (this.dropNext) {
      this.dropNext = false
      this.open = false
      throw new SessionLostError(`The session to ${this.computer} was lost: the PC is restarting.`, false)
    }
    if (!this.open) this.openSession()
    const n = ++this.trips
    if (this.opts.faults?.drops?.some((d) => d.at === n && d.when === 'before')) {
      this.open = false
      throw new SessionLostError(
        `The network connection to ${this.computer} was lost before round trip ${n} reached it.`,
        false,
      )
    }
    return n
  }

  private endTrip(n: number): void {
    if (this.opts.faults?.restartAfter === n) {
      this.open = false
      this.bootCount++
      this.down = this.opts.faults.restartDownConnects ?? 2
      throw new SessionLostError(
        `${this.computer} restarted after round trip ${n} ran there; its answer never arrived.`,
        true,
      )
    }
    if (this.opts.faults?.drops?.some((d) => d.at === n && d.when === 'after')) {
      this.open = false
      throw new SessionLostError(
        `The network connection to ${this.computer} was lost after round trip ${n} ran there; its answer never arrived.`,
        true,
      )
    }
  }

  private async trip(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new SessionLostError('Cancelled.', false)
    this.counters.roundTrips++
    const ms = this.opts.faults?.latencyMs ?? 0
    if (ms > 0) await new Promise((r) => setTimeout(r, ms))
  }

  private preflight(): PreflightFacts {
    const s = this.opts.store.load(this.opts.machine)
    const arch: Record<string, number> = { x86: 0, arm: 5, x64: 9, arm64: 12 }
    return {
      computerName: s.os.computerName,
      admin: !this.opts.faults?.notAdmin,
      processorArchitecture: arch[s.os.nativeArch] ?? -1,
      build: String(s.os.currentBuild),
      ubr: s.os.ubr,
      freeBytes: s.systemDrive.freeBytes,
      pendingRestart: s.reboot.cbsRebootPending || s.reboot.wuRebootRequired,
      bootTime: new Date(Date.UTC(2026, 0, 1) + this.bootCount * 60_000).toISOString(),
    }
  }

  private async runCall(c: Call): Promise<RemoteResult> {
    const id = String(c.params.get('Id') ?? '')
    const host = this.opts.host
    const path = String(c.params.get('Path') ?? '')
    switch (c.fn) {
      case ITEM_FUNCTIONS.preflight:
        return { kind: 'preflight', id, ...this.preflight() }
      case ITEM_FUNCTIONS.exists:
        return { kind: 'exists', id, exists: await host.exists(path) }
      case ITEM_FUNCTIONS.list:
        return { kind: 'list', id, names: await host.listDir(path) }
      case ITEM_FUNCTIONS.hash:
        return { kind: 'hash', id, sha256: this.copied.get(path.toLowerCase()) ?? null }
      case ITEM_FUNCTIONS.read: {
        try {
          const chunks: Buffer[] = []
          for await (const ch of await host.openRead(path)) chunks.push(Buffer.from(ch as Buffer))
          return { kind: 'read', id, found: true, content: Buffer.concat(chunks).toString('base64') }
        } catch {
          return { kind: 'read', id, found: false, content: '' }
        }
      }
      case ITEM_FUNCTIONS.command: {
        const mode = c.params.get('Mode') === 'task' ? 'task' : 'direct'
        // The script's idempotency: a task whose result file exists is read, not run again.
        const done = mode === 'task' ? this.taskResults.get(id) : undefined
        if (done) return done
        const spec: CommandSpec = {
          name: String(c.params.get('Name')),
          file: programOnPc(String(c.params.get('File'))),
          args: (c.params.get('ArgumentList') as string[] | undefined) ?? [],
          timeoutMs: Number(c.params.get('TimeoutMs')),
          outputEncoding: 'utf8',
        }
        const missing = spec.args.find((a) => this.namesUncopiedFile(a))
        this.opts.onRun?.(spec.name, mode)
        const r = missing
          ? {
              exitCode: 2,
              stdout: `Error: 2\r\n\r\nThe system cannot find the file specified.\r\n`,
              stderr: '',
              timedOut: false,
            }
          : await host.run(spec)
        const result: RemoteResult = {
          kind: 'command',
          id,
          exitCode: r.exitCode >>> 0,
          stdout: r.stdout,
          stderr: r.stderr,
          timedOut: r.timedOut,
          pending: false,
        }
        if (mode === 'task') this.taskResults.set(id, result)
        if (spec.name === 'install.restart' && result.exitCode === 0) {
          this.bootCount++
          this.dropNext = true
          this.down = this.opts.faults?.restartDownConnects ?? 2
        }
        return result
      }
      default:
        throw new Error(`The training transport does not interpret '${c.fn}'.`)
    }
  }

  /** A data-folder file on this computer's disk that was never copied to the PC. */
  private namesUncopiedFile(arg: string): boolean {
    const at = arg.toLowerCase().indexOf(`${REMOTE_DATA_DIR.toLowerCase()}\\`)
    if (at < 0) return false
    const p = arg.slice(at)
    if (!/\.(msu|cab|wim|esd|iso|zip)$/i.test(p)) return false
    // Only a file the app has on this computer's disk must have been copied; one made on the PC by an
    // earlier step (an expanded .cab) is the machine's own.
    const local = localPathOf(p, this.opts.store.dataDir)
    if (local === p) return false
    if (!this.copied.has(p.toLowerCase())) return true
    // DISM reads the checkpoint updates from the same folder: they must be there too.
    const folder = p.slice(0, p.lastIndexOf('\\'))
    return packagesBeside(local).some((n) => !this.copied.has(`${folder}\\${n}`.toLowerCase()))
  }
}

function packagesBeside(localFile: string): string[] {
  try {
    return readdirSync(dirname(localFile)).filter((n) => /\.(msu|cab)$/i.test(n) && n !== basename(localFile))
  } catch {
    return []
  }
}

function encodeResult(r: RemoteResult): unknown {
  if (r.kind !== 'command') return r
  return {
    ...r,
    stdout: Buffer.from(r.stdout, 'utf8').toString('base64'),
    stderr: Buffer.from(r.stderr, 'utf8').toString('base64'),
  }
}

const LITERAL = String.raw`'(?:[^'\u2018\u2019\u201A\u201B]|['\u2018\u2019\u201A\u201B]{2})*'`
const CALL_LINE = new RegExp(
  String.raw`^\[void\]\$sdResults\.Add\(\(([A-Za-z]+-Sd[A-Za-z]+)((?: -[A-Za-z]+ (?:${LITERAL}|@\((?:${LITERAL}(?:, )?)*\)|\d+))*)\)\)$`,
  'u',
)
const PARAM = new RegExp(String.raw` -([A-Za-z]+) (${LITERAL}|@\((?:${LITERAL}(?:, )?)*\)|\d+)`, 'gu')

function unquote(lit: string): string {
  return lit.slice(1, -1).replace(/(['\u2018\u2019\u201A\u201B])\1/g, '$1')
}

/** The item calls of a generated script, in order. A line that looks like a call but does not parse is an error. */
export function parseCalls(script: string): Call[] {
  const calls: Call[] = []
  for (const line of script.split('\n')) {
    if (!line.startsWith('[void]$sdResults.Add((')) continue
    const m = CALL_LINE.exec(line)
    if (!m) throw new Error(`Cannot read this item call of the remote script: ${line.slice(0, 120)}`)
    const params = new Map<string, string | string[] | number>()
    for (const p of m[2].matchAll(PARAM)) {
      const v = p[2]
      params.set(
        p[1],
        v.startsWith('@(')
          ? [...v.slice(2, -1).matchAll(new RegExp(LITERAL, 'gu'))].map((x) => unquote(x[0]))
          : v.startsWith("'") || /^[\u2018\u2019\u201A\u201B]/.test(v)
            ? unquote(v)
            : Number(v),
      )
    }
    calls.push({ fn: m[1], params })
  }
  return calls
}

/** The program a remote script names, as the modelled PC resolves it: a System32 table path reads as its table
 * name (the training host then holds it to the same table); anything else is passed on as written, to be refused. */
function programOnPc(file: string): string {
  return systemToolName(file, '%SystemRoot%') ?? file
}
