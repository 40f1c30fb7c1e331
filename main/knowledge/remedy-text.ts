/** Remedies as people read them (diagnosis findings, `explain`, the report): one function for every surface. */
import type { Remedy } from '../../preload/model/diagnosis.ts'
import { topRisk } from '../../preload/model/step-risk.ts'
import { humanizeCitations as h } from './citations.ts'
import { copyableCommand } from '../system-tools.ts'

/** A command line with a `<value>` to fill in: not a command anyone can run as shown. */
export const PLACEHOLDER = /<[A-Za-z][^<>]*>/

/**
 * A remedy as people see it: its internal citation keys turned into names, and every command line with a
 * placeholder moved from `commands` (copy and run as shown) to `fillIn` (a pattern to complete first).
 */
export function humanRemedy(r: Remedy): Remedy {
  // Every program by its full path: a bare name runs whatever copy is in the current folder.
  const fillIn = [...(r.fillIn ?? []), ...r.commands.filter((c) => PLACEHOLDER.test(c))].map(copyableCommand)
  const out: Remedy = {
    ...r,
    title: h(r.title),
    text: h(r.text),
    commands: r.commands.filter((c) => !PLACEHOLDER.test(c)).map(copyableCommand),
  }
  if (fillIn.length) out.fillIn = fillIn
  else delete out.fillIn
  return out
}

const RISK_WORDS = {
  'read-only': 'reads only, changes nothing',
  reversible: 'changes the PC in a way that can be put back',
  irreversible: 'changes the PC in a way that cannot be put back',
  destructive: 'destructive',
} as const

/**
 * A remedy's risk and preconditions in plain words, one line each (CLI, report): its highest risk; each destructive
 * step with why it is offered here, what it undoes and how to undo it; each step withheld and when it would be offered.
 */
export function remedyRiskLines(r: Remedy): string[] {
  const steps = r.steps ?? []
  const out: string[] = []
  const risk = topRisk(steps)
  if (risk && risk !== 'destructive') out.push(`Risk: ${RISK_WORDS[risk]}.`)
  for (const s of steps.filter((x) => x.risk === 'destructive')) {
    out.push(
      `Destructive step — ${s.intent}. Offered because ${s.when}.${s.undoes ? ` It undoes: ${s.undoes}.` : ''}${s.undo ? ` To undo it: ${s.undo}.` : ''}${s.source ? ` Microsoft: ${s.source}` : ''}`,
    )
  }
  for (const s of r.withheld ?? [])
    out.push(
      `Not offered (${s.risk === 'destructive' ? 'destructive' : RISK_WORDS[s.risk]}): ${s.intent} — only when ${s.when}.`,
    )
  return out
}
