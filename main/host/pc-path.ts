/**
 * How the PC a command runs on names a file of this computer's data folder.
 *
 * On Windows the app's data folder is the PC's own (`%ProgramData%\ServicingDesk`), so a package path is the
 * same on both sides. A training machine models a Windows PC: its data folder is `C:\ProgramData\ServicingDesk`,
 * backed by this computer's data folder (as a virtual machine's shared folder would be). The commands built
 * for it name packages by the Windows path a technician would type on that PC (no Linux paths in
 * a command), and the training host reads the bytes from this computer's disk (`localPathOf`).
 *
 * The mapping is computed from the machine and the data folder, never read from a plan or journal file.
 */
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { statSync } from 'node:fs'
import type { MachineRef } from '../../preload/model/common.ts'

/** The data folder as a training machine (a modelled Windows PC) sees it. */
export const TRAINING_PC_DATA_DIR = 'C:\\ProgramData\\ServicingDesk'

/** A local path → the path the PC uses for it. */
export type PcPath = (localPath: string) => string

/**
 * The path mapping for commands that run on `ref`: on a training machine, files under `dataDir` get their
 * Windows path under C:\ProgramData\ServicingDesk; anything else (this PC, a file outside the data folder)
 * keeps its own path. Undefined when no mapping applies.
 */
export function pcPathFor(ref: MachineRef | null | undefined, dataDir: string): PcPath | undefined {
  if (ref?.kind !== 'training') return undefined
  return dataFileOnWindowsPc(dataDir)
}

/**
 * Files under `dataDir` → their place under C:\ProgramData\ServicingDesk on a Windows PC (where Servicing Desk keeps
 * its data there, and where a script made here for another PC expects them); anything else keeps its own path.
 */
export function dataFileOnWindowsPc(dataDir: string): PcPath {
  const root = resolve(dataDir)
  return (localPath: string) => {
    if (!isAbsolute(localPath)) return localPath
    const rel = relative(root, resolve(localPath))
    if (!rel || rel.startsWith('..') || isAbsolute(rel)) return localPath
    return `${TRAINING_PC_DATA_DIR}\\${rel.split(sep).join('\\')}`
  }
}

/**
 * The same mapping for one argument that may carry a path after an option (`/Source:<path>`): the part from
 * the data folder on is mapped, the option before it is kept. Undefined when no mapping applies.
 */
export function pcArgFor(ref: MachineRef | null | undefined, dataDir: string): ((arg: string) => string) | undefined {
  const toPc = pcPathFor(ref, dataDir)
  if (!toPc) return undefined
  const root = resolve(dataDir)
  return (arg: string) => {
    const at = arg.indexOf(root + sep)
    return at < 0 ? arg : arg.slice(0, at) + toPc(arg.slice(at))
  }
}

const PREFIX = `${TRAINING_PC_DATA_DIR}\\`.toLowerCase()

/**
 * For the training host: an argument that names a file of the modelled PC's data folder (e.g.
 * `/PackagePath:C:\ProgramData\ServicingDesk\kits\…\x.msu`) with the local path of the same file, when that
 * file exists on this computer's disk. Anything else (a folder, which the machine models itself: the WinRE
 * work folder, an expanded repair source; a relative path; a `..` that would leave the folder) is unchanged.
 */
export function localPathOf(arg: string, dataDir: string): string {
  const at = arg.toLowerCase().indexOf(PREFIX)
  if (at < 0) return arg
  const rel = arg.slice(at + PREFIX.length)
  const parts = rel.split('\\')
  if (!rel || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('/'))) return arg
  const local = join(resolve(dataDir), ...parts)
  let file = false
  try {
    file = statSync(local).isFile()
  } catch {
    /* not on this disk */
  }
  return file ? arg.slice(0, at) + local : arg
}
