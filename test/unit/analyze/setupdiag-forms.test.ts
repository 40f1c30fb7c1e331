/**
 * SetupDiag's /Format:xml and /Format:json results, as Microsoft's SetupDiag page prints them
 * (real samples, test/fixtures/setupdiag/findspfatalerror-results.*), read by `analyze` with the same facts as
 * each other: rule and its GUID, the code, last phase and operation, the upgrade's start and end, the tool
 * version. The JSON sample has raw newlines inside its strings (not strict JSON), as SetupDiag prints it.
 * Hostile variants: flattened, quoted with '> ', CRLF, and cut off.
 */
import { describe, it, expect } from 'vitest'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { parseSetupDiag, type SetupDiagFacts } from '../../../main/parse/setupdiag.ts'
import { loadFixture } from '../../fixtures/load.ts'
import { loseNewlines, toCrlf } from '../parse/paste-damage.ts'
import { addLocalLog } from '../../../main/diagnose/local-log.ts'
import { emptyLogs } from '../../../main/diagnose/rule.ts'

const xml = loadFixture('setupdiag/findspfatalerror-results.xml').text
const json = loadFixture('setupdiag/findspfatalerror-results.json').text

const expected = {
  rule: 'FindSPFatalError',
  ruleId: 'A4028172-1B09-48F8-AD3B-86CDD7D55852',
  errorCode: '0x00000057',
  lastPhase: 'Downlevel',
  lastOperation: 'Gather data, scope: EVERYTHING',
  message: 'SetupDiag reports Fatal Error.',
}

function readOf(text: string): SetupDiagFacts {
  const r = analyzeText(text)
  expect(r.kind).toBe('setupdiag')
  return r.facts.setupdiag as SetupDiagFacts
}

describe('SetupDiag XML and JSON results', () => {
  it('XML: rule, GUID, code, phase, operation, start and end, version', () => {
    const s = readOf(xml)
    expect(s.form).toBe('xml')
    expect(s.version).toBe('1.6.0.0')
    expect(s.matches).toHaveLength(1)
    expect(s.matches[0]).toMatchObject({ ...expected, line: 4 })
    expect([s.upgradeStart, s.upgradeEnd]).toEqual(['2019-06-06T21:19:10', '2019-06-06T22:21:49'])
    // System information is not part of the finding's text.
    expect(s.matches[0]!.lines.join(' ')).not.toMatch(/Gigabyte|MachineName/)
  })

  it('JSON: the same facts, dates as local time with their offset', () => {
    const s = readOf(json)
    expect(s.form).toBe('json')
    expect(s.version).toBe('1.6.0.0')
    expect(s.matches).toHaveLength(1)
    expect(s.matches[0]).toMatchObject({ ...expected, line: 3 })
    expect([s.upgradeStart, s.upgradeEnd]).toEqual(['2019-06-06T21:19:10-07:00', '2019-06-06T22:21:49-07:00'])
  })

  it('the finding names the rule and the code; errors carry it', () => {
    for (const text of [xml, json]) {
      const r = analyzeText(text)
      expect(r.findings.map((f) => f.title)).toEqual([
        expect.stringMatching(/^SetupDiag rule FindSPFatalError matched: .*0x00000057/),
      ])
      expect((r.facts.errors as { code: string }[]).map((e) => e.code)).toEqual(['0x00000057'])
      expect(r.findings[0]!.detail).toMatch(/Last phase: Downlevel\. Last operation: Gather data, scope: EVERYTHING/)
    }
  })

  const damaged: [string, string][] = [
    ['xml flattened', loseNewlines(xml)],
    ['json flattened', loseNewlines(json)],
    [
      'xml quoted',
      xml
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n'),
    ],
    [
      'json quoted',
      json
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n'),
    ],
    ['xml crlf', toCrlf(xml)],
    ['json crlf', toCrlf(json)],
  ]
  it(`runs ${damaged.length} damaged variants`, () => {
    expect(damaged.length).toBe(6)
  })
  it.each(damaged)('%s reads the same rule, code, phase and operation', (_name, text) => {
    const s = readOf(text)
    expect(s.matches).toHaveLength(1)
    expect(s.matches[0]).toMatchObject(expected)
  })

  it('a results file cut off anywhere never throws, and keeps what came before the cut', () => {
    let cuts = 0
    for (const text of [xml, json]) {
      for (let at = 0; at < text.length; at += 23) {
        cuts++
        const part = text.slice(0, at)
        const s = parseSetupDiag(part)
        const r = analyzeText(part)
        expect(r.kind).toMatch(/^(setupdiag|unknown|cbs-log|os-info|dism-log)$/)
        // Once the FailureDetails line is complete, the code, phase and operation are there.
        if (part.includes('LastPhase = Downlevel'))
          expect(s.matches[0]).toMatchObject({ errorCode: '0x00000057', lastPhase: 'Downlevel' })
      }
    }
    expect(cuts).toBeGreaterThan(200)
  })

  it('diagnose --log reads a results file as SetupDiag, not as the setupact/CBS lines it quotes', async () => {
    for (const name of ['setupdiag/findspfatalerror-results.xml', 'setupdiag/findspfatalerror-results.json']) {
      const logs = emptyLogs()
      const notes = await addLocalLog(logs, loadFixture(name).path)
      expect(notes).toEqual([expect.stringMatching(/ as setupdiag\.$/)])
      expect(logs.setupdiag[0]!.facts.matches[0]).toMatchObject({ rule: 'FindSPFatalError', errorCode: '0x00000057' })
      expect(logs.setupLog).toHaveLength(0)
    }
  })
})
