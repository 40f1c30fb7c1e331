/**
 * `kit verify DIR`: re-checks a kit — manifest schema, every file inside the folder (no paths, no
 * links out), size, SHA-1 and SHA-256, name SHA-1 suffix, KB and architecture from the name, the order
 * (checkpoints before the one target), no stray packages, and the seal: Install-Kit.ps1 and PLAN.md must
 * be the bytes whose SHA-256 the manifest recorded when the kit was made (a kit without a seal fails).
 *
 * What the seal proves: the script and plan were not changed apart from the manifest. Someone who rewrites
 * all three consistently (or replaces an MSU and its manifest line) is caught by the kit's digest
 * (kit-seal.ts): computed here from the bytes in the folder — never read from it — and compared with the one
 * the export showed (`expectDigest`, given by the technician: `kit verify DIR --digest CODE`). With a
 * signature checker (Windows, training machines), each MSU must also carry a valid Microsoft signature.
 */
import { SMALL_INPUT_MAX, readInputFile } from '../bounded-input.ts'
import type { Stats } from 'node:fs'
import { lstat, readdir, realpath } from 'node:fs/promises'
import { join, sep } from 'node:path'
import { KitManifestSchema, type KitManifest, type KitVerifyResult } from '../../preload/model/kit.ts'
import { parseCatalogFileName } from '../catalog/file-name.ts'
import { hashFile } from '../download/file-hashes.ts'
import { kitDigest, normalizeKitDigest } from './kit-seal.ts'
import { verifyBySignature, type PackageSignatureChecker } from '../security/package-signature.ts'

export interface VerifyKitOptions {
  /** The digest shown when the kit was exported (as typed: any case, dashes optional); a different one fails. */
  expectDigest?: string | null
  /** Checks each package's Microsoft signature (Windows, training machines); null: not checked here. */
  signatures?: PackageSignatureChecker | null
}

export async function verifyKit(dir: string, opts: VerifyKitOptions = {}): Promise<KitVerifyResult> {
  const problems: KitVerifyResult['problems'] = []
  const fail = (fileName: string | null, problem: string) => problems.push({ fileName, problem })
  let root: string
  try {
    root = await realpath(dir)
  } catch {
    return {
      ok: false,
      dir,
      manifest: null,
      problems: [{ fileName: null, problem: `No such folder: ${dir}` }],
      checkedFiles: 0,
    }
  }
  let raw: unknown
  try {
    raw = JSON.parse(readInputFile(join(root, 'manifest.json'), SMALL_INPUT_MAX, "The kit's").toString('utf8'))
  } catch (err) {
    return {
      ok: false,
      dir,
      manifest: null,
      problems: [{ fileName: 'manifest.json', problem: `Missing or not JSON: ${(err as Error).message}` }],
      checkedFiles: 0,
    }
  }
  const parsed = KitManifestSchema.safeParse(raw)
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ')
    return {
      ok: false,
      dir,
      manifest: null,
      problems: [
        {
          fileName: 'manifest.json',
          problem: `Refused: the manifest is invalid (${issues}). File names must be plain names inside the kit.`,
        },
      ],
      checkedFiles: 0,
    }
  }
  const m: KitManifest = parsed.data
  let checked = 0
  // The digest is taken over what is really in the folder: each file's own hashes and size (a missing one: zeros).
  const actual = new Map<string, { sha1: string; sha256: string; sizeBytes: number }>()
  for (const f of m.files) {
    const path = join(root, f.fileName)
    let st: Stats
    try {
      st = await lstat(path)
    } catch {
      fail(f.fileName, 'missing')
      continue
    }
    if (st.isSymbolicLink() || !st.isFile()) {
      fail(f.fileName, 'refused: not a regular file in the kit (a link or a folder)')
      continue
    }
    const real = await realpath(path)
    if (!real.startsWith(root + sep)) {
      fail(f.fileName, 'refused: resolves outside the kit')
      continue
    }
    if (st.size !== f.sizeBytes) fail(f.fileName, `size is ${st.size}, the manifest says ${f.sizeBytes}`)
    const h = await hashFile(real)
    actual.set(f.fileName, { sha1: h.sha1, sha256: h.sha256, sizeBytes: st.size })
    checked++
    if (opts.signatures) {
      const s = await verifyBySignature(f.fileName, real, opts.signatures)
      if (!s.ok)
        fail(
          f.fileName,
          `no valid Microsoft signature (${s.reason}): the file was replaced or damaged. Do not install it; export the kit again.`,
        )
    }
    if (h.sha1 !== f.sha1) fail(f.fileName, `SHA-1 is ${h.sha1}, the manifest says ${f.sha1}`)
    if (h.sha256 !== f.sha256) fail(f.fileName, `SHA-256 is ${h.sha256}, the manifest says ${f.sha256}`)
    const name = parseCatalogFileName(f.fileName)
    if (name.sha1 && name.sha1 !== h.sha1)
      fail(f.fileName, `the SHA-1 in the file name (${name.sha1}) is not the file's`)
    if (name.arch && name.arch !== m.target.arch)
      fail(f.fileName, `the name says ${name.arch}; the kit is for ${m.target.arch}`)
    if (name.kb && f.kb && name.kb !== f.kb) fail(f.fileName, `the name says ${name.kb}; the manifest says ${f.kb}`)
  }
  const orders = m.files.map((f) => f.order).sort((a, b) => a - b)
  if (orders.some((o, i) => o !== i + 1)) fail(null, `the order is not 1..${m.files.length}: ${orders.join(', ')}`)
  const targets = m.files.filter((f) => f.role === 'target')
  if (targets.length !== 1) fail(null, `expected one target, found ${targets.length}`)
  else if (m.files.some((f) => f.role === 'checkpoint' && f.order > targets[0].order))
    fail(null, 'a checkpoint comes after the target')
  if (targets.length === 1 && targets[0].kb !== m.target.kb)
    fail(targets[0].fileName, `the target file is ${targets[0].kb}, the kit says ${m.target.kb}`)
  const names = new Set(m.files.map((f) => f.fileName))
  const entries = await readdir(root)
  for (const n of entries)
    if (/\.(msu|cab)$/i.test(n) && !names.has(n))
      fail(n, 'a package not in the manifest (DISM would take it for a checkpoint)')
  let digest: string | null = null
  if (!m.seal) {
    fail(
      'manifest.json',
      'no seal: the manifest does not record the SHA-256 of Install-Kit.ps1 and PLAN.md (a kit from an older version, or an edited manifest). Do not run its script; export the kit again.',
    )
  } else {
    const sealedFiles: [string, string][] = [
      ['Install-Kit.ps1', m.seal.installScriptSha256],
      ['PLAN.md', m.seal.planSha256],
    ]
    if (m.seal.collectorSha256) sealedFiles.push(['Collect-ServicingFacts.ps1', m.seal.collectorSha256])
    for (const [name, want] of sealedFiles) {
      const path = join(root, name)
      const st = await lstat(path).catch(() => null)
      if (!st) {
        fail(name, 'missing: the kit is incomplete; export it again')
        continue
      }
      if (st.isSymbolicLink() || !st.isFile()) {
        fail(name, 'refused: not a regular file in the kit (a link or a folder)')
        continue
      }
      const h = await hashFile(path)
      actual.set(name, { sha1: h.sha1, sha256: h.sha256, sizeBytes: st.size })
      if (h.sha256 !== want)
        fail(
          name,
          `changed since the kit was made: SHA-256 is ${h.sha256}, the manifest says ${want}. Do not run it; export the kit again.`,
        )
    }
  }
  const none = { sha1: '0'.repeat(40), sha256: '0'.repeat(64), sizeBytes: 0 }
  digest = kitDigest({
    target: m.target,
    files: m.files.map((f) => ({ ...f, ...(actual.get(f.fileName) ?? none) })),
    installScriptSha256: (actual.get('Install-Kit.ps1') ?? none).sha256,
    planSha256: (actual.get('PLAN.md') ?? none).sha256,
    ...(m.seal?.collectorSha256 ? { collectorSha256: (actual.get('Collect-ServicingFacts.ps1') ?? none).sha256 } : {}),
  })
  // Only when nothing else was found: a changed file already says so itself.
  if (problems.length === 0 && m.seal?.kitDigest && m.seal.kitDigest !== digest)
    fail(
      'manifest.json',
      `the kit's digest is ${digest}, not the ${m.seal.kitDigest} recorded when it was made: its files, their list or its scripts changed. Do not install it; export the kit again.`,
    )
  if (opts.expectDigest !== undefined && opts.expectDigest !== null) {
    const want = normalizeKitDigest(opts.expectDigest)
    if (want === null)
      fail(
        null,
        `${JSON.stringify(opts.expectDigest)} is not a kit digest (20 letters and digits, e.g. 7KQ2-M9TD-0A1B-C2D3-E4F5).`,
      )
    else if (want !== digest)
      fail(
        null,
        `the kit's digest is ${digest}, not the ${want} shown when it was exported: an MSU, its manifest line or a script was replaced. Do not install it; export the kit again.`,
      )
  }
  return { ok: problems.length === 0, dir, manifest: m, problems, checkedFiles: checked, digest }
}
