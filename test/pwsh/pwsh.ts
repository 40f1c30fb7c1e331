/**
 * Which PowerShell runs the scripts the app writes, in the tests.
 *
 * On Windows: the PowerShell every PC has, Windows PowerShell 5.1 (`%SystemRoot%\System32\WindowsPowerShell\v1.0\
 * powershell.exe`), the scripts' real target. Elsewhere: PowerShell 7.6.9 as a .NET local tool, pinned in
 * `.config/dotnet-tools.json` and restored by `npm test` (`dotnet tool restore`, scripts/restore-powershell.ts);
 * it is started as `dotnet <…>/pwsh.dll`, the command the tool's shim would run, without the shim's ~0.1 s — from the
 * copy compiled ahead of time (test/pwsh/ready-to-run.ts) once `npm test` has made it.
 *
 * Where neither exists the PowerShell tests say so in one plain line and are skipped — except under CI, where
 * they fail instead (`requirePowerShell`): CI on our machines always has dotnet.
 */
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { readyToRunDll } from './ready-to-run.ts'

export interface PowerShellCommand {
  /** The program to start (argv[0]) and the arguments that come before the script's own. */
  file: string
  prefix: string[]
  /** 'windows-powershell' (5.1, on Windows) or 'pwsh-tool' (7.6.9 from the tool manifest). */
  kind: 'windows-powershell' | 'pwsh-tool'
  version: string
  /**
   * Environment its every start needs beside the caller's. For the tool: .NET's tiered compilation without call
   * counting (DOTNET_TC_CallCounting=0). A test's PowerShell lives for seconds; with call counting on, the methods it
   * calls most are compiled a second time, optimized, on a background thread — for a process that ends before that
   * pays back. Measured on one fix package run through its restart (Fix-<host>.ps1 twice, the kit and the collector
   * nested): 19.6-21.5 s of CPU with it, 9.3-13.0 s without, the scripts' output and exit codes the same. It changes
   * how .NET compiles PowerShell's own code, not what a script does.
   *
   * And every method the JIT compiles, compiled without optimizing (DOTNET_JITMinOpts=1): much of a fresh
   * PowerShell's compiling is code made at run time (the expression trees PowerShell makes of a script and of each
   * call site's binding rule, compiled to dynamic methods), which .NET's tiering leaves out of its quick first tier, so
   * each was compiled optimized for a process that runs it a few times. Measured file by file, each file
   * with and without it side by side under the same load (2026-11-27, load ~25): the PowerShell processes' CPU of
   * fix-package-sweep-4 30.2 → 27.3 s, fleet-checkpoint-run 13.4 → 11.1 s, harness-workers 25.6 → 23.7 s, every test
   * green both ways.
   */
  env: Record<string, string>
}

/** What every start of the pwsh tool adds to its environment (see PowerShellCommand.env). */
export const PWSH_TOOL_ENV: Readonly<Record<string, string>> = { DOTNET_TC_CallCounting: '0', DOTNET_JITMinOpts: '1' }

const root = resolve(import.meta.dirname, '..', '..')

/** The PowerShell version the tool manifest pins. */
export function pinnedPwshVersion(): string {
  const m = JSON.parse(readFileSync(join(root, '.config', 'dotnet-tools.json'), 'utf8')) as {
    tools: Record<string, { version: string }>
  }
  const v = m.tools.powershell?.version
  if (!v) throw new Error('.config/dotnet-tools.json pins no powershell tool')
  return v
}

/** The restored tool's pwsh.dll, or null when it is not restored. */
export function pwshToolDll(version = pinnedPwshVersion()): string | null {
  const packages = process.env.NUGET_PACKAGES || join(homedir(), '.nuget', 'packages')
  const dir = join(packages, 'powershell', version, 'tools')
  if (!existsSync(dir)) return null
  for (const tfm of ['net10.0', 'net9.0', 'net8.0']) {
    const dll = join(dir, tfm, 'any', process.platform === 'win32' ? 'win' : 'unix', 'pwsh.dll')
    if (existsSync(dll)) return dll
  }
  return null
}

/** The PowerShell the tests run scripts with, or null when this machine has none. */
export function findPowerShell(): PowerShellCommand | null {
  if (process.platform === 'win32' && !process.env.SD_TEST_PWSH_TOOL) {
    const file = join(
      process.env.SystemRoot ?? 'C:\\Windows',
      'System32',
      'WindowsPowerShell',
      'v1.0',
      'powershell.exe',
    )
    if (existsSync(file)) return { file, prefix: [], kind: 'windows-powershell', version: '5.1', env: {} }
  }
  return pwshToolCommand()
}

/**
 * The pinned tool, started as `dotnet <pwsh.dll>`: the same PowerShell compiled ahead of time when npm test has made
 * that copy (test/pwsh/ready-to-run.ts: half the CPU per start), else the tool as restored; null when not restored.
 */
export function pwshToolCommand(version = pinnedPwshVersion()): PowerShellCommand | null {
  const dll = pwshToolDll(version)
  return dll
    ? {
        file: 'dotnet',
        prefix: [readyToRunDll(version, dll) ?? dll],
        kind: 'pwsh-tool',
        version,
        env: { ...PWSH_TOOL_ENV },
      }
    : null
}

/** The one line the PowerShell tests print where no PowerShell can be had. */
export const NO_POWERSHELL_LINE =
  'PowerShell tests skipped: no PowerShell here (neither Windows PowerShell nor dotnet with the tool in .config/dotnet-tools.json; run `dotnet tool restore`).'

/**
 * The PowerShell for a test file, or null (the caller skips) after printing NO_POWERSHELL_LINE once. Under CI it
 * throws instead: CI never passes by skipping the scripts.
 */
let said = false
export function requirePowerShell(): PowerShellCommand | null {
  const ps = findPowerShell()
  if (ps) return ps
  if (process.env.CI) throw new Error(`CI has no PowerShell: ${NO_POWERSHELL_LINE}`)
  if (!said) {
    said = true
    process.stdout.write(`${NO_POWERSHELL_LINE}\n`)
  }
  return null
}
