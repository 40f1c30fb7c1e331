/**
 * Writes a training fleet to a folder: what Intune, Windows Update for Business reports and the collector give for
 * the same devices, and the generator's truth. Files:
 * `intune-runstates.json` (Graph deviceRunStates page), `intune-runstates.csv` (the Remediations export),
 * `ucupdatealert.csv` and `ucupdatealert.json` (the same alert rows as the portal's CSV and the query API's JSON),
 * `lines.txt` (one -Line per reporting device), `snapshots/<device>.zip` (when asked), `truth.json`.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  alertsCsv,
  alertsJson,
  deviceArchive,
  graphRunStates,
  intuneExportCsv,
  makeFleet,
  updateAlerts,
  type CollectedProfile,
  type FleetDevice,
} from './fleet-generator.ts'

export const TRAINING_SCRIPT_ID = '1e1a5a4c-45c0-4e1d-9c4b-5e55e5a5c045'

export async function writeTrainingFleet(
  dir: string,
  collected: Map<string, CollectedProfile>,
  opts: { devices: number; seed?: number; snapshots?: boolean; alertsPerDevice?: number },
): Promise<{ devices: FleetDevice[]; files: string[] }> {
  const devices = makeFleet(collected, { devices: opts.devices, seed: opts.seed })
  await mkdir(dir, { recursive: true })
  const alerts = updateAlerts(devices, { perDevice: opts.alertsPerDevice ?? 1 })
  const files: Record<string, string> = {
    'intune-runstates.json': graphRunStates(devices, TRAINING_SCRIPT_ID),
    'intune-runstates.csv': intuneExportCsv(devices, TRAINING_SCRIPT_ID),
    'ucupdatealert.csv': alertsCsv(alerts),
    'ucupdatealert.json': alertsJson(alerts),
    'lines.txt': `${devices
      .filter((d) => d.line)
      .map((d) => d.line)
      .join('\r\n')}\r\n`,
    'truth.json': JSON.stringify(
      devices.map(({ line: _l, ...d }) => d),
      null,
      1,
    ),
  }
  for (const [n, c] of Object.entries(files)) await writeFile(join(dir, n), c, 'utf8')
  const names = Object.keys(files)
  if (opts.snapshots) {
    await mkdir(join(dir, 'snapshots'), { recursive: true })
    for (const d of devices) {
      if (!d.reportedAt) continue
      await writeFile(
        join(dir, 'snapshots', `${d.name}.zip`),
        deviceArchive(collected.get(d.profile)!, d.name, d.reportedAt),
      )
      names.push(`snapshots/${d.name}.zip`)
    }
  }
  return { devices, files: names }
}
