/**
 * A code on a log line its writer marked Info or Warning is a fact, not a failure: Panther's format and the Update
 * Assistant's (its time with milliseconds, `2020-10-30 11:20:44.966, Warning [...] … error code 0x80070002 ignored`,
 * a real capture of the thirty-first causes batch). The same code on an Error line is the failure it was.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { extractTextFacts } from '../../../main/analyze/extract.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

const capture = join(
  import.meta.dirname,
  '../../fixtures/corpus-causes-31/unknown/en-update-assistant-zoccorus-upgrader-win10-welcome-19042-exit-0x0.txt',
)

describe('codes on Info and Warning lines', () => {
  it("the Update Assistant's warnings (milliseconds in the time) are facts", () => {
    const text = readFileSync(capture, 'utf8')
    const c = extractTextFacts(text.slice(text.indexOf('\n') + 1)).codes.find((x) => x.code === '0x80070002')!
    expect(c.count).toBeGreaterThan(1)
    expect(c.infoOnly).toBe(true)
  })

  it('the same code on an Error line is a failure', () => {
    const text = readFileSync(capture, 'utf8')
    const lines = text.slice(text.indexOf('\n') + 1).split('\n')
    const warning = lines.find((l) => l.includes(', Warning') && l.includes('0x80070002'))!
    const asError = warning.replace(', Warning  ', ', Error    ')
    const c = extractTextFacts(`${warning}\n${asError}\n`).codes.find((x) => x.code === '0x80070002')!
    expect(c.infoOnly).toBe(false)
  })

  it("their failure words are the log's too: a run that ends with error code 0x0 is no failure", () => {
    const text = readFileSync(capture, 'utf8')
    const out = diagnose({ text: text.slice(text.indexOf('\n') + 1) })
    expect(out.findings.filter((f) => f.severity !== 'info' && f.state !== 'past')).toEqual([])
  })
})
