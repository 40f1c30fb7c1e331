// @vitest-environment jsdom
/**
 * What the window does after a restart when main opened it on a resume route (main/app/resume-args.ts
 * resumeRoute), in jsdom against the real handlers in-process, with a training machine answering as "this PC":
 * - `#/install?resume=<plan id>`: the Install screen shows the unfinished run of that plan (what happened, the
 *   steps done and those that remain) and runs nothing until the person presses Continue; then it continues
 *   through `resume` to the verification; the parameter is dropped;
 * - `#/repair?repair=restore-health&resume=1`: the Fix-it screen shows the unfinished repair (steps done, steps
 *   left) and runs nothing until the person presses Continue (never confirmed by the app on its own);
 *   then it finishes through its run call (`repairRun`) to the proof;
 * - at start no machine is chosen: the route takes this PC (the back end has one);
 * - a resume route for a plan that is not the unfinished one does nothing.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, configure, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { callNames, type DeskApi } from '../../../preload/contract.ts'
import { createServices, type Services } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import type { Host } from '../../../main/host/host.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

// findBy*/waitFor default to 1 s, which a loaded machine (npm test at load ~8) can exceed while a training
// machine is scanned; they wait up to 20 s instead (a condition that never holds still fails).
configure({ asyncUtilTimeout: hangMs(120_000) })

const THIS_PC = { kind: 'this-pc' as const }
const calls: string[] = []

/** Services whose "this PC" is the named training machine; the renderer's API records each call's name. */
function setUp(machine: string): Services {
  const dataDir = tempDirSync('sd-resume-screen-')
  const store = createServices({ dataDir, platform: 'linux' }).trainingStore
  const thisPc = (): Host => {
    const host = new TrainingHost(machine, store)
    return new Proxy(host, {
      get: (t, p) => (p === 'info' ? () => ({ ...t.info(), kind: 'this-pc' }) : Reflect.get(t, p)),
    }) as Host
  }
  const services = createServices({ dataDir, platform: 'linux', thisPcHost: thisPc })
  handlers = createHandlers(services)
  calls.length = 0
  return services
}

// One API object for the whole file (the renderer's bridge keeps the first one it sees); it calls the handlers
// of the current test's services.
let handlers: ReturnType<typeof createHandlers>
const api: Record<string, unknown> = {}
for (const name of callNames)
  api[name] = (input: unknown) => {
    calls.push(name)
    return invokeCall(handlers, name, input)
  }
api.on = () => () => {}
window.servicingDesk = api as unknown as DeskApi
window.scrollTo = () => {}

const { InstallScreen } = await import('../../../renderer/src/screens/install-screen.tsx')
const { RepairScreen } = await import('../../../renderer/src/screens/repair-screen.tsx')
const { machineStore } = await import('../../../renderer/src/stores/index.ts')
const { installStore } = await import('../../../renderer/src/stores/install-store.ts')
const { repairStore } = await import('../../../renderer/src/stores/repair-store.ts')

afterEach(() => {
  cleanup()
  location.hash = ''
})

class Crash extends Error {}

describe('the window opened on a resume route', () => {
  it('#/install?resume=<plan id>: the run stopped at the restart is shown and waits for Continue, then continues through `resume` to its verification', async () => {
    const services = setUp('arm64-missing-checkpoint')
    const plan = await services.install.makePlan({ ref: THIS_PC, kbs: ['KB5043080'] })
    expect(plan.refused).toBeNull()
    // On "this PC" the run ends its part once the restart is issued (the RunOnce entry would start the app).
    const first = await services.install.install(plan, { confirmRestart: async () => true })
    expect(first.status).toBe('running')

    // At start nothing is chosen: the resume route takes this PC (the back end has one).
    location.hash = `#/install?resume=${plan.id}`
    machineStore.setState({ machine: null, list: null })
    installStore.setState({ machine: null })
    render(<InstallScreen />)
    // The screen opens on the run and waits: what happened is shown, the Continue button is there, nothing ran.
    await waitFor(() => expect(screen.getByTestId('install-continue')).toBeTruthy())
    expect(screen.getByTestId('install-resumed')).toBeTruthy()
    expect(screen.getByTestId('install-resume-waits')).toBeTruthy()
    expect(screen.queryByTestId('install-restart')).toBeNull()
    await new Promise((r) => setTimeout(r, 300))
    expect(calls).not.toContain('resume')
    expect(calls).not.toContain('install')
    expect(installStore.getState().resumed).toBe(true)
    expect(installStore.getState().journal?.status).not.toBe('completed')
    expect(screen.queryByTestId('install-verified')).toBeNull()

    // The person's click continues it.
    fireEvent.click(screen.getByTestId('install-continue'))
    await waitFor(() => expect(screen.getByTestId('install-verified').getAttribute('data-verified')).toBe('yes'), {
      timeout: hangMs(120_000),
    })
    expect(calls.filter((c) => c === 'resume')).toHaveLength(1)
    expect(calls).not.toContain('install')
    expect(location.hash).toBe('#/install')
    expect(installStore.getState().journal?.status).toBe('completed')
    expect(machineStore.getState().machine).toEqual(THIS_PC)
  })

  it('#/install?resume=<another plan id>: nothing runs', async () => {
    const services = setUp('arm64-missing-checkpoint')
    const plan = await services.install.makePlan({ ref: THIS_PC, kbs: ['KB5043080'] })
    await services.install.install(plan, { confirmRestart: async () => true })
    location.hash = '#/install?resume=not-this-plan'
    installStore.setState({ machine: null })
    machineStore.setState({ machine: THIS_PC })
    render(<InstallScreen />)
    await waitFor(() => expect(screen.getByTestId('install-resumed')).toBeTruthy())
    await new Promise((r) => setTimeout(r, 300))
    expect(calls).not.toContain('resume')
    expect(screen.getByTestId('install-continue')).toBeTruthy()
  })

  it('#/repair?repair=restore-health&resume=1: the unfinished repair is shown and waits for Continue, then finishes through `repairRun`', async () => {
    const services = setUp('x64-component-store-corrupt')
    let seen = 0
    await expect(
      services.repairs.run(THIS_PC, 'restore-health', {
        checkpointHook: () => {
          if (++seen === 5) throw new Crash('stopped')
        },
      }),
    ).rejects.toBeInstanceOf(Crash)

    location.hash = '#/repair?repair=restore-health&resume=1'
    repairStore.setState({ machine: null })
    machineStore.setState({ machine: null, list: null })
    render(<RepairScreen />)
    // Opened on that run: what was done and what remains, a Continue button, and nothing run by the app itself.
    await waitFor(() => expect(screen.getByTestId('repair-continue')).toBeTruthy())
    const unfinished = repairStore.getState().offers!.offers.find((o) => o.repairId === 'restore-health')!.unfinished!
    expect(unfinished.done).toBeGreaterThan(0)
    expect(unfinished.done).toBeLessThan(unfinished.total)
    expect(unfinished.results).toHaveLength(unfinished.done)
    expect(screen.getByTestId('repair-resume').textContent).toContain(
      `${unfinished.done} of ${unfinished.total} steps are done`,
    )
    expect(screen.getAllByText(/^done/).length).toBeGreaterThanOrEqual(unfinished.done)
    expect(screen.queryByTestId('repair-confirm')).toBeNull()
    await new Promise((r) => setTimeout(r, 300))
    expect(calls).not.toContain('repairRun')
    expect(screen.queryByTestId('repair-proof')).toBeNull()
    expect(location.hash).toBe('#/repair?repair=restore-health&resume=1')

    // The person's click finishes it.
    fireEvent.click(screen.getByTestId('repair-continue'))
    await waitFor(() => expect(screen.getByTestId('repair-proof').getAttribute('data-verified')).toBe('yes'), {
      timeout: hangMs(120_000),
    }).catch((err) => {
      throw new Error(
        `${(err as Error).message.slice(0, 200)}\ncalls: ${calls.join(', ')}\nstate: ${JSON.stringify({ ...repairStore.getState(), offers: repairStore.getState().offers?.offers.map((o) => [o.repairId, o.unfinished]) }).slice(0, 1500)}`,
      )
    })
    expect(calls.filter((c) => c === 'repairRun')).toHaveLength(1)
    expect(location.hash).toBe('#/repair?repair=restore-health')
  })
})
