/**
 * The recovery slice: the WinRE report (health + the repair) of the chosen machine, and running the
 * repair after the user confirmed. A vanilla zustand store; the API is injected so tests pass a fake one.
 */
import { createStore } from 'zustand/vanilla'
import { useStore } from 'zustand'
import type { DeskApi } from '../../../preload/contract.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import type { WinreReport, WinreRepairOutput } from '../../../preload/model/winre.ts'
import { getApi, unwrap } from '../bridge/api.ts'

export interface RecoveryState {
  machine: MachineRef | null
  report: WinreReport | null
  loading: boolean
  error: string | null
  /** The user ticked "I have read the commands". */
  acknowledged: boolean
  running: boolean
  currentStep: string | null
  run: WinreRepairOutput | null
  /** Giving up the interrupted repair is being done (the call, then the re-scan). */
  abandoning: boolean
  load(machine: MachineRef): Promise<void>
  acknowledge(yes: boolean): void
  confirmAndRun(): Promise<void>
  /** Gives up the interrupted repair shown (after the user confirmed), then looks at the machine again for a fresh plan. */
  abandonInterrupted(): Promise<void>
}

export function createRecoveryStore(api: () => DeskApi) {
  return createStore<RecoveryState>()((set, get) => ({
    machine: null,
    report: null,
    loading: false,
    error: null,
    acknowledged: false,
    running: false,
    currentStep: null,
    run: null,
    abandoning: false,
    async load(machine) {
      set({ machine, loading: true, error: null, report: null, run: null, acknowledged: false })
      try {
        const report = await unwrap(api().winre({ machine }))
        if (get().machine === machine) set({ report, loading: false })
      } catch (err) {
        if (get().machine === machine) set({ loading: false, error: (err as Error).message })
      }
    },
    acknowledge(yes) {
      set({ acknowledged: yes })
    },
    async confirmAndRun() {
      const { machine, report, acknowledged, running } = get()
      if (!machine || !report || !acknowledged || running || report.repair.steps.length === 0) return
      set({ running: true, error: null, currentStep: null })
      const off = api().on('progress', (p) => {
        if (p.operationId === `winre-${report.repair.id}`) set({ currentStep: p.label })
      })
      try {
        const run = await unwrap(api().winreRepair({ machine, repairId: report.repair.id, confirmed: true }))
        set({ run, report: run.report, running: false, acknowledged: false })
      } catch (err) {
        set({ running: false, error: (err as Error).message })
      } finally {
        off()
      }
    },
    async abandonInterrupted() {
      const { machine, report, running, abandoning } = get()
      if (!machine || !report?.interrupted || running || abandoning) return
      set({ abandoning: true, error: null })
      try {
        await unwrap(api().winreAbandon({ machine, repairId: report.interrupted.repairId, confirmed: true }))
      } catch (err) {
        if (get().machine === machine) set({ abandoning: false, error: (err as Error).message })
        return
      }
      set({ abandoning: false })
      if (get().machine === machine) await get().load(machine)
    },
  }))
}

export const recoveryStore = createRecoveryStore(getApi)
export const useRecovery = <T>(select: (s: RecoveryState) => T): T => useStore(recoveryStore, select)
