import { describe, it, expect, beforeEach } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { scanMachine } from '../../../main/machine/scan.ts'
import { createWinreService } from '../../../main/winre/winre-service.ts'
import type { MachineRef } from '../../../preload/model/common.ts'

let dataDir: string
let store: TrainingStore
function service() {
  return createWinreService({
    dataDir,
    hostFor: (ref: MachineRef) => new TrainingHost((ref as { name: string }).name, store),
    scan: (ref: MachineRef) => scanMachine(new TrainingHost((ref as { name: string }).name, store)),
  })
}
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sd-winre-'))
  store = new TrainingStore(dataDir)
  return () => rmSync(dataDir, { recursive: true, force: true })
})

describe('WinRE repair end to end on training machines', () => {
  it('x64-winre-partition-full: resize (KB5028997) + Safe OS update, then enabled with room at the expected version', async () => {
    const svc = service()
    const ref: MachineRef = { kind: 'training', name: 'x64-winre-partition-full' }
    const { health, repair } = await svc.report(ref)
    expect(health.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['partition-too-small', 'stale']))
    expect(repair.refused).toBeNull()
    expect(repair.steps.map((s) => s.command.name)).toEqual([
      'winre.reagentc-disable',
      'winre.write-diskpart-script',
      'winre.diskpart',
      'winre.create-work-dir',
      'winre.dism-mount-image',
      'winre.dism-add-package',
      'winre.dism-cleanup-image',
      'winre.dism-unmount-image',
      'winre.dism-get-imageinfo',
      'winre.reagentc-enable',
      'winre.reagentc-info',
    ])
    expect(repair.warnings.join(' ')).toMatch(/BitLocker/)
    expect(repair.warnings.join(' ')).toMatch(/Back up/)
    expect(repair.layoutAfter?.partitions.find((p) => p.partitionNumber === 4)?.sizeBytes).toBe(
      repair.layoutBefore!.partitions.find((p) => p.partitionNumber === 4)!.sizeBytes + 250 * 1024 * 1024,
    )
    const run = await svc.repair(ref, repair.id)
    expect(run.results.filter((r) => !r.ok)).toEqual([])
    expect(run.status).toBe('completed')
    expect(run.verification).toMatchObject({
      verified: true,
      after: { status: 'enabled', version: '10.0.19041.7290', partition: 4 },
    })
    expect(run.verification!.after.freeBytes!).toBeGreaterThanOrEqual(250 * 1024 * 1024)
    expect(run.report.health.findings.map((f) => f.id)).not.toContain('partition-too-small')
    expect(run.report.health.expected.verdict).toBe('current')
  })

  it('arm64-winre-disabled: Safe OS update on the staged image, then enable; re-scan shows 10.0.26100.8455', async () => {
    const svc = service()
    const ref: MachineRef = { kind: 'training', name: 'arm64-winre-disabled' }
    const { health, repair } = await svc.report(ref)
    expect(health.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['disabled', 'stale']))
    expect(repair.steps.map((s) => s.command.name)).toEqual([
      'winre.create-work-dir',
      'winre.dism-mount-image',
      'winre.dism-add-package',
      'winre.dism-cleanup-image',
      'winre.dism-unmount-image',
      'winre.dism-get-imageinfo',
      'winre.reagentc-enable',
      'winre.reagentc-info',
    ])
    const run = await svc.repair(ref, repair.id)
    expect(run.status).toBe('completed')
    expect(run.verification).toMatchObject({ verified: true, after: { status: 'enabled', version: '10.0.26100.8455' } })
    const again = await svc.report(ref)
    expect(again.health.healthy).toBe(true)
    expect(again.repair.steps).toEqual([])
  })
})
