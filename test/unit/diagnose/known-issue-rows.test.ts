/**
 * Every row of the known-issue table (main/knowledge/data/known-issues.json) is reached by `diagnose`'s known-issue
 * rule when its KB failed on a PC of an affected branch with one of its codes: one case per (row, code), built from the
 * table itself, so a row added later is covered too. Plus the rows the table must hold for 2026 by name.
 */
import { describe, expect, it } from 'vitest'
import { knownIssuesRule } from '../../../main/diagnose/rules/known-issues.ts'
import { knownIssues } from '../../../main/knowledge/known-issues.ts'
import { branchById } from '../../../main/knowledge/servicing-chains.ts'
import { fact, failed, input, os, packages, pkg, snap, typed } from './rule-fixtures.ts'

/** A PC of the branch: its build, a UBR on its line (Server 2025 above 30000), a product name that says server or not. */
function pcOf(branchId: string) {
  const b = branchById(branchId)!
  const server = b.product.includes('Server')
  return fact(
    os({
      productName: server ? b.product : `${b.product} Pro`,
      edition: server ? 'ServerStandard' : 'Professional',
      displayVersion: b.displayVersion,
      build: b.builds[0],
      ubr: server && b.id === 'server-2025' ? 32000 : 1000,
    }),
  )
}

const rows = knownIssues().flatMap((r) => r.affects.codes.map((code) => [r.id, code] as const))

describe('known-issue table: each row reached by diagnose when its KB and code meet', () => {
  it.each(rows)('%s with %s: a strong finding of that row', (id, code) => {
    const row = knownIssues().find((r) => r.id === id)!
    for (const branchId of row.affects.branchIds) {
      // A failure HRESULT is in the update history; a stop code is what the person reads off the screen and types.
      const stop = !/^0x[89A-F]/.test(code)
      // A row whose update installs before the PC fails meets the KB installed (with a later update failing with
      // the code, or a stop code typed); the others meet the KB's own failure in the history.
      const pc = row.affects.installed
        ? snap({
            os: pcOf(branchId),
            packages: packages([pkg({ kb: row.kb, identity: `Package_for_${row.kb}`, version: null })]),
            ...(stop ? {} : { history: fact([failed('KB5077181', code)]) }),
          })
        : snap({ os: pcOf(branchId), history: fact([failed(row.kb, stop ? '0x80070002' : code)]) })
      const findings = knownIssuesRule.evaluate(input({ ...(stop ? { code: typed(code) } : {}), snapshot: pc }))
      if (row.onlyWhenNotNeeded) {
        expect(findings).toEqual([])
        continue
      }
      const f = findings.find((x) => x.id === `known-issue:${id}`)
      expect(f, `${id} ${code} on ${branchId}`).toBeDefined()
      expect(f!.codes).toEqual([code])
      expect(f!.confidence).toBeGreaterThanOrEqual(0.8)
      if (row.resolutionKb) expect(f!.remedies[0]!.text).toContain(row.resolutionKb)
    }
  })

  it('the same KB with a code the row does not name is only a weak match; another KB is none', () => {
    const row = knownIssues().find((r) => r.id === 'kb5089549-esp-space')!
    expect(
      knownIssuesRule.evaluate(
        input({ snapshot: snap({ os: pcOf('win11-24h2'), history: fact([failed('KB5089549', '0x80070005')]) }) }),
      )[0],
    ).toMatchObject({ confidence: 0.7, codes: [] })
    expect(
      knownIssuesRule.evaluate(
        input({
          snapshot: snap({ os: pcOf('win11-24h2'), history: fact([failed('KB5094126', row.affects.codes[1]!)]) }),
        }),
      ),
    ).toEqual([])
  })

  it('2026 rows: KB5089549 on the EFI partition (0x800F0922, 0x80240069, 0x80240031; fixed by KB5089573), KB5074109 UNMOUNTABLE_BOOT_VOLUME, KB5068781 fixed by KB5072653', () => {
    const by = (id: string) => knownIssues().find((r) => r.id === id)
    expect(by('kb5089549-esp-space')).toMatchObject({
      kb: 'KB5089549',
      resolutionKb: 'KB5089573',
      kir: true,
      affects: { codes: ['0x800F0922', '0x80240069', '0x80240031'] },
    })
    expect(by('kb5089549-esp-space')!.symptom).toMatch(/35/)
    expect(by('kb5089549-esp-space')!.affects.condition).toMatch(/10 MB or less/)
    expect(by('kb5074109-unmountable-boot-volume')).toMatchObject({
      kb: 'KB5074109',
      affects: { codes: ['0x000000ED'] },
    })
    expect(by('kb5074109-unmountable-boot-volume')!.symptom).toMatch(/UNMOUNTABLE_BOOT_VOLUME/)
    expect(by('kb5068781-esu-subscription')).toMatchObject({ resolutionKb: 'KB5072653' })
    for (const r of knownIssues()) {
      expect(r.workaround === undefined || r.workaround.length > 20, r.id).toBe(true)
      for (const c of r.affects.codes) expect(c, r.id).toMatch(/^0x[0-9A-F]{8}$/)
    }
  })

  it('KB5074109 installed and UNMOUNTABLE_BOOT_VOLUME typed: that row; installed without the stop code: nothing', () => {
    const pc = snap({
      os: pcOf('win11-24h2'),
      packages: packages([pkg({ kb: 'KB5074109', identity: 'Package_for_KB5074109', version: null })]),
    })
    const [f] = knownIssuesRule.evaluate(input({ code: typed('0x000000ED'), snapshot: pc }))
    expect(f).toMatchObject({
      id: 'known-issue:kb5074109-unmountable-boot-volume',
      codes: ['0x000000ED'],
      confidence: 0.8,
    })
    expect(f!.causes[2]).toBe('KB5074109 is installed on this PC and 0x000000ED is in play.')
    expect(f!.remedies[0]!.title).toBe('Recover from WinRE, then install KB5077181 or later')
    expect(knownIssuesRule.evaluate(input({ snapshot: pc }))).toEqual([])
    expect(
      knownIssuesRule.evaluate(input({ code: typed('0x000000ED'), snapshot: snap({ os: pcOf('win11-24h2') }) })),
    ).toEqual([])
  })

  it('KB5089549 with 0x80240069 after the EFI failure: the workaround is said until the fix is installed', () => {
    const [f] = knownIssuesRule.evaluate(
      input({ snapshot: snap({ os: pcOf('win11-25h2'), history: fact([failed('KB5089549', '0x80240069')]) }) }),
    )
    expect(f).toMatchObject({ id: 'known-issue:kb5089549-esp-space', severity: 'critical', codes: ['0x80240069'] })
    expect(f!.remedies[0]!.title).toBe('Install KB5089573 instead')
    expect(f!.remedies[0]!.text).toMatch(/Until then: Restart once so Microsoft's Known Issue Rollback/)
  })

  it('2026: the January preview KB5074105 installed, then Windows Update fails with 0x80010002 on a restricted network (Known Issue Rollback)', () => {
    const row = knownIssues().find((r) => r.id === 'kb5074105-restricted-network-0x80010002')
    expect(row).toMatchObject({
      kb: 'KB5074105',
      kir: true,
      resolutionKb: null,
      affects: { branchIds: ['win11-24h2', 'win11-25h2'], codes: ['0x80010002'], installed: true },
    })
    expect(row!.resolution).toMatch(/Known Issue Rollback/)
    expect(row!.resolution).toMatch(/KB5083631/)
    const installed = packages([pkg({ kb: 'KB5074105', identity: 'Package_for_KB5074105', version: null })])
    // The next month's update fails to download with the code: that row, conditional on the network.
    const [f] = knownIssuesRule.evaluate(
      input({
        snapshot: snap({
          os: pcOf('win11-24h2'),
          packages: installed,
          history: fact([failed('KB5077181', '0x80010002')]),
        }),
      }),
    )
    expect(f).toMatchObject({ id: 'known-issue:kb5074105-restricted-network-0x80010002', confidence: 0.8 })
    expect(f!.causes[2]).toBe('KB5074105 is installed on this PC and 0x80010002 is in play.')
    expect(f!.remedies[0]!.title).toBe("Apply Microsoft's Known Issue Rollback, then check for updates again")
    // A scan that fails leaves no history entry: the code the person typed meets the row too.
    expect(
      knownIssuesRule.evaluate(
        input({ code: typed('0x80010002'), snapshot: snap({ os: pcOf('win11-25h2'), packages: installed }) }),
      )[0]?.id,
    ).toBe('known-issue:kb5074105-restricted-network-0x80010002')
    // Without the preview installed, the code alone is not this issue.
    expect(
      knownIssuesRule.evaluate(input({ code: typed('0x80010002'), snapshot: snap({ os: pcOf('win11-24h2') }) })),
    ).toEqual([])
  })

  it("2024: KB5034765 stops at 96% with 0x800F0922 on Windows 11 22H2/23H2; Microsoft's workaround is deleting C:\\$WinREAgent", () => {
    const row = knownIssues().find((r) => r.id === 'kb5034765-winreagent-96')
    expect(row).toMatchObject({
      kb: 'KB5034765',
      affects: { branchIds: ['win11-22h2', 'win11-23h2'], codes: ['0x800F0922'] },
    })
    const [f] = knownIssuesRule.evaluate(
      input({ snapshot: snap({ os: pcOf('win11-23h2'), history: fact([failed('KB5034765', '0x800F0922')]) }) }),
    )
    expect(f).toMatchObject({ id: 'known-issue:kb5034765-winreagent-96', codes: ['0x800F0922'], confidence: 0.97 })
    expect(f!.technical).toMatch(/96%/)
    expect(f!.remedies[0]!.text).toMatch(/C:\\\$WinREAgent/)
  })
})
