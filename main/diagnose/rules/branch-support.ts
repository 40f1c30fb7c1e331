/**
 * The branch's support state, shown in the diagnosis of a PC on it: Windows 10 after consumer
 * Extended Security Updates ended (2026-10-13) gets no more updates unless the organization holds a commercial
 * ESU licence. Judged at the snapshot's date (`takenAt`), so a diagnosis of an older snapshot says what held then.
 */
import type { Rule, Finding } from '../rule.ts'
import { known, factEvidence, osContext } from '../facts.ts'
import { finding, customRemedy } from '../finding.ts'
import { branchForBuild } from '../../knowledge/servicing-chains.ts'

/** The support states the knowledge records, as a person reads them (the state itself is data, not words). */
const STATE_WORDS: Record<string, string> = {
  'consumer-esu-end-disputed': 'the end date of consumer security updates is disputed',
  'consumer-esu-ended': 'consumer security updates have ended',
}

export const branchSupportRule: Rule = {
  id: 'branch-support',
  evaluate(input): Finding[] {
    const os = known(input.snapshot?.os)
    if (!os) return []
    const branch = branchForBuild(os.build, osContext(os))
    const s = branch?.support
    const at = (input.snapshot?.takenAt ?? '').slice(0, 10)
    if (!branch || !s || !at || at < s.since) return []
    return [
      finding({
        id: 'branch-support',
        // A claim on disputed knowledge says so in its title.
        title: /disputed/.test(s.state)
          ? `${branch.product} ${branch.displayVersion}: consumer security updates may have ended (${s.since} is the first date named; the end date is disputed)`
          : `${branch.product} ${branch.displayVersion}: consumer security updates ended on ${s.since}`,
        technical: `${branch.product} ${branch.displayVersion} (build ${branch.builds.join(', ')}): ${STATE_WORDS[s.state] ?? s.state.replace(/-/g, ' ')}; the date first named is ${s.since}`,
        severity: 'warning',
        confidence: s.verified ? 0.9 : 0.7,
        causes: [s.text],
        remedies: [
          customRemedy(
            'upgrade-windows-11',
            'Upgrade to Windows 11, or confirm a commercial ESU licence',
            "A consumer Windows 10 PC gets no more updates; an organization's PC keeps receiving them only with a commercial ESU licence.",
            [],
            null,
            [s.source],
          ),
        ],
        evidence: factEvidence(input.snapshot?.os, 1),
        repair: null,
        codes: [],
      }),
    ]
  },
}
