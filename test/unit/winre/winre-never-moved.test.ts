/**
 * The WinRE repair never moves WinRE to another place without a person deciding it, and it agrees with `diagnose` on
 * what the disk layout and BitLocker allow. `reagentc /enable` puts WinRE on C: (C:\Recovery\WindowsRE) when no recovery
 * partition after Windows has room for it: a plan whose enable would land there leaves the steps out and says so, with
 * the commands to do it by hand. Run on training machines, whose reagentc behaves that way.
 */
import { describe, it, expect, beforeEach } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import type { TrainingState } from '../../../main/training/state.ts'
import { scanMachine } from '../../../main/machine/scan.ts'
import { readMachineLogs } from '../../../main/machine/read-machine-logs.ts'
import { createWinreService } from '../../../main/winre/winre-service.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'

const MB = 1024 * 1024
let dataDir: string
let store: TrainingStore
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sd-winre-move-'))
  store = new TrainingStore(dataDir)
  return () => rmSync(dataDir, { recursive: true, force: true })
})
const hostOf = (ref: MachineRef) => new TrainingHost((ref as { name: string }).name, store)
function service(change: (s: MachineSnapshot) => void = () => {}) {
  return createWinreService({
    dataDir,
    hostFor: hostOf,
    scan: async (ref: MachineRef) => {
      const s = await scanMachine(hostOf(ref))
      change(s)
      return s
    },
  })
}
function edit(name: string, f: (s: TrainingState) => void): void {
  const s = store.load(name)
  f(s)
  store.save(s)
}
/** The recovery partition first, Windows after it (Windows 10 installs of 2015-2017 and many OEM images). */
function recoveryBeforeWindows(s: TrainingState): void {
  const d = s.disks[0]
  const os = d.partitions.find((p) => p.number === 3)!
  const rec = d.partitions.find((p) => p.number === 4)!
  rec.offsetBytes = os.offsetBytes
  os.offsetBytes = rec.offsetBytes + rec.sizeBytes
}
const ops = (r: { steps: { op: string }[] }) => r.steps.map((x) => x.op)
const winreOf = (name: string) => store.load(name).winre

describe('WinRE is never moved onto C: without asking', () => {
  it('a recovery partition before C: that is too small: no disable/enable that would move WinRE to C:, said plainly; running the repair leaves WinRE where it is', async () => {
    const name = 'x64-winre-partition-full'
    edit(name, recoveryBeforeWindows)
    const ref: MachineRef = { kind: 'training', name }
    const svc = service()
    const { health, repair } = await svc.report(ref)
    expect(health.winre?.recoveryPartition?.position).toBe('before')
    expect(ops(repair)).not.toContain('reagentc-disable')
    expect(ops(repair)).not.toContain('reagentc-enable')
    expect(ops(repair)).not.toContain('diskpart')
    const said = repair.manual.map((m) => `${m.title} ${m.detail}`).join(' ')
    expect(said).toMatch(/Windows partition|C:\\Recovery/)
    expect(said).toMatch(/reagentc(\.exe)? \/disable/)
    if (repair.steps.length && !repair.refused) await svc.repair(ref, repair.id)
    expect(winreOf(name)).toMatchObject({ enabled: true, partitionNumber: 4 })
  })

  it('WinRE disabled with a recovery partition that has no room: enabling would put it on C:, so it is not planned but said', async () => {
    const name = 'arm64-winre-disabled'
    edit(name, (s) => {
      const rec = s.disks[0].partitions.find((p) => p.number === 4)!
      rec.usedBytes = rec.sizeBytes - 40 * MB
    })
    const ref: MachineRef = { kind: 'training', name }
    const { repair } = await service().report(ref)
    expect(ops(repair)).not.toContain('reagentc-enable')
    expect(repair.manual.map((m) => `${m.title} ${m.detail}`).join(' ')).toMatch(/Windows partition|C:\\Recovery/)
  })

  it('with room after Windows, the enable is planned as before (nothing moves elsewhere)', async () => {
    const { repair } = await service().report({ kind: 'training', name: 'arm64-winre-disabled' })
    expect(ops(repair)).toContain('reagentc-enable')
    expect(repair.manual).toEqual([])
  })
})

describe('winre agrees with diagnose on BitLocker and the layout', () => {
  const name = 'x64-winre-partition-full'
  const bitlocker = (recoveryPassword: boolean | null) => (s: MachineSnapshot) => {
    if (s.storage.status !== 'known') throw new Error('storage not read')
    s.storage.value.bitlocker = {
      protectionStatus: 'on',
      encryptionPercentage: 100,
      tpmProtector: true,
      ...(recoveryPassword === null ? {} : { recoveryPassword }),
    }
  }
  async function both(change: (s: MachineSnapshot) => void) {
    const ref: MachineRef = { kind: 'training', name }
    const snapshot = await scanMachine(hostOf(ref))
    change(snapshot)
    const d = diagnose({ snapshot, logs: (await readMachineLogs(hostOf(ref))).logs })
    const offered = d.findings.flatMap((f) => [f.repair, ...f.remedies.map((r) => r.repair)])
    const { repair } = await service(change).report(ref)
    return { diagnoseOffers: offered.includes('winre-resize'), winreResizes: ops(repair).includes('diskpart'), repair }
  }

  it('TPM only (no recovery password): neither offers the resize; winre says to add and back up a recovery password first', async () => {
    const r = await both(bitlocker(false))
    expect(r).toMatchObject({ diagnoseOffers: false, winreResizes: false })
    expect(r.repair.manual.map((m) => `${m.title} ${m.detail}`).join(' ')).toMatch(/recovery password/i)
  })

  it('protectors not read: neither offers the resize', async () => {
    expect(await both(bitlocker(null))).toMatchObject({ diagnoseOffers: false, winreResizes: false })
  })

  it('a recovery password beside the TPM: both offer it', async () => {
    expect(await both(bitlocker(true))).toMatchObject({ diagnoseOffers: true, winreResizes: true })
  })
})
