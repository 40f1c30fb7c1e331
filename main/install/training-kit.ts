/**
 * A kit for a training machine without a download: the local Catalog's own files (same bytes, same
 * true-SHA-1 names, see main/catalog/local-catalog) written straight into a folder, target with its
 * checkpoints, as the folder method needs them. Used when no kit or catalog download is given.
 */
import { mkdirSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { copyFailure } from '../atomic-write.ts'
import type { MachineArch } from '../../preload/model/common.ts'
import { localUpdate } from '../catalog/local-catalog/data-set.ts'
import { contentBytes } from '../catalog/local-catalog/content.ts'
import { parseCatalogFileName } from '../catalog/file-name.ts'
import type { PackageCandidate } from './planner.ts'

/** Writes the files the local Catalog lists for `kb` on `arch` (prior checkpoints first) into `dir`. */
export function writeTrainingKit(dir: string, kb: string, arch: MachineArch): PackageCandidate[] {
  const update = localUpdate(kb.toUpperCase(), arch)
  if (!update) return []
  // A data folder that cannot be written is one sentence (atomic-write.ts), never raw ENOTDIR/EROFS text.
  try {
    mkdirSync(dir, { recursive: true })
  } catch (err) {
    throw copyFailure(dir, err, 'the training kit folder')
  }
  return update.files.map((f) => {
    const path = join(dir, f.fileName)
    if (!existsSync(path)) {
      try {
        writeFileSync(path, contentBytes(f.seed, f.size))
      } catch (err) {
        throw copyFailure(path, err, f.fileName)
      }
    }
    return {
      kb: f.kb,
      fileName: f.fileName,
      path,
      arch: f.arch,
      sha1: f.sha1,
      sha256: f.sha256,
      sizeBytes: f.size,
      title: f.kb === update.kb ? update.title : null,
    }
  })
}

/** Package candidates from a folder of MSU/CAB files (names carry KB, architecture and SHA-1). */
export function candidatesFromFolder(dir: string): PackageCandidate[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const out: PackageCandidate[] = []
  for (const name of names) {
    const f = parseCatalogFileName(name)
    if (!f.kb || (f.extension !== 'msu' && f.extension !== 'cab')) continue
    out.push({
      kb: f.kb,
      fileName: name,
      path: join(dir, name),
      arch: f.archAmbiguous ? null : f.arch,
      sha1: f.sha1,
      sha256: null,
    })
  }
  return out
}
