/**
 * Windows Update for Business reports rows, as a Log Analytics query exports them: the portal's "Export to CSV"
 * (datetime columns named `TimeGenerated [UTC]`) or the query API's / `az monitor log-analytics query`'s JSON
 * (an array of rows; also `{tables:[{columns,rows}]}` as the REST API returns it). Schemas, columns read:
 * - UCUpdateAlert (MicrosoftDocs/windows-itpro-docs windows/deployment/update/wufb-reports-schema-ucupdatealert.md):
 *   DeviceName, AzureADDeviceId, AlertStatus (Active, Resolved, Deleted), AlertClassification, AlertSubtype, ErrorCode
 *   (an extended code may follow an underscore), ErrorSymName, Description, StartTime, ResolvedTime, TimeGenerated.
 * - UCClientUpdateStatus (…/wufb-reports-schema-ucclientupdatestatus.md): DeviceName, AzureADDeviceId, ClientSubstate,
 *   ClientSubstateTime, TargetKBNumber, TargetBuild, UpdateInstalledTime, TimeGenerated. Its health-grouping fields
 *   (UpdateHealthGroupL1–L3, IsUpdateHealthy) are documented as not gathered and are not read.
 */
import { z } from 'zod'
import type { IntakeResult, Observation } from '../../../preload/model/fleet.ts'
import { eachCsvRow } from './csv.ts'
import { device, emptyIntake, failureCode, isoTime, reject, validName } from './common.ts'

export type Row = { get(k: string): string; line: number; raw: string; fields?: string[] }

/** A column's schema name: without the portal's " [UTC]" suffix (trim and endsWith: linear on any header cell). */
export function columnName(k: string): string {
  const t = k.trim()
  return /\[UTC\]$/i.test(t) ? t.slice(0, -5).trimEnd() : t
}

/** A column by its schema name, with or without the portal's " [UTC]" suffix. */
function rowOf(values: Map<string, string> | Record<string, unknown>, line: number): Row {
  const m =
    values instanceof Map
      ? values
      : new Map(
          Object.entries(values).map(([k, v]) => [
            k,
            v == null
              ? ''
              : typeof v === 'string'
                ? v
                : typeof v === 'number' || typeof v === 'boolean'
                  ? String(v)
                  : JSON.stringify(v),
          ]),
        )
  const byName = new Map<string, string>()
  for (const [k, v] of m) byName.set(columnName(k), v)
  return { get: (k) => byName.get(k) ?? '', line, raw: [...m.values()].join(',') }
}

/** Each row of the export (CSV or JSON), handed to `each` as it is read. */
function eachRow(text: string, out: IntakeResult, each: (r: Row) => void): void {
  const t = String(text ?? '')
    .replace(/^\uFEFF/, '')
    .trimStart()
  if (t.startsWith('[') || t.startsWith('{')) {
    let json: unknown
    try {
      json = JSON.parse(t)
    } catch (err) {
      out.notes.push(`Not JSON: ${(err as Error).message}.`)
      return
    }
    const tables = z
      .object({
        tables: z.array(
          z.object({ columns: z.array(z.object({ name: z.string() })), rows: z.array(z.array(z.unknown())) }),
        ),
      })
      .safeParse(json)
    if (tables.success) {
      const t0 = tables.data.tables[0]
      if (!t0) return
      for (const [i, r] of t0.rows.entries())
        each(rowOf(Object.fromEntries(t0.columns.map((c, k) => [c.name, r[k]])), i + 1))
      return
    }
    const arr = Array.isArray(json) ? json : (json as { value?: unknown }).value
    if (!Array.isArray(arr)) {
      out.notes.push('The JSON is neither a list of rows nor a query result ({tables:[…]}).')
      return
    }
    arr.forEach((r, i) => {
      if (r && typeof r === 'object' && !Array.isArray(r)) each(rowOf(r as Record<string, unknown>, i + 1))
      else reject(out, i + 1, 'not a row object', JSON.stringify(r) ?? '')
    })
    return
  }
  // The header's names are read once; each row is its fields, looked up by column position.
  let index: Map<string, number> | null = null
  let fields: string[] = []
  const row: Row = {
    get: (k) => {
      const at = index!.get(k)
      return at === undefined ? '' : (fields[at] ?? '')
    },
    line: 0,
    raw: '',
    fields,
  }
  eachCsvRow(t, (f, line, damaged) => {
    if (!index) {
      index = new Map(f.map((h, k) => [columnName(h), k]))
      return
    }
    if (damaged) {
      reject(out, line, 'a quoted field is not closed', f.join(','))
      return
    }
    fields = f
    row.line = line
    row.fields = f
    each(row)
  })
}

/** A CSV record as a row, its columns found by the header's names (index: columnName of each header cell). */
export function csvRow(index: ReadonlyMap<string, number>, fields: string[], line: number): Row {
  return {
    get: (k) => {
      const at = index.get(k)
      return at === undefined ? '' : (fields[at] ?? '')
    },
    line,
    raw: '',
    fields,
  }
}

const rawOf = (r: Row) => r.raw || (r.fields ?? []).join(',')

const ENTRA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function identity(r: Row, out: IntakeResult): Observation['device'] | null {
  const name = r.get('DeviceName').trim()
  // A service-side row may come without a name: the Entra device id names the device until a source gives its name.
  const aad = r.get('AzureADDeviceId').trim()
  if (!name && ENTRA_ID.test(aad)) return device(aad.toLowerCase(), aad, null)
  if (!validName(name)) {
    reject(out, r.line, name ? `'${name}' is not a computer name` : 'no DeviceName and no AzureADDeviceId', rawOf(r))
    return null
  }
  return device(name, r.get('AzureADDeviceId'), null)
}

/** Any table of rows (CSV or JSON) read with `each`. */
export function readRows(text: string, kind: string, each: (r: Row, out: IntakeResult) => void): IntakeResult {
  const out = emptyIntake(kind)
  eachRow(text, out, (r) => each(r, out))
  return out
}

export function readUpdateAlerts(text: string): IntakeResult {
  const out = emptyIntake('uc-update-alert')
  eachRow(text, out, (r) => alertRow(r, out))
  return out
}

/** One UCUpdateAlert row: an observation, nothing (a deleted alert), or a row set aside with the reason. */
export function alertRow(r: Row, out: IntakeResult): void {
  const type = r.get('Type')
  // UCDeviceAlert (wufb-reports-schema-ucdevicealert.md) has UCUpdateAlert's alert columns: a device-wide alert (end of service, registration).
  if (type && type !== 'UCUpdateAlert' && type !== 'UCDeviceAlert') {
    reject(out, r.line, `a ${type} row, not UCUpdateAlert or UCDeviceAlert`, rawOf(r))
    return
  }
  const dev = identity(r, out)
  if (!dev) return
  const status = r.get('AlertStatus').toLowerCase()
  // Accounted for, not evidence: the service removed the alert.
  if (status === 'deleted') {
    reject(out, r.line, 'a Deleted alert (removed by the service): not evidence of the device now', rawOf(r))
    return
  }
  if (status !== 'active' && status !== 'resolved') {
    reject(out, r.line, `AlertStatus '${r.get('AlertStatus')}' is not Active, Resolved or Deleted`, rawOf(r))
    return
  }
  const rawCode = r.get('ErrorCode').trim()
  const code = failureCode(rawCode)
  // A code that is not a 32-bit failure code (the schema page's own example 0x8326CFA2D_C3FD) is kept in the detail, the row is stored.
  if (rawCode && !code && !/^0x[0-9a-f]{1,16}(?:_[0-9a-f]{1,16})?$/i.test(rawCode)) {
    reject(out, r.line, `ErrorCode '${rawCode.slice(0, 80)}' is not a failure code`, rawOf(r))
    return
  }
  const odd = rawCode && !code ? `ErrorCode ${rawCode} (not a 32-bit failure code)` : ''
  const at =
    status === 'resolved'
      ? (isoTime(r.get('ResolvedTime')) ?? isoTime(r.get('TimeGenerated')))
      : (isoTime(r.get('StartTime')) ?? isoTime(r.get('TimeGenerated')))
  if (!at) {
    reject(out, r.line, 'no readable StartTime, ResolvedTime or TimeGenerated', rawOf(r))
    return
  }
  out.observations.push({
    device: dev,
    source: 'uc-update-alert',
    at,
    kind: 'alert',
    line: null,
    codes: code ? [code] : [],
    status: status as 'active' | 'resolved',
    file: null,
    detail: [r.get('AlertClassification'), r.get('AlertSubtype'), odd, r.get('ErrorSymName'), r.get('Description')]
      .filter(Boolean)
      .join(' · ')
      .slice(0, 2000),
  })
}

export function readClientUpdateStatus(text: string): IntakeResult {
  const out = emptyIntake('uc-client-update-status')
  eachRow(text, out, (r) => statusRow(r, out))
  return out
}

/** One UCClientUpdateStatus row: an observation or a row set aside with the reason. */
export function statusRow(r: Row, out: IntakeResult): void {
  const type = r.get('Type')
  if (type && type !== 'UCClientUpdateStatus') {
    reject(out, r.line, `a ${type} row, not UCClientUpdateStatus`, rawOf(r))
    return
  }
  const dev = identity(r, out)
  if (!dev) return
  const at = isoTime(r.get('ClientSubstateTime')) ?? isoTime(r.get('TimeGenerated'))
  if (!at) {
    reject(out, r.line, 'no readable ClientSubstateTime or TimeGenerated', rawOf(r))
    return
  }
  out.observations.push({
    device: dev,
    source: 'uc-client-update-status',
    at,
    kind: 'status',
    line: null,
    codes: [],
    status: null,
    file: null,
    detail: [r.get('TargetKBNumber'), r.get('TargetBuild'), r.get('ClientSubstate')]
      .filter(Boolean)
      .join(' · ')
      .slice(0, 2000),
  })
}
