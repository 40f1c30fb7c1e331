/** Analyzer for pasted DISM.log text: the first error, the command that ran, not-applicable verdicts. */
import type { Analyzer } from '../analyzer.ts'
import { dismLogScore } from '../kind-scores.ts'
import { analyzeDismLogText } from '../../parse/dism-log.ts'
import { shapeErrors, describeCode } from './log-errors.ts'

export const dismLogAnalyzer: Analyzer = {
  kind: 'dism-log',
  label: 'DISM.log',
  detect: dismLogScore,
  analyze(text) {
    const a = analyzeDismLogText(text)
    // An Error line with no HRESULT is not proof that DISM failed: Disk Cleanup's plug-ins and probes log routine
    // misses there too (`EnumeratePathEx: FindFirstFile failed for [C:\$Windows.~BT\*]; GLE = 0x3`). It is shown as
    // a warning with its line; only a coded error makes "DISM failed with …".
    const first = a.firstError
    // ERROR_CANCELLED: the run was stopped (Ctrl+C, a closed window, a cancelled update), not a servicing fault.
    const cancelled = first?.code === '0x800704C7' && (a.outcome === null || a.outcome.code === '0x800704C7')
    const findings: { id: string; severity: 'error' | 'warning'; title: string; detail: string }[] = !first
      ? []
      : cancelled
        ? [
            {
              id: 'dism-cancelled',
              severity: 'warning',
              title: 'The DISM run was cancelled',
              detail: `Line ${first.line}: ${first.text.slice(0, 300)} — ERROR_CANCELLED (0x800704C7): the operation was stopped before it finished; run it again to completion.`,
            },
          ]
        : first.code
          ? [
              {
                id: 'dism-first-error',
                severity: 'error',
                title: `DISM failed with ${describeCode(first.code)}`,
                detail: `First error on line ${first.line}; ${Math.max(0, a.errorCount - 1)} later error line(s) follow from it.`,
              },
            ]
          : [
              {
                id: 'dism-first-error',
                severity: 'warning',
                title: 'DISM.log has an error line with no error code',
                detail: `Line ${first.line}: ${first.text.slice(0, 300)} — no HRESULT, so it does not show that a DISM operation failed; ${Math.max(0, a.errorCount - 1)} later error line(s).`,
              },
            ]
    // A command this Windows' DISM has no provider for: the run did nothing, whatever the error lines' codes.
    const unsupported = a.unsupportedCommand
    if (unsupported)
      findings.unshift({
        id: 'dism-command-unsupported',
        severity: 'error',
        title: `This Windows' DISM does not support /${unsupported.command}`,
        detail: `Line ${unsupported.line}: ${unsupported.text.slice(0, 300)} — no DISM provider on this image supports the command; it exists only in a newer Windows' DISM (Features on Demand, /Add-Capability, came with Windows 10).`,
      })
    for (const n of a.notApplicable.slice(0, 3))
      findings.push({
        id: 'dism-not-applicable',
        severity: 'error',
        title: 'Package not applicable to this image',
        detail: `Line ${n.line}: ${n.text}`,
      })
    return {
      facts: {
        errors: shapeErrors(a.errors),
        errorCount: a.errorCount,
        firstError: a.firstError ? shapeErrors([a.firstError])[0] : null,
        commands: a.commands,
        notApplicable: a.notApplicable,
        timeline: a.timeline,
      },
      findings,
      warnings: [],
    }
  },
}
