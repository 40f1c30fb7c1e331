/**
 * The Intune Remediation pair's bytes obey Microsoft's script requirements (memdocs
 * intune/device-management/tools/deploy-remediations, "Script requirements"): the scripts are encoded in UTF-8, and
 * where "Enforce script signature check" is on, UTF-8 *without* a BOM. The pair is written so both hold whatever the
 * admin sets, and Windows PowerShell 5.1 reads it the same in any code page: ASCII only (ASCII is UTF-8, and 5.1 reads a
 * BOM-less file in the ANSI code page, where ASCII means the same), no byte-order mark, CRLF line ends; the Graph body
 * carries exactly those bytes, says enforceSignatureCheck false (the scripts are not signed: with the check on, the
 * device's execution policy runs them, and Windows' default, Restricted, runs nothing unsigned), runs as SYSTEM in
 * 64-bit PowerShell, and each detection output stays under Intune's 2,048 characters (the collector line's cap).
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeTrainingFleet } from '../../../main/fleet/training/write-fleet.ts'
import { NO_PROBLEM, NOT_REPORTED } from '../../../main/fleet/cause.ts'
import { collectedProfiles, fleetWithServices } from './fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

describe("the Intune pair's bytes", () => {
  it('every group of a training fleet: Detect.ps1 and Remediate.ps1 are ASCII, without a BOM, CRLF; the Graph body carries the same bytes, unsigned and saying so', {
    timeout: hangMs(600_000),
  }, async () => {
    const dir = await tempDir('sd-intune-bytes-')
    await writeTrainingFleet(join(dir, 'fleet'), await collectedProfiles(), { devices: 22, seed: 3, snapshots: true })
    const { fleet } = await fleetWithServices()
    await fleet.importPath(join(dir, 'fleet'))
    let pairs = 0
    let detections = 0
    for (const g of await fleet.store.groups()) {
      if (g.cause === NO_PROBLEM || g.cause === NOT_REPORTED) continue
      const out = join(dir, 'fix', g.cause)
      const r = await fleet.buildFix(g.cause, out, { record: false })
      for (const name of ['Detect.ps1', 'Remediate.ps1'].filter((n) => r.files.includes(n))) {
        const bytes = readFileSync(join(out, name))
        expect([...bytes.subarray(0, 3)], `${g.cause} ${name} starts with a BOM`).not.toEqual([0xef, 0xbb, 0xbf])
        const high = [...bytes.entries()].filter(
          ([, b]) => b > 0x7e || (b < 0x20 && b !== 0x0d && b !== 0x0a && b !== 0x09),
        )
        expect(
          high.slice(0, 3).map(([i]) => bytes.subarray(Math.max(0, i - 40), i + 10).toString('latin1')),
          `${g.cause} ${name}: bytes outside printable ASCII`,
        ).toEqual([])
        expect(/(?<!\r)\n/.test(bytes.toString('latin1')), `${g.cause} ${name}: a bare LF`).toBe(false)
        if (name === 'Detect.ps1') detections++
      }
      // Who runs what, said truly: FanOut runs Remediate.ps1 as the connecting administrator, not as SYSTEM.
      if (r.files.includes('Remediate.ps1'))
        expect(readFileSync(join(out, 'Remediate.ps1'), 'latin1')).toMatch(
          /Intune and ConfigMgr run it as SYSTEM; FanOut\.ps1 \(Invoke-Command\) runs it as the administrator who connects,\r\n {2}not as SYSTEM\./,
        )
      expect(readFileSync(join(out, 'FanOut.ps1'), 'utf8')).toMatch(
        /The remediation runs as the account you connect with \(an administrator of each computer\), not as SYSTEM\./,
      )
      if (r.files.includes('intune-remediation.json')) {
        const body = JSON.parse(readFileSync(join(out, 'intune-remediation.json'), 'utf8'))
        expect(Buffer.from(body.detectionScriptContent, 'base64').equals(readFileSync(join(out, 'Detect.ps1')))).toBe(
          true,
        )
        expect(
          Buffer.from(body.remediationScriptContent, 'base64').equals(readFileSync(join(out, 'Remediate.ps1'))),
        ).toBe(true)
        expect([body.enforceSignatureCheck, body.runAs32Bit, body.runAsAccount]).toEqual([false, false, 'system'])
        pairs++
      }
    }
    await fleet.close()
    expect(detections).toBeGreaterThan(5)
    expect(pairs).toBeGreaterThan(3)
  })
})
