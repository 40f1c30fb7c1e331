/**
 * Every script the app generates keeps the Windows PowerShell 5.1 rule list and starts every program by its full
 * System32 path: all of them generated here (generated-scripts.ts) and checked by PowerShell's
 * own parser in one pwsh process. A script that breaks a rule fails this test, so the build.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { checkScripts, checkerPowerShell, findingLines, type Finding } from '../../pwsh/ps51-check.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { everyGeneratedScript, type GeneratedScripts } from './generated-scripts.ts'
import { hangMs } from '../../load.ts'

const ps = checkerPowerShell()
let all: GeneratedScripts
let findings: Finding[] = []
const INJECTED = 'an injected script (the build must fail on it)'

beforeAll(async () => {
  if (!ps) return
  all = await everyGeneratedScript(tempDirSync('sd-all-scripts-'))
  findings = checkScripts(ps, [
    ...all.scripts,
    // The check itself can fail: a generator that wrote `??` would be caught like this one (a fix script plus one line).
    {
      name: INJECTED,
      text: `${all.scripts
        .find((s) => s.name.startsWith('Fix-'))!
        .text.toString()
        .replace(/^\uFEFF/, '')}\n$x = $y ?? 1\n`,
      file: false,
    },
  ])
}, hangMs(600_000))

describe.runIf(ps)('every generated script', () => {
  it('covers the collector, a fix package per problem machine, the kit, plan exports, repair scripts, the remote scripts and the fleet fix files', () => {
    const names = all.scripts.map((s) => s.name).join('\n')
    expect(names).toContain('Collect-ServicingFacts.ps1')
    expect(all.packages.length).toBe(10)
    for (const p of all.packages) expect(names).toContain(`${p.scriptName} (${p.machine} fix package)`)
    expect(names).toMatch(/kit\/Install-Kit\.ps1|kit\\Install-Kit\.ps1/)
    expect(names).toContain('plan --script')
    expect(names).toMatch(/-[a-z-]+\.ps1 \(/)
    expect(names).toContain('remote batch script')
    for (const f of ['Detect.ps1', 'Remediate.ps1', 'ConfigMgr-Fix.ps1', 'ConfigMgr-Collect.ps1', 'FanOut.ps1'])
      expect(names).toContain(`${f} (fleet fix for esp-full)`)
    // The checkpoint's remediation as built with its package (its fetch and hash checks among the lines checked).
    expect(
      String(all.scripts.find((s) => s.name === 'Remediate.ps1 (fleet fix for missing-checkpoint)')?.text ?? ''),
    ).toContain('Invoke-WebRequest -Uri $sdUri')
  })

  it('keeps every rule of the 5.1 list', () => {
    expect(findingLines(findings.filter((f) => f.name !== INJECTED))).toEqual([])
  })

  it('fails on a script with ?? in it', () => {
    expect(findings.filter((f) => f.name === INJECTED).map((f) => f.rule)).toEqual(['null-coalescing'])
  })
})
