/** The paste slice: the text a user pasted or dropped, and what `analyze` made of it. */
import { createStore } from 'zustand/vanilla'
import type { CallOutput, DeskApi } from '../../../preload/contract.ts'
import { unwrap } from '../bridge/api.ts'

export type AnalyzeResult = CallOutput<'analyze'>

export interface PasteState {
  text: string
  /** The file read by main (not shown in the text box), when a large file was dropped in the app. */
  fileName: string | null
  busy: boolean
  result: AnalyzeResult | null
  error: string | null
  setText(text: string): void
  analyze(): Promise<void>
  /** A dropped file by the one-time token the preload got for it: main reads it, the page never holds its text. */
  analyzeFile(token: string, fileName: string): Promise<void>
  clear(): void
}

export function createPasteStore(api: () => DeskApi) {
  return createStore<PasteState>()((set, get) => ({
    text: '',
    fileName: null,
    busy: false,
    result: null,
    error: null,
    setText(text) {
      set({ text, fileName: null })
    },
    async analyze() {
      const text = get().text
      if (!text.trim()) {
        set({ error: 'empty', result: null })
        return
      }
      set({ busy: true, error: null })
      try {
        set({ result: await unwrap(api().analyze({ text })), busy: false })
      } catch (err) {
        set({ busy: false, error: (err as Error).message })
      }
    },
    async analyzeFile(token, fileName) {
      set({ text: '', fileName, busy: true, error: null, result: null })
      try {
        set({ result: await unwrap(api().analyzeFile({ file: token })), busy: false })
      } catch (err) {
        set({ busy: false, error: (err as Error).message })
      }
    },
    clear() {
      set({ text: '', fileName: null, result: null, error: null })
    },
  }))
}
