/**
 * Assembles the report from its parts: the snapshot, the diagnosis, the install journals. Pure.
 */
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { Finding } from '../../preload/model/diagnosis.ts'
import { REPORT_SCHEMA_VERSION, type Report, type ReportAction } from '../../preload/model/report.ts'
import { verificationOf } from './verification.ts'

export interface ReportParts {
  snapshot: MachineSnapshot
  diagnosis: { available: boolean; findings: Finding[]; notes: string[] }
  actions: ReportAction[]
  /** True when the snapshot was imported from a file (not read live from the machine). */
  viaSnapshot?: boolean
  appVersion: string
  now: Date
}

const factNames = ['os', 'packages', 'history', 'hotfixes', 'reboot', 'storage', 'services', 'winre'] as const

/**
 * "Training machine — …" / "This PC — …" / "Snapshot from another PC — …, taken …": the banner's words.
 * A snapshot file keeps the origin it was taken on, so `viaSnapshot` says it was read from a file here.
 */
export function machineLabelOf(s: MachineSnapshot, viaSnapshot = false): string {
  if (viaSnapshot) {
    const name = (s.os.status === 'known' ? s.os.value.computerName : null) ?? s.origin.name
    return `Snapshot from another PC — ${name}${s.origin.kind === 'training' ? ` (training machine ${s.origin.title})` : ''}, taken ${s.takenAt}`
  }
  switch (s.origin.kind) {
    case 'this-pc': return `This PC — ${s.origin.name}`
    case 'training': return `Training machine — ${s.origin.title}`
    case 'snapshot': return `Snapshot from another PC — ${s.origin.name}, taken ${s.takenAt}`
  }
}

export function buildReport(p: ReportParts): Report {
  const top = p.diagnosis.findings.find((f) => f.severity !== 'info') ?? null
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: p.now.toISOString(),
    appVersion: p.appVersion,
    machineLabel: machineLabelOf(p.snapshot, p.viaSnapshot),
    snapshot: p.snapshot,
    diagnosis: p.diagnosis,
    topCause: top ? { id: top.id, title: top.title, technical: top.technical, codes: top.codes } : null,
    actions: p.actions,
    verification: verificationOf(p.snapshot, p.diagnosis.available ? p.diagnosis.findings : null),
    unknownFacts: factNames.flatMap((name) => {
      const f = p.snapshot[name]
      return f.status === 'unknown' ? [{ fact: name, reason: f.error, evidence: f.evidence }] : []
    }),
  }
}
