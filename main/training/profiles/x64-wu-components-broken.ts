/**
 * Windows 11 24H2 x64 whose Windows Update working data is damaged: the June 2026 cumulative update KB5094126
 * fails with 0x80092003 (CRYPT_E_FILE_ERROR, "An error occurred while reading or writing to a file.") — the
 * catalog database in catroot2 and Windows Update's database and download cache (SoftwareDistribution\\DataStore,
 * \\Download) are damaged.
 *
 * Documented: KB947821 ("Fix Windows Update corruptions and installation failures") lists 0x80092003
 * CRYPT_E_FILE_ERROR as Windows Update failing to read or write a file; Microsoft's "Reset Windows Update
 * components manually" (additional-resources-for-windows-update, step 4.1) renames SoftwareDistribution\\DataStore,
 * SoftwareDistribution\\Download and System32\\catroot2. This scenario's assumption: the update keeps failing with that
 * code until the three folders are renamed, also
 * when it is installed with DISM from the Catalog's MSU (the signature check goes through catroot2).
 */
import type { TrainingState } from '../state.ts'
import { basePackages, noReboot, standardDisk, standardServices, systemDriveOf } from './build-profile.ts'

const disk = standardDisk({
  diskGb: 512,
  recoveryMb: 1024,
  recoveryUsedMb: 706,
  osUsedGb: 188,
  model: 'WDC PC SN740 SDDPNQD-512G',
})
const June = '2026-06 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5094126)'
const CRYPT_E_FILE_ERROR = -2146885629 // 0x80092003

export const x64WuComponentsBroken: TrainingState = {
  name: 'x64-wu-components-broken',
  title: 'Desktop, 24H2, Windows Update data damaged',
  scenario:
    "A Windows 11 24H2 desktop (26100.8117) where the June 2026 cumulative update KB5094126 fails with 0x80092003 (CRYPT_E_FILE_ERROR): Windows Update's working folders, its database and download cache (SoftwareDistribution\\DataStore, \\Download) and the catalog database catroot2, are damaged. Resetting the Windows Update components (stop the services, rename the three folders, start them) lets the update install.",
  sources: [
    'https://learn.microsoft.com/troubleshoot/windows-server/installing-updates-features-roles/fix-windows-update-errors',
    'https://learn.microsoft.com/troubleshoot/windows-client/installing-updates-features-roles/additional-resources-for-windows-update',
  ],
  os: {
    productName: 'Windows 10 Pro',
    editionId: 'Professional',
    displayVersion: '24H2',
    currentBuild: 26100,
    ubr: 8117,
    computerName: 'FRONTDESK-03',
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
    { title: June, date: '2026-06-11T02:47:13Z', operation: 'install', resultCode: 4, hresult: CRYPT_E_FILE_ERROR },
    { title: June, date: '2026-06-10T18:05:51Z', operation: 'install', resultCode: 4, hresult: CRYPT_E_FILE_ERROR },
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
  bitlocker: { protectionStatus: 'Off', encryptionPercentage: 0, tpmProtector: false },
  services: standardServices(),
  winre: {
    enabled: true,
    diskNumber: 0,
    partitionNumber: 4,
    version: '10.0.26100.8455',
    bcdId: '{3a7c2e14-9b0d-11ef-a6e2-7c8ae1d05b42}',
    stagedImage: false,
    imageOnPartition: true,
    imageSizeBytes: 700 * 1024 * 1024,
  },
  faults: [
    {
      command: 'install.dism-add-package',
      kb: 'KB5094126',
      hresult: CRYPT_E_FILE_ERROR,
      message: 'An error occurred while reading or writing to a file.',
      whileWuFoldersDamaged: true,
    },
  ],
  wuFolders: {
    'SoftwareDistribution\\DataStore': { damaged: true },
    'SoftwareDistribution\\Download': { damaged: true },
    'System32\\catroot2': { damaged: true },
  },
  pendingOnRestart: [],
  restarts: 0,
  files: {},
}
