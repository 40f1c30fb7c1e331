/**
 * Reads the state of the services Windows servicing depends on, from our Get-Service JSON.
 *
 * PowerShell 5.1 serialises enums as numbers: ServiceControllerStatus 1 Stopped, 2 StartPending,
 * 3 StopPending, 4 Running, 5 ContinuePending, 6 PausePending, 7 Paused; ServiceStartMode 0 Boot,
 * 1 System, 2 Automatic, 3 Manual, 4 Disabled (learn.microsoft.com/dotnet/api/system.serviceprocess).
 * Our script prints them as strings and adds DelayedAutostart from the service's registry key.
 */
import type { ServiceState } from '../../preload/model/snapshot.ts'

/** The services whose state servicing depends on (servicing-facts §1 remedies, §7 TrustedInstaller note). */
export const SERVICING_SERVICES = ['wuauserv', 'bits', 'cryptsvc', 'trustedinstaller', 'msiserver', 'usosvc'] as const

export const SERVICES_SCRIPT = [
  '$ErrorActionPreference = "SilentlyContinue"',
  `$names = ${SERVICING_SERVICES.map((n) => `'${n}'`).join(',')}`,
  '$rows = @(foreach ($n in $names) { $s = Get-Service -Name $n; if ($s) {',
  '  $d = (Get-ItemProperty "HKLM:\\SYSTEM\\CurrentControlSet\\Services\\$n").DelayedAutostart',
  '  [pscustomobject]@{ Name = $s.Name; DisplayName = $s.DisplayName; Status = [string]$s.Status; StartType = [string]$s.StartType; DelayedAutoStart = ($d -eq 1) } } })',
  'ConvertTo-Json -InputObject $rows -Compress',
].join('\n')

export interface ServicesResult {
  services: ServiceState[]
  /** Expected services the machine did not report (removed or renamed). */
  missing: string[]
  warnings: string[]
  ok: boolean
}

const STATUS: Record<string, ServiceState['status']> = {
  '1': 'stopped',
  '2': 'start-pending',
  '3': 'stop-pending',
  '4': 'running',
  '5': 'other',
  '6': 'other',
  '7': 'paused',
  stopped: 'stopped',
  startpending: 'start-pending',
  stoppending: 'stop-pending',
  running: 'running',
  paused: 'paused',
}
const START: Record<string, ServiceState['startType']> = {
  '2': 'automatic',
  '3': 'manual',
  '4': 'disabled',
  '10': 'automatic-delayed',
  automatic: 'automatic',
  manual: 'manual',
  disabled: 'disabled',
  automaticdelayedstart: 'automatic-delayed',
}

export function parseServices(input: string): ServicesResult {
  const text = (typeof input === 'string' ? input : '').trim().replace(/^\uFEFF/, '')
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return {
      services: [],
      missing: [],
      warnings: ['The services output is not JSON (expected Get-Service as ConvertTo-Json).'],
      ok: false,
    }
  }
  const rows = (Array.isArray(data) ? data : [data]).filter(
    (x): x is Record<string, unknown> => typeof x === 'object' && x !== null,
  )
  const services: ServiceState[] = []
  for (const r of rows) {
    if (typeof r.Name !== 'string' || r.Name === '') continue
    const key = (v: unknown) =>
      String(v ?? '')
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')
    let startType = START[key(r.StartType)] ?? 'other'
    if (startType === 'automatic' && r.DelayedAutoStart === true) startType = 'automatic-delayed'
    services.push({
      name: r.Name.toLowerCase(),
      displayName: typeof r.DisplayName === 'string' ? r.DisplayName : null,
      status: STATUS[key(r.Status)] ?? 'other',
      startType,
    })
  }
  const have = new Set(services.map((s) => s.name))
  const missing = SERVICING_SERVICES.filter((n) => !have.has(n))
  return {
    services,
    missing,
    warnings: missing.length ? [`Not found on this PC: ${missing.join(', ')}.`] : [],
    ok: true,
  }
}
