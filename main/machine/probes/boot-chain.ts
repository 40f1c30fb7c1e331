/**
 * The boot-chain probe: the EFI system partition (size, free space, its folders when readable without
 * mounting), Secure Boot, the 2011/2023 certificates in db and KEK, the PCA 2011 revocation in dbx, Windows'
 * Secure Boot servicing status (registry, TPM-WMI events) and the boot manager's signing CA. Read-only.
 */
import type { Probe } from '../probe.ts'
import { ProbeError, commandEvidence, requireOk } from '../probe.ts'
import type { CommandSpec } from '../../host/host.ts'
import { powershellSpec } from '../../host/powershell.ts'
import { BOOT_CHAIN_SCRIPT, parseBootChain } from '../../parse/boot-chain.ts'
import type { BootChainFact } from '../../../preload/model/snapshot.ts'

export const bootChainCommand: CommandSpec = powershellSpec('bootchain.inspect', BOOT_CHAIN_SCRIPT, 90_000)

const mb = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MB`
const yn = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no')

/** The probe's evidence lines: what a person reads under "Boot chain". */
export function bootChainLines(f: BootChainFact): string[] {
  return [
    `Secure Boot: ${f.secureBoot}.`,
    `db: Windows UEFI CA 2023 ${yn(f.db.windowsUefiCa2023)}; Microsoft UEFI CA 2023 ${yn(f.db.microsoftUefiCa2023)}; Microsoft Option ROM UEFI CA 2023 ${yn(f.db.optionRomUefiCa2023)}; Microsoft Windows Production PCA 2011 ${yn(f.db.windowsProductionPca2011)}.`,
    `KEK: Microsoft Corporation KEK 2K CA 2023 ${yn(f.kek.kek2023)}; Microsoft Corporation KEK CA 2011 ${yn(f.kek.kek2011)}.`,
    `dbx revokes Microsoft Windows Production PCA 2011: ${yn(f.pca2011Revoked)}.`,
    `Servicing: UEFICA2023Status ${f.servicing.uefiCa2023Status ?? '(not set)'}; AvailableUpdates ${f.servicing.availableUpdates === null ? '(not set)' : `0x${f.servicing.availableUpdates.toString(16).toUpperCase()}`}; WindowsUEFICA2023Capable ${f.servicing.windowsUefiCa2023Capable ?? '(not set)'}.`,
    `Boot manager: ${f.bootManager.detail}`,
    ...(f.esp
      ? [
          `EFI system partition: disk ${f.esp.disk} partition ${f.esp.partition}, ${mb(f.esp.sizeBytes)}, ${f.esp.freeBytes === null ? 'free space unknown' : `${mb(f.esp.freeBytes)} free`}.`,
          ...(f.esp.folders
            ? f.esp.folders.map(
                (d) => `  \\EFI\\${d.name}: ${d.bytes === null ? '?' : mb(d.bytes)}${d.microsoft ? ' (Windows)' : ''}`,
              )
            : [`  ${f.esp.foldersDetail}`]),
        ]
      : ['No EFI system partition found.']),
    ...f.events.slice(0, 5).map((e) => `Event ${e.id} (${e.time ?? '?'}): ${e.message.split(/\r?\n/)[0]}`),
    ...f.warnings,
  ]
}

export const bootChainProbe: Probe<'bootChain'> = {
  id: 'bootChain',
  timeoutMs: 120_000,
  collect: [{ kind: 'command', spec: bootChainCommand }],
  async run({ host, signal }) {
    const r = await host.run(bootChainCommand, { signal })
    // Say why (the first line of stderr) when the command failed with one: "does not model its boot chain", "Access denied".
    const why = r.ok
      ? ''
      : (r.stderr
          .split(/\r?\n/)
          .find((l) => l.trim() !== '')
          ?.trim()
          .slice(0, 300) ?? '')
    // A training machine that does not model it: said as such, not as a failure.
    if (!r.ok && /does not model its boot chain/.test(why))
      throw new ProbeError(
        'Not modelled on this training machine (its Secure Boot certificates and EFI partition are not part of it).',
        [commandEvidence(r)],
      )
    if (!r.ok && why && !r.timedOut && !r.cancelled)
      throw new ProbeError(`Reading the boot chain failed: ${why}`, [commandEvidence(r)])
    requireOk(r, 'Reading the boot chain (EFI partition, Secure Boot certificates)')
    const parsed = parseBootChain(r.stdout)
    if (!parsed.fact) throw new ProbeError(parsed.warnings.join(' '), [commandEvidence(r)])
    return {
      value: parsed.fact,
      evidence: [
        {
          source:
            'Confirm-SecureBootUEFI, Get-SecureBootUEFI db/KEK/dbx, reg query HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot /s, Get-WinEvent (TPM-WMI), Get-Partition/Get-Volume, Get-AuthenticodeSignature (JSON)',
          excerpt: bootChainLines(parsed.fact).join('\n'),
        },
      ],
    }
  },
}
