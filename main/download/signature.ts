/**
 * The Microsoft Authenticode signature check of a package, before anything installs it.
 *
 * On Windows: `Get-AuthenticodeSignature` through the Host (the signature must be Valid and the signer
 * Microsoft; MSCatalog pull request 34 proposes the same check). Elsewhere nothing can check it: the result says
 * "not checked on this OS" plainly, and hashes against the Catalog remain the only proof.
 */
import type { Host } from '../host/host.ts'
import type { SignatureCheck } from '../../preload/model/catalog.ts'

export interface SignatureChecker {
  check(path: string): Promise<SignatureCheck>
}

/** A PowerShell single-quoted literal: only quote characters are special (PowerShell also treats ‘ ’ ‚ ‛ as quotes). */
export function psSingleQuoted(s: string): string {
  return `'${s.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`
}

export function authenticodeScript(path: string): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    '[Console]::OutputEncoding = [Text.Encoding]::UTF8',
    `$s = Get-AuthenticodeSignature -LiteralPath ${psSingleQuoted(path)}`,
    '[pscustomobject]@{ Status = [string]$s.Status; StatusMessage = [string]$s.StatusMessage; Subject = [string]$s.SignerCertificate.Subject } | ConvertTo-Json -Compress',
  ].join('; ')
}

/** Reads the JSON the script prints; total (odd output → invalid with the reason). */
export function parseAuthenticodeJson(stdout: string): SignatureCheck {
  let v: { Status?: unknown; StatusMessage?: unknown; Subject?: unknown }
  try {
    v = JSON.parse(stdout.trim())
  } catch {
    return { status: 'invalid', reason: `Unreadable Get-AuthenticodeSignature output: ${stdout.slice(0, 200)}` }
  }
  const status = String(v.Status ?? '')
  const subject = String(v.Subject ?? '')
  if (status !== 'Valid')
    return {
      status: 'invalid',
      reason: `Signature status is ${status || 'unknown'}: ${String(v.StatusMessage ?? '')}`.trim(),
    }
  if (!/(^|,\s*)O=Microsoft Corporation(,|$)/.test(subject))
    return { status: 'invalid', reason: `Signed, but not by Microsoft (${subject}).` }
  const cn = /CN=([^,]+)/.exec(subject)
  return { status: 'valid', signer: cn ? cn[1] : subject }
}

export function windowsSignatureChecker(host: Host): SignatureChecker {
  return {
    async check(path) {
      const r = await host.run({
        name: 'download.authenticode',
        file: 'powershell.exe',
        args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', authenticodeScript(path)],
        timeoutMs: 120_000,
        outputEncoding: 'utf8',
        maxOutputBytes: 64 * 1024,
      })
      if (!r.ok)
        return {
          status: 'invalid',
          reason: `Get-AuthenticodeSignature failed (exit ${r.exitCode}): ${r.stderr.slice(0, 300)}`,
        }
      return parseAuthenticodeJson(r.stdout)
    },
  }
}

export function unavailableSignatureChecker(why: string): SignatureChecker {
  return { check: async () => ({ status: 'not-checked', reason: why }) }
}

/** The checker for where the app runs: Windows → Authenticode via the Host; elsewhere → not checked. */
export function signatureCheckerFor(host: Host | null, platform: NodeJS.Platform = process.platform): SignatureChecker {
  if (platform === 'win32' && host && host.info().kind === 'this-pc') return windowsSignatureChecker(host)
  return unavailableSignatureChecker(
    `Not checked on this OS (${platform === 'win32' ? 'training machine' : platform}): Authenticode can be verified only on Windows; the SHA-1/SHA-256 match the Catalog.`,
  )
}
