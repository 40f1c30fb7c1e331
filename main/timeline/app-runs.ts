/**
 * Every run of this app on a machine (installs, WinRE repairs, Fix-it repairs) as timeline runs, read through
 * the journal readers that exist (main/report/journals.ts for installs and WinRE runs, the repair journal store
 * for Fix-its) — no reader of its own. Tolerant: an unreadable journal is a note, never fatal.
 */
import type { MachineRef } from '../../preload/model/common.ts'
import type { AppRun } from '../../preload/model/timeline.ts'
import type { ReportAction } from '../../preload/model/report.ts'
import { readActions } from '../report/journals.ts'
import { RepairJournalStore } from '../repair/journal.ts'

export function runOfAction(a: ReportAction): AppRun {
  const verified = a.verification?.verified === true
  return {
    kind: a.kind === 'winre-repair' ? 'winre-repair' : 'install', id: a.planId,
    repairId: a.kind === 'winre-repair' ? 'winre-repair' : 'install', kbs: a.targets.filter((t) => /^KB\d{6,8}$/.test(t)),
    status: a.status, verified, at: a.updatedAt,
    detail: a.kind === 'winre-repair' ? `WinRE repair ${a.status}${verified ? ', verified' : ''}` : `Install of ${a.targets.join(', ') || a.planId} ${a.status}${verified ? ', verified' : ''}`,
  }
}

export async function readAppRuns(dataDir: string, ref: MachineRef, machineName: string): Promise<{ runs: AppRun[]; notes: string[] }> {
  if (ref.kind === 'snapshot') return { runs: [], notes: [] }
  const { actions, notes } = await readActions(dataDir, ref, machineName)
  const runs = actions.map(runOfAction)
  const key = JSON.stringify(ref)
  const store = new RepairJournalStore(dataDir)
  const { journals, damaged } = store.all()
  for (const d of damaged) notes.push(d.message)
  for (const j of journals) {
    if (JSON.stringify(j.machine) !== key) continue
    const verified = j.status === 'completed' && j.verification?.verified === true
    runs.push({
      kind: 'repair', id: j.runId, repairId: j.repairId, kbs: [], status: j.status, verified,
      at: verified ? j.verification!.checkedAt : j.updatedAt,
      detail: `${j.plan.title} ${j.status}${verified ? ', verified' : j.verification ? ', not verified' : ''}`,
    })
  }
  runs.sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''))
  return { runs, notes }
}
