#!/usr/bin/env node
/**
 * `npm test`'s first step for the PowerShell tests: restores the local .NET tools (.config/dotnet-tools.json pins
 * PowerShell 7.6.9) when `dotnet` is on this machine. On Windows the tests use Windows PowerShell 5.1 and need no
 * restore. Where there is no dotnet it says so in one plain line and exits 0 — except under CI (CI=true), where
 * the PowerShell tests must run, so it exits 1.
 *
 * Then it makes the restored tool's copy compiled ahead of time (test/pwsh/ready-to-run.ts: the same assemblies as
 * ReadyToRun images, half the CPU per PowerShell start) once per tool version; where that cannot be made it says why
 * in one line and the tests use the tool as restored.
 */
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { findPowerShell, NO_POWERSHELL_LINE, pinnedPwshVersion, pwshToolDll } from '../test/pwsh/pwsh.ts'
import { makeReadyToRun } from '../test/pwsh/ready-to-run.ts'

const root = resolve(import.meta.dirname, '..')
if (process.platform === 'win32' && findPowerShell()?.kind === 'windows-powershell') {
  process.stdout.write('PowerShell: Windows PowerShell 5.1 of this PC\n')
  process.exit(0)
}
const probe = spawnSync('dotnet', ['--version'], { encoding: 'utf8' })
if (probe.status !== 0) {
  process.stdout.write(`${NO_POWERSHELL_LINE}\n`)
  process.exit(process.env.CI ? 1 : 0)
}
const r = spawnSync('dotnet', ['tool', 'restore'], { cwd: root, encoding: 'utf8' })
if (r.status !== 0) {
  process.stdout.write(r.stdout + r.stderr)
  process.stdout.write(`dotnet tool restore failed (exit ${r.status}); ${NO_POWERSHELL_LINE}\n`)
  process.exit(1)
}
const version = pinnedPwshVersion()
const toolDll = pwshToolDll(version)
if (toolDll) {
  const started = Date.now()
  try {
    const made = await makeReadyToRun(version, toolDll)
    process.stdout.write(
      `PowerShell compiled ahead of time: ${made} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    )
  } catch (e) {
    process.stdout.write(
      `PowerShell not compiled ahead of time (${(e as Error).message}); the tests use the tool as restored, slower\n`,
    )
  }
}
const ps = findPowerShell()
if (!ps) {
  process.stdout.write(`dotnet tool restore succeeded but pwsh.dll was not found; ${NO_POWERSHELL_LINE}\n`)
  process.exit(1)
}
process.stdout.write(`PowerShell: ${ps.version} (${ps.kind}, ${ps.prefix[0] ?? ps.file})\n`)
