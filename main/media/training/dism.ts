/**
 * A training medium's answers to the commands a media update runs, in the real tools' output:
 *
 * - DISM frame: the header (`Deployment Image Servicing and Management tool`, `Version: …`), a 58-column
 *   progress bar, `The operation completed successfully.`; a failure prints `Error: 0x…`, the message and the
 *   DISM log line. `/Export-Image` prints `Exporting image` and its bar (captured: ntdevlabs/tiny11builder#439,
 *   test/fixtures/dism-media/en-export-image-tiny11-439.txt). `/Get-MountedImageInfo` (alias `/Get-MountedWimInfo`)
 *   lists `Mounted images:` then per mount `Mount Dir :`, `Image File :`, `Image Index :`, `Mounted Read/Write :`,
 *   `Status :` (captured in ippsatsi/windeployIC, fixture en-get-mountedimageinfo-windeployic.txt).
 *   `/Add-Package` prints `Image Version:`, `Processing 1 of 1 - Adding package <identity>` and its bar; a package
 *   of another architecture fails with `Error: 0x800f081e` / "The specified package is not applicable to this
 *   image." (captured: jmclaren7/windows-setup-helper#1, fixture en-add-package-not-applicable-0x800f081e.txt).
 *   `/Unmount-Image` prints `Image File :`, `Image Index :`, then `Saving image` (with /Commit) and `Unmounting
 *   image`, each with a bar (the layout of the zh-CN capture in adavak/Win_ISO_Patching_Scripts#5).
 *   `/Mount-Image` prints `Mounting image` and a bar (the frame of the same captures). No capture of
 *   `/Split-Image`, `/Cleanup-Image` or `/Cleanup-Mountpoints` output was found: they answer in the same frame
 *   (`Splitting image` + bar; a bar; nothing between header and the success line), said here as the model's.
 * - robocopy: the exit code is the answer (1: files copied, 0: nothing to copy, 16: the source is not there).
 * - expand.exe: the Setup Dynamic Update's files into `sources`.
 * - A split medium (install.swm parts): `/Export-Image /SourceImageFile:…install.swm /SWMFile:…install*.swm` joins an
 *   index (without /SWMFile the other parts are not found: 0x80070002); `/Split-Image` over an older, longer set
 *   leaves its extra parts there, as DISM writes only the parts it needs; robocopy `install*.swm /MOV` moves a set aside.
 *
 * The model: an image's packages and UBR change only in its mount folder; `/Commit` writes them into the .wim
 * index (the work folder's copy), an export appends the index to the export file, and the medium itself changes
 * only when the copy is mirrored back. A cumulative update needs its checkpoint (0x800f0922 otherwise, as the
 * training machines answer), a package for another architecture or build is not applicable (0x800f081e).
 */
import { checkpointChain, knownUpdate } from '../../knowledge/servicing-chains.ts'
import { parseWinreVersion, winreUpdateByKb } from '../../knowledge/winre-targets.ts'
import { setupDuPackageVersion, type TrainingWimImage } from './media.ts'
import { dismProgressBar as dismBar } from '../../training/renderers/dism-install.ts'
import { renderWimInfo, type DismAnswer } from './wim-info.ts'
import {
  normPath,
  WORK,
  type MediaImage,
  type MediaMount,
  type MediaSources,
  type MediaWim,
  type TrainingMediumState,
} from './state.ts'

const DISM_VERSION = '10.0.26100.1'
const DISM_LOG = 'C:\\WINDOWS\\Logs\\DISM\\dism.log'
export const CBS_E_NOT_APPLICABLE = 0x800f081e
const CBS_E_INSTALLERS_FAILED = 0x800f0922
const E_FILE_NOT_FOUND = 0x80070002
const DISMAPI_E_NOT_MOUNTED = 0xc1420127
const MB = 1024 * 1024
/** What a cumulative update adds to an image inside its .wim (the model's; the plan reckons 0.3 GB an index). */
const LCU_GROWTH = { install: 300_000_000, boot: 100_000_000 }

const HEAD = ['', 'Deployment Image Servicing and Management tool', `Version: ${DISM_VERSION}`, '']
const OK_LINE = 'The operation completed successfully.'
const ok = (lines: string[]): DismAnswer => ({ exitCode: 0, stdout: [...HEAD, ...lines, OK_LINE, ''].join('\r\n') })
const fail = (code: number, message: string, before: string[] = []): DismAnswer => ({
  exitCode: code >>> 0,
  stdout: [
    ...HEAD,
    ...before,
    `Error: 0x${(code >>> 0).toString(16).padStart(8, '0')}`,
    '',
    message,
    '',
    `The DISM log file can be found at ${DISM_LOG}`,
    '',
  ].join('\r\n'),
})
const arg = (args: readonly string[], name: string) => {
  const a = args.find((x) => x.toLowerCase().startsWith(`/${name.toLowerCase()}:`))
  return a === undefined ? null : a.slice(name.length + 2)
}
const has = (args: readonly string[], name: string) => args.some((x) => x.toLowerCase() === `/${name.toLowerCase()}`)

/** The sources folder a path is in (the medium's or the copy's), and the file name in it. */
function sourcesOf(s: TrainingMediumState, path: string): { src: MediaSources; name: string } | null {
  const p = normPath(path)
  const root = normPath(`${s.root}\\sources`)
  if (p.startsWith(`${root}\\`)) return { src: s.medium, name: p.slice(root.length + 1) }
  for (const [copy, src] of Object.entries(s.copies)) {
    const dir = `${copy}\\sources`
    if (p.startsWith(`${dir}\\`)) return { src, name: p.slice(dir.length + 1) }
  }
  return null
}

/** The .wim at a path, as a getter and a setter (null: no such file). */
export function wimAt(
  s: TrainingMediumState,
  path: string,
): { get: () => MediaWim | null; set: (w: MediaWim | null) => void } {
  const inSources = sourcesOf(s, path)
  if (inSources) {
    const { src, name } = inSources
    if (name === 'install.wim')
      return {
        get: () => src.install,
        set: (w) => {
          src.install = w
        },
      }
    if (name === 'boot.wim')
      return {
        get: () => src.boot,
        set: (w) => {
          src.boot = w
        },
      }
    // The split set read as one image file (what /Export-Image /SWMFile joins); written only by /Split-Image.
    if (name === 'install.swm') return { get: () => (src.swm ? { images: src.swm.images } : null), set: () => {} }
    return { get: () => null, set: () => {} }
  }
  const key = normPath(path)
  return {
    get: () => s.files[key] ?? null,
    set: (w) => {
      if (w) s.files[key] = w
      else delete s.files[key]
    },
  }
}

/** The images `/Get-WimInfo` shows for a path: a .wim, install.swm (its first part answers for the set), or the winre.wim in an index. */
export function imagesForWimInfo(s: TrainingMediumState, path: string): TrainingWimImage[] | null {
  const inSources = sourcesOf(s, path)
  if (inSources?.name === 'install.swm') return inSources.src.swm?.images ?? null
  const hash = /^(.*\\sources\\install\.(?:wim|swm))#(\d+)\\windows\\system32\\recovery\\winre\.wim$/i.exec(
    normPath(path),
  )
  if (hash) {
    const inner = sourcesOf(s, hash[1])
    const list = inner ? (/\.swm$/.test(hash[1]) ? inner.src.swm?.images : inner.src.install?.images) : null
    const img = list?.find((i) => i.index === Number(hash[2]))
    return img?.winre ? [winreImage(img)] : null
  }
  return wimAt(s, path).get()?.images ?? null
}

/** The recovery image inside an install.wim index, as its own one-image .wim. */
export function winreImage(img: MediaImage): MediaImage {
  const w = img.winre!
  return {
    index: 1,
    name: `Microsoft Windows Recovery Environment (${img.arch === 'x64' ? 'x64' : 'ARM64'})`,
    edition: 'WindowsPE',
    arch: img.arch,
    build: w.build,
    ubr: w.ubr,
    sizeBytes: w.sizeBytes,
    created: img.created,
    modified: img.modified,
    languages: img.languages,
    packages: [...w.packages],
    storedBytes: 500_000_000,
  }
}

const isWinre = (img: MediaImage) => /Recovery Environment/.test(img.name)
const archWord = (a: string) => (a === 'x64' ? 'amd64' : a)

/** The package identity DISM shows for a KB of this architecture (the RollupFix form for a cumulative update). */
export function packageIdentity(kb: string, arch: string, base = 26100): string {
  const u = knownUpdate(kb)
  const w = archWord(arch)
  if (u?.kind === 'lcu') return `Package_for_RollupFix~31bf3856ad364e35~${w}~~${u.baseBuild}.${u.ubr}.1.10`
  if (u) return `Package_for_${u.kb}~31bf3856ad364e35~${w}~~${u.baseBuild}.${u.ubr}.1.0`
  return `Package_for_${kb.toUpperCase()}~31bf3856ad364e35~${w}~~${base}.1.0.0`
}

/** `<work>\packages\<arch>\<KB>`: the package a path names (the fetched, verified file), or null. */
export function packageAt(path: string): { kb: string; arch: 'x64' | 'arm64' } | null {
  const m = /\\packages\\(x64|arm64)\\(KB\d{6,8})(?:\.cab|\.msu|\\[^\\]+)?$/i.exec(path.replace(/\//g, '\\'))
  return m ? { arch: m[1].toLowerCase() as 'x64' | 'arm64', kb: m[2].toUpperCase() } : null
}

function mountAt(s: TrainingMediumState, dir: string | null): MediaMount | null {
  if (!dir) return null
  return s.mounts.find((m) => normPath(m.dir) === normPath(dir)) ?? null
}

function addPackage(s: TrainingMediumState, args: readonly string[]): DismAnswer {
  const m = mountAt(s, arg(args, 'Image'))
  if (m?.status !== 'Ok')
    return fail(
      DISMAPI_E_NOT_MOUNTED,
      `The specified image in the mount directory is not mounted: ${arg(args, 'Image') ?? ''}`,
    )
  const path = arg(args, 'PackagePath') ?? ''
  const p = packageAt(path)
  const img = m.image
  const version = [`Image Version: 10.0.${img.build}.${img.ubr}`, '']
  if (!p || (!knownUpdate(p.kb) && !winreUpdateByKb(p.kb)))
    return fail(
      E_FILE_NOT_FOUND,
      `An error occurred trying to open - ${path} Error: 0x80070002\r\n\r\nThe system cannot find the file specified.`,
      version,
    )
  const identity = packageIdentity(p.kb, p.arch, img.build)
  const processing = [`Processing 1 of 1 - Adding package ${identity}`, dismBar(100), '']
  const notApplicable = () =>
    fail(CBS_E_NOT_APPLICABLE, 'The specified package is not applicable to this image.', [...version, ...processing])
  if (p.arch !== img.arch) return notApplicable()
  if (img.packages.includes(p.kb)) return ok([...version, ...processing.slice(0, 2)])
  const u = knownUpdate(p.kb)
  const safeOs = winreUpdateByKb(p.kb)
  if (safeOs && (u?.kind === 'safe-os' || !u)) {
    const v = parseWinreVersion(safeOs.winreVersion)
    if (!isWinre(img) || !v || v[2] !== img.build) return notApplicable()
    img.packages.push(p.kb)
    img.ubr = Math.max(img.ubr, v[3])
    return ok([...version, ...processing.slice(0, 2)])
  }
  if (u?.kind !== 'lcu' || isWinre(img) || u.baseBuild !== img.build || u.ubr <= img.ubr) return notApplicable()
  for (const pre of checkpointChain(u.kb)) {
    if (pre.kb === u.kb) continue
    if (!img.packages.includes(pre.kb) && img.ubr < pre.ubr)
      return fail(
        CBS_E_INSTALLERS_FAILED,
        'An error occurred applying the Unattend.xml file from the .msu package.\r\nFor more information, review the log file.',
        [...version, ...processing],
      )
  }
  img.packages.push(u.kb)
  img.ubr = u.ubr
  img.storedBytes += img.edition === 'WindowsPE' ? LCU_GROWTH.boot : LCU_GROWTH.install
  return ok([...version, ...processing.slice(0, 2)])
}

function mount(s: TrainingMediumState, args: readonly string[]): DismAnswer {
  const file = arg(args, 'ImageFile') ?? ''
  const dir = arg(args, 'MountDir') ?? ''
  const index = Number(arg(args, 'Index') ?? '1')
  if (!file || !dir) return fail(0x80070057, 'The /ImageFile and /MountDir options are required.')
  if (mountAt(s, dir))
    return fail(DISMAPI_E_NOT_MOUNTED, 'The specified image is already mounted at this mount directory.')
  const img = wimAt(s, file)
    .get()
    ?.images.find((i) => i.index === index)
  if (!img) return fail(E_FILE_NOT_FOUND, 'The system cannot find the file specified.')
  s.mounts.push({
    dir,
    file: normPath(file),
    index,
    readOnly: has(args, 'ReadOnly'),
    image: structuredClone(img),
    status: 'Ok',
  })
  return ok(['Mounting image', dismBar(100)])
}

function unmount(s: TrainingMediumState, args: readonly string[]): DismAnswer {
  const m = mountAt(s, arg(args, 'MountDir'))
  if (!m) return fail(DISMAPI_E_NOT_MOUNTED, `The specified image is not mounted: ${arg(args, 'MountDir') ?? ''}`)
  const commit = has(args, 'Commit')
  if (commit && m.readOnly) return fail(0xc1420116, 'The image was mounted read-only; it cannot be committed.')
  if (commit) {
    const w = wimAt(s, m.file)
    const wim = w.get()
    if (!wim) return fail(E_FILE_NOT_FOUND, 'The system cannot find the file specified.')
    wim.images = wim.images.map((i) => (i.index === m.index ? structuredClone(m.image) : i))
    w.set(wim)
  }
  s.mounts = s.mounts.filter((x) => x !== m)
  return ok([
    `Image File : ${m.file}`,
    `Image Index : ${m.index}`,
    ...(commit ? ['Saving image', dismBar(100)] : []),
    'Unmounting image',
    dismBar(100),
  ])
}

function exportImage(s: TrainingMediumState, args: readonly string[]): DismAnswer {
  const from = arg(args, 'SourceImageFile') ?? ''
  // A split image's other parts are found only through /SWMFile (install*.swm); without it DISM cannot read the set.
  const set = /\.swm$/i.test(from) ? sourcesOf(s, from)?.src.swm : null
  if (set && set.parts.length > 1 && !/install\*\.swm$/i.test(arg(args, 'SWMFile') ?? ''))
    return fail(E_FILE_NOT_FOUND, 'The system cannot find the file specified.')
  const src = wimAt(s, from).get()
  const index = Number(arg(args, 'SourceIndex') ?? '0')
  const img = src?.images.find((i) => i.index === index)
  if (!img) return fail(E_FILE_NOT_FOUND, 'The system cannot find the file specified.')
  const dest = wimAt(s, arg(args, 'DestinationImageFile') ?? '')
  const d = dest.get() ?? { images: [] }
  d.images.push({ ...structuredClone(img), index: d.images.length + 1 })
  dest.set(d)
  return ok(['Exporting image', dismBar(100)])
}

function splitImage(s: TrainingMediumState, args: readonly string[]): DismAnswer {
  const src = wimAt(s, arg(args, 'ImageFile') ?? '').get()
  const swm = arg(args, 'SWMFile') ?? ''
  const size = Number(arg(args, 'FileSize') ?? '0')
  const target = sourcesOf(s, swm)
  if (!src) return fail(E_FILE_NOT_FOUND, 'The system cannot find the file specified.')
  if (!target || !/install\.swm$/i.test(swm) || !Number.isInteger(size) || size < 1)
    return fail(0x80070057, 'The parameter is incorrect.')
  let left = src.images.reduce((n, i) => n + i.storedBytes, 0)
  const parts: number[] = []
  while (left > 0) {
    const p = Math.min(left, size * MB)
    parts.push(p)
    left -= p
  }
  // DISM writes install.swm, install2.swm, …: a part of an older, longer set that is still there stays there.
  parts.push(...(target.src.swm?.parts ?? []).slice(parts.length))
  target.src.swm = { parts, images: structuredClone(src.images) }
  return ok(['Splitting image', dismBar(100)])
}

function mountedInfo(s: TrainingMediumState): DismAnswer {
  const lines = ['Mounted images:', '']
  for (const m of s.mounts)
    lines.push(
      `Mount Dir : ${m.dir}`,
      `Image File : ${m.file}`,
      `Image Index : ${m.index}`,
      `Mounted Read/Write : ${m.readOnly ? 'No' : 'Yes'}`,
      `Status : ${m.status}`,
      '',
    )
  if (s.mounts.length === 0) lines.push('No mounted images found.', '')
  return ok(lines)
}

function cleanupMountpoints(s: TrainingMediumState): DismAnswer {
  for (const m of s.mounts.filter((x) => x.status !== 'Ok')) s.workFreeBytes += m.image.sizeBytes
  s.mounts = s.mounts.filter((m) => m.status === 'Ok')
  return ok([])
}

function getPackages(s: TrainingMediumState, args: readonly string[]): DismAnswer {
  const m = mountAt(s, arg(args, 'Image'))
  if (!m)
    return fail(
      DISMAPI_E_NOT_MOUNTED,
      `The specified image in the mount directory is not mounted: ${arg(args, 'Image') ?? ''}`,
    )
  const lines = [`Image Version: 10.0.${m.image.build}.${m.image.ubr}`, '', 'Packages listing:', '']
  for (const kb of m.image.packages) {
    const u = knownUpdate(kb)
    lines.push(
      `Package Identity : ${packageIdentity(kb, m.image.arch, m.image.build)}`,
      'State : Installed',
      `Release Type : ${u?.kind === 'lcu' ? 'Security Update' : 'Update'}`,
      'Install Time : 11/23/2026 1:00 PM',
      '',
    )
  }
  return ok(lines)
}

function cleanupImage(s: TrainingMediumState, args: readonly string[]): DismAnswer {
  const m = mountAt(s, arg(args, 'Image'))
  if (!m)
    return fail(
      DISMAPI_E_NOT_MOUNTED,
      `The specified image in the mount directory is not mounted: ${arg(args, 'Image') ?? ''}`,
    )
  return ok([`Image Version: 10.0.${m.image.build}.${m.image.ubr}`, '', dismBar(100)])
}

/** `dism.exe <args>` against a training medium's state (changed in place). */
export function answerMediaDism(s: TrainingMediumState, args: readonly string[]): DismAnswer {
  if (has(args, 'Get-WimInfo')) return renderWimInfo(s.name, imagesForWimInfo(s, arg(args, 'WimFile') ?? ''), args)
  if (has(args, 'Get-MountedImageInfo') || has(args, 'Get-MountedWimInfo')) return mountedInfo(s)
  if (has(args, 'Cleanup-Mountpoints')) return cleanupMountpoints(s)
  if (has(args, 'Mount-Image')) return mount(s, args)
  if (has(args, 'Unmount-Image')) return unmount(s, args)
  if (has(args, 'Add-Package')) return addPackage(s, args)
  if (has(args, 'Get-Packages')) return getPackages(s, args)
  if (has(args, 'Cleanup-Image')) return cleanupImage(s, args)
  if (has(args, 'Export-Image')) return exportImage(s, args)
  if (has(args, 'Split-Image')) return splitImage(s, args)
  return {
    exitCode: 87,
    stdout: [...HEAD, 'Error: 87', '', 'The training medium does not model this DISM option.', ''].join('\r\n'),
  }
}

/** `robocopy.exe <from> <to> [files] [options]`: what a media update copies (exit 1: copied, 0: nothing, 16: no source). */
export function answerMediaRobocopy(s: TrainingMediumState, args: readonly string[]): DismAnswer {
  const [from = '', to = '', ...rest] = args
  const files = rest.filter((a) => !a.startsWith('/')).map((f) => f.toLowerCase())
  const move = has(args, 'MOV')
  const noSource = (): DismAnswer => ({
    exitCode: 16,
    stdout: `ERROR 2 (0x00000002) Accessing Source Directory ${from}\\\r\nThe system cannot find the file specified.\r\n`,
  })
  const f = normPath(from)
  const t = normPath(to)
  // The medium mirrored into the work folder, and the updated copy mirrored back to the medium.
  if (has(args, 'MIR')) {
    if (f === normPath(s.root) && t.startsWith(`${normPath(WORK)}\\`)) {
      s.copies[t] = structuredClone(s.medium)
      return { exitCode: 1, stdout: '' }
    }
    if (t === normPath(s.root) && s.copies[f]) {
      s.medium = structuredClone(s.copies[f])
      return { exitCode: 1, stdout: '' }
    }
    return noSource()
  }
  // winre.wim out of a mounted install.wim index, and the serviced one back into each index.
  const recovery = /^(.*)\\windows\\system32\\recovery$/
  if (recovery.test(f) && files.includes('winre.wim')) {
    const m = mountAt(s, recovery.exec(f)![1])
    if (!m?.image.winre) return noSource()
    s.files[normPath(`${to}\\winre.wim`)] = { images: [winreImage(m.image)] }
    return { exitCode: 1, stdout: '' }
  }
  if (recovery.test(t) && files.includes('winre.wim')) {
    const m = mountAt(s, recovery.exec(t)![1])
    const w = s.files[normPath(`${from}\\winre.wim`)]?.images[0]
    if (!m || !w) return noSource()
    m.image.winre = { build: w.build, ubr: w.ubr, sizeBytes: w.sizeBytes, packages: [...w.packages] }
    return { exitCode: 1, stdout: '' }
  }
  // A split set's parts (install*.swm) moved out of a sources folder: they are kept as one file in the target folder.
  if (files.includes('install*.swm')) {
    const from_ = sourcesOf(s, `${from}\\install.swm`)
    const set = from_?.src.swm
    if (!from_ || !set) return { exitCode: 0, stdout: '' }
    s.files[normPath(`${to}\\install.swm`)] = { images: structuredClone(set.images) }
    if (move) from_.src.swm = null
    return { exitCode: 1, stdout: '' }
  }
  // Files moved between the work folder's folders (the exports into the copy; the copy's old install.wim aside).
  let copied = 0
  for (const name of files) {
    const src = wimAt(s, `${from}\\${name}`)
    const w = src.get()
    if (!w) continue
    wimAt(s, `${to}\\${name}`).set(structuredClone(w))
    if (move) src.set(null)
    copied++
  }
  return { exitCode: copied > 0 ? 1 : 0, stdout: '' }
}

/** `expand.exe <cab> -F:* <sources>`: the Setup Dynamic Update's files into the copy's `sources`. */
export function answerMediaExpand(s: TrainingMediumState, args: readonly string[]): DismAnswer {
  const p = packageAt(args[0] ?? '')
  const target = sourcesOf(s, `${args[2] ?? ''}\\setup.exe`)
  if (!p || !target) return { exitCode: 1, stdout: `Can't open input file: ${args[0] ?? ''}.\r\n` }
  target.src.setupDu = p.kb
  // The package's files replace the setup files: setup.exe now has the version the Setup DU carries.
  const v = setupDuPackageVersion(p.kb)
  if (v) target.src.setupVersion = v
  return { exitCode: 0, stdout: `Microsoft (R) File Expansion Utility\r\nExpanding ${args[0]} to ${args[2]}.\r\n` }
}
