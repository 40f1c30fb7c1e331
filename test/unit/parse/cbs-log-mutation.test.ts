/**
 * The CBS.log scanner line by line (mutation testing). Every real capture in test/fixtures/cbs-log
 * and the openable-source ones of test/fixtures/corpus/cbs-log (index-only captures are being re-sourced) is scanned and its counts, codes, episode and summary asserted (values
 * read from the captures); the code forms, caps and episode bookkeeping on short hand-made lines in the
 * documented CBS line layout (edge cases, not captures).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import type { CbsLogAnalysis } from '../../../main/parse/cbs-log.ts'

type M0 = typeof import('../../../main/parse/cbs-log.ts')
let analyzeCbsLogText: M0['analyzeCbsLogText'],
  codeOfLine: M0['codeOfLine'],
  createCbsScanner: M0['createCbsScanner'],
  parsePackageIdentity: M0['parsePackageIdentity'],
  primaryEpisode: M0['primaryEpisode'],
  toCode: M0['toCode']
// A fresh module per test-file run (vi.resetModules): module-level tables and patterns are evaluated again, so
// Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ analyzeCbsLogText, codeOfLine, createCbsScanner, parsePackageIdentity, primaryEpisode, toCode } = await import(
    '../../../main/parse/cbs-log.ts'
  ))
})

type Ep = {
  first: [number, string, string | null] | null
  firstLine: number | null
  last: [number, string] | null
  n: number
  pkg: string | null
  phase: string | null
  out: string | null
  rb: boolean
}
type Row = {
  file: string
  lines: number
  errors: number
  episodes: number
  codes: Record<string, number>
  payloads: number
  manifests: number
  timeline: number
  packages: number
  ep: Ep | null
}
const rows: Row[] = [
  {
    file: 'cbs-log/0x80070002-symptoms.log',
    lines: 6,
    errors: 4,
    episodes: 1,
    codes: { '0x80070002': 4 },
    payloads: 0,
    manifests: 0,
    timeline: 1,
    packages: 0,
    ep: {
      first: [2, '0x80070002', null],
      firstLine: 2,
      last: [6, '0x80070002'],
      n: 4,
      pkg: null,
      phase: null,
      out: '0x80070002',
      rb: false,
    },
  },
  {
    file: 'cbs-log/0x800f0823-servicing-stack.log',
    lines: 1,
    errors: 1,
    episodes: 1,
    codes: { '0x800F0823': 1 },
    payloads: 0,
    manifests: 0,
    timeline: 1,
    packages: 1,
    ep: {
      first: [1, '0x800F0823', 'CBS_E_NEW_SERVICING_STACK_REQUIRED'],
      firstLine: 1,
      last: [1, '0x800F0823'],
      n: 1,
      pkg: 'Package_for_KB5012170~31bf3856ad364e35~amd64~~14393.5285.1.4',
      phase: null,
      out: '0x800F0823',
      rb: false,
    },
  },
  {
    file: 'cbs-log/0x800f0831-manifest-missing.log',
    lines: 8,
    errors: 6,
    episodes: 1,
    codes: { '0x800F0831': 6 },
    payloads: 0,
    manifests: 1,
    timeline: 2,
    packages: 1,
    ep: {
      first: [2, '0x800F0831', 'CBS_E_STORE_CORRUPTION'],
      firstLine: 2,
      last: [7, '0x800F0831'],
      n: 6,
      pkg: '\\<Failed_Package>',
      phase: 'Execute (Staged → Installed)',
      out: '0x800F0831',
      rb: false,
    },
  },
  {
    file: 'cbs-log/0x800f0922-scheduled-task.log',
    lines: 28,
    errors: 15,
    episodes: 1,
    codes: { '0x80070002': 9, '0x800F0922': 1 },
    payloads: 0,
    manifests: 0,
    timeline: 4,
    packages: 0,
    ep: {
      first: [14, '0x80070002', null],
      firstLine: 9,
      last: [26, '0x800F0922'],
      n: 15,
      pkg: null,
      phase: 'startup processing (startupPhase 0), advanced installer phase 38',
      out: '0x800F0922',
      rb: true,
    },
  },
  {
    file: 'cbs-log/kb947821-checksur-summary.log',
    lines: 25,
    errors: 1,
    episodes: 1,
    codes: { '0x800F081F': 1 },
    payloads: 1,
    manifests: 1,
    timeline: 2,
    packages: 0,
    ep: {
      first: [10, '0x800F081F', null],
      firstLine: 10,
      last: [10, '0x800F081F'],
      n: 1,
      pkg: null,
      phase: null,
      out: '0x800F081F',
      rb: false,
    },
  },
  {
    file: 'corpus/cbs-log/en-1903-restorehealth-9-payloads-fixed-result-0x0.log',
    lines: 56,
    errors: 0,
    episodes: 0,
    codes: {},
    payloads: 9,
    manifests: 0,
    timeline: 1,
    packages: 0,
    ep: null,
  },
  {
    file: 'corpus/cbs-log/en-19041-startup-enablement-packages-installed.log',
    lines: 30,
    errors: 0,
    episodes: 0,
    codes: {},
    payloads: 0,
    manifests: 0,
    timeline: 0,
    packages: 0,
    ep: null,
  },
  {
    file: 'corpus/cbs-log/en-2008r2-kb3003743-applicability-e-invalidarg.log',
    lines: 25,
    errors: 17,
    episodes: 1,
    codes: { '0x80070057': 17 },
    payloads: 0,
    manifests: 0,
    timeline: 3,
    packages: 3,
    ep: {
      first: [5, '0x80070057', 'E_INVALIDARG'],
      firstLine: 5,
      last: [21, '0x80070057'],
      n: 17,
      pkg: 'Package_49_for_KB3003743~31bf3856ad364e35~amd64~~6.1.1.1',
      phase: null,
      out: '0x80070057',
      rb: false,
    },
  },
  {
    file: 'corpus/cbs-log/en-2008r2-kb3177467-sxs-assembly-not-found.log',
    lines: 25,
    errors: 16,
    episodes: 1,
    codes: { '0x800736B3': 3 },
    payloads: 0,
    manifests: 0,
    timeline: 2,
    packages: 0,
    ep: {
      first: [21, '0x800736B3', 'ERROR_SXS_ASSEMBLY_NOT_FOUND'],
      firstLine: 1,
      last: [25, '0x800736B3'],
      n: 16,
      pkg: null,
      phase: null,
      out: '0x800736B3',
      rb: true,
    },
  },
  {
    file: 'corpus/cbs-log/en-2019-dism-store-corruption-detect-start.log',
    lines: 11,
    errors: 0,
    episodes: 0,
    codes: {},
    payloads: 0,
    manifests: 0,
    timeline: 1,
    packages: 0,
    ep: null,
  },
  {
    file: 'corpus/cbs-log/en-doqe-driver-install-0x80070002-no-timestamps.log',
    lines: 2,
    errors: 1,
    episodes: 1,
    codes: { '0x80070002': 1 },
    payloads: 0,
    manifests: 0,
    timeline: 1,
    packages: 0,
    ep: {
      first: [2, '0x80070002', 'ERROR_FILE_NOT_FOUND'],
      firstLine: 2,
      last: [2, '0x80070002'],
      n: 1,
      pkg: null,
      phase: null,
      out: '0x80070002',
      rb: false,
    },
  },
  {
    file: 'corpus/cbs-log/en-server2022-ssu-0x80073712-store-corrupt.log',
    lines: 9,
    errors: 3,
    episodes: 1,
    codes: { '0x80073712': 3 },
    payloads: 0,
    manifests: 0,
    timeline: 2,
    packages: 1,
    ep: {
      first: [1, '0x80073712', 'ERROR_SXS_COMPONENT_STORE_CORRUPT'],
      firstLine: 1,
      last: [7, '0x80073712'],
      n: 3,
      pkg: 'Package_for_ServicingStack_3081~31bf3856ad364e35~amd64~~20348.3081.1.1',
      phase: 'Resolve (Installed → Installed)',
      out: '0x80073712',
      rb: false,
    },
  },
  {
    file: 'corpus/cbs-log/en-vista-checksur-unavailable-repair-files-kb958690.txt',
    lines: 14,
    errors: 0,
    episodes: 0,
    codes: {},
    payloads: 0,
    manifests: 0,
    timeline: 0,
    packages: 0,
    ep: null,
  },
  {
    file: 'corpus/cbs-log/en-win11-22621-healthy-ti-start-probes.log',
    lines: 30,
    errors: 0,
    episodes: 0,
    codes: {},
    payloads: 0,
    manifests: 0,
    timeline: 2,
    packages: 0,
    ep: null,
  },
  {
    file: 'corpus/cbs-log/en-win11-22621-ti-session-wu-probes-short.log',
    lines: 21,
    errors: 0,
    episodes: 0,
    codes: {},
    payloads: 0,
    manifests: 0,
    timeline: 0,
    packages: 0,
    ep: null,
  },
  {
    file: 'corpus/cbs-log/en-win7-ie11-dism-stage-0x80070002.log',
    lines: 10,
    errors: 6,
    episodes: 1,
    codes: { '0x80070002': 6 },
    payloads: 0,
    manifests: 0,
    timeline: 2,
    packages: 1,
    ep: {
      first: [1, '0x80070002', 'ERROR_FILE_NOT_FOUND'],
      firstLine: 1,
      last: [8, '0x80070002'],
      n: 6,
      pkg: 'Microsoft-Windows-InternetExplorer-Package-TopLevel~31bf3856ad364e35~amd64~~11.2.9600.16428',
      phase: 'Stage (Resolved → Installed)',
      out: '0x80070002',
      rb: false,
    },
  },
  {
    file: 'corpus/cbs-log/en-win7-kb3172605-0x80070308-out-of-sequence.log',
    lines: 13,
    errors: 3,
    episodes: 1,
    codes: { '0x80070308': 3 },
    payloads: 0,
    manifests: 0,
    timeline: 3,
    packages: 1,
    ep: {
      first: [5, '0x80070308', 'ERROR_REQUEST_OUT_OF_SEQUENCE'],
      firstLine: 5,
      last: [9, '0x80070308'],
      n: 3,
      pkg: 'Package_for_KB3172605~31bf3856ad364e35~amd64~~6.1.1.4',
      phase: 'Execute (Staged → Installed)',
      out: '0x80070308',
      rb: true,
    },
  },
  {
    file: 'corpus/cbs-log/en-win8-9200-lpksetup-sqm-e-fail-healthy.log',
    lines: 36,
    errors: 0,
    episodes: 0,
    codes: {},
    payloads: 0,
    manifests: 0,
    timeline: 1,
    packages: 0,
    ep: null,
  },
  {
    file: 'corpus/cbs-log/en-win81-9600-healthy-wu-probes.log',
    lines: 34,
    errors: 0,
    episodes: 0,
    codes: {},
    payloads: 0,
    manifests: 0,
    timeline: 6,
    packages: 0,
    ep: null,
  },
  {
    file: 'corpus/cbs-log/en-win81-tilight-applicability-mapping-packages.log',
    lines: 14,
    errors: 0,
    episodes: 0,
    codes: {},
    payloads: 0,
    manifests: 0,
    timeline: 0,
    packages: 0,
    ep: null,
  },
  {
    file: 'corpus/cbs-log/loghub-windows-healthy-0x800f0805.log',
    lines: 10,
    errors: 0,
    episodes: 0,
    codes: {},
    payloads: 0,
    manifests: 0,
    timeline: 3,
    packages: 0,
    ep: null,
  },
  {
    file: 'corpus/cbs-log/loghub-windows-healthy-start.log',
    lines: 29,
    errors: 0,
    episodes: 0,
    codes: {},
    payloads: 0,
    manifests: 0,
    timeline: 2,
    packages: 0,
    ep: null,
  },
]

describe('analyzeCbsLogText on every real capture', () => {
  it('counts, codes, payloads, manifests and the primary episode of each', () => {
    let ran = 0
    for (const r of rows) {
      const a = analyzeCbsLogText(loadFixture(r.file).text)
      expect(
        [
          a.linesSeen,
          a.errorCount,
          a.episodes.length,
          a.corruptPayloads.length,
          a.missingManifests.length,
          a.timeline.length,
          a.packages.length,
        ],
        r.file,
      ).toEqual([r.lines, r.errors, r.episodes, r.payloads, r.manifests, r.timeline, r.packages])
      expect(a.codeCounts, r.file).toEqual(r.codes)
      expect(a.errors, r.file).toHaveLength(r.errors)
      const e = primaryEpisode(a)
      expect(
        e && {
          first: e.firstError && [e.firstError.line, e.firstError.code, e.firstError.name],
          firstLine: e.firstErrorLine?.line ?? null,
          last: e.lastError && [e.lastError.line, e.lastError.code],
          n: e.errorCount,
          pkg: e.failingPackage,
          phase: e.phase,
          out: e.outcomeCode,
          rb: e.rollback,
        },
        r.file,
      ).toEqual(r.ep)
      if (e) expect([e.startLine, e.client], r.file).toEqual([0, null])
      ran++
    }
    expect(ran).toBe(22)
  })

  it('reads the RestoreHealth summary of a timestamped CBS.log (its lines carry the date/Info/CBS prefix)', () => {
    // Found by these tests: the summary lines were matched with the prefix, so a real CBS.log's summary stayed empty.
    const a = analyzeCbsLogText(
      loadFixture('corpus/cbs-log/en-1903-restorehealth-9-payloads-fixed-result-0x0.log').text,
    )
    expect(a.summary).toEqual({
      operation: 'Detect and Repair',
      result: '0x00000000',
      detected: 9,
      repaired: 9,
      line: 15,
    })
    expect(a.corruptPayloads[0]).toEqual({
      component: 'amd64_windows-defender-management-powershell_31bf3856ad364e35_10.0.18362.1_none_b620cb061e8a941c',
      file: 'MSFT_MpComputerStatus.cdxml',
      fixed: true,
      line: 17,
    })
    expect(a.corruptPayloads.every((p) => p.fixed)).toBe(true)
    expect(a.errorCount).toBe(0)
    expect(a.timeline).toEqual([
      { line: 15, time: '2019-07-29 22:39:18', what: 'Component store check (Checking System Update Readiness)' },
    ])
  })

  it('the Microsoft article summaries: operation, failing result as an error and the outcome, counts', () => {
    const kb = analyzeCbsLogText(loadFixture('cbs-log/kb947821-checksur-summary.log').text)
    expect(kb.summary).toEqual({
      operation: 'Detect and Repair',
      result: '0x800F081F',
      detected: 2,
      repaired: 1,
      line: 1,
    })
    expect(kb.errors[0]).toMatchObject({ code: '0x800F081F', name: null, line: 10, level: 'Error', time: null })
  })

  it('the 0x800f0922 article: the timeline in order and the installer failure', () => {
    const a = analyzeCbsLogText(loadFixture('cbs-log/0x800f0922-scheduled-task.log').text)
    expect(a.timeline).toEqual([
      {
        line: 14,
        time: null,
        what: "First error 0x80070002: 00000c68 (F) Logged @: [l:49 ml:50]'InstallTaskOnline: RegisterTask failed 0x80070002'",
      },
      { line: 25, time: null, what: "Advanced installer 'Task Scheduler' failed (0x80070002)" },
      { line: 25, time: null, what: 'Rollback started' },
      { line: 28, time: null, what: 'Original failure status 0x800F0922' },
    ])
    expect(a.failedInstallers).toEqual([{ installer: 'Task Scheduler', code: '0x80070002', line: 25 }])
  })

  it('the servicing stack line: package, required and current versions', () => {
    expect(analyzeCbsLogText(loadFixture('cbs-log/0x800f0823-servicing-stack.log').text).servicingStack).toEqual({
      package: 'Package_for_KB5012170~31bf3856ad364e35~amd64~~14393.5285.1.4',
      required: '10.0.14393.5285',
      current: '10.0.14393.4349',
      line: 1,
    })
  })
})

describe('codeOfLine and toCode', () => {
  it('reads each code form', () => {
    const cases: Array<[string, { code: string | null; name: string | null }]> = [
      ['x [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]', { code: '0x800F0922', name: 'CBS_E_INSTALLERS_FAILED' }],
      ['x [HRESULT=0x5 - E_X]', { code: '0x00000005', name: 'E_X' }],
      ['HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)', { code: '0x80070002', name: 'ERROR_FILE_NOT_FOUND' }],
      ['HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND)', { code: '0x80070003', name: 'ERROR_PATH_NOT_FOUND' }],
      ['HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)', { code: '0x80070005', name: 'ERROR_ACCESS_DENIED' }],
      ['HRESULT_FROM_WIN32(ERROR_INVALID_DATA)', { code: '0x8007000D', name: 'ERROR_INVALID_DATA' }],
      ['HRESULT_FROM_WIN32(ERROR_SHARING_VIOLATION)', { code: '0x80070020', name: 'ERROR_SHARING_VIOLATION' }],
      ['HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER)', { code: '0x80070057', name: 'ERROR_INVALID_PARAMETER' }],
      ['HRESULT_FROM_WIN32(ERROR_DISK_FULL)', { code: '0x80070070', name: 'ERROR_DISK_FULL' }],
      ['HRESULT_FROM_WIN32(ERROR_SERVICE_DISABLED)', { code: '0x80070422', name: 'ERROR_SERVICE_DISABLED' }],
      ['HRESULT_FROM_WIN32(ERROR_NOT_FOUND)', { code: '0x80070490', name: 'ERROR_NOT_FOUND' }],
      ['HRESULT_FROM_WIN32(ERROR_INSTALL_FAILURE)', { code: '0x80070643', name: 'ERROR_INSTALL_FAILURE' }],
      ['HRESULT_FROM_WIN32(ERROR_UNLISTED)', { code: null, name: 'ERROR_UNLISTED' }],
      ['(F) 80070002 [Error,Facility=FACILITY_WIN32]', { code: '0x80070002', name: null }],
      ['(F) 80070002 [Warning,Facility=7]', { code: '0x80070002', name: null }],
      ['HR=0x80070005', { code: '0x80070005', name: null }],
      ['hr: 0x800705aa', { code: '0x800705AA', name: null }],
      ['status: 0x800f0922', { code: '0x800F0922', name: null }],
      ['failure status: 0x1', { code: '0x00000001', name: null }],
      ['Error 0x80070003', { code: '0x80070003', name: null }],
      ['failed 0x80070070', { code: '0x80070070', name: null }],
      ['error 0x8007000d', { code: '0x8007000D', name: null }],
      ['failed with error code 2', { code: '0x80070002', name: null }],
      ['with error code 1603', { code: '0x80070643', name: null }],
      ['with error code 0', { code: null, name: null }],
      ['code 0x80070002 alone', { code: null, name: null }],
      ['', { code: null, name: null }],
    ]
    let ran = 0
    for (const [line, want] of cases) {
      expect(codeOfLine(line), line).toEqual(want)
      ran++
    }
    expect(ran).toBe(27)
  })

  it('toCode pads and upper-cases 1–8 hex digits, else null', () => {
    expect(toCode('0x800f0922')).toBe('0x800F0922')
    expect(toCode('0X2')).toBe('0x00000002')
    expect(toCode('80070002')).toBe('0x80070002')
    expect(toCode('0x123456789')).toBeNull()
    expect(toCode('0x')).toBeNull()
    expect(toCode('0xZZ')).toBeNull()
  })

  it('parsePackageIdentity: KB from the name, arch and version, or nulls', () => {
    expect(parsePackageIdentity('Package_for_KB5043080~31bf3856ad364e35~arm64~~26100.1742.1.10')).toEqual({
      identity: 'Package_for_KB5043080~31bf3856ad364e35~arm64~~26100.1742.1.10',
      kb: 'KB5043080',
      arch: 'arm64',
      version: '26100.1742.1.10',
    })
    expect(parsePackageIdentity('Package_1_for_kb3003743~31bf3856ad364e35~amd64~~6.1.1.1').kb).toBe('KB3003743')
    expect(parsePackageIdentity('Package_for_KB123456789~x~amd64~~1')).toMatchObject({ kb: null })
    expect(parsePackageIdentity('Foo')).toEqual({ identity: 'Foo', kb: null, arch: null, version: null })
    expect(parsePackageIdentity(5 as unknown as string)).toEqual({ identity: '', kb: null, arch: null, version: null })
  })
})

describe('the scanner on hand-made lines in the CBS layout', () => {
  const scan = (lines: string[], maxErrors?: number): CbsLogAnalysis => {
    const s = createCbsScanner(maxErrors === undefined ? {} : { maxErrors })
    for (const [i, l] of lines.entries()) s.line(l, i + 1)
    return s.finish()
  }
  const err = (n: number) =>
    `2024-01-01 00:00:0${n % 10}, Error                 CBS    Failed step ${n} [HRESULT = 0x80070002 - ERROR_FILE_NOT_FOUND]`

  it('a session with no error is no episode; each session with one is, with its client', () => {
    const a = scan([
      '2024-01-01 00:00:00, Info                  CBS    Session: 1_1 initialized by client WindowsUpdateAgent, external staging directory: (null)',
      '2024-01-01 00:00:01, Info                  CBS    Session: 1_2 initialized by client DISM Package Manager Provider, external staging directory: (null)',
      err(2),
      '2024-01-01 00:00:03, Info                  CBS    Session: 1_3 initialized by client UpdateAgentLCU',
    ])
    expect(a.episodes.map((e) => [e.startLine, e.client, e.errorCount, e.outcomeCode])).toEqual([
      [2, 'DISM Package Manager Provider', 1, '0x80070002'],
    ])
    expect(a.timeline.map((t) => t.what)).toEqual([
      'Session 1_1 started by WindowsUpdateAgent',
      'Session 1_2 started by DISM Package Manager Provider',
      'First error 0x80070002 (ERROR_FILE_NOT_FOUND): Failed step 2 [HRESULT = 0x80070002 - ERROR_FILE_NOT_FOUND]',
      'Session 1_3 started by UpdateAgentLCU',
    ])
    expect(a.timeline[2]).toMatchObject({ line: 3, time: '2024-01-01 00:00:02' })
  })

  it('keeps the first errors up to maxErrors but counts all; the timeline keeps its first entry and the latest', () => {
    const lines = Array.from(
      { length: 45 },
      (_, i) => `2024-01-01 00:00:00, Info                  CBS    Session: 1_${i} initialized by client C${i}`,
    )
    const a = scan([...lines, err(1), err(2), err(3)], 2)
    expect(a.errorCount).toBe(3)
    expect(a.errors.map((e) => e.line)).toEqual([46, 47])
    expect(a.timeline).toHaveLength(40)
    expect(a.timeline[0]!.what).toBe('Session 1_0 started by C0')
    expect(a.timeline[39]!.what).toMatch(/^First error 0x80070002/)
    expect(a.timeline[1]!.what).toBe('Session 1_7 started by C7')
    expect(scan(Array.from({ length: 205 }, (_, i) => err(i))).errors).toHaveLength(200)
  })

  it('keeps at most 20 failing sessions, the latest', () => {
    const lines: string[] = []
    for (let i = 0; i < 22; i++) lines.push(`Info CBS Session: 1_${i} initialized by client C${i}`, err(i))
    const a = scan(lines)
    expect(a.episodes).toHaveLength(20)
    expect(a.episodes[0]!.client).toBe('C2')
    expect(primaryEpisode(a)!.client).toBe('C21')
  })

  it('an Info line with a failure code is an error only when it says failed/corrupt, and never for routine probes', () => {
    const a = scan([
      'Info                  CBS    Probe done [HRESULT = 0x80070002 - ERROR_FILE_NOT_FOUND]',
      'Info                  CBS    Failed to open package [HRESULT = 0x800f0805 - CBS_E_INVALID_PACKAGE]',
      'Info                  CBS    SQM: Failed to upload [HRESULT = 0x80004005 - E_FAIL]',
      'Info                  CBS    Failed to query DisableWerReporting flag. [HRESULT = 0x80070002 - ERROR_FILE_NOT_FOUND]',
      'Info                  CBS    Open failed [HRESULT = 0x80070005 - E_ACCESSDENIED]',
      'Info                  CBS    Store corrupt [HRESULT = 0x80073712 - ERROR_SXS_COMPONENT_STORE_CORRUPT]',
      'Info                  CBS    Failed but fine [HRESULT = 0x00000001 - S_FALSE]',
      'Warning               CBS    Something failed [HRESULT = 0x80070490 - E_NOTFOUND]',
      'Fatal Error           CBS    Stop',
      'Error                 CBS    Plain error, no code',
    ])
    expect(a.errors.map((e) => [e.line, e.code, e.name, e.level])).toEqual([
      [5, '0x80070005', 'E_ACCESSDENIED', 'Info'],
      [6, '0x80073712', 'ERROR_SXS_COMPONENT_STORE_CORRUPT', 'Info'],
      [8, '0x80070490', 'E_NOTFOUND', 'Warning'],
      [9, null, null, 'Fatal Error'],
      [10, null, null, 'Error'],
    ])
    expect(primaryEpisode(a)!.firstError!.line).toBe(5)
  })

  it('an error line with no failure code keeps no code; the first coded error is the first error', () => {
    const a = scan([
      'Error                 CSI    (F) something broke',
      err(2),
      'Error                 CBS    Done [HRESULT = 0x00000000 - S_OK]',
    ])
    const e = primaryEpisode(a)!
    expect([e.firstErrorLine!.line, e.firstError!.line, e.lastError!.line, e.lastError!.code]).toEqual([1, 2, 3, null])
    expect(e.outcomeCode).toBeNull()
    const uncoded = primaryEpisode(scan(['Error                 CSI    (F) something broke']))!
    expect(uncoded.firstError!.line).toBe(1)
  })

  it('reads WER reports, original failure status, startup phase, rollback and a pending reboot', () => {
    const a = scan([
      'Info CBS Begin executing advanced installer phase 38 index 1',
      'Info CBS Startup: Failed startupPhase: 2 something',
      'Info CBS Setting original failure status: 0x800f0922, last forward execute state: CbsExecuteStateResolvePending',
      'Info CBS A rollback will be initiated',
      'Info CBS Rollback again',
      'Info CBS Reboot required: yes',
      'Info CBS A reboot is required again',
      'Info CBS WER: Generating failure report for package: Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1.1.1, status: 0x800f0922, failure source: Execute, start state: Staged, target state: Installed, client id: UpdateAgentLCU',
    ])
    const e = a.episodes[0]!
    expect(e).toMatchObject({
      failingPackage: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1.1.1',
      phase: 'Execute (Staged → Installed)',
      outcomeCode: '0x800F0922',
      rollback: true,
    })
    expect(a.rebootPending).toEqual({ line: 6, text: 'Info CBS Reboot required: yes' })
    expect(a.packages).toEqual([
      {
        identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1.1.1',
        kb: null,
        arch: 'amd64',
        version: '26100.1.1.1',
      },
    ])
    expect(a.timeline.map((t) => t.what)).toEqual([
      'Original failure status 0x800F0922',
      'Rollback started',
      'Failure report: Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1.1.1 ended with 0x800F0922 during Execute',
    ])
    const phase = scan([
      'Info CBS Begin executing advanced installer phase 38 index 1',
      'Info CBS Startup: Failed startupPhase: 0',
      'Error CBS x [HRESULT = 0x80070002 - E]',
    ]).episodes[0]!
    expect(phase.phase).toBe('startup processing (startupPhase 0), advanced installer phase 38')
    expect(scan(['Info CBS Startup: Failed startupPhase: 0', err(1)]).episodes[0]!.phase).toBe(
      'startup processing (startupPhase 0)',
    )
    expect(scan(['Info CBS Startup: startupPhase: 0', err(1)]).episodes[0]!.phase).toBeNull()
  })

  it('failed installers: the code in either form, and the advanced installer phase as the phase', () => {
    const a = scan([
      'Info CBS Begin executing advanced installer phase 38 index 1',
      'Error CBS Failed execution of queue item Installer: Task Scheduler ({a}) with HRESULT HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND).',
      'Error CBS Failed execution of queue item Installer: Other ({b}) with HRESULT 0x80070005.',
      'Error CBS Failed execution of queue item Installer: Third ({c}) with HRESULT nothing',
    ])
    expect(a.failedInstallers).toEqual([
      { installer: 'Task Scheduler', code: '0x80070002', line: 2 },
      { installer: 'Other', code: '0x80070005', line: 3 },
      { installer: 'Third', code: null, line: 4 },
    ])
    expect(a.episodes[0]!.phase).toBe('advanced installer phase 38')
    expect(a.timeline.map((t) => t.what)).toContain("Advanced installer 'Third' failed")
  })

  it('manifests missing: each package once, trailing punctuation dropped; payloads with and without (n)/(w)', () => {
    const a = scan([
      'Info CBS Failed: manifest missing for package: Package_for_KB5000001~31bf3856ad364e35~amd64~~1.0.0.0,',
      'Info CBS Again manifest missing for package: Package_for_KB5000001~31bf3856ad364e35~amd64~~1.0.0.0.',
      '(p)\tCBS MUM Missing\t(w)\t(Fixed)\tPackage_for_KB5000002~31bf3856ad364e35~amd64~~1.0.0.0',
      '(p)\tCSI Payload Corrupt\t\twow64_x_31bf3856ad364e35_1.0_none_1\\a\\b.dll',
      '(p)\tCSI Payload Corrupt\t(n)\t(Fixed)\tamd64_y_31bf3856ad364e35_1.0_none_2',
    ])
    expect(a.missingManifests).toEqual([
      { package: 'Package_for_KB5000001~31bf3856ad364e35~amd64~~1.0.0.0', kb: 'KB5000001', line: 1 },
      { package: 'Package_for_KB5000002~31bf3856ad364e35~amd64~~1.0.0.0', kb: 'KB5000002', line: 3 },
    ])
    expect(a.corruptPayloads).toEqual([
      { component: 'wow64_x_31bf3856ad364e35_1.0_none_1', file: 'a\\b.dll', fixed: false, line: 4 },
      { component: 'amd64_y_31bf3856ad364e35_1.0_none_2', file: null, fixed: true, line: 5 },
    ])
  })

  it('the summary block ends at "CBS Staged packages removed"; a success result is no error', () => {
    const a = scan([
      'Checking System Update Readiness.',
      'Operation result: 0x0',
      'Total Detected Corruption: 3',
      'CBS Staged packages removed',
      'Total Repaired Corruption: 3',
    ])
    expect(a.summary).toEqual({ operation: null, result: '0x00000000', detected: 3, repaired: null, line: 1 })
    expect(a.errorCount).toBe(0)
  })

  it('a long line is read up to 4000 characters; linesSeen is the highest line number', () => {
    const s = createCbsScanner()
    s.line(`Error CBS ${'x'.repeat(5000)} [HRESULT = 0x80070002 - E]`, 7)
    s.line('Info CBS fine', 3)
    const a = s.finish()
    expect(a.linesSeen).toBe(7)
    expect(a.errors[0]).toMatchObject({ code: null, line: 7 })
    expect(a.errors[0]!.text).toHaveLength(4000)
  })
})
