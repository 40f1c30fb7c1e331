/**
 * Windows 11 24H2 x64, up to date (June 2026, 26100.8655), whose firmware still holds only Microsoft's 2011
 * Secure Boot certificates: db has Microsoft Windows Production PCA 2011 and Microsoft Corporation UEFI CA
 * 2011 but not Windows UEFI CA 2023, KEK only Microsoft Corporation KEK CA 2011, and the boot manager on the
 * EFI partition — the one WinRE starts through — is signed under PCA 2011. Windows' servicing status is
 * NotStarted; the TPM-WMI event 1801 says the CA/keys need to be updated.
 *
 * Documented: the 2011 certificates expire starting June 2026 (KB5062713); the fix is Windows' own update
 * (AvailableUpdates + the Secure-Boot-Update task, KB5068202/KB5025885); once dbx revokes PCA 2011, boot
 * managers signed by it no longer start (KB5037167).
 */
import type { TrainingState } from '../state.ts'
import { basePackages, noReboot, standardDisk, standardServices, systemDriveOf } from './build-profile.ts'

const disk = standardDisk({
  diskGb: 512,
  recoveryMb: 1024,
  recoveryUsedMb: 702,
  osUsedGb: 164,
  model: 'WDC PC SN730 SDBQNTY-512G',
})

export const x64Secureboot2011: TrainingState = {
  name: 'x64-secureboot-2011',
  title: 'Desktop, 24H2, Secure Boot certificates still 2011',
  scenario:
    'A Windows 11 24H2 desktop that is up to date (26100.8655) but whose firmware still trusts only the 2011 Secure Boot certificates: Windows UEFI CA 2023 is not in db, the 2023 KEK is missing, and the boot manager WinRE starts through is signed by Microsoft Windows Production PCA 2011. Windows has not started its certificate update (UEFICA2023Status NotStarted; event 1801). It boots today; once PCA 2011 is revoked in dbx, that boot manager — and WinRE or a USB stick signed the same way — no longer starts.',
  sources: [
    'https://support.microsoft.com/help/5062713',
    'https://support.microsoft.com/topic/registry-key-updates-for-secure-boot-windows-devices-with-it-managed-updates-a7be69c9-4634-42e1-9ca1-df06f43f360d',
    'https://support.microsoft.com/en-us/topic/kb5037167-security-update-validation-program-guide-to-test-pca2011-revocation-to-address-cve-2023-24932-e887ac05-87d7-45ed-abd6-25b9b21aa73a',
    'https://support.microsoft.com/help/5016061',
  ],
  os: {
    productName: 'Windows 10 Pro',
    editionId: 'Professional',
    displayVersion: '24H2',
    currentBuild: 26100,
    ubr: 8655,
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
    ubr: 8655,
    lcuKb: 'KB5094126',
    lcuInstalled: '2026-06-10T08:30:00Z',
    imageDate: '2024-10-01T09:00:00Z',
  }),
  history: [
    {
      title: '2026-06 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5094126)',
      date: '2026-06-10T08:30:00Z',
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
  ],
  hotfixes: [{ kb: 'KB5094126', description: 'Security Update', installedOn: '6/10/2026' }],
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
    bcdId: '{9c4e2b71-7f3b-11ef-8d4c-5cbaef7a19e3}',
    stagedImage: false,
    imageOnPartition: true,
    imageSizeBytes: 700 * 1024 * 1024,
  },
  faults: [],
  pendingOnRestart: [],
  restarts: 0,
  files: {},
  bootChain: {
    secureBoot: 'True',
    db: ['Microsoft Windows Production PCA 2011', 'Microsoft Corporation UEFI CA 2011'],
    kek: ['Microsoft Corporation KEK CA 2011'],
    dbx: [],
    registry: { secureBoot: { AvailableUpdates: 0 }, servicing: { UEFICA2023Status: 'NotStarted' } },
    events: [
      {
        id: 1801,
        time: '2026-06-10T08:41:17.0000000Z',
        level: 'Error',
        message: 'Secure Boot CA/keys need to be updated. This device signature information is included here.',
      },
    ],
    bootManagerIssuer:
      'CN=Microsoft Windows Production PCA 2011, O=Microsoft Corporation, L=Redmond, S=Washington, C=US',
    espFolders: [
      { name: 'Microsoft', bytes: 31_457_280 },
      { name: 'Boot', bytes: 1_572_864 },
    ],
  },
}
