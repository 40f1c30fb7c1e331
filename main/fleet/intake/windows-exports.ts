/**
 * The other exports admins already have, read by their documented columns, as Windows PowerShell 5.1 writes them
 * (`Export-Csv`: a `#TYPE …` first line unless -NoTypeInformation, every field quoted, ASCII by default or UTF-16LE
 * with -Encoding Unicode; an HResult as a signed decimal; a WMI time as DMTF text when Get-WmiObject read it):
 * - UCServiceUpdateStatus (MicrosoftDocs/windows-itpro-docs windows/deployment/update/wufb-reports-schema-ucserviceupdatestatus.md):
 *   AzureADDeviceId (no device name), ServiceState, ServiceSubstate, ServiceSubstateTime, TargetBuild, UpdateDisplayName,
 *   TimeGenerated. A substate that holds the update back (SafeguardHold, AdminPaused, ServicePaused, AdminCancelled, …,
 *   the enumerated types page) is read as that service alert; any other substate as the update's progress.
 * - Intune's FeatureUpdateDeviceState and QualityUpdateDeviceStatusByPolicy exports (memdocs
 *   intune/fundamentals/reports-export-graph-available-reports.md): DeviceName, DeviceId, AADDeviceId,
 *   CurrentDeviceUpdateStatus, CurrentDeviceUpdateSubstatus, LatestAlertMessage, EventDateTimeUTC. A LatestAlertMessage
 *   that is an alert subtype of the enumerated types is read as that alert, active; the status as progress.
 * - Intune's QualityUpdateDeviceErrorsByPolicy (same page): DeviceName, DeviceId, AlertMessage, Win32ErrorCode.
 * - PSWindowsUpdate's `Get-WUHistory -ComputerName …` (IUpdateHistoryEntry's properties, learn.microsoft.com
 *   windows/win32/api/wuapi/nn-wuapi-iupdatehistoryentry, with the module's ComputerName, Result, KB): a failed entry
 *   (ResultCode 4 or 5, or Result Failed/Aborted) is its code's alert, active; a later success of the same title
 *   resolves it.
 * - Windows Update's event 20 ("Installation Failure: … with error 0x…", Microsoft-Windows-WindowsUpdateClient) and
 *   19 (installed), from `Invoke-Command { Get-WinEvent … }` (EventLogRecord's columns with PSComputerName) or
 *   CMPivot's WinEvent (Device, ID, Message, DateTime).
 * Each row names its device by the column its tool fills: PSComputerName (Invoke-Command: the computer that answered),
 * ComputerName, DeviceName, Device, MachineName, else the Entra device id.
 */
import type { IntakeResult, Observation } from '../../../preload/model/fleet.ts'
import { device, failureCode, isoTime, reject, validName } from './common.ts'
import type { Row } from './wufb.ts'
import { ALERT_SUBTYPES } from '../alert-subtypes.ts'

export type TableKind =
  | 'service-status'
  | 'intune-update-state'
  | 'intune-update-errors'
  | 'wu-history'
  | 'update-events'
  | 'update-compliance'

const ENTRA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const rawOf = (r: Row) => r.raw || (r.fields ?? []).join(',')

/** Windows PowerShell 5.1's Export-Csv first line (`#TYPE System.Management.Automation.PSCustomObject`). */
export function isTypeLine(text: string): boolean {
  return /^#TYPE\s/.test(text.replace(/^\uFEFF/, ''))
}

export function tableKindOf(has: ReadonlySet<string>): TableKind | null {
  if (has.has('ServiceSubstate') && has.has('AzureADDeviceId') && !has.has('AlertStatus')) return 'service-status'
  if (has.has('CurrentDeviceUpdateStatus') && (has.has('DeviceName') || has.has('AADDeviceId')))
    return 'intune-update-state'
  if (has.has('Win32ErrorCode') && has.has('AlertMessage') && has.has('DeviceName') && !has.has('AlertStatus'))
    return 'intune-update-errors'
  if (
    has.has('HResult') &&
    has.has('Title') &&
    has.has('Date') &&
    (has.has('ComputerName') || has.has('PSComputerName'))
  )
    return 'wu-history'
  const id = has.has('Id') || has.has('ID') || has.has('EventID')
  if (
    id &&
    has.has('Message') &&
    (has.has('TimeCreated') || has.has('DateTime')) &&
    (has.has('PSComputerName') || has.has('Device') || has.has('MachineName'))
  )
    return 'update-events'
  // ConfigMgr's SMS_UpdateComplianceStatus with each client's name beside its MachineID (the export unusableTable gives).
  if (has.has('MachineID') && has.has('CI_ID') && has.has('Status') && (has.has('Name') || has.has('Netbios_Name0')))
    return 'update-compliance'
  return null
}

/**
 * ConfigMgr's update compliance with each client's name (SMS_R_System.Name by ResourceID = MachineID), as the
 * SMS Provider's classes give it: flat columns Export-Csv writes and this app reads (complianceRow). A WQL JOIN through
 * Get-CimInstance returns nested objects instead, which Export-Csv writes as their type names.
 */
export const SMS_NAMED_EXPORT =
  '$n = @{}; Get-CimInstance -Namespace root\\sms\\site_<CODE> -ClassName SMS_R_System -Property ResourceID, Name | ForEach-Object { $n[[string]$_.ResourceID] = $_.Name }; ' +
  "Get-CimInstance -Namespace root\\sms\\site_<CODE> -ClassName SMS_UpdateComplianceStatus -Filter 'Status = 2' | Select-Object @{ n = 'Name'; e = { $n[[string]$_.MachineID] } }, MachineID, CI_ID, ArticleID, LocalizedDisplayName, Status, LastEnforcementMessageName, LastStatusChangeTime, LastStatusCheckTime | Export-Csv fleet.csv"

/** SMS_UpdateComplianceStatus.Status (Microsoft's class reference). */
const SMS_STATUS: Readonly<Record<string, string>> = {
  '0': 'detection state unknown',
  '1': 'update not required',
  '2': 'update required',
  '3': 'update installed',
}

/**
 * One SMS_UpdateComplianceStatus row with its client's name: the update's compliance as progress (the class holds no
 * error code: a required update is no cause by itself), at its last status change.
 */
export function complianceRow(r: Row, out: IntakeResult): void {
  const dev = deviceOf(r, out, ['Name', 'Netbios_Name0'])
  if (!dev) return
  const at =
    isoTime(r.get('LastStatusChangeTime')) ??
    isoTime(r.get('LastStatusCheckTime')) ??
    isoTime(r.get('LastEnforcementMessageTime'))
  if (!at) {
    reject(out, r.line, 'no readable LastStatusChangeTime or LastStatusCheckTime', rawOf(r))
    return
  }
  const st = SMS_STATUS[r.get('Status').trim()]
  if (!st) {
    reject(
      out,
      r.line,
      `Status '${r.get('Status').slice(0, 20)}' is none of SMS_UpdateComplianceStatus's 0-3`,
      rawOf(r),
    )
    return
  }
  const kb = r.get('ArticleID').trim()
  progress(out, dev, 'configmgr', at, [
    'ConfigMgr compliance',
    `${st}${kb ? ` (KB${kb.replace(/^KB/i, '')})` : ''}`,
    r.get('LocalizedDisplayName'),
    r.get('LastEnforcementMessageName'),
  ])
}

/**
 * Tables that name no device this app can join, with the export that would work. SMS_UpdateComplianceStatus names its
 * device only by MachineID (the ResourceID; Microsoft's class reference), and its PSComputerName is the SMS Provider that
 * answered, not the client.
 */
export function unusableTable(has: ReadonlySet<string>): string | null {
  if (has.has('MachineID') && has.has('CI_ID') && has.has('Status') && !has.has('Name') && !has.has('Netbios_Name0')) {
    return (
      "It is ConfigMgr's SMS_UpdateComplianceStatus, which names each client only by MachineID (its PSComputerName is the SMS Provider that answered, not the client), so no device can be told. Export the same rows with each client's name beside its MachineID instead, in Windows PowerShell on the site server: " +
      `${SMS_NAMED_EXPORT}; ` +
      'or run the fleet detection (Detect.ps1) as a ConfigMgr script and import its output.'
    )
  }
  // Intune's driver update export (reportName DriverUpdatePolicyStatusSummary; Microsoft's "Intune reports and properties
  // available using Graph API" publishes its columns): devices counted per driver update policy, none named.
  if (has.has('PolicyId') && has.has('CountDevicesErrorStatus') && has.has('CountOfNeedsReviewDrivers')) {
    return (
      "It is Intune's driver update report (DriverUpdatePolicyStatusSummary, Devices > Manage updates > Windows updates > Driver updates), which counts devices per driver update policy and names none, so no device can be told. " +
      "Export each device's driver update progress instead: Windows Update for Business reports' UCClientUpdateStatus (its driver rows: UpdateClassification Driver, ClientState and ClientSubstate per device, by DeviceName and AzureADDeviceId) and UCUpdateAlert, " +
      "e.g. in Log Analytics: UCClientUpdateStatus | where UpdateClassification =~ 'Driver', then Export to CSV; or run the fleet detection (Detect.ps1) as an Intune remediation and import its output."
    )
  }
  return null
}

/** The device a row names: Invoke-Command's PSComputerName first (the computer that answered), then the tool's own columns. */
function deviceOf(
  r: Row,
  out: IntakeResult,
  cols: readonly string[],
  aadCol = 'AzureADDeviceId',
  intuneCol = '',
): Observation['device'] | null {
  const aad = r.get(aadCol).trim()
  const intune = intuneCol ? r.get(intuneCol).trim() || null : null
  for (const c of cols) {
    const raw = r.get(c).trim()
    if (!raw) continue
    // A fully qualified name is the computer's first label (the name Windows and the other exports use); an address is no name.
    const name = /^\d{1,3}(?:\.\d{1,3}){3}$/.test(raw) ? '' : raw.split('.')[0]!
    if (!validName(name)) {
      reject(out, r.line, `'${raw.slice(0, 80)}' is not a computer name`, rawOf(r))
      return null
    }
    return device(name, ENTRA_ID.test(aad) ? aad : null, intune)
  }
  if (ENTRA_ID.test(aad)) return device(aad.toLowerCase(), aad, intune)
  reject(out, r.line, `no ${[...cols, aadCol].join(', ')}`, rawOf(r))
  return null
}

function alert(
  out: IntakeResult,
  dev: Observation['device'],
  source: Observation['source'],
  at: string,
  codes: string[],
  status: 'active' | 'resolved',
  detail: string[],
): void {
  out.observations.push({
    device: dev,
    source,
    at,
    kind: 'alert',
    line: null,
    codes,
    status,
    file: null,
    detail: detail.filter(Boolean).join(' · ').slice(0, 2000),
  })
}
function progress(
  out: IntakeResult,
  dev: Observation['device'],
  source: Observation['source'],
  at: string,
  detail: string[],
): void {
  out.observations.push({
    device: dev,
    source,
    at,
    kind: 'status',
    line: null,
    codes: [],
    status: null,
    file: null,
    detail: detail.filter(Boolean).join(' · ').slice(0, 2000),
  })
}

/** One UCServiceUpdateStatus row: a hold (its substate as the alert subtype) or the update's progress. */
export function serviceStatusRow(r: Row, out: IntakeResult): void {
  const type = r.get('Type')
  if (type && type !== 'UCServiceUpdateStatus') {
    reject(out, r.line, `a ${type} row, not UCServiceUpdateStatus`, rawOf(r))
    return
  }
  const dev = deviceOf(r, out, ['DeviceName'])
  if (!dev) return
  const at = isoTime(r.get('ServiceSubstateTime')) ?? isoTime(r.get('TimeGenerated'))
  if (!at) {
    reject(out, r.line, 'no readable ServiceSubstateTime or TimeGenerated', rawOf(r))
    return
  }
  const sub = r.get('ServiceSubstate').trim()
  const update = [r.get('UpdateDisplayName'), r.get('TargetBuild')].filter(Boolean).join(' ')
  if (ALERT_SUBTYPES[sub])
    alert(out, dev, 'uc-service-update-status', at, [], 'active', ['ServiceUpdateAlert', sub, update])
  else progress(out, dev, 'uc-service-update-status', at, ['ServiceSubstate', sub, r.get('ServiceState'), update])
}

/** One FeatureUpdateDeviceState / QualityUpdateDeviceStatusByPolicy row: its latest alert when it names a subtype, and its status. */
export function intuneUpdateStateRow(r: Row, out: IntakeResult): void {
  const dev = deviceOf(r, out, ['DeviceName'], 'AADDeviceId', 'DeviceId')
  if (!dev) return
  const at =
    isoTime(r.get('CurrentDeviceUpdateStatusEventDateTimeUTC')) ??
    isoTime(r.get('EventDateTimeUTC')) ??
    isoTime(r.get('LastWUScanTimeUTC'))
  if (!at) {
    reject(
      out,
      r.line,
      'no readable CurrentDeviceUpdateStatusEventDateTimeUTC, EventDateTimeUTC or LastWUScanTimeUTC',
      rawOf(r),
    )
    return
  }
  const what = r.get('FeatureUpdateVersion') ? `feature update ${r.get('FeatureUpdateVersion')}` : 'quality update'
  const msg = r.get('LatestAlertMessage').trim()
  if (ALERT_SUBTYPES[msg])
    alert(out, dev, 'intune-report', at, [], 'active', [
      'Intune update report',
      msg,
      what,
      r.get('LatestAlertMessageDescription'),
    ])
  progress(out, dev, 'intune-report', at, [
    'Intune update report',
    r.get('CurrentDeviceUpdateStatus'),
    r.get('CurrentDeviceUpdateSubstatus'),
    r.get('AggregateState'),
    what,
    msg && !ALERT_SUBTYPES[msg] ? msg : '',
  ])
}

/** One QualityUpdateDeviceErrorsByPolicy row: its code's alert, active (the report lists failures). */
export function intuneUpdateErrorRow(r: Row, out: IntakeResult): void {
  const dev = deviceOf(r, out, ['DeviceName'], 'AADDeviceId', 'DeviceId')
  if (!dev) return
  const raw = r.get('Win32ErrorCode').trim()
  const code = failureCode(raw)
  if (raw && !code && !/^(?:0x0*|0)$/i.test(raw)) {
    reject(out, r.line, `Win32ErrorCode '${raw.slice(0, 80)}' is not a failure code`, rawOf(r))
    return
  }
  // The report has no time of its own but the release it expedites: the alert is at least that new.
  const at = isoTime(r.get('EventDateTimeUTC')) ?? isoTime(r.get('ExpediteQUReleaseDate'))
  if (!at) {
    reject(out, r.line, 'no readable EventDateTimeUTC or ExpediteQUReleaseDate', rawOf(r))
    return
  }
  const sub = r.get('AlertMessage').trim()
  alert(out, dev, 'intune-report', at, code ? [code] : [], 'active', ['Intune expedited update error', sub])
}

/** Per file: each device's newest entry per update title, so a later success resolves the failure before it. */
export interface HistoryState {
  last: Map<string, { at: string; failed: boolean; codes: string[] }>
}
export const historyState = (): HistoryState => ({ last: new Map() })

/** One Get-WUHistory row: a failure (ResultCode 4 failed, 5 aborted) as its code's alert; a success after one resolves it. */
export function wuHistoryRow(r: Row, out: IntakeResult, st: HistoryState): void {
  const dev = deviceOf(r, out, ['PSComputerName', 'ComputerName'])
  if (!dev) return
  const at = isoTime(r.get('Date'))
  if (!at) {
    reject(out, r.line, `no readable Date ('${r.get('Date').slice(0, 40)}')`, rawOf(r))
    return
  }
  const result = (r.get('ResultCode') || r.get('Result')).trim().toLowerCase()
  const failed = result === '4' || result === '5' || result === 'failed' || result === 'aborted'
  const ok = result === '2' || result === '3' || result === 'succeeded' || result === 'succeededwitherrors'
  const title = r.get('Title').trim()
  const code = failureCode(r.get('HResult'))
  const key = `${dev.name.toUpperCase()}\u0000${title}`
  const prev = st.last.get(key)
  if (failed && code) {
    alert(out, dev, 'wu-history', at, [code], 'active', ['Update history', `failed ${r.get('KB')}`.trim(), title])
    if (!prev || prev.at <= at) st.last.set(key, { at, failed: true, codes: [code] })
  } else if (ok) {
    // A success after a failure of the same update: that failure's code is resolved at this time.
    if (prev?.failed && prev.at <= at) {
      alert(out, dev, 'wu-history', at, prev.codes, 'resolved', [
        'Update history',
        `installed ${r.get('KB')}`.trim(),
        title,
      ])
      st.last.set(key, { at, failed: false, codes: [] })
    } else progress(out, dev, 'wu-history', at, ['Update history', `installed ${r.get('KB')}`.trim(), title])
  } else progress(out, dev, 'wu-history', at, ['Update history', r.get('Result') || r.get('ResultCode'), title])
}

/** Windows Update's "Installation Failure" event (20) as its code's alert; "Installation Successful" (19) as progress. */
export function updateEventRow(r: Row, out: IntakeResult): void {
  const dev = deviceOf(r, out, ['PSComputerName', 'Device', 'MachineName'])
  if (!dev) return
  const id = (r.get('Id') || r.get('ID') || r.get('EventID')).trim()
  const msg = r.get('Message').replace(/\s+/g, ' ').trim()
  const at = isoTime(r.get('TimeCreated')) ?? isoTime(r.get('DateTime'))
  if (!at) {
    reject(out, r.line, 'no readable TimeCreated or DateTime', rawOf(r))
    return
  }
  const m = /error (0x[0-9a-f]{8})/i.exec(msg)
  if (id === '20' && m) {
    alert(out, dev, 'event-log', at, [failureCode(m[1]!)!].filter(Boolean), 'active', [
      'Windows Update event 20',
      msg.slice(0, 400),
    ])
    return
  }
  if (id === '20') {
    reject(out, r.line, 'an event 20 whose message names no error code', rawOf(r))
    return
  }
  progress(out, dev, 'event-log', at, [`Windows Update event ${id}`, msg.slice(0, 400)])
}
