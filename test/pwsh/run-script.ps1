# Runs one script on the emulated PC as `powershell.exe -File <script> <args>` would (test/pwsh/harness.ts): the
# preamble first, then the script under Set-StrictMode -Version Latest and $ErrorActionPreference = 'Stop' (a script
# may set its own), its arguments bound as on a command line (-Name value, -Switch). The full 32-bit
# exit code goes to $env:SDH_RESULT (a Linux process exit code keeps 8 bits).
. (Join-Path $PSScriptRoot 'preamble.ps1')
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$__sdhArgs = @(ConvertFrom-Json $env:SDH_ARGS)
$__sdhLine = '& $env:SDH_SCRIPT'
for ($__sdhI = 0; $__sdhI -lt $__sdhArgs.Count; $__sdhI++) {
  $__sdhA = [string]$__sdhArgs[$__sdhI]
  # A single-quoted literal: PowerShell takes ' and the typographic quotes U+2018..U+201B alike, each doubled.
  if ($__sdhA -match '^-[A-Za-z][A-Za-z0-9]*:?$') { $__sdhLine += ' ' + $__sdhA } else { $__sdhLine += " '" + [regex]::Replace($__sdhA, "['\u2018-\u201B]", '$0$0') + "'" }
}
# No try/catch around the script: a handler anywhere up the stack turns every statement-terminating error inside the
# script into a script-terminating one, which -File does not do. An error that ends the script ends this wrapper too
# (exit 1, no result file: the harness reads that as exit code 1, as -File reports it).
$global:LASTEXITCODE = 0
. ([scriptblock]::Create($__sdhLine))
$__sdhCode = $global:LASTEXITCODE
[System.IO.File]::WriteAllText($env:SDH_RESULT, [string]$__sdhCode)
exit ($__sdhCode -band 0xff)
