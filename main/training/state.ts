/**
 * The training machine's state model: a small, faithful picture of a PC's servicing state.
 *
 * Renderers (`renderers/`) print it in Windows' real output formats for the commands probes run;
 * command handlers change it (DISM adds a package → Install Pending; a restart completes pending work).
 * Values are stored the way Windows stores them (edition IDs, package state words, signed HRESULTs).
 */
import type { MachineArch } from '../../preload/model/common.ts'

export interface TrainingPackage {
  /** Full package identity, e.g. `Package_for_RollupFix~31bf3856ad364e35~arm64~~26100.1150.1.10`. */
  identity: string
  /** As DISM prints it: `Installed`, `Staged`, `Install Pending`, `Uninstall Pending`, `Superseded`. */
  state: 'Installed' | 'Staged' | 'Install Pending' | 'Uninstall Pending' | 'Superseded'
  /** As DISM prints it: `Security Update`, `Update`, `Feature Pack`, `Language Pack`, `Foundation`, `OnDemand Pack`. */
  releaseType: string
  /** ISO 8601 (UTC). */
  installTime: string
  kb?: string
}

export interface TrainingHistoryEntry {
  title: string
  /** ISO 8601 (UTC). */
  date: string
  operation: 'install' | 'uninstall'
  /** IUpdateHistoryEntry.ResultCode: 1 in progress, 2 succeeded, 3 succeeded with errors, 4 failed, 5 aborted. */
  resultCode: 1 | 2 | 3 | 4 | 5
  /** Signed 32-bit HRESULT as the COM API returns it (0 on success). */
  hresult: number
}

export interface TrainingHotfix {
  kb: string
  description: 'Update' | 'Security Update' | 'Hotfix'
  /** As Get-HotFix shows it (en-US M/D/YYYY), or null. */
  installedOn: string | null
}

export interface TrainingPartition {
  number: number
  offsetBytes: number
  sizeBytes: number
  /** Used bytes of the file system, or null for partitions without one (MSR). */
  usedBytes: number | null
  /** GPT type GUID in braces, as Get-Partition shows it. */
  gptType: string
  driveLetter: string | null
  label: string | null
  fileSystem: string | null
}

export interface TrainingDisk {
  number: number
  sizeBytes: number
  partitionStyle: 'GPT' | 'MBR'
  model: string
  partitions: TrainingPartition[]
}

export interface TrainingService {
  name: string
  displayName: string
  status: 'Running' | 'Stopped'
  startType: 'Automatic' | 'AutomaticDelayedStart' | 'Manual' | 'Disabled'
}

export interface TrainingWinre {
  enabled: boolean
  /** Where winre.wim sits when enabled (recovery partition) — disk/partition numbers. */
  diskNumber: number
  partitionNumber: number
  /** WinRE image version, e.g. `10.0.26100.7297`. */
  version: string
  bcdId: string
  /** True when winre.wim exists in C:\Windows\System32\Recovery (staged, WinRE disabled). */
  stagedImage: boolean
  /** True when winre.wim exists on the recovery partition. */
  imageOnPartition: boolean
  /** Size of winre.wim in bytes (needs this much room on the partition to enable). */
  imageSizeBytes: number
}

export interface TrainingReboot {
  cbsRebootPending: boolean
  cbsPackagesPending: boolean
  wuRebootRequired: boolean
  pendingFileRenameOperations: string[]
  computerRenamePending: boolean
  /** CBS's RebootInProgress key: servicing is mid-way through its restart work (absent: not set). */
  cbsRebootInProgress?: boolean
}

/** A fault the training machine reproduces when a command runs, e.g. DISM failing to add a package. */
export interface TrainingFault {
  /** Which command it affects (CommandSpec name) and, optionally, which KB. */
  command: string
  kb?: string
  /** Signed HRESULT DISM reports, e.g. 0x800F0922 → -2146498270. */
  hresult: number
  /** Error text DISM prints. */
  message: string
  /** When this fault clears: never, once a KB is installed, or after N occurrences. */
  until?: { installedKb?: string; times?: number }
  /** Only while the component store is damaged (`componentStore.damaged` not empty): a repaired store clears it. */
  whileStoreCorrupt?: boolean
  /** Only while the EFI system partition has less than 15 MB free: freeing space clears it. */
  whileEspFull?: boolean
  /** Only while a Windows Update working folder (`wuFolders`) is damaged: renaming it (reset-wu-components) clears it. */
  whileWuFoldersDamaged?: boolean
  /**
   * Only while a restart is pending (CBS RebootPending, packages waiting for the restart, WU RebootRequired or
   * pending file renames): CBS_E_PENDING (0x800F0806). A restart clears it, as on Windows.
   */
  whileRestartPending?: boolean
}

/** The component store (WinSxS) as DISM /CheckHealth, /ScanHealth, /RestoreHealth and sfc see it. */
export interface TrainingComponentStore {
  /** What is damaged, as CBS.log's CheckSUR lines name it. */
  damaged: Array<{ kind: 'payload' | 'manifest'; name: string }>
  /** A failed operation flagged the store (what /CheckHealth reports without scanning). */
  flagged: boolean
  /** Windows Update can supply the damaged files (RestoreHealth without /Source repairs); false → 0x800F081F. */
  repairableFromWindowsUpdate: boolean
}

/**
 * The boot chain as Windows shows it: Secure Boot, the certificate names in db/KEK and the
 * revocations in dbx, the SecureBoot registry values, TPM-WMI events, the boot manager's signing CA and the
 * EFI partition's top-level folders. The partition's size and used bytes live in `disks` (partition 1).
 */
export interface TrainingBootChain {
  /** What Confirm-SecureBootUEFI answers: True, False, or "Cmdlet not supported on this platform". */
  secureBoot: 'True' | 'False' | 'unsupported'
  db: string[]
  kek: string[]
  /** Certificates dbx revokes (only Microsoft Windows Production PCA 2011 is looked for). */
  dbx: string[]
  /** Values under HKLM\SYSTEM\CurrentControlSet\Control\SecureBoot and its Servicing sub-key. */
  registry: { secureBoot: Record<string, number>; servicing: Record<string, string | number> }
  events: { id: number; time: string; level: 'Information' | 'Warning' | 'Error'; message: string }[]
  /** SignerCertificate.Issuer of \EFI\Microsoft\Boot\bootmgfw.efi, or null when not readable. */
  bootManagerIssuer: string | null
  /** Top-level \EFI folders with their sizes; null when not readable without mounting. */
  espFolders: { name: string; bytes: number; files?: number; loaders?: number }[] | null
  /** Folders robocopy /MOVE took off the EFI partition, and where to (`to`, as the command named it): they can be moved back. */
  espMoved?: { name: string; bytes: number; files?: number; loaders?: number; to: string }[]
}

export interface TrainingState {
  name: string
  title: string
  scenario: string
  sources: string[]
  os: {
    productName: string
    editionId: string
    displayVersion: string
    currentBuild: number
    ubr: number
    computerName: string
    installationType: 'Client' | 'Server'
    registeredOwner: string
    installDate: number
    nativeArch: MachineArch
    /** The app's process architecture on this machine (x64 on an ARM64 laptop = emulated). */
    processArch: MachineArch
    elevated: boolean
  }
  packages: TrainingPackage[]
  history: TrainingHistoryEntry[]
  hotfixes: TrainingHotfix[]
  reboot: TrainingReboot
  systemDrive: { letter: string; sizeBytes: number; freeBytes: number }
  disks: TrainingDisk[]
  /** `recoveryPassword`: a recovery password protector exists (absent: one does whenever protection is on). */
  bitlocker: {
    protectionStatus: 'On' | 'Off'
    encryptionPercentage: number
    tpmProtector: boolean
    recoveryPassword?: boolean
    /** The key protectors cannot be read (Get-BitLockerVolume lists no KeyProtector, manage-bde is not asked): unknown, never "none". */
    protectorsUnread?: boolean
  }
  services: TrainingService[]
  winre: TrainingWinre
  faults: TrainingFault[]
  /** Work that completes at the next restart (set by command handlers). */
  pendingOnRestart: PendingAction[]
  /** How many times the machine was restarted in training. */
  restarts: number
  /**
   * When Windows last started (ISO 8601, UTC; what Win32_OperatingSystem.LastBootUpTime reports). A restart
   * moves it to the restart's time. Absent (profiles and states saved before it existed): `lastBootOf` derives
   * it from the machine's own history.
   */
  lastBoot?: string
  /** Files the scenario adds beyond the logs (path → content). */
  files: Record<string, string>
  /** The component store (WinSxS); absent = healthy (main/training/renderers/repair.ts). */
  componentStore?: TrainingComponentStore
  /**
   * Windows Update's working folders under C:\Windows (`SoftwareDistribution\DataStore`, `SoftwareDistribution\Download`,
   * `System32\catroot2`, and renamed copies such as `SoftwareDistribution\DataStore.sd-20261123-011500`): whether each
   * exists and whether its contents are damaged. Absent = all present and sound; a state saved with the whole
   * `SoftwareDistribution` reads as its DataStore and Download (main/training/renderers/wu-components.ts foldersOf).
   */
  wuFolders?: Record<string, { damaged: boolean }>
  /**
   * Task Scheduler's registry cache of \Microsoft\Windows\PI\SecureBootEncodeUEFI: the Tree key's ID (the task's GUID)
   * and which of that GUID's keys exist. Absent: registered whole (Tree, Plain and Tasks; main/training/renderers/task-cache.ts).
   */
  secureBootEncodeTask?: TrainingTaskCache
  /** The boot chain; machines without it answer the boot-chain command "not modelled". */
  bootChain?: TrainingBootChain
  /**
   * Installation media (ISOs) mounted at drive letters: `<letter>:\sources\<file>` exists (in
   * `files`) and DISM /Get-WimInfo lists these images; RestoreHealth /Source:wim:<file>:<index> repairs the
   * store only from an index of the PC's build (or its servicing base), UBR and architecture
   * (main/training/renderers/wim-info.ts, repair.ts). Absent = nothing mounted.
   */
  mountedMedia?: TrainingMedium[]
}

/** One scheduled task's entries under HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Schedule\TaskCache. */
export interface TrainingTaskCache {
  /** The GUID in braces, as the Tree key's ID value holds it. */
  id: string
  tree: boolean
  maintenance: boolean
  plain: boolean
  tasks: boolean
}

/** A mounted installation medium as DISM /Get-WimInfo shows it (test/fixtures/dism-image-info). */
export interface TrainingMedium {
  letter: string
  file: 'install.wim' | 'install.esd'
  images: Array<{
    index: number
    name: string
    edition: string
    arch: 'x64' | 'arm64' | 'x86'
    build: number
    spBuild: number
    sizeBytes: number
    created: string
  }>
}

export type PendingAction =
  | { kind: 'complete-package'; identity: string; kb?: string; sets?: { ubr?: number } }
  | { kind: 'history'; entry: TrainingHistoryEntry }
  /** DISM /Remove-Package of an installed package: it leaves at the restart; the build returns to `sets.ubr`. */
  | { kind: 'remove-package'; identity: string; sets?: { ubr?: number } }
  /** Windows' Secure Boot certificate update, started by its task: it finishes at the restart (renderers/boot-chain.ts). */
  | { kind: 'secure-boot-update' }

export const GPT = {
  efi: '{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}',
  msr: '{e3c9e316-0b5c-4db8-817d-f92df00215ae}',
  basicData: '{ebd0a0a2-b9e5-4433-87c0-68b6b72699c7}',
  recovery: '{de94bba4-06d1-4d40-a16a-bfd50179d6ac}',
} as const

const HOUR = 3600_000

/**
 * When the machine last started. A profile that does not set `lastBoot` booted an hour before the first thing
 * still waiting for a restart or the newest failed/unfinished update (those happened since the boot, so they are
 * current), or else ten minutes after its newest update (the restart that completed it).
 */
export function lastBootOf(state: TrainingState): string {
  if (state.lastBoot) return state.lastBoot
  const ms = (iso: string) => Date.parse(iso)
  const since = [
    ...state.packages
      .filter((p) => p.state === 'Install Pending' || p.state === 'Uninstall Pending')
      .map((p) => ms(p.installTime)),
    ...state.history.filter((h) => h.resultCode !== 2).map((h) => ms(h.date)),
  ].filter(Number.isFinite)
  if (since.length) return new Date(Math.min(...since) - HOUR).toISOString()
  const before = [...state.history.map((h) => ms(h.date)), ...state.packages.map((p) => ms(p.installTime))].filter(
    Number.isFinite,
  )
  return new Date((before.length ? Math.max(...before) : Date.UTC(2026, 0, 1)) + HOUR / 6).toISOString()
}

/** A restart is pending by any of the sources Windows keeps (servicing-facts §7). */
export function restartPending(state: TrainingState): boolean {
  const r = state.reboot
  return (
    r.cbsRebootPending ||
    r.cbsPackagesPending ||
    r.wuRebootRequired ||
    r.pendingFileRenameOperations.length > 0 ||
    r.computerRenamePending ||
    state.pendingOnRestart.length > 0
  )
}

/** `(KB1234567)` in an update title, as Windows Update names it. */
function kbInTitle(title: string): string | null {
  return /\((KB\d{6,7})\)/i.exec(title)?.[1]?.toUpperCase() ?? null
}

/**
 * Applies a restart at `at`: pending package work completes, reboot flags clear, the update-history entries of
 * the updates that completed read Succeeded (not In progress), the last boot time moves to `at`. Pure: returns a
 * new state.
 */
/**
 * The restart after the Secure-Boot-Update task (KB5068202's sequence; the knowledge's `start-update`): the boot manager
 * signed by Windows UEFI CA 2023 is in place (event 1799), UEFICA2023Status says Updated and event 1808 is logged
 * (KB5016061's texts, as the profile x64-efi-partition-full carries them); AvailableUpdates 0x4000 and
 * WindowsUEFICA2023Capable 2 as on that profile's finished device (`capable-value`: 2 = in db and booting the 2023 boot manager).
 */
function finishSecureBootUpdate(next: TrainingState, at: Date): void {
  const b = next.bootChain
  if (!b) return
  b.bootManagerIssuer = 'CN=Windows UEFI CA 2023, O=Microsoft Corporation, C=US'
  b.registry.secureBoot.AvailableUpdates = 0x4000
  b.registry.servicing.UEFICA2023Status = 'Updated'
  b.registry.servicing.WindowsUEFICA2023Capable = 2
  const time = at.toISOString()
  b.events.unshift(
    {
      id: 1808,
      time,
      level: 'Information',
      message: 'This device has updated Secure Boot CA/keys. This device signature information is included here.',
    },
    {
      id: 1799,
      time,
      level: 'Information',
      message: 'Boot Manager signed with Windows UEFI CA 2023 was installed successfully',
    },
  )
}

export function restartMachine(state: TrainingState, at: Date = new Date()): TrainingState {
  const next: TrainingState = structuredClone(state)
  const completed = new Set<string>()
  for (const action of next.pendingOnRestart) {
    if (action.kind === 'complete-package') {
      const pkg = next.packages.find((p) => p.identity === action.identity)
      if (pkg) pkg.state = 'Installed'
      const kb = action.kb ?? pkg?.kb
      if (kb) completed.add(kb.toUpperCase())
      if (action.sets?.ubr !== undefined && action.sets.ubr > next.os.ubr) next.os.ubr = action.sets.ubr
    } else if (action.kind === 'history') {
      next.history.unshift(action.entry)
    } else if (action.kind === 'remove-package') {
      next.packages = next.packages.filter((p) => p.identity !== action.identity)
      if (action.sets?.ubr !== undefined) {
        next.os.ubr = action.sets.ubr
        // The cumulative update the PC returns to is the installed one again (no longer Superseded).
        const back = next.packages.find(
          (p) => /^Package_for_RollupFix~/i.test(p.identity) && p.identity.includes(`.${action.sets!.ubr}.`),
        )
        if (back) back.state = 'Installed'
      }
    } else if (action.kind === 'secure-boot-update') {
      finishSecureBootUpdate(next, at)
    }
  }
  // An update that was In progress because it waited for the restart has finished installing.
  for (const h of next.history) {
    const kb = kbInTitle(h.title)
    if (h.resultCode === 1 && kb && completed.has(kb)) {
      h.resultCode = 2
      h.hresult = 0
    }
  }
  next.pendingOnRestart = []
  next.reboot = {
    cbsRebootPending: false,
    cbsPackagesPending: false,
    wuRebootRequired: false,
    pendingFileRenameOperations: [],
    computerRenamePending: false,
  }
  // The servicing that ran across the restart has finished: the Windows Modules Installer stops when its work is done.
  for (const svc of next.services)
    if (/^trustedinstaller$/i.test(svc.name) && svc.status === 'Running') svc.status = 'Stopped'
  next.restarts += 1
  next.lastBoot = at.toISOString()
  return next
}
