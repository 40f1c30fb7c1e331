/** Windows 11 24H2 x64 at the June 2026 LCU (26100.8655), WinRE current and enabled: nothing broken; the newer update it lacks is offered. */
import type { TrainingState } from '../state.ts'
import { basePackages, noReboot, standardDisk, standardServices, systemDriveOf } from './build-profile.ts'

const disk = standardDisk({ diskGb: 512, recoveryMb: 1024, recoveryUsedMb: 702, osUsedGb: 118 })

export const x64Healthy: TrainingState = {
  name: 'x64-healthy',
  title: 'Desktop, 24H2, healthy',
  scenario:
    'A Windows 11 24H2 desktop on the June 2026 cumulative update (26100.8655) with WinRE current and enabled. Nothing is broken: the app must not raise a false alarm, and offers only the newer cumulative update it lacks.',
  sources: ['https://learn.microsoft.com/windows/release-health/windows11-release-information'],
  os: {
    productName: 'Windows 10 Pro',
    editionId: 'Professional',
    displayVersion: '24H2',
    currentBuild: 26100,
    ubr: 8655,
    computerName: 'DEV-WS-01',
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
    ubr: 8655,
    lcuKb: 'KB5094126',
    lcuInstalled: '2026-06-10T08:00:00Z',
    imageDate: '2024-10-01T09:00:00Z',
  }),
  history: [
    {
      title: '2026-06 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5094126)',
      date: '2026-06-10T08:00:00Z',
      operation: 'install',
      resultCode: 2,
      hresult: 0,
    },
    {
      title: '2026-05 Safe OS Dynamic Update for Windows 11 Version 24H2 (KB5089593)',
      date: '2026-05-13T08:00:00Z',
      operation: 'install',
      resultCode: 2,
      hresult: 0,
    },
    {
      title: '2026-03 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5086672)',
      date: '2026-04-15T08:00:00Z',
      operation: 'install',
      resultCode: 2,
      hresult: 0,
    },
  ],
  hotfixes: [
    { kb: 'KB5094126', description: 'Security Update', installedOn: '6/10/2026' },
    { kb: 'KB5043080', description: 'Update', installedOn: '10/1/2024' },
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
    version: '10.0.26100.8455',
    bcdId: '{2d8a7b3e-7f3b-11ef-8d4c-5cbaef7a19e3}',
    stagedImage: false,
    imageOnPartition: true,
    imageSizeBytes: 700 * 1024 * 1024,
  },
  faults: [],
  pendingOnRestart: [],
  restarts: 0,
  files: {},
}
