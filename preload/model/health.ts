/**
 * The five health checks of a snapshot (packages, restart, space, services, WinRE), shared by the
 * Overview's tiles and the report's verification so both always say the same thing.
 *
 * Pure: a snapshot in, checks out. An unknown fact gives an `unknown` check with the probe's reason,
 * never a guess. Thresholds follow servicing-facts §1.1: R2 (10 GB free at least, 20 GB advised),
 * R9 (a WinRE update needs 250 MB free on the recovery partition, KB5028997).
 */
import { z } from 'zod'
import type { MachineSnapshot } from './snapshot.ts'

export const HealthLevelSchema = z.enum(['ok', 'warn', 'bad', 'unknown'])
export type HealthLevel = z.infer<typeof HealthLevelSchema>

export const HealthCheckSchema = z.object({
  id: z.enum(['packages', 'restart', 'space', 'services', 'winre']),
  level: HealthLevelSchema,
  /** Short value for a tile, e.g. `12.4 GB free`. */
  value: z.string(),
  /** One plain sentence: what was found (or why it is unknown). */
  detail: z.string(),
})
export type HealthCheck = z.infer<typeof HealthCheckSchema>

const GB = 1024 ** 3
const MB = 1024 ** 2
/** Services Windows Update and DISM servicing need (servicing-facts §1.1 R3/R10). */
export const servicingServices = ['wuauserv', 'bits', 'cryptsvc', 'trustedinstaller', 'msiserver'] as const

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?'
  if (n >= GB) return `${(n / GB).toFixed(1)} GB`
  if (n >= MB) return `${Math.round(n / MB)} MB`
  return `${Math.round(n / 1024)} KB`
}

export function assessHealth(s: MachineSnapshot): HealthCheck[] {
  return [packagesCheck(s), restartCheck(s), spaceCheck(s), servicesCheck(s), winreCheck(s)]
}

function packagesCheck(s: MachineSnapshot): HealthCheck {
  const f = s.packages
  if (f.status === 'unknown') return { id: 'packages', level: 'unknown', value: 'unknown', detail: f.error }
  const { packages, checkpoint, lcu } = f.value
  const pending = packages.filter((p) => p.state === 'install-pending' || p.state === 'uninstall-pending').length
  const level: HealthLevel = checkpoint.present === false ? 'bad' : pending > 0 ? 'warn' : 'ok'
  const parts = [`${packages.length} packages`]
  if (lcu) parts.push(`update level ${lcu.build}.${lcu.ubr}`)
  if (pending > 0) parts.push(`${pending} waiting for a restart`)
  const cp = checkpoint.present === false
    ? `The checkpoint ${checkpoint.kb} (${checkpoint.build}.${checkpoint.ubr}) is missing; later cumulative updates need it first.`
    : checkpoint.present === true && checkpoint.kb ? `Checkpoint ${checkpoint.kb} present.` : ''
  return { id: 'packages', level, value: checkpoint.present === false ? 'checkpoint missing' : `${packages.length} packages`, detail: `${parts.join(', ')}. ${cp}`.trim() }
}

function restartCheck(s: MachineSnapshot): HealthCheck {
  const f = s.reboot
  if (f.status === 'unknown') return { id: 'restart', level: 'unknown', value: 'unknown', detail: f.error }
  const pending = f.value.sources.filter((x) => x.pending === true)
  if (!f.value.pending) return { id: 'restart', level: 'ok', value: 'none pending', detail: 'No source says a restart is pending.' }
  return { id: 'restart', level: 'warn', value: 'restart pending', detail: `A restart is pending: ${pending.map((x) => x.label).join('; ') || 'reported'}. Restart before installing more updates.` }
}

function spaceCheck(s: MachineSnapshot): HealthCheck {
  const f = s.storage
  if (f.status === 'unknown') return { id: 'space', level: 'unknown', value: 'unknown', detail: f.error }
  const d = f.value.systemDrive
  const level: HealthLevel = d.freeBytes < 10 * GB ? 'bad' : d.freeBytes < 20 * GB ? 'warn' : 'ok'
  const advice = level === 'ok' ? 'Enough for updates.' : level === 'warn' ? 'Updates usually fit; 20 GB free is advised.' : 'Too little for updates: free at least 10 GB.'
  return { id: 'space', level, value: `${formatBytes(d.freeBytes)} free`, detail: `${d.letter} has ${formatBytes(d.freeBytes)} free of ${formatBytes(d.sizeBytes)}. ${advice}` }
}

function servicesCheck(s: MachineSnapshot): HealthCheck {
  const f = s.services
  if (f.status === 'unknown') return { id: 'services', level: 'unknown', value: 'unknown', detail: f.error }
  const byName = new Map(f.value.map((x) => [x.name.toLowerCase(), x]))
  const disabled = servicingServices.filter((n) => byName.get(n)?.startType === 'disabled')
  const missing = servicingServices.filter((n) => !byName.has(n))
  if (disabled.length > 0) return { id: 'services', level: 'bad', value: `${disabled.length} disabled`, detail: `Disabled: ${disabled.join(', ')}. Windows Update cannot install while these are disabled.` }
  if (missing.length > 0) return { id: 'services', level: 'warn', value: `${missing.length} not found`, detail: `Not found: ${missing.join(', ')}.` }
  return { id: 'services', level: 'ok', value: 'all can start', detail: `${servicingServices.join(', ')} can start.` }
}

function winreCheck(s: MachineSnapshot): HealthCheck {
  const f = s.winre
  if (f.status === 'unknown') return { id: 'winre', level: 'unknown', value: 'unknown', detail: f.error }
  const w = f.value
  if (w.status !== 'enabled') return { id: 'winre', level: 'bad', value: w.status === 'disabled' ? 'disabled' : 'unknown state', detail: `The recovery environment (WinRE) is ${w.status}${w.stagedImagePath ? `; its image waits at ${w.stagedImagePath}` : ''}.` }
  const recovery = s.storage.status === 'known' ? s.storage.value.disks.flatMap((d) => d.partitions).find((p) => p.holdsWinre) : undefined
  if (recovery?.freeBytes != null && recovery.freeBytes < 250 * MB) {
    return { id: 'winre', level: 'warn', value: `${formatBytes(recovery.freeBytes)} free`, detail: `WinRE is enabled${w.version ? ` (${w.version})` : ''}, but its recovery partition has only ${formatBytes(recovery.freeBytes)} free; a WinRE update needs 250 MB (KB5028997).` }
  }
  return { id: 'winre', level: 'ok', value: 'enabled', detail: `The recovery environment (WinRE) is enabled${w.version ? `, version ${w.version}` : ''}.` }
}
