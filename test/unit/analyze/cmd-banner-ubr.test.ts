/**
 * systeminfo prints no UBR; the cmd.exe banner of the same session does (`Microsoft Windows [Version
 * 10.0.20348.2527]`). The real capture (corpus os-info/en-systeminfo-server2022-ec2-datacenter-banner.txt)
 * is read with its UBR; a banner of another build is not taken.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { bannerUbr } from '../../../main/analyze/kinds/os-info.ts'

const capture = readFileSync(
  join(import.meta.dirname, '../../fixtures/corpus/os-info/en-systeminfo-server2022-ec2-datacenter-banner.txt'),
  'utf8',
)
  .split('\n')
  .slice(1)
  .join('\n')
const osOf = (text: string) =>
  (analyzeText(text) as { facts: { os?: { build: number | null; ubr: number | null } } }).facts.os

describe('the UBR from a cmd.exe banner above systeminfo', () => {
  it('the real Server 2022 session: build 20348, UBR 2527 from its banner', () => {
    expect(osOf(capture)).toMatchObject({ build: 20348, ubr: 2527, edition: 'Datacenter' })
  })

  it("a banner of another build is not this systeminfo's UBR", () => {
    const other = capture.replace('[Version 10.0.20348.2527]', '[Version 10.0.17763.5329]')
    expect(osOf(other)).toMatchObject({ build: 20348, ubr: null })
  })

  it('without a banner there is no UBR (systeminfo has none)', () => {
    expect(osOf(capture.replace(/^Microsoft Windows \[.*\]$/m, ''))).toMatchObject({ build: 20348, ubr: null })
  })

  it('bannerUbr: the word in any language, the same build only', () => {
    const cases: [string, number, number | null][] = [
      ['Microsoft Windows [Version 10.0.26100.4061]', 26100, 4061],
      ['Microsoft Windows [版本 10.0.22631.4317]', 22631, 4317],
      ['Microsoft Windows [Versión 10.0.19045.3803]', 19045, 3803],
      ['Microsoft Windows [Version 10.0.26100.4061]', 22631, null],
      ['Windows [Version 10.0.26100.4061]', 26100, null],
      ['no banner', 26100, null],
    ]
    for (const [text, build, want] of cases) expect(bannerUbr(text, build), text).toBe(want)
    expect(cases).toHaveLength(6)
  })
})
