/**
 * The media slice: the installation media the app can read, the chosen medium's layers judged
 * against a cumulative update, and its update plan. Choosing a medium reads it, takes the newest cumulative
 * update the knowledge has for its branch as the target, and plans to it; another KB plans again.
 * A vanilla zustand store; the API is injected so tests pass the real handlers in-process.
 */
import { createStore } from 'zustand/vanilla'
import { useStore } from 'zustand'
import type { DeskApi } from '../../../preload/contract.ts'
import type {
  MediaList,
  MediaPlan,
  MediaRunStep,
  MediaUpdateOutput,
  MediumFiles,
  MediumScan,
} from '../../../preload/model/media-calls.ts'
import { getApi, unwrap } from '../bridge/api.ts'

export interface MediaState {
  list: MediaList['media'] | null
  listError: string | null
  medium: string | null
  /** A real folder the person chose in main's dialog (its handle; the label is for display only), instead of a training medium. */
  folder: { handle: string; label: string } | null
  /** The cumulative update to plan to (KB…), as typed. */
  kb: string
  scan: MediumScan | null
  files: MediumFiles | null
  plan: MediaPlan | null
  /** Reading the medium, or making its plan. */
  busy: 'reading' | 'planning' | null
  error: string | null
  /** The person's yes to changing the medium, and to cleaning a mount left behind first. */
  acknowledged: boolean
  cleanMount: boolean
  /** The running update's operation id, its steps (from its first event) and each finished step's outcome by number. */
  operationId: string | null
  runSteps: MediaRunStep[] | null
  outcomes: Record<number, string>
  current: number | null
  result: MediaUpdateOutput | null
  loadList(): Promise<void>
  choose(name: string): Promise<void>
  /** Opens main's folder dialog; the chosen folder is read (and planned) like a training medium, never updated here. */
  chooseFolder(): Promise<void>
  setKb(kb: string): void
  makePlan(): Promise<void>
  acknowledge(yes: boolean): void
  setCleanMount(yes: boolean): void
  /** Runs the update (after both yeses), then reads the medium again. */
  update(): Promise<void>
  /** A training medium back to its starting state, then read again. */
  reset(): Promise<void>
  /** Stops the running update after the step that runs now; Update again finishes it from its journal. */
  cancel(): Promise<void>
}

let counter = 0
const nextOp = () => `media-${Date.now().toString(36)}-${++counter}`
const runReset = {
  operationId: null,
  runSteps: null,
  outcomes: {},
  current: null,
  result: null,
  acknowledged: false,
  cleanMount: false,
}

const KB = /^KB\d{6,8}$/

export function createMediaStore(api: () => DeskApi) {
  return createStore<MediaState>()((set, get) => {
    /**
     * The update's events, listened to from the moment the screen opens (loadList), not from the click: over the
     * preview bridge the event stream opens with the first listener, and a run's first steps would pass before it.
     */
    let listening = false
    const listen = () => {
      if (listening) return
      listening = true
      api().on('mediaProgress', (p) => {
        if (p.operationId !== get().operationId) return
        const patch: Partial<MediaState> = { current: p.phase === 'started' ? p.number : get().current }
        if (p.steps) patch.runSteps = p.steps
        const before = Object.fromEntries((p.finishedBefore ?? []).map((f) => [f.number, f.outcome]))
        if (p.phase === 'finished' && p.outcome)
          patch.outcomes = { ...get().outcomes, ...before, [p.number]: p.outcome }
        else if (p.finishedBefore) patch.outcomes = { ...get().outcomes, ...before }
        set(patch)
      })
    }
    return {
      list: null,
      listError: null,
      medium: null,
      folder: null,
      kb: '',
      scan: null,
      files: null,
      plan: null,
      busy: null,
      error: null,
      ...runReset,

      async loadList() {
        listen()
        try {
          set({ list: (await unwrap(api().mediaList({}))).media, listError: null })
        } catch (err) {
          set({ listError: (err as Error).message })
        }
      },

      async choose(name) {
        if (get().operationId) return
        set({
          medium: name,
          folder: null,
          scan: null,
          files: null,
          plan: null,
          busy: 'reading',
          error: null,
          ...runReset,
        })
        try {
          const out = await unwrap(api().mediaScan({ medium: name }))
          if (get().medium !== name) return
          set({ scan: out.scan, files: out.files, kb: out.scan.targetKb ?? '', busy: null })
        } catch (err) {
          if (get().medium === name) set({ busy: null, error: (err as Error).message })
          return
        }
        if (get().kb) await get().makePlan()
      },

      async chooseFolder() {
        if (get().operationId) return
        let picked: { handle: string; label: string } | null
        try {
          picked = await unwrap(api().pickFolder({ purpose: 'media-read' }))
        } catch (err) {
          set({ error: (err as Error).message })
          return
        }
        if (!picked) return
        set({
          medium: null,
          folder: picked,
          scan: null,
          files: null,
          plan: null,
          busy: 'reading',
          error: null,
          ...runReset,
        })
        try {
          const out = await unwrap(api().mediaScan({ folder: picked.handle }))
          if (get().folder?.handle !== picked.handle) return
          set({ scan: out.scan, files: out.files, kb: out.scan.targetKb ?? '', busy: null })
        } catch (err) {
          if (get().folder?.handle === picked.handle) set({ busy: null, error: (err as Error).message })
          return
        }
        if (get().kb) await get().makePlan()
      },

      setKb(kb) {
        set({ kb: kb.trim().toUpperCase() })
      },

      async makePlan() {
        const { medium, folder, kb } = get()
        if ((!medium && !folder) || get().operationId) return
        if (!KB.test(kb)) {
          set({ error: `"${kb}" is not a KB number: KB followed by 6 to 8 digits, for example KB5086672.` })
          return
        }
        set({ busy: 'planning', error: null, plan: null, ...runReset })
        try {
          const out = await unwrap(api().mediaPlan(folder ? { folder: folder.handle, kb } : { medium: medium!, kb }))
          if (get().medium !== medium || get().folder?.handle !== folder?.handle || get().kb !== kb) return
          // The picture is judged against the planned update, so layers and plan name the same target.
          set({ scan: out.scan, files: out.files, plan: out.plan, busy: null })
        } catch (err) {
          if (get().medium === medium && get().folder?.handle === folder?.handle)
            set({ busy: null, error: (err as Error).message })
        }
      },

      acknowledge(yes) {
        set({ acknowledged: yes })
      },
      setCleanMount(yes) {
        set({ cleanMount: yes })
      },

      async update() {
        const { medium, plan, scan, acknowledged, cleanMount, operationId: running } = get()
        if (!medium || !plan || !scan || !acknowledged || running) return
        if (scan.staleMounts.length > 0 && !cleanMount) return
        listen()
        const operationId = nextOp()
        set({ operationId, runSteps: null, outcomes: {}, current: null, result: null, error: null })
        try {
          const result = await unwrap(
            api().mediaUpdate({ medium, kb: plan.targetKb, operationId, confirmed: true, cleanStaleMount: cleanMount }),
          )
          set({ result, current: null })
          // The picture shows the medium as it is now; the plan that ran stays shown with its progress.
          const again = await unwrap(api().mediaScan({ medium, kb: plan.targetKb }))
          if (get().medium === medium) set({ scan: again.scan, files: again.files })
          await get().loadList()
        } catch (err) {
          set({ error: (err as Error).message, current: null })
        } finally {
          set({ operationId: null, acknowledged: false })
        }
      },

      async cancel() {
        const op = get().operationId
        if (op) await api().mediaCancel({ operationId: op })
      },

      async reset() {
        const { medium, operationId } = get()
        if (!medium || operationId) return
        try {
          await unwrap(api().mediaReset({ medium }))
        } catch (err) {
          set({ error: (err as Error).message })
          return
        }
        await get().loadList()
        await get().choose(medium)
      },
    }
  })
}

export const mediaStore = createMediaStore(getApi)
export const useMedia = <T>(select: (s: MediaState) => T): T => useStore(mediaStore, select)
