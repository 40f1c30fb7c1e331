/**
 * Fix-<host>.ps1's path and work-folder parts, fast and in process (fix-script.ts with a package of
 * the kit and the collector only): its work folder under C:\ProgramData made or refused before anything is written
 * there; every file copied into it and its SHA-256 checked THERE before use; the kit's script, the restart and the
 * collector started by full paths; the RunOnce continuation starting its own copy in the work folder. The pwsh tests
 * (test/unit/pwsh/fix-package-*.test.ts) run such scripts on the emulated PC and swap files at the worst moment.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { FixScriptInput } from '../../../main/fix-package/fix-script.ts'

let renderFixScript: (i: FixScriptInput) => string
beforeAll(async () => {
  vi.resetModules()
  ;({ renderFixScript } = await import('../../../main/fix-package/fix-script.ts'))
})

const input: FixScriptInput = {
  packageId: 'pkg-1',
  machine: { name: 'PC-1', build: 22631, ubr: 4460, nativeArch: 'x64' },
  takenAt: '2026-11-20T10:00:00Z',
  version: '0.1.0',
  createdAt: '2026-11-21T10:00:00Z',
  repairs: [],
  winre: null,
  sources: [],
  kit: { kb: 'KB5046633', title: 'Cumulative Update' },
  files: [
    { rel: 'kit\\Install-Kit.ps1', sha256: 'a'.repeat(64) },
    { rel: 'Collect-ServicingFacts.ps1', sha256: 'b'.repeat(64) },
  ],
  collectorRel: 'Collect-ServicingFacts.ps1',
}
const WORK = 'C:\\ProgramData\\ServicingDesk\\fix-package\\pkg-1'
const PS = "(Join-Path $env:SystemRoot 'System32\\WindowsPowerShell\\v1.0\\powershell.exe')"

describe('Fix-<host>.ps1: its work folder and the paths it starts', () => {
  let lines: string[] = []
  let text = ''
  beforeAll(() => {
    text = renderFixScript(input)
    lines = text.split(/\r?\n/)
  })
  const at = (line: string) => {
    const i = lines.indexOf(line)
    expect(i, line).toBeGreaterThanOrEqual(0)
    return i
  }

  it('names its work folder and every file it writes there under C:\\ProgramData\\ServicingDesk\\fix-package\\<package>', () => {
    at(`$Work = '${WORK}'`)
    at(`$SelfCopy = '${WORK}\\Fix-PC-1.ps1'`)
    at(`$LogFile = '${WORK}\\Fix-PC-1.log'`)
    at(`$StateFile = '${WORK}\\steps.done'`)
    at(`$AfterFile = '${WORK}\\after-PC-1.zip'`)
    at("$RunOnceName = 'ServicingDeskFix'")
    // The steps done are recorded in the work folder (the state file), where only administrators write.
    at('function Complete-FixStep([string]$Id) { Add-Content -LiteralPath $StateFile -Value $Id; $script:done += $Id }')
  })

  it('makes or refuses the work folder first: nothing is logged there, copied there or run before', () => {
    const call = at(
      `$why = New-SdSecureFolder -Base 'C:\\ProgramData' -Child 'ServicingDesk\\fix-package\\pkg-1'; if ($why) { Stop-Fix ('The work folder is not safe to use, so nothing runs: ' + $why) }`,
    )
    expect(lines.filter((l) => l.includes('New-SdSecureFolder -Base'))).toHaveLength(1)
    expect(at('$WorkReady = $false')).toBeLessThan(call)
    expect(at('$WorkReady = $true')).toBe(call + 1)
    expect(
      at('if ($PSCommandPath -ne $SelfCopy) { Set-Content -LiteralPath $SelfCopy -Value $SelfText -Encoding UTF8 }'),
    ).toBe(call + 2)
    expect(text.indexOf('function New-SdSecureFolder(')).toBeLessThan(lines.slice(0, call).join('\n').length)
    for (const use of ["  Copy-FixFile 'kit", '$r = Invoke-FixNative (', "Complete-FixStep '"])
      expect(
        lines.findIndex((l) => l.includes(use) && !l.startsWith('function')),
        use,
      ).toBeGreaterThan(call)
    expect(
      at(
        "function Write-FixLog([string]$Text) { $line = ('{0} {1}' -f (Get-Date).ToString('s'), $Text); if ($script:WorkReady) { Add-Content -LiteralPath $LogFile -Value $line }; Write-Host $line }",
      ),
    ).toBeLessThan(call)
    at(
      "function Stop-Fix([string]$Text) { Write-FixLog ('STOPPED: ' + $Text); if ($script:WorkReady) { Write-Host ('Log: ' + $LogFile) }; exit 1 }",
    )
  })

  it('copies a file of the package into the work folder and checks its SHA-256 there', () => {
    const copy = at('function Copy-FixFile([string]$Rel, [string]$Destination) {')
    expect(lines.slice(copy + 1, copy + 5)).toEqual([
      "  if (-not $Sha.ContainsKey($Rel)) { Stop-Fix ('Not a file of the package: ' + $Rel) }",
      '  Copy-Item -LiteralPath (Join-Path $Pkg $Rel) -Destination $Destination -Force',
      '  Assert-FixFile $Destination $Sha[$Rel]',
      '}',
    ])
    const check = at('function Assert-FixFile([string]$Path, [string]$Expected) {')
    expect(lines.slice(check + 1, check + 5)).toEqual([
      "  if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { Stop-Fix ('Missing: ' + $Path) }",
      '  $h = (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash',
      "  if ($h -ne $Expected) { Stop-Fix ($Path + ': SHA-256 is ' + $h + ', expected ' + $Expected + '; nothing more runs.') }",
      '}',
    ])
  })

  it("runs the kit's script and the collector from their checked copies in the work folder, by PowerShell's full path", () => {
    const kit = at("  Copy-FixFile 'kit\\Install-Kit.ps1' $kitScript")
    expect(lines[kit - 1]).toBe("  $kitScript = Join-Path $Work 'Install-Kit.ps1'")
    expect(lines[kit + 1]).toBe(
      `  $r = Invoke-FixNative ${PS} @('-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', $kitScript, '-Kit', (Join-Path $Pkg 'kit'))`,
    )
    const col = at("  Copy-FixFile 'Collect-ServicingFacts.ps1' $collector")
    expect(lines[col - 1]).toBe("  $collector = Join-Path $Work 'Collect-ServicingFacts.ps1'")
    expect(lines[col + 1]).toBe(
      `  $r = Invoke-FixNative ${PS} @('-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', $collector, '-OutFile', $AfterFile)`,
    )
  })

  it("restarts by shutdown.exe's full path, and continues from its own copy by PowerShell's full path", () => {
    expect(
      lines.filter((l) => l.includes("Invoke-FixNative (Join-Path $env:SystemRoot 'System32\\shutdown.exe') @('/r', ")),
    ).toHaveLength(1)
    expect(text).toContain(
      `function Register-FixContinuation { Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name $RunOnceName -Value ('"' + ${PS} + '" -NoProfile -ExecutionPolicy Bypass -File "' + $SelfCopy + '" -Package "' + $Pkg + '"') }`,
    )
  })

  it('starts nothing by a bare name', () => {
    for (const l of lines) {
      const m = /(?:^|[;{]\s*)(?:&|Invoke-FixNative)\s+(\S+)/.exec(l.trim())
      if (m && !l.trim().startsWith('#')) expect(m[1], l).toMatch(/^(?:\(Join-Path|\$File\b)/)
    }
  })
})
