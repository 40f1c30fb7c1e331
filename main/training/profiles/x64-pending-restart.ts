/**
 * Windows 11 24H2 x64 with a cumulative update staged and waiting for a restart: CBS RebootPending and
 * the WU RebootRequired keys exist, and a further update fails with 0x800F0806 (CBS_E_PENDING) until the
 * PC restarts. Sources: servicing-facts §7 (reboot-pending keys), TechNet cc732334 (CBS_E_PENDING).
 */
import type { TrainingState } from '../state.ts'
import { basePackages, standardDisk, standardServices, systemDriveOf } from './build-profile.ts'

const disk = standardDisk({ diskGb: 512, recoveryMb: 1024, recoveryUsedMb: 702, osUsedGb: 210 })
const packages = basePackages({
  arch: 'amd64',
  base: 26100,
  ubr: 8117,
  lcuKb: 'KB5086672',
  lcuInstalled: '2026-04-15T08:00:00Z',
  imageDate: '2024-10-01T09:00:00Z',
})
packages.push({
  identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.14',
  state: 'Install Pending',
  releaseType: 'Security Update',
  installTime: '2026-06-10T07:58:31Z',
  kb: 'KB5094126',
})

export const x64PendingRestart: TrainingState = {
  name: 'x64-pending-restart',
  title: 'Desktop, 24H2, restart pending',
  scenario:
    'A Windows 11 24H2 desktop with the June 2026 cumulative update KB5094126 staged and waiting for a restart. Until the PC restarts, further servicing fails with 0x800F0806 (CBS_E_PENDING).',
  sources: [
    'https://github.com/saltstack/salt/blob/master/salt/modules/win_system.py',
    'http://technet.microsoft.com/en-us/library/cc732334(WS.10).aspx',
  ],
  os: {
    productName: 'Windows 10 Pro',
    editionId: 'Professional',
    displayVersion: '24H2',
    currentBuild: 26100,
    ubr: 8117,
    computerName: 'ACCT-PC-09',
    installationType: 'Client',
    registeredOwner: 'Contoso',
    installDate: 1727773200,
    nativeArch: 'x64',
    processArch: 'x64',
    elevated: true,
  },
  packages,
  history: [
    {
      title: '2026-06 .NET Framework update for Windows 11 Version 24H2 for x64 (KB5095011)',
      date: '2026-06-10T08:20:44Z',
      operation: 'install',
      resultCode: 4,
      hresult: -2146498554,
    },
    {
      title: '2026-06 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5094126)',
      date: '2026-06-10T07:58:31Z',
      operation: 'install',
      resultCode: 1,
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
    { kb: 'KB5086672', description: 'Security Update', installedOn: '4/15/2026' },
    { kb: 'KB5043080', description: 'Update', installedOn: '10/1/2024' },
  ],
  reboot: {
    cbsRebootPending: true,
    cbsPackagesPending: true,
    wuRebootRequired: true,
    pendingFileRenameOperations: [
      '\\??\\C:\\Windows\\SoftwareDistribution\\Download\\b1c4\\wcp.dll',
      '',
      '*1\\??\\C:\\Windows\\WinSxS\\Temp\\PendingDeletes\\$$DeleteMe.ntdll.dll',
      '',
    ],
    computerRenamePending: false,
  },
  systemDrive: systemDriveOf(disk),
  disks: [disk],
  bitlocker: { protectionStatus: 'Off', encryptionPercentage: 0, tpmProtector: false },
  services: standardServices(),
  winre: {
    enabled: true,
    diskNumber: 0,
    partitionNumber: 4,
    version: '10.0.26100.8455',
    bcdId: '{9c1e5d2a-7f3b-11ef-8d4c-5cbaef7a19e3}',
    stagedImage: false,
    imageOnPartition: true,
    imageSizeBytes: 700 * 1024 * 1024,
  },
  faults: [
    {
      command: 'install.dism-add-package',
      hresult: -2146498554,
      message: 'The operation could not be completed because a restart is pending.',
      whileRestartPending: true,
    },
  ],
  pendingOnRestart: [
    {
      kind: 'complete-package',
      identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.14',
      kb: 'KB5094126',
      sets: { ubr: 8655 },
    },
  ],
  restarts: 0,
  files: {},
}
