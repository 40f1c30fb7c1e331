/** Which export a file is, from its first bytes (header row or JSON keys); `--kind` overrides it. */
import type { IntakeResult } from '../../../preload/model/fleet.ts'
import { readCollectorLines } from './collector-lines.ts'
import { readIntuneCsv } from './intune-csv.ts'
import { readIntuneGraph } from './intune-graph.ts'
import { readClientUpdateStatus, readUpdateAlerts } from './wufb.ts'

export const INTAKE_KINDS = ['lines', 'intune-graph', 'intune-csv', 'alerts', 'update-status'] as const
export type IntakeKind = (typeof INTAKE_KINDS)[number]

export function detectKind(text: string): IntakeKind | null {
  const head = String(text ?? '').slice(0, 4096).replace(/^\uFEFF/, '')
  if (/"preRemediationDetectionScriptOutput"|deviceRunStates|deviceHealthScriptDeviceState/.test(head)) return 'intune-graph'
  const first = head.split(/\r?\n/, 1)[0] ?? ''
  if (/PreRemediationDetectionScriptOutput/.test(first)) return 'intune-csv'
  if (/AlertStatus|"AlertId"|UCUpdateAlert/.test(head)) return 'alerts'
  if (/ClientSubstate|UCClientUpdateStatus/.test(head)) return 'update-status'
  if (/SDC1 host=/.test(head)) return 'lines'
  return null
}

export function readIntake(kind: IntakeKind, text: string): IntakeResult {
  switch (kind) {
    case 'lines': return readCollectorLines(text)
    case 'intune-graph': return readIntuneGraph(text)
    case 'intune-csv': return readIntuneCsv(text)
    case 'alerts': return readUpdateAlerts(text)
    case 'update-status': return readClientUpdateStatus(text)
  }
}
