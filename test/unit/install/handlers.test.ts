/** The contract calls plan/install/resume/cancel/installState through invokeCall with the real handlers. */
import { describe, it, expect } from 'vitest'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { calls } from '../../../preload/contract.ts'
import { freshServices, arm64 } from './helpers.ts'

describe('install calls', () => {
  it('plan → install (stops before the restart) → installState → resume with restart → verified, with events', async () => {
    const { services } = freshServices()
    const handlers = createHandlers(services)
    const events: Array<{
      name: string
      payload: { operationId: string; fraction?: number | null; entry?: { phase: string } }
    }> = []
    const ctx = {
      emit: (name: string, payload: unknown) => {
        events.push({ name, payload: payload as never })
      },
    }
    const plan = await invokeCall(
      handlers,
      'plan',
      { machine: arm64, kbs: ['KB5086672'], method: 'sequence' },
      ctx as never,
    )
    expect(plan.ok).toBe(true)
    if (!plan.ok) return
    expect(calls.plan.output.parse(plan.value).steps).toHaveLength(4)
    const first = await invokeCall(
      handlers,
      'install',
      { machine: arm64, planId: plan.value.id, operationId: 'op1' },
      ctx as never,
    )
    expect(first.ok && first.value.journal.status).toBe('awaiting-restart')
    const state = await invokeCall(handlers, 'installState', { machine: arm64 })
    expect(state.ok && state.value.unfinished).toBe(true)
    expect(state.ok && state.value.journal?.planId).toBe(plan.value.id)
    const r1 = await invokeCall(
      handlers,
      'resume',
      { machine: arm64, planId: plan.value.id, operationId: 'op2', restart: true },
      ctx as never,
    )
    expect(r1.ok && r1.value.journal.status).toBe('awaiting-restart') // the second restart is asked again
    const r2 = await invokeCall(
      handlers,
      'resume',
      { machine: arm64, planId: plan.value.id, operationId: 'op3', restart: true },
      ctx as never,
    )
    expect(r2.ok && r2.value.verified).toBe(true)
    expect(r2.ok && calls.install.output.parse(r2.value).journal.status).toBe('completed')
    const journalEvents = events.filter((e) => e.name === 'journal')
    expect(journalEvents.map((e) => e.payload.entry?.phase)).toContain('restarted')
    const bars = events
      .filter((e) => e.name === 'progress' && e.payload.operationId === 'op1/s1-add-KB5043080')
      .map((e) => e.payload.fraction)
    expect(bars.at(-1)).toBe(1)
    const after = await invokeCall(handlers, 'installState', { machine: arm64 })
    expect(after.ok && after.value.unfinished).toBe(false)
    expect(after.ok && after.value.journal?.verification?.verified).toBe(true)
  })

  it('answers bad requests with errors, never throws', async () => {
    const { services } = freshServices()
    const handlers = createHandlers(services)
    const missing = await invokeCall(handlers, 'install', { machine: arm64, planId: 'no-such-plan', operationId: 'x' })
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } })
    const bad = await invokeCall(handlers, 'plan', { machine: arm64, kbs: ['5086672'] })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(await invokeCall(handlers, 'cancel', { operationId: 'nothing-running' })).toEqual({
      ok: true,
      value: { cancelled: false },
    })
    const plan = await invokeCall(handlers, 'plan', { machine: arm64, kbs: ['KB5086672'] })
    if (!plan.ok) throw new Error('plan failed')
    const other = await invokeCall(handlers, 'install', {
      machine: { kind: 'training', name: 'x64-healthy' },
      planId: plan.value.id,
      operationId: 'y',
    })
    expect(other).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: `Plan ${plan.value.id} is for another machine.` },
    })
  })
})
