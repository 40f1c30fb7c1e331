/**
 * Detects the kind of a pasted text (or uses the one given) and runs its analyzer, with every reader loaded
 * (registry.ts): what the app and the analysis worker call. Never throws. The analysis itself: analyze-core.ts;
 * the CLI's `analyze` loads only the readers a text can be told as (analyze-loading.ts), for the same answer.
 */
import type { AnalyzeResult, Analyzer } from './analyzer.ts'
import { analyzers } from './registry.ts'
import { detectAmong, finishAnalysis, prepareText, tooLargeMessage } from './analyze-core.ts'
import { InputTooLarge } from '../bounded-input.ts'
import { readFileText } from './analyze-file.ts'

export { ANALYZE_MAX_BYTES, LARGE_TEXT, tooLargeMessage } from './analyze-core.ts'

export function analyzeText(input: string | Uint8Array, kind?: string): AnalyzeResult {
  return finishAnalysis(analyzers, prepareText(input, kind), kind)
}

export function detectKind(text: string): Analyzer | null {
  return detectAmong(analyzers, text)
}

/** A file read as the CLI's `analyze FILE` reads it (analyze-file.ts), analysed; too large: the warning a paste gets. */
export function analyzeBoundedFile(
  file: string,
  kind?: string,
  read: (text: string, kind?: string) => AnalyzeResult = analyzeText,
): AnalyzeResult {
  let text: string
  try {
    text = readFileText(file)
  } catch (err) {
    if (err instanceof InputTooLarge)
      return { kind: 'unknown', facts: {}, findings: [], warnings: [tooLargeMessage(err.bytes)] }
    throw err
  }
  return read(text, kind)
}
