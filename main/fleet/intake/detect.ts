/**
 * Which export a file is, from its header row or its JSON shape (the column names or the keys of its rows), never
 * from a word somewhere in its text; `--kind` overrides it. What it is not is described (its columns or keys).
 */
import type { IntakeResult } from '../../../preload/model/fleet.ts'
import { readCollectorLines } from './collector-lines.ts'
import { readIntuneCsv, INTUNE_CSV_REQUIRED } from './intune-csv.ts'
import { readIntuneGraph } from './intune-graph.ts'
import { readClientUpdateStatus, readUpdateAlerts, readRows, columnName } from './wufb.ts'
import { parseCsv } from './csv.ts'
import { featureFailureRow, isFeatureFailureHeader } from './intune-reports.ts'
import {
  historyState,
  intuneUpdateErrorRow,
  intuneUpdateStateRow,
  isTypeLine,
  serviceStatusRow,
  tableKindOf,
  unusableTable,
  updateEventRow,
  complianceRow,
  wuHistoryRow,
} from './windows-exports.ts'

import { INTAKE_KINDS, type IntakeKind } from './kinds.ts'
export { INTAKE_KINDS, type IntakeKind }

/** The kind a table is by its column names (Log Analytics' " [UTC]" suffix ignored). */
export function kindOfColumns(cols: readonly string[]): IntakeKind | null {
  const has = new Set(cols.map((c) => columnName(c)))
  if (INTUNE_CSV_REQUIRED.every((c) => has.has(c))) return 'intune-csv'
  if (has.has('detectionState') || has.has('preRemediationDetectionScriptOutput')) return 'intune-graph'
  // Intune's feature update failures carry AlertStatus and AlertClassification too: told apart by Intune's own columns first.
  if (isFeatureFailureHeader(has)) return 'intune-feature-failures'
  const named = has.has('DeviceName') || has.has('AzureADDeviceId')
  if (named && has.has('AlertStatus') && (has.has('AlertClassification') || has.has('AlertId'))) return 'alerts'
  if (named && has.has('ClientSubstate') && !has.has('AlertStatus')) return 'update-status'
  return tableKindOf(has)
}

/** The rows of a JSON export (Graph pages, a list of pages or of rows, Log Analytics' {tables}): the first row's keys. */
function firstKeysOfJson(json: unknown): string[] | null {
  const tables = (json as { tables?: { columns?: { name?: unknown }[] }[] } | null)?.tables
  if (Array.isArray(tables) && Array.isArray(tables[0]?.columns))
    return tables[0]!.columns!.map((c) => String(c?.name ?? ''))
  let items: unknown = json
  if (
    Array.isArray(items) &&
    items[0] &&
    typeof items[0] === 'object' &&
    Array.isArray((items[0] as { value?: unknown }).value)
  )
    items = (items[0] as { value: unknown }).value
  else if (
    items &&
    typeof items === 'object' &&
    !Array.isArray(items) &&
    Array.isArray((items as { value?: unknown }).value)
  )
    items = (items as { value: unknown }).value
  if (!Array.isArray(items)) return null
  const first = items.find((x) => x && typeof x === 'object' && !Array.isArray(x)) as
    | Record<string, unknown>
    | undefined
  if (!first) return null
  // Graph PowerShell's objects come PascalCase (DetectionState); Graph's own JSON camelCase.
  const keys = Object.keys(first)
  return [...keys, ...keys.map((k) => k[0]!.toLowerCase() + k.slice(1))]
}

export function kindOfJson(json: unknown): IntakeKind | null {
  const keys = firstKeysOfJson(json)
  return keys ? kindOfColumns(keys) : null
}

const isJson = (t: string) => t.startsWith('{') || t.startsWith('[')

/** The kind of a whole text (a JSON export is parsed; a CSV's header row or a file of collector lines told by its lines). */
export function detectKind(text: string): IntakeKind | null {
  const t = String(text ?? '')
    .replace(/^\uFEFF/, '')
    .trimStart()
  if (isJson(t)) {
    try {
      return kindOfJson(JSON.parse(t))
    } catch {
      return null
    }
  }
  return kindOfHead(t)
}

/** The kind of a text export from its first 64 KB: collector lines (most of its lines hold one), or a CSV by its header. */
export function kindOfHead(head: string): IntakeKind | null {
  const t = head.replace(/^\uFEFF/, '').trimStart()
  if (isJson(t)) return null
  const lines = t.split(/\r\n|\r|\n/, 200).filter((l) => l.trim())
  // Windows PowerShell 5.1's Export-Csv writes `#TYPE <type name>` above the header unless told not to.
  if (lines.length && isTypeLine(lines[0]!)) lines.shift()
  const byHeader = kindOfColumns(parseCsv(lines[0] ?? '')[0]?.fields ?? [])
  if (byHeader) return byHeader
  return lines.length && lines.filter((l) => l.includes('SDC1 host=')).length * 2 >= lines.length ? 'lines' : null
}

/** What a file that is none of the exports is, from its head: its JSON keys or its columns, and what to export instead. */
export function describeUnknown(head: string): string {
  const t = head.replace(/^\uFEFF/, '').trimStart()
  const instead =
    "Export instead: Intune Remediations run states (Graph deviceRunStates or the DeviceRunStatesByProactiveRemediation report); UCUpdateAlert, UCDeviceAlert, UCClientUpdateStatus or UCServiceUpdateStatus from Log Analytics (CSV or JSON); Intune's FeatureUpdateDeviceState, QualityUpdateDeviceStatusByPolicy, QualityUpdateDeviceErrorsByPolicy or DeviceFailuresByFeatureUpdatePolicy report; Get-WUHistory -ComputerName … | Export-Csv; Invoke-Command { Get-WinEvent -FilterHashtable @{ LogName = 'System'; ProviderName = 'Microsoft-Windows-WindowsUpdateClient'; Id = 19, 20 } } | Export-Csv; CMPivot WinEvent('System') | where ID == 20; or collector lines."
  if (isJson(t)) {
    let keys: string[] | null = null
    try {
      keys = firstKeysOfJson(JSON.parse(t))
    } catch {
      return `It is JSON this app cannot read whole from its first 64 KB. ${instead}`
    }
    return `It is JSON whose rows have the keys ${
      (keys ?? [])
        .slice(0, Math.max(1, (keys?.length ?? 0) / 2))
        .slice(0, 12)
        .join(', ') || '(none)'
    }. ${instead}`
  }
  const first = t.split(/\r\n|\r|\n/, 2)
  const header = parseCsv((first[0] && isTypeLine(first[0]) ? first[1] : first[0]) ?? '')[0]?.fields ?? []
  const unusable = unusableTable(new Set(header.map((h) => columnName(h))))
  if (unusable)
    return `It is a table with the columns ${header
      .slice(0, 12)
      .map((h) => h.trim().slice(0, 60))
      .join(', ')}${header.length > 12 ? ', …' : ''}. ${unusable}`
  if (header.length > 1)
    return `It is a table with the columns ${header
      .slice(0, 12)
      .map((h) => h.trim().slice(0, 60))
      .join(', ')}${header.length > 12 ? ', …' : ''}. ${instead}`
  return `It is text with no header row this app knows and no collector lines. ${instead}`
}

export function readIntake(kind: IntakeKind, text: string): IntakeResult {
  switch (kind) {
    case 'lines':
      return readCollectorLines(text)
    case 'intune-graph':
      return readIntuneGraph(text)
    case 'intune-csv':
      return readIntuneCsv(text)
    case 'alerts':
      return readUpdateAlerts(text)
    case 'update-status':
      return readClientUpdateStatus(text)
    case 'intune-feature-failures':
      return readFeatureFailures(text)
    case 'service-status':
      return readRows(text, 'uc-service-update-status', serviceStatusRow)
    case 'intune-update-state':
      return readRows(text, 'intune-report', intuneUpdateStateRow)
    case 'intune-update-errors':
      return readRows(text, 'intune-report', intuneUpdateErrorRow)
    case 'wu-history': {
      const st = historyState()
      return readRows(text, 'wu-history', (r, out) => wuHistoryRow(r, out, st))
    }
    case 'update-events':
      return readRows(text, 'event-log', updateEventRow)
    case 'update-compliance':
      return readRows(text, 'configmgr', complianceRow)
  }
}

function readFeatureFailures(text: string): IntakeResult {
  return readRows(text, 'intune-report', featureFailureRow)
}
