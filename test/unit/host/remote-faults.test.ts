/**
 * A PC over PowerShell remoting: the install and the repair over the training transport end verified, and a
 * session killed at every boundary of both (before and after each round trip, and the PC restarting in
 * the middle) still ends verified with no step run twice on the PC.
 *
 * A clean run is recorded first: its round trips and the SYSTEM tasks the PC ran, in order. Then each
 * round trip k is dropped `before` it reaches the PC and `after` it ran there, in a fresh data folder;
 * the PC must run exactly the clean run's tasks, once each. `npm run test:full` drops every round trip both ways;
 * `npm test` a sample drawn by the seed (test/sample.ts): the first and the last, before and after, and a few between.
 */
import { describe, expect, it } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { TrainingTransport, type TrainingFaults } from '../../../main/training/transport-training.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { tempDir } from '../temp-dirs.ts'
import { FULL, sample, sampleNote } from '../../sample.ts'
import { hangMs } from '../../load.ts'

/** The round trips 1..n a sample drops (every one under test:full): the first, the last and `atLeast` in all. */
const roundTrips = <T extends { k: number }>(
  label: string,
  cases: T[],
  n: number,
  kinds: (c: T) => string[] = () => [],
) =>
  sample(label, cases, {
    kindsOf: (c) => [
      ...kinds(c),
      ...(c.k === 1 ? ['the first round trip'] : []),
      ...(c.k === n ? ['the last round trip'] : []),
    ],
    atLeast: 6,
  })

type Flow = 'install' | 'repair'

interface Outcome {
  verified: boolean
  tasks: string[]
  roundTrips: number
  reached: number
}

async function runFlow(flow: Flow, faults: TrainingFaults = {}): Promise<Outcome> {
  const dataDir = await tempDir('sd-remote-')
  const tasks: string[] = []
  let transport: TrainingTransport | null = null
  const services = createServices({
    dataDir,
    platform: 'linux',
    remoteReconnect: { attempts: 6, delayMs: 0 },
    remoteTransport: (t) =>
      (transport = new TrainingTransport({
        computer: t.computer,
        machine: t.training!.machine,
        host: t.training!.host,
        store: t.training!.store,
        faults,
        onRun: (name, mode) => {
          if (mode === 'task') tasks.push(name)
        },
      })),
  })
  let verified: boolean
  if (flow === 'install') {
    const ref: MachineRef = { kind: 'training', name: 'arm64-missing-checkpoint', via: 'winrm' }
    const plan = await services.install.makePlan({ ref, kbs: ['KB5086672'] })
    const journal = await services.install.install(plan, {})
    verified = journal.verification?.verified === true
  } else {
    const ref: MachineRef = { kind: 'training', name: 'x64-component-store-corrupt', via: 'winrm' }
    const run = await services.repairs.run(ref, 'restore-health', {})
    verified = run.verified === true
  }
  const stats = (transport as TrainingTransport | null)?.stats()
  return {
    verified,
    tasks,
    roundTrips: stats?.roundTrips ?? 0,
    reached: (transport as TrainingTransport | null)?.reached() ?? 0,
  }
}

describe('install over the training transport, the PC restarting on its own', () => {
  it(`after ${FULL ? 'any round trip' : 'a seeded sample of round trips'}, still ends verified with no task run twice`, {
    timeout: hangMs(600_000),
  }, async () => {
    const clean = await runFlow('install')
    const ks = roundTrips(
      'remote-faults restart',
      Array.from({ length: clean.reached }, (_, i) => ({ k: i + 1 })),
      clean.reached,
    )
    if (FULL) expect(ks).toHaveLength(clean.reached)
    const outcomes = await Promise.all(
      ks.map(async ({ k }) => ({ k, ...(await runFlow('install', { restartAfter: k })) })),
    )
    for (const o of outcomes) {
      expect({ k: o.k, verified: o.verified, tasks: o.tasks }).toEqual({ k: o.k, verified: true, tasks: clean.tasks })
      expect(o.roundTrips).toBeGreaterThan(clean.roundTrips)
    }
  })
})

describe.each<Flow>(['install', 'repair'])('%s over the training transport', (flow) => {
  it(`ends verified; a session dropped before or after ${FULL ? 'any round trip' : 'a seeded sample of round trips'} still ends verified with no task run twice`, {
    timeout: hangMs(600_000),
  }, async () => {
    const clean = await runFlow(flow)
    expect(clean.verified).toBe(true)
    expect(clean.tasks.length).toBeGreaterThan(0)
    // Every task the PC ran is a distinct step (the clean run itself runs nothing twice).
    const every = Array.from({ length: clean.reached }, (_, i) => i + 1).flatMap((k) =>
      (['before', 'after'] as const).map((when) => ({ k, when })),
    )
    const cases = roundTrips(`remote-faults ${flow}`, every, clean.reached, (c) => [c.when])
    if (!FULL)
      console.log(
        `remote-faults ${flow}: dropped ${cases.map((c) => `${c.when} ${c.k}`).join(', ')} of ${clean.reached} round trips (${sampleNote()})`,
      )
    // The runs are independent (each its own data folder and machine); most of their time is the training
    // machine's paced progress output, so they run a few at a time.
    for (let i = 0; i < cases.length; i += 8) {
      const outcomes = await Promise.all(
        cases
          .slice(i, i + 8)
          .map(async ({ k, when }) => ({ k, when, ...(await runFlow(flow, { drops: [{ at: k, when }] })) })),
      )
      for (const o of outcomes) {
        expect({ k: o.k, when: o.when, verified: o.verified }).toEqual({ k: o.k, when: o.when, verified: true })
        expect({ k: o.k, when: o.when, tasks: o.tasks }).toEqual({ k: o.k, when: o.when, tasks: clean.tasks })
        // The lost round trip was sent again (a resend, never a second run).
        expect({ k: o.k, when: o.when, more: o.roundTrips > clean.roundTrips }).toEqual({
          k: o.k,
          when: o.when,
          more: true,
        })
      }
    }
  })
})
