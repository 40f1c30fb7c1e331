/**
 * Which shell a shown command runs in, and how a list of commands splits into boxes that each run as shown
 * one shell per box (Command Prompt, Windows PowerShell, or WinRE's Command Prompt for what
 * only runs outside the running Windows), and a restart always ends its box: what follows it is a new box
 * marked "after the restart". Pure, so it is tested alone.
 */
export type Shell = 'cmd' | 'powershell' | 'winre'

export interface CommandGroup {
  shell: Shell
  lines: string[]
  /** The box comes after a restart in an earlier box. */
  afterRestart: boolean
}

/** A copyable line's program folder as Command Prompt names it (`%SystemRoot%\System32\`), optional. */
const SYSTEM32 = '(?:%SystemRoot%\\\\System32\\\\)?'

/** A restart of the PC (`shutdown /r`, `Restart-Computer`): nothing after it in the same box would run. */
export function isRestart(line: string): boolean {
  return (
    new RegExp(`^\\s*${SYSTEM32}shutdown(\\.exe)?\\s+(.*\\s)?[/-]r\\b`, 'i').test(line) ||
    /^\s*Restart-Computer\b/i.test(line)
  )
}

/**
 * The lines a screen shows to copy: a command of this app's own CLI (`servicing-desk install --kb …`) is left out —
 * the app does it from its own button, and no Windows shell knows that command (no CLI verbs in the app).
 */
export function shownLines(lines: readonly string[]): string[] {
  return lines.filter((l) => !/^\s*(servicing-desk|npm run)\b/i.test(l))
}

/** The shell a single command line runs in as written. */
export function shellOf(line: string): Shell {
  const l = line.trim()
  // Reverting pending actions works only on an offline Windows: from WinRE (servicing-facts: R8).
  if (/\/RevertPendingActions\b/i.test(l)) return 'winre'
  // `powershell.exe -Command { … }` hands a script block to a child: only PowerShell itself parses the braces.
  if (
    new RegExp(
      `^(&\\s*"\\$env:SystemRoot\\\\System32\\\\WindowsPowerShell\\\\v1\\.0\\\\|${SYSTEM32}WindowsPowerShell\\\\v1\\.0\\\\)?powershell(\\.exe)?"?\\s.*-Command\\s*\\{`,
      'i',
    ).test(l)
  )
    return 'powershell'
  if (new RegExp(`^${SYSTEM32}(WindowsPowerShell\\\\v1\\.0\\\\)?powershell(\\.exe)?\\b`, 'i').test(l)) return 'cmd'
  // A PowerShell subexpression or variable inside a program's arguments (`wusa.exe (Get-Item …).FullName`,
  // `"$env:SystemRoot\…"`): only PowerShell expands it.
  if (/\((Get|Join|Resolve|Split)-[A-Z][A-Za-z]+\b|\$env:[A-Za-z_]|\$\(/.test(l)) return 'powershell'
  // A cmdlet (Verb-Noun), a variable or a pipeline into a cmdlet: PowerShell.
  if (/^(\$|\[|[A-Z][a-z]+-[A-Z][A-Za-z]+\b)/.test(l) || /\|\s*(Where|Select|ForEach|Format|Sort)-Object\b/i.test(l))
    return 'powershell'
  return 'cmd'
}

/** Splits commands into boxes: a new box where the shell changes and after each restart. */
export function groupCommands(lines: readonly string[], shell?: Shell): CommandGroup[] {
  const out: CommandGroup[] = []
  let afterRestart = false
  let closed = true
  for (const line of lines) {
    const sh = shell ?? shellOf(line)
    const last = out[out.length - 1]
    if (!last || closed || last.shell !== sh) out.push({ shell: sh, lines: [line], afterRestart })
    else last.lines.push(line)
    closed = false
    if (isRestart(line)) {
      closed = true
      afterRestart = true
    }
  }
  return out
}
