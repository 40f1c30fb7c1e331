/** Builders shared by the training profiles: a standard GPT disk, the servicing services, base packages. */
import { GPT, type TrainingDisk, type TrainingPackage, type TrainingService, type TrainingReboot } from '../state.ts'

const MB = 1024 * 1024
const GB = 1024 * MB

export { MB, GB }

/** GPT disk: EFI 100 MB, MSR 16 MB, OS, recovery partition after the OS partition (the documented layout). */
export function standardDisk(opts: {
  diskGb: number
  recoveryMb: number
  recoveryUsedMb: number
  osUsedGb: number
  model?: string
}): TrainingDisk {
  const size = opts.diskGb * GB
  const efi = 100 * MB
  const msr = 16 * MB
  const first = 1 * MB
  const rec = opts.recoveryMb * MB
  const osOffset = first + efi + msr
  const osSize = size - osOffset - rec - 1 * MB
  return {
    number: 0,
    sizeBytes: size,
    partitionStyle: 'GPT',
    model: opts.model ?? 'NVMe SAMSUNG MZVL2512HCJQ',
    partitions: [
      {
        number: 1,
        offsetBytes: first,
        sizeBytes: efi,
        usedBytes: 33 * MB,
        gptType: GPT.efi,
        driveLetter: null,
        label: null,
        fileSystem: 'FAT32',
      },
      {
        number: 2,
        offsetBytes: first + efi,
        sizeBytes: msr,
        usedBytes: null,
        gptType: GPT.msr,
        driveLetter: null,
        label: null,
        fileSystem: null,
      },
      {
        number: 3,
        offsetBytes: osOffset,
        sizeBytes: osSize,
        usedBytes: Math.round(opts.osUsedGb * GB),
        gptType: GPT.basicData,
        driveLetter: 'C',
        label: 'Windows',
        fileSystem: 'NTFS',
      },
      {
        number: 4,
        offsetBytes: osOffset + osSize,
        sizeBytes: rec,
        usedBytes: opts.recoveryUsedMb * MB,
        gptType: GPT.recovery,
        driveLetter: null,
        label: 'Windows RE tools',
        fileSystem: 'NTFS',
      },
    ],
  }
}

export function systemDriveOf(disk: TrainingDisk): { letter: string; sizeBytes: number; freeBytes: number } {
  const os = disk.partitions.find((p) => p.driveLetter === 'C')!
  return { letter: 'C', sizeBytes: os.sizeBytes, freeBytes: os.sizeBytes - (os.usedBytes ?? 0) }
}

export function standardServices(overrides: Partial<Record<string, Partial<TrainingService>>> = {}): TrainingService[] {
  const base: TrainingService[] = [
    { name: 'wuauserv', displayName: 'Windows Update', status: 'Running', startType: 'Manual' },
    {
      name: 'bits',
      displayName: 'Background Intelligent Transfer Service',
      status: 'Running',
      startType: 'AutomaticDelayedStart',
    },
    { name: 'cryptsvc', displayName: 'Cryptographic Services', status: 'Running', startType: 'Automatic' },
    { name: 'TrustedInstaller', displayName: 'Windows Modules Installer', status: 'Stopped', startType: 'Manual' },
    { name: 'msiserver', displayName: 'Windows Installer', status: 'Stopped', startType: 'Manual' },
    {
      name: 'UsoSvc',
      displayName: 'Update Orchestrator Service',
      status: 'Running',
      startType: 'AutomaticDelayedStart',
    },
  ]
  return base.map((s) => ({ ...s, ...(overrides[s.name] ?? {}) }))
}

export const noReboot: TrainingReboot = {
  cbsRebootPending: false,
  cbsPackagesPending: false,
  wuRebootRequired: false,
  pendingFileRenameOperations: [],
  computerRenamePending: false,
}

/**
 * The packages every Windows client image has, at the given servicing base, plus the LCU (RollupFix)
 * and the servicing stack at the given UBR. `arch` is the identity's word (`amd64` or `arm64`).
 */
export function basePackages(opts: {
  arch: 'amd64' | 'arm64'
  base: number
  ubr: number
  lcuKb: string
  lcuInstalled: string
  imageDate: string
  ssuUbr?: number
}): TrainingPackage[] {
  const { arch, base, ubr } = opts
  const id = (name: string, ver: string) => `${name}~31bf3856ad364e35~${arch}~~${ver}`
  const ssu = opts.ssuUbr ?? ubr
  return [
    {
      identity: id('Package_for_DotNetRollup_481', `10.0.9300.1`),
      state: 'Installed',
      releaseType: 'Update',
      installTime: opts.lcuInstalled,
    },
    {
      identity: id('Package_for_RollupFix', `${base}.${ubr}.1.10`),
      state: 'Installed',
      releaseType: 'Security Update',
      installTime: opts.lcuInstalled,
      kb: opts.lcuKb,
    },
    {
      identity: id(`Package_for_ServicingStack_${ssu}`, `${base}.${ssu}.1.2`),
      state: 'Installed',
      releaseType: 'Update',
      installTime: opts.lcuInstalled,
    },
    {
      identity: id('Microsoft-Windows-Client-LanguagePack-Package', `${base}.1.0.0`).replace(
        `~${arch}~~`,
        `~${arch}~en-US~`,
      ),
      state: 'Installed',
      releaseType: 'Language Pack',
      installTime: opts.imageDate,
    },
    {
      identity: id('Microsoft-Windows-FodMetadata-Package', `${base}.1.0.0`),
      state: 'Installed',
      releaseType: 'Feature Pack',
      installTime: opts.imageDate,
    },
    {
      identity: id('Microsoft-Windows-Foundation-Package', `${base}.1.0.0`),
      state: 'Installed',
      releaseType: 'Foundation',
      installTime: opts.imageDate,
    },
    {
      identity: id('Microsoft-Windows-InternetExplorer-Optional-Package', `${base}.1.0.0`),
      state: 'Installed',
      releaseType: 'OnDemand Pack',
      installTime: opts.imageDate,
    },
    {
      identity: id('OpenSSH-Client-Package', `${base}.1.0.0`),
      state: 'Installed',
      releaseType: 'OnDemand Pack',
      installTime: opts.imageDate,
    },
  ]
}
