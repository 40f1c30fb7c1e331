/**
 * The Safe OS update package is hashed right before the step that adds it to the mounted winre.wim and
 * compared with hashes that came from elsewhere (the Catalog's SHA-1/SHA-256 the repair recorded, or the
 * SHA-1 in a Catalog file name). Bytes that changed between the download and the step — or a file with
 * no independent hash at all — are refused, and DISM never sees them ("every package is
 * verified before it runs").
 */
import { hashFile } from '../download/file-hashes.ts'
import { parseCatalogFileName } from '../catalog/file-name.ts'
import type { SafeOsPackage } from './repair-plan.ts'

export type SafeOsCheck = { ok: true; detail: string } | { ok: false; detail: string }

export async function verifySafeOsPackage(
  pkg: SafeOsPackage | null,
  hash: typeof hashFile = hashFile,
): Promise<SafeOsCheck> {
  if (!pkg) return { ok: false, detail: 'The repair names no Safe OS package, so there is nothing verified to add.' }
  const sha1 = pkg.sha1 ?? parseCatalogFileName(pkg.fileName).sha1
  const sha256 = pkg.sha256 ?? null
  if (!sha1 && !sha256) {
    return {
      ok: false,
      detail: `${pkg.fileName} has no SHA-1 or SHA-256 from the Catalog to check it against, so it is not added to WinRE; download the Safe OS update from the Catalog and look at the machine again.`,
    }
  }
  let got: { sha1: string; sha256: string; bytes: number }
  try {
    got = await hash(pkg.path)
  } catch (err) {
    return {
      ok: false,
      detail: `${pkg.fileName} cannot be read at ${pkg.path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}), so it is not added to WinRE.`,
    }
  }
  const bad =
    (sha1 && got.sha1 !== sha1.toLowerCase()) ||
    (sha256 && got.sha256 !== sha256.toLowerCase()) ||
    (pkg.sizeBytes != null && got.bytes !== pkg.sizeBytes)
  if (bad) {
    return {
      ok: false,
      detail: `${pkg.fileName} is not the file that was verified (SHA-1 now ${got.sha1}${sha1 ? `, expected ${sha1}` : ''}; ${got.bytes} bytes${pkg.sizeBytes != null ? `, expected ${pkg.sizeBytes}` : ''}), so it is not added to WinRE.`,
    }
  }
  return {
    ok: true,
    detail: `Re-hashed right before the step: ${pkg.fileName} SHA-1 ${got.sha1}${sha256 ? `, SHA-256 ${got.sha256}` : ''} match${sha1 && pkg.sha1 == null ? ' the SHA-1 in its name' : ' the Catalog'}.`,
  }
}
