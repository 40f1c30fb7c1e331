/**
 * WindowsHost: the real PC, reached through execa with argv arrays only (never a shell).
 *
 * Why each choice:
 * - `shell: false` and argv arrays: nothing can be re-parsed as a command (CONTRIBUTING, Host rules).
 * - Every program is started by its full path from one table (system-tools.ts: reg.exe, dism.exe,
 *   shutdown.exe, robocopy.exe …); a name outside it is refused, so an elevated app never runs a planted
 *   shutdown.exe from its own folder, the working folder or PATH.
 * - `windowsHide`: no console window flashes for each probe.
 * - Timeout and cancellation kill the whole tree (`taskkill /T /F` on Windows, the process group
 *   elsewhere): DISM and PowerShell start children that outlive a plain kill.
 * - Exit codes are reported unsigned 32-bit (0x800F0922 = 2148469026), as DISM's docs list them.
 * - `console` output is decoded with the OEM code page (HKLM\…\Nls\CodePage OEMCP), which is what a
 *   new hidden console uses; PowerShell specs force UTF-8 themselves (see powershell.ts).
 * - stdout is capped (`maxOutputBytes`) and the rest drained and discarded (output-collector.ts).
 */
import { spawn } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { access, readdir, stat } from 'node:fs/promises'
import { hostname } from 'node:os'
import { isAbsolute, win32 } from 'node:path'
import type { Readable } from 'node:stream'
import type { CommandResult, CommandSpec, Host, HostInfo, RunOptions } from './host.ts'
import { renderCommandLine, validateSpec } from './host.ts'
import { collectOutput, decoderFor } from './output-collector.ts'
import { systemToolPath } from './system-tools.ts'
import type { MachineArch } from '../../preload/model/common.ts'
import { parseChcp, parseOemCodePageFromReg } from '../parse/code-page.ts'

/** execa (~110 modules) on the first command run: a CLI start that runs none does not load it. */
let execaModule: Promise<typeof import('execa')> | undefined
const loadExeca = () => (execaModule ??= import('execa'))

/** Default stdout cap: 64 MiB is far above any probe's output and far below memory trouble. */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024
/** stderr is only ever shown to a person; keep 1 MiB of it. */
const MAX_STDERR_BYTES = 1024 * 1024
/** Largest timeout accepted (DISM /RestoreHealth can legitimately take hours). */

export interface WindowsHostOptions {
  /** Defaults to process.platform; tests pass 'linux' to run real children on Linux. */
  platform?: NodeJS.Platform
  /** Defaults to process.env.SystemRoot, then C:\Windows. */
  systemRoot?: string
  elevated?: boolean
  computerName?: string
  nodeArch?: string
  /** The OEM code page, when already known; otherwise read once from the registry (then chcp). */
  oemCodePage?: number
}

/**
 * On Windows, the full System32 path of a table program (system-tools.ts); any other name or path throws
 * (an invalid spec), so nothing is ever looked up in the app's folder, the current folder or PATH.
 * Elsewhere (tests run real children on Linux) the name passes unchanged.
 */
export function resolveSystemTool(file: string, platform: NodeJS.Platform, systemRoot: string): string {
  if (platform !== 'win32') return file
  return systemToolPath(file, systemRoot)
}

/** Node gives Windows exit codes as signed or unsigned depending on version; we always say unsigned. */
export function unsignedExitCode(code: number | undefined, signal: string | undefined): number {
  if (typeof code === 'number' && Number.isFinite(code)) return code >>> 0
  // Killed by a signal (POSIX only): the shell convention 128 + signal number.
  const signals: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }
  return 128 + (signal ? (signals[signal] ?? 0) : 0)
}

/** Node's process.arch in Windows' names (ia32 is x86). */
export function archFromNodeArch(arch: string): MachineArch | null {
  const map: Record<string, MachineArch> = { x64: 'x64', ia32: 'x86', arm64: 'arm64', arm: 'arm' }
  return map[arch] ?? null
}

export class WindowsHost implements Host {
  // TypeScript `private`, not `#private`: electronegativity's parser cannot read class private fields,
  // and a file it cannot parse is a file it does not check.
  private readonly platform: NodeJS.Platform
  private readonly systemRoot: string
  private readonly hostInfo: HostInfo
  private oemCodePage: Promise<number> | null

  constructor(options: WindowsHostOptions = {}) {
    this.platform = options.platform ?? process.platform
    this.systemRoot = options.systemRoot ?? process.env.SystemRoot ?? 'C:\\Windows'
    this.oemCodePage = options.oemCodePage ? Promise.resolve(options.oemCodePage) : null
    this.hostInfo = {
      kind: 'this-pc',
      name: options.computerName ?? process.env.COMPUTERNAME ?? hostname(),
      title: 'This PC',
      processArch: archFromNodeArch(options.nodeArch ?? process.arch) ?? 'x64',
      elevated: options.elevated ?? false,
    }
  }

  info(): HostInfo {
    return { ...this.hostInfo }
  }

  async run(spec: CommandSpec, options: RunOptions = {}): Promise<CommandResult> {
    validateSpec(spec)
    const program = resolveSystemTool(spec.file, this.platform, this.systemRoot)
    const started = performance.now()
    const commandLine = renderCommandLine(spec.file, spec.args)
    const base = { name: spec.name, commandLine, stdout: '', stderr: '', truncated: false, timedOut: false }
    if (options.signal?.aborted) return { ...base, exitCode: 1, ok: false, cancelled: true, durationMs: 0 }

    const encoding = spec.outputEncoding === 'console' ? await this.consoleCodePage() : (spec.outputEncoding ?? 'utf8')
    const posix = this.platform !== 'win32'
    const { execa } = await loadExeca()
    const child = execa(program, [...spec.args], {
      shell: false,
      windowsHide: true,
      // A process group of its own on POSIX, so the whole tree can be killed; Windows uses taskkill /T.
      detached: posix,
      stdin: 'ignore',
      buffer: false,
      reject: false,
      stripFinalNewline: false,
      cleanup: true,
    })

    let timedOut = false
    let cancelled = false
    const killTree = () => this.killTree(child.pid, () => child.kill('SIGKILL'))
    const timer = setTimeout(() => {
      timedOut = true
      killTree()
    }, spec.timeoutMs)
    const onAbort = () => {
      cancelled = true
      killTree()
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })

    try {
      const [out, err, result] = await Promise.all([
        collectOutput(child.stdout, {
          maxBytes: spec.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
          decoder: decoderFor(encoding),
          onLine: options.onLine,
        }),
        collectOutput(child.stderr, { maxBytes: MAX_STDERR_BYTES, decoder: decoderFor(encoding) }),
        child,
      ])
      const exitCode =
        result.failed && result.exitCode === undefined && !result.signal
          ? 1
          : unsignedExitCode(result.exitCode, result.signal)
      const spawnError =
        result.failed && result.exitCode === undefined && !result.signal && !timedOut && !cancelled
          ? `${result.shortMessage}\n`
          : ''
      const ok = !timedOut && !cancelled && spawnError === '' && (spec.successExitCodes ?? [0]).includes(exitCode)
      return {
        ...base,
        exitCode,
        stdout: out.text,
        stderr: spawnError + err.text,
        ok,
        timedOut,
        cancelled,
        truncated: out.truncated,
        durationMs: Math.round(performance.now() - started),
      }
    } finally {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  async openRead(path: string): Promise<Readable> {
    this.checkPath(path)
    const s = await stat(path)
    if (!s.isFile()) throw new Error(`not a file: ${path}`)
    return createReadStream(path)
  }

  async listDir(path: string): Promise<string[]> {
    this.checkPath(path)
    try {
      return (await readdir(path)).sort()
    } catch {
      return []
    }
  }

  async exists(path: string): Promise<boolean> {
    this.checkPath(path)
    try {
      await access(path)
      return true
    } catch {
      return false
    }
  }

  /** Paths come from main's own code; still, only absolute paths without NUL are accepted. */
  private checkPath(path: string): void {
    const abs = this.platform === 'win32' ? win32.isAbsolute(path) : isAbsolute(path)
    if (typeof path !== 'string' || path.includes('\0') || !abs)
      throw new Error(`not an absolute path: ${String(path)}`)
  }

  private killTree(pid: number | undefined, fallback: () => void): void {
    if (pid === undefined) return
    if (this.platform === 'win32') {
      const tk = spawn(systemToolPath('taskkill.exe', this.systemRoot), ['/PID', String(pid), '/T', '/F'], {
        windowsHide: true,
        stdio: 'ignore',
      })
      tk.on('error', fallback)
      return
    }
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      fallback()
    }
  }

  /** The OEM code page, read once: registry OEMCP first (language independent), then chcp, then 437. */
  private consoleCodePage(): Promise<number> {
    if (this.platform !== 'win32') return Promise.resolve(65001)
    this.oemCodePage ??= (async () => {
      const reg = await this.run({
        name: 'host.oem-code-page',
        file: 'reg.exe',
        args: ['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage', '/v', 'OEMCP'],
        timeoutMs: 10_000,
        outputEncoding: 'utf8',
      })
      const fromReg = reg.ok ? parseOemCodePageFromReg(reg.stdout) : null
      if (fromReg) return fromReg
      const chcp = await this.run({
        name: 'host.chcp',
        file: 'chcp.com',
        args: [],
        timeoutMs: 10_000,
        outputEncoding: 'utf8',
      })
      return (chcp.ok ? parseChcp(chcp.stdout) : null) ?? 437
    })()
    return this.oemCodePage
  }
}

/** The host for this PC. */
export function createWindowsHost(options: WindowsHostOptions = {}): WindowsHost {
  return new WindowsHost(options)
}
