/**
 * Intune's feature update failures export (reportName DeviceFailuresByFeatureUpdatePolicy), its columns
 * in the order Microsoft lists them (https://learn.microsoft.com/mem/intune/fundamentals/reports-export-graph-available-reports),
 * read as it is produced (UTF-8 from the export job, UTF-16LE when an admin saved it with Windows PowerShell 5.1):
 * told apart from UCUpdateAlert by Intune's own columns (it has AlertStatus and AlertClassification too), every row
 * accounted for (stored as an update alert of its device, or set aside with file, line and why).
 */
import { describe, it, expect } from 'vitest'
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { tempDirSync } from '../temp-dirs.ts'
import { createFleet } from '../../../main/fleet/fleet-service.ts'
import { csvText } from '../../../main/fleet/intake/csv.ts'
import { FEATURE_FAILURE_COLUMNS } from '../../../main/fleet/intake/intune-reports.ts'
import { kindOfColumns } from '../../../main/fleet/intake/detect.ts'
import { readIntuneGraph } from '../../../main/fleet/intake/intune-graph.ts'
import { writeZip } from '../../../main/collector/zip.ts'
import { readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'

const POLICY = '5f2a0c1e-7b3d-4c8e-9a61-0d2f4b7c9e11'
const aad = (i: number) => `7a1b2c3d-0000-4000-8000-${String(i).padStart(12, '0')}`

/** Built from Microsoft's column list for DeviceFailuresByFeatureUpdatePolicy (the page above); 8 rows. */
function featureFailuresCsv(): { text: string; expect: { stored: string[]; refused: [number, RegExp][] } } {
  const row = (o: Record<string, string>) => FEATURE_FAILURE_COLUMNS.map((c) => o[c] ?? '')
  const base = (i: number, over: Record<string, string>) => ({
    PolicyId: POLICY,
    PolicyName: 'Windows 11 24H2 rollout',
    FeatureUpdateVersion: 'Windows 11, version 24H2',
    DeviceId: `0d9e8f7a-1111-4222-8333-${String(i).padStart(12, '0')}`,
    AADDeviceId: aad(i),
    AlertId: `alert-${i}`,
    EventDateTimeUTC: '2026-11-20T08:15:00Z',
    LastUpdatedAlertStatusDateTimeUTC: '2026-11-20T08:15:00Z',
    AlertType: 'ClientUpdateAlert',
    AlertStatus: 'Active',
    AlertClassification: 'Error',
    WindowsUpdateVersion: '10.0.22631',
    Build: '22631.4460',
    AlertMessage: 'InstallSetupError',
    AlertMessageDescription: 'Encountered an error while installing the new version of Windows.',
    AlertMessageData: '',
    Win32ErrorCode: '0xC1900101',
    RecommendedAction: 'Check the drivers on the device.',
    ExtendedRecommendedAction: '',
    StartDateTimeUTC: '2026-11-20T08:00:00Z',
    ResolvedDateTimeUTC: '',
    DeviceName: `LAP-${i}`,
    UPN: `user${i}@contoso.com`,
    ...over,
  })
  const rows = [
    base(1, {}),
    base(2, {
      AlertMessage: 'DiskFull',
      Win32ErrorCode: '0x80070070',
      AlertMessageDescription: "An operation couldn't be completed because the disk is full.",
    }),
    // The same code as a signed decimal (how a Win32 code may come out of a report's integer column).
    base(3, { Win32ErrorCode: String(0xc1900101 - 2 ** 32) }),
    base(4, { AlertStatus: 'Resolved', ResolvedDateTimeUTC: '2026-11-21T09:00:00Z' }),
    // A service-side row with no name: the Entra id names the device.
    base(5, { DeviceName: '' }),
    base(6, { AlertStatus: 'Deleted' }),
    base(7, { DeviceName: '', AADDeviceId: '' }),
    base(8, { Win32ErrorCode: 'see portal' }),
  ]
  return {
    text: csvText([[...FEATURE_FAILURE_COLUMNS], ...rows.map(row)]),
    expect: {
      stored: ['LAP-1', 'LAP-2', 'LAP-3', 'LAP-4', aad(5)],
      refused: [
        [7, /a Deleted alert/],
        [8, /no DeviceName and no AADDeviceId/],
        [9, /Win32ErrorCode 'see portal' is not a failure code/],
      ],
    },
  }
}

describe("Intune's feature update failures export", () => {
  it('is told by its own columns, not taken for UCUpdateAlert', () => {
    expect(kindOfColumns([...FEATURE_FAILURE_COLUMNS])).toBe('intune-feature-failures')
  })

  it.each([
    ['UTF-8 (the export job)', (t: string) => Buffer.from(t, 'utf8'), null],
    [
      'UTF-16LE with a BOM (Windows PowerShell 5.1)',
      (t: string) => iconv.encode(t, 'utf16le', { addBOM: true }),
      'UTF-16LE',
    ],
  ] as const)(
    'imports every row in %s: stored as update alerts or set aside with line and why',
    async (_n, encode, note) => {
      const home = tempDirSync('sd-fleet-intune-rep-')
      const fleet = createFleet({
        dataDir: home,
        appVersion: 'test',
        diagnoseFile: async () => {
          throw new Error('no collected files here')
        },
      })
      const f = join(home, 'DeviceFailuresByFeatureUpdatePolicy.csv')
      const { text, expect: want } = featureFailuresCsv()
      writeFileSync(f, encode(text))
      try {
        const sum = await fleet.importPath(f)
        expect(sum.files[0]).toMatchObject({
          kind: 'intune-report',
          observations: want.stored.length,
          rejected: want.refused.length,
        })
        if (note) expect(sum.files[0]!.notes.join(' ')).toContain(note)
        expect(sum.rejected.map((r) => [r.file, r.row, r.error])).toEqual(
          want.refused.map(([line, why]) => [f, line, expect.stringMatching(why)]),
        )
        expect(sum.files[0]!.observations + sum.files[0]!.rejected).toBe(8)
        for (const name of want.stored) {
          const d = (await fleet.store.device(name))!
          expect(d.observations.map((o) => [o.source, o.kind])).toEqual([['intune-report', 'alert']])
        }
        expect((await fleet.store.device('LAP-1'))!.observations[0]).toMatchObject({
          codes: ['0xC1900101'],
          status: 'active',
          at: '2026-11-20T08:00:00.000Z',
          detail: expect.stringContaining('InstallSetupError'),
        })
        expect((await fleet.store.device('LAP-3'))!.observations[0]!.codes).toEqual(['0xC1900101'])
        expect((await fleet.store.device('LAP-2'))!.observations[0]!.codes).toEqual(['0x80070070'])
        expect((await fleet.store.device('LAP-4'))!.observations[0]).toMatchObject({
          status: 'resolved',
          at: '2026-11-21T09:00:00.000Z',
        })
        // Each active failure is a cause from its code; the resolved one is no problem left to report.
        expect((await fleet.store.device('LAP-1'))!.state).toBe('failing')
        expect((await fleet.store.device('LAP-4'))!.state).toBe('unknown')
        expect((await fleet.store.device(aad(5)))!.aadId).toBe(aad(5))
      } finally {
        await fleet.close()
      }
    },
  )
})

describe("Intune's export .zip", () => {
  const fleetAt = () => {
    const home = tempDirSync('sd-fleet-intune-zip-')
    return {
      home,
      fleet: createFleet({
        dataDir: home,
        appVersion: 'test',
        diagnoseFile: async () => {
          throw new Error('no collected files here')
        },
      }),
    }
  }
  const leftovers = () => readdirSync(tmpdir()).filter((n) => n.startsWith('sd-fleet-zip-'))

  it('is read as the one CSV report it holds, in UTF-16LE too, every row accounted for by the zip and the entry', async () => {
    const { home, fleet } = fleetAt()
    const { text, expect: want } = featureFailuresCsv()
    const before = leftovers().length
    const f = join(home, 'DeviceFailuresByFeatureUpdatePolicy.zip')
    const entry = 'DeviceFailuresByFeatureUpdatePolicy_5f2a0c1e.csv'
    writeFileSync(f, writeZip([{ name: entry, data: iconv.encode(text, 'utf16le', { addBOM: true }) }]))
    try {
      const sum = await fleet.importPath(f)
      expect(sum.files[0]).toMatchObject({
        file: f,
        kind: 'intune-report',
        observations: want.stored.length,
        rejected: want.refused.length,
      })
      expect(sum.files[0]!.notes.join(' ')).toMatch(new RegExp(`Read ${entry} from the \\.zip\\..*UTF-16LE`))
      expect(sum.rejected.map((r) => [r.file, r.row])).toEqual(want.refused.map(([line]) => [`${f}/${entry}`, line]))
      expect((await fleet.store.device('LAP-2'))!.observations[0]!.codes).toEqual(['0x80070070'])
      // The unpacked copy is gone.
      expect(leftovers().length).toBe(before)
    } finally {
      await fleet.close()
    }
  })

  it('refuses an entry that climbs out (../), two reports, and an entry that unpacks past its stated size, naming each', async () => {
    const { home, fleet } = fleetAt()
    const { text } = featureFailuresCsv()
    const csv = Buffer.from(text, 'utf8')
    // A zip whose entry is named ../evil.csv (the name bytes changed in the local and central headers alike).
    const climb = writeZip([{ name: 'aa/evil.csv', data: csv }])
    const bytes = Buffer.from(climb.toString('latin1').split('aa/evil.csv').join('../evil.csv'), 'latin1')
    const two = writeZip([
      { name: 'a.csv', data: csv },
      { name: 'b.csv', data: csv },
    ])
    // A bomb: 32 MB of zeros whose directory says 100 bytes (inflate stops at the stated size).
    const big = writeZip([{ name: 'big.csv', data: Buffer.alloc(32 * 1024 * 1024) }])
    const bomb = Buffer.from(big)
    const cen = bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))
    bomb.writeUInt32LE(100, cen + 24)
    bomb.writeUInt32LE(100, 22)
    const cases: [string, Buffer, RegExp][] = [
      [
        'climb.zip',
        bytes,
        /climb\.zip is not an export \.zip this app reads: The zip holds an entry with an unsafe name \("\.\.\/evil\.csv"\)/,
      ],
      ['two.zip', two, /two\.zip holds 2 CSV files \(a\.csv, b\.csv\); Intune's export \.zip holds one CSV report/],
      [
        'bomb.zip',
        bomb,
        /bomb\.zip: big\.csv unpacks to more than its stated 1 KB: the file is damaged or hostile; nothing more of it was unpacked/,
      ],
    ]
    try {
      for (const [name, data, why] of cases) {
        const f = join(home, name)
        writeFileSync(f, data)
        await expect(fleet.importPath(f)).rejects.toThrow(why)
      }
      expect(await fleet.store.db.get('SELECT count(*) AS n FROM observations')).toEqual({ n: 0 })
      expect(readdirSync(home).filter((n) => n === 'evil.csv')).toEqual([])
    } finally {
      await fleet.close()
    }
  })
})

describe('detection output that is not ours', () => {
  const LINE =
    'SDC1 host=PC-0003 taken=2026-11-21T10:00:00.000Z build=26100.8117 arch=AMD64 winre=enabled codes=0x800F0922 file=C:\\x.zip'
  it("keeps the device with an admin's own script output as text, never read as a line, and shows a script error as the error", async () => {
    const home = tempDirSync('sd-fleet-foreign-')
    const fleet = createFleet({
      dataDir: home,
      appVersion: 'test',
      diagnoseFile: async () => {
        throw new Error('no collected files here')
      },
    })
    // The Remediations export (DeviceRunStatesByProactiveRemediation), its columns as the intune-csv reader documents them.
    const cols = [
      'PolicyId',
      'DeviceId',
      'UserId',
      'InternalVersion',
      'ModifiedTime',
      'PostRemediationDetectionScriptError',
      'PostRemediationDetectionScriptOutput',
      'PreRemediationDetectionScriptError',
      'PreRemediationDetectionScriptOutput',
      'RemediationScriptErrorDetails',
      'RemediationStatus',
      'DeviceName',
      'OSVersion',
      'UPN',
      'UserEmail',
      'UserName',
      'DetectionStatus',
      'UniqueKustoKey',
      'DetectionScriptStatus',
      'RemediationScriptStatus',
    ]
    const row = (o: Record<string, string>) => cols.map((c) => o[c] ?? '')
    const f = join(home, 'runstates.csv')
    writeFileSync(
      f,
      iconv.encode(
        csvText([
          cols,
          row({
            DeviceId: 'i-1',
            ModifiedTime: '2026-11-21T10:05:00Z',
            PreRemediationDetectionScriptOutput: 'Compliant: BitLocker on; =HYPERLINK("x")',
            DeviceName: 'PC-0001',
            DetectionScriptStatus: 'Without issues',
          }),
          row({
            DeviceId: 'i-2',
            ModifiedTime: '2026-11-21T10:06:00Z',
            PreRemediationDetectionScriptError: "Access to the path 'C:\\Windows\\Logs' is denied.",
            DeviceName: 'PC-0002',
            DetectionScriptStatus: 'Failed',
          }),
          row({
            DeviceId: 'i-3',
            ModifiedTime: '2026-11-21T10:07:00Z',
            PreRemediationDetectionScriptOutput: LINE,
            DeviceName: 'PC-0003',
            DetectionScriptStatus: 'With issues',
          }),
          row({
            DeviceId: 'i-4',
            ModifiedTime: '2026-11-21T10:08:00Z',
            PreRemediationDetectionScriptOutput: 'SDC1 host=PC-0004 taken=2099-01-01T00:00:00.000Z codes=0x800F0922',
            DeviceName: 'PC-0004',
          }),
        ]),
        'utf16le',
        { addBOM: true },
      ),
    )
    try {
      const sum = await fleet.importPath(f)
      // Every row accounted for: three kept, our line that cannot be believed (a time in the future) set aside.
      expect(sum.files[0]).toMatchObject({ kind: 'intune-csv', observations: 3, rejected: 1 })
      expect(sum.rejected).toEqual([
        {
          file: f,
          row: 5,
          error: expect.stringMatching(
            /^detection output: the collector line is refused: the time 2099-01-01T00:00:00.000Z is in the future/,
          ),
        },
      ])
      const one = (await fleet.store.device('PC-0001'))!
      // It reported (its admin's own text): never "not reported", and no cause is read from the text.
      expect(one).toMatchObject({ cause: 'reported', state: 'unknown', findings: [] })
      expect(one.observations).toMatchObject([
        {
          kind: 'status',
          codes: [],
          line: null,
          detail: expect.stringMatching(
            /^detection Without issues; output of a detection script that is not Servicing Desk's, kept as text \(not read as a line\): Compliant: BitLocker on; =HYPERLINK/,
          ),
        },
      ])
      expect((await fleet.store.device('PC-0002'))!.observations[0]!.detail).toBe(
        "detection script error: Access to the path 'C:\\Windows\\Logs' is denied.",
      )
      expect((await fleet.store.device('PC-0003'))!.state).toBe('failing')
    } finally {
      await fleet.close()
    }
  })
  it("does the same for Graph's run states (PascalCase from Graph PowerShell): another script's output kept, scriptError shown", () => {
    const r = readIntuneGraph(
      JSON.stringify([
        {
          DetectionState: 'fail',
          LastStateUpdateDateTime: '2026-11-21T10:05:00Z',
          PreRemediationDetectionScriptOutput: 'Disk C: 3 GB free',
          ManagedDevice: { Id: 'A1', DeviceName: 'PC-0001', AzureADDeviceId: 'B1' },
        },
        {
          DetectionState: 'scriptError',
          LastStateUpdateDateTime: '2026-11-21T10:06:00Z',
          PreRemediationDetectionScriptOutput: '',
          ManagedDevice: { Id: 'A2', DeviceName: 'PC-0002', AzureADDeviceId: 'B2' },
        },
      ]),
    )
    expect(r.rejected).toEqual([])
    expect(r.observations.map((o) => [o.device.name, o.kind, o.codes, o.line])).toEqual([
      ['PC-0001', 'status', [], null],
      ['PC-0002', 'status', [], null],
    ])
    expect(r.observations[0]!.detail).toMatch(
      /^detection fail, remediation unknown; output of a detection script that is not Servicing Desk's, kept as text \(not read as a line\): Disk C: 3 GB free$/,
    )
    expect(r.observations[1]!.detail).toMatch(
      /^detection script error: Intune reports the detection script failed \(scriptError\)/,
    )
  })
})
