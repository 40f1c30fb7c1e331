/**
 * `fleet training` writes its files a slice of devices at a time (made whole, 200,000 devices' files took 1.6 GB):
 * the same bytes as each file's text made at once, whatever the slice.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { TRAINING_SCRIPT_ID, writeTrainingFleet } from '../../../main/fleet/training/write-fleet.ts'
import {
  alertsCsv,
  alertsJson,
  graphRunStates,
  intuneExportCsv,
  makeFleet,
  updateAlerts,
} from '../../../main/fleet/training/fleet-generator.ts'
import { collectedProfiles } from './fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'

describe('the training fleet written a slice at a time', () => {
  it.each([
    [23, 5, 2],
    [23, 50, 1],
    [7, 1, 3],
    [1, 5_000, 1],
  ])('%i devices in slices of %i (%i alerts a device): each file the same as made whole', async (n, slice, per) => {
    const profiles = await collectedProfiles()
    const dir = await tempDir('sd-fleet-stream-')
    const r = await writeTrainingFleet(dir, profiles, { devices: n, seed: 9, slice, alertsPerDevice: per })
    const devices = makeFleet(profiles, { devices: n, seed: 9 })
    expect(r.devices).toEqual(devices)
    const alerts = updateAlerts(devices, { perDevice: per })
    const whole: Record<string, string> = {
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
    expect(r.files.sort()).toEqual(Object.keys(whole).sort())
    for (const [name, text] of Object.entries(whole)) expect(readFileSync(join(dir, name), 'utf8'), name).toBe(text)
    JSON.parse(readFileSync(join(dir, 'intune-runstates.json'), 'utf8'))
  })
})
