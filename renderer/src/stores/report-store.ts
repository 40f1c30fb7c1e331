/**
 * The report slice: the latest report made for the shown machine (summary, top cause, verification),
 * and the last export's outcome. The Proof screen reads it.
 */
import { createStore } from 'zustand/vanilla'
import type { DeskApi } from '../../../preload/contract.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import type { ExportReportOutput, ReportFormat } from '../../../preload/model/report.ts'
import { unwrap } from '../bridge/api.ts'

export interface ReportState {
  busy: boolean
  /** The machine the latest report is about (a report of another machine is never shown). */
  machineKey: string | null
  latest: ExportReportOutput | null
  error: string | null
  /** Makes the report in `format`; the Proof screen saves or downloads its content. */
  make(machine: MachineRef, format: ReportFormat, save?: boolean): Promise<ExportReportOutput | null>
}

export const machineKeyOf = (m: MachineRef): string =>
  m.kind === 'training'
    ? `training:${m.name}`
    : m.kind === 'snapshot'
      ? `snapshot:${m.id}`
      : m.kind === 'remote'
        ? `remote:${m.computer.toLowerCase()}`
        : 'this-pc'

export function createReportStore(api: () => DeskApi) {
  return createStore<ReportState>()((set) => ({
    busy: false,
    machineKey: null,
    latest: null,
    error: null,
    async make(machine, format, save) {
      const key = machineKeyOf(machine)
      set((s) => ({ busy: true, error: null, latest: s.machineKey === key ? s.latest : null, machineKey: key }))
      try {
        const out = await unwrap(api().exportReport({ machine, format, save }))
        set({ busy: false, latest: out, machineKey: key })
        return out
      } catch (err) {
        set({ busy: false, error: (err as Error).message })
        return null
      }
    },
  }))
}
