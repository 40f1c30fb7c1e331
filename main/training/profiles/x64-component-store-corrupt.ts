/**
 * Windows 11 23H2 (22631.4317) whose component store is corrupt: the November 2024 cumulative update
 * fails with 0x80073712 (ERROR_SXS_COMPONENT_STORE_CORRUPT) and CBS.log shows CSI payload corruption.
 * Source: KB947821 "Fix Windows Update corruptions and installation failures".
 */
import type { TrainingState } from '../state.ts'
import { basePackages, noReboot, standardDisk, standardServices, systemDriveOf } from './build-profile.ts'

const disk = standardDisk({
  diskGb: 256,
  recoveryMb: 750,
  recoveryUsedMb: 540,
  osUsedGb: 171,
  model: 'KINGSTON OM8PDP3256B',
})

export const x64ComponentStoreCorrupt: TrainingState = {
  name: 'x64-component-store-corrupt',
  title: 'Desktop, 23H2, corrupt component store',
  scenario:
    'A Windows 11 23H2 desktop whose component store (WinSxS) has a corrupt payload. Cumulative updates fail with 0x80073712; CBS.log names the corrupt component. RestoreHealth with a source of the same build repairs it.',
  sources: [
    'https://learn.microsoft.com/troubleshoot/windows-server/installing-updates-features-roles/fix-windows-update-errors',
  ],
  os: {
    productName: 'Windows 10 Enterprise',
    editionId: 'Enterprise',
    displayVersion: '23H2',
    currentBuild: 22631,
    ubr: 4317,
    computerName: 'HD-DESK-114',
    installationType: 'Client',
    registeredOwner: 'Contoso IT',
    installDate: 1698796800,
    nativeArch: 'x64',
    processArch: 'x64',
    elevated: true,
  },
  packages: basePackages({
    arch: 'amd64',
    base: 22621,
    ubr: 4317,
    lcuKb: 'KB5044285',
    lcuInstalled: '2024-10-09T08:30:12Z',
    imageDate: '2023-10-31T10:00:00Z',
  }),
  history: [
    {
      title: '2024-11 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB5046633)',
      date: '2024-11-13T03:22:40Z',
      operation: 'install',
      resultCode: 4,
      hresult: -2147010798,
    },
    {
      title: '2024-11 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB5046633)',
      date: '2024-11-12T21:10:05Z',
      operation: 'install',
      resultCode: 4,
      hresult: -2147010798,
    },
    {
      title: '2024-10 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB5044285)',
      date: '2024-10-09T08:30:12Z',
      operation: 'install',
      resultCode: 2,
      hresult: 0,
    },
  ],
  hotfixes: [
    { kb: 'KB5044285', description: 'Security Update', installedOn: '10/9/2024' },
    { kb: 'KB5027397', description: 'Update', installedOn: '10/31/2023' },
  ],
  reboot: noReboot,
  systemDrive: systemDriveOf(disk),
  disks: [disk],
  bitlocker: { protectionStatus: 'Off', encryptionPercentage: 0, tpmProtector: false },
  services: standardServices(),
  winre: {
    enabled: true,
    diskNumber: 0,
    partitionNumber: 4,
    version: '10.0.22621.4317',
    bcdId: '{0b5e7e5c-6f1d-11ee-b962-0242ac120002}',
    stagedImage: false,
    imageOnPartition: true,
    imageSizeBytes: 520 * 1024 * 1024,
  },
  faults: [
    {
      command: 'install.dism-add-package',
      hresult: -2147010798,
      message: 'The component store has been corrupted.',
      whileStoreCorrupt: true,
    },
  ],
  // What CBS.log's CheckSUR lines name (logs/scenarios.ts): Windows Update cannot supply them (0x800F081F);
  // the same-build source (KB5044285, 22631.4317) can.
  componentStore: {
    damaged: [
      {
        kind: 'payload',
        name: 'amd64_microsoft-windows-shell32_31bf3856ad364e35_10.0.22621.4317_none_9c2d7f0e5b1a4c63\\shell32.dll',
      },
      { kind: 'manifest', name: 'Package_for_KB5044285~31bf3856ad364e35~amd64~~22621.4317.1.10' },
    ],
    flagged: true,
    repairableFromWindowsUpdate: false,
  },
  pendingOnRestart: [],
  restarts: 0,
  files: {},
}
