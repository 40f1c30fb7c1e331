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

describe("the rollback log's ImageExit result", () => {
  const ROLLBACK = [
    '2025-03-02 09:41:02, Info                  MOUPG  InitializeRoutine: MOSETUP_ACTION_IMAGE_EXIT',
    '2025-03-02 09:41:02, Info                  MOUPG  ImageExit: Initializing SetupResult: [0x800f0818]',
    '2025-03-02 09:41:02, Info                  MOUPG  ImageExit: Initializing Extended: [0x20003]',
    '2025-03-02 09:41:02, Info                  MOUPG  ImageExit: Initializing Scenario: [6]',
  ].join('\n')
  it("is the run's result pair, its phase and operation decoded", () => {
    expect(analyzeSetupLog(ROLLBACK).resultPairs).toEqual([{ code: '0x800F0818', extend: '0x20003', line: 3 }])
  })
  it('a success result, or an Extended line far from its result, is no pair', () => {
    expect(analyzeSetupLog(ROLLBACK.replace('0x800f0818', '0x00000000')).resultPairs).toEqual([])
    const apart = ROLLBACK.split('\n')
    apart.splice(2, 0, ...Array(4).fill('2025-03-02 09:41:02, Info                  MOUPG  SetupManager: waiting'))
    expect(analyzeSetupLog(apart.join('\n')).resultPairs).toEqual([])
  })
})
