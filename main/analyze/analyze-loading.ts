/**
 * analyzeText's answer with only the readers the text can be told as loaded (detect-kinds.ts kindsToTell): the
 * CLI's `analyze` of a package list loads the package reader, not the parsers of systeminfo, update lists, CMTrace
 * logs… that every detector ran before. test/unit/analyze/detect-kinds.test.ts holds the two answers
 * equal on every fixture the readers' tests read.
 */
import type { AnalyzeResult, Analyzer } from './analyzer.ts'
import { detectionTexts, finishAnalysis, prepareText } from './analyze-core.ts'
import { KINDS, KIND_NAMES, kindsToTell } from './detect-kinds.ts'

/** Each kind's reader, imported when first needed (detect-kinds.ts KINDS). */
export const READERS: Record<string, () => Promise<Analyzer>> = Object.fromEntries(KINDS.map((k) => [k.kind, k.load]))

/** The kinds whose readers are loaded for this text (the one given, else those its detection texts can be told as). */
export async function analyzeTextLoading(input: string | Uint8Array, kind?: string): Promise<AnalyzeResult> {
  const prepared = prepareText(input, kind)
  const wanted = new Set<string>(kind ? [kind] : detectionTexts(prepared).flatMap(kindsToTell))
  const readers = await Promise.all(KIND_NAMES.filter((k) => wanted.has(k)).map((k) => READERS[k]!()))
  return finishAnalysis(readers, prepared, kind)
}
