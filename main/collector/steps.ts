/**
 * What the collector gathers, in order: every probe's commands and files (read from the probe definitions in
 * main/machine/probes — the one source of truth; the scan and the collector cannot drift apart), then the logs
 * the diagnosis reads (main/machine/read-machine-logs.ts's CBS and DISM paths) and the setup logs and events a
 * technician reads. Each step has a byte limit; all of them together stay under COLLECTOR_MAX_BYTES.
 */
import type { CommandSpec } from '../host/host.ts'
import { powershellSpec } from '../host/powershell.ts'
import { probes } from '../machine/probes/index.ts'
import { COLLECT_VARS, type CollectItem } from '../machine/probe.ts'
import { CBS_DIR, DISM_LOG } from '../machine/read-machine-logs.ts'
import { expandCbsPersistCommand } from '../machine/cbs-persist.ts'
import { COLLECTOR_MAX_BYTES } from '../../preload/model/collector-limits.ts'

export type CollectorStep =
  | { kind: 'command'; spec: CommandSpec; maxBytes: number; why: string }
  /** One file, its last `maxBytes` when larger. */
  | { kind: 'file'; path: string; maxBytes: number; why: string }
  /** The newest `count` files of `dir` whose names match `pattern` (digits stamp), each its last `maxBytes`. */
  | { kind: 'newest'; dir: string; pattern: string; count: number; maxBytes: number; why: string }
  /** The newest `count` CbsPersist archives, each expanded (expand.exe, `expand`'s spec) and kept as CbsPersist_<stamp>.log. */
  | {
      kind: 'cabs'
      dir: string
      count: number
      maxBytes: number
      expand: (cab: string, dest: string) => CommandSpec
      why: string
    }

export const PANTHER_DIR = 'C:\\Windows\\Panther'
/** Where the collector expands CbsPersist archives (a fresh sub-folder each run, removed after). */
export const COLLECTOR_WORK_ROOT = 'C:\\ProgramData\\ServicingDesk\\collector'

/** Servicing and Windows Update events of the last 30 days (System and Setup logs), as JSON. */
export const SERVICING_EVENTS_SCRIPT = [
  '$since = (Get-Date).AddDays(-30)',
  "$f1 = @{ LogName = 'System'; ProviderName = @('Microsoft-Windows-WindowsUpdateClient', 'Microsoft-Windows-Servicing', 'Microsoft-Windows-TPM-WMI'); StartTime = $since }",
  "$f2 = @{ LogName = 'Setup'; StartTime = $since }",
  '$ev = @(); foreach ($f in @($f1, $f2)) { try { $ev += @(Get-WinEvent -FilterHashtable $f -MaxEvents 150 -ErrorAction Stop) } catch { } }',
  "@($ev | Sort-Object TimeCreated -Descending | ForEach-Object { [pscustomobject]@{ log = $_.LogName; provider = $_.ProviderName; id = $_.Id; level = $_.LevelDisplayName; time = $_.TimeCreated.ToUniversalTime().ToString('o'); message = [string]$_.Message } }) | ConvertTo-Json -Depth 3 -Compress",
].join('; ')
export const servicingEventsCommand: CommandSpec = powershellSpec('events.servicing', SERVICING_EVENTS_SCRIPT, 120_000)

const MB = 1024 * 1024

/** The probes' items as collector steps, once each (two probes read `storage.layout`). */
export function probeSteps(): CollectorStep[] {
  const seen = new Set<string>()
  const out: CollectorStep[] = []
  for (const probe of probes) {
    for (const item of probe.collect ?? ([] as readonly CollectItem[])) {
      const key =
        item.kind === 'command' ? `c:${item.spec.name}:${item.spec.args.join('\0')}` : `f:${item.path.toLowerCase()}`
      if (seen.has(key)) continue
      seen.add(key)
      out.push(
        item.kind === 'command'
          ? {
              kind: 'command',
              spec: item.spec,
              maxBytes: item.spec.name.startsWith('packages.') ? 4 * MB : 1 * MB,
              why: `${probe.id} probe`,
            }
          : { kind: 'file', path: item.path, maxBytes: item.maxBytes, why: `${probe.id} probe` },
      )
    }
  }
  return out
}

/** Every step, in the order the collector runs them. */
export function collectorSteps(): CollectorStep[] {
  return [
    ...probeSteps(),
    { kind: 'file', path: `${CBS_DIR}\\CBS.log`, maxBytes: 6 * MB, why: 'CBS.log (its end)' },
    {
      kind: 'newest',
      dir: CBS_DIR,
      pattern: '^CbsPersist_\\d+\\.log$',
      count: 2,
      maxBytes: 1 * MB,
      why: 'rolled-over CBS logs',
    },
    {
      kind: 'cabs',
      dir: CBS_DIR,
      count: 3,
      maxBytes: 2 * MB,
      expand: expandCbsPersistCommand,
      why: 'the newest CbsPersist archives',
    },
    { kind: 'file', path: DISM_LOG, maxBytes: 3 * MB, why: 'DISM.log (its end)' },
    { kind: 'file', path: `${PANTHER_DIR}\\setupact.log`, maxBytes: 1 * MB, why: 'setup log (its end)' },
    { kind: 'file', path: `${PANTHER_DIR}\\setuperr.log`, maxBytes: MB / 2, why: 'setup errors (its end)' },
    { kind: 'command', spec: servicingEventsCommand, maxBytes: 1 * MB, why: 'servicing and Windows Update events' },
  ]
}

/** The sum of every step's limit: under the hard cap, so the zip cannot exceed it. */
export function stepBudget(steps: readonly CollectorStep[]): number {
  return steps.reduce((n, s) => n + (s.kind === 'newest' || s.kind === 'cabs' ? s.count * s.maxBytes : s.maxBytes), 0)
}

/** The zip entry of a Windows path: `C:\Windows\Logs\CBS\CBS.log` → `files/C/Windows/Logs/CBS/CBS.log`. */
export function entryForPath(path: string): string {
  return `files/${path
    .replace(/^([A-Za-z]):\\/, '$1/')
    .replace(/\\/g, '/')
    .replace(/[^A-Za-z0-9._\-/]/g, '_')}`
}

export { COLLECT_VARS, COLLECTOR_MAX_BYTES }
