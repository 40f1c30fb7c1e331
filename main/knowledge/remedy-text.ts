/** Remedies as people read them (diagnosis findings, `explain`, the report): one function for every surface. */
import type { Remedy } from '../../preload/model/diagnosis.ts'
import { humanizeCitations as h } from './citations.ts'
import { copyableCommand } from '../system-tools.ts'

/** A command line with a `<value>` to fill in: not a command anyone can run as shown. */
export const PLACEHOLDER = /<[A-Za-z][^<>]*>/

/**
 * A remedy as people see it: its internal citation keys turned into names, and every command line with a
 * placeholder moved from `commands` (copy and run as shown) to `fillIn` (a pattern to complete first).
 */
export function humanRemedy(r: Remedy): Remedy {
  // Every program by its full path (issue 42 §1): a bare name runs whatever copy is in the current folder.
  const fillIn = [...(r.fillIn ?? []), ...r.commands.filter((c) => PLACEHOLDER.test(c))].map(copyableCommand)
  const out: Remedy = { ...r, title: h(r.title), text: h(r.text), commands: r.commands.filter((c) => !PLACEHOLDER.test(c)).map(copyableCommand) }
  if (fillIn.length) out.fillIn = fillIn
  else delete out.fillIn
  return out
}

