/** The Install wizard's store against the real handlers in-process, events included. */
import { describe, it, expect } from 'vitest'
import { callNames, type DeskApi } from '../../../preload/contract.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { createInstallStore } from '../../../renderer/src/stores/install-store.ts'
import { freshServices, arm64 } from './helpers.ts'

function apiWithEvents() {
  const handlers = createHandlers(freshServices().services)
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const ctx = {
    emit: (name: string, payload: unknown) => {
      for (const l of listeners.get(name) ?? []) l(payload)
    },
  }
  const api: Record<string, unknown> = {}
  for (const name of callNames) api[name] = (input: unknown) => invokeCall(handlers, name, input, ctx as never)
  api.on = (name: string, l: (p: unknown) => void) => {
    if (!listeners.has(name)) listeners.set(name, new Set())
    listeners.get(name)!.add(l)
    return () => listeners.get(name)!.delete(l)
  }
  return { api: api as unknown as DeskApi }
}

describe('install store', () => {
  it('plans, runs with a progress bar per step, stops at the restart, then a new store resumes from the journal', async () => {
    const { api } = apiWithEvents()
    const store = createInstallStore(() => api)
    await store.getState().open(arm64)
    expect(store.getState().resumed).toBe(false)
    store.getState().setMethod('sequence')
    await store.getState().makePlan()
    expect(store.getState().phase).toBe('planned')
    await store.getState().start()
    expect(store.getState().phase).toBe('planned') // not acknowledged: nothing ran
    store.getState().acknowledge(true)
    await store.getState().start()
    expect(store.getState().phase).toBe('restart')
    expect(store.getState().progress['s1-add-KB5043080']).toBe(1)
    expect(store.getState().results['s1-add-KB5043080'].kind).toBe('restart-required')

    // The window is opened again: a fresh store finds the unfinished journal.
    const again = createInstallStore(() => api)
    await again.getState().open(arm64)
    expect(again.getState().resumed).toBe(true)
    expect(again.getState().phase).toBe('restart')
    expect(again.getState().entries.map((e) => e.phase)).toEqual(['started', 'finished', 'restart-requested'])
    await again.getState().continueAfter(true)
    expect(again.getState().phase).toBe('restart')
    await again.getState().continueAfter(true)
    expect(again.getState().phase).toBe('done')
    expect(again.getState().journal?.verification?.verified).toBe(true)
  })

  it('shows a refused plan and a plan error plainly', async () => {
    const { api } = apiWithEvents()
    const store = createInstallStore(() => api)
    await store.getState().open(arm64)
    store.getState().setKb('KB5048685')
    await store.getState().makePlan()
    expect(store.getState().plan?.refused).toMatch(/23H2/)
    store.getState().acknowledge(true)
    await store.getState().start()
    expect(store.getState().phase).toBe('planned')
    store.getState().setKb('nonsense')
    await store.getState().makePlan()
    expect(store.getState().error).toMatch(/Invalid input for plan/)
  })
})
