/**
 * The updates slice: Catalog search, the update chain (checkpoint → target) for the PC's native
 * architecture, per-file download progress, and kit export. A vanilla zustand store; the API is
 * injected so tests pass their own.
 */
import { createStore } from 'zustand/vanilla'
import { useStore } from 'zustand'
import type { DeskApi } from '../../../preload/contract.ts'
import type { MachineArch, MachineRef } from '../../../preload/model/common.ts'
import type {
  CatalogSearchResult,
  DownloadProgress,
  UpdateChain,
  VerifiedFile,
} from '../../../preload/model/catalog.ts'
import type { KitManifest } from '../../../preload/model/kit.ts'
import { getApi, unwrap } from '../bridge/api.ts'

export interface UpdatesState {
  machine: MachineRef | null
  arch: MachineArch
  query: string
  result: CatalogSearchResult | null
  chain: UpdateChain | null
  progress: Record<string, DownloadProgress>
  verified: VerifiedFile[] | null
  /** The kit folder the person chose in main's dialog (a handle; the renderer never names a path). */
  outFolder: { handle: string; label: string } | null
  kit: { dir: string; manifest: KitManifest } | null
  busy: null | 'search' | 'chain' | 'download' | 'kit'
  error: string | null
  setMachine(machine: MachineRef | null, arch: MachineArch | null): void
  setQuery(q: string): void
  setArch(a: MachineArch): void
  chooseOutFolder(): Promise<void>
  search(): Promise<void>
  showChain(kb: string): Promise<void>
  download(): Promise<void>
  exportKit(): Promise<void>
}

let seq = 0
const opId = (kind: string) => `${kind}-${Date.now().toString(36)}-${(seq++).toString(36)}`

export function createUpdatesStore(api: () => DeskApi) {
  return createStore<UpdatesState>()((set, get) => {
    const run = async (busy: UpdatesState['busy'], fn: () => Promise<void>) => {
      if (get().busy) return
      set({ busy, error: null })
      try {
        await fn()
      } catch (err) {
        set({ error: (err as Error).message })
      } finally {
        set({ busy: null })
      }
    }
    const trainingOrUndefined = () => get().machine ?? undefined
    const withProgress = async <T>(operationId: string, fn: () => Promise<T>): Promise<T> => {
      const off = api().on('downloadProgress', (p) => {
        if (p.operationId === operationId) set({ progress: { ...get().progress, [p.fileName]: p } })
      })
      try {
        return await fn()
      } finally {
        off()
      }
    }
    return {
      machine: null,
      arch: 'x64',
      query: '',
      result: null,
      chain: null,
      progress: {},
      verified: null,
      outFolder: null,
      kit: null,
      busy: null,
      error: null,
      setMachine(machine, arch) {
        if (JSON.stringify(machine) === JSON.stringify(get().machine)) return
        set({
          machine,
          arch: arch ?? get().arch,
          result: null,
          chain: null,
          progress: {},
          verified: null,
          kit: null,
          error: null,
        })
      },
      setQuery(query) {
        set({ query })
      },
      setArch(arch) {
        set({ arch, chain: null, progress: {}, verified: null, kit: null })
      },
      chooseOutFolder: async () => {
        try {
          const picked = await unwrap(api().pickFolder({ purpose: 'kit-export' }))
          if (picked) set({ outFolder: picked, error: null })
        } catch (err) {
          set({ error: (err as Error).message })
        }
      },
      search: () =>
        run('search', async () => {
          const q = get().query.trim()
          if (!q) throw new Error('Type a KB number or words from the title.')
          const result = await unwrap(
            api().catalogSearch({ query: q, arch: get().arch, machine: trainingOrUndefined() }),
          )
          set({ result })
        }),
      showChain: (kb) =>
        run('chain', async () => {
          set({ chain: null, progress: {}, verified: null, kit: null })
          const chain = await unwrap(api().catalogChain({ kb, arch: get().arch, machine: trainingOrUndefined() }))
          set({ chain })
        }),
      download: () =>
        run('download', async () => {
          const chain = get().chain
          if (!chain) return
          const operationId = opId('download')
          const out = await withProgress(operationId, () =>
            unwrap(
              api().download({ kb: chain.targetKb, arch: chain.arch, operationId, machine: trainingOrUndefined() }),
            ),
          )
          set({ verified: out.files, chain: out.chain })
        }),
      exportKit: () =>
        run('kit', async () => {
          const { chain, outFolder } = get()
          if (!chain) return
          if (!outFolder) throw new Error('Choose the folder for the kit (an empty folder, e.g. on a USB stick).')
          const operationId = opId('kit')
          const kit = await withProgress(operationId, () =>
            unwrap(
              api().exportKit({
                kb: chain.targetKb,
                arch: chain.arch,
                folder: outFolder.handle,
                operationId,
                machine: trainingOrUndefined(),
              }),
            ),
          )
          set({ kit })
        }),
    }
  })
}

export const updatesStore = createUpdatesStore(getApi)
export const useUpdates = <T>(select: (s: UpdatesState) => T): T => useStore(updatesStore, select)
