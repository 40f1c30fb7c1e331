/**
 * Facts read where people write them, on real captures: `wmic os get` output (a padded header, a row under it),
 * msinfo32's System Summary (its Version line is the build,
 * the Hardware Abstraction Layer's `Version = "10.0.26100.1"` is hal.dll's file version and gives no UBR), and a KB
 * named only by its address on Microsoft's support site.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { extractTextFacts } from '../../../main/analyze/extract.ts'

const body = (path: string) => {
  const t = readFileSync(path, 'utf8')
  return t.slice(t.indexOf('\n') + 1)
}

describe('facts read where people write them', () => {
  it("msinfo32's summary is OS facts: build 26100 from its Version line, no UBR taken from the HAL's version", () => {
    const a = analyzeText(body('test/fixtures/facts-shapes/en-msinfo32-summary-win11-pro-26100-hal-26100-1.txt'))
    expect(a.kind).toBe('os-info')
    const os = (a.facts as { os: { build: number | null; ubr: number | null } }).os
    expect(os.build).toBe(26100)
    expect(os.ubr).toBeNull()
  })
  it('`wmic os get Caption,Version,BuildNumber` output is OS facts: build 19045, the caption its edition', () => {
    const a = analyzeText(body('test/fixtures/facts-shapes/en-notes-wmic-os-get-caption-version-buildnumber-19045.txt'))
    expect(a.kind).toBe('os-info')
    expect(a.facts).toMatchObject({ os: { build: 19045, ubr: null, edition: 'Microsoft Windows 10 Pro' } })
  })
  it('a KB named only by its support-site address (support.microsoft.com/en-us/kb/2530126) is read', () => {
    const x = extractTextFacts(body('test/fixtures/facts-shapes/en-driverpack-45-reply-kb-only-in-support-url.txt'))
    expect(x.kbs.map((k) => k.kb)).toContain('KB2530126')
    expect(x.kbs.find((k) => k.kb === 'KB2530126')!.text).toMatch(/^Article: https:\/\/support\.microsoft\.com/)
  })
})
