/**
 * Codes that are effects, not causes: 0x8007045B (shutdown in progress) follows CBS hang detection
 * 0x800F0920 or a service rebooting the PC (troubleshoot-error-0x8007045b); 0x800F0920/0x800F0821 are
 * the CBS watchdog (S1, S5).
 */
import type { Rule, Finding, Evidence } from '../rule.ts'
import { codesInPlay } from '../facts.ts'
import { finding, remedy, customRemedy, technical } from '../finding.ts'

export const shutdownEffectRule: Rule = {
  id: 'shutdown-in-progress-effect',
  evaluate(input): Finding[] {
    const codes = codesInPlay(input)
    const hit = codes.get('0x8007045B')
    if (!hit) return []
    const hang = codes.get('0x800F0920') ?? codes.get('0x800F0821')
    const preceding = input.logs.cbs.flatMap(({ source, analysis }) =>
      analysis.errors
        .filter((e) => e.code && e.code !== '0x8007045B')
        .slice(0, 1)
        .map((e) => ({ source, excerpt: `line ${e.line}: ${e.text}` })),
    )
    const evidence: Evidence[] = [...hit.evidence, ...(hang?.evidence ?? []), ...preceding]
    return [
      finding({
        id: 'shutdown-in-progress-effect',
        title: '"Shutdown in progress" is a symptom: look at the error before it',
        technical: `${technical('0x8007045B')}${hang ? ` after ${technical(hang.code)}` : ''}`,
        severity: 'warning',
        confidence: hang ? 0.85 : 0.6,
        causes: [
          hang
            ? 'CBS detected a hang (watchdog) and forced a restart; the shutdown then interrupted servicing.'
            : 'Something restarted the PC during servicing: Windows’ own hang detection or a third-party service. Hang detection is logged as 0x800F0920.',
        ],
        remedies: [
          remedy('R0'),
          customRemedy(
            'more-resources',
            'Give servicing more time and resources',
            'On small VMs or slow disks, add CPU/RAM and stop services that restart the PC during updates, then retry.',
            [],
            null,
            ['S5'],
          ),
        ],
        evidence,
        repair: null,
        codes: ['0x8007045B', ...(hang ? [hang.code] : [])],
      }),
    ]
  },
}

export const hangDetectedRule: Rule = {
  id: 'servicing-hang',
  evaluate(input): Finding[] {
    const codes = codesInPlay(input)
    const hit = codes.get('0x800F0920') ?? codes.get('0x800F0821')
    if (!hit || codes.has('0x8007045B')) return []
    return [
      finding({
        id: 'servicing-hang',
        title: 'Servicing took too long and was stopped (hang detection)',
        technical: technical(hit.code),
        severity: 'error',
        confidence: 0.7,
        causes: [
          'The servicing operation timed out or Windows’ watchdog decided the system hung — typical on small VMs and slow disks.',
        ],
        remedies: [
          customRemedy(
            'more-resources',
            'Add CPU/RAM and retry',
            'Give the PC more resources and retry the update; Microsoft also describes raising the TrustedInstaller timeout.',
            [],
            null,
            ['S1', 'S5'],
          ),
          remedy('R1'),
        ],
        evidence: hit.evidence,
        repair: null,
        codes: [hit.code],
      }),
    ]
  },
}
