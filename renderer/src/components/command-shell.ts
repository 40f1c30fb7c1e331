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

/**
 * `powershell.exe -NoProfile -Command "<script>"` where the script spans lines (the WinRE repair's work-folder and
 * resize steps): the app hands the script over encoded, and shows it decoded in this form. Command Prompt cannot run
 * it as shown (a line ends the command), so the script is what a box shows, in a PowerShell box: pasted into Windows
 * PowerShell as administrator it runs as the app runs it.
 */
const WRAPPED_SCRIPT = new RegExp(
  `^\\s*${SYSTEM32}(?:WindowsPowerShell\\\\v1\\.0\\\\)?powershell(?:\\.exe)?\\s+(?:-NoProfile\\s+)?-Command\\s+"([\\s\\S]*\\n[\\s\\S]*)"\\s*$`,
  'i',
)

/** The script of a `powershell.exe -Command "…"` line whose script spans lines; null for any other command. */
export function wrappedScript(command: string): string[] | null {
  const m = WRAPPED_SCRIPT.exec(command)
  return m ? m[1]!.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n') : null
}

/**
 * Splits commands into boxes: a new box where the shell changes and after each restart. A command of several lines
 * is its lines, except a script wrapped in one PowerShell line (wrappedScript): that is a PowerShell box of its own.
 */
export function groupCommands(lines: readonly string[], shell?: Shell): CommandGroup[] {
  const out: CommandGroup[] = []
  let afterRestart = false
  let closed = true
  for (const command of lines) {
    const script = shell ? null : wrappedScript(command)
    if (script) {
      out.push({ shell: 'powershell', lines: script, afterRestart })
      closed = true
      continue
    }
    for (const line of command.includes('\n') ? command.split(/\r?\n/).filter((l) => l.trim()) : [command]) {
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
  }
  return out
}

/**
 * Why `lines` (one Command Prompt box) would not run as shown, one sentence per line that would not: a line cmd
 * reads as a whole command has its quotes closed, is not a piece of a script (a comment, a brace, a variable, a
 * PowerShell keyword), and is a line cmd runs itself (shellOf). Empty when every line runs there.
 */
export function cmdLineProblems(lines: readonly string[]): string[] {
  const out: string[] = []
  for (const raw of lines) {
    const line = raw.trim()
    if (!line) continue
    const shown = line.length > 120 ? `${line.slice(0, 117)}…` : line
    if (line.includes('\n')) out.push(`several lines in one command: ${shown}`)
    else if ((line.match(/"/g) ?? []).length % 2 === 1)
      out.push(`a quote left open (a script cut into lines?): ${shown}`)
    else if (
      /^(#|\{|\}|\$|\(|\[|if\s*\(|foreach\s*\(|function\s|param\s*\(|try\s*\{|catch\b|else\b|return\b)/i.test(line)
    )
      out.push(`a line of a PowerShell script: ${shown}`)
    else if (shellOf(line) !== 'cmd') out.push(`a line Command Prompt does not run: ${shown}`)
  }
  return out
}
