/**
 * Builds PowerShell command specs that print UTF-8 and cannot be misquoted.
 *
 * Why -EncodedCommand: the script travels as base64 of UTF-16LE, so no character in it can be
 * re-split by CreateProcess argument parsing (about_PowerShell_exe: "-EncodedCommand … Accepts a
 * Base64-encoded string version of a command"). Why the prefix: Windows PowerShell writes in the
 * OEM code page unless [Console]::OutputEncoding is set, and writes CLIXML progress records to
 * stderr unless $ProgressPreference is SilentlyContinue.
 */
import type { CommandSpec } from './host.ts'

export const POWERSHELL_PRELUDE =
  "$ErrorActionPreference='Stop';$ProgressPreference='SilentlyContinue';[Console]::OutputEncoding=[Text.UTF8Encoding]::new($false);"

/** Base64 of the UTF-16LE script, as -EncodedCommand wants it. */
export function encodePowerShell(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64')
}

/** A spec that runs `script` (after the UTF-8 prelude) in Windows PowerShell, no profile, no prompts. */
export function powershellSpec(
  name: string,
  script: string,
  timeoutMs: number,
  extra: Partial<CommandSpec> = {},
): CommandSpec {
  return {
    name,
    file: 'powershell.exe',
    args: [
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
      encodePowerShell(POWERSHELL_PRELUDE + script),
    ],
    timeoutMs,
    outputEncoding: 'utf8',
    ...extra,
  }
}

/** Decodes the script back out of a spec built by powershellSpec (for display, evidence and training hosts). */
export function decodePowerShellScript(args: readonly string[]): string | null {
  const i = args.findIndex((a) => a.toLowerCase() === '-encodedcommand')
  if (i === -1 || i + 1 >= args.length) return null
  const script = Buffer.from(args[i + 1], 'base64').toString('utf16le')
  return script.startsWith(POWERSHELL_PRELUDE) ? script.slice(POWERSHELL_PRELUDE.length) : script
}
