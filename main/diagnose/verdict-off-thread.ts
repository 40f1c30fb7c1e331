/**
 * The app's `analyze` and `analyzeFile` calls with the diagnosis's verdict (text-verdict.ts), off the event loop:
 * the Paste screen shows what the CLI's `analyze` prints for the same text. The reading's worker lies below the
 * diagnosis (main/analyze cannot load the rules), so this worker, beside the diagnosis, reads the text and then
 * gives it the verdict, in one thread. Same bounds and cancelling as the reading's (analyze-off-thread.ts).
 */
import { workerScriptUrl } from '../worker-url.ts'
import type { AnalyzeResult } from '../analyze/analyzer.ts'
import { analyzeBoundedFile, analyzeText } from '../analyze/analyze.ts'
import { analyzeFileOffThread, analyzeOffThread, type OffThreadReading } from '../analyze/analyze-off-thread.ts'
import { normalizePastedText } from '../analyze/normalize-text.ts'
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
  return analyzeBoundedFile(file, kind, analyzeWithVerdict)
}

/** The reading with the verdict, for the worker calls of analyze-off-thread.ts. */
const READING_WITH_VERDICT: OffThreadReading = {
  workerUrl: verdictWorkerUrl,
  text: analyzeWithVerdict,
  file: analyzeFileWithVerdict,
}

export function analyzeWithVerdictOffThread(
  text: string | Uint8Array,
  kind?: string,
  opts: { signal?: AbortSignal; transfer?: boolean } = {},
): Promise<AnalyzeResult> {
  return analyzeOffThread(text, kind, opts, READING_WITH_VERDICT)
}

export function analyzeFileWithVerdictOffThread(
  file: string,
  kind?: string,
  opts: { signal?: AbortSignal } = {},
): Promise<AnalyzeResult> {
  return analyzeFileOffThread(file, kind, opts, READING_WITH_VERDICT)
}
