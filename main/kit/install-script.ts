/**
 * `Install-Kit.ps1`: installs a kit without the app, on the PC with no network.
 *
 * It checks the PC's native architecture (PROCESSOR_ARCHITEW6432 wins over PROCESSOR_ARCHITECTURE, so an
 * x86/x64 PowerShell under emulation still sees the real machine) and the build, verifies every file
 * with Get-FileHash (SHA-256 and SHA-1) against the manifest, then runs DISM /Add-Package on the target
 * with the kit folder holding only the target and its checkpoints, so DISM applies the checkpoints first
 * (learn.microsoft.com/windows/deployment/update/catalog-checkpoint-cumulative-updates, "put the target
 * and all checkpoint MSUs in one folder"). It stops on the first failure; 3010 means restart needed.
 */
import type { KitManifest } from '../../preload/model/kit.ts'
import { psComment, psLiteral } from '../host/powershell-text.ts'

const ARCH_ENV: Record<string, string> = { x64: 'AMD64', arm64: 'ARM64', x86: 'x86', arm: 'ARM' }

const lit = psLiteral

/** `allowedBuilds`: builds that share the target's servicing base (26100 and 26200 take the same LCU). */
export function renderInstallScript(m: KitManifest, allowedBuilds: number[] = m.target.build ? [m.target.build] : []): string {
  const files = [...m.files].sort((a, b) => a.order - b.order)
  const target = files.find((f) => f.role === 'target') ?? files[files.length - 1]
  const table = files.map((f) => `  @{ Order = ${f.order}; Name = ${lit(f.fileName)}; Role = ${lit(f.role)}; Sha256 = ${lit(f.sha256.toUpperCase())}; Sha1 = ${lit(f.sha1.toUpperCase())} }`).join("\n")
  // Every value in the header is data: one line each, and no `#>` can end the comment (psComment).
  const c = psComment
  return `#Requires -RunAsAdministrator
<#
  Install-Kit.ps1 - written by servicing-desk ${c(m.tool.version)} on ${c(m.created)}
  Installs ${c(m.target.kb)} (${c(m.target.title)}) for ${c(m.target.arch)}${m.target.build ? ` on build ${m.target.build}` : ''}.
  Order: ${c(files.map((f) => `${f.order}. ${f.fileName} (${f.role})`).join('; '))}
  Run from an elevated PowerShell:  powershell -ExecutionPolicy Bypass -File .\\Install-Kit.ps1
  Stops on the first failure. Exit codes: 0 done, 3010 done and a restart is needed, 1 failed.
#>
$ErrorActionPreference = 'Stop'
$Kit = Split-Path -Parent $MyInvocation.MyCommand.Path
$ExpectedArch = ${lit(Object.hasOwn(ARCH_ENV, m.target.arch) ? ARCH_ENV[m.target.arch] : m.target.arch)}
$ExpectedBuilds = @(${allowedBuilds.map((b) => String(Math.trunc(Number(b)))).filter((b) => /^[0-9]+$/.test(b)).join(', ')})
$Files = @(
${table}
)
$Target = ${lit(target.fileName)}

function Fail([string]$Message) { Write-Host "FAILED: $Message" -ForegroundColor Red; exit 1 }

# 1. The native architecture (an emulated PowerShell reports its own in PROCESSOR_ARCHITECTURE).
$Native = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE }
if ($Native -ne $ExpectedArch) { Fail "This kit is for $ExpectedArch; this PC is $Native." }

# 2. The build.
$Build = [int](Get-ItemProperty 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion').CurrentBuildNumber
if ($ExpectedBuilds.Count -gt 0 -and $ExpectedBuilds -notcontains $Build) {
  Fail "This kit is for build $($ExpectedBuilds -join ' or '); this PC is build $Build."
}

# 3. Every file present, nothing else that DISM would pick up, and every hash right.
$Allowed = @($Files | ForEach-Object { $_.Name })
$Extra = @(Get-ChildItem -LiteralPath $Kit -File | Where-Object { $_.Extension -in '.msu', '.cab' -and $Allowed -notcontains $_.Name })
if ($Extra.Count -gt 0) { Fail "Unexpected packages in the kit folder: $($Extra.Name -join ', ')" }
foreach ($f in $Files) {
  $p = Join-Path $Kit $f.Name
  if (-not (Test-Path -LiteralPath $p -PathType Leaf)) { Fail "Missing $($f.Name)" }
  $h256 = (Get-FileHash -LiteralPath $p -Algorithm SHA256).Hash
  if ($h256 -ne $f.Sha256) { Fail "$($f.Name): SHA-256 is $h256, expected $($f.Sha256)" }
  $h1 = (Get-FileHash -LiteralPath $p -Algorithm SHA1).Hash
  if ($h1 -ne $f.Sha1) { Fail "$($f.Name): SHA-1 is $h1, expected $($f.Sha1)" }
  Write-Host "OK  $($f.Order). $($f.Name) ($($f.Role))"
}

# 4. DISM on the target; the folder holds its checkpoints, which DISM applies first.
$Log = Join-Path $env:TEMP 'servicing-desk-kit-dism.log'
Write-Host "Installing $Target with its checkpoints (log: $Log)"
& dism.exe /Online /Add-Package "/PackagePath:$(Join-Path $Kit $Target)" /NoRestart /English "/LogPath:$Log"
$code = $LASTEXITCODE
if ($code -eq 3010) { Write-Host 'Installed. Restart the PC to finish.' -ForegroundColor Yellow; exit 3010 }
if ($code -ne 0) { Fail ("DISM exit code 0x{0:X8}; see $Log and C:\\Windows\\Logs\\CBS\\CBS.log" -f $code) }
Write-Host 'Installed.' -ForegroundColor Green
exit 0
`
}
