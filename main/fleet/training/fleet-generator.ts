/**
 * The training fleet: N emulated devices made from the training profiles (main/training/profiles), with mixed
 * causes, architectures and builds, reporting delays and devices that never report, and the generator's truth
 * (each device's cause). Deterministic: the same seed gives the same fleet, byte for byte.
 *
 * Each profile is collected once, through the collector the app runs (main/collector/collect-from-host.ts, the
 * very zip the script writes); each device's file is that zip with the device's name and time, and its line is
 * the collector's `-Line` (collector-line.ts). From those the generator writes what the fleet tools would give
 * for the same devices: Intune Remediations run states (Graph JSON and the export's CSV), Windows Update for
 * Business reports rows (UCUpdateAlert, UCClientUpdateStatus; CSV and JSON, as a Log Analytics query exports
 * them) and, optionally, the zips in a folder. Column names: see main/fleet/intake/*.ts, which read them.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TrainingStore } from '../../training/store.ts'
import { TrainingHost } from '../../training/training-host.ts'
import { trainingProfiles } from '../../training/profiles/index.ts'
import { collectFromHost } from '../../collector/collect-from-host.ts'
import { readCollectorArchive, writeCollectorArchive, type CollectorArchive } from '../../collector/archive.ts'
import { collectorLineOf } from './collector-line.ts'
import { COLLECTOR_WORK_ROOT } from '../../collector/steps.ts'
import { csvText } from '../intake/csv.ts'

/**
 * What each profile's PC suffers from, written down by hand from the profiles' scenarios (not computed by the
 * diagnosis: the tests compare the diagnosis against it). `none`: a healthy PC.
 */
export const PROFILE_CAUSE: Readonly<Record<string, string>> = {
  'arm64-missing-checkpoint': 'missing-checkpoint',
  'x64-component-store-corrupt': 'component-store-corruption',
  'x64-winre-partition-full': 'winre-partition-too-small',
  'arm64-winre-disabled': 'winre-disabled',
  'x64-pending-restart': 'pending-restart',
  'x64-healthy': 'none',
  'x64-efi-partition-full': 'esp-full',
  'x64-secureboot-2011': 'secure-boot-2023-missing',
  'x64-wu-components-broken': 'wu-components',
  'x64-lcu-uninstall-blocked': 'lcu-uninstall-blocked',
  'x64-store-corrupt-iso': 'component-store-corruption',
}
export const NOT_REPORTED = 'not-reported'

export interface FleetDevice {
  name: string
  /** Microsoft Entra device id (UCUpdateAlert's AzureADDeviceId, Graph managedDevice.azureADDeviceId). */
  aadId: string
  /** Intune managed device id. */
  intuneId: string
  profile: string
  cause: string
  /** When its collector ran (ISO), or null for a device that never reports. */
  reportedAt: string | null
  nativeArch: string
  build: string
  line: string | null
}

export interface FleetOptions {
  devices: number
  seed?: number
  /** The start of the reporting window (ISO); devices report within `maxDelayHours` after it. */
  start?: string
  maxDelayHours?: number
  /** Share of devices that never report (0..1). */
  silentShare?: number
  /** Each profile collected once; reuse it across fleets (the bench makes several). */
  collected?: Map<string, CollectedProfile>
}

export interface CollectedProfile {
  archive: CollectorArchive
  nativeArch: string
  build: string
}

/** mulberry32: a small seeded generator (public domain), enough for a reproducible mix. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function guid(rand: () => number): string {
  const h = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** Each training profile collected once, in a scratch data folder (training machines are never changed by it). */
/** collectProfiles in a scratch data folder of its own, removed once the profiles are in memory. */
export async function collectProfilesScratch(appVersion = '0.1.0'): Promise<Map<string, CollectedProfile>> {
  const dir = await mkdtemp(join(tmpdir(), 'sd-fleet-profiles-'))
  try {
    return await collectProfiles(dir, appVersion)
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 })
  }
}

export async function collectProfiles(dataDir: string, appVersion = '0.1.0'): Promise<Map<string, CollectedProfile>> {
  const store = new TrainingStore(dataDir)
  const out = new Map<string, CollectedProfile>()
  for (const p of trainingProfiles) {
    if (!(p.name in PROFILE_CAUSE)) continue
    const { zip } = await collectFromHost(new TrainingHost(p.name, store), {
      appVersion,
      now: () => new Date('2026-11-20T08:00:00.000Z'),
    })
    out.set(p.name, {
      archive: readCollectorArchive(zip),
      nativeArch: p.os.nativeArch,
      build: `${p.os.currentBuild}.${p.os.ubr}`,
    })
  }
  return out
}

/** The profile's collected file as another device's: its name and time (the commands that print the name too). */
export function deviceArchive(c: CollectedProfile, name: string, takenAt: string): Buffer {
  const s = c.archive.snapshot
  const old = s.computerName
  const snapshot = {
    ...s,
    computerName: name,
    takenAt,
    commands: s.commands.map((cmd) => ({ ...cmd, stdout: cmd.stdout.split(old).join(name) })),
  }
  const contents = new Map(s.files.map((f) => [f.entry, c.archive.files.get(f.path.toLowerCase())!]))
  return writeCollectorArchive(snapshot, contents, new Date(takenAt))
}

export function deviceLine(c: CollectedProfile, name: string, takenAt: string): string {
  const s = c.archive.snapshot
  const archive = { ...c.archive, snapshot: { ...s, computerName: name, takenAt } }
  return collectorLineOf(archive, { nativeArch: c.nativeArch, outFile: `${COLLECTOR_WORK_ROOT}\\${name}.zip` })
}

export function makeFleet(collected: Map<string, CollectedProfile>, opts: FleetOptions): FleetDevice[] {
  return [...fleetDevices(collected, opts)]
}

/** The fleet's devices one at a time, in order (the same as makeFleet's): a large fleet need not be held whole. */
export function* fleetDevices(collected: Map<string, CollectedProfile>, opts: FleetOptions): Generator<FleetDevice> {
  const rand = seeded(opts.seed ?? 45)
  const start = Date.parse(opts.start ?? '2026-11-20T08:00:00.000Z')
  const maxDelay = (opts.maxDelayHours ?? 72) * 3600_000
  const silent = opts.silentShare ?? 0.05
  const profiles = [...collected.keys()].sort()
  // A fleet is mostly healthy; each failure profile gets a share (weights fixed, not random, so small fleets hold every cause).
  const lineCache = new Map<string, string>()
  for (let i = 0; i < opts.devices; i++) {
    const profile = profiles[i % profiles.length]!
    const c = collected.get(profile)!
    const name = `${profile.startsWith('arm64') ? 'LT' : 'PC'}-${String(i + 1).padStart(5, '0')}`
    const never = rand() < silent
    const reportedAt = never ? null : new Date(start + Math.floor((rand() * maxDelay) / 1000) * 1000).toISOString()
    let line: string | null = null
    if (reportedAt) {
      // The line differs between devices of a profile only by name, time and file: build it once per profile.
      let tpl = lineCache.get(profile)
      if (!tpl) {
        tpl = deviceLine(c, '\u0001', '\u0002')
        lineCache.set(profile, tpl)
      }
      line = tpl.split('\u0001').join(name).replace('\u0002', reportedAt)
    }
    yield {
      name,
      aadId: guid(rand),
      intuneId: guid(rand),
      profile,
      cause: never ? NOT_REPORTED : PROFILE_CAUSE[profile]!,
      reportedAt,
      nativeArch: c.nativeArch,
      build: c.build,
      line,
    }
  }
}

/** Graph `GET /deviceManagement/deviceHealthScripts/{id}/deviceRunStates?$expand=managedDevice` (beta), one page. */
export function graphRunStates(devices: readonly FleetDevice[], scriptId: string): string {
  return JSON.stringify(
    {
      '@odata.context': `https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceHealthScripts('${scriptId}')/deviceRunStates(managedDevice())`,
      value: devices.map((d) => ({
        '@odata.type': '#microsoft.graph.deviceHealthScriptDeviceState',
        id: `${scriptId}:${d.intuneId}`,
        detectionState: d.reportedAt ? (d.cause === 'none' ? 'success' : 'fail') : 'pending',
        lastStateUpdateDateTime: d.reportedAt ?? '0001-01-01T00:00:00Z',
        expectedStateUpdateDateTime: null,
        lastSyncDateTime: d.reportedAt ?? '0001-01-01T00:00:00Z',
        preRemediationDetectionScriptOutput: d.line ?? '',
        preRemediationDetectionScriptError: '',
        remediationScriptError: '',
        postRemediationDetectionScriptOutput: '',
        postRemediationDetectionScriptError: '',
        remediationState: d.reportedAt ? 'skipped' : 'unknown',
        assignmentFilterIds: [],
        managedDevice: {
          '@odata.type': '#microsoft.graph.managedDevice',
          id: d.intuneId,
          deviceName: d.name,
          azureADDeviceId: d.aadId,
          osVersion: `10.0.${d.build}`,
        },
      })),
    },
    null,
    1,
  )
}

/** The DeviceRunStatesByProactiveRemediation export (reports/exportJobs) as CSV: columns as MsGraphToSql lists them. */
export const INTUNE_EXPORT_COLUMNS = [
  'PolicyId',
  'DeviceId',
  'UserId',
  'InternalVersion',
  'ModifiedTime',
  'PostRemediationDetectionScriptError',
  'PostRemediationDetectionScriptOutput',
  'PreRemediationDetectionScriptError',
  'PreRemediationDetectionScriptOutput',
  'RemediationScriptErrorDetails',
  'RemediationStatus',
  'DeviceName',
  'OSVersion',
  'UPN',
  'UserEmail',
  'UserName',
  'DetectionStatus',
  'UniqueKustoKey',
  'DetectionScriptStatus',
  'RemediationScriptStatus',
] as const

export function intuneExportCsv(devices: readonly FleetDevice[], policyId: string): string {
  const rows = devices.map((d) => [
    policyId,
    d.intuneId,
    '00000000-0000-0000-0000-000000000000',
    '1',
    d.reportedAt ?? '',
    '',
    '',
    '',
    d.line ?? '',
    '',
    d.reportedAt ? '1' : '0',
    d.name,
    `10.0.${d.build}`,
    '',
    '',
    '',
    d.reportedAt ? (d.cause === 'none' ? '1' : '3') : '0',
    `${policyId}_${d.intuneId}`,
    d.reportedAt ? (d.cause === 'none' ? 'Without issues' : 'With issues') : 'Pending',
    d.reportedAt ? 'Not run' : 'Pending',
  ])
  return csvText([[...INTUNE_EXPORT_COLUMNS], ...rows])
}

/** A failing device's update alert as UCUpdateAlert holds it; error code from its line. */
export const UC_ALERT_COLUMNS = [
  'TenantId',
  'TimeGenerated [UTC]',
  'AzureADDeviceId',
  'DeviceName',
  'GlobalDeviceId',
  'AlertId',
  'AlertClassification',
  'AlertType',
  'AlertSubtype',
  'AlertStatus',
  'AlertRank',
  'ErrorCode',
  'ErrorSymName',
  'Description',
  'Recommendation',
  'ClientSubstate',
  'StartTime [UTC]',
  'ResolvedTime [UTC]',
  'TargetBuild',
  'TargetVersion',
  'UpdateCategory',
  'UpdateClassification',
  'URL',
  'Type',
] as const

export interface AlertRow {
  [k: string]: string
}

export function updateAlerts(
  devices: readonly FleetDevice[],
  opts: { perDevice?: number; tenant?: string } = {},
): AlertRow[] {
  const tenant = opts.tenant ?? '69ca04b0-703d-4b3a-9184-c4e3c15d6f5e'
  const rows: AlertRow[] = []
  for (const d of devices) {
    if (!d.reportedAt || !d.line) continue
    const codes = /codes=([^ ]*)/.exec(d.line)?.[1]?.split(',').filter(Boolean) ?? []
    if (!codes.length) continue
    const n = opts.perDevice ?? 1
    for (let k = 0; k < n; k++) {
      const code = codes[k % codes.length]!
      const t = new Date(Date.parse(d.reportedAt) - (n - k) * 86400_000).toISOString()
      rows.push({
        TenantId: tenant,
        'TimeGenerated [UTC]': d.reportedAt,
        AzureADDeviceId: d.aadId,
        DeviceName: d.name,
        GlobalDeviceId: '',
        AlertId: `${d.aadId.replace(/-/g, '').slice(0, 24)}${String(k).padStart(8, '0')}`,
        AlertClassification: 'Error',
        AlertType: 'ClientUpdateAlert',
        AlertSubtype: 'InstallFailure',
        AlertStatus: 'Active',
        AlertRank: '1000',
        ErrorCode: code,
        ErrorSymName: '',
        Description: 'Install failure',
        Recommendation: 'Check the installation logs.',
        ClientSubstate: 'InstallStart',
        'StartTime [UTC]': t,
        'ResolvedTime [UTC]': '',
        TargetBuild: d.build,
        TargetVersion: '',
        UpdateCategory: 'WindowsQualityUpdate',
        UpdateClassification: 'Security',
        URL: '',
        Type: 'UCUpdateAlert',
      })
    }
  }
  return rows
}

export function alertsCsv(rows: readonly AlertRow[]): string {
  return csvText([[...UC_ALERT_COLUMNS], ...rows.map((r) => UC_ALERT_COLUMNS.map((c) => r[c] ?? ''))])
}

/** The JSON a Log Analytics query returns through the API / `az monitor log-analytics query`: an array of rows, datetime columns without " [UTC]". */
export function alertsJson(rows: readonly AlertRow[]): string {
  return JSON.stringify(
    rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(/ \[UTC\]$/, ''), v]))),
  )
}
