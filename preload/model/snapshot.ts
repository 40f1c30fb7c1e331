/**
 * The MachineSnapshot: one immutable, serialisable value holding every servicing fact of a PC.
 *
 * Export it on one PC (`scan --out FILE`) and import it on another (`--snapshot FILE`).
 * Bump SNAPSHOT_SCHEMA_VERSION (snapshot-version.ts) on any incompatible change.
 */
import { z } from 'zod'
import { factSchema, MachineArchSchema, PackageArchSchema, KbSchema, ErrorCodeSchema } from './common.ts'
import { SNAPSHOT_SCHEMA_VERSION } from './snapshot-version.ts'

export { SNAPSHOT_SCHEMA_VERSION }

export const OsInfoSchema = z.object({
  productName: z.string().nullable(),
  edition: z.string().nullable(),
  displayVersion: z.string().nullable(),
  build: z.number().int().nullable(),
  ubr: z.number().int().nullable(),
  /** `10.0.<build>.<ubr>` when both are known. */
  version: z.string().nullable(),
  /** The machine's real architecture, even when this process is emulated. */
  nativeArch: MachineArchSchema.nullable(),
  /** The architecture this app's process runs as. */
  processArch: MachineArchSchema.nullable(),
  /** True when the process runs under emulation (x64 on ARM64, or x86 under WOW64). */
  emulated: z.boolean().nullable(),
  computerName: z.string().nullable(),
  /** How the native architecture was decided, e.g. `IsWow64Process2`. */
  nativeArchMethod: z.string().nullable(),
  /** The last boot (ISO 8601, UTC) from Win32_OperatingSystem.LastBootUpTime; absent in snapshots from before it was read. */
  lastBootAt: z.string().nullable().optional(),
})
export type OsInfo = z.infer<typeof OsInfoSchema>

export const PackageStateSchema = z.enum([
  'installed',
  'staged',
  'install-pending',
  'uninstall-pending',
  'superseded',
  'absent',
  'other',
])
export type PackageState = z.infer<typeof PackageStateSchema>
export { packageStateAsDism } from './package-state-words.ts'

export const InstalledPackageSchema = z.object({
  identity: z.string(),
  kb: KbSchema.nullable(),
  arch: PackageArchSchema.nullable(),
  /** The identity's version part, e.g. `26100.1742.1.10`. */
  version: z.string().nullable(),
  state: PackageStateSchema,
  releaseType: z.string().nullable(),
  /** ISO 8601 when the text allowed it. */
  installTime: z.string().nullable(),
})
export type InstalledPackage = z.infer<typeof InstalledPackageSchema>

export const PackagesFactSchema = z.object({
  packages: z.array(InstalledPackageSchema),
  /** The effective LCU level: the highest installed Package_for_RollupFix. */
  lcu: z
    .object({ identity: z.string(), version: z.string(), build: z.number().int(), ubr: z.number().int() })
    .nullable(),
  /** The checkpoint the branch needs before later LCUs, and whether this PC has it. */
  checkpoint: z.object({
    kb: KbSchema.nullable(),
    build: z.number().int().nullable(),
    ubr: z.number().int().nullable(),
    present: z.boolean().nullable(),
    reason: z.string(),
  }),
  servicingStackVersion: z.string().nullable(),
})
export type PackagesFact = z.infer<typeof PackagesFactSchema>

export const UpdateHistoryEntrySchema = z.object({
  title: z.string(),
  kb: KbSchema.nullable(),
  date: z.string().nullable(),
  operation: z.enum(['install', 'uninstall', 'other']),
  result: z.enum(['succeeded', 'succeeded-with-errors', 'failed', 'aborted', 'in-progress', 'not-started', 'other']),
  hresult: ErrorCodeSchema.nullable(),
})
export type UpdateHistoryEntry = z.infer<typeof UpdateHistoryEntrySchema>

export const HotfixSchema = z.object({
  kb: KbSchema,
  description: z.string().nullable(),
  installedOn: z.string().nullable(),
})
export type Hotfix = z.infer<typeof HotfixSchema>

export const RebootSourceSchema = z.object({
  id: z.string(),
  label: z.string(),
  pending: z.boolean().nullable(),
  detail: z.string(),
})
export const RebootFactSchema = z.object({
  pending: z.boolean(),
  sources: z.array(RebootSourceSchema),
})
export type RebootFact = z.infer<typeof RebootFactSchema>

export const PartitionSchema = z.object({
  diskNumber: z.number().int(),
  partitionNumber: z.number().int(),
  offsetBytes: z.number(),
  sizeBytes: z.number(),
  freeBytes: z.number().nullable(),
  /** GPT type GUID (lower case, no braces) or MBR type as `0x27`. */
  type: z.string().nullable(),
  role: z.enum(['system', 'msr', 'os', 'recovery', 'data', 'other']),
  driveLetter: z.string().nullable(),
  label: z.string().nullable(),
  holdsWinre: z.boolean(),
})
export type Partition = z.infer<typeof PartitionSchema>

export const DiskSchema = z.object({
  number: z.number().int(),
  sizeBytes: z.number(),
  partitionStyle: z.enum(['GPT', 'MBR', 'RAW', 'unknown']),
  partitions: z.array(PartitionSchema),
})
export type Disk = z.infer<typeof DiskSchema>

export const StorageFactSchema = z.object({
  systemDrive: z.object({ letter: z.string(), sizeBytes: z.number(), freeBytes: z.number() }),
  disks: z.array(DiskSchema),
  bitlocker: z.object({
    protectionStatus: z.enum(['on', 'off', 'unknown']),
    encryptionPercentage: z.number().nullable(),
    tpmProtector: z.boolean().nullable(),
    /** A recovery password protector exists (KeyProtectorType RecoveryPassword; manage-bde "Numerical Password"). Optional: older snapshots lack it (unknown). */
    recoveryPassword: z.boolean().nullable().optional(),
  }),
})
export type StorageFact = z.infer<typeof StorageFactSchema>

export const ServiceStateSchema = z.object({
  name: z.string(),
  displayName: z.string().nullable(),
  status: z.enum(['running', 'stopped', 'start-pending', 'stop-pending', 'paused', 'other']),
  startType: z.enum(['automatic', 'automatic-delayed', 'manual', 'disabled', 'other']),
})
export type ServiceState = z.infer<typeof ServiceStateSchema>

export const WinreFactSchema = z.object({
  status: z.enum(['enabled', 'disabled', 'unknown']),
  location: z.object({ disk: z.number().int(), partition: z.number().int(), path: z.string() }).nullable(),
  bcdId: z.string().nullable(),
  /** WinRE image version, e.g. `10.0.26100.8455`. */
  version: z.string().nullable(),
  /** Where winre.wim sits when WinRE is disabled (`C:\Windows\System32\Recovery\Winre.wim`), or null when missing. */
  stagedImagePath: z.string().nullable(),
  imagePresent: z.boolean().nullable(),
  /** Sources that disagreed, each said plainly. */
  disagreements: z.array(z.string()),
  /** The partition holding WinRE (or, when disabled, the recovery partition `reagentc /enable` would use). Optional: snapshots from before the WinRE probe lack these. */
  recoveryPartition: z
    .object({
      disk: z.number().int(),
      partition: z.number().int(),
      sizeBytes: z.number(),
      freeBytes: z.number().nullable(),
      role: PartitionSchema.shape.role,
      /** Relative to the OS partition: `after` (documented layout), `before`, `same` (WinRE on the OS volume), `other-disk`. */
      position: z.enum(['after', 'before', 'same', 'other-disk', 'unknown']),
      /** Nothing lies between the OS partition and this one (KB5028997's resize needs that). */
      adjacentToOs: z.boolean().nullable(),
    })
    .nullable()
    .optional(),
  osPartition: z
    .object({
      disk: z.number().int(),
      partition: z.number().int(),
      sizeBytes: z.number(),
      freeBytes: z.number().nullable(),
    })
    .nullable()
    .optional(),
  /** The disk WinRE lives on, for drawing its layout to scale. */
  disk: DiskSchema.nullable().optional(),
  bitlocker: z
    .object({ protectionStatus: z.enum(['on', 'off', 'unknown']), tpmProtector: z.boolean().nullable() })
    .optional(),
  /** The WinRE version as each source gave it (`winre.wim` via DISM, reagentc, registry WinREVersion, ReAgent.xml). */
  versions: z.array(z.object({ source: z.string(), version: z.string().nullable() })).optional(),
})
export type WinreFact = z.infer<typeof WinreFactSchema>

const certPresence = z.boolean().nullable()

/**
 * The boot chain: the EFI system partition (size, free space, what occupies it), Secure Boot, the
 * certificates in db/KEK, the PCA 2011 revocation in dbx, Windows' Secure Boot servicing status (registry
 * and TPM-WMI events) and who signed the boot manager. Optional: snapshots from before this probe lack it.
 */
export const BootChainFactSchema = z.object({
  /** `on`/`off` from Confirm-SecureBootUEFI; `unsupported` on a BIOS (non-UEFI) PC; `unknown` when it could not be read. */
  secureBoot: z.enum(['on', 'off', 'unsupported', 'unknown']),
  db: z.object({
    windowsUefiCa2023: certPresence,
    microsoftUefiCa2023: certPresence,
    optionRomUefiCa2023: certPresence,
    windowsProductionPca2011: certPresence,
    microsoftUefiCa2011: certPresence,
  }),
  kek: z.object({ kek2023: certPresence, kek2011: certPresence }),
  /** True when dbx holds the Windows Production PCA 2011 revocation (KB5025885's last step). */
  pca2011Revoked: certPresence,
  servicing: z.object({
    availableUpdates: z.number().int().nullable(),
    uefiCa2023Status: z.string().nullable(),
    uefiCa2023Error: z.number().nullable(),
    windowsUefiCa2023Capable: z.number().int().nullable(),
  }),
  /** TPM-WMI events from the System log (newest first). */
  events: z.array(
    z.object({ id: z.number().int(), time: z.string().nullable(), level: z.string().nullable(), message: z.string() }),
  ),
  /** The boot manager on the EFI partition (the one WinRE also starts through) and its signing CA. */
  bootManager: z.object({
    signer: z.enum(['windows-uefi-ca-2023', 'windows-production-pca-2011', 'other', 'unknown']),
    issuer: z.string().nullable(),
    detail: z.string(),
  }),
  esp: z
    .object({
      disk: z.number().int(),
      partition: z.number().int(),
      sizeBytes: z.number(),
      freeBytes: z.number().nullable(),
      /** Top-level folders of \EFI and their sizes, when readable without mounting; null otherwise. */
      /** `loaders`: how many `.efi` files the folder holds (a boot loader of another OS or the firmware); absent in older snapshots (unknown). */
      folders: z
        .array(
          z.object({
            name: z.string(),
            bytes: z.number().nullable(),
            microsoft: z.boolean(),
            loaders: z.number().int().nullable().optional(),
          }),
        )
        .nullable(),
      foldersDetail: z.string(),
    })
    .nullable(),
  warnings: z.array(z.string()),
})
export type BootChainFact = z.infer<typeof BootChainFactSchema>

export const MachineOriginSchema = z.object({
  kind: z.enum(['this-pc', 'training', 'snapshot', 'remote']),
  /** Training machine name, computer name, or the snapshot's source computer. */
  name: z.string(),
  title: z.string(),
})

export const MachineSnapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  takenAt: z.string(),
  origin: MachineOriginSchema,
  /** The app's own version that took the snapshot. */
  appVersion: z.string(),
  /** Seconds each probe took, by probe id. */
  probeTimings: z.record(z.string(), z.number()),
  os: factSchema(OsInfoSchema),
  packages: factSchema(PackagesFactSchema),
  history: factSchema(z.array(UpdateHistoryEntrySchema)),
  hotfixes: factSchema(z.array(HotfixSchema)),
  reboot: factSchema(RebootFactSchema),
  storage: factSchema(StorageFactSchema),
  services: factSchema(z.array(ServiceStateSchema)),
  winre: factSchema(WinreFactSchema),
  bootChain: factSchema(BootChainFactSchema).optional(),
})
export type MachineSnapshot = z.infer<typeof MachineSnapshotSchema>
export type ProbeId =
  | 'os'
  | 'packages'
  | 'history'
  | 'hotfixes'
  | 'reboot'
  | 'storage'
  | 'services'
  | 'winre'
  | 'bootChain'
