/**
 * Express (PSFX delta) failures: 0x800F0982 matching component not found (often after language packs or
 * FoDs were added after the last CU; often succeeds on retry), 0x800F0988 invalid delta combination.
 * KB947821 (names), borncity 2019 (3P).
 */
import type { Rule, Finding } from '../rule.ts'
import { codesInPlay, allSightings } from '../facts.ts'
import { finding, remedy, customRemedy, technical } from '../finding.ts'

export const psfxRule: Rule = {
  id: 'psfx-delta',
  evaluate(input): Finding[] {
    const hits = allSightings(codesInPlay(input), '0x800F0982', '0x800F0988')
    if (hits.length === 0) return []
    return [
      finding({
        id: 'psfx-delta',
        title: 'The express (delta) update could not find the files it patches',
        technical: technical(...hits.map((h) => h.code)),
        severity: 'error',
        confidence: 0.7,
        causes: [
          'The delta update needs the exact base version of each component; language packs or optional features added after the last cumulative update, or clean-up tools for the component store, leave it without one.',
        ],
        remedies: [
          customRemedy('retry', 'Retry once', 'Run Windows Update again.', [], null, ['S55'], false),
          remedy('R7', { title: 'Install the full MSU of the update from the Catalog', repair: 'install-update' }),
          remedy('R4'),
          remedy('R5'),
        ],
        evidence: hits.flatMap((h) => h.evidence),
        repair: 'install-update',
        codes: hits.map((h) => h.code),
      }),
    ]
  },
}
