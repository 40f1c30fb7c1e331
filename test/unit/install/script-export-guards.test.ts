/**
 * The exported PowerShell script, one guard per test (the restart-resume machinery and the
 * success exit-code condition could be deleted unnoticed). The plan is the real planner's for the training
 * machine arm64-missing-checkpoint with a training kit; the assertions are on the script's lines.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { writeTrainingKit } from '../../../main/install/training-kit.ts'
import { planInstallation } from '../../../main/install/planner.ts'
import { planToPowerShell } from '../../../main/install/script-export.ts'
import type { Plan } from '../../../preload/model/plan.ts'
import { checkWords } from '../../../preload/model/status-words.ts'
import { tempDirSync } from '../temp-dirs.ts'

let plan: Plan
let script: string
let lines: string[]
const ref = { kind: 'training', name: 'arm64-missing-checkpoint' } as const

beforeAll(async () => {
  const dir = tempDirSync('sd-export-guard-')
  const services = createServices({ dataDir: dir, platform: 'linux' })
  const snapshot = await services.scan(ref)
  const packages = writeTrainingKit(join(dir, 'kit'), 'KB5086672', 'arm64')
  plan = planInstallation({
    id: 'p-guard',
    createdAt: '2026-11-22T08:00:00Z',
    targets: ['KB5086672'],
    snapshot,
    machineRef: ref,
    packages,
    method: 'sequence',
    scope: { kind: 'online' },
    elevated: true,
    resumeCommand: [
      'C:\\Program Files\\nodejs\\node.exe',
      'C:\\sd\\bin.ts',
      'install',
      '--plan',
      'C:\\ProgramData\\ServicingDesk\\plans\\p-guard.json',
      '--yes',
    ],
  })
  script = planToPowerShell(plan)
  lines = script.split('\r\n')
})

/** The lines of the block `if ($done -notcontains '<id>') { … }` of a step. */
function blockOf(stepId: string): string[] {
  const start = lines.indexOf(`if ($done -notcontains '${stepId}') {`)
  expect(start, `block of ${stepId}`).toBeGreaterThan(0)
  const end = lines.indexOf('}', start)
  return lines.slice(start + 1, end)
}

describe('plan export: the plan it starts from', () => {
  it("is not refused, has add-package steps, a restart and the app's own resume step", () => {
    expect(plan.refused).toBeNull()
    const kinds = plan.steps.map((s) => s.kind)
    expect(kinds).toContain('add-package')
    expect(kinds).toContain('restart')
    expect(kinds).toContain('schedule-resume')
  })
})

describe('plan export: resumable after a restart', () => {
  it('stops at the first error', () => {
    expect(lines).toContain("$ErrorActionPreference = 'Stop'")
  })

  it('keeps finished steps in a state file named for the plan, read at the start', () => {
    expect(lines).toContain("$stateFile = 'C:\\ProgramData\\ServicingDesk\\scripts\\script-p-guard.done'")
    expect(lines).toContain('$done = @(if (Test-Path -LiteralPath $stateFile) { Get-Content -LiteralPath $stateFile })')
    expect(lines).toContain('function Complete-Step([string]$id) { Add-Content -LiteralPath $stateFile -Value $id }')
    // The state folder is the administrators' own: a planted state file would skip steps.
    expect(lines).toContain("$why = New-SdSecureFolder -Base 'C:\\ProgramData' -Child 'ServicingDesk\\scripts'")
  })

  it('runs each step only when the state file does not list it', () => {
    const steps = plan.steps.filter((s) => s.kind !== 'schedule-resume')
    for (const s of steps) expect(lines).toContain(`if ($done -notcontains '${s.id}') {`)
    expect(lines.filter((l) => l.startsWith('if ($done -notcontains ')).length).toBe(steps.length)
  })

  it("leaves out the app's own resume step and numbers the rest", () => {
    const steps = plan.steps.filter((s) => s.kind !== 'schedule-resume')
    const resume = plan.steps.find((s) => s.kind === 'schedule-resume')!
    expect(lines).not.toContain(`if ($done -notcontains '${resume.id}') {`)
    expect(lines.filter((l) => /^# Step \d+ of \d+: /.test(l))).toHaveLength(steps.length)
    expect(lines).toContain(`# Step 1 of ${steps.length}: ${steps[0]!.title}`)
    expect(lines).toContain(`# Step ${steps.length} of ${steps.length}: ${steps[steps.length - 1]!.title}`)
  })

  it('a restart step records itself, registers the script under RunOnce, restarts and exits 3010, in that order', () => {
    const restart = plan.steps.find((s) => s.kind === 'restart')!
    const b = blockOf(restart.id)
    expect(b[0]).toBe(`  Complete-Step '${restart.id}'`)
    const runOnce = b.findIndex((l) =>
      l.startsWith(
        "  Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name 'ServicingDesk' -Value ('\"' + (Join-Path $env:SystemRoot 'System32\\WindowsPowerShell\\v1.0\\powershell.exe') + '\" -NoProfile -ExecutionPolicy Bypass -File \"' + $PSCommandPath + '\"')",
      ),
    )
    const run = b.findIndex((l) => l.startsWith('  & '))
    expect(runOnce).toBeGreaterThan(0)
    expect(run).toBeGreaterThan(runOnce)
    expect(b[b.length - 1]).toBe('  exit 3010')
  })

  it('removes its RunOnce entry at the end', () => {
    expect(lines).toContain(
      "Remove-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name 'ServicingDesk' -ErrorAction SilentlyContinue",
    )
    expect(
      lines.indexOf(
        "Remove-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name 'ServicingDesk' -ErrorAction SilentlyContinue",
      ),
    ).toBeGreaterThan(lines.findLastIndex((l) => l.startsWith('if ($done -notcontains ')))
  })
})

describe('plan export: exit codes of an install step', () => {
  it('an add-package step is complete on 0 or 3010, compared unsigned', () => {
    const step = plan.steps.find((s) => s.kind === 'add-package')!
    const b = blockOf(step.id)
    expect(b).toContain(
      "  $code = [Convert]::ToUInt32(('{0:X8}' -f $LASTEXITCODE), 16)  # DISM exits with the HRESULT; compare unsigned",
    )
    // 0 and 3010 first (the builder may add more success codes after them, e.g. 1641).
    const ok = b.filter((l) => l.startsWith('  if ($code -eq '))
    expect(ok).toHaveLength(1)
    expect(ok[0]).toMatch(
      new RegExp(
        `^  if \\(\\$code -eq 0 -or \\$code -eq 3010(?: -or \\$code -eq \\d+)*\\) \\{ Complete-Step '${step.id}' \\}$`,
      ),
    )
  })

  it('not applicable or already installed is complete too, for an install step', () => {
    const step = plan.steps.find((s) => s.kind === 'add-package')!
    expect(blockOf(step.id)).toContain(
      `  elseif ($code -eq 2148468766 -or $code -eq 2149842967 -or $code -eq 2359302) { Write-Host 'Nothing to do: not applicable or already installed.'; Complete-Step '${step.id}' }`,
    )
  })

  it('any other code stops the script, naming the step', () => {
    const steps = plan.steps.filter((s) => s.kind !== 'schedule-resume')
    const i = steps.findIndex((s) => s.kind === 'add-package')
    expect(blockOf(steps[i]!.id)).toContain(
      `  else { throw ("Step ${i + 1} failed with 0x{0:X8}; see C:\\Windows\\Logs\\CBS\\CBS.log. Nothing after it runs." -f $code) }`,
    )
  })
})

describe('plan export: every package is checked before anything runs', () => {
  it('each package is compared with its SHA-256, upper-case, before the first step', () => {
    const firstStep = lines.findIndex((l) => l.startsWith('if ($done -notcontains '))
    for (const p of plan.packages) {
      const at = lines.indexOf(
        `if ((Get-FileHash -Algorithm SHA256 -LiteralPath '${p.path}').Hash -ne '${p.sha256!.toUpperCase()}') { throw '${p.fileName} does not match its SHA256 hash.' }`,
      )
      expect(at, p.fileName).toBeGreaterThan(0)
      expect(at).toBeLessThan(firstStep)
    }
  })

  it('a package with only a SHA-1 is compared with its SHA-1', () => {
    const p = plan.packages[0]!
    const s = planToPowerShell({ ...plan, packages: [{ ...p, sha256: null }, ...plan.packages.slice(1)] }).split('\r\n')
    expect(s).toContain(
      `if ((Get-FileHash -Algorithm SHA1 -LiteralPath '${p.path}').Hash -ne '${p.sha1!.toUpperCase()}') { throw '${p.fileName} does not match its SHA1 hash.' }`,
    )
  })

  it('a package with no hash must at least exist', () => {
    const p = plan.packages[0]!
    const s = planToPowerShell({
      ...plan,
      packages: [{ ...p, sha256: null, sha1: null }, ...plan.packages.slice(1)],
    }).split('\r\n')
    expect(s).toContain(`if (-not (Test-Path -LiteralPath '${p.path}')) { throw '${p.fileName} is missing.' }`)
  })
})

describe('plan export: a refused plan', () => {
  it('throws with the reason and contains no command, no state file, no package check', () => {
    const s = planToPowerShell({ ...plan, refused: 'the PC is x64' })
    const l = s.split('\r\n')
    expect(l).toContain("throw 'This plan was refused: the PC is x64'")
    expect(
      l.some(
        (x) =>
          x.startsWith('  & ') || x.startsWith('$stateFile') || x.includes('Get-FileHash') || x.startsWith('if ($done'),
      ),
    ).toBe(false)
    expect(l).not.toContain("$ErrorActionPreference = 'Stop'")
  })
})

describe('plan export: the header a person reads before running it', () => {
  it('names the plan, the machine, the targets and method, when it was made, and the expected build', () => {
    expect(lines.slice(0, 3)).toEqual([
      '#Requires -RunAsAdministrator',
      '<#',
      '  Servicing Desk installation plan p-guard',
    ])
    expect(lines[3]).toBe(`  Machine: ${plan.machine.name} (arm64, build 26100.1150)`)
    expect(lines[4]).toBe('  Targets: KB5086672; method: sequence; scope: online')
    expect(lines[5]).toBe('  Created: 2026-11-22T08:00:00Z')
    expect(lines[6]).toBe(`  Expected result: build ${plan.expected!.build}.${plan.expected!.ubr}`)
    expect(lines).toContain('  Checks made when the plan was written:')
    for (const c of plan.preflight)
      expect(lines).toContain(`    [${checkWords[c.status].toUpperCase()}] ${c.title}: ${c.detail}`)
    expect(lines).toContain(
      '  Exit codes: 0 done; 3010 done, restart required; 0x800F081E / 0x80240017 not applicable; 2359302 already',
    )
  })

  it('an install step explains its not-applicable codes in a comment', () => {
    const step = plan.steps.find((s) => s.kind === 'add-package')!
    expect(blockOf(step.id)[0]).toBe(
      '  # 2148468766 = 0x800F081E CBS_E_NOT_APPLICABLE, 2149842967 = 0x80240017 WU_E_NOT_APPLICABLE, 2359302 = 0x00240006 WU_S_ALREADY_INSTALLED',
    )
  })
})
