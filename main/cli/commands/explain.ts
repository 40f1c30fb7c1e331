/** `servicing-desk explain <code> [--json]`: what an error code means, causes, remedies in order, sources. */
import type { Command } from 'commander'
import type { CliContext } from '../context.ts'
import { CliError } from '../cli-error.ts'
import { explain } from '../../knowledge/error-explain.ts'
import type { ExplainResult } from '../../../preload/model/diagnosis.ts'
import { remedyRiskLines } from '../../knowledge/remedy-text.ts'

export function registerExplain(program: Command, ctx: CliContext): void {
  program
    .command('explain')
    .description(
      'explain an error code in any form (0x800F0922, 800f0922, -2146498270, 2148469026, 740, "0xC1900208 - 0x4000C", CBS_E_PENDING)',
    )
    .argument('<code...>', 'the error code (quote codes with spaces)')
    .option('--json', 'print JSON only')
    .action((parts: string[], opts: { json?: boolean }) => {
      const r = explain(parts.join(' '))
      if (!r.ok) throw new CliError(r.error)
      if (opts.json) ctx.io.json(r.value)
      else ctx.io.text(formatExplain(r.value))
    })
}

export function formatExplain(x: ExplainResult): string {
  const out: string[] = []
  out.push(
    `${x.code}${x.extend ? ` - ${x.extend}` : ''}  ${x.name ?? (x.known ? '(name not confirmed)' : 'UNKNOWN CODE')}${x.component ? `  [${x.component}]` : ''}`,
  )
  if (x.nameNote) out.push(`  Name: ${x.nameNote}`)
  out.push(`  Meaning: ${x.meaning}`)
  if (x.decoded.severity === 'success') out.push('  Not an error: this is a success code (nothing failed).')
  out.push(
    `  Decoded: ${x.decoded.severity}, ${x.decoded.facilityName ?? `facility ${x.decoded.facility}`}${x.decoded.win32 != null ? `, Win32 error ${x.decoded.win32}` : ''}`,
  )
  if (x.extendMeaning) {
    out.push(`  Extend code ${x.extendMeaning.extend}: ${x.extendMeaning.text}`)
    if (x.extendMeaning.pair)
      out.push(`  Microsoft on this pair: ${x.extendMeaning.pair.cause} ${x.extendMeaning.pair.mitigation}`)
  }
  if (!x.verified)
    out.push('  Note: part of this entry (name, meaning or causes) is not confirmed by Microsoft documentation.')
  if (x.causes.length) {
    out.push('', 'Likely causes:')
    for (const c of x.causes) out.push(`  - ${c}`)
  }
  if (x.remedyText) out.push('', `What to do: ${x.remedyText}`)
  if (x.remedies.length) {
    out.push('', 'Remedies, in order:')
    x.remedies.forEach((r, i) => {
      out.push(`  ${i + 1}. ${r.title}${r.verified ? '' : ' (unverified)'}`)
      for (const c of r.commands) out.push(`       ${c}`)
      for (const c of r.fillIn ?? []) out.push(`       (put your own value in place of each <…>) ${c}`)
      for (const l of remedyRiskLines(r)) out.push(`       ${l}`)
    })
  }
  out.push('', 'Sources:')
  for (const s of x.sources) out.push(`  - ${s.text}`)
  out.push(`  (knowledge as of ${x.asOf})`)
  return out.join('\n')
}
