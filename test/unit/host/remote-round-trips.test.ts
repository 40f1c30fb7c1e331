/**
 * Few round trips: a remote scan costs at most 2 (the session opens with the first, which also
 * carries the pre-flight and every probe's first command; the second carries the follow-ups that need
 * their answers), and returns the same snapshot as the machine scanned directly. An install costs one
 * round trip per step that changes the PC plus one per file copied (scans before and after are scans).
 */
import { describe, expect, it } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { TrainingTransport, parseCalls } from '../../../main/training/transport-training.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { tempDir } from '../temp-dirs.ts'

function comparable(s: MachineSnapshot): unknown {
  const strip = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(strip)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.entries(x)
              .filter(([k]) => !['takenAt', 'probeTimings', 'origin', 'evidence'].includes(k))
              .map(([k, v]) => [k, strip(v)]),
          )
        : x
  return strip(s)
}

async function setup(latencyMs = 0) {
  const dataDir = await tempDir('sd-remote-rt-')
  const trips: Array<{ kinds: string[]; changes: string[] }> = []
  let transport: TrainingTransport | null = null
  const services = createServices({
    dataDir,
    platform: 'linux',
    remoteReconnect: { attempts: 6, delayMs: 0 },
    remoteTransport: (t) => {
      const tr = new TrainingTransport({
        computer: t.computer,
        machine: t.training!.machine,
        host: t.training!.host,
        store: t.training!.store,
        faults: { latencyMs },
      })
      const invoke = tr.invoke.bind(tr)
      tr.invoke = async (script, signal) => {
        const calls = parseCalls(script)
        trips.push({
          kinds: calls.map((c) => c.fn),
          changes: calls
            .filter((c) => c.params.get('Mode') === 'task' && c.params.get('Name') !== 'history.update-session')
            .map((c) => String(c.params.get('Name'))),
        })
        return invoke(script, signal)
      }
      transport = tr
      return tr
    },
  })
  return { services, trips, stats: () => (transport as TrainingTransport | null)!.stats() }
}

describe('round trips over the training transport', () => {
  it.each(['x64-component-store-corrupt', 'arm64-missing-checkpoint', 'x64-healthy'])(
    'a scan of %s costs at most 2 and returns the same snapshot as a direct scan',
    async (name) => {
      const { services, stats } = await setup()
      const remote = await services.scan({ kind: 'training', name, via: 'winrm' })
      expect(stats().invokes).toBeLessThanOrEqual(2)
      expect(stats().connects).toBe(1)
      const direct = await services.scan({ kind: 'training', name })
      // The PC's facts are the same. What differs is the process that reads them: over WinRM the commands run
      // in the PC's native session host, not in an app that may be emulated (an x64 app on an ARM64 laptop).
      const pcFacts = (s: MachineSnapshot) =>
        comparable(
          s.os.status === 'known'
            ? { ...s, os: { ...s.os, value: { ...s.os.value, processArch: null, emulated: null } } }
            : s,
        )
      expect(pcFacts(remote)).toEqual(pcFacts(direct))
      if (remote.os.status === 'known') expect(remote.os.value.emulated).toBe(false)
      expect(remote.origin).toMatchObject({ kind: 'remote', name, title: expect.stringMatching(/ over WinRM$/) })
    },
  )

  it('a slow link (40 ms per round trip) costs time, not round trips or facts', async () => {
    const fast = await setup()
    const slow = await setup(40)
    const ref = { kind: 'training', name: 'x64-healthy', via: 'winrm' } as const
    const a = await fast.services.scan(ref)
    const t0 = performance.now()
    const b = await slow.services.scan(ref)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(80)
    expect(slow.stats().invokes).toBe(fast.stats().invokes)
    expect(comparable(b)).toEqual(comparable(a))
  })

  it('an install costs one round trip per step that changes the PC plus one per file copied', async () => {
    const { services, trips, stats } = await setup()
    const ref = { kind: 'training', name: 'arm64-missing-checkpoint', via: 'winrm' } as const
    const plan = await services.install.makePlan({ ref, kbs: ['KB5086672'] })
    const before = trips.length
    const journal = await services.install.install(plan, {})
    expect(journal.verification?.verified).toBe(true)
    const run = trips.slice(before)
    const changing = run.filter((t) => t.changes.length)
    // Each changing round trip carries exactly one step (the pre-flight item aside), and each step had one.
    expect(changing.map((t) => t.changes)).toEqual(plan.steps.map((s) => [s.command.name]))
    // The update and its checkpoint (the folder DISM reads), copied once each.
    expect(stats().copies).toBe(2)
  })
})
