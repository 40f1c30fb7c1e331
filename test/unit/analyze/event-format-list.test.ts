/**
 * Update events as `Get-WinEvent | Format-List` and `wevtutil qe … /f:text` print them, from real
 * captures: a German Windows Server 2019 script log that prints a Servicing event 2 and a WUSA event 4 as
 * Format-List records (t-k365/Install-KB5037765 README), and a real wevtutil /f:text capture of three
 * Application events (no update events in it: it shows every record of that layout is read, with its Id and
 * Source, and that nothing is called an update event). No real wevtutil capture of a WindowsUpdateClient,
 * Servicing or WUSA event was found in the search index; none is made up here.
 */
import { describe, it, expect } from 'vitest'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { parseWuEvents, type WuEvent } from '../../../main/parse/wu-event.ts'
import { loadFixture } from '../../fixtures/load.ts'

const formatList = loadFixture('corpus/wu-event/de-format-list-servicing-2-wusa-4-kb5037765.txt').text
const wevtutil = loadFixture('events/wevtutil-application-3-events.txt').text

describe('Get-WinEvent | Format-List (real German capture inside a script log)', () => {
  it('is recognised as update events and reads every record: Id, time, provider, kind, KB', () => {
    const r = analyzeText(formatList)
    expect(r.kind).toBe('wu-event')
    const ev = r.facts.events as WuEvent[]
    expect(ev.map((e) => [e.id, e.time, e.provider, e.kind, e.kb])).toEqual([
      [2, '16.05.2024 07:14:01', 'Microsoft-Windows-Servicing', 'installed', null],
      [4, '16.05.2024 07:19:44', 'Microsoft-Windows-WUSA', 'restart-required', 'KB5037765'],
    ])
    // The Format-List message continues on indented lines: all of it is the message.
    expect(ev[1]!.message).toMatch(/^Das Windows-Update Sicherheitsupdate .* \/quiet \/norestart "\)$/)
    expect((r.facts.lastState as { updates: unknown[] }).updates).toMatchObject([
      { update: 'KB5037765', state: 'restart-required', line: ev[1]!.line },
    ])
    expect(r.findings.filter((f) => f.severity === 'error' || f.severity === 'critical')).toEqual([])
  })

  it('the script lines between the records do not become events or fields', () => {
    expect(parseWuEvents(formatList)).toHaveLength(2)
  })
})

describe('wevtutil qe … /f:text (real capture, three Application events)', () => {
  it('reads every Event[n] record with its Event ID, Source, Level and Description', () => {
    const ev = parseWuEvents(wevtutil)
    expect(ev.map((e) => [e.id, e.provider, e.level, e.kind])).toEqual([
      [16384, 'Microsoft-Windows-Security-SPP', 'Information', 'other'],
      [16394, 'Microsoft-Windows-Security-SPP', 'Information', 'other'],
      [9027, 'Desktop Window Manager', 'Information', 'other'],
    ])
    expect(ev.map((e) => e.message)).toEqual([
      'Successfully scheduled Software Protection service for re-start at 2022-09-12T00:51:13Z. Reason: RulesEngine.',
      'Offline downlevel migration succeeded.',
      'The Desktop Window Manager has registered the session port.',
    ])
  })

  it('is not taken for update events (no update provider in it)', () => {
    expect(analyzeText(wevtutil).kind).not.toBe('wu-event')
  })
})

/**
 * An event's message is translated into the display language, its Id, provider and codes are not. No
 * real German/French/Japanese WindowsUpdateClient event 20 capture was found, so none is made up: the real English
 * event 20 (corpus en-event-20-netfx4-kb982671-0x80070643) is printed as Format-List prints it (the property names
 * ProviderName/Id/Message are PowerShell's, never translated) with every word of its message replaced, and the reader
 * must take the same facts from it: the reader keys on the format, not on the English words.
 */
describe('update events read by format, not by their English words', () => {
  const english = loadFixture('corpus/wu-event/en-event-20-netfx4-kb982671-0x80070643.txt').text
  const message = /^Installation Failure: .*$/m.exec(english)![0]
  /** Every word of letters (not a KB, a code or a number) replaced by a placeholder of the same length. */
  const wordless = (m: string) =>
    m.replace(/(?<![0-9A-Za-z])(?!KB\d)(?!0x)[A-Za-z][A-Za-z.'-]*/g, (w) => 'Q'.repeat(w.length))
  const record = (m: string) =>
    `TimeCreated  : 6/30/2010 3:03:25 AM\nProviderName : Microsoft-Windows-WindowsUpdateClient\nId           : 20\nMessage      : ${m}\n`

  it('the same event with its message words replaced reads the same: failed, KB982671, 0x80070643', () => {
    const a = parseWuEvents(record(message))
    const b = parseWuEvents(record(wordless(message)))
    expect(wordless(message)).not.toMatch(/Installation|Failure|error|update/i)
    expect(a.map((e) => [e.id, e.kind, e.kb, e.code])).toEqual([[20, 'failed', 'KB982671', '0x80070643']])
    expect(b.map((e) => [e.id, e.kind, e.kb, e.code])).toEqual(a.map((e) => [e.id, e.kind, e.kb, e.code]))
  })
})
