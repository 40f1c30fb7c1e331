/** Detects the kind of a pasted text (or uses the one given) and runs its analyzer. Never throws. */
import type { AnalyzeResult } from './analyzer.ts'
import { analyzers } from './registry.ts'
import { normalizePastedText } from './normalize-text.ts'

export function analyzeText(input: string | Uint8Array, kind?: string): AnalyzeResult {
  const text = normalizePastedText(input)
  if (kind) {
    const a = analyzers.find((x) => x.kind === kind)
    if (!a) {
      return { kind: 'unknown', facts: {}, findings: [], warnings: [`Unknown kind '${kind}'. Known kinds: ${analyzers.map((x) => x.kind).join(', ')}.`] }
    }
    return safeRun(a.kind, () => a.analyze(text))
  }
  let best: { kind: string; score: number } | null = null
  for (const a of analyzers) {
    let score = 0
    try { score = a.detect(text) } catch { score = 0 }
    if (score > (best?.score ?? 0)) best = { kind: a.kind, score }
  }
  if (!best || best.score < 0.3) {
    return {
      kind: 'unknown', facts: {}, findings: [],
      warnings: [text.trim() === ''
        ? 'The text is empty.'
        : `Could not tell what this text is. Paste the whole output of one command or log; known kinds: ${analyzers.map((x) => x.kind).join(', ')}.`],
    }
  }
  const a = analyzers.find((x) => x.kind === best!.kind)!
  return safeRun(a.kind, () => a.analyze(text))
}

function safeRun(kind: string, run: () => Omit<AnalyzeResult, 'kind'>): AnalyzeResult {
  try {
    return { kind, ...run() }
  } catch (err) {
    return { kind, facts: {}, findings: [], warnings: [`The ${kind} analyzer failed on this text: ${(err as Error).message}`] }
  }
}
