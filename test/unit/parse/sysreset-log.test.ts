/**
 * Reset this PC writes its setupact.log and setuperr.log under C:\$SysReset\Logs in Panther's line format, from the
 * push-button reset engine (PushButtonReset::…, Pbr…, OnlineUI:). Read as setup logs (real captures of the
 * thirty-first and tenth causes batches): a reset the person cancelled is that cancel, not its probes' 0x80070002
 * lines; a cloud-reset plugin's probes in a run that did not fail are no failure.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { looksLikeSetupLog } from '../../../main/parse/setup-log.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

const fixtures = join(import.meta.dirname, '../../fixtures')
const body = (rel: string) => {
  const t = readFileSync(join(fixtures, rel), 'utf8')
  return t.slice(t.indexOf('\n') + 1)
}
const cancelled = [
  'corpus-causes-31/unknown/en-sysreset-setupact-masteruser007-reset-this-pc-user-cancelled.txt',
  'corpus-causes-31/unknown/en-sysreset-setupact-lamusicayyo-reset-this-pc-user-cancelled.txt',
]

describe("Reset this PC's own logs", () => {
  it.each(cancelled)('%s is a setup log whose run the person cancelled', (rel) => {
    const text = body(rel)
    expect(looksLikeSetupLog(text)).toBeGreaterThan(0)
    expect(analyzeText(text).kind).toBe('setup-log')
    const out = diagnose({ text })
    expect(out.findings.filter((f) => f.severity !== 'info' && f.state !== 'past')).toEqual([])
    expect(out.findings.map((f) => f.id)).toContain('setup-cancelled')
  })

  it("a cloud reset's probes in a run that did not fail are no failure", () => {
    const text = body('corpus-causes-10/unknown/en-setup-log-shekhar-winre-reset-oem-cloud-plugin-probe-no-failure.txt')
    expect(diagnose({ text }).findings.filter((f) => f.severity !== 'info' && f.state !== 'past')).toEqual([])
  })

  it('the line format alone, or the reset engine named in prose, is no setup log', () => {
    expect(looksLikeSetupLog('2024-09-09 17:16:28, Info                  CBS    Loaded Servicing Stack')).toBe(0)
    expect(looksLikeSetupLog('Reset this PC failed; PushButtonReset:: appears in the log, someone said.')).toBe(0)
  })
})
