/**
 * Reads disks, partitions, volumes, the WinRE location and BitLocker from our storage script's JSON
 * (Get-Disk, Get-Partition, Get-Volume, `reagentc /info`, Get-BitLockerVolume).
 *
 * Partition roles come from the GPT type GUID (UEFI spec / learn.microsoft.com "Configure UEFI/GPT-based
 * hard drive partitions"): c12a7328-… EFI system, e3c9e316-… MSR, ebd0a0a2-… basic data,
 * de94bba4-… Windows recovery; MBR type 0x27 is a recovery partition. WinRE's partition is the one
 * `reagentc /info` names as `\\?\GLOBALROOT\device\harddiskN\partitionM\Recovery\WindowsRE` — the
 * number pair is the same in every display language.
 */
import type { Disk, Partition, StorageFact } from '../../preload/model/snapshot.ts'
import { parseManageBdeStatus } from './manage-bde-status.ts'

export const GPT_TYPES = {
  system: 'c12a7328-f81f-11d2-ba4b-00a0c93ec93b',
  msr: 'e3c9e316-0b5c-4db8-817d-f92df00215ae',
  basicData: 'ebd0a0a2-b9e5-4433-87c0-68b6b72699c7',
  recovery: 'de94bba4-06d1-4d40-a16a-bfd50179d6ac',
} as const

export const STORAGE_SCRIPT = [
  '$ErrorActionPreference = "SilentlyContinue"',
  '$bl = $null',
  'try { $b = Get-BitLockerVolume -MountPoint $env:SystemDrive -ErrorAction Stop',
  '  $bl = [pscustomobject]@{ ProtectionStatus = [string]$b.ProtectionStatus; EncryptionPercentage = $b.EncryptionPercentage; VolumeStatus = [string]$b.VolumeStatus; KeyProtectorTypes = @($b.KeyProtector | ForEach-Object { [string]$_.KeyProtectorType }) } } catch {}',
  '[pscustomobject]@{',
  '  SystemDrive = $env:SystemDrive',
  "  Disks = @(Get-Disk | Select-Object Number, Size, @{n='PartitionStyle';e={[string]$_.PartitionStyle}})",
  "  Partitions = @(Get-Partition | Select-Object DiskNumber, PartitionNumber, Offset, Size, GptType, MbrType, @{n='DriveLetter';e={if ($_.DriveLetter -match '[A-Z]') {[string]$_.DriveLetter}}}, @{n='AccessPaths';e={@($_.AccessPaths)}})",
  "  Volumes = @(Get-Volume | Select-Object @{n='DriveLetter';e={if ($_.DriveLetter -match '[A-Z]') {[string]$_.DriveLetter}}}, Path, FileSystemLabel, Size, SizeRemaining)",
  '  ReagentcInfo = (reagentc.exe /info | Out-String)',
  '  BitLocker = $bl',
  '} | ConvertTo-Json -Depth 4 -Compress',
].join('\n')

export interface StorageResult {
  fact: StorageFact | null
  /** WinRE's location as reagentc named it, when it did. */
  winreLocation: { disk: number; partition: number; path: string } | null
  warnings: string[]
}

type Json = Record<string, unknown>
const num = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null
const letter = (v: unknown): string | null => (typeof v === 'string' && /^[A-Za-z]$/.test(v) ? v.toUpperCase() : null)
const arr = (v: unknown): Json[] =>
  (Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : []).filter(
    (x): x is Json => typeof x === 'object' && x !== null,
  )

/** Finds WinRE's disk/partition in `reagentc /info` text (any language). */
export function winreLocationFromReagentc(text: string): { disk: number; partition: number; path: string } | null {
  const m = /(\\\\\?\\GLOBALROOT\\device\\harddisk(\d+)\\partition(\d+)\\[^\s]*)/i.exec(text)
  return m ? { disk: Number(m[2]), partition: Number(m[3]), path: m[1] } : null
}

export function normalizeGptType(v: unknown): string | null {
  if (typeof v !== 'string') return null
  const g = v
    .trim()
    .replace(/^\{|\}$/g, '')
    .toLowerCase()
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(g) ? g : null
}

export function parseStorageLayout(input: string, manageBdeText?: string): StorageResult {
  const text = (typeof input === 'string' ? input : '').trim().replace(/^\uFEFF/, '')
  let o: Json
  try {
    const d: unknown = JSON.parse(text)
    if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new Error('not an object')
    o = d as Json
  } catch {
    return {
      fact: null,
      winreLocation: null,
      warnings: ['The storage output is not the JSON object our script prints.'],
    }
  }
  const warnings: string[] = []
  const sysLetter = letter(String(o.SystemDrive ?? 'C:').replace(':', '')) ?? 'C'
  const winre = winreLocationFromReagentc(typeof o.ReagentcInfo === 'string' ? o.ReagentcInfo : '')
  const volumes = arr(o.Volumes)
  const volumeFor = (p: Json): Json | undefined => {
    const paths = (Array.isArray(p.AccessPaths) ? p.AccessPaths : []).filter((x): x is string => typeof x === 'string')
    return (
      volumes.find((v) => typeof v.Path === 'string' && paths.includes(v.Path)) ??
      (letter(p.DriveLetter) ? volumes.find((v) => letter(v.DriveLetter) === letter(p.DriveLetter)) : undefined)
    )
  }
  const partitions: Partition[] = arr(o.Partitions).map((p) => {
    const gpt = normalizeGptType(p.GptType)
    const mbr = num(p.MbrType)
    const type = gpt ?? (mbr !== null && mbr > 0 ? `0x${mbr.toString(16).toUpperCase().padStart(2, '0')}` : null)
    const dl = letter(p.DriveLetter)
    const vol = volumeFor(p)
    const diskNumber = num(p.DiskNumber) ?? -1
    const partitionNumber = num(p.PartitionNumber) ?? -1
    let role: Partition['role'] = 'other'
    if (dl === sysLetter) role = 'os'
    else if (gpt === GPT_TYPES.system || mbr === 0xef) role = 'system'
    else if (gpt === GPT_TYPES.msr) role = 'msr'
    else if (gpt === GPT_TYPES.recovery || mbr === 0x27) role = 'recovery'
    else if (gpt === GPT_TYPES.basicData || mbr === 0x07) role = 'data'
    return {
      diskNumber,
      partitionNumber,
      offsetBytes: num(p.Offset) ?? 0,
      sizeBytes: num(p.Size) ?? 0,
      freeBytes: vol ? num(vol.SizeRemaining) : null,
      type,
      role,
      driveLetter: dl,
      label: vol && typeof vol.FileSystemLabel === 'string' && vol.FileSystemLabel !== '' ? vol.FileSystemLabel : null,
      holdsWinre: winre !== null && winre.disk === diskNumber && winre.partition === partitionNumber,
    }
  })
  const disks: Disk[] = arr(o.Disks).map((d) => {
    const n = num(d.Number) ?? -1
    const style = String(d.PartitionStyle ?? '').toUpperCase()
    return {
      number: n,
      sizeBytes: num(d.Size) ?? 0,
      partitionStyle:
        style === 'GPT' || style === '2'
          ? 'GPT'
          : style === 'MBR' || style === '1'
            ? 'MBR'
            : style === 'RAW' || style === '0'
              ? 'RAW'
              : 'unknown',
      partitions: partitions.filter((p) => p.diskNumber === n).sort((a, b) => a.partitionNumber - b.partitionNumber),
    }
  })
  const sysVol = volumes.find((v) => letter(v.DriveLetter) === sysLetter)
  if (!sysVol) {
    return { fact: null, winreLocation: winre, warnings: [`The system drive ${sysLetter}: was not among the volumes.`] }
  }
  let bitlocker: StorageFact['bitlocker'] = {
    protectionStatus: 'unknown',
    encryptionPercentage: null,
    tpmProtector: null,
  }
  const bl = o.BitLocker && typeof o.BitLocker === 'object' ? (o.BitLocker as Json) : null
  if (bl) {
    const ps = String(bl.ProtectionStatus ?? '').toLowerCase()
    const types = (Array.isArray(bl.KeyProtectorTypes) ? bl.KeyProtectorTypes : []).map((x) => String(x))
    bitlocker = {
      protectionStatus: ps === 'on' || ps === '1' ? 'on' : ps === 'off' || ps === '0' ? 'off' : 'unknown',
      encryptionPercentage: typeof bl.EncryptionPercentage === 'number' ? bl.EncryptionPercentage : null,
      tpmProtector: types.some((t) => /^Tpm/i.test(t)),
      // Without the list (an older probe), whether a recovery password exists is unknown, never "no".
      recoveryPassword: Array.isArray(bl.KeyProtectorTypes) ? types.some((t) => /^RecoveryPassword$/i.test(t)) : null,
    }
  } else if (manageBdeText) {
    const m = parseManageBdeStatus(manageBdeText)
    if (m.recognised)
      bitlocker = {
        protectionStatus: m.protectionStatus,
        encryptionPercentage: m.encryptionPercentage,
        tpmProtector: m.tpmProtector,
        recoveryPassword: m.recoveryPassword,
      }
    else warnings.push('manage-bde output was not recognised; BitLocker state unknown.')
  } else {
    warnings.push('Get-BitLockerVolume gave no answer; BitLocker state unknown.')
  }
  if (winre === null) warnings.push('reagentc did not name a WinRE location (WinRE disabled or reagentc failed).')
  return {
    fact: {
      systemDrive: { letter: sysLetter, sizeBytes: num(sysVol.Size) ?? 0, freeBytes: num(sysVol.SizeRemaining) ?? 0 },
      disks,
      bitlocker,
    },
    winreLocation: winre,
    warnings,
  }
}
