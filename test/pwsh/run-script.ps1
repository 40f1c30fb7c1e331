# Runs one script on the emulated PC as `powershell.exe -File <script> <args>` would (test/pwsh/harness.ts): the
# preamble first, then the script under Set-StrictMode -Version Latest and $ErrorActionPreference = 'Stop' (issue 41
# §4; a script may set its own), its arguments bound as on a command line (-Name value, -Switch). The full 32-bit
# exit code goes to $env:SDH_RESULT (a Linux process exit code keeps 8 bits).
. (Join-Path $PSScriptRoot 'preamble.ps1')
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$__sdhArgs = @(ConvertFrom-Json $env:SDH_ARGS)
$__sdhLine = '& $env:SDH_SCRIPT'
for ($__sdhI = 0; $__sdhI -lt $__sdhArgs.Count; $__sdhI++) {
  $__sdhA = [string]$__sdhArgs[$__sdhI]
  if ($__sdhA -match '^-[A-Za-z][A-Za-z0-9]*:?$') { $__sdhLine += ' ' + $__sdhA } else { $__sdhLine += " '" + $__sdhA.Replace("'", "''") + "'" }
}
$__sdhCode = 0
try {
  $global:LASTEXITCODE = 0
  . ([scriptblock]::Create($__sdhLine))
  $__sdhCode = $global:LASTEXITCODE
} catch {
  [Console]::Error.WriteLine('SDH-TERMINATED: ' + ($_ | Out-String))
  [Console]::Error.WriteLine($_.ScriptStackTrace)
  $__sdhCode = 1
}
[System.IO.File]::WriteAllText($env:SDH_RESULT, [string]$__sdhCode)
exit ($__sdhCode -band 0xff)
