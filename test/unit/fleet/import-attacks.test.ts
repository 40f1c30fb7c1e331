/**
 * Each attack on `fleet import` as a test that was red on the code before it.
 * Readers in linear time (a 100 KB cell of blanks), size and type checked before a byte is read, no link followed
 * out of the folder, observations and device states committed together, a future `taken=` refused, identity from
 * the source that vouches for the device, line fields read as known values, report cells that a spreadsheet in a
 * `;`-separated locale cannot run.
 * CPU time is bounded (test/unit/cpu-time.ts), never wall time.
 */
import { describe, it, expect } from 'vitest'
import { join } from 'node:path'
import { writeFileSync, symlinkSync, openSync, ftruncateSync, closeSync, mkdirSync } from 'node:fs'
import { withinCpu } from '../cpu-time.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { createFleet } from '../../../main/fleet/fleet-service.ts'
import { FleetStore } from '../../../main/fleet/store.ts'
import { isoTime } from '../../../main/fleet/intake/common.ts'
import { readCollectorLines, lineObservation } from '../../../main/fleet/intake/collector-lines.ts'
import { readUpdateAlerts } from '../../../main/fleet/intake/wufb.ts'
import { readIntuneCsv } from '../../../main/fleet/intake/intune-csv.ts'
import { readIntuneGraph } from '../../../main/fleet/intake/intune-graph.ts'
import { parseCollectorLines } from '../../../main/parse/collector-line.ts'
import { fleetReportCsv } from '../../../main/fleet/report.ts'
import { csvText } from '../../../main/fleet/intake/csv.ts'
import { writeZip } from '../../../main/collector/zip.ts'

const LINE = (host: string, over = '') =>
  `SDC1 host=${host} taken=2026-11-21T10:00:00.000Z build=26100.8117 arch=AMD64 winre=enabled codes=0x800F0922 file=C:\\x\\${host}.zip${over}`
const ALERT_HEADER = [
  'TenantId',
  'DeviceName',
  'AzureADDeviceId',
  'AlertStatus',
  'AlertClassification',
  'AlertSubtype',
  'ErrorCode',
  'StartTime',
  'TimeGenerated',
]
const alertRow = (name: string) => [
  't',
  name,
  '11111111-2222-3333-4444-555555555555',
  'Active',
  'Error',
  'InstallFailure',
  '0x80070002',
  '2026-11-20T08:00:00Z',
  '2026-11-20T09:00:00Z',
]

function fleetIn() {
  const home = tempDirSync('sd-fleet-attack-')
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

describe('the fleet readers read in linear time', () => {
  const blanks = ' '.repeat(100_000)
  it('a time cell of 100 KB (a date, 100,000 blanks, a letter)', () => {
    expect(withinCpu(1000, () => isoTime(`2026-11-20 10:00${blanks}x`))).toBeNull()
    expect(withinCpu(1000, () => isoTime(`11/20/2026 10:00${blanks}x`))).toBeNull()
  })
  it('a collector line whose taken= runs 100 KB', () => {
    const r = withinCpu(1000, () =>
      readCollectorLines(`SDC1 host=PC-1 taken=2026-11-20 10:00${blanks}x build=26100.1 arch=AMD64`),
    )
    expect(r.observations).toEqual([])
    expect(r.rejected).toHaveLength(1)
  })
  it('an update alert export whose header cell and time cell run 100 KB', () => {
    const text = csvText([
      [...ALERT_HEADER, `X${blanks}`],
      [...alertRow('PC-1').slice(0, 7), `2026-11-20 10:00${blanks}x`, `2026-11-20 10:00${blanks}x`, 'y'],
    ])
    const r = withinCpu(1000, () => readUpdateAlerts(text))
    expect(r.observations).toEqual([])
    expect(r.rejected[0]?.error).toMatch(/time/i)
  })
})

describe('fleet import checks size and type before reading', () => {
  it('refuses a device (/dev/zero) without reading it', async () => {
    const { fleet } = fleetIn()
    try {
      await expect(fleet.importPath('/dev/zero', { kind: 'alerts' })).rejects.toThrow(/not a regular file/)
    } finally {
      await fleet.close()
    }
  })
  it('refuses a file larger than any export before reading it (a 3 GB sparse file)', async () => {
    const { home, fleet } = fleetIn()
    const f = join(home, 'alerts.csv')
    const fd = openSync(f, 'w')
    ftruncateSync(fd, 3 * 1024 ** 3)
    closeSync(fd)
    try {
      await expect(fleet.importPath(f, { kind: 'alerts' })).rejects.toThrow(/larger than/)
    } finally {
      await fleet.close()
    }
  })
})

describe('fleet import of a folder follows no link out of it', () => {
  it('sets aside a .zip linked to /dev/zero and an export linked from elsewhere, and reads the rest', async () => {
    const { home, fleet } = fleetIn()
    const outside = join(home, 'outside')
    const dir = join(home, 'drop')
    mkdirSync(outside)
    mkdirSync(dir)
    writeFileSync(join(outside, 'secret.csv'), csvText([ALERT_HEADER, alertRow('OUTSIDE-1')]))
    symlinkSync(join(outside, 'secret.csv'), join(dir, 'alerts.csv'))
    symlinkSync('/dev/zero', join(dir, 'big.zip'))
    symlinkSync(outside, join(dir, 'sub'))
    writeFileSync(join(dir, 'lines.txt'), `${LINE('PC-1')}\r\n`)
    try {
      const sum = await fleet.importPath(dir)
      expect(sum.devices).toBe(1)
      const notes =
        sum.files.flatMap((x) => x.notes.map((n) => `${x.file}: ${n}`)).join('\n') +
        sum.rejected.map((r) => `${r.file} ${r.error}`).join('\n')
      for (const n of ['alerts.csv', 'big.zip', 'sub']) expect(notes).toMatch(new RegExp(`${n}.*link`))
      expect(await fleet.store.device('OUTSIDE-1')).toBeNull()
    } finally {
      await fleet.close()
    }
  })
})

describe('observations and device states are committed together', () => {
  it('a store killed between the observations and the states shows every device when opened again', async () => {
    const file = join(tempDirSync('sd-fleet-kill-'), 'fleet.sqlite')
    const a = new FleetStore(file)
    await a.addObservations(readCollectorLines([LINE('PC-1'), LINE('PC-2')].join('\n')).observations, {
      file: 'a',
      kind: 'lines',
      rejected: [],
    })
    await a.refresh()
    // The next import's observations are committed; the process dies before the states are worked out again.
    await a.addObservations(readCollectorLines([LINE('PC-3'), LINE('PC-4'), LINE('PC-5')].join('\n')).observations, {
      file: 'b',
      kind: 'lines',
      rejected: [],
    })
    await a.close()
    const b = new FleetStore(file)
    try {
      const groups = await b.groups()
      expect(groups.reduce((n, g) => n + g.count, 0)).toBe(5)
      expect((await b.device('PC-5'))?.state).toBe('failing')
    } finally {
      await b.close()
    }
  })
})

describe('what a line may say', () => {
  it('a taken= time in the future is refused', () => {
    const o = lineObservation(
      LINE('PC-1').replace('2026-11-21T10:00:00.000Z', '2099-01-01T00:00:00.000Z'),
      'collector-line',
    )
    expect('error' in o && o.error).toMatch(/future/)
  })
  it('the device is the one Intune vouches for, not the host= its detection output names', () => {
    const header = [
      'PolicyId',
      'DeviceId',
      'DeviceName',
      'ModifiedTime',
      'PreRemediationDetectionScriptOutput',
      'PostRemediationDetectionScriptOutput',
      'DetectionScriptStatus',
    ]
    const csv = readIntuneCsv(
      csvText([header, ['p', 'AAAA', 'PC-0001', '2026-11-21T10:05:00Z', LINE('DC01'), '', 'Detected']]),
    )
    expect(csv.observations.map((o) => [o.device.name, o.device.intuneId])).toEqual([['PC-0001', 'aaaa']])
    const graph = readIntuneGraph(
      JSON.stringify({
        value: [
          {
            detectionState: 'fail',
            lastStateUpdateDateTime: '2026-11-21T10:05:00Z',
            preRemediationDetectionScriptOutput: LINE('DC01'),
            managedDevice: { id: 'AAAA', deviceName: 'PC-0001', azureADDeviceId: 'BBBB' },
          },
        ],
      }),
    )
    expect(graph.observations.map((o) => o.device.name)).toEqual(['PC-0001'])
  })
  it("a fan-out's lines file: the device is the computer its session reached, never the host= its line names", async () => {
    const r = readCollectorLines(
      [`computer=PC-0001 ${LINE('DC01')}`, `computer=PC-0002 ${LINE('PC-0002')}`].join('\r\n'),
    )
    expect(r.observations.map((o) => [o.device.name, o.detail])).toEqual([
      ['PC-0001', 'its line names host DC01'],
      ['PC-0002', ''],
    ])
    expect(r.notes).toEqual([])
    // A name the session could not have reached is refused with its line, not filed under the line's host=.
    const bad = readCollectorLines(`computer=PC'1;x ${LINE('DC01')}`)
    expect(bad.observations).toEqual([])
    expect(bad.rejected.map((x) => x.error)).toEqual([expect.stringMatching(/is not a computer name/)])
    // Imported into a store: DC01 is not a device of the fleet; PC-0001 is, with the line it sent.
    const { home, fleet } = fleetIn()
    writeFileSync(join(home, 'lines.txt'), `computer=PC-0001 ${LINE('DC01')}\r\n`)
    await fleet.importPath(join(home, 'lines.txt'))
    expect(await fleet.store.device('DC01')).toBeNull()
    expect((await fleet.store.device('PC-0001'))?.name).toBe('PC-0001')
    await fleet.close()
  })
  it('a bare line (nothing vouches for its name) is filed under its host=, and the import says so', () => {
    const r = readCollectorLines(LINE('PC-7'))
    expect(r.observations.map((o) => o.device.name)).toEqual(['PC-7'])
    expect(r.notes.join(' ')).toMatch(/1 line\(s\) came with no computer name from the tool that ran them/)
  })
  it('arch= and winre= are read as known values, anything else as unknown', () => {
    const [l] = parseCollectorLines(
      `SDC1 host=PC-1 taken=2026-11-21T10:00:00.000Z build=26100.1 arch==cmd|'/c calc'!A0 winre=<b>x</b> codes=`,
    )
    expect([l?.arch, l?.winre]).toEqual([null, null])
    const [m] = parseCollectorLines(
      'SDC1 host=PC-1 taken=2026-11-21T10:00:00.000Z build=26100.1 arch=amd64 winre=Disabled codes=',
    )
    expect([m?.arch, m?.winre]).toEqual(['AMD64', 'disabled'])
  })
})

describe('the fleet report as CSV', () => {
  it('neutralises a formula after a ; (a spreadsheet in a ;-separated locale splits the cell there)', () => {
    const csv = fleetReportCsv({
      createdAt: 'x',
      groups: [
        {
          cause: 'c',
          title: "WinRE;=cmd|' /C calc'!A0",
          count: 1,
          share: 1,
          failing: 1,
          fixed: 0,
          cleared: 0,
          unproven: 0,
          notReported: 0,
          architectures: {},
          builds: {},
          codes: [],
          repair: null,
          evidence: [],
          unknown: [],
          why: [],
        },
      ],
      devices: [
        { name: 'PC-1', cause: 'c', state: 'failing', since: null, arch: null, build: '1;+SUM(A1)', fixedAt: null },
      ],
    })
    expect(csv).not.toMatch(/[;,]\s*[=+\-@]/)
  })
})

describe('report fields that name the device or the cause', () => {
  it("keeps the schema page's own ErrorCode example (0x8326CFA2D_C3FD) and a row with only its Entra id", () => {
    // learn.microsoft.com/windows/deployment/update/wufb-reports-schema-ucupdatealert: ErrorCode example 0x8326CFA2D_C3FD;
    // a service-side alert may have no DeviceName, its AzureADDeviceId names the device.
    const r = readUpdateAlerts(
      csvText([
        ALERT_HEADER,
        ['t', 'PC-1', '', 'Active', 'Error', 'InstallFailure', '0x8326CFA2D_C3FD', '2026-11-20T08:00:00Z', ''],
        [
          't',
          '',
          '71DB1A1A-F1A6-4A25-B88F-79C2F513DAE0',
          'Active',
          'Error',
          'InstallFailure',
          '0x80070002',
          '2026-11-20T08:00:00Z',
          '',
        ],
      ]),
    )
    expect(r.rejected).toEqual([])
    expect(r.observations.map((o) => [o.device.name, o.device.aadId, o.codes])).toEqual([
      ['PC-1', null, []],
      ['71db1a1a-f1a6-4a25-b88f-79c2f513dae0', '71db1a1a-f1a6-4a25-b88f-79c2f513dae0', ['0x80070002']],
    ])
    expect(r.observations[0]!.detail).toContain('0x8326CFA2D_C3FD')
  })
  it("reads Graph PowerShell's run states (Get-MgBeta…DeviceRunState | ConvertTo-Json in 5.1: PascalCase, /Date(ms)/)", () => {
    const ps = JSON.stringify([
      {
        DetectionState: 'fail',
        LastStateUpdateDateTime: '/Date(1763719500000)/',
        PreRemediationDetectionScriptOutput: LINE('PC-0001'),
        RemediationState: 'skipped',
        ManagedDevice: { Id: 'AAAA', DeviceName: 'PC-0001', AzureADDeviceId: 'BBBB' },
      },
    ])
    const r = readIntuneGraph(ps)
    expect(r.rejected).toEqual([])
    expect(r.observations.map((o) => [o.device.name, o.device.intuneId, o.device.aadId, o.kind])).toEqual([
      ['PC-0001', 'aaaa', 'bbbb', 'line'],
    ])
    expect(isoTime('/Date(1763719500000)/')).toBe('2025-11-21T10:05:00.000Z')
  })
  it('refuses an export .zip that unpacks past 100 times its packed size (a zip bomb) before a byte of it is unpacked', async () => {
    const { home, fleet } = fleetIn()
    const f = join(home, 'bomb.zip')
    // An Intune report's header, then 48 MB of line breaks: about 47 KB packed.
    const header =
      'PolicyId,DeviceId,DeviceName,ModifiedTime,PreRemediationDetectionScriptOutput,PostRemediationDetectionScriptOutput,DetectionScriptStatus\r\n'
    writeFileSync(
      f,
      writeZip([
        { name: 'report.csv', data: Buffer.concat([Buffer.from(header), Buffer.alloc(48 * 1024 ** 2, 0x0a)]) },
      ]),
    )
    try {
      const before = process.memoryUsage().rss
      await expect(fleet.importPath(f)).rejects.toThrow(
        /bomb\.zip: report\.csv says it unpacks to 48\.0 MB from \d+ KB \(more than 100 times its packed size, which no report is: a zip bomb\); nothing more of it was unpacked/,
      )
      // Nothing of the 48 MB was held at once (the old reader inflated the whole entry into memory first).
      expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 ** 2)
    } finally {
      await fleet.close()
    }
  })
  it("reads an export .zip's kind from the first bytes it unpacks, and unpacks no more of one it does not read", async () => {
    const { home, fleet } = fleetIn()
    const f = join(home, 'other.zip')
    const rows = Array.from(
      { length: 40_000 },
      (_, i) => `${i},${(i * 7919) % 100_003},${(i * 104_729) % 99_991}`,
    ).join('\r\n')
    writeFileSync(f, writeZip([{ name: 'sales.csv', data: Buffer.from(`Region,Units,Price\r\n${rows}\r\n`) }]))
    try {
      await expect(fleet.importPath(f)).rejects.toThrow(
        /other\.zip: sales\.csv is not a report this app reads \(its first lines have no header row it knows and no collector lines\); nothing more of it was unpacked/,
      )
    } finally {
      await fleet.close()
    }
    // A report it reads still imports from its .zip.
    const ok = fleetIn()
    const g = join(ok.home, 'intune.zip')
    const header = [
      'PolicyId',
      'DeviceId',
      'DeviceName',
      'ModifiedTime',
      'PreRemediationDetectionScriptOutput',
      'PostRemediationDetectionScriptOutput',
      'DetectionScriptStatus',
    ]
    writeFileSync(
      g,
      writeZip([
        {
          name: 'report.csv',
          data: Buffer.from(
            csvText([header, ['p', 'AAAA', 'PC-0001', '2026-11-21T10:05:00Z', LINE('PC-0001'), '', 'Detected']]),
          ),
        },
      ]),
    )
    try {
      const r = await ok.fleet.importPath(g)
      expect(r.files.map((x) => [x.kind, x.observations])).toEqual([['intune-csv', 1]])
    } finally {
      await ok.fleet.close()
    }
  })
  it('refuses a damaged .zip given as an export with what it is', async () => {
    const { home, fleet } = fleetIn()
    const f = join(home, 'export.zip')
    writeFileSync(f, Buffer.from('504b0304140000000000', 'hex'))
    try {
      await expect(fleet.importPath(f)).rejects.toThrow(
        /export\.zip is not an export \.zip this app reads: The file is too short to be a zip/,
      )
    } finally {
      await fleet.close()
    }
  })
})
