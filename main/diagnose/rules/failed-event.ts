/**
 * An update event says the installation failed but carries no code — `Get-WinEvent | Format-Table` cuts
 * the message ("… with err…") before it. The failure still happened: it is reported (never "No problem
 * found"), with the command that prints the whole message so its code can be read.
 * Event IDs: servicing-facts §8 (WindowsUpdateClient 20 = installation failure [S48]).
 */
import type { Rule, Finding } from '../rule.ts'
import { finding, customRemedy, remedy } from '../finding.ts'
import { isErrorLevelEvent } from '../../knowledge/event-levels.ts'

export const failedEventWithoutCodeRule: Rule = {
  id: 'update-failed-no-code',
  evaluate(input): Finding[] {
    const events = input.logs.wuEvents.flatMap(({ source, events }) =>
      events.filter((e) => e.kind === 'failed' && e.code === null).map((e) => ({ source, e })),
    )
    if (events.length === 0) return []
    const cut = events.some(({ e }) => e.truncated)
    return [
      finding({
        id: 'update-failed-no-code',
        title: 'An update failed to install; its error code is not in the text',
        technical: events
          .map(({ e }) => `event ${e.id ?? '?'}${e.time ? ` at ${e.time}` : ''}${e.kb ? ` (${e.kb})` : ''}`)
          .slice(0, 5)
          .join(', '),
        severity: 'error',
        confidence: 0.3,
        causes: [
          cut
            ? 'The event says the installation failed, but its message was cut off (Format-Table ends long messages with "…") before the error code.'
            : 'The event says the installation failed, but its message names no error code.',
        ],
        remedies: [
          customRemedy(
            'full-event-message',
            'Print the whole event message to read its code',
            'Format-List prints each message in full; the code follows "with error".',
            [
              "Get-WinEvent -FilterHashtable @{LogName='System'; ProviderName='Microsoft-Windows-WindowsUpdateClient'; Id=20} -MaxEvents 5 | Format-List TimeCreated, Id, Message",
            ],
            null,
            ['S48'],
          ),
          remedy('R0'),
        ],
        evidence: events.slice(0, 12).map(({ source, e }) => ({ source, excerpt: e.message })),
        codes: [],
      }),
    ]
  },
}

/** Microsoft's reference of the read it prints: FilterHashtable's LogName and Level keys, MaxEvents. */
const GET_WINEVENT =
  'Get-WinEvent (Microsoft.PowerShell.Diagnostics) — https://learn.microsoft.com/powershell/module/microsoft.powershell.diagnostics/get-winevent?view=powershell-5.1'

/**
 * An event the log gave the level Error or Critical that no update outcome describes (a Service Control Manager 7023:
 * the Windows Modules Installer terminated with an error): the same events `analyze` shows as errors
 * (knowledge/event-levels.ts isErrorLevelEvent), so a pasted event list is a failure in both views. Its cause is the
 * event's own message; the whole message and the events around it tell more.
 */
export const errorLevelEventRule: Rule = {
  id: 'event-error-level',
  evaluate(input): Finding[] {
    const events = input.logs.wuEvents.flatMap(({ source, events }) =>
      events.filter(isErrorLevelEvent).map((e) => ({ source, e })),
    )
    if (events.length === 0) return []
    const first = events[0]!.e
    return [
      finding({
        id: 'event-error-level',
        title: `Windows logged an error: event ${first.id ?? '?'}${first.provider ? ` from ${first.provider}` : ''}`,
        technical: events
          .map(({ e }) => `${e.provider ?? 'event'} ${e.id ?? '?'} (${e.level})${e.time ? ` at ${e.time}` : ''}`)
          .slice(0, 5)
          .join(', '),
        severity: 'error',
        confidence: 0.3,
        causes: events.slice(0, 3).map(({ e }) => `The event's own message: ${e.message.trim()}`),
        remedies: [
          customRemedy(
            'error-events-around',
            'Print the error events of the same log in full, with those just before them',
            'Format-List prints each message whole; the events of the minutes before the error often name what it followed.',
            [
              "Get-WinEvent -FilterHashtable @{LogName='System'; Level=1,2} -MaxEvents 20 | Format-List TimeCreated, ProviderName, Id, LevelDisplayName, Message",
            ],
            null,
            [GET_WINEVENT],
          ),
        ],
        evidence: events.slice(0, 12).map(({ source, e }) => ({ source, excerpt: `Line ${e.line}: ${e.message}` })),
        codes: [],
      }),
    ]
  },
}
