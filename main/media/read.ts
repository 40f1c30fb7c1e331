/**
 * Reads an installation medium as one picture of its layers: every install.wim index, both
 * boot.wim indexes, the winre.wim inside each install.wim index, and `sources\setup.exe`'s version; each with
 * edition, build.UBR, architecture and languages from DISM `/Get-WimInfo /Index:N` (parsed by the shared
 * parser), judged against the newest knowledge (cumulative update, Safe OS DU, Setup DU) for its branch.
 */
import { parseDismImageInfo } from '../parse/dism-image-info.ts'
import { branchForBuild, knownUpdate, newestUpdateForBranch, type KnownUpdate } from '../knowledge/servicing-chains.ts'
import { setupDuFor, setupDuGapReason } from '../knowledge/setup-dus.ts'
import { parseWinreVersion, safeOsForMonth, winreTargetForBranch } from '../knowledge/winre-targets.ts'
import type { MediumArch } from './training/media.ts'
import type { WimXmlImage } from '../parse/wim-header.ts'

export interface DismRun {
  exitCode: number
  stdout: string
  stderr?: string
}

/** Where a medium's facts come from: a training medium, or (not built yet) a real drive through the Host. */
export interface MediumSource {
  name: string
  title: string
  root: string
  fileSystem: 'NTFS' | 'FAT32' | 'unknown'
  workFreeBytes: number | null
  setupVersion: string | null
  installFileBytes: number | null
  bootFileBytes: number | null
  staleMounts: string[]
  /** Bytes the stale mounts hold in the work folder (given back by DISM /Cleanup-Mountpoints). */
  staleMountBytes?: number
  /** install.wim's place under the root when it is not `sources\\install.wim` (a split medium: `sources\\install.swm`). */
  installFile?: string
  /** A split install image: each .swm part's bytes. */
  swmParts?: number[]
  /** The Setup Dynamic Update expanded into `sources` (known for a training medium an update changed). */
  setupDu?: string | null
  /** Runs `DISM <args>` (argv, never a shell line) and returns its output. */
  dism(args: string[]): Promise<DismRun>
  /** The winre.wim of install.wim index N, as a path `/Get-WimInfo` can read. */
  winrePath(index: number): string
  /** A real folder (folder-source.ts): its .wim files are read from their own header and XML metadata, not by DISM. */
  kind?: 'training' | 'folder'
  readWim?: (file: string) => Promise<WimRead>
  /** What could not be read (said as warnings). */
  readProblems?: string[]
  /** The steps that need Windows for this source (said on its scan, never shown as a failure). */
  needsWindows?: string[]
}

/** A .wim read without DISM: its images, or why they could not be read. */
export type WimRead =
  | { images: WimXmlImage[]; fileBytes: number; part: number; parts: number; error?: undefined }
  | { error: string }

export type Staleness = 'current' | 'stale' | 'unknown'

export interface MediumLayer {
  layer: 'install' | 'boot' | 'winre' | 'setup'
  file: string
  /** The index in its .wim (for winre: the install.wim index that holds it). */
  index: number | null
  name: string | null
  edition: string | null
  arch: MediumArch | null
  build: number | null
  ubr: number | null
  version: string | null
  languages: string[]
  target: string | null
  staleness: Staleness
  reason: string
}

export interface MediumScan {
  name: string
  title: string
  root: string
  fileSystem: string
  arch: MediumArch | null
  branchId: string | null
  /** The branch as a person names it ("Windows 11, version 24H2"); null when not known. */
  windows: string | null
  targetKb: string | null
  layers: MediumLayer[]
  staleMounts: string[]
  warnings: string[]
  /** A real folder: the steps that need Windows (DISM), in plain words. */
  needsWindows?: string[]
}

/** FAT32's largest file: 4 GiB - 1 byte. */
const FAT32_FILE_LIMIT = 4 * 1024 ** 3 - 1

/** A file under the medium's root: Windows separators, or `/` for a POSIX folder (a tree read on Linux or macOS). */
const join = (root: string, rel: string) =>
  root.startsWith('/')
    ? `${root.replace(/\/+$/, '')}/${rel.replace(/\\/g, '/')}`
    : `${root.replace(/\\+$/, '')}\\${rel}`

/** `Languages :` then one language a line (indented; the first marked `(Default)`), or on the same line. */
export function parseWimLanguages(text: string): string[] {
  const lines = text.split(/\r?\n/)
  const at = lines.findIndex((l) => /^\s*(?:>\s*)?Languages\s*:/i.test(l))
  if (at < 0) return []
  const out: string[] = []
  const same = lines[at].replace(/^\s*(?:>\s*)?Languages\s*:/i, '').trim()
  const take = (v: string) => {
    const m = /^([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)(?:\s+\(Default\))?$/i.exec(v.trim())
    if (m) out.push(m[1])
  }
  if (same) {
    take(same)
    return out
  }
  for (const l of lines.slice(at + 1)) {
    const v = l.replace(/^\s*>\s*/, '').trim()
    if (v === '' || /:/.test(v)) break
    take(v)
  }
  return out
}

type Detail = {
  name: string | null
  edition: string | null
  arch: MediumArch | null
  build: number | null
  ubr: number | null
  languages: string[]
}

/** A folder's .wim, read once from its XML metadata: each index's details (the same fields DISM gives). */
async function wimDetails(src: MediumSource, file: string, warnings: string[]): Promise<Map<number, Detail>> {
  const r = await src.readWim!(file)
  const out = new Map<number, Detail>()
  if (r.error !== undefined) {
    warnings.push(r.error)
    return out
  }
  for (const i of r.images) {
    out.set(i.index, {
      name: i.name,
      edition: i.editionId,
      arch: i.arch === 'x64' || i.arch === 'arm64' ? i.arch : null,
      build: i.build,
      ubr: i.spBuild,
      languages: i.languages,
    })
    if (i.arch !== 'x64' && i.arch !== 'arm64')
      warnings.push(
        `${file} index ${i.index} is ${i.arch ?? (i.archCode === null ? 'of no stated architecture' : `architecture number ${i.archCode}`)}; only x64 and arm64 media are updated.`,
      )
  }
  return out
}

async function indexes(src: MediumSource, file: string, warnings: string[]): Promise<number[]> {
  const r = await src.dism(['/English', '/Get-WimInfo', `/WimFile:${file}`])
  if (r.exitCode !== 0) {
    warnings.push(
      `DISM /Get-WimInfo ${file} failed (exit ${r.exitCode}): ${(r.stdout + (r.stderr ?? '')).trim().split(/\r?\n/).filter(Boolean).slice(-2).join(' ')}`,
    )
    return []
  }
  return parseDismImageInfo(r.stdout).images.map((i) => i.index)
}

async function detail(src: MediumSource, file: string, index: number, warnings: string[]) {
  const r = await src.dism(['/English', '/Get-WimInfo', `/WimFile:${file}`, `/Index:${index}`])
  if (r.exitCode !== 0) {
    warnings.push(`DISM /Get-WimInfo ${file} /Index:${index} failed (exit ${r.exitCode}).`)
    return null
  }
  const img = parseDismImageInfo(r.stdout).images.find((i) => i.index === index) ?? null
  if (!img) {
    warnings.push(`${file} index ${index}: DISM's answer had no image record.`)
    return null
  }
  const build = img.version ? Number(img.version.split('.')[2]) : null
  const arch = img.arch === 'x64' || img.arch === 'arm64' ? img.arch : null
  return { name: img.name, edition: img.edition, arch, build, ubr: img.spBuild, languages: parseWimLanguages(r.stdout) }
}

/**
 * The cumulative update a medium of the branch is brought to: the one named by --kb, else the branch's newest
 * update — the same one the Overview, `knowledge` and the Catalog name (never an optional preview).
 */
export function mediumTargetLcu(branchId: string | null, kb?: string): KnownUpdate | null {
  if (kb) return knownUpdate(kb)
  if (!branchId) return null
  return newestUpdateForBranch(branchId)
}

export async function readMedium(src: MediumSource, opts: { kb?: string } = {}): Promise<MediumScan> {
  const warnings: string[] = []
  const layers: MediumLayer[] = []
  const installFile = join(src.root, src.installFile ?? 'sources\\install.wim')
  const bootFile = join(src.root, 'sources\\boot.wim')
  const raw: Array<Omit<MediumLayer, 'target' | 'staleness' | 'reason'>> = []
  const ver = (d: Detail) => (d.build !== null && d.ubr !== null ? `10.0.${d.build}.${d.ubr}` : null)
  if (src.readWim) {
    // A real folder: the XML metadata of each .wim; the winre.wim inside install.wim needs DISM (said per index).
    warnings.push(...(src.readProblems ?? []))
    const install = await wimDetails(src, installFile, warnings)
    for (const [n, d] of install) {
      raw.push({ layer: 'install', file: installFile, index: n, ...d, version: ver(d) })
      raw.push({
        layer: 'winre',
        file: src.winrePath(n),
        index: n,
        name: null,
        edition: null,
        arch: d.arch,
        build: null,
        ubr: null,
        version: null,
        languages: [],
      })
    }
    for (const [n, d] of await wimDetails(src, bootFile, warnings))
      raw.push({ layer: 'boot', file: bootFile, index: n, ...d, version: ver(d) })
    if (src.installFileBytes !== null && src.installFileBytes > FAT32_FILE_LIMIT)
      warnings.push(
        `${installFile} is ${(src.installFileBytes / 1e9).toFixed(2)} GB, over FAT32's 4 GiB file limit: a FAT32 USB stick cannot hold it whole (the update plan splits it into .swm parts).`,
      )
    for (const [i, p] of (src.swmParts ?? []).entries())
      if (p > FAT32_FILE_LIMIT)
        warnings.push(`install${i ? i + 1 : ''}.swm is ${(p / 1e9).toFixed(2)} GB, over FAT32's 4 GiB file limit.`)
  }
  for (const n of src.readWim ? [] : await indexes(src, installFile, warnings)) {
    const d = await detail(src, installFile, n, warnings)
    if (d)
      raw.push({
        layer: 'install',
        file: installFile,
        index: n,
        ...d,
        version: d.build !== null && d.ubr !== null ? `10.0.${d.build}.${d.ubr}` : null,
      })
    const wf = src.winrePath(n)
    const w = await detail(src, wf, 1, warnings)
    if (w)
      raw.push({
        layer: 'winre',
        file: wf,
        index: n,
        ...w,
        version: w.build !== null && w.ubr !== null ? `10.0.${w.build}.${w.ubr}` : null,
      })
  }
  for (const n of src.readWim ? [] : await indexes(src, bootFile, warnings)) {
    const d = await detail(src, bootFile, n, warnings)
    if (d)
      raw.push({
        layer: 'boot',
        file: bootFile,
        index: n,
        ...d,
        version: d.build !== null && d.ubr !== null ? `10.0.${d.build}.${d.ubr}` : null,
      })
  }
  const first = raw.find((l) => l.layer === 'install') ?? raw[0]
  const branch = first ? branchForBuild(first.build, { ubr: first.ubr, edition: first.edition }) : null
  const archs = [...new Set(raw.map((l) => l.arch).filter((a): a is MediumArch => a !== null))]
  if (archs.length > 1) warnings.push(`The medium mixes architectures (${archs.join(', ')}).`)
  const lcu = mediumTargetLcu(branch?.id ?? null, opts.kb)
  if (opts.kb && !lcu) warnings.push(`${opts.kb} is not in the knowledge; the images are not judged against it.`)
  // WinRE is judged against the Safe OS update of the target cumulative update's month (or the most recent not newer),
  // the one the media plan applies; without a target update, against the branch's newest.
  const safeOs = branch
    ? lcu
      ? (safeOsForMonth(branch.id, lcu.released.slice(0, 7))?.update ?? null)
      : winreTargetForBranch(branch.id)
    : null
  for (const l of raw) {
    if (l.layer === 'winre' && src.readWim) {
      layers.push({
        ...l,
        target: safeOs ? `${safeOs.kb}${safeOs.winreVersion ? ` (${safeOs.winreVersion})` : ''}` : null,
        staleness: 'unknown',
        reason: `Needs Windows: winre.wim is a file inside install.wim index ${l.index}; reading its version needs DISM to mount that index (read-only).`,
      })
      continue
    }
    if (l.layer === 'winre') {
      const want = safeOs?.winreVersion ? parseWinreVersion(safeOs.winreVersion) : null
      if (!safeOs || !want || l.ubr === null) {
        layers.push({
          ...l,
          target: safeOs?.kb ?? null,
          staleness: 'unknown',
          reason: safeOs
            ? `${safeOs.kb} is the newest Safe OS DU, but no source gives its WinRE version.`
            : 'No Safe OS Dynamic Update is known for this branch.',
        })
        continue
      }
      const stale = l.ubr < want[3]
      layers.push({
        ...l,
        target: `${safeOs.kb} (${safeOs.winreVersion})`,
        staleness: stale ? 'stale' : 'current',
        reason: stale
          ? `WinRE ${l.version} is older than ${safeOs.winreVersion}, which the Safe OS DU ${safeOs.kb} (${safeOs.released}) brings.`
          : `WinRE ${l.version} is at or past ${safeOs.winreVersion} (${safeOs.kb}).`,
      })
      continue
    }
    if (!lcu || l.ubr === null || l.build === null) {
      layers.push({
        ...l,
        target: lcu?.kb ?? null,
        staleness: 'unknown',
        reason: lcu ? 'The image did not report its build.' : 'No cumulative update is known for this branch.',
      })
      continue
    }
    const stale = l.build === lcu.baseBuild && l.ubr < lcu.ubr
    layers.push({
      ...l,
      target: `${lcu.kb} (${lcu.baseBuild}.${lcu.ubr})`,
      staleness: stale ? 'stale' : l.build === lcu.baseBuild ? 'current' : 'unknown',
      reason: stale
        ? `${l.version} is older than ${lcu.baseBuild}.${lcu.ubr} (${lcu.kb}, ${lcu.released}).`
        : l.build === lcu.baseBuild
          ? `${l.version} is at or past ${lcu.kb}.`
          : `Build ${l.build} is not the build ${lcu.kb} is for (${lcu.baseBuild}).`,
    })
  }
  layers.push({
    layer: 'setup',
    file: join(src.root, 'sources\\setup.exe'),
    index: null,
    name: 'Windows Setup',
    edition: null,
    arch: archs[0] ?? null,
    build: src.setupVersion ? Number(src.setupVersion.split('.')[2]) : null,
    ubr: src.setupVersion ? Number(src.setupVersion.split('.')[3]) : null,
    version: src.setupVersion,
    languages: [],
    ...setupJudgement(branch?.id ?? null, lcu, src.setupDu ?? null),
  })
  return {
    name: src.name,
    title: src.title,
    root: src.root,
    fileSystem: src.fileSystem,
    arch: archs.length === 1 ? archs[0] : null,
    branchId: branch?.id ?? null,
    windows: branch ? `${branch.product}, version ${branch.displayVersion}` : null,
    targetKb: lcu?.kb ?? null,
    layers,
    staleMounts: src.staleMounts,
    warnings,
    ...(src.needsWindows ? { needsWindows: [...src.needsWindows] } : {}),
  }
}

/** The setup files against the knowledge's Setup Dynamic Update for the target's branch and month. */
function setupJudgement(
  branchId: string | null,
  lcu: { kb: string; released: string } | null,
  expanded: string | null,
): { target: string | null; staleness: 'current' | 'unknown'; reason: string } {
  if (!branchId || !lcu)
    return {
      target: null,
      staleness: 'unknown',
      reason:
        'With no branch or cumulative update to match, no Setup Dynamic Update is chosen; the setup files cannot be judged.',
    }
  const month = lcu.released.slice(0, 7)
  const du = setupDuFor(branchId, month)
  if (!du)
    return {
      target: null,
      staleness: 'unknown',
      reason: `${setupDuGapReason(branchId, month)} The setup files cannot be judged.`,
    }
  if (expanded && expanded.toUpperCase() === du.kb)
    return {
      target: du.kb,
      staleness: 'current',
      reason: `${du.kb}, the Setup Dynamic Update of ${month}, was expanded into sources.`,
    }
  return {
    target: du.kb,
    staleness: 'unknown',
    reason: `${du.kb} is the Setup Dynamic Update of ${month} (goes with ${lcu.kb}); ${du.setupVersion ? `it brings setup.exe ${du.setupVersion}` : 'no Microsoft page we read gives the setup.exe version it brings'}, so the setup files are judged once an update expands it.`,
  }
}
