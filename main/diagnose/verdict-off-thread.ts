/**
 * The app's `analyze` and `analyzeFile` calls with the diagnosis's verdict (text-verdict.ts), off the event loop:
 * the Paste screen shows what the CLI's `analyze` prints for the same text. The reading's worker lies below the
 * diagnosis (main/analyze cannot load the rules), so this worker, beside the diagnosis, reads the text and then
 * gives it the verdict, in one thread. Same bounds and cancelling as the reading's (analyze-off-thread.ts).
 */
import { statSync } from 'node:fs'
import { workerScriptUrl } from '../worker-url.ts'
import type { AnalyzeResult } from '../analyze/analyzer.ts'
import { ANALYZE_MAX_BYTES, analyzeText, tooLargeMessage } from '../analyze/analyze.ts'
import { runAnalysisWorker } from '../analyze/analyze-off-thread.ts'
import { readFileText } from '../analyze/analyze-file.ts'
import { normalizePastedText } from '../analyze/normalize-text.ts'
import { InputTooLarge } from '../bounded-input.ts'
import { AppError } from '../errors.ts'
import { withDiagnosisVerdict } from './text-verdict.ts'

/** The worker script beside this module (source run: .ts), or the built entry (electron-vite: verdict-worker.js). */
export function verdictWorkerUrl(): URL | null {
  return workerScriptUrl(import.meta.url, 'verdict-worker')
}

/** A text read and given the verdict: what the CLI's `analyze` answers (main/cli/commands/analyze.ts). */
export function analyzeWithVerdict(input: string | Uint8Array, kind?: string): AnalyzeResult {
  const text = typeof input === 'string' ? input : normalizePastedText(input)
  return withDiagnosisVerdict(text, analyzeText(text, kind))
}

/** A file read with the bounded reader, then as a pasted text; over ANALYZE_MAX_BYTES the too-large warning. */
export function analyzeFileWithVerdict(file: string, kind?: string): AnalyzeResult {
  let text: string
  try {
    text = readFileText(file)
  } catch (err) {
    if (err instanceof InputTooLarge)
      return { kind: 'unknown', facts: {}, findings: [], warnings: [tooLargeMessage(err.bytes)] }
    throw err
  }
  return analyzeWithVerdict(text, kind)
}

export async function analyzeWithVerdictOffThread(
  text: string | Uint8Array,
  kind?: string,
  opts: { signal?: AbortSignal; transfer?: boolean } = {},
): Promise<AnalyzeResult> {
  const size = typeof text === 'string' ? text.length : text.byteLength
  if (size > ANALYZE_MAX_BYTES) return { kind: 'unknown', facts: {}, findings: [], warnings: [tooLargeMessage(size)] }
  const movable =
    opts.transfer &&
    typeof text !== 'string' &&
    text.buffer instanceof ArrayBuffer &&
    text.byteOffset === 0 &&
    text.byteLength === text.buffer.byteLength
  return await runAnalysisWorker(verdictWorkerUrl(), { text, kind }, () => analyzeWithVerdict(text, kind), {
    signal: opts.signal,
    transferList: movable ? [text.buffer as ArrayBuffer] : undefined,
  })
}

export async function analyzeFileWithVerdictOffThread(
  file: string,
  kind?: string,
  opts: { signal?: AbortSignal } = {},
): Promise<AnalyzeResult> {
  const st = statSync(file, { throwIfNoEntry: false })
  if (!st?.isFile()) throw new AppError('not-found', `${file} is gone or is no longer a file; drop it again.`)
  if (st.size > ANALYZE_MAX_BYTES)
    return { kind: 'unknown', facts: {}, findings: [], warnings: [tooLargeMessage(st.size)] }
  return await runAnalysisWorker(verdictWorkerUrl(), { file, kind }, () => analyzeFileWithVerdict(file, kind), opts)
}
