/** The app's stores, created once with the real API; React reads them through hooks. */
import { useStore } from 'zustand'
import { getApi } from '../bridge/api.ts'
import { createMachineStore, type MachineState } from './machine-store.ts'
import { createPasteStore, type PasteState } from './paste-store.ts'
import { createReportStore, type ReportState } from './report-store.ts'
import { createChainStore, type ChainState } from './chain-store.ts'
import { createDiagnosisStore, type DiagnosisState } from './diagnosis-store.ts'
import { createFixFlowStore, type FixFlowState } from './fix-flow-store.ts'
import { createFleetStore, type FleetState } from './fleet-store.ts'

export const machineStore = createMachineStore(getApi)

export function useMachine<T>(select: (s: MachineState) => T): T {
  return useStore(machineStore, select)
}

export const pasteStore = createPasteStore(getApi)
export const usePaste = <T>(select: (s: PasteState) => T): T => useStore(pasteStore, select)

export const reportStore = createReportStore(getApi)
export const useReport = <T>(select: (s: ReportState) => T): T => useStore(reportStore, select)

export const chainStore = createChainStore(getApi)
export const useChain = <T>(select: (s: ChainState) => T): T => useStore(chainStore, select)

export const diagnosisStore = createDiagnosisStore(getApi)
export const useDiagnosis = <T>(select: (s: DiagnosisState) => T): T => useStore(diagnosisStore, select)

export const fixFlowStore = createFixFlowStore(getApi)
export const useFixFlow = <T>(select: (s: FixFlowState) => T): T => useStore(fixFlowStore, select)

export const fleetStore = createFleetStore(getApi)
export const useFleet = <T>(select: (s: FleetState) => T): T => useStore(fleetStore, select)
