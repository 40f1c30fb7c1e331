/**
 * Authenticode as the alternative verification of a package file: a file with no hash
 * from elsewhere (no kit manifest entry, no SHA-1 in its name) is used only when Windows reports a valid
 * Microsoft Authenticode signature for it; that signature is then its verification and is recorded.
 *
 * On this PC (Windows): `Get-AuthenticodeSignature -LiteralPath … | Format-List Status, StatusMessage,
 * SignerCertificate, SignatureType | Out-String -Width 4096` through the Host (the width keeps
 * Format-List from wrapping), read by parseAuthenticodeList. Valid means: Status `Valid`, the signer
 * certificate's subject is `O=Microsoft Corporation` and its issuer is a Microsoft CA (`O=Microsoft
 * Corporation`) — so a third party's certificate issued by Microsoft's public signing service does not count.
 *
 * A training machine models the same answer per file: the bytes of a file its own (training) Catalog
 * publishes are "signed by Microsoft"; any other bytes are NotSigned. Anywhere else (Linux, macOS, a
 * snapshot from another PC) nothing can check a signature, and the file stays refused with that reason.
 *
 * The file is hashed before and after the check: the hashes recorded are those of the bytes whose
 * signature was checked, and the executor compares them again right before the step that installs it.
 */
import type { Host } from '../host/host.ts'
import { powershellSpec } from '../host/powershell.ts'
import { psLiteral } from '../host/powershell-text.ts'
import { hashFile } from '../download/file-hashes.ts'
import { buildDataSet } from '../catalog/local-catalog/data-set.ts'
import type { MachineRef } from '../../preload/model/common.ts'

export interface AuthenticodeReading {
  status: string
  statusMessage: string
  subject: string
  issuer: string
  signatureType: string
}

export type SignatureVerdict = { ok: true; signer: string; detail: string } | { ok: false; reason: string }

export interface PackageSignatureChecker {
  /** What does the checking, for the notes ("Windows (Get-AuthenticodeSignature)", "the training machine's model"). */
  readonly by: string
  check(path: string): Promise<SignatureVerdict>
}

export function authenticodeSpec(path: string) {
  return powershellSpec(
    'install.authenticode',
    `Get-AuthenticodeSignature -LiteralPath ${psLiteral(path)} | Format-List Status, StatusMessage, SignerCertificate, SignatureType | Out-String -Width 4096`,
    120_000,
    { maxOutputBytes: 256 * 1024 },
  )
}

/**
 * Reads `Get-AuthenticodeSignature | Format-List` text: `Name : value` lines, a value continued on indented
 * lines (Format-List wraps at the console width, at a space), the certificate as `[Subject]` / `[Issuer]`
 * blocks. Total: missing fields are empty strings.
 */
export function parseAuthenticodeList(text: string): AuthenticodeReading {
  const fields = new Map<string, string[]>()
  let current: string[] | null = null
  for (const raw of String(text ?? '')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)) {
    const m = /^([A-Za-z]+)\s*:\s?(.*)$/.exec(raw)
    if (m && !/^\s/.test(raw)) {
      current = [m[2]]
      fields.set(m[1], current)
    } else if (current && /^\s+\S/.test(raw)) current.push(raw.trim())
    else if (current && raw.trim() === '') current.push('')
  }
  const one = (k: string) => (fields.get(k) ?? []).filter(Boolean).join(' ').replace(/\s+/g, ' ').trim()
  const cert = fields.get('SignerCertificate') ?? []
  const block = (label: string) => {
    const i = cert.findIndex((l) => l.trim().startsWith(`[${label}]`))
    if (i === -1) return ''
    const out: string[] = []
    const sameLine = cert[i]
      .trim()
      .slice(label.length + 2)
      .trim()
    if (sameLine) out.push(sameLine)
    for (let j = i + 1; j < cert.length && !cert[j].startsWith('['); j++) if (cert[j]) out.push(cert[j])
    return out.join(' ').replace(/\s+/g, ' ').trim()
  }
  return {
    status: one('Status'),
    statusMessage: one('StatusMessage'),
    subject: block('Subject'),
    issuer: block('Issuer'),
    signatureType: one('SignatureType'),
  }
}

const MICROSOFT_O = /(^|,\s*)O=Microsoft Corporation(,|$)/

/** Valid, signed by Microsoft, with a certificate issued by a Microsoft CA. */
export function judgeAuthenticode(r: AuthenticodeReading): SignatureVerdict {
  if (r.status !== 'Valid')
    return {
      ok: false,
      reason: `Windows reports its signature as ${r.status || 'unreadable'}${r.statusMessage ? ` (${r.statusMessage})` : ''}`,
    }
  if (!MICROSOFT_O.test(r.subject))
    return { ok: false, reason: `it is signed, but not by Microsoft (${r.subject || 'no signer'})` }
  if (!MICROSOFT_O.test(r.issuer))
    return { ok: false, reason: `its signer certificate was not issued by Microsoft (${r.issuer || 'no issuer'})` }
  const cn = /CN=([^,]+)/.exec(r.subject)?.[1] ?? r.subject
  const issuer = /CN=([^,]+)/.exec(r.issuer)?.[1] ?? r.issuer
  return {
    ok: true,
    signer: cn,
    detail: `Authenticode ${r.signatureType || 'signature'} Valid, signed by ${cn}, issued by ${issuer}`,
  }
}

export function windowsPackageSignatureChecker(host: Host): PackageSignatureChecker {
  return {
    by: 'Windows (Get-AuthenticodeSignature)',
    async check(path) {
      const r = await host.run(authenticodeSpec(path))
      if (!r.ok)
        return {
          ok: false,
          reason: `Get-AuthenticodeSignature failed (exit ${r.exitCode}${r.stderr.trim() ? `: ${r.stderr.trim().split(/\r?\n/)[0].slice(0, 200)}` : ''})`,
        }
      return judgeAuthenticode(parseAuthenticodeList(r.stdout))
    },
  }
}

let publishedSha256: Set<string> | null = null
/** A training machine's model: the training Catalog's own bytes are Microsoft-signed; any other bytes are not signed. */
export function trainingPackageSignatureChecker(): PackageSignatureChecker {
  return {
    by: "the training machine's signature model",
    async check(path) {
      publishedSha256 ??= new Set(buildDataSet().flatMap((u) => u.files.map((f) => f.sha256)))
      const h = await hashFile(path)
      return publishedSha256.has(h.sha256)
        ? {
            ok: true,
            signer: 'Microsoft Windows',
            detail:
              "Authenticode Valid, signed by Microsoft Windows (modelled by the training machine: these are the training Catalog's own bytes)",
          }
        : {
            ok: false,
            reason:
              'Windows reports its signature as NotSigned (modelled by the training machine: these bytes are not a file its Catalog publishes)',
          }
    },
  }
}

export function unavailablePackageSignatureChecker(platform: NodeJS.Platform): PackageSignatureChecker {
  return {
    by: 'nothing',
    check: async () => ({
      ok: false,
      reason: `no Authenticode check is available here (${platform}; only Windows can verify a Microsoft signature)`,
    }),
  }
}

/**
 * The checker for a plan's machine: a training machine → its model; otherwise, on Windows, this PC's
 * Windows checks the file (the kit is on this computer's disk, also when the plan is for a snapshot of
 * another PC); elsewhere nothing can check it.
 */
export function packageSignatureCheckerFor(
  ref: MachineRef,
  hostFor: (ref: MachineRef) => Host,
  platform: NodeJS.Platform,
): PackageSignatureChecker {
  if (ref.kind === 'training') return trainingPackageSignatureChecker()
  if (platform === 'win32') {
    try {
      return windowsPackageSignatureChecker(hostFor({ kind: 'this-pc' }))
    } catch {
      /* no Host for this PC */
    }
  }
  return unavailablePackageSignatureChecker(platform)
}

export interface SignatureVerifiedFile {
  sha1: string
  sha256: string
  bytes: number
  note: string
}

/**
 * Verifies one file with no independent hash by its signature: hashed, checked, hashed again (the same
 * bytes must have been checked). Returns the hashes to record, or the reason it stays refused.
 */
export async function verifyBySignature(
  fileName: string,
  path: string,
  checker: PackageSignatureChecker,
): Promise<{ ok: true; file: SignatureVerifiedFile } | { ok: false; reason: string }> {
  let before: Awaited<ReturnType<typeof hashFile>>
  try {
    before = await hashFile(path)
  } catch (err) {
    return { ok: false, reason: `it cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` }
  }
  const verdict = await checker.check(path)
  if (!verdict.ok) return { ok: false, reason: verdict.reason }
  let after: Awaited<ReturnType<typeof hashFile>>
  try {
    after = await hashFile(path)
  } catch (err) {
    return {
      ok: false,
      reason: `it cannot be read after its signature was checked (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    }
  }
  if (after.sha256 !== before.sha256 || after.bytes !== before.bytes)
    return { ok: false, reason: 'it changed while its signature was being checked' }
  return {
    ok: true,
    file: {
      ...after,
      note: `${fileName} has no independent hash; it is verified by its Microsoft signature instead (${verdict.detail}; checked by ${checker.by}). Its SHA-256 ${after.sha256} was recorded then and is compared again right before it installs.`,
    },
  }
}
