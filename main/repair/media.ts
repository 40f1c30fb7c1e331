/**
 * Mounted installation media as the same-build repair source of `restore-health` (servicing-facts
 * R5: "a mounted matching install.wim" is a /Source of the same build [S2]).
 *
 * - `findInstallMedia` looks through the Host, argv only: `<D–Z>:\sources\install.wim` or `install.esd`
 *   (host.exists), then `DISM /English /Get-WimInfo /WimFile:<file>` for the indexes and
 *   `… /Index:N` for each index's Version, ServicePack Build, Architecture and Edition (read by
 *   main/parse/dism-image-info.ts, tested against real captures in test/fixtures/dism-image-info).
 * - `chooseMediaSource` (pure) picks the index whose build.UBR is the PC's — the same architecture, the
 *   PC's edition where the medium has it — and refuses every other medium with the reason, naming both
 *   builds. A medium reports its servicing base build: a Windows 11 23H2 ISO's images say 10.0.22621
 *   (23H2 is 22631 on the 22621 base, servicing-facts §builds [S45][S26]; 25H2 is 26200 on the 26100 base
 *   [S42]), so the image build may be the PC branch's `servicingBase` (main/knowledge); the UBR must be equal.
 * - `mediaSourceArg` is the /Source value DISM reads: `wim:E:\sources\install.wim:3` (`esd:` for an ESD).
 */
import type { CommandSpec, Host } from '../host/host.ts'
import type { MachineArch } from '../../preload/model/common.ts'
import { parseDismImageInfo, type ImageInfo } from '../parse/dism-image-info.ts'
import { branchForBuild } from '../knowledge/servicing-chains.ts'

export const MEDIA_LETTERS = 'DEFGHIJKLMNOPQRSTUVWXYZ'.split('')
export const MEDIA_FILES = ['install.wim', 'install.esd'] as const
export type MediaFile = (typeof MEDIA_FILES)[number]
/** At most this many media and indexes per medium are read (an ISO holds about 11 editions). */
const MAX_MEDIA = 4
const MAX_INDEXES = 24

export interface MountedMedium {
  letter: string
  file: MediaFile
  /** `E:\sources\install.wim` */
  path: string
  /** Each index with its detail (version, ServicePack Build, architecture, edition). */
  images: ImageInfo[]
  /** Why the medium's images could not be read, or null. */
  problem: string | null
}

/** `<letter>:\sources\<file>` from a validated letter and file name only. */
export function mediaPath(letter: string, file: MediaFile): string {
  if (!MEDIA_LETTERS.includes(letter) || !MEDIA_FILES.includes(file))
    throw new Error(`Not an installation medium: ${letter}: ${file}`)
  return `${letter}:\\sources\\${file}`
}

/** The /Source value of DISM /RestoreHealth for an index of a medium (WIM: or ESD: prefix, learn.microsoft.com repair-a-windows-image). */
export function mediaSourceArg(letter: string, file: MediaFile, index: number): string {
  if (!Number.isInteger(index) || index < 1 || index > 64) throw new Error(`Not an image index: ${index}`)
  return `${file === 'install.esd' ? 'esd' : 'wim'}:${mediaPath(letter, file)}:${index}`
}

/** `DISM /English /Get-WimInfo /WimFile:<file> [/Index:N]` (read-only). */
export function wimInfoSpec(letter: string, file: MediaFile, index?: number): CommandSpec {
  const args = ['/English', '/Get-WimInfo', `/WimFile:${mediaPath(letter, file)}`]
  if (index !== undefined) args.push(`/Index:${index}`)
  return { name: 'repair.wim-info', file: 'dism.exe', args, timeoutMs: 120_000, outputEncoding: 'console' }
}

/** The mounted installation media of a live machine, each index read with its detail. Never throws. */
export async function findInstallMedia(host: Host): Promise<MountedMedium[]> {
  const out: MountedMedium[] = []
  // Asked together: over a remote Host the 44 questions travel in one round trip instead of 44.
  const present = new Map(
    await Promise.all(
      MEDIA_LETTERS.flatMap((letter) =>
        MEDIA_FILES.map(
          async (file) =>
            [mediaPath(letter, file), await host.exists(mediaPath(letter, file)).catch(() => false)] as const,
        ),
      ),
    ),
  )
  for (const letter of MEDIA_LETTERS) {
    for (const file of MEDIA_FILES) {
      if (out.length >= MAX_MEDIA) return out
      const path = mediaPath(letter, file)
      const there = present.get(path) === true
      if (!there) continue
      out.push(await readMedium(host, letter, file))
      break // one image file per drive (setup reads install.wim before install.esd)
    }
  }
  return out
}

async function readMedium(host: Host, letter: string, file: MediaFile): Promise<MountedMedium> {
  const path = mediaPath(letter, file)
  const list = await host
    .run(wimInfoSpec(letter, file))
    .catch((err: Error) => ({ ok: false, stdout: '', stderr: err.message, exitCode: null }))
  if (!list.ok)
    return {
      letter,
      file,
      path,
      images: [],
      problem: `DISM /Get-WimInfo could not read it (${(list.stderr || list.stdout).trim().split(/\r?\n/).filter(Boolean).at(-1) ?? `exit ${list.exitCode}`})`,
    }
  const indexes = parseDismImageInfo(list.stdout)
    .images.map((i) => i.index)
    .slice(0, MAX_INDEXES)
  if (!indexes.length) return { letter, file, path, images: [], problem: 'DISM /Get-WimInfo listed no image index' }
  const images: ImageInfo[] = []
  for (const index of indexes) {
    const r = await host.run(wimInfoSpec(letter, file, index)).catch(() => null)
    const detail = r?.ok ? parseDismImageInfo(r.stdout).images.find((i) => i.index === index) : undefined
    if (detail) images.push(detail)
  }
  return {
    letter,
    file,
    path,
    images,
    problem: images.length ? null : 'DISM /Get-WimInfo /Index gave no image details',
  }
}

export interface PcLevel {
  build: number
  ubr: number
  arch: MachineArch
  /** The PC's EditionID (e.g. Enterprise, Professional, Core), or null. */
  editionId: string | null
}

export interface ChosenMedium {
  letter: string
  file: MediaFile
  path: string
  index: number
  name: string | null
  edition: string | null
  /** The image's build as it reports it (the PC's build or its servicing base). */
  build: number
  ubr: number
}

export interface MediaChoice {
  chosen: ChosenMedium | null
  /** Why each other medium (or index set) is not used, one sentence each. */
  notes: string[]
}

/** `10.0.22621` → 22621; `10.0.26100.1742` → 26100. */
function buildOf(version: string | null): number | null {
  const m = version ? /^\d+\.\d+\.(\d+)(?:\.\d+)?$/.exec(version) : null
  return m ? Number(m[1]) : null
}

const levelOf = (i: ImageInfo) => `${buildOf(i.version) ?? '?'}.${i.spBuild ?? '?'}`

/** The index of a mounted medium that is a same-build source for this PC, or none with the reasons. */
export function chooseMediaSource(media: readonly MountedMedium[], pc: PcLevel): MediaChoice {
  const base = branchForBuild(pc.build, { ubr: pc.ubr })?.servicingBase ?? null
  const builds = new Set([pc.build, ...(base !== null ? [base] : [])])
  const notes: string[] = []
  let chosen: ChosenMedium | null = null
  for (const m of media) {
    if (m.problem) {
      notes.push(`${m.path} is not used as a repair source: ${m.problem}.`)
      continue
    }
    const sameArch = m.images.filter((i) => i.arch === pc.arch)
    const same = sameArch.filter((i) => builds.has(buildOf(i.version) ?? -1) && i.spBuild === pc.ubr)
    if (!same.length) {
      const found = [...new Set(m.images.map((i) => `${levelOf(i)} (${i.arch ?? 'unknown architecture'})`))].join(', ')
      notes.push(
        sameArch.length
          ? `${m.path} holds Windows ${[...new Set(sameArch.map(levelOf))].join(', ')}; this PC runs ${pc.build}.${pc.ubr}: installation media of another build is not a repair source (DISM needs the exact same build), so it is not used.`
          : `${m.path} holds images for ${found || 'no readable architecture'}; this PC is ${pc.arch} (build ${pc.build}.${pc.ubr}): another architecture is not a repair source, so it is not used.`,
      )
      continue
    }
    if (chosen) {
      notes.push(`${m.path} also matches ${pc.build}.${pc.ubr}; ${chosen.path} is used.`)
      continue
    }
    const pick = same.find((i) => pc.editionId && i.edition?.toLowerCase() === pc.editionId.toLowerCase()) ?? same[0]!
    if (pc.editionId && pick.edition?.toLowerCase() !== pc.editionId.toLowerCase()) {
      notes.push(
        `${m.path} has no image of this PC's edition (${pc.editionId}); index ${pick.index} (${pick.edition ?? pick.name ?? 'unnamed'}) of the same build is used.`,
      )
    }
    chosen = {
      letter: m.letter,
      file: m.file,
      path: m.path,
      index: pick.index,
      name: pick.name,
      edition: pick.edition,
      build: buildOf(pick.version)!,
      ubr: pc.ubr,
    }
  }
  return { chosen, notes }
}
