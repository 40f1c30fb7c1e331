/**
 * The planner's architecture check, each way alone: the PC's NATIVE architecture must match every
 * package; packages prepared for another architecture, or a PC whose native architecture is unknown, give a
 * refused plan with the reason and a failed 'architecture' check. The snapshot is the training machine
 * arm64-missing-checkpoint as scanned (native arm64); the packages are training kits written for a test.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { writeTrainingKit } from '../../../main/install/training-kit.ts'
import { planInstallation, type PlanRequest } from '../../../main/install/planner.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { tempDirSync } from '../temp-dirs.ts'

const ref = { kind: 'training', name: 'arm64-missing-checkpoint' } as const
let dir: string
let snapshot: MachineSnapshot

beforeAll(async () => {
  dir = tempDirSync('sd-plan-guard-')
  snapshot = await createServices({ dataDir: dir, platform: 'linux' }).scan(ref)
})

const req = (over: Partial<PlanRequest> = {}): PlanRequest => ({
  id: 'p-arch',
  createdAt: '2026-11-22T08:00:00Z',
  targets: ['KB5086672'],
  snapshot,
  machineRef: ref,
  packages: writeTrainingKit(join(dir, `kit-${Math.random().toString(36).slice(2)}`), 'KB5086672', 'arm64'),
  method: 'sequence',
  scope: { kind: 'online' },
  elevated: true,
  ...over,
})
const archCheck = (p: ReturnType<typeof planInstallation>) => p.preflight.find((c) => c.id === 'architecture')

describe('planner: the native architecture of every package', () => {
  it('arm64 packages on the arm64 PC: the check passes and the plan is not refused', () => {
    const p = planInstallation(req())
    expect(archCheck(p)?.status).toBe('pass')
    expect(p.refused).toBeNull()
  })

  it('x64 packages on the arm64 PC: refused, the check fails naming the files', () => {
    const p = planInstallation(req({ packages: writeTrainingKit(join(dir, 'kit-x64'), 'KB5086672', 'x64') }))
    expect(archCheck(p)?.status).toBe('fail')
    expect(archCheck(p)?.detail).toMatch(/-x64_.*is x64.*this PC is arm64\.$/)
    expect(p.refused).toMatch(/x64 package .* cannot be installed on this arm64 PC/)
  })

  it('one x64 package among arm64 ones is enough to refuse', () => {
    const arm = writeTrainingKit(join(dir, 'kit-mixed-a'), 'KB5086672', 'arm64')
    const x64 = writeTrainingKit(join(dir, 'kit-mixed-x'), 'KB5086672', 'x64')
    const p = planInstallation(req({ packages: [arm[0]!, x64[x64.length - 1]!] }))
    expect(archCheck(p)?.status).toBe('fail')
    expect(p.refused).not.toBeNull()
  })

  it('packages prepared for x64 (--arch x64) on the arm64 PC: refused before looking at the files', () => {
    const p = planInstallation(req({ arch: 'x64' }))
    expect(archCheck(p)).toMatchObject({
      status: 'fail',
      detail: "The packages were prepared for x64, but this PC's native architecture is arm64.",
    })
    expect(p.refused).toMatch(/Packages prepared for x64 cannot be installed on this arm64 PC\./)
  })

  it('a PC whose native architecture is unknown (and no --arch): refused', () => {
    const s = structuredClone(snapshot)
    if (s.os.status === 'known') s.os.value.nativeArch = null
    const p = planInstallation(req({ snapshot: s }))
    expect(archCheck(p)?.status).toBe('fail')
    expect(p.refused).toMatch(/The native architecture of the PC is unknown\./)
  })

  it('unknown native architecture with --arch arm64: the packages are checked against arm64', () => {
    const s = structuredClone(snapshot)
    if (s.os.status === 'known') s.os.value.nativeArch = null
    expect(archCheck(planInstallation(req({ snapshot: s, arch: 'arm64' })))?.status).toBe('pass')
  })

  it('a neutral package matches every PC', () => {
    const pk = writeTrainingKit(join(dir, 'kit-neutral'), 'KB5086672', 'arm64').map((c) => ({ ...c, arch: null }))
    expect(archCheck(planInstallation(req({ packages: pk })))?.status).toBe('pass')
  })
})
