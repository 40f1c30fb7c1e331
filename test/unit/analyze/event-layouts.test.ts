/**
 * Update events in more of the layouts Windows prints them in, each a real capture
 * (test/fixtures/wu-event): `Get-WinEvent | Format-Table` (provider groups, messages cut with `…`),
 * Event Viewer's list rows of the Setup log (Servicing 1/3 and WUSA 3, Microsoft's 0x80070490 article),
 * and a Time:/ID:/Source:/Message: listing of a Servicing event. Facts: IDs, kinds, KBs, codes, times,
 * and the last state of each update. Hostile variants: flattened, quoted with '> ', cut off.
 */
import { describe, it, expect } from 'vitest'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { parseWuEvents, lastStates, type WuEvent, type UpdateState } from '../../../main/parse/wu-event.ts'
import { loadFixture } from '../../fixtures/load.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

const table = loadFixture('wu-event/get-winevent-format-table.txt').text
const tableFailure = loadFixture('wu-event/get-winevent-format-table-failure-excerpt.txt').text
const setupLog = loadFixture('wu-event/setup-log-servicing-wusa-0x8e5e03fa.txt').text
const listing = loadFixture('wu-event/servicing-event-7-list.txt').text

function eventsOf(text: string): WuEvent[] {
  const r = analyzeText(text)
  expect(r.kind).toBe('wu-event')
  return r.facts.events as WuEvent[]
}
const wu = (ev: WuEvent[]) => ev.filter((e) => e.kind !== 'other').map((e) => [e.id, e.kind, e.time])

describe('Get-WinEvent | Format-Table (real transcript)', () => {
  it('reads every row of every provider group, with the provider, and the update events by Id', () => {
    const ev = eventsOf(table)
    expect(ev).toHaveLength(20)
    expect(ev.filter((e) => e.provider === 'Microsoft-Windows-WindowsUpdateClient')).toHaveLength(3)
    expect(wu(ev)).toEqual([
      [19, 'installed', '11/2/2023 7:19:46 PM'],
      [43, 'install-started', '11/2/2023 7:19:45 PM'],
      [44, 'download-started', '11/2/2023 7:19:24 PM'],
    ])
    // Format-Table cut the messages: said, and no title is made up from the '…'.
    expect(ev[0]).toMatchObject({ truncated: true, title: null, level: 'Information' })
  })

  it('a failure whose message was cut says its code is not in the text, and no code is made up', () => {
    const r = analyzeText(tableFailure)
    const ev = r.facts.events as WuEvent[]
    expect(wu(ev)).toEqual([
      [20, 'failed', '11/2/2023 2:32:55 PM'],
      [43, 'install-started', '11/2/2023 2:32:55 PM'],
    ])
    expect(ev.find((e) => e.id === 20)!.code).toBeNull()
    expect(r.findings.map((f) => f.title)).toEqual([
      "An update failed to install (the event's message was cut before its code)",
    ])
  })

  it('diagnose reports the failure (never "No problem found") and how to read the whole message', () => {
    const out = diagnose({ text: tableFailure })
    expect(out.findings.map((f) => f.id)).toEqual(['update-failed-no-code'])
    expect(out.findings[0]!.severity).toBe('error')
    expect(out.findings[0]!.remedies[0]!.commands[0]).toMatch(/Get-WinEvent .*Id=20.*Format-List/)
    // A failure whose code is in the text is explained by its code, not by this rule.
    expect(diagnose({ text: setupLog }).findings.map((f) => f.id)).not.toContain('update-failed-no-code')
  })
})

describe('Setup log list rows: Servicing and WUSA (Microsoft article)', () => {
  it('reads IDs, providers, KBs and the code in both its forms (Status: 0x…, unsigned decimal)', () => {
    const ev = eventsOf(setupLog)
    expect(ev.map((e) => [e.id, e.provider, e.kind, e.kb, e.code])).toEqual([
      [1, 'Microsoft-Windows-Servicing', 'install-started', 'KB5004122', null],
      [3, 'Microsoft-Windows-Servicing', 'failed', 'KB5004122', '0x8E5E03FA'],
      [1, 'Microsoft-Windows-Servicing', 'install-started', 'KB5004298', null],
      [3, 'Microsoft-Windows-Servicing', 'failed', 'KB5004298', '0x8E5E03FA'],
      [3, 'Microsoft-Windows-WUSA', 'failed', 'KB5004298', '0x8E5E03FA'],
    ])
  })

  it('the last state of each update, and one finding per update and code', () => {
    const r = analyzeText(setupLog)
    const last = r.facts.lastState as { updates: UpdateState[]; rule: string }
    expect(last.updates.map((u) => [u.update, u.state, u.code, u.events])).toEqual([
      ['KB5004122', 'failed', '0x8E5E03FA', 2],
      ['KB5004298', 'failed', '0x8E5E03FA', 3],
    ])
    expect(last.rule).toMatch(/latest event/)
    expect(r.findings.map((f) => f.title)).toEqual([
      expect.stringMatching(/^KB5004122 failed to install with 0x8E5E03FA/),
      expect.stringMatching(/^KB5004298 failed to install with 0x8E5E03FA/),
    ])
  })
})

describe('last state', () => {
  it('by time when the events carry one (newest-first listings too), else by line', () => {
    const ev = (id: number, kind: WuEvent['kind'], time: string | null, line: number): WuEvent => ({
      id,
      kind,
      time,
      line,
      kb: 'KB5034441',
      provider: null,
      level: null,
      message: '',
      title: null,
      code: null,
      truncated: false,
    })
    // Newest first, as Get-WinEvent lists them: installed at 10:05 wins over the failure at 09:00.
    expect(
      lastStates([ev(19, 'installed', '5/2/2024 10:05:00 AM', 1), ev(20, 'failed', '5/2/2024 9:00:00 AM', 2)])
        .updates[0]!.state,
    ).toBe('installed')
    // No times: the later line wins.
    expect(lastStates([ev(20, 'failed', null, 1), ev(19, 'installed', null, 2)]).updates[0]!.state).toBe('installed')
    expect(lastStates([ev(19, 'installed', null, 1), ev(20, 'failed', null, 2)]).updates[0]!.state).toBe('failed')
  })
})

describe('a Time:/ID:/Source:/Message: listing of a Servicing event (Microsoft article)', () => {
  it('reads the ID, time, provider and message', () => {
    const ev = eventsOf(listing)
    expect(ev).toEqual([
      expect.objectContaining({
        id: 7,
        time: '4/27/2020 6:16:51 AM',
        provider: 'Microsoft-Windows-Servicing',
        level: 'Information',
        kind: 'other',
      }),
    ])
    expect(ev[0]!.message).toMatch(/^Initiating changes to turn on update EnhancedStorage/)
  })
})

describe('damaged pastes of these layouts', () => {
  const sig = (text: string) =>
    ((analyzeText(text).facts.events as WuEvent[]) ?? []).map((e) => [e.id, e.kind, e.kb, e.code, e.provider, e.time])
  const originals: [string, string][] = [
    ['format-table', table],
    ['format-table failure', tableFailure],
    ['setup log rows', setupLog],
    ['listing', listing],
  ]
  const variants = originals.flatMap(([name, text]) => [
    { name: `${name} flattened`, text: text.replace(/\r?\n/g, ' '), original: text },
    {
      name: `${name} quoted`,
      text: text
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n'),
      original: text,
    },
  ])
  it(`runs ${variants.length} variants`, () => {
    expect(variants.length).toBe(8)
  })
  it.each(variants)('$name reads the same events', ({ text, original }) => {
    expect(sig(text)).toEqual(sig(original))
    expect(sig(text).length).toBeGreaterThan(0)
  })

  it('cut off anywhere: never throws, and every whole row before the cut is read', () => {
    let cuts = 0
    for (const text of [table, setupLog]) {
      for (let at = 0; at <= text.length; at += 23) {
        cuts++
        const part = text.slice(0, at)
        const ev = parseWuEvents(part)
        const wholeRows = part
          .slice(0, part.lastIndexOf('\n') + 1)
          .split('\n')
          .filter((l) => /^(?:\d{1,2}\/|Information |Error )/.test(l)).length
        expect(ev.length).toBeGreaterThanOrEqual(wholeRows)
        analyzeText(part)
      }
    }
    expect(cuts).toBeGreaterThan(150)
  })
})
