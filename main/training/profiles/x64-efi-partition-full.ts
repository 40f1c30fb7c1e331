/**
 * Windows 11 24H2 x64 whose cumulative update fails with 0x800F0922 because the EFI system partition is
 * nearly full: 100 MB, 7.6 MB free, 52 MB of it a PC vendor's firmware-update folder (\EFI\HP).
 *
 * Documented: Microsoft's "We couldn't update system reserved partition" article names 0x800f0922 when the
 * system reserved / EFI partition is full (third-party tools write to it) and says to free 15 MB (13 MB
 * for updates). Reported (unverified: no Microsoft page read directly): the May 2026 update KB5089549 failed
 * with 0x800f0922 on 24H2/25H2 when the ESP had about 10 MB or less free. This scenario's assumption: the
 * June 2026 cumulative update fails the same way on this PC.
 */
import type { TrainingState } from '../state.ts'
import { MB, basePackages, noReboot, standardDisk, standardServices, systemDriveOf } from './build-profile.ts'

const disk = standardDisk({
  diskGb: 256,
  recoveryMb: 1024,
  recoveryUsedMb: 706,
  osUsedGb: 131,
  model: 'KBG50ZNV256G KIOXIA',
})
const espFolders = [
  { name: 'Microsoft', bytes: Math.round(37.6 * MB) },
  { name: 'Boot', bytes: Math.round(1.6 * MB) },
  // HP's firmware-update images (BIOS\Current, BIOS\Previous, DEVFW: .bin/.sig files), no .efi loader.
  { name: 'HP', bytes: Math.round(52.2 * MB), files: 23, loaders: 0 },
]
const esp = disk.partitions[0]!
esp.usedBytes = espFolders.reduce((a, f) => a + f.bytes, 0) + Math.round(1.0 * MB) // FAT32 tables and directories

const June = '2026-06 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5094126)'

export const x64EfiPartitionFull: TrainingState = {
  name: 'x64-efi-partition-full',
  title: 'Laptop, 24H2, EFI partition full',
  scenario:
    "A Windows 11 24H2 laptop (26100.8117) where the June 2026 cumulative update KB5094126 keeps failing with 0x800F0922 and rolls back: the 100 MB EFI system partition has only 7.6 MB free, most of it taken by a PC vendor's firmware-update folder (\\EFI\\HP). Microsoft documents 0x800f0922 for a full system/EFI partition and asks for 15 MB free; reports from May 2026 tie 0x800f0922 to an ESP with about 10 MB or less free (unverified).",
  sources: [
    'https://support.microsoft.com/en-us/topic/-we-couldn-t-update-system-reserved-partition-error-installing-windows-10-46865f3f-37bb-4c51-c69f-07271b6672ac',
    'https://windowsforum.com/threads/kb5089549-update-fails-on-windows-11-24h2-25h2-efi-space-error-0x800f0922.418822/',
  ],
  os: {
    productName: 'Windows 10 Pro',
    editionId: 'Professional',
    displayVersion: '24H2',
    currentBuild: 26100,
    ubr: 8117,
    computerName: 'SALES-LT-14',
    installationType: 'Client',
    registeredOwner: 'Contoso',
    installDate: 1727773200,
    nativeArch: 'x64',
    processArch: 'x64',
    elevated: true,
  },
  packages: basePackages({
    arch: 'amd64',
    base: 26100,
    ubr: 8117,
    lcuKb: 'KB5086672',
    lcuInstalled: '2026-04-02T08:10:00Z',
    imageDate: '2024-10-01T09:00:00Z',
  }),
  history: [
    { title: June, date: '2026-06-11T03:12:40Z', operation: 'install', resultCode: 4, hresult: -2146498270 },
    { title: June, date: '2026-06-10T19:41:07Z', operation: 'install', resultCode: 4, hresult: -2146498270 },
    {
      title: '2026-05 Safe OS Dynamic Update for Windows 11 Version 24H2 (KB5089593)',
      date: '2026-05-13T08:00:00Z',
      operation: 'install',
      resultCode: 2,
      hresult: 0,
    },
    {
      title: '2026-03 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5086672)',
      date: '2026-04-02T08:10:00Z',
      operation: 'install',
      resultCode: 2,
      hresult: 0,
    },
  ],
  hotfixes: [{ kb: 'KB5086672', description: 'Security Update', installedOn: '4/2/2026' }],
  reboot: noReboot,
  systemDrive: systemDriveOf(disk),
  disks: [disk],
  bitlocker: { protectionStatus: 'On', encryptionPercentage: 100, tpmProtector: true },
  services: standardServices(),
  winre: {
    enabled: true,
    diskNumber: 0,
    partitionNumber: 4,
    version: '10.0.26100.8455',
    bcdId: '{6e1f0a52-8c3d-11ef-9b7a-3c52a1e4f0d9}',
    stagedImage: false,
    imageOnPartition: true,
    imageSizeBytes: 700 * 1024 * 1024,
  },
  faults: [
    {
      command: 'install.dism-add-package',
      kb: 'KB5094126',
      hresult: -2146498270,
      message:
        'An error occurred applying the Unattend.xml file from the .msu package.\nFor more information, review the log file.',
      whileEspFull: true,
    },
  ],
  pendingOnRestart: [],
  restarts: 0,
  files: {},
  bootChain: {
    secureBoot: 'True',
    db: [
      'Microsoft Windows Production PCA 2011',
      'Microsoft Corporation UEFI CA 2011',
      'Windows UEFI CA 2023',
      'Microsoft UEFI CA 2023',
      'Microsoft Option ROM UEFI CA 2023',
    ],
    kek: ['Microsoft Corporation KEK CA 2011', 'Microsoft Corporation KEK 2K CA 2023'],
    dbx: [],
    registry: {
      secureBoot: { AvailableUpdates: 0x4000 },
      servicing: { UEFICA2023Status: 'Updated', WindowsUEFICA2023Capable: 2 },
    },
    events: [
      {
        id: 1808,
        time: '2026-05-20T09:14:02.0000000Z',
        level: 'Information',
        message: 'This device has updated Secure Boot CA/keys. This device signature information is included here.',
      },
      {
        id: 1799,
        time: '2026-05-19T21:02:44.0000000Z',
        level: 'Information',
        message: 'Boot Manager signed with Windows UEFI CA 2023 was installed successfully',
      },
    ],
    bootManagerIssuer: 'CN=Windows UEFI CA 2023, O=Microsoft Corporation, C=US',
    espFolders,
  },
}
