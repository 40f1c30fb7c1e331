/**
 * ARM64 laptop shipped with an early 24H2 build (26100.1150, before the 26100.1742 checkpoint).
 * The 2026-04 cumulative update KB5086672 fails with 0x800F0922 because its checkpoint prerequisite
 * KB5043080 is missing. Source: learn.microsoft.com/windows/deployment/update/catalog-checkpoint-cumulative-updates.
 */
import type { TrainingState } from '../state.ts'
import { basePackages, noReboot, standardDisk, standardServices, systemDriveOf } from './build-profile.ts'

const disk = standardDisk({ diskGb: 512, recoveryMb: 1024, recoveryUsedMb: 710, osUsedGb: 138, model: 'SK hynix BC901 HFS512GEJ4X' })

export const arm64MissingCheckpoint: TrainingState = {
  name: 'arm64-missing-checkpoint',
  title: 'ARM64 laptop, 24H2, missing checkpoint',
  scenario: 'An ARM64 laptop on an early Windows 11 24H2 build (26100.1150). The April 2026 cumulative update KB5086672 fails with 0x800F0922 because the checkpoint update KB5043080 (26100.1742) it needs was never installed.',
  sources: [
    'https://learn.microsoft.com/windows/deployment/update/catalog-checkpoint-cumulative-updates',
    'https://github.com/abbodi1406/BatUtil/issues/67',
  ],
  os: {
    productName: 'Windows 10 Pro', editionId: 'Professional', displayVersion: '24H2', currentBuild: 26100, ubr: 1150,
    computerName: 'FIELD-ARM-07', installationType: 'Client', registeredOwner: 'Contoso', installDate: 1719792000,
    nativeArch: 'arm64', processArch: 'x64', elevated: true,
  },
  packages: basePackages({ arch: 'arm64', base: 26100, ubr: 1150, lcuKb: 'KB5040435', lcuInstalled: '2024-07-10T09:12:44Z', imageDate: '2024-06-18T14:02:10Z' }),
  history: [
    { title: '2026-04 Cumulative Update for Windows 11 Version 24H2 for arm64-based Systems (KB5086672)', date: '2026-04-15T02:41:09Z', operation: 'install', resultCode: 4, hresult: -2146498270 },
    { title: '2026-04 Cumulative Update for Windows 11 Version 24H2 for arm64-based Systems (KB5086672)', date: '2026-04-14T19:03:51Z', operation: 'install', resultCode: 4, hresult: -2146498270 },
    { title: 'Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.449.112.0)', date: '2026-04-14T18:40:02Z', operation: 'install', resultCode: 2, hresult: 0 },
    { title: '2024-07 Cumulative Update for Windows 11 Version 24H2 for arm64-based Systems (KB5040435)', date: '2024-07-10T09:12:44Z', operation: 'install', resultCode: 2, hresult: 0 },
  ],
  hotfixes: [
    { kb: 'KB5040435', description: 'Security Update', installedOn: '7/10/2024' },
    { kb: 'KB5039335', description: 'Update', installedOn: '6/18/2024' },
  ],
  reboot: noReboot,
  systemDrive: systemDriveOf(disk),
  disks: [disk],
  bitlocker: { protectionStatus: 'On', encryptionPercentage: 100, tpmProtector: true },
  services: standardServices(),
  winre: { enabled: true, diskNumber: 0, partitionNumber: 4, version: '10.0.26100.1150', bcdId: '{f1e2d3c4-1a2b-11ef-9a4e-c8a3e8b1d2f0}', stagedImage: false, imageOnPartition: true, imageSizeBytes: 690 * 1024 * 1024 },
  faults: [
    { command: 'install.dism-add-package', kb: 'KB5086672', hresult: -2146498270, message: 'An error occurred applying the Unattend.xml file from the .msu package.\nFor more information, review the log file.', until: { installedKb: 'KB5043080' } },
  ],
  pendingOnRestart: [],
  restarts: 0,
  files: {},
}
