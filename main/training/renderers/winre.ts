/**
 * Training answers for the recovery environment: `reagentc /info|/enable|/disable|/mountre|/unmountre`,
 * the registry's WinREVersion, `DISM /Get-ImageInfo|/Mount-Image|/Add-Package|/Cleanup-Image|/Unmount-Image`
 * on winre.wim, and `diskpart /s <script>` for Microsoft's KB5028997 partition resize.
 *
 * The model (servicing-facts §4): enabled, winre.wim (+ boot.sdi) lives in `\Recovery\WindowsRE` on the
 * recovery partition; disabled, it sits in `C:\Windows\System32\Recovery` [S58]. `/enable` moves it to a
 * recovery partition after the OS partition with room for it, else to the OS volume (`C:\Recovery\WindowsRE`);
 * `/disable` moves it back. A Safe OS Dynamic Update added to the mounted image raises its version; a
 * commit needs room on the partition, or it fails with ERROR_DISK_FULL — the KB5034441 failure.
 * Console text follows the captures in test/fixtures/reagentc and the diskpart sessions quoted in
 * servicing-facts [S60]. Exit codes: reagentc's failure codes are not documented; 2 is a training choice.
 * diskpart's are documented (0 ok, 2 bad parameters, 3 script not found, 4 VDS error, 5 syntax error).
 */
import { existsSync, readFileSync } from 'node:fs'
import { sha1Hex } from '../sha1.ts'
import type { TrainingCommand, TrainingCommandOutcome } from '../command.ts'
import { GPT, type TrainingDisk, type TrainingPartition, type TrainingState } from '../state.ts'
import { reagentcInfoText } from './storage.ts'
import { decodePowerShellScript } from '../../host/powershell.ts'
import { allWinreTargets, winreUpdateByKb } from '../../knowledge/winre-targets.ts'
import { enUsNumber } from '../../parse/locale-free.ts'

const MB = 1024 * 1024
/** boot.sdi, which travels with winre.wim (≈3 MB). */
export const BOOT_SDI_BYTES = 3 * MB
/** What a freshly quick-formatted small NTFS volume already uses (MFT, log file): a training assumption. */
export const NTFS_OVERHEAD_BYTES = 8 * MB
/** How much a Safe OS update grows winre.wim before /ResetBase (a training assumption), and what clean-up wins back. */
const SAFE_OS_GROWTH = 48 * MB
const RESETBASE_SAVING = 20 * MB
/** Free space a WinRE update needs on the recovery partition (KB5034441, KB5028997). */
const WINRE_UPDATE_FREE_BYTES = 250 * MB
const ZERO_GUID = '00000000-0000-0000-0000-000000000000'
const STAGED = 'c:\\windows\\system32\\recovery\\winre.wim'
const REAGENT_XML = 'C:\\Windows\\System32\\Recovery\\ReAgent.xml'
const ERROR_DISK_FULL = 0x80070070
const CBS_E_NOT_APPLICABLE = 0x800f081e
/** ERROR_INSTALL_FAILURE as an HRESULT: what KB5034441 reported on a recovery partition without room. */
const ERROR_INSTALL_FAILURE = 0x80070643

// ---- helpers ------------------------------------------------------------------------------------

const lower = (p: string) => p.replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase()
const baseOf = (build: number) =>
  build === 26200 ? 26100 : build === 22631 ? 22621 : build === 19045 || build === 19044 ? 19041 : build

function osLocation(state: TrainingState): { disk: TrainingDisk; part: TrainingPartition } | null {
  for (const disk of state.disks) {
    const part = disk.partitions.find((p) => p.driveLetter === state.systemDrive.letter)
    if (part) return { disk, part }
  }
  return null
}

function partitionAt(state: TrainingState, diskNumber: number, partNumber: number): TrainingPartition | null {
  return state.disks.find((d) => d.number === diskNumber)?.partitions.find((p) => p.number === partNumber) ?? null
}

const freeOf = (p: TrainingPartition) => p.sizeBytes - (p.usedBytes ?? 0)

function newBcdId(state: TrainingState): string {
  const h = sha1Hex(`${state.name}:${state.restarts}:${JSON.stringify(state.disks)}:${state.winre.version}`)
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-11f0-${h.slice(16, 20)}-${h.slice(20, 32)}}`
}

/** ReAgent.xml as Windows writes it (fields as in the captured files in test/fixtures/reagent-xml). */
export function reagentXmlText(state: TrainingState): string {
  const w = state.winre
  const disk = state.disks.find((d) => d.number === w.diskNumber)
  const part = w.enabled ? partitionAt(state, w.diskNumber, w.partitionNumber) : null
  const guid = disk
    ? `{${sha1Hex(`${state.name}:disk:${disk.number}`).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5')}}`
    : `{${ZERO_GUID}}`
  const loc =
    w.enabled && part
      ? `<WinreLocation path="\\Recovery\\WindowsRE" id="0" offset="${part.offsetBytes}" guid="${guid}"/>`
      : `<WinreLocation path="" id="0" offset="0" guid="{${ZERO_GUID}}"/>`
  const bcd = w.enabled ? `{${w.bcdId.replace(/^\{|\}$/g, '')}}` : `{${ZERO_GUID}}`
  const build = `${baseOf(state.os.currentBuild)}.1.${state.os.nativeArch === 'arm64' ? 'arm64' : 'amd64'}fre.${state.os.currentBuild >= 26100 ? 'ge_release' : state.os.currentBuild >= 22621 ? 'ni_release' : 'vb_release'}`
  return [
    "<?xml version='1.0' encoding='utf-8'?>",
    '',
    '<WindowsRE version="2.0">',
    `  <WinreBCD id="${bcd}"/>`,
    `  ${loc}`,
    `  <ImageLocation path="" id="0" offset="0" guid="{${ZERO_GUID}}"/>`,
    `  <InstallState state="${w.enabled ? 1 : 0}"/>`,
    '  <OsInstallAvailable state="0"/>',
    '  <CustomImageAvailable state="0"/>',
    `  <IsAutoRepairOn state="${w.enabled ? 1 : 0}"/>`,
    `  <WinREStaged state="${!w.enabled && w.stagedImage ? 1 : 0}"/>`,
    '  <OperationParam path=""/>',
    `  <OsBuildVersion path="${build}"/>`,
    '  <OemTool state="0"/>',
    '  <IsServer state="0"/>',
    `  <IsWimBoot state="0"/>`,
    '  <ScheduledOperation state="4"/>',
    '</WindowsRE>',
    '',
  ].join('\r\n')
}

function withReagentXml(state: TrainingState): TrainingState {
  state.files[REAGENT_XML] = reagentXmlText(state)
  return state
}

const reagentcSays = (text: string, exitCode = 0, state?: TrainingState): TrainingCommandOutcome => ({
  exitCode,
  stdout: `${text}\r\n`,
  state,
})

function argAfter(args: readonly string[], flag: string): string | null {
  const i = args.findIndex((a) => a.toLowerCase() === flag.toLowerCase())
  return i >= 0 && i + 1 < args.length ? args[i + 1] : null
}
function argValue(args: readonly string[], name: string): string | null {
  const prefix = `/${name}:`.toLowerCase()
  const a = args.find((x) => x.toLowerCase().startsWith(prefix))
  return a ? a.slice(prefix.length).replace(/^"|"$/g, '') : null
}
const hasArg = (args: readonly string[], name: string) => args.some((x) => x.toLowerCase() === `/${name}`.toLowerCase())

// ---- reagentc ----------------------------------------------------------------------------------

/** reagentc /info; 24H2-era reagentc also prints `Windows RE Version` (capture en-24h2-with-version). */
export const renderReagentcInfo: TrainingCommand = ({ state }) => {
  let text = reagentcInfoText(state)
  if (state.os.currentBuild >= 26100 && state.winre.enabled) {
    text = text.replace(
      /( {4}Custom image index:\s+0\r\n)/,
      `$1    Windows RE Version:        ${state.winre.version}\r\n`,
    )
  }
  return { exitCode: 0, stdout: text }
}

/** Where `/enable` puts WinRE: a recovery partition after the OS partition with room, else the OS volume. */
function enableTarget(state: TrainingState, need: number): { disk: TrainingDisk; part: TrainingPartition } | null {
  const os = osLocation(state)
  if (!os) return null
  const candidates = os.disk.partitions
    .filter(
      (p) =>
        p.gptType === GPT.recovery &&
        p.offsetBytes > os.part.offsetBytes &&
        p.fileSystem === 'NTFS' &&
        freeOf(p) >= need,
    )
    .sort((a, b) =>
      a.number === state.winre.partitionNumber
        ? -1
        : b.number === state.winre.partitionNumber
          ? 1
          : a.number - b.number,
    )
  if (candidates[0]) return { disk: os.disk, part: candidates[0] }
  return state.systemDrive.freeBytes >= need ? os : null
}

export const renderReagentcEnable: TrainingCommand = ({ state }) => {
  const next = structuredClone(state)
  const w = next.winre
  if (w.enabled && w.imageOnPartition)
    return reagentcSays('REAGENTC.EXE: Operation Successful.', 0, withReagentXml(next))
  if (mountedFrom(next, 'staged'))
    return reagentcSays(
      'REAGENTC.EXE: Unable to update ReAgent.xml, please try to manually disable and enable WinRE.',
      2,
    )
  if (!w.stagedImage) return reagentcSays('REAGENTC.EXE: The Windows RE image was not found.', 2)
  const need = w.imageSizeBytes + BOOT_SDI_BYTES
  const target = enableTarget(next, need)
  if (!target) return reagentcSays('REAGENTC.EXE: There is not enough space on the disk.', 2)
  const os = osLocation(next)!
  target.part.usedBytes = (target.part.usedBytes ?? 0) + (target.part === os.part ? 0 : need)
  if (target.part !== os.part) next.systemDrive.freeBytes += w.imageSizeBytes
  Object.assign(w, {
    enabled: true,
    stagedImage: false,
    imageOnPartition: true,
    diskNumber: target.disk.number,
    partitionNumber: target.part.number,
    bcdId: newBcdId(next),
  })
  return reagentcSays('REAGENTC.EXE: Operation Successful.', 0, withReagentXml(next))
}

export const renderReagentcDisable: TrainingCommand = ({ state }) => {
  const next = structuredClone(state)
  const w = next.winre
  if (!w.enabled) return reagentcSays('REAGENTC.EXE: Windows RE is already disabled.', 2)
  if (mountedFrom(next, 'partition'))
    return reagentcSays(
      'REAGENTC.EXE: Unable to update ReAgent.xml, please try to manually disable and enable WinRE.',
      2,
    )
  const part = partitionAt(next, w.diskNumber, w.partitionNumber)
  const os = osLocation(next)
  if (w.imageOnPartition && part) {
    const onOs = os !== null && part === os.part
    if (!onOs && next.systemDrive.freeBytes < w.imageSizeBytes)
      return reagentcSays('REAGENTC.EXE: There is not enough space on the disk.', 2)
    if (!onOs) {
      part.usedBytes = Math.max(NTFS_OVERHEAD_BYTES, (part.usedBytes ?? 0) - w.imageSizeBytes - BOOT_SDI_BYTES)
      next.systemDrive.freeBytes -= w.imageSizeBytes
    }
    w.stagedImage = true
  }
  Object.assign(w, { enabled: false, imageOnPartition: false, bcdId: ZERO_GUID })
  return reagentcSays('REAGENTC.EXE: Operation Successful.', 0, withReagentXml(next))
}

// ---- the mounted WinRE image -------------------------------------------------------------------

interface WinreMount {
  source: 'staged' | 'partition'
  wim: string
  version: string
  sizeBytes: number
  added: string[]
  cleaned: boolean
}

const mountRecordPath = (dir: string) => `${dir.replace(/[\\/]+$/, '')}\\Windows\\servicing\\winre-mount.json`

function readMount(state: TrainingState, dir: string): WinreMount | null {
  const want = lower(mountRecordPath(dir))
  for (const [p, c] of Object.entries(state.files)) {
    if (lower(p) === want) {
      try {
        return JSON.parse(c) as WinreMount
      } catch {
        return null
      }
    }
  }
  return null
}
function writeMount(state: TrainingState, dir: string, m: WinreMount | null): void {
  const want = lower(mountRecordPath(dir))
  for (const p of Object.keys(state.files)) if (lower(p) === want) delete state.files[p]
  if (m) state.files[mountRecordPath(dir)] = JSON.stringify(m)
}
function mountedFrom(state: TrainingState, source: WinreMount['source']): boolean {
  return Object.entries(state.files).some(
    ([p, c]) => /\\windows\\servicing\\winre-mount\.json$/i.test(p) && c.includes(`"source":"${source}"`),
  )
}

/** Which winre.wim a path names, if the machine has it there. */
function wimAt(state: TrainingState, path: string): WinreMount['source'] | null {
  const w = state.winre
  if (lower(path) === STAGED && w.stagedImage) return 'staged'
  const m = /^\\\\\?\\globalroot\\device\\harddisk(\d+)\\partition(\d+)\\recovery\\windowsre\\winre\.wim$/.exec(
    lower(path),
  )
  if (m && w.enabled && w.imageOnPartition && Number(m[1]) === w.diskNumber && Number(m[2]) === w.partitionNumber)
    return 'partition'
  return null
}

function dismHead(state: TrainingState): string[] {
  return [
    '',
    'Deployment Image Servicing and Management tool',
    `Version: 10.0.${baseOf(state.os.currentBuild)}.${state.os.ubr}`,
    '',
  ]
}
function dismFail(state: TrainingState, hresult: number, message: string): TrainingCommandOutcome {
  const hex = `0x${(hresult >>> 0).toString(16).padStart(8, '0')}`
  const facility = ((hresult >>> 0) >>> 16) & 0x1fff
  const code = facility === 7 ? String((hresult >>> 0) & 0xffff) : hex
  return {
    exitCode: hresult | 0,
    stdout: [
      ...dismHead(state),
      `Error: ${code}`,
      '',
      message,
      '',
      'The DISM log file can be found at C:\\WINDOWS\\Logs\\DISM\\dism.log',
      '',
    ].join('\r\n'),
  }
}
const BAR = '[==========================100.0%==========================]'
const dismOk = (state: TrainingState, lines: string[], next?: TrainingState): TrainingCommandOutcome => ({
  exitCode: 0,
  stdout: [...dismHead(state), ...lines, 'The operation completed successfully.', ''].join('\r\n'),
  state: next,
})

/** `DISM /Get-ImageInfo /ImageFile:<winre.wim> /Index:1` in the layout parse/dism-image-info.ts reads. */
export const renderDismWinreImageInfo: TrainingCommand = ({ state, spec }) => {
  const wim = argValue(spec.args, 'ImageFile') ?? ''
  const source = wimAt(state, wim)
  if (!source) return dismFail(state, 0x80070002, 'The system cannot find the file specified.')
  const [, , base, rev] = state.winre.version.split('.')
  const arch = state.os.nativeArch === 'arm64' ? 'arm64' : 'x64'
  return dismOk(state, [
    `Details for image : ${wim}`,
    '',
    'Index : 1',
    `Name : Microsoft Windows Recovery Environment (${arch})`,
    `Description : Microsoft Windows Recovery Environment (${arch})`,
    `Size : ${enUsNumber(state.winre.imageSizeBytes * 4)} bytes`,
    'WIM Bootable : No',
    `Architecture : ${arch}`,
    'Hal : <undefined>',
    `Version : 10.0.${base}`,
    `ServicePack Build : ${rev}`,
    'ServicePack Level : 0',
    'Edition : WindowsPE',
    'Installation : WindowsPE',
    'ProductType : WinNT',
    'ProductSuite : ',
    'System Root : WINDOWS',
    'Languages :',
    '        en-US (Default)',
    '',
  ])
}

function mount(state: TrainingState, wim: string, dir: string, viaReagentc: boolean): TrainingCommandOutcome {
  const next = structuredClone(state)
  const fail = (code: number, msg: string) =>
    viaReagentc ? reagentcSays(`REAGENTC.EXE: ${msg}`, 2) : dismFail(state, code, msg)
  if (readMount(next, dir)) return fail(0xc1420127, 'The specified image is already mounted at this mount directory.')
  const source = wimAt(next, wim)
  if (!source)
    return fail(
      0x80070002,
      viaReagentc
        ? 'Windows RE is not enabled or its image was not found.'
        : 'The system cannot find the file specified.',
    )
  if (mountedFrom(next, source)) return fail(0xc1420116, 'The image is already mounted at another directory.')
  writeMount(next, dir, {
    source,
    wim,
    version: next.winre.version,
    sizeBytes: next.winre.imageSizeBytes,
    added: [],
    cleaned: false,
  })
  return viaReagentc
    ? reagentcSays('REAGENTC.EXE: Operation Successful.', 0, next)
    : dismOk(state, ['Mounting image', BAR], next)
}

function unmount(state: TrainingState, dir: string, commit: boolean, viaReagentc: boolean): TrainingCommandOutcome {
  const next = structuredClone(state)
  const m = readMount(next, dir)
  const fail = (code: number, msg: string) =>
    viaReagentc ? reagentcSays(`REAGENTC.EXE: ${msg}`, 2) : dismFail(state, code, msg)
  if (!m) return fail(0xc1420127, `The specified image is not mounted: ${dir}`)
  if ((commit && m.version !== next.winre.version) || (commit && m.sizeBytes !== next.winre.imageSizeBytes)) {
    const grow = m.sizeBytes - next.winre.imageSizeBytes
    if (m.source === 'partition') {
      const part = partitionAt(next, next.winre.diskNumber, next.winre.partitionNumber)
      // A WinRE update needs 250 MB free on its partition (KB5034441, [S22]): the commit rebuilds the image there.
      if (!part || freeOf(part) < Math.max(grow, WINRE_UPDATE_FREE_BYTES)) {
        // The KB5034441 failure: CBS_E_INSUFFICIENT_DISK_SPACE, shown as 0x80070070 here and 0x80070643 by Windows Update.
        writeMount(next, dir, null)
        return viaReagentc
          ? reagentcSays('REAGENTC.EXE: There is not enough space on the disk.', 2, next)
          : { ...dismFail(state, ERROR_DISK_FULL, 'There is not enough space on the disk.'), state: next }
      }
      part.usedBytes = (part.usedBytes ?? 0) + grow
    } else {
      if (next.systemDrive.freeBytes < grow) return fail(ERROR_DISK_FULL, 'There is not enough space on the disk.')
      next.systemDrive.freeBytes -= grow
    }
    next.winre.version = m.version
    next.winre.imageSizeBytes = m.sizeBytes
  }
  writeMount(next, dir, null)
  if (viaReagentc) return reagentcSays('REAGENTC.EXE: Operation Successful.', 0, withReagentXml(next))
  return dismOk(
    state,
    [
      `Image File : ${m.wim}`,
      'Image Index : 1',
      commit ? 'Saving image' : 'Unmounting image',
      BAR,
      'Unmounting image',
      BAR,
    ],
    next,
  )
}

export const renderDismMountWinre: TrainingCommand = ({ state, spec }) => {
  const wim = argValue(spec.args, 'ImageFile')
  const dir = argValue(spec.args, 'MountDir')
  if (!wim || !dir) return dismFail(state, 0x80070057, 'The /ImageFile and /MountDir options are required.')
  return mount(state, wim, dir, false)
}
export const renderDismUnmountWinre: TrainingCommand = ({ state, spec }) => {
  const dir = argValue(spec.args, 'MountDir')
  if (!dir || hasArg(spec.args, 'Commit') === hasArg(spec.args, 'Discard'))
    return dismFail(state, 0x80070057, 'Give /MountDir and exactly one of /Commit or /Discard.')
  return unmount(state, dir, hasArg(spec.args, 'Commit'), false)
}
export const renderReagentcMountre: TrainingCommand = ({ state, spec }) => {
  const dir = argAfter(spec.args, '/path')
  if (!dir) return reagentcSays('REAGENTC.EXE: The parameter is incorrect.', 2)
  const w = state.winre
  return mount(
    state,
    w.enabled
      ? `\\\\?\\GLOBALROOT\\device\\harddisk${w.diskNumber}\\partition${w.partitionNumber}\\Recovery\\WindowsRE\\winre.wim`
      : '',
    dir,
    true,
  )
}
export const renderReagentcUnmountre: TrainingCommand = ({ state, spec }) => {
  const dir = argAfter(spec.args, '/path')
  const commit = hasArg(spec.args, 'commit')
  const discard = hasArg(spec.args, 'discard')
  if (!dir || commit === discard) return reagentcSays('REAGENTC.EXE: The parameter is incorrect.', 2)
  return unmount(state, dir, commit, true)
}

/**
 * `DISM /Image:<dir> /Add-Package /PackagePath:<cab>` on the mounted WinRE. A Safe OS update whose target
 * base matches the image raises its version to the target (knowledge/winre-targets). The KB and the
 * architecture are read from the file name (Catalog names carry both); the training machine accepts the
 * KB by name and does not read the file.
 */
export const renderDismAddPackageWinre: TrainingCommand = ({ state, spec }) => {
  const dir = argValue(spec.args, 'Image')
  const path = argValue(spec.args, 'PackagePath')
  if (!dir || !path) return dismFail(state, 0x80070057, 'The /Image and /PackagePath options are required.')
  const next = structuredClone(state)
  const m = readMount(next, dir)
  if (!m) return dismFail(state, 0xc1420127, `The specified image in the mount directory is not mounted: ${dir}`)
  const name = path.split(/[\\/]/).pop()!.toLowerCase()
  const kb = /(?:^|[-_.])kb(\d{6,8})(?=[-_.]|$)/.exec(name)
  if (!kb || !/\.(cab|msu)$/.test(name))
    return dismFail(
      state,
      0x80070002,
      `An error occurred trying to open - ${path} Error: 0x80070002\r\n\r\nThe system cannot find the file specified.`,
    )
  const arch = /-(x64|amd64|arm64|x86)(?=[-_.])/.exec(name)?.[1]
  const machineArch = next.os.nativeArch === 'x64' ? ['x64', 'amd64'] : [next.os.nativeArch]
  const target = allWinreTargets().find((t) => t.kb === `KB${kb[1]}`)
  const imageBase = Number(m.version.split('.')[2])
  if (!target?.winreVersion || target.servicingBase !== imageBase || (arch && !machineArch.includes(arch))) {
    return dismFail(state, CBS_E_NOT_APPLICABLE, 'The specified package is not applicable to this image.')
  }
  const lines = [
    `Image Version: ${m.version}`,
    '',
    `Processing 1 of 1 - Adding package Package_for_SafeOSDU~31bf3856ad364e35~${arch ?? 'neutral'}~~${target.winreVersion.split('.').slice(2).join('.')}.1.0`,
    BAR,
  ]
  if (m.added.includes(target.kb) || Number(m.version.split('.')[3]) >= Number(target.winreVersion.split('.')[3])) {
    return dismOk(state, [`Image Version: ${m.version}`, '', 'The package is already installed.', ''])
  }
  m.added.push(target.kb)
  m.version = target.winreVersion
  m.sizeBytes += SAFE_OS_GROWTH
  writeMount(next, dir, m)
  return dismOk(state, lines, next)
}

/** `DISM /Image:<dir> /Cleanup-Image /StartComponentCleanup /ResetBase`: superseded components removed. */
export const renderDismCleanupWinre: TrainingCommand = ({ state, spec }) => {
  const dir = argValue(spec.args, 'Image')
  const next = structuredClone(state)
  const m = dir ? readMount(next, dir) : null
  if (!dir || !m)
    return dismFail(state, 0xc1420127, `The specified image in the mount directory is not mounted: ${dir ?? ''}`)
  if (!m.cleaned && m.added.length > 0)
    m.sizeBytes = Math.max(state.winre.imageSizeBytes, m.sizeBytes - RESETBASE_SAVING)
  m.cleaned = true
  writeMount(next, dir, m)
  return dismOk(state, [`Image Version: ${m.version}`, '', BAR], next)
}

/** `reg query … /v WinREVersion`. */
export const renderWinreRegistryVersion: TrainingCommand = ({ state }) => ({
  exitCode: 0,
  stdout: [
    '',
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
    `    WinREVersion    REG_SZ    ${state.winre.version}`,
    '',
    '',
  ].join('\r\n'),
})

/** Our PowerShell that creates the work folders. */
export const renderCreateWorkDir: TrainingCommand = () => ({ exitCode: 0, stdout: '' })

/** Our PowerShell `Set-Content` of the diskpart script: the training machine keeps the file. */
export const renderWriteDiskpartScript: TrainingCommand = ({ state, spec }) => {
  const script = decodePowerShellScript(spec.args) ?? ''
  const m = /Set-Content -LiteralPath '([^']+)' -Encoding Ascii -Value @\((.*)\)\s*$/s.exec(script)
  if (!m) return { exitCode: 1, stdout: '', stderr: 'Set-Content : the script is not the one Servicing Desk writes.' }
  const lines = [...m[2].matchAll(/'((?:[^']|'')*)'/g)].map((x) => x[1].replace(/''/g, "'"))
  const next = structuredClone(state)
  next.files[m[1]] = `${lines.join('\r\n')}\r\n`
  return { exitCode: 0, stdout: '', state: next }
}

// ---- diskpart ----------------------------------------------------------------------------------

/** `diskpart /s <script>`: the KB5028997 commands (select, shrink, delete partition override, create, gpt attributes, format, set id). */
export const renderDiskpart: TrainingCommand = ({ state, spec }) => {
  const path = argAfter(spec.args, '/s')
  const next = structuredClone(state)
  const head = [
    '',
    `Microsoft DiskPart version 10.0.${baseOf(state.os.currentBuild)}.1`,
    '',
    'Copyright (C) Microsoft Corporation.',
    `On computer: ${state.os.computerName}`,
    '',
  ]
  if (!path)
    return {
      exitCode: 2,
      stdout: [...head, 'The arguments specified for this command are not valid.', ''].join('\r\n'),
    }
  // The script the app's own step wrote into the model, or a file on this disk when the host handed its local path (an
  // emulated PC, where a script copied it there: pc-path.ts localPathOf maps a file that exists here).
  const scriptEntry =
    Object.entries(next.files).find(([p]) => lower(p) === lower(path)) ??
    (existsSync(path) ? ([path, readFileSync(path, 'latin1')] as const) : undefined)
  if (!scriptEntry) return { exitCode: 3, stdout: [...head, `The file ${path} could not be found.`, ''].join('\r\n') }
  const out = [...head]
  let disk: TrainingDisk | null = null
  let part: TrainingPartition | null = null
  const vds = (msg: string) => ({
    exitCode: 4,
    stdout: [...out, 'Virtual Disk Service error:', msg, '', ''].join('\r\n'),
    state: next,
  })
  for (const raw of scriptEntry[1].split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || /^rem\b/i.test(line)) continue
    const words = line.toLowerCase().split(/\s+/)
    const kv = Object.fromEntries(words.filter((w) => w.includes('=')).map((w) => w.split('=') as [string, string]))
    const cmd = words[0]
    if (cmd === 'exit') {
      out.push('Leaving DiskPart...')
      break
    }
    if (/^sel(ect)?$/.test(cmd) && /^disk$/.test(words[1] ?? '')) {
      disk = next.disks.find((d) => d.number === Number(words[2])) ?? null
      if (!disk)
        return {
          exitCode: 4,
          stdout: [...out, 'The disk you specified is not valid.', '', 'There is no disk selected.', ''].join('\r\n'),
          state: next,
        }
      out.push(`Disk ${disk.number} is now the selected disk.`, '')
      part = null
      continue
    }
    if (/^sel(ect)?$/.test(cmd) && /^part(ition)?$/.test(words[1] ?? '')) {
      if (!disk)
        return {
          exitCode: 4,
          stdout: [...out, 'There is no disk selected to set the partition.', ''].join('\r\n'),
          state: next,
        }
      part = disk.partitions.find((p) => p.number === Number(words[2])) ?? null
      if (!part)
        return {
          exitCode: 4,
          stdout: [
            ...out,
            'The partition you specified is not valid.',
            'Please select a valid partition.',
            '',
            'There is no partition selected.',
            '',
          ].join('\r\n'),
          state: next,
        }
      out.push(`Partition ${part.number} is now the selected partition.`, '')
      continue
    }
    if (cmd === 'shrink') {
      if (!disk || !part)
        return { exitCode: 4, stdout: [...out, 'There is no volume selected.', ''].join('\r\n'), state: next }
      const desired = Number(kv.desired ?? kv.minimum) * MB
      const minimum = Number(kv.minimum ?? kv.desired) * MB
      const isOs = part.driveLetter === next.systemDrive.letter
      const free = isOs ? next.systemDrive.freeBytes : freeOf(part)
      const amount = Math.min(desired, free - 1024 * MB)
      if (!(amount >= minimum) || !(minimum > 0))
        return vds(
          'The specified shrink size is too big and will cause the volume to be smaller than the minimum volume size.',
        )
      part.sizeBytes -= amount
      if (isOs) {
        next.systemDrive.sizeBytes -= amount
        next.systemDrive.freeBytes -= amount
      }
      out.push(`DiskPart successfully shrunk the volume by:  ${Math.round(amount / MB)} MB`, '')
      continue
    }
    if (cmd === 'delete' && /^part(ition)?$/.test(words[1] ?? '')) {
      if (!disk || !part)
        return { exitCode: 4, stdout: [...out, 'There is no partition selected.', ''].join('\r\n'), state: next }
      if (part.gptType === GPT.recovery && !words.includes('override'))
        return vds('Cannot delete a protected partition without the force protected parameter set.')
      if (part.driveLetter === next.systemDrive.letter)
        return vds('Cannot delete the system, boot, or page file volume.')
      const w = next.winre
      if (w.diskNumber === disk.number && w.partitionNumber === part.number && w.imageOnPartition) {
        // The image was still on it: WinRE now points at nothing (why KB5028997 disables WinRE first).
        w.imageOnPartition = false
      }
      disk.partitions = disk.partitions.filter((p) => p !== part)
      out.push('DiskPart successfully deleted the selected partition.', '')
      part = null
      continue
    }
    if (cmd === 'create' && /^part(ition)?$/.test(words[1] ?? '') && words[2] === 'primary') {
      if (!disk) return { exitCode: 4, stdout: [...out, 'There is no disk selected.', ''].join('\r\n'), state: next }
      const extent = largestFreeExtent(disk)
      const want = kv.size ? Number(kv.size) * MB : extent ? extent.size - MB : 0
      if (!extent || want <= 0 || want > extent.size) return vds('There is not enough usable space for this operation.')
      const number = Math.min(
        ...Array.from({ length: 128 }, (_, i) => i + 1).filter((n) => !disk!.partitions.some((p) => p.number === n)),
      )
      const id = kv.id?.replace(/^"|"$/g, '')
      const created: TrainingPartition = {
        number,
        offsetBytes: extent.offset,
        sizeBytes: want,
        usedBytes: null,
        gptType: id && id !== '27' ? `{${id}}` : GPT.basicData,
        driveLetter: null,
        label: null,
        fileSystem: null,
      }
      disk.partitions.push(created)
      disk.partitions.sort((a, b) => a.offsetBytes - b.offsetBytes)
      part = created
      out.push('DiskPart succeeded in creating the specified partition.', '')
      continue
    }
    if (cmd === 'set' && kv.id) {
      if (!part)
        return { exitCode: 4, stdout: [...out, 'There is no partition selected.', ''].join('\r\n'), state: next }
      const id = kv.id.replace(/^"|"$/g, '')
      part.gptType = id === '27' ? part.gptType : `{${id}}`
      out.push('DiskPart successfully set the partition ID.', '')
      continue
    }
    if (cmd === 'gpt') {
      if (!part)
        return { exitCode: 4, stdout: [...out, 'There is no partition selected.', ''].join('\r\n'), state: next }
      out.push('DiskPart successfully assigned the attributes to the selected GPT partition.', '')
      continue
    }
    if (cmd === 'format') {
      if (!part) return { exitCode: 4, stdout: [...out, 'There is no volume selected.', ''].join('\r\n'), state: next }
      const label = /label\s*=\s*"([^"]*)"|label\s*=\s*(\S+)/i.exec(line)
      part.fileSystem = (kv.fs ?? 'ntfs').toUpperCase()
      part.label = label ? (label[1] ?? label[2]) : null
      part.usedBytes = NTFS_OVERHEAD_BYTES
      out.push('  100 percent completed', '', 'DiskPart successfully formatted the volume.', '')
      continue
    }
    if (cmd === 'list' || cmd === 'detail') continue
    return {
      exitCode: 5,
      stdout: [...out, `The command "${line}" is not modelled by this training machine.`, ''].join('\r\n'),
      state: next,
    }
  }
  return { exitCode: 0, stdout: [...out, ''].join('\r\n'), state: next }
}

/** The largest unallocated extent between partitions (and before the disk's last MB). */
function largestFreeExtent(disk: TrainingDisk): { offset: number; size: number } | null {
  const parts = [...disk.partitions].sort((a, b) => a.offsetBytes - b.offsetBytes)
  let best: { offset: number; size: number } | null = null
  let cursor = MB
  for (const p of [...parts, { offsetBytes: disk.sizeBytes, sizeBytes: 0 }]) {
    const gap = p.offsetBytes - cursor
    if (gap >= MB && (!best || gap > best.size)) best = { offset: cursor, size: gap }
    cursor = Math.max(cursor, p.offsetBytes + p.sizeBytes)
  }
  return best
}

/**
 * A WinRE update installed on the running PC as an MSU (KB5034441 on Windows 10, KB5034440 on 11): its
 * installer rebuilds winre.wim on the recovery partition, which needs 250 MB free there. Without that room
 * it fails, and Windows Update and the MSU report 0x80070643 (ERROR_INSTALL_FAILURE; the condition underneath
 * is CBS_E_INSUFFICIENT_DISK_SPACE — KB5034441, KB5028997). With room, WinRE reaches the KB's version.
 * Returns null for a KB that is not a WinRE update (the caller installs it as any other package).
 * Mutates `state` only on success.
 */
export function applyOnlineWinreUpdate(
  state: TrainingState,
  kb: string,
): null | { kind: 'failed'; hresult: number; message: string } | { kind: 'applied'; version: string | null } {
  const target = winreUpdateByKb(kb)
  if (!target) return null
  const w = state.winre
  const have = w.version.split('.').map(Number)
  const want = target.winreVersion.split('.').map(Number)
  if (have[2] !== target.servicingBase)
    return {
      kind: 'failed',
      hresult: CBS_E_NOT_APPLICABLE,
      message: 'The specified package is not applicable to this image.',
    }
  // WinRE disabled: the update has no WinRE to service; it installs and changes nothing (the version stays).
  if (!w.enabled) return { kind: 'applied', version: null }
  if (have[3] >= want[3]) return { kind: 'applied', version: null }
  const part = w.imageOnPartition ? partitionAt(state, w.diskNumber, w.partitionNumber) : null
  const grow = SAFE_OS_GROWTH - RESETBASE_SAVING
  if (part) {
    if (freeOf(part) < Math.max(grow, WINRE_UPDATE_FREE_BYTES))
      return { kind: 'failed', hresult: ERROR_INSTALL_FAILURE, message: 'Fatal error during installation.' }
    part.usedBytes = (part.usedBytes ?? 0) + grow
  } else {
    if (state.systemDrive.freeBytes < grow)
      return { kind: 'failed', hresult: ERROR_INSTALL_FAILURE, message: 'Fatal error during installation.' }
    state.systemDrive.freeBytes -= grow
  }
  w.version = target.winreVersion
  w.imageSizeBytes += grow
  return { kind: 'applied', version: target.winreVersion }
}
