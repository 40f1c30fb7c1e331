/**
 * The one table of programs the app starts on Windows, each by its full path under %SystemRoot%.
 *
 * Why: Windows looks for a bare program name in the program's own folder and the current folder before
 * System32 (CreateProcess search order, learn.microsoft.com/windows/win32/api/processthreadsapi/nf-processthreadsapi-createprocessw),
 * so an elevated app that starts `shutdown.exe` by name runs a `shutdown.exe` planted beside the portable
 * exe on a USB stick or in the folder the CLI was started from. Every command spec names its program by one
 * of the keys below; a name outside the table (or any path) is refused before anything starts.
 */
import { win32 } from 'node:path'

/** Lower-case file name → path under %SystemRoot%. */
export const SYSTEM_TOOLS: Readonly<Record<string, string>> = Object.freeze({
  'reg.exe': 'System32\\reg.exe',
  'dism.exe': 'System32\\Dism.exe',
  'reagentc.exe': 'System32\\ReAgentc.exe',
  'chcp.com': 'System32\\chcp.com',
  'whoami.exe': 'System32\\whoami.exe',
  'taskkill.exe': 'System32\\taskkill.exe',
  'wusa.exe': 'System32\\wusa.exe',
  'sfc.exe': 'System32\\sfc.exe',
  'bcdedit.exe': 'System32\\bcdedit.exe',
  'net.exe': 'System32\\net.exe',
  'sc.exe': 'System32\\sc.exe',
  'icacls.exe': 'System32\\icacls.exe',
  'expand.exe': 'System32\\expand.exe',
  'powershell.exe': 'System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  'shutdown.exe': 'System32\\shutdown.exe',
  'manage-bde.exe': 'System32\\manage-bde.exe',
  'mountvol.exe': 'System32\\mountvol.exe',
  'robocopy.exe': 'System32\\Robocopy.exe',
  'diskpart.exe': 'System32\\diskpart.exe',
  'schtasks.exe': 'System32\\schtasks.exe',
  // The media plan makes a mount folder only when it is missing (`cmd.exe /c if not exist DIR mkdir DIR`).
  'cmd.exe': 'System32\\cmd.exe',
  'explorer.exe': 'explorer.exe',
})

/** Thrown for a program that is not in the table (a bare unknown name, a path, anything else). */
export class UnknownProgramError extends Error {
  readonly file: string
  constructor(file: string) {
    super(
      `refused to start '${file}': programs are started only by their full path from the System32 table (${Object.keys(SYSTEM_TOOLS).join(', ')})`,
    )
    this.name = 'UnknownProgramError'
    this.file = file
  }
}

/** True when `file` is exactly a table name (any case, no folder part). */
export function isSystemTool(file: string): boolean {
  return typeof file === 'string' && !/[\\/:]/.test(file) && Object.hasOwn(SYSTEM_TOOLS, file.toLowerCase())
}

/** The full path of a table program under `systemRoot`; throws UnknownProgramError for anything else. */
export function systemToolPath(file: string, systemRoot: string): string {
  if (!isSystemTool(file)) throw new UnknownProgramError(file)
  return win32.join(systemRoot, SYSTEM_TOOLS[file.toLowerCase()]!)
}

/**
 * The table name of a full path under `systemRoot` (any case), or null: how a modelled PC reads back the program a
 * remote script names (`%SystemRoot%\System32\Dism.exe` → `dism.exe`). A path outside the table is never a tool.
 */
export function systemToolName(path: string, systemRoot: string): string | null {
  const wanted = path.toLowerCase()
  for (const [name, rel] of Object.entries(SYSTEM_TOOLS))
    if (win32.join(systemRoot, rel).toLowerCase() === wanted) return name
  return null
}

/**
 * A table program as a PowerShell expression for a script the app writes: `(Join-Path $env:SystemRoot
 * 'System32\Dism.exe')`, to start with `&`. The PC's own Windows folder, never a bare name (PowerShell and
 * Windows look a bare name up in the current folder and on PATH first). Throws UnknownProgramError for anything else.
 */
export function psSystemTool(file: string): string {
  if (!isSystemTool(file)) throw new UnknownProgramError(file)
  return `(Join-Path $env:SystemRoot '${SYSTEM_TOOLS[file.toLowerCase()]!.replace(/'/g, "''")}')`
}

/**
 * Programs a person is shown to run by hand that the app itself never starts, by their path under %SystemRoot%
 * (copyable blocks name them by full path as well: `copyableCommand`).
 */
export const SHOWN_ONLY: Readonly<Record<string, string>> = Object.freeze({
  'findstr.exe': 'System32\\findstr.exe',
  'cleanmgr.exe': 'System32\\cleanmgr.exe',
  // Windows Script Host, for slmgr.vbs's licence display (the ESU check).
  'cscript.exe': 'System32\\cscript.exe',
})

/** The path under %SystemRoot% of a System32 program a copyable line names by `word` (`DISM`, `sfc.exe`), or null. */
export function shownToolPath(word: string): string | null {
  const w = word.toLowerCase()
  if (/[\\/:]/.test(w)) return null
  for (const name of /\.(exe|com)$/.test(w) ? [w] : [`${w}.exe`, `${w}.com`]) {
    if (name === 'explorer.exe') return null
    const rel = SYSTEM_TOOLS[name] ?? SHOWN_ONLY[name]
    if (rel) return rel
  }
  return null
}

/**
 * A command line as a person copies it: its program by its full path, never a bare name (Windows runs
 * a bare name from the current folder first). A Command Prompt line: `%SystemRoot%\System32\Dism.exe …` (cmd
 * expands it; in WinRE it is X:\Windows, which has the same programs). A line only PowerShell runs (a script block
 * `-Command { … }`, `$env:`, `(Get-Item …)`): `& "$env:SystemRoot\System32\…" …`. A line that starts with anything
 * else (a path, a cmdlet, `mkdir`, `servicing-desk`) is returned as it is.
 */
export function copyableCommand(line: string): string {
  const m = /^(\s*)("?)([A-Za-z][\w.-]*)\2(?=\s|$)([\s\S]*)$/.exec(line)
  if (!m) return line
  const rel = shownToolPath(m[3]!)
  if (!rel) return line
  const rest = m[4]!
  const powershellOnly =
    /\s-Command\s*\{/i.test(rest) || /\$env:[A-Za-z_]|\$\(|\((Get|Join|Resolve|Split)-[A-Z][A-Za-z]+\b/.test(rest)
  if (powershellOnly && !/^\s*powershell(\.exe)?\s+.*-Command\s*"/i.test(line))
    return `${m[1]}& "$env:SystemRoot\\${rel}"${rest}`
  return `${m[1]}%SystemRoot%\\${rel}${rest}`
}
