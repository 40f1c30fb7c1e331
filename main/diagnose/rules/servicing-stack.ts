/**
 * Newer servicing stack needed: 0x800F0823 (CBS_E_NEW_SERVICING_STACK_REQUIRED); CBS.log says
 * `requires Servicing Stack vX but current Servicing Stack is vY` (troubleshoot-windows-update-error-0x800f0823).
 */
import type { Rule, Finding, Evidence } from '../rule.ts'
import { codesInPlay, known } from '../facts.ts'
import { finding, remedy, technical } from '../finding.ts'

export const servicingStackRule: Rule = {
  id: 'servicing-stack-required',
  evaluate(input): Finding[] {
    const hit = codesInPlay(input).get('0x800F0823')
    const lines = input.logs.cbs.flatMap(({ source, analysis }) =>
      analysis.servicingStack ? [{ source, ss: analysis.servicingStack }] : [],
    )
    if (!hit && lines.length === 0) return []
    const pk = known(input.snapshot?.packages)
    const ss = lines[0]?.ss
    const evidence: Evidence[] = [
      ...lines.map(({ source, ss }) => ({
        source,
        excerpt: `line ${ss.line}: ${ss.package} requires Servicing Stack v${ss.required} but current is v${ss.current}`,
      })),
      ...(hit?.evidence ?? []),
      ...(pk?.servicingStackVersion
        ? [{ source: 'Installed packages (DISM)', excerpt: `Servicing stack ${pk.servicingStackVersion}` }]
        : []),
    ]
    return [
      finding({
        id: 'servicing-stack-required',
        title: 'The update needs a newer servicing stack first',
        technical: technical('0x800F0823'),
        severity: 'error',
        confidence: ss ? 0.95 : 0.8,
        causes: [
          ss
            ? `${ss.package} needs servicing stack ${ss.required}; this PC has ${ss.current}.`
            : 'The PC skipped servicing stack updates (SSUs) and cannot process the new update.',
        ],
        remedies: [
          remedy('R7', {
            title: 'Install the latest servicing stack update (or the combined SSU+LCU), restart, retry',
            repair: 'install-update',
          }),
          remedy('R1'),
        ],
        evidence,
        repair: 'install-update',
        codes: ['0x800F0823'],
      }),
    ]
  },
}
