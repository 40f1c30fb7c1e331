/**
 * Analyzer for Panther setupact.log / setuperr.log text (feature updates, web setup, sysprep): read by
 * severity (a Warning line is never an error) and by the run's final result (0x800704C7 = cancelled).
 */
import type { Analyzer, AnalyzeFinding } from '../analyzer.ts'
import { analyzeSetupLog, looksLikeSetupLog } from '../../parse/setup-log.ts'
import { shapeErrors, describeCode } from './log-errors.ts'

const CANCELLED = '0x800704C7'

export const setupLogAnalyzer: Analyzer = {
  kind: 'setup-log',
  label: 'Windows Setup log (setupact/setuperr)',
  detect: (text) => looksLikeSetupLog(text.slice(0, 50_000)),
  analyze(text) {
    const a = analyzeSetupLog(text)
    const findings: AnalyzeFinding[] = []
    const cancelled = a.finalResult?.code === CANCELLED || !!a.suspended
    if (cancelled)
      findings.push({
        id: 'setup-cancelled',
        severity: 'info',
        title:
          a.finalResult?.code === CANCELLED
            ? 'Setup was cancelled (0x800704C7)'
            : 'Setup was suspended before it finished',
        detail:
          a.finalResult?.code === CANCELLED
            ? `Line ${a.finalResult.line}: ${a.finalResult.text}`
            : `Line ${a.suspended!.line}: ${a.suspended!.text}`,
      })
    if (a.sysprep) {
      findings.push({
        id: 'sysprep-failed',
        severity: 'error',
        title: a.sysprep.package
          ? `Sysprep failed: ${a.sysprep.package} is installed for a user but not provisioned for all users`
          : 'Sysprep failed',
        detail: `Line ${a.sysprep.line}: ${a.sysprep.text}`,
      })
    } else if (!cancelled && a.firstError?.code && a.firstError.code !== CANCELLED) {
      findings.push({
        id: 'setup-error',
        severity: 'error',
        title: `Setup reported ${describeCode(a.firstError.code)}`,
        detail: `First error on line ${a.firstError.line}: ${a.firstError.text.slice(0, 300)}`,
      })
    }
    for (const p of a.resultPairs.slice(0, 1))
      findings.push({
        id: 'setup-result',
        severity: 'error',
        title: `Setup result ${p.code} - ${p.extend}`,
        detail: `Line ${p.line}`,
      })
    return {
      facts: {
        errors: shapeErrors(a.errors),
        errorCount: a.errors.length,
        firstError: a.firstError ? shapeErrors([a.firstError])[0] : null,
        warnings: a.warnings?.length ?? 0,
        finalResult: a.finalResult ?? null,
        resultPairs: a.resultPairs,
        abort: a.abort,
        sysprep: a.sysprep ?? null,
        suspended: a.suspended ?? null,
      },
      findings,
      warnings: [],
    }
  },
}
