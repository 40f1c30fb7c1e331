/**
 * More real layouts. Outputs are the project's captured fixtures (sources on their first
 * lines); the prose around the Settings-page text and the comments after status lines are ours.
 */
import { describe, it, expect } from 'vitest'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import type { TextFacts } from '../../../main/analyze/extract.ts'
import { loadFixture } from '../../fixtures/load.ts'

describe('more layouts', () => {
  it('legacy Windows 8 reagentc ("Windows RE enabled: 1") reads enabled with its location', () => {
    const r = analyzeText(loadFixture('reagentc/win8-preview-enabled.txt').text)
    expect(r.facts.winre).toMatchObject({ status: 'enabled', location: { disk: 0, partition: 1 } })
  })

  it('a CheckSUR/RestoreHealth summary keeps its result code and is read as CBS.log, not a package list', () => {
    const r = analyzeText(loadFixture('cbs-log/kb947821-checksur-summary.log').text)
    expect(r.kind).toBe('cbs-log')
    expect(r.facts.summary).toMatchObject({ result: '0x800F081F' })
  })

  it("DISM's own version is never the image version", () => {
    const r = analyzeText(loadFixture('dism-output/restorehealth-success.txt').text)
    expect(r.facts).toMatchObject({ dismVersion: '10.0.16299.15', imageVersion: '10.0.16299.309' })
  })

  it('a status line with a comment after it still reads (our comments around a real reagentc output)', () => {
    const t = loadFixture('reagentc/en-server2025-enabled.txt')
      .text.replace('Enabled', 'Enabled   // WinRE is on')
      .replace('\\Recovery\\WindowsRE', '\\Recovery\\WindowsRE   // partition 4')
    const r = analyzeText(t)
    expect(r.facts.winre).toMatchObject({
      status: 'enabled',
      location: { partition: 4, path: '\\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE' },
    })
  })

  it('an Event Viewer paste with several events keeps all of them', () => {
    const ev = loadFixture('wu-event/event20-0x80070002.txt').text
    const r = analyzeText(`${ev}\n${ev}`)
    expect((r.facts.events as unknown[]).length).toBe(2)
  })

  it('a KB named only in CBS\'s "Exec: Staging Package" line is surfaced', () => {
    const r = analyzeText(
      '2024-05-01 10:00:00, Info                  CBS    Exec: Staging Package: Package_for_KB5034441~31bf3856ad364e35~amd64~~19041.3920.1.1, Update: 5034441-1, PinDeployment: no',
    )
    expect((r.facts.extracted as TextFacts).kbs.map((k) => k.kb)).toEqual(['KB5034441'])
    expect((r.facts.extracted as TextFacts).packages.map((p) => p.kb)).toEqual(['KB5034441'])
  })

  it('the Settings page error text names its code and KB', () => {
    const r = analyzeText(
      "There were problems installing some updates, but we'll try again later.\n2024-01 Security Update for Windows 10 Version 22H2 for x64-based Systems (KB5034441) - Error 0x80070643",
    )
    expect(r.findings.map((f) => f.title)).toEqual(['The text reports 0x80070643 (ERROR_INSTALL_FAILURE)'])
    expect((r.facts.extracted as TextFacts).kbs.map((k) => k.kb)).toEqual(['KB5034441'])
  })
})
