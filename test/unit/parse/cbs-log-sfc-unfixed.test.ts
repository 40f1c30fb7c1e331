/**
 * The two recorded corpus misses (real CBS.log captures from public issue threads):
 * sfc's `[SR] Could not reproject corrupted file …; source file in store is also corrupted` is corruption sfc
 * could not repair (the store copy is bad too), and a paste holding only sfc's `DEPLOY [Pnp]` lines is CBS.log.
 */
import { describe, it, expect } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { analyzeCbsLogText } from '../../../main/parse/cbs-log.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'

describe('sfc results that stay unrepaired (misses of the real-capture corpus)', () => {
  it('"Could not reproject corrupted file …; source file in store is also corrupted" is an unfixed corrupt payload naming the file', () => {
    const f = loadFixture('corpus/cbs-log/en-sfc-could-not-reproject-searchoption-svg.log')
    const a = analyzeCbsLogText(f.text)
    expect(a.corruptPayloads).toHaveLength(1)
    expect(a.corruptPayloads[0]).toMatchObject({
      component:
        'C:\\Windows\\SystemApps\\MicrosoftWindows.Client.Core_cw5n1h2txyewy\\FileExplorerExtensions\\Assets\\images\\contrast-standard\\theme-dark',
      file: 'windows.searchoptioncontents.svg',
      fixed: false,
      line: 1,
    })
    expect(a.corruptPayloads[0]!.text).toMatch(/source file in store is also corrupted$/)
    const r = analyzeText(f.text)
    expect(r.kind).toBe('cbs-log')
    expect(r.findings.map((x) => x.id)).toContain('cbs-payload-corrupt')
  })

  it('a paste of only "DEPLOY [Pnp]" lines is read as CBS.log, its Error line counted', () => {
    const f = loadFixture('corpus/cbs-log/en-deploy-pnp-failed-repairing-storvsp.log')
    const r = analyzeText(f.text)
    expect(r.kind).toBe('cbs-log')
    expect(r.facts.errorCount).toBe(1)
    // A line that only looks alike (another component) is not taken for CBS.log on that ground.
    expect(analyzeText('2022-08-19 05:30:49, Info                  DEPLOY [Pxe] Something\n').kind).not.toBe('cbs-log')
  })
})
