/**
 * The hand-made snapshot and requests the planner's fast tests share (planner-decisions, planner-survivors):
 * no training machine is scanned, so a mutation run can repeat them per mutant.
 */
import { planInstallation, type PackageCandidate, type PlanRequest } from '../../../main/install/planner.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import type { Plan } from '../../../preload/model/plan.ts'

export const GB = 1024 ** 3
export const DIR = 'C:\\kits\\k1'
export interface Pc {
  build?: number | null
  ubr?: number | null
  nativeArch?: 'x64' | 'arm64' | null
  emulated?: boolean
  processArch?: 'x64' | 'arm64'
  installed?: string[]
  pending?: string[]
  reboot?: boolean | null
  free?: number | null
  bitlocker?: 'on' | 'off'
}
export function snapshot(pc: Pc = {}): MachineSnapshot {
  const known = <T>(value: T) => ({ status: 'known', value, evidence: [] })
  const pkg = (kb: string, state: string) => ({
    identity: `Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1.1.1`,
    kb,
    arch: 'amd64',
    version: null,
    state,
    releaseType: 'Update',
    installTime: null,
  })
  return {
    origin: { kind: 'training', name: 'PC-1', title: 'PC-1' },
    os: known({
      productName: 'Windows 11 Pro',
      edition: 'Professional',
      displayVersion: '24H2',
      build: pc.build === undefined ? 26100 : pc.build,
      ubr: pc.ubr === undefined ? 1000 : pc.ubr,
      version: null,
      nativeArch: pc.nativeArch === undefined ? 'x64' : pc.nativeArch,
      processArch: pc.processArch ?? 'x64',
      emulated: pc.emulated ?? false,
      computerName: 'PC-1',
      nativeArchMethod: null,
    }),
    packages: known({
      packages: [
        ...(pc.installed ?? []).map((k) => pkg(k, 'installed')),
        ...(pc.pending ?? []).map((k) => pkg(k, 'install-pending')),
      ],
      lcu: null,
      checkpoint: { kb: null, build: null, ubr: null, present: null, reason: '' },
      servicingStackVersion: null,
    }),
    reboot:
      pc.reboot === null
        ? { status: 'unknown' }
        : known({
            pending: pc.reboot ?? false,
            sources: [{ id: 'cbs', label: 'Component Based Servicing', pending: pc.reboot ?? false, detail: '' }],
          }),
    storage:
      pc.free === null
        ? { status: 'unknown' }
        : known({
            systemDrive: { letter: 'C', sizeBytes: 500 * GB, freeBytes: pc.free ?? 100 * GB },
            disks: [],
            bitlocker: { protectionStatus: pc.bitlocker ?? 'off', encryptionPercentage: null, tpmProtector: null },
          }),
    history: { status: 'unknown' },
    hotfixes: { status: 'unknown' },
    services: { status: 'unknown' },
    winre: { status: 'unknown' },
  } as unknown as MachineSnapshot
}
export const cand = (kb: string, over: Partial<PackageCandidate> = {}): PackageCandidate => {
  const fileName = `windows11.0-${kb.toLowerCase()}-x64_${'0'.repeat(39)}${kb.length % 10}.msu`
  return {
    kb,
    fileName,
    path: `${DIR}\\${fileName}`,
    arch: 'x64',
    sha1: 'a'.repeat(40),
    sha256: 'b'.repeat(64),
    sizeBytes: GB,
    ...over,
  }
}
export const req = (over: Partial<PlanRequest> = {}, pc: Pc = {}): PlanRequest => ({
  id: 'p1',
  createdAt: '2026-11-23T01:00:00Z',
  targets: ['KB5086672'],
  snapshot: snapshot(pc),
  machineRef: { kind: 'training', name: 'PC-1' },
  packages: [cand('KB5043080'), cand('KB5086672')],
  method: 'sequence',
  scope: { kind: 'online' },
  elevated: true,
  ...over,
})
export const plan = (over: Partial<PlanRequest> = {}, pc: Pc = {}) => planInstallation(req(over, pc))
export const check = (p: Plan, id: string) => p.preflight.find((c) => c.id === id)
