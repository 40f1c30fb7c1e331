/** The pass/fail rules applied to electronegativity's findings, and SECURITY.md explaining what remains. */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { explainedMediums, judge, type Finding } from '../../../scripts/check-electronegativity.ts'

const f = (id: string, severity: string): Finding => ({
  id,
  severity,
  confidence: 'FIRM',
  file: 'main/index.js',
  line: 1,
  column: 0,
  sample: 'x',
  description: 'd',
  manualReview: false,
})

describe('judge', () => {
  it('fails on HIGH, on unexplained MEDIUM and on files it could not parse', () => {
    const explained = new Set(['OPEN_EXTERNAL_JS_CHECK'])
    expect(
      judge({ errors: [], issues: [f('OPEN_EXTERNAL_JS_CHECK', 'MEDIUM'), f('CSP_GLOBAL_CHECK', 'LOW')] }, explained),
    ).toEqual([])
    expect(judge({ errors: [], issues: [f('CONTEXT_ISOLATION_JS_CHECK', 'HIGH')] }, explained)[0]).toMatch(
      /^HIGH CONTEXT_ISOLATION_JS_CHECK/,
    )
    expect(judge({ errors: [], issues: [f('PRELOAD_JS_CHECK', 'MEDIUM')] }, explained)[0]).toMatch(/not explained/)
    expect(
      judge(
        {
          errors: [{ file: 'main/index.js', message: 'Unknown node type ClassPrivateProperty.', tolerable: false }],
          issues: [],
        },
        explained,
      )[0],
    ).toMatch(/could not scan/)
  })

  it('reads the explained ids from the electronegativity section of SECURITY.md only', () => {
    const md = '# S\n## Other\n`SANDBOX_JS_CHECK`\n## electronegativity\n| `PRELOAD_JS_CHECK` | why |\n'
    expect([...explainedMediums(md)]).toEqual(['PRELOAD_JS_CHECK'])
  })

  it('SECURITY.md explains the MEDIUM checks the built app is known to raise', () => {
    const md = readFileSync(join(import.meta.dirname, '../../../SECURITY.md'), 'utf8')
    const ids = explainedMediums(md)
    for (const id of ['CERTIFICATE_ERROR_EVENT_JS_CHECK', 'OPEN_EXTERNAL_JS_CHECK', 'PRELOAD_JS_CHECK'])
      expect(ids.has(id), id).toBe(true)
  })
})
