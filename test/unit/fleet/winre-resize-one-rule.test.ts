/**
 * One rule, one place: the fleet's KB5028997 resize body refuses on BitLocker by the same lines every written repair
 * script runs (main/repair/whole-pc-guard.ts, from the registry's `touches` of the resize), not a copy of its own, and
 * writes its diskpart script through the writer's own file function (Write-SdTextFile), never Set-Content.
 */
import { describe, it, expect } from 'vitest'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { writeTrainingFleet } from '../../../main/fleet/training/write-fleet.ts'
import { wholePcGuardLines } from '../../../main/repair/whole-pc-guard.ts'
import { collectedProfiles, fleetWithServices } from './fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'

describe('the fleet resize body uses the shared BitLocker check and the writer', () => {
  it('Remediate.ps1 holds the whole-PC guard of winre-resize, no own BitLocker test, and no Set-Content', async () => {
    const dir = await tempDir('sd-fleet-resize-rule-')
    await writeTrainingFleet(join(dir, 'fleet'), await collectedProfiles(), { devices: 22, seed: 3, snapshots: true })
    const { fleet } = await fleetWithServices()
    await fleet.importPath(join(dir, 'fleet'))
    await fleet.buildFix('winre-partition-too-small', join(dir, 'fix'), { record: false })
    await fleet.close()
    const text = readFileSync(join(dir, 'fix', 'Remediate.ps1'), 'utf8').replace(/\r\n/g, '\n')
    const guard = wholePcGuardLines('winre-resize')
    expect(guard.some((l) => /KeyProtectorTypes/.test(l))).toBe(true)
    for (const l of guard) expect(text).toContain(l)
    // The guard's check is the only place the protectors are judged.
    // The guard's check is the only place the protectors are judged (once per group of builds the script holds).
    const judged = text.split('\n').filter((l) => /RecoveryPassword'/.test(l))
    expect(judged.length).toBeGreaterThan(0)
    const line = guard.find((l) => /RecoveryPassword'/.test(l))!
    for (const l of judged) expect(l.trim()).toBe(line.trim())
    expect(text).not.toMatch(/\bSet-Content\b[^\n]*resize-recovery/)
    expect(text).toMatch(/Write-SdTextFile 'C:\\ProgramData\\ServicingDesk\\winre' 'resize-recovery\.txt'/)
  })
})
