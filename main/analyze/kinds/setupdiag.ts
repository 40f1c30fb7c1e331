/** Analyzer for SetupDiag output: the matching rule, its error/extend code, phase and advice. */
import type { Analyzer } from '../analyzer.ts'
import { parseSetupDiag, looksLikeSetupDiag } from '../../parse/setupdiag.ts'
import { nameOfCode } from '../../knowledge/error-codes.ts'
import { describeCode } from './log-errors.ts'

export const setupDiagAnalyzer: Analyzer = {
  kind: 'setupdiag',
  label: 'SetupDiag results',
  detect: (text) => looksLikeSetupDiag(text.slice(0, 50_000)),
  analyze(text) {
    const s = parseSetupDiag(text)
    return {
      facts: {
        errors: s.matches
          .filter((m) => m.errorCode)
          .map((m) => ({ code: m.errorCode, name: nameOfCode(m.errorCode), line: m.line, text: m.lines.join(' ') })),
        setupdiag: s,
      },
      findings: s.matches.map((m) => ({
        id: `feature-update-failed:setupdiag-${m.rule}`,
        severity: 'error' as const,
        title: `SetupDiag rule ${m.rule} matched${m.errorCode ? `: ${describeCode(m.errorCode)}${m.extendCode ? ` - ${m.extendCode}` : ''}` : ''}`,
        detail: [
          m.message,
          m.lastPhase && `Last phase: ${m.lastPhase}`,
          m.lastOperation && `Last operation: ${m.lastOperation}`,
          m.advice,
        ]
          .filter(Boolean)
          .join('. '),
      })),
      warnings:
        s.matches.length === 0 && s.matchingIssues == null ? ['No SetupDiag rule result found in this text.'] : [],
    }
  },
}
