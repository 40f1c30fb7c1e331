// @vitest-environment jsdom
/**
 * After a run the app looks again by itself, against the real handlers in-process: the machine
 * slice is scanned and diagnosed afresh, a shown diagnosis is made again, a WinRE report and a Fix-it offer list
 * loaded before are loaded again, a report made before is dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { realApi } from './real-api.ts'
import type { DeskApi } from '../../../preload/contract.ts'

let api: DeskApi
let previousApi: DeskApi | undefined
// Unit files share their worker's modules (vitest isolate: false): the app's store singletons go back to how
// this file found them, so another file never sees this machine chosen.
const restore: Array<() => void> = []
beforeAll(async () => {
  previousApi = window.servicingDesk
  api = realApi().api
  window.servicingDesk = api
  const stores = [
    (await import('../../../renderer/src/stores/index.ts')).machineStore,
    (await import('../../../renderer/src/stores/index.ts')).diagnosisStore,
    (await import('../../../renderer/src/stores/index.ts')).reportStore,
    (await import('../../../renderer/src/stores/recovery-store.ts')).recoveryStore,
    (await import('../../../renderer/src/stores/repair-store.ts')).repairStore,
  ] as Array<{ getState(): object; setState(s: object, replace: true): void }>
  for (const st of stores) {
    const was = st.getState()
    restore.push(() => st.setState(was, true))
  }
})
afterAll(() => {
  for (const r of restore) r()
  window.servicingDesk = previousApi
})

describe('lookAgain', () => {
  it('refreshes every slice that shows the machine after a restart run changed it', async () => {
    const { machineStore, diagnosisStore, reportStore } = await import('../../../renderer/src/stores/index.ts')
    const { recoveryStore } = await import('../../../renderer/src/stores/recovery-store.ts')
    const { repairStore } = await import('../../../renderer/src/stores/repair-store.ts')
    const { lookAgain } = await import('../../../renderer/src/stores/look-again.ts')
    const machine = { kind: 'training', name: 'x64-pending-restart' } as const
    await machineStore.getState().choose(machine)
    await diagnosisStore.getState().run(machine)
    await recoveryStore.getState().load(machine)
    await repairStore.getState().load(machine, null)
    await reportStore.getState().make(machine, 'json')
    const before = {
      os: machineStore.getState().snapshot!.os,
      diag: diagnosisStore.getState().result,
      winre: recoveryStore.getState().report,
      offers: repairStore.getState().offers,
    }
    expect(before.offers?.offers.map((o) => o.repairId)).toContain('restart')
    expect(reportStore.getState().latest).not.toBeNull()

    // The run happens elsewhere (the Fix-it screen's call); then the app looks again.
    const run = await api.repairRun({ machine, repairId: 'restart', confirmed: true })
    expect(run.ok).toBe(true)
    await lookAgain(machineStore.getState().machine!)

    const os = machineStore.getState().snapshot!.os
    expect(os.status === 'known' && os.value.ubr).toBe(8655)
    expect(machineStore.getState().findings).not.toBeNull()
    expect(diagnosisStore.getState().result).not.toBe(before.diag)
    expect(recoveryStore.getState().report).not.toBe(before.winre)
    expect(repairStore.getState().offers).not.toBe(before.offers)
    expect(repairStore.getState().offers?.offers.map((o) => o.repairId)).not.toContain('restart')
    expect(reportStore.getState().latest).toBeNull()
  })
})
