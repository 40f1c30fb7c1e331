/**
 * Setup's report of a rolled-back upgrade after the restart writes its result pair in brackets, on an Info line
 * ("SetupHost: Reporting post reboot event -> [0xC1900101, 0x30018]"): the pair is the run's outcome, read as the
 * dashed pair is, whatever the line's level. Log lines written here in setupact.log's layout, never a capture's own.
 */
import { describe, expect, it } from 'vitest'
import { analyzeSetupLog } from '../../../main/parse/setup-log.ts'
import { causeOf } from '../analyze/corpus-checks.ts'

const LOG = [
  '2025-03-02 09:40:11, Info                  MOUPG  SetupManager: User Rollback Mode Detected',
  '2025-03-02 09:40:11, Info                  MOUPG  SetupHost: Reporting post reboot event -> [0xC1900101, 0x40017]',
  '2025-03-02 09:40:12, Info                  SP     Rollback-Online-User completed successfully.',
].join('\n')

describe("Setup's bracketed result pair", () => {
  it('is read as a result pair', () => {
    expect(analyzeSetupLog(LOG).resultPairs).toEqual([{ code: '0xC1900101', extend: '0x40017', line: 2 }])
  })
  it('makes the upgrade a failed one, not "no servicing problem"', () => {
    expect(causeOf(LOG).id).toBe('feature-update-failed')
  })
  it('a pair of codes that are no Setup result stays none', () => {
    expect(analyzeSetupLog(LOG.replace('0xC1900101, 0x40017', '0x00000000, 0x00000000')).resultPairs).toEqual([])
  })
})
