/**
 * Advice in words passes the same gate as a remedy's commands: a sentence of advice that names a destructive step
 * (bcdboot, bcdedit /delete, format, a partition cmdlet, /ResetBase, wusa /uninstall — main/knowledge/remedy-steps.ts
 * `words` — or any step by its command line, e.g. DISM /Cleanup-Image /RevertPendingActions) whose precondition these
 * facts do not hold is replaced by what is withheld and when it would be advised.
 * Pasted text alone is no evidence (NO_EVIDENCE): one pasted reagentc line never makes the app advise bcdboot.
 */
import {
  adviseRemedy,
  kindsCommandedIn,
  kindsNamedIn,
  stepVerdict,
  NO_EVIDENCE,
  type AdviceFacts,
} from './remedy-steps.ts'
import { standardRemedy } from './error-codes.ts'
import { humanizeCitations } from './citations.ts'
import { humanRemedy } from './remedy-text.ts'

const SENTENCES = /(?<=[.!?])\s+/
/** A remedy summary is a list of clauses ("R1, then retry; R8 if it persists"): each clause is judged on its own. */
const CLAUSES = /(?<=[;.!?])\s+/

export function gateAdviceWords(text: string, facts: AdviceFacts = NO_EVIDENCE, split: RegExp = SENTENCES): string {
  // Sentences end at '.', '!' or '?' followed by a space (a path's dots do not end one).
  const sentences = text.split(split)
  return sentences
    .map((s) => {
      const named = [...new Set([...kindsNamedIn(s), ...kindsCommandedIn(s)])]
      const denied = named.filter((k) => k.risk !== 'read-only' && !stepVerdict(k, facts).allowed)
      if (!denied.length) return s
      return denied
        .map(
          (k) =>
            `Not advised here: ${k.intent.charAt(0).toLowerCase()}${k.intent.slice(1)} — only when ${k.precondition.text}, on the PC itself (servicing-desk diagnose there reads it).`,
        )
        .join(' ')
    })
    .join(' ')
}

/**
 * A remedy summary ("R1, R8"; explain's "What to do") through the gate, clause by clause: a clause naming a step these
 * facts withhold (in words or by its command line) is replaced by what is not advised and when it would be; a remedy it
 * names whose step is withheld is said to be not advised here (its steps, shown below it, say why). Then its citations
 * and remedy ids are put in words.
 */
export function gateRemedyText(raw: string, facts: AdviceFacts): string {
  return raw
    .split(CLAUSES)
    .map((clause) => {
      const gated = gateAdviceWords(clause, facts, CLAUSES)
      if (gated !== clause) return gated
      const marked = clause.replace(/\b(R\d{1,2})\b/g, (whole, id: string) => {
        const r = standardRemedy(id)
        if (!r || !adviseRemedy(humanRemedy(r), facts).withheld?.length) return whole
        return `“${r.title}” (not advised here: its steps below say when)`
      })
      return humanizeCitations(marked)
    })
    .join(' ')
}
