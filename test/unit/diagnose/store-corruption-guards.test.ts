/**
 * The component-store rule, one condition per test (a repaired payload `(Fixed)` still reported,
 * and repairable vs not, were noticed by no test). CBS.log text is the captured KB947821 CheckSUR report
 * (test/fixtures/cbs-log) or a variant of it built here; assertions are on the finding's structured fields.
 */
import { describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { analyzeCbsLogText } from '../../../main/parse/cbs-log.ts'
import { storeCorruptionRule } from '../../../main/diagnose/rules/store-corruption.ts'
import { emptyLogs, type LogsAnalysis, type RuleInput } from '../../../main/diagnose/rule.ts'
import type { ExplainResult, Finding } from '../../../preload/model/diagnosis.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import type { DismOutputFacts } from '../../../main/parse/dism-output.ts'

const checksur = loadFixture('cbs-log/kb947821-checksur-summary.log').text
const cbs = (text: string): LogsAnalysis => ({
  ...emptyLogs(),
  cbs: [{ source: 'CBS.log', analysis: analyzeCbsLogText(text) }],
})
const code = (c: string) => ({ code: c, extend: null, input: c, known: true }) as unknown as ExplainResult
const run = (over: Partial<RuleInput>) =>
  storeCorruptionRule.evaluate({ snapshot: null, logs: emptyLogs(), code: null, text: null, ...over } as RuleInput)

/** A snapshot that knows only its update history: one install of `kb` that failed with `hresult` at `date`. */
const historyOnly = (kb: string, hresult: string, date: string): MachineSnapshot =>
  ({
    os: { status: 'unknown' },
    packages: { status: 'unknown' },
    history: {
      status: 'known',
      value: [
        { operation: 'install', result: 'failed', hresult, kb, date, title: `2026-10 Cumulative Update (${kb})` },
      ],
      evidence: [],
    },
  }) as unknown as MachineSnapshot

/** A CheckSUR block that repaired all it detected (result 0x0), as CBS.log writes it. */
const repaired = (detected: number, fixed: number, time = '2026-11-02 09:00:00') =>
  [
    `${time}, Info                  CBS    Checking System Update Readiness.`,
    'Summary:',
    'Operation: Detect and Repair ',
    'Operation result: 0x0',
    `Total Detected Corruption: ${detected}`,
    `Total Repaired Corruption: ${fixed}`,
  ].join('\n')

const dismOutput = (componentStore: 'repairable' | 'not-repairable'): LogsAnalysis => ({
  ...emptyLogs(),
  dismOutput: [
    { source: 'DISM output', facts: { componentStore, errorCode: null, errors: [] } as unknown as DismOutputFacts },
  ],
})

describe('component store: the captured CheckSUR report', () => {
  it('a corrupt payload and a missing manifest: error, 0.9, restore-health, the payload and the build it names', () => {
    const [f, ...rest] = run({ logs: cbs(checksur) })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'component-store-corruption',
      severity: 'error',
      confidence: 0.9,
      repair: 'restore-health',
    })
    expect(f!.causes[0]).toMatch(
      /^Corrupt payload file\(s\) in the component store \(WinSxS\): amd64_microsoft-windows-a\.\.modernappmanagement_.*\\EnterpriseModernAppMgmtCSP\.dll\.$/,
    )
    expect(f!.causes[1]).toMatch(
      /^The update needs the manifest of an earlier package that is missing: Microsoft-Windows-Client-Features-Package/,
    )
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
    expect(run({ logs: dismOutput('not-repairable') })[0]).toMatchObject({
      severity: 'critical',
      confidence: 0.6,
      technical: 'component store repairable',
    })
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
    expect(run({ snapshot: historyOnly('KB5044284', '0x80073712', '2026-11-01 10:00:00') })[0]).toMatchObject({
      confidence: 0.9,
      codes: ['0x80073712'],
    })
  })

  it('no store code, no log, no DISM verdict: nothing', () => {
    expect(run({ code: code('0x80070005') })).toEqual([])
    expect(run({})).toEqual([])
  })
})

describe('component store: a repair that took', () => {
  it('CheckSUR repaired all it found after the failure: a note to install the update again', () => {
    const [f, ...rest] = run({
      logs: cbs(repaired(2, 2)),
      snapshot: historyOnly('KB5044284', '0x80073712', '2026-11-01 10:00:00'),
    })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'component-store-repaired',
      severity: 'info',
      confidence: 0.9,
      repair: 'install-update',
      codes: ['0x80073712'],
    })
    expect(f!.remedies[0]!.commands).toEqual(['servicing-desk install --kb KB5044284'])
  })

  it('repaired fewer than detected: still corrupt', () => {
    expect(
      run({ logs: cbs(repaired(2, 1)), snapshot: historyOnly('KB5044284', '0x80073712', '2026-11-01 10:00:00') })[0],
    ).toMatchObject({ id: 'component-store-corruption' })
  })

  it('a failure recorded after the repair still stands', () => {
    expect(
      run({
        logs: cbs(repaired(2, 2, '2026-11-02 09:00:00')),
        snapshot: historyOnly('KB5044284', '0x80073712', '2026-11-03 10:00:00'),
      })[0],
    ).toMatchObject({ id: 'component-store-corruption' })
  })

  it('a code the person typed still stands after the repair', () => {
    expect(run({ logs: cbs(repaired(1, 1)), code: code('0x80073712') })[0]).toMatchObject({
      id: 'component-store-corruption',
      codes: ['0x80073712'],
    })
  })

  it('a repair and nothing that failed: no finding', () => {
    expect(run({ logs: cbs(repaired(1, 1)) })).toEqual([])
  })
})

describe('component store: what the person reads', () => {
  it('the CheckSUR report: title, technical line, the third cause, remedies in order', () => {
    const [f] = run({ logs: cbs(checksur) })
    expect(f!.title).toBe("Windows' component store is damaged; repair it before installing updates")
    expect(f!.technical).toBe('CBS_E_SOURCE_MISSING (0x800F081F)')
    expect(f!.codes).toEqual(['0x800F081F'])
    expect(f!.causes[2]).toBe(
      'Typical triggers: an interrupted update, disk errors, aggressive clean-up tools for the component store, or no access to Windows Update for repair content.',
    )
    expect(f!.remedies.map((r) => [r.id, r.repair])).toEqual([
      ['R4', 'restore-health'],
      ['R5', null],
      ['R6', null],
      ['R7', null],
      ['R10', null],
    ])
    expect(f!.remedies[3]!.title).toBe('Install the update that contains the missing manifest')
  })

  it("the same-build source is named in R5's text and its commands to fill in (a pattern with <…> is never a command to copy)", () => {
    const r5 = run({ logs: cbs(checksur) })[0]!.remedies.find((r) => r.id === 'R5')!
    expect(r5.commands).toEqual([])
    expect(r5.text).toBe(
      "Run RestoreHealth with a repair source of the same build — 19045.3636: a mounted install.wim of that exact build, another PC's C:\\Windows\\WinSxS at 19045.3636, or files extracted from the MSU of the update that produced UBR 3636.",
    )
    expect(r5.fillIn).toEqual([
      '%SystemRoot%\\System32\\Dism.exe /Online /Cleanup-Image /RestoreHealth /Source:WIM:D:\\sources\\install.wim:<index> /LimitAccess',
      '%SystemRoot%\\System32\\Dism.exe /Online /Cleanup-Image /RestoreHealth /Source:\\\\<server-at-19045.3636>\\c$\\windows\\winsxs /LimitAccess',
    ])
  })

  it('the evidence: the failing summary line, the payload, the manifest, the RestoreHealth summary', () => {
    expect(run({ logs: cbs(checksur) })[0]!.evidence).toEqual([
      { source: 'CBS.log', excerpt: 'line 10: Operation result: 0x800f081f' },
      {
        source: 'CBS.log',
        excerpt:
          'line 2: (p) CSI Payload Corrupt amd64_microsoft-windows-a..modernappmanagement_31bf3856ad364e35_10.0.19045.3636_none_23b3b3ece690d77b\\EnterpriseModernAppMgmtCSP.dll',
      },
      {
        source: 'CBS.log',
        excerpt:
          'line 3: manifest missing for package Microsoft-Windows-Client-Features-Package~31bf3856ad364e35~amd64~~10.0.19045.4291',
      },
      {
        source: 'CBS.log',
        excerpt: 'line 1: RestoreHealth summary — Operation result: 0x800F081F, detected 2, repaired 1',
      },
    ])
  })

  it('without a build in the log or the snapshot, R5 says "the same build" and "its current UBR"', () => {
    const r5 = run({ logs: dismOutput('repairable') })[0]!.remedies.find((r) => r.id === 'R5')!
    expect(r5.text).toBe(
      "Run RestoreHealth with a repair source of the same build: a mounted install.wim of that exact build, another PC's C:\\Windows\\WinSxS at the same build, or files extracted from the MSU of the update that produced its current UBR.",
    )
    expect(r5.fillIn![1]).toBe(
      '%SystemRoot%\\System32\\Dism.exe /Online /Cleanup-Image /RestoreHealth /Source:\\\\<server-at-same-build>\\c$\\windows\\winsxs /LimitAccess',
    )
  })

  it('the repaired note: title, technical line, cause', () => {
    const [f] = run({
      logs: cbs(repaired(2, 2)),
      snapshot: historyOnly('KB5044284', '0x80073712', '2026-11-01 10:00:00'),
    })
    expect(f!.title).toBe('The component store was repaired; install KB5044284 again')
    expect(f!.technical).toBe('CheckSUR: Detect and Repair, 2 of 2 repaired')
    expect(f!.causes).toEqual([
      'The update failed while the component store was damaged; the store has since been repaired, so the update can now install.',
      'KB5044284 failed while the component store was damaged (0x80073712); RestoreHealth has since repaired it (2026-11-02 09:00:00).',
    ])
  })
})

describe('component store: which repair counts', () => {
  const storeError = (time: string) =>
    `${time}, Error                 CBS    Failed to resolve package Package_for_KB5044284~31bf3856ad364e35~amd64~~22621.4317.1.10 [HRESULT = 0x80073712 - ERROR_SXS_COMPONENT_STORE_CORRUPT]`
  const history = () => historyOnly('KB5044284', '0x80073712', '2026-11-01 10:00:00')

  it('a store error logged after the repair means the repair did not take', () => {
    const [f] = run({ logs: cbs(`${repaired(2, 2)}\n${storeError('2026-11-02 10:00:00')}`), snapshot: history() })
    expect(f).toMatchObject({ id: 'component-store-corruption' })
  })

  it('a store error logged before the repair is superseded by it', () => {
    const [f] = run({ logs: cbs(`${storeError('2026-11-01 10:00:00')}\n${repaired(2, 2)}`), snapshot: history() })
    expect(f).toMatchObject({ id: 'component-store-repaired', codes: ['0x80073712'] })
  })

  it("a store error in another log is not explained away by this log's repair", () => {
    const logs: LogsAnalysis = {
      ...emptyLogs(),
      cbs: [
        { source: 'CBS.log', analysis: analyzeCbsLogText(repaired(2, 2)) },
        { source: 'CbsPersist_2026.log', analysis: analyzeCbsLogText(storeError('2026-11-01 10:00:00')) },
      ],
    }
    expect(run({ logs, snapshot: history() })[0]).toMatchObject({ id: 'component-store-corruption' })
  })

  it('of two logs with a repair, the later repair is the one cited, whatever their order', () => {
    const older = { source: 'old.log', analysis: analyzeCbsLogText(repaired(1, 1, '2026-11-01 09:00:00')) }
    const newer = { source: 'new.log', analysis: analyzeCbsLogText(repaired(3, 3, '2026-11-03 09:00:00')) }
    for (const cbsLogs of [
      [older, newer],
      [newer, older],
    ]) {
      const [f] = run({ logs: { ...emptyLogs(), cbs: cbsLogs }, snapshot: history() })
      expect(f).toMatchObject({
        id: 'component-store-repaired',
        technical: 'CheckSUR: Detect and Repair, 3 of 3 repaired',
      })
      expect(f!.evidence[0]!.source).toBe('new.log')
    }
  })
})

describe('component store: each store code alone, and what is not a repair', () => {
  const storeCodes = [
    '0x80073712',
    '0x800F081F',
    '0x800F0831',
    '0x80073701',
    '0x800736CC',
    '0x8007371B',
    '0x80070570',
    '0x800F0984',
    '0x800F0986',
    '0x800F0832',
    '0x800F0900',
  ]
  let ran = 0
  for (const c of storeCodes) {
    it(`${c} in update history is a store finding with that code`, () => {
      ran++
      expect(run({ snapshot: historyOnly('KB5044284', c, '2026-11-01 10:00:00') })[0]).toMatchObject({
        id: 'component-store-corruption',
        codes: [c],
        confidence: 0.9,
      })
    })
  }
  it('ran every code', () => expect(ran).toBe(11))

  const history = () => historyOnly('KB5044284', '0x80073712', '2026-11-01 10:00:00')
  const variants: [string, string][] = [
    ['a detect-only check', repaired(2, 2).replace('Detect and Repair', 'Detect Only')],
    ['a failed repair', repaired(2, 2).replace('Operation result: 0x0', 'Operation result: 0x800f081f')],
    ['a summary without the detected count', repaired(2, 2).replace(/Total Detected Corruption: \d+\n/, '')],
    ['a summary without the repaired count', repaired(2, 2).replace(/\nTotal Repaired Corruption: \d+/, '')],
    [
      'a repair that failed with a code that is not a store code',
      repaired(2, 2).replace('Operation result: 0x0', 'Operation result: 0x80070005'),
    ],
    [
      'a summary that detected nothing and gives no repaired count',
      repaired(0, 0).replace(/\nTotal Repaired Corruption: \d+/, ''),
    ],
  ]
  let ranVariants = 0
  for (const [what, text] of variants) {
    it(`${what} is not a repair that took`, () => {
      ranVariants++
      expect(run({ logs: cbs(text), snapshot: history() })[0]).toMatchObject({ id: 'component-store-corruption' })
    })
  }
  it('ran every variant', () => expect(ranVariants).toBe(6))
})

/** A CBS.log analysis with the given parts (empty otherwise), for conditions a captured log cannot isolate. */
const analysisWith = (over: Partial<ReturnType<typeof analyzeCbsLogText>>) => ({ ...analyzeCbsLogText(''), ...over })
const payload = (
  line: number,
  component = `amd64_microsoft-windows-foo_31bf3856ad364e35_10.0.22631.${line}_none_0`,
  file: string | null = 'foo.dll',
) => ({ component, file, fixed: false, line })
/** A Detect-and-Repair summary at `line` (repaired all of `n`), its timeline entry at `time`, and the next timeline entry at `next`. */
const repairAt = (line: number, time: string | null, next?: number) => ({
  summary: { operation: 'Detect and Repair', result: '0x00000000', detected: 2, repaired: 2, line },
  timeline: [{ line, time, what: 'Component store check' }, ...(next ? [{ line: next, time, what: 'Session' }] : [])],
})
const one = (analysis: ReturnType<typeof analysisWith>, source = 'CBS.log'): LogsAnalysis => ({
  ...emptyLogs(),
  cbs: [{ source, analysis }],
})
const storeErrorLine = (time: string, c = '0x80073712') =>
  `${time}, Error                 CBS    Failed to resolve package Package_for_KB5044284~31bf3856ad364e35~amd64~~22621.4317.1.10 [HRESULT = ${c} - ERROR_SXS_COMPONENT_STORE_CORRUPT]`
const snapshotWith = (over: Record<string, unknown>): MachineSnapshot =>
  ({
    os: { status: 'unknown' },
    packages: { status: 'unknown' },
    history: { status: 'unknown' },
    ...over,
  }) as unknown as MachineSnapshot
const historyOf = (...entries: { kb: string | null; hresult: string; date: string | null }[]): MachineSnapshot =>
  snapshotWith({
    history: {
      status: 'known',
      value: entries.map((e) => ({
        operation: 'install',
        result: 'failed',
        title: `Update (${e.kb ?? 'no KB'})`,
        ...e,
      })),
      evidence: [],
    },
  })
const osOf = (os: Record<string, unknown>): MachineSnapshot =>
  snapshotWith({ os: { status: 'known', value: { build: null, ubr: null, version: null, ...os }, evidence: [] } })
const r5Text = (f: Finding | undefined) => f!.remedies.find((r) => r.id === 'R5')!.text

describe('component store: which CheckSUR lines the repair supersedes', () => {
  const typed = code('0x80073712') // keeps the finding standing, so the payload list is visible
  it("a corrupt payload above the repair's block is superseded; one after the block still counts", () => {
    const a = analysisWith({
      ...repairAt(10, '2026-11-02 09:00:00', 20),
      corruptPayloads: [payload(5), payload(15), payload(20), payload(21)],
    })
    const f = run({ logs: one(a), code: typed })[0]!
    expect(f.id).toBe('component-store-corruption')
    expect(f.evidence.filter((e) => /CSI Payload Corrupt/.test(e.excerpt)).map((e) => e.excerpt)).toEqual([
      'line 21: (p) CSI Payload Corrupt amd64_microsoft-windows-foo_31bf3856ad364e35_10.0.22631.21_none_0\\foo.dll',
    ])
  })

  it('without a later timeline entry the block runs to the end of the log: nothing below the repair counts', () => {
    const a = analysisWith({ ...repairAt(10, '2026-11-02 09:00:00'), corruptPayloads: [payload(500)] })
    expect(run({ logs: one(a), code: typed })[0]!.causes[0]).not.toMatch(/Corrupt payload/)
  })

  it("a payload in another log is not superseded by this log's repair", () => {
    const logs: LogsAnalysis = {
      ...emptyLogs(),
      cbs: [
        { source: 'CBS.log', analysis: analysisWith(repairAt(10, '2026-11-02 09:00:00', 20)) },
        { source: 'CbsPersist.log', analysis: analysisWith({ corruptPayloads: [payload(1)] }) },
      ],
    }
    const f = run({ logs, code: typed })[0]!
    expect(f.evidence.filter((e) => /CSI Payload Corrupt/.test(e.excerpt))).toEqual([
      {
        source: 'CbsPersist.log',
        excerpt:
          'line 1: (p) CSI Payload Corrupt amd64_microsoft-windows-foo_31bf3856ad364e35_10.0.22631.1_none_0\\foo.dll',
      },
    ])
  })

  it('a missing manifest above the repair is superseded too', () => {
    const a = analysisWith({
      ...repairAt(10, '2026-11-02 09:00:00', 20),
      missingManifests: [
        { package: 'Package_for_KB5044284~31bf3856ad364e35~amd64~~22621.4317.1.10', kb: 'KB5044284', line: 3 },
      ],
    })
    const f = run({ logs: one(a), code: typed })[0]!
    expect(f.causes).toHaveLength(2)
    expect(f.remedies.map((r) => r.id)).toEqual(['R4', 'R5', 'R6', 'R10'])
  })
})

describe('component store: payloads and manifests alone, and their limits', () => {
  it('a corrupt payload alone (no code anywhere): a finding at 0.9, technical "CSI Payload Corrupt", two causes', () => {
    const f = run({
      logs: one(
        analysisWith({ corruptPayloads: [payload(1, 'amd64_x_31bf3856ad364e35_10.0.22631.4317_none_0', null)] }),
      ),
    })[0]!
    expect(f).toMatchObject({
      id: 'component-store-corruption',
      technical: 'CSI Payload Corrupt',
      confidence: 0.9,
      codes: [],
    })
    expect(f.causes).toEqual([
      'Corrupt payload file(s) in the component store (WinSxS): amd64_x_31bf3856ad364e35_10.0.22631.4317_none_0.',
      'Typical triggers: an interrupted update, disk errors, aggressive clean-up tools for the component store, or no access to Windows Update for repair content.',
    ])
    expect(f.evidence).toEqual([
      { source: 'CBS.log', excerpt: 'line 1: (p) CSI Payload Corrupt amd64_x_31bf3856ad364e35_10.0.22631.4317_none_0' },
    ])
    expect(r5Text(f)).toContain('same build — 22631.4317')
  })

  it('a missing manifest alone: a finding at 0.9, R7 names its KB, R5 the build its identity names', () => {
    const m = { package: 'Package_for_KB5044284~31bf3856ad364e35~amd64~~10.0.22621.4317', kb: 'KB5044284', line: 4 }
    const f = run({ logs: one(analysisWith({ missingManifests: [m] })) })[0]!
    expect(f).toMatchObject({
      id: 'component-store-corruption',
      technical: 'component store repairable',
      confidence: 0.9,
    })
    expect(f.causes[0]).toBe(
      'The component store (Windows’ own copy of every system file and update) is in an inconsistent state: a file, manifest or registry record is damaged or missing.',
    )
    expect(f.causes[1]).toBe(
      'The update needs the manifest of an earlier package that is missing: Package_for_KB5044284~31bf3856ad364e35~amd64~~10.0.22621.4317.',
    )
    expect(f.remedies.find((r) => r.id === 'R7')!.title).toBe(
      'Install the update that contains the missing manifest (KB5044284)',
    )
    expect(r5Text(f)).toContain('same build — 22621.4317')
  })

  it('at most five payloads per log in the evidence, three in the cause, joined by "; "', () => {
    const ps = [1, 2, 3, 4, 5, 6].map((n) => payload(n, `c${n}`, null))
    const f = run({ logs: one(analysisWith({ corruptPayloads: ps })) })[0]!
    expect(f.evidence.map((e) => e.excerpt)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `line ${n}: (p) CSI Payload Corrupt c${n}`),
    )
    expect(f.causes[0]).toBe('Corrupt payload file(s) in the component store (WinSxS): c1; c2; c3.')
  })

  it('missing manifests: five per log at most, each package once, three in the cause', () => {
    const ms = [1, 1, 2, 3, 4, 5, 6].map((n, i) => ({
      package: `Pkg${n}~31bf3856ad364e35~amd64~~1.0`,
      kb: null,
      line: i + 1,
    }))
    const f = run({ logs: one(analysisWith({ missingManifests: ms })) })[0]!
    expect(f.evidence.map((e) => e.excerpt)).toEqual([
      'line 1: manifest missing for package Pkg1~31bf3856ad364e35~amd64~~1.0',
      'line 3: manifest missing for package Pkg2~31bf3856ad364e35~amd64~~1.0',
      'line 4: manifest missing for package Pkg3~31bf3856ad364e35~amd64~~1.0',
      'line 5: manifest missing for package Pkg4~31bf3856ad364e35~amd64~~1.0',
    ])
    expect(f.causes[1]).toBe(
      'The update needs the manifest of an earlier package that is missing: Pkg1~31bf3856ad364e35~amd64~~1.0; Pkg2~31bf3856ad364e35~amd64~~1.0; Pkg3~31bf3856ad364e35~amd64~~1.0.',
    )
    expect(f.remedies.find((r) => r.id === 'R7')!.title).toBe('Install the update that contains the missing manifest')
  })

  it('a failed RestoreHealth summary without counts says "?" for them', () => {
    const a = analysisWith({
      summary: { operation: 'Restore Health', result: '0x800F081F', detected: null, repaired: null, line: 7 },
    })
    expect(run({ logs: one(a), code: code('0x800F081F') })[0]!.evidence).toContainEqual({
      source: 'CBS.log',
      excerpt: 'line 7: RestoreHealth summary — Operation result: 0x800F081F, detected ?, repaired ?',
    })
  })
})

describe("component store: DISM's verdict and where a code was seen", () => {
  const dism = (componentStore: string | null, errorCode: string | null = null): LogsAnalysis => ({
    ...emptyLogs(),
    dismOutput: [
      { source: 'DISM output', facts: { componentStore, errorCode, errors: [] } as unknown as DismOutputFacts },
    ],
  })
  it('DISM output without a store verdict adds no store evidence', () => {
    const [f] = run({ logs: dism(null), code: code('0x80073712') })
    expect(f!.evidence.map((e) => e.excerpt)).toEqual(['0x80073712'])
    expect(f!.severity).toBe('error')
  })
  it('DISM says the store cannot be repaired: that sentence is the evidence', () => {
    expect(run({ logs: dism('not-repairable') })[0]!.evidence).toEqual([
      { source: 'DISM output', excerpt: 'The component store cannot be repaired.' },
    ])
  })
  it("a store code in DISM's output: 0.9, and it still stands after a repair in CBS.log", () => {
    expect(run({ logs: dism(null, '0x80073712') })[0]).toMatchObject({ confidence: 0.9, codes: ['0x80073712'] })
    const logs: LogsAnalysis = {
      ...dism(null, '0x80073712'),
      cbs: [{ source: 'CBS.log', analysis: analyzeCbsLogText(repaired(1, 1)) }],
    }
    expect(run({ logs })[0]).toMatchObject({ id: 'component-store-corruption', codes: ['0x80073712'] })
  })
  it("a store code that is CBS.log's first error: 0.9", () => {
    expect(run({ logs: cbs(storeErrorLine('2026-11-01 10:00:00')) })[0]).toMatchObject({
      confidence: 0.9,
      codes: ['0x80073712'],
    })
  })
})

describe('component store: the build a repair source must match', () => {
  it("the snapshot's version when no corrupt identity names a build", () => {
    expect(
      r5Text(
        run({ code: code('0x80073712'), snapshot: osOf({ version: '10.0.22631.4317', build: 22631, ubr: 4317 }) })[0],
      ),
    ).toContain('same build — 22631.4317:')
  })
  it('build and UBR when the version string is missing', () => {
    expect(r5Text(run({ code: code('0x80073712'), snapshot: osOf({ build: 19045, ubr: 3636 }) })[0])).toContain(
      'same build — 19045.3636:',
    )
  })
  it('a build without a UBR is no build to match', () => {
    expect(r5Text(run({ code: code('0x80073712'), snapshot: osOf({ build: 19045, ubr: null }) })[0])).toContain(
      'same build: a mounted',
    )
  })
  it('UBR 0 is a UBR', () => {
    expect(r5Text(run({ code: code('0x80073712'), snapshot: osOf({ build: 26100, ubr: 0 }) })[0])).toContain(
      'same build — 26100.0:',
    )
  })
})

describe('component store: which repair counts, at the edges', () => {
  it('a repair followed by a store error in its own log does not count, even for a failure recorded before it', () => {
    const text = `${repaired(2, 2, '2026-11-02 09:00:00')}\n${storeErrorLine('2026-11-02 10:00:00')}`
    const f = run({
      logs: cbs(text),
      snapshot: historyOf({ kb: 'KB5044284', hresult: '0x800F081F', date: '2026-11-01T10:00:00Z' }),
    })[0]!
    expect(f.id).toBe('component-store-corruption')
    expect(f.codes).toEqual(['0x80073712', '0x800F081F'])
  })

  it("a store error on the summary's own line is not after it: the repair counts and supersedes it", () => {
    const a = analysisWith({
      ...repairAt(10, '2026-11-02 09:00:00', 20),
      errors: [{ code: '0x80073712', name: null, line: 10, text: 'x', level: 'Error', time: null }],
    })
    const f = run({
      logs: one(a),
      snapshot: historyOf({ kb: 'KB5044284', hresult: '0x80073712', date: '2026-11-01T10:00:00Z' }),
    })[0]!
    expect(f).toMatchObject({ id: 'component-store-repaired', codes: ['0x80073712'] })
  })

  it("two repairs at the same time: the first log's is cited", () => {
    const logs: LogsAnalysis = {
      ...emptyLogs(),
      cbs: [
        { source: 'a.log', analysis: analyzeCbsLogText(repaired(1, 1)) },
        { source: 'b.log', analysis: analyzeCbsLogText(repaired(3, 3)) },
      ],
    }
    expect(
      run({ logs, snapshot: historyOf({ kb: 'KB5044284', hresult: '0x80073712', date: '2026-11-01T10:00:00Z' }) })[0],
    ).toMatchObject({ technical: 'CheckSUR: Detect and Repair, 1 of 1 repaired' })
  })

  it('a repair with a time wins over one without, whatever their order', () => {
    const timed = { source: 'timed.log', analysis: analysisWith(repairAt(10, '2026-11-02 09:00:00')) }
    const untimed = {
      source: 'untimed.log',
      analysis: analysisWith({
        summary: { operation: 'Detect and Repair', result: '0x00000000', detected: 5, repaired: 5, line: 3 },
      }),
    }
    for (const cbsLogs of [
      [timed, untimed],
      [untimed, timed],
    ]) {
      const [f] = run({
        logs: { ...emptyLogs(), cbs: cbsLogs },
        snapshot: historyOf({ kb: 'KB5044284', hresult: '0x80073712', date: '2026-11-01T10:00:00Z' }),
      })
      expect(f!.evidence[0]!.source).toBe('timed.log')
    }
  })

  it('a repair without a timeline entry has no time: a history failure is then superseded by it, and the cause names no time', () => {
    const a = analysisWith({
      summary: { operation: 'Detect and Repair', result: '0x00000000', detected: 1, repaired: 1, line: 3 },
      timeline: [{ line: 1, time: '2026-11-01 08:00:00', what: 'Session' }],
    })
    const [f] = run({
      logs: one(a),
      snapshot: historyOf({ kb: 'KB5044284', hresult: '0x80073712', date: '2026-11-05T10:00:00Z' }),
    })
    expect(f!.id).toBe('component-store-repaired')
    expect(f!.causes).toEqual([
      'The update failed while the component store was damaged; the store has since been repaired, so the update can now install.',
      'KB5044284 failed while the component store was damaged (0x80073712); RestoreHealth has since repaired it.',
    ])
  })

  it('a code seen only in another log (not in history) is judged by the logs alone, even when the repair has no time', () => {
    const logs: LogsAnalysis = {
      ...emptyLogs(),
      cbs: [
        {
          source: 'CBS.log',
          analysis: analysisWith({
            summary: { operation: 'Detect and Repair', result: '0x00000000', detected: 1, repaired: 1, line: 3 },
          }),
        },
        { source: 'old.log', analysis: analyzeCbsLogText(storeErrorLine('2026-11-01 10:00:00')) },
      ],
    }
    expect(run({ logs })[0]).toMatchObject({ id: 'component-store-corruption', codes: ['0x80073712'] })
  })
})

describe("component store: history dates against the repair's time", () => {
  const repairedLog = () => cbs(repaired(2, 2, '2026-11-02 09:00:00'))
  const at = (...dates: (string | null)[]) =>
    historyOf(...dates.map((date) => ({ kb: 'KB5044284', hresult: '0x80073712', date })))
  const cases: [string, (string | null)[], 'component-store-repaired' | 'component-store-corruption'][] = [
    ['an ISO date earlier the same day', ['2026-11-02T08:00:00Z'], 'component-store-repaired'],
    ["an ISO date at the repair's second", ['2026-11-02T09:00:00Z'], 'component-store-repaired'],
    ['an ISO date a second after', ['2026-11-02T09:00:01Z'], 'component-store-corruption'],
    ['a date with a space', ['2026-11-02 08:59:59'], 'component-store-repaired'],
    ['no date', [null], 'component-store-repaired'],
    ['one before and one after', ['2026-11-01T08:00:00Z', '2026-11-03T08:00:00Z'], 'component-store-corruption'],
    ['one after and one before', ['2026-11-03T08:00:00Z', '2026-11-01T08:00:00Z'], 'component-store-corruption'],
  ]
  let ran = 0
  for (const [what, dates, id] of cases) {
    it(`${what}: ${id}`, () => {
      ran++
      expect(run({ logs: repairedLog(), snapshot: at(...dates) })[0]?.id).toBe(id)
    })
  }
  it('ran every case', () => expect(ran).toBe(cases.length))

  it('a failure of another code after the repair does not keep this code standing', () => {
    const snapshot = historyOf(
      { kb: 'KB1', hresult: '0x800F081F', date: '2026-11-01T08:00:00Z' },
      { kb: 'KB2', hresult: '0x80073712', date: '2026-11-03T08:00:00Z' },
    )
    expect(run({ logs: repairedLog(), snapshot })[0]).toMatchObject({
      id: 'component-store-corruption',
      codes: ['0x80073712'],
    })
  })

  it('a non-store error in another log does not keep a store code standing', () => {
    const logs: LogsAnalysis = {
      ...emptyLogs(),
      cbs: [
        ...repairedLog().cbs,
        {
          source: 'other.log',
          analysis: analyzeCbsLogText(
            '2026-11-03 10:00:00, Error                 CBS    Failed to open file [HRESULT = 0x80070005 - E_ACCESSDENIED]',
          ),
        },
      ],
    }
    expect(run({ logs, snapshot: at('2026-11-01T08:00:00Z') })[0]).toMatchObject({
      id: 'component-store-repaired',
      codes: ['0x80073712'],
    })
  })
})

describe('component store: the repaired note, exactly', () => {
  const repairedLog = () => cbs(repaired(2, 2, '2026-11-02 09:00:00'))
  it('two failed updates with two store codes: both named, the retry remedy installs each', () => {
    const snapshot = historyOf(
      { kb: 'KB5044284', hresult: '0x80073712', date: '2026-11-01T08:00:00Z' },
      { kb: 'KB5043080', hresult: '0x800F081F', date: '2026-11-01T09:00:00Z' },
      { kb: 'KB5040000', hresult: '0x80070005', date: '2026-11-01T07:00:00Z' },
    )
    const [f, ...rest] = run({ logs: repairedLog(), snapshot })
    expect(rest).toEqual([])
    expect(f!.title).toBe('The component store was repaired; install KB5044284, KB5043080 again')
    expect(f!.causes).toEqual([
      'The update failed while the component store was damaged; the store has since been repaired, so the update can now install.',
      'KB5044284, KB5043080 failed while the component store was damaged (0x80073712, 0x800F081F); RestoreHealth has since repaired it (2026-11-02 09:00:00).',
    ])
    expect(f!.remedies).toEqual([
      {
        id: 'retry-update',
        title: 'Install KB5044284, KB5043080 again',
        text: 'The store is repaired, so the update that failed with a component-store error can install now.',
        commands: ['servicing-desk install --kb KB5044284', 'servicing-desk install --kb KB5043080'],
        repair: 'install-update',
        sources: ['S2'],
        verified: true,
      },
    ])
    expect(f!.evidence).toEqual([
      {
        source: 'CBS.log',
        excerpt: 'line 1: Summary — Operation: Detect and Repair, result 0x0, 2 of 2 corruptions repaired',
      },
    ])
    expect(f!.repair).toBe('install-update')
  })

  it('a store failure without a KB (only a CBS.log error before the repair): the note names no update and offers no retry', () => {
    const [f, ...rest] = run({
      logs: cbs(`${storeErrorLine('2026-11-01 10:00:00')}\n${repaired(2, 2, '2026-11-02 09:00:00')}`),
      snapshot: historyOf({ kb: null, hresult: '0x80073712', date: '2026-11-01T08:00:00Z' }),
    })
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'component-store-repaired',
      title: 'The component store was repaired',
      remedies: [],
      repair: null,
      codes: ['0x80073712'],
    })
    expect(f!.causes).toEqual([
      'Servicing failed while the component store was damaged; the store has since been repaired.',
      'Servicing failed while the component store was damaged (0x80073712); RestoreHealth has since repaired it (2026-11-02 09:00:00).',
    ])
  })
})

describe('component store: module constants, read from a freshly loaded module', () => {
  it('each store code, the rule id and the ISO time of a history date, as the module is now', async () => {
    // Module-level constants are evaluated once per load: load the rule again so the test reads them as they are now.
    vi.resetModules()
    const fresh = (await import('../../../main/diagnose/rules/store-corruption.ts')).storeCorruptionRule
    const runFresh = (over: Partial<RuleInput>) =>
      fresh.evaluate({ snapshot: null, logs: emptyLogs(), code: null, text: null, ...over } as RuleInput)
    expect(fresh.id).toBe('component-store-corruption')
    const codes = [
      '0x80073712',
      '0x800F081F',
      '0x800F0831',
      '0x80073701',
      '0x800736CC',
      '0x8007371B',
      '0x80070570',
      '0x800F0984',
      '0x800F0986',
      '0x800F0832',
      '0x800F0900',
    ]
    let ran = 0
    for (const c of codes) {
      ran++
      expect(runFresh({ snapshot: historyOnly('KB5044284', c, '2026-11-01 10:00:00') })[0]).toMatchObject({
        id: 'component-store-corruption',
        codes: [c],
      })
    }
    expect(ran).toBe(11)
    expect(
      runFresh({
        logs: cbs(repaired(2, 2, '2026-11-02 09:00:00')),
        snapshot: historyOnly('KB5044284', '0x80073712', '2026-11-02T09:00:01Z'),
      })[0]?.id,
    ).toBe('component-store-corruption')
    expect(
      runFresh({
        logs: cbs(repaired(2, 2, '2026-11-02 09:00:00')),
        snapshot: historyOnly('KB5044284', '0x80073712', '2026-11-02T08:00:00Z'),
      })[0]?.id,
    ).toBe('component-store-repaired')
  })
})
