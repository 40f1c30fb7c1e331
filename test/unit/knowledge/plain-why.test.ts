/**
 * "Why" is always a plain sentence: every reason the knowledge gives (an error code's causes, a known issue's
 * symptom, what every rule of main/diagnose says on every training machine and for every known code typed alone)
 * holds at least one sentence without a technical word (preload/model/technical-words.ts), so a finding card's "Why"
 * says it in front; it used to fall back to "A technical cause (see the technical details)". The identifiers stay, behind
 * the card's disclosure.
 */
import { describe, it, expect, beforeAll } from 'vitest'
import { allErrorCodes } from '../../../main/knowledge/error-codes.ts'
import { knownIssues } from '../../../main/knowledge/known-issues.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { createServices } from '../../../main/services.ts'
import { splitTechnical } from '../../../preload/model/technical-words.ts'
import type { DiagnoseOutput } from '../../../preload/model/diagnosis.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

/**
 * `where` with its reasons when none of `causes` has a plain sentence to show in front (the card then lists the rest
 * behind its technical details: one plain reason is what every "Why" needs).
 */
const noPlainWhy = (where: string, causes: readonly string[]) =>
  causes.some((c) => splitTechnical(c, '').plain.trim()) ? [] : [`${where}: ${causes.join(' | ') || '(no reason)'}`]

describe('"Why" is a plain sentence', () => {
  it("every error code's causes in the knowledge", () => {
    const codes = allErrorCodes()
    expect(codes.length).toBeGreaterThan(50)
    expect(codes.flatMap((c) => noPlainWhy(c.code, c.causes))).toEqual([])
  })

  it('every known issue says why in a sentence of its own (the first line of its finding\'s "Why")', () => {
    const issues = knownIssues()
    expect(issues.length).toBeGreaterThan(0)
    expect(issues.flatMap((i) => noPlainWhy(i.id, [i.why ?? '']))).toEqual([])
  })

  it('every finding of every rule for each known code typed alone', () => {
    const bad: string[] = []
    for (const c of allErrorCodes())
      for (const f of diagnose({ code: c.code }).findings)
        if (f.causes.length) bad.push(...noPlainWhy(`${c.code} → ${f.id}`, f.causes))
    expect([...new Set(bad)]).toEqual([])
  })

  describe('every finding on every training machine', () => {
    const services = createServices({ dataDir: tempDirSync('sd-plain-why-'), platform: 'linux' })
    const results = new Map<string, DiagnoseOutput>()
    beforeAll(async () => {
      for (const m of services.listTrainingMachines().machines)
        results.set(m.name, await services.diagnose({ machine: { kind: 'training', name: m.name } }))
    }, hangMs(120_000))
    it('says why in a plain sentence', () => {
      expect(results.size).toBeGreaterThan(5)
      const bad = [...results].flatMap(([m, d]) =>
        d.findings.flatMap((f) => (f.causes.length ? noPlainWhy(`${m} → ${f.id}`, f.causes) : [])),
      )
      expect([...new Set(bad)]).toEqual([])
    })
  })
})
