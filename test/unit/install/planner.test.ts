/** The planner: order, method, scope, preflight and refusals, on real snapshots of training machines. */
import { describe, it, expect, beforeAll } from 'vitest'
import { join } from 'node:path'
import { planInstallation, type PlanRequest } from '../../../main/install/planner.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { PlanSchema } from '../../../preload/model/plan.ts'
import { freshServices, kit, arm64 } from './helpers.ts'

let env: ReturnType<typeof freshServices>
let snap: MachineSnapshot
beforeAll(async () => {
  env = freshServices()
  snap = await env.services.scan(arm64)
})

function req(over: Partial<PlanRequest> = {}): PlanRequest {
  return {
    id: 'test-plan',
    createdAt: '2026-11-21T08:00:00Z',
    targets: ['KB5086672'],
    snapshot: snap,
    machineRef: arm64,
    packages: kit(env.dir, 'KB5086672', 'arm64'),
    method: 'folder',
    scope: { kind: 'online' },
    elevated: true,
    ...over,
  }
}

describe('planInstallation', () => {
  it('sequence: puts the checkpoint KB5043080 before KB5086672, each followed by a restart', () => {
    const plan = planInstallation(req({ method: 'sequence' }))
    expect(PlanSchema.parse(plan)).toEqual(plan)
    expect(plan.refused).toBeNull()
    expect(plan.steps.map((s) => s.kind)).toEqual(['add-package', 'restart', 'add-package', 'restart'])
    expect(plan.steps[0].kbs).toEqual(['KB5043080'])
    expect(plan.steps[2].kbs).toEqual(['KB5086672'])
    expect(plan.steps[2].dependsOn).toEqual([plan.steps[1].id])
    expect(plan.packages.map((p) => [p.kb, p.role])).toEqual([
      ['KB5043080', 'checkpoint'],
      ['KB5086672', 'target'],
    ])
    expect(plan.expected).toEqual({ build: 26100, ubr: 8117 })
  })

  it('folder: one DISM call with the TARGET as the only PackagePath; its checkpoint sits in the same folder', () => {
    const plan = planInstallation(req())
    const add = plan.steps[0]
    expect(add.kbs).toEqual(['KB5043080', 'KB5086672'])
    expect(add.command.args).toEqual([
      '/English',
      '/Online',
      '/Add-Package',
      `/PackagePath:${plan.packages[1].path}`,
      '/NoRestart',
    ])
    expect(add.command.commandLine).toContain(
      '%SystemRoot%\\System32\\Dism.exe /English /Online /Add-Package /PackagePath:',
    )
    expect(add.successExitCodes).toEqual([0, 3010])
    expect(add.restartExitCodes).toContain(3010)
    expect(plan.steps[1].command.commandLine).toBe('%SystemRoot%\\System32\\shutdown.exe /r /t 0')
  })

  it('image: mounts, adds with /Image:DIR, and saves the WIM; no restarts', () => {
    const plan = planInstallation(
      req({
        method: 'sequence',
        scope: { kind: 'image', dir: 'C:\\Mount', wim: { path: 'C:\\Media\\install.wim', index: 1 } },
      }),
    )
    expect(plan.steps.map((s) => s.kind)).toEqual(['mount-image', 'add-package', 'add-package', 'unmount-image'])
    expect(plan.steps[1].command.args[1]).toBe('/Image:C:\\Mount')
    expect(plan.steps[3].command.args).toContain('/Commit')
    expect(plan.preflight.some((c) => c.id === 'pending-restart')).toBe(false)
  })

  it('refuses x64 packages for the ARM64 PC, naming the file, even though the app runs as x64', () => {
    const plan = planInstallation(req({ packages: kit(env.dir, 'KB5086672', 'x64') }))
    expect(plan.refused).toMatch(
      /^x64 package windows11\.0-kb5043080-x64_[0-9a-f]{40}\.msu cannot be installed on this arm64 PC \(the app itself runs emulated as x64\)\.$/,
    )
    expect(plan.steps).toEqual([])
    expect(plan.preflight.find((c) => c.id === 'architecture')?.status).toBe('fail')
  })

  it('refuses --arch x64 for an ARM64 PC', () => {
    expect(planInstallation(req({ arch: 'x64' })).refused).toBe(
      'Packages prepared for x64 cannot be installed on this arm64 PC.',
    )
  })

  it('refuses a 23H2 update for a 24H2 PC (from the Catalog title when the knowledge lacks the KB)', () => {
    const plan = planInstallation(req({ targets: ['KB5048685'], packages: kit(env.dir, 'KB5048685', 'arm64') }))
    expect(plan.refused).toBe(
      'KB5048685 is for version 23H2 (its Catalog title says so); this PC runs Windows 11 24H2 (26100).',
    )
  })

  it('refuses when the checkpoint file is missing, and when no package for the target is given', () => {
    const files = kit(env.dir, 'KB5086672', 'arm64')
    expect(planInstallation(req({ packages: [files[1]] })).refused).toBe(
      'KB5086672 needs the checkpoint KB5043080 (26100.1742) first, and its package file is missing.',
    )
    expect(planInstallation(req({ packages: [] })).refused).toMatch(/^No package file for KB5086672 \(arm64\)/)
  })

  it('refuses the folder method when the folder holds other MSUs DISM would also process', () => {
    const files = kit(env.dir, 'KB5086672', 'arm64')
    const folder = files[0].path.slice(0, files[0].path.lastIndexOf('/'))
    const plan = planInstallation(
      req({
        packages: files,
        folderListing: { [folder]: [...files.map((f) => f.fileName), 'windows11.0-kb5048667-arm64_aa.msu'] },
      }),
    )
    expect(plan.refused).toMatch(/also holds windows11\.0-kb5048667-arm64_aa\.msu; DISM would process them too/)
    expect(
      planInstallation(req({ method: 'sequence', packages: files, folderListing: { [folder]: ['x.msu'] } })).refused,
    ).toBeNull()
  })

  it('refuses without administrator rights, and says "unknown" (warn) for a snapshot of another PC', () => {
    expect(planInstallation(req({ elevated: false })).refused).toBe(
      'Servicing Desk is not running with administrator rights.',
    )
    const p = planInstallation(req({ elevated: null }))
    expect(p.refused).toBeNull()
    expect(p.preflight.find((c) => c.id === 'elevated')?.status).toBe('warn')
  })

  it('refuses WinRE scope for a cumulative update (WinRE takes the Safe OS update)', () => {
    expect(planInstallation(req({ scope: { kind: 'winre' } })).refused).toMatch(
      /Cumulative updates do not apply to winre\.wim/,
    )
  })

  it('warns on battery and gives BitLocker advice', () => {
    const p = planInstallation(req({ onBattery: true }))
    expect(p.preflight.find((c) => c.id === 'battery')?.status).toBe('warn')
    expect(p.preflight.find((c) => c.id === 'bitlocker')?.detail).toMatch(/recovery key/)
    // The recovery-key advice is a warning (shown as 'warning'), never a passed check tagged 'ok'.
    expect(p.preflight.find((c) => c.id === 'bitlocker')?.status).toBe('warn')
  })

  it('skips the checkpoint on a PC past it (25H2 at 26200.8117), and plans nothing when the target is installed', async () => {
    const { services } = freshServices()
    const ref = { kind: 'training', name: 'arm64-winre-disabled' } as const
    const fake = (kb: string) => ({
      kb,
      fileName: `windows11.0-${kb.toLowerCase()}-arm64.msu`,
      path: `D:\\kit\\windows11.0-${kb.toLowerCase()}-arm64.msu`,
      arch: 'arm64' as const,
      sha1: null,
      sha256: null,
    })
    const plan = planInstallation(
      req({
        snapshot: await services.scan(ref),
        machineRef: ref,
        targets: ['KB5094126'],
        packages: [fake('KB5043080'), fake('KB5094126')],
      }),
    )
    expect(plan.refused).toBeNull()
    expect(plan.skipped).toEqual([
      { kb: 'KB5043080', reason: 'Checkpoint KB5043080 (26100.1742) is already present: UBR 8117 ≥ 1742.' },
    ])
    expect(plan.packages.map((p) => p.kb)).toEqual(['KB5094126'])
    // One build per PC: the 25H2 PC is brought to 26200.8655, not the knowledge's 26100.8655.
    expect(plan.packages[0]).toMatchObject({ build: 26200, ubr: 8655 })
    expect(plan.steps[0].explanation).toMatch(/bringing it to 26200\.8655\./)
    expect(plan.steps[0].command.args[3]).toBe('/PackagePath:D:\\kit\\windows11.0-kb5094126-arm64.msu')
    const healthy = { kind: 'training', name: 'x64-healthy' } as const
    const none = planInstallation(
      req({ snapshot: await services.scan(healthy), machineRef: healthy, packages: kit(env.dir, 'KB5086672', 'x64') }),
    )
    expect(none.steps).toEqual([])
    expect(none.refused).toBeNull()
    expect(none.skipped.map((x) => x.kb)).toEqual(['KB5086672'])
    expect(none.notes).toContain('Nothing to install: every target is already on the machine.')
  })

  it('folder method on a PC past the checkpoint: a downloaded checkpoint lying beside the target is named and hashed, not refused, and the step says DISM skips it', async () => {
    const { services } = freshServices()
    const ref = { kind: 'training', name: 'arm64-winre-disabled' } as const
    const fake = (kb: string) => ({
      kb,
      fileName: `windows11.0-${kb.toLowerCase()}-arm64.msu`,
      path: `D:\\kit\\windows11.0-${kb.toLowerCase()}-arm64.msu`,
      arch: 'arm64' as const,
      sha1: 'a'.repeat(40),
      sha256: null,
    })
    const listing = { 'D:\\kit': ['windows11.0-kb5043080-arm64.msu', 'windows11.0-kb5094126-arm64.msu'] }
    const plan = planInstallation(
      req({
        snapshot: await services.scan(ref),
        machineRef: ref,
        targets: ['KB5094126'],
        method: 'folder',
        packages: [fake('KB5043080'), fake('KB5094126')],
        folderListing: listing,
      }),
    )
    expect(plan.refused).toBeNull()
    expect(plan.skipped.map((x) => x.kb)).toEqual(['KB5043080'])
    expect(plan.packages.map((p) => [p.kb, p.role])).toEqual([
      ['KB5043080', 'checkpoint'],
      ['KB5094126', 'target'],
    ])
    const add = plan.steps.filter((s) => s.kind === 'add-package')
    expect(add).toHaveLength(1)
    expect(add[0].packages).toEqual(['windows11.0-kb5043080-arm64.msu', 'windows11.0-kb5094126-arm64.msu'])
    expect(add[0].title).toBe('Install KB5094126')
    expect(add[0].explanation).toMatch(/KB5043080, which this PC already has: DISM finds it installed and skips it/)
    expect(plan.steps.find((s) => s.kind === 'restart')?.explanation).toMatch(
      /^Windows finishes installing KB5094126 during/,
    )
    // Without the file in the folder listing nothing changes: the checkpoint is only skipped.
    const alone = planInstallation(
      req({
        snapshot: await services.scan(ref),
        machineRef: ref,
        targets: ['KB5094126'],
        method: 'folder',
        packages: [fake('KB5043080'), fake('KB5094126')],
        folderListing: { 'D:\\kit': ['windows11.0-kb5094126-arm64.msu'] },
      }),
    )
    expect(alone.packages.map((p) => p.kb)).toEqual(['KB5094126'])
  })

  it('refuses while a restart is pending (x64-pending-restart)', async () => {
    const { services, dir } = freshServices()
    const ref = { kind: 'training', name: 'x64-pending-restart' } as const
    const plan = planInstallation(
      req({ snapshot: await services.scan(ref), machineRef: ref, packages: kit(dir, 'KB5086672', 'x64') }),
    )
    expect(plan.refused).toBe('A restart is pending: restart the PC first, then install.')
    expect(plan.preflight.find((c) => c.id === 'pending-restart')?.status).toBe('fail')
  })

  it('on a real PC, registers a RunOnce resume before each restart, and the restart still depends on the install', () => {
    const plan = planInstallation(
      req({
        resumeCommand: [
          'C:\\Program Files\\nodejs\\node.exe',
          'C:\\sd\\bin.ts',
          'install',
          '--plan',
          'C:\\ProgramData\\ServicingDesk\\plans\\test-plan.json',
          '--yes',
        ],
      }),
    )
    expect(plan.steps.map((s) => s.kind)).toEqual(['add-package', 'schedule-resume', 'restart'])
    expect(plan.steps[1].command.commandLine).toBe(
      '%SystemRoot%\\System32\\reg.exe add HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce /v ServicingDesk /t REG_SZ /d "\\"C:\\Program Files\\nodejs\\node.exe\\" C:\\sd\\bin.ts install --plan C:\\ProgramData\\ServicingDesk\\plans\\test-plan.json --yes" /f',
    )
    expect(plan.steps[2].dependsOn).toEqual([plan.steps[0].id, plan.steps[1].id])
  })

  it('is pure: the same request gives the same plan', () => {
    expect(planInstallation(req())).toEqual(planInstallation(req()))
    void join
  })
})
