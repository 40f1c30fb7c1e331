/**
 * The emulated PC's runs in warm PowerShell processes (test/pwsh/worker-pool.ts, worker.ps1): each run must see what a
 * PowerShell process of its own gives it — none of an earlier run's environment variables, variables, functions,
 * drives, working folder or console encoding — and give the same stdout, stderr and exit code as a run in a process
 * of its own (`freshProcess`), for output, errors that end the script and errors that do not, `exit` with a full
 * 32-bit code, a script that does not parse, and a nested `powershell.exe -File`. A killed run never runs another
 * line; its PowerShell takes later runs only when the kill caught the script waiting on the PC (worker-pool.ts), and is
 * never used again after a kill at a program started as a process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startEmulatedPc, type EmulatedPc, type ScriptRun } from '../../pwsh/harness.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { workersFit } from '../../pwsh/worker-pool.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()

describe.skipIf(!ps || !workersFit(ps))('runs in warm PowerShell processes', { timeout: hangMs(600_000) }, () => {
  let pc: EmulatedPc
  const script = (name: string, lines: string[]): string => {
    const f = join(pc.root, `${name}.ps1`)
    writeFileSync(f, `${lines.join('\r\n')}\r\n`)
    return f
  }
  const plain = (r: ScriptRun) => ({ exitCode: r.exitCode, killed: r.killed, stdout: r.stdout, stderr: r.stderr })

  beforeAll(async () => {
    pc = await startEmulatedPc({ machine: 'x64-healthy' })
  }, hangMs(240_000))
  afterAll(async () => {
    await pc?.close()
  })

  it("gives each run none of an earlier run's state, in the same PowerShell process", async () => {
    const leave = script('leave', [
      '$PID',
      "$env:SD_LEFT = 'left'",
      "$global:sdLeft = 'left'",
      "function global:Get-SdLeft { 'left' }",
      'New-PSDrive -Name Q -PSProvider FileSystem -Root $env:SystemRoot -Scope Global | Out-Null',
      'Set-Location -LiteralPath $env:SystemRoot',
      '[Environment]::CurrentDirectory = $env:SystemRoot',
      '[Console]::OutputEncoding = [System.Text.Encoding]::Unicode',
      "$env:SystemRoot = 'changed'",
    ])
    const look = script('look', [
      '$PID',
      "'env:' + [string]$env:SD_LEFT",
      "'var:' + [string](Get-Variable -Name sdLeft -Scope Global -ValueOnly -ErrorAction SilentlyContinue)",
      "'fn:' + [string](Get-Command Get-SdLeft -ErrorAction SilentlyContinue)",
      "'drive:' + [string](Get-PSDrive -Name Q -ErrorAction SilentlyContinue)",
      "'cwd:' + ((Get-Location).ProviderPath -eq [Environment]::CurrentDirectory) + ' ' + [Environment]::CurrentDirectory",
      "'enc:' + [Console]::OutputEncoding.WebName",
      "'root:' + $env:SystemRoot",
    ])
    const fresh = await pc.run(look, [], { freshProcess: true })
    const first = await pc.run(leave)
    const after = await pc.run(look)
    expect(first.exitCode).toBe(0)
    expect(after.exitCode).toBe(0)
    // The same process ran both (the point of the workers), yet the second saw what a process of its own sees.
    expect(after.stdout.split('\n')[0]).toBe(first.stdout.trim())
    expect(after.stdout.split('\n').slice(1)).toEqual(fresh.stdout.split('\n').slice(1))
    expect(after.stdout).toContain(`cwd:True ${pc.root}\n`)
    expect(after.stdout).toContain(`root:${pc.systemRoot}\n`)
    expect(after.stdout).toMatch(/^env:$/m)
  })

  it('gives the output, errors and exit codes a PowerShell process of its own gives', async () => {
    const scripts = [
      script('out', [
        'param([string]$Name, [switch]$Flag)',
        "$ErrorActionPreference = 'Continue'",
        '"name=$Name flag=$Flag"',
        "Write-Host 'host line'",
        "Write-Warning 'a warning'",
        "Write-Error 'not the end'",
        "Get-Item -LiteralPath 'C:\\no\\such\\file'",
        "[Console]::Error.WriteLine('raw stderr')",
        "[pscustomobject]@{ Name = 'x'; Value = 3 } | Format-List",
        "Write-Error -Message ('long words ' * 20)",
        'exit 3010',
      ]),
      script('throws', ['"before"', 'function Stop-Here { throw "the end" }', 'Stop-Here', '"never"']),
      script('stops', ['"before"', "Write-Error 'a non-terminating error, made terminating by Stop'", '"never"']),
      script('dotnet', ["[int]::Parse('x')", '"never"']),
      script('strict', ['$undefined.Length', '"never"']),
      script('negative', ['exit -2147024891']),
      script('parse', ['function ( {']),
      script('nested', [
        '"outer"',
        `& (Join-Path $env:SystemRoot 'System32\\WindowsPowerShell\\v1.0\\powershell.exe') -NoProfile -File '${join(pc.root, 'throws.ps1')}'`,
        '"nested: $LASTEXITCODE"',
        `& (Join-Path $env:SystemRoot 'System32\\WindowsPowerShell\\v1.0\\powershell.exe') -NoProfile -File '${join(pc.root, 'out.ps1')}' -Name nested`,
        '"nested: $LASTEXITCODE"',
      ]),
    ]
    for (const f of scripts) {
      const args = f.endsWith('out.ps1') ? ['-Name', "it's", '-Flag'] : []
      const fresh = await pc.run(f, args, { freshProcess: true })
      const warm = await pc.run(f, args)
      expect(plain(warm), f).toEqual(plain(fresh))
    }
  })

  it('a killed run never runs another line (no catch, no finally, later runs of its PowerShell see none of it); the PowerShell is kept only when the kill caught the script waiting on the PC', async () => {
    const pid = script('pid', ['$PID'])
    const left = join(pc.root, 'Windows', 'Temp', 'after-kill.txt')
    const reg = "& (Join-Path $env:SystemRoot 'System32\\reg.exe') query HKLM\\SOFTWARE"
    // Killed at a program run by the call operator: the script waits on the PC's answer, nothing else of it runs.
    const atCall = script('at-call', [
      '"start"',
      `try { ${reg} } catch { "caught" } finally { Set-Content -LiteralPath '${left}' -Value 'finally ran'; "finally" }`,
      '"never"',
      `${reg}\\Again`,
    ])
    const before = await pc.run(pid)
    const killed = await pc.run(atCall, [], { killBefore: (c) => c.tool === 'reg.exe' })
    expect(killed).toMatchObject({ killed: true, exitCode: null })
    expect(killed.calls.filter((c) => c.tool === 'reg.exe')).toHaveLength(1)
    const after = await pc.run(pid)
    const again = await pc.run(pid)
    expect(after.exitCode).toBe(0)
    // The same PowerShell took the next runs (no start paid), and none of the killed script's lines ran there.
    expect(after.stdout.trim()).toBe(before.stdout.trim())
    expect(again.stdout.trim()).toBe(after.stdout.trim())
    for (const r of [killed, after, again]) expect(r.stdout).not.toMatch(/caught|finally|never/)
    expect(after.calls.concat(again.calls).filter((c) => c.tool === 'reg.exe')).toEqual([])
    expect(existsSync(left)).toBe(false)

    // Killed at a program started as a process (a stand-in of its own running): the PowerShell is ended, never used again.
    const asProcess = script('as-process', [
      '"start"',
      "$p = [System.Diagnostics.Process]::Start((Join-Path $env:SystemRoot 'System32\\reg.exe'), 'query HKLM\\SOFTWARE')",
      '$p.WaitForExit()',
      `Set-Content -LiteralPath '${left}' -Value 'ran on'`,
    ])
    const ended = await pc.run(asProcess, [], { killBefore: (c) => c.tool === 'reg.exe' && c.via === 'process' })
    expect(ended).toMatchObject({ killed: true, exitCode: null })
    const next = await pc.run(pid)
    expect(next.exitCode).toBe(0)
    expect(next.stdout.trim()).not.toBe(after.stdout.trim())
    expect((await pc.run(pid)).stdout.trim()).toBe(next.stdout.trim())
    expect(existsSync(left)).toBe(false)
  })
})
