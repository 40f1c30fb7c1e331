/**
 * Imports a kit, or any folder of MSU/CAB files: for each file its KB, architecture, whether its hash
 * is good (against the manifest, else the SHA-1 in its name) and where it goes in the install order.
 * A file for another architecture, or with a bad hash, is rejected with the reason.
 */
import { SMALL_INPUT_MAX, readInputFile } from '../bounded-input.ts'
import { lstat, readdir, realpath } from 'node:fs/promises'
import { join, sep } from 'node:path'
import type { MachineArch } from '../../preload/model/common.ts'
import {
  KitManifestSchema,
  type ImportedFile,
  type ImportKitResult,
  type KitManifest,
} from '../../preload/model/kit.ts'
import { isPlainFileName, parseCatalogFileName } from '../catalog/file-name.ts'
import { hashFile } from '../download/file-hashes.ts'
import { checkpointChain } from '../knowledge/servicing-chains.ts'

const kbNum = (kb: string | null) => (kb ? Number(kb.slice(2)) : 0)

export async function importKitFolder(dir: string, arch: MachineArch, targetKb?: string): Promise<ImportKitResult> {
  const problems: string[] = []
  let root: string
  try {
    root = await realpath(dir)
  } catch {
    return { dir, fromManifest: false, targetKb: null, arch, files: [], problems: [`No such folder: ${dir}`] }
  }
  let manifest: KitManifest | null = null
  try {
    const parsed = KitManifestSchema.safeParse(
      JSON.parse(readInputFile(join(root, 'manifest.json'), SMALL_INPUT_MAX, "The kit's").toString('utf8')),
    )
    if (parsed.success) manifest = parsed.data
    else
      problems.push(
        `manifest.json is invalid and was ignored: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
      )
  } catch {
    /* a plain folder of MSUs */
  }
  const names = (await readdir(root)).filter((n) => /\.(msu|cab)$/i.test(n)).sort()
  if (names.length === 0) problems.push('No .msu or .cab files in this folder.')
  const files: ImportedFile[] = []
  for (const n of names) {
    // A name from another PC is data: only plain names go into plans, DISM arguments and scripts.
    if (!isPlainFileName(n)) {
      problems.push(
        `${JSON.stringify(n)}: not a plain file name (letters, digits and . _ + - only, no device name); skipped. Rename it to use it.`,
      )
      continue
    }
    const path = join(root, n)
    const st = await lstat(path)
    if (!st.isFile()) {
      problems.push(`${n}: not a regular file (a link or a folder); skipped.`)
      continue
    }
    if (!(await realpath(path)).startsWith(root + sep)) {
      problems.push(`${n}: resolves outside the folder; skipped.`)
      continue
    }
    const name = parseCatalogFileName(n)
    const h = await hashFile(path)
    const entry = manifest?.files.find((f) => f.fileName === n)
    let hash: ImportedFile['hash'] = 'unknown'
    if (entry) hash = entry.sha1 === h.sha1 && entry.sha256 === h.sha256 ? 'good' : 'bad'
    else if (name.sha1) hash = name.sha1 === h.sha1 ? 'good' : 'bad'
    const fileArch = name.arch ?? entry?.arch ?? null
    let accepted = true
    let reason =
      hash === 'good'
        ? entry
          ? 'hashes match the manifest'
          : 'SHA-1 matches the one in its name'
        : 'no hash to check against (the name carries none)'
    if (hash === 'bad') {
      accepted = false
      reason = entry
        ? 'hash does not match the manifest: the file is damaged or was replaced'
        : 'SHA-1 does not match the one in its name: the file is damaged'
    } else if (fileArch === null) {
      accepted = false
      reason = 'the name does not say which architecture it is for'
    } else if (fileArch !== arch) {
      accepted = false
      reason = `it is for ${fileArch}; this PC is ${arch}`
    } else if (!name.kb && !entry?.kb) {
      accepted = false
      reason = 'the name carries no KB number'
    }
    files.push({
      fileName: n,
      kb: name.kb ?? entry?.kb ?? null,
      arch: fileArch,
      sizeBytes: st.size,
      sha1: h.sha1,
      sha256: h.sha256,
      hash,
      order: null,
      role: null,
      accepted,
      reason,
    })
  }
  const ok = files.filter((f) => f.accepted)
  const target = targetKb ?? manifest?.target.kb ?? ok.map((f) => f.kb).sort((a, b) => kbNum(b) - kbNum(a))[0] ?? null
  if (target) {
    const cps = checkpointChain(target).map((c) => c.kb)
    const inOrder: ImportedFile[] = []
    for (const kb of cps) {
      const f = ok.find((x) => x.kb === kb)
      if (f) {
        f.role = 'checkpoint'
        inOrder.push(f)
      } else
        problems.push(
          `${target} needs checkpoint ${kb} first, and it is not in this folder (unless the PC already has it).`,
        )
    }
    const t = ok.find((x) => x.kb === target)
    if (t) {
      t.role = 'target'
      inOrder.push(t)
    } else problems.push(`The target ${target} for ${arch} is not in this folder.`)
    inOrder.forEach((f, i) => {
      f.order = i + 1
    })
    for (const f of ok)
      if (f.role === null) {
        f.role = 'other'
        f.reason += `; not part of ${target}'s chain (DISM's folder method would take it for a checkpoint — keep it elsewhere)`
      }
  }
  return { dir: root, fromManifest: manifest !== null, targetKb: target, arch, files, problems }
}
