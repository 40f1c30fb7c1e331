/**
 * A SetupDiag rule that matched is a failed feature update: `analyze` and `diagnose` both name the finding after that
 * family (`feature-update-failed:setupdiag-<rule>`), so a ranking, a report or a count by family sees the upgrade
 * failure, with the rule as its finer reason. Read on SetupDiag's own output (captured, its source on the first line).
 */
import { readFileSync } from 'node:fs'
import { describe, it, expect } from 'vitest'
import { analyzeText } from '../../../main/analyze/analyze.ts'

const FILES = [
  'test/fixtures/setupdiag/offline-dism-provider.txt',
  'test/fixtures/setupdiag/findspfatalerror-results.xml',
  'test/fixtures/setupdiag/findspfatalerror-results.json',
]

describe('a SetupDiag match', () => {
  it.each(FILES)("is named after the feature update's family in analyze: %s", (file) => {
    const r = analyzeText(readFileSync(file, 'utf8'))
    expect(r.kind).toBe('setupdiag')
    const rules = r.findings.map((f) => f.id).filter((id) => id.includes('setupdiag'))
    expect(rules.length).toBeGreaterThan(0)
    for (const id of rules) expect(id).toMatch(/^feature-update-failed:setupdiag-[A-Za-z]+$/)
  })
})
