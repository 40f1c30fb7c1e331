/**
 * A file analysed exactly as the CLI's `analyze FILE` does (main/cli/commands/analyze.ts): read synchronously
 * into one buffer of its size with the bounded reader (main/bounded-input.ts) and decoded inside a small
 * function, so its bytes are unreachable before the analysis starts. Over ANALYZE_MAX_BYTES (or grown past it
 * while read) it gets the warning a too-large paste gets.
 */
import type { AnalyzeResult } from './analyzer.ts'
import { analyzeText, ANALYZE_MAX_BYTES, tooLargeMessage } from './analyze.ts'
import { normalizePastedText } from './normalize-text.ts'
import { InputTooLarge, readFileBounded } from '../bounded-input.ts'

/** What the analysis worker is given: a text, or the path of a file it reads itself. */
export type AnalyzeWorkerData = { text: string | Uint8Array; kind?: string } | { file: string; kind?: string }

/** The file's text, bounded; throws InputTooLarge. The CLI's `analyze FILE` reads through it too. */
export function readFileText(file: string): string {
  return normalizePastedText(readFileBounded(file, ANALYZE_MAX_BYTES))
}

export function analyzeBoundedFile(file: string, kind?: string): AnalyzeResult {
  let text: string
  try { text = readFileText(file) } catch (err) {
    if (err instanceof InputTooLarge) return { kind: 'unknown', facts: {}, findings: [], warnings: [tooLargeMessage(err.bytes)] }
    throw err
  }
  return analyzeText(text, kind)
}
