/**
 * Never a bare "No problem found" beside a failure code. A routine CBS.log (real capture) whose
 * failure codes all sit on Info probe lines raises no error finding, and the notes say which codes were read
 * and judged routine; a log with a real error still gets its finding and no such note.
 */
import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { addLocalLog } from '../../../main/diagnose/local-log.ts'
import { emptyLogs } from '../../../main/diagnose/rule.ts'

const corpus = join(import.meta.dirname, '../../fixtures/corpus/cbs-log')

async function diagnoseFile(name: string) {
  const logs = emptyLogs()
  await addLocalLog(logs, join(corpus, name))
  return diagnose({ logs })
}

describe('"No problem found" says what it read', () => {
  it('a routine CBS.log: no error finding, and a note names the codes seen only on Info lines, with counts', async () => {
    const out = await diagnoseFile('en-win11-22621-healthy-ti-start-probes.log')
    expect(out.findings.filter((f) => f.severity === 'error' || f.severity === 'critical')).toEqual([])
    expect(out.notes[0]).toBe('No servicing problem found in what was given.')
    expect(out.notes[1]).toMatch(
      /en-win11-22621-healthy-ti-start-probes\.log \(CBS\.log\): 8 failure code\(s\) appear only on routine Info lines \(CBS_E_INVALID_PACKAGE \(0x800F0805\) ×8\) — probes a healthy PC logs, not errors\.$/,
    )
  })

  it('a CBS.log with a real failure: the finding, and no "routine" note', async () => {
    const out = await diagnoseFile('en-server2022-ssu-0x80073712-store-corrupt.log')
    expect(
      out.findings.some((f) => f.codes.includes('0x80073712') && (f.severity === 'error' || f.severity === 'critical')),
    ).toBe(true)
    expect(out.notes.some((n) => /routine Info lines/.test(n))).toBe(false)
  })
})
