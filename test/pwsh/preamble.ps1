# The emulated Windows, on the PowerShell side (test/pwsh/harness.ts). Dot-sourced by run-script.ps1 before the script
# under test; never part of a script the app writes. Everything here answers from the training machine of the test
# process (one model, no second one), through the unix socket $env:SDH_SOCKET.
#
#  - C: is a PSDrive on the emulated PC's root folder (cmdlets only: .NET APIs on Linux see no C:; scripts take their
#    roots from $env:SystemRoot / $env:ProgramData, which the harness sets).
#  - Programs: System32 holds real stand-in files (for Test-Path, ProcessStartInfo, Start-Process); for `& <full path>`
#    each full path is also an alias of a function, which sets $LASTEXITCODE to the full 32-bit code (a Linux
#    process keeps 8 bits). Processes started through .NET keep their full code through Process.ExitCode below.
#    A bare name (`& dism.exe`) is deliberately NOT answered: Windows would look in the current folder first.
#  - Cmdlets Windows has and Linux lacks: registry reads and writes (HKLM:), Get-Acl / Set-Acl with the security
#    types New-Object makes, answered from the harness's model of owners and ACLs (planted folders, junctions).

$ErrorActionPreference = 'Stop'
# Plain text on stderr (no colour escapes in what the tests read); PowerShell 7 only, which the harness is.
$PSStyle.OutputRendering = 'PlainText'
New-PSDrive -Name C -PSProvider FileSystem -Root $env:SDH_ROOT -Scope Global | Out-Null

function global:Invoke-SdhRequest([hashtable]$Request) {
  $ep = New-Object System.Net.Sockets.UnixDomainSocketEndPoint($env:SDH_SOCKET)
  $s = New-Object System.Net.Sockets.Socket([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
  $s.Connect($ep)
  $ns = New-Object System.Net.Sockets.NetworkStream($s, $true)
  try {
    $b = [System.Text.Encoding]::UTF8.GetBytes(($Request | ConvertTo-Json -Depth 20 -Compress) + "`n")
    $ns.Write($b, 0, $b.Length)
    $ns.Flush()
    $sr = New-Object System.IO.StreamReader($ns, (New-Object System.Text.UTF8Encoding($false)))
    $line = $sr.ReadToEnd()
  } finally { $ns.Dispose() }
  if (-not $line) { throw 'The emulated PC did not answer.' }
  $r = $line | ConvertFrom-Json
  # The run was killed here and its PowerShell kept (test/pwsh/worker.ps1): the script never runs another line, as a
  # killed process runs none (not even its finally blocks).
  if ($r.PSObject.Properties['sdhFrozen']) { [System.Threading.Thread]::Sleep([System.Threading.Timeout]::Infinite) }
  return $r
}

# Full exit codes of processes started through .NET: the stand-in leaves its 32-bit code in SDH_EXIT_DIR/<pid>.
Update-TypeData -TypeName System.Diagnostics.Process -MemberType ScriptProperty -MemberName ExitCode -Force -Value {
  $base = [System.Diagnostics.Process].GetProperty('ExitCode').GetValue($this)
  $f = [System.IO.Path]::Combine($env:SDH_EXIT_DIR, [string]$this.Id)
  if ([System.IO.File]::Exists($f)) { return [int][System.IO.File]::ReadAllText($f) }
  return $base
}

# ---- programs started with the call operator ---------------------------------------------------------------------
function global:Invoke-SdhProgram([string]$Tool, [object[]]$ArgList) {
  $argv = New-Object System.Collections.Generic.List[string]
  foreach ($a in $ArgList) {
    # A script block handed to powershell.exe (`& powershell.exe -Command { … }`) reaches it as -EncodedCommand, its
    # text in UTF-16LE base64, as PowerShell hands a script block to a child PowerShell.
    if ($a -is [scriptblock] -and $Tool -eq 'powershell.exe') {
      if ($argv.Count -and $argv[$argv.Count - 1] -match '^-c(ommand)?$') { $argv.RemoveAt($argv.Count - 1) }
      $argv.Add('-EncodedCommand'); $argv.Add([Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($a.ToString())))
      continue
    }
    foreach ($x in @($a)) { if ($null -ne $x) { $argv.Add([string]$x) } }
  }
  $cwd = (Get-Location).ProviderPath
  $r = Invoke-SdhRequest @{ op = 'program'; via = 'call-operator'; tool = $Tool; args = $argv.ToArray(); cwd = $cwd; pid = $PID }
  $out = [string]$r.stdoutText
  if ($out.Length) {
    $lines = $out -split "`r`n|`n|`r"
    if ($lines.Count -gt 0 -and $lines[-1] -eq '') { $lines = $lines[0..($lines.Count - 2)] }
    foreach ($l in $lines) { $l }
  }
  $err = [string]$r.stderrText
  if ($err.Length) {
    $ErrorActionPreference = 'Continue'
    foreach ($l in ($err -split "`r`n|`n") | Where-Object { $_ -ne '' }) {
      Write-Error -ErrorRecord (New-Object System.Management.Automation.ErrorRecord((New-Object System.Management.Automation.RemoteException($l)), 'NativeCommandError', 'NotSpecified', $Tool))
    }
  }
  $global:LASTEXITCODE = [int]$r.exitCodeSigned
}

# One function per program and its full paths as aliases of it: $env:SDH_TOOLS holds those definitions as straight
# lines, written by the harness (toolDefinitions) — the same functions and aliases a loop here would make, at about
# half the CPU of each run's start (a loop over the programs is compiled by PowerShell on every start).
. ([scriptblock]::Create($env:SDH_TOOLS))

# ---- the registry --------------------------------------------------------------------------------------------------
function global:Test-SdhRegistryPath([string]$Path) { return ($Path -match '^(HKLM:|HKEY_LOCAL_MACHINE\\|Registry::HKEY_LOCAL_MACHINE\\|Microsoft\.PowerShell\.Core\\Registry::HKEY_LOCAL_MACHINE\\)') }

function global:Get-ItemProperty {
  [CmdletBinding()]
  param([Parameter(Position = 0)][string[]]$Path, [string[]]$LiteralPath, [Parameter(Position = 1)][string[]]$Name, [string]$Filter, [string[]]$Include, [string[]]$Exclude)
  $p = @(@($LiteralPath) + @($Path) | Where-Object { $_ })[0]
  if (-not (Test-SdhRegistryPath $p)) { return Microsoft.PowerShell.Management\Get-ItemProperty @PSBoundParameters }
  $r = Invoke-SdhRequest @{ op = 'reg-get'; key = $p }
  if (-not $r.exists) {
    $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord((New-Object System.Management.Automation.ItemNotFoundException("Cannot find path '$p' because it does not exist.")), 'PathNotFound,Microsoft.PowerShell.Commands.GetItemPropertyCommand', 'ObjectNotFound', $p)))
    return
  }
  $o = [ordered]@{}
  foreach ($v in @($r.values)) {
    if ($Name -and -not ($Name | Where-Object { $_ -eq $v.name })) { continue }
    $d = $v.data
    if ($v.type -eq 'REG_DWORD') { $d = [int]$d } elseif ($v.type -eq 'REG_QWORD') { $d = [long]$d } elseif ($v.type -eq 'REG_MULTI_SZ') { $d = [string[]]@($d) }
    $o[$v.name] = $d
  }
  foreach ($n in @($Name)) {
    if ($n -and -not $o.Contains($n)) {
      $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord((New-Object System.Management.Automation.PSArgumentException("Property $n does not exist at path $p.")), 'System.Management.Automation.PSArgumentException,Microsoft.PowerShell.Commands.GetItemPropertyCommand', 'InvalidArgument', $n)))
      return
    }
  }
  if ($o.Count -eq 0) { return }
  $o['PSPath'] = 'Microsoft.PowerShell.Core\Registry::' + $r.key
  return [pscustomobject]$o
}

function global:Set-ItemProperty {
  [CmdletBinding()]
  param([Parameter(Position = 0)][string[]]$Path, [string[]]$LiteralPath, [Parameter(Position = 1)][string]$Name, [Parameter(Position = 2)][object]$Value, [string]$Type, [switch]$Force, [switch]$PassThru)
  $p = @(@($LiteralPath) + @($Path) | Where-Object { $_ })[0]
  if (-not (Test-SdhRegistryPath $p)) { return Microsoft.PowerShell.Management\Set-ItemProperty @PSBoundParameters }
  $t = if ($Type) { 'REG_' + $Type.ToUpperInvariant().Replace('DWORD', 'DWORD').Replace('STRING', 'SZ') } elseif ($Value -is [int]) { 'REG_DWORD' } else { 'REG_SZ' }
  $r = Invoke-SdhRequest @{ op = 'reg-set'; key = $p; name = $Name; type = $t; data = $Value }
  if (-not $r.ok) { $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord((New-Object System.Management.Automation.ItemNotFoundException("Cannot find path '$p' because it does not exist.")), 'PathNotFound,Microsoft.PowerShell.Commands.SetItemPropertyCommand', 'ObjectNotFound', $p))) }
}

function global:Remove-ItemProperty {
  [CmdletBinding()]
  param([Parameter(Position = 0)][string[]]$Path, [string[]]$LiteralPath, [Parameter(Position = 1)][string[]]$Name, [switch]$Force)
  $p = @(@($LiteralPath) + @($Path) | Where-Object { $_ })[0]
  if (-not (Test-SdhRegistryPath $p)) { return Microsoft.PowerShell.Management\Remove-ItemProperty @PSBoundParameters }
  foreach ($n in $Name) {
    $r = Invoke-SdhRequest @{ op = 'reg-remove'; key = $p; name = $n }
    if (-not $r.ok) { $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord((New-Object System.Management.Automation.PSArgumentException("Property $n does not exist at path $p.")), 'System.Management.Automation.PSArgumentException,Microsoft.PowerShell.Commands.RemoveItemPropertyCommand', 'InvalidArgument', $n))) }
  }
}

function global:Test-Path {
  [CmdletBinding()]
  param([Parameter(Position = 0)][string[]]$Path, [string[]]$LiteralPath, [Microsoft.PowerShell.Commands.TestPathType]$PathType = 'Any', [switch]$IsValid, [string]$Filter, [string[]]$Include, [string[]]$Exclude, [datetime]$OlderThan, [datetime]$NewerThan)
  $p = @(@($LiteralPath) + @($Path) | Where-Object { $_ })[0]
  if ($p -and (Test-SdhRegistryPath $p)) { return [bool](Invoke-SdhRequest @{ op = 'reg-get'; key = $p }).exists }
  Microsoft.PowerShell.Management\Test-Path @PSBoundParameters
}

# ---- owners and ACLs -----------------------------------------------------------------------------------------------
# SIDs and account names as Windows shows them (learn.microsoft.com/windows/win32/secauthz/well-known-sids).
$global:SdhAccounts = @{ 'S-1-5-18' = 'NT AUTHORITY\SYSTEM'; 'S-1-5-32-544' = 'BUILTIN\Administrators'; 'S-1-5-32-545' = 'BUILTIN\Users'; 'S-1-3-0' = 'CREATOR OWNER'; 'S-1-1-0' = 'Everyone'; 'S-1-5-11' = 'NT AUTHORITY\Authenticated Users' }
function global:New-SdhIdentity([string]$Sid) {
  $name = if ($global:SdhAccounts.ContainsKey($Sid)) { $global:SdhAccounts[$Sid] } else { 'EMULATED\' + $Sid }
  $o = [pscustomobject]@{ Value = $Sid; AccountName = $name; PSTypeName = 'Sdh.Identity' }
  $o | Add-Member -MemberType ScriptMethod -Name Translate -Value { param($Type) if ([string]$Type -match 'NTAccount') { [pscustomobject]@{ Value = $this.AccountName } } else { $this } }
  $o | Add-Member -MemberType ScriptMethod -Name ToString -Force -Value { $this.Value }
  return $o
}
function global:ConvertTo-SdhSid($Identity) {
  if ($null -eq $Identity) { return $null }
  if ($Identity.PSObject.Properties['Value'] -and $Identity.PSObject.Properties['AccountName']) { return $Identity.Value }
  $s = [string]$Identity
  if ($s -match '^S-\d') { return $s }
  foreach ($k in $global:SdhAccounts.Keys) { if ($global:SdhAccounts[$k] -eq $s) { return $k } }
  return $s
}
function global:New-SdhRule([string]$Sid, [string]$Rights, [string]$Inheritance, [string]$Propagation, [string]$Type, [bool]$Inherited) {
  [pscustomobject]@{
    PSTypeName = 'Sdh.FileSystemAccessRule'
    IdentityReference = (New-SdhIdentity $Sid); FileSystemRights = $Rights; AccessControlType = $Type
    InheritanceFlags = $Inheritance; PropagationFlags = $Propagation; IsInherited = $Inherited
  }
}
function global:New-SdhAcl([string]$LocalPath, $Model) {
  $acl = [pscustomobject]@{ PSTypeName = 'Sdh.DirectorySecurity'; SdhPath = $LocalPath; SdhOwner = $Model.owner; SdhProtected = [bool]$Model.protected; SdhRules = (New-Object System.Collections.ArrayList) }
  foreach ($r in @($Model.rules)) { [void]$acl.SdhRules.Add((New-SdhRule $r.sid $r.rights $r.inheritance $r.propagation $r.type ([bool]$r.inherited))) }
  $acl | Add-Member -MemberType ScriptProperty -Name Owner -Value { (New-SdhIdentity $this.SdhOwner).AccountName }
  $acl | Add-Member -MemberType ScriptProperty -Name Access -Value { @($this.SdhRules) }
  $acl | Add-Member -MemberType ScriptProperty -Name AreAccessRulesProtected -Value { $this.SdhProtected }
  $acl | Add-Member -MemberType ScriptMethod -Name GetOwner -Value { param($Type) $i = New-SdhIdentity $this.SdhOwner; if ([string]$Type -match 'NTAccount') { [pscustomobject]@{ Value = $i.AccountName } } else { $i } }
  $acl | Add-Member -MemberType ScriptMethod -Name SetOwner -Value { param($Identity) $this.SdhOwner = ConvertTo-SdhSid $Identity }
  $acl | Add-Member -MemberType ScriptMethod -Name SetAccessRuleProtection -Value {
    param([bool]$IsProtected, [bool]$PreserveInheritance)
    $this.SdhProtected = $IsProtected
    if ($IsProtected) { foreach ($r in @($this.SdhRules)) { if ($r.IsInherited) { if ($PreserveInheritance) { $r.IsInherited = $false } else { $this.SdhRules.Remove($r) } } } }
  }
  $acl | Add-Member -MemberType ScriptMethod -Name AddAccessRule -Value { param($Rule) [void]$this.SdhRules.Add((New-SdhRule $Rule.IdentityReference.Value $Rule.FileSystemRights $Rule.InheritanceFlags $Rule.PropagationFlags $Rule.AccessControlType $false)) }
  $acl | Add-Member -MemberType ScriptMethod -Name SetAccessRule -Value { param($Rule) $sid = $Rule.IdentityReference.Value; foreach ($r in @($this.SdhRules)) { if (-not $r.IsInherited -and $r.IdentityReference.Value -eq $sid -and $r.AccessControlType -eq $Rule.AccessControlType) { $this.SdhRules.Remove($r) } }; $this.AddAccessRule($Rule) }
  $acl | Add-Member -MemberType ScriptMethod -Name RemoveAccessRule -Value { param($Rule) $hit = $false; foreach ($r in @($this.SdhRules)) { if (-not $r.IsInherited -and $r.IdentityReference.Value -eq $Rule.IdentityReference.Value -and [string]$r.FileSystemRights -eq [string]$Rule.FileSystemRights -and [string]$r.AccessControlType -eq [string]$Rule.AccessControlType) { $this.SdhRules.Remove($r); $hit = $true } }; $hit }
  $acl | Add-Member -MemberType ScriptMethod -Name RemoveAccessRuleAll -Value { param($Rule) foreach ($r in @($this.SdhRules)) { if (-not $r.IsInherited -and $r.IdentityReference.Value -eq $Rule.IdentityReference.Value) { $this.SdhRules.Remove($r) } } }
  $acl | Add-Member -MemberType ScriptMethod -Name PurgeAccessRules -Value { param($Identity) $sid = ConvertTo-SdhSid $Identity; foreach ($r in @($this.SdhRules)) { if (-not $r.IsInherited -and $r.IdentityReference.Value -eq $sid) { $this.SdhRules.Remove($r) } } }
  $acl | Add-Member -MemberType ScriptMethod -Name GetAccessRules -Value { param([bool]$IncludeExplicit, [bool]$IncludeInherited, $Type) @($this.SdhRules | Where-Object { ($IncludeExplicit -and -not $_.IsInherited) -or ($IncludeInherited -and $_.IsInherited) }) }
  return $acl
}

function global:Get-Acl {
  [CmdletBinding()]
  param([Parameter(Position = 0)][string[]]$Path, [string[]]$LiteralPath)
  $p = @(@($LiteralPath) + @($Path) | Where-Object { $_ })[0]
  $local = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p)
  $r = Invoke-SdhRequest @{ op = 'acl-get'; path = $local }
  if (-not $r.exists) {
    $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord((New-Object System.Management.Automation.ItemNotFoundException("Cannot find path '$p' because it does not exist.")), 'GetAcl_PathNotFound_Exception,Microsoft.PowerShell.Commands.GetAclCommand', 'ObjectNotFound', $p)))
    return
  }
  return (New-SdhAcl $local $r.acl)
}

function global:Set-Acl {
  [CmdletBinding()]
  param([Parameter(Position = 0)][string[]]$Path, [string[]]$LiteralPath, [Parameter(Position = 1)]$AclObject, [switch]$Passthru)
  $p = @(@($LiteralPath) + @($Path) | Where-Object { $_ })[0]
  $local = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p)
  $rules = @($AclObject.SdhRules | ForEach-Object { @{ sid = $_.IdentityReference.Value; rights = [string]$_.FileSystemRights; inheritance = [string]$_.InheritanceFlags; propagation = [string]$_.PropagationFlags; type = [string]$_.AccessControlType; inherited = [bool]$_.IsInherited } })
  $r = Invoke-SdhRequest @{ op = 'acl-set'; path = $local; acl = @{ owner = $AclObject.SdhOwner; protected = [bool]$AclObject.SdhProtected; rules = $rules } }
  if (-not $r.ok) { $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord((New-Object System.UnauthorizedAccessException([string]$r.error)), 'SetAcl_Failed,Microsoft.PowerShell.Commands.SetAclCommand', 'PermissionDenied', $p))) }
}

# ---- storage (the Storage module is Windows-only) -------------------------------------------------------------------
function global:Get-Partition {
  [CmdletBinding()]
  param([uint32]$DiskNumber, [uint32]$PartitionNumber)
  $r = Invoke-SdhRequest @{ op = 'partitions'; disk = $DiskNumber }
  if (-not $r.exists) {
    $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord((New-Object System.Management.Automation.ItemNotFoundException("No MSFT_Partition objects found with property 'DiskNumber' equal to '$DiskNumber'.")), 'CmdletizationQuery_NotFound_DiskNumber,Get-Partition', 'ObjectNotFound', $DiskNumber)))
    return
  }
  foreach ($p in @($r.partitions)) {
    if ($PSBoundParameters.ContainsKey('PartitionNumber') -and $p.PartitionNumber -ne $PartitionNumber) { continue }
    $letter = if ([string]$p.DriveLetter) { [char]([string]$p.DriveLetter)[0] } else { [char]0 }
    [pscustomobject]@{ DiskNumber = [uint32]$p.DiskNumber; PartitionNumber = [uint32]$p.PartitionNumber; Offset = [uint64]$p.Offset; Size = [uint64]$p.Size; DriveLetter = $letter; GptType = [string]$p.GptType; MbrType = [uint16]$p.MbrType }
  }
}

# New-Object for the security types Linux's .NET refuses to make; everything else is the real cmdlet.
function global:New-Object {
  [CmdletBinding(DefaultParameterSetName = 'Net')]
  param([Parameter(ParameterSetName = 'Net', Mandatory = $true, Position = 0)][string]$TypeName, [Parameter(ParameterSetName = 'Net', Position = 1)][Alias('Args')][object[]]$ArgumentList,
    [Parameter(ParameterSetName = 'Com', Mandatory = $true)][string]$ComObject, [Parameter(ParameterSetName = 'Com')][switch]$Strict, [System.Collections.IDictionary]$Property)
  $t = ([string]$TypeName) -replace '^System\.', ''
  if ($t -eq 'Security.Principal.SecurityIdentifier') { return (New-SdhIdentity ([string]$ArgumentList[0])) }
  if ($t -eq 'Security.Principal.NTAccount') { return (New-SdhIdentity (ConvertTo-SdhSid (@($ArgumentList) -join '\'))) }
  if ($t -eq 'Security.AccessControl.FileSystemAccessRule') {
    $a = @($ArgumentList)
    if ($a.Count -eq 3) { return (New-SdhRule (ConvertTo-SdhSid $a[0]) ([string]$a[1]) 'None' 'None' ([string]$a[2]) $false) }
    return (New-SdhRule (ConvertTo-SdhSid $a[0]) ([string]$a[1]) ([string]$a[2]) ([string]$a[3]) ([string]$a[4]) $false)
  }
  if ($t -eq 'Security.AccessControl.DirectorySecurity') { return (New-SdhAcl '' @{ owner = 'S-1-5-32-544'; protected = $false; rules = @() }) }
  Microsoft.PowerShell.Utility\New-Object @PSBoundParameters
}

# ---- CIM (Get-CimInstance is Windows-only): the model's processor, system drive and last boot -----------------------
function global:Get-CimInstance {
  [CmdletBinding()]
  param([Parameter(Position = 0)][Alias('Class')][string]$ClassName, [string]$Filter, [string]$Namespace, [string[]]$ComputerName, $CimSession, [string]$Query, [string[]]$Property, [int]$OperationTimeoutSec)
  $r = Invoke-SdhRequest @{ op = 'cim'; class = $ClassName }
  foreach ($i in @($r.instances)) {
    $o = [ordered]@{}
    foreach ($p in $i.PSObject.Properties) { $o[$p.Name] = $p.Value }
    if ($o.Contains('LastBootUpTime') -and $o.LastBootUpTime -isnot [datetime]) { $o.LastBootUpTime = [datetime]::Parse([string]$o.LastBootUpTime, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind) }
    if ($o.Contains('LastBootUpTime')) { $o.LastBootUpTime = $o.LastBootUpTime.ToLocalTime() }
    if ($Filter -and $Filter -match "DeviceID\s*=\s*'([^']*)'" -and $o.Contains('DeviceID') -and $o.DeviceID -ne $Matches[1]) { continue }
    [pscustomobject]$o
  }
}

# ---- remoting: the "remote" PC is this emulated PC; a session's commands run in a runspace of their own -------------
# A runspace as a remote session's: a fresh one (no variable of the caller), default preferences, the same stand-ins.
# A session keeps its runspace from New-PSSession to Remove-PSSession, as WinRM does (variables live between calls).
function global:New-SdhRunspace {
  $ps = [powershell]::Create()
  [void]$ps.AddScript(". '" + $env:SDH_PREAMBLE.Replace("'", "''") + "'; `$ErrorActionPreference = 'Continue'")
  [void]$ps.Invoke()
  $ps.Commands.Clear()
  return $ps
}
function global:Invoke-SdhInRunspace([string]$Text, [object[]]$Arguments, $Runspace) {
  $ps = if ($Runspace) { $Runspace } else { New-SdhRunspace }
  try {
    $ps.Commands.Clear()
    $ps.Streams.Error.Clear()
    [void]$ps.AddScript($Text)
    foreach ($a in @($Arguments)) { [void]$ps.AddArgument($a) }
    $out = $ps.Invoke()
    foreach ($e in $ps.Streams.Error) { Write-Error -ErrorRecord $e }
    $out
  } finally { if (-not $Runspace) { $ps.Dispose() } }
}

function global:Test-WSMan {
  [CmdletBinding()]
  param([Parameter(Position = 0)][string]$ComputerName, [switch]$UseSSL, [int]$Port, $Authentication, $Credential, [string]$ApplicationName)
  [pscustomobject]@{ wsmid = 'http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd'; ProtocolVersion = 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd'; ProductVendor = 'Microsoft Corporation'; ProductVersion = 'OS: 0.0.0 SP: 0.0 Stack: 3.0' }
}
$global:SdhSessionNo = 0
function global:New-PSSession {
  [CmdletBinding()]
  param([Parameter(Position = 0)][string[]]$ComputerName, [switch]$UseSSL, [int]$Port, $Credential, $Authentication, $SessionOption, [string]$ConfigurationName)
  $global:SdhSessionNo++
  [pscustomobject]@{ PSTypeName = 'Sdh.PSSession'; Id = $global:SdhSessionNo; Name = ('WinRM' + $global:SdhSessionNo); ComputerName = @($ComputerName)[0]; State = 'Opened'; Availability = 'Available'; SdhRunspace = (New-SdhRunspace) }
}
function global:Remove-PSSession {
  [CmdletBinding()]
  param([Parameter(Position = 0)]$Session, [int[]]$Id)
  foreach ($s in @($Session)) { if ($s -and $s.State -eq 'Opened') { $s.State = 'Closed'; $s.SdhRunspace.Dispose() } }
}
# -ComputerName with several names (a fan-out): each name this PC answers to ($env:SDH_REACHABLE, a JSON list; every
# name when it is unset) runs the script in a runspace of its own, -ThrottleLimit names at a time (one batch after
# another here), its output marked with PSComputerName as remoting marks it; any other name gets WinRM's error for a
# computer it cannot reach, with the name as the error's TargetObject. Each fan-out is recorded as a 'remote' call.
function global:Invoke-Command {
  [CmdletBinding()]
  param([Parameter(Position = 0)][scriptblock]$ScriptBlock, $Session, [string[]]$ComputerName, [object[]]$ArgumentList, $Credential, [switch]$AsJob, [string]$FilePath, [int]$ThrottleLimit = 32)
  $text = if ($FilePath) { Microsoft.PowerShell.Management\Get-Content -LiteralPath $FilePath -Raw } elseif ($ScriptBlock) { $ScriptBlock.ToString() } else { '' }
  if (-not $Session -and -not $ComputerName) { return (& $ScriptBlock @ArgumentList) }
  foreach ($s in @($Session)) { if ($s -and $s.State -ne 'Opened') { throw "The session state is $($s.State): the session is not open." } }
  $one = @($Session)[0]
  $fanOut = (-not $one) -and ($PSBoundParameters.ContainsKey('ThrottleLimit') -or @($ComputerName).Count -gt 1 -or [bool]$env:SDH_REACHABLE)
  if (-not $fanOut) {
    return (Invoke-SdhInRunspace $text $ArgumentList $(if ($one) { $one.SdhRunspace } else { $null }))
  }
  $names = @($ComputerName)
  [void](Invoke-SdhRequest @{ op = 'remote'; tool = 'invoke-command'; names = $names; throttle = $ThrottleLimit; file = [string]$FilePath })
  $reach = if ($env:SDH_REACHABLE) { @(ConvertFrom-Json $env:SDH_REACHABLE) } else { $names }
  for ($i = 0; $i -lt $names.Count; $i += [Math]::Max(1, $ThrottleLimit)) {
    foreach ($n in $names[$i..([Math]::Min($names.Count, $i + [Math]::Max(1, $ThrottleLimit)) - 1)]) {
      if ($reach -notcontains $n) {
        $m = "[$n] Connecting to remote server $n failed with the following error message : WinRM cannot process the request. The following error occurred while using Kerberos authentication: Cannot find the computer $n. Verify that the computer exists on the network and that the name provided is spelled correctly. For more information, see the about_Remote_Troubleshooting Help topic."
        $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord((New-Object System.Management.Automation.Remoting.PSRemotingTransportException($m)), 'NetworkPathNotFound,PSSessionStateBroken', 'OpenError', $n)))
        continue
      }
      foreach ($o in @(Invoke-SdhInRunspace $text $ArgumentList $null)) {
        if ($null -eq $o) { continue }
        $x = [psobject]$o
        $x | Add-Member -NotePropertyName PSComputerName -NotePropertyValue $n -Force
        $x
      }
    }
  }
}
function global:Copy-Item {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param([Parameter(Position = 0)][string[]]$Path, [string[]]$LiteralPath, [Parameter(Position = 1)][string]$Destination, $ToSession, $FromSession,
    [switch]$Force, [switch]$Recurse, [switch]$Container, [switch]$PassThru, [string]$Filter, [string[]]$Include, [string[]]$Exclude)
  # -ToSession / -FromSession: the session's PC is this one, so the copy is a local one.
  [void]$PSBoundParameters.Remove('ToSession'); [void]$PSBoundParameters.Remove('FromSession')
  Microsoft.PowerShell.Management\Copy-Item @PSBoundParameters
}

# ---- scheduled tasks (the ScheduledTasks module is Windows-only): registered here, run when started, as SYSTEM -------
$global:SdhTasks = @{}
function global:New-ScheduledTaskAction { param([string]$Execute, [string]$Argument, [string]$WorkingDirectory, [string]$Id) [pscustomobject]@{ PSTypeName = 'Sdh.TaskAction'; Execute = $Execute; Arguments = $Argument } }
function global:New-ScheduledTaskPrincipal { param([string]$UserId, $LogonType, $RunLevel, [string]$GroupId, $ProcessTokenSidType) [pscustomobject]@{ UserId = $UserId; RunLevel = [string]$RunLevel; LogonType = [string]$LogonType } }
function global:Register-ScheduledTask {
  [CmdletBinding()]
  param([Parameter(Position = 0)][string]$TaskName, $Action, $Principal, $Trigger, $Settings, [switch]$Force, [string]$TaskPath, [string]$User, $InputObject, [string]$Description)
  if ($global:SdhTasks.ContainsKey($TaskName) -and -not $Force) { throw "Cannot create a file when that file already exists. (task $TaskName)" }
  $global:SdhTasks[$TaskName] = @{ Action = $Action; Principal = $Principal; Runs = 0 }
  [pscustomobject]@{ TaskName = $TaskName; State = 'Ready' }
}
function global:Get-ScheduledTask {
  [CmdletBinding()]
  param([Parameter(Position = 0)][string]$TaskName, [string]$TaskPath)
  if ($global:SdhTasks.ContainsKey($TaskName)) { return [pscustomobject]@{ TaskName = $TaskName; State = 'Ready' } }
  $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord((New-Object System.Management.Automation.ItemNotFoundException("No MSFT_ScheduledTask objects found with property 'TaskName' equal to '$TaskName'.")), 'CmdletizationQuery_NotFound_TaskName,Get-ScheduledTask', 'ObjectNotFound', $TaskName)))
}
function global:Start-ScheduledTask {
  [CmdletBinding()]
  param([Parameter(Position = 0)][string]$TaskName, [string]$TaskPath)
  $t = $global:SdhTasks[$TaskName]
  # Windows' own Secure Boot task (a copyable block starts it): answered by the app's step that runs it (schtasks /Run).
  if (-not $t -and (($TaskPath + $TaskName) -replace '\\+', '\') -eq '\Microsoft\Windows\PI\Secure-Boot-Update') {
    Invoke-SdhModelled @{ op = 'secure-boot-task' }
    return
  }
  if (-not $t) { throw "The system cannot find the file specified. (task $TaskName)" }
  $t.Runs++
  $a = [string]$t.Action.Arguments
  if ($a -notmatch '-EncodedCommand\s+(\S+)') { throw "The emulated PC runs only -EncodedCommand tasks (task $TaskName)" }
  $text = [System.Text.Encoding]::Unicode.GetString([Convert]::FromBase64String($Matches[1]))
  # The task's powershell.exe, as SYSTEM, to its end (a task survives the session; here it simply finishes first).
  Invoke-SdhInRunspace $text @() | Out-Null
}
function global:Unregister-ScheduledTask {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param([Parameter(Position = 0)][string]$TaskName, [string]$TaskPath)
  $global:SdhTasks.Remove($TaskName)
}

# ---- the copyable blocks' cmdlets: services and Windows Update's folders, answered by the model -------
# Stop-Service / Start-Service and a Rename-Item of %SystemRoot%\SoftwareDistribution\DataStore, \Download or System32\catroot2 (the manual
# reset a person copies) change the same model the reset repair's scripts change (main/training/renderers/wu-components.ts):
# the harness runs the app's own step for them. Any other Rename-Item is PowerShell's own.
function global:Invoke-SdhModelled([hashtable]$Request) {
  $r = Invoke-SdhRequest $Request
  if ([int]$r.exitCode -ne 0) { throw ([string]$r.stderrText + ' ' + [string]$r.stdoutText).Trim() }
}
function global:Stop-Service {
  [CmdletBinding()] param([Parameter(Position = 0)][string[]]$Name, [switch]$Force, [switch]$NoWait, [switch]$PassThru)
  Invoke-SdhModelled @{ op = 'service'; action = 'Stop'; names = @($Name) }
}
function global:Start-Service {
  [CmdletBinding()] param([Parameter(Position = 0)][string[]]$Name, [switch]$PassThru)
  Invoke-SdhModelled @{ op = 'service'; action = 'Start'; names = @($Name) }
}
function global:Rename-Item {
  [CmdletBinding()] param([Parameter(Position = 0)][string]$Path, [string]$LiteralPath, [Parameter(Position = 1)][string]$NewName, [switch]$Force, [switch]$PassThru)
  $p = if ($LiteralPath) { $LiteralPath } else { $Path }
  $norm = { param($x) ([string]$x -replace '[\\/]+', '/').TrimEnd('/').ToLowerInvariant() }
  foreach ($f in @(@{ folder = 'DataStore'; rel = 'SoftwareDistribution/DataStore' }, @{ folder = 'Download'; rel = 'SoftwareDistribution/Download' }, @{ folder = 'catroot2'; rel = 'System32/catroot2' })) {
    if ((& $norm $p) -eq (& $norm ($env:SystemRoot + '/' + $f.rel))) {
      Invoke-SdhModelled @{ op = 'wu-rename'; folder = $f.folder; newName = $NewName }
      return
    }
  }
  Microsoft.PowerShell.Management\Rename-Item @PSBoundParameters
}
# Get-Volume of a partition from the pipeline (`Get-Partition | … | Get-Volume`): its size and free space from the model.
function global:Get-Volume {
  [CmdletBinding()] param([Parameter(ValueFromPipeline = $true)]$Partition)
  process {
    if ($null -eq $Partition) { throw 'The emulated PC answers Get-Volume only for a partition from the pipeline.' }
    $r = Invoke-SdhRequest @{ op = 'volume'; disk = [int]$Partition.DiskNumber; partition = [int]$Partition.PartitionNumber }
    if (-not $r.exists) { throw "No MSFT_Volume objects found for partition $($Partition.PartitionNumber) of disk $($Partition.DiskNumber)." }
    [pscustomobject]@{ DriveLetter = $Partition.DriveLetter; FileSystem = [string]$r.FileSystem; FileSystemLabel = [string]$r.Label; Size = [uint64]$r.Size; SizeRemaining = [uint64]$r.SizeRemaining }
  }
}
