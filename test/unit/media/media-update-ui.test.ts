/**
 * Updating a medium from the app: the `mediaUpdate` call and the store behind the Media
 * screen, against the real handlers in-process with their events. Nothing changes without the person's yes, a
 * mount left behind is cleaned only after its own yes, the progress per image ends with every step done, and
 * the medium read again is at its target.
 */
import { onlySetupNotJudged } from '../../../renderer/src/components/media-run.tsx'
import { describe, it, expect } from 'vitest'
import { callNames, type DeskApi } from '../../../preload/contract.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { createServices } from '../../../main/services.ts'
import { createMediaStore } from '../../../renderer/src/stores/media-store.ts'
import { groupSteps } from '../../../renderer/src/components/media-plan-groups.ts'
import { groupState } from '../../../renderer/src/components/media-run.tsx'
import { tempDirSync } from '../temp-dirs.ts'

function apiWithEvents(services = createServices({ dataDir: tempDirSync('sd-media-ui-'), platform: 'linux' })) {
  const handlers = createHandlers(services)
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const events: Array<{ name: string; payload: unknown }> = []
  const ctx = {
    emit: (name: string, payload: unknown) => {
      events.push({ name, payload })
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
  return { api: api as unknown as DeskApi, events }
}

/** A store with the medium chosen, planned to KB5086672 (the training Catalog has its files), and the yes ticked. */
async function plannedAndAcknowledged(api: DeskApi, medium: string) {
  const store = createMediaStore(() => api)
  await store.getState().choose(medium)
  store.getState().setKb('KB5086672')
  await store.getState().makePlan()
  store.getState().acknowledge(true)
  return store
}

describe('updating a medium from the app', () => {
  it('runs only after the yes; every image ends done; the medium read again is current, and verified; reset puts it back', async () => {
    const { api, events } = apiWithEvents()
    const store = createMediaStore(() => api)
    await store.getState().loadList()
    await store.getState().choose('usb-fat32-x64')
    store.getState().setKb('KB5086672')
    await store.getState().makePlan()
    await store.getState().update()
    expect(store.getState().result).toBeNull() // no yes: nothing ran
    expect(events.filter((e) => e.name === 'mediaProgress')).toHaveLength(0)
    store.getState().acknowledge(true)
    await store.getState().update()
    const s = store.getState()
    expect(s.error).toBeNull()
    expect(s.result?.status).toBe('completed')
    // Every image at its target; setup.exe not judged (no Setup Dynamic Update named): not verified as a whole.
    expect(s.result?.verified).toBe(false)
    expect(onlySetupNotJudged(s.result!)).toBe(true)
    expect(s.operationId).toBeNull()
    expect(s.acknowledged).toBe(false)
    // Every step of the run finished, and each image's bar is full.
    const steps = s.runSteps!
    expect(steps[0]).toEqual({ kind: 'copy-to-work' })
    expect(Object.keys(s.outcomes)).toHaveLength(steps.length)
    const groups = groupSteps(steps)
    expect(groups.map((g) => g.key)).toEqual([
      'copy',
      'winre',
      'boot-1',
      'boot-2',
      'install-1',
      'install-2',
      'split',
      'write-back',
    ])
    for (const g of groups) expect(groupState(g, s.outcomes, null)).toEqual({ state: 'done', done: g.steps.length })
    // The events are the contract's: numbered 1..n, the first carrying every step.
    const progress = events
      .filter((e) => e.name === 'mediaProgress')
      .map((e) => e.payload as { number: number; total: number; phase: string; steps?: unknown[] })
    expect(progress[0].steps).toHaveLength(steps.length)
    expect(progress.filter((p) => p.steps)).toHaveLength(1)
    expect(progress.filter((p) => p.phase === 'finished').map((p) => p.number)).toEqual(steps.map((_, i) => i + 1))
    // The picture is the medium read again: split, every image current.
    expect(s.scan?.layers.filter((l) => l.layer !== 'setup').every((l) => l.staleness === 'current')).toBe(true)
    expect(s.files?.swmParts?.every((b) => b < s.files!.maxFileBytes!)).toBe(true)
    expect(s.result?.layers.find((l) => l.layer === 'winre' && l.index === 2)).toMatchObject({
      before: '10.0.26100.1742',
      after: '10.0.26100.7618',
      atTarget: true,
    })
    expect(s.list?.find((m) => m.name === 'usb-fat32-x64')?.changed).toBe(true)
    await store.getState().reset()
    expect(store.getState().list?.find((m) => m.name === 'usb-fat32-x64')?.changed).toBe(false)
    expect(store.getState().scan?.layers.find((l) => l.layer === 'install')?.staleness).toBe('stale')
    expect(store.getState().files?.swmParts).toBeNull()
  })

  it('a mount left behind: without its own yes the call changes nothing; the store does not even ask', async () => {
    const { api } = apiWithEvents()
    const r = await api.mediaUpdate({
      medium: 'usb-stale-mount',
      kb: 'KB5086672',
      operationId: 'op-1',
      confirmed: true,
      cleanStaleMount: false,
    })
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.status).toBe('declined')
    expect(r.value.note).toContain('Nothing was changed')
    const scan = await api.mediaScan({ medium: 'usb-stale-mount' })
    expect(scan.ok && scan.value.scan.staleMounts).toEqual(['C:\\ServicingDesk\\work\\mount\\install-1'])
    const store = await plannedAndAcknowledged(api, 'usb-stale-mount')
    await store.getState().update()
    expect(store.getState().result).toBeNull()
    store.getState().setCleanMount(true)
    await store.getState().update()
    expect(store.getState().result?.status).toBe('completed')
    expect(store.getState().runSteps?.[0]).toEqual({ kind: 'cleanup-mountpoints' })
    expect(store.getState().scan?.staleMounts).toEqual([])
  })

  it('refuses a call without the yes, and an update of a medium it does not know, in words', async () => {
    const { api } = apiWithEvents()
    const noYes = await api.mediaUpdate({
      medium: 'usb-fat32-x64',
      kb: 'KB5086672',
      operationId: 'op-2',
      confirmed: false as never,
      cleanStaleMount: false,
    })
    expect(!noYes.ok && noYes.error.code).toBe('invalid-input')
    const unknown = await api.mediaUpdate({
      medium: 'no-such-stick',
      kb: 'KB5086672',
      operationId: 'op-3',
      confirmed: true,
      cleanStaleMount: false,
    })
    expect(!unknown.ok && unknown.error.code).toBe('not-found')
    const reset = await api.mediaReset({ medium: 'no-such-stick' })
    expect(!reset.ok && reset.error.code).toBe('not-found')
  })

  it('an update stopped half-way (the app killed) is continued by the next click: the screen says so, and every step ends done once', async () => {
    const services = createServices({ dataDir: tempDirSync('sd-media-ui-'), platform: 'linux' })
    const killed = new Error('killed')
    await expect(
      services.media.update('usb-fat32-x64', 'KB5086672', {
        confirm: async () => true,
        checkpointHook: (point) => {
          if (point.startsWith('command:') && point.includes('unmount-commit-boot-1')) throw killed
        },
      }),
    ).rejects.toBe(killed)
    const { api, events } = apiWithEvents(services)
    const store = await plannedAndAcknowledged(api, 'usb-fat32-x64')
    await store.getState().update()
    const s = store.getState()
    expect(s.result).toMatchObject({ status: 'completed', resumed: true, verified: false })
    expect(onlySetupNotJudged(s.result!)).toBe(true)
    expect(Object.keys(s.outcomes)).toHaveLength(s.runSteps!.length)
    // The steps finished before the kill are re-checked, not run again.
    const finished = events
      .filter((e) => e.name === 'mediaProgress')
      .map((e) => e.payload as { phase: string; outcome: string | null; title: string })
    expect(finished.filter((p) => p.phase === 'finished' && p.outcome === 'done').length).toBeLessThan(
      s.runSteps!.length,
    )
  })

  it('Stop ends the run between steps, said in the result; Update again continues it to verified without a finished step run twice', async () => {
    const { api, events } = apiWithEvents()
    const store = await plannedAndAcknowledged(api, 'usb-fat32-x64')
    // Stop is pressed while the fifth step runs.
    const off = api.on('mediaProgress', (p) => {
      if (p.phase === 'started' && p.number === 5) void store.getState().cancel()
    })
    await store.getState().update()
    off()
    expect(store.getState().result?.status).toBe('cancelled')
    expect(store.getState().result?.verified).toBe(false)
    expect(store.getState().result?.note).toContain('run the same command again')
    const firstRun = Object.keys(store.getState().outcomes).map(Number)
    expect(Math.max(...firstRun)).toBeLessThan(store.getState().runSteps!.length)
    expect(await api.mediaCancel({ operationId: 'not-running' })).toEqual({ ok: true, value: { cancelled: false } })
    events.length = 0
    store.getState().acknowledge(true)
    await store.getState().update()
    expect(store.getState().result).toMatchObject({ status: 'completed', resumed: true, verified: false })
    expect(onlySetupNotJudged(store.getState().result!)).toBe(true)
    expect(Object.keys(store.getState().outcomes)).toHaveLength(store.getState().runSteps!.length)
    const ranAgain = events
      .map((e) => e.payload as { phase: string; number: number })
      .filter((p) => p.phase === 'started' && firstRun.includes(p.number))
    expect(ranAgain).toEqual([])
  })
})
