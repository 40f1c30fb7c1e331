/** The paste slice: the text a user pasted or dropped, and what `analyze` made of it. */
import { createStore } from 'zustand/vanilla'
import type { CallOutput, DeskApi } from '../../../preload/contract.ts'
import { unwrap } from '../bridge/api.ts'

export type AnalyzeResult = CallOutput<'analyze'>

export interface PasteState {
  text: string
  busy: boolean
  result: AnalyzeResult | null
  error: string | null
  setText(text: string): void
  analyze(): Promise<void>
  clear(): void
}

export function createPasteStore(api: () => DeskApi) {
  return createStore<PasteState>()((set, get) => ({
    text: '',
    busy: false,
    result: null,
    error: null,
    setText(text) { set({ text }) },
    async analyze() {
      const text = get().text
      if (!text.trim()) { set({ error: 'empty', result: null }); return }
      set({ busy: true, error: null })
      try { set({ result: await unwrap(api().analyze({ text })), busy: false }) } catch (err) { set({ busy: false, error: (err as Error).message }) }
    },
    clear() { set({ text: '', result: null, error: null }) },
  }))
}
