/**
 * The PowerShell the tests start, compiled ahead of time (test/pwsh/ready-to-run.ts): the copy is used only when it is
 * whole and made from the restored tool; its assemblies really are ReadyToRun images; and it is the same PowerShell
 * (same version, same answers to the same script) as the tool it was made from.
 */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ASSEMBLIES, crossgenVersionFromAssets, readyToRunDll } from '../../pwsh/ready-to-run.ts'
import { pinnedPwshVersion, pwshToolDll } from '../../pwsh/pwsh.ts'
import { tempDirSync } from '../temp-dirs.ts'

/**
 * The `downloadDependencies` of a real restore here (.NET SDK 10.0.401, a net10.0 project with RuntimeIdentifier
 * linux-x64 and PublishReadyToRun; obj/project.assets.json, 2026-11-25), the rest of the file left out.
 */
const ASSETS = JSON.stringify({
  version: 3,
  project: {
    frameworks: {
      'net10.0': {
        targetAlias: 'net10.0',
        downloadDependencies: [
          { name: 'Microsoft.AspNetCore.App.Runtime.linux-x64', version: '[10.0.12, 10.0.12]' },
          { name: 'Microsoft.NETCore.App.Crossgen2.linux-x64', version: '[10.0.12, 10.0.12]' },
          { name: 'Microsoft.NETCore.App.Runtime.linux-x64', version: '[10.0.12, 10.0.12]' },
        ],
      },
    },
  },
})

/** ReadyToRun's header signature ('RTR\0', READYTORUN_SIGNATURE 0x00525452 little-endian) in a PE file. */
const isReadyToRun = (file: string) => readFileSync(file).includes(Buffer.from([0x52, 0x54, 0x52, 0x00]))

describe('the crossgen2 version a restore names', () => {
  it('is the exact version of its download dependency, in any case of the name', () => {
    expect(crossgenVersionFromAssets(ASSETS, 'microsoft.netcore.app.crossgen2.linux-x64')).toBe('10.0.12')
  })
  it('is none for another runtime, an open range, or no such list', () => {
    expect(crossgenVersionFromAssets(ASSETS, 'microsoft.netcore.app.crossgen2.linux-arm64')).toBeNull()
    const range = (v: string) =>
      ASSETS.replace(
        '"Microsoft.NETCore.App.Crossgen2.linux-x64","version":"[10.0.12, 10.0.12]"',
        `"Microsoft.NETCore.App.Crossgen2.linux-x64","version":"${v}"`,
      )
    expect(crossgenVersionFromAssets(range('[10.0.12, 10.0.12]'), 'microsoft.netcore.app.crossgen2.linux-x64')).toBe(
      '10.0.12',
    )
    expect(crossgenVersionFromAssets(range('[10.0.12, )'), 'microsoft.netcore.app.crossgen2.linux-x64')).toBeNull()
    expect(
      crossgenVersionFromAssets(range('[10.0.12, 10.0.13]'), 'microsoft.netcore.app.crossgen2.linux-x64'),
    ).toBeNull()
    expect(crossgenVersionFromAssets(range('[10.0.12]'), 'microsoft.netcore.app.crossgen2.linux-x64')).toBe('10.0.12')
    expect(crossgenVersionFromAssets('{"version":3}', 'microsoft.netcore.app.crossgen2.linux-x64')).toBeNull()
    expect(() => crossgenVersionFromAssets('not json', 'x')).toThrow()
  })
})

describe('which copy is used', () => {
  const dir = tempDirSync('sd-r2r-')
  const tool = join(dir, 'tool')
  mkdirSync(tool)
  writeFileSync(join(tool, 'pwsh.dll'), 'IL pwsh, 20 bytes!!')
  const copy = join(dir, 'copy')
  const complete = (over: object = {}) => {
    mkdirSync(copy, { recursive: true })
    for (const a of ['pwsh.dll', 'System.Management.Automation.dll']) writeFileSync(join(copy, a), 'R2R')
    writeFileSync(
      join(copy, 'complete.json'),
      JSON.stringify({
        version: '7.6.9',
        source: tool,
        sourceSize: 19,
        runtime: '10.0.12',
        assemblies: ['pwsh.dll', 'System.Management.Automation.dll'],
        ...over,
      }),
    )
  }

  it('the copy when it is whole and made from this tool file', () => {
    complete()
    expect(readyToRunDll('7.6.9', join(tool, 'pwsh.dll'), copy)).toBe(join(copy, 'pwsh.dll'))
  })
  it('not without its complete.json (a copy being made), nor with another version, source or size', () => {
    expect(readyToRunDll('7.6.9', join(tool, 'pwsh.dll'), join(dir, 'nothing'))).toBeNull()
    complete({ version: '7.6.8' })
    expect(readyToRunDll('7.6.9', join(tool, 'pwsh.dll'), copy)).toBeNull()
    complete({ source: join(dir, 'other') })
    expect(readyToRunDll('7.6.9', join(tool, 'pwsh.dll'), copy)).toBeNull()
    complete({ sourceSize: 20 })
    expect(readyToRunDll('7.6.9', join(tool, 'pwsh.dll'), copy)).toBeNull()
    complete({ assemblies: ['pwsh.dll', 'Microsoft.PowerShell.Security.dll'] })
    expect(readyToRunDll('7.6.9', join(tool, 'pwsh.dll'), copy)).toBeNull()
    writeFileSync(join(copy, 'complete.json'), '{"version":')
    expect(readyToRunDll('7.6.9', join(tool, 'pwsh.dll'), copy)).toBeNull()
  })
  it('not when SD_TEST_PWSH_IL asks for the tool as restored', () => {
    complete()
    process.env.SD_TEST_PWSH_IL = '1'
    try {
      expect(readyToRunDll('7.6.9', join(tool, 'pwsh.dll'), copy)).toBeNull()
    } finally {
      delete process.env.SD_TEST_PWSH_IL
    }
  })
})

// Where npm test restored the tool (always under CI), its copy is made, and it is the same PowerShell.
const version = pinnedPwshVersion()
const toolDll = pwshToolDll(version)
describe.runIf(toolDll && process.platform !== 'win32')('the copy npm test made', () => {
  const r2r = toolDll ? readyToRunDll(version, toolDll) : null

  it("exists under CI (npm test makes it before the tests), with each listed assembly a ReadyToRun image of the tool's", () => {
    if (process.env.CI) expect(r2r, 'scripts/restore-powershell.ts did not make the copy').not.toBeNull()
    if (!r2r) return
    const dir = join(r2r, '..')
    const made = JSON.parse(readFileSync(join(dir, 'complete.json'), 'utf8')) as { assemblies: string[] }
    expect(made.assemblies).toContain('System.Management.Automation.dll')
    for (const a of made.assemblies) {
      expect(ASSEMBLIES).toContain(a)
      expect(isReadyToRun(join(dir, a)), `${a} of the copy`).toBe(true)
      expect(isReadyToRun(join(toolDll!, '..', a)), `${a} of the tool`).toBe(false)
    }
  })

  it('answers a script exactly as the tool does', () => {
    if (!r2r) return
    const dir = tempDirSync('sd-r2r-run-')
    const script = join(dir, 's.ps1')
    cpSync(toolDll!, join(dir, 'hashed.bin'))
    writeFileSync(
      script,
      [
        '$PSVersionTable.PSVersion.ToString()',
        '(Get-FileHash -Algorithm SHA256 -LiteralPath (Join-Path $PSScriptRoot hashed.bin)).Hash',
        '[ordered]@{ b = @(1, 2); a = "x`"y" } | ConvertTo-Json -Compress -Depth 3 | ConvertFrom-Json | ConvertTo-Json -Compress',
        '[int64]::MaxValue -band 0xFFFF',
        "'{0:N2}' -f 1234.5678",
        '',
      ].join('\n'),
    )
    const run = (dll: string) =>
      spawnSync('dotnet', [dll, '-NoLogo', '-NoProfile', '-NonInteractive', '-File', script], {
        encoding: 'utf8',
        env: { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off' },
      })
    const a = run(toolDll!)
    const b = run(r2r)
    expect(a.status, a.stderr).toBe(0)
    expect(b.status, b.stderr).toBe(0)
    expect(a.stdout.split('\n')[0]).toBe(version)
    expect(b.stdout).toBe(a.stdout)
  })
})
