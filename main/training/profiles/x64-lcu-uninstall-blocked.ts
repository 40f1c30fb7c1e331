/**
 * Windows 11 24H2 x64 on the June 2026 cumulative update KB5094126 (26100.8655), which its user wants removed;
 * uninstalling it the usual way failed with 0x80242004 (WU_E_UH_DOESNOTSUPPORTACTION, "the update does not
 * support uninstall").
 *
 * Documented: Microsoft's "If you want to remove the LCU" paragraph on each combined SSU+LCU update's page —
 * wusa /uninstall does not work on the combined package because it contains the SSU, the SSU cannot be removed,
 * and DISM /Remove-Package with the LCU's package name (from DISM /Get-Packages) removes the LCU. The code's name
 * and meaning: wuerror.h. This scenario's assumptions: why the user wants it removed (not modelled) and that the
 * failed uninstall shows in update history with that code.
 */
import type { TrainingState } from '../state.ts'
import { basePackages, noReboot, standardDisk, standardServices, systemDriveOf } from './build-profile.ts'

const disk = standardDisk({
  diskGb: 512,
  recoveryMb: 1024,
  recoveryUsedMb: 706,
  osUsedGb: 202,
  model: 'SKHynix_HFS512GEJ9X115N',
})
const June = '2026-06 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5094126)'
const WU_E_UH_DOESNOTSUPPORTACTION = -2145116156 // 0x80242004

const packages = basePackages({
  arch: 'amd64',
  base: 26100,
  ubr: 8117,
  lcuKb: 'KB5086672',
  lcuInstalled: '2026-04-02T08:10:00Z',
  imageDate: '2024-10-01T09:00:00Z',
})
packages.find((p) => p.identity.startsWith('Package_for_RollupFix~'))!.state = 'Superseded'
packages.push(
  {
    identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.10',
    state: 'Installed',
    releaseType: 'Security Update',
    installTime: '2026-06-10T19:41:07Z',
    kb: 'KB5094126',
  },
  {
    identity: 'Package_for_ServicingStack_8655~31bf3856ad364e35~amd64~~26100.8655.1.2',
    state: 'Installed',
    releaseType: 'Update',
    installTime: '2026-06-10T19:41:07Z',
  },
)

export const x64LcuUninstallBlocked: TrainingState = {
  name: 'x64-lcu-uninstall-blocked',
  title: 'Desktop, 24H2, update cannot be uninstalled',
  scenario:
    'A Windows 11 24H2 desktop on the June 2026 cumulative update KB5094126 (26100.8655). Its user wants the update removed; uninstalling it the usual way failed with 0x80242004 (the update does not support uninstall): it came combined with its servicing stack update. Microsoft: remove the cumulative update with DISM /Remove-Package and its package name; the servicing stack stays.',
  sources: [
    'https://support.microsoft.com/topic/september-9-2025-kb5065426-os-build-26100-6584-77a41d9b-1b7c-4198-b9a5-3c4b6706dea9',
    'https://github.com/microsoft/win32metadata/blob/main/generation/WinSDK/RecompiledIdlHeaders/um/wuerror.h',
  ],
  os: {
    productName: 'Windows 10 Pro',
    editionId: 'Professional',
    displayVersion: '24H2',
    currentBuild: 26100,
    ubr: 8655,
    computerName: 'DESIGN-WS-07',
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
      title: June,
      date: '2026-06-15T09:12:30Z',
      operation: 'uninstall',
      resultCode: 4,
      hresult: WU_E_UH_DOESNOTSUPPORTACTION,
    },
    {
      title: June,
      date: '2026-06-12T16:40:02Z',
      operation: 'uninstall',
      resultCode: 4,
      hresult: WU_E_UH_DOESNOTSUPPORTACTION,
    },
    { title: June, date: '2026-06-10T19:41:07Z', operation: 'install', resultCode: 2, hresult: 0 },
    {
      title: '2026-03 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5086672)',
      date: '2026-04-02T08:10:00Z',
      operation: 'install',
      resultCode: 2,
      hresult: 0,
    },
  ],
  hotfixes: [{ kb: 'KB5094126', description: 'Security Update', installedOn: '6/10/2026' }],
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
    bcdId: '{5d2e8c71-0a4f-11f0-b3c1-8c16456e2a90}',
    stagedImage: false,
    imageOnPartition: true,
    imageSizeBytes: 700 * 1024 * 1024,
  },
  faults: [],
  pendingOnRestart: [],
  restarts: 0,
  files: {},
}
