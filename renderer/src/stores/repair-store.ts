/**
 * The repair slice (the Fix-it flow for main/repair's repairs): the offer for the chosen machine, running
 * it after the user ticked and confirmed (progress per step from the `progress` events), the run with its
 * verification (the proof), and a snapshot's repair saved as a PowerShell script instead of run.
 */
import { createStore } from 'zustand/vanilla'
import { useStore } from 'zustand'
import type { DeskApi } from '../../../preload/contract.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import type { RepairId } from '../../../preload/model/diagnosis.ts'
import type { RepairOffers, RepairRun, RepairScriptOutput } from '../../../preload/model/repair.ts'
import { getApi, unwrap } from '../bridge/api.ts'

export interface StepProgress {
  phase: 'started' | 'finished'
  fraction: number
}

export interface RepairState {
  machine: MachineRef | null
  repairId: RepairId | null
  offers: RepairOffers | null
  loading: boolean
  error: string | null
  acknowledged: boolean
  running: boolean
  /** Per step id: started or finished (from the progress events). */
  steps: Record<string, StepProgress>
  fraction: number
  run: RepairRun | null
  script: RepairScriptOutput | null
  /** Loads what is offered for the machine; `repairId` null lists them all. */
  load(machine: MachineRef, repairId: RepairId | null): Promise<void>
  acknowledge(yes: boolean): void
  confirmAndRun(): Promise<void>
  saveScript(): Promise<void>
}

export function createRepairStore(api: () => DeskApi) {
  return createStore<RepairState>()((set, get) => ({
    machine: null,
    repairId: null,
    offers: null,
    loading: false,
    error: null,
    acknowledged: false,
    running: false,
    steps: {},
    fraction: 0,
    run: null,
    script: null,
    async load(machine, repairId) {
      set({
        machine,
        repairId,
        loading: true,
        error: null,
        offers: null,
        run: null,
        script: null,
        acknowledged: false,
        steps: {},
        fraction: 0,
      })
      try {
        const offers = await unwrap(api().repairOffers({ machine }))
        if (get().machine === machine && get().repairId === repairId) set({ offers, loading: false })
      } catch (err) {
        if (get().machine === machine) set({ loading: false, error: (err as Error).message })
      }
    },
    acknowledge(yes) {
      set({ acknowledged: yes })
    },
    async confirmAndRun() {
      const { machine, repairId, acknowledged, running, offers } = get()
      if (!machine || !repairId || !acknowledged || running || !offers || offers.readOnly) return
      set({ running: true, error: null, steps: {}, fraction: 0 })
      const off = api().on('progress', (p) => {
        if (p.operationId !== `repair-${repairId}`) return
        const [phase, stepId] = p.label.split(':') as ['started' | 'finished', string]
        set((s) => ({
          steps: { ...s.steps, [stepId]: { phase, fraction: p.fraction ?? 0 } },
          fraction: p.fraction ?? s.fraction,
        }))
      })
      try {
        const run = await unwrap(api().repairRun({ machine, repairId, confirmed: true }))
        set({ run, running: false, acknowledged: false, fraction: 1 })
      } catch (err) {
        set({ running: false, error: (err as Error).message })
      } finally {
        off()
      }
    },
    async saveScript() {
      const { machine, repairId } = get()
      if (!machine || !repairId) return
      try {
        set({ script: await unwrap(api().repairScript({ machine, repairId })), error: null })
      } catch (err) {
        set({ error: (err as Error).message })
      }
    },
  }))
}

export const repairStore = createRepairStore(getApi)
export const useRepair = <T>(select: (s: RepairState) => T): T => useStore(repairStore, select)
