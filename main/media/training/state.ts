/**
 * A training medium that changes: the state of one medium and of the work folder an update uses,
 * persisted like the training machines' state (`<dataDir>/training/media/<name>.json`, written atomically). A
 * medium nobody changed yet is its definition (media.ts). The state holds, per image and index, build and UBR,
 * the packages added, the winre.wim inside each install.wim index at its version, both boot.wim indexes,
 * the setup version in `sources`, the split .swm parts, the .wim files of the work folder (the copy of the
 * medium, the extracted winre.wim, the exports) and the mounts DISM holds open.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomicSync } from '../../atomic-write.ts'
import { trainingMedium, type MediumArch, type TrainingMediumDef, type TrainingWimImage } from './media.ts'

export interface MediaImage extends Omit<TrainingWimImage, 'winre'> {
  /** KBs added to this image (DISM /Add-Package), in order. */
  packages: string[]
  /** Bytes this image takes inside its .wim (what an export copies; an LCU adds to it). */
  storedBytes: number
  winre?: { build: number; ubr: number; sizeBytes: number; packages: string[] }
}

export interface MediaWim {
  images: MediaImage[]
}

export interface MediaMount {
  dir: string
  /** The .wim file and index mounted (lower-case path as DISM was given it). */
  file: string
  index: number
  readOnly: boolean
  /** The image as it is in the mount folder (changes here reach the .wim only with /Commit). */
  image: MediaImage
  /** DISM's `Status :` word: Ok for a live mount, `Needs Remount` / `Invalid` for one a crash left behind. */
  status: 'Ok' | 'Needs Remount' | 'Invalid'
}

/** A folder of files: `sources` of the medium or of the copy in the work folder. */
export interface MediaSources {
  setupVersion: string
  /** The Setup Dynamic Update expanded into `sources` (null: none). */
  setupDu: string | null
  /** install.wim (null when the medium carries install.swm parts instead). */
  install: MediaWim | null
  /** install.swm, install2.swm, …: each part's bytes, and the images the set holds; null when not split. */
  swm: { parts: number[]; images: MediaImage[] } | null
  boot: MediaWim | null
}

export interface TrainingMediumState {
  format: 1
  name: string
  arch: MediumArch
  fileSystem: 'NTFS' | 'FAT32'
  root: string
  workFreeBytes: number
  medium: MediaSources
  /** The work folder's .wim files (lower-case Windows path → the file), besides the copy of the medium. */
  files: Record<string, MediaWim>
  /** Copies of the medium in work folders (lower-case path of the copy → its sources), made by robocopy /MIR. */
  copies: Record<string, MediaSources>
  mounts: MediaMount[]
}

export const WORK = 'C:\\ProgramData\\ServicingDesk\\work'
const GB = 1024 ** 3

export const normPath = (p: string) =>
  p.replace(/\//g, '\\').replace(/^"|"$/g, '').replace(/\\+/g, '\\').replace(/\\$/, '').toLowerCase()

/** A .wim file's size: its images' stored bytes (a fresh export holds each image once). */
export function wimBytes(w: MediaWim | null): number {
  return (w?.images ?? []).reduce((n, i) => n + i.storedBytes, 0)
}

export function initialMediumState(def: TrainingMediumDef): TrainingMediumState {
  const per = (bytes: number, n: number) => Math.round(bytes / Math.max(1, n))
  const image = (i: TrainingWimImage, stored: number): MediaImage => {
    const { winre, ...rest } = i
    return {
      ...structuredClone(rest),
      packages: [],
      storedBytes: stored,
      ...(winre ? { winre: { ...winre, packages: [] } } : {}),
    }
  }
  const stale = def.staleMounts.map((dir): MediaMount => {
    // A mount an interrupted run left behind: DISM lists it as needing a remount (the image was install.wim's first index).
    const img = def.install.images[0]
    return {
      dir,
      file: normPath(`${WORK}\\media\\sources\\install.wim`),
      index: 1,
      readOnly: false,
      image: image(img, 0),
      status: 'Needs Remount',
    }
  })
  return {
    format: 1,
    name: def.name,
    arch: def.install.images[0]?.arch ?? 'x64',
    fileSystem: def.fileSystem,
    root: def.root,
    // A stale mount holds its expanded image in the work folder: that space comes back with /Cleanup-Mountpoints.
    workFreeBytes: def.workFreeBytes,
    medium: {
      setupVersion: def.setupVersion,
      setupDu: null,
      swm: null,
      install: {
        images: def.install.images.map((i) => image(i, per(def.install.fileBytes, def.install.images.length))),
      },
      boot: { images: def.boot.images.map((i) => image(i, per(def.boot.fileBytes, def.boot.images.length))) },
    },
    files: {},
    copies: {},
    mounts: stale,
  }
}

/** Bytes a stale mount holds in the work folder (the expanded image), freed by /Cleanup-Mountpoints. */
export function staleMountBytes(s: TrainingMediumState): number {
  return s.mounts.filter((m) => m.status !== 'Ok').reduce((n, m) => n + m.image.sizeBytes, 0)
}

export class MediaStateError extends Error {}

/** Where a training medium's state lives: `<dataDir>/training/media/<name>.json`. */
export class TrainingMediaStore {
  readonly dir: string
  constructor(dataDir: string) {
    this.dir = join(dataDir, 'training', 'media')
  }

  private file(name: string): string {
    if (!/^[a-z0-9-]{1,64}$/.test(name)) throw new MediaStateError(`Invalid training medium name '${name}'.`)
    return join(this.dir, `${name}.json`)
  }

  load(name: string): TrainingMediumState {
    const def = trainingMedium(name)
    if (!def) throw new MediaStateError(`No training medium named '${name}'.`)
    const f = this.file(def.name)
    if (!existsSync(f)) return initialMediumState(def)
    let s: TrainingMediumState
    try {
      s = JSON.parse(readFileSync(f, 'utf8')) as TrainingMediumState
    } catch (err) {
      throw new MediaStateError(
        `The saved state of training medium '${def.name}' is unreadable (${(err as Error).message}); reset it with \`servicing-desk media reset ${def.name}\`.`,
      )
    }
    if (s.format !== 1 || s.name !== def.name || !s.medium)
      throw new MediaStateError(
        `The saved state of training medium '${def.name}' is not one this version wrote; reset it with \`servicing-desk media reset ${def.name}\`.`,
      )
    return s
  }

  save(s: TrainingMediumState): void {
    mkdirSync(this.dir, { recursive: true })
    writeFileAtomicSync(this.file(s.name), JSON.stringify(s, null, 1), {
      what: `the state of training medium ${s.name}`,
    })
  }

  reset(name: string): void {
    const def = trainingMedium(name)
    if (!def) throw new MediaStateError(`No training medium named '${name}'.`)
    rmSync(this.file(def.name), { force: true })
    // The work folders' copied packages (training/host.ts keeps them as real files) go with the state.
    rmSync(join(this.dir, 'work', def.name), { recursive: true, force: true })
  }

  changed(name: string): boolean {
    return existsSync(this.file(name))
  }
}

export { GB as MEDIA_GB }
