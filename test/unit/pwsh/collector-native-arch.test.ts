/**
 * The collector line's `arch=` is the PC's native architecture, not the process's: an x64 PowerShell emulated on an
 * ARM64 PC sees AMD64 in its own environment and no PROCESSOR_ARCHITEW6432 (WOW64 sets that only for 32-bit x86
 * processes), so the line read the environment and said AMD64 — and the fleet gave that device x64 packages. The
 * machine-wide value (HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment, PROCESSOR_ARCHITECTURE) is
 * the native one whatever the process. Run on the training machine of that shape (arm64-missing-checkpoint: native
 * ARM64, PowerShell x64) and on an x64 one.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, type EmulatedPc } from '../../pwsh/harness.ts'
import { collectorScript } from '../../../main/collector/collector-script.ts'
import { remediationScript, deviceSidePlan } from '../../../main/fleet/fix.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
const pcs: EmulatedPc[] = []
afterAll(async () => {
  for (const pc of pcs) await pc.close()
}, hangMs(120_000))

describe.runIf(ps)('the collector line names the native architecture', { timeout: hangMs(600_000) }, () => {
  it.each([
    ['arm64-missing-checkpoint', 'ARM64'],
    ['x64-healthy', 'AMD64'],
  ])('%s: arch=%s', async (machine, arch) => {
    const dir = tempDirSync('sd-native-arch-')
    const script = join(dir, 'Collect.ps1')
    writeFileSync(script, collectorScript({ version: '0.0.0-test' }))
    const pc = await startEmulatedPc({ machine })
    pcs.push(pc)
    const s = pc.state()
    const run = await pc.run(script, ['-OutFile', join(pc.root, 'c.zip'), '-Line'])
    expect(run.exitCode, run.stderr.slice(0, 500)).toBe(0)
    const line = run.stdout.split(/\r?\n/).find((l) => l.startsWith('SDC1 '))!
    expect(line).toContain(` arch=${arch} `)
    // A remediation planned for this PC's build and native architecture runs its guard through (the guard reads the
    // native architecture the same way): it reaches the cause's check, which here says the device does not have it.
    const rem = join(dir, 'Remediate.ps1')
    writeFileSync(
      rem,
      remediationScript(
        [
          deviceSidePlan(
            'winre-enable',
            `${s.os.currentBuild}.${s.os.ubr}`,
            arch === 'ARM64' ? 'arm64' : 'x64',
            machine,
          ),
        ],
        'winre-disabled',
        ['$sddWhy = $null', '$sddCause = $true'],
      ),
    )
    const r = await pc.run(rem)
    expect(r.stdout + r.stderr).not.toMatch(/this fix was planned for build/)
    expect(r.exitCode).toBe(0)
    // Where no plan fits (another build), the device has the cause and the fix cannot run: exit 1 with the reason, so
    // Intune and ConfigMgr count a failure (it was exit 0, "Not run: no plan for build X", counted as ran).
    writeFileSync(
      rem,
      remediationScript([deviceSidePlan('winre-enable', '19045.1', 'x64', 'other')], 'winre-disabled', [
        '$sddWhy = $null',
        '$sddCause = $true',
      ]),
    )
    const other = await pc.run(rem)
    expect(other.exitCode).toBe(1)
    expect(other.stdout).toMatch(
      new RegExp(
        `Not run: this device has the cause, but no plan of this fix is for build ${s.os.currentBuild}\\.${s.os.ubr} ${arch} \\(planned for: 19045\\.1 on x64\\)`,
      ),
    )
    // Facts that could not be read: a failure that says which.
    writeFileSync(
      rem,
      remediationScript([deviceSidePlan('winre-enable', '19045.1', 'x64', 'other')], 'winre-disabled', [
        "$sddWhy = 'reagentc /info did not say the status of WinRE.'",
        '$sddCause = $null',
      ]),
    )
    const unread = await pc.run(rem)
    expect(unread.exitCode).toBe(1)
    expect(unread.stdout).toMatch(
      /Not run: whether this device has the cause "winre-disabled" could not be read: reagentc \/info did not say/,
    )
  })
})
