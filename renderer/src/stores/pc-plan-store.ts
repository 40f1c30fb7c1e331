/**
 * "Make this PC current" (one plan for the whole PC): the plan for the chosen machine, shown once for review;
 * its run after the person confirmed (progress per step from the `progress` events); the run's verification.
 */
import { createStore } from 'zustand/vanilla'
import { useStore } from 'zustand'
import type { DeskApi } from '../../../preload/contract.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import type { PcPlan, PcPlanRun } from '../../../preload/model/pc-plan.ts'
import { getApi, unwrap } from '../bridge/api.ts'

export interface PcPlanState {
  machine: MachineRef | null
  plan: PcPlan | null
  loading: boolean
  error: string | null
  running: boolean
  progress: string | null
  fraction: number
  run: PcPlanRun | null
  load(machine: MachineRef, force?: boolean): Promise<void>
  confirmAndRun(): Promise<void>
}

const same = (a: MachineRef | null, b: MachineRef | null) => JSON.stringify(a) === JSON.stringify(b)

export function createPcPlanStore(api: () => DeskApi) {
  return createStore<PcPlanState>()((set, get) => ({
    machine: null,
    plan: null,
    loading: false,
    error: null,
    running: false,
    progress: null,
    fraction: 0,
    run: null,
    async load(machine, force = false) {
      if (!force && same(get().machine, machine) && (get().plan || get().loading)) return
      set({ machine, loading: true, error: null, plan: null, run: force ? get().run : null })
      try {
        const plan = await unwrap(api().pcPlan({ machine }))
        if (same(get().machine, machine)) set({ plan, loading: false })
      } catch (err) {
        if (same(get().machine, machine)) set({ loading: false, error: (err as Error).message })
      }
    },
    async confirmAndRun() {
      const { machine, plan, running } = get()
      if (!machine || !plan || running || plan.readOnly) return
      set({ running: true, error: null, progress: null, fraction: 0, run: null })
      const off = api().on('progress', (p) => {
        if (p.operationId === 'pc-plan') set({ progress: p.label, fraction: p.fraction ?? get().fraction })
      })
      try {
        const run = await unwrap(api().pcPlanRun({ machine, stepIds: plan.steps.map((s) => s.id), confirmed: true }))
        set({ run, running: false, fraction: 1, plan: run.after ?? plan })
      } catch (err) {
        set({ running: false, error: (err as Error).message })
      } finally {
        off()
      }
    },
  }))
}

export const pcPlanStore = createPcPlanStore(getApi)
export const usePcPlan = <T>(select: (s: PcPlanState) => T): T => useStore(pcPlanStore, select)
