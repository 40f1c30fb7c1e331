/**
 * The media update plan in the order of Microsoft's "Update Windows installation media with
 * Dynamic Update" [S21]: WinRE first (its Safe OS DU, cleanup, export — the LCU does not service WinRE
 * [S19][S21]), then boot.wim both indexes, then install.wim index by index (checkpoints in order, the
 * cumulative update, .NET, the refreshed winre.wim put back, cleanup, export), then the Setup DU expanded into
 * `sources`. A FAT32 medium gets `/Split-Image` to .swm files under 4 GB. Checkpoints an image is already at or
 * past are left out (applying 26100.1742 to a newer boot.wim fails with 0x80073712 [S42]).
 *
 * Steps are INTENT (kind, image, index, package): data that names what to do. `stepCommand` is the one place
 * that derives each exact DISM / robocopy / expand argv from a step and the work folder.
 */
import { copyableCommand } from '../host/system-tools.ts'
import { checkpointChain, knownUpdate } from '../knowledge/servicing-chains.ts'
import { safeOsForMonth } from '../knowledge/winre-targets.ts'
import {
  setupDuByKb,
  setupDuFor,
  setupDuForMonthOrEarlier,
  setupDuDayUnknown,
  type SetupDu,
  setupDuGapReason,
  setupDuSources,
} from '../knowledge/setup-dus.ts'
import type { MediumScan } from './read.ts'
import type { MediumSource } from './read.ts'
import type { MediumArch } from './training/media.ts'
import type { MediaRunStep } from '../../preload/model/media.ts'

export type ImageRef = 'winre' | 'boot' | 'install'

export interface PackageRef {
  kb: string
  arch: MediumArch
  role: 'checkpoint' | 'lcu' | 'safe-os' | 'setup-du'
}

export type MediaStep =
  | { kind: 'cleanup-mountpoints' }
  | { kind: 'join-swm'; index: number }
  | { kind: 'mount'; image: ImageRef; index: number; readOnly?: boolean }
  | { kind: 'extract-winre'; index: number }
  | { kind: 'unmount-discard'; image: ImageRef; index: number }
  | { kind: 'add-package'; image: ImageRef; index: number; package: PackageRef }
  | { kind: 'cleanup-image'; image: ImageRef; index: number; resetBase: boolean }
  | { kind: 'copy-winre'; index: number }
  | { kind: 'unmount-commit'; image: ImageRef; index: number }
  | { kind: 'export'; image: ImageRef; index: number }
  | { kind: 'expand-setup-du'; package: PackageRef }
  | { kind: 'split-image'; maxMb: number }

export interface MediaPlan {
  medium: string
  arch: MediumArch
  targetKb: string
  /** The Setup Dynamic Update the plan expands into `sources` (named with --setup-du, else the knowledge's one for the
   * cumulative update's branch and month), or null when none is named or known. */
  setupDu: string | null
  /** Every step the run takes, in order: the copy into the work folder and the write-back included. */
  steps: MediaRunStep[]
  /** Each step's exact command lines, one per line (display only; the runner rebuilds argv from the step). */
  commands: string[]
  space: { neededBytes: number; freeBytes: number | null; enough: boolean | null }
  notes: string[]
}

export class MediaPlanError extends Error {}

/** FAT32's largest file is 4 GiB - 1 byte; split pieces stay under 4,000 MB (3,800 leaves room). */
export const FAT32_MAX_FILE = 4 * 1024 ** 3 - 1
const SPLIT_MB = 3800
const GB = 1024 ** 3

/** Where the app keeps the packages it fetched and verified, when no data folder is named (the commands shown). */
export const DEFAULT_KITS = 'C:\\ProgramData\\ServicingDesk\\kits\\media'
/**
 * Where every media update works, one folder per run below it (`media-<id>`): ProgramData's tree the one writer checks
 * (main/media/work-guard.ts), never a folder at a drive's root, which Authenticated Users may create and modify.
 */
export const MEDIA_WORK_ROOT = 'C:\\ProgramData\\ServicingDesk\\work'

/** The sentence that a Setup DU's day is unknown (and why), after its source; empty when a source dates it. */
function dayUnknown(du: SetupDu): string {
  const s = setupDuDayUnknown(du)
  return s ? ` ${s}` : ''
}

export function planMediaUpdate(
  scan: MediumScan,
  src: Pick<
    MediumSource,
    'root' | 'fileSystem' | 'workFreeBytes' | 'installFileBytes' | 'bootFileBytes' | 'staleMountBytes' | 'swmParts'
  >,
  opts: { kb: string; arch?: string; setupDu?: string; kits?: string },
): MediaPlan {
  const lcu = knownUpdate(opts.kb)
  if (lcu?.kind !== 'lcu')
    throw new MediaPlanError(`${opts.kb} is not a cumulative update in the knowledge; name one \`knowledge\` lists.`)
  if (!scan.arch)
    throw new MediaPlanError(
      `The architecture of ${scan.name} could not be read${scan.warnings.length ? `: ${scan.warnings.join(' ')}` : '.'}`,
    )
  if (opts.arch && opts.arch.toLowerCase() !== scan.arch)
    throw new MediaPlanError(
      `${scan.name} is ${scan.arch}; --arch ${opts.arch} does not match it (packages are chosen for the medium's architecture).`,
    )
  const arch = scan.arch
  if (scan.branchId && !lcu.branchIds.includes(scan.branchId))
    throw new MediaPlanError(`${lcu.kb} is for ${lcu.branchIds.join(', ')}; ${scan.name} is ${scan.branchId}.`)
  const notes: string[] = []
  const steps: MediaStep[] = []
  if (scan.staleMounts.length > 0) {
    steps.push({ kind: 'cleanup-mountpoints' })
    notes.push(
      `A mount was left behind (${scan.staleMounts.join(', ')}); DISM /Cleanup-Mountpoints runs first, after asking.`,
    )
  }
  const pkg = (kb: string, role: PackageRef['role']): PackageRef => ({ kb, arch, role })
  const chain = checkpointChain(lcu.kb)
  const layer = (image: ImageRef, index: number) => scan.layers.find((l) => l.layer === image && l.index === index)
  const updateSteps = (image: 'boot' | 'install', index: number) => {
    const ubr = layer(image, index)?.ubr ?? null
    for (const cp of chain) {
      if (ubr !== null && ubr >= cp.ubr) continue
      steps.push({ kind: 'add-package', image, index, package: pkg(cp.kb, 'checkpoint') })
    }
    steps.push({ kind: 'add-package', image, index, package: pkg(lcu.kb, 'lcu') })
  }
  const installIdx = scan.layers.filter((l) => l.layer === 'install').map((l) => l.index as number)
  const bootIdx = scan.layers.filter((l) => l.layer === 'boot').map((l) => l.index as number)
  // 0. A split medium (install.swm parts, written by an earlier update of a FAT32 stick): no install.wim to mount.
  // Each index is joined back into one install.wim in the work folder first, and every install step uses that.
  const swmBytes = src.swmParts ? src.swmParts.reduce((n, p) => n + p, 0) : null
  if (swmBytes !== null) {
    for (const n of installIdx) steps.push({ kind: 'join-swm', index: n })
    notes.push(
      `${scan.name} holds install.swm parts (${src.swmParts!.length}); they are joined into one install.wim in the work folder first, and the update writes fresh .swm parts back.`,
    )
  }
  const installBytes = swmBytes ?? src.installFileBytes ?? 0
  // 1. WinRE: serviced once (from the first install.wim index) and put back into every index.
  // The Safe OS Dynamic Update of the cumulative update's month, or the most recent one not newer (Microsoft's "Update
  // Windows media with Dynamic Update"): a March medium does not get May's WinRE.
  const lcuMonth = lcu.released.slice(0, 7)
  const safeOsPick = scan.branchId ? safeOsForMonth(scan.branchId, lcuMonth) : null
  const safeOs = safeOsPick?.update ?? null
  if (safeOsPick) {
    notes.push(
      safeOsPick.exact
        ? `Safe OS Dynamic Update ${safeOs!.kb} (${safeOs!.released.slice(0, 7)}) goes with ${lcu.kb} (${lcuMonth}).`
        : `No Safe OS Dynamic Update is known for ${lcuMonth}; ${safeOs!.kb} (${safeOs!.released.slice(0, 7)}) is the most recent one not newer than ${lcu.kb}, as Microsoft's "Update Windows media with Dynamic Update" asks.`,
    )
  }
  if (installIdx.length > 0) {
    const first = installIdx[0]
    // winre.wim is taken out of install.wim's first index (mounted read-only, then discarded) into the work folder.
    steps.push(
      { kind: 'mount', image: 'install', index: first, readOnly: true },
      { kind: 'extract-winre', index: first },
      { kind: 'unmount-discard', image: 'install', index: first },
    )
    steps.push({ kind: 'mount', image: 'winre', index: first })
    if (safeOs) steps.push({ kind: 'add-package', image: 'winre', index: first, package: pkg(safeOs.kb, 'safe-os') })
    else
      notes.push(
        `No Safe OS Dynamic Update is known for this branch in ${lcuMonth} or before; WinRE is cleaned up and put back unchanged.`,
      )
    notes.push(
      'No separate servicing stack update is listed: since Windows 11 24H2 the SSU ships inside the cumulative update (servicing-facts §3).',
    )
    steps.push(
      { kind: 'cleanup-image', image: 'winre', index: first, resetBase: true },
      { kind: 'unmount-commit', image: 'winre', index: first },
      { kind: 'export', image: 'winre', index: first },
    )
  }
  // 2. boot.wim, both indexes.
  for (const n of bootIdx) {
    steps.push({ kind: 'mount', image: 'boot', index: n })
    updateSteps('boot', n)
    steps.push(
      { kind: 'cleanup-image', image: 'boot', index: n, resetBase: true },
      { kind: 'unmount-commit', image: 'boot', index: n },
      { kind: 'export', image: 'boot', index: n },
    )
  }
  // 3. install.wim, index by index.
  for (const n of installIdx) {
    steps.push({ kind: 'mount', image: 'install', index: n })
    updateSteps('install', n)
    steps.push(
      { kind: 'copy-winre', index: n },
      { kind: 'cleanup-image', image: 'install', index: n, resetBase: false },
      { kind: 'unmount-commit', image: 'install', index: n },
      { kind: 'export', image: 'install', index: n },
    )
  }
  notes.push(
    'No .NET cumulative update is in the knowledge for this branch yet; the .NET step is left out, not guessed.',
  )
  // 4. The Setup DU, expanded into the medium's `sources` (`expand <cab> -F:* <media>\\sources`, [S21]): the one the
  // technician names, else the knowledge's Setup DU of the branch for the cumulative update's month (setup-dus.json).
  let setupDu: string | null = null
  if (opts.setupDu) {
    if (!/^KB\d{6,8}$/i.test(opts.setupDu))
      throw new MediaPlanError(`--setup-du ${opts.setupDu} is not a KB number (KB followed by digits).`)
    setupDu = opts.setupDu.toUpperCase()
    const known = setupDuByKb(setupDu)
    if (known && scan.branchId && !known.branchIds.includes(scan.branchId))
      throw new MediaPlanError(
        `${setupDu} is the Setup Dynamic Update for ${known.branchIds.join(', ')}; ${scan.name} is ${scan.branchId}.`,
      )
  } else if (scan.branchId) {
    // The Setup DU of the cumulative update's month, or the most recent one not newer for this architecture.
    const month = lcu.released.slice(0, 7)
    const du = setupDuFor(scan.branchId, month)
    const pick = setupDuForMonthOrEarlier(scan.branchId, month, arch)
    if (pick?.exact) {
      setupDu = pick.du.kb
      notes.push(
        `Setup Dynamic Update ${pick.du.kb} (${pick.du.month}) goes with ${lcu.kb} (${month}): ${setupDuSources[pick.du.source] ?? pick.du.source}${dayUnknown(pick.du)}`,
      )
    } else if (pick) {
      setupDu = pick.du.kb
      const why = du
        ? `${du.kb} is the Setup Dynamic Update of ${month}, but no source lists it for ${arch}`
        : setupDuGapReason(scan.branchId, month).replace(/\.$/, '')
      notes.push(
        `${why}; ${pick.du.kb} (${pick.du.month}) is the most recent one not newer than ${lcu.kb}, as Microsoft's "Update Windows media with Dynamic Update" asks: ${setupDuSources[pick.du.source] ?? pick.du.source}${dayUnknown(pick.du)}`,
      )
    } else if (du)
      notes.push(
        `${du.kb} is the Setup Dynamic Update of ${month}, but no source lists it for ${arch}; \`sources\` is left as it is unless --setup-du KB names one.`,
      )
    else
      notes.push(
        `${setupDuGapReason(scan.branchId, month)} None earlier is known either; \`sources\` is left as it is unless --setup-du KB names one.`,
      )
  } else
    notes.push(
      'The branch of the medium is unknown, so no Setup Dynamic Update is chosen; `sources` is left as it is unless --setup-du KB names one.',
    )
  if (setupDu) steps.push({ kind: 'expand-setup-du', package: pkg(setupDu, 'setup-du') })
  // 5. FAT32: split the install.wim the update will write (the exported file grows with the LCU).
  // A medium that came split goes back split (its old parts are replaced by the new ones, none left over).
  const grown = installBytes + installIdx.length * 0.3 * GB
  if (swmBytes !== null || (src.fileSystem === 'FAT32' && grown > FAT32_MAX_FILE)) {
    steps.push({ kind: 'split-image', maxMb: SPLIT_MB })
    notes.push(
      `${scan.name} is ${src.fileSystem}: install.wim (${(installBytes / 1e9).toFixed(1)} GB now, about ${(grown / 1e9).toFixed(1)} GB after the update) goes back as install.swm pieces of at most ${SPLIT_MB} MB.`,
    )
  }
  // Work folder: a copy of both .wim files and their exports (2x), one mounted install.wim index expanded (an
  // install.wim index is 16.5-18.9 GB expanded in the captured `Size :` lines; 20 GB is taken), 2 GB scratch.
  const mountBytes = installIdx.length > 0 ? 20 * GB : 0
  // A split medium also holds the joined install.wim in the work folder (the parts stay in the copy until the split).
  const neededBytes = Math.round(2 * (installBytes + (src.bootFileBytes ?? 0)) + (swmBytes ?? 0) + mountBytes + 2 * GB)
  // A stale mount holds its expanded image in the work folder: /Cleanup-Mountpoints (step 1) gives that space back.
  const freed = scan.staleMounts.length > 0 ? (src.staleMountBytes ?? 0) : 0
  const free = src.workFreeBytes === null ? null : src.workFreeBytes + freed
  const space = { neededBytes, freeBytes: free, enough: free === null ? null : free >= neededBytes }
  if (freed > 0)
    notes.push(`${(freed / 1e9).toFixed(1)} GB of the free space comes back when the stale mount is cleaned up.`)
  if (space.enough === false)
    notes.push(
      `The work folder has ${(free! / 1e9).toFixed(1)} GB free; the update needs about ${(neededBytes / 1e9).toFixed(1)} GB. Free space or choose another work folder before running.`,
    )
  // A real folder read on any OS: the plan is shown; its steps run DISM and robocopy, which need Windows.
  if (scan.needsWindows?.length)
    notes.push(
      `Every step runs DISM or robocopy, which need Windows: run the update on a Windows PC with ${scan.name} attached (there its drive letter, such as E:\\, is the medium's root).`,
    )
  const run = runStepsOf({ steps })
  const folders = {
    work: MEDIA_WORK_ROOT,
    media: `${MEDIA_WORK_ROOT}\\media`,
    joined: swmBytes !== null,
    kits: opts.kits ?? DEFAULT_KITS,
  }
  return {
    medium: scan.name,
    arch,
    targetKb: lcu.kb,
    setupDu,
    steps: run,
    commands: run.map((s) =>
      runCommands(s, folders, src.root)
        .map((c) => copyableCommand(renderArgv(c)))
        .join('\n'),
    ),
    space,
    notes,
  }
}

/**
 * `joined`: the medium was split, so install.wim is the one joined from its .swm parts in the work folder.
 * `kits`: the app's folder of fetched packages (`<kits>\\<KB>-<arch>`), copied into `<work>\\packages` before use.
 */
export interface CommandFolders {
  work: string
  media: string
  joined?: boolean
  kits?: string
}
export interface StepCommand {
  file: string
  args: string[]
}

function mountDir(f: CommandFolders, image: ImageRef, index: number): string {
  return `${f.work}\\mount\\${image}-${index}`
}
function imageFile(f: CommandFolders, image: ImageRef): string {
  if (image === 'winre') return `${f.work}\\winre\\winre.wim`
  if (image === 'install' && f.joined) return joinedFile(f)
  return `${f.media}\\sources\\${image}.wim`
}
/** The install.wim joined from a split medium's .swm parts. */
export function joinedFile(f: CommandFolders): string {
  return `${f.work}\\join\\install.wim`
}
/** The .wim file an image's steps mount, commit and export from. */
export function imageFileOf(f: CommandFolders, image: ImageRef): string {
  return imageFile(f, image)
}
function exportFile(f: CommandFolders, image: ImageRef): string {
  return `${f.work}\\export\\${image}.wim`
}
/** The folder in the work folder that holds one package (DISM /PackagePath names the folder). */
export function packagePath(f: CommandFolders, p: PackageRef): string {
  return `${f.work}\\packages\\${p.arch}\\${p.kb}`
}
/** The app's folder of one fetched package (`<kits>\\<KB>-<arch>`, the separator of the kits folder's own OS). */
export function kitFolder(f: CommandFolders, p: PackageRef): string {
  const kits = f.kits ?? DEFAULT_KITS
  return `${kits.replace(/[\\/]+$/, '')}${kits.includes('/') ? '/' : '\\'}${p.kb}-${p.arch}`
}

/** The one command builder: a step (intent) and the folders → the exact argv. */
export function stepCommand(s: MediaStep, f: CommandFolders): StepCommand {
  const dism = (...args: string[]): StepCommand => ({ file: 'dism.exe', args: ['/English', ...args] })
  switch (s.kind) {
    case 'cleanup-mountpoints':
      return dism('/Cleanup-Mountpoints')
    // Joining a split image, index by index, with /Export-Image's .swm form: `/SourceImageFile:<first>.swm
    // /SWMFile:<pattern>*.swm /SourceIndex:N /DestinationImageFile:<file>.wim` (the TechNet DISM page
    // technet.microsoft.com/en-us/library/hh825258.aspx, as quoted in
    // gist.github.com/JunielKatarn/4b000d8ed86f4cff856118671b20f230, "Correct way to merge SWM files into a WIM file").
    case 'join-swm':
      return dism(
        '/Export-Image',
        `/SourceImageFile:${f.media}\\sources\\install.swm`,
        `/SWMFile:${f.media}\\sources\\install*.swm`,
        `/SourceIndex:${s.index}`,
        `/DestinationImageFile:${joinedFile(f)}`,
      )
    case 'mount':
      return dism(
        '/Mount-Image',
        `/ImageFile:${imageFile(f, s.image)}`,
        `/Index:${s.image === 'winre' ? 1 : s.index}`,
        `/MountDir:${mountDir(f, s.image, s.index)}`,
        ...(s.readOnly ? ['/ReadOnly'] : []),
      )
    case 'extract-winre':
      return {
        file: 'robocopy.exe',
        args: [
          `${mountDir(f, 'install', s.index)}\\Windows\\System32\\Recovery`,
          `${f.work}\\winre`,
          'winre.wim',
          '/R:0',
        ],
      }
    case 'unmount-discard':
      return dism('/Unmount-Image', `/MountDir:${mountDir(f, s.image, s.index)}`, '/Discard')
    case 'add-package':
      return dism(
        `/Image:${mountDir(f, s.image, s.index)}`,
        '/Add-Package',
        `/PackagePath:${packagePath(f, s.package)}`,
      )
    case 'cleanup-image':
      return dism(
        `/Image:${mountDir(f, s.image, s.index)}`,
        '/Cleanup-Image',
        '/StartComponentCleanup',
        ...(s.resetBase ? ['/ResetBase'] : []),
      )
    case 'copy-winre':
      return {
        file: 'robocopy.exe',
        args: [
          `${f.work}\\export`,
          `${mountDir(f, 'install', s.index)}\\Windows\\System32\\Recovery`,
          'winre.wim',
          '/R:0',
        ],
      }
    case 'unmount-commit':
      return dism('/Unmount-Image', `/MountDir:${mountDir(f, s.image, s.index)}`, '/Commit')
    case 'export':
      return dism(
        '/Export-Image',
        `/SourceImageFile:${imageFile(f, s.image)}`,
        `/SourceIndex:${s.image === 'winre' ? 1 : s.index}`,
        `/DestinationImageFile:${exportFile(f, s.image)}`,
      )
    // expand's source may name files with wildcards (learn.microsoft.com/windows-server/administration/windows-commands/expand).
    case 'expand-setup-du':
      return { file: 'expand.exe', args: [`${packagePath(f, s.package)}\\*.cab`, '-F:*', `${f.media}\\sources`] }
    case 'split-image':
      return dism(
        '/Split-Image',
        `/ImageFile:${exportFile(f, 'install')}`,
        `/SWMFile:${f.media}\\sources\\install.swm`,
        `/FileSize:${s.maxMb}`,
      )
  }
}

export function renderArgv(c: StepCommand): string {
  const q = (a: string) => (a === '' || /[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)
  return [c.file, ...c.args].map(q).join(' ')
}

/** The run's steps: the plan's, with the copy into the work folder first (after a stale-mount cleanup) and the write-back last. */
export function runStepsOf(plan: { steps: readonly MediaRunStep[] }): MediaRunStep[] {
  const steps = [...plan.steps]
  // A plan already lists every step the run takes.
  if (steps.some((s) => s.kind === 'copy-to-work')) return steps
  const lead = steps[0]?.kind === 'cleanup-mountpoints' ? [steps[0]] : []
  const split = steps.some((s) => s.kind === 'split-image')
  // Each package DISM or expand reads is copied into the work folder first, once, in the order the plan uses it.
  const copies = new Map<string, MediaRunStep>()
  for (const s of steps)
    if ('package' in s && !copies.has(`${s.package.kb}-${s.package.arch}`))
      copies.set(`${s.package.kb}-${s.package.arch}`, { kind: 'copy-package', package: s.package })
  return [
    ...lead,
    { kind: 'copy-to-work' },
    ...copies.values(),
    ...steps.slice(lead.length),
    { kind: 'stage', split },
    { kind: 'write-back' },
  ]
}

/** The commands of one run step (the plan's builder for its kinds; robocopy for the copy in and out). */
export function runCommands(s: MediaRunStep, f: CommandFolders, root: string): StepCommand[] {
  const robocopy = (...args: string[]): StepCommand => ({ file: 'robocopy.exe', args: [...args, '/R:0'] })
  switch (s.kind) {
    case 'copy-to-work':
      return [robocopy(root, f.media, '/MIR')]
    case 'stage':
      return s.split
        ? [
            robocopy(`${f.work}\\export`, `${f.media}\\sources`, 'boot.wim', '/MOV'),
            robocopy(`${f.media}\\sources`, `${f.work}\\old`, 'install.wim', '/MOV'),
          ]
        : [robocopy(`${f.work}\\export`, `${f.media}\\sources`, 'boot.wim', 'install.wim', '/MOV')]
    case 'write-back':
      return [robocopy(f.media, root, '/MIR')]
    // The verified file only (its name holds the KB, as the Catalog names it), into a folder of its own in the work folder.
    case 'copy-package':
      return [robocopy(kitFolder(f, s.package), packagePath(f, s.package), `*${s.package.kb.toLowerCase()}*`)]
    // DISM mounts only into a folder that exists: the run creates it first, as shown.
    case 'mount':
      return [makeFolder(mountDirOf(f, s.image, s.index)), stepCommand(s, f)]
    // A medium that came split: its old .swm parts go aside first, so the fresh split leaves none of them behind.
    case 'split-image':
      return f.joined
        ? [robocopy(`${f.media}\\sources`, `${f.work}\\old`, 'install*.swm', '/MOV'), stepCommand(s, f)]
        : [stepCommand(s, f)]
    default:
      return [stepCommand(s as MediaStep, f)]
  }
}

/** `cmd.exe /c if not exist DIR mkdir DIR`: a folder made when it is missing, and nothing when it is there. */
export function makeFolder(dir: string): StepCommand {
  return { file: 'cmd.exe', args: ['/c', 'if', 'not', 'exist', dir, 'mkdir', dir] }
}

/** The folder a mount step mounts into. */
export function mountDirOf(f: CommandFolders, image: ImageRef, index: number): string {
  return mountDir(f, image, index)
}
