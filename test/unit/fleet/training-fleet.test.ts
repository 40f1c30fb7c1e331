/**
 * Many PCs, on the training fleet: the Intune run states (Graph JSON and the export's CSV), the
 * UCUpdateAlert export and the folder of collected files for the same devices give one device list with no
 * duplicates, grouped by cause as the generator's truth says for ≥ 98% of devices; a group's fix, then evidence
 * that arrives after it, moves its devices to fixed with the time.
 */
import { describe, it, expect, beforeAll } from 'vitest'
import { mkdir, writeFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeTrainingFleet } from '../../../main/fleet/training/write-fleet.ts'
import {
  deviceArchive,
  deviceLine,
  UC_ALERT_COLUMNS,
  type FleetDevice,
} from '../../../main/fleet/training/fleet-generator.ts'
import { csvText } from '../../../main/fleet/intake/csv.ts'
import { collectProfiles } from '../../../main/fleet/training/fleet-generator.ts'
import { NO_PROBLEM } from '../../../main/fleet/cause.ts'
import { collectedProfiles, fleetWithServices as fleetWithServicesOn } from './fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'
import { fleetEngines } from './fleet-engines.ts'
import { hangMs } from '../../load.ts'

let dir = ''
let truth: FleetDevice[] = []

beforeAll(async () => {
  dir = await tempDir('sd-fleet-train-')
  truth = (await writeTrainingFleet(dir, await collectedProfiles(), { devices: 110, seed: 7, snapshots: true })).devices
}, hangMs(600_000))

describe.each(fleetEngines())('on the $name store', ({ location }) => {
  const fleetWithServices = async () => fleetWithServicesOn(await location())

  describe('the training fleet imported from every source', () => {
    it('gives one device per PC and groups that match the generator for at least 98% of devices', {
      timeout: hangMs(600_000),
    }, async () => {
      const { fleet } = await fleetWithServices()
      const sum = await fleet.importPath(dir)
      expect(sum.rejected).toEqual([])
      expect(sum.files.map((f) => f.kind).sort()).toEqual(
        ['intune-csv', 'intune-graph', 'collector-line', 'snapshots', 'uc-update-alert', 'uc-update-alert'].sort(),
      )
      const devices = await fleet.store.allDevices()
      expect(devices.length).toBe(truth.length)
      expect(new Set(devices.map((d) => d.name.toUpperCase())).size).toBe(truth.length)
      const byName = new Map(devices.map((d) => [d.name, d]))
      const agree = truth.filter(
        (t) => byName.get(t.name)?.cause === (t.cause === 'none' ? NO_PROBLEM : t.cause),
      ).length
      expect(agree / truth.length).toBeGreaterThanOrEqual(0.98)
      // Grouped by cause, not by code: 0x800F0922 is two causes (a full EFI partition, a missing checkpoint), and the
      // failed install each of those devices still has is a third group they also sit in (a device under every cause).
      const groups = await fleet.store.groups()
      const with922 = groups
        .filter((g) => g.codes.includes('0x800F0922'))
        .map((g) => g.cause)
        .sort()
      expect(with922).toEqual(['esp-full', 'installer-failed', 'missing-checkpoint'])
      const esp = truth.filter((t) => t.cause === 'esp-full')
      expect(groups.find((g) => g.cause === 'esp-full')!.count).toBe(esp.length)
      for (const t of esp)
        expect((await fleet.store.device(t.name))!.causes.map((c) => c.cause)).toContain('installer-failed')
      await fleet.close()
    })

    it('keeps the same device once when a second import says the same again', async () => {
      const { fleet } = await fleetWithServices()
      await fleet.importPath(join(dir, 'intune-runstates.json'))
      const again = await fleet.importPath(join(dir, 'intune-runstates.json'))
      expect(again.files[0]!.added).toBe(0)
      await fleet.importPath(join(dir, 'ucupdatealert.csv'))
      expect((await fleet.store.allDevices()).length).toBe(truth.length)
      await fleet.close()
    })

    it('without the collected files, tells apart only what the one-line output shows and says the rest is unknown', async () => {
      const { fleet } = await fleetWithServices()
      await fleet.importPath(join(dir, 'intune-runstates.csv'))
      const groups = await fleet.store.groups()
      expect(groups.find((g) => g.cause === 'winre-disabled')?.count).toBe(
        truth.filter((t) => t.cause === 'winre-disabled').length,
      )
      expect(groups.find((g) => g.cause === 'esp-full')).toBeUndefined()
      expect(groups.find((g) => g.cause === 'installer-failed')?.unknown.join(' ')).toMatch(/collected file/)
      await fleet.close()
    })
  })

  describe('proof per device', () => {
    it('moves a group to fixed only on evidence that arrives after its fix, with the time', {
      timeout: hangMs(600_000),
    }, async () => {
      const { fleet, services } = await fleetWithServices()
      await fleet.importPath(dir)
      const out = await tempDir('sd-fleet-fix-')
      const fix = await fleet.buildFix('esp-full', out)
      expect(fix.files).toEqual(
        expect.arrayContaining(['Detect.ps1', 'Remediate.ps1', 'ConfigMgr-Fix.ps1', 'CMPivot.kql', 'FanOut.ps1']),
      )
      const group = truth.filter((t) => t.cause === 'esp-full')
      expect(fix.devices).toBe(group.length)
      // The repair run on the profile's training machine, then collected again: the line each device sends next.
      const run = await services.repairs.run({ kind: 'training', name: 'x64-efi-partition-full' }, 'free-esp-space')
      expect(['completed', 'verified']).toContain(run.status)
      const after = (await collectProfiles(services.dataDir)).get('x64-efi-partition-full')!
      const before = new Date(Date.now() - 86_400_000).toISOString()
      const later = new Date(Date.now() + 3_600_000).toISOString()
      const lines = await tempDir('sd-fleet-lines-')
      // Evidence older than the fix proves nothing.
      await writeFile(join(lines, 'old.txt'), group.map((d) => deviceLine(after, d.name, before)).join('\n'))
      await fleet.importPath(join(lines, 'old.txt'))
      expect((await fleet.store.groups()).find((g) => g.cause === 'esp-full')?.fixed).toBe(0)
      // Nor does a collected file of the fixed PC dated before the fix.
      const early = join(lines, 'early')
      await mkdir(early)
      await writeFile(join(early, `${group[0]!.name}.zip`), deviceArchive(after, group[0]!.name, before))
      await fleet.importPath(early)
      expect((await fleet.store.groups()).find((g) => g.cause === 'esp-full')?.fixed).toBe(0)
      // A later line still lists 0x800F0922 (the failed install stays in the update history until it is retried): no proof either.
      expect(deviceLine(after, group[0]!.name, later)).toContain('0x800F0922')
      await writeFile(join(lines, 'new.txt'), group.map((d) => deviceLine(after, d.name, later)).join('\n'))
      await fleet.importPath(join(lines, 'new.txt'))
      expect((await fleet.store.groups()).find((g) => g.cause === 'esp-full')?.fixed).toBe(0)
      // The collected file of half of them, after the fix: the EFI partition has room now.
      const half = group.slice(0, Math.ceil(group.length / 2))
      const files = join(lines, 'after')
      await mkdir(files)
      for (const d of half) await writeFile(join(files, `${d.name}.zip`), deviceArchive(after, d.name, later))
      await fleet.importPath(files)
      // Proven gone on each of them, with the time; a device is fixed only with nothing else left (the failed
      // install is still in its history until it is retried: cleared, not fixed).
      const g = (await fleet.store.groups()).find((x) => x.cause === 'esp-full')!
      expect(g.fixed + g.cleared).toBe(half.length)
      expect(g.failing + g.notReported).toBe(group.length - half.length)
      const d = (await fleet.store.device(half[0]!.name))!
      expect(d.causes.find((c) => c.cause === 'esp-full')).toMatchObject({
        fixedAt: later,
        why: g.cleared ? expect.stringMatching(/another problem/) : null,
      })
      const left = d.findings.filter((f) => f.state !== 'past' && f.severity !== 'info').map((f) => f.id)
      expect(left).not.toContain('esp-full')
      expect(d.state).toBe(left.length ? 'failing' : 'fixed')
      if (d.state === 'fixed') expect(d.fixedAt).toBe(later)
      // Another group's devices report again: the same devices' install still fails with 0x800F0922 (an update alert
      // export, its subtype an installation issue). The code is shared by several causes and the alert says nothing of
      // the EFI partition, which the collected file after the fix showed freed: the proof stands (newest evidence per
      // cause), and the alert adds its own cause.
      const later2 = new Date(Date.now() + 7_200_000).toISOString()
      const row = (name: string): Record<string, string> => ({
        DeviceName: name,
        AlertId: `${name}-install`,
        AlertClassification: 'Error',
        AlertType: 'ClientUpdateAlert',
        AlertSubtype: 'InstallIssue',
        AlertStatus: 'Active',
        ErrorCode: '0x800F0922',
        Description: 'There was an installation issue.',
        'StartTime [UTC]': later2,
        Type: 'UCUpdateAlert',
      })
      await writeFile(
        join(lines, 'alerts.csv'),
        csvText([[...UC_ALERT_COLUMNS], ...half.map((x) => UC_ALERT_COLUMNS.map((c) => row(x.name)[c] ?? ''))]),
      )
      await fleet.importPath(join(lines, 'alerts.csv'))
      const g2 = (await fleet.store.groups()).find((x) => x.cause === 'esp-full')!
      expect(g2.fixed + g2.cleared).toBe(half.length)
      const d2 = (await fleet.store.device(half[0]!.name))!
      expect(d2.causes.find((c) => c.cause === 'esp-full')).toMatchObject({ fixedAt: later })
      expect(d2.causes.map((c) => c.cause)).toContain('install-issue')
      await fleet.close()
    })
  })

  describe('the fix files', () => {
    it("keep Intune's limits: detection prints the collector line, no restart, full System32 paths", {
      timeout: hangMs(600_000),
    }, async () => {
      const { fleet } = await fleetWithServices()
      await fleet.importPath(dir)
      const out = await tempDir('sd-fleet-fix-')
      await fleet.buildFix('esp-full', out)
      const rem = await readFile(join(out, 'Remediate.ps1'), 'utf8')
      const det = await readFile(join(out, 'Detect.ps1'), 'utf8')
      expect(rem).not.toMatch(/shutdown|Restart-Computer/i)
      expect(rem).not.toMatch(/& '[a-z]+\.exe'/i)
      expect(rem).toContain("(Join-Path $env:SystemRoot 'System32\\mountvol.exe')")
      // Which folders to move is read on each device when it runs, never the planning PC's \EFI\HP (one forged
      // collected file named \EFI\ubuntu for the whole group); robocopy's exit code is checked.
      expect(rem).not.toMatch(/\\EFI\\HP|'HP'/)
      expect(rem).toContain('$sdBoot.Esp.Folders')
      expect(rem).toContain('if ($LASTEXITCODE -ge 8)')
      // The line always on, with no [switch] (ConfigMgr Run Scripts does not take one); the cause tested on the device
      // (the EFI partition's free space), not its failure code, which a missing checkpoint shares (0x800F0922).
      expect(det).toContain("  [string]$OutFile = ''\r\n)\r\n$Line = $true")
      const scriptParams = (t: string) => /^param\(([\s\S]*?)\r\n\)/m.exec(t)![1]!
      expect(scriptParams(det)).not.toMatch(/\[switch\]/)
      expect(det).not.toMatch(/codes=\[\^ \]\*0x800F0922|if \(\$true\)/)
      expect(det).toContain('if ($sddCause -eq $true) { exit 1 }')
      expect(scriptParams(await readFile(join(out, 'ConfigMgr-Collect.ps1'), 'utf8'))).toBe(
        "\r\n  [string]$OutFile = ''",
      )
      const kql = await readFile(join(out, 'CMPivot.kql'), 'utf8')
      expect(kql).toMatch(/^Device \| where Device == 'PC-\d+' or /m)
      expect(kql).not.toContain('0x800F0922')
      const settings = JSON.parse(await readFile(join(out, 'intune-remediation.json'), 'utf8'))
      expect(settings).toMatchObject({ runAs32Bit: false, runAsAccount: 'system' })
      await fleet.close()
    })
  })
})
