/**
 * Advice in words passes the same gate as a remedy's commands: a sentence of advice that names a destructive step
 * (bcdboot, bcdedit /delete, format, a partition cmdlet, /ResetBase, wusa /uninstall — main/knowledge/remedy-steps.ts
 * `words`) whose precondition these facts do not hold is replaced by what is withheld and when it would be advised.
 * Pasted text alone is no evidence (NO_EVIDENCE): one pasted reagentc line never makes the app advise bcdboot.
 */
import { kindsNamedIn, stepVerdict, NO_EVIDENCE, type AdviceFacts } from './remedy-steps.ts'

export function gateAdviceWords(text: string, facts: AdviceFacts = NO_EVIDENCE): string {
  // Sentences end at '.', '!' or '?' followed by a space (a path's dots do not end one).
  const sentences = text.split(/(?<=[.!?])\s+/)
  return sentences
    .map((s) => {
      const denied = kindsNamedIn(s).filter((k) => k.risk !== 'read-only' && !stepVerdict(k, facts).allowed)
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
