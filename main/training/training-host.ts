/**
 * TrainingHost: a training machine behind the Host interface. Commands are answered by the renderers in
 * `main/training/commands.ts` in Windows' real output formats; commands that change the machine
 * (DISM, reagentc, a restart) save the new state, so a later scan — even in another process — sees it.
 */
import {
  renderCommandLine,
  validateSpec,
  wholeFile,
  type CommandResult,
  type CommandSpec,
  type FileChunks,
  type Host,
  type HostInfo,
  type RunOptions,
} from '../host/host.ts'
import type { TrainingStore } from './store.ts'
import type { TrainingState } from './state.ts'
import { trainingCommands } from './commands.ts'
import { trainingLogs } from './logs/index.ts'
import { derivedFiles } from './derived-files.ts'
import { localPathOf } from '../host/pc-path.ts'
import { isSystemTool, UnknownProgramError } from '../host/system-tools.ts'

export class TrainingHost implements Host {
  readonly machineName: string
  private readonly store: TrainingStore
  /** Work files of read-only operations (normalised lower-case path → [path, content]); never saved. */
  private readonly scratch = new Map<string, [string, string]>()
  constructor(machineName: string, store: TrainingStore) {
    this.machineName = machineName
    this.store = store
    store.peek(machineName) // throws for an unknown machine
  }

  info(): HostInfo {
    const s = this.store.peek(this.machineName)
    return { kind: 'training', name: s.name, title: s.title, processArch: s.os.processArch, elevated: s.os.elevated }
  }

  async run(spec: CommandSpec, options: RunOptions = {}): Promise<CommandResult> {
    validateSpec(spec)
    // The same table the real host resolves (system-tools.ts): every flow run on a training machine proves its programs are in it.
    if (!isSystemTool(spec.file)) throw new UnknownProgramError(spec.file)
    const started = Date.now()
    const commandLine = renderCommandLine(spec.file, spec.args)
    const success = spec.successExitCodes ?? [0]
    const base = { name: spec.name, commandLine, timedOut: false, cancelled: false, truncated: false }
    if (options.signal?.aborted) {
      return {
        ...base,
        exitCode: 1,
        stdout: '',
        stderr: 'Cancelled before it started.',
        ok: false,
        cancelled: true,
        durationMs: 0,
      }
    }
    const handler = trainingCommands[spec.name]
    if (!handler) {
      return {
        ...base,
        exitCode: 1,
        stdout: '',
        ok: false,
        durationMs: Date.now() - started,
        stderr: `The training machine '${this.machineName}' does not model the command '${spec.name}' (${commandLine}).`,
      }
    }
    const state = this.store.load(this.machineName)
    // The modelled PC names the app's files by their Windows path (pc-path.ts); the bytes are on this disk.
    const local: CommandSpec = { ...spec, args: spec.args.map((a) => localPathOf(a, this.store.dataDir)) }
    const outcome = await handler({ state, spec: local, options })
    for (const line of outcome.progress ?? []) {
      if (options.signal?.aborted) break
      options.onLine?.(line)
      await new Promise((r) => setTimeout(r, 5))
    }
    if (outcome.state) this.store.save(outcome.state)
    if (outcome.scratch?.clearUnder !== undefined) {
      const prefix = `${normalizePath(outcome.scratch.clearUnder).replace(/\\+$/, '').toLowerCase()}\\`
      for (const k of [...this.scratch.keys()]) if (k.startsWith(prefix)) this.scratch.delete(k)
    }
    for (const [p, c] of Object.entries(outcome.scratch?.set ?? {}))
      this.scratch.set(normalizePath(p).toLowerCase(), [p, c])
    let stdout = outcome.stdout
    let truncated = false
    if (spec.maxOutputBytes !== undefined && Buffer.byteLength(stdout) > spec.maxOutputBytes) {
      stdout = Buffer.from(stdout).subarray(0, spec.maxOutputBytes).toString('utf8')
      truncated = true
    }
    if (!outcome.progress) for (const line of stdout.split(/\r\n|\r|\n/)) options.onLine?.(line)
    const exitCode = outcome.exitCode >>> 0
    return {
      ...base,
      truncated,
      exitCode,
      stdout,
      stderr: outcome.stderr ?? '',
      ok: success.includes(exitCode),
      durationMs: Date.now() - started,
    }
  }

  /**
   * The work files read-only operations made and did not remove yet (Windows path → content): what an emulated PC
   * (test/pwsh/harness.ts) writes to its disk after each command, as the real command would have left them there.
   */
  workFiles(): [string, string][] {
    return [...this.scratch.values()].map(([p, c]) => [p, c])
  }

  async openRead(path: string): Promise<FileChunks> {
    const content = this.fileContent(path)
    if (content === null)
      throw Object.assign(new Error(`File not found on training machine '${this.machineName}': ${path}`), {
        code: 'ENOENT',
      })
    return wholeFile(Buffer.from(content, 'utf8'))
  }

  async listDir(path: string): Promise<string[]> {
    const prefix = normalizePath(path).replace(/\\?$/, '\\')
    const names = new Set<string>()
    for (const p of this.allPaths()) {
      const n = normalizePath(p)
      if (n.toLowerCase().startsWith(prefix.toLowerCase())) names.add(n.slice(prefix.length).split('\\')[0])
    }
    return [...names].filter(Boolean).sort()
  }

  async exists(path: string): Promise<boolean> {
    return this.fileContent(path) !== null
  }

  private allPaths(): string[] {
    const state = this.store.peek(this.machineName)
    return [
      ...Object.keys(trainingLogs[this.machineName] ?? {}),
      ...Object.keys(state.files),
      ...Object.keys(derivedFiles),
      ...[...this.scratch.values()].map(([p]) => p),
    ]
  }

  private fileContent(path: string): string | null {
    const want = normalizePath(path).toLowerCase()
    const work = this.scratch.get(want)
    if (work) return work[1]
    // Read only: the state is not copied (a file's text, or one made from the state by derivedFiles).
    const state = this.store.peek(this.machineName) as TrainingState
    for (const [p, c] of Object.entries(state.files)) if (normalizePath(p).toLowerCase() === want) return c
    for (const [p, gen] of Object.entries(trainingLogs[this.machineName] ?? {}))
      if (normalizePath(p).toLowerCase() === want) return gen()
    for (const [p, gen] of Object.entries(derivedFiles)) if (normalizePath(p).toLowerCase() === want) return gen(state)
    return null
  }
}

function normalizePath(p: string): string {
  return p
    .replace(/\//g, '\\')
    .replace(/^%windir%/i, 'C:\\Windows')
    .replace(/^%SystemRoot%/i, 'C:\\Windows')
}
