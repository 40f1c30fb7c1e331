/**
 * The fleet's readers: each export with its documented columns (the pages are cited in main/fleet/intake/*.ts);
 * a bad row is set aside with its row number and a reason, and the rows around it are still read.
 */
import { describe, it, expect } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { parseCsv, csvText } from '../../../main/fleet/intake/csv.ts'
import { readIntuneGraph } from '../../../main/fleet/intake/intune-graph.ts'
import { readIntuneCsv } from '../../../main/fleet/intake/intune-csv.ts'
import { readUpdateAlerts, readClientUpdateStatus } from '../../../main/fleet/intake/wufb.ts'
import { readCollectorLines, lineDiagKeys } from '../../../main/fleet/intake/collector-lines.ts'
import { readComputerList } from '../../../main/fleet/intake/computer-list.ts'
import { detectKind } from '../../../main/fleet/intake/detect.ts'
import { failureCode, isoTime } from '../../../main/fleet/intake/common.ts'
import { INTUNE_EXPORT_COLUMNS, UC_ALERT_COLUMNS } from '../../../main/fleet/training/fleet-generator.ts'

const LINE =
  'SDC1 host=PC-0001 taken=2026-11-21T10:00:00.000Z build=26100.8117 arch=AMD64 winre=enabled codes=0x800F0922 file=C:\\ProgramData\\ServicingDesk\\collector\\PC-0001.zip'

describe('CSV', () => {
  it('reads quoted fields with commas, quotes and line breaks, and a BOM', () => {
    const rows = parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n1,2,3\n')
    expect(rows.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['1', '2', '3'],
    ])
    expect(rows[2]!.line).toBe(4)
  })
  it('marks a row whose quote never closes as damaged and keeps the rows before it', () => {
    const rows = parseCsv('a,b\n1,2\n"open,3\n')
    expect(rows[1]!.damaged).toBe(false)
    expect(rows[2]!.damaged).toBe(true)
  })
  it('writes what it reads back', () => {
    const data = [
      ['DeviceName', 'Out'],
      ['PC-1', 'a "b", c'],
      ['PC-2', ' lead'],
    ]
    expect(parseCsv(csvText(data)).map((r) => r.fields)).toEqual(data)
  })
})

describe('Intune run states from Graph', () => {
  it('sets aside the documentation example, whose detection output is not a collector line and which names no device, with the reason', () => {
    const f = loadFixture('fleet/graph-devicerunstates-list.json')
    const r = readIntuneGraph(f.text)
    expect(r.observations).toEqual([])
    expect(r.rejected).toHaveLength(1)
    expect(r.rejected[0]).toMatchObject({
      row: 1,
      error: expect.stringMatching(/detection output that is not a collector line, and no device name/),
    })
  })
  it('reads a collector line with the managed device ids, and a pending device as known but silent', () => {
    const page = {
      value: [
        {
          detectionState: 'fail',
          lastStateUpdateDateTime: '2026-11-21T10:05:00Z',
          preRemediationDetectionScriptOutput: LINE,
          postRemediationDetectionScriptOutput: '',
          managedDevice: { id: 'AAAA', deviceName: 'PC-0001', azureADDeviceId: 'BBBB' },
        },
        {
          detectionState: 'pending',
          lastStateUpdateDateTime: '0001-01-01T00:00:00Z',
          preRemediationDetectionScriptOutput: '',
          managedDevice: { id: 'CCCC', deviceName: 'PC-0002', azureADDeviceId: null },
        },
        { detectionState: 42 },
      ],
    }
    const r = readIntuneGraph(JSON.stringify(page))
    expect(r.observations.map((o) => [o.device.name, o.device.aadId, o.device.intuneId, o.kind, o.codes])).toEqual([
      ['PC-0001', 'bbbb', 'aaaa', 'line', ['0x800F0922']],
      ['PC-0002', null, 'cccc', 'silent', []],
    ])
    expect(r.rejected.map((x) => x.row)).toEqual([3])
  })
  it('says so when the file is not JSON', () => {
    expect(readIntuneGraph('value,1').notes[0]).toMatch(/Not JSON/)
  })
})

describe('Intune Remediations export (CSV)', () => {
  const row = (over: Record<string, string>) => INTUNE_EXPORT_COLUMNS.map((c) => over[c] ?? '')
  it('reads the detection output (post-remediation first) and sets aside a row with too few fields', () => {
    const text = csvText([
      [...INTUNE_EXPORT_COLUMNS],
      row({
        DeviceId: 'd1',
        DeviceName: 'PC-0001',
        ModifiedTime: '2026-11-21T10:05:00Z',
        PreRemediationDetectionScriptOutput: 'old',
        PostRemediationDetectionScriptOutput: LINE,
      }),
      ['p', 'd2', 'x'],
      row({ DeviceId: 'd3', DeviceName: 'bad name!', ModifiedTime: '' }),
    ])
    const r = readIntuneCsv(text)
    expect(r.observations).toHaveLength(1)
    expect(r.observations[0]).toMatchObject({
      source: 'intune-csv',
      kind: 'line',
      device: { name: 'PC-0001', intuneId: 'd1' },
    })
    expect(r.rejected.map((x) => [x.row, x.error])).toEqual([
      [3, '3 fields where the header has 20'],
      [4, "'bad name!' is not a computer name"],
    ])
  })
  it('says which columns are missing when it is another export', () => {
    expect(readIntuneCsv('DeviceName,Status\nPC-1,ok\n').notes[0]).toMatch(
      /lacks the column\(s\) DeviceId, ModifiedTime, PreRemediationDetectionScriptOutput/,
    )
  })
})

describe('Windows Update for Business reports', () => {
  const alert = (over: Record<string, string>) => UC_ALERT_COLUMNS.map((c) => over[c] ?? '')
  it('reads UCUpdateAlert rows from the portal CSV ([UTC] columns) and from the query API JSON alike', () => {
    const base = {
      DeviceName: 'PC-0001',
      AzureADDeviceId: '71DB1A1A-F1A6-4A25-B88F-79C2F513DAE0',
      AlertStatus: 'Active',
      ErrorCode: '0x800f0922',
      'StartTime [UTC]': '2026-11-20T08:00:00Z',
      Type: 'UCUpdateAlert',
    }
    const csv = readUpdateAlerts(csvText([[...UC_ALERT_COLUMNS], alert(base)]))
    const json = readUpdateAlerts(
      JSON.stringify([{ ...base, 'StartTime [UTC]': undefined, StartTime: '2026-11-20T08:00:00Z' }]),
    )
    expect(csv.observations).toEqual(json.observations)
    expect(csv.observations[0]).toMatchObject({
      codes: ['0x800F0922'],
      status: 'active',
      at: '2026-11-20T08:00:00.000Z',
      device: { aadId: '71db1a1a-f1a6-4a25-b88f-79c2f513dae0' },
    })
  })
  it('reads the table shape the Log Analytics REST API returns', () => {
    const r = readUpdateAlerts(
      JSON.stringify({
        tables: [
          {
            name: 'PrimaryResult',
            columns: [{ name: 'DeviceName' }, { name: 'AlertStatus' }, { name: 'ErrorCode' }, { name: 'ResolvedTime' }],
            rows: [['PC-0002', 'Resolved', '-2146498270', '2026-11-22T09:00:00Z']],
          },
        ],
      }),
    )
    expect(r.observations[0]).toMatchObject({
      device: { name: 'PC-0002' },
      status: 'resolved',
      codes: ['0x800F0922'],
      at: '2026-11-22T09:00:00.000Z',
    })
  })
  it('sets aside rows it cannot use, each with its reason (a deleted alert counted as set aside), and reads UCDeviceAlert rows as alerts', () => {
    const r = readUpdateAlerts(
      csvText([
        [...UC_ALERT_COLUMNS],
        alert({
          DeviceName: 'PC-1',
          AlertStatus: 'Active',
          ErrorCode: 'oops',
          'StartTime [UTC]': '2026-11-20T08:00:00Z',
        }),
        alert({ DeviceName: '', AlertStatus: 'Active' }),
        alert({ DeviceName: 'PC-3', AlertStatus: 'Maybe', 'StartTime [UTC]': '2026-11-20T08:00:00Z' }),
        alert({ DeviceName: 'PC-4', AlertStatus: 'Deleted' }),
        alert({ DeviceName: 'PC-5', AlertStatus: 'Active', 'StartTime [UTC]': '2020/05/14 09:26:03.478 AM' }),
        alert({
          DeviceName: 'PC-6',
          AlertStatus: 'Active',
          Type: 'UCDeviceAlert',
          'StartTime [UTC]': '2026-11-20T08:00:00Z',
        }),
      ]),
    )
    expect(r.rejected.map((x) => [x.row, x.error])).toEqual([
      [2, "ErrorCode 'oops' is not a failure code"],
      [3, 'no DeviceName and no AzureADDeviceId'],
      [4, "AlertStatus 'Maybe' is not Active, Resolved or Deleted"],
      [5, 'a Deleted alert (removed by the service): not evidence of the device now'],
    ])
    expect(r.observations.map((o) => [o.device.name, o.at])).toEqual([
      ['PC-5', '2020-05-14T09:26:03.478Z'],
      ['PC-6', '2026-11-20T08:00:00.000Z'],
    ])
  })
  it('reads UCClientUpdateStatus rows as update progress', () => {
    const r = readClientUpdateStatus(
      JSON.stringify([
        {
          DeviceName: 'PC-1',
          ClientSubstate: 'UpdateInstalled',
          ClientSubstateTime: '2026-11-22T10:00:00Z',
          TargetKBNumber: 'KB5068861',
          Type: 'UCClientUpdateStatus',
        },
      ]),
    )
    expect(r.observations[0]).toMatchObject({ kind: 'status', detail: 'KB5068861 · UpdateInstalled' })
  })
})

describe('collector lines and computer lists', () => {
  it('reads lines and sets aside what is not one, by line number', () => {
    const r = readCollectorLines(`${LINE}\r\nhello\r\n\r\nSDC1 host=bad!name taken=x\r\n`)
    expect(r.observations).toHaveLength(1)
    expect(r.rejected.map((x) => [x.row, x.error])).toEqual([
      [2, 'not a collector line (one starts with "SDC1 host=")'],
      [4, 'the collector line has no valid computer name after host='],
    ])
  })
  it("carries each line's diagnosis key for the store, out of sight of its keys, its JSON and a copy of it", () => {
    const o = readCollectorLines(LINE).observations[0]!
    expect(lineDiagKeys.get(o)).toMatch(/^line:/)
    expect(Object.keys(o)).toEqual(['device', 'source', 'at', 'kind', 'line', 'codes', 'status', 'file', 'detail'])
    expect(JSON.stringify(o)).not.toContain('line:')
    expect(lineDiagKeys.get({ ...o })).toBeUndefined()
    expect(lineDiagKeys.get(structuredClone(o))).toBeUndefined()
  })
  it('reads a computer list once per name, with training machines, and sets aside names Windows refuses', () => {
    const r = readComputerList('PC-1, PC-2\n# comment\npc-1\ntraining:x64-healthy\nbad name\n')
    expect(r.names.map((n) => n.name)).toEqual(['PC-1', 'PC-2', 'training:x64-healthy'])
    expect(r.rejected).toEqual([{ row: 5, error: "'bad name' is not a computer name", raw: 'bad name' }])
  })
})

describe('the forms of times and codes', () => {
  it('reads Graph offsets, the portal format and ISO as UTC', () => {
    expect(isoTime('2017-01-01T00:02:58.4418045-08:00')).toBe('2017-01-01T08:02:58.441Z')
    expect(isoTime('2020/05/14 09:26:03.478 PM')).toBe('2020-05-14T21:26:03.478Z')
    expect(isoTime('0001-01-01T00:00:00Z')).toBeNull()
  })
  it('gives a time out of its range as Date reads it (rolled over or refused), and one in range as written', () => {
    // In range the text is given back without a Date made of it; these are what Date made of them before.
    expect(isoTime('2024/02/29 11:59:59.5 PM')).toBe('2024-02-29T23:59:59.500Z')
    expect(isoTime('2023/02/29 09:00:00.000 AM')).toBe('2023-03-01T09:00:00.000Z')
    expect(isoTime('1900/02/29 09:00:00 AM')).toBe('1900-03-01T09:00:00.000Z')
    expect(isoTime('2026/04/31 12:00:00.000 AM')).toBe('2026-05-01T00:00:00.000Z')
    expect(isoTime('2026/11/20 24:00:00.000')).toBe('2026-11-21T00:00:00.000Z')
    expect(isoTime('2026/11/20 09:60:00')).toBeNull()
    expect(isoTime('2026/13/01 09:00:00')).toBeNull()
    expect(isoTime('12/31/2026 11:00:00 PM')).toBe('2026-12-31T23:00:00.000Z')
    expect(isoTime('2026-11-20 09:00:00z')).toBe('2026-11-20T09:00:00.000Z')
  })
  it('takes the code before an extended code and refuses what is not a 32-bit failure code', () => {
    expect(failureCode('0x80070643_C3FD')).toBe('0x80070643')
    expect(failureCode('0x8326CFA2D_C3FD')).toBeNull()
    expect(failureCode('0')).toBeNull()
  })
  it('tells the exports apart by their first bytes', () => {
    expect(detectKind(loadFixture('fleet/graph-devicerunstates-list.json').text)).toBe('intune-graph')
    expect(detectKind(csvText([[...INTUNE_EXPORT_COLUMNS]]))).toBe('intune-csv')
    expect(detectKind(csvText([[...UC_ALERT_COLUMNS]]))).toBe('alerts')
    expect(detectKind(LINE)).toBe('lines')
    expect(detectKind('just text')).toBeNull()
  })
})
