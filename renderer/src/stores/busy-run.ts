/**
 * One action at a time with its progress, for stores whose screen runs one long call after another (the fix-package
 * flow, the Fleet screen): `run` sets `busy` while it runs and keeps the error's plain message; `withProgress` shows
 * the `progress` events of one operation while its call runs.
 */
import type { DeskApi } from '../../../preload/contract.ts'

interface BusyState<B> {
  busy: B | null
  error: string | null
  progress: { label: string; fraction: number | null } | null
}

export function busyRunner<B>(api: () => DeskApi, get: () => BusyState<B>, set: (s: Partial<BusyState<B>>) => void) {
  const run = async (busy: B, fn: () => Promise<void>) => {
    if (get().busy) return
    set({ busy, error: null, progress: null })
    try {
      await fn()
    } catch (err) {
      set({ error: (err as Error).message })
    } finally {
      set({ busy: null, progress: null })
    }
  }
  const withProgress = async <T>(operationId: string, fn: () => Promise<T>): Promise<T> => {
    const off = api().on('progress', (p) => {
      if (p.operationId === operationId) set({ progress: { label: p.label, fraction: p.fraction } })
    })
    try {
      return await fn()
    } finally {
      off()
    }
  }
  return { run, withProgress }
}
