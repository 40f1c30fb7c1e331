import { describe, it, expect } from 'vitest'
import { scanMachine, type ProbeTimer } from '../../../main/machine/scan.ts'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { osProbe } from '../../../main/machine/probes/os.ts'
import { ProbeError, type Probe } from '../../../main/machine/probe.ts'
import { MachineSnapshotSchema } from '../../../preload/model/snapshot.ts'
import { tempDirSync } from '../temp-dirs.ts'
import type { Host } from '../../../main/host/host.ts'

const host = () => new TrainingHost('arm64-missing-checkpoint', new TrainingStore(tempDirSync('sd-scan-')))
/** The same machine as a real PC would be seen: a host whose probes keep their deadline. */
const pcHost = (): Host => {
  const h = host()
  return {
    info: () => ({ ...h.info(), kind: 'this-pc' }),
    run: (spec, o) => h.run(spec, o),
    openRead: (p) => h.openRead(p),
    listDir: (p) => h.listDir(p),
    exists: (p) => h.exists(p),
  } as Host
}

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

  it('stops a probe that hangs past its timeout and says so, on the clock the scan is given', async () => {
    // The deadline runs on a timer this test fires: a busy machine cannot move it either way.
    const set: number[] = []
    let fire!: () => void
    let armed!: () => void
    const isArmed = new Promise<void>((r) => {
      armed = r
    })
    const cleared: unknown[] = []
    const timer: ProbeTimer = {
      set: (f, ms) => {
        set.push(ms)
        fire = f
        armed()
        return 'deadline'
      },
      clear: (h) => cleared.push(h),
    }
    let aborted = false
    const hanging: Probe<'services'> = {
      id: 'services',
      timeoutMs: 15_000,
      run: ({ signal }) =>
        new Promise(() => {
          signal.addEventListener('abort', () => {
            aborted = true
          })
        }),
    }
    const scan = scanMachine(pcHost(), { probes: [hanging as Probe], timer })
    await isArmed
    expect(set).toEqual([15_000])
    fire()
    const s = await scan
    expect(s.services.status).toBe('unknown')
    if (s.services.status === 'unknown')
      expect(s.services.error).toBe('The services probe took longer than 15 s and was stopped.')
    expect(aborted).toBe(true)
    expect(cleared).toEqual(['deadline'])
  })

  it('a probe that answers before its deadline clears it, and is known', async () => {
    const cleared: unknown[] = []
    const timer: ProbeTimer = { set: () => 'deadline', clear: (h) => cleared.push(h) }
    const s = await scanMachine(pcHost(), { probes: [osProbe as Probe], timer })
    expect(s.os.status).toBe('known')
    expect(cleared).toEqual(['deadline'])
  })

  it("a training machine's probes have no deadline of wall clock: a probe slower than its timeout is still known", async () => {
    // The probe answers on a 20 ms timer, its deadline is 1 ms: timers fire in the order they are due, so a deadline
    // (armed first) always fires first. Its commands are answered in this process: only the machine's load could make
    // one slow.
    const slow: Probe<'history'> = {
      id: 'history',
      timeoutMs: 1,
      run: () => new Promise((r) => setTimeout(() => r({ value: [], evidence: [] }), 20)),
    }
    const s = await scanMachine(host(), { probes: [slow as Probe] })
    expect(s.history.status).toBe('known')
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
