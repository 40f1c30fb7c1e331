/**
 * The fallback: a code in play that no specific rule explains gets the knowledge's meaning, causes and
 * remedies (or an honest "unknown" with its decoded parts), at low confidence.
 */
import type { Rule, Finding } from '../rule.ts'
import { codesInPlay } from '../facts.ts'
import { finding, remedy } from '../finding.ts'
import { explain } from '../../knowledge/error-explain.ts'
import { errorCodeEntry } from '../../knowledge/error-codes.ts'
import { CAUSE_REMEDIES } from '../text-floor.ts'

/** Codes that report no failure to fix: ERROR_CANCELLED (0x800704C7) is a run someone or something stopped. */
const NOT_A_FAILURE = new Set(['0x800704C7'])
/**
 * Codes that report a failure that needs no repair: 0x80070103 from Windows Update is a driver already installed or not
 * suitable, which Microsoft says can be safely ignored (KB952032). Still what the person asks about, so it stays the
 * answer, but as a warning, never an error.
 */
const NOTHING_TO_REPAIR = new Set(['0x80070103'])

export const knownCodeRule: Rule = {
  id: 'known-code',
  evaluate(input): Finding[] {
    const out: Finding[] = []
    for (const s of codesInPlay(input).values()) {
      const e = explain(s.code, null) // gated on the evidence by diagnose() (advice-facts.ts)
      if (!e.ok) continue
      const x = e.value
      const fromUser = s.origins.has('user')
      // A code whose documented meaning is a cause by itself (another installation running, a package for another
      // processor, a full drive) is that cause: its id says so, its steps are the cause's after the code's.
      const cause = x.known ? (errorCodeEntry(x.code)?.cause ?? null) : null
      const remedies = x.remedies.length ? x.remedies : [remedy('R0')]
      out.push(
        finding({
          id: cause ? `${cause}:code-${x.code}` : `code-${x.code}`,
          // Plain words in front: the meaning; the constant and the code are on the technical line.
          title: x.known
            ? `${x.meaning.charAt(0).toUpperCase()}${x.meaning.slice(1)}`
            : x.name
              ? `An error code Servicing Desk's knowledge holds no cause for (${x.name})`
              : "An error code Servicing Desk's knowledge does not hold",
          technical: `${x.name ?? 'unnamed'} (${x.code})${x.component ? `, ${x.component}` : ''}${x.verified ? '' : ' — name or meaning unverified'}`,
          severity:
            x.decoded.severity === 'success' || NOT_A_FAILURE.has(x.code)
              ? 'info'
              : NOTHING_TO_REPAIR.has(x.code)
                ? 'warning'
                : 'error',
          confidence: x.known ? (fromUser ? 0.5 : 0.4) : 0.2,
          causes: x.known ? x.causes : [x.meaning],
          remedies: cause
            ? [...remedies, ...(CAUSE_REMEDIES[cause] ?? []).filter((r) => !remedies.some((m) => m.id === r.id))]
            : remedies,
          evidence: s.evidence,
          repair: x.remedies.find((r) => r.repair)?.repair ?? null,
          codes: [x.code],
        }),
      )
    }
    return out
  },
}
