/** Analyzer for WindowsUpdateClient events as text (Get-WinEvent | Format-List, wevtutil /f:text, Event Viewer copy). */
import type { Analyzer, AnalyzeFinding } from '../analyzer.ts'
import { parseWuEvents, looksLikeWuEvents, lastStates } from '../../parse/wu-event.ts'
import { isErrorLevelEvent } from '../../knowledge/event-levels.ts'
import { nameOfCode } from '../../knowledge/error-codes.ts'
import { describeCode } from './log-errors.ts'

export const wuEventAnalyzer: Analyzer = {
  kind: 'wu-event',
  label: 'Windows Update events',
  detect: (text) => looksLikeWuEvents(text.slice(0, 50_000)),
  analyze(text) {
    const events = parseWuEvents(text)
    const failed = events.filter((e) => e.kind === 'failed')
    // One finding per update and code (a Servicing and a WUSA event often report the same failure).
    const seen = new Set<string>()
    const findings: AnalyzeFinding[] = failed
      .filter((e) => {
        const k = `${e.kb ?? e.title ?? e.line}|${e.code}`
        if (seen.has(k)) return false
        seen.add(k)
        return true
      })
      .slice(0, 10)
      .map((e) => ({
        id: 'wu-install-failed',
        severity: 'error',
        title:
          e.code === null && e.truncated
            ? `${e.kb ?? e.title ?? 'An update'} failed to install (the event's message was cut before its code)`
            : `${e.kb ?? e.title ?? 'An update'} failed to install with ${describeCode(e.code)}`,
        detail: e.message,
      }))
    // The level the tool gave the line decides (isErrorLevelEvent).
    for (const e of events.filter(isErrorLevelEvent).slice(0, 5)) {
      findings.push({
        id: 'event-error-level',
        severity: 'error',
        title: `Event ${e.id ?? '?'}${e.provider ? ` from ${e.provider}` : ''} was logged at level ${e.level}`,
        detail: `Line ${e.line}: ${e.message}`,
      })
    }
    return {
      facts: {
        errors: failed.map((e) => ({ code: e.code, name: nameOfCode(e.code), line: e.line, text: e.message })),
        events,
        lastState: lastStates(events),
      },
      findings,
      warnings: events.length === 0 ? ['No events found in this text.'] : [],
    }
  },
}
