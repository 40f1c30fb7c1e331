/** Analyzer for DISM console transcripts (Add-Package, ScanHealth, RestoreHealth). */
import type { Analyzer, AnalyzeFinding } from '../analyzer.ts'
import { parseDismOutput, looksLikeDismOutput } from '../../parse/dism-output.ts'
import { nameOfCode } from '../../knowledge/error-codes.ts'
import { describeCode } from './log-errors.ts'

export const dismOutputAnalyzer: Analyzer = {
  kind: 'dism-output',
  label: 'DISM command output',
  detect: (text) => looksLikeDismOutput(text.slice(0, 50_000)),
  analyze(text) {
    const d = parseDismOutput(text)
    const findings: AnalyzeFinding[] = []
    if (d.result === 'failed') findings.push({ id: 'dism-failed', severity: 'error', title: `DISM ${d.operation ?? 'operation'} failed with ${describeCode(d.errorCode)}`, detail: d.message ?? '' })
    if (d.result === 'not-applicable') findings.push({ id: 'dism-not-applicable', severity: 'warning', title: 'The package is not applicable to this image', detail: 'Wrong architecture or branch, or a newer update is already installed (CBS_E_NOT_APPLICABLE).' })
    if (d.result === 'restart-required') findings.push({ id: 'dism-restart', severity: 'info', title: 'Succeeded; restart to finish', detail: 'DISM needs a restart to complete the operation (3010 is success).' })
    if (d.componentStore === 'repairable') findings.push({ id: 'dism-store-repairable', severity: 'warning', title: 'The component store is repairable', detail: 'Run DISM /Online /Cleanup-Image /RestoreHealth.' })
    if (d.componentStore === 'not-repairable') findings.push({ id: 'dism-store-not-repairable', severity: 'critical', title: 'The component store cannot be repaired', detail: 'Repair from a source of the same build, or an in-place repair upgrade.' })
    return {
      facts: {
        dism: { operation: d.operation, result: d.result, errorCode: d.errorCode, componentStore: d.componentStore },
        errors: d.errors.map((e) => ({ code: e.code, name: nameOfCode(e.code), line: e.line, text: e.text })),
        dismVersion: d.dismVersion, imageVersion: d.imageVersion, message: d.message,
      },
      findings,
      warnings: d.result === 'unknown' ? ['No verdict found: the transcript may be cut off.'] : [],
    }
  },
}
