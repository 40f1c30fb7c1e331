/**
 * The emulated Windows itself (test/pwsh/harness.ts): real PowerShell, stand-in programs answering from the training
 * machine's model, full 32-bit exit codes both ways a script starts a program, registry reads from the model, RunOnce
 * and the emulated restart, a kill at a call, owners/ACLs and junctions. One PowerShell run per behaviour group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  startEmulatedPc,
  legacyNativeArgv,
  splitCommandLine,
  STANDARD_USER,
  type EmulatedPc,
} from '../../pwsh/harness.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { specForArgv } from '../../pwsh/spec-match.ts'
import { dismWinreImageInfoCommand, STAGED_WINRE_WIM } from '../../../main/machine/winre-commands.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()

describe('argv as a program receives it', () => {
  it('splits a command line by CommandLineToArgvW rules', () => {
    expect(splitCommandLine('a "b c" d\\"e "f\\\\" g""h')).toEqual(['a', 'b c', 'd"e', 'f\\', 'gh'])
  })
  it('drops empty arguments and re-splits embedded quotes as Windows PowerShell 5.1 passes them', () => {
    expect(legacyNativeArgv(['/a', '', 'b c', 'x"y z'])).toEqual(['/a', 'b c', 'xy', 'z'])
  })
  it("maps argv back to the app's spec, placeholders and all", () => {
    const wim = 'C:\\Windows\\System32\\Recovery\\Winre.wim'
    expect(specForArgv('dism.exe', dismWinreImageInfoCommand(wim).args)?.name).toBe('winre.dism-get-imageinfo')
    expect(specForArgv('dism.exe', ['/English', '/Get-ImageInfo', `/ImageFile:${wim}`])).toBeNull()
    expect(specForArgv('manage-bde.exe', ['-status', 'C:'])?.name).toBe('storage.manage-bde')
  })
})

// Real PowerShell starts in 1-5 s (more on a loaded machine): these tests take their time, never a timed assertion.
describe.skipIf(!ps)('emulated PC', { timeout: hangMs(600_000) }, () => {
  let pc: EmulatedPc
  beforeAll(async () => {
    pc = await startEmulatedPc({ machine: 'x64-pending-restart' })
  }, hangMs(240_000))
  afterAll(async () => {
    await pc?.close()
  })

  it('answers programs from the model with their full exit codes, reads the registry, keeps RunOnce across the restart', async () => {
    const script = join(pc.root, 'probe.ps1')
    const out = join(pc.root, 'out.json')
    writeFileSync(
      script,
      [
        'param([string]$Out, [switch]$Flag)',
        "$dism = Join-Path $env:SystemRoot 'System32\\Dism.exe'",
        `$lines = & $dism /English /Get-ImageInfo '/ImageFile:${STAGED_WINRE_WIM}' /Index:1`,
        '$callCode = $LASTEXITCODE',
        '$psi = New-Object System.Diagnostics.ProcessStartInfo',
        '$psi.FileName = $dism',
        `$psi.Arguments = '/English /Get-ImageInfo /ImageFile:${STAGED_WINRE_WIM} /Index:1'`,
        '$psi.UseShellExecute = $false; $psi.RedirectStandardOutput = $true',
        '$p = [System.Diagnostics.Process]::Start($psi); $o = $p.StandardOutput.ReadToEnd(); $p.WaitForExit()',
        "$cv = Get-ItemProperty -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion'",
        "Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name 'T' -Value ('powershell.exe -NoProfile -File \"' + $PSCommandPath + '\" -Out \"' + $Out + '.2\"')",
        "$bare = try { & dism.exe /English /Get-Packages; 'answered' } catch { 'not found' }",
        '@{ callCode = $callCode; processCode = $p.ExitCode; build = $cv.CurrentBuild; ubr = $cv.UBR; flag = [bool]$Flag; bare = $bare; first = [string]@($lines)[0]; log = (Test-Path -LiteralPath (Join-Path $env:SystemRoot "Logs\\CBS\\CBS.log")) } | ConvertTo-Json | Set-Content -LiteralPath $Out',
        'exit 3010',
      ].join('\n'),
    )
    const r = await pc.run(script, ['-Out', out, '-Flag'])
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(3010)
    const got = JSON.parse(readFileSync(out, 'utf8'))
    const s = pc.state()
    expect(got).toMatchObject({
      callCode: 0x80070002 | 0,
      processCode: 0x80070002 | 0,
      build: String(s.os.currentBuild),
      ubr: s.os.ubr,
      flag: true,
      bare: 'not found',
      log: true,
    })
    expect(r.calls.filter((c) => c.kind === 'program').map((c) => [c.via, c.spec?.name])).toEqual([
      ['call-operator', 'winre.dism-get-imageinfo'],
      ['process', 'winre.dism-get-imageinfo'],
    ])
    expect(
      (await pc.registry('HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce'))?.values.map((v) => v.name),
    ).toEqual(['T'])

    const before = pc.state().restarts
    const runs = await pc.restart()
    expect(pc.state().restarts).toBe(before + 1)
    expect(runs.map((x) => x.exitCode)).toEqual([3010])
    expect(existsSync(`${out}.2`)).toBe(true)
  })

  it('kills the script at a call, before it runs', async () => {
    const script = join(pc.root, 'kill.ps1')
    writeFileSync(
      script,
      "& (Join-Path $env:SystemRoot 'System32\\reagentc.exe') /info | Out-Null\n& (Join-Path $env:SystemRoot 'System32\\reagentc.exe') /disable\nexit 0\n",
    )
    const r = await pc.run(script, [], { killBefore: (c) => c.spec?.name === 'winre.reagentc-disable' })
    expect(r.killed).toBe(true)
    expect(r.exitCode).toBeNull()
    expect(r.calls.map((c) => c.spec?.name)).toEqual(['winre.reagentc-info', 'winre.reagentc-disable'])
    expect(pc.state().winre.enabled).toBe(true)
  })

  it('models owners, ACLs and junctions', async () => {
    pc.plantFolder('C:\\ProgramData\\Planted')
    pc.plantJunction('C:\\ProgramData\\Link', 'C:\\Windows\\System32\\Tasks')
    const script = join(pc.root, 'acl.ps1')
    const out = join(pc.root, 'acl.json')
    writeFileSync(
      script,
      [
        "$planted = (Get-Acl -LiteralPath (Join-Path $env:ProgramData 'Planted')).GetOwner([System.Security.Principal.SecurityIdentifier]).Value",
        "$link = [bool]((Get-Item -LiteralPath (Join-Path $env:ProgramData 'Link') -Force).Attributes -band [System.IO.FileAttributes]::ReparsePoint)",
        "$mine = Join-Path $env:ProgramData 'Mine'",
        'New-Item -ItemType Directory -Path $mine | Out-Null',
        '$acl = Get-Acl -LiteralPath $mine',
        '$acl.SetAccessRuleProtection($true, $false)',
        "$acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule((New-Object System.Security.Principal.SecurityIdentifier('S-1-5-18')), 'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow')))",
        'Set-Acl -LiteralPath $mine -AclObject $acl',
        "$denied = try { Set-Acl -LiteralPath (Join-Path $env:ProgramData 'Planted') -AclObject $acl; 'changed' } catch { 'refused' }",
        `@{ planted = $planted; link = $link; denied = $denied } | ConvertTo-Json | Set-Content -LiteralPath '${out}'`,
      ].join('\n'),
    )
    const r = await pc.run(script)
    expect(r.stderr).toBe('')
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ planted: STANDARD_USER, link: true, denied: 'refused' })
    expect(pc.acl('C:\\ProgramData\\Mine')).toEqual({
      owner: 'S-1-5-32-544',
      protected: true,
      rules: [
        {
          sid: 'S-1-5-18',
          rights: 'FullControl',
          inheritance: 'ContainerInherit, ObjectInherit',
          propagation: 'None',
          type: 'Allow',
          inherited: false,
        },
      ],
    })
  })
})
