/**
 * `winre` (the report) is read-only: looking at a machine writes nothing, and looking twice at an unchanged
 * machine shows the same repair id (a hash of its commands), which `winre repair` runs after re-planning.
 */
import { describe, it, expect } from 'vitest'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { scanMachine } from '../../../main/machine/scan.ts'
import { createWinreService } from '../../../main/winre/winre-service.ts'
import type { MachineRef } from '../../../preload/model/common.ts'

describe('winre report is read-only', () => {
  it('writes no repair file, gives the same id twice, and the shown id runs', async () => {
    const home = tempDirSync('sd-winre-ro-')
    const store = new TrainingStore(home)
    const name = (ref: MachineRef) => (ref as { name: string }).name
    const svc = createWinreService({
      dataDir: home,
      hostFor: (ref) => new TrainingHost(name(ref), store),
      scan: (ref) => scanMachine(new TrainingHost(name(ref), store)),
    })
    const ref: MachineRef = { kind: 'training', name: 'arm64-winre-disabled' }
    const a = await svc.report(ref)
    const b = await svc.report(ref)
    expect(a.repair.id).toMatch(/^arm64-winre-disabled-winre-[0-9a-f]{10}$/)
    expect(b.repair.id).toBe(a.repair.id)
    const dir = join(home, 'winre-repairs')
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([])
    const run = await svc.repair(ref, a.repair.id)
    expect(run.status).toBe('completed')
    expect(readdirSync(dir).sort()).toEqual([`${a.repair.id}.json`, `${a.repair.id}.run.json`])
  })
})
