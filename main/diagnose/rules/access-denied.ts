/**
 * 0x80070005 (access denied) and 0x80070020 (sharing violation): changed ACLs or a third-party filter
 * (antivirus/EDR) blocking the servicing stack; CBS.log names the object (S1).
 */
import type { Rule, Finding } from '../rule.ts'
import { codesInPlay, allSightings } from '../facts.ts'
import { finding, remedy, customRemedy, technical } from '../finding.ts'

export const accessDeniedRule: Rule = {
  id: 'access-blocked',
  evaluate(input): Finding[] {
    const hits = allSightings(codesInPlay(input), '0x80070005', '0x80070020')
    if (!hits.length) return []
    return [
      finding({
        id: 'access-blocked',
        title: 'Something blocks the servicing stack from a file or key',
        technical: technical(...hits.map((h) => h.code)),
        severity: 'error',
        confidence: 0.65,
        causes: [
          'Changed file-system or registry permissions, or antivirus/EDR filter drivers holding or blocking files during servicing.',
        ],
        remedies: [
          remedy('R0'),
          customRemedy(
            'clean-boot',
            "Clean boot and retry; restore the object's permissions",
            'Temporarily disable third-party security filters (or add exclusions), restore the ACL of the object CBS.log names, retry.',
            [],
            null,
            ['S1'],
          ),
          remedy('R4'),
        ],
        evidence: hits.flatMap((h) => h.evidence),
        repair: null,
        codes: hits.map((h) => h.code),
      }),
    ]
  },
}
