/**
 * The fleet's readers (main/fleet/intake): each export reader on mutated real-shaped exports (the training fleet's
 * files, the Graph documentation's example), as `fleet import` hands them text. Properties: total (never throws, the
 * result serialises), in time (the per-call budget: the isoTime pattern once took 39-57 s on one 100 KB cell), and
 * what it accepts is what the store may hold: failure codes as 0x + 8 hex digits, device names Windows accepts,
 * no time in the future, a row either stored or set aside with its row number.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { IntakeResult } from '../../../preload/model/fleet.ts'
import { readIntake, detectKind, INTAKE_KINDS } from '../../../main/fleet/intake/detect.ts'
import { FUTURE_SLACK_MS, validName } from '../../../main/fleet/intake/common.ts'
import { csvText } from '../../../main/fleet/intake/csv.ts'
import { INTUNE_EXPORT_COLUMNS, UC_ALERT_COLUMNS } from '../../../main/fleet/training/fleet-generator.ts'
import { textArbitrary } from '../mutate.ts'
import { target, mustSerialise, violated, timedCall, type FuzzTarget } from '../target.ts'

const LINE = (host: string, codes: string) =>
  `SDC1 host=${host} taken=2026-11-21T10:00:00.000Z build=26100.8117 arch=AMD64 winre=enabled codes=${codes} file=C:\\ProgramData\\ServicingDesk\\collector\\${host}.zip`

function fleetSeeds(): string[] {
  const graph = readFileSync(
    fileURLToPath(new URL('../../fixtures/fleet/graph-devicerunstates-list.json', import.meta.url)),
    'utf8',
  ).replace(/^#.*\r?\n/, '')
  const alert = (name: string, code: string, status: string, time: string) =>
    UC_ALERT_COLUMNS.map(
      (c) =>
        (
          ({
            DeviceName: name,
            AzureADDeviceId: '71db1a1a-f1a6-4a25-b88f-79c2f513dae0',
            AlertStatus: status,
            ErrorCode: code,
            'StartTime [UTC]': time,
            Type: 'UCUpdateAlert',
            AlertClassification: 'Error',
          }) as Record<string, string>
        )[c] ?? '',
    )
  const intune = (name: string, out: string) =>
    INTUNE_EXPORT_COLUMNS.map(
      (c) =>
        (
          ({
            DeviceId: 'aaaa',
            DeviceName: name,
            ModifiedTime: '2026-11-21T10:05:00Z',
            PreRemediationDetectionScriptOutput: out,
            DetectionScriptStatus: 'With issues',
          }) as Record<string, string>
        )[c] ?? '',
    )
  return [
    graph,
    JSON.stringify({
      value: [
        {
          detectionState: 'fail',
          lastStateUpdateDateTime: '2026-11-21T10:05:00Z',
          preRemediationDetectionScriptOutput: LINE('PC-1', '0x800F0922'),
          managedDevice: { id: 'A', deviceName: 'PC-1', azureADDeviceId: 'B' },
        },
      ],
    }),
    csvText([
      [...UC_ALERT_COLUMNS],
      alert('PC-1', '0x800f0922', 'Active', '2020/05/14 09:26:03.478 AM'),
      alert('', '0x8326CFA2D_C3FD', 'Resolved', '11/20/2026, 8:00:00.000 AM'),
    ]),
    csvText([[...INTUNE_EXPORT_COLUMNS], intune('PC-2', LINE('PC-2', '0x80070643')), intune('PC-3', '')]),
    [LINE('PC-4', '0x80073712,0x800F0922'), LINE('PC-5', ''), 'noise'].join('\r\n'),
  ]
}

const CODE = /^0x[0-9A-F]{8}$/

/** What a reader accepted is what the store may hold. */
function check(r: IntakeResult, what: string): void {
  mustSerialise(r, what)
  const latest = Date.now() + FUTURE_SLACK_MS
  for (const o of r.observations) {
    if (!o.codes.every((c) => CODE.test(c)))
      violated(`${what}: a code that is not 0x + 8 hex digits: ${o.codes.join(',')}`)
    if (!validName(o.device.name)) violated(`${what}: a device name Windows refuses: ${JSON.stringify(o.device.name)}`)
    if (!Number.isFinite(Date.parse(o.at)) || Date.parse(o.at) > latest)
      violated(`${what}: a time not believable: ${o.at}`)
  }
  for (const x of r.rejected)
    if (!Number.isInteger(x.row) || x.row < 1) violated(`${what}: a row set aside without its number: ${x.row}`)
}

export const fleetTargets: FuzzTarget<unknown>[] = [
  target('fleet/readers', 'every fleet reader on any text: total, in time, only store-worthy observations', () => ({
    arbitrary: textArbitrary(fleetSeeds()),
    run: (text: string) => {
      const kind = timedCall('detectKind', () => detectKind(text))
      for (const k of kind ? [kind] : INTAKE_KINDS)
        check(
          timedCall(`read ${k}`, () => readIntake(k, text)),
          `read ${k}`,
        )
    },
  })),
]
