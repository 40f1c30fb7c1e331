/**
 * Win32's success values written as HRESULTs are no failure (System Error Codes: 1641 ERROR_SUCCESS_REBOOT_INITIATED
 * "The requested operation is successful. The system will be restarted so the changes can take effect.", 3011
 * ERROR_SUCCESS_RESTART_REQUIRED): kept as facts, never an error finding, even where a tool calls them a failure.
 * Sentences written for this test.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { extractTextFacts } from '../../../main/analyze/extract.ts'

const errors = (text: string) =>
  diagnose({ text }).findings.filter((f) => f.severity === 'error' || f.severity === 'critical')

describe('Win32 success values are facts, not failures', () => {
  for (const [code, text] of [
    ['0x80070669', 'wusa.exe exited with code 0x80070669 after installing the update.'],
    ['0x80070BC3', 'The installer returned 0x80070BC3 for the update.'],
    ['0x80070669', 'The deployment tool says the update failed with 0x80070669.'],
  ] as const)
    it(`${code}: "${text.slice(0, 50)}…"`, () => {
      expect(extractTextFacts(text).codes.find((c) => c.code === code)?.infoOnly).toBe(true)
      expect(errors(text)).toEqual([])
      expect(analyzeText(text).findings.filter((f) => f.severity === 'error')).toEqual([])
    })
  it('a real failure code beside one is still a failure', () => {
    expect(errors('The update failed with 0x800F0922 and the installer returned 0x80070669.').length).toBeGreaterThan(0)
  })
})
