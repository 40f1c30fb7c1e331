/**
 * Feature-update (Setup) failures: SetupDiag's matching rule and 0xC19xxxxx result codes with their extend
 * code (upgrade-error-codes, resolution-procedures, setupdiag docs). Setup is not monthly servicing, so this
 * rule reports what SetupDiag found and the documented next step.
 */
import type { Rule, Finding, Evidence } from '../rule.ts'
import { codesInPlay } from '../facts.ts'
import { finding, remedy, customRemedy, technical } from '../finding.ts'

export const featureUpdateRule: Rule = {
  id: 'feature-update-failed',
  evaluate(input): Finding[] {
    const out: Finding[] = []
    for (const { source, facts } of input.logs.setupdiag) {
      for (const m of facts.matches.slice(0, 3)) {
        const ev: Evidence[] = [{ source, excerpt: m.lines.slice(0, 8).join('\n') }]
        out.push(finding({
          id: `setupdiag-${m.rule}`,
          title: `Feature update failed: SetupDiag rule ${m.rule} matched`,
          technical: `${m.errorCode ? technical(m.errorCode) : 'no code'}${m.extendCode ? ` - ${m.extendCode}` : ''}${m.lastPhase ? `, phase ${m.lastPhase}` : ''}`,
          severity: 'error', confidence: 0.85,
          causes: [m.message ?? `SetupDiag matched ${m.rule}.`, ...(m.lastOperation ? [`Last operation: ${m.lastOperation}.`] : [])],
          remedies: [...(m.advice ? [customRemedy('setupdiag-advice', 'Follow SetupDiag\'s advice', m.advice, [], null, ['S31'])] : []), remedy('R0'), remedy('R1')],
          evidence: ev, repair: null, codes: m.errorCode ? [m.errorCode] : [],
        }))
      }
    }
    if (out.length) return out
    const setup = [...codesInPlay(input).values()].filter((s) => /^0xC19/.test(s.code))
    if (!setup.length) return []
    const extend = input.code?.extend ?? input.logs.setupLog.flatMap(({ analysis }) => analysis.resultPairs.map((p) => p.extend))[0] ?? null
    return [finding({
      id: 'feature-update-failed',
      title: 'The feature update (Windows Setup) failed and rolled back',
      technical: `${technical(...setup.map((s) => s.code))}${extend ? ` - ${extend}` : ''}`,
      severity: 'error', confidence: 0.6,
      causes: ['Setup codes (0xC19…) come from the feature-update engine; the extend code names the phase. Drivers, antivirus and compatibility blocks are the usual causes.'],
      remedies: [customRemedy('setupdiag', 'Run SetupDiag on the setup logs', 'SetupDiag reads the Panther and Rollback logs and names the matching rule.', ['SetupDiag.exe /Output:C:\\SetupDiag\\Results.log'], null, ['S31']), remedy('R0')],
      evidence: setup.flatMap((s) => s.evidence), repair: null, codes: setup.map((s) => s.code),
    })]
  },
}
