/**
 * The Fleet screen: which fleet is shown (yours, or the training fleet), its groups by cause, the
 * device list as windows fetched on demand (50,000 devices: only the rows on screen are ever asked for), the device
 * opened, a group's fix and the report. Every call goes through the contract; the page names no path (the fix's
 * folder comes from main's own dialog). A vanilla zustand store; actions get the API injected, so tests pass a fake.
 */
import { createStore } from 'zustand/vanilla'
import type { DeskApi, CallOutput } from '../../../preload/contract.ts'
import type {
  FleetBuildFixOutput,
  FleetDeviceRow,
  FleetDeviceState,
  FleetDeviceTimeline,
  FleetImportOutput,
  FleetName,
  FleetOverview,
} from '../../../preload/model/fleet-calls.ts'
import { unwrap } from '../bridge/api.ts'
import { busyRunner } from './busy-run.ts'

export interface FleetFilters {
  search: string
  cause: string
  state: FleetDeviceState | ''
  arch: string
  build: string
}
export const NO_FILTERS: FleetFilters = { search: '', cause: '', state: '', arch: '', build: '' }

/** Rows are fetched in blocks of this many. */
export const BLOCK = 200
/** Blocks kept on each side of the ones on screen. */
const KEEP = 8
const MAX_IN_FLIGHT = 2

export type FleetBusy = 'load' | 'training' | 'fix' | 'report-again' | 'report'

export interface FleetState {
  fleet: FleetName
  overview: FleetOverview | null
  filters: FleetFilters
  /** Devices the filters keep (null until the first window came back). */
  total: number | null
  /** Rows by block index; `rowsVersion` changes whenever a block arrives or the filters change. */
  blocks: Map<number, FleetDeviceRow[]>
  rowsVersion: number
  device: FleetDeviceTimeline | null
  fix: { cause: string; output: FleetBuildFixOutput } | null
  imported: FleetImportOutput | null
  reportedAgain: { cause: string; output: FleetImportOutput } | null
  saved: CallOutput<'fleetReport'> | null
  busy: FleetBusy | null
  progress: { label: string; fraction: number | null } | null
  error: string | null
  load(fleet?: FleetName): Promise<void>
  setFilters(f: Partial<FleetFilters>): void
  /** Makes sure the rows from `start` to `end` (indexes) are fetched. */
  ensureRows(start: number, end: number): void
  row(index: number): FleetDeviceRow | undefined
  openDevice(name: string): Promise<void>
  closeDevice(): void
  importTraining(devices: number, collectedFiles: boolean): Promise<void>
  buildFix(cause: string): Promise<void>
  reportAgain(cause: string): Promise<void>
  report(format: 'html' | 'csv' | 'json'): Promise<CallOutput<'fleetReport'> | null>
}

let ops = 0
const opId = (what: string) => `${what}-${Date.now()}-${++ops}`

export function createFleetStore(api: () => DeskApi) {
  return createStore<FleetState>()((set, get) => {
    /** Bumped on every change of fleet or filters: a window asked for before it is dropped. */
    let query = 0
    const pending = new Set<number>()
    const { run, withProgress } = busyRunner<FleetBusy>(api, get, set)
    const resetRows = () => {
      query++
      pending.clear()
      want = { from: 0, to: 0 }
      set({ blocks: new Map(), total: null, rowsVersion: query })
      get().ensureRows(0, BLOCK - 1)
    }
    /** The blocks on screen now; at most MAX_IN_FLIGHT asked for at once, the rest when one comes back (a fast scroll never queues what it passed). */
    let want = { from: 0, to: 0 }
    const pump = () => {
      for (let b = want.from; b <= want.to && pending.size < MAX_IN_FLIGHT; b++) {
        if (!get().blocks.has(b) && !pending.has(b)) void fetchBlock(b)
      }
    }
    const fetchBlock = async (b: number) => {
      const q = query
      const { fleet, filters: f } = get()
      pending.add(b)
      try {
        const r = await unwrap(
          api().fleetDevices({
            fleet,
            offset: b * BLOCK,
            limit: BLOCK,
            ...(f.search ? { search: f.search } : {}),
            ...(f.cause ? { cause: f.cause } : {}),
            ...(f.state ? { state: f.state } : {}),
            ...(f.arch ? { arch: f.arch } : {}),
            ...(f.build ? { build: f.build } : {}),
          }),
        )
        if (q !== query) return
        // The map is changed in place (no copy of 50,000 rows' blocks per arrival); `rowsVersion` tells readers.
        get().blocks.set(b, r.rows)
        set({ total: r.total, rowsVersion: get().rowsVersion + 1 })
      } catch (err) {
        if (q === query) set({ error: (err as Error).message })
      } finally {
        if (q === query) {
          pending.delete(b)
          pump()
        }
      }
    }
    const refresh = async () => {
      const overview = await unwrap(api().fleetOverview({ fleet: get().fleet }))
      set({ overview })
      resetRows()
    }
    return {
      fleet: 'yours',
      overview: null,
      filters: NO_FILTERS,
      total: null,
      blocks: new Map(),
      rowsVersion: 0,
      device: null,
      fix: null,
      imported: null,
      reportedAgain: null,
      saved: null,
      busy: null,
      progress: null,
      error: null,
      load: (fleet) =>
        run('load', async () => {
          if (fleet && fleet !== get().fleet)
            set({
              fleet,
              filters: NO_FILTERS,
              device: null,
              fix: null,
              imported: null,
              reportedAgain: null,
              saved: null,
              overview: null,
            })
          await refresh()
        }),
      setFilters(f) {
        set({ filters: { ...get().filters, ...f } })
        resetRows()
      },
      ensureRows(start, end) {
        const total = get().total
        const last = total === null ? start : Math.min(end, total - 1)
        want = { from: Math.floor(start / BLOCK), to: Math.floor(Math.max(start, last) / BLOCK) }
        // Only the blocks near what is on screen stay: the page's memory stays small however far the list scrolls.
        for (const b of get().blocks.keys()) if (b < want.from - KEEP || b > want.to + KEEP) get().blocks.delete(b)
        pump()
      },
      row(index) {
        return get().blocks.get(Math.floor(index / BLOCK))?.[index % BLOCK]
      },
      async openDevice(name) {
        try {
          set({ device: await unwrap(api().fleetDevice({ fleet: get().fleet, name })), error: null })
        } catch (err) {
          set({ error: (err as Error).message })
        }
      },
      closeDevice() {
        set({ device: null })
      },
      importTraining: (devices, collectedFiles) =>
        run('training', async () => {
          const operationId = opId('fleet-training')
          const imported = await withProgress(operationId, () =>
            unwrap(api().fleetImportTraining({ devices, collectedFiles, operationId })),
          )
          set({
            fleet: 'training',
            filters: NO_FILTERS,
            device: null,
            fix: null,
            reportedAgain: null,
            saved: null,
            imported,
          })
          await refresh()
        }),
      buildFix: (cause) =>
        run('fix', async () => {
          const folder = await unwrap(api().pickFolder({ purpose: 'fleet-fix' }))
          if (!folder) return
          const output = await unwrap(api().fleetBuildFix({ fleet: get().fleet, cause, folder: folder.handle }))
          set({ fix: { cause, output }, reportedAgain: null })
          await refresh()
        }),
      reportAgain: (cause) =>
        run('report-again', async () => {
          const operationId = opId('fleet-report-again')
          const output = await withProgress(operationId, () =>
            unwrap(api().fleetTrainingReport({ cause, operationId })),
          )
          set({ reportedAgain: { cause, output } })
          await refresh()
          const d = get().device
          if (d) await get().openDevice(d.name)
        }),
      async report(format) {
        let out: CallOutput<'fleetReport'> | null = null
        await run('report', async () => {
          out = await unwrap(api().fleetReport({ fleet: get().fleet, format }))
          set({ saved: out })
        })
        return out
      },
    }
  })
}
