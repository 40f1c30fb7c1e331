/**
 * Training answers for installation commands: `DISM /Online|/Image:<dir> /Add-Package`, `/Mount-Image`,
 * `/Unmount-Image`, `/Image:<dir> /Get-Packages`, `wusa.exe` and a restart (`shutdown /r`).
 *
 * Console text follows real DISM captures: header, `Image Version:`, `Processing 1 of 1 - Adding package
 * <identity>`, the 58-column progress bar with its centred percentage (WOA-Project/guides#8 at 69.0%,
 * MicrosoftDocs/WSL#368 at 20.0%), and on failure `An error occurred - Package_for_RollupFix Error: 0x…`,
 * the Win32 decimal when the facility is Win32, the message and the log path
 * (adavak/Win_ISO_Patching_Scripts#37). The exit code is the failure's HRESULT, 3010 when a restart is
 * needed (servicing-facts §2). The checkpoint rule is the model's: a cumulative update whose checkpoint
 * (KB5043080, 26100.1742) is absent fails with 0x800F0922 (learn.microsoft.com catalog-checkpoint-
 * cumulative-updates); DISM given the target MSU discovers the checkpoint MSUs in the same folder (S19/S20).
 * Package files are read from this computer's disk: the kit folder stands in for the PC's.
 */
import { foldersOf } from './wu-components.ts'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { TrainingCommand, TrainingCommandOutcome } from '../command.ts'
import type { TrainingFault, TrainingPackage, TrainingState } from '../state.ts'
import { GPT, restartMachine, restartPending } from '../state.ts'
import { trainingLogs } from '../logs/index.ts'
import { knownUpdate, branchForBuild, type KnownUpdate } from '../../knowledge/servicing-chains.ts'
import { nameOfCode } from '../../knowledge/error-codes.ts'
import { renderDismGetPackages } from './packages.ts'
import { parseCatalogFileName } from '../../catalog/file-name.ts'
import { applyOnlineWinreUpdate } from './winre.ts'

export const CBS_LOG_PATH = 'C:\\Windows\\Logs\\CBS\\CBS.log'
const DISM_LOG = 'C:\\WINDOWS\\Logs\\DISM\\dism.log'
const BAR_WIDTH = 58
const E_FILE_NOT_FOUND = 0x80070002
const CBS_E_NOT_APPLICABLE = 0x800f081e
const CBS_E_INSTALLERS_FAILED = 0x800f0922
const ERROR_SUCCESS_REBOOT_REQUIRED = 3010
const WU_S_ALREADY_INSTALLED = 0x00240006
const WU_E_NOT_APPLICABLE = 0x80240017

/** A DISM progress bar line: 58 columns, `=` up to the fraction, the percentage centred over it. */
export function dismProgressBar(percent: number): string {
  const p = Math.max(0, Math.min(100, percent))
  const label = `${p.toFixed(1)}%`
  const filled = Math.floor((p / 100) * BAR_WIDTH)
  const cells: string[] = Array.from({ length: BAR_WIDTH }, (_, i) => (i < filled ? '=' : ' '))
  const start = Math.ceil((BAR_WIDTH - label.length) / 2)
  for (let i = 0; i < label.length; i++) cells[start + i] = label[i]
  return `[${cells.join('')}]`
}

const PROGRESS_STEPS = [0, 10.2, 24.6, 38.1, 51.7, 63.9, 77.4, 89.0, 100]

// ---- the package a file holds ---------------------------------------------------------------------

interface PackageFile {
  path: string
  kb: string
  /** Identity word: amd64, arm64, x86. */
  arch: string
  update: KnownUpdate | null
}

/** Reads KB and architecture from an MSU/CAB name (`windows11.0-kb5043080-arm64_<sha1>.msu`). */
function packageFile(path: string): PackageFile | null {
  const f = parseCatalogFileName(basename(path.replace(/\\/g, '/')))
  if (!f.kb || (f.extension !== 'msu' && f.extension !== 'cab')) return null
  const word = f.arch === 'x64' ? 'amd64' : (f.arch ?? 'neutral')
  return { path, kb: f.kb, arch: word, update: knownUpdate(f.kb) }
}

function identityOf(f: PackageFile, base: number): string {
  // RollupFix identities end in `.1.10` for the checkpoint (S42); later revisions vary, so one is used.
  if (f.update && f.update.kind === 'lcu')
    return `Package_for_RollupFix~31bf3856ad364e35~${f.arch}~~${f.update.baseBuild}.${f.update.ubr}.1.10`
  if (f.update && f.update.kind === 'ssu')
    return `Package_for_ServicingStack_${f.update.ubr}~31bf3856ad364e35~${f.arch}~~${f.update.baseBuild}.${f.update.ubr}.1.2`
  return `Package_for_${f.kb}~31bf3856ad364e35~${f.arch}~~${base}.1.0.0`
}

// ---- the image being serviced: the PC itself or a mounted offline image ----------------------------

/** A mounted (or committed) offline image as the training machine keeps it in its `files` map. */
export interface TrainingImage {
  build: number
  ubr: number
  arch: string
  packages: TrainingPackage[]
  /** The WIM it was mounted from, where /Commit writes it back. */
  wim: string | null
  /** Its edition ID (`Professional`, `ServerDatacenter`…); absent: the training PC's own. */
  edition?: string
}

const IMAGE_RECORD = 'Windows\\servicing\\training-image.json'
function imageRecordPath(mountDir: string): string {
  return `${mountDir.replace(/[\\/]+$/, '')}\\${IMAGE_RECORD}`
}

function readImage(state: TrainingState, mountDir: string): TrainingImage | null {
  const raw = fileIn(state, imageRecordPath(mountDir))
  if (raw === null) return null
  try {
    return JSON.parse(raw) as TrainingImage
  } catch {
    return null
  }
}

function fileIn(state: TrainingState, path: string): string | null {
  const want = path.toLowerCase().replace(/\//g, '\\')
  for (const [p, c] of Object.entries(state.files)) if (p.toLowerCase().replace(/\//g, '\\') === want) return c
  return null
}

function setFile(state: TrainingState, path: string, content: string | null): void {
  const want = path.toLowerCase().replace(/\//g, '\\')
  for (const p of Object.keys(state.files)) if (p.toLowerCase().replace(/\//g, '\\') === want) delete state.files[p]
  if (content !== null) state.files[path] = content
}

/** The installed level of a package set: `Installed` counts, `Install Pending` does not (it needs the restart). */
function installedKbs(packages: TrainingPackage[]): Set<string> {
  return new Set(packages.filter((p) => p.state === 'Installed' && p.kb).map((p) => p.kb as string))
}

/** The build cumulative updates are made for: 26200 (25H2) is serviced on 26100, 22631 (23H2) on 22621 (servicing-chains.json branches). */
function servicingBase(build: number): number {
  return branchForBuild(build)?.servicingBase ?? build
}

function archWordOf(state: TrainingState): string {
  return state.os.nativeArch === 'x64' ? 'amd64' : state.os.nativeArch
}

// ---- argument reading --------------------------------------------------------------------------

function argValue(args: readonly string[], name: string): string | null {
  const prefix = `/${name}:`.toLowerCase()
  const a = args.find((x) => x.toLowerCase().startsWith(prefix))
  return a ? a.slice(prefix.length).replace(/^"|"$/g, '') : null
}
function hasArg(args: readonly string[], name: string): boolean {
  return args.some((x) => x.toLowerCase() === `/${name}`.toLowerCase())
}

// ---- console text ------------------------------------------------------------------------------

function header(version: string): string[] {
  return [
    '',
    'Deployment Image Servicing and Management tool',
    `Version: ${version}`,
    '',
    `Image Version: ${version}`,
    '',
  ]
}

function failureText(hresult: number, message: string, identity: string | null): string[] {
  const hex = `0x${(hresult >>> 0).toString(16).padStart(8, '0')}`
  const lines: string[] = []
  if (identity) lines.push(`An error occurred - ${identity.split('~')[0]} Error: ${hex}`, '')
  // DISM prints the Win32 decimal after an HRESULT of facility Win32 (0x8007xxxx), else the HRESULT again.
  const facility = ((hresult >>> 0) >>> 16) & 0x7ff
  lines.push(facility === 7 ? `Error: ${(hresult >>> 0) & 0xffff}` : `Error: ${hex}`, '', message, '')
  lines.push(`The DISM log file can be found at ${DISM_LOG}`, '')
  return lines
}

function cbsStamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
}

/** Appends CBS.log lines for a failed package, after the scenario's own CBS.log content. */
function appendCbsFailure(state: TrainingState, identity: string, hresult: number): void {
  const existing = fileIn(state, CBS_LOG_PATH) ?? trainingLogs[state.name]?.[CBS_LOG_PATH]?.() ?? ''
  const t = cbsStamp(new Date())
  const hex = `0x${(hresult >>> 0).toString(16).padStart(8, '0')}`
  const name = nameOfCode(`0x${(hresult >>> 0).toString(16).toUpperCase().padStart(8, '0')}`) ?? 'UNKNOWN'
  const row = (level: string, src: string, text: string) => `${t}, ${level.padEnd(21)} ${src.padEnd(6)} ${text}`
  const lines = [
    row(
      'Info',
      'CBS',
      `Exec: Processing started.  Client: DISM Package Manager Provider, Session: 31118712_${Date.now() % 100000000}, Package: ${identity}`,
    ),
  ]
  if (hresult >>> 0 === 0x80073712) {
    lines.push(
      row('Info', 'CSI', "00000e1a Hashes for file member [l:12]'ntoskrnl.exe' do not match."),
      row(
        'Error',
        'CSI',
        '00000e1b (F) STATUS_SXS_COMPONENT_STORE_CORRUPT #3418712# from CCSDirectTransaction::OperateEnding at index 0 of 1 operations, disposition 2[gle=0xd015001a]',
      ),
      row('Info', 'CBS', `Mark store corruption flag because of package: ${identity}. [HRESULT = ${hex} - ${name}]`),
    )
  }
  lines.push(
    row('Error', 'CBS', `Failed to execute package: ${identity} [HRESULT = ${hex} - ${name}]`),
    row(
      'Info',
      'CBS',
      `Exec: Processing complete.  Session: 31118712, Package: ${identity} [HRESULT = ${hex} - ${name}]`,
    ),
  )
  setFile(
    state,
    CBS_LOG_PATH,
    `${existing}${existing && !existing.endsWith('\n') ? '\r\n' : ''}${lines.join('\r\n')}\r\n`,
  )
}

// ---- the add-package model ---------------------------------------------------------------------

interface Target {
  kind: 'online' | 'image'
  build: number
  ubr: number
  arch: string
  packages: TrainingPackage[]
}

type AddOutcome =
  | { kind: 'added'; identity: string; file: PackageFile }
  | { kind: 'present'; identity: string }
  | { kind: 'failed'; identity: string | null; hresult: number; message: string }

/** The EFI system partition has less than the 15 MB free Microsoft asks for. */
function espFull(state: TrainingState): boolean {
  const p = state.disks.flatMap((d) => d.partitions).find((x) => x.gptType === GPT.efi)
  return !!p && p.sizeBytes - (p.usedBytes ?? 0) < 15 * 1024 * 1024
}

/** SoftwareDistribution's DataStore or Download, or catroot2 (the folders Windows uses, not renamed copies) is damaged. */
function wuFoldersDamaged(state: TrainingState): boolean {
  if (!state.wuFolders) return false
  const f = foldersOf(state)
  return ['SoftwareDistribution\\DataStore', 'SoftwareDistribution\\Download', 'System32\\catroot2'].some(
    (k) => f[k]?.damaged === true,
  )
}

function activeFault(state: TrainingState, command: string, kb: string): TrainingFault | null {
  for (const f of state.faults) {
    if (f.command !== command) continue
    if (f.kb && f.kb !== kb) continue
    if (f.until?.installedKb && installedKbs(state.packages).has(f.until.installedKb)) continue
    if (f.until?.times !== undefined && f.until.times <= 0) continue
    if (f.whileStoreCorrupt && !state.componentStore?.damaged.length) continue
    if (f.whileEspFull && !espFull(state)) continue
    if (f.whileWuFoldersDamaged && !wuFoldersDamaged(state)) continue
    if (f.whileRestartPending && !restartPending(state)) continue
    return f
  }
  return null
}

/** Decides one package against the target, as CBS would, given KBs added earlier in the same call. */
function addOne(
  state: TrainingState,
  target: Target,
  file: PackageFile,
  addedNow: Set<string>,
  faultCommand: string | null,
): AddOutcome {
  const identity = identityOf(file, servicingBase(target.build))
  if (file.arch !== 'neutral' && file.arch !== target.arch)
    return {
      kind: 'failed',
      identity: null,
      hresult: CBS_E_NOT_APPLICABLE,
      message: 'The specified package is not applicable to this image.',
    }
  const u = file.update
  const base = servicingBase(target.build)
  if (u && u.baseBuild !== base)
    return {
      kind: 'failed',
      identity: null,
      hresult: CBS_E_NOT_APPLICABLE,
      message: 'The specified package is not applicable to this image.',
    }
  if (target.packages.some((p) => p.identity.toLowerCase() === identity.toLowerCase()))
    return { kind: 'present', identity }
  if (u && u.kind === 'lcu' && u.ubr <= target.ubr)
    return {
      kind: 'failed',
      identity: null,
      hresult: CBS_E_NOT_APPLICABLE,
      message: 'The specified package is not applicable to this image.',
    }
  if (faultCommand) {
    const fault = activeFault(state, faultCommand, file.kb)
    if (fault && !(fault.until?.installedKb && addedNow.has(fault.until.installedKb))) {
      if (fault.until?.times !== undefined) fault.until.times -= 1
      return { kind: 'failed', identity, hresult: fault.hresult, message: fault.message }
    }
  }
  // A WinRE update (KB5034441) on the running PC rebuilds WinRE on the recovery partition: 250 MB free or 0x80070643.
  if (target.kind === 'online' && file.path.toLowerCase().endsWith('.msu')) {
    const winre = applyOnlineWinreUpdate(state, file.kb)
    if (winre?.kind === 'failed') return { kind: 'failed', identity, hresult: winre.hresult, message: winre.message }
  }
  // The model's checkpoint rule, for images and for machines without a scripted fault.
  if (u) {
    const installed = installedKbs(target.packages)
    for (const pre of u.prerequisites) {
      const cp = knownUpdate(pre)
      const have = installed.has(pre) || addedNow.has(pre) || (cp !== null && target.ubr >= cp.ubr)
      if (!have)
        return {
          kind: 'failed',
          identity,
          hresult: CBS_E_INSTALLERS_FAILED,
          message: `An error occurred applying the Unattend.xml file from the .msu package.\nFor more information, review the log file.`,
        }
    }
  }
  return { kind: 'added', identity, file }
}

/** The files DISM processes for a PackagePath: prior cumulative updates in the same folder, then the target (S19/S20). */
function discover(target: Target, file: PackageFile): PackageFile[] {
  const dir = dirname(file.path)
  const u = file.update
  if (u?.kind !== 'lcu') return [file]
  const others: PackageFile[] = []
  for (const name of safeReadDir(dir)) {
    const f = packageFile(join(dir, name))
    if (!f || f.kb === file.kb || !f.update || f.update.kind !== 'lcu' || f.arch !== file.arch) continue
    if (f.update.baseBuild !== u.baseBuild || f.update.ubr > u.ubr || f.update.ubr <= target.ubr) continue
    others.push(f)
  }
  return [...others.sort((a, b) => a.update!.ubr - b.update!.ubr), file]
}

function safeReadDir(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile())
  } catch {
    return []
  }
}

function fail(
  version: string,
  hresult: number,
  message: string,
  identity: string | null,
  progress: string[],
  state?: TrainingState,
): TrainingCommandOutcome {
  const lines = [...header(version)]
  return {
    exitCode: hresult | 0,
    stdout: [...lines, ...failureText(hresult, message, identity)].join('\r\n'),
    progress: progress.length ? [...lines.slice(0, -1), ...progress] : undefined,
    state,
  }
}

/** `DISM /Online|/Image:<dir> /Add-Package /PackagePath:<file>`. */
export const renderDismAddPackage: TrainingCommand = ({ state, spec }) => {
  const next: TrainingState = structuredClone(state)
  const mountDir = argValue(spec.args, 'Image')
  const online = hasArg(spec.args, 'Online')
  const image = mountDir ? readImage(next, mountDir) : null
  const version = `10.0.${next.os.currentBuild === 26200 ? 26100 : next.os.currentBuild}.${next.os.ubr}`
  if (!online && !mountDir) return fail(version, 0x80070057, 'The /Online or /Image option is required.', null, [])
  if (mountDir && !image)
    return fail(version, 0xc1420127, `The specified image in the mount directory is not mounted: ${mountDir}`, null, [])
  const path = argValue(spec.args, 'PackagePath')
  if (!path) return fail(version, 0x80070057, 'The /PackagePath option is missing.', null, [])
  if (!existsSync(path))
    return fail(
      version,
      E_FILE_NOT_FOUND,
      `An error occurred trying to open - ${path} Error: 0x80070002\n\nThe system cannot find the file specified.`,
      null,
      [],
    )
  const file = packageFile(path)
  if (!file) return fail(version, 0x800f082f, 'The package is not a Windows update package (.msu or .cab).', null, [])

  const target: Target = image
    ? { kind: 'image', build: image.build, ubr: image.ubr, arch: image.arch, packages: image.packages }
    : { kind: 'online', build: next.os.currentBuild, ubr: next.os.ubr, arch: archWordOf(next), packages: next.packages }
  const imageVersion = `10.0.${target.build}.${target.ubr}`
  const head = [
    '',
    'Deployment Image Servicing and Management tool',
    `Version: ${version}`,
    '',
    `Image Version: ${imageVersion}`,
    '',
  ]
  const files = discover(target, file)
  const stdout: string[] = [...head]
  const progress: string[] = [...head]
  const addedNow = new Set<string>()
  let restart = false
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  for (const [i, f] of files.entries()) {
    const outcome = addOne(next, target, f, addedNow, online ? 'install.dism-add-package' : null)
    if (outcome.kind === 'failed') {
      const line = outcome.identity
        ? `Processing ${i + 1} of ${files.length} - Adding package ${outcome.identity}`
        : null
      if (line) {
        stdout.push(line)
        progress.push(line, ...PROGRESS_STEPS.slice(0, 5).map(dismProgressBar))
      }
      const text = failureText(outcome.hresult, outcome.message, outcome.identity)
      const body = outcome.identity
        ? text
        : [
            `Error: 0x${(outcome.hresult >>> 0).toString(16).padStart(8, '0')}`,
            '',
            outcome.message,
            '',
            `The DISM log file can be found at ${DISM_LOG}`,
            '',
          ]
      if (outcome.identity) stdout.push(dismProgressBar(PROGRESS_STEPS[4]))
      // A failed package leaves nothing half-added: CBS rolls the whole call back; only the logs and history keep it.
      const keep: TrainingState = structuredClone(state)
      keep.faults = next.faults
      if (online && outcome.identity) appendCbsFailure(keep, outcome.identity, outcome.hresult)
      if (online)
        keep.history.unshift({
          title: titleOf(f),
          date: now,
          operation: 'install',
          resultCode: 4,
          hresult: outcome.hresult | 0,
        })
      return {
        exitCode: outcome.hresult | 0,
        stdout: [...stdout, ...body].join('\r\n'),
        progress: [...progress, ...body],
        state: online ? keep : undefined,
      }
    }
    if (outcome.kind === 'present') continue
    const line = `Processing ${i + 1} of ${files.length} - Adding package ${outcome.identity}`
    stdout.push(line, dismProgressBar(100))
    progress.push(line, ...PROGRESS_STEPS.map(dismProgressBar))
    addedNow.add(f.kb)
    const pkg: TrainingPackage = {
      identity: outcome.identity,
      state: online ? 'Install Pending' : 'Installed',
      releaseType: f.update?.kind === 'lcu' ? 'Security Update' : 'Update',
      installTime: now,
      kb: f.kb,
    }
    if (online) {
      next.packages.push(pkg)
      next.pendingOnRestart.push({
        kind: 'complete-package',
        identity: pkg.identity,
        kb: f.kb,
        sets: f.update?.kind === 'lcu' ? { ubr: f.update.ubr } : undefined,
      })
      next.pendingOnRestart.push({
        kind: 'history',
        entry: { title: titleOf(f), date: now, operation: 'install', resultCode: 2, hresult: 0 },
      })
      next.reboot.cbsRebootPending = true
      next.reboot.cbsPackagesPending = true
      restart = true
    } else if (image) {
      image.packages.push(pkg)
      if (f.update?.kind === 'lcu' && f.update.ubr > image.ubr) {
        image.ubr = f.update.ubr
        target.ubr = f.update.ubr
      }
    }
  }
  if (image && mountDir) setFile(next, imageRecordPath(mountDir), JSON.stringify(image))
  const done = [
    'The operation completed successfully.',
    ...(restart ? ['Restart Windows to complete this operation.'] : []),
    '',
  ]
  return {
    exitCode: restart ? ERROR_SUCCESS_REBOOT_REQUIRED : 0,
    stdout: [...stdout, ...done].join('\r\n'),
    progress: [...progress, ...done],
    state: next,
  }
}

function titleOf(f: PackageFile): string {
  return f.update ? `${f.update.title} (${f.kb})` : `Update for Windows (${f.kb})`
}

/** `wusa.exe <file> /quiet /norestart`: silent; the result is the exit code (servicing-facts §2). */
export const renderWusa: TrainingCommand = (ctx) => {
  const path = ctx.spec.args.find((a) => !a.startsWith('/')) ?? ''
  const file = packageFile(path)
  if (!file || !existsSync(path)) return { exitCode: E_FILE_NOT_FOUND | 0, stdout: '' }
  const identity = identityOf(file, servicingBase(ctx.state.os.currentBuild))
  if (ctx.state.packages.some((p) => p.identity === identity)) return { exitCode: WU_S_ALREADY_INSTALLED, stdout: '' }
  const r = renderDismAddPackage({
    ...ctx,
    spec: { ...ctx.spec, args: ['/Online', '/Add-Package', `/PackagePath:${path}`, '/NoRestart'] },
  }) as TrainingCommandOutcome
  const code = r.exitCode === (CBS_E_NOT_APPLICABLE | 0) ? WU_E_NOT_APPLICABLE | 0 : r.exitCode
  return { exitCode: code, stdout: '', state: r.state }
}

/** `DISM /Mount-Image /ImageFile:<wim> /Index:<n> /MountDir:<dir>`. */
export const renderDismMountImage: TrainingCommand = ({ state, spec }) => {
  const next = structuredClone(state)
  const version = `10.0.${state.os.currentBuild}.${state.os.ubr}`
  const wim = argValue(spec.args, 'ImageFile')
  const dir = argValue(spec.args, 'MountDir')
  if (!wim || !dir) return fail(version, 0x80070057, 'The /ImageFile and /MountDir options are required.', null, [])
  if (readImage(next, dir))
    return fail(version, 0xc1420127, 'The specified image is already mounted at this mount directory.', null, [])
  const image = { ...wimImage(next, wim), wim }
  setFile(next, imageRecordPath(dir), JSON.stringify(image))
  const head = ['', 'Deployment Image Servicing and Management tool', `Version: ${version}`, '', 'Mounting image']
  const done = ['The operation completed successfully.', '']
  return {
    exitCode: 0,
    stdout: [...head, dismProgressBar(100), ...done].join('\r\n'),
    progress: [...head, ...PROGRESS_STEPS.map(dismProgressBar), ...done],
    state: next,
  }
}

/**
 * The servicing state of a WIM. A WIM the machine has not seen yet is its install media: a copy of the
 * machine's servicing base at its oldest installed cumulative update (a training assumption).
 */
function wimImage(state: TrainingState, wim: string): TrainingImage {
  const raw = fileIn(state, wim)
  if (raw) {
    try {
      return JSON.parse(raw) as TrainingImage
    } catch {
      /* fall through */
    }
  }
  const lcus = state.packages.filter((p) => /^Package_for_RollupFix~/i.test(p.identity) && p.state === 'Installed')
  const ubrOf = (id: string) => Number(/~~\d+\.(\d+)\./.exec(id)?.[1] ?? 0)
  const oldest = lcus.sort((a, b) => ubrOf(a.identity) - ubrOf(b.identity))[0]
  const ubr = oldest ? ubrOf(oldest.identity) : state.os.ubr
  const packages = state.packages.filter(
    (p) => p.state === 'Installed' && (!/^Package_for_RollupFix~/i.test(p.identity) || p === oldest),
  )
  return { build: state.os.currentBuild, ubr, arch: archWordOf(state), packages: structuredClone(packages), wim }
}

/** `DISM /Unmount-Image /MountDir:<dir> /Commit|/Discard`. */
export const renderDismUnmountImage: TrainingCommand = ({ state, spec }) => {
  const next = structuredClone(state)
  const version = `10.0.${state.os.currentBuild}.${state.os.ubr}`
  const dir = argValue(spec.args, 'MountDir')
  const image = dir ? readImage(next, dir) : null
  if (!dir || !image) return fail(version, 0xc1420127, `The specified image is not mounted: ${dir ?? ''}`, null, [])
  const wim = image.wim
  if (hasArg(spec.args, 'Commit') && wim) setFile(next, wim, JSON.stringify(image))
  setFile(next, imageRecordPath(dir), null)
  const head = [
    '',
    'Deployment Image Servicing and Management tool',
    `Version: ${version}`,
    '',
    `Image File : ${wim ?? ''}`,
    'Image Index : 1',
    hasArg(spec.args, 'Commit') ? 'Saving image' : 'Unmounting image',
  ]
  const done = ['The operation completed successfully.', '']
  return {
    exitCode: 0,
    stdout: [...head, dismProgressBar(100), ...done].join('\r\n'),
    progress: [...head, ...PROGRESS_STEPS.map(dismProgressBar), ...done],
    state: next,
  }
}

/** `DISM /Image:<dir> /Get-Packages`: the packages of a mounted image, in the same list format as online. */
export const renderDismImageGetPackages: TrainingCommand = (ctx) => {
  const dir = argValue(ctx.spec.args, 'Image')
  const image = dir ? readImage(ctx.state, dir) : null
  const version = `10.0.${ctx.state.os.currentBuild}.${ctx.state.os.ubr}`
  if (!image) return fail(version, 0xc1420127, `The specified image is not mounted: ${dir ?? ''}`, null, [])
  const view: TrainingState = {
    ...ctx.state,
    os: { ...ctx.state.os, currentBuild: image.build, ubr: image.ubr },
    packages: image.packages,
  }
  return renderDismGetPackages({ ...ctx, state: view })
}

/**
 * `DISM /Image:<dir> /Get-CurrentEdition`: the mounted image's edition ID, in DISM's documented layout (the
 * "Current Edition : Professional" line of Microsoft's OEM deployment lab, after DISM's usual header).
 */
export const renderDismImageGetEdition: TrainingCommand = ({ state, spec }) => {
  const dir = argValue(spec.args, 'Image')
  const image = dir ? readImage(state, dir) : null
  const version = `10.0.${state.os.currentBuild}.${state.os.ubr}`
  if (!image) return fail(version, 0xc1420127, `The specified image is not mounted: ${dir ?? ''}`, null, [])
  const lines = [
    '',
    'Deployment Image Servicing and Management tool',
    `Version: ${version}`,
    '',
    `Image Version: 10.0.${image.build}.${image.ubr}`,
    '',
    'Current edition is:',
    '',
    `Current Edition : ${image.edition ?? state.os.editionId}`,
    '',
    'The operation completed successfully.',
    '',
  ]
  return { exitCode: 0, stdout: lines.join('\r\n') }
}

/** `shutdown.exe /r /t 0`: a training machine restarts at once (pending package work completes). */
export const renderRestart: TrainingCommand = ({ state }) => ({ exitCode: 0, stdout: '', state: restartMachine(state) })

/**
 * `DISM /Get-WimInfo /WimFile:<wim> /Index:<n>`: the committed image's version and ServicePack Build
 * (field layout of DISM's image details, learn.microsoft.com dism-image-management-command-line-options).
 */
export const renderDismGetWimInfo: TrainingCommand = ({ state, spec }) => {
  const version = `10.0.${state.os.currentBuild}.${state.os.ubr}`
  const wim = argValue(spec.args, 'WimFile')
  if (!wim) return fail(version, 0x80070057, 'The /WimFile option is required.', null, [])
  const image = wimImage(state, wim)
  const arch = image.arch === 'amd64' ? 'x64' : image.arch
  const lines = [
    '',
    'Deployment Image Servicing and Management tool',
    `Version: ${version}`,
    '',
    `Details for image : ${wim}`,
    '',
    `Index : ${argValue(spec.args, 'Index') ?? '1'}`,
    `Name : ${state.os.productName}`,
    `Description : ${state.os.productName}`,
    'WIM Bootable : No',
    `Architecture : ${arch}`,
    'Hal : <undefined>',
    `Version : 10.0.${image.build}`,
    `ServicePack Build : ${image.ubr}`,
    'ServicePack Level : 0',
    `Edition : ${image.edition ?? state.os.editionId}`,
    `Installation : ${state.os.installationType}`,
    'ProductType : WinNT',
    'System Root : WINDOWS',
    'Languages :',
    '        en-US (Default)',
    '',
    'The operation completed successfully.',
    '',
  ]
  return { exitCode: 0, stdout: lines.join('\r\n') }
}
