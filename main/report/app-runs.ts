/**
 * Every run of this app on a machine (installs, WinRE repairs, Fix-it repairs) as timeline runs, from the one
 * reader of all journals (main/report/journals.ts readRunRecords). Tolerant: an unreadable journal is
 * a note, never fatal. Only runs whose journals carry this copy's seal become timeline runs: the
 * others are records this copy cannot vouch for, shown in the report with a note, and count for nothing.
 */
import type { MachineRef } from '../../preload/model/common.ts'
import type { AppRun } from '../../preload/model/timeline.ts'
import type { RunRecord } from '../../preload/model/run-record.ts'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The folders of the data folder readRunRecords reads (journals.ts; `journals/archived` is inside the first). A machine
 * with none of them, or all empty, has no run to read: the journals' reader and its schemas are then not loaded (a
 * diagnosis of a PC the app never changed starts without them).
 */
export const RUN_FOLDERS = ['journals', 'winre-repairs', 'repairs'] as const

function anyRunFile(dataDir: string): boolean {
  return RUN_FOLDERS.some((d) => {
    try {
      return readdirSync(join(dataDir, d)).length > 0
    } catch {
      return false
    }
  })
}

export function appRunOf(r: RunRecord): AppRun {
  const verified = r.verified === true && r.outcome === 'completed'
  // An install whose every package step ended "not applicable" / "already installed" changed nothing.
  const adds = r.kind === 'install' ? r.steps.filter((s) => s.result !== 'not-run' && !/restart/i.test(s.title)) : []
  const none =
    adds.length > 0 &&
    r.changed.length === 0 &&
    adds.every((s) => s.result === 'not-applicable' || s.result === 'already-installed')
  return {
    ...(none
      ? {
          unchanged: {
            kbs: r.targets.filter((t) => /^KB\d{6,8}$/.test(t)),
            kind: adds.some((s) => s.result === 'not-applicable')
              ? ('not-applicable' as const)
              : ('already-installed' as const),
            ubr: r.before?.ubr ?? null,
          },
        }
      : {}),
    kind: r.kind,
    id: r.id,
    repairId: r.kind === 'repair' ? r.definition : r.kind === 'winre-repair' ? 'winre-repair' : 'install',
    kbs: r.targets.filter((t) => /^KB\d{6,8}$/.test(t)),
    status: r.outcome,
    verified,
    at: r.endedAt ?? r.updatedAt ?? r.startedAt,
    detail: `${r.title} ${r.outcome}${verified ? ', verified' : r.verified === false ? ', not verified' : ''}`,
  }
}

export async function readAppRuns(
  dataDir: string,
  ref: MachineRef,
  machineName: string,
): Promise<{ runs: AppRun[]; notes: string[] }> {
  if (ref.kind === 'snapshot' || !anyRunFile(dataDir)) return { runs: [], notes: [] }
  const { readRunRecords, vouched } = await import('./journals.ts')
  const { runs, notes } = readRunRecords(dataDir, ref, machineName)
  // A run this copy did not seal changes no finding's state; its note says it is not vouched for.
  return { runs: runs.filter(vouched).map(appRunOf), notes }
}
