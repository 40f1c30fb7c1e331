/**
 * The installer-failed group (0x800F0922, an advanced installer failed) gets a fleet remediation decided on each device
 * from its own evidence. Where Task Scheduler's cache of \Microsoft\Windows\PI\SecureBootEncodeUEFI is corrupted (its
 * Tree key names a GUID with no Tasks definition), Microsoft's documented fix runs: the staged packages removed, the
 * task's cache entries kept (reg export) and deleted. On an emulated device: Detect 1 -> Remediate -> Detect 0. Where
 * CBS.log names another installer (here the EFI partition's Boot Critical Files Installer), nothing is changed and the
 * script fails naming it and what to collect next; where servicing is mid-way, it refuses with its reason (exit 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cpSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeTrainingFleet } from '../../../main/fleet/training/write-fleet.ts'
import type { FleetDevice } from '../../../main/fleet/training/fleet-generator.ts'
import { INSTALLER_FIX_DIR } from '../../../main/fleet/fix.ts'
import { SECURE_BOOT_ENCODE_TREE_KEY, taskGuidKeys } from '../../../main/machine/task-cache.ts'
import { HEALTHY_TASK, withCorruptSecureBootEncodeTask } from '../../../main/training/renderers/task-cache.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, type EmulatedPc, type ScriptRun } from '../../pwsh/harness.ts'
import { collectedProfiles, fleetWithServices } from '../fleet/fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
const pcs: EmulatedPc[] = []
let out = ''
let dev: FleetDevice
let files: string[] = []
let notes: string[] = []
beforeAll(async () => {
  if (!ps) return
  const dir = await tempDir('sd-fleet-installer-')
  const truth = (
    await writeTrainingFleet(join(dir, 'fleet'), await collectedProfiles(), { devices: 22, seed: 3, snapshots: true })
  ).devices
  // The EFI partition's devices are in the installer-failed group too (their CBS.log names the installer that failed).
  dev = truth.find((t) => t.cause === 'esp-full' && t.reportedAt)!
  const { fleet } = await fleetWithServices()
  await fleet.importPath(join(dir, 'fleet'))
  out = join(dir, 'fix')
  ;({ files, notes } = await fleet.buildFix('installer-failed', out, { record: false }))
  await fleet.close()
}, hangMs(300_000))
afterAll(async () => {
  for (const pc of pcs) await pc.close()
}, hangMs(120_000))

const said = (r: ScriptRun) => (r.stdout + r.stderr).replace(/\r?\n\s*\|?\s*/g, ' ')
const progs = (r: ScriptRun, name: string) =>
  r.calls.filter((c) => c.kind === 'program' && c.spec?.name === name).map((c) => c.args)
const STAGED = {
  identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8200.1.6',
  kb: 'KB5099001',
  title: '2026-11 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5099001)',
  at: '2030-01-02T03:04:05Z',
}

async function device(corrupt: boolean): Promise<{ pc: EmulatedPc; work: string }> {
  const pc = await startEmulatedPc({ machine: dev.profile })
  pcs.push(pc)
  if (corrupt) pc.store.save(withCorruptSecureBootEncodeTask(pc.state(), STAGED))
  const work = pc.localPath('C:\\Windows\\Temp\\fleetfix')
  cpSync(out, work, { recursive: true })
  return { pc, work }
}

describe.runIf(ps)('the installer that failed, fixed across a fleet', { timeout: hangMs(600_000) }, () => {
  it('the corrupted SecureBootEncodeUEFI task: Detect 1 -> Remediate (staged package removed, cache kept and deleted) -> Detect 0', async () => {
    expect(files).toEqual(expect.arrayContaining(['Detect.ps1', 'Remediate.ps1', 'ConfigMgr-Fix.ps1']))
    expect(notes.join(' ')).toMatch(
      /where CBS\.log names another installer, nothing is changed and Remediate\.ps1 exits 1 naming it/,
    )
    const { pc, work } = await device(true)
    expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(1)
    const ok = await pc.run(join(work, 'Remediate.ps1'))
    expect(ok.exitCode, said(ok).slice(-1500)).toBe(0)
    expect(said(ok)).toMatch(/names the SecureBootEncodeUEFI task \{5C3B5A1E-[^ ]+ with no Tasks definition/)
    expect(progs(ok, 'repair.dism-remove-package')).toEqual([
      ['/English', '/Online', '/Remove-Package', `/PackageName:${STAGED.identity}`, '/NoRestart'],
    ])
    // Kept, then deleted: Plain and the Tree key (the corrupted task has no Tasks or Maintenance entry).
    expect(progs(ok, 'tasks.reg-delete').map((a) => a[1])).toEqual([
      taskGuidKeys(HEALTHY_TASK.id)[1],
      SECURE_BOOT_ENCODE_TREE_KEY,
    ])
    expect(progs(ok, 'tasks.reg-export').map((a) => a[2])).toEqual([
      `${INSTALLER_FIX_DIR}\\Plain.reg`,
      `${INSTALLER_FIX_DIR}\\Tree.reg`,
    ])
    expect(readFileSync(pc.localPath(`${INSTALLER_FIX_DIR}\\Tree.reg`), 'utf8')).toContain(`"ID"="${HEALTHY_TASK.id}"`)
    expect(pc.acl(INSTALLER_FIX_DIR)).toMatchObject({ owner: 'S-1-5-32-544', protected: true })
    expect(said(ok)).toMatch(/Verified: the task's cache entries are deleted and no staged package is left/)
    const s = pc.state()
    expect(s.secureBootEncodeTask).toMatchObject({ tree: false, plain: false, tasks: false })
    expect(s.packages.find((p) => p.identity === STAGED.identity)).toBeUndefined()
    for (const c of ok.calls) expect(c.tool).not.toBe('shutdown.exe')
    expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(0)
  })

  it('another installer named in CBS.log: nothing changed, exit 1 naming it and what to collect next', async () => {
    const { pc, work } = await device(false)
    expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(1)
    const r = await pc.run(join(work, 'Remediate.ps1'))
    expect(r.exitCode, said(r).slice(-1500)).toBe(1)
    expect(said(r)).toMatch(/Not fixed: the installer that failed on this PC is 'Boot Critical Files Installer'/)
    expect(said(r)).toMatch(/Next: collect this PC/)
    expect([progs(r, 'repair.dism-remove-package'), progs(r, 'tasks.reg-delete')]).toEqual([[], []])
  })

  it('refuses with its reason where servicing is mid-way (exit 1, nothing removed or deleted)', async () => {
    const { pc, work } = await device(true)
    const start = pc.checkpoint()
    const refused = async (change: (s: ReturnType<EmulatedPc['state']>) => void, why: RegExp) => {
      pc.restore(start)
      const s = structuredClone(pc.state())
      change(s)
      pc.store.save(s)
      expect((await pc.run(join(work, 'Detect.ps1'))).exitCode).toBe(1)
      const r = await pc.run(join(work, 'Remediate.ps1'))
      expect([r.exitCode, progs(r, 'repair.dism-remove-package'), progs(r, 'tasks.reg-delete')], said(r)).toEqual([
        1,
        [],
        [],
      ])
      expect(said(r)).toMatch(why)
      expect(pc.state().secureBootEncodeTask).toMatchObject({ tree: true })
    }
    await refused((s) => {
      s.reboot.cbsRebootInProgress = true
    }, /Not run: Windows is in the middle of servicing on this PC \(Component Based Servicing\\RebootInProgress is set\)/)
    await refused((s) => {
      for (const v of s.services) if (v.name === 'TrustedInstaller') v.status = 'Running'
    }, /TrustedInstaller \(Windows Modules Installer\) is running/)
  })
})
