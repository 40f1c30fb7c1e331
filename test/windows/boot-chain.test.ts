/**
 * The boot-chain probe against this real PC, read-only: the fact is read, the EFI partition it
 * reports is the storage probe's system partition with the same size, its db answer agrees with Microsoft's
 * own check run separately, and nothing was mounted (no drive letter points at the ESP afterwards).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServices } from '../../main/services.ts'
import { createWindowsHost, type WindowsHost } from '../../main/host/windows-host.ts'
import { detectElevation } from '../../main/host/this-pc.ts'
import { powershellSpec } from '../../main/host/powershell.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import { noteSkipped, onWindows } from './on-windows.ts'

noteSkipped('the boot-chain probe against this PC')

describe.skipIf(!onWindows)('this PC boot chain, read-only', () => {
  let host: WindowsHost
  let snapshot: MachineSnapshot

  beforeAll(async () => {
    const elevated = await detectElevation(createWindowsHost())
    host = createWindowsHost({ elevated })
    const services = createServices({
      dataDir: mkdtempSync(join(tmpdir(), 'sd-win-boot-')),
      platform: 'win32',
      thisPcHost: () => host,
    })
    snapshot = await services.scan({ kind: 'this-pc' })
  })

  it("reads the boot chain; its ESP is the storage probe's system partition", () => {
    const bc = snapshot.bootChain
    expect(bc?.status, bc?.status === 'unknown' ? bc.error : '').toBe('known')
    if (bc?.status !== 'known') return
    expect(['on', 'off', 'unsupported', 'unknown']).toContain(bc.value.secureBoot)
    const st = snapshot.storage.status === 'known' ? snapshot.storage.value : null
    const sys = st?.disks.flatMap((d) => d.partitions).find((p) => p.role === 'system')
    if (bc.value.esp && sys) {
      expect([bc.value.esp.disk, bc.value.esp.partition]).toEqual([sys.diskNumber, sys.partitionNumber])
      expect(bc.value.esp.sizeBytes).toBe(sys.sizeBytes)
    }
  })

  it("agrees with Microsoft's db check run on its own", async () => {
    if (snapshot.bootChain?.status !== 'known' || snapshot.bootChain.value.db.windowsUefiCa2023 === null) return
    const r = await host.run(
      powershellSpec(
        'test.db-check',
        "[System.Text.Encoding]::ASCII.GetString((Get-SecureBootUEFI db).bytes) -match 'Windows UEFI CA 2023'",
        60_000,
      ),
    )
    expect(r.stdout.trim()).toBe(snapshot.bootChain.value.db.windowsUefiCa2023 ? 'True' : 'False')
  })

  it('mounted nothing: no drive letter points at the EFI partition', async () => {
    const r = await host.run(
      powershellSpec(
        'test.esp-letter',
        "@(Get-Partition | Where-Object { $_.GptType -eq '{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}' -and $_.DriveLetter -match '[A-Z]' }).Count",
        60_000,
      ),
    )
    expect(r.stdout.trim()).toBe('0')
  })
})
