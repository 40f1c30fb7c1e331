/**
 * The verdict for a machine: the diagnosis' findings with their states, where each finding's offered
 * repair is the one the app really offers. A Fix-it repair (main/repair/definitions) stays on a finding only
 * when its definition offers it for this machine now; a past finding offers nothing. Every surface (What's
 * wrong, Fix it, tiles, Proof, the report, the CLI) renders this one result.
 */
import type { Finding, RepairId } from '../../preload/model/diagnosis.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import { REPAIR_DEFINITIONS } from './definitions/index.ts'

const FIX_IT = new Set<string>(REPAIR_DEFINITIONS.map((d) => d.id))

/** Repairs the app runs elsewhere than the Fix-it screen: the WinRE repair and installs. */
export const REPAIRS_ELSEWHERE: Partial<Record<RepairId, string>> = {
  'winre-enable': 'winre repair',
  'winre-resize': 'winre repair',
  'winre-update': 'winre repair',
  'install-checkpoint': 'install',
  'install-update': 'install',
}

export function settleRepairs(findings: Finding[], snapshot: MachineSnapshot | null): Finding[] {
  if (!snapshot) return findings
  const active = findings.filter((f) => f.state !== 'past')
  const offered = new Map<string, boolean>()
  for (const def of REPAIR_DEFINITIONS) {
    try {
      offered.set(def.id, def.offer({ snapshot, findings: active }) !== null)
    } catch {
      offered.set(def.id, false)
    }
  }
  return findings.map((f) => {
    if (!f.repair || !FIX_IT.has(f.repair) || offered.get(f.repair)) return f
    const gone = f.repair
    return { ...f, repair: null, remedies: f.remedies.map((r) => (r.repair === gone ? { ...r, repair: null } : r)) }
  })
}
