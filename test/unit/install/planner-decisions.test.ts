/**
 * The planner's decisions, one per test, on a hand-made snapshot: no training machine is
 * scanned, so each test costs microseconds and a mutation run can repeat them per mutant. The knowledge is
 * the shipped servicing-chain data: KB5043080 is 24H2's checkpoint (26100.1742), KB5086672 a later 24H2
 * cumulative update (26100.8117) that needs it, KB5044285 a 23H2 update (22621.4317).
 */
import { describe, expect, it } from 'vitest'
import { planInstallation, type PlanRequest } from '../../../main/install/planner.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { GB, DIR, cand, req, plan, check } from './planner-fixtures.ts'

describe('planner: a plan that goes through', () => {
  it('checkpoint then target, each installed and followed by a restart; the machine and the expected level recorded', () => {
    const p = plan()
    expect(p.refused).toBeNull()
    expect(p.packages.map((x) => [x.kb, x.role, x.build, x.ubr])).toEqual([
      ['KB5043080', 'checkpoint', 26100, 1742],
      ['KB5086672', 'target', 26100, 8117],
    ])
    expect(p.steps.map((s) => [s.kind, s.dependsOn])).toEqual([
      ['add-package', []],
      ['restart', [p.steps[0]!.id]],
      ['add-package', [p.steps[1]!.id]],
      ['restart', [p.steps[2]!.id]],
    ])
    expect(p.expected).toEqual({ build: 26100, ubr: 8117 })
    expect(p.machine).toEqual({
      ref: { kind: 'training', name: 'PC-1' },
      name: 'PC-1',
      nativeArch: 'x64',
      build: 26100,
      ubr: 1000,
      branch: 'win11-24h2',
    })
    expect(p.targets).toEqual(['KB5086672'])
    expect(p.notes).toEqual([])
  })
  it('targets are upper-cased and counted once', () => {
    expect(plan({ targets: ['kb5086672', 'KB5086672'] }).targets).toEqual(['KB5086672'])
  })
  it('with a resume command: add, schedule the resume, restart (after both)', () => {
    const p = plan({
      resumeCommand: ['servicing-desk.exe', 'install', '--resume', 'p1'],
      targets: ['KB5043080'],
      packages: [cand('KB5043080')],
    })
    expect(p.steps.map((s) => s.kind)).toEqual(['add-package', 'schedule-resume', 'restart'])
    expect(p.steps[2]!.dependsOn).toEqual([p.steps[0]!.id, p.steps[1]!.id])
  })
  it('folder method: one add step for the target with its checkpoint beside it', () => {
    const p = plan({ method: 'folder' })
    expect(p.steps.map((s) => [s.kind, s.kbs])).toEqual([
      ['add-package', ['KB5043080', 'KB5086672']],
      ['restart', []],
    ])
    expect(p.steps[1]!.explanation).toBe(
      'Windows finishes installing KB5043080, KB5086672 during the restart; the next step needs it finished. Servicing Desk resumes afterwards.',
    )
  })
  it('an image: mount first, unmount last, no restart', () => {
    const p = plan({ scope: { kind: 'image', dir: 'C:\\mnt', wim: { path: 'D:\\install.wim', index: 3 } } })
    expect(p.steps.map((s) => s.kind)).toEqual(['mount-image', 'add-package', 'add-package', 'unmount-image'])
    expect(check(p, 'pending-restart')).toBeUndefined()
  })
  it('an image already mounted: no mount or unmount; its own level decides what it has', () => {
    const p = plan(
      { scope: { kind: 'image', dir: 'C:\\mnt', wim: null }, image: { build: 26100, ubr: 2000, installedKbs: [] } },
      { ubr: 100 },
    )
    expect(p.steps.map((s) => s.kind)).toEqual(['add-package'])
    expect(p.skipped).toEqual([
      { kb: 'KB5043080', reason: 'Checkpoint KB5043080 (26100.1742) is already present: UBR 2000 ≥ 1742.' },
    ])
  })
})

describe('planner: administrator rights', () => {
  it('elevated: pass; not elevated: fail and refused; unknown: warn', () => {
    expect(check(plan(), 'elevated')).toEqual({
      id: 'elevated',
      title: 'Administrator rights',
      status: 'pass',
      detail: 'The app runs with administrator rights.',
    })
    const no = plan({ elevated: false })
    expect(check(no, 'elevated')).toMatchObject({
      status: 'fail',
      detail: 'DISM needs administrator rights: restart Servicing Desk as administrator.',
    })
    expect(no.refused).toBe('Servicing Desk is not running with administrator rights.')
    expect(no.steps).toEqual([])
    const unknown = plan({ elevated: null })
    expect(check(unknown, 'elevated')).toMatchObject({
      status: 'warn',
      detail: 'Not known for a snapshot of another PC: run the plan from an elevated prompt there.',
    })
    expect(unknown.refused).toBeNull()
  })
})

describe('planner: the architecture', () => {
  it('every package for the native architecture: pass', () => {
    expect(check(plan(), 'architecture')).toEqual({
      id: 'architecture',
      title: 'Native architecture',
      status: 'pass',
      detail: "Every package is for x64, the PC's native architecture.",
    })
  })
  it('a neutral package or one of unknown architecture is for every PC', () => {
    const p = plan({ packages: [cand('KB5043080', { arch: 'neutral' }), cand('KB5086672', { arch: null })] })
    expect(check(p, 'architecture')!.status).toBe('pass')
    expect(p.packages.map((x) => x.arch)).toEqual(['neutral', 'neutral'])
  })
  it('an arm64 package on an x64 PC: fail naming the file, refused', () => {
    const p = plan({ packages: [cand('KB5043080'), cand('KB5086672', { arch: 'arm64', fileName: 'a.msu' })] })
    expect(check(p, 'architecture')).toMatchObject({ status: 'fail', detail: 'a.msu is arm64; this PC is x64.' })
    expect(p.refused).toBe('arm64 package a.msu cannot be installed on this x64 PC.')
  })
  it('under emulation the messages say what the app runs as', () => {
    const ok = plan(
      { packages: [cand('KB5043080', { arch: 'arm64' }), cand('KB5086672', { arch: 'arm64' })] },
      { nativeArch: 'arm64', emulated: true, processArch: 'x64' },
    )
    expect(check(ok, 'architecture')!.detail).toBe(
      "Every package is for arm64, the PC's native architecture (the app runs emulated as x64).",
    )
    const bad = plan({}, { nativeArch: 'arm64', emulated: true, processArch: 'x64' })
    expect(bad.refused).toBe(
      `x64 package ${cand('KB5043080').fileName} cannot be installed on this arm64 PC (the app itself runs emulated as x64).`,
    )
    expect(check(bad, 'architecture')!.detail).toBe(
      `${cand('KB5043080').fileName} is x64; ${cand('KB5086672').fileName} is x64; this PC is arm64.`,
    )
  })
  it('packages prepared for another architecture (--arch): refused before the files are looked at', () => {
    const p = plan({ arch: 'arm64' })
    expect(check(p, 'architecture')).toMatchObject({
      status: 'fail',
      detail: "The packages were prepared for arm64, but this PC's native architecture is x64.",
    })
    expect(p.refused).toBe('Packages prepared for arm64 cannot be installed on this x64 PC.')
  })
  it('--arch the same as the PC: the files decide', () => {
    expect(plan({ arch: 'x64' }).refused).toBeNull()
  })
  it('native architecture unknown: refused; --arch stands in for it', () => {
    const p = plan({}, { nativeArch: null })
    expect(check(p, 'architecture')).toMatchObject({
      status: 'fail',
      detail: 'The native architecture is unknown; scan the PC again or give --arch.',
    })
    expect(p.refused).toBe('The native architecture of the PC is unknown.')
    const withArch = plan({ arch: 'x64' }, { nativeArch: null })
    expect(withArch.refused).toBeNull()
    expect(withArch.machine.nativeArch).toBe('x64')
  })
})

describe('planner: the Windows version', () => {
  it('a 23H2 update on a 24H2 PC: refused with both versions', () => {
    const p = plan({ targets: ['KB5044285'], packages: [cand('KB5044285')] })
    expect(p.refused).toBe('KB5044285 is for Windows 11 23H2; this PC runs Windows 11 24H2 (26100).')
    expect(check(p, 'branch')).toMatchObject({
      status: 'fail',
      detail: 'KB5044285 is for Windows 11 23H2; this PC runs Windows 11 24H2 (26100).',
    })
  })
  it('a known update of this branch: pass, naming the level', () => {
    expect(check(plan(), 'branch')).toEqual({
      id: 'branch',
      title: 'Windows version',
      status: 'pass',
      detail: 'Windows 11 24H2 (26100.1000).',
    })
  })
  it('an update the knowledge lacks whose Catalog title names another version: refused', () => {
    const p = plan({
      targets: ['KB5999999'],
      packages: [
        cand('KB5999999', {
          title: '2026-12 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB5999999)',
        }),
      ],
    })
    expect(p.refused).toBe(
      'KB5999999 is for version 23H2 (its Catalog title says so); this PC runs Windows 11 24H2 (26100).',
    )
  })
  it('an update the knowledge lacks, title of this version: warn, DISM decides', () => {
    const p = plan({
      targets: ['KB5999999'],
      packages: [
        cand('KB5999999', {
          title: '2026-12 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5999999)',
        }),
      ],
    })
    expect(p.refused).toBeNull()
    expect(check(p, 'branch')).toMatchObject({
      status: 'warn',
      detail: 'Windows 11 24H2 (26100.1000); some targets are not in the knowledge, so DISM decides applicability.',
    })
  })
  it('a build the knowledge does not have: warn, unknown UBR shown as ?', () => {
    expect(check(plan({}, { build: 12345 }), 'branch')).toMatchObject({
      status: 'warn',
      detail: 'Build 12345 is not in the servicing-chain knowledge; applicability is left to DISM.',
    })
    expect(check(plan({}, { ubr: null }), 'branch')!.detail).toBe('Windows 11 24H2 (26100.?).')
  })
})

describe('planner: what the PC already has', () => {
  it('the target installed: skipped, nothing to install', () => {
    const p = plan({}, { installed: ['KB5086672'] })
    expect(p.skipped).toContainEqual({ kb: 'KB5086672', reason: 'KB5086672 is already installed (UBR 1000).' })
    expect(p.packages).toEqual([])
    expect(p.notes).toContain('Nothing to install: every target is already on the machine.')
    expect(p.expected).toBeNull()
  })
  it('the target installed and waiting for a restart: skipped as pending', () => {
    expect(plan({}, { pending: ['KB5086672'] }).skipped).toEqual([
      { kb: 'KB5086672', reason: 'KB5086672 is installed and waits for a restart.' },
    ])
  })
  it("a UBR at or past the target's: installed", () => {
    expect(plan({}, { ubr: 8117 }).skipped.map((s) => s.kb)).toEqual(['KB5086672'])
    expect(plan({}, { ubr: 8116 }).skipped.map((s) => s.kb)).toEqual(['KB5043080'])
  })
  it('a UBR past the checkpoint: the checkpoint skipped, saying why', () => {
    const p = plan({}, { ubr: 1742 })
    expect(p.skipped).toEqual([
      { kb: 'KB5043080', reason: 'Checkpoint KB5043080 (26100.1742) is already present: UBR 1742 ≥ 1742.' },
    ])
    expect(p.packages.map((x) => x.kb)).toEqual(['KB5086672'])
    expect(plan({}, { ubr: 1741 }).skipped).toEqual([])
  })
  it('the checkpoint installed by KB though the UBR is unknown: skipped without a UBR', () => {
    expect(plan({}, { ubr: null, installed: ['KB5043080'] }).skipped).toEqual([
      { kb: 'KB5043080', reason: 'Checkpoint KB5043080 (26100.1742) is already present.' },
    ])
  })
  it('folder method: a checkpoint the PC has, lying beside the target in the listed folder, is named and hash-checked', () => {
    const files = [cand('KB5043080'), cand('KB5086672')]
    const p = plan(
      { method: 'folder', folderListing: { [DIR]: files.map((f) => f.fileName.toUpperCase()) } },
      { ubr: 2000 },
    )
    expect(p.packages.map((x) => [x.kb, x.role])).toEqual([
      ['KB5043080', 'checkpoint'],
      ['KB5086672', 'target'],
    ])
    expect(p.notes).toContain(
      'Checkpoint KB5043080 (26100.1742) is already present; its file lies beside KB5086672 in the folder, so it is hash-checked too, and DISM finds it installed and skips it.',
    )
    expect(p.steps[0]).toMatchObject({ title: 'Install KB5086672' })
    expect(p.steps[0]!.explanation).toBe(
      'DISM gets KB5086672 as the only package path; the folder also holds KB5043080, which this PC already has: DISM finds it installed and skips it, then installs KB5086672. Every file in the folder is hash-checked before DISM runs.',
    )
    expect(p.steps[1]!.explanation).toBe(
      'Windows finishes installing KB5086672 during the restart; the next step needs it finished. Servicing Desk resumes afterwards.',
    )
  })
  it('folder method: a present checkpoint not in the folder listing, or elsewhere, is not named', () => {
    expect(
      plan({ method: 'folder', folderListing: { [DIR]: [cand('KB5086672').fileName] } }, { ubr: 2000 }).packages.map(
        (x) => x.kb,
      ),
    ).toEqual(['KB5086672'])
    const elsewhere = cand('KB5043080', { path: `D:\\other\\${cand('KB5043080').fileName}` })
    expect(
      plan(
        {
          method: 'folder',
          packages: [elsewhere, cand('KB5086672')],
          folderListing: { 'D:\\other': [elsewhere.fileName], [DIR]: [cand('KB5086672').fileName] },
        },
        { ubr: 2000 },
      ).packages.map((x) => x.kb),
    ).toEqual(['KB5086672'])
  })
})

describe('planner: missing package files', () => {
  it('no file for the target: refused, saying how to get one', () => {
    expect(plan({ packages: [cand('KB5043080')] }).refused).toBe(
      'No package file for KB5086672 (x64): download it first (servicing-desk install --kb KB5086672) or give --kit DIR.',
    )
  })
  it('no file for the checkpoint it needs: refused, naming it', () => {
    expect(plan({ packages: [cand('KB5086672')] }).refused).toBe(
      'KB5086672 needs the checkpoint KB5043080 (26100.1742) first, and its package file is missing.',
    )
  })
  it('two targets sharing a checkpoint: it is installed once', () => {
    const p = plan({
      targets: ['KB5079473', 'KB5086672'],
      packages: [cand('KB5043080'), cand('KB5079473'), cand('KB5086672')],
    })
    expect(p.packages.map((x) => x.kb)).toEqual(['KB5043080', 'KB5079473', 'KB5086672'])
  })
  it("several refusals: the first is the plan's, the others are notes", () => {
    const p = plan({ elevated: false, packages: [cand('KB5043080')] })
    expect(p.refused).toBe('Servicing Desk is not running with administrator rights.')
    expect(p.notes).toContain(
      'Also: No package file for KB5086672 (x64): download it first (servicing-desk install --kb KB5086672) or give --kit DIR.',
    )
  })
})

describe("planner: the folder method's folder", () => {
  it('target and checkpoint in two folders: refused', () => {
    const p = plan({ method: 'folder', packages: [cand('KB5043080', { path: 'D:\\a\\cp.msu' }), cand('KB5086672')] })
    expect(p.refused).toBe(
      `The folder method needs the target and its checkpoints in one folder; they are in D:\\a, ${DIR}. Use --method sequence or put them together.`,
    )
  })
  it('another MSU or CAB in the folder: refused, naming it; other files are fine', () => {
    const names = [cand('KB5043080').fileName, cand('KB5086672').fileName]
    expect(plan({ method: 'folder', folderListing: { [DIR]: [...names, 'old.CAB', 'readme.txt'] } }).refused).toBe(
      `The folder ${DIR} also holds old.CAB; DISM would process them too. Keep only the target and its checkpoints there.`,
    )
    expect(plan({ method: 'folder', folderListing: { [DIR]: [...names, 'readme.txt'] } }).refused).toBeNull()
    expect(plan({ method: 'sequence', folderListing: { [DIR]: [...names, 'old.msu'] } }).refused).toBeNull()
  })
  it('a path with forward slashes, and a bare file name, have their folders too', () => {
    const p = plan({
      method: 'folder',
      packages: [cand('KB5043080', { path: '/kits/a/cp.msu' }), cand('KB5086672', { path: 'target.msu' })],
    })
    expect(p.refused).toBe(
      'The folder method needs the target and its checkpoints in one folder; they are in /kits/a, .. Use --method sequence or put them together.',
    )
  })
})

describe('planner: restart, space, power, BitLocker, WinRE', () => {
  it('a pending restart: fail naming its source, refused; none: pass; unknown: warn', () => {
    const p = plan({}, { reboot: true })
    expect(check(p, 'pending-restart')).toMatchObject({
      status: 'fail',
      detail: 'A restart is pending (Component Based Servicing): restart the PC, then plan again.',
    })
    expect(p.refused).toBe('A restart is pending: restart the PC first, then install.')
    expect(check(plan(), 'pending-restart')).toMatchObject({ status: 'pass', detail: 'No restart is pending.' })
    expect(check(plan({}, { reboot: null }), 'pending-restart')).toMatchObject({
      status: 'warn',
      detail: 'Whether a restart is pending is unknown.',
    })
  })
  it('free space: 4 GB plus three times the packages; exactly that passes, a byte less refuses', () => {
    const need = 4 * GB + 3 * 2 * GB
    expect(check(plan({}, { free: need }), 'free-space')).toEqual({
      id: 'free-space',
      title: 'Free space',
      status: 'pass',
      detail: '10.0 GB free on C:, 10.0 GB needed.',
    })
    const p = plan({}, { free: need - 1 })
    expect(check(p, 'free-space')!.status).toBe('fail')
    expect(p.refused).toBe('Not enough free space on C: (10.0 GB free, 10.0 GB needed).')
    expect(check(plan({}, { free: null }), 'free-space')).toMatchObject({
      status: 'warn',
      detail: 'Free space is unknown.',
    })
  })
  it('battery: a warning on battery, a pass on mains, nothing when unknown', () => {
    expect(check(plan({ onBattery: true }), 'battery')).toMatchObject({
      status: 'warn',
      detail: 'The PC runs on battery: plug it in; a cumulative update can take an hour and a restart.',
    })
    expect(check(plan({ onBattery: false }), 'battery')).toMatchObject({
      status: 'pass',
      detail: 'The PC is on mains power.',
    })
    expect(check(plan(), 'battery')).toBeUndefined()
  })
  it('BitLocker on: a warning to have the key; off: no check', () => {
    expect(check(plan({}, { bitlocker: 'on' }), 'bitlocker')).toMatchObject({
      status: 'warn',
      detail:
        'BitLocker protects the system drive: have the recovery key at hand before any recovery work (%SystemRoot%\\System32\\manage-bde.exe -protectors -get C:).',
    })
    expect(check(plan(), 'bitlocker')).toBeUndefined()
  })
  it('the winre scope: refused (cumulative updates do not apply there), with the BitLocker check', () => {
    const p = plan({ scope: { kind: 'winre' } })
    expect(p.refused).toBe(
      'Cumulative updates do not apply to winre.wim; WinRE is serviced with the Safe OS dynamic update and the SSU (servicing-facts §3). Use the WinRE repair instead.',
    )
    expect(check(p, 'bitlocker')).toMatchObject({ status: 'pass', detail: 'BitLocker is off.' })
    expect(p.steps).toEqual([])
  })
})

describe("planner: the checks' titles, and a snapshot whose OS is unknown", () => {
  const unknownOs = (r: PlanRequest): PlanRequest => ({
    ...r,
    snapshot: { ...r.snapshot, os: { status: 'unknown' } } as unknown as MachineSnapshot,
  })
  it('each failed or warned check keeps its title', () => {
    expect(check(plan({ elevated: null }), 'elevated')!.title).toBe('Administrator rights')
    expect(check(plan({ elevated: false }), 'elevated')!.title).toBe('Administrator rights')
    expect(check(plan({ arch: 'arm64' }), 'architecture')!.title).toBe('Native architecture')
    expect(check(plan({}, { nativeArch: null }), 'architecture')!.title).toBe('Native architecture')
    expect(
      check(plan({ packages: [cand('KB5043080'), cand('KB5086672', { arch: 'arm64' })] }), 'architecture')!.title,
    ).toBe('Native architecture')
  })
  it('OS unknown, --arch given: the packages are checked against --arch', () => {
    const ok = planInstallation(unknownOs(req({ arch: 'x64' })))
    expect(check(ok, 'architecture')).toEqual({
      id: 'architecture',
      title: 'Native architecture',
      status: 'pass',
      detail: "Every package is for x64, the PC's native architecture.",
    })
    expect(ok.machine).toMatchObject({ nativeArch: 'x64', build: null, ubr: null, branch: null })
    const bad = planInstallation(
      unknownOs(
        req({ arch: 'x64', packages: [cand('KB5043080', { arch: 'arm64', fileName: 'a.msu' }), cand('KB5086672')] }),
      ),
    )
    expect(bad.refused).toBe('arm64 package a.msu cannot be installed on this x64 PC.')
  })
  it('OS unknown and no --arch: refused, architecture unknown', () => {
    expect(planInstallation(unknownOs(req())).refused).toBe('The native architecture of the PC is unknown.')
  })
})
