import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { loadFixture } from '../../fixtures/load.ts'
import { analyzeDismLogText } from '../../../main/parse/dism-log.ts'
import { parseWuEvents } from '../../../main/parse/wu-event.ts'
import { parseSetupDiag } from '../../../main/parse/setupdiag.ts'
import { analyzeSetupLog } from '../../../main/parse/setup-log.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'

describe('DISM.log', () => {
  it('finds the first error and its hr: code', () => {
    const a = analyzeDismLogText(loadFixture('dism-log/0x80070002-analyze-store.log').text)
    expect(a.firstError).toMatchObject({ code: '0x80070002', line: 2, time: '2023-02-01 02:25:08' })
    expect(a.errorCount).toBe(3)
    const r = analyzeText(loadFixture('dism-log/0x80070002-analyze-store.log').text)
    expect(r.kind).toBe('dism-log')
    expect((r.facts.errors as unknown[])[0]).toMatchObject({
      code: '0x80070002',
      name: 'ERROR_FILE_NOT_FOUND',
      line: 2,
    })
  })
})

describe('DISM.log Warning lines', () => {
  it('a Warning line with hr: is not an error; the Error-level line is the first error (real logs)', () => {
    const healthy = analyzeDismLogText(loadFixture('corpus/dism-log/en-win7-online-help-peprovider-warning.log').text)
    expect(healthy.errorCount).toBe(0)
    expect(healthy.firstError).toBeNull()
    const appx = analyzeDismLogText(loadFixture('corpus/dism-log/en-22631-add-provisioned-appx-0x80070003.log').text)
    expect(appx.firstError?.code).toBe('0x80070003')
    expect(appx.errorCount).toBe(6)
  })
})

describe('WindowsUpdateClient events', () => {
  it('reads event 20 from Event Viewer text', () => {
    const ev = parseWuEvents(loadFixture('wu-event/event20-0x80070002.txt').text)
    expect(ev).toHaveLength(1)
    expect(ev[0]).toMatchObject({
      id: 20,
      kind: 'failed',
      kb: 'KB4586793',
      code: '0x80070002',
      provider: 'Microsoft-Windows-WindowsUpdateClient',
    })
    const r = analyzeText(loadFixture('wu-event/event20-0x80070002.txt').text)
    expect(r.kind).toBe('wu-event')
    expect((r.facts.errors as unknown[])[0]).toMatchObject({ code: '0x80070002', name: 'ERROR_FILE_NOT_FOUND' })
  })

  it('reads Get-WinEvent | Format-List records', () => {
    const text = [
      'TimeCreated  : 14/10/2025 09:12:01',
      'ProviderName : Microsoft-Windows-WindowsUpdateClient',
      'Id           : 20',
      'Message      : Installation Failure: Windows failed to install the following update with error 0x800F0922: 2025-10',
      '               Cumulative Update for Windows 11 Version 24H2 for arm64-based Systems (KB5066835).',
      '',
      'TimeCreated  : 14/10/2025 08:55:40',
      'ProviderName : Microsoft-Windows-WindowsUpdateClient',
      'Id           : 43',
      'Message      : Installation Started: Windows has started installing the following update: 2025-10 Cumulative Update (KB5066835)',
      '',
    ].join('\n')
    const ev = parseWuEvents(text)
    expect(ev.map((e) => [e.id, e.kind, e.kb, e.code])).toEqual([
      [20, 'failed', 'KB5066835', '0x800F0922'],
      [43, 'install-started', 'KB5066835', null],
    ])
  })
})

describe('SetupDiag', () => {
  it('reads the matching rule, code, phase and advice from the documented sample', () => {
    const s = parseSetupDiag(loadFixture('setupdiag/offline-dism-provider.txt').text)
    expect(s.version).toBe('1.6.0.0')
    expect(s.noMatchRules).toContain('CompatScanOnly')
    expect(s.matches).toHaveLength(1)
    expect(s.matches[0]).toMatchObject({
      rule: 'DISMImageSessionFailure',
      errorCode: '0x800706BA',
      lastPhase: 'Safe OS',
      lastOperation: 'Apply Optional Component status',
    })
    expect(s.matches[0]!.advice).toMatch(/re-download/)
    expect(s.matchingIssues).toBe(1)
    expect(analyzeText(loadFixture('setupdiag/offline-dism-provider.txt').text).kind).toBe('setupdiag')
  })
})

describe('SetupDiag XML results', () => {
  it('reads <FailureData> code, extend code and phase, and beats the CBS.log reader for the CBS lines it quotes (real excerpt)', () => {
    const text = loadFixture('corpus/setupdiag/en-xml-24h2-rollback-0x800736cc-excerpt.xml').text
    const s = parseSetupDiag(text)
    expect(s.matches).toHaveLength(1)
    expect(s.matches[0]).toMatchObject({ errorCode: '0x800736CC', extendCode: '0x20003', lastPhase: 'Safe OS' })
    expect(analyzeText(text).kind).toBe('setupdiag')
  })

  it("reads 'Error: 0x8007001F - 0x50015' at the end of a text-log message line (the older documented sample)", () => {
    const s = parseSetupDiag(loadFixture('corpus/setupdiag/en-text-optional-component-0x8007001f-v15-doc.txt').text)
    expect(s.matches[0]).toMatchObject({
      rule: 'OptionalComponentOpenPackageFailed',
      errorCode: '0x8007001F',
      extendCode: '0x50015',
    })
  })
})

describe('Panther setupact.log', () => {
  it('takes the primary code, not the gle suffix', () => {
    const a = analyzeSetupLog(loadFixture('setup-log/setupact-wimmount.log').text)
    expect(a.errors.map((e) => e.code)).toEqual(['0xC1420121'])
    // The Warning line's 0x80070002 is a warning, kept apart.
    expect(a.warnings?.map((e) => e.code)).toEqual(['0x80070002'])
    expect(
      analyzeSetupLog('2019-06-12 14:44:20, Error MOUPG Setup failed: 0xC1900101 - 0x4000D').resultPairs[0],
    ).toMatchObject({ code: '0xC1900101', extend: '0x4000D' })
  })
})

describe('parsers are total', () => {
  it('never throw on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 1000 }), (s) => {
        analyzeDismLogText(s)
        parseWuEvents(s)
        parseSetupDiag(s)
        analyzeSetupLog(s)
        analyzeText(s)
      }),
      { numRuns: 300 },
    )
    for (const bad of [undefined, null, 42]) {
      expect(() => {
        analyzeDismLogText(bad as never)
        parseWuEvents(bad as never)
        parseSetupDiag(bad as never)
        analyzeSetupLog(bad as never)
      }).not.toThrow()
    }
  })
})
