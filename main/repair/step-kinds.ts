/**
 * The allowlist of repair step kinds. A step in a plan or journal is intent (`kind` + `params`); only the
 * kinds here exist, each parses its params with its own zod schema every time, and each builds its argv
 * in code (never from a file, never a shell string). Paths are derived from the app's data folder and
 * validated names (KB numbers, architectures), never taken from a plan.
 *
 * Sources: DISM /Cleanup-Image /CheckHealth, /ScanHealth, /RestoreHealth [/Source /LimitAccess]
 * (learn.microsoft.com repair-a-windows-image; Repair-WindowsImage docs); sfc /scannow (support.microsoft.com
 * KB929833); expand -F:* (the MSU/CAB expansion the issue names); shutdown /r /t N; RunOnce
 * (learn.microsoft.com run-and-runonce-registry-keys).
 */
import { z } from 'zod'
import { renderCommandLine, type CommandSpec, type Host } from '../host/host.ts'
import { copyableCommand } from '../host/system-tools.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { RepairStepIntent } from '../../preload/model/repair.ts'
import { parseDismOutput } from '../parse/dism-output.ts'
import { decodePowerShellScript, powershellSpec } from '../host/powershell.ts'
import { parseServices } from '../parse/services.ts'
import type { RepairEnv } from './types.ts'
import { MEDIA_FILES, mediaSourceArg } from './media.ts'
import {
  ESP_FOREIGN_FOLDER_MESSAGE,
  ESP_FOREIGN_FOLDER_PATTERN,
  WU_FOLDER_NAMES,
  WU_FOLDERS,
  WU_STAMP_PATTERN,
  join,
  notWindowsEfiFolder,
  restartStillNeeded,
  SECURE_BOOT_ALL_UPDATES,
  SECURE_BOOT_KEY,
  SECURE_BOOT_TASK,
  windowsNameKey,
  wuFolderPath,
  wuKeptPath,
  wuRenamedName,
  espMovedDir,
  type WuFolder,
} from './step-names.ts'

// The definitions read these from step-names.ts (no zod); kept here too for the step kinds' other readers.
export {
  espMovedDir,
  restartStillNeeded,
  SECURE_BOOT_ALL_UPDATES,
  SECURE_BOOT_KEY,
  SECURE_BOOT_TASK,
  windowsNameKey,
  WU_FOLDERS,
  wuFolderPath,
  wuKeptPath,
  wuRenamedName,
  type WuFolder,
}

const MIN = 60_000
const HOUR = 60 * MIN

export type Assessment = 'healthy' | 'broken' | null
export type Recheck = { kind: 'done' | 'rerun' | 'stop'; note: string }

export interface RecheckContext {
  host: Host
  env: RepairEnv
  scan: () => Promise<MachineSnapshot>
}

export interface LocalContext {
  env: RepairEnv
  /** Fetches an update's MSU (Catalog, verified by hash) and returns where it is on this computer. */
  fetchPackage: (
    kb: string,
    arch: string,
    onNote: (line: string) => void,
  ) => Promise<{ path: string; sha1: string | null; sha256: string | null }>
}

export interface LocalResult {
  ok: boolean
  output: string
}

interface KindDef<P> {
  /** Built on its first read (kind() below). */
  params: z.ZodType<P>
  /** Runs through the Host (a command) — or in the app (`runLocal`, e.g. a verified download). */
  build?: (p: P, env: RepairEnv) => CommandSpec
  runLocal?: (p: P, ctx: LocalContext) => Promise<LocalResult>
  /** How the command reads for a person when it runs in the app. */
  describeLocal?: (p: P, env: RepairEnv) => string
  successExitCodes?: number[]
  recheck?: (p: P, ctx: RecheckContext) => Promise<Recheck>
  /** Does this output say the component store (or what the repair fixes) is healthy now? */
  assess?: (output: string, exitCode: number | null) => Assessment
}

/** A kind as written below: its params' schema made by a function, called once on its first use. */
type KindSpec<P> = Omit<KindDef<P>, 'params'> & { params: () => z.ZodType<P> }

/**
 * Each kind's schema is built on its first read: building zod schemas is work (about 30 M instructions for all the
 * kinds at once, measured on the built CLI), and a command that shows or runs steps reads the schemas of their few
 * kinds only.
 */
function kind<P>(spec: KindSpec<P>): KindDef<P> {
  const { params, ...def } = spec
  let made: z.ZodType<P> | undefined
  return {
    ...def,
    get params() {
      made ??= params()
      return made
    },
  }
}

const KB = z.string().regex(/^KB\d{6,8}$/)
const ARCH = z.enum(['x64', 'arm64', 'x86'])
const Empty = z.object({}).strict()
const Source = z.object({ kb: KB, arch: ARCH }).strict()

/** `<dataDir>/repair-sources/<KB>-<arch>`: where a same-build source is fetched and expanded. */
export function sourceDir(env: RepairEnv, kb: string, arch: string): string {
  return join(env.dataDir, 'repair-sources', `${KB.parse(kb)}-${ARCH.parse(arch)}`)
}
export const msuPath = (env: RepairEnv, kb: string, arch: string) => join(sourceDir(env, kb, arch), `${kb}-${arch}.msu`)
export const msuDir = (env: RepairEnv, kb: string, arch: string) => join(sourceDir(env, kb, arch), 'msu')
export const expandedSource = (env: RepairEnv, kb: string, arch: string) => join(sourceDir(env, kb, arch), 'source')
/** The LCU CAB inside the MSU: `Windows11.0-KB…-x64.cab` (Windows10.0 for builds before 22000). */
export function innerCabName(kb: string, arch: string, build: number): string {
  return `Windows${build >= 22000 ? '11' : '10'}.0-${KB.parse(kb)}-${ARCH.parse(arch)}.cab`
}

/** A drive letter for the EFI partition while a folder is moved off it (never A–C). */
const ESP_LETTER = z.string().regex(/^[D-Z]$/)
/**
 * A top-level \\EFI folder that is not Windows' own: a plain name, never Microsoft or Boot (compared as
 * Windows compares names: `Microsoft.` and `Boot  ` ARE those folders, so a name ending in a dot or a space
 * is refused outright).
 */
export const ESP_FOREIGN_FOLDER = z
  .string()
  .regex(ESP_FOREIGN_FOLDER_PATTERN)
  .refine(notWindowsEfiFolder, ESP_FOREIGN_FOLDER_MESSAGE)
const espBcd = (letter: string) => `${letter}:\\EFI\\Microsoft\\Boot\\BCD`

const dism = (name: string, args: string[], timeoutMs: number): CommandSpec => ({
  name,
  file: 'dism.exe',
  args: ['/English', '/Online', '/Cleanup-Image', ...args],
  timeoutMs,
  outputEncoding: 'console',
})

/** A DISM health answer: the component store's state as the output says it. */
function assessDism(output: string, exitCode: number | null): Assessment {
  const f = parseDismOutput(output, exitCode)
  if (f.componentStore === 'healthy') return 'healthy'
  if (f.componentStore === 'repairable' || f.componentStore === 'not-repairable') return 'broken'
  if (f.result === 'failed') return 'broken'
  return null
}

/**
 * Windows Update components (reset-wu-components). Microsoft's "Reset Windows Update components manually"
 * (learn.microsoft.com/troubleshoot/windows-client/installing-updates-features-roles/additional-resources-for-windows-update,
 * step 4.1): stop BITS, wuauserv and cryptsvc, rename %SystemRoot%\SoftwareDistribution\DataStore,
 * %SystemRoot%\SoftwareDistribution\Download and %SystemRoot%\System32\catroot2 (never the whole SoftwareDistribution:
 * it also holds ReportingEvents.log, the scan's SLS cache and the delivery state Windows keeps), start the services
 * again. The scripts are built here from validated names only; each prints Get-Service rows in the same JSON as the
 * services probe (main/parse/services.ts reads them) or the rename's result as JSON. A rename that fails starts the
 * services it was given again before it ends (try/finally), so a failed step never leaves Windows Update stopped.
 */
export const WU_SERVICES = z.enum(['wuauserv', 'bits', 'cryptsvc', 'msiserver'])
export const WU_FOLDER = z.enum(WU_FOLDER_NAMES)
/** The rename's stamp: `yyyymmdd-hhmmss` (UTC), so each reset's folders have their own name. */
export const WU_STAMP = z.string().regex(WU_STAMP_PATTERN)

function wuServicesScript(action: 'Stop' | 'Start', names: readonly string[]): string {
  const want = action === 'Stop' ? 'Stopped' : 'Running'
  const list = names.map((n) => `'${WU_SERVICES.parse(n)}'`).join(',')
  return [
    `$action = '${action}'; $names = ${list}`,
    '$was = @{}; foreach ($n in $names) { $was[$n] = [string](Get-Service -Name $n).Status }',
    "$errors = @(); foreach ($n in $names) { $s = Get-Service -Name $n; try { if ($action -eq 'Stop' -and $s.Status -ne 'Stopped') { Stop-Service -InputObject $s -Force; $s.WaitForStatus('Stopped', [TimeSpan]::FromSeconds(60)) } elseif ($action -eq 'Start' -and $s.Status -ne 'Running') { Start-Service -InputObject $s; $s.WaitForStatus('Running', [TimeSpan]::FromSeconds(60)) } } catch { $errors += ($n + ': ' + $_.Exception.Message) } }",
    // A stop that failed part way starts again what it stopped: the reset does not go on, and Windows Update is not left stopped.
    "if ($action -eq 'Stop' -and $errors.Count) { foreach ($n in $names) { if ($was[$n] -eq 'Running' -and [string](Get-Service -Name $n).Status -ne 'Running') { try { Start-Service -Name $n } catch { $errors += ($n + ' did not start again: ' + $_.Exception.Message) } } } }",
    // Stop-Service -Force also stops running services that depend on these: on start, the automatic ones come back.
    "if ($action -eq 'Start') { foreach ($n in $names) { foreach ($dep in (Get-Service -Name $n).DependentServices) { if ([string]$dep.StartType -eq 'Automatic' -and [string]$dep.Status -ne 'Running') { try { Start-Service -InputObject $dep } catch { } } } } }",
    '$rows = @(foreach ($n in $names) { $s = Get-Service -Name $n; $d = (Get-ItemProperty "HKLM:\\SYSTEM\\CurrentControlSet\\Services\\$n" -ErrorAction SilentlyContinue).DelayedAutostart; [pscustomobject]@{ Name = $s.Name; DisplayName = $s.DisplayName; Status = [string]$s.Status; StartType = [string]$s.StartType; DelayedAutoStart = ($d -eq 1) } })',
    'ConvertTo-Json -InputObject $rows -Compress',
    'foreach ($e in $errors) { [Console]::Error.WriteLine($e) }',
    `if ($errors.Count -or @($rows | Where-Object { $_.Status -ne '${want}' }).Count) { exit 1 }`,
  ].join('\n')
}

function wuRenameScript(folder: WuFolder, stamp: string, restart: readonly string[]): string {
  const rel = WU_FOLDERS[WU_FOLDER.parse(folder)]
  const name = wuRenamedName(folder, stamp)
  const again = restart.map((n) => `'${WU_SERVICES.parse(n)}'`).join(',')
  return [
    `$from = Join-Path $env:SystemRoot '${rel}'; $name = '${name}'; $restart = @(${again})`,
    '$to = Join-Path (Split-Path -Parent $from) $name',
    "$r = [ordered]@{ From = $from; To = $to; Renamed = $false; Note = ''; Restarted = @() }; $code = 1",
    // The kept name carries this reset's stamp; a folder already there under it is never overwritten or merged into.
    "try { if (Test-Path -LiteralPath $to) { if (Test-Path -LiteralPath $from) { $r.Note = 'Both folders exist: a service recreated the folder after the rename; nothing was overwritten.' } else { $r.Renamed = $true; $r.Note = 'Renamed already.'; $code = 0 } } " +
      "elseif (-not (Test-Path -LiteralPath $from)) { $r.Note = 'The folder does not exist: nothing to rename.'; $code = 0 } " +
      'else { Rename-Item -LiteralPath $from -NewName $name -ErrorAction Stop; $r.Renamed = $true; $code = 0 } } ' +
      'catch { $r.Note = $_.Exception.Message; $code = 1 } ' +
      // Whatever happened above: a failed rename starts the stopped services again (the next step would have).
      "finally { if ($code -ne 0) { foreach ($n in $restart) { try { Start-Service -Name $n -ErrorAction Stop; $r.Restarted += $n } catch { $r.Note += (' ' + $n + ' did not start: ' + $_.Exception.Message) } } } }",
    '[pscustomobject]$r | ConvertTo-Json -Compress',
    'exit $code',
  ].join('\n')
}

/** Healthy when every service the output lists runs (the start step), broken when one does not. */
function assessServicesRunning(output: string): Assessment {
  const json = output.split(/\r?\n/).find((l) => l.trim().startsWith('['))
  if (!json) return null
  const r = parseServices(json)
  if (!r.ok || !r.services.length) return null
  return r.services.every((x) => x.status === 'running') ? 'healthy' : 'broken'
}

/** A CBS package identity as DISM lists it (`name~publicKeyToken~arch~language~version`): no spaces, quotes or paths. */
export const PACKAGE_IDENTITY = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*~[0-9a-fA-F]{16}~[A-Za-z0-9_.-]*~[A-Za-z0-9_-]*~\d+(?:\.\d+){1,3}$/)

const readOnly: KindDef<unknown>['recheck'] = async () => ({ kind: 'rerun', note: 'it only reads, so it runs again.' })

export const STEP_KINDS = {
  /**
   * `DISM /Online /Remove-Package /PackageName:<identity> /NoRestart` (Microsoft's way to remove a cumulative update
   * installed with its servicing stack; wusa /uninstall does not work for the combined package). 3010 = removed,
   * the restart completes it. Interrupted: done when the package is gone or Uninstall Pending.
   */
  'dism-remove-package': kind({
    params: () => z.object({ identity: PACKAGE_IDENTITY }).strict(),
    build: (p) => ({
      name: 'repair.dism-remove-package',
      file: 'dism.exe',
      args: ['/English', '/Online', '/Remove-Package', `/PackageName:${p.identity}`, '/NoRestart'],
      timeoutMs: 2 * HOUR,
      outputEncoding: 'console',
    }),
    successExitCodes: [0, 3010],
    recheck: async (p, ctx) => {
      const snap = await ctx.scan().catch(() => null)
      if (snap?.packages.status !== 'known')
        return {
          kind: 'stop',
          note: 'The package list could not be read, so whether the package was removed is unknown; check `DISM /Online /Get-Packages` by hand.',
        }
      const pkg = snap.packages.value.packages.find((x) => x.identity.toLowerCase() === p.identity.toLowerCase())
      return !pkg || pkg.state === 'uninstall-pending' || pkg.state === 'absent'
        ? {
            kind: 'done',
            note: `Re-checked: ${p.identity} is ${pkg ? 'Uninstall Pending' : 'no longer in the package list'}, so the removal took place; not run again.`,
          }
        : { kind: 'rerun', note: `${p.identity} is still ${pkg.state}, so it is removed again.` }
    },
  }),
  /** `reg.exe add HKLM\\…\\SecureBoot /v AvailableUpdates /t REG_DWORD /d 0x5944 /f`: asks Windows for all the 2023 certificates, the KEK and the new boot manager. */
  'secure-boot-available-updates': kind({
    params: () => z.object({ value: z.literal(SECURE_BOOT_ALL_UPDATES) }).strict(),
    build: (p) => ({
      name: 'repair.secureboot-available-updates',
      file: 'reg.exe',
      args: [
        'add',
        SECURE_BOOT_KEY,
        '/v',
        'AvailableUpdates',
        '/t',
        'REG_DWORD',
        '/d',
        `0x${p.value.toString(16)}`,
        '/f',
      ],
      timeoutMs: MIN,
      outputEncoding: 'console',
    }),
    recheck: async () => ({ kind: 'rerun', note: 'reg add /f writes the same value again.' }),
  }),
  /** `schtasks.exe /Run /TN \\Microsoft\\Windows\\PI\\Secure-Boot-Update`: the task that applies what AvailableUpdates asks for. */
  'secure-boot-task-run': kind({
    params: () => Empty,
    build: () => ({
      name: 'repair.secureboot-task-run',
      file: 'schtasks.exe',
      args: ['/Run', '/TN', SECURE_BOOT_TASK],
      timeoutMs: 5 * MIN,
      outputEncoding: 'console',
    }),
    recheck: async () => ({
      kind: 'rerun',
      note: 'the task applies only what AvailableUpdates still asks for, so it runs again.',
    }),
  }),
  /** Stops BITS, wuauserv, cryptsvc and msiserver (Stop-Service -Force, waits for Stopped). Stopping again is harmless. */
  'wu-services-stop': kind({
    params: () => z.object({ services: z.array(WU_SERVICES).min(1).max(4) }).strict(),
    build: (p) => powershellSpec('repair.wu-services', wuServicesScript('Stop', p.services), 5 * MIN),
    recheck: async () => ({ kind: 'rerun', note: 'stopping a stopped service changes nothing, so it runs again.' }),
  }),
  /**
   * Renames %SystemRoot%\SoftwareDistribution\DataStore, \Download or \System32\catroot2 to `<name>.sd-<stamp>` (never
   * deleted: the kept folder is named in the journal). Idempotent: renamed already → done; both present → fails
   * (nothing overwritten). When it fails, it starts `restart` again before it ends (try/finally).
   */
  'wu-folder-rename': kind({
    params: () =>
      z.object({ folder: WU_FOLDER, stamp: WU_STAMP, restart: z.array(WU_SERVICES).max(4).optional() }).strict(),
    build: (p) => powershellSpec('repair.wu-rename', wuRenameScript(p.folder, p.stamp, p.restart ?? []), 5 * MIN),
    recheck: async () => ({
      kind: 'rerun',
      note: 'the rename script sees a folder renamed already and records it as done.',
    }),
  }),
  /** Starts the services again and checks they run (Get-Service); `assess` reads the rows. */
  'wu-services-start': kind({
    params: () => z.object({ services: z.array(WU_SERVICES).min(1).max(4) }).strict(),
    build: (p) => powershellSpec('repair.wu-services', wuServicesScript('Start', p.services), 5 * MIN),
    recheck: async () => ({ kind: 'rerun', note: 'starting a running service changes nothing, so it runs again.' }),
    assess: assessServicesRunning,
  }),
  'dism-check-health': kind({
    params: () => Empty,
    build: () => dism('repair.dism-checkhealth', ['/CheckHealth'], 30 * MIN),
    recheck: readOnly,
    assess: assessDism,
  }),
  'dism-scan-health': kind({
    params: () => Empty,
    build: () => dism('repair.dism-scanhealth', ['/ScanHealth'], 2 * HOUR),
    recheck: readOnly,
    assess: assessDism,
  }),
  /** RestoreHealth from Windows Update, or from an expanded same-build source with /LimitAccess. */
  'dism-restore-health': kind({
    params: () => z.object({ source: Source.nullable() }).strict(),
    build: (p, env) =>
      dism(
        'repair.dism-restorehealth',
        p.source
          ? ['/RestoreHealth', `/Source:${expandedSource(env, p.source.kb, p.source.arch)}`, '/LimitAccess']
          : ['/RestoreHealth'],
        4 * HOUR,
      ),
    // RestoreHealth repeats safely: a repaired store is scanned again and reported healthy.
    recheck: async () => ({
      kind: 'rerun',
      note: 'RestoreHealth is safe to run again (a repaired store is reported healthy).',
    }),
    assess: assessDism,
  }),
  /**
   * RestoreHealth from an index of a mounted installation medium of the PC's exact build (media.ts chose it):
   * `/Source:wim:E:\sources\install.wim:3 /LimitAccess` (`esd:` for install.esd). Letter, file and index only;
   * the path is built here. A medium swapped since the plan fails this rung (0x800F081F) and the next one tries.
   */
  'dism-restore-health-media': kind({
    params: () =>
      z
        .object({
          letter: z.string().regex(/^[D-Z]$/),
          file: z.enum(MEDIA_FILES),
          index: z.number().int().min(1).max(64),
        })
        .strict(),
    build: (p) =>
      dism(
        'repair.dism-restorehealth',
        ['/RestoreHealth', `/Source:${mediaSourceArg(p.letter, p.file, p.index)}`, '/LimitAccess'],
        4 * HOUR,
      ),
    recheck: async () => ({
      kind: 'rerun',
      note: 'RestoreHealth is safe to run again (a repaired store is reported healthy).',
    }),
    assess: assessDism,
  }),
  'sfc-scannow': kind({
    params: () => Empty,
    build: () => ({
      name: 'repair.sfc-scannow',
      file: 'sfc.exe',
      args: ['/scannow'],
      timeoutMs: 2 * HOUR,
      outputEncoding: 'utf16le',
    }),
    recheck: async () => ({ kind: 'rerun', note: 'sfc /scannow is safe to run again.' }),
  }),
  /** Downloads the MSU (verified by SHA-1/SHA-256 by the download layer) into the source folder. */
  'fetch-package': kind({
    params: () => Source,
    describeLocal: (p, env) =>
      `download ${p.kb} (${p.arch}) from the Catalog, verify its hash, save as ${msuPath(env, p.kb, p.arch)}`,
    runLocal: async (p, ctx) => {
      const { mkdirSync, copyFileSync } = await import('node:fs')
      const notes: string[] = []
      const got = await ctx.fetchPackage(p.kb, p.arch, (l) => notes.push(l))
      mkdirSync(msuDir(ctx.env, p.kb, p.arch), { recursive: true })
      mkdirSync(expandedSource(ctx.env, p.kb, p.arch), { recursive: true })
      copyFileSync(got.path, msuPath(ctx.env, p.kb, p.arch))
      return {
        ok: true,
        output: [...notes, `Saved ${msuPath(ctx.env, p.kb, p.arch)}${got.sha1 ? ` (SHA-1 ${got.sha1})` : ''}.`].join(
          '\n',
        ),
      }
    },
    recheck: async () => ({ kind: 'rerun', note: 'the download is verified again (the cache makes it quick).' }),
  }),
  /** `expand.exe -F:* <msu> <folder>`: the MSU's files, among them the LCU CAB. */
  'expand-msu': kind({
    params: () => Source,
    build: (p, env) => ({
      name: 'repair.expand',
      file: 'expand.exe',
      args: ['-F:*', msuPath(env, p.kb, p.arch), msuDir(env, p.kb, p.arch)],
      timeoutMs: HOUR,
      outputEncoding: 'console',
    }),
    recheck: async () => ({ kind: 'rerun', note: 'expanding again overwrites the same files.' }),
  }),
  /** `expand.exe -F:* <msu folder>\<LCU>.cab <source folder>`: the folder DISM /Source reads. */
  'expand-cab': kind({
    params: () => Source.extend({ build: z.number().int().min(10240).max(99999) }).strict(),
    build: (p, env) => ({
      name: 'repair.expand',
      file: 'expand.exe',
      args: [
        '-F:*',
        join(msuDir(env, p.kb, p.arch), innerCabName(p.kb, p.arch, p.build)),
        expandedSource(env, p.kb, p.arch),
      ],
      timeoutMs: 2 * HOUR,
      outputEncoding: 'console',
    }),
    recheck: async () => ({ kind: 'rerun', note: 'expanding again overwrites the same files.' }),
  }),
  /**
   * A RunOnce entry that starts the app after sign-in to continue this journal (real PCs only). The value is
   * this copy's own resume command (`env.resumeCommand`: the CLI's, or the Electron app's from
   * main/app/resume-args.ts); the step's `command` only records it, and a journal naming any other is refused.
   */
  'schedule-resume': kind({
    params: () => z.object({ command: z.array(z.string().max(500)).min(1).max(12) }).strict(),
    build: (p, env) => {
      const own = env.resumeCommand
      if (!own)
        throw new Error(
          'This step registers a resume entry, but this copy of Servicing Desk has no resume command here.',
        )
      if (own.length !== p.command.length || own.some((a, i) => a !== p.command[i]))
        throw new Error(
          "This step names a resume command that is not this copy's own; run the repair again from here (a new plan).",
        )
      const value = own.map((a) => (/[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)).join(' ')
      return {
        name: 'install.schedule-resume',
        file: 'reg.exe',
        args: [
          'add',
          'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce',
          '/v',
          'ServicingDeskRepair',
          '/t',
          'REG_SZ',
          '/d',
          value,
          '/f',
        ],
        timeoutMs: MIN,
        outputEncoding: 'console',
      }
    },
    recheck: async () => ({ kind: 'rerun', note: 'reg add /f writes the same value again.' }),
  }),
  /** `shutdown.exe /r /t N`. Interrupted (the PC restarted under it): done when nothing waits for a restart. */
  restart: kind({
    params: () => z.object({ delaySeconds: z.number().int().min(0).max(315_360_000) }).strict(),
    build: (p) => ({
      name: 'install.restart',
      file: 'shutdown.exe',
      args: ['/r', '/t', String(p.delaySeconds)],
      timeoutMs: 10 * MIN,
      outputEncoding: 'console',
    }),
    recheck: async (_p, ctx) => {
      const snap = await ctx.scan().catch(() => null)
      const left = snap ? restartStillNeeded(snap) : 'the machine could not be scanned'
      return left === null
        ? {
            kind: 'done',
            note: 'Re-checked after the restart: nothing waits for a restart any more, so the restart took place; not run again.',
          }
        : { kind: 'rerun', note: `${left}, so the restart is asked for again.` }
    },
  }),
  /**
   * The EFI system partition mounted at a drive letter for the move (`mountvol X: /s`, Microsoft's documented
   * way in "We couldn't update system reserved partition"). Interrupted: done when the ESP's BCD is visible at
   * that letter.
   */
  'esp-mount': kind({
    params: () => z.object({ letter: ESP_LETTER }).strict(),
    build: (p) => ({
      name: 'repair.esp-mount',
      file: 'mountvol.exe',
      args: [`${p.letter}:`, '/s'],
      timeoutMs: MIN,
      outputEncoding: 'console',
    }),
    recheck: async (p, ctx) =>
      (await ctx.host.exists(espBcd(p.letter)))
        ? { kind: 'done', note: `the EFI partition is mounted at ${p.letter}: already.` }
        : { kind: 'rerun', note: `the EFI partition is not mounted at ${p.letter}:, so it is mounted again.` },
  }),
  /**
   * Moves one top-level folder that is not Windows' (never \EFI\Microsoft or \EFI\Boot) from the mounted ESP to
   * `<dataDir>\esp-moved\<folder>` with robocopy /MOVE: nothing is deleted, the folder can be moved back.
   * Exit codes below 8 are robocopy's successes. Interrupted: /MOVE again moves what is left.
   */
  'esp-move-folder': kind({
    params: () => z.object({ letter: ESP_LETTER, folder: ESP_FOREIGN_FOLDER }).strict(),
    build: (p, env) => ({
      name: 'repair.esp-move',
      file: 'robocopy.exe',
      args: [`${p.letter}:\\EFI\\${p.folder}`, espMovedDir(env, p.folder), '/E', '/MOVE', '/COPY:DAT', '/R:1', '/W:1'],
      timeoutMs: 30 * MIN,
      outputEncoding: 'console',
    }),
    successExitCodes: [0, 1, 2, 3],
    recheck: async () => ({
      kind: 'rerun',
      note: 'robocopy /MOVE moves what is still there (moved files are not copied twice).',
    }),
  }),
  /** `mountvol X: /d`: removes the drive letter again. Interrupted: done when the ESP is no longer visible there. */
  'esp-unmount': kind({
    params: () => z.object({ letter: ESP_LETTER }).strict(),
    build: (p) => ({
      name: 'repair.esp-unmount',
      file: 'mountvol.exe',
      args: [`${p.letter}:`, '/d'],
      timeoutMs: MIN,
      outputEncoding: 'console',
    }),
    recheck: async (p, ctx) =>
      (await ctx.host.exists(espBcd(p.letter)))
        ? { kind: 'rerun', note: `the EFI partition is still mounted at ${p.letter}:.` }
        : { kind: 'done', note: `the EFI partition is no longer mounted at ${p.letter}:.` },
  }),
} as const

export type StepKindName = keyof typeof STEP_KINDS

export function kindOf(name: string): KindDef<unknown> {
  // Own keys only: '__proto__' or 'constructor' from a journal must not reach Object.prototype.
  const k = Object.hasOwn(STEP_KINDS, name) ? (STEP_KINDS as Record<string, KindDef<unknown>>)[name] : undefined
  if (!k) throw new Error(`Unknown repair step kind '${name}': only ${Object.keys(STEP_KINDS).join(', ')} exist.`)
  return k
}

/** The step's params, parsed by its kind (throws with the reason for anything else). */
export function paramsOf(s: RepairStepIntent): unknown {
  const k = kindOf(s.kind)
  const r = k.params.safeParse(s.params)
  if (!r.success)
    throw new Error(
      `Step ${s.id} (${s.kind}) has invalid params: ${r.error.issues
        .slice(0, 2)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}.`,
    )
  return r.data
}

/** The command of a host step, built now from the intent; null for a step that runs in the app. */
export function commandOf(s: RepairStepIntent, env: RepairEnv): CommandSpec | null {
  const k = kindOf(s.kind)
  const p = paramsOf(s)
  if (!k.build) return null
  return builtCommand(k, p, env)
}

/**
 * The command a step kind builds from these params, for a script that runs the same command outside a repair (the
 * fleet's remediations): the params are checked by the kind's own schema, and a kind that runs in the app is refused,
 * so no caller has to dress a plain call up as a repair step.
 */
export function commandOfKind(name: StepKindName, params: unknown, env: RepairEnv): CommandSpec {
  const k = kindOf(name)
  if (!k.build) throw new Error(`The repair step kind '${name}' runs in the app: it has no command.`)
  return builtCommand(k, paramsOf({ id: name, kind: name, params } as RepairStepIntent), env)
}

function builtCommand(k: KindDef<unknown>, p: unknown, env: RepairEnv): CommandSpec {
  const spec = k.build!(p, env)
  // Paths of the data folder named as the machine names them (a training machine's C:\ProgramData\ServicingDesk).
  return {
    ...spec,
    args: env.pcArg ? spec.args.map(env.pcArg) : spec.args,
    successExitCodes: k.successExitCodes ?? [0],
  }
}

/** How the step reads for a person: the exact command line, or what the app does itself. */
export function commandLineOf(s: RepairStepIntent, env: RepairEnv): string {
  const spec = commandOf(s, env)
  // A PowerShell step reads as its script (the argv carries it base64-encoded, -EncodedCommand).
  const script = spec && spec.file === 'powershell.exe' ? decodePowerShellScript(spec.args) : null
  if (script !== null) return copyableCommand(`powershell.exe -NoProfile -Command { ${script.split('\n').join('; ')} }`)
  if (spec) return copyableCommand(renderCommandLine(spec.file, spec.args))
  const k = kindOf(s.kind)
  return `(in the app) ${k.describeLocal?.(paramsOf(s), env) ?? s.title}`
}
