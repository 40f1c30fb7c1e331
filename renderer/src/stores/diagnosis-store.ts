/** The diagnosis slice: the code typed, the log text given, the explanation of the code and the findings. */
import { createStore } from 'zustand/vanilla'
import type { CallOutput, DeskApi } from '../../../preload/contract.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { unwrap } from '../bridge/api.ts'

export type DiagnoseResult = CallOutput<'diagnose'>
export type ExplainResult = CallOutput<'explain'>

export interface DiagnosisState {
  code: string
  text: string
  textName: string | null
  /** A large dropped log, by the one-time token the preload got for it (main streams it; the page never holds it). */
  file: string | null
  busy: boolean
  result: DiagnoseResult | null
  explanation: ExplainResult | null
  error: string | null
  setCode(code: string): void
  setText(text: string, name?: string | null): void
  setFile(token: string, name: string): void
  run(machine: MachineRef | null): Promise<void>
  clear(): void
}

export function createDiagnosisStore(api: () => DeskApi) {
  return createStore<DiagnosisState>()((set, get) => ({
    code: '',
    text: '',
    textName: null,
    file: null,
    busy: false,
    result: null,
    explanation: null,
    error: null,
    setCode(code) {
      set({ code })
    },
    setText(text, name = null) {
      set({ text, textName: name, file: null })
    },
    setFile(token, name) {
      set({ text: '', textName: name, file: token })
    },
    async run(machine) {
      const { code, text, file } = get()
      if (!machine && !code.trim() && !text.trim() && !file) {
        set({ error: 'empty', result: null, explanation: null })
        return
      }
      // A token is read once: the file is dropped again for another run.
      set({ busy: true, error: null, ...(file ? { file: null, textName: null } : {}) })
      try {
        const explanation = code.trim() ? await unwrap(api().explain({ code: code.trim() })) : null
        const result = await unwrap(
          api().diagnose({
            ...(machine ? { machine } : {}),
            ...(code.trim() ? { code: code.trim() } : {}),
            ...(text.trim() ? { text } : {}),
            ...(file ? { file } : {}),
          }),
        )
        set({ explanation, result, busy: false })
      } catch (err) {
        set({ busy: false, error: (err as Error).message, result: null })
      }
    },
    clear() {
      set({ code: '', text: '', textName: null, file: null, result: null, explanation: null, error: null })
    },
  }))
}
