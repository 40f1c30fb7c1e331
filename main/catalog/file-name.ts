/**
 * Parses a Catalog file name: `<prefix>-kb<number>-<arch>[-<extra>]_<sha1>.<ext>`.
 *
 * The 40-hex suffix is the file's SHA-1 (catalog-protocol.md §7: the dialog's digest equals it in all
 * 42 captured files; MSCatalog Invoke-DownloadFile.ps1 relies on it). Not every file has one
 * (MSCatalogLTS#12), so the suffix is optional. Pure and total.
 */
import type { MachineArch } from '../../preload/model/common.ts'
import { archFromFileName } from './arch-tokens.ts'

export interface CatalogFileName {
  kb: string | null
  arch: MachineArch | null
  archAmbiguous: boolean
  sha1: string | null
  extension: string | null
}

/**
 * Windows device names, also followed by an extension: `NUL.txt` and `NUL.tar.gz` are both NUL, and before
 * Windows 11 `CON.msu` in any folder is the console (learn.microsoft.com, "Naming Files, Paths, and Namespaces").
 */
const DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i

/**
 * True when a name is safe to use as a file name in one folder: no separators, no `..`, no drive, no device
 * name, no trailing dot (Windows strips it, so `a.msu.` would land on `a.msu`).
 */
export function isPlainFileName(name: string): boolean {
  return (
    typeof name === 'string' &&
    /^[A-Za-z0-9][A-Za-z0-9._+-]{0,254}$/.test(name) &&
    !name.includes('..') &&
    !DEVICE_NAME.test(name) &&
    !name.endsWith('.')
  )
}

export function parseCatalogFileName(fileName: string): CatalogFileName {
  const lower = fileName.toLowerCase()
  const kb = /(?:^|[-_.])kb(\d{6,8})(?=[-_.]|$)/.exec(lower)
  const sha = /_([0-9a-f]{40})\.[a-z0-9]+$/.exec(lower)
  const ext = /\.([a-z0-9]+)$/.exec(lower)
  const arch = archFromFileName(fileName)
  return {
    kb: kb ? `KB${kb[1]}` : null,
    arch: arch.arch,
    archAmbiguous: arch.ambiguous,
    sha1: sha ? sha[1] : null,
    extension: ext ? ext[1] : null,
  }
}
