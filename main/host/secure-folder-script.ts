/**
 * The one writer of what the app's PowerShell scripts do to a disk: every script
 * that touches a folder, reads an input file or writes an output carries these functions and uses nothing else for it
 * (Fix-<host>.ps1, Install-Kit.ps1, the plan export, the repair scripts and the fleet remediations built from them, the
 * collector and the fleet detection built from it, the remote round trips, the guard the media update runs before each
 * of its argv steps). test/unit/pwsh/script-registry.ts lists every generated script and every producer of one; the
 * attack battery (test/unit/pwsh/attack-battery.test.ts) runs each against the attacks below. docs/one-writer.md says
 * what a new producer must do.
 *
 * Why: ProgramData lets every user create folders, and a folder's creator owns it. A standard user who creates
 * `C:\ProgramData\ServicingDesk\…` before the script runs (or puts a junction there, or anywhere above it), or who may
 * write in a folder above it, could swap a file between the script's hash check and its use — the diskpart script, the
 * Safe OS update, an MSU expand.exe unpacks, the mounted WinRE image — or redirect what SYSTEM writes and deletes.
 * So:
 * - no reparse point anywhere on the path (the base and every folder above it included);
 * - every level below the base is checked: one that exists must be a real folder owned by Administrators or SYSTEM
 *   that grants nobody else a right to write, delete or change its ACL (grants, not only the owner: an administrator's
 *   folder that inherits ProgramData's "Users may create" is someone else's to fill); one that does not is created
 *   here (never with -Force), given an ACL of Administrators and SYSTEM only (protected, nothing inherited), checked
 *   again and must still be empty (nobody slipped a file in between). The leaf always gets that ACL;
 * - an input file is hashed where it is used, right before each use (`Assert-SdFileSha256`), after it was copied or
 *   made in such a folder (`Get-SdFileSha256` records it);
 * - an output file is written only into a folder New-SdSecureFolder returned $null for (`Write-SdTextFile`), never
 *   through a link;
 * - programs by their full path under %SystemRoot% (main/host/system-tools.ts).
 *
 * `New-SdSecureFolder -Base 'C:\ProgramData' -Child 'ServicingDesk\fix-package\x'` returns $null when the folder is
 * safe to use, else why not (the caller stops; nothing has been written into a folder it does not trust).
 */
import { psLiteral } from './powershell-text.ts'

/** Administrators and SYSTEM: the only owners a work folder may have (learn.microsoft.com/windows/win32/secauthz/well-known-sids). */
export const ADMIN_SIDS = ['S-1-5-32-544', 'S-1-5-18'] as const

/** Allow rules for these SIDs are no foreign grant: CREATOR OWNER (applies to what the owner, an administrator here, creates) and TrustedInstaller. */
const OWN_GRANTEES = [...ADMIN_SIDS, 'S-1-3-0', 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464']
/**
 * Rights that let a grantee change a folder's contents or its ACL: by name (FileSystemRights as PowerShell prints them)
 * or, for a generic right PowerShell prints as a number, by bit (GENERIC_ALL 0x10000000, GENERIC_WRITE 0x40000000,
 * WriteData 0x2, AppendData 0x4, DeleteSubdirectoriesAndFiles 0x40, Delete 0x10000, WRITE_DAC 0x40000, WRITE_OWNER
 * 0x80000: learn.microsoft.com/dotnet/api/system.security.accesscontrol.filesystemrights).
 */
export const WRITE_RIGHTS_PATTERN =
  'FullControl|Modify|Write|CreateFiles|CreateDirectories|AppendData|Delete|ChangePermissions|TakeOwnership'
export const WRITE_RIGHTS_MASK = 0x500d0046

const sidList = (sids: readonly string[]) => `@(${sids.map((s) => `'${s}'`).join(', ')})`

export const SECURE_FOLDER_FUNCTIONS = `# Work folders only administrators and SYSTEM can write (a user could otherwise plant or swap files in them).
function Test-SdWriteRight([string]$Rights) {
  if ($Rights -match '^-?[0-9]+$') { return (([long]$Rights -band ${WRITE_RIGHTS_MASK}) -ne 0) }
  return ($Rights -match '${WRITE_RIGHTS_PATTERN}')
}
function Get-SdForeignGrant($Acl) {
  foreach ($rule in @($Acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]))) {
    if ([string]$rule.AccessControlType -ne 'Allow') { continue }
    $sid = [string]$rule.IdentityReference.Value
    if (${sidList(OWN_GRANTEES)} -contains $sid) { continue }
    if (Test-SdWriteRight ([string]$rule.FileSystemRights)) { return $sid }
  }
  return $null
}
function Test-SdNoLinkOnPath([string]$Path) {
  $at = $Path
  while ($at) {
    $item = Get-Item -LiteralPath $at -Force -ErrorAction SilentlyContinue
    if ($item -and [int]($item.Attributes -band [System.IO.FileAttributes]::ReparsePoint) -ne 0) { return ($at + ' is a junction or a link, which could lead anywhere') }
    $up = Split-Path -Parent $at
    if (-not $up -or $up -eq $at) { break }
    $at = $up
  }
  return $null
}
function Test-SdFolderIsOurs([string]$Path) {
  $item = Get-Item -LiteralPath $Path -Force
  if (-not $item.PSIsContainer) { return ($Path + ' is a file, not a folder') }
  if ([int]($item.Attributes -band [System.IO.FileAttributes]::ReparsePoint) -ne 0) { return ($Path + ' is a junction or a link, which could lead anywhere') }
  $acl = Get-Acl -LiteralPath $Path
  $owner = [string]$acl.GetOwner([System.Security.Principal.SecurityIdentifier]).Value
  if (${sidList(ADMIN_SIDS)} -notcontains $owner) { return ($Path + ' belongs to ' + $owner + ', not to the administrators') }
  $other = Get-SdForeignGrant $acl
  if ($other) { return ($Path + ' lets ' + $other + ' write in it, not only the administrators') }
  return $null
}
function Set-SdAdminOnlyAcl([string]$Path) {
  $acl = New-Object System.Security.AccessControl.DirectorySecurity
  $acl.SetOwner((New-Object System.Security.Principal.SecurityIdentifier '${ADMIN_SIDS[0]}'))
  $acl.SetAccessRuleProtection($true, $false)
  foreach ($sid in ${sidList(ADMIN_SIDS)}) {
    $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule -ArgumentList @((New-Object System.Security.Principal.SecurityIdentifier $sid), 'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow')))
  }
  Set-Acl -LiteralPath $Path -AclObject $acl
}
function New-SdSecureFolder([string]$Base, [string]$Child) {
  $why = Test-SdNoLinkOnPath $Base
  if ($why) { return $why }
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
}
# A work folder that must exist already and stay as it is (a mounted image may be inside: its ACL is never reset here):
# no link on its path, and it and every level below the base ours; why not, or $null.
function Test-SdSecureFolder([string]$Base, [string]$Child) {
  $why = Test-SdNoLinkOnPath $Base
  if ($why) { return $why }
  $level = $Base
  foreach ($part in @($Child -split '\\\\' | Where-Object { $_ })) {
    $level = $level + '\\' + $part
    if (-not (Test-Path -LiteralPath $level)) { return ($level + ' is not there (the step that makes it has not run)') }
    $why = Test-SdFolderIsOurs $level
    if ($why) { return $why }
  }
  return $null
}
# A work folder made when it is missing (New-SdSecureFolder) or checked as it is when it is there (Test-SdSecureFolder).
function Use-SdSecureFolder([string]$Base, [string]$Child) {
  if (Test-Path -LiteralPath ($Base + '\\' + $Child)) { return (Test-SdSecureFolder $Base $Child) }
  return (New-SdSecureFolder $Base $Child)
}
# A folder that must hold nothing but the named files (a file planted beside an input would be read by a wildcard or a
# folder-wide /PackagePath); why not, or $null.
function Test-SdOnlyFiles([string]$Folder, [string[]]$Names) {
  foreach ($item in @(Get-ChildItem -LiteralPath $Folder -Force)) {
    if (@($Names | Where-Object { $_ -ieq $item.Name }).Count -eq 0) { return ($item.FullName + ' is not a file this step put there') }
  }
  return $null
}
# A work folder removed only when nothing on its path is a link and it is ours (never through a junction); why not, or $null.
function Remove-SdWorkFolder([string]$Path) {
  if (-not (Test-Path -LiteralPath $Path)) { return $null }
  $why = Test-SdNoLinkOnPath $Path
  if (-not $why) { $why = Test-SdFolderIsOurs $Path }
  if ($why) { return $why }
  Remove-Item -LiteralPath $Path -Recurse -Force
  return $null
}
# An input file: a real file (no link), its SHA-256 recorded where it is (in a folder New-SdSecureFolder made ours).
function Get-SdFileSha256([string]$Path) {
  $item = Get-Item -LiteralPath $Path -Force -ErrorAction SilentlyContinue
  if (-not $item -or $item.PSIsContainer) { throw ($Path + ' is missing or is not a file.') }
  if ([int]($item.Attributes -band [System.IO.FileAttributes]::ReparsePoint) -ne 0) { throw ($Path + ' is a link, which could lead anywhere; nothing more runs.') }
  return (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash
}
# Right before each use: the file is still the one recorded (nothing swapped it since).
function Assert-SdFileSha256([string]$Path, [string]$Expected) {
  $h = Get-SdFileSha256 $Path
  if ($h -ne $Expected) { throw ($Path + ': SHA-256 is ' + $h + ', expected ' + $Expected + ' (it changed since it was checked); nothing more runs.') }
}
# An output file, only in a folder that New-SdSecureFolder returned $null for: an old one is replaced, never followed.
function Write-SdTextFile([string]$Folder, [string]$Name, [string]$Text) {
  $why = Test-SdFolderIsOurs $Folder
  if ($why) { throw $why }
  $path = Join-Path $Folder $Name
  $old = Get-Item -LiteralPath $path -Force -ErrorAction SilentlyContinue
  if ($old) { Remove-Item -LiteralPath $path -Force }
  $stream = New-Object System.IO.FileStream -ArgumentList @($ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($path), [System.IO.FileMode]::CreateNew, [System.IO.FileAccess]::Write)
  try { $bytes = [System.Text.Encoding]::ASCII.GetBytes($Text + [Environment]::NewLine); $stream.Write($bytes, 0, $bytes.Length) } finally { $stream.Dispose() }
}`

/**
 * A script the app runs through the Host (this PC or a remote one, as SYSTEM) that makes `folders` work folders first:
 * the writer's functions, then `first` (lines), then each folder's check, stopping with the reason on stderr and exit code 1.
 */
export function withWorkFolders(folders: readonly string[], body: string, first: string[] = []): string {
  return [
    SECURE_FOLDER_FUNCTIONS,
    ...first,
    ...folders.map(
      (f) => `$why = ${secureFolderCall(f)}; if ($why) { [Console]::Error.WriteLine('Not run: ' + $why); exit 1 }`,
    ),
    body,
  ].join('\n')
}

/** The call that makes `path` (under C:\ProgramData) a work folder: `New-SdSecureFolder -Base 'C:\ProgramData' -Child '…'`. */
export function secureFolderCall(path: string): string {
  const m = /^(C:\\ProgramData)\\(.+)$/i.exec(path)
  if (!m) throw new Error(`A work folder must be under C:\\ProgramData (got ${path}).`)
  return `New-SdSecureFolder -Base ${psLiteral(m[1]!)} -Child ${psLiteral(m[2]!)}`
}

/** The same for a folder that must be there already and is only checked (`Test-SdSecureFolder`), or made when missing (`Use-SdSecureFolder`). */
export function checkedFolderCall(path: string, how: 'Test' | 'Use'): string {
  return secureFolderCall(path).replace(/^New-SdSecureFolder /, `${how}-SdSecureFolder `)
}

/**
 * `$Native`: the PC's native architecture (AMD64, ARM64, x86). The machine-wide environment in the registry first: a
 * PowerShell emulated on an ARM64 PC (x64) sees AMD64 in PROCESSOR_ARCHITECTURE and has no PROCESSOR_ARCHITEW6432
 * (WOW64 sets that one for x86 processes only), so the process's own variables would refuse the PC a package was made
 * for. They remain the fallback where the registry cannot be read.
 */
export const NATIVE_ARCH_LINES = [
  '$Native = $null',
  "try { $Native = [string](Get-ItemProperty -LiteralPath 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment' -Name PROCESSOR_ARCHITECTURE -ErrorAction Stop).PROCESSOR_ARCHITECTURE } catch { $Native = $null }",
  'if (-not $Native) { $Native = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE } }',
]
