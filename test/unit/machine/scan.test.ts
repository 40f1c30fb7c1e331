import { describe, it, expect } from 'vitest'
import { scanMachine } from '../../../main/machine/scan.ts'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { osProbe } from '../../../main/machine/probes/os.ts'
import { ProbeError, type Probe } from '../../../main/machine/probe.ts'
import { MachineSnapshotSchema } from '../../../preload/model/snapshot.ts'
import { tempDirSync } from '../temp-dirs.ts'

const host = () => new TrainingHost('arm64-missing-checkpoint', new TrainingStore(tempDirSync('sd-scan-')))

describe('scanMachine', () => {
  it('reads the native architecture even though the app runs emulated, and a build below the checkpoint', async () => {
    const s = await scanMachine(host())
    expect(MachineSnapshotSchema.parse(s)).toBeTruthy()
    expect(s.os.status).toBe('known')
    if (s.os.status !== 'known') return
    expect(s.os.value).toMatchObject({
      nativeArch: 'arm64',
      processArch: 'x64',
      emulated: true,
      build: 26100,
      ubr: 1150,
      displayVersion: '24H2',
      computerName: 'FIELD-ARM-07',
      productName: 'Windows 11 Pro',
    })
    expect(s.os.evidence[0].excerpt).toContain('UBR    REG_DWORD    0x47e')
  })

  it('turns a failing probe into an unknown fact with its evidence, without failing the scan', async () => {
    const failing: Probe<'history'> = {
      id: 'history',
      timeoutMs: 1000,
      run: async () => {
        throw new ProbeError('wuapi said no', [{ source: 'x', excerpt: 'boom' }])
      },
    }
    const s = await scanMachine(host(), { probes: [osProbe as Probe, failing as Probe] })
    expect(s.os.status).toBe('known')
    expect(s.history).toEqual({
      status: 'unknown',
      error: 'wuapi said no',
      evidence: [{ source: 'x', excerpt: 'boom' }],
    })
  })

  it('stops a probe that hangs past its timeout and says so', async () => {
    // No wall-clock bound (it failed on a loaded machine): a probe left hanging would hang the scan, and the
    // error below is the timeout's own.
    const hanging: Probe<'services'> = { id: 'services', timeoutMs: 50, run: () => new Promise(() => {}) }
    const s = await scanMachine(host(), { probes: [hanging as Probe] })
    expect(s.services.status).toBe('unknown')
    if (s.services.status === 'unknown') expect(s.services.error).toMatch(/longer than 0.05 s/)
  })

  it('runs probes in parallel', async () => {
    // Each probe answers only once all three have started: run one after another, the first would wait
    // for the others until its timeout and come back unknown. No wall-clock bound (machine load moves it).
    let started = 0
    let allStarted!: () => void
    const barrier = new Promise<void>((r) => {
      allStarted = r
    })
    const waiting = (id: 'history' | 'hotfixes' | 'services'): Probe =>
      ({
        id,
        timeoutMs: 60_000,
        run: async () => {
          if (++started === 3) allStarted()
          await barrier
          return { value: [], evidence: [] }
        },
      }) as Probe
    const s = await scanMachine(host(), { probes: [waiting('history'), waiting('hotfixes'), waiting('services')] })
    expect(started).toBe(3)
    expect([s.history.status, s.hotfixes.status, s.services.status]).toEqual(['known', 'known', 'known'])
  })
})
