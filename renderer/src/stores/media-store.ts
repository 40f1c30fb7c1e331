/**
 * The media slice (issue 31): the installation media the app can read, the chosen medium's layers judged
 * against a cumulative update, and its update plan. Choosing a medium reads it, takes the newest cumulative
 * update the knowledge has for its branch as the target, and plans to it; another KB plans again.
 * A vanilla zustand store; the API is injected so tests pass the real handlers in-process.
 */
import { createStore } from 'zustand/vanilla'
import { useStore } from 'zustand'
import type { DeskApi } from '../../../preload/contract.ts'
import type { MediaList, MediaPlan, MediumFiles, MediumScan } from '../../../preload/model/media-calls.ts'
import { getApi, unwrap } from '../bridge/api.ts'

export interface MediaState {
  list: MediaList['media'] | null
  listError: string | null
  medium: string | null
  /** The cumulative update to plan to (KB…), as typed. */
  kb: string
  scan: MediumScan | null
  files: MediumFiles | null
  plan: MediaPlan | null
  /** Reading the medium, or making its plan. */
  busy: 'reading' | 'planning' | null
  error: string | null
  loadList(): Promise<void>
  choose(name: string): Promise<void>
  setKb(kb: string): void
  makePlan(): Promise<void>
}

const KB = /^KB\d{6,8}$/

export function createMediaStore(api: () => DeskApi) {
  return createStore<MediaState>()((set, get) => ({
    list: null, listError: null, medium: null, kb: '', scan: null, files: null, plan: null, busy: null, error: null,

    async loadList() {
      try { set({ list: (await unwrap(api().mediaList({}))).media, listError: null }) } catch (err) { set({ listError: (err as Error).message }) }
    },

    async choose(name) {
      set({ medium: name, scan: null, files: null, plan: null, busy: 'reading', error: null })
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

    setKb(kb) { set({ kb: kb.trim().toUpperCase() }) },

    async makePlan() {
      const { medium, kb } = get()
      if (!medium) return
      if (!KB.test(kb)) { set({ error: `"${kb}" is not a KB number: KB followed by 6 to 8 digits, for example KB5086672.` }); return }
      set({ busy: 'planning', error: null, plan: null })
      try {
        const out = await unwrap(api().mediaPlan({ medium, kb }))
        if (get().medium !== medium || get().kb !== kb) return
        // The picture is judged against the planned update, so layers and plan name the same target.
        set({ scan: out.scan, files: out.files, plan: out.plan, busy: null })
      } catch (err) {
        if (get().medium === medium) set({ busy: null, error: (err as Error).message })
      }
    },
  }))
}

export const mediaStore = createMediaStore(getApi)
export const useMedia = <T,>(select: (s: MediaState) => T): T => useStore(mediaStore, select)
