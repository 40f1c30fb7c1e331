/** The servicing-chain slice: the chain of each build asked for, cached (it is knowledge, not machine state). */
import { createStore } from 'zustand/vanilla'
import type { DeskApi } from '../../../preload/contract.ts'
import type { ServicingChain } from '../../../preload/model/servicing-chain.ts'
import { unwrap } from '../bridge/api.ts'

export interface ChainState {
  byBuild: Record<string, ServicingChain>
  error: string | null
  load(build: number | null): Promise<void>
}

export function createChainStore(api: () => DeskApi) {
  return createStore<ChainState>()((set, get) => ({
    byBuild: {},
    error: null,
    async load(build) {
      const key = String(build)
      if (get().byBuild[key]) return
      try {
        const chain = await unwrap(api().servicingChain({ build }))
        set((s) => ({ byBuild: { ...s.byBuild, [key]: chain }, error: null }))
      } catch (err) { set({ error: (err as Error).message }) }
    },
  }))
}
