/**
 * Intune's feature update failure report as the export job gives it (`POST /deviceManagement/reports/exportJobs`
 * with reportName DeviceFailuresByFeatureUpdatePolicy; the portal's Devices > Monitor > Failure for feature updates >
 * an error). Its columns, as Microsoft lists them (https://learn.microsoft.com/mem/intune/fundamentals/reports-export-graph-available-reports):
 * PolicyId, PolicyName, FeatureUpdateVersion, DeviceId, AADDeviceId, AlertId, EventDateTimeUTC,
 * LastUpdatedAlertStatusDateTimeUTC, AlertType, AlertStatus, AlertClassification, WindowsUpdateVersion, Build,
 * AlertMessage, AlertMessageDescription, AlertMessageData, Win32ErrorCode, RecommendedAction,
 * ExtendedRecommendedAction, StartDateTimeUTC, ResolvedDateTimeUTC, DeviceName, UPN.
 * Each row is one update alert of one device (the same alerts Windows Update for Business reports keep): read as an
 * alert with its failure code, its status and its time; a deleted alert is set aside with that reason.
 */
import type { IntakeResult } from '../../../preload/model/fleet.ts'
import { device, failureCode, isoTime, reject, validName } from './common.ts'
import type { Row } from './wufb.ts'

export const FEATURE_FAILURE_COLUMNS = [
  'PolicyId',
  'PolicyName',
  'FeatureUpdateVersion',
  'DeviceId',
  'AADDeviceId',
  'AlertId',
  'EventDateTimeUTC',
  'LastUpdatedAlertStatusDateTimeUTC',
  'AlertType',
  'AlertStatus',
  'AlertClassification',
  'WindowsUpdateVersion',
  'Build',
  'AlertMessage',
  'AlertMessageDescription',
  'AlertMessageData',
  'Win32ErrorCode',
  'RecommendedAction',
  'ExtendedRecommendedAction',
  'StartDateTimeUTC',
  'ResolvedDateTimeUTC',
  'DeviceName',
  'UPN',
] as const

/** The feature update failures export by its header: Intune's own column names (AlertMessage, Win32ErrorCode), never UCUpdateAlert's. */
export function isFeatureFailureHeader(has: ReadonlySet<string>): boolean {
  return (
    has.has('AlertMessage') &&
    has.has('Win32ErrorCode') &&
    has.has('FeatureUpdateVersion') &&
    (has.has('DeviceName') || has.has('AADDeviceId'))
  )
}

const ENTRA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const rawOf = (r: Row) => r.raw || (r.fields ?? []).join(',')

/** One row: an alert observation, nothing (a deleted alert), or the row set aside with the reason. */
export function featureFailureRow(r: Row, out: IntakeResult): void {
  const name = r.get('DeviceName').trim()
  const aad = r.get('AADDeviceId').trim()
  const intune = r.get('DeviceId').trim() || null
  let dev: ReturnType<typeof device>
  if (validName(name)) dev = device(name, ENTRA_ID.test(aad) ? aad : null, intune)
  else if (!name && ENTRA_ID.test(aad)) dev = device(aad.toLowerCase(), aad, intune)
  else {
    reject(
      out,
      r.line,
      name ? `'${name.slice(0, 80)}' is not a computer name` : 'no DeviceName and no AADDeviceId',
      rawOf(r),
    )
    return
  }
  const status = r.get('AlertStatus').trim().toLowerCase()
  // Accounted for, not evidence: Intune removed the alert.
  if (status === 'deleted') {
    reject(out, r.line, 'a Deleted alert (removed by Intune): not evidence of the device now', rawOf(r))
    return
  }
  if (status !== 'active' && status !== 'resolved') {
    reject(
      out,
      r.line,
      `AlertStatus '${r.get('AlertStatus').slice(0, 40)}' is not Active, Resolved or Deleted`,
      rawOf(r),
    )
    return
  }
  const rawCode = r.get('Win32ErrorCode').trim()
  const code = failureCode(rawCode)
  if (rawCode && !code && !/^(?:0x0*|0)$/i.test(rawCode)) {
    reject(out, r.line, `Win32ErrorCode '${rawCode.slice(0, 80)}' is not a failure code`, rawOf(r))
    return
  }
  const at =
    status === 'resolved'
      ? (isoTime(r.get('ResolvedDateTimeUTC')) ??
        isoTime(r.get('LastUpdatedAlertStatusDateTimeUTC')) ??
        isoTime(r.get('EventDateTimeUTC')))
      : (isoTime(r.get('StartDateTimeUTC')) ?? isoTime(r.get('EventDateTimeUTC')))
  if (!at) {
    reject(out, r.line, 'no readable StartDateTimeUTC, ResolvedDateTimeUTC or EventDateTimeUTC', rawOf(r))
    return
  }
  out.observations.push({
    device: dev,
    source: 'intune-report',
    at,
    kind: 'alert',
    line: null,
    codes: code ? [code] : [],
    status: status as 'active' | 'resolved',
    file: null,
    detail: [
      `feature update ${r.get('FeatureUpdateVersion')}`.trim(),
      r.get('AlertClassification'),
      r.get('AlertMessage'),
      r.get('AlertMessageDescription'),
      r.get('RecommendedAction'),
    ]
      .filter((x) => x && x !== 'feature update')
      .join(' · ')
      .slice(0, 2000),
  })
}
