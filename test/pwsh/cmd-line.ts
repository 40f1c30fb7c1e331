/**
 * A Command Prompt line as cmd.exe runs it, turned into PowerShell for the emulated PC (harness.ts): a person pastes
 * the lines of a Command Prompt box into an elevated cmd.exe, which this machine does not have. So:
 *  - %NAME% is expanded from the PC's environment as Windows names it (SystemRoot = C:\Windows, …), case-insensitively;
 *    an undefined %NAME% stays as typed (cmd's interactive rule);
 *  - a line holding an unquoted & | < > ^ or ( is refused (this interpreter does not model cmd's operators);
 *  - the program is found as cmd finds it: a path (relative ones from the current folder, C:\Windows\System32 in an
 *    elevated prompt), a bare name in the current folder and then PATH; a missing one is cmd's "is not recognized"
 *    (errorlevel 9009); its arguments are split by the Windows argv rules (CommandLineToArgvW / MSVCRT quoting) and
 *    the program called by its full path, `& 'C:\Windows\System32\Dism.exe' '/Online' …`, which the PC's stand-in
 *    answers; the line succeeds only on an exit code the program documents as success (`successCodes`);
 *  - DISM that needs a restart asks "Do you want to restart the computer now? (Y/N)" unless /NoRestart or /Quiet is
 *    given: in a pasted box the next line is its answer, so a 3010 there fails the line unless it is the box's last;
 *  - a file a program is told to read (DISM's /PackagePath: and /Source:, expand's source, findstr's file) must exist
 *    where the line names it, read from the current folder when relative: the model does not read those files, a
 *    real program fails to open them (0x80070002);
 *  - cmd's built-ins the boxes use: mkdir / md (creates the folders above; fails when it exists), rmdir / rd (fails on
 *    a missing or non-empty folder), ren / rename (in place: the new name has no folder; fails when the source is
 *    missing or the new name exists), `cmd.exe /c <line>` and `if [not] exist <path> <line>`. Windows Update's folders
 *    (SoftwareDistribution, catroot2 and their renamed copies) live in the model, not on the disk: their ren is the
 *    model's (harness op 'cmd-ren').
 * Lines that are not commands for this cmd are skipped with their reason (`skipReason`). A line the app itself lets
 * fail (a Fix-it step marked mayFail: one rung of a ladder, the next rung tries) is run, and its failure printed as
 * `SDH-MAYFAIL …`, not thrown.
 */
import { SHOWN_ONLY, SYSTEM_TOOLS } from '../../main/host/system-tools.ts'
import { splitCommandLine } from './harness.ts'

export interface CmdPc {
  /** The PC's environment as Windows names it (names any case). */
  env: Record<string, string>
  /** The current folder of the prompt (an elevated Command Prompt starts in C:\Windows\System32). */
  cwd: string
  /** The drive letters the PC has (C and its mounted media). */
  drives: readonly string[]
  /** The local file behind a Windows path (EmulatedPc.localPath). */
  localPath(win: string): string
}

/** What a line claims the model holds after it (checked at a mark right after it). */
export type Claim =
  | { kind: 'winre-enabled'; enabled: boolean }
  | { kind: 'service'; name: string; status: 'Running' | 'Stopped' }
  | { kind: 'wu-folder'; from: string; to: string }
  | { kind: 'registry'; key: string; name: string; data: string }
  | { kind: 'esp-mounted'; letter: string; mounted: boolean }
  | { kind: 'package-removed'; identity: string }

export type CmdStep =
  | { line: string; kind: 'skip'; reason: string }
  | { line: string; kind: 'run'; ps: string; claims: Claim[] }

// PowerShell takes the typographic single quotes as quotes too: each is doubled like '.
const q = (s: string) => `'${s.replace(/['\u2018\u2019\u201A\u201B]/g, '$&$&')}'`

/** cmd's %NAME% expansion (interactive: an undefined variable stays as typed). */
export function expandVars(line: string, env: Record<string, string>): string {
  const lower = new Map(Object.entries(env).map(([k, v]) => [k.toLowerCase(), v]))
  return line.replace(/%([^%\s=]+)%/g, (m, n: string) => lower.get(n.toLowerCase()) ?? m)
}

/** cmd's own tokens (a built-in's arguments): runs of non-blanks, "quoted" parts keep their blanks, quotes removed. */
function cmdTokens(s: string): string[] {
  return [...s.matchAll(/(?:"[^"]*"?|[^\s"])+/g)].map((m) => m[0].replace(/"/g, ''))
}

/** The first token of a line (quoted or not) and the rest, as cmd reads the program name. */
function firstToken(s: string): { head: string; rest: string } {
  const t = s.trimStart()
  const m = t.startsWith('"') ? /^"([^"]*)"?/.exec(t)! : /^[^\s]+/.exec(t)!
  return { head: t.startsWith('"') ? m[1]! : m[0], rest: t.slice(m[0].length) }
}

const isAbs = (p: string) => /^[A-Za-z]:\\/.test(p)
const join = (dir: string, p: string) => (isAbs(p) ? p : `${dir.replace(/\\$/, '')}\\${p}`)
const parentOf = (p: string) => p.replace(/\\[^\\]*$/, '') || p
const nameOf = (p: string) => p.replace(/^.*\\/, '')

/** Exit codes a program documents as success, where the app treats them so. */
export function successCodes(tool: string): number[] {
  // robocopy: codes below 8 are successes (learn.microsoft.com robocopy, "Exit (return) codes"); the app's step too.
  if (tool === 'robocopy.exe') return [0, 1, 2, 3, 4, 5, 6, 7]
  // DISM, wusa: 3010 ERROR_SUCCESS_REBOOT_REQUIRED (the app's dism-remove-package and installs take it as success).
  if (tool === 'dism.exe' || tool === 'wusa.exe') return [0, 3010]
  // findstr: 1 = no line matched (an answer; that the file exists is checked before the line runs, see inputsOf).
  if (tool === 'findstr.exe') return [0, 1]
  return [0]
}

/** The table name of a full program path on the PC (C:\Windows\System32\Dism.exe → dism.exe), or null. */
function toolOf(path: string, systemRoot: string): string | null {
  for (const [name, rel] of Object.entries({ ...SYSTEM_TOOLS, ...SHOWN_ONLY }))
    if (`${systemRoot}\\${rel}`.toLowerCase() === path.toLowerCase()) return name
  return null
}

/** Files the program reads, as named in its argv (relative ones from the current folder). */
function inputsOf(tool: string, argv: readonly string[], cwd: string): string[] {
  const out: string[] = []
  if (tool === 'dism.exe') {
    for (const a of argv) {
      const pkg = /^\/PackagePath:(.+)$/i.exec(a)?.[1]
      if (pkg) out.push(join(cwd, pkg))
      const src = /^\/Source:(.+)$/i.exec(a)?.[1]
      if (src) out.push(join(cwd, src.replace(/^(wim|esd):/i, '').replace(/:\d+$/, '')))
    }
  }
  if (tool === 'expand.exe') {
    const files = argv.filter((a) => !a.startsWith('-'))
    if (files[0]) out.push(join(cwd, files[0]))
  }
  if (tool === 'findstr.exe' && argv.length) out.push(join(cwd, argv[argv.length - 1]!))
  return out
}

/** What a program line claims about the model afterwards, where that is checkable. */
function claimsOf(tool: string, argv: readonly string[]): Claim[] {
  const a = argv.map((x) => x.toLowerCase())
  if (tool === 'reagentc.exe' && a[0] === '/enable') return [{ kind: 'winre-enabled', enabled: true }]
  if (tool === 'reagentc.exe' && a[0] === '/disable') return [{ kind: 'winre-enabled', enabled: false }]
  if (tool === 'net.exe' && argv.length === 2 && (a[0] === 'stop' || a[0] === 'start'))
    return [{ kind: 'service', name: a[1]!, status: a[0] === 'stop' ? 'Stopped' : 'Running' }]
  if (tool === 'reg.exe' && a[0] === 'add') {
    const v = a.indexOf('/v'),
      d = a.indexOf('/d')
    if (v > 0 && d > 0) return [{ kind: 'registry', key: argv[1]!, name: argv[v + 1]!, data: argv[d + 1]! }]
  }
  if (tool === 'mountvol.exe' && /^[a-z]:$/.test(a[0] ?? '') && (a[1] === '/s' || a[1] === '/d'))
    return [{ kind: 'esp-mounted', letter: a[0]![0]!.toUpperCase(), mounted: a[1] === '/s' }]
  const pkg =
    tool === 'dism.exe' && a.includes('/remove-package') ? argv.find((x) => /^\/PackageName:/i.test(x)) : undefined
  if (pkg) return [{ kind: 'package-removed', identity: pkg.slice('/PackageName:'.length) }]
  return []
}

/** Why a line is no command for this Command Prompt, or null. */
export function skipReason(line: string, pc: CmdPc): string | null {
  if (/^servicing-desk\s/.test(line)) return "a Servicing Desk CLI line (the app's own command, not a Windows program)"
  if (/^\(in the app\)\s/.test(line)) return 'done by the app ("(in the app)"), not typed into cmd'
  const text = expandVars(line, pc.env)
  const { head } = firstToken(text)
  const drive = /^([A-Za-z]):\\/.exec(head)?.[1]?.toUpperCase()
  if (drive && drive !== 'C' && !pc.drives.includes(drive))
    return `a program on ${drive}:, which this machine does not have (no installation medium is mounted there)`
  if (drive && drive !== 'C')
    return `a program of the installation medium at ${drive}: (its setup: an in-place upgrade of hours and several restarts, which the emulated PC does not run)`
  // DISM /Image:C:\ of the Windows it runs on is refused; the knowledge's R8 says "from WinRE": there C: is the offline Windows.
  if (/\/Image:C:\\?(\s|$)/i.test(text) && /\/RevertPendingActions\b/i.test(text))
    return 'a line for the Command Prompt of the Windows Recovery Environment (the remedy says "from WinRE"; C: is the offline Windows there), not for the running Windows'
  return null
}

const WU_FOLDER = /^C:\\Windows\\(System32\\|SoftwareDistribution\\)(DataStore|Download|catroot2)(\.[^\\]+)?$/i

/** PowerShell for one built-in or program line (after expansion); `n` names the line in messages. */
function lineToPs(text: string, pc: CmdPc, n: string, claims: Claim[], mayFail = false, last = true): string {
  const unquoted = text.replace(/"[^"]*"/g, '""')
  if (/[&|<>^()]/.test(unquoted))
    return `throw ${q(`${n}: cmd operators (& | < > ^ ( )) are not modelled by this interpreter: ${text}`)}`
  const { head, rest } = firstToken(text)
  const word = head.toLowerCase()
  const fail = (m: string) => `throw ${q(`${n}: ${m}`)}`
  const local = (p: string) => q(pc.localPath(p))
  if (word === 'mkdir' || word === 'md') {
    const dirs = cmdTokens(rest).map((d) => join(pc.cwd, d))
    if (!dirs.length) return fail('The syntax of the command is incorrect.')
    return dirs
      .map(
        (d) =>
          `if ([System.IO.Directory]::Exists(${local(d)}) -or [System.IO.File]::Exists(${local(d)})) { ${fail(`A subdirectory or file ${d} already exists.`)} }; [void][System.IO.Directory]::CreateDirectory(${local(d)})`,
      )
      .join('; ')
  }
  if (word === 'rmdir' || word === 'rd') {
    const args = cmdTokens(rest)
    if (args.length !== 1 || args[0]!.startsWith('/'))
      return fail(`rmdir ${rest.trim()}: only rmdir <folder> is modelled`)
    const d = join(pc.cwd, args[0]!)
    return `if (-not [System.IO.Directory]::Exists(${local(d)})) { ${fail(`${d}: The system cannot find the file specified.`)} }; if (@([System.IO.Directory]::EnumerateFileSystemEntries(${local(d)})).Count) { ${fail(`${d}: The directory is not empty.`)} }; [System.IO.Directory]::Delete(${local(d)})`
  }
  if (word === 'ren' || word === 'rename') {
    const args = cmdTokens(rest)
    if (args.length !== 2 || /[\\:]/.test(args[1]!)) return fail('The syntax of the command is incorrect.')
    const from = join(pc.cwd, args[0]!)
    const to = `${parentOf(from)}\\${args[1]}`
    const wu = WU_FOLDER.exec(from)
    if (wu) {
      const rel = from.slice('C:\\Windows\\'.length)
      claims.push({ kind: 'wu-folder', from: rel, to: `${wu[1] ?? ''}${args[1]}` })
      return `$r = Invoke-SdhRequest @{ op = 'cmd-ren'; rel = ${q(rel)}; name = ${q(args[1]!)} }; if ([int]$r.exitCode -ne 0) { throw (${q(`${n}: `)} + [string]$r.stderrText) }`
    }
    return `if (-not (Test-Path -LiteralPath ${local(from)})) { ${fail(`${from}: The system cannot find the file specified.`)} }; if (Test-Path -LiteralPath ${local(to)}) { ${fail(`${to}: A duplicate file name exists, or the file cannot be found.`)} }; [System.IO.Directory]::Move(${local(from)}, ${local(to)})`
  }
  const ifm = /^if\s+(not\s+)?exist\s+("[^"]+"|\S+)\s+(.+)$/i.exec(text.trim())
  if (ifm) {
    const p = join(pc.cwd, ifm[2]!.replace(/"/g, ''))
    const test = `(Test-Path -LiteralPath ${local(p)})`
    return `if (${ifm[1] ? '-not ' : ''}${test}) { ${lineToPs(ifm[3]!, pc, n, claims, mayFail, last)} }`
  }
  // A program: a path (relative from the current folder), or a bare name from the current folder, then PATH.
  const withExt = (p: string) => (/\.[a-z]{3}$/i.test(nameOf(p)) ? [p] : ['.com', '.exe'].map((e) => `${p}${e}`))
  const systemRoot = pc.env.SystemRoot ?? 'C:\\Windows'
  const candidates = /\\/.test(head)
    ? withExt(join(pc.cwd, head))
    : [pc.cwd, `${systemRoot}\\System32`, systemRoot].flatMap((d) => withExt(`${d}\\${head}`))
  const tools = candidates.map((c) => ({ path: c, tool: toolOf(c, systemRoot) }))
  const found = tools.find((c) => c.tool)
  if (!found)
    return fail(
      `'${head}' is not recognized as an internal or external command, operable program or batch file. (errorlevel 9009; or a program the emulated PC does not have)`,
    )
  const tool = found.tool!
  const argv = splitCommandLine(rest)
  if (tool === 'cmd.exe') {
    const c = argv.findIndex((a) => /^\/[ck]$/i.test(a))
    if (c < 0) return fail('cmd.exe without /c is not modelled')
    return lineToPs(rest.trim().replace(/^.*?\/[ck]\s+/i, ''), pc, n, claims, mayFail, last)
  }
  claims.push(...claimsOf(tool, argv))
  const checks = inputsOf(tool, argv, pc.cwd).map(
    (f) =>
      `if (-not (Test-Path -LiteralPath ${local(f)})) { ${fail(`${tool} cannot open ${f}: it does not exist on the PC when the line runs as shown (current folder ${pc.cwd}); Windows answers 0x80070002`)} }`,
  )
  const codes = successCodes(tool)
  // DISM needing a restart asks "Do you want to restart the computer now? (Y/N)" unless /NoRestart or /Quiet is given
  // (learn.microsoft.com dism-global-options: /NoRestart "will keep the application from prompting for a restart"):
  // in a pasted box the next line is read as the answer.
  const prompts = tool === 'dism.exe' && !argv.some((a) => /^\/(NoRestart|Quiet)$/i.test(a))
  const ask =
    prompts && !last
      ? [
          `if ($LASTEXITCODE -eq 3010) { ${fail(`DISM asks "Do you want to restart the computer now? (Y/N)" (no /NoRestart) and takes the next pasted line as the answer`)} }`,
        ]
      : []
  return [
    ...checks,
    '$global:LASTEXITCODE = 0',
    `& ${q(found.path)} ${argv.map(q).join(' ')}`.trimEnd(),
    mayFail
      ? `if (@(${codes.join(', ')}) -notcontains $LASTEXITCODE) { [Console]::Out.WriteLine(${q(`SDH-MAYFAIL ${n}: ${text} -> `)} + $LASTEXITCODE) }`
      : `if (@(${codes.join(', ')}) -notcontains $LASTEXITCODE) { throw (${q(`${n} ended with exit code `)} + $LASTEXITCODE) }`,
    ...ask,
  ].join('; ')
}

/** One line of a Command Prompt box as the PC runs it: skipped (with why), or PowerShell and what it claims. */
export function cmdStep(
  line: string,
  pc: CmdPc,
  n = 'the line',
  opts: { mayFail?: boolean; last?: boolean } = {},
): CmdStep {
  const why = skipReason(line, pc)
  if (why) return { line, kind: 'skip', reason: why }
  const claims: Claim[] = []
  const ps = lineToPs(expandVars(line, pc.env), pc, n, claims, opts.mayFail, opts.last ?? true)
  // A line that may fail (a repair step the app runs on when it fails: a rung of a ladder) claims nothing.
  if (opts.mayFail) claims.length = 0
  return { line, kind: 'run', ps, claims }
}
