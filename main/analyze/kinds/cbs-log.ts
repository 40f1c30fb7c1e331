/** Analyzer for pasted CBS.log / CbsPersist text: failing package and phase, first error vs cascade, corruption. */
import type { Analyzer, AnalyzeFinding } from '../analyzer.ts'
import { cbsLogScore } from '../kind-scores.ts'
import { analyzeCbsLogText, primaryEpisode, overtakenBy } from '../../parse/cbs-log.ts'
import { shapeErrors, describeCode } from './log-errors.ts'

export const cbsLogAnalyzer: Analyzer = {
  kind: 'cbs-log',
  label: 'CBS.log (component servicing log)',
  detect: cbsLogScore,
  analyze(text) {
    const a = analyzeCbsLogText(text)
    const ep = primaryEpisode(a)
    const findings: AnalyzeFinding[] = []
    // The story decides: an execution that completed with S_OK after the failing one's last error means
    // the failure was overtaken (a retry or a repair that followed), not that servicing is failing now.
    const laterOk = ep ? overtakenBy(a, ep) : null
    if (ep && laterOk) {
      findings.push({
        id: 'cbs-failure-overtaken',
        severity: 'warning',
        title: `An earlier servicing attempt failed with ${describeCode(ep.outcomeCode)}; a later one completed`,
        detail: `First error on line ${ep.firstError?.line ?? '?'}${ep.failingPackage ? ` (${ep.failingPackage})` : ''}; line ${laterOk.line} shows an execution that completed successfully${laterOk.package ? ` (${laterOk.package})` : ''} after it.`,
      })
    } else if (ep) {
      const cascade = ep.errorCount - 1
      findings.push({
        id: 'cbs-first-error',
        severity: 'error',
        title: `Servicing failed with ${describeCode(ep.outcomeCode)}`,
        detail: `First error ${describeCode(ep.firstError?.code ?? null)} on line ${ep.firstError?.line ?? '?'}; ${cascade > 0 ? `${cascade} later error line(s) are the cascade after it` : 'no cascade'}.${ep.failingPackage ? ` Failing package: ${ep.failingPackage}.` : ''}${ep.phase ? ` Phase: ${ep.phase}.` : ''}`,
      })
    }
    for (const f of a.failedInstallers.slice(0, 5)) {
      findings.push({
        id: 'cbs-installer-failed',
        severity: 'error',
        title: `Advanced installer '${f.installer}' failed`,
        detail: `Line ${f.line}: ${describeCode(f.code)}. CBS rolls the update back (CBS_E_INSTALLERS_FAILED).`,
      })
    }
    if (a.corruptPayloads.some((p) => !p.fixed)) {
      findings.push({
        id: 'cbs-payload-corrupt',
        severity: 'error',
        title: 'Corrupt component store payloads',
        detail: a.corruptPayloads
          .filter((p) => !p.fixed)
          .slice(0, 5)
          .map((p) => `line ${p.line}: ${p.component}${p.file ? `\\${p.file}` : ''}`)
          .join('; '),
      })
    }
    // The store check's other items (CheckSUR's `(f)` lines, CSI's count after a scan) speak when nothing above did.
    const checkFound = (a.storeCheck ?? []).filter((x) => !x.fixed)
    if (checkFound.length && !a.corruptPayloads.some((p) => !p.fixed) && !a.missingManifests.length) {
      findings.push({
        id: 'cbs-payload-corrupt',
        severity: 'error',
        title: 'The component store check found corruption it did not repair',
        detail: checkFound
          .slice(0, 5)
          .map((x) => `line ${x.line}: ${x.kind} ${x.item}`)
          .join('; '),
      })
    }
    for (const m of a.missingManifests.slice(0, 5)) {
      findings.push({
        id: 'cbs-manifest-missing',
        severity: 'error',
        title: `Manifest missing for ${m.package}`,
        detail: `Line ${m.line}. Install the update that contains it${m.kb ? ` (${m.kb})` : ''} from the Microsoft Update Catalog (KB4477073).`,
      })
    }
    if (a.servicingStack) {
      findings.push({
        id: 'cbs-ssu-required',
        severity: 'error',
        title: 'A newer servicing stack is required',
        detail: `Line ${a.servicingStack.line}: ${a.servicingStack.package} needs ${a.servicingStack.required}; this PC has ${a.servicingStack.current}.`,
      })
    }
    const ep2 = ep
    return {
      facts: {
        errors: shapeErrors(a.errors),
        errorCount: a.errorCount,
        firstError: ep2?.firstError ? shapeErrors([ep2.firstError])[0] : null,
        outcomeCode: ep2?.outcomeCode ?? null,
        failingPackage: ep2?.failingPackage ?? null,
        phase: ep2?.phase ?? null,
        rollback: ep2?.rollback ?? false,
        laterSuccess: laterOk ? { line: laterOk.line, package: laterOk.package } : null,
        cascadeCount: ep2 ? Math.max(0, ep2.errorCount - 1) : 0,
        corruptPayloads: a.corruptPayloads,
        storeCheck: a.storeCheck ?? [],
        missingManifests: a.missingManifests,
        failedInstallers: a.failedInstallers,
        servicingStack: a.servicingStack,
        summary: a.summary,
        timeline: a.timeline,
        packages: a.packages,
      },
      findings,
      warnings: a.linesSeen > 0 && a.errorCount === 0 && !a.summary ? ['No errors found in this CBS.log text.'] : [],
    }
  },
}
