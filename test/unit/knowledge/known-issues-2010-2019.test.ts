/**
 * Known issues Microsoft acknowledged for updates of 2010-2019 (KB pages, security bulletin revisions, the release
 * health archive in MicrosoftDocs, Microsoft's servicing blogs; each row cites its page): MS14-045's Stop 0x50 at
 * start, the 2014 Secure Boot revocation updates, Windows 7 SP1's 0x800F0A12 when the system partition is not
 * mounted, the SHA-2-only updates of August 2019, the January 2018 updates that left AMD PCs unable to start. Each is
 * reached from a short text as people write it, in several languages; the KB with another symptom is not the row,
 * and the MSRT's KB890830 (one number for every month's tool) is in no row.
 */
import { describe, expect, it } from 'vitest'
import { firstCause } from '../diagnose/told-causes.ts'
import { knownIssues } from '../../../main/knowledge/known-issues.ts'

describe('known issues of 2010-2019: reached by their KB and their symptom', () => {
  it.each([
    [
      'kb2982791-ms14-045-stop-0x50-fntcache',
      'After KB2982791 the PC is stuck in a reboot loop, blue screen at every start.',
    ],
    [
      'kb2982791-ms14-045-stop-0x50-fntcache',
      'Nach dem Update KB2975719 startet Windows 8.1 nicht mehr: Bluescreen 0x50.',
    ],
    ['kb2982791-ms14-045-stop-0x50-fntcache', 'KB2970228 をインストールしたら起動しない。'],
    // Japanese for a start that fails and an old word for the blue screen ("blue back").
    ['kb2982791-ms14-045-stop-0x50-fntcache', 'KB2982791 を適用した後、次回の起動に失敗します。'],
    ['kb2982791-ms14-045-stop-0x50-fntcache', 'Windows 7 に KB2982791 を入れたらブルーバックが出た。'],
    ['kb976932-sp1-0x800f0a12-system-partition', 'Windows 7 SP1 (KB976932) fails with error 0x800F0A12 on our Dell.'],
    ['kb4512506-win7-sha2-only-0x80092004', 'KB4512506 will not install on Windows 7: 0x80092004.'],
  ])('%s: %s', (id, text) => {
    expect(firstCause(text)).toBe(`known-issue:${id}`)
  })

  it('the KB with no failure, or a failure of another code, is not the row', () => {
    expect(firstCause('KB2982791 installed fine last week, no problem at all.')).not.toMatch(/^known-issue:kb2982791/)
    expect(firstCause('Windows 7 SP1 (KB976932) fails with 0x80070005 (access denied).')).not.toBe(
      'known-issue:kb976932-sp1-0x800f0a12-system-partition',
    )
  })

  it("no row is keyed by the Malicious Software Removal Tool's KB890830 (the same number every month)", () => {
    expect(knownIssues().filter((r) => r.kb === 'KB890830' || r.affects.kbs?.includes('KB890830'))).toEqual([])
    expect(
      firstCause('Windows-Tool zum Entfernen bösartiger Software x64 - Dezember 2018 (KB890830) failed. Result 2.'),
    ).not.toMatch(/^known-issue:/)
  })
})
