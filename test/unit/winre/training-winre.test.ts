import { describe, it, expect, beforeEach } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import type { TrainingState } from '../../../main/training/state.ts'
import { parseReagentc } from '../../../main/parse/reagentc.ts'
import { parseReagentXml } from '../../../main/parse/reagent-xml.ts'
import { imageVersionOf } from '../../../main/machine/probes/winre.ts'
import {
  STAGED_WINRE_WIM,
  WINRE_MOUNT_DIR,
  diskpartScriptCommand,
  dismAddPackageToWinreCommand,
  dismCleanupWinreCommand,
  dismMountWinreCommand,
  dismUnmountWinreCommand,
  dismWinreImageInfoCommand,
  reagentcDisableCommand,
  reagentcEnableCommand,
  reagentcInfoCommand,
  reagentcMountreCommand,
  reagentcUnmountreCommand,
  winreWimOnPartition,
  writeDiskpartScriptCommand,
  REAGENT_XML_PATH,
} from '../../../main/machine/winre-commands.ts'
import { resizeScript } from '../../../main/winre/repair-plan.ts'

const MB = 1024 * 1024
let dir: string
let store: TrainingStore
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sd-winre-tr-'))
  store = new TrainingStore(dir)
  return () => rmSync(dir, { recursive: true, force: true })
})
const host = (name: string) => new TrainingHost(name, store)
const state = (name: string) => store.load(name)
function edit(name: string, f: (s: TrainingState) => void): void {
  const s = store.load(name)
  f(s)
  store.save(s)
}

describe('reagentc on a training machine', () => {
  it('/info prints what the captured outputs look like and parses back', async () => {
    const r = await host('x64-winre-partition-full').run(reagentcInfoCommand)
    expect(parseReagentc(r.stdout)).toMatchObject({
      outcome: 'info',
      succeeded: true,
      info: {
        status: 'enabled',
        location: { disk: 0, partition: 4 },
        bcdId: '4a6f0c1e-cb62-11eb-8a5f-9c7bef31a0d2',
        version: null,
      },
    })
  })

  it('/info on 24H2+ also prints the WinRE version once enabled', async () => {
    const h = host('arm64-winre-disabled')
    expect(parseReagentc((await h.run(reagentcInfoCommand)).stdout).info).toMatchObject({
      status: 'disabled',
      bcdId: null,
      version: null,
    })
    expect((await h.run(reagentcEnableCommand)).exitCode).toBe(0)
    expect(parseReagentc((await h.run(reagentcInfoCommand)).stdout).info).toMatchObject({
      status: 'enabled',
      version: '10.0.26100.7297',
      location: { disk: 0, partition: 4 },
    })
  })

  it('/disable moves winre.wim to C:, frees the partition and writes a zeroed ReAgent.xml; again → "already disabled", non-zero', async () => {
    const h = host('x64-winre-partition-full')
    const before = state('x64-winre-partition-full')
    const r = await h.run(reagentcDisableCommand)
    expect(parseReagentc(r.stdout).outcome).toBe('success')
    const s = state('x64-winre-partition-full')
    expect(s.winre).toMatchObject({ enabled: false, stagedImage: true, imageOnPartition: false })
    expect(s.systemDrive.freeBytes).toBe(before.systemDrive.freeBytes - before.winre.imageSizeBytes)
    expect(s.disks[0].partitions[3].usedBytes).toBeLessThan(before.disks[0].partitions[3].usedBytes! - 400 * MB)
    expect(parseReagentXml(s.files[REAGENT_XML_PATH]).status).toBe('disabled')
    const again = await h.run(reagentcDisableCommand)
    expect(again.ok).toBe(false)
    expect(parseReagentc(again.stdout).outcome).toBe('already-disabled')
  })

  it('/enable without a staged image fails with "image not found"', async () => {
    edit('arm64-winre-disabled', (s) => {
      s.winre.stagedImage = false
    })
    const r = await host('arm64-winre-disabled').run(reagentcEnableCommand)
    expect(r.ok).toBe(false)
    expect(parseReagentc(r.stdout).outcome).toBe('image-not-found')
  })

  it('/enable with no recovery partition that has room puts WinRE on the Windows partition', async () => {
    edit('arm64-winre-disabled', (s) => {
      s.disks[0].partitions[3].usedBytes = s.disks[0].partitions[3].sizeBytes - 10 * MB
    })
    await host('arm64-winre-disabled').run(reagentcEnableCommand)
    expect(state('arm64-winre-disabled').winre).toMatchObject({ enabled: true, partitionNumber: 3 })
    const xml = parseReagentXml(state('arm64-winre-disabled').files[REAGENT_XML_PATH])
    expect(xml).toMatchObject({
      status: 'enabled',
      winreLocation: {
        path: '\\Recovery\\WindowsRE',
        offsetBytes: state('arm64-winre-disabled').disks[0].partitions[2].offsetBytes,
      },
    })
  })
})

describe('diskpart /s on a training machine', () => {
  const name = 'x64-winre-partition-full'
  it('runs the KB5028997 script: Windows −250 MB, recovery partition recreated +250 MB, formatted and typed', async () => {
    const h = host(name)
    const before = state(name)
    await h.run(reagentcDisableCommand)
    const disk = { number: 0, sizeBytes: before.disks[0].sizeBytes, partitionStyle: 'GPT' as const, partitions: [] }
    expect((await h.run(writeDiskpartScriptCommand(resizeScript(disk, 3, 4)))).ok).toBe(true)
    const r = await h.run(diskpartScriptCommand)
    expect(r.ok).toBe(true)
    expect(r.stdout).toContain('DiskPart successfully shrunk the volume by:  250 MB')
    expect(r.stdout).toContain('DiskPart successfully deleted the selected partition.')
    expect(r.stdout).toContain('DiskPart successfully formatted the volume.')
    const p = state(name).disks[0].partitions
    expect(p.find((x) => x.number === 3)!.sizeBytes).toBe(before.disks[0].partitions[2].sizeBytes - 250 * MB)
    const rec = p.find((x) => x.number === 4)!
    expect(rec).toMatchObject({
      gptType: '{de94bba4-06d1-4d40-a16a-bfd50179d6ac}',
      fileSystem: 'NTFS',
      label: 'Windows RE tools',
      sizeBytes: before.disks[0].partitions[3].sizeBytes + 250 * MB,
    })
    expect(rec.offsetBytes).toBe(before.disks[0].partitions[3].offsetBytes - 250 * MB)
  })

  it('a missing script is exit code 3; an unknown command 5; deleting a recovery partition without override 4', async () => {
    const h = host(name)
    expect((await h.run(diskpartScriptCommand)).exitCode).toBe(3)
    await h.run(writeDiskpartScriptCommand(['select disk 0', 'clean']))
    expect((await h.run(diskpartScriptCommand)).exitCode).toBe(5)
    await h.run(writeDiskpartScriptCommand(['select disk 0', 'select partition 4', 'delete partition']))
    const r = await h.run(diskpartScriptCommand)
    expect(r.exitCode).toBe(4)
    expect(r.stdout).toContain('Cannot delete a protected partition without the force protected parameter set.')
    expect(state(name).disks[0].partitions).toHaveLength(4)
  })

  it('deleting the partition while WinRE is still on it loses the image (why the repair disables first)', async () => {
    const h = host(name)
    await h.run(writeDiskpartScriptCommand(['select disk 0', 'select partition 4', 'delete partition override']))
    expect((await h.run(diskpartScriptCommand)).ok).toBe(true)
    expect(state(name).winre).toMatchObject({ enabled: true, imageOnPartition: false, stagedImage: false })
    const info = await h.run(dismWinreImageInfoCommand(winreWimOnPartition(0, 4)))
    expect(info.ok).toBe(false)
  })

  it('refuses a shrink larger than Windows can give', async () => {
    const h = host(name)
    await h.run(
      writeDiskpartScriptCommand(['select disk 0', 'select partition 3', 'shrink desired=900000 minimum=900000']),
    )
    const r = await h.run(diskpartScriptCommand)
    expect(r.exitCode).toBe(4)
    expect(r.stdout).toContain('Virtual Disk Service error:')
  })
})

describe('DISM on winre.wim on a training machine', () => {
  it('Get-ImageInfo gives Version + ServicePack Build; a path without the image is 0x80070002', async () => {
    const h = host('arm64-winre-disabled')
    const ok = await h.run(dismWinreImageInfoCommand(STAGED_WINRE_WIM))
    expect(imageVersionOf(ok.stdout)).toBe('10.0.26100.7297')
    const missing = await h.run(dismWinreImageInfoCommand(winreWimOnPartition(0, 4)))
    expect(missing.ok).toBe(false)
    expect(missing.stdout).toContain('Error: 2')
  })

  it('mount → add the Safe OS update → clean up → commit raises the version; discard does not', async () => {
    const h = host('arm64-winre-disabled')
    expect((await h.run(dismMountWinreCommand(STAGED_WINRE_WIM, WINRE_MOUNT_DIR))).ok).toBe(true)
    expect((await h.run(dismMountWinreCommand(STAGED_WINRE_WIM, WINRE_MOUNT_DIR))).ok).toBe(false)
    const add = await h.run(
      dismAddPackageToWinreCommand(
        WINRE_MOUNT_DIR,
        'C:\\kits\\windows11.0-kb5089593-arm64_0123456789abcdef0123456789abcdef01234567.cab',
      ),
    )
    expect(add.ok).toBe(true)
    expect(add.stdout).toContain('The operation completed successfully.')
    expect((await h.run(dismCleanupWinreCommand(WINRE_MOUNT_DIR))).ok).toBe(true)
    expect((await h.run(dismUnmountWinreCommand(WINRE_MOUNT_DIR, false))).ok).toBe(true)
    expect(state('arm64-winre-disabled').winre.version).toBe('10.0.26100.7297')
    await h.run(dismMountWinreCommand(STAGED_WINRE_WIM, WINRE_MOUNT_DIR))
    await h.run(dismAddPackageToWinreCommand(WINRE_MOUNT_DIR, 'C:\\kits\\windows11.0-kb5089593-arm64.cab'))
    expect((await h.run(dismUnmountWinreCommand(WINRE_MOUNT_DIR, true))).ok).toBe(true)
    expect(state('arm64-winre-disabled').winre.version).toBe('10.0.26100.8455')
  })

  it('a package for another base, another architecture or a cumulative update is not applicable (0x800F081E)', async () => {
    const h = host('arm64-winre-disabled')
    await h.run(dismMountWinreCommand(STAGED_WINRE_WIM, WINRE_MOUNT_DIR))
    for (const p of [
      'C:\\k\\windows10.0-kb5087593-arm64.cab',
      'C:\\k\\windows11.0-kb5089593-x64.cab',
      'C:\\k\\windows11.0-kb5086672-arm64.msu',
    ]) {
      const r = await h.run(dismAddPackageToWinreCommand(WINRE_MOUNT_DIR, p))
      expect(r.exitCode, p).toBe(0x800f081e)
    }
    expect(
      (await h.run(dismAddPackageToWinreCommand('C:\\not-mounted', 'C:\\k\\windows11.0-kb5089593-arm64.cab'))).exitCode,
    ).toBe(0xc1420127)
  })

  it('reproduces KB5034441: servicing WinRE in place on a full recovery partition fails with ERROR_DISK_FULL', async () => {
    const name = 'x64-winre-partition-full'
    const h = host(name)
    const dir = 'C:\\mnt'
    expect((await h.run(reagentcMountreCommand(dir))).ok).toBe(true)
    expect((await h.run(dismAddPackageToWinreCommand(dir, 'C:\\k\\windows10.0-kb5087593-x64.cab'))).ok).toBe(true)
    const r = await h.run(reagentcUnmountreCommand(dir, true))
    expect(r.ok).toBe(false)
    expect(parseReagentc(r.stdout).outcome).toBe('failed')
    expect(state(name).winre.version).toBe('10.0.19041.3636')
    const direct = await h.run(dismMountWinreCommand(winreWimOnPartition(0, 4), dir))
    expect(direct.ok).toBe(true)
    await h.run(dismAddPackageToWinreCommand(dir, 'C:\\k\\windows10.0-kb5087593-x64.cab'))
    const commit = await h.run(dismUnmountWinreCommand(dir, true))
    expect(commit.exitCode).toBe(0x80070070)
    expect(commit.stdout).toContain('There is not enough space on the disk.')
  })
})
