<#
  The Windows PowerShell 5.1 check: every script the app writes is parsed by PowerShell's own parser
  ([System.Management.Automation.Language.Parser]) and its syntax tree walked against ONE rule list: what
  PowerShell 7 has and Windows PowerShell 5.1 (the PowerShell every Windows PC has) lacks, and every program
  started by a bare name (Windows looks in the current folder first, so a planted reg.exe would run
  elevated). A parse error fails too.

  Usage (test/pwsh/ps51-check.ts runs it, once for all the scripts):
    ps51-check.ps1 -ListFile <json: [{ "name", "path", "file": true|false, "only"?: [...] }]>   findings as JSON
    ps51-check.ps1 -ListRules                                                                 the rule list as JSON
  "only": [rule ids] applies just those rules (a command line shown to copy, which may be Command Prompt's).
  "file": true means the bytes are the script file as written (the BOM rule applies); false, a text shown to
  copy or sent as -EncodedCommand (UTF-16, no file).

  The checker itself keeps to 5.1 (it is checked by itself) and runs on 5.1 too: there the PowerShell 7
  syntax rules are met as parse errors.
#>
param([string]$ListFile, [switch]$ListRules)

$ErrorActionPreference = 'Stop'

# Programs known by a name without extension (PowerShell finds dism.exe for `dism`).
$NativeNames = @('dism', 'reg', 'reagentc', 'shutdown', 'schtasks', 'sfc', 'wusa', 'diskpart', 'manage-bde', 'mountvol',
  'robocopy', 'bcdedit', 'net', 'net1', 'icacls', 'takeown', 'expand', 'powershell', 'pwsh', 'cmd', 'whoami', 'taskkill',
  'chcp', 'certutil', 'msiexec', 'netsh', 'wevtutil', 'xcopy', 'cscript', 'wscript', 'rundll32', 'regsvr32', 'bitsadmin',
  'wmic', 'fsutil', 'vssadmin', 'wbadmin', 'pnputil', 'bootsect', 'bcdboot', 'attrib', 'cipher', 'compact', 'findstr',
  'tasklist', 'sc', 'systeminfo', 'gpupdate', 'gpresult', 'hostname', 'ipconfig', 'nslookup', 'ping', 'curl', 'tar')
# Names that are PowerShell aliases in 5.1 even though a program has the same name (`sc` is Set-Content there).
$AliasFirst = @('sc', 'curl')
$ProgramPattern = '^[A-Za-z0-9_.-]+\.(exe|com|bat|cmd)$'
# The -Encoding values 5.1 knows (FileSystemCmdletProviderEncoding and Out-File's set).
$Encodings51 = @('unknown', 'string', 'unicode', 'bigendianunicode', 'utf8', 'utf7', 'utf32', 'ascii', 'default', 'oem', 'byte', 'bigendianutf32')

function Get-CommandNameOf($n) {
  $name = $n.GetCommandName()
  if ($name) { return $name.ToLowerInvariant() }
  return ''
}
function Get-BoundParameters($n) {
  try {
    $b = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($n, $true)
    return @($b.BoundParameters.Keys | ForEach-Object { $_.ToLowerInvariant() })
  } catch { return @() }
}
# A command's parameters as written (`-Depth`, `-dep`: the binder resolves abbreviations where it knows the command).
function Test-Parameter($n, [string[]]$Commands, [string[]]$Parameters) {
  $name = Get-CommandNameOf $n
  if ($Commands -notcontains $name) { return $null }
  $bound = Get-BoundParameters $n
  $written = @($n.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object { $_.ParameterName.ToLowerInvariant() })
  foreach ($p in $Parameters) {
    $l = $p.ToLowerInvariant()
    if ($bound -contains $l -or $written -contains $l) { return ('-' + $p) }
  }
  return $null
}
function Get-NativeName([string]$Text) {
  $t = $Text.Trim().Trim('"').Trim()
  if ($t -match $ProgramPattern) { return $t }
  if ($NativeNames -contains $t.ToLowerInvariant()) { return $t }
  return $null
}

# The cmdlets whose -Encoding takes 5.1's names (a script's own function may take -Encoding of its own).
$EncodingCmdlets = @('get-content', 'gc', 'cat', 'type', 'set-content', 'sc', 'add-content', 'ac', 'out-file', 'export-csv', 'epcsv', 'import-csv', 'ipcsv', 'select-string', 'sls', 'export-clixml', 'send-mailmessage', 'format-hex', 'tee-object')
# PowerShell 6+ parameters of cmdlets 5.1 has: per row, the command's names and the parameters.
$Ps7Parameters = @(
  @(@('split-path'), @('LeafBase', 'Extension')),
  @(@('get-date'), @('AsUTC', 'UnixTimeSeconds')),
  @(@('start-process', 'start', 'saps'), @('Environment')),
  @(@('select-string', 'sls'), @('Raw', 'NoEmphasis')),
  @(@('sort-object', 'sort'), @('Top', 'Bottom', 'Stable')),
  @(@('select-object', 'select'), @('SkipIndex', 'CaseInsensitive')),
  @(@('test-connection'), @('TargetName', 'TcpPort', 'Traceroute', 'MtuSize', 'Detailed', 'Repeat', 'ResolveDestination', 'Ping')),
  @(@('new-pssession', 'invoke-command', 'enter-pssession', 'icm', 'etsn', 'nsn'), @('HostName', 'SSHTransport', 'KeyFilePath', 'UserName', 'Subsystem', 'SSHConnection', 'Options', 'ConnectingTimeout')),
  @(@('convertto-csv', 'export-csv', 'epcsv'), @('UseQuotes', 'QuoteFields', 'IncludeTypeInformation', 'NoHeader')),
  @(@('get-childitem', 'gci', 'dir', 'ls'), @('FollowSymlink')),
  @(@('out-file'), @('NoNewLine'))
)
# Cmdlets PowerShell 6+ has and 5.1 does not.
$Ps7Cmdlets = @('join-string', 'test-json', 'get-error', 'get-uptime', 'remove-alias', 'remove-service', 'convertfrom-markdown', 'show-markdown', 'get-markdownoption', 'set-markdownoption', 'convertto-clixml', 'convertfrom-clixml', 'get-securerandom', 'get-pssubsystem', 'get-experimentalfeature', 'enable-experimentalfeature', 'disable-experimentalfeature', 'new-pssessionconfigurationfile-ssh')

<#
  The rule list. Each rule: Id, the syntax-tree node type it looks at (Type: the .NET type's short name, or
  'File' for the file's bytes), Message (what to do instead), and Test: given the node, $null when it keeps the
  rule, else the text that breaks it (shown with the message).
  Two optional fields say where a rule cannot hit, so the walk skips calling its Test there (calling a script block
  for every node and rule was most of the check's time: ~45 s of CPU for the app's 122 scripts). Each is a condition
  the rule's own Test already requires, so what the rule finds is the same:
    Commands: a command rule is tested only on a command whose name (lower case) is in the list.
    Needle, NeedleIn: tested only where the regular expression Needle (case-insensitive) matches the node's
      Extent text, its [string]Value, its [string]Operator or its variable's UserPath (NeedleIn: 'Extent', 'Value',
      'Operator', 'UserPath').
    Flag: tested only where the node's property of that name is true (a property 5.1's node lacks reads as $null).
#>
$Rules = @(
  @{ Id = 'null-coalescing'; Type = 'BinaryExpressionAst'; Needle = '^QuestionQuestion$'; NeedleIn = 'Operator'; Message = '`??` (null-coalescing) is PowerShell 7; 5.1 cannot parse it: use if ($null -eq $a) { ... } else { ... }'
     Test = { param($n) if ([string]$n.Operator -eq 'QuestionQuestion') { '??' } } }
  @{ Id = 'null-coalescing-assignment'; Type = 'AssignmentStatementAst'; Needle = '^QuestionQuestionEquals$'; NeedleIn = 'Operator'; Message = '`??=` is PowerShell 7; 5.1 cannot parse it: use if ($null -eq $a) { $a = ... }'
     Test = { param($n) if ([string]$n.Operator -eq 'QuestionQuestionEquals') { '??=' } } }
  @{ Id = 'ternary'; Type = 'TernaryExpressionAst'; Message = '`? :` (the ternary operator) is PowerShell 7; 5.1 cannot parse it: use $(if (...) { ... } else { ... })'
     Test = { param($n) '? :' } }
  @{ Id = 'pipeline-chain'; Type = 'PipelineChainAst'; Message = '`&&` and `||` between commands are PowerShell 7; 5.1 cannot parse them: test $? or $LASTEXITCODE after the command'
     Test = { param($n) '&& / ||' } }
  @{ Id = 'null-conditional-member'; Type = 'MemberExpressionAst', 'InvokeMemberExpressionAst'; Flag = 'NullConditional'; Message = '`?.` is PowerShell 7; in 5.1 `${a}?.b` reads a variable named `a?`: test for $null first'
     Test = { param($n) if ($n.NullConditional) { '?.' } } }
  @{ Id = 'null-conditional-index'; Type = 'IndexExpressionAst'; Flag = 'NullConditional'; Message = '`?[]` is PowerShell 7; 5.1 cannot parse it: test for $null first'
     Test = { param($n) if ($n.NullConditional) { '?[]' } } }
  @{ Id = 'clean-block'; Type = 'ScriptBlockAst'; Flag = 'CleanBlock'; Message = 'a `clean {}` block is PowerShell 7.3; in 5.1 it is a call to a command named clean: use try/finally in end {}'
     Test = { param($n) if ($n.PSObject.Properties['CleanBlock'] -and $n.CleanBlock) { 'clean {}' } } }
  @{ Id = 'background-operator'; Type = 'PipelineAst'; Flag = 'Background'; Message = 'a trailing `&` (run in the background) is PowerShell 7; 5.1 cannot parse it: use Start-Job or Start-Process'
     Test = { param($n) if ($n.PSObject.Properties['Background'] -and $n.Background) { '&' } } }
  @{ Id = 'unicode-escape'; Type = 'StringConstantExpressionAst', 'ExpandableStringExpressionAst'; Needle = '`'; NeedleIn = 'Extent'; Message = '`u{...} and `e in a double-quoted string are PowerShell 6+; 5.1 reads them as the letters u and e: use [char]0x....'
     Test = { param($n) if ([string]$n.StringConstantType -match 'Double' -and $n.Extent.Text -match '(?<!`)(``)*`(u\{|e)') { $Matches[0] } } }
  @{ Id = 'numeric-suffix'; Type = 'ConstantExpressionAst'; Message = 'the number suffixes u, y, uy, s, us, ul, n and binary 0b literals are PowerShell 7; 5.1 cannot parse them: cast instead ([uint32]...)'
     Test = { param($n) if ($n.Extent.Text -match '^(0x[0-9a-f]+|[0-9][0-9.]*(e[+-]?[0-9]+)?)(u|y|uy|s|us|ul|n)(kb|mb|gb|tb|pb)?$|^0b[01]+') { $n.Extent.Text } } }
  @{ Id = 'psstyle'; Type = 'VariableExpressionAst'; Needle = '^PSStyle$'; NeedleIn = 'UserPath'; Message = '$PSStyle is PowerShell 7.2; 5.1 has no such variable (an error under Set-StrictMode): write plain text'
     Test = { param($n) if ($n.VariablePath.UserPath -eq 'PSStyle') { '$PSStyle' } } }
  @{ Id = 'ps7-variable'; Type = 'VariableExpressionAst'; Needle = '^(IsWindows|IsLinux|IsMacOS|IsCoreCLR|EnabledExperimentalFeatures|PSNativeCommandArgumentPassing|PSNativeCommandUseErrorActionPreference)$'; NeedleIn = 'UserPath'; Message = 'this automatic variable is PowerShell 6+ ($IsWindows, $IsLinux, $IsMacOS, $IsCoreCLR, $EnabledExperimentalFeatures, $PSNativeCommand...); 5.1 has none (an error under Set-StrictMode)'
     Test = { param($n) $v = [string]$n.VariablePath.UserPath; if (@('IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR', 'EnabledExperimentalFeatures', 'PSNativeCommandArgumentPassing', 'PSNativeCommandUseErrorActionPreference') -contains $v) { '$' + $v } } }
  @{ Id = 'foreach-parallel'; Type = 'CommandAst'; Commands = @('foreach-object', 'foreach', '%'); Message = 'ForEach-Object -Parallel is PowerShell 7: 5.1 has no such parameter: use a plain foreach'
     Test = { param($n) Test-Parameter $n @('foreach-object', 'foreach', '%') @('Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'AsJob', 'UseNewRunspace') } }
  @{ Id = 'convertfrom-json-ashashtable'; Type = 'CommandAst'; Commands = @('convertfrom-json'); Message = 'ConvertFrom-Json -AsHashtable is PowerShell 6+: 5.1 returns objects; read their properties'
     Test = { param($n) Test-Parameter $n @('convertfrom-json') @('AsHashtable') } }
  @{ Id = 'convertfrom-json-depth'; Type = 'CommandAst'; Commands = @('convertfrom-json'); Message = 'ConvertFrom-Json -Depth (and -NoEnumerate, -DateKind) are PowerShell 6+: 5.1 has no such parameters'
     Test = { param($n) Test-Parameter $n @('convertfrom-json') @('Depth', 'NoEnumerate', 'DateKind') } }
  @{ Id = 'convertto-json-ps7'; Type = 'CommandAst'; Commands = @('convertto-json'); Message = 'ConvertTo-Json -EnumsAsStrings, -AsArray and -EscapeHandling are PowerShell 6+: 5.1 has only -Depth and -Compress'
     Test = { param($n) Test-Parameter $n @('convertto-json') @('EnumsAsStrings', 'AsArray', 'EscapeHandling') } }
  @{ Id = 'join-path-children'; Type = 'CommandAst'; Commands = @('join-path'); Message = 'Join-Path with several children (-AdditionalChildPath) is PowerShell 6+: 5.1 takes one child: nest Join-Path or write the path whole'
     Test = { param($n)
       $r = Test-Parameter $n @('join-path') @('AdditionalChildPath', 'Extension')
       if ($r) { return $r }
       if ((Get-CommandNameOf $n) -ne 'join-path') { return $null }
       # Positional arguments beyond Path and ChildPath (counted as written, whatever the binder knows).
       $k = 0; $els = @($n.CommandElements); $i = 1
       while ($i -lt $els.Count) {
         $e = $els[$i]
         if ($e -is [System.Management.Automation.Language.CommandParameterAst]) {
           if (-not $e.Argument -and @('resolve', 'credential') -notcontains $e.ParameterName.ToLowerInvariant() -and $i + 1 -lt $els.Count) { $i++ }
         } else { $k++ }
         $i++
       }
       if ($k -gt 2) { 'Join-Path with ' + ($k - 1) + ' children' } } }
  @{ Id = 'skip-certificate-check'; Type = 'CommandAst'; Commands = @('invoke-webrequest', 'invoke-restmethod', 'iwr', 'irm'); Message = '-SkipCertificateCheck is PowerShell 6+: 5.1 has no such parameter (and a script must never turn off certificate checks)'
     Test = { param($n) Test-Parameter $n @('invoke-webrequest', 'invoke-restmethod', 'iwr', 'irm') @('SkipCertificateCheck') } }
  @{ Id = 'web-cmdlet-ps7'; Type = 'CommandAst'; Commands = @('invoke-webrequest', 'invoke-restmethod', 'iwr', 'irm'); Message = 'this Invoke-WebRequest/Invoke-RestMethod parameter is PowerShell 6+; 5.1 has no such parameter'
     Test = { param($n) Test-Parameter $n @('invoke-webrequest', 'invoke-restmethod', 'iwr', 'irm') @('Authentication', 'SslProtocol', 'SkipHeaderValidation', 'Resume', 'StatusCodeVariable', 'ResponseHeadersVariable', 'MaximumRetryCount', 'RetryIntervalSec', 'Form', 'NoProxy', 'AllowUnencryptedAuthentication', 'SkipHttpErrorCheck', 'PreserveAuthorizationOnRedirect', 'HttpVersion', 'ConnectionTimeoutSeconds', 'OperationTimeoutSeconds', 'CustomMethod', 'Token', 'UnixSocket', 'AllowInsecureRedirect', 'PreserveHttpMethodOnRedirect') } }
  @{ Id = 'encoding-value'; Type = 'CommandAst'; Commands = $EncodingCmdlets; Message = 'this -Encoding value is PowerShell 6+ (utf8NoBOM, utf8BOM, ansi, latin1, a code page number); 5.1 knows UTF8 (with a BOM), Unicode, ASCII, Default, OEM...'
     Test = { param($n)
       # The cmdlets whose -Encoding takes these names (a script's own function may take -Encoding of its own).
       if ($EncodingCmdlets -notcontains (Get-CommandNameOf $n)) { return $null }
       $els = @($n.CommandElements)
       for ($i = 1; $i -lt $els.Count; $i++) {
         $e = $els[$i]
         if ($e -is [System.Management.Automation.Language.CommandParameterAst] -and $e.ParameterName -match '^enc') {
           $v = if ($e.Argument) { $e.Argument } elseif ($i + 1 -lt $els.Count) { $els[$i + 1] } else { $null }
           if ($v -is [System.Management.Automation.Language.ConstantExpressionAst] -and $Encodings51 -notcontains ([string]$v.Value).ToLowerInvariant()) { return ('-Encoding ' + $v.Extent.Text) }
         }
       }
       $null } }
  @{ Id = 'as-byte-stream'; Type = 'CommandAst'; Commands = @('get-content', 'set-content', 'add-content', 'gc', 'cat', 'type'); Message = '-AsByteStream is PowerShell 6+: 5.1 reads and writes bytes with -Encoding Byte (or [System.IO.File]::ReadAllBytes)'
     Test = { param($n) Test-Parameter $n @('get-content', 'set-content', 'add-content', 'gc', 'cat', 'type') @('AsByteStream') } }
  @{ Id = 'ps7-parameter'; Type = 'CommandAst'; Commands = @($Ps7Parameters | ForEach-Object { $_[0] }); Message = 'this parameter is PowerShell 6+; 5.1 has no such parameter'
     Test = { param($n)
       $c = Get-CommandNameOf $n
       # Each command name is in one row: Test-Parameter of any other row is $null.
       foreach ($row in $Ps7Parameters) { if ($row[0] -notcontains $c) { continue }; $r = Test-Parameter $n $row[0] $row[1]; if ($r) { return ($c + ' ' + $r) } }
       $null } }
  @{ Id = 'ps7-cmdlet'; Type = 'CommandAst'; Commands = $Ps7Cmdlets; Message = 'this cmdlet is PowerShell 6+; 5.1 does not have it'
     Test = { param($n) $c = Get-CommandNameOf $n; if ($Ps7Cmdlets -contains $c) { $c } } }
  @{ Id = 'dotnet-core-api'; Type = 'InvokeMemberExpressionAst', 'MemberExpressionAst'; Flag = 'Static'; Message = 'this .NET member is .NET Core only; 5.1 runs on .NET Framework 4.x, which does not have it'
     Test = { param($n)
       if (-not $n.Static -or $n.Expression -isnot [System.Management.Automation.Language.TypeExpressionAst]) { return $null }
       $t = ($n.Expression.TypeName.FullName -replace '^System\.', '').ToLowerInvariant()
       $m = ([string]$n.Member.Value).ToLowerInvariant()
       $core = @{
         'io.path' = @('getrelativepath', 'join', 'trimendingdirectoryseparator', 'endsindirectoryseparator', 'exists', 'isfullyqualified')
         'convert' = @('tohexstring', 'fromhexstring', 'tohexstringlower')
         'math' = @('clamp')
         'environment' = @('processpath', 'processid')
         'security.cryptography.sha256' = @('hashdata'); 'security.cryptography.sha1' = @('hashdata')
         'io.file' = @('createsymboliclink', 'readalltextasync', 'writealltextasync', 'readallbytesasync', 'writeallbytesasync')
         'io.directory' = @('createsymboliclink')
         'operatingsystem' = @('iswindows', 'islinux', 'ismacos', 'iswindowsversionatleast')
       }
       if ($core.ContainsKey($t) -and $core[$t] -contains $m) { '[' + $n.Expression.TypeName.FullName + ']::' + $n.Member.Value } } }
  @{ Id = 'ps7-type'; Type = 'TypeExpressionAst', 'TypeConstraintAst'; Message = 'this type is PowerShell 6+ / .NET Core only; 5.1 does not have it'
     Test = { param($n) $t = $n.TypeName.FullName.ToLowerInvariant(); if ($t -eq 'semver' -or $t -match '^(system\.)?text\.json\b|semanticversion$|psstyle$') { $n.TypeName.FullName } } }
  @{ Id = 'string-split-separator'; Type = 'InvokeMemberExpressionAst'; Message = '.Split(''ab'') splits at each character on 5.1 (.NET Framework has no Split(string)) and at the whole string on 7: use -split or .Split([string[]]@(...), ...)'
     Test = { param($n)
       if ($n.Static -or ([string]$n.Member.Value).ToLowerInvariant() -ne 'split') { return $null }
       $a = @($n.Arguments)
       if ($a.Count -ge 1 -and $a[0] -is [System.Management.Automation.Language.StringConstantExpressionAst] -and ([string]$a[0].Value).Length -gt 1) { '.Split(' + $a[0].Extent.Text + ')' } } }
  @{ Id = 'zipfile-without-assembly'; Type = 'TypeExpressionAst'; Message = '[System.IO.Compression.ZipFile] needs Add-Type -AssemblyName System.IO.Compression.FileSystem first on 5.1 (7 loads it by itself)'
     Test = { param($n)
       if ($n.TypeName.FullName -notmatch '^(System\.)?IO\.Compression\.Zip(File|FileExtensions)$') { return $null }
       $root = $n; while ($root.Parent) { $root = $root.Parent }
       if ($root.Extent.Text -match 'Add-Type\s+-AssemblyName\s+[''"]?System\.IO\.Compression\.FileSystem') { return $null }
       '[' + $n.TypeName.FullName + ']' } }
  @{ Id = 'bare-program'; Type = 'CommandAst'; Message = 'a program started by a bare name: Windows looks in the current folder first, so a planted copy would run as administrator; start it by its full path: & (Join-Path $env:SystemRoot ''System32\dism.exe'')'
     Test = { param($n)
       $first = @($n.CommandElements)[0]
       if ($first -isnot [System.Management.Automation.Language.StringConstantExpressionAst]) { return $null }
       $v = [string]$first.Value
       if ($first.StringConstantType -eq 'BareWord' -and $AliasFirst -contains $v.ToLowerInvariant()) { return $null }
       Get-NativeName $v } }
  @{ Id = 'bare-program-text'; Type = 'StringConstantExpressionAst', 'ExpandableStringExpressionAst'; Needle = '\.(exe|com)'; NeedleIn = 'Value'; Message = 'a command line or FileName that starts with a bare program name (a RunOnce value, ProcessStartInfo.FileName, Start-Process): Windows looks in the current folder first; name the program by its full path under $env:SystemRoot'
     Test = { param($n)
       # The command name itself is the other rule's.
       if ($n.Parent -is [System.Management.Automation.Language.CommandAst] -and [object]::ReferenceEquals(@($n.Parent.CommandElements)[0], $n)) { return $null }
       # A value in a table (a label such as @{ file = 'reg.exe'; program = 'System32\reg.exe' }) starts nothing unless
       # its key says it is what gets started.
       $stmt = if ($n.Parent -is [System.Management.Automation.Language.CommandExpressionAst]) { $n.Parent.Parent } else { $n.Parent }
       if ($stmt -is [System.Management.Automation.Language.PipelineAst] -and $stmt.Parent -is [System.Management.Automation.Language.HashtableAst]) {
         $key = $null
         foreach ($kv in $stmt.Parent.KeyValuePairs) { if ([object]::ReferenceEquals($kv.Item2, $stmt)) { $key = [string]$kv.Item1.Value } }
         if ($key -notmatch '^(FileName|FilePath|Program|Execute|Command|CommandLine)$') { return $null }
       }
       $v = [string]$n.Value
       if ($v -match '^\s*"?([A-Za-z0-9_-]+\.(exe|com))("|\s|$)') { $Matches[1] } } }
  @{ Id = 'system32-literal'; Type = 'CommandAst'; Message = 'a program started by a written-out Windows folder: take System32 from $env:SystemRoot (Windows may not be in C:\Windows, and the test harness redirects it)'
     Test = { param($n)
       $first = @($n.CommandElements)[0]
       if ($first -is [System.Management.Automation.Language.StringConstantExpressionAst] -and [string]$first.Value -match '^[A-Za-z]:\\Windows\\') { [string]$first.Value } } }
)
# The rules that are not about the syntax tree.
$FileRules = @(
  @{ Id = 'parse-error'; Message = 'PowerShell cannot parse the script' }
  @{ Id = 'non-ascii-without-bom'; Message = 'a script file with non-ASCII text needs a UTF-8 BOM: 5.1 reads a file without one in the ANSI code page (the bytes of a curly quote become three letters, one of them a quote)' }
)

if ($ListRules) {
  $all = @($FileRules | ForEach-Object { [ordered]@{ id = $_.Id; message = $_.Message } }) + @($Rules | ForEach-Object { [ordered]@{ id = $_.Id; message = $_.Message } })
  ConvertTo-Json -InputObject @($all) -Compress
  exit 0
}

$byType = @{}
foreach ($r in $Rules) { foreach ($t in @($r.Type)) { if (-not $byType.ContainsKey($t)) { $byType[$t] = @() }; $byType[$t] += $r } }

$list = Get-Content -LiteralPath $ListFile -Raw -Encoding UTF8 | ConvertFrom-Json
$findings = New-Object System.Collections.ArrayList
function Add-Finding($Name, $Rule, $Line, $Text, $Message) {
  [void]$findings.Add([ordered]@{ name = $Name; rule = $Rule; line = $Line; text = $Text; message = $Message })
}
foreach ($s in @($list)) {
  $bytes = [System.IO.File]::ReadAllBytes($s.path)
  $bom = $bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF
  $text = if ($bom) { [System.Text.Encoding]::UTF8.GetString($bytes, 3, $bytes.Length - 3) } else { [System.Text.Encoding]::UTF8.GetString($bytes) }
  if ($s.file -and -not $bom) {
    # The first byte of 0x80 or more: Latin-1 gives each byte the character of its own number.
    $latin1 = [System.Text.Encoding]::GetEncoding(28591).GetString($bytes)
    $m = [regex]::Match($latin1, '[\x80-\xFF]')
    $at = if ($m.Success) { $m.Index } else { -1 }
    if ($at -ge 0) {
      $line = 1 + ([regex]::Matches($latin1.Substring(0, $at), "`n")).Count
      Add-Finding $s.name 'non-ascii-without-bom' $line ('byte 0x{0:X2} at offset {1}' -f $bytes[$at], $at) $FileRules[1].Message
    }
  }
  $tokens = $null; $errors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
  $only = @($s.only | Where-Object { $_ })
  if ($only.Count -eq 0) { foreach ($e in @($errors)) { Add-Finding $s.name 'parse-error' $e.Extent.StartLineNumber $e.Extent.Text ($FileRules[0].Message + ': ' + $e.Message) } }
  foreach ($node in $ast.FindAll({ param($x) $byType.ContainsKey($x.GetType().Name) }, $true)) {
    $t = $node.GetType().Name
    $name = $null
    foreach ($r in $byType[$t]) {
      if ($only.Count -gt 0 -and $only -notcontains $r.Id) { continue }
      if ($r.Commands) {
        if ($null -eq $name) { $name = Get-CommandNameOf $node }
        if ($r.Commands -notcontains $name) { continue }
      }
      if ($r.Flag -and -not $node.($r.Flag)) { continue }
      if ($r.Needle) {
        $hay = switch ($r.NeedleIn) { 'Extent' { $node.Extent.Text } 'Value' { [string]$node.Value } 'Operator' { [string]$node.Operator } 'UserPath' { [string]$node.VariablePath.UserPath } }
        if ($hay -notmatch $r.Needle) { continue }
      }
      $hit = & $r.Test $node
      if ($hit) { Add-Finding $s.name $r.Id $node.Extent.StartLineNumber ([string]$hit) $r.Message }
    }
  }
}
ConvertTo-Json -InputObject @($findings) -Compress -Depth 3
