/**
 * Every command shown is labelled with its shell and runs there as shown: boxes split where
 * the shell changes and after a restart; WinRE-only commands get their own box; the knowledge's remedies hold
 * commands only (no prose in a Copy box).
 */
import { describe, it, expect } from 'vitest'
import { cmdLineProblems, groupCommands, isRestart, shellOf } from '../../../renderer/src/components/command-shell.ts'
import { allStandardRemedies } from '../../../main/knowledge/error-codes.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCliInProcess } from '../cli-child.ts'
import { hangMs } from '../../load.ts'

describe('shellOf', () => {
  it('names the shell each kind of line runs in as written', () => {
    expect(shellOf('dism.exe /English /Online /Add-Package /PackagePath:C:\\kit\\a.msu /NoRestart')).toBe('cmd')
    expect(shellOf('ren %SystemRoot%\\SoftwareDistribution SoftwareDistribution.old')).toBe('cmd')
    expect(shellOf("powershell.exe -NoProfile -Command { $action = 'Stop'; $names = 'bits' }")).toBe('powershell')
    expect(shellOf('powershell.exe -NoProfile -Command "Get-HotFix"')).toBe('cmd')
    expect(shellOf('Get-WindowsPackage -Online | Where-Object { $_.PackageState -eq "InstallPending" }')).toBe(
      'powershell',
    )
    expect(shellOf('$env:SystemRoot')).toBe('powershell')
    // A PowerShell subexpression inside a program's arguments: cmd would pass it on unexpanded.
    expect(shellOf('wusa.exe (Get-Item C:\\Updates\\KB5034441\\*.msu).FullName /quiet /norestart')).toBe('powershell')
    expect(shellOf('robocopy "$env:SystemRoot\\Temp" D:\\x')).toBe('powershell')
    expect(shellOf('DISM /Image:C:\\ /Cleanup-Image /RevertPendingActions')).toBe('winre')
  })
  it('knows a restart', () => {
    expect(isRestart('shutdown /r /t 0')).toBe(true)
    expect(isRestart('shutdown.exe /r /t 600')).toBe(true)
    expect(isRestart('Restart-Computer -Force')).toBe(true)
    expect(isRestart('shutdown /a')).toBe(false)
  })
})

describe('groupCommands', () => {
  it('ends a box at a restart: what follows is marked as after the restart', () => {
    const g = groupCommands(['DISM /Online /Cleanup-Image /RestoreHealth', 'shutdown /r /t 0', 'sfc /scannow'])
    expect(g).toEqual([
      { shell: 'cmd', lines: ['DISM /Online /Cleanup-Image /RestoreHealth', 'shutdown /r /t 0'], afterRestart: false },
      { shell: 'cmd', lines: ['sfc /scannow'], afterRestart: true },
    ])
  })
  it('gives WinRE-only and PowerShell lines their own boxes', () => {
    const g = groupCommands([
      'DISM /Online /Get-Packages /Format:Table',
      'DISM /Online /Remove-Package /PackageName:<name>',
      'DISM /Image:C:\\ /Cleanup-Image /RevertPendingActions',
      'Get-HotFix',
    ])
    expect(g.map((x) => [x.shell, x.lines.length])).toEqual([
      ['cmd', 2],
      ['winre', 1],
      ['powershell', 1],
    ])
  })
  it('keeps one box for lines of one shell, or the shell it is told', () => {
    expect(groupCommands(['net stop wuauserv', 'net stop bits'])).toHaveLength(1)
    expect(groupCommands(['$x = 1', 'ren a b'], 'powershell')).toEqual([
      { shell: 'powershell', lines: ['$x = 1', 'ren a b'], afterRestart: false },
    ])
  })
})

describe('the knowledge remedies', () => {
  it('hold commands only: no prose in parentheses inside a Copy box', () => {
    for (const r of allStandardRemedies())
      for (const c of r.commands) expect(c, `${r.id}: ${c}`).not.toMatch(/\([a-z]+ [a-z]+ [^)]*\)$/i)
  })
})

describe('a script in a Command Prompt line', () => {
  const script = [
    '# Work folders only administrators can write.',
    'function New-SdFolder { param([string]$Path) if (-not (Test-Path $Path)) { New-Item -ItemType Directory $Path | Out-Null } }',
    "$why = New-SdFolder -Path 'C:\\ProgramData\\ServicingDesk'; if ($why) { exit 1 }",
  ].join('\n')
  const wrapped = `%SystemRoot%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -NoProfile -Command "${script}"`
  it('is shown as the PowerShell script it is, in a PowerShell box of its own', () => {
    const g = groupCommands(['%SystemRoot%\\System32\\ReAgentc.exe /disable', wrapped, 'diskpart.exe /s C:\\x.txt'])
    expect(g).toEqual([
      { shell: 'cmd', lines: ['%SystemRoot%\\System32\\ReAgentc.exe /disable'], afterRestart: false },
      { shell: 'powershell', lines: script.split('\n'), afterRestart: false },
      { shell: 'cmd', lines: ['diskpart.exe /s C:\\x.txt'], afterRestart: false },
    ])
    for (const x of g) if (x.shell === 'cmd') expect(cmdLineProblems(x.lines)).toEqual([])
  })
  it('cmdLineProblems names a script cut into a Command Prompt box (it can fail)', () => {
    expect(cmdLineProblems(wrapped.split('\n')).length).toBeGreaterThanOrEqual(3)
    expect(cmdLineProblems([wrapped]).length).toBeGreaterThan(0)
    expect(cmdLineProblems(['powershell.exe -NoProfile -Command "Get-HotFix"', 'net stop bits'])).toEqual([])
  })
  it("every WinRE repair's boxes on every training machine: a Command Prompt box holds only cmd lines", {
    timeout: hangMs(120_000),
  }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'sd-winre-boxes-'))
    const machines = (
      JSON.parse((await runCliInProcess(home, ['machines', '--json'])).stdout) as { machines: { name: string }[] }
    ).machines.map((m) => m.name)
    let scripts = 0
    for (const m of machines) {
      const r = JSON.parse((await runCliInProcess(home, ['winre', '--machine', m, '--json'])).stdout) as {
        repair: { steps: { title: string; command: { commandLine: string } }[] } | null
      }
      for (const s of r.repair?.steps ?? []) {
        for (const g of groupCommands([s.command.commandLine])) {
          if (g.shell === 'cmd') expect(cmdLineProblems(g.lines), `${m}: ${s.title}`).toEqual([])
          if (g.lines.length > 1) scripts++
        }
      }
    }
    // The walk saw the repair's scripts (the work folder's, the resize plan's), each in a PowerShell box.
    expect(scripts).toBeGreaterThan(0)
    rmSync(home, { recursive: true, force: true })
  })
})
