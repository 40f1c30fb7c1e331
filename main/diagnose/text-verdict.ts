/**
 * One reading, two views: `analyze` says whether a pasted text shows a failure exactly when `diagnose --log` does.
 * analyze/ reads the text (its kind, facts, the story of analyze/text-story.ts) and lies below the diagnosis, so it
 * cannot ask the rules; this module, above both, gives analyze's answer the diagnosis's verdict over the same text:
 * the rule set and the story floor (text-floor.ts) decide, never a second list of phrases. A failure the rules name
 * (a processor Windows 7 does not support, a scan cabinet missing, servicing that waits) becomes analyze's error
 * finding when its readers found none; a failure the text itself answers (installed after all, a search that found
 * nothing to install, a code in a Setup log that completed) lowers analyze's errors to warnings that say so.
 */
import type { AnalyzeFinding, AnalyzeResult } from '../analyze/analyzer.ts'
import type { Finding } from './rule.ts'
import { diagnose } from './diagnose.ts'
import { ANALYZE_MAX_BYTES } from '../analyze/analyze-core.ts'

/** The id of the error finding that carries the diagnosis's cause into analyze's answer. */
export const DIAGNOSIS_PREFIX = 'diagnosis:'

const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 299)}…` : s)
const isError = (f: { severity: string }) => f.severity === 'error' || f.severity === 'critical'

/** The diagnosis's first failure over the text: what `diagnose --log` ranks first, unless info or history. */
export function firstFailure(findings: readonly Finding[]): Finding | null {
  return findings.find((f) => f.severity !== 'info' && f.state !== 'past') ?? null
}

/**
 * analyze's answer with the diagnosis's verdict over the same text. The facts, the kind and every finding's words
 * stay analyze's; only whether an error is shown follows the diagnosis.
 */
export function withDiagnosisVerdict(text: string, result: AnalyzeResult): AnalyzeResult {
  // A text analyze refused as too large is refused here too: the diagnosis would read what analyze would not.
  if (text.length > ANALYZE_MAX_BYTES) return result
  const out = diagnose({ text })
  const top = firstFailure(out.findings)
  const errors = result.findings.some(isError)
  if (top && !errors) {
    const evidence = top.evidence.find((e) => e.excerpt)?.excerpt
    const finding: AnalyzeFinding = {
      id: `${DIAGNOSIS_PREFIX}${top.id}`,
      severity: top.severity === 'critical' ? 'critical' : 'error',
      title: top.title,
      detail: `${top.technical ? sentence(top.technical) : ''}${evidence ? sentence(`From the text: ${clip(evidence.trim())}`) : ''}\`diagnose --log\` gives the causes and the steps.`,
    }
    return { ...result, findings: [finding, ...result.findings] }
  }
  if (!top && errors) {
    // The diagnosis's verdict, without its notes on how it read the text (analyze's kind says that).
    const why =
      out.notes
        .filter((n) => !/^(?:Read the pasted text as|Could not tell what the pasted text is)/.test(n))
        .join(' ') || 'No servicing problem found in what was given.'
    return {
      ...result,
      findings: result.findings.map((f) =>
        isError(f)
          ? { ...f, severity: 'warning', detail: `${f.detail} — not a failure now, as the whole text reads: ${why}` }
          : f,
      ),
    }
  }
  return result
}

/** A sentence and the space after it: a full stop unless the words already end one (a quoted line often does). */
function sentence(words: string): string {
  return /[.!?…。]$/.test(words) ? `${words} ` : `${words}. `
}
