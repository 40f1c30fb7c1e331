/**
 * "Start over" in the app: the resetTrainingMachine call (zod-validated name) puts a training machine back to its
 * profile and archives its runs, so the report made after it shows nothing from before — through the same
 * handlers the Electron window and the preview serve. In process.
 */
import { describe, expect, it } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { ReportSchema } from '../../../preload/model/report.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const machine: MachineRef = { kind: 'training', name: 'arm64-missing-checkpoint' }

describe('resetTrainingMachine', () => {
  it('refuses a name that is not a machine name, and an unknown machine, with a plain error', async () => {
    const handlers = createHandlers(createServices({ dataDir: tempDirSync('sd-reset-'), platform: 'linux' }))
    const bad = ['../etc', 'A B', '', 'x'.repeat(65), '-lead']
    for (const name of bad) {
      const r = await invokeCall(handlers, 'resetTrainingMachine', { name })
      expect(r.ok ? 'ok' : r.error.code, name).toBe('invalid-input')
    }
    expect(bad).toHaveLength(5)
    const extra = await invokeCall(handlers, 'resetTrainingMachine', { name: 'x64-healthy', path: '/tmp' })
    expect(extra.ok ? 'ok' : extra.error.code).toBe('invalid-input')
    const unknown = await invokeCall(handlers, 'resetTrainingMachine', { name: 'no-such-machine' })
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('not-found')
  })

  it('puts the machine back at its starting build and the report after it lists nothing done before', {
    timeout: hangMs(600_000),
  }, async () => {
    const services = createServices({ dataDir: tempDirSync('sd-reset-'), platform: 'linux' })
    const handlers = createHandlers(services)
    const plan = await services.install.makePlan({ ref: machine, kbs: ['KB5086672'] })
    expect((await services.install.install(plan, {})).verification?.verified).toBe(true)
    const r = await invokeCall(handlers, 'resetTrainingMachine', { name: 'arm64-missing-checkpoint' })
    expect(r).toEqual({ ok: true, value: { name: 'arm64-missing-checkpoint', archived: true } })
    const rep = await invokeCall(handlers, 'exportReport', { machine, format: 'json' })
    if (!rep.ok) throw new Error(JSON.stringify(rep))
    const report = ReportSchema.parse(JSON.parse(rep.value.content))
    expect(report.snapshot.os.status === 'known' && report.snapshot.os.value.ubr).toBe(1150)
    expect(report.actions).toEqual([])
    // A second reset has nothing left to archive.
    expect(await invokeCall(handlers, 'resetTrainingMachine', { name: 'arm64-missing-checkpoint' })).toEqual({
      ok: true,
      value: { name: 'arm64-missing-checkpoint', archived: false },
    })
  })
})
