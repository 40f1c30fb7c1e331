/**
 * The storage probe: system drive free space, disks and partitions (type GUID, size, free, which one
 * holds WinRE) and BitLocker on the OS volume. Falls back to `manage-bde -status` when
 * Get-BitLockerVolume gives nothing (the cmdlet is missing on some editions).
 */
import type { Probe } from '../probe.ts'
import { COLLECT_VARS, ProbeError, commandEvidence, requireOk } from '../probe.ts'
import type { CommandSpec } from '../../host/host.ts'
import { powershellSpec } from '../../host/powershell.ts'
import { parseStorageLayout } from '../../parse/storage-layout.ts'
import { STORAGE_SCRIPT } from '../../parse/storage-layout.ts'
import type { Evidence } from '../../../preload/model/common.ts'

export const storageLayoutCommand: CommandSpec = powershellSpec('storage.layout', STORAGE_SCRIPT, 60_000)

export function manageBdeCommand(drive: string): CommandSpec {
  return {
    name: 'storage.manage-bde',
    file: 'manage-bde.exe',
    args: ['-status', drive],
    timeoutMs: 30_000,
    outputEncoding: 'console',
  }
}

export const storageProbe: Probe<'storage'> = {
  id: 'storage',
  timeoutMs: 90_000,
  collect: [
    { kind: 'command', spec: storageLayoutCommand },
    { kind: 'command', spec: manageBdeCommand(COLLECT_VARS.systemDrive) },
  ],
  async run({ host, signal }) {
    const r = await host.run(storageLayoutCommand, { signal })
    requireOk(r, 'Reading disks, partitions and volumes')
    let parsed = parseStorageLayout(r.stdout)
    const evidence: Evidence[] = []
    if (parsed.fact && parsed.fact.bitlocker.protectionStatus === 'unknown') {
      const bde = await host.run(manageBdeCommand(`${parsed.fact.systemDrive.letter}:`), { signal })
      if (bde.ok) {
        parsed = parseStorageLayout(r.stdout, bde.stdout)
        evidence.push(commandEvidence(bde, (l) => /Protection|Percentage|TPM|Volume/i.test(l)))
      }
    }
    if (!parsed.fact) throw new ProbeError(parsed.warnings.join(' '), [commandEvidence(r)])
    const f = parsed.fact
    const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`
    const lines = [
      `System drive ${f.systemDrive.letter}: ${gb(f.systemDrive.freeBytes)} free of ${gb(f.systemDrive.sizeBytes)}.`,
      ...f.disks.flatMap((d) =>
        d.partitions.map(
          (p) =>
            `Disk ${d.number} partition ${p.partitionNumber}: ${p.role}, ${gb(p.sizeBytes)}${p.freeBytes !== null ? `, ${gb(p.freeBytes)} free` : ''}, type ${p.type ?? '?'}${p.holdsWinre ? ', holds WinRE' : ''}`,
        ),
      ),
      `BitLocker: protection ${f.bitlocker.protectionStatus}${f.bitlocker.encryptionPercentage !== null ? `, ${f.bitlocker.encryptionPercentage}% encrypted` : ''}.`,
      ...(parsed.winreLocation ? [`reagentc: ${parsed.winreLocation.path}`] : []),
      ...parsed.warnings,
    ]
    evidence.unshift({
      source: 'Get-Disk, Get-Partition, Get-Volume, reagentc /info, Get-BitLockerVolume (JSON)',
      excerpt: lines.join('\n'),
    })
    return { value: f, evidence }
  },
}
