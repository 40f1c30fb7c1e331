/**
 * The kit's digest: ONE short code over the whole kit — the target, every file's place, name, role, KB, size,
 * SHA-1 and SHA-256, and the SHA-256 of Install-Kit.ps1 and PLAN.md — shown when the kit is exported and
 * computed again, from the bytes on the stick, at `kit verify` and `install --kit`.
 *
 * Why a digest the technician carries: the manifest is in the same folder as the MSUs, so whoever can replace
 * an MSU can rewrite its manifest line (and any seal written there) to match. The digest shown at export
 * comes from the exporting PC's screen, not from the folder: written down or read out by phone, and given to
 * `kit verify --digest` / `install --kit … --kit-digest`, a kit whose MSU and manifest line were both replaced
 * gives another digest and is refused. On Windows (and training machines) each MSU's Microsoft signature is
 * also checked at install (security/package-signature.ts), which no rewrite of the folder can forge.
 *
 * The code: SHA-256 of a canonical text, its first 100 bits in Crockford base32 (no I, L, O, U), five groups
 * of four — `7KQ2-M9TD-…` — short enough to read aloud; 100 bits cannot be matched by a made-up kit.
 */
import { createHash } from 'node:crypto'

export interface KitDigestInput {
  target: { kb: string; arch: string }
  files: ReadonlyArray<{
    order: number
    fileName: string
    role: string
    kb: string | null
    sizeBytes: number
    sha1: string
    sha256: string
  }>
  installScriptSha256: string
  planSha256: string
  /** Collect-ServicingFacts.ps1, in kits made since the collector ships in them. */
  collectorSha256?: string
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** The canonical text the digest is taken over (one fact per line, files in install order). */
export function kitDigestText(k: KitDigestInput): string {
  const lines = ['servicing-desk kit digest v1', `target ${k.target.kb} ${k.target.arch}`]
  for (const f of [...k.files].sort((a, b) => a.order - b.order))
    lines.push(`file ${f.order} ${f.fileName} ${f.role} ${f.kb ?? '-'} ${f.sizeBytes} ${f.sha1} ${f.sha256}`)
  lines.push(`Install-Kit.ps1 ${k.installScriptSha256}`, `PLAN.md ${k.planSha256}`)
  if (k.collectorSha256) lines.push(`Collect-ServicingFacts.ps1 ${k.collectorSha256}`)
  return `${lines.join('\n')}\n`
}

/** The kit's digest as a person reads it: `XXXX-XXXX-XXXX-XXXX-XXXX`. */
export function kitDigest(k: KitDigestInput): string {
  const h = createHash('sha256').update(kitDigestText(k), 'utf8').digest()
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of h) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5 && out.length < 20) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
    if (out.length >= 20) break
  }
  return out.match(/.{4}/g)!.join('-')
}

/** A digest as typed or read back: any case, dashes and spaces optional, O read as 0 and I/L as 1. Null when it is not one. */
export function normalizeKitDigest(s: string): string | null {
  const c = s.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  if (!/^[0-9A-HJKMNP-TV-Z]{20}$/.test(c)) return null
  return c.match(/.{4}/g)!.join('-')
}
