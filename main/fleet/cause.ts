/**
 * A device's cause: the first finding of its diagnosis (the diagnosis ranks them, most likely first) that holds now,
 * is a problem and explains a failure code the device reported; the first problem when none explains one. Groups are by this cause — a finding's rule — never by the failure code: 0x800F0922 on a
 * full EFI partition and on a missing checkpoint are two causes, as they are two findings for one PC.
 */
import type { DiagnoseOutput, Finding } from '../../preload/model/diagnosis.ts'
import { isActive, isWorkLeft } from '../../preload/model/finding-state.ts'

export const NO_PROBLEM = 'none'
export const NOT_REPORTED = 'not-reported'
/** A device that reported (an update status, a detection script's own output or error) without anything that names a cause. */
export const REPORTED = 'reported'

export interface Cause {
  cause: string
  title: string
  repair: string | null
  codes: string[]
  evidence: { source: string; excerpt: string }[]
  /** The other problems the diagnosis found (ids), for the drill-down. */
  others: string[]
}

/**
 * A fleet groups devices by what makes their updates fail: a device only behind its branch's newest update (the
 * offer on one PC's screens) is not failing, so that offer is no cause here.
 */
export function problems(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => isActive(f) && f.severity !== 'info' && !isWorkLeft(f.id))
}

export function causeOf(d: Pick<DiagnoseOutput, 'findings'>): Cause {
  const p = problems(d.findings)
  // A finding that explains a failure code the device reported is the cause of that failure; a finding that explains
  // none (an ended support date beside a failed install) is a problem, not the cause of the failure.
  const f = p.find((x) => x.codes.length > 0) ?? p[0]
  if (!f)
    return { cause: NO_PROBLEM, title: 'No servicing problem found', repair: null, codes: [], evidence: [], others: [] }
  return {
    cause: f.id,
    title: f.title,
    repair: f.repair,
    codes: f.codes,
    evidence: f.evidence.slice(0, 3),
    others: p.filter((x) => x !== f).map((x) => x.id),
  }
}

/** Whether a diagnosis still shows the cause (as any active problem, not only the first). */
export function shows(findings: readonly Finding[], cause: string): boolean {
  return problems(findings).some((f) => f.id === cause)
}
