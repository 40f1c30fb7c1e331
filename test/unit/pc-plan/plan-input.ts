/**
 * What the whole-PC plan is composed from for one training machine, read as the plan service reads it (the
 * diagnosis's active findings, the scan, the repairs offered, WinRE's report), for the tests that call
 * composePcPlan themselves to vary one input. `at` fixes the day the plan is judged on (the scan's time and now).
 */
import type { composePcPlan } from '../../../main/pc-plan/compose.ts'
import type { createServices } from '../../../main/services.ts'
import { isActive } from '../../../preload/model/diagnosis.ts'
import type { MachineRef } from '../../../preload/model/common.ts'

export type PlanInput = Parameters<typeof composePcPlan>[0]

export async function planInput(
  services: ReturnType<typeof createServices>,
  ref: MachineRef,
  at?: string,
): Promise<PlanInput> {
  return (await planParts(services, ref, at)).input
}

/** The plan's input and the whole diagnosis it took its active findings from. */
export async function planParts(
  services: ReturnType<typeof createServices>,
  ref: MachineRef,
  at?: string,
): Promise<{ input: PlanInput; diagnosis: Awaited<ReturnType<ReturnType<typeof createServices>['diagnose']>> }> {
  const [d, snapshot, offers, winre] = await Promise.all([
    services.diagnose({ machine: ref }),
    services.scan(ref),
    services.repairs.offers(ref),
    services.winre.report(ref),
  ])
  const input = {
    ref,
    snapshot: at ? { ...snapshot, takenAt: at } : snapshot,
    findings: d.findings.filter(isActive),
    offers,
    winre,
    now: at ? new Date(at) : new Date(),
  }
  return { input, diagnosis: d }
}
