/**
 * The missing-checkpoint group gets a fleet remediation: the branch's checkpoint (KB5043080) looked up in the Catalog
 * when the fix is built (here the local training Catalog on 127.0.0.1, which the test starts), fetched on the device
 * from the Catalog's file host (or taken from beside the script, as a Win32 app or ConfigMgr package carries it),
 * checked against its published hashes in a folder only administrators and SYSTEM can write, and given to DISM by its
 * full path. On an emulated device of the group: Detect 1 -> Remediate -> Detect 0 (the checkpoint installed, pending
 * the restart the admin schedules; after it, installed). Where it must not run — servicing waiting for a restart,
 * another architecture or build, no published hash, a host that is not the Catalog's, a carried file whose hash is
 * wrong — it installs nothing, exits 1 and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeTrainingFleet } from '../../../main/fleet/training/write-fleet.ts'
import type { FleetDevice } from '../../../main/fleet/training/fleet-generator.ts'
import { startLocalCatalog, type LocalCatalog } from '../../../main/catalog/local-catalog/server.ts'
import { catalogPackage } from '../../../main/fleet-wiring.ts'
import { deviceSidePlan, intuneScriptText, remediationScript, type FleetPackage } from '../../../main/fleet/fix.ts'
import { causeTestBlock } from '../../../main/fleet/detect-cause.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, type EmulatedPc, type ScriptRun } from '../../pwsh/harness.ts'
import { collectedProfiles, fleetWithServices } from '../fleet/fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
const pcs: EmulatedPc[] = []
let catalog: LocalCatalog | null = null
let dir = ''
let out = ''
let dev: FleetDevice
let notes: string[] = []
beforeAll(async () => {
  if (!ps) return
  catalog = await startLocalCatalog()
  dir = await tempDir('sd-fleet-checkpoint-')
  const truth = (
    await writeTrainingFleet(join(dir, 'fleet'), await collectedProfiles(), { devices: 22, seed: 3, snapshots: true })
  ).devices
  dev = truth.find((t) => t.cause === 'missing-checkpoint' && t.reportedAt)!
  const { fleet } = await fleetWithServices(undefined, { catalogUrl: catalog.baseUrl })
  await fleet.importPath(join(dir, 'fleet'))
  out = join(dir, 'fix')
  notes = (await fleet.buildFix('missing-checkpoint', out, { record: false })).notes
  await fleet.close()
}, hangMs(300_000))
afterAll(async () => {
  for (const pc of pcs) await pc.close()
  await catalog?.close()
}, hangMs(120_000))

const WORK = 'C:\\ProgramData\\ServicingDesk\\fleet\\checkpoint\\KB5043080-arm64'
const said = (r: ScriptRun) => (r.stdout + r.stderr).replace(/\r?\n\s*\|?\s*/g, ' ')
const installs = (r: ScriptRun) =>
  r.calls.filter((c) => c.kind === 'program' && c.spec?.name === 'install.dism-add-package').map((c) => c.args)

async function device(): Promise<{ pc: EmulatedPc; work: string }> {
  const pc = await startEmulatedPc({ machine: dev.profile })
  pcs.push(pc)
  const work = pc.localPath('C:\\Windows\\Temp\\fleetfix')
  cpSync(out, work, { recursive: true })
  return { pc, work }
}

describe.runIf(ps)('installing the missing checkpoint across a fleet', { timeout: hangMs(600_000) }, () => {
  it('Detect 1 -> Remediate (fetched from the Catalog, hash-checked, DISM) -> Detect 0; the restart finishes it', async () => {
    expect(readFileSync(join(out, 'Remediate.ps1'), 'utf8')).toContain('windows11.0-kb5043080-arm64_')
    expect(notes.join(' ')).toMatch(
      /windows11\.0-kb5043080-arm64_[0-9a-f]{40}\.msu, fetched on each device from 127\.0\.0\.1:\d+ and checked against its published SHA-256 and SHA-1/,
    )
    const { pc, work } = await device()
    expect(pc.state().os.nativeArch).toBe('arm64')
    expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(1)
    const before = catalog!.stats.requests.length
    const ok = await pc.run(join(work, 'Remediate.ps1'))
    expect(ok.exitCode, said(ok).slice(-1500)).toBe(0)
    expect(said(ok)).toMatch(/Fetching the checkpoint from the Microsoft Update Catalog: http:\/\/127\.0\.0\.1:\d+\//)
    expect(said(ok)).toMatch(
      /Checked: windows11\.0-kb5043080-arm64_[0-9a-f]{40}\.msu matches the hashes the Catalog published/,
    )
    expect(said(ok)).toMatch(/Verified: the checkpoint KB5043080 is InstallPending\. Restart the PC to finish it/)
    // Fetched on the device (the file's bytes went to it), not on the PC that built the fix.
    expect(catalog!.stats.requests.slice(before).map((r) => r.method)).toContain('GET')
    expect(installs(ok)).toEqual([
      [
        '/English',
        '/Online',
        '/Add-Package',
        expect.stringMatching(
          /^\/PackagePath:C:\\ProgramData\\ServicingDesk\\fleet\\checkpoint\\KB5043080-arm64\\windows11\.0-kb5043080-arm64_[0-9a-f]{40}\.msu$/,
        ),
        '/NoRestart',
      ],
    ])
    for (const c of ok.calls) expect(c.tool).not.toBe('shutdown.exe')
    expect(pc.acl(WORK)).toMatchObject({ owner: 'S-1-5-32-544', protected: true })
    // Installed, waiting for the restart: the checkpoint is no longer missing (the restart is the pending-restart group's).
    expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(0)
    // Run again (Invoke-Command runs it without Intune's detection first): nothing to do, nothing installed twice.
    const again = await pc.run(join(work, 'Remediate.ps1'))
    expect([again.exitCode, installs(again)]).toEqual([0, []])
    expect(again.stdout).toMatch(/Not run: this device does not have the cause "missing-checkpoint" now/)
    await pc.restart()
    expect(pc.state().packages.find((p) => p.kb === 'KB5043080')).toMatchObject({ state: 'Installed' })
    expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(0)
  })

  it('carried beside the script (a Win32 app or ConfigMgr package): used after its hash is checked; a wrong copy installs nothing', async () => {
    const { pc, work } = await device()
    const name = /\$sdName = '([^']+)'/.exec(readFileSync(join(out, 'Remediate.ps1'), 'utf8'))![1]!
    const cp = catalog!.updates.find((u) => u.kb === 'KB5043080' && u.arch === 'arm64')!.files[0]!
    const bytes = Buffer.from(await (await fetch(`${catalog!.baseUrl}${cp.path}`)).arrayBuffer())
    const start = pc.checkpoint()

    writeFileSync(join(work, name), Buffer.concat([bytes.subarray(0, 1000), Buffer.from('x')]))
    const bad = await pc.run(join(work, 'Remediate.ps1'))
    expect(bad.exitCode).toBe(1)
    expect(said(bad)).toMatch(
      /Not run: windows11\.0-kb5043080-arm64_\S+ has SHA-256 [0-9A-F]{64}, the Catalog published [0-9A-F]{64}; it was deleted and nothing was installed\./,
    )
    expect(installs(bad)).toEqual([])
    expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(1)

    pc.restore(start)
    writeFileSync(join(work, name), bytes)
    const before = catalog!.stats.requests.length
    const ok = await pc.run(join(work, 'Remediate.ps1'))
    expect(ok.exitCode, said(ok).slice(-1500)).toBe(0)
    expect(said(ok)).toMatch(/The checkpoint comes with this package: windows11\.0-kb5043080-arm64_/)
    expect(catalog!.stats.requests.length).toBe(before)
    expect(installs(ok)).toHaveLength(1)
    expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(0)
    rmSync(join(work, name))
  })

  it('refuses with its reason (exit 1, nothing installed): servicing waiting for a restart, another architecture or build', async () => {
    const { pc, work } = await device()
    const start = pc.checkpoint()
    const refused = async (change: (s: ReturnType<EmulatedPc['state']>) => void, why: RegExp) => {
      pc.restore(start)
      const s = structuredClone(pc.state())
      change(s)
      pc.store.save(s)
      expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(1)
      const r = await pc.run(join(work, 'Remediate.ps1'))
      expect([r.exitCode, installs(r)], said(r).slice(-800)).toEqual([1, []])
      expect(said(r)).toMatch(why)
      expect(said(r)).not.toMatch(/Verified/)
    }
    await refused((s) => {
      s.reboot.cbsRebootPending = true
    }, /Not run: Windows servicing is in the middle of an operation that waits for a restart \(CbsRebootPending[^)]*\).*Nothing was installed\./)
    await refused((s) => {
      s.os.nativeArch = 'x64'
      s.os.processArch = 'x64'
    }, /Not run: this device has the cause, but no plan of this fix is for build 26100\.1150 AMD64 \(planned for: 26100\.1150 on ARM64\)/)
    await refused((s) => {
      s.os.ubr = 1200
    }, /Not run: this device has the cause, but no plan of this fix is for build 26100\.1200 ARM64/)
  })

  it('refuses with its reason where the fix has no published hash or names a host that is not the Catalog’s', async () => {
    const { pc, work } = await device()
    const pk = (await catalogPackage('KB5043080', 'arm64', { url: catalog!.baseUrl }, dir, '1.0.0'))!
    const script = (p: FleetPackage) => {
      const plan = deviceSidePlan('install-checkpoint', dev.build, 'ARM64', 'x')
      plan.package = p
      return intuneScriptText(
        remediationScript([plan], 'missing-checkpoint', causeTestBlock('missing-checkpoint', { builds: [dev.build] })!),
      )
    }
    const run = async (text: string) => {
      const f = join(work, `Remediate-${Math.random().toString(36).slice(2)}.ps1`)
      writeFileSync(f, text)
      return pc.run(f)
    }
    const before = catalog!.stats.requests.length
    const noHash = await run(script({ ...pk, sha1: null, sha256: null }))
    expect([noHash.exitCode, installs(noHash)]).toEqual([1, []])
    expect(said(noHash)).toMatch(
      /Not run: the Catalog published no hash for windows11\.0-kb5043080-arm64_\S+, so a fetched copy could not be checked; nothing was installed\./,
    )
    const foreign = await run(script({ ...pk, url: 'https://downloads.example.com/windows11.0-kb5043080-arm64.msu' }))
    expect([foreign.exitCode, installs(foreign)]).toEqual([1, []])
    expect(said(foreign)).toMatch(
      /Not run: the checkpoint is fetched only from the Catalog's file hosts \(https:\/\/catalog\.s\.download\.windowsupdate\.com, .*\), not from downloads\.example\.com; nothing was installed\./,
    )
    const none = await run(
      (() => {
        const plan = deviceSidePlan('install-checkpoint', dev.build, 'ARM64', 'x')
        plan.package = null
        plan.packageProblem = 'the Microsoft Update Catalog lists no KB5043080 file for arm64'
        return remediationScript(
          [plan],
          'missing-checkpoint',
          causeTestBlock('missing-checkpoint', { builds: [dev.build] })!,
        )
      })(),
    )
    expect([none.exitCode, installs(none)]).toEqual([1, []])
    expect(said(none)).toMatch(
      /Not run: the Microsoft Update Catalog lists no KB5043080 file for arm64; nothing was installed\./,
    )
    expect(catalog!.stats.requests.length).toBe(before)
  })
})
