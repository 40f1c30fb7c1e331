/**
 * Analyzers for copied update lists (main/parse/update-lists.ts): PSWindowsUpdate's tables (`pswindowsupdate`) and
 * Settings' Update history (`update-history`). Each update's newest state decides: a failure an install of the same
 * update later overtook is not the state; a failed newest state is an error, with its code where the list shows one.
 */
import type { Analyzer, AnalyzeFinding, AnalyzeOutput } from '../analyzer.ts'
import { parseUpdateLists, updateListScore, type UpdateList } from '../../parse/update-lists.ts'
import { describeCode } from './log-errors.ts'

function analyze(r: UpdateList): AnalyzeOutput {
  const findings: AnalyzeFinding[] = []
  const name = (u: UpdateList['latest'][number]) =>
    u.kb && !u.title.includes(u.kb) ? `${u.title} (${u.kb})` : u.title || u.kb || 'An update'
  for (const u of r.latest.filter((x) => x.state === 'failed').slice(0, 10)) {
    findings.push({
      id: 'update-list-failed',
      severity: 'error',
      title: `${name(u)} failed to install${u.code ? ` with ${describeCode(u.code)}` : ''}`,
      detail: `Line ${u.line}${u.date ? `, ${u.date}` : ''}`,
    })
  }
  for (const u of r.latest.filter((x) => x.state === 'aborted' || x.state === 'succeeded-with-errors').slice(0, 5)) {
    findings.push({
      id: 'update-list-partial',
      severity: 'warning',
      title: `${name(u)}: ${u.state.replace(/-/g, ' ')}`,
      detail: `Line ${u.line}`,
    })
  }
  const overtaken = r.rows.filter((x) => x.state === 'failed' && !r.latest.includes(x))
  if (overtaken.length > 0)
    findings.push({
      id: 'update-list-overtaken',
      severity: 'info',
      title: `${overtaken.length} earlier failure(s) were overtaken by a later install of the same update`,
      detail: overtaken
        .slice(0, 5)
        .map((x) => `line ${x.line}${x.code ? ` ${x.code}` : ''}`)
        .join(', '),
    })
  return {
    facts: {
      form: r.form,
      updates: r.latest,
      rows: r.rows.slice(0, 200),
      outcome: r.latest.some((x) => x.state === 'failed') ? 'failed' : r.latest.length ? 'succeeded' : null,
      errors: r.latest.filter((x) => x.state === 'failed').map((x) => ({ code: x.code, line: x.line, text: x.title })),
      codes: r.rows.flatMap((x) => (x.code ? [x.code] : [])),
    },
    findings,
    warnings: r.rows.length === 0 ? ['No update rows found in this text.'] : [],
  }
}

export const psWindowsUpdateAnalyzer: Analyzer = {
  kind: 'pswindowsupdate',
  label: 'PSWindowsUpdate table (Get-WUHistory, Install-WindowsUpdate)',
  detect: (text) => {
    const r = parseUpdateLists(text.slice(0, 100_000))
    return r.form === 'wu-history' || r.form === 'wu-install' ? updateListScore(text) : 0
  },
  analyze: (text) => analyze(parseUpdateLists(text)),
}

export const settingsHistoryAnalyzer: Analyzer = {
  kind: 'update-history',
  label: 'Settings › Update history (copied text)',
  detect: (text) => {
    const r = parseUpdateLists(text.slice(0, 100_000))
    return r.form === 'settings-history' ? updateListScore(text) : 0
  },
  analyze: (text) => analyze(parseUpdateLists(text)),
}
