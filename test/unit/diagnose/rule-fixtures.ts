/**
 * Hand-made rule inputs for the diagnosis-rule guard tests: every fact is built in-process, so a
 * test costs microseconds and a mutation run can repeat it per mutant (no training machine is scanned).
 * A fact not given is unknown, as in a snapshot whose probe failed.
 */
import { emptyLogs, type LogsAnalysis, type RuleInput } from '../../../main/diagnose/rule.ts'
import type { Evidence } from '../../../preload/model/common.ts'
import type { ExplainResult } from '../../../preload/model/diagnosis.ts'
import type {
  InstalledPackage,
  MachineSnapshot,
  OsInfo,
  Partition,
  RebootFact,
  ServiceState,
  StorageFact,
  UpdateHistoryEntry,
  WinreFact,
} from '../../../preload/model/snapshot.ts'
import type { CbsLogAnalysis } from '../../../main/parse/cbs-log.ts'
import type { DismOutputFacts } from '../../../main/parse/dism-output.ts'
import type { WuEvent } from '../../../main/parse/wu-event.ts'

export const GB = 1024 ** 3
export const MB = 1024 ** 2

type Fact<T> = { status: 'known'; value: T; evidence: Evidence[] } | { status: 'unknown' }
export const fact = <T>(value: T, evidence: Evidence[] = []): { status: 'known'; value: T; evidence: Evidence[] } => ({
  status: 'known',
  value,
  evidence,
})

export interface SnapshotParts {
  os?: Fact<OsInfo>
  packages?: Fact<unknown>
  history?: Fact<UpdateHistoryEntry[]>
  reboot?: Fact<RebootFact>
  storage?: Fact<StorageFact>
  services?: Fact<ServiceState[]>
  winre?: Fact<WinreFact>
  bootChain?: Fact<unknown>
}
/** A snapshot that knows only the facts given. */
export function snap(parts: SnapshotParts = {}): MachineSnapshot {
  const u = { status: 'unknown' }
  return {
    schemaVersion: 1,
    takenAt: '2026-11-23T01:00:00Z',
    origin: { kind: 'training', name: 'PC-1', title: 'PC-1' },
    appVersion: '0',
    probeTimings: {},
    os: u,
    packages: u,
    history: u,
    hotfixes: u,
    reboot: u,
    storage: u,
    services: u,
    winre: u,
    ...parts,
  } as unknown as MachineSnapshot
}

export const os = (over: Partial<OsInfo> = {}): OsInfo => ({
  productName: 'Windows 11 Pro',
  edition: 'Professional',
  displayVersion: '24H2',
  build: 26100,
  ubr: 4061,
  version: '10.0.26100.4061',
  nativeArch: 'x64',
  processArch: 'x64',
  emulated: false,
  computerName: 'PC-1',
  nativeArchMethod: 'IsWow64Process2',
  ...over,
})

export const pkg = (over: Partial<InstalledPackage> = {}): InstalledPackage => ({
  identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.4061.1.10',
  kb: null,
  arch: 'x64',
  version: '26100.4061.1.10',
  state: 'installed',
  releaseType: 'Security Update',
  installTime: null,
  ...over,
})
export const packages = (list: InstalledPackage[], servicingStackVersion: string | null = null) =>
  fact({
    packages: list,
    lcu: null,
    checkpoint: { kb: null, build: null, ubr: null, present: null, reason: '' },
    servicingStackVersion,
  })

export const failed = (
  kb: string | null,
  hresult: string | null,
  over: Partial<UpdateHistoryEntry> = {},
): UpdateHistoryEntry => ({
  title: `2026-10 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (${kb})`,
  kb,
  date: '2026-10-20 10:00:00',
  operation: 'install',
  result: 'failed',
  hresult,
  ...over,
})

export const partition = (over: Partial<Partition> = {}): Partition => ({
  diskNumber: 0,
  partitionNumber: 4,
  offsetBytes: 200 * GB,
  sizeBytes: 600 * MB,
  freeBytes: 100 * MB,
  type: 'de94bba4-06d1-4d40-a16a-bfd50179d6ac',
  role: 'recovery',
  driveLetter: null,
  label: null,
  holdsWinre: true,
  ...over,
})
export const storage = (
  over: { free?: number; size?: number; letter?: string; partitions?: Partition[] } = {},
): Fact<StorageFact> =>
  fact(
    {
      systemDrive: { letter: over.letter ?? 'C', sizeBytes: over.size ?? 250 * GB, freeBytes: over.free ?? 80 * GB },
      disks: [{ number: 0, sizeBytes: 256 * GB, partitionStyle: 'GPT', partitions: over.partitions ?? [] }],
      bitlocker: { protectionStatus: 'off', encryptionPercentage: null, tpmProtector: null },
    },
    [{ source: 'Get-Volume', excerpt: `${over.letter ?? 'C'} NTFS Fixed Healthy` }],
  )

export const service = (
  name: string,
  startType: ServiceState['startType'] = 'manual',
  status: ServiceState['status'] = 'stopped',
): ServiceState => ({ name, displayName: null, status, startType })

/** The code the person typed, explained. */
export const typed = (code: string): ExplainResult =>
  ({ code, extend: null, input: code, known: true }) as unknown as ExplainResult

/** A CBS.log analysis holding only the given parts (the rest empty). */
export function cbsAnalysis(over: Partial<CbsLogAnalysis>): CbsLogAnalysis {
  return {
    linesSeen: 100,
    errorCount: 0,
    errors: [],
    episodes: [],
    corruptPayloads: [],
    missingManifests: [],
    failedInstallers: [],
    servicingStack: null,
    summary: null,
    rebootPending: null,
    codeCounts: {},
    timeline: [],
    packages: [],
    ...over,
  }
}
export const cbsLogs = (analysis: CbsLogAnalysis, source = 'C:\\Windows\\Logs\\CBS\\CBS.log'): LogsAnalysis => ({
  ...emptyLogs(),
  cbs: [{ source, analysis }],
})
export const dismOutputLogs = (errorCode: string, text = `Error: ${errorCode}`): LogsAnalysis => ({
  ...emptyLogs(),
  dismOutput: [
    {
      source: 'DISM output',
      facts: { componentStore: null, errorCode, errors: [{ text }] } as unknown as DismOutputFacts,
    },
  ],
})
export const wuEventLogs = (events: Partial<WuEvent>[], source = 'System event log'): LogsAnalysis => ({
  ...emptyLogs(),
  wuEvents: [
    {
      source,
      events: events.map(
        (e, i) =>
          ({
            id: 20,
            time: '2026-10-20T10:00:00',
            provider: 'Microsoft-Windows-WindowsUpdateClient',
            level: 'Error',
            message: '',
            kind: 'failed',
            kb: null,
            title: null,
            code: null,
            line: i + 1,
            truncated: false,
            ...e,
          }) as WuEvent,
      ),
    },
  ],
})

export const input = (over: Partial<RuleInput> = {}): RuleInput => ({
  snapshot: null,
  logs: emptyLogs(),
  code: null,
  text: null,
  ...over,
})
