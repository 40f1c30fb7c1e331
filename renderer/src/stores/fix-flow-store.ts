/**
 * The fix-package flow for a PC elsewhere: the collector saved, the package built from the opened
 * collector file (into a folder main's own dialog picks), rehearsed on a model of that PC, and the proof from the
 * rehearsal's after file or the one the PC sent back. Every call goes through the contract; the page names no path.
 * A vanilla zustand store; actions get the API injected, so tests pass a fake one.
 */
import { createStore } from 'zustand/vanilla'
import type { DeskApi, CallOutput } from '../../../preload/contract.ts'
import type { BuildFixPackageOutput, ProofResult, RehearseOutput } from '../../../preload/model/fix-flow.ts'
import { unwrap } from '../bridge/api.ts'
import { busyRunner } from './busy-run.ts'

export type FlowBusy = 'collector' | 'build' | 'rehearse' | 'compare'

export interface FixFlowState {
  /** The snapshot the package is for (an opened collector file); what follows is dropped when it changes. */
  snapshotId: string | null
  collector: CallOutput<'saveCollector'> | null
  pkg: BuildFixPackageOutput | null
  rehearsal: RehearseOutput | null
  proof: ProofResult | null
  /** Where the proof's after file came from. */
  proofFrom: 'rehearsal' | 'after-file' | null
  busy: FlowBusy | null
  progress: { label: string; fraction: number | null } | null
  error: string | null
  forSnapshot(id: string | null): void
  saveCollector(): Promise<CallOutput<'saveCollector'> | null>
  build(): Promise<void>
  rehearse(): Promise<void>
  /** The after file the PC sent back (a zip, as base64), compared with the opened one. */
  compareAfter(base64: string): Promise<void>
}

let ops = 0
const opId = (what: string) => `${what}-${Date.now()}-${++ops}`

export function createFixFlowStore(api: () => DeskApi) {
  return createStore<FixFlowState>()((set, get) => {
    const { run, withProgress } = busyRunner<FlowBusy>(api, get, set)
    return {
      snapshotId: null,
      collector: null,
      pkg: null,
      rehearsal: null,
      proof: null,
      proofFrom: null,
      busy: null,
      progress: null,
      error: null,
      forSnapshot(id) {
        if (id === get().snapshotId) return
        set({ snapshotId: id, pkg: null, rehearsal: null, proof: null, proofFrom: null, error: null })
      },
      async saveCollector() {
        let out: CallOutput<'saveCollector'> | null = null
        await run('collector', async () => {
          out = await unwrap(api().saveCollector({}))
          set({ collector: out })
        })
        return out
      },
      build: () =>
        run('build', async () => {
          const snapshot = get().snapshotId
          if (!snapshot) throw new Error('Open the file the collector wrote on that PC first.')
          const folder = await unwrap(api().pickFolder({ purpose: 'fix-package' }))
          if (!folder) return
          set({ pkg: null, rehearsal: null, proof: null, proofFrom: null })
          const operationId = opId('fix-package')
          const pkg = await withProgress(operationId, () =>
            unwrap(api().buildFixPackage({ snapshot, folder: folder.handle, operationId })),
          )
          if (get().snapshotId === snapshot) set({ pkg })
        }),
      rehearse: () =>
        run('rehearse', async () => {
          const pkg = get().pkg
          if (!pkg) throw new Error('Build the fix package first.')
          set({ rehearsal: null, proof: null, proofFrom: null })
          const operationId = opId('rehearse')
          const rehearsal = await withProgress(operationId, () =>
            unwrap(api().rehearseFixPackage({ package: pkg.id, operationId })),
          )
          if (get().pkg === pkg) set({ rehearsal, proof: rehearsal.proof, proofFrom: 'rehearsal' })
        }),
      compareAfter: (base64) =>
        run('compare', async () => {
          const before = get().snapshotId
          if (!before) throw new Error('Open the file the collector wrote before the fix first.')
          const { id } = await unwrap(api().importSnapshot({ content: base64, encoding: 'base64' }))
          const proof = await unwrap(api().compareSnapshots({ before, after: id }))
          if (get().snapshotId === before) set({ proof, proofFrom: 'after-file' })
        }),
    }
  })
}
