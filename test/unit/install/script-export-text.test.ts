/**
 * The exported PowerShell script, whole: every line of the script of three hand-made plans — one
 * for this PC (a checkpoint by SHA-256, a target by SHA-1 in a folder whose name has a quote, the app's own
 * resume step, a restart), one for a WIM (mount, add with no hash, unmount; no expected build, unknown
 * machine, a skipped KB and a note) and a refused one. The script is what an administrator runs, so its text
 * is its behaviour: a blank line, a comment or a condition that changes is a different script. The steps are
 * built by the real step constructors (step-commands.ts), so the commands are the builder's.
 * No beforeAll, no services: fast enough to run against every mutant of script-export.ts.
 */
import { describe, expect, it, vi } from 'vitest'
import type { Plan, PlanPackage } from '../../../preload/model/plan.ts'
import {
  addPackageStep,
  mountStep,
  restartStep,
  scheduleResumeStep,
  unmountStep,
} from '../../../main/install/step-commands.ts'
import { planToPowerShell } from '../../../main/install/script-export.ts'
import { SECURE_FOLDER_FUNCTIONS } from '../../../main/host/secure-folder-script.ts'

const checkpoint: PlanPackage = {
  kb: 'KB5043080',
  fileName: 'windows11.0-kb5043080-arm64.msu',
  arch: 'arm64',
  sha1: null,
  sha256: 'ab'.repeat(32),
  path: 'C:\\kit\\windows11.0-kb5043080-arm64.msu',
  role: 'checkpoint',
  build: 26100,
  ubr: 1742,
  sizeBytes: 10,
}
const target: PlanPackage = {
  kb: 'KB5086672',
  fileName: 'windows11.0-kb5086672-arm64.msu',
  arch: 'arm64',
  sha1: 'cd'.repeat(20),
  sha256: null,
  path: "C:\\Admin's kit\\windows11.0-kb5086672-arm64.msu",
  role: 'target',
  build: 26100,
  ubr: 8117,
  sizeBytes: 20,
}

function onlinePlan(): Plan {
  const s1 = addPackageStep(1, { kind: 'online' }, checkpoint, [checkpoint], 'sequence', [])
  const s2 = scheduleResumeStep(
    2,
    ['C:\\Program Files\\Servicing Desk\\sd.exe', 'install', '--plan', 'p-online', '--yes'],
    [s1.id],
  )
  const s3 = restartStep(3, [s1.id], [checkpoint.kb])
  const s4 = addPackageStep(4, { kind: 'online' }, target, [target], 'sequence', [s3.id])
  return {
    schemaVersion: 2,
    id: 'p-online',
    createdAt: '2026-11-22T08:00:00Z',
    machine: { ref: null, name: 'PC-7', nativeArch: 'arm64', build: 26100, ubr: 1150, branch: 'win11-24h2' },
    targets: ['KB5086672'],
    method: 'sequence',
    scope: { kind: 'online' },
    preflight: [
      { id: 'elevated', title: 'Administrator', status: 'pass', detail: 'Running elevated.' },
      { id: 'battery', title: 'Power', status: 'warn', detail: 'On battery.' },
    ],
    steps: [s1, s2, s3, s4],
    packages: [checkpoint, target],
    skipped: [],
    expected: { build: 26100, ubr: 8117 },
    refused: null,
    notes: [],
  }
}

function imagePlan(): Plan {
  const wim = { path: 'D:\\images\\install.wim', index: 3 }
  const pkg: PlanPackage = { ...target, sha1: null, sha256: null, path: 'D:\\kit\\windows11.0-kb5086672-arm64.msu' }
  const m1 = mountStep(1, wim.path, wim.index, 'D:\\mount', [])
  const m2 = addPackageStep(2, { kind: 'image', dir: 'D:\\mount', wim }, pkg, [pkg], 'sequence', [m1.id])
  const m3 = unmountStep(3, 'D:\\mount', [m2.id], wim)
  return {
    schemaVersion: 2,
    id: 'p-image',
    createdAt: '2026-11-22T09:00:00Z',
    machine: { ref: null, name: 'install.wim', nativeArch: null, build: null, ubr: null, branch: null },
    targets: ['KB5086672', 'KB5043080'],
    method: 'sequence',
    scope: { kind: 'image', dir: 'D:\\mount', wim },
    preflight: [],
    steps: [m1, m2, m3],
    packages: [pkg],
    skipped: [{ kb: 'KB5043080', reason: 'already in the image' }],
    expected: null,
    refused: null,
    notes: ['Index 3 is Windows 11 Pro.'],
  }
}

const refusedPlan = (): Plan => ({
  ...onlinePlan(),
  steps: [],
  refused: "Packages prepared for x64 can't be installed on this arm64 PC.",
})

const ONLINE_SCRIPT = [
  '#Requires -RunAsAdministrator',
  '<#',
  '  Servicing Desk installation plan p-online',
  '  Machine: PC-7 (arm64, build 26100.1150)',
  '  Targets: KB5086672; method: sequence; scope: online',
  '  Created: 2026-11-22T08:00:00Z',
  '  Expected result: build 26100.8117',
  '',
  '  Checks made when the plan was written:',
  '    [OK] Administrator: Running elevated.',
  '    [ATTENTION] Power: On battery.',
  '',
  '  Exit codes: 0 done; 3010 done, restart required; 0x800F081E / 0x80240017 not applicable; 2359302 already',
  '  installed; anything else stops the script, and nothing after a failed step runs.',
  '#>',
  '',
  "$ErrorActionPreference = 'Stop'",
  ...SECURE_FOLDER_FUNCTIONS.split('\n'),
  "$why = New-SdSecureFolder -Base 'C:\\ProgramData' -Child 'ServicingDesk\\scripts'",
  "if ($why) { throw ('The state folder is not safe to use, so nothing runs: ' + $why) }",
  "$stateFile = 'C:\\ProgramData\\ServicingDesk\\scripts\\script-p-online.done'",
  '$done = @(if (Test-Path -LiteralPath $stateFile) { Get-Content -LiteralPath $stateFile })',
  'function Complete-Step([string]$id) { Add-Content -LiteralPath $stateFile -Value $id }',
  '',
  '# Every package must be the file the plan was made for.',
  '# KB5043080 (checkpoint, arm64)',
  "if ((Get-FileHash -Algorithm SHA256 -LiteralPath 'C:\\kit\\windows11.0-kb5043080-arm64.msu').Hash -ne 'ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB') { throw 'windows11.0-kb5043080-arm64.msu does not match its SHA256 hash.' }",
  '# KB5086672 (target, arm64)',
  "if ((Get-FileHash -Algorithm SHA1 -LiteralPath 'C:\\Admin''s kit\\windows11.0-kb5086672-arm64.msu').Hash -ne 'CDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCD') { throw 'windows11.0-kb5086672-arm64.msu does not match its SHA1 hash.' }",
  '',
  '# Step 1 of 3: Install KB5043080 (checkpoint)',
  '# KB5043080 is the checkpoint (26100.1742) that later cumulative updates are built on; it goes first.',
  "if ($done -notcontains 's1-add-KB5043080') {",
  '  # 2148468766 = 0x800F081E CBS_E_NOT_APPLICABLE, 2149842967 = 0x80240017 WU_E_NOT_APPLICABLE, 2359302 = 0x00240006 WU_S_ALREADY_INSTALLED',
  "  & (Join-Path $env:SystemRoot 'System32\\Dism.exe') '/English' '/Online' '/Add-Package' '/PackagePath:C:\\kit\\windows11.0-kb5043080-arm64.msu' '/NoRestart'",
  "  $code = [Convert]::ToUInt32(('{0:X8}' -f $LASTEXITCODE), 16)  # DISM exits with the HRESULT; compare unsigned",
  "  if ($code -eq 0 -or $code -eq 3010 -or $code -eq 1641) { Complete-Step 's1-add-KB5043080' }",
  "  elseif ($code -eq 2148468766 -or $code -eq 2149842967 -or $code -eq 2359302) { Write-Host 'Nothing to do: not applicable or already installed.'; Complete-Step 's1-add-KB5043080' }",
  '  else { throw ("Step 1 failed with 0x{0:X8}; see C:\\Windows\\Logs\\CBS\\CBS.log. Nothing after it runs." -f $code) }',
  '}',
  '',
  '# Step 2 of 3: Restart the PC',
  '# Windows finishes installing KB5043080 during the restart; the next step needs it finished. Servicing Desk resumes afterwards.',
  "if ($done -notcontains 's3-restart') {",
  "  Complete-Step 's3-restart'",
  '  # Run this script again after the restart; it skips the steps already done.',
  "  Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name 'ServicingDesk' -Value ('\"' + (Join-Path $env:SystemRoot 'System32\\WindowsPowerShell\\v1.0\\powershell.exe') + '\" -NoProfile -ExecutionPolicy Bypass -File \"' + $PSCommandPath + '\"')",
  "  & (Join-Path $env:SystemRoot 'System32\\shutdown.exe') '/r' '/t' '0'",
  '  exit 3010',
  '}',
  '',
  '# Step 3 of 3: Install KB5086672',
  '# Installs KB5086672 on this PC, bringing it to 26100.8117.',
  "if ($done -notcontains 's4-add-KB5086672') {",
  '  # 2148468766 = 0x800F081E CBS_E_NOT_APPLICABLE, 2149842967 = 0x80240017 WU_E_NOT_APPLICABLE, 2359302 = 0x00240006 WU_S_ALREADY_INSTALLED',
  "  & (Join-Path $env:SystemRoot 'System32\\Dism.exe') '/English' '/Online' '/Add-Package' '/PackagePath:C:\\Admin''s kit\\windows11.0-kb5086672-arm64.msu' '/NoRestart'",
  "  $code = [Convert]::ToUInt32(('{0:X8}' -f $LASTEXITCODE), 16)  # DISM exits with the HRESULT; compare unsigned",
  "  if ($code -eq 0 -or $code -eq 3010 -or $code -eq 1641) { Complete-Step 's4-add-KB5086672' }",
  "  elseif ($code -eq 2148468766 -or $code -eq 2149842967 -or $code -eq 2359302) { Write-Host 'Nothing to do: not applicable or already installed.'; Complete-Step 's4-add-KB5086672' }",
  '  else { throw ("Step 3 failed with 0x{0:X8}; see C:\\Windows\\Logs\\CBS\\CBS.log. Nothing after it runs." -f $code) }',
  '}',
  '',
  "Write-Host 'All steps done. Check the build: (Get-ItemProperty ''HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion'').UBR'",
  "Remove-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name 'ServicingDesk' -ErrorAction SilentlyContinue",
  '',
]

const IMAGE_SCRIPT = [
  '#Requires -RunAsAdministrator',
  '<#',
  '  Servicing Desk installation plan p-image',
  '  Machine: install.wim (unknown arch, build ?.?)',
  '  Targets: KB5086672, KB5043080; method: sequence; scope: offline image at D:\\mount',
  '  Created: 2026-11-22T09:00:00Z',
  '',
  '  Checks made when the plan was written:',
  '    [SKIP] KB5043080: already in the image',
  '    Note: Index 3 is Windows 11 Pro.',
  '',
  '  Exit codes: 0 done; 3010 done, restart required; 0x800F081E / 0x80240017 not applicable; 2359302 already',
  '  installed; anything else stops the script, and nothing after a failed step runs.',
  '#>',
  '',
  "$ErrorActionPreference = 'Stop'",
  ...SECURE_FOLDER_FUNCTIONS.split('\n'),
  "$why = New-SdSecureFolder -Base 'C:\\ProgramData' -Child 'ServicingDesk\\scripts'",
  "if ($why) { throw ('The state folder is not safe to use, so nothing runs: ' + $why) }",
  "$stateFile = 'C:\\ProgramData\\ServicingDesk\\scripts\\script-p-image.done'",
  '$done = @(if (Test-Path -LiteralPath $stateFile) { Get-Content -LiteralPath $stateFile })',
  'function Complete-Step([string]$id) { Add-Content -LiteralPath $stateFile -Value $id }',
  '',
  '# Every package must be the file the plan was made for.',
  '# KB5086672 (target, arm64)',
  "if (-not (Test-Path -LiteralPath 'D:\\kit\\windows11.0-kb5086672-arm64.msu')) { throw 'windows11.0-kb5086672-arm64.msu is missing.' }",
  '',
  '# Step 1 of 3: Mount D:\\images\\install.wim (index 3)',
  '# DISM services an offline image through a mount folder; D:\\mount receives image 3 of D:\\images\\install.wim.',
  "if ($done -notcontains 's1-mount') {",
  "  & (Join-Path $env:SystemRoot 'System32\\Dism.exe') '/English' '/Mount-Image' '/ImageFile:D:\\images\\install.wim' '/Index:3' '/MountDir:D:\\mount'",
  "  $code = [Convert]::ToUInt32(('{0:X8}' -f $LASTEXITCODE), 16)  # DISM exits with the HRESULT; compare unsigned",
  "  if ($code -eq 0) { Complete-Step 's1-mount' }",
  '  else { throw ("Step 1 failed with 0x{0:X8}; see C:\\Windows\\Logs\\CBS\\CBS.log. Nothing after it runs." -f $code) }',
  '}',
  '',
  '# Step 2 of 3: Install KB5086672',
  '# Installs KB5086672 on the offline image mounted at D:\\mount, bringing it to 26100.8117.',
  "if ($done -notcontains 's2-add-KB5086672') {",
  '  # 2148468766 = 0x800F081E CBS_E_NOT_APPLICABLE, 2149842967 = 0x80240017 WU_E_NOT_APPLICABLE, 2359302 = 0x00240006 WU_S_ALREADY_INSTALLED',
  "  & (Join-Path $env:SystemRoot 'System32\\Dism.exe') '/English' '/Image:D:\\mount' '/Add-Package' '/PackagePath:D:\\kit\\windows11.0-kb5086672-arm64.msu' '/NoRestart'",
  "  $code = [Convert]::ToUInt32(('{0:X8}' -f $LASTEXITCODE), 16)  # DISM exits with the HRESULT; compare unsigned",
  "  if ($code -eq 0 -or $code -eq 3010 -or $code -eq 1641) { Complete-Step 's2-add-KB5086672' }",
  "  elseif ($code -eq 2148468766 -or $code -eq 2149842967 -or $code -eq 2359302) { Write-Host 'Nothing to do: not applicable or already installed.'; Complete-Step 's2-add-KB5086672' }",
  '  else { throw ("Step 2 failed with 0x{0:X8}; see C:\\Windows\\Logs\\CBS\\CBS.log. Nothing after it runs." -f $code) }',
  '}',
  '',
  '# Step 3 of 3: Save and unmount D:\\mount',
  '# Writes the serviced image back into the WIM (/Commit) and releases the mount folder.',
  "if ($done -notcontains 's3-unmount') {",
  "  & (Join-Path $env:SystemRoot 'System32\\Dism.exe') '/English' '/Unmount-Image' '/MountDir:D:\\mount' '/Commit'",
  "  $code = [Convert]::ToUInt32(('{0:X8}' -f $LASTEXITCODE), 16)  # DISM exits with the HRESULT; compare unsigned",
  "  if ($code -eq 0) { Complete-Step 's3-unmount' }",
  '  else { throw ("Step 3 failed with 0x{0:X8}; see C:\\Windows\\Logs\\CBS\\CBS.log. Nothing after it runs." -f $code) }',
  '}',
  '',
  "Write-Host 'All steps done. Check the build: (Get-ItemProperty ''HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion'').UBR'",
  "Remove-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name 'ServicingDesk' -ErrorAction SilentlyContinue",
  '',
]

const REFUSED_SCRIPT = [
  '#Requires -RunAsAdministrator',
  '<#',
  '  Servicing Desk installation plan p-online',
  '  Machine: PC-7 (arm64, build 26100.1150)',
  '  Targets: KB5086672; method: sequence; scope: online',
  '  Created: 2026-11-22T08:00:00Z',
  '  Expected result: build 26100.8117',
  '',
  '  Checks made when the plan was written:',
  '    [OK] Administrator: Running elevated.',
  '    [ATTENTION] Power: On battery.',
  '',
  '  Exit codes: 0 done; 3010 done, restart required; 0x800F081E / 0x80240017 not applicable; 2359302 already',
  '  installed; anything else stops the script, and nothing after a failed step runs.',
  '#>',
  '',
  "throw 'This plan was refused: Packages prepared for x64 can''t be installed on this arm64 PC.'",
  '',
]

const CASES: [string, () => Plan, string[]][] = [
  ['a plan for this PC: checkpoint, resume entry (left out), restart, target', onlinePlan, ONLINE_SCRIPT],
  [
    'a plan for a WIM: mount, add, unmount; nothing known of the machine, a skipped KB, a note',
    imagePlan,
    IMAGE_SCRIPT,
  ],
  ['a refused plan: the header, then only a throw with the reason', refusedPlan, REFUSED_SCRIPT],
]

describe('plan export: the whole script, line by line', () => {
  let ran = 0
  for (const [name, make, expected] of CASES) {
    it(name, () => {
      const script = planToPowerShell(make())
      expect(script.split('\r\n')).toEqual(expected)
      // CRLF only: no bare LF inside a line (a value with a line break would end a comment or a literal).
      expect(script.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
      ran++
    })
  }
  it('ran every case', () => expect(ran).toBe(3))
})

describe('plan export: the RunOnce value name', () => {
  it('is ServicingDesk where the script registers itself and where it removes itself (module loaded afresh)', async () => {
    // The name is a module constant: load the module again so the test reads the constant as it is now.
    vi.resetModules()
    const fresh = await import('../../../main/install/script-export.ts')
    const lines = fresh.planToPowerShell(onlinePlan()).split('\r\n')
    expect(lines.filter((l) => l.includes("\\RunOnce' -Name 'ServicingDesk' "))).toHaveLength(2)
  })
})
