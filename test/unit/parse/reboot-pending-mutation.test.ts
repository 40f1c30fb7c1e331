/**
 * parseRebootPending line by line (mutation testing): every source's id, label, pending value and
 * detail, for the JSON object our own REBOOT_PENDING_SCRIPT prints (every field present), for fields it
 * did not report, and for values of the wrong type. Paths: servicing-facts §7.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'

type M0 = typeof import('../../../main/parse/reboot-pending.ts')
let parseRebootPending: M0['parseRebootPending'], REBOOT_PENDING_SCRIPT: M0['REBOOT_PENDING_SCRIPT']
// A fresh module per test-file run (vi.resetModules): module-level tables and patterns are evaluated again, so
// Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ parseRebootPending, REBOOT_PENDING_SCRIPT } = await import('../../../main/parse/reboot-pending.ts'))
})

const CBS = 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing'
const WU = 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate'
const clear = {
  CbsRebootPending: false,
  CbsRebootInProgress: false,
  CbsPackagesPending: false,
  WuRebootRequired: false,
  WuPostRebootReporting: false,
  WuServicesPending: false,
  PendingFileRenameOperations: [],
  PendingFileRenameOperations2: [],
  UpdateExeVolatile: null,
  ServerManagerRebootAttempts: false,
  NetlogonJoinDomain: false,
  NetlogonAvoidSpnSet: false,
  ActiveComputerName: 'PC1',
  ComputerName: 'PC1',
  DvdRebootSignal: false,
  PendingXml: false,
  CcmRebootPending: null,
}
const parse = (o: unknown) => parseRebootPending(JSON.stringify(o))
const source = (o: unknown, id: string) => {
  const s = parse(o).fact!.sources.find((x) => x.id === id)
  expect(s, id).toBeDefined()
  return s!
}

describe('parseRebootPending: a clear machine, every source in full', () => {
  it('lists the fifteen sources with their labels and evidence, none pending', () => {
    const r = parse(clear)
    expect(r.warnings).toEqual([])
    expect(r.fact).toEqual({
      pending: false,
      sources: [
        {
          id: 'cbs-reboot-pending',
          label: 'Component Based Servicing: RebootPending',
          pending: false,
          detail: `${CBS}\\RebootPending does not exist.`,
        },
        {
          id: 'cbs-reboot-in-progress',
          label: 'Component Based Servicing: RebootInProgress',
          pending: false,
          detail: `${CBS}\\RebootInProgress does not exist.`,
        },
        {
          id: 'cbs-packages-pending',
          label: 'Component Based Servicing: PackagesPending',
          pending: false,
          detail: `${CBS}\\PackagesPending does not exist.`,
        },
        {
          id: 'cbs-pending-xml',
          label: 'Pending servicing transaction (pending.xml)',
          pending: false,
          detail: '%windir%\\WinSxS\\pending.xml does not exist.',
        },
        {
          id: 'wu-reboot-required',
          label: 'Windows Update: RebootRequired',
          pending: false,
          detail: `${WU}\\Auto Update\\RebootRequired does not exist.`,
        },
        {
          id: 'wu-post-reboot-reporting',
          label: 'Windows Update: PostRebootReporting',
          pending: false,
          detail: `${WU}\\Auto Update\\PostRebootReporting does not exist.`,
        },
        {
          id: 'wu-services-pending',
          label: 'Windows Update: Services\\Pending',
          pending: false,
          detail: `${WU}\\Services\\Pending does not exist.`,
        },
        {
          id: 'pending-file-rename',
          label: 'PendingFileRenameOperations (noisy: antivirus and installers also use it)',
          pending: false,
          detail: 'PendingFileRenameOperations is empty.',
        },
        {
          id: 'pending-file-rename-2',
          label: 'PendingFileRenameOperations2 (noisy: antivirus and installers also use it)',
          pending: false,
          detail: 'PendingFileRenameOperations2 is empty.',
        },
        {
          id: 'update-exe-volatile',
          label: 'UpdateExeVolatile (legacy update.exe)',
          pending: false,
          detail: 'UpdateExeVolatile is not set.',
        },
        {
          id: 'server-manager',
          label: 'Server Manager: CurrentRebootAttempts',
          pending: false,
          detail: 'HKLM:\\SOFTWARE\\Microsoft\\ServerManager\\CurrentRebootAttempts does not exist.',
        },
        {
          id: 'domain-join',
          label: 'Domain join (Netlogon JoinDomain / AvoidSpnSet)',
          pending: false,
          detail: 'JoinDomain is not set; AvoidSpnSet is not set.',
        },
        {
          id: 'computer-rename',
          label: 'Computer rename (ActiveComputerName ≠ ComputerName)',
          pending: false,
          detail: "Active name 'PC1', name after restart 'PC1'.",
        },
        {
          id: 'dvd-reboot-signal',
          label: 'RunOnce: DVDRebootSignal (legacy)',
          pending: false,
          detail: 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce\\DVDRebootSignal does not exist.',
        },
        {
          id: 'configmgr',
          label: 'Configuration Manager client',
          pending: null,
          detail: 'No Configuration Manager client answered (normal on PCs without it).',
        },
      ],
    })
  })

  it('reads it after a byte-order mark and blank lines', () => {
    expect(parseRebootPending(`\uFEFF\r\n${JSON.stringify({ ...clear, PendingXml: true })}\r\n`).fact!.pending).toBe(
      true,
    )
  })
})

describe('parseRebootPending: each signal alone makes the machine pending', () => {
  const keys: Array<[string, string, string]> = [
    ['CbsRebootPending', 'cbs-reboot-pending', `${CBS}\\RebootPending exists.`],
    ['CbsRebootInProgress', 'cbs-reboot-in-progress', `${CBS}\\RebootInProgress exists.`],
    ['CbsPackagesPending', 'cbs-packages-pending', `${CBS}\\PackagesPending exists.`],
    ['PendingXml', 'cbs-pending-xml', '%windir%\\WinSxS\\pending.xml exists.'],
    ['WuRebootRequired', 'wu-reboot-required', `${WU}\\Auto Update\\RebootRequired exists.`],
    ['WuPostRebootReporting', 'wu-post-reboot-reporting', `${WU}\\Auto Update\\PostRebootReporting exists.`],
    ['WuServicesPending', 'wu-services-pending', `${WU}\\Services\\Pending exists.`],
    [
      'ServerManagerRebootAttempts',
      'server-manager',
      'HKLM:\\SOFTWARE\\Microsoft\\ServerManager\\CurrentRebootAttempts exists.',
    ],
    [
      'DvdRebootSignal',
      'dvd-reboot-signal',
      'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce\\DVDRebootSignal exists.',
    ],
  ]
  it('a key that exists', () => {
    let ran = 0
    for (const [field, id, detail] of keys) {
      const r = parse({ ...clear, [field]: true })
      expect(r.fact!.pending, field).toBe(true)
      expect(r.fact!.sources.filter((s) => s.pending === true).map((s) => [s.id, s.detail])).toEqual([[id, detail]])
      ran++
    }
    expect(ran).toBe(9)
  })

  it('a key not reported, or reported as something other than true/false, is unknown', () => {
    let ran = 0
    for (const [field, id] of keys) {
      for (const v of [undefined, 'true', 1]) {
        const s = source({ ...clear, [field]: v }, id)
        expect(s.pending, `${field}=${String(v)}`).toBeNull()
        expect(s.detail).toMatch(/ was not reported\.$/)
        ran++
      }
    }
    expect(ran).toBe(27)
    expect(parse({}).fact!.pending).toBe(false)
  })
})

describe('parseRebootPending: the sources with their own reading', () => {
  it('file renames come in pairs, empty names do not count, the first one is named', () => {
    expect(
      source(
        { ...clear, PendingFileRenameOperations: ['\\??\\C:\\a.tmp', '', '\\??\\C:\\b.tmp', ''] },
        'pending-file-rename',
      ),
    ).toMatchObject({
      pending: true,
      detail: '2 file operation(s) wait for a restart. First: \\??\\C:\\a.tmp',
    })
    expect(
      source({ ...clear, PendingFileRenameOperations2: ['\\??\\C:\\a', '', '\\??\\C:\\b'] }, 'pending-file-rename-2'),
    ).toMatchObject({
      pending: true,
      detail: '2 file operation(s) wait for a restart. First: \\??\\C:\\a',
    })
    expect(
      source({ ...clear, PendingFileRenameOperations: ['', '\\??\\C:\\x', 7, null] }, 'pending-file-rename').detail,
    ).toBe('1 file operation(s) wait for a restart. First: \\??\\C:\\x')
    expect(source({ ...clear, PendingFileRenameOperations: ['', ''] }, 'pending-file-rename')).toMatchObject({
      pending: false,
      detail: 'PendingFileRenameOperations is empty.',
    })
    expect(parse({ ...clear, PendingFileRenameOperations: ['', ''] }).fact!.pending).toBe(false)
    expect(source({ ...clear, PendingFileRenameOperations: 'C:\\a' }, 'pending-file-rename')).toEqual({
      id: 'pending-file-rename',
      label: 'PendingFileRenameOperations (noisy)',
      pending: null,
      detail: 'PendingFileRenameOperations was not reported.',
    })
    expect(source({}, 'pending-file-rename-2')).toEqual({
      id: 'pending-file-rename-2',
      label: 'PendingFileRenameOperations2 (noisy)',
      pending: null,
      detail: 'PendingFileRenameOperations2 was not reported.',
    })
  })

  it('UpdateExeVolatile: non-zero is pending, 0 and null are not, anything else unknown', () => {
    expect(source({ ...clear, UpdateExeVolatile: 2 }, 'update-exe-volatile')).toMatchObject({
      pending: true,
      detail: 'HKLM\\SOFTWARE\\Microsoft\\Updates\\UpdateExeVolatile = 2.',
    })
    expect(source({ ...clear, UpdateExeVolatile: 0 }, 'update-exe-volatile')).toMatchObject({
      pending: false,
      detail: 'HKLM\\SOFTWARE\\Microsoft\\Updates\\UpdateExeVolatile = 0.',
    })
    expect(source({ ...clear, UpdateExeVolatile: '1' }, 'update-exe-volatile')).toMatchObject({
      pending: null,
      detail: 'UpdateExeVolatile is not set.',
    })
    expect(source({}, 'update-exe-volatile').pending).toBeNull()
    expect(parse({ ...clear, UpdateExeVolatile: 1 }).fact!.pending).toBe(true)
  })

  it('domain join: either Netlogon value makes it pending; unknown only when neither was reported', () => {
    const cases: Array<[unknown, unknown, boolean | null, string]> = [
      [true, false, true, 'JoinDomain is set; AvoidSpnSet is not set.'],
      [false, true, true, 'JoinDomain is not set; AvoidSpnSet is set.'],
      [true, true, true, 'JoinDomain is set; AvoidSpnSet is set.'],
      [undefined, false, false, 'JoinDomain is not set; AvoidSpnSet is not set.'],
      [false, undefined, false, 'JoinDomain is not set; AvoidSpnSet is not set.'],
      [undefined, true, true, 'JoinDomain is not set; AvoidSpnSet is set.'],
      [undefined, undefined, null, 'JoinDomain is not set; AvoidSpnSet is not set.'],
    ]
    let ran = 0
    for (const [NetlogonJoinDomain, NetlogonAvoidSpnSet, pending, detail] of cases) {
      expect(
        source({ NetlogonJoinDomain, NetlogonAvoidSpnSet }, 'domain-join'),
        `${String(NetlogonJoinDomain)}/${String(NetlogonAvoidSpnSet)}`,
      ).toMatchObject({ pending, detail })
      ran++
    }
    expect(ran).toBe(7)
  })

  it('computer rename: names compared without case; unknown unless both are text', () => {
    expect(source({ ...clear, ComputerName: 'pc1' }, 'computer-rename').pending).toBe(false)
    expect(source({ ...clear, ComputerName: 'PC2' }, 'computer-rename')).toMatchObject({
      pending: true,
      detail: "Active name 'PC1', name after restart 'PC2'.",
    })
    expect(source({ ...clear, ComputerName: null }, 'computer-rename')).toMatchObject({
      pending: null,
      detail: 'The computer names were not reported.',
    })
    expect(source({ ...clear, ActiveComputerName: 5 }, 'computer-rename')).toMatchObject({
      pending: null,
      detail: 'The computer names were not reported.',
    })
  })

  it('Configuration Manager: its answer either way, unknown when no client answered', () => {
    expect(source({ ...clear, CcmRebootPending: true }, 'configmgr')).toMatchObject({
      pending: true,
      detail: 'CCM_ClientUtilities.DetermineIfRebootPending says a restart is pending.',
    })
    expect(source({ ...clear, CcmRebootPending: false }, 'configmgr')).toMatchObject({
      pending: false,
      detail: 'CCM_ClientUtilities.DetermineIfRebootPending says no restart is pending.',
    })
    expect(parse({ ...clear, CcmRebootPending: true }).fact!.pending).toBe(true)
  })
})

describe('parseRebootPending: output that is not our JSON object', () => {
  it('is refused with one plain warning', () => {
    const bad = ['', 'True', '[1,2]', '[]', 'null', '5', '"x"', 'RebootPending : True']
    let ran = 0
    for (const t of bad) {
      expect(parseRebootPending(t), t).toEqual({
        fact: null,
        warnings: ['The reboot-pending output is not the JSON object our script prints.'],
      })
      ran++
    }
    expect(ran).toBe(8)
    expect(parseRebootPending(undefined as unknown as string).fact).toBeNull()
  })
})

describe('REBOOT_PENDING_SCRIPT', () => {
  it('prints every field the parser reads, each once, from the documented keys (servicing-facts §7)', () => {
    const fields = [
      'CbsRebootPending',
      'CbsRebootInProgress',
      'CbsPackagesPending',
      'WuRebootRequired',
      'WuPostRebootReporting',
      'WuServicesPending',
      'PendingFileRenameOperations',
      'PendingFileRenameOperations2',
      'UpdateExeVolatile',
      'ServerManagerRebootAttempts',
      'NetlogonJoinDomain',
      'NetlogonAvoidSpnSet',
      'ActiveComputerName',
      'ComputerName',
      'DvdRebootSignal',
      'PendingXml',
      'CcmRebootPending',
    ]
    const lines = REBOOT_PENDING_SCRIPT.split('\n')
    expect(lines).toHaveLength(26)
    let ran = 0
    for (const f of fields) {
      expect(
        lines.filter((l) => l.startsWith(`  ${f} = `)),
        f,
      ).toHaveLength(1)
      ran++
    }
    expect(ran).toBe(17)
    for (const part of [
      '$ErrorActionPreference = "SilentlyContinue"',
      `$cbs = '${CBS}'`,
      `$wu = '${WU}'`,
      "$sm = Get-ItemProperty 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Session Manager'",
      "$nl = Get-ItemProperty 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\Netlogon'",
      '$ccm = $null',
      '-MethodName DetermineIfRebootPending',
      '[pscustomobject]@{',
      '"$cbs\\RebootPending"',
      '"$wu\\Auto Update\\RebootRequired"',
      "'HKLM:\\SOFTWARE\\Microsoft\\Updates'",
      '"$env:windir\\WinSxS\\pending.xml"',
      '} | ConvertTo-Json -Depth 3 -Compress',
    ]) {
      expect(REBOOT_PENDING_SCRIPT, part).toContain(part)
    }
  })

  it('a Configuration Manager answer that is not true/false is unknown', () => {
    expect(source({ ...clear, CcmRebootPending: 'yes' }, 'configmgr').pending).toBeNull()
    expect(source({}, 'configmgr').pending).toBeNull()
  })
})
