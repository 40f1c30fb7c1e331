/**
 * Authenticode signing of the scripts the app writes for other PCs (the fleet's fix files), where the organisation has
 * a code-signing certificate: `fleet fix --sign-cert THUMBPRINT`, or SERVICING_DESK_SIGN_CERT. A signed script runs
 * under an AllSigned execution policy, and Intune's "Enforce script signature check" can then be on (the upload asks
 * for it: the device refuses a script that was changed after it was signed, or not signed by a publisher it trusts).
 *
 * The certificate's private key stays in the Windows certificate store of the person who signs, so the signing is a
 * script of its own written beside the files (Sign-Scripts.ps1), run there: it finds the certificate by thumbprint in
 * CurrentUser\My, then LocalMachine\My (a code-signing certificate only), signs each script with SHA-256 and an
 * RFC 3161 timestamp where a timestamp server is named (a signature then outlives the certificate), checks each
 * signature is Valid, and puts the signed bytes into intune-remediation.json, so what is uploaded is what was signed.
 * Set-AuthenticodeSignature and Get-AuthenticodeSignature: learn.microsoft.com/powershell/module/microsoft.powershell.security.
 */
import { psLiteral, psTextLiteral, powerShellFileText } from '../host/powershell-text.ts'

/** The environment variable that names the signing certificate when the flag does not. */
export const SIGN_CERT_ENV = 'SERVICING_DESK_SIGN_CERT'
/** The signing script written beside the fix files. */
export const SIGN_SCRIPT_NAME = 'Sign-Scripts.ps1'

export class SigningSettingError extends Error {}

/** A certificate's SHA-1 thumbprint as Windows shows it (40 hex digits; spaces, as certmgr shows it, are dropped). */
export function signingThumbprint(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  const raw = flag ?? env[SIGN_CERT_ENV]
  if (raw === undefined || raw.trim() === '') return null
  const t = raw.replace(/[\s\u200e\u200f]/g, '').toUpperCase()
  if (!/^[0-9A-F]{40}$/.test(t))
    throw new SigningSettingError(
      `${flag !== undefined ? '--sign-cert' : SIGN_CERT_ENV} must be a certificate's thumbprint (40 hex digits, as certmgr or Get-ChildItem Cert:\\CurrentUser\\My shows it), not ${JSON.stringify(raw.slice(0, 60))}.`,
    )
  return t
}

/**
 * Sign-Scripts.ps1: signs `files` (names in the script's own folder) with the certificate of `thumbprint` and refreshes
 * the Intune body `intuneJson` (a name in the same folder, or null) with the signed bytes. Exit 0 when every file is
 * signed and Valid; 1 otherwise (nothing is uploaded unsigned: the body is rewritten only after every file is Valid).
 */
export function signScriptsScript(thumbprint: string, files: readonly string[], intuneJson: string | null): string {
  return powerShellFileText(
    [
      '<#',
      '.SYNOPSIS',
      'Servicing Desk: signs the fix files in this folder with your code-signing certificate (Authenticode, SHA-256),',
      'then puts the signed scripts into intune-remediation.json. Run it in Windows PowerShell on the PC that holds the',
      'certificate, before the files are uploaded or copied. -TimestampServer: an RFC 3161 server of your CA (optional).',
      '#>',
      "param([string]$TimestampServer = '')",
      "$ErrorActionPreference = 'Stop'",
      `$sdThumb = ${psLiteral(thumbprint)}`,
      "$sdCert = @(foreach ($store in @('Cert:\\CurrentUser\\My', 'Cert:\\LocalMachine\\My')) { Get-ChildItem -LiteralPath $store -CodeSigningCert | Where-Object { $_.Thumbprint -eq $sdThumb -and $_.HasPrivateKey } }) | Select-Object -First 1",
      `if (-not $sdCert) { Write-Error (${psTextLiteral('No code-signing certificate with thumbprint ')} + $sdThumb + ${psTextLiteral(' and its private key is in CurrentUser\\My or LocalMachine\\My; nothing was signed.')}); exit 1 }`,
      `$sdFiles = @(${files.map(psLiteral).join(', ')})`,
      '$sdBad = @()',
      'foreach ($name in $sdFiles) {',
      '  $path = Join-Path $PSScriptRoot $name',
      '  if (-not (Test-Path -LiteralPath $path -PathType Leaf)) { continue }',
      "  $sign = @{ LiteralPath = $path; Certificate = $sdCert; HashAlgorithm = 'SHA256' }",
      '  if ($TimestampServer) { $sign.TimestampServer = $TimestampServer }',
      '  $r = Set-AuthenticodeSignature @sign',
      '  $check = Get-AuthenticodeSignature -LiteralPath $path',
      "  if ($r.Status -ne 'Valid' -or $check.Status -ne 'Valid') { $sdBad += ($name + ': ' + $check.Status + ' ' + $check.StatusMessage) } else { Write-Output ('Signed: ' + $name + ' (' + $sdCert.Subject + ')') }",
      '}',
      `if ($sdBad.Count) { Write-Error (${psTextLiteral('Not signed: ')} + ($sdBad -join '; ') + ${psTextLiteral('. The Intune body was not changed.')}); exit 1 }`,
      ...(intuneJson
        ? [
            `$sdJson = Join-Path $PSScriptRoot ${psLiteral(intuneJson)}`,
            'if (Test-Path -LiteralPath $sdJson -PathType Leaf) {',
            '  $body = Get-Content -LiteralPath $sdJson -Raw | ConvertFrom-Json',
            "  $body.detectionScriptContent = [Convert]::ToBase64String([System.IO.File]::ReadAllBytes((Join-Path $PSScriptRoot 'Detect.ps1')))",
            "  $body.remediationScriptContent = [Convert]::ToBase64String([System.IO.File]::ReadAllBytes((Join-Path $PSScriptRoot 'Remediate.ps1')))",
            '  $body.enforceSignatureCheck = $true',
            '  [System.IO.File]::WriteAllText($sdJson, ($body | ConvertTo-Json -Depth 5), (New-Object System.Text.UTF8Encoding $false))',
            `  Write-Output ${psTextLiteral(`${intuneJson}: the signed scripts, with the signature check on.`)}`,
            '}',
          ]
        : []),
      'exit 0',
      '',
    ].join('\r\n'),
  )
}
