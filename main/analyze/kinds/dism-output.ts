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
    if (d.result === 'failed')
      findings.push({
        id: 'dism-failed',
        severity: 'error',
        title: `DISM ${d.operation ?? 'operation'} failed with ${describeCode(d.errorCode)}`,
        detail: d.message ?? '',
      })
    // Several packages processed in one run ("Processing 30 of 31 …"): each package's own failure code is its own
    // failure, not only the first (the same code again, or its Win32 decimal, is the same failure).
    if (d.result === 'failed') {
      const more = [
        ...new Set(
          d.errors
            .map((e) => e.code)
            .filter(
              (c): c is string => !!c && c.toUpperCase() !== (d.errorCode ?? '').toUpperCase() && /^0x[89A-F]/i.test(c),
            ),
        ),
      ]
      for (const c of more.slice(0, 5)) {
        const at = d.errors.find((e) => e.code === c)!
        findings.push({
          id: 'dism-failed-also',
          severity: 'error',
          title: `DISM also failed with ${describeCode(c)}`,
          detail: `Line ${at.line}: ${at.text}`,
        })
      }
    }
    if (d.result === 'not-applicable')
      findings.push({
        id: 'dism-not-applicable',
        severity: 'warning',
        title: 'The package is not applicable to this image',
        detail: 'Wrong architecture or branch, or a newer update is already installed (CBS_E_NOT_APPLICABLE).',
      })
    if (d.result === 'restart-required')
      findings.push({
        id: 'dism-restart',
        severity: 'info',
        title: 'Succeeded; restart to finish',
        detail: 'DISM needs a restart to complete the operation (3010 is success).',
      })
    if (d.componentStore === 'repairable')
      findings.push({
        id: 'dism-store-repairable',
        severity: 'warning',
        title: 'The component store is repairable',
        detail: 'Run DISM /Online /Cleanup-Image /RestoreHealth.',
      })
    if (d.componentStore === 'not-repairable')
      findings.push({
        id: 'dism-store-not-repairable',
        severity: 'critical',
        title: 'The component store cannot be repaired',
        detail: 'Repair from a source of the same build, or an in-place repair upgrade.',
      })
    // sfc's "found corrupt files but was unable to fix some of them": Microsoft's next step is to repair the component
    // store sfc repairs from (DISM /RestoreHealth, then sfc again; "Use the System File Checker tool", KB929833).
    // `diagnose` reads the same verdict as store damage; analyze says it too.
    if (d.sfc?.result === 'unfixed')
      findings.push({
        id: 'sfc-unfixed',
        severity: 'error',
        title:
          'System File Checker found corrupt files it could not repair: the component store it repairs from is damaged',
        detail: `Line ${d.sfc.line}: ${d.sfc.text}`,
      })
    return {
      facts: {
        dism: { operation: d.operation, result: d.result, errorCode: d.errorCode, componentStore: d.componentStore },
        errors: d.errors.map((e) => ({ code: e.code, name: nameOfCode(e.code), line: e.line, text: e.text })),
        dismVersion: d.dismVersion,
        imageVersion: d.imageVersion,
        message: d.message,
      },
      findings,
      warnings: d.result === 'unknown' ? ['No verdict found: the transcript may be cut off.'] : [],
    }
  },
}
