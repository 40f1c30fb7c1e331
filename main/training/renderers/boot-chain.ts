/**
 * The boot chain as our boot-chain script prints it (JSON, ConvertTo-Json -Compress), with the SecureBoot
 * registry in `reg query … /s` format (key line, values indented four spaces `Name    TYPE    data`, a blank
 * line after each key — as reg.exe prints it; see test/fixtures/reg-query) and TPM-WMI events carrying the
 * messages Microsoft documents in KB5016061.
 */
import type { TrainingCommand } from '../command.ts'
import type { TrainingState } from '../state.ts'
import { GPT } from '../state.ts'
import { psJson } from './ps-json.ts'
import { BOOT_CERTS } from '../../parse/boot-chain.ts'

const ROOT = 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot'

function regValue(name: string, v: string | number): string {
  return typeof v === 'number' ? `    ${name}    REG_DWORD    0x${(v >>> 0).toString(16)}` : `    ${name}    REG_SZ    ${v}`
}

export function secureBootRegQuery(state: TrainingState): string {
  const b = state.bootChain!
  const block = (path: string, values: Record<string, string | number>) => [path, ...Object.entries(values).map(([k, v]) => regValue(k, v)), '']
  return ['', ...block(ROOT, b.registry.secureBoot), ...block(`${ROOT}\\Servicing`, b.registry.servicing),
    ...block(`${ROOT}\\State`, { UEFISecureBootEnabled: b.secureBoot === 'True' ? 1 : 0 }), ''].join('\r\n')
}

/** The EFI system partition of the machine's first GPT disk (size, used bytes, location). */
export function trainingEsp(state: TrainingState) {
  for (const d of state.disks) {
    const p = d.partitions.find((x) => x.gptType === GPT.efi)
    if (p) return { disk: d.number, partition: p, }
  }
  return null
}

export const renderBootChain: TrainingCommand = ({ state }) => {
  const b = state.bootChain
  if (!b) return { exitCode: 1, stdout: '', stderr: `The training machine '${state.name}' does not model its boot chain (Secure Boot certificates, EFI partition).` }
  const supported = b.secureBoot !== 'unsupported'
  const pick = (names: readonly string[], present: string[]) => Object.fromEntries(names.map((n) => [n, supported ? present.includes(n) : null]))
  const esp = trainingEsp(state)
  const out = {
    SecureBoot: supported ? b.secureBoot : null,
    SecureBootError: supported ? null : 'Cmdlet not supported on this platform: 0xC0000002',
    Db: pick([BOOT_CERTS.windowsUefiCa2023, BOOT_CERTS.microsoftUefiCa2023, BOOT_CERTS.optionRomUefiCa2023, BOOT_CERTS.windowsProductionPca2011, BOOT_CERTS.microsoftUefiCa2011], b.db),
    Kek: pick([BOOT_CERTS.kek2023, BOOT_CERTS.kek2011], b.kek),
    Dbx: pick([BOOT_CERTS.windowsProductionPca2011], b.dbx),
    Registry: secureBootRegQuery(state),
    Events: b.events.map((e) => ({ Id: e.id, TimeCreated: e.time, LevelDisplayName: e.level, Message: e.message })),
    Esp: esp ? {
      DiskNumber: esp.disk, PartitionNumber: esp.partition.number, Size: esp.partition.sizeBytes,
      SizeRemaining: esp.partition.sizeBytes - (esp.partition.usedBytes ?? 0),
      Folders: b.espFolders ? b.espFolders.map((f) => ({ Name: f.name, Bytes: f.bytes })) : null,
      FoldersError: b.espFolders ? null : "Access to the path '\\\\?\\Volume{…}\\EFI' is denied.",
      BootManagerIssuer: b.bootManagerIssuer,
      BootManagerError: b.bootManagerIssuer ? null : "Access to the path '\\\\?\\Volume{…}\\EFI\\Microsoft\\Boot\\bootmgfw.efi' is denied.",
    } : null,
  }
  return { exitCode: 0, stdout: psJson(out) }
}
