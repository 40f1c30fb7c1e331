/**
 * Reads the boot chain from our boot-chain script's JSON: Secure Boot on/off (Confirm-SecureBootUEFI),
 * which Microsoft certificates db and KEK hold and whether dbx revokes Windows Production PCA 2011 (each by
 * Microsoft's documented check, `[System.Text.Encoding]::ASCII.GetString((Get-SecureBootUEFI db).bytes)
 * -match '<name>'`, KB5025885), Windows' Secure Boot servicing registry values (`reg query …\SecureBoot /s`,
 * KB5068202), the TPM-WMI events of the System log (KB5016061), the EFI system partition's size, free space
 * and top-level folders (read through its volume path, never mounted), and the boot manager's signing CA
 * (Get-AuthenticodeSignature on \EFI\Microsoft\Boot\bootmgfw.efi).
 *
 * Everything the script could not read stays null with the reason in `warnings`; nothing is guessed.
 */
import type { BootChainFact } from '../../preload/model/snapshot.ts'
import { parseRegQuery } from './reg-query.ts'
import { localeOrder } from './locale-free.ts'

/** Secure Boot certificate names (Microsoft KB5062713 / KB5053946 tables), matched as Microsoft's check does. */
export const BOOT_CERTS = {
  windowsUefiCa2023: 'Windows UEFI CA 2023',
  microsoftUefiCa2023: 'Microsoft UEFI CA 2023',
  optionRomUefiCa2023: 'Microsoft Option ROM UEFI CA 2023',
  windowsProductionPca2011: 'Microsoft Windows Production PCA 2011',
  microsoftUefiCa2011: 'Microsoft Corporation UEFI CA 2011',
  kek2023: 'Microsoft Corporation KEK 2K CA 2023',
  kek2011: 'Microsoft Corporation KEK CA 2011',
} as const

export const ESP_GPT_TYPE = '{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}'

/** The TPM-WMI event IDs Microsoft documents for Secure Boot DB/DBX/KEK and boot manager updates (KB5016061). */
export const SECURE_BOOT_EVENT_IDS = [
  1032, 1033, 1034, 1036, 1037, 1043, 1044, 1045, 1795, 1796, 1797, 1798, 1799, 1800, 1801, 1802, 1803, 1808,
] as const

const dbNames = [
  BOOT_CERTS.windowsUefiCa2023,
  BOOT_CERTS.microsoftUefiCa2023,
  BOOT_CERTS.optionRomUefiCa2023,
  BOOT_CERTS.windowsProductionPca2011,
  BOOT_CERTS.microsoftUefiCa2011,
]
const kekNames = [BOOT_CERTS.kek2023, BOOT_CERTS.kek2011]

const psList = (names: readonly string[]) => `@(${names.map((n) => `'${n}'`).join(',')})`

/** Read-only: every cmdlet here only reads (no mountvol, no Set-*, no writes). */
export const BOOT_CHAIN_SCRIPT = [
  '$ErrorActionPreference = "SilentlyContinue"',
  'function Test-Cert($var, $name) { try { $b = (Get-SecureBootUEFI -Name $var -ErrorAction Stop).Bytes; [bool]([System.Text.Encoding]::ASCII.GetString($b) -match $name) } catch { $null } }',
  '$sb = $null; $sbError = $null',
  'try { $sb = [string](Confirm-SecureBootUEFI -ErrorAction Stop) } catch { $sbError = $_.Exception.Message }',
  `$db = [ordered]@{}; foreach ($n in ${psList(dbNames)}) { $db[$n] = Test-Cert 'db' $n }`,
  `$kek = [ordered]@{}; foreach ($n in ${psList(kekNames)}) { $kek[$n] = Test-Cert 'KEK' $n }`,
  `$dbx = [ordered]@{ '${BOOT_CERTS.windowsProductionPca2011}' = (Test-Cert 'dbx' '${BOOT_CERTS.windowsProductionPca2011}') }`,
  '$reg = (reg.exe query "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot" /s | Out-String)',
  `$ev = @(Get-WinEvent -FilterHashtable @{ LogName = 'System'; ProviderName = 'Microsoft-Windows-TPM-WMI'; Id = ${SECURE_BOOT_EVENT_IDS.join(',')} } -MaxEvents 40 -ErrorAction SilentlyContinue | ForEach-Object { [pscustomobject]@{ Id = $_.Id; TimeCreated = $_.TimeCreated.ToUniversalTime().ToString('o'); LevelDisplayName = $_.LevelDisplayName; Message = $_.Message } })`,
  `$p = Get-Partition | Where-Object { $_.GptType -eq '${ESP_GPT_TYPE}' } | Select-Object -First 1`,
  '$esp = $null',
  'if ($p) {',
  "  $path = @($p.AccessPaths | Where-Object { $_ -like '\\\\?\\Volume*' })[0]",
  '  $v = Get-Volume | Where-Object { $_.Path -eq $path } | Select-Object -First 1',
  '  $folders = $null; $foldersError = $null',
  "  try { $folders = @(Get-ChildItem -LiteralPath ($path + 'EFI') -Directory -Force -ErrorAction Stop | ForEach-Object { $files = @(Get-ChildItem -LiteralPath $_.FullName -Recurse -File -Force -ErrorAction Stop); [pscustomobject]@{ Name = $_.Name; Bytes = [int64](($files | Measure-Object -Property Length -Sum).Sum); Loaders = @($files | Where-Object { $_.Extension -eq '.efi' }).Count } }) } catch { $foldersError = $_.Exception.Message }",
  '  $issuer = $null; $issuerError = $null',
  "  try { $issuer = (Get-AuthenticodeSignature -LiteralPath ($path + 'EFI\\Microsoft\\Boot\\bootmgfw.efi') -ErrorAction Stop).SignerCertificate.Issuer } catch { $issuerError = $_.Exception.Message }",
  '  $esp = [pscustomobject]@{ DiskNumber = $p.DiskNumber; PartitionNumber = $p.PartitionNumber; Size = $p.Size; SizeRemaining = $v.SizeRemaining; Folders = $folders; FoldersError = $foldersError; BootManagerIssuer = $issuer; BootManagerError = $issuerError }',
  '}',
  '[pscustomobject]@{ SecureBoot = $sb; SecureBootError = $sbError; Db = $db; Kek = $kek; Dbx = $dbx; Registry = $reg; Events = $ev; Esp = $esp } | ConvertTo-Json -Depth 5 -Compress',
].join('\n')

export interface BootChainResult {
  fact: BootChainFact | null
  warnings: string[]
}

type Json = Record<string, unknown>
const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null)
const arr = (v: unknown): Json[] =>
  (Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : []).filter(
    (x): x is Json => typeof x === 'object' && x !== null,
  )
const num = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null
const bool = (v: unknown): boolean | null =>
  v === true || v === 'True' || v === 'true' ? true : v === false || v === 'False' || v === 'false' ? false : null
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null)

/** Top-level \EFI folders Windows itself writes: Microsoft (boot manager, BCD, fonts) and Boot (the fallback loader bcdboot copies). */
export function isMicrosoftEspFolder(name: string): boolean {
  return /^(microsoft|boot)$/i.test(name.trim())
}

/** The boot manager's signing CA from its signer certificate's issuer (`CN=Windows UEFI CA 2023, O=…`). */
export function bootManagerSigner(issuer: string | null): BootChainFact['bootManager']['signer'] {
  if (!issuer) return 'unknown'
  if (/CN=Windows UEFI CA 2023\b/i.test(issuer)) return 'windows-uefi-ca-2023'
  if (/CN=Microsoft Windows Production PCA 2011\b/i.test(issuer)) return 'windows-production-pca-2011'
  return 'other'
}

export function parseBootChain(input: string): BootChainResult {
  const text = (typeof input === 'string' ? input : '').trim().replace(/^\uFEFF/, '')
  let o: Json
  try {
    const d = obj(JSON.parse(text))
    if (!d) throw new Error('not an object')
    o = d
  } catch {
    return { fact: null, warnings: ['The boot-chain output is not the JSON object our script prints.'] }
  }
  const warnings: string[] = []
  const sbErr = str(o.SecureBootError)
  const sbVal = bool(o.SecureBoot)
  const secureBoot: BootChainFact['secureBoot'] =
    sbVal === true
      ? 'on'
      : sbVal === false
        ? 'off'
        : sbErr && /not supported on this platform/i.test(sbErr)
          ? 'unsupported'
          : 'unknown'
  if (secureBoot === 'unknown') warnings.push(`Secure Boot state not read${sbErr ? `: ${sbErr}` : ''}.`)
  const db = obj(o.Db) ?? {}
  const kek = obj(o.Kek) ?? {}
  const dbx = obj(o.Dbx) ?? {}
  const has = (m: Json, name: string) => bool(m[name])
  if (dbNames.every((n) => has(db, n) === null))
    warnings.push('The Secure Boot db could not be read (Get-SecureBootUEFI db).')

  const reg = parseRegQuery(typeof o.Registry === 'string' ? o.Registry : '')
  const value = (name: string) => {
    for (const k of reg.keys) for (const v of k.values) if (v.name.toLowerCase() === name.toLowerCase()) return v.data
    return null
  }
  const dword = (name: string) => {
    const d = value(name)
    return typeof d === 'number' ? d : null
  }
  const status = value('UEFICA2023Status')

  const events = arr(o.Events)
    .map((e) => ({
      id: num(e.Id) ?? -1,
      time: str(e.TimeCreated),
      level: str(e.LevelDisplayName),
      message: typeof e.Message === 'string' ? e.Message : '',
    }))
    .filter((e) => e.id > 0)
    .sort((a, b) => localeOrder(b.time ?? '', a.time ?? ''))

  const e = obj(o.Esp)
  let esp: BootChainFact['esp'] = null
  let issuer: string | null = null
  let issuerDetail = 'No EFI system partition was found (a BIOS/MBR PC, or Get-Partition gave nothing).'
  if (e) {
    const foldersErr = str(e.FoldersError)
    const folders =
      Array.isArray(e.Folders) || obj(e.Folders)
        ? arr(e.Folders)
            .map((f) => ({
              name: String(f.Name ?? ''),
              bytes: num(f.Bytes),
              microsoft: isMicrosoftEspFolder(String(f.Name ?? '')),
              loaders: num(f.Loaders),
            }))
            .filter((f) => f.name !== '')
        : null
    esp = {
      disk: num(e.DiskNumber) ?? -1,
      partition: num(e.PartitionNumber) ?? -1,
      sizeBytes: num(e.Size) ?? 0,
      freeBytes: num(e.SizeRemaining),
      folders: foldersErr ? null : folders,
      foldersDetail: foldersErr
        ? `What occupies the EFI partition is unknown: its folders could not be read without mounting it (${foldersErr}).`
        : folders
          ? `Read through the partition's volume path, without mounting it.`
          : 'Its folders were not listed.',
    }
    issuer = str(e.BootManagerIssuer)
    const issuerErr = str(e.BootManagerError)
    issuerDetail = issuer
      ? `Get-AuthenticodeSignature \\EFI\\Microsoft\\Boot\\bootmgfw.efi: signer issued by ${issuer}`
      : `The boot manager's signer is unknown: \\EFI\\Microsoft\\Boot\\bootmgfw.efi could not be read without mounting the partition${issuerErr ? ` (${issuerErr})` : ''}.`
  }
  return {
    fact: {
      secureBoot,
      db: {
        windowsUefiCa2023: has(db, BOOT_CERTS.windowsUefiCa2023),
        microsoftUefiCa2023: has(db, BOOT_CERTS.microsoftUefiCa2023),
        optionRomUefiCa2023: has(db, BOOT_CERTS.optionRomUefiCa2023),
        windowsProductionPca2011: has(db, BOOT_CERTS.windowsProductionPca2011),
        microsoftUefiCa2011: has(db, BOOT_CERTS.microsoftUefiCa2011),
      },
      kek: { kek2023: has(kek, BOOT_CERTS.kek2023), kek2011: has(kek, BOOT_CERTS.kek2011) },
      pca2011Revoked: has(dbx, BOOT_CERTS.windowsProductionPca2011),
      servicing: {
        availableUpdates: dword('AvailableUpdates'),
        uefiCa2023Status: typeof status === 'string' ? status : null,
        uefiCa2023Error: dword('UEFICA2023Error'),
        windowsUefiCa2023Capable: dword('WindowsUEFICA2023Capable'),
      },
      events,
      bootManager: { signer: bootManagerSigner(issuer), issuer, detail: issuerDetail },
      esp,
      warnings,
    },
    warnings,
  }
}
