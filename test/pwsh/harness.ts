/**
 * An emulated Windows PC that real PowerShell runs the app's scripts against, driven by the SAME
 * training-machine model the TrainingHost uses: one model, no second one.
 *
 * API (stable; later commits only add):
 *
 *   const pc = await startEmulatedPc({ machine: 'x64-healthy' })          // optional: dir (an empty folder to lay out)
 *   pc.dataDir        // C:\ProgramData\ServicingDesk of the PC = the app's data folder: SERVICING_DESK_HOME for the CLI;
 *                     // its ACL is the app's (Administrators and SYSTEM only; plantFolder it with grants to model another)
 *                     // the machine's state lives in <dataDir>/training/<machine>.json (main/training/store.ts)
 *   pc.root, pc.systemRoot, pc.programData      // local folders behind C:\, $env:SystemRoot, $env:ProgramData
 *   pc.localPath('C:\\ProgramData\\ServicingDesk\\x') / pc.windowsPath(local)   // the two namings of one file
 *   const r = await pc.run(scriptFile, ['-OutFile', out, '-Line'], {        // as powershell.exe -File would
 *     before: (call) => { … },                   // each stand-in call, before it is answered (plant a junction here)
 *     killBefore: (call) => boolean,             // kill PowerShell when this call arrives (it is not run)
 *     killAfter: (call) => boolean,              // run the call, then kill PowerShell before it sees the answer
 *     env: { … }, cwd, timeoutMs,
 *     freshProcess: true })                      // in a PowerShell process of its own (default: a warm one, below)
 *   r.exitCode (full 32-bit; null when killed), r.killed, r.stdout, r.stderr, r.calls (every stand-in call, in order)
 *   pc.restart({ runOnce: true, run })          // the emulated restart (restartMachine), then the RunOnce values run
 *                                               // (with `run`'s options: kill a continuation at a call)
 *   pc.state()                                  // the model's current TrainingState
 *   pc.registry('HKLM:\\SOFTWARE\\…')           // a key's values as the scripts read them (model + values written)
 *   pc.plantFolder(win, { owner: sid, grants }), pc.plantJunction(win, targetWin), pc.plantFile(win, text, { owner })
 *                                               // { asStandardUser: true }: only where the model's ACLs let a standard
 *                                               // user (else PlantRefusedError): an attack at the worst moment
 *   pc.acl(win), pc.standardUserCanCreateIn(winDir)   // owner, protection, rules as Get-Acl reports them
 *   pc.knowSpecs(specs)                         // CommandSpecs whose exact argv the stand-ins answer (fix steps)
 *   const cp = pc.checkpoint(); …; pc.restore(cp)   // everything the PC holds (its disk, the model, registry writes,
 *                                               // owners, work files), saved and put back: a kill sweep starts each
 *                                               // kill from the run it falls in instead of replaying the runs before
 *   await pc.close()
 *
 *   From a script (Invoke-SdhRequest, the preamble's): @{ op = 'mark'; label = 'x' } — a call of kind 'mark' that
 *   `before` sees (the model as the lines before it left it); @{ op = 'restore'; index = n } — back to the PC's n-th
 *   checkpoint in the middle of a run; @{ op = 'cmd-ren'; rel = 'SoftwareDistribution\DataStore'; name = '…' } — cmd's ren of a
 *   Windows Update folder (test/pwsh/cmd-line.ts, the cmd interpreter of the box tests, sends these).
 *
 * How it works. The test process serves a unix socket backed by a TrainingHost on the machine's TrainingStore.
 * `$env:SystemRoot\System32` holds a stand-in file for every program of main/host/system-tools.ts (a tiny .mjs client);
 * the preamble (preamble.ps1) makes each full path also an alias of a PowerShell function, so `& <full path>` sets the
 * full 32-bit $LASTEXITCODE, and gives System.Diagnostics.Process an ExitCode that reads the stand-in's full code
 * (a Linux exit status keeps 8 bits: a 3010 would read 194). Either way the argv is mapped back to the app's own
 * CommandSpec (spec-match.ts) and answered by TrainingHost.run — the renderers, in Windows' output formats, and the
 * state changes it saves. Local paths in argv are named as the PC names them (C:\…) first. The model's files (logs,
 * ReAgent.xml, files a command writes, work files such as expanded archives) are written under the root after every
 * command. Owners and ACLs are the harness's own table (Linux has none): a folder the script creates is owned by
 * Administrators; a test plants another owner; a junction is a real symbolic link (Get-Item shows ReparsePoint).
 * Registry reads answer modelled keys from the model's `reg query` output; writes (RunOnce) are kept per PC.
 * Programs a copyable line names that no CommandSpec of the app runs are answered from the same model in their own
 * words (answerWithoutSpec: `net.exe stop|start`, `findstr.exe /i /c:…`, `icacls.exe <path> /setowner|/inheritance:r
 * /grant:r …` on the ACL table; `sc.exe qc|config`, `cscript.exe //nologo …\slmgr.vbs /dlv`: shown-programs.ts); the
 * shown-only programs (findstr, cleanmgr, cscript)
 * have their full-path aliases too. Folders made only to hold the model's files go with their last file.
 * Windows paths that are not C: (mounted media) are `<root>/drives/<letter>`.
 *
 * Each run (and each nested `powershell.exe -File`) runs run-script.ps1 in a warm PowerShell (worker-pool.ts, worker.ps1):
 * a fresh runspace with exactly the run's environment and working folder, its output and errors as -File gives them,
 * so a run does not pay PowerShell's start. A kill at a request the script waits on leaves the run asleep for good in
 * that PowerShell, which takes the next run (worker-pool.ts); any other kill ends that PowerShell, as a run's own process.
 * `freshProcess` (or SD_PWSH_FRESH=1 for every run) starts a process per run instead.
 */
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  renameSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  rmdirSync,
  symlinkSync,
  writeFileSync,
  lstatSync,
  readlinkSync,
  statSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { CommandResult, CommandSpec } from '../../main/host/host.ts'
import { TrainingHost } from '../../main/training/training-host.ts'
import { SHOWN_ONLY, SYSTEM_TOOLS } from '../../main/host/system-tools.ts'
import { TrainingStore } from '../../main/training/store.ts'
import { lastBootOf, restartMachine, type TrainingState } from '../../main/training/state.ts'
import { trainingLogs } from '../../main/training/logs/index.ts'
import { derivedFiles } from '../../main/training/derived-files.ts'
import { parseRegQuery } from '../../main/parse/reg-query.ts'
import { currentVersionCommand, computerNameCommand } from '../../main/machine/probes/os.ts'
import { STAGED_WINRE_WIM } from '../../main/machine/winre-commands.ts'
import { requirePowerShell, type PowerShellCommand } from './pwsh.ts'
import { specForArgv } from './spec-match.ts'
import { giveBack, takeWorker, type WorkerRun, workersFit } from './worker-pool.ts'
import { commandOf } from '../../main/repair/step-kinds.ts'
import { decodePowerShellScript, powershellSpec } from '../../main/host/powershell.ts'
import { foldersOf } from '../../main/training/renderers/wu-components.ts'
import { answerShownProgram } from './shown-programs.ts'
import { hangMs } from '../load.ts'

const HERE = import.meta.dirname
const ARCH_ENV: Record<string, string> = { x64: 'AMD64', arm64: 'ARM64', x86: 'x86', arm: 'ARM' }
const CIM_ARCH: Record<string, number> = { x86: 0, arm: 5, x64: 9, arm64: 12 }

/** Ends a run's PowerShell (or leaves its run, keeping it: runInWorker); `atRequest`: the script waits on a request. */
type Kill = (atRequest: boolean) => void

/** One call a script made to the emulated PC. */
export interface StandInCall {
  /**
   * 'program': a System32 program; 'registry' / 'acl' / 'storage' / 'cmdlet': a cmdlet stand-in; 'remote': a fan-out over
   * names; 'mark': a point the script names (`Invoke-SdhRequest @{ op = 'mark'; label = … }`, args [label]): `before` sees
   * the model as the lines before it left it.
   */
  kind: 'program' | 'registry' | 'acl' | 'storage' | 'remote' | 'cmdlet' | 'mark'
  /** How a program was started: a process (.NET, Start-Process) or the call operator. */
  via?: 'process' | 'call-operator'
  /** The program's table name (`dism.exe`), or the cmdlet's operation (`reg-get`, `acl-set`). */
  tool: string
  /** The argv as the PC names paths (C:\…), or the key / path. */
  args: string[]
  /** The app's spec the argv was mapped to; null when none (answered "not modelled"). */
  spec: CommandSpec | null
  result?: Pick<CommandResult, 'exitCode' | 'stdout' | 'stderr'>
}

export interface ScriptRun {
  /** The script's exit code, full 32 bits unsigned as Node reports Windows codes; null when killed. */
  exitCode: number | null
  killed: boolean
  stdout: string
  stderr: string
  calls: StandInCall[]
}

export interface RunOptions {
  before?: (call: StandInCall) => void | Promise<void>
  killBefore?: (call: StandInCall) => boolean
  killAfter?: (call: StandInCall) => boolean
  env?: Record<string, string>
  cwd?: string
  timeoutMs?: number
  /**
   * Run the script in a PowerShell process of its own, as before warm workers (worker-pool.ts): for a test whose point
   * is the process itself. Nested runs of the run do the same. SD_PWSH_FRESH=1 does it for every run.
   */
  freshProcess?: boolean
}

interface AclModel {
  owner: string
  protected: boolean
  rules: { sid: string; rights: string; inheritance: string; propagation: string; type: string; inherited: boolean }[]
}

/** A folder's ACL inherited from ProgramData (test/fixtures/acl/getacl-programdata-subfolder.txt). */
const INHERITED: AclModel['rules'] = [
  {
    sid: 'S-1-5-18',
    rights: 'FullControl',
    inheritance: 'ContainerInherit, ObjectInherit',
    propagation: 'None',
    type: 'Allow',
    inherited: true,
  },
  {
    sid: 'S-1-5-32-544',
    rights: 'FullControl',
    inheritance: 'ContainerInherit, ObjectInherit',
    propagation: 'None',
    type: 'Allow',
    inherited: true,
  },
  {
    sid: 'S-1-3-0',
    rights: '268435456',
    inheritance: 'ContainerInherit, ObjectInherit',
    propagation: 'InheritOnly',
    type: 'Allow',
    inherited: true,
  },
  {
    sid: 'S-1-5-32-545',
    rights: 'ReadAndExecute, Synchronize',
    inheritance: 'ContainerInherit, ObjectInherit',
    propagation: 'None',
    type: 'Allow',
    inherited: true,
  },
  {
    sid: 'S-1-5-32-545',
    rights: 'Write',
    inheritance: 'ContainerInherit',
    propagation: 'None',
    type: 'Allow',
    inherited: true,
  },
]

/** The rules of a folder of Administrators and SYSTEM only (what Set-SdAdminOnlyAcl and icacls /grant:r give). */
const ADMIN_ONLY: AclModel['rules'] = [
  {
    sid: 'S-1-5-32-544',
    rights: 'FullControl',
    inheritance: 'ContainerInherit, ObjectInherit',
    propagation: 'None',
    type: 'Allow',
    inherited: false,
  },
  {
    sid: 'S-1-5-18',
    rights: 'FullControl',
    inheritance: 'ContainerInherit, ObjectInherit',
    propagation: 'None',
    type: 'Allow',
    inherited: false,
  },
]

/** Registry keys the model answers, by the app's own `reg query` specs. */
const MODELLED_KEYS: CommandSpec[] = [currentVersionCommand, computerNameCommand]
const RUNONCE = 'hklm\\software\\microsoft\\windows\\currentversion\\runonce'
const SESSION_ENV = 'hklm\\system\\currentcontrolset\\control\\session manager\\environment'
const CBS_REBOOT_PENDING =
  'hklm\\software\\microsoft\\windows\\currentversion\\component based servicing\\rebootpending'
const SECURE_BOOT = 'hklm\\system\\currentcontrolset\\control\\secureboot'
const SECURE_BOOT_SERVICING = `${SECURE_BOOT}\\servicing`
const WU_REBOOT_REQUIRED =
  'hklm\\software\\microsoft\\windows\\currentversion\\windowsupdate\\auto update\\rebootrequired'
/**
 * Keys every emulated PC has that the model does not vary: the code pages of a US English Windows (OEMCP 437, ACP 1252,
 * REG_SZ, as `reg query HKLM\SYSTEM\CurrentControlSet\Control\Nls\CodePage` shows them), which remote-script.ts reads
 * to decode console tools.
 */
const WINDOWS_KEYS: Record<string, { name: string; type: string; data: unknown }[]> = {
  'hklm\\system\\currentcontrolset\\control\\nls\\codepage': [
    { name: 'ACP', type: 'REG_SZ', data: '1252' },
    { name: 'OEMCP', type: 'REG_SZ', data: '437' },
    { name: 'MACCP', type: 'REG_SZ', data: '10000' },
  ],
}

export interface StartOptions {
  machine: string
  /** An empty folder to lay the PC out in; default a fresh temporary one (removed by close()). */
  dir?: string
  /** The PowerShell to run its scripts with; default the tests' (requirePowerShell). The pwsh-runs bench's baseline. */
  powershell?: PowerShellCommand
}

export async function startEmulatedPc(opts: StartOptions): Promise<EmulatedPc> {
  const ps = opts.powershell ?? requirePowerShell()
  if (!ps) throw new Error('No PowerShell on this machine (see test/pwsh/pwsh.ts).')
  const pc = new EmulatedPc(ps, opts)
  await pc.listen()
  return pc
}

export class EmulatedPc {
  readonly machine: string
  readonly root: string
  readonly systemRoot: string
  readonly programData: string
  readonly dataDir: string
  readonly store: TrainingStore
  readonly host: TrainingHost
  private readonly ps: PowerShellCommand
  private readonly own: boolean
  private readonly sdh: string
  private readonly socketPath: string
  private server: Server | null = null
  private registered: CommandSpec[] = []
  private readonly acls = new Map<string, AclModel>()
  private readonly written = new Map<string, string>()
  private readonly madeDirs = new Set<string>()
  private active: {
    calls: StandInCall[]
    opts: RunOptions
    kill: (atRequest: boolean) => void
    kids: Set<Kill>
  } | null = null
  private readonly checkpoints: PcCheckpoint[] = []

  constructor(ps: PowerShellCommand, opts: StartOptions) {
    this.ps = ps
    this.machine = opts.machine
    this.own = !opts.dir
    this.root = resolve(opts.dir ?? mkdtempSync(join(tmpdir(), 'sdpc-')))
    this.systemRoot = join(this.root, 'Windows')
    this.programData = join(this.root, 'ProgramData')
    this.dataDir = join(this.programData, 'ServicingDesk')
    this.sdh = join(this.root, '.sdh')
    for (const d of [
      this.systemRoot,
      join(this.systemRoot, 'System32'),
      join(this.systemRoot, 'Temp'),
      this.dataDir,
      join(this.sdh, 'exit'),
      join(this.root, 'Users', 'Public'),
    ])
      mkdirSync(d, { recursive: true })
    // A unix socket's path has at most 107 bytes: beside the PC when its path is short, else in /tmp.
    this.socketPath =
      join(this.sdh, 's.sock').length < 100
        ? join(this.sdh, 's.sock')
        : join('/tmp', `sdh-${process.pid}-${Math.random().toString(36).slice(2, 10)}.sock`)
    this.store = new TrainingStore(this.dataDir)
    this.host = new TrainingHost(this.machine, this.store)
    this.writeStandIns()
    this.syncFiles()
    // The data folder as the app makes it on Windows (main/security/data-dir-guard.ts): Administrators and SYSTEM only,
    // owner Administrators, nothing inherited (ProgramData's "Users may create" does not reach into it).
    this.acls.set(this.aclKey(this.dataDir), {
      owner: 'S-1-5-32-544',
      protected: true,
      rules: ADMIN_ONLY.map((r) => ({ ...r })),
    })
  }

  /** The local file behind a Windows path of the PC (`C:\X\Y` → `<root>/X/Y`; other drives under `<root>/drives`). */
  localPath(win: string): string {
    const m = /^([A-Za-z]):[\\/]?(.*)$/.exec(win)
    if (!m) throw new Error(`not a Windows path: ${win}`)
    const rest = m[2]!.split(/[\\/]+/).filter(Boolean)
    return m[1]!.toUpperCase() === 'C'
      ? join(this.root, ...rest)
      : join(this.root, 'drives', m[1]!.toUpperCase(), ...rest)
  }

  /** The Windows path of a local path under the root (inverse of localPath); other text unchanged. */
  windowsPath(local: string): string {
    return this.toPcArg(local)
  }

  /** Every occurrence of the root in an argument, as the PC names it (`/PackagePath:<root>/x` → `/PackagePath:C:\x`). */
  private toPcArg(arg: string): string {
    const at = arg.indexOf(this.root)
    if (at < 0) return arg
    const rest = arg.slice(at + this.root.length).replace(/\//g, '\\')
    const drive = /^\\drives\\([A-Z])(\\.*)?$/.exec(rest)
    return arg.slice(0, at) + (drive ? `${drive[1]}:${drive[2] ?? '\\'}` : `C:${rest || '\\'}`)
  }

  knowSpecs(specs: readonly CommandSpec[]): void {
    this.registered.push(...specs)
  }

  state(): TrainingState {
    return this.store.load(this.machine)
  }

  // ---- files ------------------------------------------------------------------------------------------------------
  private writeStandIns(): void {
    const native = nativeStandIn()
    const node = process.execPath
    const standin = join(HERE, 'standin.mjs')
    // The app's programs, and those a copyable block names for a person to run (findstr, cleanmgr): answered "not modelled".
    for (const [name, rel] of Object.entries({ ...SYSTEM_TOOLS, ...SHOWN_ONLY })) {
      const f = join(this.systemRoot, ...rel.split('\\'))
      mkdirSync(dirname(f), { recursive: true })
      // Also as one file name holding the backslashes: `%SystemRoot%\System32\reg.exe` expanded by .NET on Linux is
      // `<root>/Windows\System32\reg.exe`, which Windows reads as the same file (remote-script.ts starts programs so).
      for (const file of [f, `${this.systemRoot}\\${rel}`]) {
        if (native) copyFileSync(native, file)
        else writeFileSync(file, `#!/bin/sh\nexec '${node}' '${standin}' '${name}' "$@"\n`)
        chmodSync(file, 0o755)
      }
    }
  }

  /** The model's files, on the disk: logs, ReAgent.xml, files commands wrote, work files of read-only commands. */
  private syncFiles(): void {
    const state = this.state()
    const want = new Map<string, string>()
    for (const [p, gen] of Object.entries(trainingLogs[this.machine] ?? {})) want.set(p, gen())
    for (const [p, gen] of Object.entries(derivedFiles)) want.set(p, gen(state))
    for (const [p, c] of Object.entries(state.files)) want.set(p, c)
    for (const [p, c] of this.host.workFiles()) want.set(p, c)
    // What the model says is on the disk without giving its bytes: the staged WinRE image (its content is never read).
    if (state.winre.stagedImage)
      want.set(STAGED_WINRE_WIM, `emulated winre.wim of ${state.name}, WinRE ${state.winre.version}\r\n`)
    const seen = new Set<string>()
    for (const [win, content] of want) {
      let local: string
      try {
        local = this.localPath(win)
      } catch {
        continue
      }
      seen.add(local)
      if (this.written.get(local) === content && existsSync(local)) continue
      const first = mkdirSync(dirname(local), { recursive: true })
      if (first) for (let d = dirname(local); d.length >= first.length; d = dirname(d)) this.madeDirs.add(d)
      writeFileSync(local, content)
      this.written.set(local, content)
    }
    for (const local of [...this.written.keys()]) {
      if (!seen.has(local)) {
        rmSync(local, { force: true })
        this.written.delete(local)
      }
    }
    // Folders made only to hold the model's files go with their last file (a WinRE mount folder is empty again after
    // /unmountre, as on Windows); a folder a script made is never in this set.
    for (const d of [...this.madeDirs].sort((a, b) => b.length - a.length)) {
      try {
        if (!readdirSync(d).length) {
          rmdirSync(d)
          this.madeDirs.delete(d)
        }
      } catch {
        this.madeDirs.delete(d)
      }
    }
  }

  // ---- owners, ACLs, planting ---------------------------------------------------------------------------------------
  private aclKey(local: string): string {
    return resolve(local).toLowerCase()
  }

  /** Owner, protection and rules of a file or folder, as the Get-Acl stand-in reports them; null when missing. */
  acl(win: string): AclModel | null {
    return this.aclOfLocal(this.localPath(win))
  }

  /**
   * The ACL of a local path: its own entry (set by Set-Acl or a plant), else what it inherits from the nearest folder
   * above that has one (that folder's inheritable rules; the owner is Administrators, who made it: the scripts run
   * elevated), else ProgramData's inherited ACL. Null when the path does not exist.
   */
  private aclOfLocal(local: string): AclModel | null {
    try {
      lstatSync(local)
    } catch {
      return null
    }
    const own = this.acls.get(this.aclKey(local))
    if (own) return own
    for (let up = dirname(resolve(local)); up.length >= this.root.length && up !== dirname(up); up = dirname(up)) {
      const parent = this.acls.get(this.aclKey(up))
      if (parent)
        return {
          owner: 'S-1-5-32-544',
          protected: false,
          rules: parent.rules
            .filter((r) => /ContainerInherit|ObjectInherit/.test(r.inheritance))
            .map((r) => ({ ...r, inherited: true, propagation: 'None' })),
        }
    }
    return { owner: 'S-1-5-32-544', protected: false, rules: INHERITED.map((r) => ({ ...r })) }
  }

  /**
   * Whether a standard user may make a file or folder in the folder `win` (as the model's ACLs say): its owner is
   * that user, or an Allow rule for Users, Authenticated Users, Everyone or the user grants a write right.
   */
  standardUserCanCreateIn(win: string): boolean {
    return this.userMayCreateIn(this.localPath(win))
  }

  private userMayCreateIn(localDir: string): boolean {
    const acl = this.aclOfLocal(localDir)
    if (!acl) return false
    if (acl.owner === STANDARD_USER) return true
    return acl.rules.some(
      (r) =>
        r.type === 'Allow' &&
        USER_SIDS.has(r.sid) &&
        /Write|Modify|FullControl|CreateDirectories|CreateFiles/.test(r.rights),
    )
  }

  /**
   * As a standard user would: the nearest existing folder above must let that user create in it (userMayCreateIn),
   * and an existing entry can be replaced only when that user owns it. Throws PlantRefusedError otherwise. The
   * folders the user makes on the way are that user's.
   */
  private asUser(local: string): void {
    let existing = dirname(local)
    const made: string[] = []
    while (!existsSync(existing)) {
      made.unshift(existing)
      existing = dirname(existing)
    }
    if (!this.userMayCreateIn(existing))
      throw new PlantRefusedError(`a standard user may not create anything in ${this.windowsPath(existing)}`)
    let present = false
    try {
      lstatSync(local)
      present = true
    } catch {
      /* free */
    }
    if (present && this.aclOfLocal(local)?.owner !== STANDARD_USER)
      throw new PlantRefusedError(`a standard user may not replace ${this.windowsPath(local)}, which is not theirs`)
    for (const d of made) {
      mkdirSync(d)
      this.acls.set(this.aclKey(d), { owner: STANDARD_USER, protected: false, rules: INHERITED.map((r) => ({ ...r })) })
    }
  }

  /**
   * A folder made by someone else (default owner: a standard user's SID), as an attacker would make it beforehand.
   * `asStandardUser`: only where the model's ACLs let a standard user (else PlantRefusedError).
   */
  plantFolder(
    win: string,
    opts: { owner?: string; asStandardUser?: boolean; grants?: AclModel['rules'] } = {},
  ): string {
    const local = this.localPath(win)
    if (opts.asStandardUser) this.asUser(local)
    mkdirSync(local, { recursive: true })
    // `grants`: explicit rules the folder's owner gave it (as the owner may), before the inherited ones.
    this.acls.set(this.aclKey(local), {
      owner: opts.owner ?? STANDARD_USER,
      protected: false,
      rules: [...(opts.grants ?? []).map((r) => ({ ...r, inherited: false })), ...INHERITED.map((r) => ({ ...r }))],
    })
    return local
  }

  /** A junction (a symbolic link to a folder; Get-Item shows ReparsePoint) at `win`, pointing at `target`. */
  plantJunction(win: string, targetWin: string, opts: { owner?: string; asStandardUser?: boolean } = {}): string {
    const local = this.localPath(win)
    const target = this.localPath(targetWin)
    if (opts.asStandardUser) this.asUser(local)
    mkdirSync(dirname(local), { recursive: true })
    mkdirSync(target, { recursive: true })
    rmSync(local, { recursive: true, force: true })
    symlinkSync(target, local, 'dir')
    this.acls.set(this.aclKey(local), {
      owner: opts.owner ?? STANDARD_USER,
      protected: false,
      rules: INHERITED.map((r) => ({ ...r })),
    })
    return local
  }

  plantFile(win: string, content: string | Buffer, opts: { owner?: string; asStandardUser?: boolean } = {}): string {
    const local = this.localPath(win)
    if (opts.asStandardUser) this.asUser(local)
    mkdirSync(dirname(local), { recursive: true })
    writeFileSync(local, content)
    if (opts.owner || opts.asStandardUser)
      this.acls.set(this.aclKey(local), {
        owner: opts.owner ?? STANDARD_USER,
        protected: false,
        rules: INHERITED.map((r) => ({ ...r })),
      })
    return local
  }

  // ---- registry ----------------------------------------------------------------------------------------------------
  private regFile(): string {
    return join(this.sdh, 'registry.json')
  }
  private regWritten(): Record<string, Record<string, { type: string; data: unknown }>> {
    try {
      return JSON.parse(readFileSync(this.regFile(), 'utf8'))
    } catch {
      return {}
    }
  }

  /** A key's values (model first, then values scripts wrote); null when the PC has no such key. */
  async registry(
    key: string,
  ): Promise<{ key: string; values: { name: string; type: string; data: unknown }[] } | null> {
    const k = normKey(key)
    const values = new Map<string, { name: string; type: string; data: unknown }>()
    let exists = false
    for (const spec of MODELLED_KEYS) {
      if (normKey(spec.args[1]!) !== k) continue
      const r = await this.host.run(spec)
      if (!r.ok) continue
      exists = true
      for (const kk of parseRegQuery(r.stdout).keys)
        for (const v of kk.values) values.set(v.name.toLowerCase(), { name: v.name, type: v.type, data: v.data })
    }
    const state = this.state()
    const constant = WINDOWS_KEYS[k]
    if (constant) {
      exists = true
      for (const v of constant) values.set(v.name.toLowerCase(), v)
    }
    // Keys whose existence is the model's (servicing-facts §7): they exist while that restart source is pending.
    if (k === CBS_REBOOT_PENDING && state.reboot.cbsRebootPending) exists = true
    if (k === WU_REBOOT_REQUIRED && state.reboot.wuRebootRequired) exists = true
    const w = this.regWritten()[k]
    if (w) {
      exists = true
      for (const [n, v] of Object.entries(w)) values.set(n.toLowerCase(), { name: n, ...v })
    }
    if (k === RUNONCE) exists = true
    // The Secure Boot keys of a machine with a boot chain (its registry values, as the model keeps them).
    const boot = state.bootChain?.registry
    const bootKey = k === SECURE_BOOT ? boot?.secureBoot : k === SECURE_BOOT_SERVICING ? boot?.servicing : undefined
    if (bootKey) {
      exists = true
      for (const [n, v] of Object.entries(bootKey))
        if (!values.has(n.toLowerCase()))
          values.set(n.toLowerCase(), { name: n, type: typeof v === 'number' ? 'REG_DWORD' : 'REG_SZ', data: v })
    }
    // The machine-wide environment: PROCESSOR_ARCHITECTURE there is the native architecture, whatever the process
    // (an x64 PowerShell emulated on an ARM64 PC sees AMD64 in its own environment, and no PROCESSOR_ARCHITEW6432).
    if (k === SESSION_ENV) {
      exists = true
      const arch = this.state().os.nativeArch
      values.set('processor_architecture', {
        name: 'PROCESSOR_ARCHITECTURE',
        type: 'REG_SZ',
        data: ARCH_ENV[arch] ?? arch,
      })
    }
    return exists ? { key: `HKEY_LOCAL_MACHINE${k.slice(4).replace(/^hklm/, '')}`, values: [...values.values()] } : null
  }

  private regSet(key: string, name: string, type: string, data: unknown): boolean {
    const k = normKey(key)
    const all = this.regWritten()
    all[k] ??= {}
    all[k]![name] = { type, data }
    writeFileSync(this.regFile(), JSON.stringify(all, null, 1))
    return true
  }

  private regRemove(key: string, name: string): boolean {
    const k = normKey(key)
    const all = this.regWritten()
    const hit = all[k] && Object.keys(all[k]!).find((n) => n.toLowerCase() === name.toLowerCase())
    if (!hit) return false
    delete all[k]![hit]
    writeFileSync(this.regFile(), JSON.stringify(all, null, 1))
    return true
  }

  /**
   * CIM instances as Get-CimInstance returns them, from the model: Win32_Processor.Architecture (0 x86, 5 ARM, 9 x64,
   * 12 ARM64: the native architecture), Win32_LogicalDisk of the system drive, Win32_OperatingSystem's last boot.
   */
  private cim(cls: string): Record<string, unknown>[] {
    const s = this.state()
    switch (cls.toLowerCase()) {
      case 'win32_processor':
        return [{ Architecture: CIM_ARCH[s.os.nativeArch] ?? 9, DeviceID: 'CPU0' }]
      case 'win32_logicaldisk':
        return [
          {
            DeviceID: s.systemDrive.letter.replace(/:?$/, ':'),
            FreeSpace: s.systemDrive.freeBytes,
            Size: s.systemDrive.sizeBytes,
            DriveType: 3,
          },
        ]
      case 'win32_operatingsystem':
        return [
          {
            Caption: s.os.productName,
            BuildNumber: String(s.os.currentBuild),
            LastBootUpTime: lastBootOf(s),
            CSName: s.os.computerName,
          },
        ]
      default:
        return []
    }
  }

  // ---- the server ----------------------------------------------------------------------------------------------------
  async listen(): Promise<void> {
    this.server = createServer((sock) => this.serve(sock))
    await new Promise<void>((ok, fail) => {
      this.server!.once('error', fail)
      this.server!.listen(this.socketPath, () => ok())
    })
  }

  private serve(sock: Socket): void {
    let buf = ''
    sock.setEncoding('utf8')
    sock.on('data', (d) => {
      buf += d
      const nl = buf.indexOf('\n')
      if (nl < 0) return
      const line = buf.slice(0, nl)
      buf = ''
      const req = JSON.parse(line) as Record<string, unknown>
      this.answer(req)
        .then((r) => {
          if (r !== null) sock.end(JSON.stringify(r))
          // Killed: a request of the preamble's (Invoke-SdhRequest) is told so, and its run sleeps for good where a
          // worker was kept (a killed process reads nothing); a stand-in program's process was ended with the run.
          else if (req.via === 'process') sock.destroy()
          else sock.end(JSON.stringify({ sdhFrozen: true }))
        })
        .catch((err) =>
          sock.end(
            JSON.stringify({
              exitCode: 1,
              exitCodeSigned: 1,
              stdout: '',
              stderr: Buffer.from(String(err?.stack ?? err)).toString('base64'),
              stdoutText: '',
              stderrText: String(err?.message ?? err),
              ok: false,
            }),
          ),
        )
    })
    sock.on('error', () => undefined)
  }

  /** One request; null = the script was killed (no answer). */
  private async answer(req: Record<string, unknown>): Promise<unknown> {
    const op = String(req.op)
    if (op === 'program') return this.answerProgram(req)
    if (op === 'reg-get') {
      const r = await this.registry(String(req.key))
      this.record({ kind: 'registry', tool: op, args: [String(req.key)], spec: null })
      return r ? { exists: true, ...r } : { exists: false }
    }
    if (op === 'reg-set') {
      this.record({ kind: 'registry', tool: op, args: [String(req.key), String(req.name)], spec: null })
      return { ok: this.regSet(String(req.key), String(req.name), String(req.type), req.data) }
    }
    if (op === 'reg-remove') {
      this.record({ kind: 'registry', tool: op, args: [String(req.key), String(req.name)], spec: null })
      return { ok: this.regRemove(String(req.key), String(req.name)) }
    }
    if (op === 'acl-get') {
      const call = this.record({ kind: 'acl', tool: op, args: [this.toPcArg(String(req.path))], spec: null })
      if ((await this.gate(call)) === 'killed') return null
      const acl = this.aclOfLocal(String(req.path))
      return acl ? { exists: true, acl } : { exists: false }
    }
    if (op === 'acl-set') {
      const call = this.record({ kind: 'acl', tool: op, args: [this.toPcArg(String(req.path))], spec: null })
      if ((await this.gate(call)) === 'killed') return null
      const local = String(req.path)
      const cur = this.aclOfLocal(local)
      if (!cur) return { ok: false, error: `Cannot find path '${local}' because it does not exist.` }
      const next = req.acl as AclModel
      // Only an owner can change an ACL; the script runs as an administrator.
      if (!ADMIN_SIDS.has(cur.owner)) return { ok: false, error: 'Attempted to perform an unauthorized operation.' }
      this.acls.set(this.aclKey(local), { owner: next.owner, protected: next.protected, rules: next.rules ?? [] })
      return { ok: true }
    }
    if (op === 'cim') {
      const call = this.record({ kind: 'storage', tool: 'get-ciminstance', args: [String(req.class)], spec: null })
      if ((await this.gate(call)) === 'killed') return null
      return { instances: this.cim(String(req.class)) }
    }
    if (op === 'remote') {
      // Invoke-Command over names: the names as the script passed them (data), then the throttle.
      this.record({
        kind: 'remote',
        tool: String(req.tool),
        args: [...((req.names as string[] | undefined) ?? []).map(String), `-ThrottleLimit ${Number(req.throttle)}`],
        spec: null,
      })
      return { ok: true }
    }
    if (op === 'partitions') {
      // Get-Partition -DiskNumber N: the model's disk, as the Storage module reports it (Offset, Size in bytes; GptType
      // in braces; DriveLetter a char, '\0' when none; MbrType 0 on a GPT disk).
      const call = this.record({ kind: 'storage', tool: 'get-partition', args: [String(req.disk)], spec: null })
      if ((await this.gate(call)) === 'killed') return null
      const disk = this.state().disks.find((d) => d.number === Number(req.disk))
      return {
        exists: !!disk,
        partitions: (disk?.partitions ?? []).map((p) => ({
          DiskNumber: disk!.number,
          PartitionNumber: p.number,
          Offset: p.offsetBytes,
          Size: p.sizeBytes,
          DriveLetter: p.driveLetter ?? '',
          GptType: disk!.partitionStyle === 'GPT' ? p.gptType : '',
          MbrType: disk!.partitionStyle === 'MBR' ? mbrTypeOf(p.gptType) : 0,
        })),
      }
    }
    if (op === 'volume') {
      // Get-Volume of one partition: the model's size and used bytes (a partition without a file system has no volume).
      const call = this.record({
        kind: 'storage',
        tool: 'get-volume',
        args: [String(req.disk), String(req.partition)],
        spec: null,
      })
      if ((await this.gate(call)) === 'killed') return null
      const p = this.state()
        .disks.find((d) => d.number === Number(req.disk))
        ?.partitions.find((x) => x.number === Number(req.partition))
      if (!p || p.usedBytes === null) return { exists: false }
      return {
        exists: true,
        Size: p.sizeBytes,
        SizeRemaining: p.sizeBytes - p.usedBytes,
        FileSystem: p.fileSystem ?? '',
        Label: p.label ?? '',
      }
    }
    if (op === 'service' || op === 'wu-rename' || op === 'secure-boot-task') return this.answerWuCmdlet(req)
    if (op === 'mark') {
      const call = this.record({ kind: 'mark', tool: 'mark', args: [String(req.label)], spec: null })
      if ((await this.gate(call)) === 'killed') return null
      return { ok: true }
    }
    if (op === 'restore') {
      // Back to a checkpoint of this PC in the middle of a run (each screen's boxes start from the PC as the screen saw it).
      const cp = this.checkpoints[Number(req.index)]
      if (!cp) return { ok: false, error: `no checkpoint ${String(req.index)}` }
      this.restoreFiles(cp)
      return { ok: true }
    }
    if (op === 'cmd-ren') return this.answerWuRen(req)
    throw new Error(`unknown request ${op}`)
  }

  /**
   * Stop-Service / Start-Service and the rename of a Windows Update folder, as a copyable block runs them:
   * answered by the app's own reset step for the same action (main/repair/step-kinds.ts) on this PC's model, so a block
   * and the repair change one state. Services or names the reset does not know are refused, as not modelled.
   */
  private async answerWuCmdlet(req: Record<string, unknown>): Promise<unknown> {
    const op = String(req.op)
    const names = ((req.names as unknown[]) ?? []).map((n) => String(n).toLowerCase())
    const stamp = /^(DataStore|Download|catroot2)\.sd-(\d{8}-\d{6})$/i.exec(String(req.newName ?? ''))
    const intent =
      op === 'secure-boot-task'
        ? { kind: 'secure-boot-task-run', params: {} }
        : op === 'service'
          ? { kind: req.action === 'Stop' ? 'wu-services-stop' : 'wu-services-start', params: { services: names } }
          : {
              kind: 'wu-folder-rename',
              params: {
                folder: String(req.folder),
                stamp: stamp && stamp[1]!.toLowerCase() === String(req.folder).toLowerCase() ? stamp[2] : 'not-a-stamp',
              },
            }
    const call = this.record({
      kind: 'cmdlet',
      tool:
        op === 'service'
          ? `${String(req.action).toLowerCase()}-service`
          : op === 'secure-boot-task'
            ? 'start-scheduledtask'
            : 'rename-item',
      args: op === 'service' ? names : [String(req.folder), String(req.newName)],
      spec: null,
    })
    if ((await this.gate(call)) === 'killed') return null
    let spec: CommandSpec | null = null
    try {
      spec = commandOf(
        { id: 'block', title: 'block', explanation: '', ...intent } as never,
        {
          hostKind: 'training',
          dataDir: this.dataDir,
          resumeCommand: null,
          pcArg: null,
          stateDir: this.dataDir,
        } as never,
      )
    } catch (err) {
      call.result = {
        exitCode: 1,
        stdout: '',
        stderr: `The emulated PC '${this.machine}' does not model this ${call.tool}: ${(err as Error).message}`,
      }
      return { exitCode: 1, stdoutText: '', stderrText: call.result.stderr }
    }
    call.spec = spec
    const r = await this.host.run(spec!)
    this.syncFiles()
    call.result = { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }
    return { exitCode: r.exitCode, stdoutText: r.stdout, stderrText: r.stderr }
  }

  /**
   * Programs a copyable Command Prompt line starts that no CommandSpec of the app runs, answered from the same
   * model in the program's own words:
   * - `net.exe stop|start <service>`: the state change of the app's own step for that service (wu-services-stop /
   *   -start, as Stop-Service in a block), net's text; a service stopped already (stop) or running (start) is net's
   *   exit code 2 with its message (NET HELPMSG 3521 / 2182), as Windows answers it.
   * - `findstr.exe [/i] /c:"text"… <file>`: the file as the PC's disk holds it (the model's logs are written there),
   *   each line holding one of the literal strings; exit code 0 when a line matched, 1 when none did or the file is missing.
   * - `icacls.exe <path> /setowner …` and `… /inheritance:r /grant:r …`: the harness's ACL table (answerIcacls).
   * Anything else: null (not modelled).
   */
  private async answerWithoutSpec(
    tool: string,
    argv: readonly string[],
  ): Promise<Pick<CommandResult, 'exitCode' | 'stdout' | 'stderr'> | null> {
    if (tool === 'net.exe' && argv.length === 2 && /^(stop|start)$/i.test(argv[0]!)) {
      const stop = argv[0]!.toLowerCase() === 'stop'
      const svc = this.state().services.find((x) => x.name.toLowerCase() === argv[1]!.toLowerCase())
      if (!svc)
        return {
          exitCode: 2,
          stdout: '',
          stderr: 'The service name is invalid.\r\n\r\nMore help is available by typing NET HELPMSG 2185.\r\n\r\n',
        }
      if (stop && svc.status !== 'Running')
        return {
          exitCode: 2,
          stdout: '',
          stderr: `The ${svc.displayName} service is not started.\r\n\r\nMore help is available by typing NET HELPMSG 3521.\r\n\r\n`,
        }
      if (!stop && svc.status === 'Running')
        return {
          exitCode: 2,
          stdout: '',
          stderr:
            'The requested service has already been started.\r\n\r\nMore help is available by typing NET HELPMSG 2182.\r\n\r\n',
        }
      let spec: CommandSpec
      try {
        spec = commandOf(
          {
            id: 'net',
            title: 'net',
            explanation: '',
            kind: stop ? 'wu-services-stop' : 'wu-services-start',
            params: { services: [svc.name.toLowerCase()] },
          } as never,
          {
            hostKind: 'training',
            dataDir: this.dataDir,
            resumeCommand: null,
            pcArg: null,
            stateDir: this.dataDir,
          } as never,
        )!
      } catch {
        return null
      }
      const r = await this.host.run(spec)
      this.syncFiles()
      if (r.exitCode !== 0)
        return { exitCode: 2, stdout: '', stderr: `System error 1058 has occurred.\r\n\r\n${r.stderr}\r\n` }
      const verb = stop ? ['stopping', 'stopped'] : ['starting', 'started']
      return {
        exitCode: 0,
        stdout: `The ${svc.displayName} service is ${verb[0]}.\r\nThe ${svc.displayName} service was ${verb[1]} successfully.\r\n\r\n`,
        stderr: '',
      }
    }
    if (tool === 'findstr.exe' && argv.length >= 2) {
      const opts = argv.slice(0, -1)
      const file = argv[argv.length - 1]!
      if (!opts.every((o) => /^\/(i|c:.+)$/i.test(o)) || !opts.some((o) => /^\/c:/i.test(o))) return null
      const icase = opts.some((o) => o.toLowerCase() === '/i')
      const needles = opts.filter((o) => /^\/c:/i.test(o)).map((o) => (icase ? o.slice(3).toLowerCase() : o.slice(3)))
      let text: string
      try {
        text = readFileSync(/^[A-Za-z]:/.test(file) ? this.localPath(file) : file, 'utf8')
      } catch {
        return { exitCode: 1, stdout: '', stderr: `FINDSTR: Cannot open ${file}\r\n` }
      }
      const hits = text.split(/\r?\n/).filter((l) => needles.some((n) => (icase ? l.toLowerCase() : l).includes(n)))
      return { exitCode: hits.length ? 0 : 1, stdout: hits.map((l) => `${l}\r\n`).join(''), stderr: '' }
    }
    if (tool === 'icacls.exe') return this.answerIcacls(argv)
    // sc qc / sc config, slmgr.vbs /dlv (shown-programs.ts): answered from the model, a change saved to it.
    return answerShownProgram(tool, argv, this.state(), (s) => {
      this.store.save(s)
      this.syncFiles()
    })
  }

  /** A link's target (a planted junction's, one level at a time until it is no link), or the path itself. */
  private followed(local: string): string {
    let at = local
    for (let i = 0; i < 32; i++) {
      try {
        if (!lstatSync(at).isSymbolicLink()) return at
      } catch {
        return at
      }
      at = resolve(dirname(at), readlinkSync(at))
    }
    return at
  }

  /**
   * `icacls.exe <path> …` on the harness's ACL table, as Get-Acl then reports it (learn.microsoft.com windows-commands/
   * icacls). Two forms, the ones the app prints (main/security/data-dir-guard.ts setAclSpecs):
   * - `/setowner *SID [/T] [/C] [/L] [/Q]`: the owner (the prompt is elevated: an administrator may give any owner);
   *   /T also every file and folder below. Without /L a link (a planted junction) is followed: its target gets the
   *   owner, and with /T everything below the target (the docs: /L "performs the operation on a symbolic link
   *   itself versus its target"); with /L the link itself gets it and /T does not go through it;
   * - `[/inheritance:r|e] /grant[:r] *SID:(OI)(CI)F … [/Q]`: /inheritance:r drops the inherited rules and protects the
   *   ACL, /grant:r replaces the named SIDs' explicit rules, each grant is an Allow rule. Only with WRITE_DAC: owner
   *   Administrators or SYSTEM, or a rule that gives Administrators full control (else "Access is denied.", 5);
   * - `/reset [/T] [/C] [/L] [/Q]`: the path's own rules (with /T also those of every entry below) go, so it inherits.
   * A path that does not exist: "The system cannot find the file specified." (2). Anything else (a wildcard, /reset,
   * /deny, a name instead of a SID, rights other than F M RX R W): null (not modelled).
   */
  private answerIcacls(argv: readonly string[]): Pick<CommandResult, 'exitCode' | 'stdout' | 'stderr'> | null {
    const [path, ...opts] = argv
    if (!path || !/^[A-Za-z]:\\/.test(path) || /[*?]/.test(path)) return null
    const flags = opts.filter((o) => /^\/[TCLQ]$/i.test(o)).map((o) => o.toUpperCase())
    const rest = opts.filter((o) => !/^\/[TCLQ]$/i.test(o))
    const quiet = flags.includes('/Q')
    const done = (n: number) => ({
      exitCode: 0,
      stdout: `${quiet ? '' : `processed file: ${path}\r\n`}Successfully processed ${n} files; Failed processing 0 files\r\n`,
      stderr: '',
    })
    const failed = (code: number, msg: string) => ({
      exitCode: code,
      stdout: 'Successfully processed 0 files; Failed processing 1 files\r\n',
      stderr: `${path}: ${msg}\r\n`,
    })
    const local = this.localPath(path)
    const cur = this.aclOfLocal(local)
    const sidOf = (s: string) => (/^\*S-1-[\d-]+$/.test(s) ? s.slice(1) : null)
    if (rest.length === 1 && rest[0]!.toLowerCase() === '/reset') {
      if (!cur) return failed(2, 'The system cannot find the file specified.')
      // Each entry's own rules go: it inherits again (an owner of its own stays; Administrators' is the default).
      const under = `${this.aclKey(local)}/`
      const keys = [...this.acls.keys()]
        .filter((k) => k === this.aclKey(local) || (flags.includes('/T') && k.startsWith(under)))
        .sort((a, b) => a.length - b.length)
      for (const k of keys) {
        const own = this.acls.get(k)!
        this.acls.delete(k)
        if (ADMIN_SIDS.has(own.owner)) continue
        // An owner of its own is kept: the entry holds it, with the rules of the nearest folder above that has some.
        let up = dirname(k)
        while (up !== dirname(up) && !this.acls.has(up)) up = dirname(up)
        const parent = this.acls.get(up)
        const rules = parent
          ? parent.rules
              .filter((r) => /ContainerInherit|ObjectInherit/.test(r.inheritance))
              .map((r) => ({ ...r, inherited: true, propagation: 'None' }))
          : INHERITED.map((r) => ({ ...r }))
        this.acls.set(k, { owner: own.owner, protected: false, rules })
      }
      return done(1 + keys.length)
    }
    if (rest[0]?.toLowerCase() === '/setowner') {
      const owner = sidOf(rest[1] ?? '')
      if (rest.length !== 2 || !owner) return null
      if (!cur) return failed(2, 'The system cannot find the file specified.')
      const links = flags.includes('/L')
      // An entry without one of its own is Administrators' and inherits: given Administrators, it stays so (an entry
      // of its own would hold a copy of what it inherits today).
      const setOwner = (l: string) => {
        const acl = this.aclOfLocal(l)
        if (!acl || (!this.acls.has(this.aclKey(l)) && owner === 'S-1-5-32-544')) return
        this.acls.set(this.aclKey(l), { ...acl, rules: acl.rules.map((r) => ({ ...r })), owner })
      }
      // Without /L a link is followed: the owner goes to its target (and with /T to what is below the target).
      const start = links ? local : this.followed(local)
      setOwner(start)
      let n = 1
      if (flags.includes('/T')) {
        const seen = new Set<string>([resolve(start)])
        const walk = (dir: string) => {
          let names: string[]
          try {
            names = readdirSync(dir)
          } catch {
            return
          }
          for (const name of names) {
            const entry = join(dir, name)
            const isLink = lstatSync(entry).isSymbolicLink()
            const at = isLink && !links ? this.followed(entry) : entry
            if (seen.has(resolve(at))) continue
            seen.add(resolve(at))
            setOwner(at)
            n++
            if (!(isLink && links)) {
              try {
                if (statSync(at).isDirectory()) walk(at)
              } catch {
                /* a dangling link */
              }
            }
          }
        }
        walk(start)
      }
      return done(n)
    }
    const RIGHTS: Record<string, string> = {
      F: 'FullControl',
      M: 'Modify, Synchronize',
      RX: 'ReadAndExecute, Synchronize',
      R: 'Read, Synchronize',
      W: 'Write, Synchronize',
    }
    let inheritance: 'r' | 'e' | null = null
    let replace = false
    const grants: AclModel['rules'] = []
    for (let i = 0; i < rest.length; i++) {
      const o = rest[i]!.toLowerCase()
      if (o === '/inheritance:r' || o === '/inheritance:e') {
        inheritance = o.endsWith('r') ? 'r' : 'e'
        continue
      }
      if (o !== '/grant' && o !== '/grant:r') return null
      replace ||= o === '/grant:r'
      for (; i + 1 < rest.length && !rest[i + 1]!.startsWith('/'); i++) {
        const m = /^\*(S-1-[\d-]+):((?:\((?:OI|CI|IO)\))*)([A-Z]+)$/.exec(rest[i + 1]!)
        if (!m || !RIGHTS[m[3]!]) return null
        const f = m[2]!
        const inh =
          [f.includes('(CI)') ? 'ContainerInherit' : '', f.includes('(OI)') ? 'ObjectInherit' : '']
            .filter(Boolean)
            .join(', ') || 'None'
        grants.push({
          sid: m[1]!,
          rights: RIGHTS[m[3]!]!,
          inheritance: inh,
          propagation: f.includes('(IO)') ? 'InheritOnly' : 'None',
          type: 'Allow',
          inherited: false,
        })
      }
    }
    if ((!inheritance && !grants.length) || flags.includes('/T') || flags.includes('/L')) return null
    if (!cur) return failed(2, 'The system cannot find the file specified.')
    const writeDac =
      ADMIN_SIDS.has(cur.owner) ||
      cur.rules.some(
        (r) =>
          r.type === 'Allow' &&
          r.sid === 'S-1-5-32-544' &&
          r.rights === 'FullControl' &&
          r.propagation !== 'InheritOnly',
      )
    if (!writeDac) return failed(5, 'Access is denied.')
    const granted = new Set(grants.map((g) => g.sid))
    const kept = cur.rules.filter(
      (r) => !(inheritance === 'r' && r.inherited) && !(replace && !r.inherited && granted.has(r.sid)),
    )
    this.acls.set(this.aclKey(local), {
      owner: cur.owner,
      protected: inheritance === 'r' ? true : inheritance === 'e' ? false : cur.protected,
      rules: [...kept.map((r) => ({ ...r })), ...grants],
    })
    return done(1)
  }

  /**
   * cmd's `ren <folder> <name>` of a Windows Update folder (SoftwareDistribution\DataStore, \Download, System32\catroot2, or one renamed from
   * them), as a copyable undo block runs it: the model's own rename (the reset's rename step, repair.wu-rename, with this
   * source and name), under cmd's rules — the source must exist and the new name must not ("The system cannot find
   * the file specified." / "A duplicate file name exists, or the file cannot be found.", errorlevel 1).
   */
  private async answerWuRen(req: Record<string, unknown>): Promise<unknown> {
    let rel = String(req.rel)
    const name = String(req.name)
    const call = this.record({ kind: 'cmdlet', tool: 'ren', args: [rel, name], spec: null })
    if ((await this.gate(call)) === 'killed') return null
    const folders = foldersOf(this.state())
    const parent = rel.includes('\\') ? rel.slice(0, rel.lastIndexOf('\\') + 1) : ''
    const has = (r: string) => Object.keys(folders).some((f) => f.toLowerCase() === r.toLowerCase())
    const fail = (m: string) => {
      call.result = { exitCode: 1, stdout: '', stderr: m }
      return { exitCode: 1, stdoutText: '', stderrText: m }
    }
    if (!has(rel)) return fail('The system cannot find the file specified.')
    rel = Object.keys(folders).find((f) => f.toLowerCase() === rel.toLowerCase())!
    if (has(`${parent}${name}`)) return fail('A duplicate file name exists, or the file cannot be found.')
    // The reset's own rename step, for this source and new name (its script names both; the model reads them from it).
    const folder = /catroot2/i.test(rel) ? 'catroot2' : /Download/i.test(rel) ? 'Download' : 'DataStore'
    const step = commandOf(
      {
        id: 'ren',
        title: 'ren',
        explanation: '',
        kind: 'wu-folder-rename',
        params: { folder, stamp: '20000101-000000' },
      } as never,
      {
        hostKind: 'training',
        dataDir: this.dataDir,
        resumeCommand: null,
        pcArg: null,
        stateDir: this.dataDir,
      } as never,
    )!
    const script = decodePowerShellScript(step.args)!.replace(
      /^\$from = Join-Path \$env:SystemRoot '[^']+'; \$name = '[^']+'/,
      () => `$from = Join-Path $env:SystemRoot '${rel.replace(/'/g, "''")}'; $name = '${name.replace(/'/g, "''")}'`,
    )
    const spec = powershellSpec(step.name, script, step.timeoutMs)
    call.spec = spec
    const r = await this.host.run(spec)
    this.syncFiles()
    // cmd says what Windows said (the rename script's Note, e.g. ERROR_SHARING_VIOLATION's text).
    if (r.exitCode !== 0) {
      let note = ''
      try {
        note = String(JSON.parse(r.stdout).Note ?? '')
      } catch {
        /* not the script's JSON */
      }
      return fail(note || r.stderr || r.stdout)
    }
    call.result = { exitCode: 0, stdout: '', stderr: '' }
    return { exitCode: 0, stdoutText: '', stderrText: '' }
  }

  private record(call: StandInCall): StandInCall {
    this.active?.calls.push(call)
    return call
  }

  private async gate(call: StandInCall): Promise<'go' | 'killed'> {
    const a = this.active
    if (!a) return 'go'
    await a.opts.before?.(call)
    if (a.opts.killBefore?.(call)) {
      a.kill(call.via !== 'process')
      return 'killed'
    }
    return 'go'
  }

  private async answerProgram(req: Record<string, unknown>): Promise<unknown> {
    const tool = String(req.tool).toLowerCase()
    const args = (req.args as string[]).map((a) => this.toPcArg(a))
    const argv = req.via === 'call-operator' ? legacyNativeArgv(args) : args
    const spec = specForArgv(tool, argv, this.registered)
    const call = this.record({ kind: 'program', via: req.via as StandInCall['via'], tool, args: argv, spec })
    if ((await this.gate(call)) === 'killed') return null
    let result: Pick<CommandResult, 'exitCode' | 'stdout' | 'stderr'>
    // `powershell.exe … -File <script> [args]`: the script runs on this PC too, in a PowerShell of its own.
    const file = tool === 'powershell.exe' && !spec ? argv.findIndex((a) => a.toLowerCase() === '-file') : -1
    if (file >= 0 && file + 1 < argv.length && this.active) {
      const path = argv[file + 1]!
      const r = await this.spawnScript(
        /^[A-Za-z]:/.test(path) ? this.localPath(path) : path,
        argv.slice(file + 2),
        this.active.opts,
        this.active.kids,
      )
      if (r.killed) return null
      result = { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr }
    } else if (!spec) {
      result = (await this.answerWithoutSpec(tool, argv)) ?? {
        exitCode: 1,
        stdout: '',
        stderr: `The emulated PC '${this.machine}' does not model ${tool} ${argv.join(' ')} (no command of the app has this argv).`,
      }
    } else {
      const r = await this.host.run(spec)
      result = { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }
      this.syncFiles()
    }
    call.result = result
    if (this.active?.opts.killAfter?.(call)) {
      this.active.kill(call.via !== 'process')
      return null
    }
    const enc = spec?.outputEncoding ?? 'console'
    const answer = { exitCode: result.exitCode >>> 0, exitCodeSigned: result.exitCode | 0 }
    // A process gets the bytes the program would write; the call operator's function gets the text.
    return req.via === 'process'
      ? {
          ...answer,
          stdout: encode(result.stdout, enc).toString('base64'),
          stderr: encode(result.stderr, enc).toString('base64'),
        }
      : { ...answer, stdoutText: result.stdout, stderrText: result.stderr }
  }

  // ---- running scripts ------------------------------------------------------------------------------------------------
  /** Runs a script file as `powershell.exe -File <file> <args>`; one run at a time per PC. */
  async run(script: string, args: readonly string[] = [], opts: RunOptions = {}): Promise<ScriptRun> {
    if (this.active) throw new Error('one script at a time on an emulated PC')
    const calls: StandInCall[] = []
    const kids = new Set<Kill>()
    let killed = false
    const kill = (atRequest: boolean) => {
      if (!killed) {
        killed = true
        for (const k of [...kids]) k(atRequest)
      }
    }
    this.active = { calls, opts, kill, kids }
    try {
      const r = await this.spawnScript(script, args, opts, kids)
      return { ...r, exitCode: killed ? null : r.exitCode, killed: killed || r.killed, calls }
    } finally {
      this.active = null
    }
  }

  /**
   * One PowerShell process running `script` as `powershell.exe -File` would (the run's, or one it started: a script
   * that runs another with `powershell.exe -File`, as Fix-<host>.ps1 runs the kit's Install-Kit.ps1). Every process of
   * a run is in `kids`, so a kill ends them all.
   */
  private async spawnScript(
    script: string,
    args: readonly string[],
    opts: RunOptions,
    kids: Set<Kill>,
  ): Promise<Omit<ScriptRun, 'calls'>> {
    const state = this.state()
    const result = join(this.sdh, `result-${Date.now()}-${Math.random().toString(36).slice(2)}`)
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? this.root,
      DOTNET_CLI_TELEMETRY_OPTOUT: '1',
      DOTNET_NOLOGO: '1',
      POWERSHELL_TELEMETRY_OPTOUT: '1',
      POWERSHELL_UPDATECHECK: 'Off',
      DOTNET_ROOT: process.env.DOTNET_ROOT ?? '',
      NUGET_PACKAGES: process.env.NUGET_PACKAGES ?? '',
      SystemRoot: this.systemRoot,
      windir: this.systemRoot,
      SystemDrive: 'C:',
      ProgramData: this.programData,
      ALLUSERSPROFILE: this.programData,
      TEMP: join(this.systemRoot, 'Temp'),
      TMP: join(this.systemRoot, 'Temp'),
      PUBLIC: join(this.root, 'Users', 'Public'),
      COMPUTERNAME: state.os.computerName,
      PROCESSOR_ARCHITECTURE: ARCH_ENV[state.os.processArch] ?? state.os.processArch,
      ...(state.os.processArch === 'x86' && state.os.nativeArch !== 'x86'
        ? { PROCESSOR_ARCHITEW6432: ARCH_ENV[state.os.nativeArch]! }
        : {}),
      SDH_ROOT: this.root,
      SDH_PREAMBLE: join(HERE, 'preamble.ps1'),
      SDH_SOCKET: this.socketPath,
      SDH_EXIT_DIR: join(this.sdh, 'exit'),
      SDH_RESULT: result,
      SDH_SCRIPT: resolve(script),
      SDH_ARGS: JSON.stringify(args),
      SDH_TOOLS: toolDefinitions(this.systemRoot),
      ...this.ps.env,
      ...opts.env,
    }
    for (const k of Object.keys(env)) if (env[k] === '') delete env[k]
    const cwd = opts.cwd ?? this.root
    if (!opts.freshProcess && workersFit(this.ps)) return this.runInWorker(env, cwd, result, opts, kids)
    const child = spawn(
      this.ps.file,
      [...this.ps.prefix, '-NoLogo', '-NoProfile', '-NonInteractive', '-File', join(HERE, 'run-script.ps1')],
      {
        cwd,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let killed = false
    // A run's own process is ended wherever the kill comes.
    const kill = () => {
      if (!killed) {
        killed = true
        try {
          process.kill(-child.pid!, 'SIGKILL')
        } catch {
          /* gone */
        }
      }
    }
    kids.add(kill)
    let stdout = '',
      stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d
    })
    let processCode: number | null = null
    const timer = setTimeout(
      () => {
        stderr += '\n[harness] timed out: killed\n'
        kill()
      },
      hangMs(opts.timeoutMs ?? 600_000),
    )
    try {
      processCode = await new Promise<number | null>((ok) => child.on('close', (code) => ok(code)))
    } finally {
      clearTimeout(timer)
      kids.delete(kill)
    }
    let exitCode: number | null = null
    if (!killed) {
      // No result file: an error ended the script (and the wrapper): -File reports 1, as PowerShell's own exit code says.
      try {
        exitCode = Number(readFileSync(result, 'utf8').trim()) >>> 0
      } catch {
        exitCode = processCode
      }
      rmSync(result, { force: true })
    }
    return { exitCode, killed, stdout, stderr }
  }

  /**
   * spawnScript's run in a warm PowerShell (worker-pool.ts): the same run-script.ps1 with the same environment and
   * working folder, in a fresh runspace; a kill ends that worker (and what it started), as it ends a run's own process.
   */
  private async runInWorker(
    env: Record<string, string>,
    cwd: string,
    result: string,
    opts: RunOptions,
    kids: Set<Kill>,
  ): Promise<Omit<ScriptRun, 'calls'>> {
    const worker = takeWorker(this.ps, env)
    let killed = false
    let kept = false
    let stderrNote = ''
    // At a request the script waits on, with nothing else of the run's running, the worker leaves the run where it
    // stopped and is kept (worker.ps1: the script never runs another line); else it is ended, as a run's own process.
    const kill = (atRequest: boolean) => {
      if (!killed) {
        killed = true
        kept = atRequest && worker.abandon()
        if (!kept) worker.kill()
      }
    }
    kids.add(kill)
    const timer = setTimeout(
      () => {
        stderrNote = '\n[harness] timed out: killed\n'
        kill(false)
      },
      hangMs(opts.timeoutMs ?? 600_000),
    )
    let r: WorkerRun
    try {
      r = await worker.run(env, cwd)
    } finally {
      clearTimeout(timer)
      kids.delete(kill)
    }
    if ((!killed || kept) && !r.exited) giveBack(worker)
    let exitCode: number | null = null
    if (!killed) {
      // As a run's own process: the result file's full code; else an error ended the script (-File's 1), or the
      // process itself ended ([Environment]::Exit) with its code.
      try {
        exitCode = Number(readFileSync(result, 'utf8').trim()) >>> 0
      } catch {
        exitCode = r.exited ? r.processCode : 1
      }
      rmSync(result, { force: true })
    }
    return { exitCode, killed, stdout: r.stdout, stderr: r.stderr + stderrNote }
  }

  /**
   * The emulated restart: the model's restart (pending work completes, restartMachine), then — as Windows does at
   * the next sign-in — each RunOnce value is removed and its `powershell.exe … -File "<script>" [args]` run here.
   */
  async restart(opts: { runOnce?: boolean; run?: RunOptions } = {}): Promise<ScriptRun[]> {
    this.store.save(restartMachine(this.state()))
    this.syncFiles()
    const runs: ScriptRun[] = []
    if (opts.runOnce === false) return runs
    const all = this.regWritten()
    const values = Object.entries(all[RUNONCE] ?? {})
    delete all[RUNONCE]
    writeFileSync(this.regFile(), JSON.stringify(all, null, 1))
    for (const [, v] of values) {
      const argv = splitCommandLine(String(v.data))
      const i = argv.findIndex((a) => a.toLowerCase() === '-file')
      if (i < 0 || i + 1 >= argv.length) continue
      const file = argv[i + 1]!
      runs.push(await this.run(/^[A-Za-z]:/.test(file) ? this.localPath(file) : file, argv.slice(i + 2), opts.run))
    }
    return runs
  }

  /**
   * Everything the PC holds now, to go back to with restore(): its disk (the model's state file, the registry values
   * scripts wrote, the work folders, the package), the owners and ACLs, the model's work files. Kept beside the root
   * (removed by close()); the root keeps its path, so paths the scripts wrote (RunOnce's `-Package`) stay right.
   */
  checkpoint(): PcCheckpoint {
    if (this.active) throw new Error('a checkpoint is taken between runs')
    const dir = `${this.root}.cp${this.checkpoints.length}`
    // A socket file cannot be copied (nor is it state): the PC's own stays where it is.
    cpSync(this.root, dir, { recursive: true, verbatimSymlinks: true, filter: (src) => src !== this.socketPath })
    const cp: PcCheckpoint = {
      dir,
      acls: cloneMap(this.acls),
      written: new Map(this.written),
      madeDirs: new Set(this.madeDirs),
      scratch: cloneMap(this.scratch()),
    }
    this.checkpoints.push(cp)
    return cp
  }

  /** Puts the PC back to a checkpoint of its own (the disk, the model, owners, registry writes, work files). */
  restore(cp: PcCheckpoint): void {
    if (this.active) throw new Error('a checkpoint is restored between runs')
    if (!this.checkpoints.includes(cp)) throw new Error('not a checkpoint of this PC')
    this.restoreFiles(cp)
  }

  /** restore()'s work; also asked for by a running script (op 'restore'), between the commands it runs. */
  private restoreFiles(cp: PcCheckpoint): void {
    for (const name of readdirSync(this.root)) {
      const f = join(this.root, name)
      if (f !== this.sdh) {
        rmSync(f, { recursive: true, force: true })
        continue
      }
      for (const n of readdirSync(f))
        if (join(f, n) !== this.socketPath) rmSync(join(f, n), { recursive: true, force: true })
    }
    cpSync(cp.dir, this.root, { recursive: true, verbatimSymlinks: true })
    this.acls.clear()
    for (const [k, v] of cloneMap(cp.acls)) this.acls.set(k, v)
    this.written.clear()
    for (const [k, v] of cp.written) this.written.set(k, v)
    this.madeDirs.clear()
    for (const d of cp.madeDirs) this.madeDirs.add(d)
    const scratch = this.scratch()
    scratch.clear()
    for (const [k, v] of cloneMap(cp.scratch)) scratch.set(k, v)
  }

  /** The TrainingHost's work files of read-only commands (kept in memory, not in the state file). */
  private scratch(): Map<string, [string, string]> {
    return (this.host as unknown as { scratch: Map<string, [string, string]> }).scratch
  }

  async close(): Promise<void> {
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()))
    this.server = null
    rmSync(this.socketPath, { force: true })
    for (const cp of this.checkpoints.splice(0)) rmSync(cp.dir, { recursive: true, force: true })
    if (this.own) rmSync(this.root, { recursive: true, force: true })
  }
}

/** What EmulatedPc.checkpoint() saved. */
export interface PcCheckpoint {
  readonly dir: string
  readonly acls: Map<string, AclModel>
  readonly written: Map<string, string>
  readonly madeDirs: Set<string>
  readonly scratch: Map<string, [string, string]>
}

const cloneMap = <K, V>(m: Map<K, V>): Map<K, V> => new Map([...m].map(([k, v]) => [k, structuredClone(v)]))

/**
 * The stand-in program compiled from standin.c (once per source, kept in .cache/pwsh-harness), or null where no C
 * compiler is: the stand-ins are then standin.mjs behind a shell line, ~40 ms to 1 s slower per call.
 */
let native: string | null | undefined
function nativeStandIn(): string | null {
  if (native !== undefined) return native
  native = null
  try {
    const src = readFileSync(join(HERE, 'standin.c'))
    const dir = join(HERE, '..', '..', '.cache', 'pwsh-harness')
    const bin = join(dir, `standin-${createHash('sha256').update(src).digest('hex').slice(0, 16)}`)
    if (!existsSync(bin)) {
      mkdirSync(dir, { recursive: true })
      const tmp = `${bin}.${process.pid}.tmp`
      execFileSync('cc', ['-O1', '-o', tmp, join(HERE, 'standin.c')], { stdio: 'ignore', timeout: hangMs(60_000) })
      renameSync(tmp, bin)
    }
    native = bin
  } catch {
    native = null
  }
  return native
}

/** A plant a standard user could not make (the model's owners and ACLs forbid it). */
export class PlantRefusedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PlantRefusedError'
  }
}

/** The MBR type of a partition the model names by its GPT type (the recovery type is 0x27 on MBR; NTFS 7). */
function mbrTypeOf(gptType: string): number {
  return /de94bba4-06d1-4d40-a16a-bfd50179d6ac/i.test(gptType) ? 0x27 : 7
}

/** A standard user's SID (an account of this PC, not an administrator). */
export const STANDARD_USER = 'S-1-5-21-1004336348-1177238915-682003330-1001'
const ADMIN_SIDS = new Set(['S-1-5-32-544', 'S-1-5-18'])
/** Who a standard user is, for an ACL: the user, Users, Authenticated Users, Everyone, INTERACTIVE. */
const USER_SIDS = new Set([STANDARD_USER, 'S-1-5-32-545', 'S-1-5-11', 'S-1-1-0', 'S-1-5-4'])

function normKey(k: string): string {
  return k
    .replace(/^Microsoft\.PowerShell\.Core\\Registry::/i, '')
    .replace(/^Registry::/i, '')
    .replace(/^HKEY_LOCAL_MACHINE\\/i, 'HKLM\\')
    .replace(/^HKLM:\\?/i, 'HKLM\\')
    .replace(/\\+$/, '')
    .toLowerCase()
}

/**
 * The preamble's program functions, as PowerShell lines: for each program of SYSTEM_TOOLS and SHOWN_ONLY a function
 * `SdhTool_<name>` answering through Invoke-SdhProgram, and each of its full paths (toolPaths) an alias of it, so
 * `& <full path>` runs the function. Straight lines, not a loop in the preamble: the same definitions at less CPU.
 */
function toolDefinitions(systemRoot: string): string {
  const lit = (s: string) => `'${s.replace(/['\u2018-\u201B]/g, '$&$&')}'`
  return Object.entries({ ...SYSTEM_TOOLS, ...SHOWN_ONLY })
    .flatMap(([name, rel]) => {
      const fn = `SdhTool_${name.replace(/[^A-Za-z0-9]/g, '_')}`
      return [
        `function global:${fn} { Invoke-SdhProgram ${lit(name)} $args }`,
        ...toolPaths(systemRoot, rel).map((p) => `Set-Alias -Name ${lit(p)} -Value ${fn} -Scope Global -Force`),
      ]
    })
    .join('\n')
}

/** The names a script may use for a program's full path: `$env:SystemRoot\…`, Join-Path's, and C:\Windows\…. */
function toolPaths(systemRoot: string, rel: string): string[] {
  const fwd = rel.replace(/\\/g, '/')
  return [`${systemRoot}\\${rel}`, `${systemRoot}/${fwd}`, `C:\\Windows\\${rel}`]
}

/** OEM code page 437 (what the console tools write, and what the collector reads back with on this machine's culture). */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0'
function encode(text: string, enc: string): Buffer {
  if (enc === 'utf8') return Buffer.from(text, 'utf8')
  if (enc === 'utf16le') return Buffer.from(text, 'utf16le')
  const out = Buffer.alloc(text.length)
  let n = 0
  for (const ch of text) {
    const c = ch.codePointAt(0)!
    if (c < 0x80) {
      out[n++] = c
      continue
    }
    const i = CP437_HIGH.indexOf(ch)
    out[n++] = i >= 0 ? 0x80 + i : 0x3f
  }
  return out.subarray(0, n)
}

/**
 * The argv a program receives from `& prog @args` in Windows PowerShell 5.1 (legacy argument passing): an empty string
 * is dropped, and the arguments are joined and quoted only when they hold a space, so an embedded `"` is re-split by
 * the program's own parsing (CommandLineToArgvW). PowerShell 7.3+ passes argv exactly; the scripts target 5.1.
 */
export function legacyNativeArgv(args: readonly string[]): string[] {
  const line = args
    .filter((a) => a !== '')
    .map((a) => (/[\s]/.test(a) && !/^".*"$/.test(a) ? `"${a}"` : a))
    .join(' ')
  return splitCommandLine(line)
}

/** CommandLineToArgvW's rules (backslashes before a quote, quoted runs, "" inside quotes). */
export function splitCommandLine(line: string): string[] {
  const out: string[] = []
  let i = 0
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++
    if (i >= line.length) break
    let cur = ''
    let quoted = false
    for (; i < line.length; i++) {
      const c = line[i]!
      if (!quoted && (c === ' ' || c === '\t')) break
      if (c === '\\') {
        let bs = 0
        while (line[i] === '\\') {
          bs++
          i++
        }
        if (line[i] === '"') {
          cur += '\\'.repeat(Math.floor(bs / 2))
          if (bs % 2) {
            cur += '"'
            continue
          }
          i--
          continue
        }
        cur += '\\'.repeat(bs)
        i--
        continue
      }
      if (c === '"') {
        if (quoted && line[i + 1] === '"') {
          cur += '"'
          i++
          continue
        }
        quoted = !quoted
        continue
      }
      cur += c
    }
    out.push(cur)
  }
  return out
}
