/**
 * Every command block the app and the CLI print runs as shown. Collected through the contract, as the
 * screens get them, for every training machine (the diagnosis' remedies, the Fix-it offers' steps, by-hand steps and
 * the other repairs' commands, WinRE's repair), every standard remedy of the knowledge, and every training medium's
 * update plan; split into boxes by the screens' own rule (command-shell.ts: one shell per box). Then:
 *  - PowerShell boxes are parsed by real PowerShell (test/pwsh/pwsh.ts), all in one process: no parse error;
 *  - Command Prompt boxes are parsed by cmd's rules (quotes balanced, no PowerShell-only syntax, no bare < or >
 *    that cmd would take as a redirection) and their paths checked: a folder a command needs (reagentc /mountre
 *    /path, DISM /MountDir: /Image: /ScratchDir:, the folder of an absolute /PackagePath: or wusa file) exists on a
 *    Windows PC or is created earlier in the same box (mkdir, a mount);
 *  - a `servicing-desk …` line names a command and options the CLI has.
 *  - no box, and no line of the CLI's text or the report's HTML, starts a program by a bare name (bare-programs.ts:
 *    Windows looks for a bare name in the current folder first).
 * These checks are quick and cover every box (the knowledge's standard remedies and the media plans too). The boxes of
 * every training machine's screens, of both shells, are also RUN as shown on that machine's emulated PC:
 * test/unit/pwsh/printed-boxes-run.test.ts (Command Prompt lines through its cmd interpreter, test/pwsh/cmd-line.ts).
 * A relative path (`/PackagePath:KB1.cab`) passes the path check here (it names no folder to look for); running the
 * box finds it missing from the prompt's current folder.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { existsSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { Command } from 'commander'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall, type Handlers } from '../../../main/handlers.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { allStandardRemedies } from '../../../main/knowledge/error-codes.ts'
import { humanRemedy } from '../../../main/knowledge/remedy-text.ts'
import { groupCommands } from '../../../renderer/src/components/command-shell.ts'
import { boxesOf, commandLists, type Box } from './shown-boxes.ts'
import { registerCommands } from '../../../main/cli/commands/index.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc } from '../../pwsh/harness.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { barePrograms, bareProgramsInText } from './bare-programs.ts'
import { hangMs } from '../../load.ts'

/** The CLI's commands and their options, from the program itself. */
async function cliCommands(): Promise<Map<string, Set<string>>> {
  const program = new Command('servicing-desk')
  const services = createServices({ dataDir: tempDirSync('sd-cmds-cli-'), platform: 'linux' })
  await registerCommands(program, {
    services,
    loadServices: async () => services,
    machine: services,
    loadMachineServices: async () => services,
    dataDir: services.dataDir,
    io: { json() {}, text() {}, note() {} },
  })
  const out = new Map<string, Set<string>>()
  const walk = (c: Command, prefix: string) => {
    for (const sub of c.commands) {
      const name = `${prefix}${sub.name()}`
      out.set(name, new Set(sub.options.flatMap((o) => [o.long, o.short].filter((x): x is string => !!x))))
      walk(sub, `${name} `)
    }
  }
  walk(program, '')
  return out
}

/** Folders every Windows PC has (cmd spellings). */
const EXISTING = [
  /^[A-Z]:\\?$/i,
  /^(C:\\Windows|%windir%|%SystemRoot%)(\\System32)?(\\(Logs|Temp|SoftwareDistribution|DataStore|Download|catroot2|WinSxS))*\\?$/i,
  /^C:\\(ProgramData|Users|Program Files)\\?$/i,
  /^%USERPROFILE%(\\(Downloads|Desktop|Documents))?\\?$/i,
]
const exists = (p: string, made: Set<string>) =>
  made.has(p.toLowerCase().replace(/\\$/, '')) || EXISTING.some((r) => r.test(p))
const parentOf = (p: string) => p.replace(/\\[^\\]*$/, '')
/** A medium's drive (D:, E:, the letter mountvol gave the EFI partition…): not C:, it is the medium's, and exists as such. */
const onMedium = (p: string) => /^[A-BD-Z]:/i.test(p)

/** cmd's rules for one box: what is wrong with it, or nothing. */
function cmdProblems(lines: readonly string[]): string[] {
  const problems: string[] = []
  const made = new Set<string>()
  const need = (p: string, line: string, what: string) => {
    const path = p.replace(/^"|"$/g, '')
    if (!/^([A-Z]:\\|%)/i.test(path) || onMedium(path)) return
    if (!exists(path, made))
      problems.push(`${line}: ${what} ${path} does not exist and nothing before it in the box creates it`)
  }
  for (const line of lines) {
    const unquoted = line.replace(/"[^"]*"/g, '""')
    if ((line.match(/"/g) ?? []).length % 2) problems.push(`${line}: an unbalanced double quote`)
    if (/\$env:|\$\(|\((Get|New|Join|Resolve)-[A-Z]|^\s*\$[A-Za-z]|\|\s*[A-Z][a-z]+-[A-Z]/.test(line))
      problems.push(`${line}: PowerShell syntax in a Command Prompt box`)
    if (/[<>]/.test(unquoted)) problems.push(`${line}: a bare < or > (cmd reads it as a redirection; a placeholder?)`)
    const mk =
      /^\s*(?:(?:%SystemRoot%\\System32\\)?cmd(?:\.exe)?\s+\/c\s+(?:if\s+not\s+exist\s+(?:"[^"]+"|\S+)\s+)?)?(?:mkdir|md)\s+("[^"]+"|\S+)\s*$/i.exec(
        line,
      )
    if (mk) {
      made.add(mk[1]!.replace(/^"|"$/g, '').toLowerCase().replace(/\\$/, ''))
      continue
    }
    // robocopy creates its destination folder, with the folders above it (learn.microsoft.com robocopy: "destination").
    const rc = /^\s*(?:%SystemRoot%\\System32\\)?robocopy(?:\.exe)?\s+("[^"]+"|\S+)\s+("[^"]+"|\S+)/i.exec(line)
    if (rc)
      for (let d = rc[2]!.replace(/^"|"$/g, '').toLowerCase().replace(/\\$/, ''); /^[a-z]:\\./.test(d); d = parentOf(d))
        made.add(d)
    const rm = /^\s*(rmdir|rd)\s+("[^"]+"|\S+)/i.exec(line)
    if (rm) {
      need(rm[2]!, line, 'the folder')
      made.delete(rm[2]!.replace(/^"|"$/g, '').toLowerCase())
      continue
    }
    for (const m of line.matchAll(/\/path\s+("[^"]+"|\S+)/gi))
      if (/reagentc/i.test(line)) need(m[1]!, line, 'the mount folder')
    for (const m of line.matchAll(/\/(MountDir|Image|ScratchDir):("[^"]+"|\S+)/gi)) need(m[2]!, line, 'the folder')
    for (const m of line.matchAll(/\/PackagePath:("[^"]+"|\S+)/gi))
      need(parentOf(m[1]!.replace(/^"|"$/g, '')), line, 'the package folder')
    const wusa = /^\s*(?:%SystemRoot%\\System32\\)?wusa(\.exe)?\s+("[^"]+"|\S+)/i.exec(line)
    if (wusa && !wusa[2]!.startsWith('/')) need(parentOf(wusa[2]!.replace(/^"|"$/g, '')), line, "the update's folder")
    // A mount creates nothing, but the folder it mounts into is then in use as an image: /Image: may name it.
  }
  return problems
}

/** What the CLI prints as text for `args` (its text and notes, as a person reads them), in this process. */
async function cliText(args: string[]): Promise<string> {
  const out: string[] = []
  const program = new Command('servicing-desk').exitOverride()
  const io = {
    json(v: unknown) {
      out.push(JSON.stringify(v))
    },
    text(t: string) {
      out.push(t)
    },
    note(t: string) {
      out.push(t)
    },
  }
  await registerCommands(program, {
    services,
    loadServices: async () => services,
    machine: services,
    loadMachineServices: async () => services,
    dataDir: services.dataDir,
    io: io as never,
  })
  // A command sets process.exitCode (a refused plan: 3); the files sharing this worker must not inherit it.
  const exitCode = process.exitCode
  try {
    await program.parseAsync(args, { from: 'user' })
  } catch (err) {
    out.push(`(the CLI stopped: ${(err as Error).message})`)
  } finally {
    process.exitCode = exitCode
  }
  return out.join('\n')
}

const dir = tempDirSync('sd-cmds-')
const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
const h: Handlers = createHandlers(services)
async function call(name: Parameters<typeof invokeCall>[1], input: unknown): Promise<unknown> {
  const r = await invokeCall(h, name, input)
  return r.ok ? r.value : null
}

async function allBoxes(): Promise<Box[]> {
  const boxes: Box[] = []
  for (const p of trainingProfiles) {
    const machine = { kind: 'training', name: p.name }
    boxes.push(...boxesOf(`${p.name}: What's wrong`, commandLists(await call('diagnose', { machine }))))
    boxes.push(...boxesOf(`${p.name}: Fix it`, commandLists(await call('repairOffers', { machine }))))
    boxes.push(...boxesOf(`${p.name}: Recovery (WinRE)`, commandLists(await call('winre', { machine }))))
  }
  // As every surface shows them (remedy-text.ts): a line with a <value> to fill in is a pattern, shown apart, not a command.
  for (const r of allStandardRemedies().map(humanRemedy))
    boxes.push(...boxesOf(`knowledge remedy ${r.id}`, r.commands.length ? [[...r.commands]] : []))
  const media = (await call('mediaList', {})) as { media: { name: string; arch: string }[] } | null
  for (const m of media?.media ?? []) {
    const plan = await call('mediaPlan', { medium: m.name, kb: m.arch === 'arm64' ? 'KB5086672' : 'KB5086672' })
    boxes.push(
      ...boxesOf(`medium ${m.name}: plan`, plan ? [(plan as { plan: { commands: string[] } }).plan.commands] : []),
    )
  }
  return boxes
}

describe('every command block the app and the CLI print', () => {
  let boxes: Box[] = []
  beforeAll(async () => {
    boxes = await allBoxes()
  })

  it('there are boxes of both shells to check', () => {
    expect(boxes.filter((b) => b.shell === 'powershell').length).toBeGreaterThan(3)
    expect(boxes.filter((b) => b.shell === 'cmd').length).toBeGreaterThan(20)
  })

  it('every box names each program by its full path, never a bare name (a planted copy in the current folder never runs)', () => {
    const problems = boxes.flatMap((b) =>
      b.lines.flatMap((l) => barePrograms(l).map((n) => `${b.where}: ${l}: ${n} by its bare name`)),
    )
    expect([...new Set(problems)]).toEqual([])
  })

  it("the CLI's text and the report's HTML name each program by its full path, on every training machine", {
    timeout: hangMs(300_000),
  }, async () => {
    const problems: string[] = []
    for (const p of trainingProfiles) {
      for (const args of [
        ['diagnose', '--machine', p.name],
        ['repairs', '--machine', p.name],
        ['winre', '--machine', p.name],
        ['plan', '--machine', p.name, '--kb', 'KB5086672'],
      ]) {
        problems.push(...bareProgramsInText(await cliText(args)).map((x) => `${args.join(' ')}: ${x}`))
      }
      const r = await invokeCall(h, 'exportReport', { machine: { kind: 'training', name: p.name }, format: 'html' })
      expect(r.ok).toBe(true)
      if (r.ok)
        problems.push(
          ...bareProgramsInText((r.value as { content: string }).content).map((x) => `${p.name} report: ${x}`),
        )
    }
    for (const m of ((await call('mediaList', {})) as { media: { name: string }[] } | null)?.media ?? []) {
      problems.push(
        ...bareProgramsInText(await cliText(['media', 'plan', m.name, '--kb', 'KB5086672'])).map(
          (x) => `media plan ${m.name}: ${x}`,
        ),
      )
    }
    expect([...new Set(problems)]).toEqual([])
  })

  it('the bare-name rule finds a bare program wherever it stands, and passes a full path (it can fail)', () => {
    expect(barePrograms('dism.exe /Online /Cleanup-Image /RestoreHealth')).toEqual(['dism.exe'])
    expect(barePrograms('DISM /Online /Get-Packages')).toEqual(['DISM'])
    expect(barePrograms('sfc /scannow')).toEqual(['sfc'])
    expect(barePrograms('net stop bits')).toEqual(['net'])
    expect(barePrograms('mountvol Y: /s')).toEqual(['mountvol'])
    expect(barePrograms('reagentc /info')).toEqual(['reagentc'])
    expect(barePrograms('powershell.exe -NoProfile -Command { Get-Date }')).toEqual(['powershell.exe'])
    expect(barePrograms('& dism.exe /Online; reg.exe query HKLM')).toEqual(['dism.exe', 'reg.exe'])
    expect(barePrograms('setup.exe /auto upgrade')).toEqual(['setup.exe'])
    expect(barePrograms('%SystemRoot%\\System32\\Dism.exe /Online /Cleanup-Image /RestoreHealth')).toEqual([])
    expect(barePrograms('& "$env:SystemRoot\\System32\\Dism.exe" /Online')).toEqual([])
    expect(barePrograms('D:\\setup.exe /auto upgrade')).toEqual([])
    expect(barePrograms('mkdir C:\\mount')).toEqual([])
    expect(barePrograms('Stop-Service -Name wuauserv')).toEqual([])
    expect(barePrograms('servicing-desk install --kb KB5086672')).toEqual([])
    expect(bareProgramsInText('<pre>  1. dism.exe /Online</pre><p>Run DISM to repair</p>')).toHaveLength(1)
  })

  it("Command Prompt boxes parse by cmd's rules, and every folder they need exists or is created first", () => {
    const problems = boxes
      .filter((b) => b.shell !== 'powershell')
      .flatMap((b) => cmdProblems(b.lines).map((p) => `${b.where}: ${p}`))
    expect([...new Set(problems)]).toEqual([])
  })

  it('the checker finds the defects a review named (it can fail)', () => {
    expect(cmdProblems(['reagentc /mountre /path C:\\mount'])).toHaveLength(1)
    expect(
      cmdProblems([
        'mkdir C:\\mount',
        'reagentc /mountre /path C:\\mount',
        'DISM /Image:C:\\mount /Add-Package /PackagePath:KB1.cab',
        'reagentc /unmountre /path C:\\mount /commit',
        'rmdir C:\\mount',
      ]),
    ).toEqual([])
    expect(
      cmdProblems([
        'dism.exe /Mount-Image /ImageFile:D:\\sources\\install.wim /Index:1 /MountDir:C:\\ServicingDesk\\work\\mount\\install-1',
      ]),
    ).toHaveLength(1)
    expect(
      cmdProblems([
        'cmd.exe /c if not exist C:\\w\\m mkdir C:\\w\\m',
        'dism.exe /Mount-Image /ImageFile:D:\\sources\\install.wim /Index:1 /MountDir:C:\\w\\m',
      ]),
    ).toEqual([])
    expect(cmdProblems(['wusa.exe C:\\Updates\\KB5034441\\x.msu /quiet'])).toHaveLength(1)
    expect(cmdProblems(['dism.exe /Online /Add-Package /PackagePath:C:\\w\\packages\\x64\\KB1'])).toHaveLength(1)
    expect(
      cmdProblems([
        '%SystemRoot%\\System32\\Robocopy.exe C:\\kits\\KB1-x64 C:\\w\\packages\\x64\\KB1 *kb1* /R:0',
        'dism.exe /Online /Add-Package /PackagePath:C:\\w\\packages\\x64\\KB1',
      ]),
    ).toEqual([])
    expect(
      cmdProblems([
        'robocopy.exe C:\\kits\\KB1-x64 C:\\w\\packages\\x64\\KB1 *kb1* /R:0',
        'dism.exe /Online /Add-Package /PackagePath:C:\\w\\packages\\x64\\KB1',
      ]),
    ).toEqual([])
    expect(cmdProblems(['wusa.exe (Get-Item C:\\Updates\\KB5034441\\*.msu).FullName /quiet']).join(' ')).toMatch(
      /PowerShell syntax/,
    )
    expect(cmdProblems(['DISM /Online /Remove-Package /PackageName:<name>']).join(' ')).toMatch(/bare < or >/)
    expect(groupCommands(['wusa.exe (Get-Item C:\\Updates\\KB5034441\\*.msu).FullName /quiet'])[0]!.shell).toBe(
      'powershell',
    )
  })

  it('a servicing-desk line names a command and options the CLI has', async () => {
    const cli = await cliCommands()
    const problems: string[] = []
    for (const b of boxes) {
      for (const line of b.lines.filter((l) => /^servicing-desk\s/.test(l))) {
        const words = line.split(/\s+/).slice(1)
        const name = [2, 1].map((n) => words.slice(0, n).join(' ')).find((n) => cli.has(n))
        if (!name) {
          problems.push(`${b.where}: ${line}: no such command`)
          continue
        }
        for (const o of words.filter((w) => w.startsWith('-')))
          if (!cli.get(name)!.has(o)) problems.push(`${b.where}: ${line}: ${name} has no ${o}`)
      }
    }
    expect(problems).toEqual([])
  })

  const ps = requirePowerShell()
  it.skipIf(!ps)(
    'every Command Prompt box starts programs that exist in the emulated System32, once %SystemRoot% is expanded',
    async () => {
      const pc = await startEmulatedPc({ machine: trainingProfiles[0]!.name })
      try {
        const problems: string[] = []
        let checked = 0
        for (const b of boxes.filter((x) => x.shell !== 'powershell')) {
          for (const line of b.lines) {
            const program = /^\s*"?(%SystemRoot%\\[^" ]+)"?/i.exec(line)?.[1]
            if (!program) continue
            checked++
            const local = join(pc.systemRoot, ...program.replace(/^%SystemRoot%\\/i, '').split('\\'))
            if (!existsSync(local)) problems.push(`${b.where}: ${line}: ${program} is not in System32`)
          }
        }
        expect(checked).toBeGreaterThan(20)
        expect([...new Set(problems)]).toEqual([])
      } finally {
        await pc.close()
      }
    },
    600_000,
  )

  it.skipIf(!ps)('PowerShell boxes parse with real PowerShell', () => {
    const scripts = [...new Set(boxes.filter((b) => b.shell === 'powershell').map((b) => b.lines.join('\n')))]
    const input = join(dir, 'boxes.json')
    writeFileSync(input, JSON.stringify(scripts))
    const check = [
      '$ErrorActionPreference = "Stop"',
      `$scripts = Get-Content -Raw -LiteralPath '${input.replace(/'/g, "''")}' | ConvertFrom-Json`,
      '$out = foreach ($s in $scripts) { $t = $null; $e = $null; [void][System.Management.Automation.Language.Parser]::ParseInput([string]$s, [ref]$t, [ref]$e); foreach ($x in $e) { "{0}`n  -> {1}" -f $s, $x.Message } }',
      '$out -join "`n"',
    ].join('\n')
    const out = execFileSync(ps!.file, [...ps!.prefix, '-NoProfile', '-NonInteractive', '-Command', check], {
      encoding: 'utf8',
      timeout: hangMs(120_000),
      env: { ...process.env, ...ps!.env },
    })
    expect(scripts.length).toBeGreaterThan(3)
    expect(out.trim()).toBe('')
  })
})
