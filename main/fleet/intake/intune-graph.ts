/**
 * Intune Remediations run states from Microsoft Graph (beta):
 * `GET /deviceManagement/deviceHealthScripts/{id}/deviceRunStates?$expand=managedDevice`, one page or many
 * pages saved as a JSON array of pages. Properties read (resource deviceHealthScriptDeviceState,
 * microsoftgraph/microsoft-graph-docs-contrib api-reference/beta/resources/intune-devices-devicehealthscriptdevicestate.md,
 * https://learn.microsoft.com/graph/api/resources/intune-devices-devicehealthscriptdevicestate?view=graph-rest-beta):
 * `detectionState` (unknown, success, fail, scriptError, pending, notApplicable), `lastStateUpdateDateTime`,
 * `preRemediationDetectionScriptOutput`, `postRemediationDetectionScriptOutput`, `remediationState`, and the
 * expanded `managedDevice` (resource managedDevice: `id`, `deviceName`, `azureADDeviceId`).
 * The detection output is the collector's -Line (the fleet's detection scripts print it); another script's output is
 * kept as text on its device, and a scriptError without output is shown as the error it is.
 */
import { z } from 'zod'
import type { IntakeResult } from '../../../preload/model/fleet.ts'
import { device, emptyIntake, isoTime, reject, validName } from './common.ts'
import { detectionError, foreignOutput, lineObservation } from './collector-lines.ts'
import { COLLECTOR_LINE_PREFIX } from '../../../preload/model/collector.ts'

const str = z.string().nullable().optional()
const RunStateSchema = z
  .object({
    id: str,
    detectionState: str,
    lastStateUpdateDateTime: str,
    preRemediationDetectionScriptOutput: str,
    postRemediationDetectionScriptOutput: str,
    remediationState: str,
    managedDevice: z.object({ id: str, deviceName: str, azureADDeviceId: str }).passthrough().nullable().optional(),
  })
  .passthrough()
const PageSchema = z.object({ value: z.array(z.unknown()) }).passthrough()

/** Graph PowerShell's PascalCase keys (DetectionState, ManagedDevice.DeviceName) as Graph's camelCase, `depth` levels down. */
function camel(x: unknown, depth = 0): unknown {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return x
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(x)) {
    const key = /^[A-Z][a-z]/.test(k)
      ? k[0]!.toLowerCase() + k.slice(1)
      : k === 'AzureADDeviceId'
        ? 'azureADDeviceId'
        : k
    if (!(key in out)) out[key] = depth > 0 ? camel(v, depth - 1) : v
  }
  return out
}

export function readIntuneGraph(text: string): IntakeResult {
  const out = emptyIntake('intune-graph')
  let json: unknown
  try {
    json = JSON.parse(String(text ?? '').replace(/^\uFEFF/, ''))
  } catch (err) {
    out.notes.push(`Not JSON: ${(err as Error).message}. Save the Graph response as it came.`)
    return out
  }
  // A list of pages, one page, or (Graph PowerShell's `Get-MgBeta…DeviceRunState | ConvertTo-Json`) a list of run states.
  const pages = Array.isArray(json)
    ? json.length && json.every((x) => x && typeof x === 'object' && !('value' in x) && !('Value' in x))
      ? [{ value: json }]
      : json
    : [json]
  let row = 0
  for (const page of pages) {
    const p = PageSchema.safeParse(camel(page))
    if (!p.success) {
      out.notes.push('A page has no "value" list: it is not a deviceRunStates response.')
      continue
    }
    for (const item of p.data.value) {
      row++
      const raw = JSON.stringify(item)
      const r = RunStateSchema.safeParse(camel(item, 1))
      if (!r.success) {
        reject(
          out,
          row,
          `not a device run state: ${r.error.issues[0]?.path.join('.')} ${r.error.issues[0]?.message}`,
          raw,
        )
        continue
      }
      const s = r.data
      const name = s.managedDevice?.deviceName ?? ''
      const at = isoTime(s.lastStateUpdateDateTime)
      const output = (s.postRemediationDetectionScriptOutput || s.preRemediationDetectionScriptOutput || '').trim()
      const who = { at, name, aadId: s.managedDevice?.azureADDeviceId ?? null, intuneId: s.managedDevice?.id ?? null }
      if (output && !output.includes(`${COLLECTOR_LINE_PREFIX} host=`)) {
        // Another detection script's output: the device is kept with it as text, never read as our line.
        const o = foreignOutput(
          output,
          'intune-graph',
          { ...who, name },
          `${s.detectionState ?? 'unknown'}, remediation ${s.remediationState ?? 'unknown'}`,
        )
        if (!o) {
          reject(
            out,
            row,
            'detection output that is not a collector line, and no device name (expand managedDevice: ?$expand=managedDevice)',
            raw,
          )
          continue
        }
        out.observations.push(o)
        continue
      }
      if (!output && s.detectionState === 'scriptError') {
        const o = detectionError(
          "Intune reports the detection script failed (scriptError); its error text is in the portal's device status",
          'intune-graph',
          { ...who, name },
        )
        if (!o) {
          reject(
            out,
            row,
            'a detection script error, and no device name (expand managedDevice: ?$expand=managedDevice)',
            raw,
          )
          continue
        }
        out.observations.push(o)
        continue
      }
      if (output) {
        const o = lineObservation(output, 'intune-graph', who)
        if ('error' in o) {
          reject(out, row, `detection output: ${o.error}`, raw)
          continue
        }
        // The managed device's name is Intune's, which vouches for the device; the line's host is only the device's word.
        o.value.detail = [
          `detection ${s.detectionState ?? 'unknown'}, remediation ${s.remediationState ?? 'unknown'}`,
          o.value.detail,
        ]
          .filter(Boolean)
          .join('; ')
        out.observations.push(o.value)
        continue
      }
      if (!name || !validName(name)) {
        reject(out, row, 'no detection output and no device name (expand managedDevice: ?$expand=managedDevice)', raw)
        continue
      }
      out.observations.push({
        device: device(name, who.aadId, who.intuneId),
        source: 'intune-graph',
        at: at ?? '1970-01-01T00:00:00.000Z',
        kind: 'silent',
        line: null,
        codes: [],
        status: null,
        file: null,
        detail: `detection ${s.detectionState ?? 'unknown'}: no detection output yet`,
      })
    }
  }
  return out
}
