/**
 * The one rule over every command the app or the CLI shows a person to copy: a program is named by its
 * full path (`%SystemRoot%\System32\Dism.exe …` in a Command Prompt box, `& "$env:SystemRoot\System32\Dism.exe" …`
 * in a PowerShell box), never by a bare name — Windows looks a bare name up in the current folder first, so a
 * `dism.exe` in Downloads or on the USB stick would run as administrator.
 *
 * A bare program is a word with no folder part, at a command's position (a line's start after any numbering, or after
 * `;` `|` `&` `&&` `||` `{` `(`), that is a Windows program (`.exe`/`.com`, or a System32 program's name without it),
 * followed by an argument (`/x`, `-x`, a drive, a quoted value, `stop`/`start`) or nothing. The same function reads
 * the boxes the screens and `--json` carry, the CLI's text and the report's HTML (after its tags are removed).
 */
import { SYSTEM_TOOLS } from '../../../main/host/system-tools.ts'

/** System32 programs the app shows or starts, by their names without `.exe`/`.com`. */
const PROGRAMS = new Set(
  [
    ...Object.keys(SYSTEM_TOOLS).map((k) => k.replace(/\.(exe|com)$/i, '')),
    'findstr',
    'cleanmgr',
    'wevtutil',
    'certutil',
    'bcdboot',
    'pnputil',
    'msiexec',
    'wuauclt',
    'usoclient',
    'takeown',
    'cscript',
    'wmic',
    'setup',
    'dismhost',
  ].map((s) => s.toLowerCase()),
)

const POSITION = /(?:[;|{(&]|^)\s*(?:\d+[.)]\s+)?/g
const LINE_START = /^\s*(?:\d+[.)]\s+)?/g
const WORD = /^"?([A-Za-z][\w.-]*)"?(?=\s|$)/
const FOLLOWS = /^(\s*$|\s+([/-][A-Za-z?]|[A-Za-z]:|"|(stop|start)\b))/i

/** The bare programs one line starts, each as `name`: empty when every program is named by its path. */
export function barePrograms(
  line: string,
  where: 'every command position' | 'line start' = 'every command position',
): string[] {
  const out: string[] = []
  for (const m of line.matchAll(where === 'line start' ? LINE_START : POSITION)) {
    const rest = line.slice(m.index! + m[0].length)
    const w = WORD.exec(rest)
    if (!w) continue
    const name = w[1]!
    const stem = name.toLowerCase().replace(/\.(exe|com|bat|cmd)$/, '')
    const program = /\.(exe|com)$/i.test(name) || PROGRAMS.has(stem)
    // A name with .exe/.com is a program whatever follows; a bare word (DISM, sfc) when an argument follows it.
    if (program && (/\.(exe|com)$/i.test(name) || FOLLOWS.test(rest.slice(w[0].length)))) out.push(name)
  }
  return out
}

/**
 * Text a person reads (CLI output, the report's HTML with tags removed), line by line: `line: name` per bare program
 * that starts a line (a line is what a person copies; a command named inside a sentence is prose).
 */
export function bareProgramsInText(text: string): string[] {
  const plain = text
    .replace(/<[^>]*>/g, '\n')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
  return plain
    .split(/\r?\n/)
    .flatMap((l) => barePrograms(l.trim(), 'line start').map((n) => `${l.trim()}: ${n} by its bare name`))
}
