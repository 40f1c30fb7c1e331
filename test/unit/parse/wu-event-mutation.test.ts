/**
 * parseWuEvents, lastStates and looksLikeWuEvents line by line (mutation testing). Whole events are
 * asserted on the real captures in test/fixtures/wu-event, test/fixtures/corpus/wu-event and test/fixtures/events
 * (Event Viewer copies, wevtutil /f:text, Get-WinEvent Format-List and Format-Table, the Setup log's list rows);
 * each rule (the record separators, the keys, message continuation, the kinds by Id and by message, the KB,
 * code and title, the last state) on short hand-made lines derived from those captures (edge cases, not captures).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'

type M0 = typeof import('../../../main/parse/wu-event.ts')
type WuEvent = import('../../../main/parse/wu-event.ts').WuEvent
let parseWuEvents: M0['parseWuEvents'], lastStates: M0['lastStates'], looksLikeWuEvents: M0['looksLikeWuEvents']
// A fresh module per test-file run (vi.resetModules): module-level tables and patterns are evaluated again, so
// Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ parseWuEvents, lastStates, looksLikeWuEvents } = await import('../../../main/parse/wu-event.ts'))
})

const WUC = 'Microsoft-Windows-WindowsUpdateClient'
const base: WuEvent = {
  id: null,
  time: null,
  provider: null,
  level: null,
  message: '',
  kind: 'other',
  kb: null,
  title: null,
  code: null,
  line: 1,
  truncated: false,
}
const ev = (over: Partial<WuEvent>): WuEvent => ({ ...base, ...over })
const one = (text: string): WuEvent => {
  const all = parseWuEvents(text)
  expect(all).toHaveLength(1)
  return all[0]!
}

describe('parseWuEvents on the real captures, whole events', () => {
  it('Event Viewer copy of event 20 (Microsoft article): every field', () => {
    expect(parseWuEvents(loadFixture('wu-event/event20-0x80070002.txt').text)).toEqual([
      ev({
        id: 20,
        time: 'DD/MM/yyyy hh:ss:ff',
        provider: WUC,
        level: 'Error',
        message:
          'Installation Failure: Windows failed to install the following update with error 0x80070002: Security Update for Windows (KB4586793).',
        kind: 'failed',
        kb: 'KB4586793',
        title: 'Security Update for Windows (KB4586793)',
        code: '0x80070002',
      }),
    ])
  })

  it('Event Viewer copy of event 19, indented: installed, the title without a final dot', () => {
    expect(parseWuEvents(loadFixture('corpus/wu-event/en-event-19-defender-kb2267602-indented.txt').text)).toEqual([
      ev({
        id: 19,
        time: '2021-01-20 14:57:52',
        provider: WUC,
        level: 'Information',
        message:
          'Installation Successful: Windows successfully installed the following update: Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.329.2528.0)',
        kind: 'installed',
        kb: 'KB2267602',
        title: 'Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.329.2528.0)',
      }),
    ])
  })

  it('Event Viewer copy of event 20 (.NET 4): the 6-digit KB, the code, the title', () => {
    expect(parseWuEvents(loadFixture('corpus/wu-event/en-event-20-netfx4-kb982671-0x80070643.txt').text)).toEqual([
      ev({
        id: 20,
        time: '6/30/2010 3:03:25 AM',
        provider: WUC,
        level: 'Error',
        message:
          'Installation Failure: Windows failed to install the following update with error 0x80070643: Microsoft .NET Framework 4 for Windows Server 2008 x64-based Systems (KB982671).',
        kind: 'failed',
        kb: 'KB982671',
        title: 'Microsoft .NET Framework 4 for Windows Server 2008 x64-based Systems (KB982671)',
        code: '0x80070643',
      }),
    ])
  })

  it('event 25 (a scan failure): other, its code read, no KB and no title', () => {
    expect(parseWuEvents(loadFixture('corpus/wu-event/en-event-25-scan-0x8024402f-server2016.txt').text)).toEqual([
      ev({
        id: 25,
        time: '17/02/2019 6:00:00',
        provider: WUC,
        level: 'Error',
        message: 'Windows Update failed to check for updates with error 0x8024402F.',
        code: '0x8024402F',
      }),
    ])
  })

  it('German Format-List: Servicing 2 installed and WUSA 4 restart-required by Id, the wrapped message joined', () => {
    expect(parseWuEvents(loadFixture('corpus/wu-event/de-format-list-servicing-2-wusa-4-kb5037765.txt').text)).toEqual([
      ev({
        id: 2,
        time: '16.05.2024 07:14:01',
        provider: 'Microsoft-Windows-Servicing',
        kind: 'installed',
        line: 18,
        message: 'Der Status des Pakets SP1 Language Pack wurde erfolgreich in "Installiert" geändert.',
      }),
      ev({
        id: 4,
        time: '16.05.2024 07:19:44',
        provider: 'Microsoft-Windows-WUSA',
        kind: 'restart-required',
        kb: 'KB5037765',
        line: 35,
        message:
          'Das Windows-Update Sicherheitsupdate für Windows (KB5037765) erfordert einen Neustart des Computers, um die Installation abzuschließen. (Befehlszeile: ""C:\\Windows\\system32\\wusa.exe" \\\\s1\\share\\windows10.0-kb5037765-x64_3ca0b737e301d4e398a38f1d67966f1c82507fa8.msu /quiet /norestart ")',
      }),
    ])
  })

  it('a Time:/ID:/Source:/Message: listing (Servicing 7): other, every field', () => {
    expect(parseWuEvents(loadFixture('wu-event/servicing-event-7-list.txt').text)).toEqual([
      ev({
        id: 7,
        time: '4/27/2020 6:16:51 AM',
        provider: 'Microsoft-Windows-Servicing',
        level: 'Information',
        message:
          'Initiating changes to turn on update EnhancedStorage of package Enhanced Storage. Client id: DISM Package Manager Provider.',
      }),
    ])
  })

  it('Setup log list rows: Servicing 1 and 3, WUSA 3 with the unsigned decimal code', () => {
    const start = (kb: string, line: number) =>
      ev({
        id: 1,
        provider: 'Microsoft-Windows-Servicing',
        level: 'Information',
        kind: 'install-started',
        kb,
        line,
        message: `Initiating changes for package ${kb}. Current state is Resolved. Target state is Installed. Client id: WindowsUpdateAgent.`,
      })
    const failed = (kb: string, line: number) =>
      ev({
        id: 3,
        provider: 'Microsoft-Windows-Servicing',
        level: 'Information',
        kind: 'failed',
        kb,
        line,
        code: '0x8E5E03FA',
        message: `Package ${kb} failed to be changed to the Installed state. Status: 0x8e5e03fa.`,
      })
    expect(parseWuEvents(loadFixture('wu-event/setup-log-servicing-wusa-0x8e5e03fa.txt').text)).toEqual([
      start('KB5004122', 1),
      failed('KB5004122', 2),
      start('KB5004298', 3),
      failed('KB5004298', 4),
      ev({
        id: 3,
        provider: 'Microsoft-Windows-WUSA',
        level: 'Error',
        kind: 'failed',
        kb: 'KB5004298',
        code: '0x8E5E03FA',
        line: 5,
        message:
          'Windows update "Security Update for Windows (KB5004298)" could not be installed because of error 2388526074 "" (Command line: ""C:\\Windows\\system32\\wusa.exe" "C:\\Users\\XXXXX\\Desktop\\WS2012R2-072021\\windows8.1-kb5004298-x64_e98bbac284034aac90559c0d311967d97ebfc0e5.msu" ")',
      }),
    ])
  })

  it('Format-Table excerpt: every row of both groups, cut messages marked truncated, no title from a lone "…"', () => {
    const kp = (id: number, message: string, line: number) =>
      ev({
        id,
        time: '11/2/2023 3:24:36 PM',
        provider: 'Microsoft-Windows-Kernel-Power',
        level: 'Information',
        message,
        line,
        truncated: true,
      })
    expect(parseWuEvents(loadFixture('wu-event/get-winevent-format-table-failure-excerpt.txt').text)).toEqual([
      kp(566, 'The system session has transitioned from 233 to 234.…', 5),
      kp(506, 'The system is entering Modern Standby …', 6),
      kp(566, 'The system session has transitioned from 232 to 233.…', 7),
      ev({
        id: 20,
        time: '11/2/2023 2:32:55 PM',
        provider: WUC,
        level: 'Error',
        kind: 'failed',
        line: 13,
        truncated: true,
        message: 'Installation Failure: Windows failed to install the following update with err…',
      }),
      ev({
        id: 43,
        time: '11/2/2023 2:32:55 PM',
        provider: WUC,
        level: 'Information',
        kind: 'install-started',
        line: 14,
        truncated: true,
        title: 'Ca…',
        message: 'Installation Started: Windows has started installing the following update: Ca…',
      }),
    ])
  })

  it('Format-Table of 20 events: 20 rows, the three update events by Id, the prompt line is no event', () => {
    const all = parseWuEvents(loadFixture('wu-event/get-winevent-format-table.txt').text)
    expect(all).toHaveLength(20)
    expect(all.slice(0, 3)).toEqual([
      ev({
        id: 19,
        time: '11/2/2023 7:19:46 PM',
        provider: WUC,
        level: 'Information',
        kind: 'installed',
        line: 7,
        truncated: true,
        message: 'Installation Successful: Windows successfully installed the following update:…',
      }),
      ev({
        id: 43,
        time: '11/2/2023 7:19:45 PM',
        provider: WUC,
        level: 'Information',
        kind: 'install-started',
        line: 8,
        truncated: true,
        title: '9M…',
        message: 'Installation Started: Windows has started installing the following update: 9M…',
      }),
      ev({
        id: 16,
        time: '11/2/2023 7:19:43 PM',
        provider: 'Microsoft-Windows-Kernel-General',
        level: 'Information',
        line: 14,
        truncated: true,
        message: 'The access history in hive \\??\\C:\\ProgramData\\Microsoft\\Windows\\AppRepository…',
      }),
    ])
    expect(all[3]).toEqual(
      ev({
        id: 44,
        time: '11/2/2023 7:19:24 PM',
        provider: WUC,
        level: 'Information',
        kind: 'download-started',
        line: 20,
        message: 'Windows Update started downloading an update.',
      }),
    )
  })

  it('wevtutil /f:text: three Application events split at Event[n], Source and Event ID read, the prompt dropped', () => {
    const spp = 'Microsoft-Windows-Security-SPP'
    expect(parseWuEvents(loadFixture('events/wevtutil-application-3-events.txt').text)).toEqual([
      ev({
        id: 16384,
        provider: spp,
        level: 'Information',
        line: 3,
        message:
          'Successfully scheduled Software Protection service for re-start at 2022-09-12T00:51:13Z. Reason: RulesEngine.',
      }),
      ev({
        id: 16394,
        provider: spp,
        level: 'Information',
        line: 17,
        message: 'Offline downlevel migration succeeded.',
      }),
      ev({
        id: 9027,
        provider: 'Desktop Window Manager',
        level: 'Information',
        line: 31,
        message: 'The Desktop Window Manager has registered the session port.',
      }),
    ])
  })

  it('a sequence of event messages without fields (Microsoft article): no event', () => {
    expect(parseWuEvents(loadFixture('corpus/wu-event/en-msdocs-0x8024001e-sequence.txt').text)).toEqual([])
  })
})

describe('parseWuEvents: records and keys (hand-made lines)', () => {
  const copy = (
    over: Record<string, string> = {},
    desc = 'Installation Failure: Windows failed to install the following update with error 0x80070002: Security Update for Windows (KB4586793).',
  ) => {
    const f: Record<string, string> = {
      'Log Name': 'System',
      Source: WUC,
      Date: '6/30/2010 3:03:25 AM',
      'Event ID': '20',
      Level: 'Error',
      ...over,
    }
    return [...Object.entries(f).map(([k, v]) => `${k}: ${v}`), 'Description:', desc]
  }

  it('not a string, empty, blank lines: no event', () => {
    expect(parseWuEvents(null as unknown as string)).toEqual([])
    expect(parseWuEvents(42 as unknown as string)).toEqual([])
    expect(parseWuEvents('')).toEqual([])
    expect(parseWuEvents('\n\n   \n')).toEqual([])
  })

  it('LF, CRLF and CR alone give the same events, with the same lines', () => {
    const lines = [
      ...copy(),
      '',
      ...copy(
        { 'Event ID': '19' },
        'Installation Successful: Windows successfully installed the following update: 2024-05 Update (KB5037765)',
      ),
    ]
    const lf = parseWuEvents(lines.join('\n'))
    expect(lf.map((e) => [e.id, e.kind, e.line])).toEqual([
      [20, 'failed', 1],
      [19, 'installed', 9],
    ])
    expect(parseWuEvents(lines.join('\r\n'))).toEqual(lf)
    expect(parseWuEvents(lines.join('\r'))).toEqual(lf)
  })

  it('a second Log Name: starts a new record (no blank line between)', () => {
    const all = parseWuEvents(
      [
        ...copy(),
        ...copy(
          { 'Event ID': '43' },
          'Installation Started: Windows has started installing the following update: X (KB1234567)',
        ),
      ].join('\n'),
    )
    expect(all.map((e) => [e.id, e.kind, e.kb, e.line])).toEqual([
      [20, 'failed', 'KB4586793', 1],
      [43, 'install-started', 'KB1234567', 8],
    ])
  })

  it('a Log Name: in a record with two fields or fewer does not split it', () => {
    const all = parseWuEvents([`Source: ${WUC}`, 'Event ID: 20', 'Log Name: System', 'Description:', 'x'].join('\n'))
    expect(all).toEqual([ev({ id: 20, provider: WUC, message: 'x', kind: 'failed' })])
  })

  it('Format-List records without blank lines between them: split at TimeCreated once a record has three fields', () => {
    const rec = (id: number, t: string) => [
      `TimeCreated  : ${t}`,
      `ProviderName : ${WUC}`,
      `Id           : ${id}`,
      'Message      : Windows Update started downloading an update.',
    ]
    const all = parseWuEvents([...rec(44, '1/1/2024 1:00:00 AM'), ...rec(44, '1/1/2024 2:00:00 AM')].join('\n'))
    expect(all.map((e) => [e.id, e.time, e.line, e.kind])).toEqual([
      [44, '1/1/2024 1:00:00 AM', 1, 'download-started'],
      [44, '1/1/2024 2:00:00 AM', 5, 'download-started'],
    ])
    // lower case keys are read the same
    expect(one('timecreated : 1/1/2024\nid : 19\nmessage : done').time).toBe('1/1/2024')
  })

  it('Event[n]: ends the record before it; Event[n] without a colon too', () => {
    const all = parseWuEvents(
      [
        'Event[0]:',
        '  Source: A',
        '  Event ID: 1',
        '  Description:',
        'one',
        'Event[1]',
        '  Source: B',
        '  Event ID: 2',
        '  Description:',
        'two',
      ].join('\n'),
    )
    expect(all.map((e) => [e.provider, e.id, e.message, e.line])).toEqual([
      ['A', 1, 'one', 2],
      ['B', 2, 'two', 7],
    ])
  })

  it('Event[n] with several digits splits; with text before or after it does not', () => {
    const rec = (n: string) => ['Source: A', 'Event ID: 1', 'Level: x', n, 'Event ID: 2'].join('\n')
    expect(parseWuEvents(rec('Event[12]:')).map((e) => e.id)).toEqual([1, 2])
    expect(parseWuEvents(rec('See Event[2]:')).map((e) => e.id)).toEqual([2])
    expect(parseWuEvents(rec('Event[2]: x')).map((e) => e.id)).toEqual([2])
  })
  it('a key that only contains TimeCreated does not split a record; lower case timecreated does', () => {
    expect(parseWuEvents('Id: 1\nLevel: a\nSource: b\nOld TimeCreated: x\nMessage: m')).toEqual([
      ev({ id: 1, level: 'a', provider: 'b', message: 'm' }),
    ])
    expect(
      parseWuEvents('Id: 1\nLevel: a\nSource: b\ntimecreated: x\nMessage: m').map((e) => [
        e.id,
        e.time,
        e.message,
        e.line,
      ]),
    ).toEqual([
      [1, null, '', 1],
      [null, 'x', 'm', 4],
    ])
  })
  it('a key must start its line: "1 Level: Error" is not a Level', () => {
    expect(one('Id: 1\n1 Level: Error')).toEqual(ev({ id: 1 }))
  })
  it('after the message ended, an indented Key: line naming Windows is a field, not more message', () => {
    expect(one('Id : 5\nMessage : a\n\n   Old Windows: b')).toMatchObject({ message: 'a' })
  })
  it('keys: Event ID, EventID and Id; Date, TimeCreated and Time; Level and LevelDisplayName; ProviderName and Source', () => {
    expect(one('EventID: 19\nTime: 10:00\nLevelDisplayName: Information\nProviderName : X\nMessage: m')).toMatchObject({
      id: 19,
      time: '10:00',
      level: 'Information',
      provider: 'X',
    })
    expect(one('Id: 19\nDate: 2024-01-01\nLevel: Error\nSource: Y\nMessage: m')).toMatchObject({
      id: 19,
      time: '2024-01-01',
      level: 'Error',
      provider: 'Y',
    })
    expect(one('Event ID: 19\nTimeCreated: a\nDate: b\nTime: c\nDescription: m')).toMatchObject({ id: 19, time: 'a' })
    expect(one('Event ID: 19\nDate: b\nTime: c\nDescription: m')).toMatchObject({ time: 'b' })
    expect(one('Id: 1\nEvent ID: 2\nEventID: 3\nMessage: m')).toMatchObject({ id: 1 })
    expect(one('Event ID: 2\nEventID: 3\nMessage: m')).toMatchObject({ id: 2 })
    expect(one('LevelDisplayName: A\nLevel: B\nId: 5\nMessage: m')).toMatchObject({ level: 'A' })
    expect(one('ProviderName : A\nSource: B\nId: 5\nMessage: m')).toMatchObject({ provider: 'A' })
    expect(one('Id: 5\nDescription: b\n\nMessage: a')).toMatchObject({ message: 'a' })
  })

  it('an Id that is not a number is no Id; a record with neither Id nor message is dropped', () => {
    expect(one('Id: 20a\nMessage: Installation Failure: x')).toMatchObject({ id: null, kind: 'failed' })
    expect(one('Id: x20\nMessage: m')).toMatchObject({ id: null })
    expect(one('Id: 2 0\nMessage: m')).toMatchObject({ id: null })
    expect(parseWuEvents('Id: \nMessage: ')).toEqual([])
    expect(parseWuEvents('Source: X\nLevel: Error')).toEqual([])
    expect(one('Id: 7')).toEqual(ev({ id: 7 }))
  })

  it('a key is up to 31 letters or spaces from a letter; values are trimmed; a colon without a space after it', () => {
    expect(one('Level:Information\nId:   20   \nMessage:   m  ')).toMatchObject({
      level: 'Information',
      id: 20,
      message: 'm',
    })
    expect(one('Source   : X\nId : 1\nMessage : m')).toMatchObject({ provider: 'X', id: 1 })
    // the key 'abcdefghijklmnopqrstuvwxyzabcdef' (32 characters) is no key: the line is ignored
    expect(one('Id: 1\nabcdefghijklmnopqrstuvwxyzabcdef: v')).toEqual(ev({ id: 1 }))
    // a line starting with a digit is no key
    expect(one('Id: 1\n1x: v')).toEqual(ev({ id: 1 }))
  })

  it('message lines that look like keys (Installation …:, Windows …:, Package …:, Security …:) stay in the message', () => {
    const e = one(
      [
        'Id: 20',
        'Description:',
        'Installation Failure: Windows failed to install the following update with error 0x80070643: X (KB982671).',
      ].join('\n'),
    )
    expect(e).toMatchObject({ kind: 'failed', code: '0x80070643', kb: 'KB982671', title: 'X (KB982671)' })
    // after the message ended (a blank line), such lines are still not fields
    for (const head of ['Installation Failure', 'Windows Update', 'Package State', 'Security Update']) {
      const r = one(`Id: 5\nMessage: m\n\n${head}: 7`)
      expect(r).toEqual(ev({ id: 5, message: 'm' }))
    }
    // other keys after the message ended are fields again
    expect(one('Id: 5\nMessage: m\n\nLevel: Error')).toEqual(ev({ id: 5, message: 'm', level: 'Error' }))
  })

  it('while in a message, a Key: line is message text', () => {
    expect(one('Id: 5\nMessage: first\nLevel: Error\nnext')).toEqual(ev({ id: 5, message: 'first Level: Error next' }))
  })

  it('an empty Description: takes the following lines; a blank line before any of them does not end it', () => {
    expect(one('Event ID: 20\nDescription:\n\nInstallation Failure: a (KB1234567)\nsecond line')).toMatchObject({
      message: 'Installation Failure: a (KB1234567) second line',
      kind: 'failed',
      kb: 'KB1234567',
    })
    expect(one('Event ID: 20\nDescription:\nfirst\n\nafter the blank')).toMatchObject({ message: 'first' })
    expect(one('Event ID: 20\nDescription: inline\n\nafter the blank')).toMatchObject({ message: 'inline' })
  })

  it('Format-List continuation: an indented line after the message ended is joined; an unindented one is not', () => {
    // the message ended at the blank line; an indented line continues it, an unindented one does not
    expect(one('Id : 5\nMessage : a\n\n   b')).toMatchObject({ message: 'a b' })
    expect(one('Id : 5\nMessage : a\n\nb')).toMatchObject({ message: 'a' })
    // without a Message field, an indented line is nothing
    expect(one('Id : 5\n   b')).toEqual(ev({ id: 5 }))
    expect(one('Id : 5\nDescription : a\n\n   b')).toMatchObject({ message: 'a' })
  })

  it('whitespace inside a message is one space', () => {
    expect(one('Id: 5\nMessage: a \t  b\n   c   d')).toMatchObject({ message: 'a b c d' })
  })
})

describe('parseWuEvents: Format-Table groups (hand-made rows)', () => {
  const head = [
    `   ProviderName: ${WUC}`,
    '',
    'TimeCreated          Id LevelDisplayName Message',
    '-----------          -- ---------------- -------',
  ]
  it('a group, its header and rows; times with and without seconds, AM/PM, a.m., dashes and dots', () => {
    const rows = [
      '11/2/2023 7:19:46 PM 19 Information     Installation Successful: Windows successfully installed the following update: A (KB5037765)',
      '2023-11-02 19:19 20 Error Installation Failure: Windows failed to install the following update with error 0x80070643: B (KB5037766).',
      '02.11.2023 19:19:44 21 Information Restart Required: x',
      '11/2/2023 7:19:45 a.m. 22 Information y',
      '11/2/2023 7:19:45pm 44 Information Windows Update started downloading an update.',
    ]
    const all = parseWuEvents([...head, ...rows].join('\n'))
    expect(all.map((e) => [e.time, e.id, e.level, e.kind, e.kb, e.code, e.line, e.provider])).toEqual([
      ['11/2/2023 7:19:46 PM', 19, 'Information', 'installed', 'KB5037765', null, 5, WUC],
      ['2023-11-02 19:19', 20, 'Error', 'failed', 'KB5037766', '0x80070643', 6, WUC],
      ['02.11.2023 19:19:44', 21, 'Information', 'restart-required', null, null, 7, WUC],
      ['11/2/2023 7:19:45 a.m.', 22, 'Information', 'restart-required', null, null, 8, WUC],
      ['11/2/2023 7:19:45pm', 44, 'Information', 'download-started', null, null, 9, WUC],
    ])
    expect(all[0]!.title).toBe('A (KB5037765)')
    expect(all[1]!.title).toBe('B (KB5037766)')
  })

  it('a row message is trimmed; a six-digit Id is no row', () => {
    expect(parseWuEvents([...head, '1/1/2024 1:00 PM 43 Information   m  '].join('\n'))[0]).toMatchObject({
      message: 'm',
      id: 43,
    })
    expect(parseWuEvents([...head, '1/1/2024 1:00 PM 123456 Information m'].join('\n'))).toEqual([])
  })

  it('the group ends at a line that is not a row: later Key: lines are fields again', () => {
    const all = parseWuEvents(
      [
        ...head,
        '1/1/2024 1:00 PM 19 Information ok',
        '',
        'PS C:\\> next',
        'Id: 20',
        'Message: Installation Failure: x',
      ].join('\n'),
    )
    expect(all.map((e) => [e.id, e.kind, e.provider])).toEqual([
      [19, 'installed', WUC],
      [20, 'failed', null],
    ])
  })

  it('a blank line inside a group does not end it', () => {
    const all = parseWuEvents(
      [...head, '1/1/2024 1:00 PM 19 Information ok', '', '1/1/2024 1:01 PM 43 Information go'].join('\n'),
    )
    expect(all.map((e) => [e.id, e.provider])).toEqual([
      [19, WUC],
      [43, WUC],
    ])
  })

  it('a header with other words, or a dashes line of two, ends the group: the row after it is not read', () => {
    expect(parseWuEvents(['ProviderName: X', '--', '1/1/2024 1:00 PM 19 Information ok'].join('\n'))).toEqual([])
    expect(
      parseWuEvents(
        ['ProviderName: X', 'TimeCreated Id Level Message', '1/1/2024 1:00 PM 19 Information ok'].join('\n'),
      ),
    ).toEqual([])
    expect(
      parseWuEvents(
        [
          'ProviderName: X',
          'TimeCreated Id LevelDisplayName Message',
          '--- -- ---',
          '1/1/2024 1:00 PM 19 Information ok',
        ].join('\n'),
      ),
    ).toHaveLength(1)
  })

  it('a ProviderName: line ends the record before it', () => {
    const all = parseWuEvents(
      ['Id: 20', 'Message: Installation Failure: x', `ProviderName: ${WUC}`, '1/1/2024 1:00 PM 19 Information ok'].join(
        '\n',
      ),
    )
    expect(all.map((e) => [e.id, e.kind, e.provider, e.line])).toEqual([
      [20, 'failed', null, 1],
      [19, 'installed', WUC, 4],
    ])
  })

  it('columns apart by several spaces (Format-Table without -AutoSize), and a group header without a space', () => {
    const all = parseWuEvents(
      [
        `ProviderName:${WUC}`,
        'TimeCreated    Id   LevelDisplayName   Message',
        '---    --',
        '1/1/2024  1:00:05 PM   19   Information   ok',
        '2024-01-01  13:00    20   Error   Installation Failure: x',
      ].join('\n'),
    )
    expect(all.map((e) => [e.time, e.id, e.level, e.message, e.provider, e.line])).toEqual([
      ['1/1/2024  1:00:05 PM', 19, 'Information', 'ok', WUC, 4],
      ['2024-01-01  13:00', 20, 'Error', 'Installation Failure: x', WUC, 5],
    ])
  })
  it('not a group or a row: text before ProviderName:, before the time; a header or dashes with more after them', () => {
    const row = '1/1/2024 1:00 PM 19 Information ok'
    expect(parseWuEvents([`See ProviderName: ${WUC}`, row].join('\n'))).toEqual([])
    expect(parseWuEvents([`ProviderName: ${WUC}`, `PS ${row}`, row].join('\n'))).toEqual([])
    expect(
      parseWuEvents([`ProviderName: ${WUC}`, 'TimeCreated Id LevelDisplayName Message Extra', row].join('\n')),
    ).toEqual([])
    expect(parseWuEvents([`ProviderName: ${WUC}`, '--- x', row].join('\n'))).toEqual([])
    expect(parseWuEvents([`ProviderName: ${WUC}`, 'x ---', row].join('\n'))).toEqual([])
    expect(
      parseWuEvents([`ProviderName: ${WUC}`, 'x TimeCreated Id LevelDisplayName Message', row].join('\n')),
    ).toEqual([])
    expect(parseWuEvents([`ProviderName: ${WUC}`, '--- -- ----', row].join('\n'))).toHaveLength(1)
  })
  it('after the group ended, a row-like line is no event', () => {
    const row = '1/1/2024 1:00 PM 19 Information ok'
    expect(
      parseWuEvents(
        [`ProviderName: ${WUC}`, row, 'PS C:\\> Get-Date', '1/1/2024 1:05 PM 20 Error failed'].join('\n'),
      ).map((e) => e.id),
    ).toEqual([19])
  })
  it('a time of one to four digits each side, a row Id of five digits', () => {
    const all = parseWuEvents(
      [`ProviderName: ${WUC}`, '2024/12/31 23:59:59 65535 Information a', '31.12.2024 9:05 1 Warning b'].join('\n'),
    )
    expect(all.map((e) => [e.time, e.id, e.level])).toEqual([
      ['2024/12/31 23:59:59', 65535, 'Information'],
      ['31.12.2024 9:05', 1, 'Warning'],
    ])
  })

  it('ProviderName with two words is a field, not a group', () => {
    expect(one('ProviderName: A B\nId: 5\nMessage: m')).toMatchObject({ provider: 'A B', id: 5 })
  })
})

describe('parseWuEvents: Event Viewer list rows (hand-made from the Setup log rows)', () => {
  const row = (
    level: string,
    user: string,
    rest = 'Initiating changes for package KB5004122. Current state is Resolved.',
  ) => `${level} PC.corp. 1 Microsoft-Windows-Servicing N/A ${user} ${rest}`
  it('each level, and the user as NT AUTHORITY\\…, DOMAIN\\name or N/A', () => {
    let ran = 0
    for (const level of ['Information', 'Warning', 'Error', 'Critical', 'Verbose']) {
      for (const user of ['NT AUTHORITY\\SYSTEM', 'CORP\\name', 'N/A']) {
        ran++
        expect(parseWuEvents(row(level, user))).toEqual([
          ev({
            id: 1,
            provider: 'Microsoft-Windows-Servicing',
            level,
            kind: 'install-started',
            kb: 'KB5004122',
            message: 'Initiating changes for package KB5004122. Current state is Resolved.',
          }),
        ])
      }
    }
    expect(ran).toBe(15)
  })
  it('not a row: another level word, a user without a backslash, a source that is not Microsoft-Windows-', () => {
    expect(parseWuEvents(row('Info', 'N/A'))).toEqual([])
    expect(parseWuEvents(row('Information', 'SYSTEM'))).toEqual([])
    expect(parseWuEvents('Information PC 1 Servicing N/A N/A Initiating changes for package KB5004122.')).toEqual([])
  })
  it('columns apart by several spaces; text before the level is no row', () => {
    expect(
      parseWuEvents(
        'Error   PC.corp.   3   Microsoft-Windows-WUSA   N/A   CORP\\name   could not be installed because of error 2388526074',
      ),
    ).toEqual([
      ev({
        id: 3,
        provider: 'Microsoft-Windows-WUSA',
        level: 'Error',
        kind: 'failed',
        code: '0x8E5E03FA',
        message: 'could not be installed because of error 2388526074',
      }),
    ])
    expect(
      parseWuEvents('x Information PC 1 Microsoft-Windows-Servicing N/A N/A Initiating changes for package KB5004122.'),
    ).toEqual([])
    expect(parseWuEvents('Information PC 123456 Microsoft-Windows-Servicing N/A N/A m')).toEqual([])
    expect(parseWuEvents('Information PC 19 Microsoft-Windows-Servicing N/A N/A m').map((e) => e.id)).toEqual([19])
  })
  it('a row ends the record before it, and the message is trimmed', () => {
    const all = parseWuEvents(
      [
        'Id: 20',
        'Message: Installation Failure: x',
        row('Error', 'N/A', 'Package KB5004122 failed to be changed to the Installed state. Status: 0x8e5e03fa.   '),
      ].join('\n'),
    )
    expect(all.map((e) => [e.id, e.kind, e.line, e.message])).toEqual([
      [20, 'failed', 1, 'Installation Failure: x'],
      [1, 'install-started', 3, 'Package KB5004122 failed to be changed to the Installed state. Status: 0x8e5e03fa.'],
    ])
  })
})

describe('makeEvent: the KB, the code, the title', () => {
  const msg = (message: string, id = 20, provider: string | null = WUC) =>
    one(`Id: ${id}\n${provider ? `Source: ${provider}\n` : ''}Message: ${message}`)
  it('KB: 6 to 8 digits as a word, upper-cased', () => {
    expect(msg('x kb982671 y').kb).toBe('KB982671')
    expect(msg('x (KB12345678) y').kb).toBe('KB12345678')
    expect(msg('x KB12345 y').kb).toBeNull()
    expect(msg('x KB123456789 y').kb).toBeNull()
    expect(msg('xKB1234567 y').kb).toBeNull()
  })
  it('code: after "error" or "status"/"status:", hex of 1 to 8 digits or a decimal of 3 to 10', () => {
    expect(msg('failed with error 0x80070002.').code).toBe('0x80070002')
    expect(msg('Status: 0x8e5e03fa.').code).toBe('0x8E5E03FA')
    expect(msg('status 0x5').code).toBe('0x00000005')
    expect(msg('ERROR 2388526074 ""').code).toBe('0x8E5E03FA')
    expect(msg('error -2147024894').code).toBe('0x80070002')
    expect(msg('error 12').code).toBeNull()
    expect(msg('error  0x80070002').code).toBe('0x80070002')
    // a decimal is the number itself (WUSA prints the unsigned HRESULT), not a Win32 error
    expect(msg('error 1603').code).toBe('0x00000643')
    expect(msg('error 0x123456789').code).toBeNull()
    expect(msg('error:0x80070002', 19).code).toBeNull()
    // A failure event (20) in any display language: the 8-digit 0x code is read by its form.
    expect(msg('error:0x80070002').code).toBe('0x80070002')
    expect(msg('Qqqqqq 0x80070643 qqqq qqqqqqqqqqqq').code).toBe('0x80070643')
    expect(msg('0x800700021 0x8007000').code).toBeNull()
    expect(msg('no code here').code).toBeNull()
  })
  it('title: after "following update" (with or without its error), the final dot dropped; a lone "…" is none', () => {
    expect(
      msg('Installation Failure: Windows failed to install the following update with error 0x1: T (KB1234567).').title,
    ).toBe('T (KB1234567)')
    expect(msg('Installation Successful: Windows successfully installed the following update:   T2').title).toBe('T2')
    expect(msg('Installation Successful: Windows successfully installed the following update: …').title).toBeNull()
    expect(msg('the Following Update: t').title).toBe('t')
    expect(msg('no title').title).toBeNull()
  })
  it('truncated: only a message ending with …', () => {
    expect(msg('cut…').truncated).toBe(true)
    expect(msg('cut… not at the end').truncated).toBe(false)
    expect(msg('cut...').truncated).toBe(false)
  })
})

describe('makeEvent: the kind', () => {
  const kindOf = (id: number | string, provider: string | null, message = 'm') =>
    one(`Id: ${id}\n${provider !== null ? `ProviderName : ${provider}\n` : ''}Message: ${message}`).kind
  it('WindowsUpdateClient Ids (or no provider): 19, 20, 21, 22, 43, 44; any other Id is other', () => {
    const table: [number, string][] = [
      [19, 'installed'],
      [20, 'failed'],
      [21, 'restart-required'],
      [22, 'restart-required'],
      [43, 'install-started'],
      [44, 'download-started'],
      [25, 'other'],
      [1, 'other'],
    ]
    let ran = 0
    for (const [id, kind] of table) {
      ran++
      expect(kindOf(id, WUC)).toBe(kind)
      expect(kindOf(id, null)).toBe(kind)
      expect(kindOf(id, 'microsoft-windows-windowsupdateclient')).toBe(kind)
    }
    expect(ran).toBe(8)
  })
  it('another provider: the WindowsUpdateClient Ids mean nothing', () => {
    expect(kindOf(19, 'Microsoft-Windows-Kernel-General')).toBe('other')
    expect(kindOf(20, 'Service Control Manager')).toBe('other')
  })
  it('Servicing 1/2/3 and WUSA 3/4 by Id, in any case; other Ids of theirs are other', () => {
    const table: [string, number, string][] = [
      ['Microsoft-Windows-Servicing', 1, 'install-started'],
      ['Microsoft-Windows-Servicing', 2, 'installed'],
      ['Microsoft-Windows-Servicing', 3, 'failed'],
      ['Microsoft-Windows-Servicing', 4, 'other'],
      ['Microsoft-Windows-Servicing', 7, 'other'],
      ['Microsoft-Windows-WUSA', 3, 'failed'],
      ['Microsoft-Windows-WUSA', 4, 'restart-required'],
      ['Microsoft-Windows-WUSA', 1, 'other'],
      ['Microsoft-Windows-WUSA', 2, 'other'],
      ['microsoft-windows-wusa', 4, 'restart-required'],
      ['MICROSOFT-WINDOWS-SERVICING', 2, 'installed'],
      ['Microsoft-Windows-Servicing2', 2, 'other'],
      ['X-Microsoft-Windows-WUSA', 4, 'other'],
    ]
    let ran = 0
    for (const [provider, id, kind] of table) {
      ran++
      expect(kindOf(id, provider)).toBe(kind)
    }
    expect(ran).toBe(13)
  })
  it('a Servicing event without an Id: by its message only', () => {
    expect(one('Source: Microsoft-Windows-Servicing\nMessage: m').kind).toBe('other')
    expect(one('Source: Microsoft-Windows-Servicing\nMessage: Initiating changes for package KB5004122.').kind).toBe(
      'install-started',
    )
  })
  it('by message, for any Id of another provider: each English message, at the start where it must be', () => {
    const P = 'Other-Provider'
    const table: [string, string][] = [
      ['Installation Failure: Windows failed to install the following update with error 0x1: A', 'failed'],
      ['installation failure: x', 'failed'],
      ['Installation Successful: Windows successfully installed the following update: A', 'installed'],
      ['INSTALLATION SUCCESSFUL: x', 'installed'],
      ['Package KB5004122 failed to be changed to the Installed state. Status: 0x8e5e03fa.', 'failed'],
      ['Windows update "X" could not be installed because of error 2388526074', 'failed'],
      ['Initiating changes for package KB5004122. Current state is Resolved.', 'install-started'],
      ['Package KB5004122 was successfully changed to the Installed state.', 'installed'],
      ['A reboot is necessary before package KB5004122 can be changed to the Installed state.', 'restart-required'],
      ['x Installation Failure: y', 'other'],
      ['x Installation Successful: y', 'other'],
      ['x Initiating changes for package KB5004122', 'other'],
      ['Initiating changes to turn on update X of package Y.', 'other'],
      ['A reboot is necessary before package can be changed', 'other'],
    ]
    let ran = 0
    for (const [message, kind] of table) {
      ran++
      expect(kindOf(99, P, message)).toBe(kind)
    }
    expect(ran).toBe(14)
  })
  it('an Id kind comes first: a WindowsUpdateClient 19 whose message says failure stays installed', () => {
    expect(kindOf(19, WUC, 'Installation Failure: x')).toBe('installed')
    expect(kindOf(20, WUC, 'Installation Successful: x')).toBe('failed')
    expect(kindOf(20, WUC, 'Package KB1 was successfully changed to the Installed state.')).toBe('failed')
    expect(kindOf(19, WUC, 'A reboot is necessary before package KB1 can be changed to the Installed state.')).toBe(
      'installed',
    )
    expect(kindOf(3, 'Microsoft-Windows-Servicing', 'Initiating changes for package KB5004122')).toBe('failed')
  })
})

describe('lastStates', () => {
  const e = (over: Partial<WuEvent>) => ev({ kb: 'KB5034441', kind: 'failed', ...over })
  it('the rule is said', () => {
    expect(lastStates([])).toEqual({
      updates: [],
      rule: 'Each update takes the state of its latest event (by time; without times, the later line).',
    })
  })
  it('one update, every field of its state', () => {
    expect(lastStates([e({ kind: 'installed', time: '5/2/2024 10:05:00 AM', code: '0x1', line: 7 })]).updates).toEqual([
      { update: 'KB5034441', state: 'installed', time: '5/2/2024 10:05:00 AM', code: '0x1', line: 7, events: 1 },
    ])
  })
  it('other and download-started events set no state and are not counted', () => {
    expect(lastStates([e({ kind: 'other' }), e({ kind: 'download-started' })]).updates).toEqual([])
    expect(
      lastStates([
        e({ kind: 'failed', line: 1 }),
        e({ kind: 'other', line: 2 }),
        e({ kind: 'download-started', line: 3 }),
      ]).updates,
    ).toEqual([{ update: 'KB5034441', state: 'failed', time: null, code: null, line: 1, events: 1 }])
  })
  it('by KB, else by a whole title; a cut title or none names no update', () => {
    const r = lastStates([
      e({ kb: null, title: 'Update A', line: 1, kind: 'installed' }),
      e({ kb: null, title: 'Update A', line: 2, kind: 'restart-required' }),
      e({ kb: null, title: 'Cut…', truncated: true, line: 3 }),
      e({ kb: null, title: null, line: 4 }),
      e({ kb: 'KB1', title: 'Update A', line: 5, kind: 'install-started' }),
    ])
    expect(r.updates).toEqual([
      { update: 'Update A', state: 'restart-required', time: null, code: null, line: 2, events: 2 },
      { update: 'KB1', state: 'install-started', time: null, code: null, line: 5, events: 1 },
    ])
  })
  it('by time when both have one: the later time wins whatever the line; the same time: the later event', () => {
    const early = '5/2/2024 9:00:00 AM',
      late = '5/2/2024 10:05:00 AM'
    expect(
      lastStates([e({ kind: 'installed', time: late, line: 1 }), e({ kind: 'failed', time: early, line: 2 })]).updates,
    ).toEqual([{ update: 'KB5034441', state: 'installed', time: late, code: null, line: 1, events: 2 }])
    expect(
      lastStates([e({ kind: 'failed', time: early, line: 1 }), e({ kind: 'installed', time: late, line: 2 })])
        .updates[0],
    ).toMatchObject({ state: 'installed', line: 2, events: 2 })
    expect(
      lastStates([e({ kind: 'failed', time: late, line: 1 }), e({ kind: 'installed', time: late, line: 2 })])
        .updates[0],
    ).toMatchObject({ state: 'installed', line: 2 })
  })
  it('when either time is unreadable: the later line wins', () => {
    const late = '5/2/2024 10:05:00 AM'
    expect(
      lastStates([e({ kind: 'installed', time: late, line: 2 }), e({ kind: 'failed', time: 'DD/MM/yyyy', line: 1 })])
        .updates[0],
    ).toMatchObject({ state: 'installed', line: 2, events: 2 })
    expect(
      lastStates([e({ kind: 'installed', time: null, line: 2 }), e({ kind: 'failed', time: late, line: 1 })])
        .updates[0],
    ).toMatchObject({ state: 'installed', line: 2, events: 2 })
    expect(
      lastStates([e({ kind: 'installed', time: late, line: 1 }), e({ kind: 'failed', time: null, line: 2 })])
        .updates[0],
    ).toMatchObject({ state: 'failed', line: 2, events: 2 })
    expect(lastStates([e({ kind: 'installed', line: 3 }), e({ kind: 'failed', line: 3 })]).updates[0]).toMatchObject({
      state: 'installed',
      events: 2,
    })
  })
  it('three events: each counted once, whichever wins', () => {
    expect(lastStates([e({ line: 3, kind: 'installed' }), e({ line: 1 }), e({ line: 2 })]).updates).toEqual([
      { update: 'KB5034441', state: 'installed', time: null, code: null, line: 3, events: 3 },
    ])
    expect(lastStates([e({ line: 1 }), e({ line: 2 }), e({ line: 3, kind: 'installed' })]).updates[0]).toMatchObject({
      state: 'installed',
      events: 3,
    })
  })
})

describe('looksLikeWuEvents', () => {
  it('each layout gives its score; text of another kind gives 0', () => {
    const cases: [string, number][] = [
      ['Source: Microsoft-Windows-WindowsUpdateClient\nEvent ID: 20', 0.9],
      ['ProviderName: Microsoft-Windows-WindowsUpdateClient\nId : 20', 0.9],
      ['WindowsUpdateClient\nEvent[0]:', 0.9],
      ['WindowsUpdateClient\nevent id', 0.9],
      ['WindowsUpdateClient alone', 0],
      [
        '   ProviderName: Microsoft-Windows-WindowsUpdateClient\n\nTimeCreated          Id LevelDisplayName Message',
        0.9,
      ],
      ['Installation Failure: Windows failed to install the following update with error 0x1: X', 0.8],
      ['installation successful: windows successfully installed the following update: X', 0.8],
      ['Installation Failure: Windows successfully installed the update', 0],
      ['ProviderName : Microsoft-Windows-Servicing\nId           : 2', 0.85],
      ['  ProviderName : Microsoft-Windows-WUSA  \n  Id : 4  ', 0.85],
      ['ProviderName : Microsoft-Windows-Servicing\nId : x', 0],
      ['ProviderName : Microsoft-Windows-Servicingx\nId : 2', 0],
      ['Source: Microsoft-Windows-WUSA\nEvent ID: 3', 0.85],
      ['\tSource: Microsoft-Windows-Servicing \n\tEvent ID: 7 ', 0.85],
      ['Source: Microsoft-Windows-WUSA\nEvent ID: 3x', 0],
      ['x Source: Microsoft-Windows-WUSA\nEvent ID: 3', 0],
      ['Information PC 1 Microsoft-Windows-Servicing N/A N/A Initiating changes for package KB1.', 0.85],
      ['Microsoft-Windows-Servicing: Initiating changes to turn on update X', 0.85],
      ['Microsoft-Windows-Servicing: Initiating changes to turn off update X', 0.85],
      ['Microsoft-Windows-Servicing Package failed to be changed to the Installed state', 0.85],
      ['Microsoft-Windows-WUSA could not be installed because of error 1', 0.85],
      ['Microsoft-Windows-Servicing was successfully changed to the Installed state', 0.85],
      ['Microsoft-Windows-Servicing Initiating changes', 0],
      ['Microsoft-Windows-Servicingx failed to be changed to the Installed state', 0],
      ['Deployment Image Servicing and Management tool', 0],
      ['WindowsUpdateClient\nId:', 0.9],
      ['WindowsUpdateClient\nId  :', 0.9],
      ['WindowsUpdateClient\nEvent[12]', 0.9],
      ['Event ID: 5', 0],
      ['ProviderName: Microsoft-Windows-WindowsUpdateClient\nTimeCreated Id LevelDisplayName', 0.9],
      ['ProviderName: Microsoft-Windows-WindowsUpdateClient\nTimeCreated   Id   LevelDisplayName', 0.9],
      ['ProviderName: Microsoft-Windows-WindowsUpdateClient', 0],
      ['TimeCreated Id LevelDisplayName', 0],
      ['    ProviderName   :   Microsoft-Windows-WUSA   \n    Id   :   4   ', 0.85],
      ['ProviderName:Microsoft-Windows-WUSA\nId:4', 0.85],
      ['ProviderName : Microsoft-Windows-WUSA\nId : 42', 0.85],
      ['x ProviderName : Microsoft-Windows-WUSA\nId : 4', 0],
      ['ProviderName : Microsoft-Windows-WUSA x\nId : 4', 0],
      ['ProviderName : Microsoft-Windows-WUSA\nx Id : 4', 0],
      ['ProviderName : Microsoft-Windows-WUSA\nId : 4 x', 0],
      ['ProviderName : Microsoft-Windows-WUSA', 0],
      ['Id : 4', 0],
      ['   Source:   Microsoft-Windows-WUSA   \n   Event ID:   3   ', 0.85],
      ['Source:Microsoft-Windows-WUSA\nEvent ID:33', 0.85],
      ['Source: Microsoft-Windows-WUSA x\nEvent ID: 3', 0],
      ['Source: Microsoft-Windows-WUSA\nx Event ID: 3', 0],
      ['Source: Microsoft-Windows-WUSA\nEvent ID: 3 x', 0],
      ['Source: Microsoft-Windows-WUSA', 0],
      ['Event ID: 3', 0],
      ['Initiating changes for package KB5004122', 0],
      ['Microsoft-Windows-Servicing', 0],
    ]
    let ran = 0
    for (const [text, score] of cases) {
      ran++
      expect([text, looksLikeWuEvents(text)]).toEqual([text, score])
    }
    expect(ran).toBe(52)
  })
  it('the real captures are recognised', () => {
    expect(looksLikeWuEvents(loadFixture('wu-event/event20-0x80070002.txt').text)).toBe(0.9)
    expect(looksLikeWuEvents(loadFixture('wu-event/get-winevent-format-table.txt').text)).toBe(0.9)
    expect(looksLikeWuEvents(loadFixture('corpus/wu-event/de-format-list-servicing-2-wusa-4-kb5037765.txt').text)).toBe(
      0.85,
    )
    expect(looksLikeWuEvents(loadFixture('wu-event/setup-log-servicing-wusa-0x8e5e03fa.txt').text)).toBe(0.85)
    expect(looksLikeWuEvents(loadFixture('corpus/wu-event/en-msdocs-0x8024001e-sequence.txt').text)).toBe(0.8)
  })
})
