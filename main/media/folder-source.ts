/**
 * A real installation medium on any OS: a USB stick's folder, or an ISO's extracted tree. What can be
 * read without Windows is read from the files themselves:
 * - `sources\install.wim` (or `install.esd`, or split `install.swm` + `install2.swm` …) and `sources\boot.wim`: the
 *   WIM header and its XML metadata (main/parse/wim-header.ts): every index's name, edition, architecture,
 *   build and UBR (`<SPBUILD>`), languages; each file's size against FAT32's 4 GiB;
 * - `sources\setup.exe`: its file version from the PE version resource (main/parse/pe-version.ts).
 * What needs Windows is said, never guessed: the winre.wim inside each install.wim index is a file inside a
 * compressed image (reading it needs DISM to mount the index), and every change (mount, add packages, commit,
 * export, split) runs DISM on Windows. Reads are bounded: the 208-byte header, the XML resource (at most
 * WIM_XML_MAX_BYTES) and setup.exe (at most SETUP_MAX_BYTES); a bad or truncated file is a clear warning.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync, statfsSync, statSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { WIM_HEADER_BYTES, WIM_XML_MAX_BYTES, parseWimHeader, parseWimXml } from '../parse/wim-header.ts'
import { parsePeFileVersion } from '../parse/pe-version.ts'
import type { MediumSource, WimRead } from './read.ts'

/** setup.exe is about 100–300 KB on real media; a file larger than this is not read. */
export const SETUP_MAX_BYTES = 64 * 1024 * 1024

/** The steps that need Windows (DISM), said on a folder's scan and plan. */
export const NEEDS_WINDOWS = [
  'reading the winre.wim inside each install.wim index (DISM mounts the index to reach it)',
  'mounting the images, adding the packages, committing and exporting them (DISM)',
  'splitting install.wim into .swm parts for a FAT32 stick (DISM /Split-Image)',
]

/** Linux's statfs type of a FAT (vfat/msdos) file system (MSDOS_SUPER_MAGIC, linux/magic.h). */
const MSDOS_SUPER_MAGIC = 0x4d44

function readAt(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(length)
    let got = 0
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, offset + got)
      if (n === 0) break
      got += n
    }
    return buf.subarray(0, got)
  } finally {
    closeSync(fd)
  }
}

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size
  } catch {
    return null
  }
}

/** A .wim/.esd/.swm file's images from its header and XML metadata, or a clear error (never a throw). */
export function readWimFile(path: string): WimRead {
  let fileBytes: number
  let head: Buffer
  try {
    const fd = openSync(path, 'r')
    try {
      fileBytes = fstatSync(fd).size
    } finally {
      closeSync(fd)
    }
    head = readAt(path, 0, WIM_HEADER_BYTES)
  } catch (err) {
    return { error: `${basename(path)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).` }
  }
  const h = parseWimHeader(head, fileBytes)
  if (!h.ok) return { error: `${basename(path)}: ${h.error}` }
  if (h.value.xml.compressed)
    return {
      error: `${basename(path)}: its XML metadata is stored compressed, which this reader does not decompress (DISM /Get-WimInfo on Windows reads it).`,
    }
  if (h.value.xml.storedSize > WIM_XML_MAX_BYTES)
    return {
      error: `${basename(path)}: its XML metadata is ${h.value.xml.storedSize} bytes, more than the ${WIM_XML_MAX_BYTES} read.`,
    }
  let xml: Buffer
  try {
    xml = readAt(path, h.value.xml.offset, h.value.xml.storedSize)
  } catch (err) {
    return { error: `${basename(path)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).` }
  }
  const images = parseWimXml(xml)
  if (!images.ok) return { error: `${basename(path)}: ${images.error}` }
  if (images.value.length !== h.value.imageCount)
    return {
      error: `${basename(path)}: the header counts ${h.value.imageCount} images, the XML metadata describes ${images.value.length}.`,
    }
  return { images: images.value, fileBytes, part: h.value.partNumber, parts: h.value.totalParts }
}

/** A file's real name in a folder, matched without regard to case (an ISO extracted on Linux may say SOURCES/INSTALL.WIM). */
function find(dir: string, name: string): string | null {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return null
  }
  const hit = names.find((n) => n.toLowerCase() === name.toLowerCase())
  return hit ? join(dir, hit) : null
}

export class FolderMediumError extends Error {}

/** The folder as a medium source; a clear error when it is no installation medium. */
export function folderSource(path: string): MediumSource {
  const root = resolve(path)
  let isDir = false
  try {
    isDir = statSync(root).isDirectory()
  } catch {
    /* said below */
  }
  if (!isDir)
    throw new FolderMediumError(
      `${path} is not a folder. Name a training medium (media list) or the folder of a USB stick or an extracted ISO.`,
    )
  const sources = find(root, 'sources')
  if (!sources)
    throw new FolderMediumError(
      `${path} has no sources folder, so it is not Windows installation media (an extracted ISO or a USB stick holds sources\\install.wim and sources\\boot.wim).`,
    )
  const installWim = find(sources, 'install.wim')
  const installEsd = installWim ? null : find(sources, 'install.esd')
  const firstSwm = installWim || installEsd ? null : find(sources, 'install.swm')
  const install = installWim ?? installEsd ?? firstSwm
  if (!install)
    throw new FolderMediumError(
      `${path}\\sources holds no install.wim, install.esd or install.swm, so it is not Windows installation media.`,
    )
  const installRel = `sources\\${basename(install)}`
  const swmParts = firstSwm ? swmPartSizes(sources, firstSwm) : undefined
  const boot = find(sources, 'boot.wim')
  const setup = find(sources, 'setup.exe')
  let setupVersion: string | null = null
  const setupProblem: string[] = []
  if (setup) {
    const size = sizeOf(setup)
    if (size === null || size > SETUP_MAX_BYTES)
      setupProblem.push(
        `sources\\setup.exe is ${size === null ? 'unreadable' : `${size} bytes, more than the ${SETUP_MAX_BYTES} read`}; its version is not read.`,
      )
    else {
      try {
        const v = parsePeFileVersion(readAt(setup, 0, size))
        if (v.ok) setupVersion = v.version
        else setupProblem.push(`sources\\setup.exe: ${v.error}`)
      } catch (err) {
        setupProblem.push(`sources\\setup.exe cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`)
      }
    }
  } else setupProblem.push('sources\\setup.exe is not there.')
  let fileSystem: MediumSource['fileSystem'] = 'unknown'
  try {
    if (statfsSync(root).type === MSDOS_SUPER_MAGIC) fileSystem = 'FAT32'
  } catch {
    /* unknown */
  }
  const local = (file: string) => {
    // readMedium names files as `<root>\sources\<name>`: back to this folder's real path.
    const rel = file.startsWith(root) ? file.slice(root.length).replace(/^[\\/]+/, '') : file
    return find(sources, rel.replace(/^sources[\\/]/i, '')) ?? join(root, ...rel.split(/[\\/]/))
  }
  return {
    name: basename(root) || root,
    title: `Folder ${root}`,
    root,
    fileSystem,
    workFreeBytes: null,
    setupVersion,
    installFileBytes: firstSwm ? null : sizeOf(install),
    bootFileBytes: boot ? sizeOf(boot) : null,
    staleMounts: [],
    installFile: installRel,
    ...(swmParts ? { swmParts } : {}),
    kind: 'folder',
    readWim: async (file) => readWimFile(local(file)),
    readProblems: setupProblem,
    needsWindows: NEEDS_WINDOWS,
    dism: async () => ({ exitCode: 1, stdout: '', stderr: 'DISM needs Windows.' }),
    winrePath: (index) => `${root}\\${installRel}#${index}\\Windows\\System32\\Recovery\\winre.wim`,
  }
}

/** install.swm, install2.swm, … install<N>.swm: each part's bytes (a missing part ends the list). */
function swmPartSizes(sources: string, first: string): number[] {
  const parts = [sizeOf(first) ?? 0]
  for (let n = 2; n <= 999; n++) {
    const p = find(sources, `install${n}.swm`)
    if (!p) break
    parts.push(sizeOf(p) ?? 0)
  }
  return parts
}
