/**
 * An update event says the installation failed but carries no code — `Get-WinEvent | Format-Table` cuts
 * the message ("… with err…") before it. The failure still happened: it is reported (never "No problem
 * found"), with the command that prints the whole message so its code can be read.
 * Event IDs: servicing-facts §8 (WindowsUpdateClient 20 = installation failure [S48]).
 */
import type { Rule, Finding } from '../rule.ts'
import { finding, customRemedy, remedy } from '../finding.ts'

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
