/**
 * `Install-Kit.ps1`: installs a kit without the app, on the PC with no network.
 *
 * It checks the PC's native architecture (PROCESSOR_ARCHITEW6432 wins over PROCESSOR_ARCHITECTURE, so an
 * x86/x64 PowerShell under emulation still sees the real machine) and the build, verifies every file
 * with Get-FileHash (SHA-256 and SHA-1) against the manifest, then runs DISM /Add-Package on the target
 * with the kit folder holding only the target and its checkpoints, so DISM applies the checkpoints first
 * (learn.microsoft.com/windows/deployment/update/catalog-checkpoint-cumulative-updates, "put the target
 * and all checkpoint MSUs in one folder"). It stops on the first failure; 3010 means restart needed.
 *
 * What DISM installs is what was checked: the kit's files are copied into a work folder only
 * administrators and SYSTEM can write (main/host/secure-folder-script.ts: created with that ACL; one that exists with
 * another owner, or is a junction, is refused), hashed again THERE, and DISM is given that copy at once — never the
 * kit folder, which may be a USB stick or a share others can write. DISM is started by its full path under
 * %SystemRoot%, with the argv of the app's own add-package builder (main/install/step-commands.ts).
 */
import type { KitManifest } from '../../preload/model/kit.ts'
import { psComment, psLiteral } from '../host/powershell-text.ts'
import { psSystemTool } from '../host/system-tools.ts'
import { NATIVE_ARCH_LINES, SECURE_FOLDER_FUNCTIONS, secureFolderCall } from '../host/secure-folder-script.ts'
import { dismAddPackageArgs } from '../install/step-commands.ts'

/** The kit's work folder on the PC: one per target and architecture. */
export function kitWorkFolder(m: Pick<KitManifest, 'target'>): string {
  return `C:\\ProgramData\\ServicingDesk\\kit\\${m.target.kb.replace(/[^A-Za-z0-9]/g, '')}-${m.target.arch.replace(/[^A-Za-z0-9]/g, '')}`
}

const ARCH_ENV: Record<string, string> = { x64: 'AMD64', arm64: 'ARM64', x86: 'x86', arm: 'ARM' }

const lit = psLiteral

/** `allowedBuilds`: builds that share the target's servicing base (26100 and 26200 take the same LCU). */
export function renderInstallScript(
  m: KitManifest,
  allowedBuilds: number[] = m.target.build ? [m.target.build] : [],
): string {
  const files = [...m.files].sort((a, b) => a.order - b.order)
  const target = files.find((f) => f.role === 'target') ?? files[files.length - 1]
  const table = files
    .map(
      (f) =>
        `  @{ Order = ${f.order}; Name = ${lit(f.fileName)}; Role = ${lit(f.role)}; Sha256 = ${lit(f.sha256.toUpperCase())}; Sha1 = ${lit(f.sha1.toUpperCase())} }`,
    )
    .join('\n')
  // Every value in the header is data: one line each, and no `#>` can end the comment (psComment).
  const c = psComment
  const work = kitWorkFolder(m)
  const dismArgs = dismAddPackageArgs({ kind: 'online' }, `${work}\\${target.fileName}`)
  return `#Requires -RunAsAdministrator
<#
  Install-Kit.ps1 - written by servicing-desk ${c(m.tool.version)} on ${c(m.created)}
  Installs ${c(m.target.kb)} (${c(m.target.title)}) for ${c(m.target.arch)}${m.target.build ? ` on build ${m.target.build}` : ''}.
  Order: ${c(files.map((f) => `${f.order}. ${f.fileName} (${f.role})`).join('; '))}
  Run from an elevated PowerShell:  powershell -ExecutionPolicy Bypass -File .\\Install-Kit.ps1
  (-Kit FOLDER: the kit's files are there, not beside this script.)
  Stops on the first failure. Exit codes: 0 done, 3010 done and a restart is needed, 1 failed.
#>
param([string]$Kit)
$ErrorActionPreference = 'Stop'
if (-not $Kit) { $Kit = Split-Path -Parent $MyInvocation.MyCommand.Path }
$Work = ${lit(work)}
$ExpectedArch = ${lit(Object.hasOwn(ARCH_ENV, m.target.arch) ? ARCH_ENV[m.target.arch] : m.target.arch)}
$ExpectedBuilds = @(${allowedBuilds
    .map((b) => String(Math.trunc(Number(b))))
    .filter((b) => /^[0-9]+$/.test(b))
    .join(', ')})
$Files = @(
${table}
)
$Target = ${lit(target.fileName)}

function Fail([string]$Message) { Write-Host "FAILED: $Message" -ForegroundColor Red; exit 1 }
${SECURE_FOLDER_FUNCTIONS}

# 1. The native architecture (an emulated PowerShell reports its own in PROCESSOR_ARCHITECTURE; the machine-wide value is the PC's).
${NATIVE_ARCH_LINES.join('\n')}
if ($Native -ne $ExpectedArch) { Fail "This kit is for $ExpectedArch; this PC is $Native." }

# 2. The build.
$Build = [int](Get-ItemProperty 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion').CurrentBuildNumber
if ($ExpectedBuilds.Count -gt 0 -and $ExpectedBuilds -notcontains $Build) {
  Fail "This kit is for build $($ExpectedBuilds -join ' or '); this PC is build $Build."
}

# 3. The work folder: only administrators and SYSTEM can write in it.
$why = ${secureFolderCall(work)}
if ($why) { Fail "The work folder is not safe to use, so nothing is installed: $why" }

# 4. Every file copied there and checked THERE: present, nothing else that DISM would pick up, every hash right.
$Allowed = @($Files | ForEach-Object { $_.Name })
$Extra = @(Get-ChildItem -LiteralPath $Kit -File | Where-Object { $_.Extension -in '.msu', '.cab' -and $Allowed -notcontains $_.Name })
if ($Extra.Count -gt 0) { Fail "Unexpected packages in the kit folder: $($Extra.Name -join ', ')" }
Get-ChildItem -LiteralPath $Work -File | Where-Object { $_.Extension -in '.msu', '.cab' -and $Allowed -notcontains $_.Name } | Remove-Item -Force
foreach ($f in $Files) {
  $from = Join-Path $Kit $f.Name
  if (-not (Test-Path -LiteralPath $from -PathType Leaf)) { Fail "Missing $($f.Name)" }
  $p = Join-Path $Work $f.Name
  Copy-Item -LiteralPath $from -Destination $p -Force
  $h256 = (Get-FileHash -LiteralPath $p -Algorithm SHA256).Hash
  if ($h256 -ne $f.Sha256) { Fail "$($f.Name): SHA-256 is $h256, expected $($f.Sha256)" }
  $h1 = (Get-FileHash -LiteralPath $p -Algorithm SHA1).Hash
  if ($h1 -ne $f.Sha1) { Fail "$($f.Name): SHA-1 is $h1, expected $($f.Sha1)" }
  Write-Host "OK  $($f.Order). $($f.Name) ($($f.Role))"
}

# 5. DISM on the checked copy of the target, at once; its folder holds its checkpoints, which DISM applies first.
Write-Host "Installing $Target with its checkpoints"
& ${psSystemTool('dism.exe')} ${dismArgs.map(lit).join(' ')}
$code = [Convert]::ToUInt32(('{0:X8}' -f $LASTEXITCODE), 16)
if ($code -eq 3010) { Write-Host 'Installed. Restart the PC to finish.' -ForegroundColor Yellow; exit 3010 }
if ($code -ne 0) { Fail ('DISM exit code 0x{0:X8}; see C:\\Windows\\Logs\\DISM\\dism.log and C:\\Windows\\Logs\\CBS\\CBS.log' -f $code) }
Write-Host 'Installed.' -ForegroundColor Green
exit 0
`
}
