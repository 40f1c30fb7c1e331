/**
 * ARM64 laptop shipped with an early 24H2 build (26100.1150, before the 26100.1742 checkpoint).
 * The out-of-band cumulative update KB5086672 (March 31, 2026, 26100.8117) fails because its checkpoint
 * prerequisite KB5043080 is missing.
 * Documented: KB5086672 needs KB5043080 first (support.microsoft.com/help/5086672; the checkpoint rule:
 * learn.microsoft.com/windows/deployment/update/catalog-checkpoint-cumulative-updates).
 * Inferred (this scenario's assumption): the error shown. No Microsoft source names the error a missing
 * checkpoint produces; 0x800F0922 is what this training machine reports, and community scripts tie
 * 0x800F0838 to a missing checkpoint instead.
 */
import type { TrainingState } from '../state.ts'
import { basePackages, noReboot, standardDisk, standardServices, systemDriveOf } from './build-profile.ts'

const disk = standardDisk({
  diskGb: 512,
  recoveryMb: 1024,
  recoveryUsedMb: 710,
  osUsedGb: 138,
  model: 'SK hynix BC901 HFS512GEJ4X',
})

export const arm64MissingCheckpoint: TrainingState = {
  name: 'arm64-missing-checkpoint',
  title: 'ARM64 laptop, 24H2, missing checkpoint',
  scenario:
    "An ARM64 laptop on an early Windows 11 24H2 build (26100.1150). The out-of-band cumulative update KB5086672 (March 31, 2026, 26100.8117) keeps failing: the checkpoint update KB5043080 (26100.1742) Microsoft says it needs first was never installed. The error it shows here, 0x800F0922, is this scenario's assumption: no Microsoft source names the error a missing checkpoint produces (community scripts tie 0x800F0838 to it).",
  sources: [
    'https://learn.microsoft.com/windows/deployment/update/catalog-checkpoint-cumulative-updates',
    'https://support.microsoft.com/help/5086672',
    'https://github.com/abbodi1406/BatUtil/issues/67',
  ],
  os: {
    productName: 'Windows 10 Pro',
    editionId: 'Professional',
    displayVersion: '24H2',
    currentBuild: 26100,
    ubr: 1150,
    computerName: 'FIELD-ARM-07',
    installationType: 'Client',
    registeredOwner: 'Contoso',
    installDate: 1719792000,
    nativeArch: 'arm64',
    processArch: 'x64',
    elevated: true,
  },
  packages: basePackages({
    arch: 'arm64',
    base: 26100,
    ubr: 1150,
    lcuKb: 'KB5040435',
    lcuInstalled: '2024-07-10T09:12:44Z',
    imageDate: '2024-06-18T14:02:10Z',
  }),
  history: [
    {
      title: '2026-03 Cumulative Update for Windows 11 Version 24H2 for arm64-based Systems (KB5086672)',
      date: '2026-04-15T02:41:09Z',
      operation: 'install',
      resultCode: 4,
      hresult: -2146498270,
    },
    {
      title: '2026-03 Cumulative Update for Windows 11 Version 24H2 for arm64-based Systems (KB5086672)',
      date: '2026-04-14T19:03:51Z',
      operation: 'install',
      resultCode: 4,
      hresult: -2146498270,
    },
    {
      title: 'Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.449.112.0)',
      date: '2026-04-14T18:40:02Z',
      operation: 'install',
      resultCode: 2,
      hresult: 0,
    },
    {
      title: '2024-07 Cumulative Update for Windows 11 Version 24H2 for arm64-based Systems (KB5040435)',
      date: '2024-07-10T09:12:44Z',
      operation: 'install',
      resultCode: 2,
      hresult: 0,
    },
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
  winre: {
    enabled: true,
    diskNumber: 0,
    partitionNumber: 4,
    version: '10.0.26100.1150',
    bcdId: '{f1e2d3c4-1a2b-11ef-9a4e-c8a3e8b1d2f0}',
    stagedImage: false,
    imageOnPartition: true,
    imageSizeBytes: 690 * 1024 * 1024,
  },
  faults: [
    {
      command: 'install.dism-add-package',
      kb: 'KB5086672',
      hresult: -2146498270,
      message:
        'An error occurred applying the Unattend.xml file from the .msu package.\nFor more information, review the log file.',
      until: { installedKb: 'KB5043080' },
    },
  ],
  pendingOnRestart: [],
  restarts: 0,
  files: {},
}
