/**
 * The machine slice: which machines exist, which one is shown, its latest snapshot, and the diagnosis'
 * findings for it (the machine alone, no code or pasted text): the health tiles read their verdict from
 * both, through the same model as the report and the CLI (preload/model/health.ts).
 * A vanilla zustand store; actions get the API injected, so tests pass a fake one.
 */
import { createStore } from 'zustand/vanilla'
import type { DeskApi } from '../../../preload/contract.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import type { MachineList } from '../../../preload/model/training.ts'
import type { Finding } from '../../../preload/model/diagnosis.ts'
import { unwrap } from '../bridge/api.ts'

export interface MachineState {
  list: MachineList | null
  listError: string | null
  machine: MachineRef | null
  snapshot: MachineSnapshot | null
  /** The machine's diagnosis findings (null until computed, or when it could not be). */
  findings: Finding[] | null
  /** The machine's diagnosis (with its notes), as `diagnose` returns it: What's wrong shows it without a press. */
  verdict: { findings: Finding[]; notes: string[] } | null
  /** True when the diagnosis could not run (the tiles then show the snapshot's own checks). */
  findingsFailed: boolean
  scanning: boolean
  scanFraction: number | null
  scanError: string | null
  loadList(): Promise<void>
  choose(machine: MachineRef): Promise<void>
  rescan(): Promise<void>
  loadFindings(machine: MachineRef): Promise<void>
  importSnapshot(content: string, encoding?: 'text' | 'base64'): Promise<void>
  /** A training machine made from a collector file (base64 of its zip), then chosen: to rehearse a fix package. */
  importTrainingMachine(content: string): Promise<void>
  /** A training machine back to its starting state (after the user confirmed); the shown machine is read again. */
  resetTraining(name: string): Promise<{ archived: boolean }>
}

export function createMachineStore(api: () => DeskApi) {
  return createStore<MachineState>()((set, get) => ({
    list: null,
    listError: null,
    machine: null,
    snapshot: null,
    findings: null,
    verdict: null,
    findingsFailed: false,
    scanning: false,
    scanFraction: null,
    scanError: null,
    async loadList() {
      try {
        set({ list: await unwrap(api().listTrainingMachines({})), listError: null })
      } catch (err) {
        set({ listError: (err as Error).message })
      }
    },
    async choose(machine) {
      set({
        machine,
        snapshot: null,
        findings: null,
        verdict: null,
        findingsFailed: false,
        scanning: true,
        scanFraction: 0,
        scanError: null,
      })
      const off = api().on('progress', (p) => {
        if (p.operationId.startsWith('scan-')) set({ scanFraction: p.fraction })
      })
      try {
        const snapshot = await unwrap(api().scan({ machine }))
        if (get().machine === machine) set({ snapshot, scanning: false, scanFraction: 1 })
      } catch (err) {
        if (get().machine === machine) set({ scanning: false, scanError: (err as Error).message })
        return
      } finally {
        off()
      }
      await get().loadFindings(machine)
    },
    async loadFindings(machine) {
      try {
        const d = await unwrap(api().diagnose({ machine }))
        if (get().machine === machine)
          set({ findings: d.findings, verdict: { findings: d.findings, notes: d.notes }, findingsFailed: false })
      } catch {
        // The tiles then show what the snapshot alone says; the diagnosis screen reports its own error.
        if (get().machine === machine) set({ findingsFailed: true })
      }
    },
    async rescan() {
      const m = get().machine
      if (m) await get().choose(m)
    },
    async importTrainingMachine(content) {
      try {
        const { name } = await unwrap(api().importTrainingMachine({ content }))
        await get().loadList()
        await get().choose({ kind: 'training', name })
      } catch (err) {
        set({ scanError: (err as Error).message })
      }
    },
    async resetTraining(name) {
      const r = await unwrap(api().resetTrainingMachine({ name }))
      const shown = get().machine
      if (shown?.kind === 'training' && shown.name === name) await get().choose(shown)
      return { archived: r.archived }
    },
    async importSnapshot(content, encoding) {
      try {
        const { id, snapshot } = await unwrap(api().importSnapshot(encoding ? { content, encoding } : { content }))
        const machine: MachineRef = { kind: 'snapshot', id }
        set({
          machine,
          snapshot,
          findings: null,
          verdict: null,
          findingsFailed: false,
          scanError: null,
          scanning: false,
        })
        await get().loadFindings(machine)
      } catch (err) {
        set({ scanError: (err as Error).message })
      }
    },
  }))
}
