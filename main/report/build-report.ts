/**
 * Assembles the report from its parts: the snapshot, the diagnosis, the install journals. Pure.
 */
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { Finding } from '../../preload/model/diagnosis.ts'
import { REPORT_SCHEMA_VERSION, type Report, type ReportAction } from '../../preload/model/report.ts'
import { verificationOf } from './verification.ts'
import type { FirstFailure } from './journals.ts'
import type { RunRecord } from '../../preload/model/run-record.ts'

export interface ReportParts {
  snapshot: MachineSnapshot
  diagnosis: { available: boolean; findings: Finding[]; notes: string[] }
  actions: ReportAction[]
  /** Every run on the machine, from readRunRecords (installs, WinRE repairs, Fix-it repairs). */
  runs?: RunRecord[]
  /** The first failed install step in the machine's journals (readActions), if any. */
  firstFailure?: FirstFailure | null
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
    case 'this-pc':
      return `This PC — ${s.origin.name}`
    case 'training':
      return `Training machine — ${s.origin.title}`
    case 'snapshot':
      return `Snapshot from another PC — ${s.origin.name}, taken ${s.takenAt}`
    case 'remote':
      return `Remote PC — on ${s.origin.title}`
  }
}

export function buildReport(p: ReportParts): Report {
  // The top cause holds now: a past finding is history, not the cause.
  const top = p.diagnosis.findings.find((f) => f.severity !== 'info' && f.state !== 'past') ?? null
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: p.now.toISOString(),
    appVersion: p.appVersion,
    machineLabel: machineLabelOf(p.snapshot, p.viaSnapshot),
    snapshot: p.snapshot,
    diagnosis: p.diagnosis,
    topCause: top ? { id: top.id, title: top.title, technical: top.technical, codes: top.codes } : null,
    actions: p.actions,
    runs: p.runs ?? [],
    originalError: originalErrorOf(p, top),
    verification: verificationOf(p.snapshot, p.diagnosis.available ? p.diagnosis.findings : null),
    unknownFacts: factNames.flatMap((name) => {
      const f = p.snapshot[name]
      return f.status === 'unknown' ? [{ fact: name, reason: f.error, evidence: f.evidence }] : []
    }),
  }
}

/** A finding's rank as the diagnosis ranks it (main/diagnose/diagnose.ts): confidence × the severity's weight. */
const WEIGHT = { critical: 1, error: 0.9, warning: 0.7, info: 0.3 } as const
const score = (f: Finding) => f.confidence * WEIGHT[f.severity]

/** The error the ticket is about: a failed install step, else the newest failed update in the history, else the top cause's code. */
function originalErrorOf(p: ReportParts, top: Finding | null): Report['originalError'] {
  // The cause is the finding that explains this code (none once it is fixed: the top cause may be another matter).
  // Ranked the same whether it holds now or is history: fixing the PC never changes what caused the error.
  const explains = (code: string) =>
    p.diagnosis.findings
      .filter((f) => f.severity !== 'info' && f.codes.some((c) => c.toUpperCase() === code.toUpperCase()))
      .sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id))[0]?.title ?? null
  if (p.firstFailure)
    return {
      code: p.firstFailure.code,
      source: `install ${p.firstFailure.planId}`,
      cause: p.firstFailure.cause ?? explains(p.firstFailure.code),
    }
  const h = p.snapshot.history.status === 'known' ? p.snapshot.history.value : []
  const failed = h
    .filter((e) => e.operation === 'install' && e.result === 'failed' && e.hresult)
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))[0]
  if (failed?.hresult)
    return {
      code: failed.hresult,
      source: `Windows Update history: ${failed.title}${failed.date ? ` (${failed.date.slice(0, 10)})` : ''}`,
      cause: explains(failed.hresult),
    }
  if (top?.codes[0]) return { code: top.codes[0], source: 'diagnosis', cause: top.title }
  return null
}
