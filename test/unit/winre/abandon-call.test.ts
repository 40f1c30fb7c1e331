/**
 * The `winreAbandon` contract call through invokeCall with the real handlers and training machines: it gives
 * up exactly the interrupted repair named (the next report plans afresh), and refuses bad input, a repair
 * that does not exist, one that never ran, one that ended, one given up already, another machine's, a
 * snapshot, a damaged journal, and one that is running right now — each with a clear error, nothing changed.
 */
import { winreFromRun } from '../../../main/runner/journal-views.ts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { calls } from '../../../preload/contract.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall, type Handlers } from '../../../main/handlers.ts'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { scanMachine } from '../../../main/machine/scan.ts'
import { createWinreService } from '../../../main/winre/winre-service.ts'
import { tempDirSync } from '../temp-dirs.ts'

const full: MachineRef = { kind: 'training', name: 'x64-winre-partition-full' }
const arm: MachineRef = { kind: 'training', name: 'arm64-winre-disabled' }

let dataDir: string
let handlers: Handlers
beforeEach(() => {
  dataDir = tempDirSync('sd-winre-abandon-')
  handlers = createHandlers(createServices({ dataDir, platform: 'linux' }))
})
afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

/** A second service on the same data folder, so a test can crash a run at a boundary (as the app would die). */
function crashService() {
  const store = new TrainingStore(dataDir)
  const host = (ref: MachineRef) => new TrainingHost((ref as { name: string }).name, store)
  return createWinreService({ dataDir, hostFor: host, scan: (ref) => scanMachine(host(ref)) })
}

/** Runs the shown repair of `machine` and dies right after the command of step `stepNumber` (1-based) returned. */
async function crashAt(machine: MachineRef, stepNumber: number): Promise<string> {
  const svc = crashService()
  const { repair } = await svc.report(machine)
  const stepId = repair.steps[stepNumber - 1].id
  await expect(
    svc.repair(machine, repair.id, {
      checkpointHook: (p) => {
        if (p === `command:${stepId}`) throw new Error('crash')
      },
    }),
  ).rejects.toThrow('crash')
  return repair.id
}

const journalsOnDisk = () =>
  readdirSync(join(dataDir, 'winre-repairs'))
    .filter((n) => n.endsWith('.run.json'))
    .sort()
    .map(
      (n) =>
        winreFromRun(JSON.parse(readFileSync(join(dataDir, 'winre-repairs', n), 'utf8'))) as {
          repairId: string
          status: string
          entries: Array<{ phase: string; status?: string }>
        },
    )
const machineFile = (name: string) => {
  try {
    return readFileSync(join(dataDir, 'training', `${name}.json`), 'utf8')
  } catch {
    return null
  }
}

describe('winreAbandon', () => {
  it('gives up the interrupted repair named: where it stopped comes back, the journal says abandoned, the next report plans afresh', async () => {
    const id = await crashAt(full, 3)
    const before = await invokeCall(handlers, 'winre', { machine: full })
    expect(before.ok && before.value.interrupted).toMatchObject({ repairId: id, stepNumber: 3, duringStep: true })
    const machineBefore = machineFile(full.name)
    expect(machineBefore).toMatch(/^{/) // the crashed run changed the PC: its state is on disk

    const r = await invokeCall(handlers, 'winreAbandon', { machine: full, repairId: id, confirmed: true })
    expect(r.ok, JSON.stringify(r)).toBe(true)
    if (!r.ok) return
    expect(calls.winreAbandon.output.parse(r.value)).toEqual(r.value)
    expect(r.value.abandoned).toMatchObject({ repairId: id, stepNumber: 3, stepId: 's3-diskpart', done: 2, total: 11 })
    const [j] = journalsOnDisk()
    expect(j).toMatchObject({ repairId: id, status: 'abandoned' })
    expect(j.entries.at(-1)).toMatchObject({ phase: 'ended', status: 'abandoned' })
    expect(machineFile(full.name)).toBe(machineBefore) // giving up changes nothing on the PC

    const after = await invokeCall(handlers, 'winre', { machine: full })
    expect(after.ok).toBe(true)
    if (!after.ok) return
    expect(after.value.interrupted).toBeNull()
    expect(after.value.repair.id).not.toBe(id)
    expect(after.value.repair.refused).toBeNull()
    expect(after.value.health.winre?.status).toBe('disabled') // WinRE stays off until a new repair runs

    // Given up once: a second time is refused, and so is finishing it.
    const again = await invokeCall(handlers, 'winreAbandon', { machine: full, repairId: id, confirmed: true })
    expect(again).toEqual({
      ok: false,
      error: {
        code: 'invalid-input',
        message: `Repair ${id} was given up already; look at the machine again for a new repair.`,
        details: undefined,
      },
    })
    const finish = await invokeCall(handlers, 'winreRepair', { machine: full, repairId: id, confirmed: true })
    expect(finish).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/already ran to its end \(abandoned\)/) },
    })
  })

  it('refuses bad input with invalid-input naming the field, before anything is looked up', async () => {
    const id = await crashAt(arm, 2)
    const bad: Array<[unknown, RegExp]> = [
      [undefined, /repairId|machine/],
      [{ machine: arm, confirmed: true }, /repairId/],
      [{ machine: arm, repairId: id }, /confirmed/],
      [{ machine: arm, repairId: id, confirmed: false }, /confirmed/],
      [{ machine: arm, repairId: id, confirmed: 'yes' }, /confirmed/],
      [{ machine: arm, repairId: '../../etc/passwd', confirmed: true }, /repairId/],
      [{ machine: arm, repairId: '', confirmed: true }, /repairId/],
      [{ machine: arm, repairId: 'x'.repeat(81), confirmed: true }, /repairId/],
      [{ machine: arm, repairId: 42, confirmed: true }, /repairId/],
      [{ machine: { kind: 'training' }, repairId: id, confirmed: true }, /machine/],
      [{ machine: arm, repairId: id, confirmed: true, force: true }, /force|Unrecognized/],
      [[arm, id], /\(root\)/],
    ]
    for (const [input, field] of bad) {
      const r = await invokeCall(handlers, 'winreAbandon', input)
      expect(r.ok, JSON.stringify(input)).toBe(false)
      if (r.ok) continue
      expect(r.error.code).toBe('invalid-input')
      expect(r.error.message).toMatch(/^Invalid input for winreAbandon: /)
      expect(r.error.message).toMatch(field)
    }
    expect(journalsOnDisk().map((j) => j.status)).toEqual(['running']) // still interrupted, still resumable
    const still = await invokeCall(handlers, 'winre', { machine: arm })
    expect(still.ok && still.value.interrupted?.repairId).toBe(id)
  })

  it("refuses a repair that does not exist, never ran, ended, is another machine's, or is on a snapshot", async () => {
    const missing = await invokeCall(handlers, 'winreAbandon', {
      machine: full,
      repairId: 'no-such-repair',
      confirmed: true,
    })
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: "No WinRE repair with id 'no-such-repair'. Look at the machine again." },
    })

    // Shown, never run: not interrupted.
    const shown = await invokeCall(handlers, 'winre', { machine: full })
    if (!shown.ok) throw new Error(shown.error.message)
    const never = await invokeCall(handlers, 'winreAbandon', {
      machine: full,
      repairId: shown.value.repair.id,
      confirmed: true,
    })
    expect(never).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        message: `Repair ${shown.value.repair.id} was never run, so it is not interrupted: there is nothing to give up.`,
      },
    })

    // Ran to its end: not interrupted.
    const plan = await invokeCall(handlers, 'winre', { machine: arm })
    if (!plan.ok) throw new Error(plan.error.message)
    const done = await invokeCall(handlers, 'winreRepair', {
      machine: arm,
      repairId: plan.value.repair.id,
      confirmed: true,
    })
    expect(done.ok && done.value.status).toBe('completed')
    const ended = await invokeCall(handlers, 'winreAbandon', {
      machine: arm,
      repairId: plan.value.repair.id,
      confirmed: true,
    })
    expect(ended).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        message: `Repair ${plan.value.repair.id} is not interrupted: it ran to its end (completed). Look at the machine again for a new repair.`,
      },
    })

    // Interrupted, but on another machine than the one named; a snapshot is read-only.
    const id = await crashAt(full, 3)
    const other = await invokeCall(handlers, 'winreAbandon', { machine: arm, repairId: id, confirmed: true })
    expect(other).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: `Repair ${id} was made for another machine.` },
    })
    const snap = await invokeCall(handlers, 'winreAbandon', {
      machine: { kind: 'snapshot', id: 'abc' },
      repairId: id,
      confirmed: true,
    })
    expect(snap).toMatchObject({
      ok: false,
      error: { code: 'unsupported', message: expect.stringMatching(/read-only/) },
    })
    expect(journalsOnDisk().find((j) => j.repairId === id)?.status).toBe('running')
  })

  it('a damaged run journal is a clear error, and a repair running right now is not given up under its feet', async () => {
    const id = await crashAt(full, 3)
    const file = join(dataDir, 'winre-repairs', `${id}.run.json`)
    const good = readFileSync(file, 'utf8')
    writeFileSync(file, '{"schemaVersion": 1, "status": "sideways"')
    const damaged = await invokeCall(handlers, 'winreAbandon', { machine: full, repairId: id, confirmed: true })
    expect(damaged).toMatchObject({
      ok: false,
      error: {
        code: 'failed',
        message: expect.stringMatching(
          new RegExp(`run journal of WinRE repair ${id} \\(.*\\) is damaged: .*It was not given up`),
        ),
      },
    })
    expect(readFileSync(file, 'utf8')).toBe('{"schemaVersion": 1, "status": "sideways"')
    writeFileSync(file, good)

    // Finishing it in this process: while a step runs, giving it up is refused; afterwards it has ended.
    const svc = crashService()
    const refusals: string[] = []
    const run = await svc.repair(full, id, {
      onStep: (_step, phase) => {
        if (phase !== 'started') return
        try {
          svc.abandon(full, id)
          refusals.push('abandoned!')
        } catch (err) {
          refusals.push((err as Error).message)
        }
      },
    })
    expect(run.status).toBe('completed')
    expect(refusals.length).toBeGreaterThan(0)
    expect(new Set(refusals)).toEqual(new Set([`Repair ${id} is running now; it can be given up only after it stops.`]))
    expect(journalsOnDisk().find((j) => j.repairId === id)?.status).toBe('completed')
  })
})
