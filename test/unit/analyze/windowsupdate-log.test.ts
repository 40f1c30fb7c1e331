/**
 * WindowsUpdate.log read by its format: each story's end decides, a line in the middle does not.
 * The lines follow the layouts Microsoft documents (KB902093 "How to read the Windowsupdate.log file" for the file
 * before 1607: Date, Time, PID, TID, Component, Text, TAB-separated; Get-WindowsUpdateLog's decoded ETW events
 * since: `date time PID TID Component Message`) with the agent's own markers; the real captures this round
 * measured are in test/fixtures/corpus-2026-11/windowsupdate-log/.
 */
import { describe, it, expect } from 'vitest'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { parseWindowsUpdateLog, windowsUpdateLogScore } from '../../../main/parse/windowsupdate-log.ts'

const etw = (time: string, comp: string, msg: string) => `2024/03/12 ${time} 1234  5678  ${comp.padEnd(15)} ${msg}`
const classic = (time: string, comp: string, msg: string) => `2016-05-10\t${time}\t 980\t1a2c\t${comp}\t${msg}`
const errors = (text: string) =>
  analyzeText(text).findings.filter((f) => f.severity === 'error' || f.severity === 'critical')

describe('WindowsUpdate.log (ETW text): the story of each update', () => {
  const installed = (result: string) =>
    [
      etw(
        '10:00:00.0000001',
        'Deployment',
        'Deployment job Id 1D6C2A44-0000-4000-8000-000000000001 : Installing starting for update 6f3fe9dd-7bcd-4a69-844f-2cf4766e5b0b.200, deployable update count = 1',
      ),
      etw('10:00:00.1000000', 'Handler', 'Starting install of CBS update 6F3FE9DD-7BCD-4A69-844F-2CF4766E5B0B'),
      etw(
        '10:00:01.0000000',
        'Agent',
        '*FAILED* [80070003] wuauengcore.dll, C:\\__w\\1\\s\\src\\Client\\lib\\util\\fileutil.cpp @1030',
      ),
      etw(
        '10:05:00.0000000',
        'Agent',
        `LogHistory called. idUpdate={6F3FE9DD-7BCD-4A69-844F-2CF4766E5B0B}.200, resultMapped=${result}, resultUnMapped=0`,
      ),
      etw(
        '10:05:00.1000000',
        'ComApi',
        'Install call complete (succeeded = 1, succeeded with errors = 0, failed = 0, cancelled = 0, unaccounted = 0',
      ),
      etw('10:05:00.2000000', 'ComApi', 'Reboot required = True'),
    ].join('\n')

  it('is its own kind, each line split into time, process, thread, component and message', () => {
    const text = installed('80242014')
    expect(windowsUpdateLogScore(text)).toBeGreaterThan(0.9)
    expect(analyzeText(text).kind).toBe('windowsupdate-log')
  })

  it('an install recorded with resultMapped=80242014 waits for a restart: no error, the end a typed fact', () => {
    const r = analyzeText(installed('80242014'))
    expect(errors(installed('80242014'))).toEqual([])
    const stories = r.facts.stories as { kind: string; id: string; end: string; code: string | null }[]
    expect(stories.find((s) => s.kind === 'install')).toMatchObject({
      id: '6F3FE9DD-7BCD-4A69-844F-2CF4766E5B0B',
      end: 'restart-pending',
      code: '0x80242014',
    })
    expect(r.facts.outcome).toBe('restart-pending')
    expect(r.findings.some((f) => f.id === 'wu-log-restart-pending')).toBe(true)
  })

  it('resultMapped=0 is success; a helper trace `*FAILED* [80070003]` in the middle is routine', () => {
    const text = installed('0').replace('Reboot required = True', 'Reboot required = False')
    expect(errors(text)).toEqual([])
    expect(analyzeText(text).facts.outcome).toBe('succeeded')
  })

  it('a failed end names its code and cites its line', () => {
    const text = installed('80070643')
    const e = errors(text)
    expect(e.length).toBeGreaterThan(0)
    expect(e[0]!.title).toContain('0x80070643')
    expect(e[0]!.detail).toMatch(/^Line 4: /)
  })

  it('a failure the API hands back to its caller ends that call', () => {
    const text = [
      etw('11:00:00.0000000', 'DownloadManager', '*FAILED* [80070050] ExtractUpdateFiles'),
      etw('11:00:00.1000000', 'ComApi', '*FAILED* [80070050] ISusInternal:: OpenUpdateDeploymentDirectory'),
      etw('11:00:00.2000000', 'UDP', 'Deployment job Id 8935463F-3D2E-449B-BC4E-74352D09562D : Update failed'),
    ].join('\n')
    expect(
      errors(text)
        .map((f) => f.title)
        .join(' '),
    ).toContain('0x80070050')
  })
})

describe('WindowsUpdate.log before 1607 (KB902093 layout, TAB-separated, TID in hex)', () => {
  it('a search cancelled at shutdown (0x8024000B) is no failure', () => {
    const text = [
      classic('15:07:37:712', 'Agent', '*************'),
      classic('15:07:37:712', 'Agent', '** START **  Agent: Finding updates [CallerId = AutomaticUpdates]'),
      classic('15:08:10:638', 'Agent', '  * WARNING: Failed to filter search results, error = 0x8024000B'),
      classic('15:08:10:638', 'AU', '###########  AU: Uninitializing Automatic Updates  ###########'),
      classic('15:08:10:757', 'Agent', '**  END  **  Agent: Finding updates [CallerId = AutomaticUpdates]'),
    ].join('\n')
    expect(analyzeText(text).kind).toBe('windowsupdate-log')
    expect(errors(text)).toEqual([])
    expect((analyzeText(text).facts.stories as { end: string }[])[0]!.end).toBe('cancelled')
  })

  it('a server not reached is a failure until a later exchange succeeds', () => {
    const fail = [
      classic('10:48:19:515', 'Setup', 'Checking for agent SelfUpdate'),
      classic('10:48:43:109', 'Misc', 'WARNING: Send failed with hr = 80072efd.'),
      classic(
        '10:48:43:109',
        'Misc',
        'WARNING: WinHttp: SendRequestUsingProxy failed for <http://wsus.example/selfupdate/wuident.cab>. error 0x80072efd',
      ),
    ]
    expect(
      errors(fail.join('\n'))
        .map((f) => f.title)
        .join(' '),
    ).toContain('0x80072EFD')
    const recovered = [
      ...fail,
      classic(
        '10:49:43:109',
        'Agent',
        '  * Found 3 updates and 70 categories in search; evaluated appl. rules of 500 out of 900 deployed entities',
      ),
    ]
    expect(errors(recovered.join('\n'))).toEqual([])
  })

  it('an Installing updates block names each update by its title; a REPORT EVENT hard-wrapped at 80 columns is read whole', () => {
    const head = classic(
      '11:45:33:713',
      'Report',
      'REPORT EVENT: {87F8BCEC-FE1A-47A9-886D-E56112D19E42}\t2016-05-10 11:45:28:713+0900\t1\t182\t101\t{5',
    )
    // Cut at 80 columns as a console copy does (the TABs count as one column each here, as in the pasted text).
    const full = `${head}3367D29-F57A-442B-9F49-DC50B1334BD4}\t205\t80070643\tAutomaticUpdates\tFailure\tContent Install\tInstallation Failure: Windows failed to install the following update with error 0x80070643: Security Update for Windows (KB4014984).`
    const wrapped = full.match(/.{1,80}/g)!.join('\n')
    const r = parseWindowsUpdateLog(wrapped)
    expect(r.stories).toEqual([
      expect.objectContaining({
        kind: 'install',
        id: '53367D29-F57A-442B-9F49-DC50B1334BD4',
        end: 'failed',
        code: '0x80070643',
        kb: 'KB4014984',
      }),
    ])
  })
})

describe('ReportingEvents.log', () => {
  it('Success lines are no failure; a Failure line names its update and code', () => {
    const ok =
      '{0D5D6E1C-24F6-4F5E-A5A2-8A5B6A2A1C3B}\t2016-05-10 03:01:42:313-0700\t1\t183\t101\t{A2E6B9F5-8B9C-4E77-9A3C-7E4E1E4D5A11}\t200\t0\tAutomaticUpdates\tSuccess\tContent Install\tInstallation Successful: Windows successfully installed the following update: Update for Windows (KB3172605)'
    const bad =
      '{1E5D6E1C-24F6-4F5E-A5A2-8A5B6A2A1C3B}\t2016-05-11 03:01:42:313-0700\t1\t182\t101\t{B2E6B9F5-8B9C-4E77-9A3C-7E4E1E4D5A11}\t200\t80070643\tAutomaticUpdates\tFailure\tContent Install\tInstallation Failure: Windows failed to install the following update with error 0x80070643: Update for Windows (KB3172606).'
    expect(analyzeText(`${ok}\n${ok.replace('0D5D', '2D5D')}`).kind).toBe('windowsupdate-log')
    expect(errors(`${ok}\n${ok.replace('0D5D', '2D5D')}`)).toEqual([])
    const e = errors(`${ok}\n${bad}`)
    expect(e.map((f) => f.title).join(' ')).toMatch(/KB3172606[\s\S]*0x80070643/)
  })
})

describe('detection', () => {
  it('a log whose handler lines quote a CBS package identity is still the log', () => {
    const lines = Array.from({ length: 6 }, (_, i) =>
      etw(
        `12:00:0${i}.0000000`,
        'Handler',
        i === 2
          ? 'CBS package identity: Package_for_DotNetRollup_481~31bf3856ad364e35~amd64~~10.0.9236.2'
          : `Loaded state: cCompleteIterations: ${i}`,
      ),
    )
    expect(analyzeText(lines.join('\n')).kind).toBe('windowsupdate-log')
  })
})
