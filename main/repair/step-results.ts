/**
 * What a repair journal says of its steps, apart from journal.ts and runner.ts (journal.ts reads the definitions'
 * kinds, and a definition reads these).
 */
import type { RepairJournal, RepairStepResult } from '../../preload/model/repair.ts'
import type { Assessment } from './step-kinds.ts'

/** Each step's last result (a re-run or re-check replaces an earlier one). */
export function stepResults(j: RepairJournal): Map<string, RepairStepResult> {
  const out = new Map<string, RepairStepResult>()
  for (const e of j.entries) if (e.phase === 'finished') out.set(e.stepId, e.result)
  return out
}

/** The last assessment the journal holds (null: nothing said yet). */
export function lastAssessment(j: RepairJournal): Assessment {
  let a: Assessment = null
  for (const e of j.entries) if (e.phase === 'finished' && e.result.assessment) a = e.result.assessment
  return a
}
