/**
 * Every diagnosis rule read from a freshly loaded module: a rule's id and the code lists and
 * thresholds it holds as module constants are evaluated once, when the module loads, so only a fresh load
 * sees a change to them (Stryker's "static" mutants). Each list is run in full and counted.
 */
import { describe, expect, it, vi } from 'vitest'
import type { Rule } from '../../../main/diagnose/rule.ts'
import { GB, MB, fact, failed, input, partition, service, snap, storage, typed } from './rule-fixtures.ts'

type Mod = Record<string, unknown>
async function fresh(name: string): Promise<Mod> {
  vi.resetModules()
  return (await import(`../../../main/diagnose/rules/${name}.ts`)) as Mod
}
const rule = (m: Mod, key: string) => m[key] as Rule
/** Each code typed alone gives exactly one finding with that rule's id; returns how many ran. */
function eachCode(r: Rule, id: string, codes: string[]): number {
  expect(r.id).toBe(id)
  let ran = 0
  for (const c of codes) {
    const out = r.evaluate(input({ code: typed(c) }))
    expect(
      out.map((f) => f.id),
      `${id} ${c}`,
    ).toEqual([id])
    ran++
  }
  return ran
}

describe('rules from a fresh load: ids, code lists, thresholds', () => {
  it('WinRE: the three ids, each WinRE KB of the family, 250 MB', async () => {
    const m = await fresh('winre')
    expect([rule(m, 'winrePartitionRule').id, rule(m, 'winreDisabledRule').id, rule(m, 'winreStaleRule').id]).toEqual([
      'winre-partition-too-small',
      'winre-disabled',
      'winre-stale',
    ])
    const r = rule(m, 'winrePartitionRule')
    let ran = 0
    for (const kb of ['KB5034441', 'KB5034440', 'KB5034439', 'KB5034957']) {
      expect(
        r
          .evaluate(input({ snapshot: snap({ history: fact([failed(kb, '0x800F0922', { title: 'x' })]) }) }))
          .map((f) => f.id),
        kb,
      ).toEqual(['winre-partition-too-small'])
      ran++
    }
    expect(ran).toBe(4)
    expect(
      r.evaluate(
        input({
          code: typed('0x80070643'),
          snapshot: snap({ storage: storage({ partitions: [partition({ freeBytes: 250 * MB - 1 })] }) }),
        }),
      ),
    ).toHaveLength(1)
    expect(
      r.evaluate(
        input({
          code: typed('0x80070643'),
          snapshot: snap({ storage: storage({ partitions: [partition({ freeBytes: 250 * MB })] }) }),
        }),
      ),
    ).toEqual([])
  })

  it('pending restart: its id and six codes', async () => {
    expect(
      eachCode(rule(await fresh('reboot'), 'pendingRestartRule'), 'pending-restart', [
        '0x800F0806',
        '0x800F0826',
        '0x800F082F',
        '0x80242014',
        '0x80240016',
        '0x80070BC9',
      ]),
    ).toBe(6)
  })

  it('disk space: its id, two space codes, 10 GB', async () => {
    const r = rule(await fresh('disk-space'), 'lowDiskSpaceRule')
    expect(eachCode(r, 'low-disk-space', ['0x80070070', '0xC190020E'])).toBe(2)
    expect(
      r
        .evaluate(input({ code: typed('0x8024001E'), snapshot: snap({ storage: storage({ free: 10 * GB - 1 }) }) }))
        .map((f) => f.codes),
    ).toEqual([['0x8024001E']])
    expect(r.evaluate(input({ snapshot: snap({ storage: storage({ free: 10 * GB }) }) }))).toEqual([])
  })

  it('services: its id and the six servicing services', async () => {
    const r = rule(await fresh('services'), 'disabledServicesRule')
    let ran = 0
    for (const n of ['wuauserv', 'bits', 'cryptsvc', 'trustedinstaller', 'usosvc', 'dosvc']) {
      expect(
        r.evaluate(input({ snapshot: snap({ services: fact([service(n, 'disabled')]) }) })).map((f) => f.id),
        n,
      ).toEqual(['services-disabled'])
      ran++
    }
    expect(ran).toBe(6)
    expect(eachCode(r, 'services-disabled', ['0x80070422'])).toBe(1)
  })

  it('single-id rules: architecture, servicing stack, lcu-uninstall, known-code, failed-event, known issues, Secure Boot', async () => {
    const ids: [string, string, string][] = [
      ['architecture', 'emulatedProcessRule', 'emulated-process'],
      ['servicing-stack', 'servicingStackRule', 'servicing-stack-required'],
      ['lcu-uninstall', 'lcuUninstallRule', 'lcu-uninstall-blocked'],
      ['known-code', 'knownCodeRule', 'known-code'],
      ['failed-event', 'failedEventWithoutCodeRule', 'update-failed-no-code'],
      ['known-issues', 'knownIssuesRule', 'known-issue'],
      ['secure-boot', 'secureBootCertificateRule', 'secure-boot-2023-missing'],
      ['secure-boot', 'bootManager2011Rule', 'boot-manager-2011'],
      ['efi-partition', 'espFullRule', 'esp-full'],
      ['feature-update', 'featureUpdateRule', 'feature-update-failed'],
      ['file-not-found', 'fileNotFoundRule', 'file-not-found'],
      ['installers', 'installersFailedRule', 'installer-failed'],
      ['applicability', 'notApplicableRule', 'wrong-arch-or-branch'],
      ['effects', 'shutdownEffectRule', 'shutdown-in-progress-effect'],
      ['effects', 'hangDetectedRule', 'servicing-hang'],
    ]
    let ran = 0
    for (const [mod, key, id] of ids) {
      expect(rule(await fresh(mod), key).id, mod).toBe(id)
      ran++
    }
    expect(ran).toBe(15)
    const lcu = await fresh('lcu-uninstall')
    const rollup = (ubr: number) => ({
      identity: `Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.${ubr}.1.10`,
      kb: null,
      arch: 'x64',
      version: `26100.${ubr}.1.10`,
      state: 'installed',
      releaseType: null,
      installTime: null,
    })
    const blocked = snap({
      history: fact([failed('KB5086672', '0x80242004', { operation: 'uninstall' })]),
      os: fact({ build: 26100, ubr: 8117 }) as never,
      packages: fact({ packages: [rollup(8117), rollup(6000)] }) as never,
    })
    expect(
      rule(lcu, 'lcuUninstallRule')
        .evaluate(input({ snapshot: blocked }))
        .map((f) => [f.id, f.repair]),
    ).toEqual([['lcu-uninstall-blocked', 'remove-package']])
    expect([lcu.WU_E_UH_DOESNOTSUPPORTACTION, lcu.REMOVE_LCU_SOURCE]).toEqual([
      '0x80242004',
      'https://support.microsoft.com/topic/september-9-2025-kb5065426-os-build-26100-6584-77a41d9b-1b7c-4198-b9a5-3c4b6706dea9',
    ])
  })

  it('wu-components, access, network, psfx: their ids and every code', async () => {
    let ran = 0
    const wu = await fresh('wu-components')
    expect(wu.WU_DATA_CODES).toEqual(['0x80092003', '0x80242006'])
    ran += eachCode(rule(wu, 'wuComponentsRule'), 'wu-components', ['0x80092003', '0x80242006'])
    ran += eachCode(rule(await fresh('access-denied'), 'accessDeniedRule'), 'access-blocked', [
      '0x80070005',
      '0x80070020',
    ])
    ran += eachCode(rule(await fresh('network'), 'networkRule'), 'update-source-unreachable', [
      '0x80072EE2',
      '0x80072EFE',
      '0x8024402C',
      '0x80244022',
      '0x8024401B',
      '0x80240034',
      '0x80072F8F',
      '0x80246007',
    ])
    ran += eachCode(rule(await fresh('psfx'), 'psfxRule'), 'psfx-delta', ['0x800F0982', '0x800F0988'])
    expect(ran).toBe(14)
  })

  it('the ESP thresholds and the folder things are moved to', async () => {
    const m = await fresh('efi-partition')
    expect([m.ESP_NEEDED_BYTES, m.ESP_WARN_BYTES, m.ESP_MOVED_FOLDER]).toEqual([
      15 * MB,
      10 * MB,
      'C:\\ProgramData\\ServicingDesk\\esp-moved',
    ])
    const esp = (free: number) =>
      snap({
        bootChain: fact({
          esp: { disk: 0, partition: 1, sizeBytes: 100 * MB, freeBytes: free, folders: null, foldersDetail: 'x' },
        }),
      })
    const r = rule(m, 'espFullRule')
    expect(r.evaluate(input({ snapshot: esp(15 * MB - 1), code: typed('0x800F0922') })).map((f) => f.severity)).toEqual(
      ['error'],
    )
    expect(r.evaluate(input({ snapshot: esp(10 * MB - 1) })).map((f) => [f.severity, f.title])).toEqual([
      ['warning', 'The EFI system partition is nearly full (10.0 MB free)'],
    ])
    expect((m.mb1 as (n: number) => string)(1.5 * MB)).toBe('1.5 MB')
    expect(r.evaluate(input({ snapshot: esp(10 * MB) }))).toEqual([])
  })

  it('boot-chain facts: the knowledge date', async () => {
    const m = await fresh('boot-chain-facts')
    expect(m.BOOT_CHAIN_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })
})
