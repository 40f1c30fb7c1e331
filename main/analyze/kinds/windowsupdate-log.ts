/**
 * Analyzer for WindowsUpdate.log (Get-WindowsUpdateLog's ETW text and the file before Windows 10 1607) and
 * ReportingEvents.log: the story of each update and call (main/parse/windowsupdate-log.ts), and a diagnosis that
 * speaks of each story's END — a failed install, search, download or call, or a server that could not be reached
 * and was not reached later. A success code (`resultMapped=80242014`, `0x00242015`, `Exit code = 0x00000000`) or a
 * helper's `*FAILED*` trace in the middle of a story is no error. Each story's end is a typed fact
 * (`facts.stories[].end`, `facts.outcome`) for the remedies to gate on: a story that ended succeeded or waiting for
 * a restart asks for no repair.
 */
import type { Analyzer, AnalyzeFinding } from '../analyzer.ts'
import { parseWindowsUpdateLog, windowsUpdateLogScore, type WuStory } from '../../parse/windowsupdate-log.ts'
import { nameOfCode } from '../../knowledge/error-codes.ts'
import { describeCode } from './log-errors.ts'

function label(s: WuStory): string {
  const name = s.title ?? s.kb ?? `update ${s.id}`
  return s.kb && s.title && !s.title.includes(s.kb) ? `${name} (${s.kb})` : name
}

function failureTitle(s: WuStory): string {
  const code = describeCode(s.code)
  switch (s.kind) {
    case 'install':
      return `${label(s)} failed to install with ${code}`
    case 'download':
      return `${label(s)} failed to download with ${code}`
    case 'search':
      return `The update search ended with ${code}`
    case 'install-call':
      return s.code
        ? `The install call ended with failures (call error ${code})`
        : 'The install call ended with failures'
    case 'api-call':
      return `The Windows Update API returned ${code} to its caller`
    case 'connection':
      return `Windows Update could not reach ${s.id === 'server' ? 'its server' : s.id}: ${code}`
  }
}

export const windowsUpdateLogAnalyzer: Analyzer = {
  kind: 'windowsupdate-log',
  label: 'WindowsUpdate.log',
  detect: (text) => windowsUpdateLogScore(text.slice(0, 200_000)),
  analyze(text) {
    const r = parseWindowsUpdateLog(text)
    const findings: AnalyzeFinding[] = []
    const failed = r.stories.filter((s) => s.end === 'failed')
    const updateFailed = failed.some((s) => s.kind === 'install' || s.kind === 'download')
    for (const s of failed.slice(0, 10)) {
      // The install call's summary repeats the updates' own failures: an error only when no update's story says it.
      const severity = s.kind === 'install-call' && updateFailed ? 'warning' : 'error'
      findings.push({
        id: `wu-log-${s.kind}-failed`,
        severity,
        title: failureTitle(s),
        detail: `Line ${s.line}: ${s.text}`,
      })
    }
    const pending = r.stories.filter((s) => s.end === 'restart-pending')
    for (const s of pending.slice(0, 5)) {
      findings.push({
        id: 'wu-log-restart-pending',
        severity: 'info',
        title: `${s.kind === 'install-call' ? 'The install call' : label(s)} installed; a restart completes it${s.code ? ` (${describeCode(s.code)} is not an error)` : ''}`,
        detail: `Line ${s.line}: ${s.text}`,
      })
    }
    for (const s of r.stories.filter((x) => x.end === 'cancelled').slice(0, 3)) {
      findings.push({
        id: 'wu-log-cancelled',
        severity: 'info',
        title: `${s.kind === 'search' ? 'An update search' : label(s)} was cancelled${s.code ? ` (${describeCode(s.code)})` : ''}`,
        detail: `Line ${s.line}: ${s.text}`,
      })
    }
    const ends = { succeeded: 0, failed: 0, cancelled: 0, 'restart-pending': 0, 'in-progress': 0 }
    for (const s of r.stories) ends[s.end]++
    if (failed.length === 0 && r.stories.length > 0) {
      findings.push({
        id: 'wu-log-no-failure',
        severity: 'info',
        title: `No update story in this log ends in a failure (${ends.succeeded} succeeded, ${ends['restart-pending']} waiting for a restart, ${ends['in-progress']} not ended in the text)`,
        detail: 'Codes on lines in the middle of a story (helper traces, success codes) are routine.',
      })
    }
    return {
      facts: {
        form: r.form,
        agentLines: r.agentLines,
        components: r.components,
        clientVersion: r.clientVersion,
        outcome: r.outcome,
        storyEnds: ends,
        stories: r.stories,
        errors: failed.map((s) => ({ code: s.code, name: nameOfCode(s.code), line: s.line, text: s.text })),
        codes: r.codes,
      },
      findings,
      warnings: r.agentLines === 0 ? ['No Windows Update agent lines found in this text.'] : [],
    }
  },
}
