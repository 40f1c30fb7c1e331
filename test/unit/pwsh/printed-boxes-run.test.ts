/**
 * Every copyable box the app shows, run as shown on the emulated PC of its training machine:
 * the boxes of What's wrong, Fix it and Recovery, collected from the contract's calls as the screens get them, each
 * screen's boxes in the order that screen shows them (Fix it: an offer's steps, then the by-hand and undo blocks its
 * run shows), one PowerShell process per machine; each screen starts from the machine as the screen saw it (the
 * emulated PC is put back to its first state between screens: a remedy of What's wrong and the repair of Fix it are
 * alternatives, not a sequence).
 *  - PowerShell boxes run as they are.
 *  - Command Prompt boxes run line by line through a small cmd interpreter (test/pwsh/cmd-line.ts: %VAR% expansion
 *    from the PC's environment, the Windows argv rules, the program by its full path, cmd's built-ins mkdir / rmdir /
 *    ren / `cmd.exe /c if not exist`), each line on an exit code its program documents as success; a line that is no
 *    command for this prompt (a servicing-desk line, an "(in the app)" step, a program on an installation medium or
 *    on a drive the machine does not have, a line for WinRE's own prompt) is skipped, and the skipped lines are pinned
 *    below (SKIPPED and the list in its test).
 * Each box must end without an error or a failing exit code — a Fix-it step the app itself lets fail (mayFail: one rung
 * of a ladder, the next rung tries) may fail here too —, and where a line claims a state (WinRE enabled, a service
 * running or stopped, a folder renamed, a registry value, the EFI partition mounted, a package removed) the model must
 * hold it right after that line; a move off the EFI partition (What's wrong's by-hand robocopy) must find the folder it
 * moves into administrators' only already (its files go back onto the EFI partition), and leave it so.
 * A box that fails because of the machine's own state (the box is right, the machine is
 * a case another screen cures) is pinned with its line, exit code and why (FAILS_HERE). A file a preceding "(in the
 * app) download …" line saves is planted where it says, and so is the Safe OS update the stale-WinRE remedy has a
 * person save (its text names the file its DISM line reads). SDH_DEBUG_BOXES=<machine> runs that machine only and
 * prints every call the PC answered.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CommandSpec } from '../../../main/host/host.ts'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall, type Handlers } from '../../../main/handlers.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { commandOf } from '../../../main/repair/step-kinds.ts'
import { powerShellFileText } from '../../../main/host/powershell-text.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, STANDARD_USER, type EmulatedPc, type StandInCall } from '../../pwsh/harness.ts'
import type { TrainingState } from '../../../main/training/state.ts'
import { cmdStep, expandVars, type Claim, type CmdPc } from '../../pwsh/cmd-line.ts'
import { boxesOf, commandLists, type Box } from '../commands/shown-boxes.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { winreUpdateCab } from '../../../main/diagnose/rules/winre.ts'
import { ESP_MOVED_FOLDER, ESP_MOVED_PARENT, espMovedFolderLines } from '../../../main/diagnose/rules/efi-partition.ts'
import { TRUSTED_INSTALLER } from '../../../main/security/sddl.ts'

import { copyableCommand } from '../../../main/host/system-tools.ts'
import { hangMs } from '../../load.ts'

/** A folder of Windows that TrustedInstaller owns (planted so in the EFI folder move's test). */
const SYSTEM_FOLDER = 'C:\\Windows\\System32\\Tasks'

const ps = requirePowerShell()
const dir = tempDirSync('sd-boxes-run-')
const dataDir = join(dir, 'data')
const services = createServices({ dataDir, platform: 'linux' })
const h: Handlers = createHandlers(services)
const open: EmulatedPc[] = []
afterAll(async () => {
  for (const pc of open) await pc.close()
})

async function call(name: Parameters<typeof invokeCall>[1], input: unknown): Promise<unknown> {
  const r = await invokeCall(h, name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`)
  return r.value
}

const SCRIPT_BLOCK =
  /^& "\$env:SystemRoot\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe" (-NoProfile) -Command \{([\s\S]*)\}$/

interface Offer {
  steps: { kind: string; commandLine: string; mayFail?: boolean }[]
  manual?: unknown
}
/** Fix it as the screen shows an offer: its steps, then (after the run) the by-hand and undo blocks; then the rest. */
function fixItLists(offers: { offers: Offer[] }): string[][] {
  return [
    ...offers.offers.flatMap((o) => {
      const { steps, manual, ...rest } = o
      return [...commandLists({ steps }), ...commandLists({ manual }), ...commandLists(rest)]
    }),
    ...commandLists({ ...offers, offers: [] }),
  ]
}

/**
 * The boxes of one machine, screen by screen as its screens show them, and the specs of its `powershell.exe -Command
 * { … }` lines: the argv a script block reaches powershell.exe with (-EncodedCommand of the block's text) under the
 * name of the repair step it shows, so the model answers the block as it answers the step.
 */
async function shown(machine: string): Promise<{ screens: Box[][]; specs: CommandSpec[]; mayFail: Set<string> }> {
  const m = { kind: 'training', name: machine }
  const offers = (await call('repairOffers', { machine: m })) as { offers: Offer[] }
  const specs: CommandSpec[] = []
  for (const st of offers.offers.flatMap((o) => o.steps)) {
    const block = SCRIPT_BLOCK.exec(st.commandLine)
    if (!block) continue
    const spec = commandOf(
      st as never,
      { hostKind: 'training', dataDir, resumeCommand: null, pcArg: null, stateDir: dataDir } as never,
    )!
    specs.push({ ...spec, args: [block[1]!, '-EncodedCommand', Buffer.from(block[2]!, 'utf16le').toString('base64')] })
  }
  const screens = [
    boxesOf(`${machine}: What's wrong`, commandLists(await call('diagnose', { machine: m }))),
    boxesOf(`${machine}: Fix it`, fixItLists(offers)),
    boxesOf(`${machine}: Recovery (WinRE)`, commandLists(await call('winre', { machine: m }))),
  ]
  // Fix-it steps the app runs on past when they fail (a rung of a ladder: the next one tries): their lines may fail too.
  const mayFail = new Set(
    offers.offers
      .flatMap((o) => o.steps)
      .filter((st) => st.mayFail)
      .map((st) => st.commandLine),
  )
  return { screens, specs, mayFail }
}

const PROFILE = 'C:\\Users\\Admin'

/** The emulated PC as a Command Prompt there sees it: its environment as Windows names it, an elevated prompt's folder. */
function cmdPc(pc: EmulatedPc): CmdPc {
  const s = pc.state()
  return {
    // The person at the PC: an administrator (the prompt is elevated), their profile in C:\Users.
    env: {
      SystemRoot: 'C:\\Windows',
      windir: 'C:\\Windows',
      SystemDrive: 'C:',
      ProgramData: 'C:\\ProgramData',
      ALLUSERSPROFILE: 'C:\\ProgramData',
      PUBLIC: 'C:\\Users\\Public',
      TEMP: 'C:\\Windows\\Temp',
      TMP: 'C:\\Windows\\Temp',
      COMPUTERNAME: s.os.computerName,
      USERPROFILE: PROFILE,
      USERNAME: 'Admin',
      HOMEDRIVE: 'C:',
      HOMEPATH: '\\Users\\Admin',
    },
    cwd: 'C:\\Windows\\System32',
    drives: ['C', ...(s.mountedMedia ?? []).map((x) => x.letter.toUpperCase())],
    localPath: (w) => pc.localPath(w),
  }
}

interface Planned {
  script: string
  skipped: { where: string; line: string; reason: string }[]
  claims: Map<string, { where: string; line: string; claims: Claim[] }>
  boxes: Box[]
}

/**
 * One script running each screen's boxes in turn, as a person pastes them: a box stops at its first error or failing
 * exit code. Between screens the PC goes back to checkpoint 0 (taken before the run).
 */
function boxesScript(
  screens: readonly (readonly Box[])[],
  pc: CmdPc,
  mayFail: ReadonlySet<string> = new Set(),
): Planned {
  const out: string[] = []
  const planned: Planned = { script: '', skipped: [], claims: new Map(), boxes: [] }
  screens.forEach((boxes, s) => {
    if (s > 0)
      out.push(
        "if (-not (Invoke-SdhRequest @{ op = 'restore'; index = 0 }).ok) { throw 'the PC could not be put back' }",
      )
    for (const b of boxes) {
      const i = planned.boxes.push(b) - 1
      const body: string[] = []
      b.lines.forEach((l, j) => {
        if (b.shell === 'powershell') {
          body.push(
            '    $global:LASTEXITCODE = 0',
            `    ${l}`,
            `    if ($LASTEXITCODE) { throw "line ${j + 1} ended with exit code $LASTEXITCODE" }`,
          )
          return
        }
        const st = cmdStep(l, pc, `line ${j + 1}`, {
          mayFail: b.where.endsWith('Fix it') && mayFail.has(l),
          last: j === b.lines.length - 1,
        })
        if (st.kind === 'skip') {
          planned.skipped.push({ where: b.where, line: l, reason: st.reason })
          return
        }
        body.push(`    ${st.ps}`)
        if (st.claims.length) {
          const label = `${i}:${j + 1}`
          planned.claims.set(label, { where: b.where, line: l, claims: st.claims })
          body.push(`    Invoke-SdhRequest @{ op = 'mark'; label = '${label}' } | Out-Null`)
        }
      })
      out.push(
        'try {',
        '  & {',
        ...body,
        '  } | Out-Null',
        `  [Console]::Out.WriteLine('SDH-BOX ${i} ok')`,
        `} catch { [Console]::Out.WriteLine('SDH-BOX ${i} failed: ' + ($_.Exception.Message -replace '\\s+', ' ')) }`,
      )
    }
    // The model as this screen's boxes leave it (the test's `before` keeps it).
    out.push(`Invoke-SdhRequest @{ op = 'mark'; label = 'screen-${s}' } | Out-Null`)
  })
  planned.script = out.join('\n')
  return planned
}

const results = (stdout: string) =>
  [...stdout.matchAll(/^SDH-BOX (\d+) (.*)$/gm)].map((m) => ({ box: Number(m[1]), result: m[2]!.trim() }))

/** What a claim finds wrong with the model now, or null. */
async function claimProblem(pc: EmulatedPc, c: Claim): Promise<string | null> {
  const s = pc.state()
  switch (c.kind) {
    case 'winre-enabled':
      return s.winre.enabled === c.enabled ? null : `WinRE is ${s.winre.enabled ? 'enabled' : 'disabled'}`
    case 'service': {
      const x = s.services.find((y) => y.name.toLowerCase() === c.name)
      return x?.status === c.status ? null : `${c.name} is ${x?.status ?? 'missing'}`
    }
    case 'wu-folder': {
      const f = Object.keys(s.wuFolders ?? {}).map((k) => k.toLowerCase())
      return f.includes(c.to.toLowerCase()) && !f.includes(c.from.toLowerCase())
        ? null
        : `the folders are ${Object.keys(s.wuFolders ?? {}).join(', ')}`
    }
    case 'registry': {
      const k = await pc.registry(c.key)
      const v = k?.values.find((x) => x.name.toLowerCase() === c.name.toLowerCase())
      return v && Number(v.data) === Number(c.data) ? null : `${c.key} ${c.name} is ${v ? String(v.data) : 'missing'}`
    }
    case 'esp-mounted': {
      const on = s.files[`${c.letter}:\\EFI\\Microsoft\\Boot\\BCD`] !== undefined
      return on === c.mounted ? null : `the EFI partition is ${on ? '' : 'not '}mounted at ${c.letter}:`
    }
    case 'package-removed':
      return s.pendingOnRestart.some(
        (a) => a.kind === 'remove-package' && a.identity.toLowerCase() === c.identity.toLowerCase(),
      ) || !s.packages.some((p) => p.identity.toLowerCase() === c.identity.toLowerCase())
        ? null
        : `${c.identity} is still installed`
  }
}

/** A file a preceding "(in the app) download … save as <file>" line saves, planted where it says (and the folders the step makes). */
function plantDownloads(pc: EmulatedPc, boxes: readonly Box[]): void {
  const asPc = (local: string) => `C:\\ProgramData\\ServicingDesk${local.slice(dataDir.length).replace(/\//g, '\\')}`
  for (const b of boxes)
    for (const l of b.lines) {
      const m = /^\(in the app\) download (KB\d+) \((\w+)\) .*, save as (\S+)$/.exec(l)
      if (!m || !m[3]!.startsWith(dataDir)) continue
      const file = asPc(m[3]!)
      pc.plantFile(file, `training: ${m[1]} (${m[2]}) as the Catalog serves it\r\n`, { owner: 'S-1-5-32-544' })
      // fetch-package's runLocal also makes the MSU's folder and the source folder beside it.
      for (const d of ['msu', 'source']) pc.plantFolder(file.replace(/\\[^\\]+$/, `\\${d}`), { owner: 'S-1-5-32-544' })
    }
  // The stale-WinRE remedy has the person save the Safe OS update where its DISM line reads it (its text says so).
  for (const b of boxes)
    for (const l of b.lines) {
      const m = /\/PackagePath:(\S+\\(KB\d+)\.cab)$/.exec(l)
      if (m && m[1] === winreUpdateCab(m[2]!))
        pc.plantFile(
          expandVars(m[1], { USERPROFILE: PROFILE }),
          `training: the Safe OS update ${m[2]} as the Catalog serves it\r\n`,
          { owner: 'S-1-5-32-544' },
        )
    }
}

/**
 * Boxes that fail on their machine because of the very state the machine models: the box is right, and this machine is
 * a case it does not cure (another box or screen does). Pinned with the line that fails, its exit code and why; each
 * must fail exactly so, and no other box may fail.
 */
const FAILS_HERE: { where: string; line: string; result: string; why: string }[] = [
  ...['x64-component-store-corrupt', 'x64-store-corrupt-iso'].flatMap((m) => [
    {
      where: `${m}: What's wrong`,
      line: '%SystemRoot%\\System32\\Dism.exe /Online /Cleanup-Image /RestoreHealth',
      result: 'ended with exit code -2146498529',
      why: "0x800F081F: Windows Update cannot supply the damaged files of this store (the machine's point); Fix it repairs from a medium or the update's own files",
    },
    {
      where: `${m}: What's wrong`,
      line: '%SystemRoot%\\System32\\ReAgentc.exe /unmountre /path C:\\mount /commit',
      result: 'ended with exit code 2',
      why: 'the recovery partition has no room for the updated WinRE ("There is not enough space on the disk."); Recovery\'s repair makes the room first',
    },
  ]),
  {
    where: "x64-winre-partition-full: What's wrong",
    line: '%SystemRoot%\\System32\\ReAgentc.exe /unmountre /path C:\\mount /commit',
    result: 'ended with exit code 2',
    why: 'the full recovery partition (the machine\'s point): "There is not enough space on the disk."; Recovery\'s repair makes the room first',
  },
]

/**
 * What is wrong with a folder that must be administrators' only (a folder whose files go back onto the EFI partition),
 * or null: it and every folder above it below C:\ProgramData (whoever may change a folder may rename or remove what is
 * in it) exist, are owned by Administrators or SYSTEM, allow no one else anything (inherited rules included: C:\ and
 * ProgramData let a standard user create and change folders), and the model's standard user may not create in them.
 */
function adminOnlyProblem(pc: EmulatedPc, win: string): string | null {
  const chain: string[] = []
  for (let d = win; /^C:\\ProgramData\\[^\\]+/i.test(d); d = d.replace(/\\[^\\]+$/, '')) chain.unshift(d)
  if (!chain.length) chain.push(win)
  const admins = ['S-1-5-32-544', 'S-1-5-18']
  for (const dir of chain) {
    const acl = pc.acl(dir)
    if (!acl) return `${dir} does not exist`
    if (
      admins.includes(acl.owner) &&
      acl.rules.every((r) => r.type !== 'Allow' || admins.includes(r.sid)) &&
      !pc.standardUserCanCreateIn(dir)
    )
      continue
    return `${dir}: owner ${acl.owner}, ${acl.protected ? 'protected' : 'inherited'}, ${acl.rules.map((r) => `${r.type} ${r.sid} ${r.rights}${r.inherited ? ' (inherited)' : ''}`).join('; ')}${pc.standardUserCanCreateIn(dir) ? '; a standard user may create in it' : ''}`
  }
  return null
}

/** A move off the EFI partition (`robocopy X:\EFI\<folder> <dest> …`), as the PC saw it just before it ran. */
interface EspMove {
  screen: number
  dest: string
  problem: string | null
}
/** At a robocopy call moving a folder off the ESP: whether the folder it moves into is administrators' only already. */
function espMoveOf(pc: EmulatedPc, c: StandInCall, screen: number): EspMove | null {
  if (c.kind !== 'program' || c.tool !== 'robocopy.exe' || !/^[D-Z]:\\EFI\\/i.test(c.args[0] ?? '') || !c.args[1])
    return null
  return { screen, dest: c.args[1], problem: adminOnlyProblem(pc, c.args[1].replace(/\\[^\\]+$/, '')) }
}

interface MachineRun {
  machine: string
  boxes: Box[]
  got: { box: number; result: string }[]
  problems: string[]
  failedHere: string[]
  skipped: Planned['skipped']
  stderr: string
  screenEnd: TrainingState[]
  claimsChecked: number
  espMoves: EspMove[]
  espMovedAfter: (string | null)[]
}

async function runMachine(name: string): Promise<MachineRun | null> {
  const { screens, specs, mayFail } = await shown(name)
  if (!screens.some((s) => s.length)) return null
  const pc = await startEmulatedPc({ machine: name })
  open.push(pc)
  pc.knowSpecs(specs)
  plantDownloads(pc, screens.flat())
  pc.checkpoint()
  const plan = boxesScript(screens, cmdPc(pc), mayFail)
  const problems: string[] = []
  const file = pc.localPath('C:\\Users\\Public\\boxes.ps1')
  writeFileSync(file, powerShellFileText(plan.script))
  const screenEnd: TrainingState[] = []
  let claimsChecked = 0
  const espMoves: EspMove[] = []
  const espMovedAfter: (string | null)[] = []
  const before = async (c: StandInCall) => {
    const move = espMoveOf(pc, c, screenEnd.length)
    if (move) espMoves.push(move)
    if (c.kind !== 'mark') return
    if (c.args[0]!.startsWith('screen-')) {
      screenEnd.push(pc.state())
      espMovedAfter.push(adminOnlyProblem(pc, ESP_MOVED_FOLDER))
      return
    }
    const m = plan.claims.get(c.args[0]!)!
    for (const claim of m.claims) {
      claimsChecked++
      const p = await claimProblem(pc, claim)
      if (p) problems.push(`${m.where}: ${m.line}\n  -> claims ${JSON.stringify(claim)}, but ${p}`)
    }
  }
  const r = await pc.run(file, [], { timeoutMs: 120_000, before })
  if (process.env.SDH_DEBUG_BOXES === name)
    console.log(
      r.stdout,
      r.stderr,
      r.calls
        .map(
          (c) =>
            `${c.kind} ${c.tool} ${c.args.join(' ')} -> ${c.result?.exitCode} ${(c.result?.stdout ?? '').slice(0, 300)} ${(c.result?.stderr ?? '').slice(0, 300)}`,
        )
        .join('\n'),
    )
  const got = results(r.stdout)
  // What the programs that failed said (a failing box's reason, in the program's words).
  const said = r.calls
    .filter((c) => c.kind === 'program' && c.result && c.result.exitCode !== 0)
    .map(
      (c) =>
        `${c.tool} ${c.args.join(' ')} -> ${c.result!.exitCode}: ${(c.result!.stderr || c.result!.stdout).trim().split(/\r?\n/).slice(-3).join(' | ').slice(0, 300)}`,
    )
  const failedHere: string[] = []
  for (const g of got) {
    if (g.result === 'ok') continue
    const b = plan.boxes[g.box]!
    const at = /^failed: line (\d+) (.*)$/.exec(g.result)
    const pinned =
      at && FAILS_HERE.find((f) => f.where === b.where && f.line === b.lines[Number(at[1]) - 1] && f.result === at[2])
    if (pinned) {
      failedHere.push(`${b.where}: ${pinned.line} ${pinned.result}`)
      continue
    }
    problems.push(
      `${b.where}:\n  ${b.lines.join('\n  ').slice(0, 600)}\n  -> ${g.result}\n  (programs that failed on this machine: ${said.join('; ')})`,
    )
  }
  return {
    machine: name,
    boxes: plan.boxes,
    got,
    problems,
    failedHere,
    skipped: plan.skipped,
    stderr: r.stderr,
    screenEnd,
    claimsChecked,
    espMoves,
    espMovedAfter,
  }
}

/** Skipped lines, pinned: a new one must be added here on purpose (with its reason), never slip in. */
const SKIPPED = [
  "a Servicing Desk CLI line (the app's own command, not a Windows program)",
  'done by the app ("(in the app)"), not typed into cmd',
  'a program on D:, which this machine does not have (no installation medium is mounted there)',
  'a program of the installation medium at E: (its setup: an in-place upgrade of hours and several restarts, which the emulated PC does not run)',
  'a line for the Command Prompt of the Windows Recovery Environment (the remedy says "from WinRE"; C: is the offline Windows there), not for the running Windows',
]

describe('the cmd interpreter, on its own', () => {
  const pc: CmdPc = {
    env: { SystemRoot: 'C:\\Windows', windir: 'C:\\Windows' },
    cwd: 'C:\\Windows\\System32',
    drives: ['C', 'E'],
    localPath: (w) => `/pc/${w}`,
  }
  it('expands %VAR% as cmd does (any case; an undefined one stays as typed), and splits by the Windows argv rules', () => {
    expect(expandVars('%SystemRoot%\\x %WINDIR% %nope% 100%', pc.env)).toBe('C:\\Windows\\x C:\\Windows %nope% 100%')
    const st = cmdStep(
      '%SystemRoot%\\System32\\findstr.exe /i /c:", Error" /c:"[HRESULT =" "%windir%\\Logs\\CBS\\CBS.log"',
      pc,
    )
    expect(st.kind === 'run' && st.ps).toContain(
      "& 'C:\\Windows\\System32\\findstr.exe' '/i' '/c:, Error' '/c:[HRESULT =' 'C:\\Windows\\Logs\\CBS\\CBS.log'",
    )
    const q = cmdStep('%SystemRoot%\\System32\\Robocopy.exe "C:\\a b\\HP" S:\\EFI\\HP "say \\"hi\\"" /E', pc)
    expect(q.kind === 'run' && q.ps).toContain("'C:\\a b\\HP' 'S:\\EFI\\HP' 'say \"hi\"' '/E'")
    const quotes = cmdStep('%SystemRoot%\\System32\\findstr.exe /c:"it\'s" /c:"it\u2019s" C:\\x.log', pc)
    expect(quotes.kind === 'run' && quotes.ps).toContain("'/c:it''s' '/c:it\u2019\u2019s'")
  })
  it('skips only what is no command for this prompt, and says why', () => {
    expect(cmdStep('servicing-desk winre repair --machine x', pc)).toMatchObject({ kind: 'skip', reason: SKIPPED[0] })
    expect(cmdStep('D:\\setup.exe /auto upgrade', pc)).toMatchObject({ kind: 'skip', reason: SKIPPED[2] })
    expect(cmdStep('E:\\setup.exe /auto upgrade', pc)).toMatchObject({ kind: 'skip', reason: SKIPPED[3] })
    expect(cmdStep('%SystemRoot%\\System32\\Dism.exe /Online /Cleanup-Image /ScanHealth', pc).kind).toBe('run')
    expect(cmdStep('mkdir C:\\mount', pc).kind).toBe('run')
  })
  it('refuses what it does not model rather than guess (an operator, an unknown program)', () => {
    expect(cmdStep('%SystemRoot%\\System32\\Dism.exe /Online > out.txt', pc)).toMatchObject({
      kind: 'run',
      ps: expect.stringMatching(/^throw .*not modelled/),
    })
    expect(cmdStep('C:\\Tools\\fix.exe /all', pc)).toMatchObject({
      kind: 'run',
      ps: expect.stringMatching(/^throw .*is not recognized/),
    })
    expect(cmdStep('ren C:\\a C:\\b', pc)).toMatchObject({
      kind: 'run',
      ps: expect.stringMatching(/^throw .*syntax of the command is incorrect/),
    })
  })
})

describe.runIf(ps)('a box run on the emulated PC can fail (the same machinery, wrong boxes)', () => {
  it("a relative package path, a misspelt option, a program's failure, cmd's built-ins refusing, a claim that does not hold", {
    timeout: hangMs(600_000),
  }, async () => {
    const machine = 'x64-wu-components-broken'
    const pc = await startEmulatedPc({ machine })
    open.push(pc)
    const box = (lines: string[]): Box => ({ where: 'test', shell: 'cmd', lines })
    const boxes = [
      box([
        'mkdir C:\\mount',
        '%SystemRoot%\\System32\\Dism.exe /Image:C:\\mount /Add-Package /PackagePath:KB5089593.cab',
      ]),
      box(['%SystemRoot%\\System32\\ReAgentc.exe /enabel']),
      box(['%SystemRoot%\\System32\\net.exe start wuauserv']),
      box(['mkdir C:\\mount']),
      box(['mkdir C:\\w\\x\\y', 'rmdir C:\\w']),
      box([
        'ren %SystemRoot%\\SoftwareDistribution\\DataStore catroot2.old',
        'ren %SystemRoot%\\SoftwareDistribution\\DataStore.nope x',
      ]),
      box([
        '%SystemRoot%\\System32\\net.exe stop bits',
        'ren %SystemRoot%\\SoftwareDistribution\\Download Download.old',
        '%SystemRoot%\\System32\\net.exe start bits',
      ]),
      box(['%SystemRoot%\\System32\\findstr.exe /i /c:"x" %windir%\\Logs\\nothing.log']),
      box(['%SystemRoot%\\System32\\mountvol.exe S: /s', '%SystemRoot%\\System32\\mountvol.exe S: /s']),
      // …and what must pass: the media plan's `cmd.exe /c if not exist X mkdir X` twice (the second makes nothing),
      // md making the folders above, rmdir of the emptied folders, ren in place.
      box([
        '%SystemRoot%\\System32\\cmd.exe /c if not exist C:\\w2\\m mkdir C:\\w2\\m',
        '%SystemRoot%\\System32\\cmd.exe /c if not exist C:\\w2\\m mkdir C:\\w2\\m',
        'ren C:\\w2\\m n',
        'rmdir C:\\w2\\n',
        'rd C:\\w2',
      ]),
    ]
    pc.checkpoint()
    const plan = boxesScript([boxes], cmdPc(pc))
    // A claim the model does not hold (bits is running on this machine): the same check the run makes after a line.
    expect(await claimProblem(pc, { kind: 'service', name: 'bits', status: 'Stopped' })).toBe('bits is Running')
    const file = pc.localPath('C:\\Users\\Public\\wrong.ps1')
    writeFileSync(file, powerShellFileText(plan.script))
    const claims: string[] = []
    const r = await pc.run(file, [], {
      before: async (c) => {
        if (c.kind === 'mark' && !c.args[0]!.startsWith('screen-'))
          for (const cl of plan.claims.get(c.args[0]!)!.claims)
            claims.push(`${JSON.stringify(cl)}: ${(await claimProblem(pc, cl)) ?? 'holds'}`)
      },
    })
    const got = results(r.stdout).map((g) => g.result)
    expect(got[0]).toMatch(/^failed: line 2: dism\.exe cannot open C:\\Windows\\System32\\KB5089593\.cab/)
    expect(got[1]).toBe('failed: line 1 ended with exit code 1')
    expect(r.calls.find((c) => c.tool === 'reagentc.exe')?.result?.stderr).toMatch(
      /does not model reagentc\.exe \/enabel/,
    )
    expect(got[2]).toBe('failed: line 1 ended with exit code 2')
    expect(r.calls.find((c) => c.tool === 'net.exe')?.result?.stderr).toMatch(
      /^The requested service has already been started\./,
    )
    expect(got[3]).toBe('failed: line 1: A subdirectory or file C:\\mount already exists.')
    expect(got[4]).toBe('failed: line 2: C:\\w: The directory is not empty.')
    expect(got[5]).toMatch(
      /^failed: line 1: The process cannot access the file because it is being used by another process\./,
    )
    expect(got[6]).toMatch(/^failed: line 2: The process cannot access the file/)
    expect(got[7]).toMatch(/^failed: line 1: findstr\.exe cannot open C:\\Windows\\Logs\\nothing\.log/)
    expect(got[8]).toBe('failed: line 2 ended with exit code 1')
    expect(got[9]).toBe('ok')
    expect(existsSync(pc.localPath('C:\\w2'))).toBe(false)
    expect(claims).toEqual([
      '{"kind":"service","name":"bits","status":"Stopped"}: holds',
      '{"kind":"esp-mounted","letter":"S","mounted":true}: holds',
    ])
  })

  it("the EFI folder move: a destination not made administrators' only first is caught (the old box: robocopy makes it under C:\\, inheriting its ACL); the remedy's lines make it and the folder that holds it administrators' only first, even over a standard user's folders and the grants they gave themselves", {
    timeout: hangMs(600_000),
  }, async () => {
    const pc = await startEmulatedPc({ machine: 'x64-efi-partition-full' })
    open.push(pc)
    // A standard user made the folder beforehand (ProgramData lets them), gave themselves full control of it and made
    // the folder robocopy moves into: the lines must take all of it back.
    const grants = [
      {
        sid: STANDARD_USER,
        rights: 'FullControl',
        inheritance: 'ContainerInherit, ObjectInherit',
        propagation: 'None',
        type: 'Allow',
        inherited: false,
      },
    ]
    // (The emulated PC's C:\ProgramData\ServicingDesk is the data folder the model lives in, so it exists: given the
    // standard user as owner and their grant, as if they had made it.)
    pc.plantFolder(ESP_MOVED_PARENT, { grants })
    pc.plantFolder(ESP_MOVED_FOLDER, { asStandardUser: true, grants })
    pc.plantFolder(`${ESP_MOVED_FOLDER}\\HP`, { asStandardUser: true, grants })
    // And a junction in it to a folder of Windows that TrustedInstaller owns: the owner must go to the link, not to
    // what it points at (icacls /setowner /T without /L follows it).
    pc.plantFolder(SYSTEM_FOLDER, { owner: TRUSTED_INSTALLER })
    pc.plantJunction(`${ESP_MOVED_FOLDER}\\tasks-link`, SYSTEM_FOLDER, { asStandardUser: true })
    expect(adminOnlyProblem(pc, ESP_MOVED_FOLDER)).toMatch(
      new RegExp(`^C:.+ServicingDesk: owner ${STANDARD_USER}, inherited, Allow ${STANDARD_USER} FullControl;`),
    )
    pc.checkpoint()
    const box = (lines: string[]): Box => ({ where: 'test', shell: 'cmd', lines: lines.map(copyableCommand) })
    const move = (dest: string) => [
      'mountvol Y: /s',
      `robocopy Y:\\EFI\\HP ${dest}\\HP /E /MOVE /COPY:DAT`,
      'mountvol Y: /d',
    ]
    // The box as it was: straight into C:\ServicingDesk\esp-moved, a folder robocopy makes under C:\ (Authenticated
    // Users may change what it holds); then the remedy's lines.
    const screens = [
      [box(move('C:\\ServicingDesk\\esp-moved'))],
      [box([...move(ESP_MOVED_FOLDER).slice(0, 1), ...espMovedFolderLines(), ...move(ESP_MOVED_FOLDER).slice(1)])],
    ]
    const plan = boxesScript(screens, cmdPc(pc))
    const file = pc.localPath('C:\\Users\\Public\\esp.ps1')
    writeFileSync(file, powerShellFileText(plan.script))
    const moves: EspMove[] = []
    let screen = 0
    let after: string | null = 'not reached'
    const r = await pc.run(file, [], {
      before: (c) => {
        const m = espMoveOf(pc, c, screen)
        if (m) moves.push(m)
        if (c.kind === 'mark' && c.args[0]!.startsWith('screen-')) {
          if (screen === 1) after = adminOnlyProblem(pc, ESP_MOVED_FOLDER)
          screen++
        }
      },
    })
    expect(
      results(r.stdout).map((g) => g.result),
      r.stderr,
    ).toEqual(['ok', 'ok'])
    expect(moves.map((m) => [m.screen, m.dest])).toEqual([
      [0, 'C:\\ServicingDesk\\esp-moved\\HP'],
      [1, `${ESP_MOVED_FOLDER}\\HP`],
    ])
    expect(moves[0]!.problem).toBe('C:\\ServicingDesk\\esp-moved does not exist')
    expect(moves[1]!.problem).toBeNull()
    expect(after).toBeNull()
    // The folder that holds it: Administrators' own, SYSTEM and Administrators only, nothing inherited from ProgramData.
    expect(pc.acl(ESP_MOVED_PARENT)).toEqual({
      owner: 'S-1-5-32-544',
      protected: true,
      rules: [
        {
          sid: 'S-1-5-18',
          rights: 'FullControl',
          inheritance: 'ContainerInherit, ObjectInherit',
          propagation: 'None',
          type: 'Allow',
          inherited: false,
        },
        {
          sid: 'S-1-5-32-544',
          rights: 'FullControl',
          inheritance: 'ContainerInherit, ObjectInherit',
          propagation: 'None',
          type: 'Allow',
          inherited: false,
        },
      ],
    })
    expect(pc.standardUserCanCreateIn(ESP_MOVED_PARENT)).toBe(false)
    // esp-moved and the folder in it: Administrators' now, the standard user's grants gone, inheriting only the two rules above.
    for (const dir of [ESP_MOVED_FOLDER, `${ESP_MOVED_FOLDER}\\HP`]) {
      expect(pc.acl(dir), dir).toMatchObject({
        owner: 'S-1-5-32-544',
        protected: false,
        rules: [
          { sid: 'S-1-5-18', inherited: true },
          { sid: 'S-1-5-32-544', inherited: true },
        ],
      })
      expect(pc.acl(dir)!.rules, dir).toHaveLength(2)
      expect(pc.standardUserCanCreateIn(dir), dir).toBe(false)
    }
    // The folder the junction points at is still TrustedInstaller's; the junction itself is Administrators'.
    expect(pc.acl(SYSTEM_FOLDER)!.owner).toBe(TRUSTED_INSTALLER)
    expect(pc.acl(`${ESP_MOVED_FOLDER}\\tasks-link`)!.owner).toBe('S-1-5-32-544')
    expect(
      r.calls.filter((c) => c.tool === 'icacls.exe').map((c) => `${c.args.join(' ')} -> ${c.result?.exitCode}`),
    ).toEqual([
      `${ESP_MOVED_PARENT} /setowner *S-1-5-32-544 /T /C /L /Q -> 0`,
      `${ESP_MOVED_PARENT} /reset /T /C /L /Q -> 0`,
      `${ESP_MOVED_PARENT} /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F /Q -> 0`,
    ])
  })
})

describe.runIf(ps)('every box the app shows runs as shown on the emulated PC', () => {
  const runs: MachineRun[] = []
  it('the boxes of every training machine, each screen in the order shown: each ends without an error, its claims hold', {
    timeout: hangMs(600_000),
  }, async () => {
    for (const p of trainingProfiles) {
      if (process.env.SDH_DEBUG_BOXES && process.env.SDH_DEBUG_BOXES !== p.name) continue
      const r = await runMachine(p.name)
      if (!r) continue
      runs.push(r)
      expect(
        r.got.map((g) => g.box),
        `${p.name}: ${r.stderr.slice(0, 800)}`,
      ).toEqual(r.boxes.map((_, i) => i))
    }
    const all = runs.flatMap((r) => r.boxes)
    expect(all.filter((b) => b.shell === 'powershell').length).toBeGreaterThan(3)
    expect(all.filter((b) => b.shell === 'cmd').length).toBeGreaterThan(20)
    expect(runs.flatMap((r) => r.problems)).toEqual([])
    // The claims were checked (WinRE enabled, services, renamed folders, the Secure Boot value, the ESP's letter, the LCU removed…).
    expect(runs.reduce((n, r) => n + r.claimsChecked, 0)).toBeGreaterThan(15)
    expect(runs.flatMap((r) => r.failedHere).sort()).toEqual(
      FAILS_HERE.map((f) => `${f.where}: ${f.line} ${f.result}`).sort(),
    )
    // What's wrong's move off a full EFI partition (x64-efi-partition-full): the folder it moves into is administrators'
    // only before the move (what is kept there goes back onto the EFI partition), and so after the box.
    const efi = runs.find((r) => r.machine === 'x64-efi-partition-full')
    if (efi) {
      const byHand = efi.espMoves.filter((m) => m.screen === 0)
      expect(byHand.map((m) => m.dest)).toEqual([`${ESP_MOVED_FOLDER}\\HP`])
      expect(byHand.map((m) => m.problem)).toEqual([null])
      expect(efi.espMovedAfter[0]).toBeNull()
    }
    // The Windows Update reset, both ways (x64-wu-components-broken): What's wrong's manual reset renames the three folders (DataStore, Download, catroot2)
    // `.sd-<stamp>` and starts the services again; Fix it's repair does the same, then its undo block puts the old folders
    // back (the new ones kept as `.sd-undo-<stamp>`) and starts the services.
    const wu = runs.find((r) => r.machine === 'x64-wu-components-broken')
    if (wu) {
      const [whatsWrong, fixIt] = wu.screenEnd.map((st) => ({
        folders: Object.keys(st.wuFolders ?? {}),
        running: st.services
          .filter((x) => ['wuauserv', 'bits', 'cryptsvc'].includes(x.name.toLowerCase()))
          .map((x) => x.status),
      }))
      expect(
        whatsWrong!.folders.filter((f) =>
          /^(SoftwareDistribution\\DataStore|SoftwareDistribution\\Download|System32\\catroot2)\.sd-\d{8}-\d{6}$/.test(
            f,
          ),
        ),
        whatsWrong!.folders.join(', '),
      ).toHaveLength(3)
      expect(whatsWrong!.running).toEqual(['Running', 'Running', 'Running'])
      expect(
        fixIt!.folders
          .filter((f) =>
            /^(SoftwareDistribution\\DataStore|SoftwareDistribution\\Download|System32\\catroot2)(\.sd-undo-\d{8}-\d{6})?$/.test(
              f,
            ),
          )
          .sort(),
        fixIt!.folders.join(', '),
      ).toHaveLength(6)
      expect(fixIt!.running).toEqual(['Running', 'Running', 'Running'])
    }
  })

  it("only the pinned kinds of line are skipped, each machine's as listed", () => {
    const skipped = runs.flatMap((r) =>
      r.skipped.map((s) => `${s.where}: ${s.line.replace(/save as \S+$/, 'save as …')}  [${s.reason}]`),
    )
    // No WinRE line any more: DISM /RevertPendingActions is offered only where a PC's evidence holds its precondition,
    // which no training machine as shipped does; the kind of line stays pinned for the PCs that do.
    expect([...new Set(runs.flatMap((r) => r.skipped.map((s) => s.reason)))].sort()).toEqual(
      SKIPPED.filter((r) => r !== SKIPPED[4]).sort(),
    )
    const cli = (where: string, line: string) => `${where}: ${line}  [${SKIPPED[0]}]`
    expect(skipped.filter((l) => /RevertPendingActions/.test(l))).toEqual([])
    const app = (where: string) =>
      `${where}: (in the app) download KB5044285 (x64) from the Catalog, verify its hash, save as …  [${SKIPPED[1]}]`
    const repairWinre = (m: string) => cli(`${m}: Fix it`, `servicing-desk winre repair --machine ${m}`)
    expect(skipped).toEqual([
      cli("arm64-missing-checkpoint: What's wrong", 'servicing-desk install --kb KB5086672'),
      cli(
        'arm64-missing-checkpoint: Fix it',
        'servicing-desk install --kb KB5043080 --machine arm64-missing-checkpoint',
      ),
      repairWinre('arm64-missing-checkpoint'),
      app('x64-component-store-corrupt: Fix it'),
      `x64-component-store-corrupt: Fix it: D:\\setup.exe /auto upgrade /dynamicupdate disable  [${SKIPPED[2]}]`,
      repairWinre('x64-component-store-corrupt'),
      repairWinre('x64-component-store-corrupt'),
      cli("x64-winre-partition-full: What's wrong", 'servicing-desk install --kb KB5034441'),
      repairWinre('x64-winre-partition-full'),
      repairWinre('x64-winre-partition-full'),
      repairWinre('arm64-winre-disabled'),
      repairWinre('arm64-winre-disabled'),
      // Up to date but for the newest cumulative update: its install is offered like any other.
      cli('x64-healthy: Fix it', 'servicing-desk install --kb KB5129195 --machine x64-healthy'),
      app('x64-store-corrupt-iso: Fix it'),
      `x64-store-corrupt-iso: Fix it: E:\\setup.exe /auto upgrade /dynamicupdate disable  [${SKIPPED[3]}]`,
      repairWinre('x64-store-corrupt-iso'),
      repairWinre('x64-store-corrupt-iso'),
    ])
  })
})
