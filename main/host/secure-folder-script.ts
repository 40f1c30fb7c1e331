/**
 * The work folders of the scripts the app writes (Fix-<host>.ps1, Install-Kit.ps1, the plan export), in PowerShell:
 * only administrators and SYSTEM may write there (issue 42 §2).
 *
 * Why: ProgramData lets every user create folders, and a folder's creator owns it. A standard user who creates
 * `C:\ProgramData\ServicingDesk\…` before the script runs (or puts a junction there) could swap a file between the
 * script's hash check and its use — the diskpart script, the Safe OS update, the mounted WinRE image — or redirect
 * what SYSTEM writes and deletes. So every level below the base is checked: one that exists must be a real folder
 * (no junction or link: a reparse point) owned by Administrators or SYSTEM; one that does not is created here, given
 * an ACL of Administrators and SYSTEM only (protected, nothing inherited), and must still be empty afterwards
 * (nobody slipped a file in between). The leaf always gets that ACL.
 *
 * `New-SdSecureFolder -Base 'C:\ProgramData' -Child 'ServicingDesk\fix-package\x'` returns $null when the folder is
 * safe to use, else why not (the caller stops; nothing has been written into a folder it does not trust).
 */
import { psLiteral } from './powershell-text.ts'

/** Administrators and SYSTEM: the only owners a work folder may have (learn.microsoft.com/windows/win32/secauthz/well-known-sids). */
export const ADMIN_SIDS = ['S-1-5-32-544', 'S-1-5-18'] as const

export const SECURE_FOLDER_FUNCTIONS = `# Work folders only administrators and SYSTEM can write (a user could otherwise plant or swap files in them).
function Test-SdFolderIsOurs([string]$Path) {
  $item = Get-Item -LiteralPath $Path -Force
  if (-not $item.PSIsContainer) { return ($Path + ' is a file, not a folder') }
  if ([int]($item.Attributes -band [System.IO.FileAttributes]::ReparsePoint) -ne 0) { return ($Path + ' is a junction or a link, which could lead anywhere') }
  $owner = [string](Get-Acl -LiteralPath $Path).GetOwner([System.Security.Principal.SecurityIdentifier]).Value
  if (@(${ADMIN_SIDS.map((s) => `'${s}'`).join(', ')}) -notcontains $owner) { return ($Path + ' belongs to ' + $owner + ', not to the administrators') }
  return $null
}
function Set-SdAdminOnlyAcl([string]$Path) {
  $acl = New-Object System.Security.AccessControl.DirectorySecurity
  $acl.SetOwner((New-Object System.Security.Principal.SecurityIdentifier '${ADMIN_SIDS[0]}'))
  $acl.SetAccessRuleProtection($true, $false)
  foreach ($sid in @(${ADMIN_SIDS.map((s) => `'${s}'`).join(', ')})) {
    $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule -ArgumentList @((New-Object System.Security.Principal.SecurityIdentifier $sid), 'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow')))
  }
  Set-Acl -LiteralPath $Path -AclObject $acl
}
function New-SdSecureFolder([string]$Base, [string]$Child) {
  $level = $Base
  foreach ($part in @($Child -split '\\\\' | Where-Object { $_ })) {
    $level = $level + '\\' + $part
    if (Test-Path -LiteralPath $level) {
      $why = Test-SdFolderIsOurs $level
      if ($why) { return $why }
    } else {
      New-Item -ItemType Directory -Path $level | Out-Null
      Set-SdAdminOnlyAcl $level
      $why = Test-SdFolderIsOurs $level
      if ($why) { return $why }
      if (@(Get-ChildItem -LiteralPath $level -Force).Count -gt 0) { return ($level + ' was written into by someone else while it was being created') }
    }
  }
  Set-SdAdminOnlyAcl $level
  return $null
}`

/** The call that makes `path` (under C:\ProgramData) a work folder: `New-SdSecureFolder -Base 'C:\ProgramData' -Child '…'`. */
export function secureFolderCall(path: string): string {
  const m = /^(C:\\ProgramData)\\(.+)$/i.exec(path)
  if (!m) throw new Error(`A work folder must be under C:\\ProgramData (got ${path}).`)
  return `New-SdSecureFolder -Base ${psLiteral(m[1]!)} -Child ${psLiteral(m[2]!)}`
}

/**
 * `$Native`: the PC's native architecture (AMD64, ARM64, x86). The machine-wide environment in the registry first: a
 * PowerShell emulated on an ARM64 PC (x64) sees AMD64 in PROCESSOR_ARCHITECTURE and has no PROCESSOR_ARCHITEW6432
 * (WOW64 sets that one for x86 processes only), so the process's own variables would refuse the PC a package was made
 * for. They remain the fallback where the registry cannot be read.
 */
export const NATIVE_ARCH_LINES = [
  "$Native = $null",
  "try { $Native = [string](Get-ItemProperty -LiteralPath 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment' -Name PROCESSOR_ARCHITECTURE -ErrorAction Stop).PROCESSOR_ARCHITECTURE } catch { $Native = $null }",
  "if (-not $Native) { $Native = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE } }",
]
