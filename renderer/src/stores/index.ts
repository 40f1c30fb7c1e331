/** The app's stores, created once with the real API; React reads them through hooks. */
import { useStore } from 'zustand'
import { getApi } from '../bridge/api.ts'
import { createMachineStore, type MachineState } from './machine-store.ts'

export const machineStore = createMachineStore(getApi)

export function useMachine<T>(select: (s: MachineState) => T): T {
  return useStore(machineStore, select)
}
