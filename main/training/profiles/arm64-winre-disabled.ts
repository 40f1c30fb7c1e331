/**
 * Windows 11 25H2 ARM64 with WinRE disabled (winre.wim staged in System32\Recovery) and older than the
 * current Safe OS update: WinRE 10.0.26100.7297 (KB5071844, Dec 2025) vs 10.0.26100.8455 (KB5089593, May 2026).
 */
import type { TrainingState } from '../state.ts'
import { basePackages, noReboot, standardDisk, standardServices, systemDriveOf } from './build-profile.ts'

const disk = standardDisk({
  diskGb: 1024,
  recoveryMb: 1536,
  recoveryUsedMb: 60,
  osUsedGb: 305,
  model: 'WDC PC SN740 SDDPTQD-1T00',
})

export const arm64WinreDisabled: TrainingState = {
  name: 'arm64-winre-disabled',
  title: 'ARM64 laptop, 25H2, WinRE disabled and stale',
  scenario:
    'A Windows 11 25H2 ARM64 laptop whose recovery environment is disabled (winre.wim left in C:\\Windows\\System32\\Recovery) and at 10.0.26100.7297, older than the May 2026 Safe OS update KB5089593 (10.0.26100.8455).',
  sources: [
    'https://learn.microsoft.com/windows-hardware/manufacture/desktop/reagentc-command-line-options',
    'https://learn.microsoft.com/windows/deployment/update/media-dynamic-update',
  ],
  os: {
    productName: 'Windows 10 Pro',
    editionId: 'Professional',
    displayVersion: '25H2',
    currentBuild: 26200,
    ubr: 8117,
    computerName: 'SURFACE-LT-31',
    installationType: 'Client',
    registeredOwner: 'Fabrikam',
    installDate: 1760400000,
    nativeArch: 'arm64',
    processArch: 'arm64',
    elevated: true,
  },
  packages: basePackages({
    arch: 'arm64',
    base: 26100,
    ubr: 8117,
    lcuKb: 'KB5086672',
    lcuInstalled: '2026-04-15T10:11:12Z',
    imageDate: '2025-10-14T09:00:00Z',
  }),
  history: [
    {
      title: '2026-03 Cumulative Update for Windows 11 Version 25H2 for arm64-based Systems (KB5086672)',
      date: '2026-04-15T10:11:12Z',
      operation: 'install',
      resultCode: 2,
      hresult: 0,
    },
    {
      title: '2026-03 Cumulative Update for Windows 11 Version 25H2 for arm64-based Systems (KB5079473)',
      date: '2026-03-11T09:40:55Z',
      operation: 'install',
      resultCode: 2,
      hresult: 0,
    },
  ],
  hotfixes: [
    { kb: 'KB5086672', description: 'Security Update', installedOn: '4/15/2026' },
    { kb: 'KB5043080', description: 'Update', installedOn: '10/14/2025' },
  ],
  reboot: noReboot,
  systemDrive: systemDriveOf(disk),
  disks: [disk],
  bitlocker: { protectionStatus: 'On', encryptionPercentage: 100, tpmProtector: true },
  services: standardServices(),
  winre: {
    enabled: false,
    diskNumber: 0,
    partitionNumber: 4,
    version: '10.0.26100.7297',
    bcdId: '00000000-0000-0000-0000-000000000000',
    stagedImage: true,
    imageOnPartition: false,
    imageSizeBytes: 745 * 1024 * 1024,
  },
  faults: [],
  pendingOnRestart: [],
  restarts: 0,
  files: {},
}
