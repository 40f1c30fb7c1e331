/**
 * The component-store rule, one condition per test (issue 20: a repaired payload `(Fixed)` still reported,
 * and repairable vs not, were noticed by no test). CBS.log text is the captured KB947821 CheckSUR report
 * (test/fixtures/cbs-log) or a variant of it built here; assertions are on the finding's structured fields.
 */
import { describe, expect, it } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { analyzeCbsLogText } from '../../../main/parse/cbs-log.ts'
import { storeCorruptionRule } from '../../../main/diagnose/rules/store-corruption.ts'
import { emptyLogs, type LogsAnalysis, type RuleInput } from '../../../main/diagnose/rule.ts'
import type { ExplainResult } from '../../../preload/model/diagnosis.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import type { DismOutputFacts } from '../../../main/parse/dism-output.ts'

const checksur = loadFixture('cbs-log/kb947821-checksur-summary.log').text
const cbs = (text: string): LogsAnalysis => ({ ...emptyLogs(), cbs: [{ source: 'CBS.log', analysis: analyzeCbsLogText(text) }] })
const code = (c: string) => ({ code: c, extend: null, input: c, known: true } as unknown as ExplainResult)
const run = (over: Partial<RuleInput>) => storeCorruptionRule.evaluate({ snapshot: null, logs: emptyLogs(), code: null, text: null, ...over } as RuleInput)

/** A snapshot that knows only its update history: one install of `kb` that failed with `hresult` at `date`. */
const historyOnly = (kb: string, hresult: string, date: string): MachineSnapshot => ({
  os: { status: 'unknown' }, packages: { status: 'unknown' },
  history: { status: 'known', value: [{ operation: 'install', result: 'failed', hresult, kb, date, title: `2026-10 Cumulative Update (${kb})` }], evidence: [] },
} as unknown as MachineSnapshot)

/** A CheckSUR block that repaired all it detected (result 0x0), as CBS.log writes it. */
const repaired = (detected: number, fixed: number, time = '2026-11-02 09:00:00') => [
  `${time}, Info                  CBS    Checking System Update Readiness.`,
  'Summary:',
  'Operation: Detect and Repair ',
  'Operation result: 0x0',
  `Total Detected Corruption: ${detected}`,
  `Total Repaired Corruption: ${fixed}`,
].join('\n')

const dismOutput = (componentStore: 'repairable' | 'not-repairable'): LogsAnalysis =>
  ({ ...emptyLogs(), dismOutput: [{ source: 'DISM output', facts: { componentStore, errorCode: null, errors: [] } as unknown as DismOutputFacts }] })

describe('component store: the captured CheckSUR report', () => {
  it('a corrupt payload and a missing manifest: error, 0.9, restore-health, the payload and the build it names', () => {
    const [f, ...rest] = run({ logs: cbs(checksur) })
    expect(rest).toEqual([])
    expect(f).toMatchObject({ id: 'component-store-corruption', severity: 'error', confidence: 0.9, repair: 'restore-health' })
    expect(f!.causes[0]).toMatch(/^Corrupt payload file\(s\) in the component store \(WinSxS\): amd64_microsoft-windows-a\.\.modernappmanagement_.*\\EnterpriseModernAppMgmtCSP\.dll\.$/)
    expect(f!.causes[1]).toMatch(/^The update needs the manifest of an earlier package that is missing: Microsoft-Windows-Client-Features-Package/)
    expect(f!.remedies.find((r) => r.id === 'R5')!.text).toContain('same build — 19045.3636')
  })

  it('a payload marked (Fixed) is not reported as corrupt', () => {
    const text = checksur.replace(/(\(p\)\s+CSI Payload Corrupt\s+\(n\))/, '$1    (Fixed)')
    const f = run({ logs: cbs(text) })[0]!
    expect(f.causes[0]).not.toMatch(/Corrupt payload/)
    expect(f.evidence.some((e) => /CSI Payload Corrupt/.test(e.excerpt))).toBe(false)
  })
})

describe('component store: severity and confidence', () => {
  it('DISM says the store cannot be repaired: critical', () => {
    expect(run({ logs: dismOutput('not-repairable') })[0]).toMatchObject({ severity: 'critical', confidence: 0.6, technical: 'component store repairable' })
  })

  it('DISM says the store is repairable: error', () => {
    const [f] = run({ logs: dismOutput('repairable') })
    expect(f).toMatchObject({ severity: 'error', confidence: 0.6 })
    expect(f!.evidence).toEqual([{ source: 'DISM output', excerpt: 'The component store is repairable.' }])
  })

  it('a code only typed by the person: 0.6 (a guess from the code)', () => {
    expect(run({ code: code('0x80073712') })[0]).toMatchObject({ confidence: 0.6, codes: ['0x80073712'] })
  })

  it('the same code in update history: 0.9', () => {
    expect(run({ snapshot: historyOnly('KB5044284', '0x80073712', '2026-11-01 10:00:00') })[0]).toMatchObject({ confidence: 0.9, codes: ['0x80073712'] })
  })

  it('no store code, no log, no DISM verdict: nothing', () => {
    expect(run({ code: code('0x80070005') })).toEqual([])
    expect(run({})).toEqual([])
  })
})

describe('component store: a repair that took', () => {
  it('CheckSUR repaired all it found after the failure: a note to install the update again', () => {
    const [f, ...rest] = run({ logs: cbs(repaired(2, 2)), snapshot: historyOnly('KB5044284', '0x80073712', '2026-11-01 10:00:00') })
    expect(rest).toEqual([])
    expect(f).toMatchObject({ id: 'component-store-repaired', severity: 'info', confidence: 0.9, repair: 'install-update', codes: ['0x80073712'] })
    expect(f!.remedies[0]!.commands).toEqual(['servicing-desk install --kb KB5044284'])
  })

  it('repaired fewer than detected: still corrupt', () => {
    expect(run({ logs: cbs(repaired(2, 1)), snapshot: historyOnly('KB5044284', '0x80073712', '2026-11-01 10:00:00') })[0]).toMatchObject({ id: 'component-store-corruption' })
  })

  it('a failure recorded after the repair still stands', () => {
    expect(run({ logs: cbs(repaired(2, 2, '2026-11-02 09:00:00')), snapshot: historyOnly('KB5044284', '0x80073712', '2026-11-03 10:00:00') })[0]).toMatchObject({ id: 'component-store-corruption' })
  })

  it('a code the person typed still stands after the repair', () => {
    expect(run({ logs: cbs(repaired(1, 1)), code: code('0x80073712') })[0]).toMatchObject({ id: 'component-store-corruption', codes: ['0x80073712'] })
  })

  it('a repair and nothing that failed: no finding', () => {
    expect(run({ logs: cbs(repaired(1, 1)) })).toEqual([])
  })
})

describe('component store: what the person reads', () => {
  it('the CheckSUR report: title, technical line, the third cause, remedies in order', () => {
    const [f] = run({ logs: cbs(checksur) })
    expect(f!.title).toBe('Windows\' component store is damaged; repair it before installing updates')
    expect(f!.technical).toBe('CBS_E_SOURCE_MISSING (0x800F081F)')
    expect(f!.codes).toEqual(['0x800F081F'])
    expect(f!.causes[2]).toBe('Typical triggers: an interrupted update, disk errors, aggressive WinSxS clean-up tools, or no access to Windows Update for repair content.')
    expect(f!.remedies.map((r) => [r.id, r.repair])).toEqual([['R4', 'restore-health'], ['R5', null], ['R6', null], ['R7', null], ['R10', null]])
    expect(f!.remedies[3]!.title).toBe('Install the update that contains the missing manifest')
  })

  it('the same-build source is named in R5\'s text and commands', () => {
    const r5 = run({ logs: cbs(checksur) })[0]!.remedies.find((r) => r.id === 'R5')!
    expect(r5.text).toBe('Run RestoreHealth with a repair source of the same build — 19045.3636: a mounted install.wim of that exact build, another PC\'s C:\\Windows\\WinSxS at 19045.3636, or files extracted from the MSU of the update that produced UBR 3636.')
    expect(r5.commands).toEqual([
      'DISM /Online /Cleanup-Image /RestoreHealth /Source:WIM:D:\\sources\\install.wim:<index> /LimitAccess',
      'DISM /Online /Cleanup-Image /RestoreHealth /Source:\\\\<server-at-19045.3636>\\c$\\windows\\winsxs /LimitAccess',
    ])
  })

  it('the evidence: the failing summary line, the payload, the manifest, the RestoreHealth summary', () => {
    expect(run({ logs: cbs(checksur) })[0]!.evidence).toEqual([
      { source: 'CBS.log', excerpt: 'line 10: Operation result: 0x800f081f' },
      { source: 'CBS.log', excerpt: 'line 2: (p) CSI Payload Corrupt amd64_microsoft-windows-a..modernappmanagement_31bf3856ad364e35_10.0.19045.3636_none_23b3b3ece690d77b\\EnterpriseModernAppMgmtCSP.dll' },
      { source: 'CBS.log', excerpt: 'line 3: manifest missing for package Microsoft-Windows-Client-Features-Package~31bf3856ad364e35~amd64~~10.0.19045.4291' },
      { source: 'CBS.log', excerpt: 'line 1: RestoreHealth summary — Operation result: 0x800F081F, detected 2, repaired 1' },
    ])
  })

  it('without a build in the log or the snapshot, R5 says "the same build" and <UBR>', () => {
    const r5 = run({ logs: dismOutput('repairable') })[0]!.remedies.find((r) => r.id === 'R5')!
    expect(r5.text).toBe('Run RestoreHealth with a repair source of the same build: a mounted install.wim of that exact build, another PC\'s C:\\Windows\\WinSxS at the same build, or files extracted from the MSU of the update that produced UBR <UBR>.')
    expect(r5.commands[1]).toBe('DISM /Online /Cleanup-Image /RestoreHealth /Source:\\\\<server-at-same-build>\\c$\\windows\\winsxs /LimitAccess')
  })

  it('the repaired note: title, technical line, cause', () => {
    const [f] = run({ logs: cbs(repaired(2, 2)), snapshot: historyOnly('KB5044284', '0x80073712', '2026-11-01 10:00:00') })
    expect(f!.title).toBe('The component store was repaired; install KB5044284 again')
    expect(f!.technical).toBe('CheckSUR: Detect and Repair, 2 of 2 repaired')
    expect(f!.causes).toEqual(['KB5044284 failed while the component store was damaged (0x80073712); RestoreHealth has since repaired it (2026-11-02 09:00:00).'])
  })
})

describe('component store: which repair counts', () => {
  const storeError = (time: string) => `${time}, Error                 CBS    Failed to resolve package Package_for_KB5044284~31bf3856ad364e35~amd64~~22621.4317.1.10 [HRESULT = 0x80073712 - ERROR_SXS_COMPONENT_STORE_CORRUPT]`
  const history = () => historyOnly('KB5044284', '0x80073712', '2026-11-01 10:00:00')

  it('a store error logged after the repair means the repair did not take', () => {
    const [f] = run({ logs: cbs(`${repaired(2, 2)}\n${storeError('2026-11-02 10:00:00')}`), snapshot: history() })
    expect(f).toMatchObject({ id: 'component-store-corruption' })
  })

  it('a store error logged before the repair is superseded by it', () => {
    const [f] = run({ logs: cbs(`${storeError('2026-11-01 10:00:00')}\n${repaired(2, 2)}`), snapshot: history() })
    expect(f).toMatchObject({ id: 'component-store-repaired', codes: ['0x80073712'] })
  })

  it('a store error in another log is not explained away by this log\'s repair', () => {
    const logs: LogsAnalysis = { ...emptyLogs(), cbs: [
      { source: 'CBS.log', analysis: analyzeCbsLogText(repaired(2, 2)) },
      { source: 'CbsPersist_2026.log', analysis: analyzeCbsLogText(storeError('2026-11-01 10:00:00')) },
    ] }
    expect(run({ logs, snapshot: history() })[0]).toMatchObject({ id: 'component-store-corruption' })
  })

  it('of two logs with a repair, the later repair is the one cited, whatever their order', () => {
    const older = { source: 'old.log', analysis: analyzeCbsLogText(repaired(1, 1, '2026-11-01 09:00:00')) }
    const newer = { source: 'new.log', analysis: analyzeCbsLogText(repaired(3, 3, '2026-11-03 09:00:00')) }
    for (const cbsLogs of [[older, newer], [newer, older]]) {
      const [f] = run({ logs: { ...emptyLogs(), cbs: cbsLogs }, snapshot: history() })
      expect(f).toMatchObject({ id: 'component-store-repaired', technical: 'CheckSUR: Detect and Repair, 3 of 3 repaired' })
      expect(f!.evidence[0]!.source).toBe('new.log')
    }
  })
})

describe('component store: each store code alone, and what is not a repair', () => {
  const storeCodes = ['0x80073712', '0x800F081F', '0x800F0831', '0x80073701', '0x800736CC', '0x8007371B', '0x80070570', '0x800F0984', '0x800F0986', '0x800F0832', '0x800F0900']
  let ran = 0
  for (const c of storeCodes) {
    it(`${c} in update history is a store finding with that code`, () => {
      ran++
      expect(run({ snapshot: historyOnly('KB5044284', c, '2026-11-01 10:00:00') })[0]).toMatchObject({ id: 'component-store-corruption', codes: [c], confidence: 0.9 })
    })
  }
  it('ran every code', () => expect(ran).toBe(11))

  const history = () => historyOnly('KB5044284', '0x80073712', '2026-11-01 10:00:00')
  const variants: [string, string][] = [
    ['a detect-only check', repaired(2, 2).replace('Detect and Repair', 'Detect Only')],
    ['a failed repair', repaired(2, 2).replace('Operation result: 0x0', 'Operation result: 0x800f081f')],
    ['a summary without the detected count', repaired(2, 2).replace(/Total Detected Corruption: \d+\n/, '')],
    ['a summary without the repaired count', repaired(2, 2).replace(/\nTotal Repaired Corruption: \d+/, '')],
  ]
  for (const [what, text] of variants) {
    it(`${what} is not a repair that took`, () => {
      expect(run({ logs: cbs(text), snapshot: history() })[0]).toMatchObject({ id: 'component-store-corruption' })
    })
  }
})
