/**
 * Intune Remediations run states as the export gives them: the `DeviceRunStatesByProactiveRemediation` report
 * (`POST /deviceManagement/reports/exportJobs`, memdocs intune/fundamentals/reports-export-graph-available-reports.md),
 * a CSV. Its columns as SqlBenjamin/MsGraphToSql lists them (DatabaseFiles/Tables/DeviceRunStatesByProactiveRemediation.sql):
 * PolicyId, DeviceId, UserId, InternalVersion, ModifiedTime, PostRemediationDetectionScriptError,
 * PostRemediationDetectionScriptOutput, PreRemediationDetectionScriptError, PreRemediationDetectionScriptOutput,
 * RemediationScriptErrorDetails, RemediationStatus, DeviceName, OSVersion, UPN, UserEmail, UserName, DetectionStatus,
 * UniqueKustoKey, DetectionScriptStatus, RemediationScriptStatus. Read: DeviceId, DeviceName, ModifiedTime, the two
 * detection outputs (post wins: it is later) and their script errors, DetectionScriptStatus. An output that is not
 * this app's line (an admin's own script) is kept as text on its device; a script error is shown as one.
 */
import type { IntakeResult } from '../../../preload/model/fleet.ts'
import { csvRecords } from './csv.ts'
import { device, emptyIntake, isoTime, reject, validName } from './common.ts'
import { detectionError, foreignOutput, lineObservation } from './collector-lines.ts'
import { COLLECTOR_LINE_PREFIX } from '../../../preload/model/collector.ts'

export const INTUNE_CSV_REQUIRED = [
  'DeviceId',
  'DeviceName',
  'ModifiedTime',
  'PreRemediationDetectionScriptOutput',
] as const

export function readIntuneCsv(text: string): IntakeResult {
  const out = emptyIntake('intune-csv')
  const { header, records } = csvRecords(text)
  const missing = intuneCsvMissing(header)
  if (missing) {
    out.notes.push(missing)
    return out
  }
  for (const r of records) {
    const raw = [...r.values.values()].join(',')
    if (r.damaged) {
      reject(out, r.line, 'a quoted field is not closed', raw)
      continue
    }
    intuneCsvRow((k) => r.values.get(k) ?? '', r.line, r.width, header.length, raw, out)
  }
  return out
}

/** Why the header is not the Remediations export's (the columns it lacks), or null. */
export function intuneCsvMissing(header: readonly string[]): string | null {
  const missing = INTUNE_CSV_REQUIRED.filter((c) => !header.includes(c))
  return missing.length ? `Not the Remediations export: it lacks the column(s) ${missing.join(', ')}.` : null
}

/** One row of the Remediations export: an observation or a row set aside with the reason. */
export function intuneCsvRow(
  v: (k: string) => string,
  line: number,
  width: number,
  headerWidth: number,
  raw: string,
  out: IntakeResult,
): void {
  if (width !== headerWidth) {
    reject(out, line, `${width} fields where the header has ${headerWidth}`, raw)
    return
  }
  const name = v('DeviceName').trim()
  const at = isoTime(v('ModifiedTime'))
  const output = (v('PostRemediationDetectionScriptOutput') || v('PreRemediationDetectionScriptOutput')).trim()
  const who = { at, name, intuneId: v('DeviceId') || null }
  const scriptError = (v('PostRemediationDetectionScriptError') || v('PreRemediationDetectionScriptError')).trim()
  if (output && !output.includes(`${COLLECTOR_LINE_PREFIX} host=`)) {
    // Another detection script's output: the device is kept with it as text, never read as our line.
    const o = foreignOutput(
      scriptError ? `${output} (script error: ${scriptError})` : output,
      'intune-csv',
      who,
      v('DetectionScriptStatus') || 'unknown',
    )
    if (!o) {
      reject(out, line, name ? `'${name.slice(0, 80)}' is not a computer name` : 'no device name', raw)
      return
    }
    out.observations.push(o)
    return
  }
  if (!output && scriptError) {
    const o = detectionError(scriptError, 'intune-csv', who)
    if (!o) {
      reject(out, line, name ? `'${name.slice(0, 80)}' is not a computer name` : 'no device name', raw)
      return
    }
    out.observations.push(o)
    return
  }
  if (output) {
    const o = lineObservation(output, 'intune-csv', { at, name, intuneId: v('DeviceId') })
    if ('error' in o) {
      reject(out, line, `detection output: ${o.error}`, raw)
      return
    }
    o.value.detail = [`detection ${v('DetectionScriptStatus') || 'unknown'}`, o.value.detail].filter(Boolean).join('; ')
    out.observations.push(o.value)
    return
  }
  if (!validName(name)) {
    reject(out, line, name ? `'${name}' is not a computer name` : 'no device name and no detection output', raw)
    return
  }
  out.observations.push({
    device: device(name, null, v('DeviceId')),
    source: 'intune-csv',
    at: at ?? '1970-01-01T00:00:00.000Z',
    kind: 'silent',
    line: null,
    codes: [],
    status: null,
    file: null,
    detail: `detection ${v('DetectionScriptStatus') || 'unknown'}: no detection output yet`,
  })
}
