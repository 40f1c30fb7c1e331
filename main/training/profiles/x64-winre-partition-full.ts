/**
 * Windows 10 22H2 (19045.3803) where the WinRE update KB5034441 fails with 0x80070643: the recovery
 * partition has less than the 250 MB free the update needs (the underlying condition was
 * CBS_E_INSUFFICIENT_DISK_SPACE). Fix: KB5028997's partition resize.
 */
import type { TrainingState } from '../state.ts'
import { basePackages, noReboot, standardDisk, standardServices, systemDriveOf } from './build-profile.ts'

const disk = standardDisk({ diskGb: 256, recoveryMb: 529, recoveryUsedMb: 446, osUsedGb: 142, model: 'ST256GM-WD' })

export const x64WinrePartitionFull: TrainingState = {
  name: 'x64-winre-partition-full',
  title: 'Windows 10 22H2, recovery partition full',
  scenario:
    'A Windows 10 22H2 PC where the WinRE update KB5034441 keeps failing with 0x80070643: the recovery partition has only 83 MB free, the update needs 250 MB. The fix is the partition resize Microsoft documents in KB5028997.',
  sources: [
    'https://support.microsoft.com/topic/kb5028997-instructions-to-manually-resize-your-partition-to-install-the-winre-update-400faa27-9343-461c-ada9-24c8229763bf',
    'https://support.microsoft.com/topic/kb5034441-windows-recovery-environment-update-for-windows-10-version-21h2-and-22h2-january-9-2024-62c04204-aaa5-4fee-a02a-2fdea17075a8',
  ],
  os: {
    productName: 'Windows 10 Pro',
    editionId: 'Professional',
    displayVersion: '22H2',
    currentBuild: 19045,
    ubr: 3803,
    computerName: 'RECEPTION-02',
    installationType: 'Client',
    registeredOwner: 'Contoso',
    installDate: 1613001600,
    nativeArch: 'x64',
    processArch: 'x64',
    elevated: true,
  },
  packages: basePackages({
    arch: 'amd64',
    base: 19041,
    ubr: 3803,
    lcuKb: 'KB5033372',
    lcuInstalled: '2023-12-13T07:45:00Z',
    imageDate: '2021-02-11T09:00:00Z',
    ssuUbr: 3684,
  }),
  history: [
    {
      title: '2024-01 Security Update for Windows 10 Version 22H2 for x64-based Systems (KB5034441)',
      date: '2024-01-10T03:05:12Z',
      operation: 'install',
      resultCode: 4,
      hresult: -2147023293,
    },
    {
      title: '2024-01 Security Update for Windows 10 Version 22H2 for x64-based Systems (KB5034441)',
      date: '2024-01-09T20:14:31Z',
      operation: 'install',
      resultCode: 4,
      hresult: -2147023293,
    },
    {
      title: '2023-12 Cumulative Update for Windows 10 Version 22H2 for x64-based Systems (KB5033372)',
      date: '2023-12-13T07:45:00Z',
      operation: 'install',
      resultCode: 2,
      hresult: 0,
    },
  ],
  hotfixes: [
    { kb: 'KB5033372', description: 'Security Update', installedOn: '12/13/2023' },
    { kb: 'KB5031539', description: 'Update', installedOn: '11/15/2023' },
  ],
  reboot: noReboot,
  systemDrive: systemDriveOf(disk),
  disks: [disk],
  bitlocker: { protectionStatus: 'On', encryptionPercentage: 100, tpmProtector: true },
  services: standardServices(),
  winre: {
    enabled: true,
    diskNumber: 0,
    partitionNumber: 4,
    version: '10.0.19041.3636',
    bcdId: '{4a6f0c1e-cb62-11eb-8a5f-9c7bef31a0d2}',
    stagedImage: false,
    imageOnPartition: true,
    imageSizeBytes: 420 * 1024 * 1024,
  },
  faults: [],
  pendingOnRestart: [],
  restarts: 0,
  files: {},
}
