/**
 * The install slice: the plan for the chosen machine, running it step by step with a progress bar per
 * step, the restart question, and a resumed session (the journal of an installation left unfinished).
 * A vanilla zustand store; the API is injected so tests pass a fake one.
 */
import { createStore } from 'zustand/vanilla'
import { useStore } from 'zustand'
import type { DeskApi } from '../../../preload/contract.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import type { Journal, JournalEntry, Plan, PlanMethod, StepResult } from '../../../preload/model/plan.ts'
import { getApi, unwrap } from '../bridge/api.ts'

export type InstallPhase = 'idle' | 'planning' | 'planned' | 'running' | 'restart' | 'done' | 'failed' | 'cancelled'

export interface InstallState {
  machine: MachineRef | null
  kb: string
  method: PlanMethod
  plan: Plan | null
  journal: Journal | null
  /** True when the journal was found unfinished when the screen opened (a resumed session). */
  resumed: boolean
  phase: InstallPhase
  acknowledged: boolean
  /** Progress (0..1) and result per step id, from the events. */
  progress: Record<string, number>
  results: Record<string, StepResult>
  entries: JournalEntry[]
  operationId: string | null
  error: string | null
  open(machine: MachineRef): Promise<void>
  setKb(kb: string): void
  setMethod(m: PlanMethod): void
  makePlan(): Promise<void>
  acknowledge(yes: boolean): void
  start(): Promise<void>
  continueAfter(restart: boolean): Promise<void>
  cancel(): Promise<void>
}

let counter = 0
const nextOp = () => `install-${Date.now().toString(36)}-${++counter}`

function phaseOf(j: Journal): InstallPhase {
  switch (j.status) {
    case 'awaiting-restart':
      return 'restart'
    case 'completed':
      return 'done'
    case 'failed':
      return 'failed'
    case 'cancelled':
      return 'cancelled'
    case 'running':
    case 'pending':
      return 'planned'
  }
}

export function createInstallStore(api: () => DeskApi) {
  return createStore<InstallState>()((set, get) => {
    async function run(call: (operationId: string) => Promise<{ journal: Journal }>) {
      const operationId = nextOp()
      set({ phase: 'running', error: null, operationId })
      const offP = api().on('progress', (p) => {
        if (!p.operationId.startsWith(`${operationId}/`) || p.fraction === null) return
        const stepId = p.operationId.slice(operationId.length + 1)
        set({ progress: { ...get().progress, [stepId]: p.fraction } })
      })
      const offJ = api().on('journal', (e) => {
        if (e.operationId !== operationId) return
        const entry = e.entry as unknown as JournalEntry
        const patch: Partial<InstallState> = { entries: [...get().entries, entry] }
        if (entry.phase === 'finished') patch.results = { ...get().results, [entry.stepId]: entry.result }
        set(patch)
      })
      try {
        const out = await call(operationId)
        set({
          journal: out.journal,
          results: out.journal.results,
          entries: out.journal.entries,
          phase: phaseOf(out.journal),
          operationId: null,
        })
      } catch (err) {
        set({ phase: 'planned', error: (err as Error).message, operationId: null })
      } finally {
        offP()
        offJ()
      }
    }

    return {
      machine: null,
      kb: 'KB5086672',
      method: 'folder',
      plan: null,
      journal: null,
      resumed: false,
      phase: 'idle',
      acknowledged: false,
      progress: {},
      results: {},
      entries: [],
      operationId: null,
      error: null,

      async open(machine) {
        set({
          machine,
          plan: null,
          journal: null,
          resumed: false,
          phase: 'idle',
          acknowledged: false,
          progress: {},
          results: {},
          entries: [],
          error: null,
        })
        try {
          const st = await unwrap(api().installState({ machine }))
          if (get().machine !== machine || !st.journal || !st.unfinished) return
          const j = st.journal
          const done = Object.fromEntries(
            Object.entries(j.results)
              .filter(([, r]) => r.kind !== 'failed' && r.kind !== 'cancelled' && r.kind !== 'skipped')
              .map(([id]) => [id, 1]),
          )
          set({
            plan: j.plan,
            journal: j,
            resumed: true,
            kb: j.plan.targets[0],
            method: j.plan.method,
            results: j.results,
            entries: j.entries,
            progress: done,
            phase: phaseOf(j),
          })
        } catch (err) {
          set({ error: (err as Error).message })
        }
      },
      setKb(kb) {
        set({ kb: kb.trim().toUpperCase() })
      },
      setMethod(method) {
        set({ method })
      },
      async makePlan() {
        const { machine, kb, method } = get()
        if (!machine) return
        set({
          phase: 'planning',
          error: null,
          plan: null,
          journal: null,
          resumed: false,
          acknowledged: false,
          progress: {},
          results: {},
          entries: [],
        })
        try {
          const plan = await unwrap(api().plan({ machine, kbs: [kb], method }))
          set({ plan, phase: 'planned' })
        } catch (err) {
          set({ phase: 'idle', error: (err as Error).message })
        }
      },
      acknowledge(yes) {
        set({ acknowledged: yes })
      },
      async start() {
        const { machine, plan, acknowledged, phase } = get()
        if (!machine || !plan || plan.refused || !acknowledged || phase !== 'planned') return
        await run((operationId) => unwrap(api().install({ machine, planId: plan.id, operationId })))
      },
      async continueAfter(restart) {
        const { machine, plan } = get()
        if (!machine || !plan) return
        await run((operationId) => unwrap(api().resume({ machine, planId: plan.id, operationId, restart })))
      },
      async cancel() {
        const op = get().operationId
        if (op) await api().cancel({ operationId: op })
      },
    }
  })
}

export const installStore = createInstallStore(getApi)
export const useInstall = <T>(select: (s: InstallState) => T): T => useStore(installStore, select)
