/**
 * The boot chain as our boot-chain script prints it (JSON, ConvertTo-Json -Compress), with the SecureBoot
 * registry in `reg query … /s` format (key line, values indented four spaces `Name    TYPE    data`, a blank
 * line after each key — as reg.exe prints it; see test/fixtures/reg-query) and TPM-WMI events carrying the
 * messages Microsoft documents in KB5016061.
 */
import type { TrainingCommand, TrainingCommandOutcome } from '../command.ts'
import type { TrainingState } from '../state.ts'
import { GPT } from '../state.ts'
import { psJson } from './ps-json.ts'
import { BOOT_CERTS } from '../../parse/boot-chain.ts'

const ROOT = 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot'

function regValue(name: string, v: string | number): string {
  return typeof v === 'number'
    ? `    ${name}    REG_DWORD    0x${(v >>> 0).toString(16)}`
    : `    ${name}    REG_SZ    ${v}`
}

export function secureBootRegQuery(state: TrainingState): string {
  const b = state.bootChain!
  const block = (path: string, values: Record<string, string | number>) => [
    path,
    ...Object.entries(values).map(([k, v]) => regValue(k, v)),
    '',
  ]
  return [
    '',
    ...block(ROOT, b.registry.secureBoot),
    ...block(`${ROOT}\\Servicing`, b.registry.servicing),
    ...block(`${ROOT}\\State`, { UEFISecureBootEnabled: b.secureBoot === 'True' ? 1 : 0 }),
    '',
  ].join('\r\n')
}

/** The EFI system partition of the machine's first GPT disk (size, used bytes, location). */
export function trainingEsp(state: TrainingState) {
  for (const d of state.disks) {
    const p = d.partitions.find((x) => x.gptType === GPT.efi)
    if (p) return { disk: d.number, partition: p }
  }
  return null
}

export const renderBootChain: TrainingCommand = ({ state }) => {
  const b = state.bootChain
  if (!b)
    return {
      exitCode: 1,
      stdout: '',
      stderr: `The training machine '${state.name}' does not model its boot chain (Secure Boot certificates, EFI partition).`,
    }
  const supported = b.secureBoot !== 'unsupported'
  const pick = (names: readonly string[], present: string[]) =>
    Object.fromEntries(names.map((n) => [n, supported ? present.includes(n) : null]))
  const esp = trainingEsp(state)
  const out = {
    SecureBoot: supported ? b.secureBoot : null,
    SecureBootError: supported ? null : 'Cmdlet not supported on this platform: 0xC0000002',
    Db: pick(
      [
        BOOT_CERTS.windowsUefiCa2023,
        BOOT_CERTS.microsoftUefiCa2023,
        BOOT_CERTS.optionRomUefiCa2023,
        BOOT_CERTS.windowsProductionPca2011,
        BOOT_CERTS.microsoftUefiCa2011,
      ],
      b.db,
    ),
    Kek: pick([BOOT_CERTS.kek2023, BOOT_CERTS.kek2011], b.kek),
    Dbx: pick([BOOT_CERTS.windowsProductionPca2011], b.dbx),
    Registry: secureBootRegQuery(state),
    Events: b.events.map((e) => ({ Id: e.id, TimeCreated: e.time, LevelDisplayName: e.level, Message: e.message })),
    Esp: esp
      ? {
          DiskNumber: esp.disk,
          PartitionNumber: esp.partition.number,
          Size: esp.partition.sizeBytes,
          SizeRemaining: esp.partition.sizeBytes - (esp.partition.usedBytes ?? 0),
          // Loaders: the .efi files each folder holds (Microsoft's boot manager and tools, Boot's fallback loader, another OS's loaders).
          Folders: b.espFolders
            ? b.espFolders.map((f) => ({
                Name: f.name,
                Bytes: f.bytes,
                Loaders: f.loaders ?? (/^microsoft$/i.test(f.name) ? 3 : /^boot$/i.test(f.name) ? 1 : 0),
              }))
            : null,
          FoldersError: b.espFolders ? null : "Access to the path '\\\\?\\Volume{…}\\EFI' is denied.",
          BootManagerIssuer: b.bootManagerIssuer,
          BootManagerError: b.bootManagerIssuer
            ? null
            : "Access to the path '\\\\?\\Volume{…}\\EFI\\Microsoft\\Boot\\bootmgfw.efi' is denied.",
        }
      : null,
  }
  return { exitCode: 0, stdout: psJson(out) }
}

const SECURE_BOOT_KEY_ARG = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot'
const SECURE_BOOT_TASK = '\\Microsoft\\Windows\\PI\\Secure-Boot-Update'
/** Firmware refusals (KB5016061: 1795/1796 the firmware returned an error, 1802 known firmware issue, 1803 no PK-signed KEK). */
const FIRMWARE_REFUSED = [1795, 1796, 1802, 1803]

/**
 * `reg.exe add HKLM\SYSTEM\CurrentControlSet\Control\SecureBoot /v AvailableUpdates /t REG_DWORD /d 0x… /f`: sets the
 * value and prints the system's success message (ERROR_SUCCESS, "The operation completed successfully.": see
 * test/fixtures/secure-boot/reg-add-success.txt). Only that value of that key is modelled.
 */
export const renderSecureBootAvailableUpdates: TrainingCommand = ({ state, spec }) => {
  const [verb, key, v, name, t, type, d, data, f] = spec.args
  const value = /^0x[0-9a-f]{1,8}$/i.test(data ?? '') ? Number.parseInt(data!.slice(2), 16) : Number.NaN
  if (
    verb !== 'add' ||
    key?.toUpperCase() !== SECURE_BOOT_KEY_ARG.toUpperCase() ||
    v !== '/v' ||
    name !== 'AvailableUpdates' ||
    t !== '/t' ||
    type !== 'REG_DWORD' ||
    d !== '/d' ||
    !Number.isFinite(value) ||
    f !== '/f' ||
    spec.args.length !== 9
  ) {
    return { exitCode: 1, stdout: '', stderr: 'ERROR: Invalid syntax.\r\nType "REG ADD /?" for usage.\r\n' }
  }
  if (!state.bootChain)
    return {
      exitCode: 1,
      stdout: '',
      stderr: `The training machine '${state.name}' does not model its boot chain (Secure Boot certificates, EFI partition).`,
    }
  const next = structuredClone(state)
  next.bootChain!.registry.secureBoot.AvailableUpdates = value
  return { exitCode: 0, stdout: 'The operation completed successfully.\r\n', state: next }
}

/**
 * `schtasks.exe /Run /TN \Microsoft\Windows\PI\Secure-Boot-Update`, in schtasks' words (test/fixtures/secure-boot/
 * schtasks-run-success.txt: it only says it tried). The task applies what AvailableUpdates asks for, as the knowledge
 * says (`servicing-registry`, `cert-replacements`): with Secure Boot on and no firmware refusal, the 2023 CAs go into
 * db and the 2023 KEK into KEK, UEFICA2023Status turns InProgress, WindowsUEFICA2023Capable 1 (`capable-value`: in db),
 * and the rest (the new boot manager, Updated, event 1808) waits for the restart (state.ts finishSecureBootUpdate).
 * With nothing asked, Secure Boot off, or a firmware that refused before, the task changes nothing.
 */
export const renderSecureBootTaskRun: TrainingCommand = ({ state, spec }) => {
  const [run, tn, task] = spec.args
  if (run?.toLowerCase() !== '/run' || tn?.toLowerCase() !== '/tn' || spec.args.length !== 3)
    return { exitCode: 1, stdout: '', stderr: 'ERROR: Invalid syntax.\r\nType "SCHTASKS /RUN /?" for usage.\r\n' }
  const b = state.bootChain
  if (task?.toLowerCase() !== SECURE_BOOT_TASK.toLowerCase() || !b)
    return { exitCode: 1, stdout: '', stderr: 'ERROR: The system cannot find the file specified.\r\n' }
  const out = { exitCode: 0, stdout: `SUCCESS: Attempted to run the scheduled task "${task}".\r\n` }
  const asked = (b.registry.secureBoot.AvailableUpdates ?? 0) & 0x5944
  if (
    !asked ||
    b.secureBoot !== 'True' ||
    b.events.some((e) => FIRMWARE_REFUSED.includes(e.id)) ||
    b.registry.servicing.UEFICA2023Status === 'Updated'
  )
    return out
  const next = structuredClone(state)
  const nb = next.bootChain!
  for (const c of [BOOT_CERTS.windowsUefiCa2023, BOOT_CERTS.microsoftUefiCa2023, BOOT_CERTS.optionRomUefiCa2023])
    if (!nb.db.includes(c)) nb.db.push(c)
  if (!nb.kek.includes(BOOT_CERTS.kek2023)) nb.kek.push(BOOT_CERTS.kek2023)
  nb.registry.servicing.UEFICA2023Status = 'InProgress'
  nb.registry.servicing.WindowsUEFICA2023Capable = 1
  if (!next.pendingOnRestart.some((a) => a.kind === 'secure-boot-update'))
    next.pendingOnRestart.push({ kind: 'secure-boot-update' })
  return { ...out, state: next }
}

/** Marker of the ESP mounted at a letter: its BCD is visible there (what the repair's re-check looks for). */
const mountedBcd = (letter: string) => `${letter}:\\EFI\\Microsoft\\Boot\\BCD`
const letterOf = (arg: string | undefined) => (/^([D-Z]):$/i.exec(arg ?? '')?.[1] ?? '').toUpperCase()

/** `mountvol X: /s`: prints nothing on success (as mountvol does); the ESP becomes visible at X:. */
export const renderEspMount: TrainingCommand = ({ state, spec }) => {
  const letter = letterOf(spec.args[0])
  if (!letter || spec.args[1]?.toLowerCase() !== '/s' || !trainingEsp(state))
    return { exitCode: 1, stdout: '', stderr: 'The parameter is incorrect.\r\n' }
  if (state.files[mountedBcd(letter)] !== undefined)
    return { exitCode: 1, stdout: '', stderr: 'The directory is not empty.\r\n' }
  const next = structuredClone(state)
  next.files[mountedBcd(letter)] = ''
  return { exitCode: 0, stdout: '', state: next }
}

/** `mountvol X: /d`: removes the letter again. */
export const renderEspUnmount: TrainingCommand = ({ state, spec }) => {
  const letter = letterOf(spec.args[0])
  if (!letter || state.files[mountedBcd(letter)] === undefined)
    return { exitCode: 1, stdout: '', stderr: 'The parameter is incorrect.\r\n' }
  const next = structuredClone(state)
  delete next.files[mountedBcd(letter)]
  return { exitCode: 0, stdout: '', state: next }
}

const bar = '-'.repeat(79)
const rule = '-'.repeat(78)

/**
 * `robocopy X:\EFI\<folder> <dest> /E /MOVE …` in robocopy's format (banner, header, summary table; see
 * test/fixtures/robocopy): the folder leaves the ESP, whose used bytes drop by its size; the model keeps where it went
 * (`espMoved`). The undo, `robocopy <that folder> X:\EFI\<folder> /E /MOVE …`, puts it back when the ESP has the room.
 */
export const renderEspMove: TrainingCommand = ({ state, spec }) => {
  const [src = '', dest = '', ...opts] = spec.args
  if (/^[D-Z]:\\EFI\\.+$/i.test(dest) && !/^[D-Z]:\\EFI\\/i.test(src)) return moveBack(state, src, dest)
  const m = /^([D-Z]):\\EFI\\(.+)$/i.exec(src)
  const letter = m?.[1]?.toUpperCase() ?? ''
  const header = [
    '',
    bar,
    '   ROBOCOPY     ::     Robust File Copy for Windows',
    bar,
    '',
    `  Started : Sunday, June 14, 2026 10:02:11 AM`,
    `   Source : ${src}\\`,
    `     Dest : ${dest}\\`,
    '',
    '    Files : *.*',
    '',
    `  Options : *.* /S /E /DCOPY:DA /COPY:DAT /MOVE /R:1 /W:1`,
    '',
    rule,
    '',
  ]
  const b = state.bootChain
  const folder = b?.espFolders?.find((f) => f.name.toLowerCase() === (m?.[2] ?? '').toLowerCase())
  const espPart = trainingEsp(state)
  if (!m || !b || !espPart || state.files[mountedBcd(letter)] === undefined || !folder) {
    return {
      exitCode: 16,
      stdout: [
        ...header,
        `2026/06/14 10:02:11 ERROR 3 (0x00000003) Accessing Source Directory ${src}\\`,
        'The system cannot find the path specified.',
        '',
        '',
      ].join('\r\n'),
    }
  }
  void opts
  const files = folder.files ?? 1
  const next = structuredClone(state)
  next.bootChain!.espFolders = next.bootChain!.espFolders!.filter(
    (f) => f !== next.bootChain!.espFolders!.find((x) => x.name === folder.name),
  )
  next.bootChain!.espMoved = [
    ...(next.bootChain!.espMoved ?? []).filter((f) => f.to.toLowerCase() !== dest.toLowerCase()),
    { ...folder, to: dest },
  ]
  const p = next.disks.flatMap((d) => d.partitions).find((x) => x.gptType === GPT.efi)!
  p.usedBytes = Math.max(0, (p.usedBytes ?? 0) - folder.bytes)
  const mbs = (n: number) => `${(n / 1024 / 1024).toFixed(1)} m`
  const col = (v: string | number) => String(v).padStart(10)
  const out = [
    ...header,
    `                   ${files}    ${src}\\`,
    '',
    rule,
    '',
    `               Total    Copied   Skipped  Mismatch    FAILED    Extras`,
    `    Dirs :${col(1)}${col(1)}${col(0)}${col(0)}${col(0)}${col(0)}`,
    `   Files :${col(files)}${col(files)}${col(0)}${col(0)}${col(0)}${col(0)}`,
    `   Bytes :${col(mbs(folder.bytes))}${col(mbs(folder.bytes))}${col(0)}${col(0)}${col(0)}${col(0)}`,
    `   Times :   0:00:01   0:00:01                       0:00:00   0:00:00`,
    '',
    '   Ended : Sunday, June 14, 2026 10:02:12 AM',
    '',
    '',
  ]
  return { exitCode: 1, stdout: out.join('\r\n'), state: next }
}

/** robocopy's summary of one folder moved (the Dirs / Files / Bytes table). */
function robocopyText(src: string, dest: string, files: number, bytes: number, error?: string): string {
  const mbs = (n: number) => `${(n / 1024 / 1024).toFixed(1)} m`
  const col = (v: string | number) => String(v).padStart(10)
  const head = [
    '',
    bar,
    '   ROBOCOPY     ::     Robust File Copy for Windows',
    bar,
    '',
    `  Started : Sunday, June 14, 2026 10:02:11 AM`,
    `   Source : ${src}\\`,
    `     Dest : ${dest}\\`,
    '',
    '    Files : *.*',
    '',
    `  Options : *.* /S /E /DCOPY:DA /COPY:DAT /MOVE /R:1 /W:1`,
    '',
    rule,
    '',
  ]
  if (error) return [...head, error, '', ''].join('\r\n')
  return [
    ...head,
    `                   ${files}    ${src}\\`,
    '',
    rule,
    '',
    `               Total    Copied   Skipped  Mismatch    FAILED    Extras`,
    `    Dirs :${col(1)}${col(1)}${col(0)}${col(0)}${col(0)}${col(0)}`,
    `   Files :${col(files)}${col(files)}${col(0)}${col(0)}${col(0)}${col(0)}`,
    `   Bytes :${col(mbs(bytes))}${col(mbs(bytes))}${col(0)}${col(0)}${col(0)}${col(0)}`,
    `   Times :   0:00:01   0:00:01                       0:00:00   0:00:00`,
    '',
    '   Ended : Sunday, June 14, 2026 10:02:12 AM',
    '',
    '',
  ].join('\r\n')
}

/** The undo of a move: the folder the model moved to `src` goes back onto the ESP mounted at `dest`'s letter. */
function moveBack(state: TrainingState, src: string, dest: string): TrainingCommandOutcome {
  const m = /^([D-Z]):\\EFI\\(.+)$/i.exec(dest)!
  const letter = m[1]!.toUpperCase()
  const moved = state.bootChain?.espMoved?.find(
    (f) => f.to.toLowerCase() === src.toLowerCase() && f.name.toLowerCase() === m[2]!.toLowerCase(),
  )
  const espPart = trainingEsp(state)
  if (!moved || !espPart || state.files[mountedBcd(letter)] === undefined) {
    return {
      exitCode: 16,
      stdout: robocopyText(
        src,
        dest,
        0,
        0,
        `2026/06/14 10:02:11 ERROR ${moved ? '3 (0x00000003) Accessing Destination Directory' : '2 (0x00000002) Accessing Source Directory'} ${moved ? dest : src}\\\r\nThe system cannot find the ${moved ? 'path' : 'file'} specified.`,
      ),
    }
  }
  if (espPart.partition.sizeBytes - (espPart.partition.usedBytes ?? 0) < moved.bytes) {
    return {
      exitCode: 8,
      stdout: robocopyText(
        src,
        dest,
        0,
        0,
        `2026/06/14 10:02:11 ERROR 112 (0x00000070) Copying File ${src}\\\r\nThere is not enough space on the disk.`,
      ),
    }
  }
  const next = structuredClone(state)
  const b = next.bootChain!
  b.espMoved = b.espMoved!.filter((f) => f.to.toLowerCase() !== src.toLowerCase())
  b.espFolders = [
    ...(b.espFolders ?? []),
    {
      name: moved.name,
      bytes: moved.bytes,
      ...(moved.files !== undefined ? { files: moved.files } : {}),
      ...(moved.loaders !== undefined ? { loaders: moved.loaders } : {}),
    },
  ]
  const p = next.disks.flatMap((d) => d.partitions).find((x) => x.gptType === GPT.efi)!
  p.usedBytes = (p.usedBytes ?? 0) + moved.bytes
  return { exitCode: 1, stdout: robocopyText(src, dest, moved.files ?? 1, moved.bytes), state: next }
}
