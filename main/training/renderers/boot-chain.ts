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

/** Marker of the ESP mounted at a letter: its BCD is visible there (what the repair's re-check looks for). */
const mountedBcd = (letter: string) => `${letter}:\\EFI\\Microsoft\\Boot\\BCD`
const letterOf = (arg: string | undefined) => (/^([D-Z]):$/i.exec(arg ?? '')?.[1] ?? '').toUpperCase()

/** `mountvol X: /s`: prints nothing on success (as mountvol does); the ESP becomes visible at X:. */
export const renderEspMount: TrainingCommand = ({ state, spec }) => {
  const letter = letterOf(spec.args[0])
  if (!letter || spec.args[1]?.toLowerCase() !== '/s' || !trainingEsp(state)) return { exitCode: 1, stdout: '', stderr: 'The parameter is incorrect.\r\n' }
  if (state.files[mountedBcd(letter)] !== undefined) return { exitCode: 1, stdout: '', stderr: 'The directory is not empty.\r\n' }
  const next = structuredClone(state)
  next.files[mountedBcd(letter)] = ''
  return { exitCode: 0, stdout: '', state: next }
}

/** `mountvol X: /d`: removes the letter again. */
export const renderEspUnmount: TrainingCommand = ({ state, spec }) => {
  const letter = letterOf(spec.args[0])
  if (!letter || state.files[mountedBcd(letter)] === undefined) return { exitCode: 1, stdout: '', stderr: 'The parameter is incorrect.\r\n' }
  const next = structuredClone(state)
  delete next.files[mountedBcd(letter)]
  return { exitCode: 0, stdout: '', state: next }
}

const bar = '-'.repeat(79)
const rule = '-'.repeat(78)

/**
 * `robocopy X:\EFI\<folder> <dest> /E /MOVE …` in robocopy's format (banner, header, summary table; see
 * test/fixtures/robocopy): the folder leaves the ESP, whose used bytes drop by its size.
 */
export const renderEspMove: TrainingCommand = ({ state, spec }) => {
  const [src = '', dest = '', ...opts] = spec.args
  const m = /^([D-Z]):\\EFI\\(.+)$/i.exec(src)
  const letter = m?.[1]?.toUpperCase() ?? ''
  const header = ['', bar, '   ROBOCOPY     ::     Robust File Copy for Windows', bar, '',
    `  Started : Sunday, June 14, 2026 10:02:11 AM`, `   Source : ${src}\\`, `     Dest : ${dest}\\`, '', '    Files : *.*', '',
    `  Options : *.* /S /E /DCOPY:DA /COPY:DAT /MOVE /R:1 /W:1`, '', rule, '']
  const b = state.bootChain
  const folder = b?.espFolders?.find((f) => f.name.toLowerCase() === (m?.[2] ?? '').toLowerCase())
  const espPart = trainingEsp(state)
  if (!m || !b || !espPart || state.files[mountedBcd(letter)] === undefined || !folder) {
    return { exitCode: 16, stdout: [...header, `2026/06/14 10:02:11 ERROR 3 (0x00000003) Accessing Source Directory ${src}\\`, 'The system cannot find the path specified.', '', ''].join('\r\n') }
  }
  void opts
  const files = folder.files ?? 1
  const next = structuredClone(state)
  next.bootChain!.espFolders = next.bootChain!.espFolders!.filter((f) => f !== next.bootChain!.espFolders!.find((x) => x.name === folder.name))
  const p = next.disks.flatMap((d) => d.partitions).find((x) => x.gptType === GPT.efi)!
  p.usedBytes = Math.max(0, (p.usedBytes ?? 0) - folder.bytes)
  const mbs = (n: number) => `${(n / 1024 / 1024).toFixed(1)} m`
  const col = (v: string | number) => String(v).padStart(10)
  const out = [...header,
    `                   ${files}    ${src}\\`,
    '', rule, '',
    `               Total    Copied   Skipped  Mismatch    FAILED    Extras`,
    `    Dirs :${col(1)}${col(1)}${col(0)}${col(0)}${col(0)}${col(0)}`,
    `   Files :${col(files)}${col(files)}${col(0)}${col(0)}${col(0)}${col(0)}`,
    `   Bytes :${col(mbs(folder.bytes))}${col(mbs(folder.bytes))}${col(0)}${col(0)}${col(0)}${col(0)}`,
    `   Times :   0:00:01   0:00:01                       0:00:00   0:00:00`, '', '   Ended : Sunday, June 14, 2026 10:02:12 AM', '', '']
  return { exitCode: 1, stdout: out.join('\r\n'), state: next }
}
