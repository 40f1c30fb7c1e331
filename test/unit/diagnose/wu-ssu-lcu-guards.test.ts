/**
 * The wu-components, servicing-stack and lcu-uninstall rules, one condition per test, on hand-made facts.
 * The servicing-stack line is the captured CBS.log of Microsoft's 0x800f0823 article
 * (test/fixtures/cbs-log). Known updates are the shipped knowledge: KB5086672 (26100.8117, a cumulative
 * update) and KB5043080 (26100.1742, 24H2's checkpoint).
 */
import { describe, expect, it } from 'vitest'
import { wuComponentsRule } from '../../../main/diagnose/rules/wu-components.ts'
import { servicingStackRule } from '../../../main/diagnose/rules/servicing-stack.ts'
import { blockedLcuUninstall, lcuUninstallRule, REMOVE_LCU_SOURCE } from '../../../main/diagnose/rules/lcu-uninstall.ts'
import { analyzeCbsLogText } from '../../../main/parse/cbs-log.ts'
import { loadFixture } from '../../fixtures/load.ts'
import {
  cbsAnalysis,
  cbsLogs,
  dismOutputLogs,
  fact,
  failed,
  input,
  os,
  packages,
  pkg,
  service,
  snap,
  typed,
} from './rule-fixtures.ts'

describe('wu-components', () => {
  const run = (over: Parameters<typeof input>[0]) => wuComponentsRule.evaluate(input(over))
  const services = fact(
    [
      service('wuauserv', 'manual', 'running'),
      service('bits', 'manual'),
      service('cryptsvc', 'automatic', 'running'),
      service('Spooler'),
    ],
    [{ source: 'Get-Service', excerpt: 'all' }],
  )

  it('0x80092003 in update history and services read: error, 0.8, reset-wu-components offered, the three services as evidence', () => {
    const [f, ...rest] = run({ snapshot: snap({ history: fact([failed('KB5044284', '0x80092003')]), services }) })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'wu-components',
      severity: 'error',
      confidence: 0.8,
      repair: 'reset-wu-components',
      codes: ['0x80092003'],
    })
    expect(f!.technical).toContain('0x80092003')
    expect(f!.remedies.map((r) => [r.id, r.repair])).toEqual([
      ['R3', 'reset-wu-components'],
      ['R0', null],
    ])
    expect(f!.evidence.filter((e) => e.source === 'Services (Get-Service)')).toEqual([
      { source: 'Services (Get-Service)', excerpt: 'wuauserv  running  manual' },
      { source: 'Services (Get-Service)', excerpt: 'bits  stopped  manual' },
      { source: 'Services (Get-Service)', excerpt: 'cryptsvc  running  automatic' },
    ])
    expect(f!.evidence.some((e) => e.source === 'Windows Update history')).toBe(true)
  })

  it('0x80242006 from a log, an event or pasted output counts as seen on the PC', () => {
    expect(run({ logs: dismOutputLogs('0x80242006'), snapshot: snap({ services }) })[0]).toMatchObject({
      confidence: 0.8,
      repair: 'reset-wu-components',
      codes: ['0x80242006'],
    })
  })

  it('a code only typed by the person: 0.6 and no repair, even with services read', () => {
    const [f] = run({ code: typed('0x80092003'), snapshot: snap({ services }) })
    expect(f).toMatchObject({ confidence: 0.6, repair: null })
    expect(f!.remedies[0]!.repair).toBeNull()
  })

  it('seen on the PC but services unknown: 0.8, no repair, no service evidence', () => {
    const [f] = run({ snapshot: snap({ history: fact([failed('KB1', '0x80242006')]) }) })
    expect(f).toMatchObject({ confidence: 0.8, repair: null })
    expect(f!.evidence.every((e) => e.source !== 'Services (Get-Service)')).toBe(true)
  })

  it('services read but none of the three: the services fact itself as evidence', () => {
    const [f] = run({
      snapshot: snap({
        history: fact([failed('KB1', '0x80242006')]),
        services: fact([service('Spooler')], [{ source: 'Get-Service', excerpt: 'all' }]),
      }),
    })
    expect(f!.evidence).toContainEqual({ source: 'Get-Service', excerpt: 'all' })
    expect(f!.repair).toBe('reset-wu-components')
  })

  it('both codes: both listed; another code: nothing', () => {
    expect(
      run({
        snapshot: snap({ history: fact([failed('KB1', '0x80092003'), failed('KB2', '0x80242006')]), services }),
      })[0]!.codes,
    ).toEqual(['0x80092003', '0x80242006'])
    expect(run({ code: typed('0x800F0922') })).toEqual([])
    expect(run({})).toEqual([])
  })
})

describe('servicing-stack-required', () => {
  const run = (over: Parameters<typeof input>[0]) => servicingStackRule.evaluate(input(over))
  const fixture = loadFixture('cbs-log/0x800f0823-servicing-stack.log').text

  it('the captured CBS.log line: error, 0.95, install-update, the versions named', () => {
    const [f, ...rest] = run({ logs: cbsLogs(analyzeCbsLogText(fixture)) })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'servicing-stack-required',
      severity: 'error',
      confidence: 0.95,
      repair: 'install-update',
      codes: ['0x800F0823'],
      title: 'The update needs a newer servicing stack first',
    })
    expect(f!.technical).toContain('0x800F0823')
    expect(f!.causes).toEqual([
      'Package_for_KB5012170~31bf3856ad364e35~amd64~~14393.5285.1.4 needs servicing stack 10.0.14393.5285; this PC has 10.0.14393.4349.',
    ])
    expect(f!.evidence[0]).toEqual({
      source: 'C:\\Windows\\Logs\\CBS\\CBS.log',
      excerpt:
        'line 1: Package_for_KB5012170~31bf3856ad364e35~amd64~~14393.5285.1.4 requires Servicing Stack v10.0.14393.5285 but current is v10.0.14393.4349',
    })
    expect(f!.remedies.map((r) => [r.id, r.repair])).toEqual([
      ['R7', 'install-update'],
      ['R1', null],
    ])
    expect(f!.remedies[0]!.title).toBe(
      'Install the latest servicing stack update (or the combined SSU+LCU), restart, retry',
    )
  })

  it('the code alone: 0.8, the generic cause; the servicing stack version from the package list as evidence', () => {
    const [f] = run({ code: typed('0x800F0823'), snapshot: snap({ packages: packages([], '26100.4050') }) })
    expect(f).toMatchObject({ confidence: 0.8, repair: 'install-update', codes: ['0x800F0823'] })
    expect(f!.causes).toEqual(['The PC skipped servicing stack updates (SSUs) and cannot process the new update.'])
    expect(f!.evidence).toEqual([
      { source: 'the code you entered', excerpt: '0x800F0823' },
      { source: 'Installed packages (DISM)', excerpt: 'Servicing stack 26100.4050' },
    ])
    expect(run({ code: typed('0x800F0823'), snapshot: snap({ packages: packages([], null) }) })[0]!.evidence).toEqual([
      { source: 'the code you entered', excerpt: '0x800F0823' },
    ])
  })

  it('another code, or no log line: nothing', () => {
    expect(run({ code: typed('0x800F0922') })).toEqual([])
    expect(run({})).toEqual([])
  })
})

describe('lcu-uninstall-blocked', () => {
  const uninstall = (kb: string, over = {}) =>
    failed(kb, '0x80242004', { operation: 'uninstall', title: `Uninstall ${kb}`, date: '2026-04-02 09:00:00', ...over })
  const rollup = (ubr: number, state: 'installed' | 'superseded' | 'install-pending' = 'installed') =>
    pkg({
      identity: `Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.${ubr}.1.10`,
      version: `26100.${ubr}.1.10`,
      state,
    })
  const pc = (
    hist: ReturnType<typeof uninstall>[],
    list = [rollup(8117), rollup(7000, 'superseded'), rollup(6000)],
    ubr: number | null = 8117,
  ) => snap({ history: fact(hist), os: fact(os({ ubr, build: 26100 })), packages: packages(list) })
  const run = (s: ReturnType<typeof snap>) => lcuUninstallRule.evaluate(input({ snapshot: s }))

  it('the running cumulative update whose uninstall failed with 0x80242004: warning, 0.9, remove-package with its identity, the previous build', () => {
    const [f, ...rest] = run(
      pc([uninstall('KB5086672'), uninstall('KB5086672', { result: 'aborted', date: '2026-04-03' })]),
    )
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'lcu-uninstall-blocked',
      severity: 'warning',
      confidence: 0.9,
      repair: 'remove-package',
      codes: ['0x80242004'],
      title: 'KB5086672 could not be uninstalled the usual way: remove its cumulative update package on its own',
    })
    expect(f!.technical).toContain('0x80242004')
    expect(f!.causes[1]).toBe(
      'The cumulative update itself can be removed with DISM /Remove-Package and its package name from DISM /Get-Packages: here Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8117.1.10.',
    )
    expect(f!.causes[2]).toBe('The PC then returns to build 26100.7000.')
    expect(f!.causes).toHaveLength(3)
    expect(f!.remedies[0]).toMatchObject({ id: 'remove-lcu', repair: 'remove-package', sources: [REMOVE_LCU_SOURCE] })
    expect(f!.remedies[0]!.commands[1]).toBe(
      '%SystemRoot%\\System32\\Dism.exe /Online /Remove-Package /PackageName:Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8117.1.10 /NoRestart',
    )
    expect(f!.evidence).toEqual([
      {
        source: 'Windows Update history',
        excerpt: '2026-04-02 09:00:00  uninstall failed  0x80242004  Uninstall KB5086672',
      },
      { source: 'Windows Update history', excerpt: '2026-04-03  uninstall failed  0x80242004  Uninstall KB5086672' },
      {
        source: 'Installed packages (DISM)',
        excerpt: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8117.1.10  Installed',
      },
    ])
  })

  it('the blocked uninstall in detail: attempts of that KB only, the newest earlier installed or superseded update', () => {
    const b = blockedLcuUninstall(
      pc(
        [uninstall('KB5086672'), uninstall('KB5043080'), uninstall('KB5086672', { date: null })],
        [rollup(6000), rollup(8117), rollup(7500, 'install-pending'), rollup(7000, 'superseded'), rollup(9000)],
      ),
    )
    expect(b).toEqual({
      kb: 'KB5086672',
      identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8117.1.10',
      ubr: 8117,
      build: 26100,
      previousUbr: 7000,
      checkpoint: false,
      attempts: [
        { date: '2026-04-02 09:00:00', title: 'Uninstall KB5086672' },
        { date: null, title: 'Uninstall KB5086672' },
      ],
    })
    expect(run(pc([uninstall('KB5086672', { date: null })]))[0]!.evidence[0]!.excerpt).toBe(
      'uninstall failed  0x80242004  Uninstall KB5086672',
    )
  })

  it('no earlier cumulative update: said, and no repair offered', () => {
    const [f] = run(
      pc(
        [uninstall('KB5086672')],
        [
          rollup(8117),
          pkg({
            identity: 'Package_for_ServicingStack_8117~31bf3856ad364e35~amd64~~26100.8117.1.1',
            version: '26100.8117.1.1',
          }),
        ],
      ),
    )
    expect(f).toMatchObject({ repair: null })
    expect(f!.causes[2]).toBe(
      'No earlier cumulative update is in the package list, so the build it would return to is unknown.',
    )
    expect(f!.remedies[0]!.repair).toBeNull()
  })

  it('a checkpoint cumulative update: said, and removing it is not offered', () => {
    const [f] = run(pc([uninstall('KB5043080')], [rollup(1742), rollup(1000)], 1742))
    expect(f).toMatchObject({ repair: null })
    expect(f!.causes[3]).toBe(
      'KB5043080 is a checkpoint cumulative update: later updates build on it, so removing it is not offered.',
    )
  })

  it('not this case: another code, an install, a succeeded uninstall, another UBR, no installed package, no KB, an unknown KB, unknown facts', () => {
    const cases = [
      pc([failed('KB5086672', '0x80070005', { operation: 'uninstall' })]),
      pc([failed('KB5086672', '0x80242004')]),
      pc([uninstall('KB5086672', { result: 'succeeded' })]),
      pc([uninstall('KB5086672')], undefined, 8200),
      pc([uninstall('KB5086672')], [rollup(8117, 'superseded'), rollup(7000)]),
      pc(
        [uninstall('KB5086672')],
        [
          pkg({
            identity: 'Package_for_KB5086672~31bf3856ad364e35~amd64~~26100.8117.1.10',
            version: '26100.8117.1.10',
          }),
        ],
      ),
      pc([uninstall('KB5086672', { kb: null })]),
      pc([uninstall('KB5999999')]),
      pc([uninstall('KB5086672')], undefined, null),
      snap({ history: fact([uninstall('KB5086672')]), packages: packages([rollup(8117)]) }),
      snap({ history: fact([uninstall('KB5086672')]), os: fact(os({ ubr: 8117 })) }),
      snap({
        history: fact([uninstall('KB5086672')]),
        os: fact(os({ ubr: 8117, build: null })),
        packages: packages([rollup(8117)]),
      }),
    ]
    let ran = 0
    for (const s of cases) {
      expect(run(s), `case ${ran}`).toEqual([])
      ran++
    }
    expect(ran).toBe(12)
    expect(blockedLcuUninstall(null)).toBeNull()
  })

  it('a failed uninstall of an unknown KB before the running one does not hide it', () => {
    expect(blockedLcuUninstall(pc([uninstall('KB5999999'), uninstall('KB5043080'), uninstall('KB5086672')]))?.kb).toBe(
      'KB5086672',
    )
  })
})

describe("wu-components: where the code was seen, and the finding's text", () => {
  const run = (over: Parameters<typeof input>[0]) => wuComponentsRule.evaluate(input(over))
  const services = fact([service('wuauserv', 'manual', 'running')])
  it('typed and also in update history: seen on the PC (0.8, reset offered); typed one code, the other in history: the same', () => {
    expect(
      run({ code: typed('0x80092003'), snapshot: snap({ history: fact([failed('KB1', '0x80092003')]), services }) })[0],
    ).toMatchObject({ confidence: 0.8, repair: 'reset-wu-components' })
    expect(
      run({ code: typed('0x80092003'), snapshot: snap({ history: fact([failed('KB1', '0x80242006')]), services }) })[0],
    ).toMatchObject({ confidence: 0.8, repair: 'reset-wu-components' })
  })
  it("title and causes; services unknown: only the code's evidence", () => {
    const [f] = run({ snapshot: snap({ history: fact([failed('KB1', '0x80092003')]) }) })
    expect(f!.title).toBe("Windows Update's working data is damaged: reset the Windows Update components")
    expect(f!.causes).toHaveLength(3)
    expect(f!.causes[0]).toBe(
      "Windows Update's own working data on this PC (its download cache, its database or its catalogue of signatures) is damaged, so the update cannot be read back.",
    )
    expect(f!.causes[1]).toMatch(
      /^The update failed reading its own working data: the download cache and database in %SystemRoot%\\SoftwareDistribution/,
    )
    expect(f!.causes[2]).toMatch(
      /^Resetting the Windows Update components \(stop the services, rename SoftwareDistribution\\DataStore, SoftwareDistribution\\Download and catroot2, start the services\)/,
    )
    expect(f!.evidence).toEqual([
      {
        source: 'Windows Update history',
        excerpt:
          '2026-10-20 10:00:00  failed  0x80092003  2026-10 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB1)',
      },
    ])
  })
})

describe('servicing-stack-required: the code alone, without a CBS line', () => {
  it('a CBS.log with no servicing-stack line and no code: nothing; the code from history: its history line as evidence', () => {
    expect(
      servicingStackRule.evaluate(
        input({
          logs: cbsLogs(
            analyzeCbsLogText('2026-01-01 10:00:00, Info                  CBS    Starting TrustedInstaller'),
          ),
        }),
      ),
    ).toEqual([])
    const [f] = servicingStackRule.evaluate(input({ snapshot: snap({ history: fact([failed('KB1', '0x800F0823')]) }) }))
    expect(f!.evidence.map((e) => e.source)).toEqual(['Windows Update history'])
  })
})

describe('lcu-uninstall-blocked: which earlier update the PC returns to', () => {
  const uninstall = (kb: string, over = {}) =>
    failed(kb, '0x80242004', { operation: 'uninstall', title: `Uninstall ${kb}`, date: '2026-04-02 09:00:00', ...over })
  const rollup = (
    ubr: number,
    state: 'installed' | 'superseded' | 'install-pending' = 'installed',
    version = `26100.${ubr}.1.10`,
  ) => pkg({ identity: `Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.${ubr}.1.10`, version, state })
  const pc = (list: ReturnType<typeof pkg>[], hist = [uninstall('KB5086672')], ubr = 8117) =>
    snap({ history: fact(hist), os: fact(os({ ubr })), packages: packages(list) })
  const previous = (list: ReturnType<typeof pkg>[]) => blockedLcuUninstall(pc(list))?.previousUbr

  it('an installed earlier update alone counts; a servicing-stack package, another copy at the same UBR, a version without a build prefix or none: not', () => {
    expect(previous([rollup(8117), rollup(6000)])).toBe(6000)
    expect(
      previous([
        rollup(8117),
        pkg({
          identity: 'Package_for_ServicingStack_7500~31bf3856ad364e35~amd64~~26100.7500.1.1',
          version: '26100.7500.1.1',
        }),
      ]),
    ).toBeNull()
    expect(previous([rollup(8117), rollup(8117, 'superseded'), rollup(5000)])).toBe(5000)
    expect(
      previous([rollup(8117), rollup(7000, 'installed', 'x26100.7000.1.10'), rollup(7100, 'installed', null as never)]),
    ).toBeNull()
  })
  it("a known update that is not a cumulative one, at the PC's UBR: not this case", () => {
    expect(blockedLcuUninstall(pc([rollup(8455), rollup(6000)], [uninstall('KB5089593')], 8455))).toBeNull()
    expect(blockedLcuUninstall(pc([rollup(1742), rollup(1000)], [uninstall('KB5043080')], 8117))).toBeNull()
  })
  it("at most three attempts as evidence; the finding's first cause and remedy text", () => {
    const hist = ['1', '2', '3', '4'].map((d) => uninstall('KB5086672', { date: `2026-04-0${d}` }))
    const [f] = lcuUninstallRule.evaluate(input({ snapshot: pc([rollup(8117), rollup(6000)], hist) }))
    expect(f!.evidence.filter((e) => e.source === 'Windows Update history')).toHaveLength(3)
    expect(f!.causes[0]).toBe(
      'KB5086672 came as a combined package with its servicing stack update; Microsoft: wusa /uninstall does not work on the combined package because it contains the SSU, and the SSU cannot be removed after installation.',
    )
    expect(f!.remedies[0]).toMatchObject({
      title: "Remove KB5086672's cumulative update package on its own",
      text: "DISM /Online /Remove-Package with the cumulative update's package name, then restart. The servicing stack stays. Windows Update offers KB5086672 again later: pause updates if it must stay off.",
    })
    expect(f!.remedies[0]!.commands).toEqual([
      '%SystemRoot%\\System32\\Dism.exe /Online /Get-Packages /Format:Table',
      '%SystemRoot%\\System32\\Dism.exe /Online /Remove-Package /PackageName:Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8117.1.10 /NoRestart',
      '%SystemRoot%\\System32\\shutdown.exe /r /t 0',
    ])
  })
})

describe('servicing-stack-required: a CBS line without the code in play', () => {
  it("the log's servicing-stack line alone is enough: 0.95, the line as the only evidence", () => {
    const logs = cbsLogs(
      cbsAnalysis({
        servicingStack: {
          package: 'Package_for_KB1~31bf3856ad364e35~amd64~~26100.1.1.1',
          required: '26100.2',
          current: '26100.1',
          line: 7,
        },
      }),
    )
    const [f, ...rest] = servicingStackRule.evaluate(input({ logs }))
    expect(rest).toEqual([])
    expect(f).toMatchObject({ confidence: 0.95, repair: 'install-update', codes: ['0x800F0823'] })
    expect(f!.evidence).toEqual([
      {
        source: 'C:\\Windows\\Logs\\CBS\\CBS.log',
        excerpt:
          'line 7: Package_for_KB1~31bf3856ad364e35~amd64~~26100.1.1.1 requires Servicing Stack v26100.2 but current is v26100.1',
      },
    ])
  })
})
