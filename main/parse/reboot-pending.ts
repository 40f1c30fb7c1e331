/**
 * Reads every reboot-pending source (servicing-facts §7) from the JSON our script prints, and reports
 * each one separately with what it saw: a technician must know *which* signal says "restart".
 *
 * PendingFileRenameOperations is noisy (antivirus and installers use it too), so it is reported but
 * labelled as such. Sources: learn.microsoft.com (CBS RebootPending, WU RebootRequired), and the
 * widely used community checks listed in servicing-facts §7.
 */
import type { RebootFact } from '../../preload/model/snapshot.ts'

const CBS = 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing'
const WU = 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate'

/** The script the reboot probe runs; one JSON object, every field present (false/[]/null when absent). */
export const REBOOT_PENDING_SCRIPT = [
  '$ErrorActionPreference = "SilentlyContinue"',
  `$cbs = '${CBS}'`,
  `$wu = '${WU}'`,
  "$sm = Get-ItemProperty 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Session Manager'",
  "$nl = Get-ItemProperty 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\Netlogon'",
  '$ccm = $null',
  'try { $r = Invoke-CimMethod -Namespace root\\ccm\\ClientSDK -ClassName CCM_ClientUtilities -MethodName DetermineIfRebootPending -ErrorAction Stop; $ccm = [bool]($r.RebootPending -or $r.IsHardRebootPending) } catch {}',
  '[pscustomobject]@{',
  '  CbsRebootPending = Test-Path "$cbs\\RebootPending"',
  '  CbsRebootInProgress = Test-Path "$cbs\\RebootInProgress"',
  '  CbsPackagesPending = Test-Path "$cbs\\PackagesPending"',
  '  WuRebootRequired = Test-Path "$wu\\Auto Update\\RebootRequired"',
  '  WuPostRebootReporting = Test-Path "$wu\\Auto Update\\PostRebootReporting"',
  '  WuServicesPending = Test-Path "$wu\\Services\\Pending"',
  '  PendingFileRenameOperations = @(if ($sm.PendingFileRenameOperations) { $sm.PendingFileRenameOperations })',
  '  PendingFileRenameOperations2 = @(if ($sm.PendingFileRenameOperations2) { $sm.PendingFileRenameOperations2 })',
  "  UpdateExeVolatile = (Get-ItemProperty 'HKLM:\\SOFTWARE\\Microsoft\\Updates').UpdateExeVolatile",
  "  ServerManagerRebootAttempts = Test-Path 'HKLM:\\SOFTWARE\\Microsoft\\ServerManager\\CurrentRebootAttempts'",
  '  NetlogonJoinDomain = $null -ne $nl.JoinDomain',
  '  NetlogonAvoidSpnSet = $null -ne $nl.AvoidSpnSet',
  "  ActiveComputerName = (Get-ItemProperty 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ActiveComputerName').ComputerName",
  "  ComputerName = (Get-ItemProperty 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName').ComputerName",
  "  DvdRebootSignal = $null -ne (Get-ItemProperty 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce').DVDRebootSignal",
  '  PendingXml = Test-Path "$env:windir\\WinSxS\\pending.xml"',
  '  CcmRebootPending = $ccm',
  '} | ConvertTo-Json -Depth 3 -Compress',
].join('\n')

/** The raw observations, as the script names them. */
export interface RebootObservations {
  CbsRebootPending?: boolean
  CbsRebootInProgress?: boolean
  CbsPackagesPending?: boolean
  WuRebootRequired?: boolean
  WuPostRebootReporting?: boolean
  WuServicesPending?: boolean
  PendingFileRenameOperations?: string[]
  PendingFileRenameOperations2?: string[]
  UpdateExeVolatile?: number | null
  ServerManagerRebootAttempts?: boolean
  NetlogonJoinDomain?: boolean
  NetlogonAvoidSpnSet?: boolean
  ActiveComputerName?: string | null
  ComputerName?: string | null
  DvdRebootSignal?: boolean
  PendingXml?: boolean
  CcmRebootPending?: boolean | null
}

export interface RebootPendingResult {
  fact: RebootFact | null
  warnings: string[]
}

type Source = RebootFact['sources'][number]

export function parseRebootPending(input: string): RebootPendingResult {
  const text = (typeof input === 'string' ? input : '').trim().replace(/^\uFEFF/, '')
  let o: RebootObservations
  try {
    const d: unknown = JSON.parse(text)
    if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new Error('not an object')
    o = d as RebootObservations
  } catch {
    return { fact: null, warnings: ['The reboot-pending output is not the JSON object our script prints.'] }
  }
  const key = (id: string, label: string, path: string, v: unknown): Source => ({
    id,
    label,
    pending: typeof v === 'boolean' ? v : null,
    detail: typeof v === 'boolean' ? `${path} ${v ? 'exists' : 'does not exist'}.` : `${path} was not reported.`,
  })
  const renames = (id: string, name: string, v: unknown): Source => {
    if (!Array.isArray(v)) return { id, label: `${name} (noisy)`, pending: null, detail: `${name} was not reported.` }
    const strings = v.filter((x): x is string => typeof x === 'string')
    const named = strings.filter((x) => x !== '')
    // Entries come in pairs (source, destination); an empty destination means delete.
    const first = named[0] ? ` First: ${named[0]}` : ''
    return {
      id,
      label: `${name} (noisy: antivirus and installers also use it)`,
      pending: named.length > 0,
      detail:
        named.length > 0
          ? `${Math.ceil(strings.length / 2)} file operation(s) wait for a restart.${first}`
          : `${name} is empty.`,
    }
  }
  const sources: Source[] = [
    key('cbs-reboot-pending', 'Component Based Servicing: RebootPending', `${CBS}\\RebootPending`, o.CbsRebootPending),
    key(
      'cbs-reboot-in-progress',
      'Component Based Servicing: RebootInProgress',
      `${CBS}\\RebootInProgress`,
      o.CbsRebootInProgress,
    ),
    key(
      'cbs-packages-pending',
      'Component Based Servicing: PackagesPending',
      `${CBS}\\PackagesPending`,
      o.CbsPackagesPending,
    ),
    key(
      'cbs-pending-xml',
      'Pending servicing transaction (pending.xml)',
      '%windir%\\WinSxS\\pending.xml',
      o.PendingXml,
    ),
    key(
      'wu-reboot-required',
      'Windows Update: RebootRequired',
      `${WU}\\Auto Update\\RebootRequired`,
      o.WuRebootRequired,
    ),
    key(
      'wu-post-reboot-reporting',
      'Windows Update: PostRebootReporting',
      `${WU}\\Auto Update\\PostRebootReporting`,
      o.WuPostRebootReporting,
    ),
    key('wu-services-pending', 'Windows Update: Services\\Pending', `${WU}\\Services\\Pending`, o.WuServicesPending),
    renames('pending-file-rename', 'PendingFileRenameOperations', o.PendingFileRenameOperations),
    renames('pending-file-rename-2', 'PendingFileRenameOperations2', o.PendingFileRenameOperations2),
    {
      id: 'update-exe-volatile',
      label: 'UpdateExeVolatile (legacy update.exe)',
      pending:
        typeof o.UpdateExeVolatile === 'number'
          ? o.UpdateExeVolatile !== 0
          : o.UpdateExeVolatile === null
            ? false
            : null,
      detail:
        typeof o.UpdateExeVolatile === 'number'
          ? `HKLM\\SOFTWARE\\Microsoft\\Updates\\UpdateExeVolatile = ${o.UpdateExeVolatile}.`
          : 'UpdateExeVolatile is not set.',
    },
    key(
      'server-manager',
      'Server Manager: CurrentRebootAttempts',
      'HKLM:\\SOFTWARE\\Microsoft\\ServerManager\\CurrentRebootAttempts',
      o.ServerManagerRebootAttempts,
    ),
    {
      id: 'domain-join',
      label: 'Domain join (Netlogon JoinDomain / AvoidSpnSet)',
      pending:
        typeof o.NetlogonJoinDomain === 'boolean' || typeof o.NetlogonAvoidSpnSet === 'boolean'
          ? Boolean(o.NetlogonJoinDomain || o.NetlogonAvoidSpnSet)
          : null,
      detail: `JoinDomain ${o.NetlogonJoinDomain ? 'is set' : 'is not set'}; AvoidSpnSet ${o.NetlogonAvoidSpnSet ? 'is set' : 'is not set'}.`,
    },
    {
      id: 'computer-rename',
      label: 'Computer rename (ActiveComputerName ≠ ComputerName)',
      pending:
        typeof o.ActiveComputerName === 'string' && typeof o.ComputerName === 'string'
          ? o.ActiveComputerName.toUpperCase() !== o.ComputerName.toUpperCase()
          : null,
      detail:
        typeof o.ActiveComputerName === 'string' && typeof o.ComputerName === 'string'
          ? `Active name '${o.ActiveComputerName}', name after restart '${o.ComputerName}'.`
          : 'The computer names were not reported.',
    },
    key(
      'dvd-reboot-signal',
      'RunOnce: DVDRebootSignal (legacy)',
      'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce\\DVDRebootSignal',
      o.DvdRebootSignal,
    ),
    {
      id: 'configmgr',
      label: 'Configuration Manager client',
      pending: typeof o.CcmRebootPending === 'boolean' ? o.CcmRebootPending : null,
      detail:
        typeof o.CcmRebootPending === 'boolean'
          ? `CCM_ClientUtilities.DetermineIfRebootPending says ${o.CcmRebootPending ? 'a restart is pending' : 'no restart is pending'}.`
          : 'No Configuration Manager client answered (normal on PCs without it).',
    },
  ]
  return { fact: { pending: sources.some((s) => s.pending === true), sources }, warnings: [] }
}
