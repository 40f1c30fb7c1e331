/** The servicing-chain slice: the chain of each build asked for, cached (it is knowledge, not machine state). */
import { createStore } from 'zustand/vanilla'
import type { DeskApi } from '../../../preload/contract.ts'
import {
  servicingChainKey,
  type ServicingChain,
  type ServicingChainInput,
} from '../../../preload/model/servicing-chain.ts'
import { unwrap } from '../bridge/api.ts'

export interface ChainState {
  /** Keyed by `servicingChainKey` (the build and the PC's edition/product/UBR line). */
  byBuild: Record<string, ServicingChain>
  error: string | null
  load(input: ServicingChainInput): Promise<void>
}

/** The chain request for a PC's OS facts (null when unknown): its build, UBR, edition and product name. */
export function chainInputOf(
  os:
    | { build: number | null; ubr: number | null; edition: string | null; productName: string | null }
    | null
    | undefined,
): ServicingChainInput {
  return {
    build: os?.build ?? null,
    ubr: os?.ubr ?? null,
    edition: os?.edition ?? null,
    productName: os?.productName ?? null,
  }
}

/** The cached chain for a PC's OS facts, if loaded. */
export function chainFor(
  s: Pick<ChainState, 'byBuild'>,
  os: Parameters<typeof chainInputOf>[0],
): ServicingChain | undefined {
  return s.byBuild[servicingChainKey(chainInputOf(os))]
}

export function createChainStore(api: () => DeskApi) {
  return createStore<ChainState>()((set, get) => ({
    byBuild: {},
    error: null,
    async load(input) {
      const key = servicingChainKey(input)
      if (get().byBuild[key]) return
      try {
        const chain = await unwrap(api().servicingChain(input))
        set((s) => ({ byBuild: { ...s.byBuild, [key]: chain }, error: null }))
      } catch (err) {
        set({ error: (err as Error).message })
      }
    },
  }))
}
