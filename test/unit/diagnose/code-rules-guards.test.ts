/**
 * The code-driven rules, one condition per test, on hand-made facts: access blocked, update source
 * unreachable, PSFX delta, shutdown-in-progress and hang detection, file not found, installer failed, not
 * applicable, feature update. Assertions are on the finding's id, severity, confidence, repair, codes, causes
 * and evidence; a list of codes asserts how many it ran.
 */
import { describe, expect, it } from 'vitest'
import { accessDeniedRule } from '../../../main/diagnose/rules/access-denied.ts'
import { networkRule } from '../../../main/diagnose/rules/network.ts'
import { psfxRule } from '../../../main/diagnose/rules/psfx.ts'
import { hangDetectedRule, shutdownEffectRule } from '../../../main/diagnose/rules/effects.ts'
import { fileNotFoundRule } from '../../../main/diagnose/rules/file-not-found.ts'
import { installersFailedRule } from '../../../main/diagnose/rules/installers.ts'
import { notApplicableRule } from '../../../main/diagnose/rules/applicability.ts'
import { featureUpdateRule } from '../../../main/diagnose/rules/feature-update.ts'
import { emptyLogs, type LogsAnalysis } from '../../../main/diagnose/rule.ts'
import type { DismLogAnalysis } from '../../../main/parse/dism-log.ts'
import type { DismOutputFacts } from '../../../main/parse/dism-output.ts'
import type { SetupDiagMatch } from '../../../main/parse/setupdiag.ts'
import type { SetupLogAnalysis } from '../../../main/parse/setup-log.ts'
import { cbsAnalysis, cbsLogs, fact, failed, input, os, packages, snap, typed } from './rule-fixtures.ts'

const codes = (...c: string[]) => snap({ history: fact(c.map((x, i) => failed(`KB${100 + i}`, x))) })
const cbsErrors = (...lines: [string, string][]) =>
  cbsLogs(cbsAnalysis({ errors: lines.map(([code, text], i) => ({ code, text, line: 10 + i })) as never }))

describe('single-code rules: each code alone gives its finding', () => {
  const table: [string, (i: ReturnType<typeof input>) => unknown[], string[], Record<string, unknown>][] = [
    [
      'access-blocked',
      (i) => accessDeniedRule.evaluate(i),
      ['0x80070005', '0x80070020'],
      { severity: 'error', confidence: 0.65, repair: null },
    ],
    [
      'update-source-unreachable',
      (i) => networkRule.evaluate(i),
      ['0x80072EE2', '0x80072EFE', '0x8024402C', '0x80244022', '0x8024401B', '0x80240034', '0x80072F8F', '0x80246007'],
      { severity: 'error', confidence: 0.75, repair: null },
    ],
    [
      'psfx-delta',
      (i) => psfxRule.evaluate(i),
      ['0x800F0982', '0x800F0988'],
      { severity: 'error', confidence: 0.7, repair: 'install-update' },
    ],
  ]
  it('every code of every rule, typed; and nothing for another code', () => {
    let ran = 0
    for (const [id, rule, list, expected] of table) {
      for (const c of list) {
        const out = rule(input({ code: typed(c) }))
        expect(out, `${id} ${c}`).toHaveLength(1)
        expect(out[0], `${id} ${c}`).toMatchObject({
          id,
          codes: [c],
          evidence: [{ source: 'the code you entered', excerpt: c }],
          technical: expect.stringContaining(c),
          ...expected,
        })
        ran++
      }
      expect(rule(input({ code: typed('0x800F0922') })), id).toEqual([])
      expect(rule(input()), id).toEqual([])
    }
    expect(ran).toBe(12)
  })
  it('two codes of one rule: both listed', () => {
    expect(accessDeniedRule.evaluate(input({ snapshot: codes('0x80070020', '0x80070005') }))[0]!.codes).toEqual([
      '0x80070005',
      '0x80070020',
    ])
    expect(networkRule.evaluate(input({ snapshot: codes('0x80072EFE', '0x80072EE2') }))[0]!.codes).toEqual([
      '0x80072EE2',
      '0x80072EFE',
    ])
    expect(psfxRule.evaluate(input({ snapshot: codes('0x800F0988', '0x800F0982') }))[0]!.codes).toEqual([
      '0x800F0982',
      '0x800F0988',
    ])
  })
  it('their remedies', () => {
    expect(
      accessDeniedRule.evaluate(input({ code: typed('0x80070005') }))[0]!.remedies.map((r) => [r.id, r.repair]),
    ).toEqual([
      ['R0', null],
      ['clean-boot', null],
      ['R4', null],
    ])
    expect(
      networkRule.evaluate(input({ code: typed('0x80072EE2') }))[0]!.remedies.map((r) => [r.id, r.repair, r.commands]),
    ).toEqual([
      ['check-network', null, ['netsh winhttp show proxy', 'nslookup download.windowsupdate.com']],
      ['R3', null, expect.anything()],
      ['catalog', 'install-update', []],
    ])
    const p = psfxRule.evaluate(input({ code: typed('0x800F0982') }))[0]!
    expect(p.remedies.map((r) => [r.id, r.repair, r.verified])).toEqual([
      ['retry', null, false],
      ['R7', 'install-update', expect.anything()],
      ['R4', null, expect.anything()],
      ['R5', null, expect.anything()],
    ])
    expect(p.remedies[1]!.title).toBe('Install the full MSU of the update from the Catalog')
    // One cause: the unsourced "often succeeds on a second attempt (community report)" is gone.
    expect(p.causes).toHaveLength(1)
    expect(p.causes.join(' ')).not.toMatch(/community/)
  })
})

describe('shutdown in progress and hang detection', () => {
  it('0x8007045B after a hang code: warning, 0.85, both codes; the first other CBS error as evidence', () => {
    const [f, ...rest] = shutdownEffectRule.evaluate(
      input({
        snapshot: codes('0x8007045B', '0x800F0920'),
        logs: cbsErrors(['0x8007045B', 'shutdown'], ['0x800F0920', 'hang detected'], ['0x80070005', 'denied']),
      }),
    )
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'shutdown-in-progress-effect',
      severity: 'warning',
      confidence: 0.85,
      repair: null,
      codes: ['0x8007045B', '0x800F0920'],
      title: '"Shutdown in progress" is a symptom: look at the error before it',
    })
    expect(f!.technical).toMatch(/0x8007045B.* after .*0x800F0920/)
    expect(f!.causes[0]).toMatch(/^CBS detected a hang/)
    expect(f!.evidence).toContainEqual({ source: 'C:\\Windows\\Logs\\CBS\\CBS.log', excerpt: 'line 11: hang detected' })
    expect(f!.evidence).not.toContainEqual({ source: 'C:\\Windows\\Logs\\CBS\\CBS.log', excerpt: 'line 12: denied' })
    expect(f!.evidence.filter((e) => e.source === 'Windows Update history')).toHaveLength(2)
    expect(f!.remedies.map((r) => r.id)).toEqual(['R0', 'more-resources'])
  })
  it('0x8007045B with 0x800F0821; alone: 0.6 and the other cause', () => {
    expect(shutdownEffectRule.evaluate(input({ snapshot: codes('0x8007045B', '0x800F0821') }))[0]).toMatchObject({
      confidence: 0.85,
      codes: ['0x8007045B', '0x800F0821'],
    })
    const [f] = shutdownEffectRule.evaluate(input({ code: typed('0x8007045B') }))
    expect(f).toMatchObject({ confidence: 0.6, codes: ['0x8007045B'] })
    expect(f!.technical).not.toContain(' after ')
    expect(f!.causes[0]).toMatch(/^Something restarted the PC during servicing/)
    expect(shutdownEffectRule.evaluate(input({ code: typed('0x800F0920') }))).toEqual([])
  })
  it('a hang code alone: servicing-hang, error, 0.7; with 0x8007045B the shutdown rule explains it instead', () => {
    let ran = 0
    for (const c of ['0x800F0920', '0x800F0821']) {
      const [f, ...rest] = hangDetectedRule.evaluate(input({ code: typed(c) }))
      expect(rest).toEqual([])
      expect(f).toMatchObject({
        id: 'servicing-hang',
        severity: 'error',
        confidence: 0.7,
        repair: null,
        codes: [c],
        evidence: [{ source: 'the code you entered', excerpt: c }],
      })
      expect(f!.remedies.map((r) => r.id)).toEqual(['more-resources', 'R1'])
      ran++
    }
    expect(ran).toBe(2)
    expect(hangDetectedRule.evaluate(input({ snapshot: codes('0x800F0920', '0x8007045B') }))).toEqual([])
    expect(hangDetectedRule.evaluate(input({ code: typed('0x80070005') }))).toEqual([])
  })
})

describe('file-not-found', () => {
  const run = (over: Parameters<typeof input>[0]) => fileNotFoundRule.evaluate(input(over))
  it('each missing object CBS.log or the pasted text names: error, 0.85, named in causes and a restore remedy', () => {
    const cases: [string, RegExp][] = [
      ['Failed to open clr_optimization_v4.0.30319_64', /^Missing: orphaned \.NET optimization services/],
      [
        'Start Menu\\Programs\\System Tools not found',
        /^Missing: the folder C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\System Tools/,
      ],
      ['Failed to find file: amd64_x\\y.dll', /^Missing: a file in WinSxS/],
      ['inf: flpydisk.inf', /^Missing: a driver's service registry keys/],
      ['Failed installing driver updates', /^Missing: a driver's service registry keys/],
      ['WimMount service', /^Missing: the WimMount driver registration/],
    ]
    let ran = 0
    for (const [line, cause] of cases) {
      const [f] = run({ logs: cbsErrors(['0x80070002', line]), code: typed('0x80070002') })
      expect(f, line).toMatchObject({
        id: 'file-not-found',
        severity: 'error',
        confidence: 0.85,
        codes: ['0x80070002'],
        repair: null,
        title: 'A file, folder or registry entry the update needs is missing',
      })
      expect(f!.causes, line).toHaveLength(1)
      expect(f!.causes[0], line).toMatch(cause)
      expect(
        f!.remedies.map((r) => r.id),
        line,
      ).toEqual(['R0', 'restore-object', 'R3', 'R4', 'R6'])
      expect(f!.evidence[0], line).toEqual({ source: 'C:\\Windows\\Logs\\CBS\\CBS.log', excerpt: `line 10: ${line}` })
      const fromText = run({ code: typed('0x80070002'), text: line })[0]!
      expect(fromText.causes[0], `text: ${line}`).toMatch(cause)
      ran++
    }
    expect(ran).toBe(6)
  })
  it('no object named: 0.5, the generic cause, no restore remedy; under 0x800F0922 only: info, 0.3', () => {
    const [f] = run({
      code: typed('0x80070002'),
      logs: cbsErrors(['0x80070002', 'something'], ['0x80070005', 'clr_optimization other code']),
    })
    expect(f).toMatchObject({ severity: 'error', confidence: 0.5, title: 'The update could not find a file it needs' })
    expect(f!.remedies.map((r) => r.id)).toEqual(['R0', 'R3', 'R4', 'R6'])
    expect(run({ snapshot: codes('0x80070002', '0x800F0922') })[0]).toMatchObject({ severity: 'info', confidence: 0.3 })
    expect(run({ snapshot: codes('0x80070002', '0x800F0922'), text: 'WimMount' })[0]).toMatchObject({
      severity: 'error',
      confidence: 0.85,
    })
  })
  it('at most four CBS lines as evidence; no 0x80070002: nothing', () => {
    const lines = Array.from({ length: 6 }, (_, i) => ['0x80070002', `missing ${i}`] as [string, string])
    expect(
      run({ code: typed('0x80070002'), logs: cbsErrors(...lines) })[0]!.evidence.filter((e) =>
        e.source.endsWith('CBS.log'),
      ),
    ).toHaveLength(4)
    expect(run({ code: typed('0x80070005'), text: 'WimMount' })).toEqual([])
  })
})

describe('installer-failed (0x800F0922)', () => {
  const run = (over: Parameters<typeof input>[0]) => installersFailedRule.evaluate(input(over))
  const installers = (...list: [string, string | null][]) =>
    cbsLogs(cbsAnalysis({ failedInstallers: list.map(([installer, code], i) => ({ installer, code, line: 20 + i })) }))
  const pk = (present: boolean | null) =>
    snap({
      packages: {
        status: 'known',
        evidence: [],
        value: {
          ...(packages([]) as { value: object }).value,
          checkpoint: { kb: 'KB5043080', build: 26100, ubr: 1742, present, reason: '' },
        },
      },
    })

  it('the Task Scheduler installer: 0.9, the task-cache fix, its title', () => {
    const [f, ...rest] = run({ logs: installers(['Task Scheduler', '0x80070002']) })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'installer-failed',
      severity: 'error',
      confidence: 0.9,
      repair: null,
      codes: ['0x800F0922'],
      title: 'A corrupted Secure Boot scheduled task makes the update roll back',
    })
    expect(f!.technical).toMatch(/\(0x800F0922\); installer 'Task Scheduler' .*0x80070002/)
    expect(f!.causes[0]).toMatch(/^The Task Scheduler advanced installer failed/)
    expect(f!.remedies.map((r) => r.id)).toEqual(['R0', 'fix-task-cache', 'R8', 'R4', 'R6'])
    expect(f!.evidence).toEqual([
      {
        source: 'C:\\Windows\\Logs\\CBS\\CBS.log',
        excerpt: 'line 20: Failed execution of queue item Installer: Task Scheduler with 0x80070002',
      },
    ])
    expect(f!.causes.at(-1)).toBe(
      '0x800F0922 is not primarily a network error: look at the installer CBS.log names, not at the connection.',
    )
  })

  it('SecureBootEncodeUEFI in the pasted text also names the task; the licensing installer names spp', () => {
    expect(run({ code: typed('0x800F0922'), text: 'task SecureBootEncodeUEFI failed' })[0]!.title).toBe(
      'A corrupted Secure Boot scheduled task makes the update roll back',
    )
    const [s] = run({ logs: installers(['Licensing', null]) })
    expect(s).toMatchObject({
      confidence: 0.9,
      title: 'Missing permissions on System32\\spp make the update roll back',
    })
    expect(s!.technical).toMatch(/installer 'Licensing'$/)
    expect(s!.remedies.map((r) => r.id)).toEqual(['R0', 'fix-spp-acl', 'R8', 'R4', 'R6'])
    let ran = 0
    for (const t of [
      'C:\\Windows\\System32\\spp\\store',
      'Licensing failed',
      'sppsvc stopped',
      'Microsoft-Windows-Security-SPP',
    ]) {
      expect(run({ code: typed('0x800F0922'), text: t })[0]!.title, t).toBe(
        'Missing permissions on System32\\spp make the update roll back',
      )
      ran++
    }
    expect(run({ logs: installers(['SPP installer', null]) })[0]!.remedies.map((r) => r.id)).toContain('fix-spp-acl')
    expect(ran).toBe(4)
  })

  it('another installer: 0.75, named in the cause; at most three installers as evidence', () => {
    const [f] = run({ logs: installers(['Generic Command', null], ['b', null], ['c', null], ['d', null]) })
    expect(f).toMatchObject({
      confidence: 0.75,
      title: 'An installer step failed while the update was applied, so Windows rolled it back',
    })
    expect(f!.causes[0]).toMatch(/^An advanced installer \('Generic Command'\) failed/)
    expect(f!.evidence).toHaveLength(3)
    expect(f!.remedies.map((r) => r.id)).toEqual(['R0', 'R8', 'R4', 'R6'])
  })

  it('the code alone: 0.4, the checkpoint hint when packages are unknown; 0.3 when the checkpoint is known missing', () => {
    const [f] = run({ code: typed('0x800F0922') })
    expect(f).toMatchObject({ confidence: 0.4 })
    expect(f!.causes[0]).toMatch(/^An advanced installer failed while/)
    expect(f!.causes[1]).toMatch(
      /^On Windows 11 24H2\/25H2 a cumulative update also fails this way when its checkpoint/,
    )
    expect(f!.technical).not.toContain('installer')
    const [g] = run({ code: typed('0x800F0922'), snapshot: pk(false) })
    expect(g).toMatchObject({ confidence: 0.3 })
    expect(g!.causes).toHaveLength(2)
    expect(run({ code: typed('0x800F0922'), snapshot: pk(true) })[0]).toMatchObject({ confidence: 0.4 })
    expect(run({ logs: installers(['Generic Command', null]), snapshot: pk(false) })[0]).toMatchObject({
      confidence: 0.75,
    })
    expect(run({ code: typed('0x80070005') })).toEqual([])
  })
})

describe('wrong-arch-or-branch (not applicable)', () => {
  const run = (over: Parameters<typeof input>[0]) => notApplicableRule.evaluate(input(over))
  const arm = () =>
    snap({ os: fact(os({ nativeArch: 'arm64', processArch: 'x64', emulated: true, version: '10.0.26100.4061' })) })
  const dismNa = (pkgName: string | null, n = 1): LogsAnalysis => ({
    ...emptyLogs(),
    dism: [
      {
        source: 'dism.log',
        analysis: {
          notApplicable: Array.from({ length: n }, (_, i) => ({
            line: 5 + i,
            text: `Package ${i} is not applicable to the image`,
            package: pkgName,
          })),
        } as unknown as DismLogAnalysis,
      },
    ],
  })

  it('an x64 MSU named in the pasted text on an arm64 PC: error, 0.95, the mismatch and emulation said, no repair', () => {
    const [f, ...rest] = run({
      code: typed('0x800F081E'),
      snapshot: arm(),
      text: `dism /add-package windows11.0-kb5044284-x64_${'a'.repeat(40)}.msu`,
    })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'wrong-arch-or-branch',
      severity: 'error',
      confidence: 0.95,
      repair: null,
      codes: ['0x800F081E'],
      title: 'The package is for x64, but this PC is arm64',
    })
    expect(f!.causes[0]).toBe(
      'An x64 package cannot install on arm64 Windows; this app runs emulated, so naive checks report x64 — the native architecture is what counts.',
    )
    expect(f!.causes).toHaveLength(3)
    expect(f!.evidence).toContainEqual({
      source: 'Windows version',
      excerpt: 'Windows 11 Pro 24H2 build 10.0.26100.4061, native arm64, this app runs as x64 (emulated)',
    })
    expect(f!.remedies[0]).toMatchObject({
      id: 'match-package',
      repair: 'install-update',
      text: 'Pick the arm64 MSU for 24H2 (build 26100) in the Microsoft Update Catalog.',
    })
    expect(f!.remedies.map((r) => r.id)).toEqual(['match-package', 'R7'])
  })

  it('the architecture from a package identity (~amd64~ is x64) or from DISM.log; the same architecture is no mismatch', () => {
    expect(
      run({
        code: typed('0x800F081E'),
        snapshot: arm(),
        text: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1.1.1',
      })[0]!.title,
    ).toBe('The package is for x64, but this PC is arm64')
    expect(run({ code: typed('0x80240017'), snapshot: arm(), text: `x-ARM64_${'b'.repeat(40)}.msu` })[0]).toMatchObject(
      {
        confidence: 0.7,
        title: 'The package does not apply to this Windows (architecture, version or already superseded)',
      },
    )
    const [d] = run({ logs: dismNa(`windows11.0-kb1-x86_${'c'.repeat(40)}.msu`), snapshot: arm() })
    expect(d).toMatchObject({ confidence: 0.95, title: 'The package is for x86, but this PC is arm64', codes: [] })
    expect(d!.technical).toContain('0x800F081E')
    expect(d!.evidence[0]).toEqual({ source: 'dism.log', excerpt: 'line 5: Package 0 is not applicable to the image' })
    expect(run({ logs: dismNa(null, 3) })[0]!.evidence).toHaveLength(2)
  })

  it('a not-applicable code with no OS fact: 0.7, the generic title and native fallbacks in the remedy; not-applicable DISM output counts', () => {
    const [f] = run({ code: typed('0x800F081E'), text: `kb-x64_${'a'.repeat(40)}.msu` })
    expect(f).toMatchObject({ confidence: 0.7 })
    expect(f!.causes).toHaveLength(2)
    expect(f!.remedies[0]!.text).toBe('Pick the native MSU for this version (build ?) in the Microsoft Update Catalog.')
    const out: LogsAnalysis = {
      ...emptyLogs(),
      dismOutput: [
        {
          source: 'DISM output',
          facts: { result: 'not-applicable', message: null, errorCode: null, errors: [] } as unknown as DismOutputFacts,
        },
      ],
    }
    expect(run({ logs: out })[0]!.evidence).toEqual([
      { source: 'DISM output', excerpt: 'The package is not applicable to this image.' },
    ])
    const o = snap({
      os: fact(os({ productName: null, displayVersion: null, version: null, nativeArch: null, emulated: false })),
    })
    expect(run({ code: typed('0x80240017'), snapshot: o })[0]!.evidence).toContainEqual({
      source: 'Windows version',
      excerpt: 'Windows  build 26100.4061, native ?',
    })
  })

  it('another code, nothing not-applicable: nothing', () => {
    expect(run({ code: typed('0x80070005') })).toEqual([])
    expect(
      run({
        logs: {
          ...emptyLogs(),
          dismOutput: [
            {
              source: 'x',
              facts: { result: 'failed', message: null, errorCode: null, errors: [] } as unknown as DismOutputFacts,
            },
          ],
        },
      }),
    ).toEqual([])
  })
})

describe('feature-update-failed', () => {
  const match = (over: Partial<SetupDiagMatch> = {}): SetupDiagMatch => ({
    rule: 'CompatBlockedApplicationAutoUninstall',
    ruleId: null,
    errorCode: '0xC1900208',
    extendCode: '0x4000C',
    lastPhase: 'Downlevel',
    lastOperation: 'Scan',
    message: 'An app blocks the upgrade.',
    advice: 'Uninstall the app.',
    lines: Array.from({ length: 10 }, (_, i) => `l${i}`),
    line: 1,
    ...over,
  })
  const diag = (...m: SetupDiagMatch[]): LogsAnalysis => ({
    ...emptyLogs(),
    setupdiag: [{ source: 'SetupDiag results', facts: { matches: m } as never }],
  })
  const run = (over: Parameters<typeof input>[0]) => featureUpdateRule.evaluate(input(over))

  it('a SetupDiag match is a failed feature update (the rule names it after the family): error, 0.85, the rule, code, extend code and phase; its advice first; eight lines as evidence', () => {
    const [f, ...rest] = run({ logs: diag(match()) })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'feature-update-failed:setupdiag-CompatBlockedApplicationAutoUninstall',
      severity: 'error',
      confidence: 0.85,
      repair: null,
      codes: ['0xC1900208'],
      title: 'Feature update failed: SetupDiag rule CompatBlockedApplicationAutoUninstall matched',
    })
    expect(f!.technical).toMatch(/\(0xC1900208\) - 0x4000C, phase Downlevel$/)
    expect(f!.causes).toEqual(['An app blocks the upgrade.', 'Last operation: Scan.'])
    expect(f!.remedies.map((r) => r.id)).toEqual(['setupdiag-advice', 'R0', 'R1'])
    expect(f!.evidence).toEqual([{ source: 'SetupDiag results', excerpt: 'l0\nl1\nl2\nl3\nl4\nl5\nl6\nl7' }])
  })

  it('a match with nothing but its rule: "no code", a default cause, no advice; at most three matches', () => {
    const [f] = run({
      logs: diag(
        match({ errorCode: null, extendCode: null, lastPhase: null, lastOperation: null, message: null, advice: null }),
      ),
    })
    expect(f).toMatchObject({ technical: 'no code', codes: [] })
    expect(f!.causes).toEqual(['SetupDiag matched CompatBlockedApplicationAutoUninstall.'])
    expect(f!.remedies.map((r) => r.id)).toEqual(['R0', 'R1'])
    expect(
      run({ logs: diag(match({ rule: 'a' }), match({ rule: 'b' }), match({ rule: 'c' }), match({ rule: 'd' })) }).map(
        (x) => x.id,
      ),
    ).toEqual([
      'feature-update-failed:setupdiag-a',
      'feature-update-failed:setupdiag-b',
      'feature-update-failed:setupdiag-c',
    ])
  })

  it('a 0xC19 code with no SetupDiag match: 0.6, its extend code from the typed code or setupact.log, SetupDiag advised', () => {
    const [f, ...rest] = run({ code: { ...typed('0xC1900101'), extend: '0x40017' } as never })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'feature-update-failed',
      severity: 'error',
      confidence: 0.6,
      repair: null,
      codes: ['0xC1900101'],
      title: 'The feature update (Windows Setup) failed and rolled back',
    })
    // Microsoft's modern-setup table names 0xC1900101, so the technical line carries its name.
    expect(f!.technical).toBe('MOSETUP_E_SETUP_PLATFORM (0xC1900101) - 0x40017')
    expect(f!.remedies.map((r) => [r.id, r.commands])).toEqual([
      ['setupdiag', ['SetupDiag.exe /Output:C:\\SetupDiag\\Results.log']],
      ['R0', expect.anything()],
    ])
    const log: LogsAnalysis = {
      ...emptyLogs(),
      setupLog: [
        {
          source: 'setupact.log',
          analysis: {
            errors: [],
            firstError: null,
            resultPairs: [{ code: '0xC1900101', extend: '0x30018', line: 3 }],
            abort: null,
          } as unknown as SetupLogAnalysis,
        },
      ],
    }
    expect(run({ logs: log, code: typed('0xC1900101') })[0]!.technical).toMatch(/ - 0x30018$/)
    expect(run({ code: typed('0xC1900101') })[0]!.technical).not.toContain(' - ')
  })

  it('no match and no setup code: nothing', () => {
    expect(run({ code: typed('0x80070005') })).toEqual([])
    expect(run({ logs: diag() })).toEqual([])
  })
})

describe('wrong-arch-or-branch: what the first mutation run left unguarded', () => {
  const run = (over: Parameters<typeof input>[0]) => notApplicableRule.evaluate(input(over))
  it('the technical line names the code seen (0x80240017), the default only when none was', () => {
    expect(run({ code: typed('0x80240017') })[0]!.technical).toContain('0x80240017')
    expect(run({ code: typed('0x80240017') })[0]!.technical).not.toContain('0x800F081E')
  })
  it('a DISM.log package name without an architecture: no architecture named, no error', () => {
    const logs: LogsAnalysis = {
      ...emptyLogs(),
      dism: [
        {
          source: 'dism.log',
          analysis: {
            notApplicable: [{ line: 1, text: 'not applicable', package: 'Package_for_KB1.cab' }],
          } as unknown as DismLogAnalysis,
        },
      ],
    }
    const [f] = run({ logs, snapshot: snap({ os: fact(os()) }) })
    expect(f).toMatchObject({
      confidence: 0.7,
      title: 'The package does not apply to this Windows (architecture, version or already superseded)',
    })
  })
})

describe('feature-update-failed: a setup code from update history', () => {
  it('no typed code and no extend code: the technical line is the code alone', () => {
    const [f] = featureUpdateRule.evaluate(input({ snapshot: codes('0xC1900101') }))
    expect(f).toMatchObject({
      id: 'feature-update-failed',
      technical: 'MOSETUP_E_SETUP_PLATFORM (0xC1900101)',
      codes: ['0xC1900101'],
    })
  })
})

describe('installer-failed and file-not-found: what their first runs left unguarded', () => {
  const installers = (...list: [string, string | null][]) =>
    cbsLogs(cbsAnalysis({ failedInstallers: list.map(([installer, code], i) => ({ installer, code, line: 20 + i })) }))
  it('SecureBootEncodeUEFI named in a CBS error line (not in the installer list): the task is the cause, alone', () => {
    const [f] = installersFailedRule.evaluate(
      input({
        code: typed('0x800F0922'),
        logs: cbsErrors(['0x80070002', 'Task \\Microsoft\\Windows\\PI\\SecureBootEncodeUEFI failed']),
      }),
    )
    expect(f!.title).toBe('A corrupted Secure Boot scheduled task makes the update roll back')
    expect(f!.causes.some((c) => c.startsWith('An advanced installer'))).toBe(false)
    // The shown commands: the one with a <staged package> placeholder is left out of the runnable list.
    expect(f!.remedies.find((r) => r.id === 'fix-task-cache')!.commands).toEqual([
      '%SystemRoot%\\System32\\Dism.exe /english /online /get-packages /format:table | findstr /i "Staged"',
      '%SystemRoot%\\System32\\reg.exe query "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tree\\Microsoft\\Windows\\PI\\SecureBootEncodeUEFI" /v ID',
      '%SystemRoot%\\System32\\reg.exe delete "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tasks\\{GUID}" /f',
      '%SystemRoot%\\System32\\reg.exe delete "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tree\\Microsoft\\Windows\\PI\\SecureBootEncodeUEFI" /f',
    ])
  })
  it('the spp fix runs icacls; an installer without a code: its line and technical end at its name', () => {
    const [f] = installersFailedRule.evaluate(input({ logs: installers(['Licensing', null]) }))
    expect(f!.remedies.find((r) => r.id === 'fix-spp-acl')!.commands).toEqual([
      '%SystemRoot%\\System32\\icacls.exe %windir%\\System32\\spp',
    ])
    expect(f!.evidence).toEqual([
      {
        source: 'C:\\Windows\\Logs\\CBS\\CBS.log',
        excerpt: 'line 20: Failed execution of queue item Installer: Licensing',
      },
    ])
    expect(f!.technical.endsWith("; installer 'Licensing'")).toBe(true)
    expect(f!.causes.some((c) => c.startsWith('An advanced installer'))).toBe(false)
  })
  it('file not found: "inf:" followed directly by the file name still names the driver', () => {
    const [f] = fileNotFoundRule.evaluate(input({ code: typed('0x80070002'), text: 'inf:flpydisk.inf' }))
    expect(f!.causes[0]).toMatch(/^Missing: a driver's service registry keys/)
  })
})
