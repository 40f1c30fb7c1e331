/**
 * CBS.log and DISM.log of each training machine, reproducing its documented failure.
 *
 * Synthesised, honestly: lines are written in the layout of the real lines captured in test/fixtures
 * (timestamps, 22/7-column padding, `[HRESULT = 0x… - NAME]`, WER failure reports, CSI `(F)` records,
 * `Failed execution of queue item Installer`, the RestoreHealth summary, DISM's `(hr:0x…)` suffixes),
 * with each scenario's packages, builds and codes. Sources of the formats: KB947821, KB4477073, the
 * 0x800f0922/0x800f0823/0x80070002 troubleshooting articles (MicrosoftDocs/SupportArticles-docs).
 */
import { LogWriter, csiSeq, routineActivity } from './log-format.ts'

const FOUNDATION = (arch: string, base: string) =>
  `Microsoft-Windows-Foundation-Package~31bf3856ad364e35~${arch}~~10.0.${base}.1`

function dismHeader(w: LogWriter, pid: number, cmd: string) {
  w.line(
    'Info',
    'DISM',
    `PID=${pid} TID=${pid + 112} Scratch directory set to 'C:\\Windows\\TEMP\\'. - CDISMManager::put_ScratchDir`,
  )
  w.line(
    'Info',
    'DISM',
    `PID=${pid} TID=${pid + 112} DismCore.dll version: 10.0.26100.1150 - CDISMManager::FinalConstruct`,
  )
  w.line('Info', 'DISM', `PID=${pid} TID=${pid + 112} Executing command line: ${cmd} - CDISMManager::LogCommandLine`)
}

export function arm64MissingCheckpointCbs(): string {
  const pkg = 'Package_for_RollupFix~31bf3856ad364e35~arm64~~26100.8117.1.7'
  const w = new LogWriter('2026-04-14T18:55:02Z')
  routineActivity(
    w,
    'Package_for_RollupFix~31bf3856ad364e35~arm64~~26100.1150.1.10',
    'UpdateAgentLCU',
    '31216455_1038224190',
    300,
    FOUNDATION('arm64', '26100'),
  )
  w.tick(420)
  for (const [sid, start] of [
    ['31216462_3301938121', 0],
    ['31216749_1201755842', 27438],
  ] as const) {
    w.tick(start)
    w.line(
      'Info',
      'CBS',
      `Session: ${sid} initialized by client WindowsUpdateAgent, external staging directory: (null), external registry directory: (null)`,
    )
    w.line('Info', 'CBS', `Exec: Processing started.  Client: WindowsUpdateAgent, Session: ${sid}, Package: ${pkg}`)
    w.line(
      'Info',
      'CBS',
      `Appl: detect Parent, Package: ${pkg}, Parent: ${FOUNDATION('arm64', '26100')}, Disposition = Detect, VersionComp: EQ, ServiceComp: GE, BuildComp: EQ, DistributionComp: GE, RevisionComp: GE, Exist: present`,
    )
    w.tick(3)
    w.line(
      'Info',
      'CBS',
      `Plan: Package: ${pkg}, current: Staged, pending: Default, start: Staged, applicable: Installed, targeted: Installed, limit: Installed, status: 0x0, failure source: None, reboot required: False, client id: WindowsUpdateAgent, initiated offline: False, execution sequence: 1342, first merged sequence: 1342, reboot reason: REBOOT_NOT_REQUIRED RM App Info: (null) RM Service Info: (null) FileInUse Info: (null)`,
    )
    w.tick(2)
    w.line(
      'Error',
      'CBS',
      `Failed to resolve package ${pkg}: the baseline Package_for_RollupFix~31bf3856ad364e35~arm64~~26100.1742.1.10 (KB5043080) is not installed [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]`,
    )
    w.line('Error', 'CBS', `Failed to execute execution chain. [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]`)
    w.line('Error', 'CBS', `Failed to process single phase execution. [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]`)
    w.line(
      'Info',
      'CBS',
      `WER: Generating failure report for package: ${pkg}, status: 0x800f0922, failure source: Execute, start state: Staged, target state: Installed, client id: WindowsUpdateAgent`,
    )
    w.line(
      'Info',
      'CBS',
      `Session: ${sid} finalized. Reboot required: no [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]`,
    )
  }
  return w.text()
}

export function arm64MissingCheckpointDism(): string {
  const w = new LogWriter('2026-04-15T02:39:40Z')
  dismHeader(
    w,
    8412,
    'dism.exe /Online /Add-Package /PackagePath:C:\\Updates\\windows11.0-kb5086672-arm64_5e1ba7e0c3b19a8f2d0a6b4c9e7d1f3a5b2c8e40.msu',
  )
  w.tick(88)
  w.line(
    'Info',
    'DISM',
    'DISM Package Manager: PID=8412 TID=9120  Error in operation: (null) (CBS HRESULT=0x800f0922) - CCbsConUIHandler::Error',
  )
  w.line(
    'Error',
    'DISM',
    'DISM Package Manager: PID=8412 TID=8524 Failed finalizing changes. - CDISMPackageManager::Internal_Finalize(hr:0x800f0922)',
  )
  w.line(
    'Error',
    'DISM',
    'DISM Package Manager: PID=8412 TID=8524 Failed processing package changes with session options - CDISMPackageManager::ProcessChangesWithOptions(hr:0x800f0922)',
  )
  w.line(
    'Error',
    'DISM',
    'DISM Package Manager: PID=8412 TID=8524 Failed to install the MSU package. - CMsuPackageManager::ProcessMsuPackage(hr:0x800f0922)',
  )
  return w.text()
}

export function x64StoreCorruptCbs(): string {
  const pkg = 'Package_for_RollupFix~31bf3856ad364e35~amd64~~22621.4460.1.11'
  const comp = 'amd64_microsoft-windows-shell32_31bf3856ad364e35_10.0.22621.4317_none_9c2d7f0e5b1a4c63'
  const w = new LogWriter('2024-11-12T21:02:11Z')
  routineActivity(
    w,
    'Package_for_RollupFix~31bf3856ad364e35~amd64~~22621.4317.1.10',
    'UpdateAgentLCU',
    '31146820_2204918833',
    300,
    FOUNDATION('amd64', '22621'),
  )
  w.tick(600)
  const sid = '31146823_1175566312'
  w.line(
    'Info',
    'CBS',
    `Session: ${sid} initialized by client WindowsUpdateAgent, external staging directory: (null), external registry directory: (null)`,
  )
  w.line('Info', 'CBS', `Exec: Processing started.  Client: WindowsUpdateAgent, Session: ${sid}, Package: ${pkg}`)
  w.tick(40)
  w.line('Info', 'CSI', `${csiSeq(0x1a2f)} Begin executing advanced installer phase 38 index 812 (sequence 856)`)
  w.line(
    'Error',
    'CSI',
    `${csiSeq(0x1a30)} (F) Hydration failed for component ${comp}\\shell32.dll on 1 of 1 files [HRESULT = 0x80073712 - ERROR_SXS_COMPONENT_STORE_CORRUPT]`,
  )
  w.line(
    'Error',
    'CSI',
    `${csiSeq(0x1a31)} (F) 80073712 [Error,Facility=FACILITY_WIN32,Code=ERROR_SXS_COMPONENT_STORE_CORRUPT] #4215# from Windows::ServicingAPI::CCSITransaction::ICSITransaction_PinDeployment(...)[gle=0x80073712]`,
  )
  w.line(
    'Info',
    'CBS',
    'Store corruption, manifest missing for package: Package_for_KB5044285~31bf3856ad364e35~amd64~~22621.4317.1.10',
  )
  w.line(
    'Error',
    'CBS',
    'Failed to resolve package Package_for_KB5044285~31bf3856ad364e35~amd64~~22621.4317.1.10 [HRESULT = 0x80073712 - ERROR_SXS_COMPONENT_STORE_CORRUPT]',
  )
  w.line(
    'Error',
    'CBS',
    'Failed to execute execution chain. [HRESULT = 0x80073712 - ERROR_SXS_COMPONENT_STORE_CORRUPT]',
  )
  w.line(
    'Error',
    'CBS',
    'Failed to process single phase execution. [HRESULT = 0x80073712 - ERROR_SXS_COMPONENT_STORE_CORRUPT]',
  )
  w.line(
    'Info',
    'CBS',
    `WER: Generating failure report for package: ${pkg}, status: 0x80073712, failure source: Execute, start state: Staged, target state: Installed, client id: WindowsUpdateAgent`,
  )
  w.line(
    'Info',
    'CBS',
    `Session: ${sid} finalized. Reboot required: no [HRESULT = 0x80073712 - ERROR_SXS_COMPONENT_STORE_CORRUPT]`,
  )
  w.tick(900)
  const scan = '31146851_3989941090'
  w.line(
    'Info',
    'CBS',
    `Session: ${scan} initialized by client DISM Package Manager Provider, external staging directory: (null), external registry directory: (null)`,
  )
  w.tick(310)
  w.raw('Checking System Update Readiness.')
  w.raw(`(p)\tCSI Payload Corrupt\t\t\t(n)\t\t\t${comp}\\shell32.dll`)
  w.raw('(p)\tCBS MUM Missing\t\t\t\t(n)\t\t\tPackage_for_KB5044285~31bf3856ad364e35~amd64~~22621.4317.1.10')
  w.raw('')
  w.raw('Summary:')
  w.raw('Operation: Detect only ')
  w.raw('Operation result: 0x0')
  w.raw('Last Successful Step: Entire operation completes.')
  w.raw('Total Detected Corruption:\t2')
  w.raw('\tCBS Manifest Corruption:\t1')
  w.raw('\tCBS Metadata Corruption:\t0')
  w.raw('\tCSI Manifest Corruption:\t0')
  w.raw('\tCSI Metadata Corruption:\t0')
  w.raw('\tCSI Payload Corruption:\t1')
  w.raw('Total Repaired Corruption:\t0')
  w.raw('\tCBS Manifest Repaired:\t0')
  w.raw('\tCSI Manifest Repaired:\t0')
  w.raw('\tCSI Payload Repaired:\t0')
  w.raw('\tCSI Store Metadata refreshed:\tTrue')
  w.raw('Staged Packages:')
  w.raw('\tCBS Staged packages:\t0')
  w.raw('\tCBS Staged packages removed:\t0')
  w.line('Info', 'CBS', `Session: ${scan} finalized. Reboot required: no [HRESULT = 0x00000000 - S_OK]`)
  return w.text()
}

export function x64StoreCorruptDism(): string {
  const w = new LogWriter('2024-11-12T21:17:20Z')
  dismHeader(w, 6120, 'dism.exe /Online /Cleanup-Image /ScanHealth')
  w.tick(300)
  w.line(
    'Info',
    'DISM',
    'DISM Package Manager: PID=6120 TID=5532 The component store is repairable. - CPackageManagerCLIHandler::ProcessCmdLine_CleanupImage',
  )
  return w.text()
}

export function x64WinrePartitionFullCbs(): string {
  const pkg = 'Package_for_KB5034441~31bf3856ad364e35~amd64~~19041.3920.1.3'
  const w = new LogWriter('2024-01-09T20:05:40Z')
  routineActivity(
    w,
    'Package_for_RollupFix~31bf3856ad364e35~amd64~~19041.3803.1.6',
    'UpdateAgentLCU',
    '31081733_2934887301',
    300,
    FOUNDATION('amd64', '19041'),
  )
  for (const [sid, gap] of [
    ['31081741_1442390112', 540],
    ['31081912_4098330512', 24600],
  ] as const) {
    w.tick(gap)
    w.line(
      'Info',
      'CBS',
      `Session: ${sid} initialized by client WindowsUpdateAgent, external staging directory: (null), external registry directory: (null)`,
    )
    w.line('Info', 'CBS', `Exec: Processing started.  Client: WindowsUpdateAgent, Session: ${sid}, Package: ${pkg}`)
    w.tick(12)
    w.line(
      'Info',
      'CBS',
      'Winre: recovery partition \\\\?\\GLOBALROOT\\device\\harddisk0\\partition4 has 83 MB free; 250 MB required to service WinRE',
    )
    w.line(
      'Error',
      'CBS',
      `Failed to service WinRE on the recovery partition [HRESULT = 0x800f0828 - CBS_E_INSUFFICIENT_DISK_SPACE]`,
    )
    w.line('Error', 'CBS', `Failed to execute execution chain. [HRESULT = 0x800f0828 - CBS_E_INSUFFICIENT_DISK_SPACE]`)
    w.line(
      'Info',
      'CBS',
      `WER: Generating failure report for package: ${pkg}, status: 0x800f0828, failure source: Execute, start state: Staged, target state: Installed, client id: WindowsUpdateAgent`,
    )
    w.line(
      'Info',
      'CBS',
      `Session: ${sid} finalized. Reboot required: no [HRESULT = 0x800f0828 - CBS_E_INSUFFICIENT_DISK_SPACE]`,
    )
  }
  return w.text()
}

export function arm64WinreDisabledCbs(): string {
  const w = new LogWriter('2026-04-15T10:02:31Z')
  routineActivity(
    w,
    'Package_for_RollupFix~31bf3856ad364e35~arm64~~26100.8117.1.7',
    'UpdateAgentLCU',
    '31216760_2811740335',
    600,
    FOUNDATION('arm64', '26100'),
  )
  return w.text()
}

export function x64PendingRestartCbs(): string {
  const lcu = 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.9'
  const net = 'Package_for_DotNetRollup_481~31bf3856ad364e35~amd64~~10.0.9310.3'
  const w = new LogWriter('2026-06-10T07:50:02Z')
  routineActivity(
    w,
    'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8117.1.7',
    'UpdateAgentLCU',
    '31228170_3320917564',
    300,
    FOUNDATION('amd64', '26100'),
  )
  w.tick(300)
  const sid = '31228175_1902231875'
  w.line(
    'Info',
    'CBS',
    `Session: ${sid} initialized by client UpdateAgentLCU, external staging directory: (null), external registry directory: (null)`,
  )
  w.line('Info', 'CBS', `Exec: Processing started.  Client: UpdateAgentLCU, Session: ${sid}, Package: ${lcu}`)
  w.tick(480)
  w.line(
    'Info',
    'CBS',
    `Plan: Package: ${lcu}, current: Staged, pending: Installed, start: Staged, applicable: Installed, targeted: Installed, limit: Installed, status: 0x0, failure source: None, reboot required: True, client id: UpdateAgentLCU, initiated offline: False, execution sequence: 1518, first merged sequence: 1518, reboot reason: REBOOT_REQUIRED RM App Info: (null) RM Service Info: (null) FileInUse Info: (null)`,
  )
  w.line('Info', 'CBS', 'Reboot mark set')
  w.line('Info', 'CBS', `Session: ${sid} finalized. Reboot required: yes [HRESULT = 0x00000000 - S_OK]`)
  w.tick(1300)
  const sid2 = '31228176_2280391762'
  w.line(
    'Info',
    'CBS',
    `Session: ${sid2} initialized by client WindowsUpdateAgent, external staging directory: (null), external registry directory: (null)`,
  )
  w.line('Info', 'CBS', `Exec: Processing started.  Client: WindowsUpdateAgent, Session: ${sid2}, Package: ${net}`)
  w.line(
    'Info',
    'CBS',
    'Exec: A reboot is pending from a previous session; the package cannot be serviced until the machine restarts.',
  )
  w.line('Error', 'CBS', `Failed to begin package installation for ${net} [HRESULT = 0x800f0806 - CBS_E_PENDING]`)
  w.line(
    'Info',
    'CBS',
    `WER: Generating failure report for package: ${net}, status: 0x800f0806, failure source: Resolve, start state: Absent, target state: Installed, client id: WindowsUpdateAgent`,
  )
  w.line('Info', 'CBS', `Session: ${sid2} finalized. Reboot required: no [HRESULT = 0x800f0806 - CBS_E_PENDING]`)
  return w.text()
}

/**
 * x64-efi-partition-full: the June LCU (KB5094126) stages, then fails twice at its boot-critical installer with
 * 0x800f0922 (the boot files do not fit the full EFI partition) and rolls back (the history's two failures).
 */
export function x64EfiPartitionFullCbs(): string {
  const pkg = 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.10'
  const w = new LogWriter('2026-06-10T19:10:05Z')
  routineActivity(
    w,
    'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8117.1.7',
    'UpdateAgentLCU',
    '31228166_1480236671',
    300,
    FOUNDATION('amd64', '26100'),
  )
  for (const [sid, gap] of [
    ['31228171_2217739015', 600],
    ['31228180_3958120364', 26800],
  ] as const) {
    w.tick(gap)
    w.line(
      'Info',
      'CBS',
      `Session: ${sid} initialized by client UpdateAgentLCU, external staging directory: (null), external registry directory: (null)`,
    )
    w.line('Info', 'CBS', `Exec: Processing started.  Client: UpdateAgentLCU, Session: ${sid}, Package: ${pkg}`)
    w.tick(960)
    w.line(
      'Info',
      'CBS',
      'Failed execution of queue item Installer: Boot Critical Files Installer with HRESULT 0x80070070 (ERROR_DISK_FULL): the EFI system partition has 7.6 MB free.',
    )
    w.line(
      'Error',
      'CBS',
      `Startup: Failed to process advanced operation queue, startupPhase: 0.  A rollback transaction will be created. [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]`,
    )
    w.line(
      'Info',
      'CBS',
      `WER: Generating failure report for package: ${pkg}, status: 0x800f0922, failure source: Execute, start state: Staged, target state: Installed, client id: UpdateAgentLCU`,
    )
    w.line(
      'Info',
      'CBS',
      `Session: ${sid} finalized. Reboot required: no [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]`,
    )
  }
  return w.text()
}

/**
 * x64-wu-components-broken: the June LCU fails in Windows Update (0x80092003, reading its damaged working files)
 * before CBS sees it, so CBS.log holds the routine servicing of the March update only.
 */
export function x64WuComponentsBrokenCbs(): string {
  const w = new LogWriter('2026-04-02T08:02:40Z')
  routineActivity(
    w,
    'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8117.1.7',
    'UpdateAgentLCU',
    '31216750_2022183310',
    600,
    FOUNDATION('amd64', '26100'),
  )
  return w.text()
}

export function x64HealthyCbs(): string {
  const w = new LogWriter('2026-06-10T07:40:12Z')
  routineActivity(
    w,
    'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.9',
    'UpdateAgentLCU',
    '31228170_1700417564',
    900,
    FOUNDATION('amd64', '26100'),
  )
  w.tick(4000)
  w.line(
    'Info',
    'CBS',
    'Session: 31228190_3105221776 initialized by client DISM Package Manager Provider, external staging directory: (null), external registry directory: (null)',
  )
  w.tick(280)
  w.raw('Checking System Update Readiness.')
  w.raw('')
  w.raw('Summary:')
  w.raw('Operation: Detect only ')
  w.raw('Operation result: 0x0')
  w.raw('Last Successful Step: Entire operation completes.')
  w.raw('Total Detected Corruption:\t0')
  w.raw('Total Repaired Corruption:\t0')
  w.raw('Staged Packages:')
  w.raw('\tCBS Staged packages:\t0')
  w.raw('\tCBS Staged packages removed:\t0')
  w.line('Info', 'CBS', 'Session: 31228190_3105221776 finalized. Reboot required: no [HRESULT = 0x00000000 - S_OK]')
  return w.text()
}

export function cleanDism(start: string, cmd: string): () => string {
  return () => {
    const w = new LogWriter(start)
    dismHeader(w, 5004, cmd)
    w.tick(2)
    w.line(
      'Info',
      'DISM',
      'DISM Package Manager: PID=5004 TID=6008 Finalizing CBS core. - CDISMPackageManager::Finalize',
    )
    return w.text()
  }
}
