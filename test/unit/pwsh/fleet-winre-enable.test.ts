/**
 * The WinRE-disabled group's fleet remediation acts only where the device's own evidence holds its precondition
 * on an emulated device whose WinRE is disabled but whose image is gone from
 * C:\Windows\System32\Recovery (where reagentc /enable takes it from), Remediate.ps1 changes nothing, says why
 * ("Not fixed: …", exit 1, so Intune reports it) and the detection still finds the device; reagentc /enable never runs.
 * The same files on the device as it is (image present) enable WinRE, verified, and the detection comes back clean.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { writeTrainingFleet } from '../../../main/fleet/training/write-fleet.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, type EmulatedPc } from '../../pwsh/harness.ts'
import { collectedProfiles, fleetWithServices } from '../fleet/fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
const pcs: EmulatedPc[] = []
afterAll(async () => {
  for (const pc of pcs) await pc.close()
}, hangMs(120_000))

describe.runIf(ps)('enabling WinRE across a fleet', { timeout: hangMs(600_000) }, () => {
  it('no image where reagentc /enable takes it: nothing changes, the script says why, the detection still finds the device; with the image: enabled, verified, clean', async () => {
    const dir = await tempDir('sd-fleet-winre-')
    const truth = (
      await writeTrainingFleet(join(dir, 'fleet'), await collectedProfiles(), { devices: 22, seed: 3, snapshots: true })
    ).devices
    const { fleet } = await fleetWithServices()
    await fleet.importPath(join(dir, 'fleet'))
    const out = join(dir, 'fix')
    const r = await fleet.buildFix('winre-disabled', out, { record: false })
    await fleet.close()
    expect(r.files).toContain('Remediate.ps1')
    const dev = truth.find((t) => t.cause === 'winre-disabled' && t.reportedAt)!
    const pc = await startEmulatedPc({ machine: dev.profile })
    pcs.push(pc)
    const work = pc.localPath('C:\\Windows\\Temp\\fleetfix')
    cpSync(out, work, { recursive: true })
    const s = pc.state()
    expect(s.winre.enabled).toBe(false)
    const before = pc.checkpoint()

    // The image is gone (removed by hand, a cleanup tool): reagentc /enable would have nothing to enable.
    pc.store.save({ ...structuredClone(s), winre: { ...s.winre, stagedImage: false } })
    const d0 = await pc.run(join(work, 'Detect.ps1'))
    expect(d0.exitCode).toBe(1)
    const rem = await pc.run(join(work, 'Remediate.ps1'))
    expect(rem.exitCode).toBe(1)
    // (PowerShell wraps the error's lines; the emulated PC's SystemRoot is a local folder.)
    expect((rem.stderr + rem.stdout).replace(/\r?\n\s*\|?\s*/g, ' ')).toMatch(
      /Not fixed: WinRE is disabled and its image is not at \S*[\\/]System32[\\/]Recovery[\\/]Winre\.wim, where reagentc \/enable takes it from; nothing was changed\./,
    )
    // Read twice (the script's check that the cause holds, then the remediation's own), never /enable.
    expect(
      rem.calls.filter((c) => c.kind === 'program' && c.tool === 'reagentc.exe').map((c) => c.args.join(' ')),
    ).toEqual(['/info', '/info'])
    expect(pc.state().winre.enabled).toBe(false)
    expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(1)

    // The device as it is: enabled and verified, then clean.
    pc.restore(before)
    const ok = await pc.run(join(work, 'Remediate.ps1'))
    expect(ok.exitCode, ok.stderr.slice(0, 800)).toBe(0)
    expect(ok.stdout).toMatch(/Verified: reagentc \/info says WinRE is enabled\. To undo: reagentc \/disable\./)
    expect(
      ok.calls.filter((c) => c.kind === 'program' && c.tool === 'reagentc.exe').map((c) => c.args.join(' ')),
    ).toEqual(['/info', '/info', '/enable', '/info'])
    expect(pc.state().winre.enabled).toBe(true)
    expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(0)
  })
})
