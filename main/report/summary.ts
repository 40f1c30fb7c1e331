/**
 * The "copy summary" text for a ticket: a few plain lines a technician pastes into a helpdesk system.
 */
import type { Report } from '../../preload/model/report.ts'
import { runStateWords } from '../../preload/model/run-record.ts'
import { noProblemWords } from '../../preload/model/health.ts'
import { levelWords } from '../../preload/model/status-words.ts'
import { fixItRuns, unvouchedRuns } from './html.ts'

export function summaryOf(r: Report): string {
  const s = r.snapshot
  const os = s.os.status === 'known' ? s.os.value : null
  const lines: string[] = []
  lines.push(`Servicing Desk report — ${r.machineLabel}`)
  lines.push(`Host: ${os?.computerName ?? s.origin.name}`)
  // Plain words in front, the identifiers on an indented "technical:" line under them.
  const technical = (t: string | null | undefined) => {
    if (t) lines.push(`  technical: ${t}`)
  }
  if (r.originalError) {
    lines.push(
      `Original error: as seen in ${r.originalError.source}${r.originalError.cause ? ` — cause: ${r.originalError.cause}` : ''}`,
    )
    technical(`error code ${r.originalError.code}`)
  }
  if (os) {
    const build = os.build != null ? `${os.build}.${os.ubr ?? '?'}` : 'unknown build'
    lines.push(
      `Windows: ${[os.productName, os.displayVersion].filter(Boolean).join(' ') || 'unknown'}, build ${build}, ${os.nativeArch ?? 'unknown'} (native)`,
    )
  } else {
    lines.push(`Windows: unknown (${s.os.status === 'unknown' ? s.os.error : ''})`)
  }
  lines.push(`Checked: ${s.takenAt}`)
  if (r.topCause) {
    lines.push(`Most likely cause: ${r.topCause.title}`)
    technical(r.topCause.technical)
    const others = r.diagnosis.findings.filter((f) => f.state !== 'past' && f.id !== r.topCause!.id)
    if (others.length > 0)
      lines.push(
        `Other findings: ${others
          .slice(0, 3)
          .map((f) => f.title)
          .join('; ')}${others.length > 3 ? '; …' : ''}`,
      )
  } else {
    lines.push(
      r.diagnosis.available
        ? `Most likely cause: ${noProblemWords(r.diagnosis.findings)}`
        : 'Most likely cause: not diagnosed (diagnosis not available).',
    )
  }
  for (const f of r.diagnosis.findings.filter((x) => x.state === 'past'))
    lines.push(`Resolved since: ${f.title} — by ${f.resolvedBy ?? 'a later change'}`)
  // Every run that changed the PC: the Fix-it repairs (with their undo) and the installs / WinRE repairs.
  const fixIts = fixItRuns(r)
  const lvl = (l: { build: number | null; ubr: number | null } | null | undefined) =>
    l && l.build !== null ? `${l.build}.${l.ubr ?? '?'}` : null
  const moved = (
    x:
      | {
          before: { build: number | null; ubr: number | null } | null
          after: { build: number | null; ubr: number | null } | null
        }
      | undefined,
  ) =>
    x && lvl(x.before) && lvl(x.after) && lvl(x.before) !== lvl(x.after)
      ? ` (build ${lvl(x.before)} → ${lvl(x.after)})`
      : ''
  if (r.actions.length === 0 && fixIts.length === 0) lines.push('Done: nothing that still shows on this machine.')
  for (const x of fixIts) {
    lines.push(
      `Done: ${x.title} — ${runStateWords(x.outcome)}${x.verified !== null ? `; verified: ${x.verified ? 'yes' : 'no'}` : ''}${moved(x)}`,
    )
    for (const u of x.undo.filter((y) => y.done)) lines.push(`  Undo: ${u.how}`)
  }
  for (const x of unvouchedRuns(r))
    lines.push(
      `Not vouched for: ${x.title} — says ${runStateWords(x.outcome)}${x.verified ? ', verified' : ''} (${x.journal}: a record this copy cannot vouch for, so it counts for nothing)`,
    )
  for (const a of r.actions) {
    const failed = a.steps.filter((x) => x.result === 'failed')
    lines.push(
      `Done: ${a.kind === 'winre-repair' ? 'WinRE repair' : `install ${a.targets.join(', ') || 'updates'}`} — ${runStateWords(a.status)}${failed.length ? ` (failed: ${failed.map((x) => x.title).join('; ')})` : ''}${a.verification ? `; verified: ${a.verification.verified ? 'yes' : 'no'}` : ''}${moved((r.runs ?? []).find((x) => x.id === a.planId))}`,
    )
    const codes = failed.filter((x) => x.code).map((x) => `${x.title}: ${x.code}`)
    if (codes.length) technical(`error codes: ${codes.join('; ')}`)
  }
  const last = [...r.actions].reverse().find((a) => a.verification)
  if (last?.verification) {
    lines.push(
      `Verified after the last ${last.kind === 'winre-repair' ? 'WinRE repair' : 'install'}: ${last.verification.verified ? 'yes' : 'no'}`,
    )
    technical(last.verification.detail)
  }
  const bad = r.verification.checks.filter((c) => c.ok === false)
  lines.push(
    `Verification: ${r.verification.status === 'healthy' ? 'all checks pass' : r.verification.status === 'unknown' ? 'could not be checked' : r.verification.status === 'update-available' ? `update available — ${bad.map((c) => c.detail).join(' ')}` : `${bad.length} check(s) not passed — ${bad.map((c) => `${c.label}: ${levelWords[c.level ?? 'bad']}`).join('; ')}`}`,
  )
  return lines.join('\n')
}
