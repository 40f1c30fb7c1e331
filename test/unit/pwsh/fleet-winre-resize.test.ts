/**
 * KB5034441's small-recovery-partition group gets a fleet remediation (Microsoft's KB5028997 resize, read on each
 * device): on an emulated device of the group, Detect.ps1 exits 1, Remediate.ps1 resizes (reagentc /disable, diskpart,
 * reagentc /enable, verified) and Detect.ps1 exits 0. Where it must not run — BitLocker on with no recovery password
 * protector (the resize can make the PC ask for a key there would be none of) — it changes nothing, exits 1 and says
 * why; diskpart never runs.
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

describe.runIf(ps)('resizing the recovery partition across a fleet (KB5034441)', { timeout: hangMs(600_000) }, () => {
  it('BitLocker without a recovery password: nothing changes, exit 1 with the reason; otherwise Detect 1 -> Remediate -> Detect 0', async () => {
    const dir = await tempDir('sd-fleet-resize-')
    const truth = (
      await writeTrainingFleet(join(dir, 'fleet'), await collectedProfiles(), { devices: 22, seed: 3, snapshots: true })
    ).devices
    const { fleet } = await fleetWithServices()
    await fleet.importPath(join(dir, 'fleet'))
    const out = join(dir, 'fix')
    const r = await fleet.buildFix('winre-partition-too-small', out, { record: false })
    await fleet.close()
    expect(r.files).toContain('Remediate.ps1')
    const dev = truth.find((t) => t.cause === 'winre-partition-too-small' && t.reportedAt)!
    const pc = await startEmulatedPc({ machine: dev.profile })
    pcs.push(pc)
    const work = pc.localPath('C:\\Windows\\Temp\\fleetfix')
    cpSync(out, work, { recursive: true })
    const s = pc.state()
    expect(s.bitlocker.protectionStatus).toBe('On')
    const before = pc.checkpoint()

    pc.store.save({ ...structuredClone(s), bitlocker: { ...s.bitlocker, recoveryPassword: false } })
    expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(1)
    const refused = await pc.run(join(work, 'Remediate.ps1'))
    expect(refused.exitCode).toBe(1)
    expect((refused.stderr + refused.stdout).replace(/\r?\n\s*\|?\s*/g, ' ')).toMatch(
      /Not run: BitLocker protects this PC with the TPM only \(no recovery password\)\..*nothing was changed\./,
    )
    expect(
      refused.calls
        .filter(
          (c) => c.kind === 'program' && ['diskpart.exe', 'reagentc.exe'].includes(c.tool) && c.args[0] !== '/info',
        )
        .map((c) => `${c.tool} ${c.args.join(' ')}`),
    ).toEqual([])
    expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(1)

    // Protectors that cannot be read: refused for that reason (unknown is never "fine"), diskpart and reagentc never run.
    pc.restore(before)
    pc.store.save({ ...structuredClone(s), bitlocker: { ...s.bitlocker, protectorsUnread: true } })
    const unread = await pc.run(join(work, 'Remediate.ps1'))
    expect(unread.exitCode).toBe(1)
    expect((unread.stderr + unread.stdout).replace(/\r?\n\s*\|?\s*/g, ' ')).toMatch(
      /Not run: BitLocker's key protectors could not be read on this PC; nothing was changed\./,
    )
    expect(
      unread.calls
        .filter(
          (c) => c.kind === 'program' && ['diskpart.exe', 'reagentc.exe'].includes(c.tool) && c.args[0] !== '/info',
        )
        .map((c) => `${c.tool} ${c.args.join(' ')}`),
    ).toEqual([])

    pc.restore(before)
    const ok = await pc.run(join(work, 'Remediate.ps1'))
    expect(ok.exitCode, (ok.stderr + ok.stdout).slice(-1500)).toBe(0)
    expect(ok.stdout).toMatch(
      /Verified: the recovery partition has \d+ MB free and WinRE is enabled\. The Safe OS update \(KB5034441\) now installs/,
    )
    expect(
      ok.calls
        .filter(
          (c) => c.kind === 'program' && ['diskpart.exe', 'reagentc.exe'].includes(c.tool) && c.args[0] !== '/info',
        )
        .map((c) => `${c.tool} ${c.args[0]}`),
    ).toEqual(['reagentc.exe /disable', 'diskpart.exe /s', 'reagentc.exe /enable'])
    expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(0)
  })
})
