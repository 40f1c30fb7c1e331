/**
 * The Host: the only door to the operating system.
 *
 * Every command is an argv array (never a shell string), names itself, has a timeout, declares which
 * exit codes mean success, and can be cancelled. Nothing the renderer sends becomes a command-line
 * fragment: the renderer names an action, main builds the CommandSpec.
 */
import type { MachineArch } from '../../preload/model/common.ts'

/** A command to run. `name` identifies it (training machines answer by name; logs cite it). */
export interface CommandSpec {
  /** Stable id of what this command does, e.g. `os.currentversion` or `install.dism-add-package`. */
  name: string
  /** Executable, e.g. `reg.exe`, `powershell.exe`, `dism.exe`. */
  file: string
  args: readonly string[]
  /** Milliseconds before the command is killed; required. */
  timeoutMs: number
  /** Exit codes that mean success. DISM's 3010 (restart required) is success. Default [0]. */
  successExitCodes?: readonly number[]
  /**
   * How the tool encodes its output. `console` = the OEM console code page (reg, dism, reagentc);
   * `utf8` = tools we force into UTF-8 (PowerShell with [Console]::OutputEncoding set).
   */
  outputEncoding?: 'utf8' | 'console' | 'utf16le'
  /** Stop reading after this many bytes of stdout (the rest is discarded and `truncated` is set). */
  maxOutputBytes?: number
}

export interface RunOptions {
  signal?: AbortSignal
  /** Called for each line of stdout as it arrives (DISM progress bars use `\r`; both end a line). */
  onLine?: (line: string) => void
}

export interface CommandResult {
  name: string
  /** Unsigned 32-bit exit code as Node reports it (0x800F0922 arrives as 2148469026). */
  exitCode: number
  stdout: string
  stderr: string
  /** True when exitCode is in successExitCodes. */
  ok: boolean
  timedOut: boolean
  cancelled: boolean
  truncated: boolean
  durationMs: number
  /** The command as a person would read it, for evidence and for the plan's visible steps. */
  commandLine: string
}

export type HostKind = 'this-pc' | 'training' | 'remote' | 'snapshot'

export interface HostInfo {
  kind: HostKind
  /** Training machine name, or the computer name. */
  name: string
  title: string
  /** Architecture of the process running the app (may be emulated). */
  processArch: MachineArch
  /** True if the app runs with administrator rights. */
  elevated: boolean
}

/**
 * A file's content as a Host reads it: chunks in order, read with `for await` (leaving the loop early closes it). A real
 * PC's file is a stream (Windows' logs run to hundreds of MB); a model's file, held whole in memory, is one chunk
 * (main/training/training-host.ts: no stream, so a training machine's scan loads none of Node's stream modules).
 */
export type FileChunks = AsyncIterable<Buffer | Uint8Array | string>

/** A file held whole in memory, as FileChunks: its one chunk. */
export async function* wholeFile(data: Buffer): AsyncGenerator<Buffer> {
  yield data
}

export interface Host {
  info(): HostInfo
  /** Runs a command. Never throws for a non-zero exit; throws only for a spec that is invalid. */
  run(spec: CommandSpec, options?: RunOptions): Promise<CommandResult>
  /** Opens a file on the machine as its content in chunks (logs of hundreds of MB: a stream). Rejects if missing. */
  openRead(path: string): Promise<FileChunks>
  /** Lists the files in a folder on the machine (names only); [] when missing. */
  listDir(path: string): Promise<string[]>
  /** True when a file exists on the machine. */
  exists(path: string): Promise<boolean>
}

/** Renders argv as a readable command line (for display and evidence only; never executed). */
export function renderCommandLine(file: string, args: readonly string[]): string {
  const quote = (a: string) => (a === '' || /[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)
  return [file, ...args].map(quote).join(' ')
}

/** The longest any command may run (a large LCU under DISM can take hours on a slow disk). */
export const MAX_TIMEOUT_MS = 6 * 60 * 60 * 1000

/**
 * Throws for a spec that cannot be run as given — the one rule every Host enforces (Host contract: only
 * invalid specs throw): a lower-case dotted name, an executable without NUL or line breaks, string
 * arguments without NUL, a timeout of 1 ms to 6 h, and a non-negative output cap.
 */
export function validateSpec(spec: CommandSpec): void {
  if (!spec || typeof spec.name !== 'string' || !/^[a-z0-9.-]+$/.test(spec.name))
    throw new Error(`command spec needs a name of lower-case letters, digits, dots and dashes (got '${spec?.name}')`)
  if (typeof spec.file !== 'string' || spec.file === '' || /[\0\r\n]/.test(spec.file))
    throw new Error(`command ${spec.name}: invalid file`)
  if (!Array.isArray(spec.args) || spec.args.some((a) => typeof a !== 'string' || a.includes('\0')))
    throw new Error(`command ${spec.name}: invalid arguments: args must be strings without NUL`)
  if (!Number.isInteger(spec.timeoutMs) || spec.timeoutMs <= 0 || spec.timeoutMs > MAX_TIMEOUT_MS)
    throw new Error(`command ${spec.name}: needs a timeout: timeoutMs must be 1..${MAX_TIMEOUT_MS}`)
  if (spec.maxOutputBytes !== undefined && (!Number.isInteger(spec.maxOutputBytes) || spec.maxOutputBytes < 0))
    throw new Error(`command ${spec.name}: maxOutputBytes must be a non-negative integer`)
}
