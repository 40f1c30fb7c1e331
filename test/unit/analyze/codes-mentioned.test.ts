/**
 * A failure code the kind's reader did not surface is still named (analyze.ts withExtracted), and one it did surface
 * is not named twice. This is decided token by token, without the whole result as one JSON text:
 * the answer must be the same. Real capture: Get-WinEvent | Format-Table (test/fixtures/wu-event), with two lines of
 * the same transcript form added — one event whose message carries a code (the reader surfaces it), one prose line
 * with another code (the reader does not).
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { analyzeText } from '../../../main/analyze/analyze.ts'

const capture = readFileSync(join(import.meta.dirname, '../../fixtures/wu-event/get-winevent-format-table.txt'), 'utf8')
  .split('\n')
  .slice(1)
  .join('\n')
const failed =
  '11/2/2023 7:19:47 PM 20 Error           Installation Failure: Windows failed to install the following update with error 0x800f0922: 2023-10 Cumulative Update (KB5031354).'
const text = `${capture.replace(/(-----------\s+--[^\n]*\n)/, `$1${failed}\n`)}\nThe transcript then said: the task failed with error 0x80070005 (access denied).\n`

describe('codes the reader did not surface', () => {
  const r = analyzeText(text, 'wu-event')
  const codeFindings = r.findings.filter((f) => f.id === 'text-error-code')

  it("the reader surfaces the event's code itself", () => {
    expect(r.kind).toBe('wu-event')
    expect(JSON.stringify(r.facts.errors)).toContain('0x800F0922')
    expect(r.findings.some((f) => f.id === 'wu-install-failed' && /0x800F0922/i.test(f.title))).toBe(true)
  })

  it('names the code only the prose holds, once; not the one the reader surfaced', () => {
    expect(codeFindings.map((f) => f.title)).toEqual([expect.stringMatching(/0x80070005/)])
    expect(codeFindings[0]!.severity).toBe('error')
    expect(codeFindings.some((f) => /0x800F0922/i.test(f.title))).toBe(false)
  })
})
